import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../http/api-docs.decorators';
import { OPEN_READ_MODELS, type OpenReadModels } from '@termline/platform';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { ProjectionRebuildService, type RebuildReport } from '../../../projection/src/projection-rebuild.service';
import { RequireRole } from '../auth/roles';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly rebuilder: ProjectionRebuildService,
    @Inject(READ_MODEL_STORE) private readonly live: ReadModelStore,
    @Inject(OPEN_READ_MODELS) private readonly openReadModels: OpenReadModels,
  ) {}

  /**
   * Replays the whole event store into fresh read models (namespace `rm_rebuild_`) and compares them with the
   * live ones, model by model. The live read models are not touched beyond catching up.
   */
  @Post('projections/rebuild')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Rebuild the read models from the event store into fresh collections and compare with the live ones' })
  @ApiAnswer(200, 'RebuildReport')
  async rebuild(): Promise<RebuildReport> {
    const target = await this.openReadModels('rm_rebuild_');
    try {
      return await this.rebuilder.rebuild(target, this.live);
    } finally {
      await target.close();
    }
  }
}
