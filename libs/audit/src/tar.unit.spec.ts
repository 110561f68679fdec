import { readTar, tarEnd, tarEntry, TarFormatError } from './tar';

const archive = (files: Array<[string, string]>): Buffer =>
  Buffer.concat([
    ...files.flatMap(([path, content]) => tarEntry(path, Buffer.from(content, 'utf8'))),
    tarEnd(),
  ]);

describe('tar', () => {
  it('reads back what it wrote: short, prefixed and very long (PAX) paths, empty and multi-block contents', () => {
    const long = `documents/${'a'.repeat(120)}__${'b'.repeat(90)}/texts/1.txt`;
    const veryLong = `documents/${'x'.repeat(300)}/events.ndjson`;
    const files: Array<[string, string]> = [
      ['manifest.json', '{"a":1}'],
      [`documents/${'p'.repeat(80)}/texts/${'n'.repeat(60)}.txt`, 'prefixed'],
      [long, 'é€𝄞'],
      [veryLong, 'line\n'.repeat(300)],
      ['empty.txt', ''],
    ];
    const bytes = archive(files);
    expect(bytes.length % 512).toBe(0);
    expect(readTar(bytes).map((f) => [f.path, f.content.toString('utf8')])).toEqual(files);
  });

  it('names a cut-short archive and a damaged header', () => {
    const bytes = archive([['a.txt', 'x'.repeat(2000)]]);
    const cut = (n: number) => () => readTar(bytes.subarray(0, n));
    expect(cut(1000)).toThrow(expect.objectContaining({ check: 'archive-truncated' }));
    expect(cut(bytes.length - 512)).toThrow(/end marker/);
    expect(cut(100)).toThrow(TarFormatError);
    const damaged = Buffer.from(bytes);
    damaged[10] = 0x41;
    expect(() => readTar(damaged)).toThrow(expect.objectContaining({ check: 'archive-corrupt' }));
  });
});
