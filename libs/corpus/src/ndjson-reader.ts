import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';

/**
 * Streams the lines of an `.ndjson`, `.ndjson.gz` or `.ndjson.br` file. Lines are split by hand rather than with
 * readline: readline's async iterator buffers up to 1024 lines before pausing its input, and snapshot lines are
 * up to a few MB each, so that buffer alone could hold gigabytes. Here the stream's own back-pressure holds, and
 * memory is one partial line plus one decompressed chunk.
 */
export type Compression = 'none' | 'gzip' | 'brotli';

export function compressionOf(file: string): Compression {
  if (file.endsWith('.ndjson.br')) return 'brotli';
  if (file.endsWith('.ndjson.gz')) return 'gzip';
  if (file.endsWith('.ndjson')) return 'none';
  throw new Error(`${file}: expected a .ndjson, .ndjson.gz or .ndjson.br file`);
}

export interface NdjsonLine {
  /** 1-based line number in the uncompressed file. */
  lineNumber: number;
  text: string;
  /** Uncompressed bytes of the line, newline excluded. */
  bytes: number;
}

export interface NdjsonSource {
  /** Size of the file on disk (compressed). */
  fileBytes: number;
  /**
   * Bytes of the file consumed so far: the base of progress and ETA. For a compressed file, the compressed bytes
   * the decompressor has taken in, not those read from disk: the reader runs ahead of it by its buffers, and one
   * compressed chunk can hold hundreds of records, so counting reads put the share (and the ETA) ahead early on.
   */
  bytesRead(): number;
  lines(): AsyncGenerator<NdjsonLine>;
}

export function openNdjson(file: string): NdjsonSource {
  const compression = compressionOf(file);
  const fileBytes = statSync(file).size;
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  let decompressed: Readable = raw;
  let consumed = (): number => raw.bytesRead;
  if (compression !== 'none') {
    const engine =
      compression === 'brotli'
        ? createBrotliDecompress({ chunkSize: 256 * 1024 })
        : createGunzip({ chunkSize: 256 * 1024 });
    decompressed = raw.pipe(engine);
    // zlib's bytesWritten: the input the engine has actually consumed.
    consumed = () => engine.bytesWritten;
  }
  // A corrupt archive must fail the iteration, not hang it: forward the source's errors.
  if (decompressed !== raw) raw.on('error', (error) => decompressed.destroy(error));
  async function* lines(): AsyncGenerator<NdjsonLine> {
    try {
      yield* splitLines(decompressed);
    } finally {
      // Stopping early (a --limit) must release the file, not leave a paused pipe behind.
      decompressed.destroy();
      raw.destroy();
    }
  }
  return { fileBytes, bytesRead: () => consumed(), lines };
}

export async function* splitLines(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
): AsyncGenerator<NdjsonLine> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  const emit = (parts: Buffer[]): NdjsonLine => {
    lineNumber += 1;
    let line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    return { lineNumber, text: line.toString('utf8'), bytes: line.length };
  };
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let newline = buffer.indexOf(0x0a, start); newline !== -1; newline = buffer.indexOf(0x0a, start)) {
      pending.push(buffer.subarray(start, newline));
      const line = emit(pending);
      pending = [];
      yield line;
      start = newline + 1;
    }
    if (start < buffer.length) pending.push(buffer.subarray(start));
  }
  if (pending.length > 0) {
    const line = emit(pending);
    if (line.bytes > 0) yield line;
  }
}
