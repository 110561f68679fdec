import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { readJsonBody } from '../http/json-body';
import { randomUUID } from 'node:crypto';
import { RequireRole } from '../auth/roles';
import { IngestService } from './ingest.service';

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('v1/fetches')
export class FetchesController {
  private readonly bodyLimit: number;

  constructor(
    private readonly ingest: IngestService,
    @Inject(TERMLINE_CONFIG) config: TermlineConfig,
  ) {
    // base64 grows content by 4/3; leave room for the other fields.
    this.bodyLimit = Math.ceil(config.maxContentBytes * 1.34) + 64 * 1024;
  }

  @Post()
  @HttpCode(202)
  @RequireRole('ingest')
  @ApiOperation({
    summary: 'Submit one fetch of a document (fetch event contract v1); recorded asynchronously',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['fetchId', 'service', 'documentType', 'sourceUrl', 'fetchedAt', 'mimeType', 'content'],
      properties: {
        fetchId: { type: 'string' },
        service: { type: 'string' },
        documentType: { type: 'string' },
        sourceUrl: { type: 'string' },
        sourcePart: { type: 'string', nullable: true },
        fetchedAt: { type: 'string', format: 'date-time' },
        fetcher: { type: 'string' },
        mimeType: {
          type: 'string',
          enum: ['text/html', 'application/xhtml+xml', 'text/plain', 'text/markdown', 'application/pdf'],
        },
        encoding: { type: 'string', enum: ['base64'] },
        content: { type: 'string' },
        httpStatus: { type: 'integer' },
      },
    },
  })
  async submit(
    @Req() request: Request,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const body = await readJsonBody(request, this.bodyLimit);
    const receipt = await this.ingest.ingest(body, correlationId ?? randomUUID());
    if (receipt.status === 'already-recorded') response.status(200);
    response.setHeader('Location', `/v1/fetches/${encodeURIComponent(receipt.fetchId)}`);
    return receipt;
  }

  @Get(':fetchId')
  @RequireRole('ingest', 'reader')
  @ApiOperation({ summary: 'What became of a submitted fetch' })
  status(@Param('fetchId') fetchId: string) {
    return this.ingest.status(fetchId);
  }
}
