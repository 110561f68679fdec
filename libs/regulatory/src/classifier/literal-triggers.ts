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
    for (const part of parts) {
      const triggers = leading(part, atWordStart);
      if (!triggers) return null;
      result.push(...triggers);
    }
    return result;
  }
  if (!atWordStart) return null;
  let literal = '';
  while (i < alternative.length) {
    const rest = alternative.slice(i);
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
    if (QUANTIFIER.test(alternative.slice(i + width)) || alternative[i + width] === '+') break;
    literal += ch;
    i += width;
  }
  return literal.length >= MIN_TRIGGER && /^[a-z0-9_]/.test(literal) ? [literal] : null;
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

/** Compiles triggers to index keys (null stays null: the pattern always runs). */
export function triggerKeys(triggers: readonly string[] | null): readonly string[] | null {
  return triggers ? [...new Set(triggers.map(triggerKey))] : null;
}

const WORD = /[a-z0-9_]+/g;

/** Every prefix (2 to {@link KEY_LENGTH} characters) of every distinct word of a lower-cased text. */
export function wordStarts(lowerText: string): Set<string> {
  const words = new Set<string>();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lowerText); m !== null; m = WORD.exec(lowerText)) words.add(m[0]);
  const starts = new Set<string>();
  for (const word of words) {
    const longest = Math.min(word.length, KEY_LENGTH);
    for (let k = MIN_TRIGGER; k <= longest; k++) starts.add(word.slice(0, k));
  }
  return starts;
}

/** True when a pattern with these trigger keys may match the text whose word starts are given. */
export function mayMatch(keys: readonly string[] | null, starts: ReadonlySet<string>): boolean {
  if (!keys) return true;
  for (const key of keys) if (starts.has(key)) return true;
  return false;
}
