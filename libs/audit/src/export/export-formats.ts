import { readTar, TarFormatError, type TarFile } from '../tar';
import type { ExportFile } from './build-export';
import type { ExportManifest } from './export-manifest';
import { writeBundle } from './write-bundle';

/**
 * The three formats of an export. `bundle`: a tar of every file. `ndjson`: the same files, one JSON line each
 * (`{"path","encoding","content"}`; texts as UTF-8, snapshots as base64), for tools that read lines; the verifier
 * reads it like the bundle. `csv`: the timeline only, for spreadsheets; it proves nothing by itself.
 */
export const EXPORT_FORMATS = ['bundle', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  bundle: 'application/x-tar',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
};
export const EXTENSIONS: Record<ExportFormat, string> = { bundle: 'tar', ndjson: 'ndjson', csv: 'csv' };

const isText = (path: string): boolean => !path.startsWith('snapshots/') && !path.endsWith('.sig');

export function ndjsonLine(file: ExportFile): string {
  const encoding = isText(file.path) ? 'utf8' : 'base64';
  return `${JSON.stringify({ path: file.path, encoding, content: file.content.toString(encoding) })}\n`;
}

/** Writes an export in the given format, chunk by chunk; returns its manifest. */
export async function writeExport(
  format: ExportFormat,
  files: AsyncGenerator<ExportFile, ExportManifest>,
  write: (chunk: Buffer) => Promise<void> | void,
): Promise<ExportManifest> {
  if (format === 'bundle') return writeBundle(files, write);
  for (;;) {
    const next = await files.next();
    if (next.done) return next.value;
    if (format === 'ndjson') await write(Buffer.from(ndjsonLine(next.value), 'utf8'));
    else if (next.value.path === 'timeline.csv') await write(next.value.content);
  }
}

/** The files of a bundle or of its NDJSON form (told apart by the first byte: a tar never starts with "{"). */
export function readExportFiles(content: Buffer): TarFile[] {
  if (content[0] !== 0x7b) return readTar(content);
  const files: TarFile[] = [];
  const lines = content.toString('utf8').split('\n');
  const complete = lines[lines.length - 1] === '';
  if (!complete)
    throw new TarFormatError(
      'archive-truncated',
      `the NDJSON export's last line (${lines.length}) is cut short`,
    );
  lines.slice(0, -1).forEach((line, index) => {
    let record: { path?: unknown; encoding?: unknown; content?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      throw new TarFormatError('archive-corrupt', `line ${index + 1} of the NDJSON export is not JSON`);
    }
    if (
      typeof record.path !== 'string' ||
      typeof record.content !== 'string' ||
      (record.encoding !== 'utf8' && record.encoding !== 'base64')
    ) {
      throw new TarFormatError(
        'archive-corrupt',
        `line ${index + 1} of the NDJSON export is not a file record`,
      );
    }
    const content = Buffer.from(record.content, record.encoding);
    // Node's base64 decoder skips characters outside the alphabet: a damaged line could decode to the same bytes.
    if (record.encoding === 'base64' && content.toString('base64') !== record.content)
      throw new TarFormatError(
        'archive-corrupt',
        `line ${index + 1} of the NDJSON export holds content that is not canonical base64`,
      );
    files.push({ path: record.path, content });
  });
  return files;
}
