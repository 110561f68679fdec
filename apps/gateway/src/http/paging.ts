import { ProblemException } from './problem';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ProblemException(400, 'invalid-request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** Opaque cursors: base64url JSON, checked on the way back in. */
export const encodeCursor = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeCursor<T>(raw: string | undefined, isValid: (value: unknown) => value is T): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (isValid(value)) return value;
  } catch {
    // fall through to the problem below
  }
  throw new ProblemException(400, 'invalid-request', 'cursor is not one this API handed out');
}

export function parseInstant(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw new ProblemException(400, 'invalid-request', `${name} must be an ISO 8601 date or date-time`);
  return new Date(ms).toISOString();
}

export function parsePositiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new ProblemException(400, 'invalid-request', `${name} must be a positive integer`);
  return value;
}
