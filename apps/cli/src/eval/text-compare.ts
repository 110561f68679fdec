/**
 * How the evaluation compares two texts. Open Terms Archive's Markdown and Termline's differ in ways that are
 * not changes of the document: whitespace, and the tracking query strings that pages add to their links. These
 * helpers make those differences vanish, and nothing else.
 */

/** Every run of whitespace, newlines included, becomes one space. */
export const collapseWhitespace = (text: string): string => text.replace(/\s+/g, ' ').trim();

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

export const sameTextModuloWhitespace = (a: string, b: string): boolean => a === b || collapseWhitespace(a) === collapseWhitespace(b);

export const sameComparableText = (a: string, b: string): boolean => a === b || comparableText(a) === comparableText(b);

/** Equal once link targets are ignored: the words are the same, only where the links point changed. */
export const sameWordsIgnoringLinks = (a: string, b: string): boolean =>
  collapseWhitespace(withoutLinkTargets(a)) === collapseWhitespace(withoutLinkTargets(b));

/** Lines in the comparable form: whitespace collapsed within each line, empty lines dropped. */
export const comparableLines = (text: string): string[] =>
  stripUrlQueries(text)
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
export function firstDifference(left: string, right: string, maxLength = 200): FirstDifference | null {
  const a = comparableLines(left);
  const b = comparableLines(right);
  const clip = (line: string | undefined): string | null =>
    line === undefined ? null : line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      // Lines broken differently are one difference, not two: compare what follows on the shorter side.
      return { line: i + 1, left: clip(a[i]), right: clip(b[i]) };
    }
  }
  return null;
}

/**
 * How far apart two texts are, cheaply: the number of comparable lines that one side has and the other lacks
 * (as multisets). Used to rank mismatches, not as a diff.
 */
export function lineDistance(left: string, right: string): number {
  const counts = new Map<string, number>();
  for (const line of comparableLines(left)) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const line of comparableLines(right)) counts.set(line, (counts.get(line) ?? 0) - 1);
  let distance = 0;
  for (const count of counts.values()) distance += Math.abs(count);
  return distance;
}
