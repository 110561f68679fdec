import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { QuarantineKind, QuarantineRecord } from '@termline/eventstore';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { ProjectionRebuildService, type RepairReport } from '@termline/projection';
import { RequireRole } from '../auth/roles';
import { ApiAnswer, ApiPathParam, ApiProblems, ApiQueryParam } from '../http/api-docs.decorators';
import { parseLimit, parseQuarantineCursor, quarantineCursorOf } from '../http/paging';
import { ProblemException } from '../http/problem';
import { QuarantineService } from './quarantine.service';

const STATUSES: readonly QuarantineRecord['status'][] = ['parked', 'replayed'];
const KINDS: readonly QuarantineKind[] = ['FetchQuarantined', 'ProjectionFailed'];

function oneOf<T extends string>(
  name: string,
  allowed: readonly T[],
  raw: string | undefined,
): T | undefined {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ProblemException(400, 'invalid-request', `${name} must be one of ${allowed.join(', ')}`);
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly rebuilder: ProjectionRebuildService,
    @Inject(READ_MODEL_STORE) private readonly live: ReadModelStore,
    private readonly quarantine: QuarantineService,
  ) {}

  @Get('quarantine')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Messages the consumers parked after repeated unexpected failures, newest first' })
  @ApiQueryParam('status', 'quarantineStatus')
  @ApiQueryParam('kind', 'quarantineKind')
  @ApiQueryParam('limit', 'limit')
  @ApiQueryParam('cursor', 'quarantineCursor')
  @ApiAnswer(200, 'QuarantinePage')
  @ApiProblems(400)
  async listQuarantine(
    @Query('status') status?: string,
    @Query('kind') kind?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    const pageSize = parseLimit(limit);
    const before = parseQuarantineCursor(cursor);
    const items = await this.quarantine.list({
      ...(status === undefined ? {} : { status: oneOf('status', STATUSES, status) }),
      ...(kind === undefined ? {} : { kind: oneOf('kind', KINDS, kind) }),
      ...(before ? { before } : {}),
      limit: pageSize + 1,
    });
    const page = items.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: items.length > pageSize && last ? quarantineCursorOf(last) : null,
    };
  }

  @Get('quarantine/:id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'One parked message: where it came from, its error, how often it was replayed' })
  @ApiPathParam('id', 'quarantineId')
  @ApiAnswer(200, 'QuarantineSummary')
  @ApiProblems(404)
  getQuarantined(@Param('id') id: string) {
    return this.quarantine.get(id);
  }

  @Post('quarantine/:id/replay')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Publish a parked message again on its original topic (after the cause is fixed)',
  })
  @ApiPathParam('id', 'quarantineId')
  @ApiAnswer(202, 'ReplayReceipt', 'Accepted: published again')
  @ApiProblems(404)
  replayQuarantined(@Param('id') id: string) {
    return this.quarantine.replay(id);
  }

  /**
   * The repair of the read models: replays the whole event store into fresh ones (a new file, new collections)
   * without reading the live ones, then swaps them in. The comparison with the replaced copy is best-effort: a
   * damaged copy is reported as not comparable, and replaced all the same.
   */
  @Post('projections/rebuild')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({
    summary:
      'Rebuild the read models from the event store into fresh ones and swap them in (repairs a damaged read model)',
  })
  @ApiAnswer(200, 'RepairReport')
  rebuild(): Promise<RepairReport> {
    return this.rebuilder.repair(this.live);
  }
}
