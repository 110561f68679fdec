/**
 * Literal prefilters for regular expressions. `literalTriggers(source)` returns literals one of which must open a
 * word of any text the pattern matches (or null when no such set can be read off the pattern cheaply). The
 * classifier indexes the opening letters of a provision's words once (`wordStarts`), then runs a cue only when one
 * of its triggers' keys is in the index: most cues match nothing in most provisions, and a set lookup is far
 * cheaper than a scan.
 *
 * Sound by construction: a trigger is the literal a pattern alternative starts with right after `\b`, for every
 * top-level alternative and every alternative of a leading group. Anything else yields null (no prefilter).
 */
const MIN_TRIGGER = 2;
/** Triggers are looked up by their first letters, up to this many. */
const KEY_LENGTH = 4;

function closingParen(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function alternatives(source: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || inClass) return null;
  parts.push(source.slice(start));
  return parts;
}

const QUANTIFIER = /^[?*{]/;
const LITERAL_ESCAPE = /^\\[.$()[\]{}|?*+'"/-]/;

/**
 * The literal characters of `source` from `from` on, up to the first character that is not one, or that a quantifier
 * makes optional or repeatable (that one is left out). `open`: the reading stopped at a group or a `\\b`, after
 * which the literal may go on (see {@link prefixes}).
 */
function readRun(source: string, from: number): { literal: string; end: number; open: boolean } {
  let literal = '';
  let i = from;
  while (i < source.length) {
    const rest = source.slice(i);
    const escape = LITERAL_ESCAPE.exec(rest);
    let ch: string;
    let width: number;
    if (escape) {
      ch = escape[0][1]!;
      width = 2;
    } else if (/^[a-z0-9 ,;:'’"&%#@!=<>_-]/.test(rest)) {
      ch = rest[0]!;
      width = 1;
    } else break;
    if (QUANTIFIER.test(source.slice(i + width)) || source[i + width] === '+')
      return { literal, end: i, open: false };
    literal += ch;
    i += width;
  }
  return { literal, end: i, open: source[i] === '(' || source.startsWith('\\b', i) };
}

/** A group's literals followed by what comes after it make at most this many literals (else the group's alone). */
const MAX_PREFIXES = 32;

const joined = (heads: readonly string[], tails: readonly string[]) =>
  heads.flatMap((head) => tails.map((tail) => head + tail));

/**
 * The literals one of which every match of `source` opens with, wherever it starts (a continuation of a literal
 * already read, so no word start is needed), and whether each is the whole match (`whole`: nothing follows). Null
 * when `source` opens with anything but a literal or a group of literals.
 */
function prefixes(source: string, from = 0): { literals: string[]; whole: boolean } | null {
  let i = from;
  while (source.startsWith('\\b', i)) i += 2;
  if (source[i] === '(') {
    const close = closingParen(source, i);
    if (close === -1 || QUANTIFIER.test(source.slice(close + 1)) || source[close + 1] === '+') return null;
    const inner = source.slice(i + 1, close).replace(/^\?:/, '');
    if (inner.startsWith('?')) return null;
    const parts = alternatives(inner);
    if (!parts) return null;
    const literals: string[] = [];
    let whole = true;
    for (const part of parts) {
      const read = prefixes(part);
      if (!read) return null;
      literals.push(...read.literals);
      whole &&= read.whole;
    }
    return whole ? followedBy(literals, source, close + 1) : { literals, whole: false };
  }
  const run = readRun(source, i);
  if (run.literal === '') return null;
  if (run.end === source.length) return { literals: [run.literal], whole: true };
  return run.open ? followedBy([run.literal], source, run.end) : { literals: [run.literal], whole: false };
}

/** Literals read whole, followed by the literals of what comes after them in `source` (from `from`), if any. */
function followedBy(heads: string[], source: string, from: number): { literals: string[]; whole: boolean } {
  if (from >= source.length) return { literals: heads, whole: true };
  const tails = prefixes(source, from);
  if (!tails || heads.length * tails.literals.length > MAX_PREFIXES) return { literals: heads, whole: false };
  return { literals: joined(heads, tails.literals), whole: tails.whole };
}

/**
 * A word-start literal made longer with what must follow it, when that keeps its key: the literal is still spelled
 * out wherever a match starts, at fewer places (the cue is tried at fewer words, with the same matches).
 */
function lengthened(literals: string[], source: string, from: number): string[] {
  const longer = followedBy(literals, source, from).literals;
  return longer.length >= literals.length &&
    longer.every((literal) =>
      literals.some((short) => literal.startsWith(short) && triggerKey(literal) === triggerKey(short)),
    )
    ? longer
    : literals;
}

function leading(alternative: string, boundary = false): string[] | null {
  let i = 0;
  let atWordStart = boundary;
  while (alternative.startsWith('\\b', i)) {
    i += 2;
    atWordStart = true;
  }
  if (alternative[i] === '(') {
    const close = closingParen(alternative, i);
    if (close === -1 || QUANTIFIER.test(alternative.slice(close + 1))) return null;
    const inner = alternative.slice(i + 1, close).replace(/^\?:/, '');
    if (inner.startsWith('?')) return null; // lookaround or named group: not worth reading
    const parts = alternatives(inner);
    if (!parts) return null;
    const result: string[] = [];
    let whole = true;
    for (const part of parts) {
      const triggers = leading(part, atWordStart);
      if (!triggers) return null;
      result.push(...triggers);
      const read = prefixes(part);
      whole &&= read !== null && read.whole && read.literals.join('|') === triggers.join('|');
    }
    return whole ? lengthened(result, alternative, close + 1) : result;
  }
  if (!atWordStart) return null;
  const run = readRun(alternative, i);
  const { literal } = run;
  if (literal.length < MIN_TRIGGER || !/^[a-z0-9_]/.test(literal)) return null;
  return run.open ? lengthened([literal], alternative, run.end) : [literal];
}

export function literalTriggers(source: string): string[] | null {
  const parts = alternatives(source);
  if (!parts) return null;
  const result: string[] = [];
  for (const part of parts) {
    const triggers = leading(part);
    if (!triggers) return null;
    result.push(...triggers);
  }
  return [...new Set(result)];
}

/** The index key of a trigger: its opening word characters, at most {@link KEY_LENGTH}. */
export function triggerKey(trigger: string): string {
  return /^[a-z0-9_]+/.exec(trigger)![0].slice(0, KEY_LENGTH);
}

// Every key some compiled pattern uses: the word index records only these (patterns compile at module load).
const KNOWN_KEYS = new Set<string>();

/** Compiles triggers to index keys (null stays null: the pattern always runs) and registers the keys. */
export function triggerKeys(triggers: readonly string[] | null): readonly string[] | null {
  if (!triggers) return null;
  const keys = [...new Set(triggers.map(triggerKey))];
  for (const key of keys) KNOWN_KEYS.add(key);
  return keys;
}

const WORD = /[a-z0-9_]+/g;

/** Where the words of a text start, by their opening letters (2 to {@link KEY_LENGTH} characters). */
export type WordIndex = ReadonlyMap<string, readonly number[]>;

/**
 * Indexes every word of a lower-cased text by its prefixes of 2 to {@link KEY_LENGTH} characters that some pattern
 * uses as a key, with the offsets where such words start, in increasing order. A cue then runs only at the offsets
 * of its triggers' keys.
 */
export function wordStarts(lowerText: string): WordIndex {
  // Group the occurrences by word first: prefixes are then cut once per distinct word, not once per occurrence.
  const words = new Map<string, number[]>();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lowerText); m !== null; m = WORD.exec(lowerText)) {
    if (m[0].length < MIN_TRIGGER) continue;
    const at = words.get(m[0]);
    if (at) at.push(m.index);
    else words.set(m[0], [m.index]);
  }
  const index = new Map<string, number[]>();
  const merged = new Set<number[]>();
  for (const [word, positions] of words) {
    const longest = Math.min(word.length, KEY_LENGTH);
    for (let k = MIN_TRIGGER; k <= longest; k++) {
      const key = word.slice(0, k);
      if (!KNOWN_KEYS.has(key)) continue;
      const known = index.get(key);
      if (!known) index.set(key, positions.slice());
      else {
        for (const position of positions) known.push(position);
        merged.add(known);
      }
    }
  }
  for (const list of merged) list.sort((a, b) => a - b);
  return index;
}

/** True when a pattern with these trigger keys may match the text whose word index is given. */
export function mayMatch(keys: readonly string[] | null, index: WordIndex): boolean {
  if (!keys) return true;
  for (const key of keys) if (index.has(key)) return true;
  return false;
}

/** A match found at a word start: its span and the match itself. */
export interface Hit {
  readonly start: number;
  readonly end: number;
  readonly match: RegExpExecArray;
}

/**
 * The first `limit` non-overlapping matches of a sticky pattern (`y` flag) with these keys, tried only at the word
 * starts the index gives for the keys: where every match of such a pattern starts.
 */
export function hitsAtWordStarts(
  sticky: RegExp,
  keys: readonly string[],
  index: WordIndex,
  text: string,
  limit: number,
): Hit[] {
  const hits: Hit[] = [];
  for (const key of keys) {
    const positions = index.get(key);
    if (!positions) continue;
    let found = 0;
    let after = 0;
    for (const start of positions) {
      if (start < after) continue;
      sticky.lastIndex = start;
      const match = sticky.exec(text);
      if (!match || match[0].length === 0) continue;
      hits.push({ start, end: start + match[0].length, match });
      after = start + match[0].length;
      if (++found >= limit) break;
    }
  }
  if (keys.length > 1) hits.sort((a, b) => a.start - b.start);
  const distinct: Hit[] = [];
  for (const hit of hits) {
    if (distinct.length > 0 && hit.start < distinct[distinct.length - 1]!.end) continue;
    distinct.push(hit);
    if (distinct.length >= limit) break;
  }
  return distinct;
}
