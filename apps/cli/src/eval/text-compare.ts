/**
 * How the evaluation compares two texts. Open Terms Archive's Markdown and Termline's differ in ways that are
 * not changes of the document: whitespace, and the tracking query strings that pages add to their links. These
 * helpers make those differences vanish, and nothing else.
 */

// Invisible format characters (zero-width space, joiners, word joiner, BOM, soft hyphen) count as whitespace of
// no width: pages sprinkle them, OTA keeps them, Termline's normalisation drops them.
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** Invisible characters dropped, and every run of whitespace, newlines included, made one space. */
export const collapseWhitespace = (text: string): string =>
  text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();

const withoutQuery = (url: string): string => {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const hash = url.indexOf('#', question);
  return url.slice(0, question) + (hash === -1 ? '' : url.slice(hash));
};

// A Markdown link or image target `](target "title")`, and a bare or autolinked absolute URL.
const LINK_TARGET = /\]\(\s*<?([^)\s>]*)>?((?:\s+"[^"]*")?\s*)\)/g;
const ABSOLUTE_URL = /\bhttps?:\/\/[^\s<>()[\]"']+/g;

/** Drops the query string of every link target and URL (their fragment stays). */
export function stripUrlQueries(text: string): string {
  return text
    .replace(LINK_TARGET, (_match, target: string, title: string) => `](${withoutQuery(target)}${title})`)
    .replace(ABSOLUTE_URL, (url) => withoutQuery(url));
}

/** Drops link targets and URLs altogether: what is left is the words of the document. */
export function withoutLinkTargets(text: string): string {
  return text.replace(LINK_TARGET, '](…)').replace(ABSOLUTE_URL, '…');
}

/** The form in which two versions' texts are compared: whitespace collapsed, URL query strings dropped. */
export const comparableText = (text: string): string => collapseWhitespace(stripUrlQueries(text));

export const sameTextModuloWhitespace = (a: string, b: string): boolean =>
  a === b || collapseWhitespace(a) === collapseWhitespace(b);

export const sameComparableText = (a: string, b: string): boolean =>
  a === b || comparableText(a) === comparableText(b);

/** Equal once link targets are ignored: the words are the same, only where the links point changed. */
export const sameWordsIgnoringLinks = (a: string, b: string): boolean =>
  collapseWhitespace(withoutLinkTargets(a)) === collapseWhitespace(withoutLinkTargets(b));

/**
 * The text as a reader sees it once rendered: Markdown markup dropped (heading markers and underlines, thematic
 * breaks, code fences, images, `<br>`, emphasis, backslash escapes, bullets and quote markers, table pipes, link targets),
 * whitespace collapsed per line. Not the measure of the targets (which compare the Markdown itself), but what
 * tells a difference of words from a difference of Markdown style.
 */
export function renderedLines(text: string): string[] {
  return (
    text
      .replace(INVISIBLE, '')
      .replace(/<br\s*\/?>/gi, '\n')
      // Images are not words (OTA writes their alt text, Termline drops them).
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      // Link text may hold brackets itself ([[email protected]](…)).
      .replace(/\[((?:[^[\]]|\[[^\]]*\])*)\]\([^)]*\)/g, '$1')
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
      .split('\n')
      .map((line) =>
        line
          // Heading underlines, thematic breaks (- - -, * * *), table alignment rows and code fences carry no words.
          .replace(/^\s*(?:```|~~~)[\w-]*\s*$/, '')
          .replace(/^\s*(?:[=-]{2,}|(?:[-*_]\s*){3,}|(?:\|?\s*:?-{2,}:?\s*)+\|?)\s*$/, '')
          .replace(/^\s*(?:>\s*)*/, '')
          .replace(/^#{1,6}\s+|\s+#+\s*$/g, '')
          // Bullets are markup; the numbers of an ordered list are the clause numbers of the document: kept.
          .replace(/^[-*+]\s+/, '')
          .replace(/\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)/g, '')
          .replace(/\|/g, ' '),
      )
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter((line) => line.length > 0)
  );
}

export const renderedText = (text: string): string => renderedLines(text).join(' ');

/**
 * Where two texts part once rendered, word by word (line breaks, which the engines place differently in tables,
 * do not count): a few words of context and what follows on each side. `line` is the 1-based word index.
 */
export function firstWordDifference(
  left: string,
  right: string,
  before = 6,
  after = 24,
): FirstDifference | null {
  const a = renderedText(left).split(' ');
  const b = renderedText(right).split(' ');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return null;
  const excerpt = (words: string[]): string | null =>
    i >= words.length
      ? null
      : `${i > before ? '…' : ''}${words.slice(Math.max(0, i - before), i + after).join(' ')}…`;
  return { line: i + 1, left: excerpt(a), right: excerpt(b) };
}

export const sameRenderedText = (a: string, b: string): boolean =>
  a === b || renderedText(a) === renderedText(b);

/** Lines in the comparable form: whitespace collapsed within each line, empty lines dropped. */
export const comparableLines = (text: string): string[] =>
  stripUrlQueries(text)
    .replace(INVISIBLE, '')
    .split('\n')
    .map(collapseWhitespace)
    .filter((line) => line.length > 0);

export interface FirstDifference {
  /** 1-based index among the comparable (non-empty) lines. */
  line: number;
  left: string | null;
  right: string | null;
}

/** The first line where two texts part, each side's line as it reads there (null past the end). */
export function firstDifference(
  left: string,
  right: string,
  linesOf: (text: string) => string[] = comparableLines,
  maxLength = 200,
): FirstDifference | null {
  const a = linesOf(left);
  const b = linesOf(right);
  const clip = (line: string | undefined): string | null =>
    line === undefined ? null : line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return { line: i + 1, left: clip(a[i]), right: clip(b[i]) };
    }
  }
  return null;
}

/**
 * How far apart two texts are, cheaply: the number of comparable lines that one side has and the other lacks
 * (as multisets). Used to rank mismatches, not as a diff.
 */
export function lineDistance(
  left: string,
  right: string,
  linesOf: (text: string) => string[] = comparableLines,
): number {
  const counts = new Map<string, number>();
  for (const line of linesOf(left)) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const line of linesOf(right)) counts.set(line, (counts.get(line) ?? 0) - 1);
  let distance = 0;
  for (const count of counts.values()) distance += Math.abs(count);
  return distance;
}
