import { constants, inflateSync } from 'node:zlib';

/**
 * Bytes the Flate-compressed streams of a PDF may inflate to, images left out, before its text is read. PDF text is
 * read by interpreting the content streams, and a stream of drawing operators compresses about a thousand to one: a
 * 2 MB PDF whose one page inflated to 1 GB held a text-work thread for minutes at 3.5 GB of memory, and the fetches
 * of every other document waited behind it. The contents of a real legal document are a few megabytes at most
 * (images, which a text read never decodes, are not counted), so the bound refuses only bombs. It is counted in
 * bytes, not time, so that the same file gets the same answer on a busy machine as on an idle one.
 */
export const MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024;

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');
// How far back from its `stream` keyword a stream's dictionary is looked for.
const DICTIONARY_WINDOW = 4096;

/**
 * Whether the Flate-compressed streams of the PDF, images left out, inflate to more than `maxBytes` in all. Each
 * stream is inflated with the budget left as its ceiling, so a bomb costs no more than the budget to detect. A
 * stream that does not inflate (another filter, damage) is left to the PDF reader, which says what is wrong with it.
 */
export function inflatesBeyond(pdf: Uint8Array, maxBytes = MAX_PDF_INFLATED_BYTES): boolean {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  let left = maxBytes;
  for (let at = bytes.indexOf(STREAM); at !== -1; at = bytes.indexOf(STREAM, at + STREAM.length)) {
    // `endstream` contains `stream`: only a keyword after a dictionary opens one.
    if (at >= 3 && bytes.subarray(at - 3, at).toString('latin1') === 'end') continue;
    const dictionary = bytes.subarray(Math.max(0, at - DICTIONARY_WINDOW), at).toString('latin1');
    const opened = dictionary.lastIndexOf(' obj');
    const own = opened === -1 ? dictionary : dictionary.slice(opened);
    if (!/\/(FlateDecode|Fl)\b/.test(own) || /\/Subtype\s*\/Image\b/.test(own)) continue;
    let start = at + STREAM.length;
    if (bytes[start] === 0x0d) start += 1;
    if (bytes[start] === 0x0a) start += 1;
    const end = bytes.indexOf(END_STREAM, start);
    const data = bytes.subarray(start, end === -1 ? bytes.length : end);
    try {
      // A sync flush reads what a truncated or padded stream holds rather than refusing it.
      left -= inflateSync(data, { maxOutputLength: left + 1, finishFlush: constants.Z_SYNC_FLUSH }).length;
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        return true;
      continue;
    }
    if (left < 0) return true;
  }
  return false;
}
