import { deflateSync } from 'node:zlib';
import { extractTextAsync } from './extract-text';
import { inflatesBeyond } from './pdf-stream-budget';

/** A PDF's bytes with the given stream objects (dictionary entries and raw data), enough for the scan. */
function pdfWith(streams: ReadonlyArray<{ entries: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n')];
  streams.forEach(({ entries, data }, index) => {
    parts.push(
      Buffer.from(`${index + 2} 0 obj\n<< ${entries} /Length ${data.length} >>\nstream\r\n`),
      data,
      Buffer.from('\nendstream\nendobj\n'),
    );
  });
  parts.push(Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n'));
  return Buffer.concat(parts);
}

const operators = (bytes: number) => Buffer.alloc(bytes, '0 0 m 1 1 l S\n');
const flate = (bytes: number) => deflateSync(operators(bytes), { level: 9 });
const MIB = 1024 * 1024;

describe('the inflated size of the streams of a PDF', () => {
  it('adds up the Flate streams and says when they pass the bound', () => {
    const two = pdfWith([
      { entries: '/Filter /FlateDecode', data: flate(3 * MIB) },
      { entries: '/Filter /FlateDecode', data: flate(3 * MIB) },
    ]);
    expect(two.length).toBeLessThan(100 * 1024);
    expect(inflatesBeyond(two, 5 * MIB)).toBe(true);
    expect(inflatesBeyond(two, 7 * MIB)).toBe(false);
  });

  it('counts nothing for data that does not inflate: no filter, another filter, damage', () => {
    const pdf = pdfWith([
      { entries: '/Filter /LZWDecode', data: operators(2 * MIB) },
      { entries: '', data: operators(2 * MIB) },
      { entries: '/Filter /FlateDecode', data: Buffer.from('not deflate at all') },
    ]);
    expect(inflatesBeyond(pdf, 1)).toBe(false);
  });

  it('reads the bytes, not the dictionary: hidden filters, a false image, layers of Flate all count', () => {
    for (const entries of [
      '/Filter /Fl#61teDecode',
      '/Filter 9 0 R',
      '/Subtype /Image /Filter /FlateDecode',
      '',
    ]) {
      expect(inflatesBeyond(pdfWith([{ entries, data: flate(2 * MIB) }]), MIB)).toBe(true);
    }
    // Deflated twice: the first layer is small, the second is not.
    const twice = deflateSync(flate(4 * MIB));
    expect(
      inflatesBeyond(pdfWith([{ entries: '/Filter [/FlateDecode /FlateDecode]', data: twice }]), 2 * MIB),
    ).toBe(true);
    // The word `stream` in a dictionary does not hide the stream after it.
    expect(
      inflatesBeyond(pdfWith([{ entries: '/Note (upstream and endstream)', data: flate(2 * MIB) }]), MIB),
    ).toBe(true);
  });

  it('refuses a file that would need more inflations than a real PDF, and reads plain `stream` words once', () => {
    // Each word followed by a zlib header and no valid data: 60,000 tries, past the bound.
    const decoys = Buffer.from(`%PDF-1.4\n${'stream\nx\u009cAAAA '.repeat(60_000)}`, 'latin1');
    expect(inflatesBeyond(decoys, MIB)).toBe(true);
    // Without a header nothing is tried: a file of words only holds nothing to count.
    expect(inflatesBeyond(Buffer.from(`%PDF-1.4\n${'stream '.repeat(200_000)}`), 1)).toBe(false);
  });

  it('reads a truncated stream as far as it goes', () => {
    const whole = flate(4 * MIB);
    const pdf = pdfWith([{ entries: '/Filter /FlateDecode', data: whole.subarray(0, whole.length >> 1) }]);
    expect(inflatesBeyond(pdf, MIB)).toBe(true);
  });

  it("refuses to read a bomb's text: the reader is never called, and the failure says why", async () => {
    // 160 MiB of drawing operators in a file of about 160 KB.
    const bomb = pdfWith([{ entries: '/Filter /FlateDecode', data: flate(160 * MIB) }]);
    expect(bomb.length).toBeLessThan(MIB / 2);
    const result = await extractTextAsync(
      {
        content: bomb,
        mimeType: 'application/pdf',
        fetchedAt: '2026-01-01T00:00:00Z',
        service: 'Bomb Co',
        documentType: 'Terms of Service',
      },
      undefined,
      { readPdf: () => Promise.reject(new Error('the reader must not be called')) },
    );
    expect(result).toMatchObject({ ok: false, code: 'too-large' });
    if (!result.ok) expect(result.reason).toMatch(/inflate to more than 128 MiB/);
  });
});
