import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiPathParam, ApiProblems } from '../http/api-docs.decorators';
import { ref } from '../http/openapi.schemas';
import type { Request, Response } from 'express';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { BodyBudget } from '../http/body-budget';
import { readJsonBodyWithText } from '../http/json-body';
import { RequireRole } from '../auth/roles';
import { IngestService } from './ingest.service';

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('v1/fetches')
export class FetchesController {
  private readonly bodyLimit: number;
  private readonly minBodyRate: number;

  constructor(
    private readonly ingest: IngestService,
    private readonly bodies: BodyBudget,
    @Inject(TERMLINE_CONFIG) config: TermlineConfig,
  ) {
    // base64 grows content by 4/3; leave room for the other fields.
    this.bodyLimit = Math.ceil(config.maxContentBytes * 1.34) + 64 * 1024;
    this.minBodyRate = config.minBodyBytesPerSecond;
  }

  @Post()
  @HttpCode(202)
  @RequireRole('ingest')
  @ApiOperation({
    summary: 'Submit one fetch of a document (fetch event contract v1); recorded asynchronously',
  })
  @ApiConsumes('application/json')
  @ApiBody({ required: true, schema: ref('FetchEvent') })
  @ApiAnswer(202, 'FetchReceipt', 'Accepted: the fetch will be recorded; Location names its status')
  @ApiAnswer(200, 'FetchReceipt', 'This fetch id was already recorded with the same content')
  @ApiProblems(400, 408, 409, 413, 415, 422, 503)
  async submit(
    @Req() request: Request,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    // The body is held until the log has it: the budget counts it until then.
    const receipt = await this.bodies.within(request, this.bodyLimit, async () => {
      const { value, text } = await readJsonBodyWithText(request, this.bodyLimit, this.minBodyRate);
      return this.ingest.ingest(value, correlationId, text);
    });
    if (receipt.status === 'already-recorded') response.status(200);
    response.setHeader('Location', `/v1/fetches/${encodeURIComponent(receipt.fetchId)}`);
    return receipt;
  }

  @Get(':fetchId')
  @RequireRole('ingest', 'reader')
  @ApiOperation({
    summary:
      'What became of a submitted fetch: accepted (not recorded yet), recorded (with its outcome), quarantined or dead-lettered (with the reason)',
  })
  @ApiPathParam('fetchId', 'fetchId')
  @ApiAnswer(200, 'FetchStatus', 'Recorded, quarantined or dead-lettered')
  @ApiAnswer(202, 'FetchStatus', 'Accepted and not recorded yet: ask again later')
  @ApiProblems(404)
  async status(@Param('fetchId') fetchId: string, @Res({ passthrough: true }) response: Response) {
    const status = await this.ingest.status(fetchId);
    // 202 while the work is pending, as the submission answered: a poller waits for 200.
    if (status.status === 'accepted') response.status(202);
    return status;
  }
}
