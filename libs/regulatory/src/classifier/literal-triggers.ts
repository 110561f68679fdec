/**
 * Literal prefilters for regular expressions. `literalTriggers(source)` returns literals one of which must open a
 * word of any text the pattern matches (or null when no such set can be read off the pattern cheaply). The
 * classifier indexes the opening letters of a provision's words once (`wordStarts`), then runs a cue only when one
 * of its triggers' keys is in the index: most cues match nothing in most provisions, and a set lookup is far
 * cheaper than a scan.
 *
 * Sound by construction: a trigger is the literal a pattern alternative starts with right after `\b`, for every
 * top-level alternative and every alternative of a leading group. Anything else yields null (no prefilter). A
 * trigger reads on through what must follow it (literals, groups of literals, both readings of what `?` makes
 * optional) as long as its key stays the same: the longer literal is spelled out at fewer word starts, and a
 * pattern is tried at fewer places with the same matches.
 */
const MIN_TRIGGER = 2;
/** Triggers are looked up by their first letters, up to this many. */
const KEY_LENGTH = 4;

/** Index of the parenthesis closing the group opened at `open` (-1: none). */
export function closingParen(source: string, open: number): number {
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

/** The top-level alternatives of a pattern source (one when it has no top-level `|`; null: unbalanced). */
export function alternatives(source: string): string[] | null {
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

/** The literal character at `at` and its width in the source (escaped: 2), or null. */
function literalAt(source: string, at: number): { ch: string; width: number } | null {
  const rest = source.slice(at, at + 2);
  if (LITERAL_ESCAPE.test(rest)) return { ch: rest[1]!, width: 2 };
  return /^[a-z0-9 ,;:'’"&%#@!=<>_-]/.test(rest) ? { ch: rest[0]!, width: 1 } : null;
}

/**
 * The literal characters of `source` from `from` on, up to the first character that is not one, or that a quantifier
 * makes optional or repeatable (that one is left out).
 */
function readRun(source: string, from: number): { literal: string; end: number } {
  let literal = '';
  let i = from;
  for (let read = literalAt(source, i); read; read = literalAt(source, i)) {
    if (QUANTIFIER.test(source.slice(i + read.width)) || source[i + read.width] === '+') break;
    literal += read.ch;
    i += read.width;
  }
  return { literal, end: i };
}

/** Literals read on from a place of a pattern: at most this many (else nothing more is read there) … */
const MAX_PREFIXES = 16;
/** … and for about this many characters. */
const MAX_TAIL = 16;

/**
 * What every match of `source` from `at` on opens with: one of `literals` (the empty one when nothing can be told),
 * each the whole of such a match when `whole`.
 */
interface Tails {
  readonly literals: readonly string[];
  readonly whole: boolean;
}

const UNKNOWN: Tails = { literals: [''], whole: false };

/** Each head followed by each tail (null: too many). */
const joined = (heads: readonly string[], tails: Tails): Tails | null =>
  heads.length * tails.literals.length > MAX_PREFIXES
    ? null
    : { literals: heads.flatMap((head) => tails.literals.map((tail) => head + tail)), whole: tails.whole };

/** One reading or the other (null: too many). */
const either = (a: Tails, b: Tails): Tails | null => {
  const literals = [...new Set([...a.literals, ...b.literals])];
  return literals.length > MAX_PREFIXES ? null : { literals, whole: a.whole && b.whole };
};

/**
 * The literals one of which every match of `source` from `at` on opens with (a continuation of a literal already
 * read: no word start is needed). Reads literal characters, groups of alternatives and what `?` makes optional (both
 * readings), and stops at anything else. Where the readings would be too many, what follows is left unread.
 */
function tailsAt(source: string, at: number, budget = MAX_TAIL): Tails {
  let i = at;
  while (source.startsWith('\\b', i)) i += 2;
  if (i >= source.length) return { literals: [''], whole: true };
  // Longer literals would prune few more places, at a cost at module load (every pattern is read this way).
  if (budget <= 0) return UNKNOWN;
  if (source[i] === '(') {
    const close = closingParen(source, i);
    if (close === -1 || /^[*+{]/.test(source.slice(close + 1))) return UNKNOWN;
    const inner = source.slice(i + 1, close).replace(/^\?:/, '');
    const parts = inner.startsWith('?') ? null : alternatives(inner);
    if (!parts) return UNKNOWN;
    const optional = source[close + 1] === '?';
    const read = parts.map((part) => tailsAt(part, 0, budget));
    // What follows is read for the shortest alternative's length on (the longer ones read a little further).
    const shortest = Math.min(...read.flatMap((tails) => tails.literals.map((literal) => literal.length)));
    const after = close + 1 + (optional ? (source[close + 2] === '?' ? 2 : 1) : 0);
    const rest = tailsAt(source, after, budget - Math.max(1, optional ? 0 : shortest));
    return groupTails(read, rest, optional) ?? groupTails(read, UNKNOWN, optional) ?? UNKNOWN;
  }
  // A run of literal characters at once (nothing optional in it), cut at the budget.
  const run = readRun(source, i);
  if (run.literal.length > budget) return { literals: [run.literal.slice(0, budget)], whole: false };
  if (run.literal !== '')
    return joined([run.literal], tailsAt(source, run.end, budget - run.literal.length)) ?? UNKNOWN;
  // A literal character a quantifier follows, or no literal at all.
  const read = literalAt(source, i);
  if (!read) return UNKNOWN;
  const next = i + read.width;
  if (/^[*+{]/.test(source.slice(next))) return UNKNOWN;
  if (source[next] !== '?') return joined([read.ch], tailsAt(source, next, budget - 1)) ?? UNKNOWN;
  const rest = tailsAt(source, next + (source[next + 1] === '?' ? 2 : 1), budget - 1);
  const optionalChar = (after: Tails) => {
    const present = joined([read.ch], after);
    return present && either(present, after);
  };
  return optionalChar(rest) ?? optionalChar(UNKNOWN) ?? UNKNOWN;
}

/** A group's alternatives, each read on into `rest` when it is a choice of literals; `optional`: or `rest` alone. */
function groupTails(parts: readonly Tails[], rest: Tails, optional: boolean): Tails | null {
  let group: Tails | null = null;
  for (const read of parts) {
    const through = read.whole ? joined(read.literals, rest) : read;
    group = through && (group ? either(group, through) : through);
    if (!group) return null;
  }
  return optional && group ? either(group, rest) : group;
}

/**
 * Word-start literals made longer with what must follow them, each only when that keeps its key: the literal is
 * still spelled out wherever a match starts, at fewer places (the cue is tried at fewer words, with the same
 * matches, registered under the same keys).
 */
function lengthened(heads: readonly string[], tails: Tails): string[] {
  return heads.flatMap((head) => {
    // One head and at most MAX_PREFIXES tails: never too many.
    const longer = joined([head], tails)!.literals;
    const key = triggerKey(head);
    return longer.every((literal) => triggerKey(literal) === key) ? longer : [head];
  });
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
    let rest: Tails | null = null;
    const result: string[] = [];
    for (const part of parts) {
      const triggers = leading(part, atWordStart);
      if (!triggers) return null;
      // A part that is a choice of literals (a whole match of it is one of them) reads on past the group.
      const read = tailsAt(part, 0);
      const longer =
        read.whole && !read.literals.includes('')
          ? lengthened(read.literals, (rest ??= tailsAt(alternative, close + 1)))
          : [];
      result.push(...(read.whole && sameKeys(longer, triggers) ? longer : triggers));
    }
    return result;
  }
  if (!atWordStart) return null;
  const run = readRun(alternative, i);
  const { literal } = run;
  if (literal.length < MIN_TRIGGER || !/^[a-z0-9_]/.test(literal)) return null;
  return lengthened([literal], tailsAt(alternative, run.end));
}

/** Whether two lists of literals give the same keys in the same order (so patterns register the same keys). */
function sameKeys(longer: readonly string[], triggers: readonly string[]): boolean {
  if (longer.length === 0 || longer.some((literal) => !/^[a-z0-9_]/.test(literal))) return false;
  const keysOf = (list: readonly string[]) => [...new Set(list.map(triggerKey))].join('|');
  return keysOf(longer) === keysOf(triggers);
}

// Patterns are read more than once at module load (directly, then through their optional openings).
const READ = new Map<string, readonly string[] | null>();

export function literalTriggers(source: string): string[] | null {
  if (!READ.has(source)) READ.set(source, readTriggers(source));
  const known = READ.get(source);
  return known ? [...known] : null;
}

function readTriggers(source: string): string[] | null {
  const parts = alternatives(source);
  if (!parts) return null;
  const result: string[] = [];
  for (const part of parts) {
    const triggers = leading(part);
    if (!triggers) return null;
    result.push(...triggers);
  }
  const unique = [...new Set(result)];
  // A literal that opens with another of the same key is spelled out only where that one is: it adds no place.
  const byKey = new Map<string, string[]>();
  for (const literal of unique) {
    const key = triggerKey(literal);
    const same = byKey.get(key);
    if (same) same.push(literal);
    else byKey.set(key, [literal]);
  }
  const needed = unique.filter(
    (literal) =>
      !byKey.get(triggerKey(literal))!.some((other) => other !== literal && literal.startsWith(other)),
  );
  return sameKeys(needed, unique) ? needed : unique;
}

/** The index key of a trigger: its opening word characters, at most {@link KEY_LENGTH}. */
export function triggerKey(trigger: string): string {
  let end = 0;
  while (end < KEY_LENGTH && end < trigger.length && isWordCharacter(trigger.charCodeAt(end))) end++;
  if (end === 0) throw new Error(`literal-triggers: no word character opens ${JSON.stringify(trigger)}`);
  return trigger.slice(0, end);
}

/** [a-z0-9_], as keys read them (a loop: keys are cut for every literal read at module load). */
const isWordCharacter = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95;

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
