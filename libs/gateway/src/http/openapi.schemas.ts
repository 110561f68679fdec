import type {
  ReferenceObject,
  SchemaObject as PlainSchema,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DOCUMENT_ID_PATTERN, FETCH_EVENT_PATTERNS, SUPPORTED_MIME_TYPES } from '@termline/domain';
import { MAX_LIMIT, QUARANTINE_CURSOR, SERVICE_CURSOR, TIMELINE_CURSOR, VERSION_CURSOR } from './paging';

/**
 * The JSON schemas of the API's bodies, parameters and problems, registered as OpenAPI components. They say what
 * the gateway really answers and accepts (the fuzz test, scripts/fuzz-api.sh, holds them to it); fields may be
 * added, so objects stay open to extra properties.
 */
type SchemaObject = PlainSchema & Partial<ReferenceObject>;

const str = (extra: SchemaObject = {}): SchemaObject => ({ type: 'string', ...extra });
const int = (extra: SchemaObject = {}): SchemaObject => ({ type: 'integer', ...extra });
const bool: SchemaObject = { type: 'boolean' };
const instant: SchemaObject = str({ format: 'date-time' });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const array = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
const object = (
  properties: Record<string, SchemaObject>,
  optional: readonly string[] = [],
): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});
export const ref = (name: keyof typeof SCHEMAS): SchemaObject => ({ $ref: `#/components/schemas/${name}` });

/** The decoder's own patterns (one definition), as ECMA-262 sources. */
const pattern = (name: keyof typeof FETCH_EVENT_PATTERNS): string => FETCH_EVENT_PATTERNS[name].source;

const FETCH_STATUSES = ['accepted', 'recorded', 'quarantined', 'replayed', 'dead-lettered'];

const stats = object({ linesAdded: int(), linesRemoved: int(), wordsAdded: int(), wordsRemoved: int() });
const materiality = object({
  level: str({ enum: ['none', 'cosmetic', 'minor', 'substantive'] }),
  reasons: array(str()),
});
const versionRef = object({ version: int({ minimum: 1 }), validFrom: instant, textSha256: str() });
const page = (item: string): SchemaObject =>
  object({ items: array({ $ref: `#/components/schemas/${item}` }), nextCursor: nullable(str()) });

/** A message a consumer parked (libs/eventstore QuarantineSummary: the record without its value). */
const quarantineSummary = (value: Record<string, SchemaObject>): SchemaObject =>
  object({
    id: str(),
    kind: str({ enum: ['FetchQuarantined', 'ProjectionFailed'] }),
    status: str({ enum: ['parked', 'replayed'] }),
    groupId: str(),
    topic: str(),
    partition: int(),
    offset: str(),
    key: str(),
    headers: { type: 'object', additionalProperties: str() },
    fetchId: nullable(str()),
    documentId: nullable(str()),
    error: object({ name: str(), message: str(), code: str(), stack: str() }, ['code', 'stack']),
    attempts: int(),
    firstFailedAt: instant,
    quarantinedAt: instant,
    replayedAt: nullable(instant),
    replays: int(),
    ...value,
  });

const versionSummary = {
  documentId: str(),
  version: int({ minimum: 1 }),
  service: str(),
  documentType: str(),
  validFrom: instant,
  textSha256: str(),
  snapshots: array(
    object({
      sourcePart: nullable(str()),
      snapshotId: str(),
      sourceUrl: str(),
      mimeType: str(),
      fetchedAt: instant,
    }),
  ),
  extractorVersion: str(),
  declarationHash: nullable(str()),
  rulesFired: array(str()),
  fetchId: str(),
  previousVersion: nullable(int()),
  technicalUpgrade: bool,
  retracted: nullable(object({ at: instant, reason: str(), restoredVersion: nullable(int()) })),
  stats,
  materiality,
  provisionChanges: array(
    object({ provisionId: str(), heading: str(), change: str(), wordsAdded: int(), wordsRemoved: int() }),
  ),
  provisionIds: array(str()),
};

export const SCHEMAS = {
  Problem: {
    ...object(
      {
        type: str({ format: 'uri' }),
        title: str(),
        status: int(),
        detail: str(),
        code: str(),
        instance: str(),
        errors: array(str()),
      },
      ['instance', 'errors'],
    ),
    description:
      'RFC 9457 problem details; `code` is stable and `type` is https://termline.dev/problems/<code>',
  },
  FetchEvent: {
    type: 'object',
    additionalProperties: false,
    description:
      'Fetch event contract v1. Also refused (422): fetchedAt more than 5 minutes in the future, names whose ' +
      'slug collides with a recorded document or service of other names; 413 over TERMLINE_MAX_CONTENT_BYTES.',
    required: ['fetchId', 'service', 'documentType', 'sourceUrl', 'fetchedAt', 'mimeType', 'content'],
    properties: {
      fetchId: str({ pattern: pattern('fetchId'), minLength: 1, maxLength: 200 }),
      service: str({ minLength: 1, maxLength: 200, pattern: pattern('name') }),
      documentType: str({ minLength: 1, maxLength: 200, pattern: pattern('name') }),
      sourceUrl: str({ pattern: pattern('sourceUrl'), maxLength: 2000 }),
      sourcePart: nullable(str({ minLength: 1, maxLength: 300, pattern: pattern('text') })),
      fetchedAt: str({ format: 'date-time', pattern: pattern('fetchedAt') }),
      fetcher: nullable(str({ maxLength: 100, pattern: pattern('text') })),
      mimeType: str({ enum: [...SUPPORTED_MIME_TYPES] }),
      // OpenAPI 3.0: a nullable enum lists null among its values.
      encoding: nullable(
        str({
          enum: ['base64', null],
          description: 'When "base64", content is base64 of the bytes (whole groups of 4)',
        }),
      ),
      content: str({ description: 'The fetched bytes: UTF-8 text, or base64 when encoding is "base64"' }),
      httpStatus: nullable(int({ minimum: 100, maximum: 599 })),
    },
  },
  FetchReceipt: object({
    fetchId: str(),
    documentId: str(),
    snapshotId: str({ pattern: '^[0-9a-f]{64}$' }),
    status: str({ enum: ['accepted', 'already-recorded'] }),
  }),
  FetchStatus: {
    ...object({
      fetchId: str(),
      documentId: nullable(str()),
      status: str({ enum: FETCH_STATUSES }),
    }),
    description:
      'accepted (on the fetches topic, not recorded yet): snapshotId, acceptedAt. recorded: outcome, snapshotId, ' +
      'snapshotChanged, failure, textSha256, suppressedBy, version, streamVersion, recordedAt. quarantined or ' +
      'replayed (parked after repeated unexpected failures; docs/reliability.md): quarantineId, error, attempts, ' +
      'quarantinedAt, replayedAt. dead-lettered (accepted, then found unrecordable): code, reason, deadLetteredAt.',
    properties: {
      fetchId: str(),
      documentId: nullable(str()),
      status: str({ enum: FETCH_STATUSES }),
      outcome: str(),
      snapshotId: str(),
      snapshotChanged: bool,
      failure: nullable(object({ code: str(), reason: str() })),
      textSha256: nullable(str()),
      suppressedBy: nullable(array(str())),
      version: nullable(int()),
      streamVersion: int(),
      recordedAt: instant,
      code: str(),
      reason: str(),
      deadLetteredAt: instant,
      acceptedAt: instant,
      quarantineId: str(),
      error: object({ name: str(), message: str(), code: nullable(str()) }),
      attempts: int(),
      quarantinedAt: instant,
      replayedAt: nullable(instant),
    },
  },
  Document: object({
    documentId: str(),
    service: str(),
    serviceSlug: str(),
    documentType: str(),
    appliedVersion: int(),
    versionCount: int(),
    changeCount: int(),
    latestVersion: nullable(versionRef),
    firstFetchedAt: instant,
    lastFetchedAt: instant,
    lastChangedAt: nullable(instant),
    fetchCount: int(),
    parts: array(object({ sourcePart: nullable(str()), sourceUrl: str(), lastFetchedAt: instant })),
    lastFailure: nullable(object({ fetchId: str(), fetchedAt: instant, code: str(), reason: str() })),
  }),
  DocumentList: object({
    items: array({ $ref: '#/components/schemas/Document' }),
    nextCursor: nullable(str({ description: 'Pass as cursor for the next page; null on the last' })),
  }),
  ServiceList: object({
    items: array(
      object({
        service: str(),
        serviceSlug: str(),
        documentCount: int(),
        versionCount: int(),
        lastChangedAt: nullable(instant),
        documents: array(object({ documentId: str(), documentType: str() })),
      }),
    ),
    nextCursor: nullable(str({ description: 'Pass as cursor for the next page; null on the last' })),
  }),
  VersionSummary: (() => {
    const { provisionIds: _ids, ...listed } = versionSummary;
    return {
      ...object({
        ...listed,
        provisionCount: int({ minimum: 0 }),
        provisionChangesOmitted: int({ minimum: 0 }),
      }),
      description:
        'A version as a list names it: provisions counted, at most 50 provision changes (the rest counted in ' +
        'provisionChangesOmitted); GET /v1/documents/{documentId}/versions/{version} answers them all',
    };
  })(),
  Version: object({ ...versionSummary, text: str() }),
  VersionPage: page('VersionSummary'),
  TimelineEntry: object({
    entryId: str(),
    documentId: str(),
    service: str(),
    serviceSlug: str(),
    documentType: str(),
    version: int(),
    at: instant,
    kind: str({ enum: ['first', 'change', 'technical-upgrade'] }),
    retracted: bool,
    stats,
    materiality,
    provisionsChanged: int(),
  }),
  TimelinePage: page('TimelineEntry'),
  Observation: object({
    documentId: str(),
    fetchId: str(),
    streamVersion: int(),
    fetchedAt: instant,
    sourcePart: nullable(str()),
    sourceUrl: str(),
    snapshotId: str(),
    snapshotChanged: bool,
    outcome: str(),
    failure: nullable(object({ code: str(), reason: str() })),
    textSha256: nullable(str()),
    suppressedBy: nullable(array(str())),
  }),
  ObservationPage: page('Observation'),
  Diff: object({
    documentId: str(),
    from: versionRef,
    to: versionRef,
    stats,
    materiality,
    provisions: array({ type: 'object' }),
    lineage: array({ type: 'object' }),
    degraded: { description: 'Whether (and why) the diff fell back to a coarser comparison' },
    patch: str({ description: 'Unified patch' }),
  }),
  Provisions: object({
    documentId: str(),
    version: int(),
    provisionCount: int(),
    nextCursor: nullable(str()),
    items: array(
      object({
        provisionId: str(),
        kind: str(),
        level: int(),
        number: nullable(str()),
        heading: nullable(str()),
        text: str(),
      }),
    ),
  }),
  ProvisionHistory: object({
    documentId: str(),
    provisionId: str(),
    history: array(
      object({
        version: int(),
        validFrom: instant,
        change: str(),
        heading: str(),
        wordsAdded: int(),
        wordsRemoved: int(),
        retracted: bool,
        technicalUpgrade: bool,
      }),
    ),
  }),
  RebuildReport: object({
    streams: int(),
    events: int(),
    seconds: { type: 'number' },
    comparison: {
      type: 'object',
      additionalProperties: object({ rebuilt: int(), live: int(), equal: bool }),
    },
    equal: bool,
  }),
  Health: object({ status: str({ enum: ['ok', 'unavailable'] }), detail: str() }, ['detail']),
  RepairReport: object(
    {
      streams: int(),
      events: int(),
      seconds: { type: 'number' },
      swapped: bool,
      comparison: nullable({
        type: 'object',
        additionalProperties: object({ rebuilt: int(), live: int(), equal: bool }),
      }),
      equal: nullable(bool),
      comparisonError: str(),
    },
    ['comparisonError'],
  ),
  QuarantineSummary: quarantineSummary({ valueBytes: int({ minimum: 0 }) }),
  QuarantinePage: object({
    items: array({ $ref: '#/components/schemas/QuarantineSummary' }),
    nextCursor: nullable(str({ description: 'Pass as cursor for the next page; null on the last' })),
  }),
  ChainHead: object({
    documentId: str(),
    algorithm: str(),
    head: object({
      streamId: str(),
      commitId: str(),
      firstVersion: int({ minimum: 1 }),
      lastVersion: int({ minimum: 1 }),
      previousHash: nullable(str({ pattern: '^[0-9a-f]{64}$' })),
      hash: str({ pattern: '^[0-9a-f]{64}$' }),
    }),
  }),
  ExportJob: object({
    jobId: str({ format: 'uuid' }),
    status: str({ enum: ['queued', 'running', 'done', 'failed'] }),
    format: str({ enum: ['bundle', 'ndjson', 'csv'] }),
    request: { type: 'object', description: 'the export asked for: scope, from, to, includeSnapshots' },
    requestedBy: str(),
    createdAt: instant,
    updatedAt: instant,
    expiresAt: instant,
    bytes: int({ minimum: 0 }),
    rootHash: nullable(str({ pattern: '^[0-9a-f]{64}$' })),
    reason: nullable(str({ description: 'why the job failed' })),
    bundle: nullable(str({ description: 'where to download the file, once done' })),
  }),
  ReplayReceipt: object({ id: str(), topic: str(), key: str(), replayedAt: instant, replays: int() }),
} satisfies Record<string, SchemaObject>;

/** Parameters, with the constraints the gateway enforces (400 or 404 when a value breaks them). */
export const PARAMETERS = {
  documentId: str({
    pattern: DOCUMENT_ID_PATTERN.source,
    maxLength: 401,
    example: 'acme-cloud__terms-of-service',
  }),
  service: str({ minLength: 1, maxLength: 200, description: 'The service name or its slug' }),
  version: int({ minimum: 1, maximum: 999_999_999 }),
  snapshotId: str({ pattern: '^[0-9a-f]{64}$' }),
  fetchId: str({ pattern: FETCH_EVENT_PATTERNS.fetchId.source, maxLength: 200 }),
  provisionId: str({ minLength: 1, maxLength: 200 }),
  limit: int({ minimum: 1, maximum: MAX_LIMIT, default: 50 }),
  quarantineStatus: str({ enum: ['parked', 'replayed'] }),
  quarantineKind: str({ enum: ['FetchQuarantined', 'ProjectionFailed'] }),
  quarantineId: str({ minLength: 1, maxLength: 500 }),
  exportJobId: str({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  async: str({ enum: ['true', 'false'], description: '"true": answer 202 with a job at once' }),
  versionCursor: str({ pattern: VERSION_CURSOR.source, description: 'nextCursor of the previous page' }),
  timelineCursor: str({ pattern: TIMELINE_CURSOR.source, description: 'nextCursor of the previous page' }),
  quarantineCursor: str({
    pattern: QUARANTINE_CURSOR.source,
    description: 'nextCursor of the previous page',
  }),
  serviceCursor: str({
    pattern: SERVICE_CURSOR.source,
    maxLength: 401,
    description: 'nextCursor of the previous page',
  }),
  instant: {
    description: 'A date (midnight UTC) or an RFC 3339 date-time',
    anyOf: [str({ format: 'date' }), str({ format: 'date-time' })],
  } as SchemaObject,
  include: str({
    enum: ['hidden'],
    description: '"hidden" adds technical upgrades and retracted flip-backs',
  }),
} satisfies Record<string, SchemaObject>;
