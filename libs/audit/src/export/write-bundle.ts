import { tarEnd, tarEntry } from '../tar';
import type { ExportFile } from './build-export';
import type { ExportManifest } from './export-manifest';

/** Writes an export's files as one tar bundle, chunk by chunk, and returns its manifest. */
export async function writeBundle(
  files: AsyncGenerator<ExportFile, ExportManifest>,
  write: (chunk: Buffer) => Promise<void> | void,
): Promise<ExportManifest> {
  for (;;) {
    const next = await files.next();
    if (next.done) {
      await write(tarEnd());
      return next.value;
    }
    for (const block of tarEntry(next.value.path, next.value.content)) await write(block);
  }
}

/** The bundle in memory: for tests and small exports. */
export async function bundleOf(
  files: AsyncGenerator<ExportFile, ExportManifest>,
): Promise<{ bundle: Buffer; manifest: ExportManifest }> {
  const chunks: Buffer[] = [];
  const manifest = await writeBundle(files, (chunk) => {
    chunks.push(chunk);
  });
  return { bundle: Buffer.concat(chunks), manifest };
}
