import { exportFilesOf, indexTar, type ExportFiles } from '@termline/audit';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

/**
 * An export on disk for the verifier. A bundle is indexed by its headers and each file read when it is checked,
 * so memory holds one file at a time, whatever the bundle's size; the NDJSON form is read whole.
 */
export function openExportFile(path: string): { files: () => ExportFiles; close(): void } {
  const fd = openSync(path, 'r');
  const bytes = fstatSync(fd).size;
  const readAt = (offset: number, length: number): Buffer => {
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, bytes - offset)));
    let done = 0;
    while (done < buffer.length) {
      const read = readSync(fd, buffer, done, buffer.length - done, offset + done);
      if (read === 0) break;
      done += read;
    }
    return buffer;
  };
  const files = (): ExportFiles => {
    if (bytes > 0 && readAt(0, 1)[0] === 0x7b) return exportFilesOf(readFileSync(path));
    const entries = new Map(indexTar(readAt, bytes).map((entry) => [entry.path, entry]));
    return {
      bytes,
      paths: () => [...entries.keys()],
      get: (file) => {
        const entry = entries.get(file);
        return entry ? readAt(entry.offset, entry.size) : undefined;
      },
    };
  };
  return { files, close: () => closeSync(fd) };
}
