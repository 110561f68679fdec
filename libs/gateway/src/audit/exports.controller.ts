import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  buildExport,
  CONTENT_TYPES,
  EXPORT_FORMATS,
  EXPORT_REQUEST_PATTERNS,
  EXTENSIONS,
  exportSourceOf,
  loadSigningKey,
  parseExportRequest,
  writeExport,
} from '@termline/audit';
import { TERMLINE_CONFIG, type ApiKeyEntry, type TermlineConfig } from '@termline/config';
import { EVENT_STORE, SNAPSHOT_STORE, type EventStore, type SnapshotStore } from '@termline/eventstore';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import type { Request, Response } from 'express';
import type { KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { RequireRole } from '../auth/roles';
import { readJsonBody } from '../http/json-body';
import { ApiProblems } from '../http/api-docs.decorators';
import { ProblemException } from '../http/problem';

const INSTANT_SCHEMA = {
  anyOf: [
    { type: 'string', format: 'date', pattern: EXPORT_REQUEST_PATTERNS.instant.source },
    { type: 'string', format: 'date-time', pattern: EXPORT_REQUEST_PATTERNS.instant.source },
  ],
};

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/exports')
export class ExportsController {
  private readonly signingKey: KeyObject | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(TERMLINE_CONFIG) config: TermlineConfig,
  ) {
    this.signingKey = config.exportSigningKeyFile ? loadSigningKey(config.exportSigningKeyFile) : undefined;
  }

  /**
   * Streams the export as it is built (one document in memory at a time), so a large one needs no job: the
   * manifest comes last in the bundle, once every file's hash is known.
   */
  @Post()
  @RequireRole('analyst')
  @ApiOperation({
    summary:
      'Export the hash-chained history of a document, a service or everything, verifiable offline (termline verify)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: false,
      // Neither document nor service: the whole collection; both: refused.
      not: { required: ['document', 'service'] },
      properties: {
        document: {
          type: 'string',
          pattern: EXPORT_REQUEST_PATTERNS.document.source,
          description: 'a document id',
        },
        service: {
          type: 'string',
          pattern: EXPORT_REQUEST_PATTERNS.service.source,
          description: 'a service slug',
        },
        from: { ...INSTANT_SCHEMA, description: 'ISO 8601 date or instant' },
        to: { ...INSTANT_SCHEMA, description: 'ISO 8601 date or instant, not before from' },
        format: { type: 'string', enum: [...EXPORT_FORMATS], default: 'bundle' },
        snapshots: { type: 'boolean', default: false, description: 'include the raw snapshots' },
      },
    },
  })
  @ApiResponse({
    status: 200,
    description:
      'The export, streamed; a connection cut after this status means a truncated file (verify says so)',
    content: Object.fromEntries(
      Object.values(CONTENT_TYPES).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiProblems(400, 415)
  async export(@Req() request: Request & { apiKey?: ApiKeyEntry }, @Res() response: Response): Promise<void> {
    const body = await readJsonBody(request, 64 * 1024);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ProblemException(400, 'invalid-request', 'The body must be a JSON object');
    }
    const parsed = parseExportRequest(body);
    if ('errors' in parsed)
      throw new ProblemException(400, 'invalid-request', 'The export request is invalid', parsed.errors);
    const createdAt = new Date().toISOString();
    const files = buildExport(exportSourceOf(this.eventStore, this.snapshots, this.readModels), {
      request: parsed.request,
      requestedBy: request.apiKey?.name ?? 'unknown',
      createdAt,
      signingKey: this.signingKey,
    });
    response
      .status(200)
      .type(CONTENT_TYPES[parsed.format])
      .setHeader(
        'Content-Disposition',
        `attachment; filename="termline-export-${createdAt.replace(/[:.]/g, '-')}.${EXTENSIONS[parsed.format]}"`,
      );
    try {
      await writeExport(parsed.format, files, async (chunk) => {
        if (!response.write(chunk)) await once(response, 'drain');
      });
      response.end();
    } catch (error) {
      // The status is sent: a cut connection is the only honest signal left, and the verifier reports it.
      response.destroy(error as Error);
    }
  }
}
