import { compressionOf, splitLines } from './ndjson-reader';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part, 'utf8');
}

const collect = async (input: AsyncIterable<Buffer>) => {
  const lines = [];
  for await (const line of splitLines(input)) lines.push(line);
  return lines;
};

describe('splitLines', () => {
  it('joins a line split over many chunks, including inside a multi-byte character', async () => {
    const euro = Buffer.from('€', 'utf8');
    async function* split(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":"x');
      yield euro.subarray(0, 1);
      yield Buffer.concat([euro.subarray(1), Buffer.from('"}\n{"b":1}\n')]);
    }
    const lines = await collect(split());
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
