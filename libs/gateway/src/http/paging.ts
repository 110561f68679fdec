import { ProblemException } from './problem';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/**
 * Provisions of one version per page (a document's provisions, a document as of a date): most documents fit one.
 * Unpaged, a 12,000-section document's as-of was one body of 42 MB, and building it held every request for 2.3 s.
 */
export const PROVISION_PAGE_LIMIT = 500;
/**
 * Documents or services per page of the catalogue (default and most). Unpaged, 5,000 documents were one body of
 * 3 MB built in one turn of the event loop, and a `limit` was silently ignored.
 */
export const CATALOGUE_PAGE_LIMIT = 500;

export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  // Decimal digits only: Number() would also take '0x10', '1e2', ' 5' or '5.0'.
  const limit = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ProblemException(400, 'invalid-request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/**
 * Cursors are positions, written plainly so that their OpenAPI pattern says exactly which are valid: the last
 * version (or stream version) of the page before, or the last timeline entry's `<at>~<entryId>`. Any value of the
 * pattern is a position, so a cursor not handed out is still answered consistently; anything else is a 400.
 */
export const VERSION_CURSOR = /^[1-9][0-9]{0,8}$/;
export const TIMELINE_CURSOR =
  /^(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z)~([A-Za-z0-9_:-]{1,400})$/;

/** A service cursor (services, comparisons): the last service slug of the page before. */
export const SERVICE_CURSOR = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const versionCursorOf = (version: number): string => String(version);
export const timelineCursorOf = (at: string, entryId: string): string => `${at}~${entryId}`;

export function parseVersionCursor(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!VERSION_CURSOR.test(raw)) throw badCursor();
  return Number(raw);
}

/**
 * A cursor over provision forms: `<documentId>~<provisionId>~<fromVersion>` of the last form of the page before
 * (forms are answered in that order).
 */
export const FORM_CURSOR =
  /^([a-z0-9]+(?:-[a-z0-9]+)*__[a-z0-9]+(?:-[a-z0-9]+)*)~([a-z0-9]+(?:-[a-z0-9]+)*)~([1-9][0-9]{0,8})$/;

export const formCursorOf = (form: {
  documentId: string;
  provisionId: string;
  fromVersion: number;
}): string => `${form.documentId}~${form.provisionId}~${form.fromVersion}`;

export function parseFormCursor(
  raw: string | undefined,
): { documentId: string; provisionId: string; fromVersion: number } | undefined {
  if (raw === undefined) return undefined;
  const match = raw.length <= 700 ? FORM_CURSOR.exec(raw) : null;
  if (!match) throw badCursor();
  return { documentId: match[1]!, provisionId: match[2]!, fromVersion: Number(match[3]) };
}

/** A cursor over parked messages, newest first: `<quarantinedAt>~<id>` of the last one of the page before. */
export const QUARANTINE_CURSOR =
  /^(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z)~([A-Za-z0-9_.:-]{1,200})$/;

export const quarantineCursorOf = (record: { quarantinedAt: string; id: string }): string =>
  `${record.quarantinedAt}~${record.id}`;

export function parseQuarantineCursor(
  raw: string | undefined,
): { quarantinedAt: string; id: string } | undefined {
  if (raw === undefined) return undefined;
  const match = QUARANTINE_CURSOR.exec(raw);
  if (!match) throw badCursor();
  return { quarantinedAt: match[1]!, id: match[2]! };
}

/** The catalogue's cursors: a document id or a service slug, checked against their pattern. */
export function parseCatalogueCursor(raw: string | undefined, pattern: RegExp): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length > 401 || !pattern.test(raw)) throw badCursor();
  return raw;
}

export function parseTimelineCursor(raw: string | undefined): { at: string; entryId: string } | undefined {
  if (raw === undefined) return undefined;
  const match = TIMELINE_CURSOR.exec(raw);
  if (!match) throw badCursor();
  return { at: match[1]!, entryId: match[2]! };
}

const badCursor = () =>
  new ProblemException(
    400,
    'invalid-request',
    'cursor is not a position this API hands out (use nextCursor)',
  );

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2}):(\d{2})))?$/;

/**
 * A date (`2026-03-01`, midnight UTC) or an RFC 3339 date-time, every field checked against the calendar:
 * Date.parse would roll `2026-02-30` over to March 2.
 */
export function parseInstant(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = INSTANT.exec(raw);
  const field = (index: number): number => Number(m?.[index] ?? 0);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(field) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [offsetHours, offsetMinutes] = [field(10), field(11)];
  const valid =
    m !== null &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid)
    throw new ProblemException(
      400,
      'invalid-request',
      `${name} must be an ISO 8601 date or an RFC 3339 date-time`,
    );
  const offsetMs = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const fractionMs = Math.floor(Number(`0${m[7] ?? ''}`) * 1000);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, leaves years 0-99 alone
  utc.setUTCHours(hour, minute, second, fractionMs);
  return new Date(utc.getTime() - offsetMs).toISOString();
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** An optional name filter: 1 to 200 characters, like the names it is compared with. */
export function parseName(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length < 1 || raw.length > 200)
    throw new ProblemException(400, 'invalid-request', `${name} must be 1 to 200 characters`);
  return raw;
}

/** A positive integer no larger than `max` (undefined when absent). */
export function parseBoundedInt(name: string, raw: string | undefined, max: number): number | undefined {
  const value = parsePositiveInt(name, raw);
  if (value !== undefined && value > max)
    throw new ProblemException(400, 'invalid-request', `${name} must be an integer from 1 to ${max}`);
  return value;
}

export function parsePositiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1)
    throw new ProblemException(400, 'invalid-request', `${name} must be a positive integer`);
  return value;
}
