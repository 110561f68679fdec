import { createHash } from 'node:crypto';

import { canonicaliseMarkdownLinks, type LinkOptions } from './canonicalise-url';

/** Options of the text normalisation; every field is optional and the defaults are what versions use. */
export interface NormaliseOptions extends LinkOptions {
  /** Leave link targets exactly as they are (used when a caller only wants whitespace and Unicode rules). */
  readonly keepLinks?: boolean;
}

export interface NormalisedText {
  readonly text: string;
  /** Names of the rules that changed something, in the order they ran. */
  readonly rulesFired: string[];
}

// Space separators that render as a plain space: no-break, figure, narrow no-break, en/em quads, ideographic...
const SPACE_LIKE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
// Invisible characters that only change the byte stream: zero-width space/joiners, word joiner, BOM, soft hyphen.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// C0/C1 control characters other than tab and newline, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

function step(state: { text: string; rules: string[] }, rule: string, apply: (text: string) => string): void {
  const next = apply(state.text);
  if (next !== state.text) {
    state.text = next;
    state.rules.push(rule);
  }
}

/** Collapse runs of spaces inside a line, keeping its indentation (which carries list nesting in Markdown). */
function canonicalLine(line: string): string {
  const trimmed = line.replace(/[ \t]+$/, '');
  const indent = /^[ ]*/.exec(trimmed)![0];
  const rest = trimmed.slice(indent.length).replace(/[ \t]{2,}|\t/g, ' ');
  return indent + rest;
}

function canonicalWhitespace(text: string): string {
  const lines = text.split('\n').map(canonicalLine);
  const out: string[] = [];
  let blank = 0;
  for (const line of lines) {
    if (line === '') {
      blank++;
      continue;
    }
    if (out.length > 0 && blank > 0) out.push('');
    blank = 0;
    out.push(line);
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/**
 * The canonical form of an extracted text: NFC, plain spaces, no invisible characters, no trailing spaces,
 * at most one blank line in a row, one final newline, and link targets without tracking parameters.
 * Idempotent: normalising a normalised text changes nothing.
 */
export function normaliseText(input: string, options: NormaliseOptions = {}): NormalisedText {
  const state = { text: input, rules: [] as string[] };
  step(state, 'line-endings', (t) => t.replace(/\r\n?/g, '\n').replace(/[\u2028\u2029]/g, '\n'));
  step(state, 'space-like-to-space', (t) => t.replace(SPACE_LIKE, ' '));
  step(state, 'zero-width-removed', (t) => t.replace(ZERO_WIDTH, ''));
  step(state, 'control-chars-removed', (t) => t.replace(CONTROL, ''));
  // After the removals: taking a character out from between a letter and its accent can make them composable.
  step(state, 'unicode-nfc', (t) => t.normalize('NFC'));
  if (!options.keepLinks) {
    const links = canonicaliseMarkdownLinks(state.text, options);
    state.text = links.text;
    state.rules.push(...links.rulesFired);
  }
  step(state, 'whitespace-canonical', canonicalWhitespace);
  return { text: state.text, rulesFired: state.rules };
}

/**
 * The form two texts are compared in: the canonical text, so that texts differing only in whitespace,
 * invisible characters or removed link noise compare equal. Case, punctuation and wording still count.
 */
export function normaliseForComparison(text: string, options: LinkOptions = {}): string {
  return normaliseText(text, options).text;
}

/** sha256 (hex) of the comparison form of a text. */
export function textFingerprint(text: string, options: LinkOptions = {}): string {
  return createHash('sha256').update(normaliseForComparison(text, options), 'utf8').digest('hex');
}

/**
 * Phrases that date a page relative to the moment it is read ("Updated: 5 days ago", "an hour ago",
 * "yesterday"): they change with the day of the fetch, not with the terms.
 */
const RELATIVE_TIME =
  /\b(?:(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago|yesterday|today|just now)\b/gi;

/** The text with every relative time replaced by `replacement`. */
export function maskRelativeTimes(text: string, replacement: string): string {
  return text.replace(RELATIVE_TIME, replacement);
}

/**
 * Comparison masks that can be switched on (`TERMLINE_VOLATILE_MASKS`) on top of the link-target mask, which
 * always applies. `relative-times`: see maskRelativeTimes. Off by default: such a change is then recorded as a
 * version, and its diff judges it cosmetic.
 */
export const VOLATILE_MASKS = ['relative-times'] as const;
export type VolatileMask = (typeof VOLATILE_MASKS)[number];
