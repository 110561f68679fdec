import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { DomainError } from './errors';

/**
 * Fetch event contract, version 1: one fetch of one source page of a document. The same decoder guards every
 * edge (HTTP ingest, the Kafka consumer, the replay CLI), so the rules live in exactly one place.
 */
export const SUPPORTED_MIME_TYPES = [
  'text/html',
  'application/xhtml+xml',
  'text/plain',
  'text/markdown',
  'application/pdf',
] as const;
export type SupportedMimeType = (typeof SUPPORTED_MIME_TYPES)[number];

/**
 * Names are shown to people and compared by slug, so characters that are invisible or reorder what is shown are
 * refused: C0 and C1 controls, zero-width characters and joiners, soft hyphen, bidirectional marks, embeddings,
 * overrides and isolates, and the byte order mark. Service and document type names also need an ASCII letter or
 * digit, so that their slug, and the document id, is never empty.
 */
const VISIBLE =
  '[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]';
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

/** The patterns of the contract, also published as its JSON schema (the gateway's OpenAPI document). */
export const FETCH_EVENT_PATTERNS = {
  fetchId: /^[A-Za-z0-9._:@\-/]+$/,
  name: new RegExp(`^${VISIBLE}*[A-Za-z0-9]${VISIBLE}*$`),
  text: new RegExp(`^${VISIBLE}+$`),
  // A host name whose last label starts with a letter (no IP literals), an optional port, then anything but
  // spaces and angle brackets: a subset of what IsUrl accepts, so that the schema and the decoder agree.
  sourceUrl: new RegExp(
    `^https?://(?:${HOST_LABEL}\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::${PORT})?(?:[/?#][^\\s<>]*)?$`,
  ),
  fetchedAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
} as const;

const NAME_MESSAGE = 'has control, invisible or bidirectional formatting characters';
const NAME_RULE = `${NAME_MESSAGE}, or no ASCII letter or digit (its slug would be empty)`;

/** Strict base64: whole 4-character groups, padding only at the end (line breaks allowed between groups). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A UTF-16 surrogate without its pair: JSON can carry one (\ud800), UTF-8 cannot, so the bytes would change. */
/** `String.prototype.isWellFormed` (Node 20): native, where the equivalent expression scanned every content twice. */
const hasLoneSurrogate = (value: string): boolean =>
  !(value as string & { isWellFormed(): boolean }).isWellFormed();

export class FetchEventV1 {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(FETCH_EVENT_PATTERNS.fetchId, {
    message: 'fetchId may only contain letters, digits and . _ : @ - /',
  })
  fetchId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(FETCH_EVENT_PATTERNS.name, { message: `service ${NAME_RULE}` })
  service!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(FETCH_EVENT_PATTERNS.name, { message: `documentType ${NAME_RULE}` })
  documentType!: string;

  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    {
      message: 'sourceUrl must be an http(s) URL',
    },
  )
  @Matches(FETCH_EVENT_PATTERNS.sourceUrl, {
    message: 'sourceUrl must be an http(s) URL with a host name (no IP address), without spaces or < >',
  })
  @MaxLength(2000)
  sourceUrl!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @Matches(FETCH_EVENT_PATTERNS.text, { message: `sourcePart ${NAME_MESSAGE}` })
  sourcePart?: string | null;

  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'fetchedAt must be an ISO 8601 date-time' })
  @Matches(FETCH_EVENT_PATTERNS.fetchedAt, {
    message: 'fetchedAt must be an ISO 8601 date-time with a time zone',
  })
  fetchedAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(FETCH_EVENT_PATTERNS.text, { message: `fetcher ${NAME_MESSAGE}` })
  fetcher?: string;

  @IsIn(SUPPORTED_MIME_TYPES, { message: `mimeType must be one of: ${SUPPORTED_MIME_TYPES.join(', ')}` })
  mimeType!: SupportedMimeType;

  @IsOptional()
  @IsIn(['base64'], { message: 'encoding, when present, must be "base64"' })
  encoding?: 'base64';

  // Base64 is checked after validation: a ValidateIf here would switch off IsString as well.
  @IsString({ message: 'content must be a string' })
  content!: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  httpStatus?: number;
}

/** A validated fetch, with its body decoded to bytes. */
export interface FetchEvent {
  fetchId: string;
  service: string;
  documentType: string;
  sourceUrl: string;
  sourcePart: string | null;
  fetchedAt: string;
  fetcher: string | null;
  mimeType: SupportedMimeType;
  httpStatus: number | null;
}

export interface DecodedFetch {
  event: FetchEvent;
  body: Buffer;
}

export interface FetchLimits {
  maxContentBytes: number;
  /** How far in the future a fetchedAt may be, to absorb clock skew between fetchers and us. */
  clockSkewMs: number;
}

/**
 * Largest content accepted, by ingest and by extraction alike: eight times the largest page of the corpus (about
 * 2.2 MB). Dense markup costs about 0.3 CPU-second and 40 MB of memory per MB to extract.
 */
export const DEFAULT_MAX_CONTENT_BYTES = 16 * 1024 * 1024;

/** How far ahead of our clock a fetcher's clock may run. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The limits every decoder of fetch events applies (ingest, the versioning consumer, the CLI's replay and import). */
export const fetchLimits = (maxContentBytes: number): FetchLimits => ({
  maxContentBytes,
  clockSkewMs: CLOCK_SKEW_MS,
});

// The text engine's cap: a fetch accepted here is never refused later as too large to extract.
export const DEFAULT_FETCH_LIMITS: FetchLimits = fetchLimits(DEFAULT_MAX_CONTENT_BYTES);

function describeErrors(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) =>
    error.constraints
      ? Object.values(error.constraints).map((message) => `${message}`)
      : describeErrors(error.children ?? []),
  );
}

const FIELDS: ReadonlySet<string> = new Set([
  'fetchId',
  'service',
  'documentType',
  'sourceUrl',
  'sourcePart',
  'fetchedAt',
  'fetcher',
  'mimeType',
  'encoding',
  'content',
  'httpStatus',
]);

/**
 * What class-validator cannot see: own keys such as `__proto__` or `constructor` (JSON.parse makes them plain
 * properties, the class instance then hides them), nested values (a fetch event is flat, and walking a deeply
 * nested one overflows the stack), and strings UTF-8 cannot carry.
 */
function shapeProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (!FIELDS.has(key)) problems.push(`property ${key} should not exist`);
    else if (typeof value === 'object' && value !== null)
      problems.push(`${key} must not be an object or an array`);
    else if (typeof value === 'string' && hasLoneSurrogate(value)) {
      problems.push(`${key} has an unpaired UTF-16 surrogate, which UTF-8 cannot encode`);
    }
  }
  return problems;
}

/** Rules across fields: base64 of a whole number of groups when the encoding says base64. */
function contentProblems(candidate: FetchEventV1): string[] {
  const problems: string[] = [];
  if (candidate.encoding === 'base64' && !BASE64.test(candidate.content.replace(/\r?\n/g, ''))) {
    problems.push('content is not valid base64 (whole groups of 4 characters, padded with =)');
  }
  return problems;
}

/** Decodes and validates one fetch event. `now` comes from the caller: the domain never reads the clock. */
export function decodeFetchEvent(
  raw: unknown,
  now: Date,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): DecodedFetch {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DomainError('invalid-fetch', 'A fetch event must be a JSON object');
  }
  const shapeErrors = shapeProblems(raw as Record<string, unknown>);
  if (shapeErrors.length > 0) {
    throw new DomainError('invalid-fetch', `Invalid fetch event: ${shapeErrors.join('; ')}`, shapeErrors);
  }
  const candidate = plainToInstance(FetchEventV1, raw, { enableImplicitConversion: false });
  const errors = validateSync(candidate, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) {
    const details = describeErrors(errors);
    throw new DomainError('invalid-fetch', `Invalid fetch event: ${details.join('; ')}`, details);
  }
  const contentErrors = contentProblems(candidate);
  if (contentErrors.length > 0) {
    throw new DomainError('invalid-fetch', `Invalid fetch event: ${contentErrors.join('; ')}`, contentErrors);
  }
  const fetchedAtMs = Date.parse(candidate.fetchedAt);
  if (Number.isNaN(fetchedAtMs)) {
    throw new DomainError('invalid-fetch', `Invalid fetch event: fetchedAt is not a real date`, [
      'fetchedAt',
    ]);
  }
  if (fetchedAtMs > now.getTime() + limits.clockSkewMs) {
    throw new DomainError(
      'invalid-fetch',
      `Invalid fetch event: fetchedAt ${candidate.fetchedAt} is in the future`,
      ['fetchedAt is in the future'],
    );
  }
  const body =
    candidate.encoding === 'base64'
      ? Buffer.from(candidate.content, 'base64')
      : Buffer.from(candidate.content, 'utf8');
  if (body.length > limits.maxContentBytes) {
    throw new DomainError(
      'content-too-large',
      `Content is ${body.length} bytes, over the limit of ${limits.maxContentBytes} bytes`,
    );
  }
  return {
    event: {
      fetchId: candidate.fetchId,
      service: candidate.service.trim(),
      documentType: candidate.documentType.trim(),
      sourceUrl: candidate.sourceUrl,
      sourcePart: candidate.sourcePart ?? null,
      fetchedAt: new Date(fetchedAtMs).toISOString(),
      fetcher: candidate.fetcher ?? null,
      mimeType: candidate.mimeType,
      httpStatus: candidate.httpStatus ?? null,
    },
    body,
  };
}
