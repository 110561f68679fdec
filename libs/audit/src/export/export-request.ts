import { EXPORT_FORMATS, type ExportFormat } from './export-formats';
import type { ExportRequest } from './export-manifest';

/** What a caller may ask for, before validation: the HTTP body and the CLI flags both come down to this. */
export interface RawExportRequest {
  document?: unknown;
  service?: unknown;
  from?: unknown;
  to?: unknown;
  format?: unknown;
  snapshots?: unknown;
}

/** The shapes an export request accepts, one definition for the validation and the OpenAPI document. */
export const EXPORT_REQUEST_PATTERNS = {
  document: /^[a-z0-9]+(?:-[a-z0-9]+)*__[a-z0-9]+(?:-[a-z0-9]+)*$/,
  service: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  instant: /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/,
};
const EXPORT_REQUEST_FIELDS: ReadonlySet<string> = new Set([
  'document',
  'service',
  'from',
  'to',
  'format',
  'snapshots',
]);
const INSTANT = EXPORT_REQUEST_PATTERNS.instant;

/**
 * Validates an export request: at most one of document and service (neither: the whole collection), dates as
 * ISO 8601 (a bare date is midnight UTC), from not after to. Returns every problem, not the first.
 */
export function parseExportRequest(
  raw: RawExportRequest,
): { request: ExportRequest; format: ExportFormat } | { errors: string[] } {
  const errors: string[] = [];
  for (const field of Object.keys(raw)) {
    if (!EXPORT_REQUEST_FIELDS.has(field)) errors.push(`unknown field "${field}"`);
  }
  // Absent is absent; anything given must be a non-empty string (null or "" is a mistake, not a default).
  const text = (name: keyof RawExportRequest): string | null => {
    const value = raw[name];
    if (value === undefined) return null;
    if (typeof value !== 'string' || value === '') {
      errors.push(`${name} must be a non-empty string`);
      return null;
    }
    return value;
  };
  const document = text('document');
  const service = text('service');
  if (document !== null && !EXPORT_REQUEST_PATTERNS.document.test(document))
    errors.push(`document must be a document id (<service>__<type>), got "${document}"`);
  if (service !== null && !EXPORT_REQUEST_PATTERNS.service.test(service))
    errors.push(`service must be a service slug, got "${service}"`);
  if (document !== null && service !== null) errors.push('give a document or a service, not both');
  const instant = (name: 'from' | 'to'): string | null => {
    const value = text(name);
    if (value === null) return null;
    if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
      errors.push(`${name} must be an ISO 8601 date or instant, got "${value}"`);
      return null;
    }
    return new Date(value.length === 10 && name === 'to' ? `${value}T23:59:59.999Z` : value).toISOString();
  };
  const from = instant('from');
  const to = instant('to');
  if (from !== null && to !== null && from > to) errors.push('from is after to');
  const format = text('format') ?? 'bundle';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    errors.push(`format must be one of ${EXPORT_FORMATS.join(', ')}, got "${format}"`);
  if (raw.snapshots !== undefined && typeof raw.snapshots !== 'boolean')
    errors.push('snapshots must be true or false');
  if (errors.length > 0) return { errors };
  return {
    format: format as ExportFormat,
    request: {
      scope:
        document !== null
          ? { kind: 'document', documentId: document }
          : service !== null
            ? { kind: 'service', service }
            : { kind: 'collection' },
      from,
      to,
      includeSnapshots: raw.snapshots === true,
    },
  };
}
