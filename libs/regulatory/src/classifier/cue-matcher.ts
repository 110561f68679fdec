import {
  alternatives,
  closingParen,
  literalTriggers,
  triggerKey,
  triggerKeys,
  type Hit,
} from './literal-triggers';
import { withStraightApostrophes } from '../apostrophes';

/**
 * The matching engine of the classifier and of attribute extraction. Every pattern is compiled once, at module load,
 * for the lower-cased text, with the literals one of which must open a word where any of its matches starts
 * (`literalTriggers`). Those literals are registered under their key (the first letters, as `triggerKey` cuts them).
 *
 * Per text, {@link prepareText} walks the words once: at each word start it looks up the word's opening letters
 * among the registered keys and records the position for every pattern whose literal is spelled out there. A
 * pattern is then tried (sticky) only at its recorded positions, and not at all when it has none. The literals are
 * necessary, so the answers are those of the previous engine (the word-start search of literal-triggers.ts, or a
 * scan for patterns it could not prefilter; see ADR 0026), at a cost that follows the few candidate places instead
 * of the number of patterns times the length of the text.
 */

/** Shortest and longest key, as `triggerKey` and the word index of literal-triggers.ts cut them. */
const MIN_KEY = 2;
const MAX_KEY = triggerKey('a'.repeat(64)).length;

/** A pattern compiled for lower-cased text. */
export interface LowerPattern {
  /** Index of the pattern in the registry (its slot in a prepared text's candidates). */
  readonly id: number;
  readonly source: string;
  /** Global and case-sensitive: scans the lower-cased text when the pattern has no literals. */
  readonly scan: RegExp;
  /** The same pattern anchored where it is tried. */
  readonly sticky: RegExp;
  /** Number of keys its literals have (0: no literals, the pattern scans the text). */
  readonly keys: number;
  /**
   * How its candidates are tried: key by key then merged (`false`, the order of the word-start search these
   * literals were first read for) or all keys' starts in text order (`true`, a scan's order), see {@link lowerHits}.
   */
  readonly inTextOrder: boolean;
}

/** A literal and the patterns (with the key it is registered under) that may match where it is spelled out. */
interface Registration {
  readonly literal: string;
  readonly targets: Array<{ readonly pattern: number; readonly key: number }>;
}

/** Registered literals by the code of their key (see {@link keyCode}), each literal once. */
const BY_KEY = new Map<number, Map<string, Registration>>();

/**
 * The same literals as a tree per key, by their characters after the key: the word walk follows the text's characters
 * down the tree and meets exactly the literals spelled out at the word start, each compared once.
 */
interface LiteralNode {
  /** The literals that end here (null: none). */
  ends: Registration[] | null;
  /** The characters that go on from here and their nodes, side by side (a few each: a scan beats a map). */
  readonly chars: number[];
  readonly nodes: LiteralNode[];
}
const LITERALS_BY_KEY = new Map<number, LiteralNode>();
const literalNode = (): LiteralNode => ({ ends: null, chars: [], nodes: [] });

/**
 * The trees of {@link LITERALS_BY_KEY} laid out flat for the word walk, built on the first text prepared after a
 * registration: nodes are numbered, a node's branches are the slots `starts[node]` to `starts[node + 1]` of `chars`
 * (the character) and `targets` (the node it leads to); `ends[node]` lists the patterns of the literals that end
 * there as pairs (pattern id, key index). Typed arrays side by side are read in a few cache lines, where the objects
 * of the tree are scattered over the heap: the walk costs a third less.
 */
interface FlatLiterals {
  readonly rootOf: ReadonlyMap<number, number>;
  readonly ends: ReadonlyArray<Int32Array | null>;
  readonly starts: Int32Array;
  readonly chars: Uint16Array;
  readonly targets: Int32Array;
}
let flatLiterals: FlatLiterals | null = null;

function flattenLiterals(): FlatLiterals {
  const nodes: LiteralNode[] = [];
  const ids = new Map<LiteralNode, number>();
  const number = (node: LiteralNode): number => {
    ids.set(node, nodes.push(node) - 1);
    node.nodes.forEach(number);
    return ids.get(node)!;
  };
  const rootOf = new Map<number, number>();
  for (const [code, root] of LITERALS_BY_KEY) rootOf.set(code, number(root));
  const starts = new Int32Array(nodes.length + 1);
  nodes.forEach((node, id) => (starts[id + 1] = starts[id]! + node.chars.length));
  const chars = new Uint16Array(starts[nodes.length]!);
  const targets = new Int32Array(chars.length);
  nodes.forEach((node, id) =>
    node.nodes.forEach((child, branch) => {
      chars[starts[id]! + branch] = node.chars[branch]!;
      targets[starts[id]! + branch] = ids.get(child)!;
    }),
  );
  const ends = nodes.map(({ ends }) =>
    ends
      ? Int32Array.from(ends.flatMap(({ targets }) => targets.flatMap(({ pattern, key }) => [pattern, key])))
      : null,
  );
  return { rootOf, ends, starts, chars, targets };
}

/**
 * Per key code (and per code of a key's opening letters): {@link IS_KEY} when the code is a registered key,
 * {@link OPENS_KEY} when a longer key opens with it. The word walk of {@link prepareText} looks a code up in the map
 * only when it is a key, and stops reading a word's letters as soon as no key opens with them.
 */
const KEY_FLAGS = new Uint8Array(38 ** MAX_KEY);
const IS_KEY = 1;
const OPENS_KEY = 2;
let registered = 0;

/** Word characters of the lower-cased text, as the word index reads words: [a-z0-9_], coded 1 to 37 (else 0). */
const WORD_CODES = new Uint8Array(128);
for (let c = 97; c <= 122; c++) WORD_CODES[c] = c - 96;
for (let c = 48; c <= 57; c++) WORD_CODES[c] = c - 21;
WORD_CODES[95] = 37;
const wordCode = (code: number): number => (code < 128 ? WORD_CODES[code]! : 0);

/** A key as a number: its letters in base 38 (no letter codes 0, so keys of different lengths never collide). */
function keyCode(key: string): number {
  let code = 0;
  for (let i = 0; i < key.length; i++) code = code * 38 + wordCode(key.charCodeAt(i));
  return code;
}

function register(keys: readonly string[], literalsOf: (key: string) => string[]): LowerPatternBase {
  const id = registered++;
  keys.forEach((key, index) => {
    // A key shorter than a word prefix the index records (a literal like "u.s.") never has a position.
    if (key.length < MIN_KEY) return;
    const code = keyCode(key);
    let list = BY_KEY.get(code);
    if (!list) BY_KEY.set(code, (list = new Map<string, Registration>()));
    KEY_FLAGS[code]! |= IS_KEY;
    for (let length = MIN_KEY; length < key.length; length++)
      KEY_FLAGS[keyCode(key.slice(0, length))]! |= OPENS_KEY;
    flatLiterals = null;
    let root = LITERALS_BY_KEY.get(code);
    if (!root) LITERALS_BY_KEY.set(code, (root = literalNode()));
    for (const literal of literalsOf(key)) {
      const target = { pattern: id, key: index };
      const known = list.get(literal);
      if (known) known.targets.push(target);
      else {
        const registration = { literal, targets: [target] };
        list.set(literal, registration);
        let node = root;
        for (let at = key.length; at < literal.length; at++) {
          const char = literal.charCodeAt(at);
          const known = node.chars.indexOf(char);
          if (known === -1) {
            node.chars.push(char);
            node.nodes.push(literalNode());
          }
          node = node.nodes[known === -1 ? node.nodes.length - 1 : known]!;
        }
        (node.ends ??= []).push(registration);
      }
    }
  });
  return { id, keys: keys.length };
}

type LowerPatternBase = Pick<LowerPattern, 'id' | 'keys'>;

// Removing a group would renumber the groups a back-reference names.
const BACK_REFERENCE = /\\[1-9]|\\k</;
const MAX_OPTIONAL_GROUPS = 4;

/** The first group made optional by `?` that holds no other group: its span, `?` included (null: none). */
function firstOptionalGroup(source: string): { start: number; end: number } | null {
  let open = -1;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') open = source[i + 1] === '?' && source[i + 2] !== ':' ? -1 : i;
    else if (ch === ')') {
      if (open !== -1 && source[i + 1] === '?') return { start: open, end: i + 2 };
      open = -1;
    }
  }
  return null;
}

/**
 * Literals one of which opens a word wherever the pattern matches: `literalTriggers`, else, for a pattern that
 * opens with something optional ("\b(the )?(personal )?(data|information) …"), the literals of its two readings
 * with the first optional group required and removed, each read the same way (up to a few groups). Every match of
 * the pattern is a match of one of the two readings, so the union is as necessary as either.
 */
export function necessaryLiterals(source: string, depth = 0): string[] | null {
  const direct = literalTriggers(source);
  if (direct || depth >= MAX_OPTIONAL_GROUPS || BACK_REFERENCE.test(source)) return direct;
  const optional = firstOptionalGroup(source);
  if (!optional) return null;
  const before = source.slice(0, optional.start);
  const after = source.slice(optional.end);
  const group = source.slice(optional.start, optional.end - 1);
  const required = necessaryLiterals(`${before}${group}${after}`, depth + 1);
  const removed = required && necessaryLiterals(`${before}${after}`, depth + 1);
  return required && removed ? [...new Set([...required, ...removed])] : null;
}

/** Compiles a pattern source for the lower-cased text (flags other than `i`, `g` and `y` are kept). */
export function lowerPattern(source: string, flags = ''): LowerPattern {
  const kept = flags.replace(/[igy]/g, '');
  const direct = literalTriggers(source);
  // Literals read from an optional opening are new to the patterns they prefilter: their matches keep a scan's order.
  const literals = direct ?? necessaryLiterals(source);
  const keys = triggerKeys(literals) ?? [];
  const base = register(keys, (key) => (literals ?? []).filter((literal) => triggerKey(literal) === key));
  const pattern = {
    ...base,
    source,
    inTextOrder: direct === null,
    scan: new RegExp(source, `${kept}g`),
    sticky: new RegExp(source, `${kept}y`),
  };
  COMPILED.push(pattern);
  return pattern;
}

const COMPILED: LowerPattern[] = [];

/** Every pattern compiled so far (cues and attribute patterns once their modules are loaded). */
export const compiledPatterns = (): readonly LowerPattern[] => COMPILED;

/** A presence test by keys alone: true for a text when one of its words opens with one of the keys. */
export interface KeyPresence {
  readonly id: number;
  /** The literals tested, for a presence test of literals (see {@link literalPresence}). */
  readonly literals?: readonly string[];
}

export function keyPresence(keys: readonly string[]): KeyPresence {
  const cut = triggerKeys(keys) ?? [];
  return { id: register(cut, (key) => [key]).id };
}

/**
 * A presence test for a case-insensitive pattern run on the text itself: true for a text when one of the literals
 * its matches must open with is spelled out at a word start. Null when it has no such literals, or one too short to
 * be indexed (then the pattern must run).
 */
export function literalPresence(source: string): KeyPresence | null {
  const literals = necessaryLiterals(source);
  if (!literals || literals.some((literal) => triggerKey(literal).length < MIN_KEY)) return null;
  const keys = triggerKeys(literals)!;
  const id = register(keys, (key) => literals.filter((literal) => triggerKey(literal) === key)).id;
  return { id, literals };
}

/**
 * Whether a case-insensitive pattern with this presence test may match the text the prepared text was made from
 * (true when that cannot be told from the index: no test, no prepared text, or a text whose lower-case form has
 * other word starts; see {@link PreparedText.plain}). `masked`: when the prepared text is the text with some
 * spans blanked (link targets), those spans of the text, lower-cased; a literal found in them counts too.
 */
export function mayMatchText(
  presence: KeyPresence | null,
  prepared: PreparedText | null,
  masked = '',
): boolean {
  if (!presence || !prepared?.plain) return true;
  if (isPresent(presence, prepared)) return true;
  return masked !== '' && (presence.literals ?? ['']).some((literal) => masked.includes(literal));
}

/**
 * A lower-cased text with, per registered pattern and key, the word starts where one of its literals opens. In
 * `lower` a typographic apostrophe (’, as in "can’t") is the straight one, so that a cue written "can't" reads both
 * spellings; the replacement keeps every offset.
 */
export interface PreparedText {
  readonly lower: string;
  /**
   * The text's words start where its lower-cased form's do, and each character lower-cases to one: no "İ" (two
   * characters in lower case) and no Kelvin sign (which lower-cases to "k", a word character, while a
   * case-insensitive pattern reads it as no letter). Then a literal a case-insensitive pattern needs at a word
   * start of the text is spelled out at a word start of the lower-cased text.
   */
  readonly plain: boolean;
  /** By pattern id, then by key index: word starts in increasing order (undefined: none). */
  readonly candidates: ReadonlyArray<ReadonlyArray<number[] | undefined> | undefined>;
}

/** Lower-cases the text and finds, in one pass over its words, where each registered pattern may match. */
export function prepareText(text: string): PreparedText {
  const lower = withStraightApostrophes(text.toLowerCase());
  const candidates: Array<Array<number[] | undefined> | undefined> = new Array<undefined>(registered);
  const flat = (flatLiterals ??= flattenLiterals());
  const length = lower.length;
  let at = 0;
  while (at < length) {
    if (wordCode(lower.charCodeAt(at)) === 0) {
      at++;
      continue;
    }
    let end = at + 1;
    while (end < length && wordCode(lower.charCodeAt(end)) !== 0) end++;
    // Words of one character open no key.
    if (end - at >= MIN_KEY) {
      const longest = Math.min(end - at, MAX_KEY);
      let code = wordCode(lower.charCodeAt(at));
      for (let k = 1; k < longest; k++) {
        code = code * 38 + wordCode(lower.charCodeAt(at + k));
        const flags = KEY_FLAGS[code]!;
        if (flags & IS_KEY) {
          // Down the key's tree as far as the text spells a literal: every literal met ends where the text has it.
          let node = flat.rootOf.get(code)!;
          for (let next = at + k + 1; ; next++) {
            const ends = flat.ends[node]!;
            if (ends !== null)
              for (let e = 0; e < ends.length; e += 2) record(candidates, ends[e]!, ends[e + 1]!, at);
            // Past the end of the text the code is NaN, which no character equals. A loop: the branches are few.
            const char = lower.charCodeAt(next);
            let branch = flat.starts[node]!;
            const last = flat.starts[node + 1]!;
            while (branch < last && flat.chars[branch] !== char) branch++;
            if (branch === last) break;
            node = flat.targets[branch]!;
          }
        }
        if (!(flags & OPENS_KEY)) break;
      }
    }
    at = end;
  }
  return { lower, plain: lower.length === text.length && !text.includes('\u212a'), candidates };
}

function record(
  candidates: Array<Array<number[] | undefined> | undefined>,
  pattern: number,
  key: number,
  at: number,
): void {
  const byKey = (candidates[pattern] ??= []);
  const positions = byKey[key];
  if (!positions) byKey[key] = [at];
  // Two literals of one key may both be spelled out at a start ("data", "data subject"): record it once.
  else if (positions[positions.length - 1] !== at) positions.push(at);
}

/** True when one of the words of the prepared text opens with one of the keys. */
export function isPresent(presence: KeyPresence, prepared: PreparedText): boolean {
  if (presence.id >= prepared.candidates.length) throw new Error(LATE);
  return prepared.candidates[presence.id] !== undefined;
}

const NO_HITS: readonly Hit[] = [];
const LATE = 'cue-matcher: pattern compiled after the text was prepared';

/** Where a match lies, without its match array. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Where a non-empty match of a sticky pattern starting at `start` ends, else -1. `test` builds no match array (most
 * tries fail, and a success needs only its end): it leaves `lastIndex` at the end of the match.
 */
function matchEndAt(sticky: RegExp, text: string, start: number): number {
  sticky.lastIndex = start;
  return sticky.test(text) && sticky.lastIndex > start ? sticky.lastIndex : -1;
}

/** The match of a sticky pattern at a span found by {@link matchEndAt} (the same match, now with its groups). */
function hitAt(sticky: RegExp, text: string, span: Span): Hit {
  sticky.lastIndex = span.start;
  return { start: span.start, end: span.end, match: sticky.exec(text)! };
}

/**
 * The first `limit` non-overlapping matches of a pattern in the prepared text. The same as trying the sticky pattern
 * at every start of a word that opens with one of its keys, key by key, then merging: a start where none of the
 * key's literals is spelled out cannot open a match, so leaving it out changes nothing but the cost.
 */
export function lowerHits(pattern: LowerPattern, prepared: PreparedText, limit: number): readonly Hit[] {
  if (pattern.keys === 0) return scanHits(pattern.scan, prepared.lower, limit);
  const spans = lowerSpans(pattern, prepared, limit);
  return spans.length === 0 ? NO_HITS : spans.map((span) => hitAt(pattern.sticky, prepared.lower, span));
}

/** The spans of the matches {@link lowerHits} finds, without building a match array per try. */
export function lowerSpans(pattern: LowerPattern, prepared: PreparedText, limit: number): readonly Span[] {
  if (pattern.keys === 0) return scanHits(pattern.scan, prepared.lower, limit);
  // Texts are prepared for the patterns registered so far; all are compiled at module load.
  if (pattern.id >= prepared.candidates.length) throw new Error(LATE);
  const byKey = prepared.candidates[pattern.id];
  if (!byKey) return NO_HITS;
  const { sticky } = pattern;
  const lower = prepared.lower;
  if (pattern.inTextOrder) return spansInTextOrder(sticky, byKey, lower, limit);

  const spans: Span[] = [];
  for (const positions of byKey) if (positions) spans.push(...leftmostSpans(sticky, lower, positions, limit));
  if (spans.length < 2) return spans;
  if (pattern.keys > 1) spans.sort((a, b) => a.start - b.start);
  const distinct: Span[] = [];
  for (const span of spans) {
    if (distinct.length > 0 && span.start < distinct[distinct.length - 1]!.end) continue;
    distinct.push(span);
    if (distinct.length >= limit) break;
  }
  return distinct;
}

/**
 * A test whether a pattern matches anywhere in a prepared text, for patterns read only for that (attribute flags).
 * A pattern without literals scans the text, trying each of its alternatives at every position; when some of its
 * alternatives have literals, it matches exactly when one of its alternatives does, so each is compiled on its own:
 * those with literals are tried at their candidate starts, the others (a number first: `\d{1,2} years old`) scan.
 * A whole wrapped in `\b( … )` is read as `\b` before each alternative.
 */
export interface LowerPresence {
  readonly parts: readonly LowerPattern[];
}

export function lowerPresence(source: string, flags = ''): LowerPresence {
  return { parts: presenceParts(source, flags) };
}

function presenceParts(source: string, flags: string): LowerPattern[] {
  const whole = () => [lowerPattern(source, flags)];
  if (necessaryLiterals(source) || BACK_REFERENCE.test(source)) return whole();
  const parts = alternatives(source);
  if (parts && parts.length > 1) return parts.flatMap((part) => presenceParts(part, flags));
  // Not a lookahead or a named group: `\b(?=…)` is no wrapper.
  const wrapped = /^\\b\((?:\?:)?(?!\?)/.exec(source);
  if (wrapped && closingParen(source, 2) === source.length - 1) {
    const inner = alternatives(source.slice(wrapped[0].length, -1));
    if (inner && inner.length > 1) return inner.flatMap((part) => presenceParts(`\\b${part}`, flags));
  }
  return whole();
}

export function lowerPresent(presence: LowerPresence, prepared: PreparedText): boolean {
  return presence.parts.some((part) => lowerMatches(part, prepared));
}

/**
 * Whether {@link lowerHits} finds a match at all: the first non-empty match at any candidate start (or, for a pattern
 * without literals, any match of the scan) answers, whatever its order among the others.
 */
export function lowerMatches(pattern: LowerPattern, prepared: PreparedText): boolean {
  if (pattern.keys === 0) {
    pattern.scan.lastIndex = 0;
    return pattern.scan.test(prepared.lower);
  }
  if (pattern.id >= prepared.candidates.length) throw new Error(LATE);
  const byKey = prepared.candidates[pattern.id];
  if (!byKey) return false;
  for (const positions of byKey)
    if (positions)
      for (const start of positions)
        if (matchEndAt(pattern.sticky, prepared.lower, start) !== -1) return true;
  return false;
}

/** The matches a scan finds, tried only at the candidate starts (all keys merged, in text order). */
function spansInTextOrder(
  sticky: RegExp,
  byKey: ReadonlyArray<number[] | undefined>,
  text: string,
  limit: number,
): Span[] {
  const starts: number[] = [];
  for (const positions of byKey) if (positions) for (const start of positions) starts.push(start);
  if (byKey.length > 1) starts.sort((a, b) => a - b);
  return leftmostSpans(sticky, text, starts, limit);
}

/**
 * The first `limit` non-overlapping matches of a sticky pattern tried at `starts` (ascending), as a scan would find
 * them: a start inside the previous match is skipped.
 */
function leftmostSpans(sticky: RegExp, text: string, starts: readonly number[], limit: number): Span[] {
  const spans: Span[] = [];
  let after = 0;
  for (const start of starts) {
    if (start < after) continue;
    const end = matchEndAt(sticky, text, start);
    if (end === -1) continue;
    spans.push({ start, end });
    after = end;
    if (spans.length >= limit) break;
  }
  return spans;
}

/** A case-insensitive pattern run on the text itself (its offsets and cases), with a presence test of its literals. */
export interface TextPattern {
  readonly scan: RegExp;
  readonly sticky: RegExp;
  readonly presence: KeyPresence | null;
}

export function textPattern(pattern: RegExp): TextPattern {
  const flags = pattern.flags.replace(/[gy]/g, '');
  return {
    scan: new RegExp(pattern.source, `${flags}g`),
    sticky: new RegExp(pattern.source, `${flags}y`),
    presence: literalPresence(pattern.source),
  };
}

/**
 * The first `limit` matches a scan of the text finds (`prepared` is the text's own): tried only where one of the
 * pattern's literals opens a word when the index can tell (see {@link mayMatchText}), else by the scan itself.
 */
export function textMatches(
  pattern: TextPattern,
  text: string,
  prepared: PreparedText,
  limit: number,
): RegExpExecArray[] {
  if (!pattern.presence || !prepared.plain)
    return scanHits(pattern.scan, text, limit).map((hit) => hit.match);
  if (pattern.presence.id >= prepared.candidates.length) throw new Error(LATE);
  const byKey = prepared.candidates[pattern.presence.id];
  return byKey
    ? spansInTextOrder(pattern.sticky, byKey, text, limit).map(
        (span) => hitAt(pattern.sticky, text, span).match,
      )
    : [];
}

/**
 * `pattern.scan.test(text)`, tried only at the word starts where one of the pattern's literals is spelled out when
 * the index can tell. `prepared` may be made from the text with some spans blanked (link targets) and `masked` hold
 * those spans, lower-cased (see {@link mayMatchText}): a literal found in them sends the pattern to the whole text.
 * Outside them the two texts are the same, and a literal (no parenthesis in it) cannot run into a blanked span,
 * which opens on one: a match starting there starts at a recorded word start.
 */
export function testText(pattern: TextPattern, text: string, prepared: PreparedText, masked = ''): boolean {
  const { presence } = pattern;
  const literals = presence?.literals;
  const byStarts =
    presence !== null &&
    literals !== undefined &&
    prepared.plain &&
    !literals.some((literal) => OPENS_OR_CLOSES.test(literal)) &&
    (masked === '' || !literals.some((literal) => masked.includes(literal)));
  if (!byStarts) {
    if (!mayMatchText(presence, prepared, masked)) return false;
    pattern.scan.lastIndex = 0;
    return pattern.scan.test(text);
  }
  if (presence.id >= prepared.candidates.length) throw new Error(LATE);
  const byKey = prepared.candidates[presence.id];
  if (!byKey) return false;
  const { sticky } = pattern;
  for (const positions of byKey)
    if (positions)
      for (const start of positions) {
        sticky.lastIndex = start;
        if (sticky.test(text)) return true;
      }
  return false;
}

const OPENS_OR_CLOSES = /[()[\]]/;

/** The first `limit` matches of a global pattern by a scan (an empty match steps on by one). */
export function scanHits(pattern: RegExp, text: string, limit: number): Hit[] {
  const hits: Hit[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null && hits.length < limit; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex++;
    hits.push({ start: m.index, end: m.index + m[0].length, match: m });
  }
  return hits;
}

const SPACE = /\s/;

const ASTERISK = 42;
const BULLET = 0x2022;

/**
 * The pieces of `text.split(/\n|(?=\s[*•]\s)/)` in order, until `visit` returns false (a reader that has seen enough
 * stops): lines, and within a line the items that follow a bullet between spaces ("… * 2. What …"). The regular
 * expression would be tried at every character; here a bullet is looked for first. As with `split`, a cut that would
 * open an empty piece where the previous one ended is not made.
 */
export function forEachItem(text: string, visit: (piece: string) => boolean): void {
  let from = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 10) {
      if (!visit(text.slice(from, at))) return;
      from = at + 1;
    } else if (at > from) {
      const next = text.charCodeAt(at + 1);
      if (
        (next === ASTERISK || next === BULLET) &&
        at + 2 < text.length &&
        SPACE.test(text[at]!) &&
        SPACE.test(text[at + 2]!)
      ) {
        if (!visit(text.slice(from, at))) return;
        from = at;
      }
    }
  }
  visit(text.slice(from));
}
