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
  ValidateIf,
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

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]+$/;

export class FetchEventV1 {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9._:@\-/]+$/, {
    message: 'fetchId may only contain letters, digits and . _ : @ - /',
  })
  fetchId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'service has control characters' })
  service!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(NO_CONTROL_CHARACTERS, {
    message: 'documentType has control characters',
  })
  documentType!: string;

  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    {
      message: 'sourceUrl must be an http(s) URL',
    },
  )
  @MaxLength(2000)
  sourceUrl!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @Matches(NO_CONTROL_CHARACTERS, {
    message: 'sourcePart has control characters',
  })
  sourcePart?: string | null;

  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'fetchedAt must be an ISO 8601 date-time' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'fetchedAt must be an ISO 8601 date-time with a time zone',
  })
  fetchedAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  fetcher?: string;

  @IsIn(SUPPORTED_MIME_TYPES, { message: `mimeType must be one of: ${SUPPORTED_MIME_TYPES.join(', ')}` })
  mimeType!: SupportedMimeType;

  @IsOptional()
  @IsIn(['base64'], { message: 'encoding, when present, must be "base64"' })
  encoding?: 'base64';

  @IsString()
  @ValidateIf((event: FetchEventV1) => event.encoding === 'base64')
  @Matches(/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/, { message: 'content is not valid base64' })
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

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  maxContentBytes: 20 * 1024 * 1024,
  clockSkewMs: 5 * 60_000,
};

function describeErrors(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) =>
    error.constraints
      ? Object.values(error.constraints).map((message) => `${message}`)
      : describeErrors(error.children ?? []),
  );
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
