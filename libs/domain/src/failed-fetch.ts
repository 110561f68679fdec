/**
 * A fetch that did not bring the document: the site answered with an error page, a bot challenge, a login wall or
 * an empty shell in its place, often with a success status. Such a fetch is archived and recorded as a failed
 * observation (outcome `failed-fetch`), never as a version: recording it would make the real text come back as
 * a "change", or be retracted as a flip-back when the stand-in page returns.
 *
 * No one signal decides (a short policy is legitimate; a policy may mention "captcha"): the rule combines the HTTP
 * status, the declared region missing from the page, the markers the text engine found (see libs/text
 * page-signals) and the size of the text against the current version's.
 */

export type FailedFetchCode =
  'error-page' | 'bot-challenge' | 'login-wall' | 'empty-shell' | 'region-missing';

/** What the text engine read on a page: its words and the stand-in page markers it carries. */
export interface PageSignals {
  readonly words: number;
  readonly markers: readonly { readonly kind: string; readonly marker: string }[];
}

export interface FailedFetchInput {
  readonly httpStatus: number | null;
  /** Whether the extraction succeeded, and if not its code (`selector-matched-nothing`, `empty-text` …). */
  readonly extraction: { readonly ok: true } | { readonly ok: false; readonly code: string };
  /** The signals of the page fetched: the part's text, or the whole page when the declared region was missing. */
  readonly page: PageSignals | null;
  /** Words of the whole document's text after this fetch (all parts combined); null when extraction failed. */
  readonly words: number | null;
  /** Words of the current version's text; null when there is none yet. */
  readonly currentWords: number | null;
  /** The document is combined from parts: one part's page cannot be measured against the whole version. */
  readonly combined?: boolean;
}

export interface FailedFetch {
  readonly code: FailedFetchCode;
  /** The signals that decided it, for the record. */
  readonly reason: string;
}

/** Texts at most this long that carry a marker are stand-in pages even without a version to compare with. */
export const STAND_IN_MAX_WORDS = 120;
/** A text with a marker that has shrunk below this share of the current version is a stand-in page. */
export const STAND_IN_MAX_SHARE = 0.2;
/** Without any marker, a text this small (and below EMPTY_SHELL_MAX_SHARE of the current version) is a shell. */
export const EMPTY_SHELL_MAX_WORDS = 50;
export const EMPTY_SHELL_MAX_SHARE = 0.05;
/** Versions shorter than this are too short for the size of a new text to say anything. */
const SHELL_REFERENCE_MIN_WORDS = 200;

const KIND_PRIORITY: readonly FailedFetchCode[] = ['bot-challenge', 'login-wall', 'error-page'];

/** The code the markers point to, strongest first: a challenge page often also says "something went wrong". */
function markerCode(page: PageSignals | null): FailedFetchCode | null {
  const kinds = new Set(page?.markers.map((m) => m.kind) ?? []);
  return KIND_PRIORITY.find((kind) => kinds.has(kind)) ?? null;
}

const percent = (part: number, whole: number): string => `${Math.round((100 * part) / whole)}%`;

/** Whether the fetch failed, and why; null when it brought the document (or failed for reasons of our own). */
export function classifyFailedFetch(input: FailedFetchInput): FailedFetch | null {
  const signals: string[] = [];
  const { httpStatus, page, currentWords } = input;
  const httpFailed = httpStatus !== null && (httpStatus < 200 || httpStatus >= 400);
  if (httpFailed) signals.push(`HTTP status ${httpStatus}`);
  const byMarker = markerCode(page);
  if (page && page.markers.length > 0)
    signals.push(`markers ${page.markers.map((m) => `"${m.marker}" (${m.kind})`).join(', ')}`);
  const failed = (code: FailedFetchCode): FailedFetch => ({ code, reason: signals.join('; ') });

  if (!input.extraction.ok) {
    if (input.extraction.code === 'empty-text') {
      signals.push('no text on the page');
      return failed(byMarker ?? 'empty-shell');
    }
    if (input.extraction.code !== 'selector-matched-nothing')
      return httpFailed ? failed(byMarker ?? 'error-page') : null;
    signals.push('the declared region is missing');
    if (page) signals.push(`the page reads ${page.words} words`);
    if (byMarker) return failed(byMarker);
    if (httpFailed) return failed('error-page');
    if (page && page.words <= EMPTY_SHELL_MAX_WORDS) return failed('empty-shell');
    // The whole page is much smaller than the region it used to hold: a placeholder, not a redesign.
    if (page && !input.combined && currentWords !== null && page.words < STAND_IN_MAX_SHARE * currentWords) {
      signals.push(`${percent(page.words, currentWords)} of the current version's ${currentWords} words`);
      return failed('region-missing');
    }
    // A full page without the region and without any sign of failure is more likely a redesign the declaration
    // has not followed yet: that stays an extraction failure of ours.
    return null;
  }

  if (httpFailed) return failed(byMarker ?? 'error-page');
  const words = input.words ?? page?.words ?? 0;
  const pageWords = page?.words ?? words;
  if (byMarker) {
    if (pageWords <= STAND_IN_MAX_WORDS) {
      signals.push(`${pageWords} words`);
      return failed(byMarker);
    }
    if (currentWords !== null && currentWords > 0 && words < STAND_IN_MAX_SHARE * currentWords) {
      signals.push(
        `${words} words, ${percent(words, currentWords)} of the current version's ${currentWords}`,
      );
      return failed(byMarker);
    }
    return null;
  }
  if (
    currentWords !== null &&
    currentWords >= SHELL_REFERENCE_MIN_WORDS &&
    words <= EMPTY_SHELL_MAX_WORDS &&
    words < EMPTY_SHELL_MAX_SHARE * currentWords
  ) {
    signals.push(`${words} words, ${percent(words, currentWords)} of the current version's ${currentWords}`);
    return failed('empty-shell');
  }
  return null;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Per UTF-16 unit of the Basic Multilingual Plane, once looked up: 0 not yet, 1 letter or digit, 2 neither. */
const BMP_CLASS = new Uint8Array(0x10000);

function isLetterOrDigitUnit(code: number): boolean {
  if (code < 0x80) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  let known = BMP_CLASS[code]!;
  if (known === 0) {
    known = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
    BMP_CLASS[code] = known;
  }
  return known === 1;
}

/**
 * Words of a text, counted as the text engine counts them (runs of letters or digits, `/[\p{L}\p{N}]+/u`). One pass
 * over the code units with a table instead of the regular expression: it runs on every fetch and every version (the
 * decision, the page signals, the state fold), and the expression was a sixth of the versioning process's CPU.
 */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    let wordUnit: boolean;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        // A code point beyond the BMP: rare enough to ask the expression.
        wordUnit = LETTER_OR_DIGIT.test(text.slice(index, index + 2));
        index += 1;
      } else wordUnit = false;
    } else wordUnit = isLetterOrDigitUnit(code);
    if (wordUnit && !inWord) count += 1;
    inWord = wordUnit;
  }
  return count;
}
