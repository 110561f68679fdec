import { createHash } from 'node:crypto';

/**
 * A provision is a unit of a legal text a reader points at: a headed section, a numbered or lettered clause,
 * or a paragraph with a bold title. Segments are consecutive and cover the text exactly: concatenating
 * their `text` gives back the input.
 */
export type ProvisionKind = 'preamble' | 'heading' | 'clause' | 'titled';

export interface Provision {
  /** Stable across versions once aligned; the first version's ids come from heading slugs and ordinals. */
  readonly id: string;
  readonly kind: ProvisionKind;
  /** 1–6 for Markdown headings, 7 and more for clauses (deeper numbering, deeper level). */
  readonly level: number;
  /** The clause number as written (`1.2`, `a`, `iv`), null when there is none. */
  readonly number: string | null;
  /** A short title: the heading, the bold title, or the clause's first words. */
  readonly heading: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** sha256 of the text without trailing whitespace (the blank line before the next provision). */
  readonly hash: string;
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*)$/;
// Optional indentation and bullet, optional bold, then a number (1. / 1.2 / 1.2.3.), a parenthesised letter,
// number or roman numeral ((a) (12) (iv)), or a letter followed by `.` or `)`.
const CLAUSE =
  /^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?(?:(\d{1,3}(?:\.\d{1,3})*)\\?\.?|\(([a-zA-Z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,3})\)|([a-zA-Z])[.)])(?:\*\*)?[ \t]+\S/;
// A paragraph (or list item) opening with a bold title that ends in `.` or `:`.
const TITLED = /^[ \t]*(?:[-*+][ \t]+)?\*\*([^*\n]{1,120}?)([.:]?)\*\*([.:]?)/;
const FENCE = /^ {0,3}(```|~~~)/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function collapse(text: string): string {
  // Only runs of two or more, or a lone non-space blank, need replacing: far fewer matches than `\s+`.
  return text.replace(/\s\s+|[^\S ]/g, ' ').trim();
}

/** Text without Markdown markers and the leading clause number: what stays when a provision is renumbered. */
export function provisionBody(text: string): string {
  return collapse(
    text
      .replace(/^[ \t]*#{1,6}[ \t]+/, '')
      .replace(
        /^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?(?:\d{1,3}(?:\.\d{1,3})*\.?|\([a-zA-Z0-9]{1,6}\)|[a-zA-Z][.)])(?:\*\*)?[ \t]+/,
        '',
      )
      .replace(/[*_`#>]/g, ''),
  );
}

function stripMarkup(text: string): string {
  return collapse(
    text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
      .replace(/[*_`]/g, ''),
  );
}

/** `## Title ##` → `Title`, by hand: a regex with two adjacent open-ended runs backtracks quadratically. */
function withoutClosingHashes(text: string): string {
  const trimmed = text.trimEnd();
  let i = trimmed.length;
  while (i > 0 && trimmed[i - 1] === '#') i--;
  if (i === trimmed.length) return trimmed;
  if (i === 0) return '';
  return trimmed[i - 1] === ' ' || trimmed[i - 1] === '\t' ? trimmed.slice(0, i).trimEnd() : trimmed;
}

function firstWords(text: string, count: number): string {
  const words = stripMarkup(text).split(' ');
  return words.slice(0, count).join(' ') + (words.length > count ? ' …' : '');
}

interface Start {
  readonly kind: Exclude<ProvisionKind, 'preamble'>;
  readonly level: number;
  readonly number: string | null;
  readonly heading: string;
}

function clauseTitle(line: string, number: string): string {
  const rest = stripMarkup(line.replace(CLAUSE, (m) => m.slice(-1)));
  const sentence = /^(.{1,80}?[.:])(?:\s|$)/.exec(rest);
  const title = sentence && sentence[1]!.split(' ').length <= 10 ? sentence[1]! : firstWords(rest, 8);
  return `${number} ${title}`.trim();
}

/** Cheap test of the first characters, so that ordinary prose lines never reach the regular expressions. */
function mayStart(line: string): boolean {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] === '-' || line[i] === '*' || line[i] === '+') {
    if (line[i] === '*' && line[i + 1] === '*') return true;
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '*' && line[i + 1] === '*') return true;
  }
  const c = line.charCodeAt(i);
  if (c === 35 /* # */ || c === 40 /* ( */ || (c >= 48 && c <= 57)) return true;
  const n = line[i + 1];
  return ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) && (n === '.' || n === ')');
}

function startOf(line: string): Start | null {
  if (!mayStart(line)) return null;
  const heading = HEADING.exec(line);
  if (heading) {
    const title = stripMarkup(withoutClosingHashes(heading[2]!));
    if (title === '') return null;
    return {
      kind: 'heading',
      level: heading[1]!.length,
      number: /^(\d+(?:\.\d+)*)\.?\s/.exec(title)?.[1] ?? null,
      heading: title,
    };
  }
  const clause = CLAUSE.exec(line);
  if (clause) {
    const number = clause[1] ?? clause[2] ?? clause[3]!;
    const depth = clause[1] ? number.split('.').length : 2;
    return { kind: 'clause', level: 6 + depth, number, heading: clauseTitle(line, number) };
  }
  const titled = TITLED.exec(line);
  if (titled && (titled[2] || titled[3])) {
    return { kind: 'titled', level: 9, number: null, heading: collapse(titled[1]!) };
  }
  return null;
}

const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;

/** A setext heading (`Title` over `=====` or `-----`), as Open Terms Archive writes them: one line after a blank. */
function setextStart(line: string, previous: string | undefined, next: string | undefined): Start | null {
  const underline = next === undefined ? null : SETEXT_UNDERLINE.exec(next);
  if (!underline || line.trim() === '' || (previous !== undefined && previous.trim() !== '')) return null;
  if (/^ {0,3}(?:[-*+>]|\d+[.)])[ \t]/.test(line) || SETEXT_UNDERLINE.test(line)) return null;
  const title = stripMarkup(line);
  if (title === '') return null;
  const level = underline[1]!.startsWith('=') ? 1 : 2;
  return { kind: 'heading', level, number: /^(\d+(?:\.\d+)*)\.?\s/.exec(title)?.[1] ?? null, heading: title };
}

/** A slug of a heading for ids: ASCII, lowercase, dashes, at most 48 characters. */
export function slugOf(heading: string): string {
  const slug = heading
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/…/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'provision' : slug;
}

/**
 * Per set of taken ids, the suffix to try first for a slug: every smaller one is taken (ids are only ever added),
 * so a heading repeated k times costs k tries in all, not k²/2 (12,000 sections under one heading took 8 s).
 */
const nextSuffix = new WeakMap<Set<string>, Map<string, number>>();

/** Gives ids to provisions that have none yet: the slug of the heading, with `-2`, `-3`… for repeats. */
export function uniqueId(heading: string, taken: Set<string>): string {
  const slug = slugOf(heading);
  let suffixes = nextSuffix.get(taken);
  if (!suffixes) nextSuffix.set(taken, (suffixes = new Map<string, number>()));
  let n = suffixes.get(slug);
  let id = n === undefined ? slug : `${slug}-${n}`;
  for (n ??= 1; taken.has(id);) id = `${slug}-${++n}`;
  suffixes.set(slug, n + 1);
  taken.add(id);
  return id;
}

/**
 * Cuts a Markdown text into provisions at headings, numbered and lettered clauses and bold-titled
 * paragraphs (never inside fenced code). Text before the first one is the preamble. Ids are the first
 * version's ids (slug and ordinal); {@link alignProvisions} carries ids over from an earlier version.
 */
export function segmentProvisions(markdown: string): Provision[] {
  const kept = recentlySegmented.get(markdown);
  if (kept) {
    // Most recently used last: the oldest is the first to go.
    recentlySegmented.delete(markdown);
    recentlySegmented.set(markdown, kept);
    return [...kept];
  }
  const provisions = cutIntoProvisions(markdown);
  if (markdown.length <= RECENTLY_SEGMENTED_CHARACTERS) {
    recentlySegmented.set(markdown, provisions);
    keptCharacters += markdown.length;
    for (const text of recentlySegmented.keys()) {
      if (recentlySegmented.size <= RECENTLY_SEGMENTED && keptCharacters <= RECENTLY_SEGMENTED_CHARACTERS)
        break;
      recentlySegmented.delete(text);
      keptCharacters -= text.length;
    }
  }
  return [...provisions];
}

/**
 * The last texts segmented in this thread, by text: at most eight, four million characters in all (the provisions
 * hold their text). One version is segmented several times in a row: as the new text of a comparison, as the
 * previous text of the next one, for the governance mapping. A long text takes a tenth of a second to segment and
 * a moment to find here. Provisions are immutable; each caller gets its own array.
 */
const RECENTLY_SEGMENTED = 8;
const RECENTLY_SEGMENTED_CHARACTERS = 4_000_000;
const recentlySegmented = new Map<string, readonly Provision[]>();
let keptCharacters = 0;

function cutIntoProvisions(markdown: string): Provision[] {
  const cuts: { offset: number; start: Start | null }[] = [];
  const lines: { offset: number; line: string }[] = [];
  for (let offset = 0; offset < markdown.length;) {
    const newline = markdown.indexOf('\n', offset);
    const end = newline === -1 ? markdown.length : newline;
    lines.push({ offset, line: markdown.slice(offset, end).replace(/\r$/, '') });
    offset = end + 1;
  }
  let fenced = false;
  lines.forEach(({ offset, line }, i) => {
    if (FENCE.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    // Only a line's beginning decides whether it opens a provision; bounding it keeps huge lines cheap.
    const probe = line.length > 2000 ? line.slice(0, 2000) : line;
    const start = setextStart(probe, lines[i - 1]?.line, lines[i + 1]?.line) ?? startOf(probe);
    if (start) cuts.push({ offset, start });
  });
  if (markdown.length === 0) return [];
  if (cuts.length === 0 || cuts[0]!.offset > 0) cuts.unshift({ offset: 0, start: null });

  const taken = new Set<string>();
  return cuts.map((cut, i) => {
    const end = i + 1 < cuts.length ? cuts[i + 1]!.offset : markdown.length;
    const text = markdown.slice(cut.offset, end);
    const start = cut.start;
    const heading = start ? start.heading : firstWords(text, 8);
    return {
      id: uniqueId(start ? heading : 'preamble', taken),
      kind: start ? start.kind : 'preamble',
      level: start ? start.level : 0,
      number: start ? start.number : null,
      heading,
      start: cut.offset,
      end,
      text,
      hash: sha256(text.trimEnd()),
    };
  });
}
