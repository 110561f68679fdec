import { compressionOf, splitLines } from './ndjson-reader';

// Arrays are async-iterable enough for splitLines, which only `for await`s its input.
const chunks = (...parts: string[]): Buffer[] => parts.map((part) => Buffer.from(part, 'utf8'));

const collect = async (input: Iterable<Buffer> | AsyncIterable<Buffer>) => {
  const lines = [];
  for await (const line of splitLines(input)) lines.push(line);
  return lines;
};

describe('splitLines', () => {
  it('joins a line split over many chunks, including inside a multi-byte character', async () => {
    const euro = Buffer.from('€', 'utf8');
    const lines = await collect([
      Buffer.from('{"a":"x'),
      euro.subarray(0, 1),
      Buffer.concat([euro.subarray(1), Buffer.from('"}\n{"b":1}\n')]),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['{"a":"x€"}', '{"b":1}']);
    expect(lines.map((l) => l.lineNumber)).toEqual([1, 2]);
    expect(lines[0]!.bytes).toBe(Buffer.byteLength('{"a":"x€"}'));
  });

  it('keeps a last line without newline, drops CR of CRLF, and counts empty lines', async () => {
    const lines = await collect(chunks('one\r\n\ntwo'));
    expect(lines.map((l) => [l.lineNumber, l.text])).toEqual([
      [1, 'one'],
      [2, ''],
      [3, 'two'],
    ]);
  });
});

describe('compressionOf', () => {
  it('knows the three extensions and refuses others', () => {
    expect(compressionOf('a.ndjson')).toBe('none');
    expect(compressionOf('a.ndjson.gz')).toBe('gzip');
    expect(compressionOf('a.ndjson.br')).toBe('brotli');
    expect(() => compressionOf('a.json')).toThrow(/expected a \.ndjson/);
  });
});
