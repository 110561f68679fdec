import { constants, inflateSync } from 'node:zlib';

/**
 * Bytes the Flate-compressed streams of a PDF may inflate to, in all, before its text is read. PDF text is read by
 * interpreting the content streams, and a stream of drawing operators compresses about a thousand to one: a 2 MB PDF
 * whose one page inflated to 1 GB held a text-work thread for minutes at 3.5 GB of memory, and the fetches of every
 * other document waited behind it. The streams of a real legal document inflate to a few megabytes (two manuals
 * checked: 0.25 and 0.5 MB), so the bound refuses only bombs. It is counted in bytes, not time, so that the same file
 * gets the same answer on a busy machine as on an idle one.
 */
export const MAX_PDF_INFLATED_BYTES = 128 * 1024 * 1024;

/**
 * Inflations tried per file at most: each costs a zlib instance (tens of microseconds) even when it fails at once, and
 * a hostile file of 16 MB can hold millions of `stream` words each followed by a zlib header. A real PDF has
 * thousands of streams; a file that needs more tries is refused like a bomb.
 */
const MAX_INFLATIONS = 50_000;
/** Flate layers undone per stream at most (a filter list may name FlateDecode several times). */
const MAX_LAYERS = 8;
const STREAM = Buffer.from('stream');

/**
 * A zlib header (method 8, check bits), as pdf.js's Flate reader requires: data without one is not tried, so that
 * the bytes after every `stream` word of a hostile file cost two reads, not a call into zlib.
 */
const hasZlibHeader = (data: Buffer) =>
  data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
const END_STREAM = Buffer.from('endstream');

/**
 * Whether the Flate-compressed streams of the PDF inflate to more than `maxBytes` in all. Each stream's data is
 * inflated for as long as it inflates, every layer counted, whatever its dictionary says: a dictionary can hide its
 * filter (`/Fl#61teDecode`, an indirect `/Filter`, a false `/Subtype /Image`) but not its bytes. Each inflation has
 * the budget left as its ceiling, so a bomb costs no more than the budget to detect. Data that does not inflate
 * (another filter, no filter, damage) fails at its first bytes and is left to the PDF reader. Not counted: the other
 * filters (LZW, run length), which pdf.js also undoes.
 */
export function inflatesBeyond(pdf: Uint8Array, maxBytes = MAX_PDF_INFLATED_BYTES): boolean {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  let left = maxBytes;
  let tries = 0;
  let at = bytes.indexOf(STREAM);
  let end = at === -1 ? -1 : bytes.indexOf(END_STREAM, at);
  while (at !== -1) {
    let start = at + STREAM.length;
    if (bytes[start] === 0x0d) start += 1;
    if (bytes[start] === 0x0a) start += 1;
    // The end found for an earlier word serves every word before it: a file of nothing but `stream` words is
    // scanned once, not once per word (1 MB of them took 82 s that way).
    if (end !== -1 && end < start) end = bytes.indexOf(END_STREAM, start);
    let data: Buffer = bytes.subarray(start, end === -1 ? bytes.length : end);
    let layers = 0;
    for (; layers < MAX_LAYERS && hasZlibHeader(data); layers += 1) {
      if (++tries > MAX_INFLATIONS) return true;
      try {
        // A sync flush reads what a truncated or padded stream holds rather than refusing it.
        data = inflateSync(data, { maxOutputLength: left + 1, finishFlush: constants.Z_SYNC_FLUSH });
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          return true;
        break;
      }
      left -= data.length;
      if (left < 0) return true;
    }
    // Past a stream that inflated, the next one starts after its data (which may itself hold the bytes `stream`).
    // Otherwise the word may have been anything (`(upstream)` in a dictionary): the search goes on right after it.
    const next = layers > 0 && end !== -1 ? end + END_STREAM.length : at + STREAM.length;
    at = bytes.indexOf(STREAM, next);
  }
  return false;
}
