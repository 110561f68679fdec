export type DecodeResult =
  { ok: true; text: string; rulesFired: string[] } | { ok: false; code: 'binary-content'; reason: string };

/** How much of the start of the content the binary check looks at. */
const SNIFF_LENGTH = 16 * 1024;
/** Share of control characters (other than tab, newline, carriage return, form feed) above which text is binary. */
const MAX_CONTROL_SHARE = 0.02;
/** Share of U+FFFD above which a decoded text is considered binary rather than badly encoded text. */
const MAX_REPLACEMENT_SHARE = 0.1;

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f;
}

interface Sniffed {
  readonly length: number;
  readonly nul: boolean;
  readonly controls: number;
  readonly replacements: number;
}

/** One pass over the start of the content: NULs, control characters and U+FFFD (strings only). */
function sniff(content: string | Uint8Array): Sniffed {
  const length = Math.min(content.length, SNIFF_LENGTH);
  let controls = 0;
  let replacements = 0;
  if (typeof content === 'string') {
    for (let i = 0; i < length; i++) {
      const code = content.charCodeAt(i);
      if (code < 0x20 || code === 0x7f) {
        if (code === 0) return { length, nul: true, controls, replacements };
        if (isControl(code)) controls++;
      } else if (code === 0xfffd) replacements++;
    }
  } else {
    for (let i = 0; i < length; i++) {
      const code = content[i]!;
      if (code < 0x20 || code === 0x7f) {
        if (code === 0) return { length, nul: true, controls, replacements };
        if (isControl(code)) controls++;
      }
    }
  }
  return { length, nul: false, controls, replacements };
}

function binaryReason(sniffed: Sniffed): string | null {
  if (sniffed.nul) return 'contains NUL bytes';
  if (sniffed.length > 0 && sniffed.controls / sniffed.length > MAX_CONTROL_SHARE) {
    return `${sniffed.controls} control characters in the first ${sniffed.length}`;
  }
  if (sniffed.length > 0 && sniffed.replacements / sniffed.length > MAX_REPLACEMENT_SHARE)
    return 'mostly replacement characters';
  return null;
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
    const reason = binaryReason(sniff(content));
    if (reason) return { ok: false, code: 'binary-content', reason };
    return { ok: true, text: content.charCodeAt(0) === 0xfeff ? content.slice(1) : content, rulesFired: [] };
  }
  const reason = binaryReason(sniff(content));
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
