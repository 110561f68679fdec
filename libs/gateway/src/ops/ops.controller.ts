import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../http/api-docs.decorators';
import { ref } from '../http/openapi.schemas';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import type { Response } from 'express';
import { Public } from '../auth/roles';
import { ProcessMetrics } from '@termline/platform';
import { Registry } from 'prom-client';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller()
export class OpsController {
  /** The gateway's HTTP metrics and the process metrics (round trips, batches, lag, quarantine) in one answer. */
  private readonly registry: Registry;

  constructor(
    metrics: MetricsService,
    processMetrics: ProcessMetrics,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {
    this.registry = Registry.merge([metrics.registry, processMetrics.registry]);
  }

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Whether the gateway can read its read models' })
  @ApiAnswer(200, 'Health')
  @ApiResponse({
    status: 503,
    description: 'The read models cannot be read',
    content: { 'application/json': { schema: ref('Health') } },
  })
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
  @ApiOperation({ summary: 'Prometheus metrics of this process' })
  @ApiResponse({
    status: 200,
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async prometheus(@Res() response: Response): Promise<void> {
    response.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
