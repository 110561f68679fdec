import type { ChainLink } from '../hash-chain';
import type { ExportEvent } from './export-source';

/** One change of a document in an export: a version recorded or retracted, with the commit that holds it. */
export interface TimelineRow {
  event: ExportEvent;
  link: ChainLink;
}

const COLUMNS = [
  'document_id',
  'service',
  'document_type',
  'event',
  'version',
  'at',
  'technical_upgrade',
  'text_sha256',
  'retracted_reason',
  'stream_version',
  'commit_hash',
];

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, its quotes doubled. */
const field = (value: unknown): string => {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : value === null || value === undefined
          ? ''
          : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function timelineCsv(rows: readonly TimelineRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const { event, link } of rows) {
    const data = event.data as Record<string, unknown>;
    const recorded = event.type === 'VersionRecorded';
    lines.push(
      [
        data.documentId,
        recorded ? data.service : '',
        recorded ? data.documentType : '',
        event.type,
        data.version,
        recorded ? data.validFrom : data.at,
        recorded ? data.technicalUpgrade : '',
        recorded ? data.textSha256 : '',
        recorded ? '' : data.reason,
        event.streamVersion,
        link.hash,
      ]
        .map(field)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
