export type DecodeResult =
  | { ok: true; text: string; rulesFired: string[] }
  | { ok: false; code: 'binary-content'; reason: string };

/** How much of the start of the content the binary check looks at. */
const SNIFF_LENGTH = 64 * 1024;
/** Share of control characters (other than tab, newline, carriage return, form feed) above which text is binary. */
const MAX_CONTROL_SHARE = 0.02;
/** Share of U+FFFD above which a decoded text is considered binary rather than badly encoded text. */
const MAX_REPLACEMENT_SHARE = 0.1;

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f;
}

function binaryReason(sample: ArrayLike<number>): string | null {
  const length = Math.min(sample.length, SNIFF_LENGTH);
  if (length === 0) return null;
  let controls = 0;
  for (let i = 0; i < length; i++) {
    const code = sample[i]!;
    if (code === 0) return 'contains NUL bytes';
    if (isControl(code)) controls++;
  }
  return controls / length > MAX_CONTROL_SHARE ? `${controls} control characters in the first ${length}` : null;
}

function stringCodes(text: string): ArrayLike<number> {
  const length = Math.min(text.length, SNIFF_LENGTH);
  const codes = new Uint16Array(length);
  for (let i = 0; i < length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

function replacementShare(text: string): number {
  const length = Math.min(text.length, SNIFF_LENGTH);
  if (length === 0) return 0;
  let count = 0;
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) === 0xfffd) count++;
  return count / length;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * Turns fetched content into text. Bytes are read as UTF-8 (what every source of the corpus serves); invalid
 * sequences become U+FFFD and the rule `invalid-utf8-replaced` says so. Content that looks binary (NUL bytes,
 * many control characters, mostly undecodable) is refused rather than turned into a garbage version.
 */
export function decodeContent(content: string | Uint8Array): DecodeResult {
  if (typeof content === 'string') {
    const reason = binaryReason(stringCodes(content));
    if (reason) return { ok: false, code: 'binary-content', reason };
    if (replacementShare(content) > MAX_REPLACEMENT_SHARE) {
      return { ok: false, code: 'binary-content', reason: 'mostly replacement characters' };
    }
    return { ok: true, text: content.charCodeAt(0) === 0xfeff ? content.slice(1) : content, rulesFired: [] };
  }
  const reason = binaryReason(content);
  if (reason) return { ok: false, code: 'binary-content', reason };
  try {
    return { ok: true, text: strictUtf8.decode(content), rulesFired: [] };
  } catch {
    const text = lenientUtf8.decode(content);
    if (replacementShare(text) > MAX_REPLACEMENT_SHARE) {
      return { ok: false, code: 'binary-content', reason: 'mostly not decodable as UTF-8' };
    }
    return { ok: true, text, rulesFired: ['invalid-utf8-replaced'] };
  }
}
