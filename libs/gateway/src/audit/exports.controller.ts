import { Controller, Get, Inject, Optional, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  buildExport,
  CONTENT_TYPES,
  EXPORT_FORMATS,
  EXPORT_REQUEST_PATTERNS,
  EXTENSIONS,
  currentGeneration,
  exportSourceOf,
  loadSigningKey,
  parseExportRequest,
  writeExport,
} from '@termline/audit';
import { TERMLINE_CONFIG, type ApiKeyEntry, type TermlineConfig } from '@termline/config';
import { EVENT_STORE, SNAPSHOT_STORE, type EventStore, type SnapshotStore } from '@termline/eventstore';
import { TEXT_WORK, TextWork } from '@termline/platform';
import { defaultGenerationOf, READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import type { Request, Response } from 'express';
import type { KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RequireRole } from '../auth/roles';
import { readJsonBody } from '../http/json-body';
import { ApiAnswer, ApiPathParam, ApiProblems, ApiQueryParam } from '../http/api-docs.decorators';
import { ref } from '../http/openapi.schemas';
import { ProblemException } from '../http/problem';
import { ExportJobs, ExportRefusedError, type ExportJob, type ExportOutcome } from './export-jobs.service';

/** How long a client refused an export should wait: a large export (or a restart) takes about this long. */
const EXPORT_REFUSED_RETRY_AFTER_SECONDS = 15;

const FILE_CONTENT = Object.fromEntries(
  Object.values(CONTENT_TYPES).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
);

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
  private readonly textWork: TextWork;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(TERMLINE_CONFIG) config: TermlineConfig,
    @Inject(ExportJobs) private readonly jobs: ExportJobs,
    @Optional() @Inject(TEXT_WORK) textWork?: TextWork,
  ) {
    this.textWork = textWork ?? TextWork.inThread();
    this.signingKey = config.exportSigningKeyFile ? loadSigningKey(config.exportSigningKeyFile) : undefined;
  }

  /**
   * Answers the export itself while it stays within TERMLINE_EXPORT_INLINE_MAX_BYTES (built in memory, so a failure
   * is a problem answer, not a cut connection); past that, or when asked (`?async=true`, `Prefer: respond-async`),
   * 202 with a job that writes the file in the background.
   */
  @Post()
  @RequireRole('analyst')
  @ApiOperation({
    summary:
      'Export the hash-chained history of a document, a service or everything, verifiable offline (termline verify); large exports become a job',
  })
  @ApiQueryParam('async', 'async')
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description: '"respond-async": answer 202 with a job at once (RFC 7240)',
    schema: { type: 'string' },
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
    description: 'The export, when it is small enough to answer inline',
    content: FILE_CONTENT,
  })
  @ApiResponse({
    status: 202,
    description: 'The export is large (or was asked to run in the background): a job, at the Location given',
    headers: { Location: { description: '/v1/exports/{jobId}', schema: { type: 'string' } } },
    content: { 'application/json': { schema: ref('ExportJob') } },
  })
  @ApiProblems(400, 415, 429, 503)
  async export(
    @Req() request: Request & { apiKey?: ApiKeyEntry },
    @Res() response: Response,
    @Query('async') asyncParam?: unknown,
  ): Promise<void> {
    if (asyncParam !== undefined && asyncParam !== 'true' && asyncParam !== 'false')
      throw new ProblemException(400, 'invalid-parameter', 'async accepts only "true" or "false"');
    const body = await readJsonBody(request, 64 * 1024);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ProblemException(400, 'invalid-request', 'The body must be a JSON object');
    }
    const parsed = parseExportRequest(body);
    if ('errors' in parsed)
      throw new ProblemException(400, 'invalid-request', 'The export request is invalid', parsed.errors);
    const respondAsync =
      asyncParam === 'true' ||
      /(^|[\s,;])respond-async($|[\s,;])/i.test(String(request.headers.prefer ?? ''));
    const createdAt = new Date().toISOString();
    const requestedBy = request.apiKey?.name ?? 'unknown';
    const source = exportSourceOf(this.eventStore, this.snapshots, this.readModels, {
      diff: (documentId, older, newer) => this.textWork.diffView(documentId, older, newer),
      // The mappings the API answers with: after an upgrade, the complete generation until the new one is (ADR 0037).
      generation: await defaultGenerationOf(this.readModels, currentGeneration()),
    });
    const files = buildExport(source, {
      request: parsed.request,
      requestedBy,
      createdAt,
      signingKey: this.signingKey,
    });
    let outcome: ExportOutcome;
    // An inline export may wait for its turn: if the client hangs up meanwhile, it is not written.
    const gone = new AbortController();
    response.on('close', () => gone.abort());
    try {
      outcome = await this.jobs.start(
        { format: parsed.format, request: parsed.request, requestedBy },
        (write) => writeExport(parsed.format, files, write),
        { async: respondAsync, signal: gone.signal },
      );
    } catch (error) {
      if (!(error instanceof ExportRefusedError)) throw error;
      if (error.reason === 'caller-gone') return;
      const [status, code] = error.reason === 'busy' ? [429, 'exports-busy'] : [503, 'shutting-down'];
      throw new ProblemException(status, code, error.message, undefined, EXPORT_REFUSED_RETRY_AFTER_SECONDS);
    }
    if ('job' in outcome) {
      if (respondAsync) response.setHeader('Preference-Applied', 'respond-async');
      response.status(202).location(jobPath(outcome.job.jobId)).json(jobView(outcome.job));
      return;
    }
    response
      .status(200)
      .type(CONTENT_TYPES[parsed.format])
      .setHeader(
        'Content-Disposition',
        `attachment; filename="termline-export-${createdAt.replace(/[:.]/g, '-')}.${EXTENSIONS[parsed.format]}"`,
      )
      .send(outcome.inline);
  }

  @Get(':jobId')
  @RequireRole('analyst')
  @ApiOperation({
    summary: 'The status of an export job: queued, running, done (with its file) or failed (with why)',
  })
  @ApiPathParam('jobId', 'exportJobId')
  @ApiAnswer(200, 'ExportJob')
  @ApiProblems(404)
  job(@Param('jobId') jobId: string) {
    return jobView(this.jobOf(jobId));
  }

  @Get(':jobId/bundle')
  @RequireRole('analyst')
  @ApiOperation({ summary: "An export job's file, once the job is done" })
  @ApiPathParam('jobId', 'exportJobId')
  @ApiResponse({ status: 200, description: 'The export file', content: FILE_CONTENT })
  @ApiProblems(404)
  @ApiResponse({
    status: 409,
    description: 'Conflict: the job is not done (queued, running, or failed: the problem says why)',
    content: { 'application/problem+json': { schema: ref('Problem') } },
  })
  async bundle(@Param('jobId') jobId: string, @Res() response: Response): Promise<void> {
    const job = this.jobOf(jobId);
    if (job.status !== 'done')
      throw new ProblemException(
        409,
        'export-not-ready',
        job.status === 'failed'
          ? `Export job ${jobId} failed: ${job.reason ?? 'no reason recorded'}`
          : `Export job ${jobId} is ${job.status}; ask GET ${jobPath(jobId)} until it is done`,
      );
    response
      .status(200)
      .type(CONTENT_TYPES[job.format])
      .setHeader(
        'Content-Disposition',
        `attachment; filename="termline-export-${job.jobId}.${EXTENSIONS[job.format]}"`,
      );
    await pipeline(createReadStream(this.jobs.filePath(job)), response);
  }

  private jobOf(jobId: string): ExportJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new ProblemException(404, 'not-found', `No export job ${jobId} (unknown, or expired)`);
    return job;
  }
}

const jobPath = (jobId: string) => `/v1/exports/${jobId}`;

function jobView(job: ExportJob) {
  return { ...job, bundle: job.status === 'done' ? `${jobPath(job.jobId)}/bundle` : null };
}
