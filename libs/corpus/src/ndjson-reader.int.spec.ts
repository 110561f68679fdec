import { tempDir } from '@termline/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { openNdjson } from './ndjson-reader';

/** Progress on compressed files counts the compressed bytes the decompressor consumed, not those read ahead. */
describe('openNdjson progress', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  // 400 records of ~20 KB of words drawn at random (seeded): each compresses about fivefold, alike, so a share of
  // the records read is about the same share of the compressed file.
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = Array.from({ length: 64 }, (_, i) => `word${i.toString(36)}`);
  const records = Array.from({ length: 400 }, (_, i) =>
    JSON.stringify({
      i,
      content: Array.from({ length: 3000 }, () => words[Math.floor(random() * words.length)]).join(' '),
    }),
  ).join('\n');

  it.each([
    [
      'brotli',
      'records.ndjson.br',
      (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
    ],
    ['gzip', 'records.ndjson.gz', (b: Buffer) => gzipSync(b)],
  ])(
    '%s: the share follows the records read, and reaches the whole file at the end',
    async (_name, file, compress) => {
      const path = join(dir.path, file);
      writeFileSync(path, compress(Buffer.from(records, 'utf8')));
      const source = openNdjson(path);
      const shares: number[] = [];
      let count = 0;
      for await (const _line of source.lines()) {
        count += 1;
        if (count % 100 === 0) shares.push(source.bytesRead() / source.fileBytes);
        if (count === 400) shares.push(source.bytesRead() / source.fileBytes);
      }
      expect(count).toBe(400);
      // A quarter of the records read: about a quarter of the file consumed (reads run ~0.5 MB, a third, ahead).
      expect(shares[0]).toBeGreaterThan(0.15);
      expect(shares[0]).toBeLessThan(0.35);
      expect(shares[1]).toBeLessThan(0.6);
      expect(shares.at(-1)).toBeGreaterThan(0.95);
    },
    30_000,
  );
});
