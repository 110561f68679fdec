import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import type { Response } from 'express';
import { Public } from '../auth/roles';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  @Get('health')
  @Public()
  async health(@Res({ passthrough: true }) response: Response) {
    try {
      await this.readModels.listDocuments('-health-probe-');
      return { status: 'ok' };
    } catch (error) {
      response.status(503);
      return { status: 'unavailable', detail: (error as Error).message };
    }
  }

  @Get('metrics')
  @Public()
  async prometheus(@Res() response: Response): Promise<void> {
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
