import { withStraightApostrophes } from '../apostrophes';

/**
 * Features of the learned component: word unigrams and bigrams of the provision, lower-cased, with link targets,
 * markup and numbers left out. Each feature keeps the span of its first occurrence so that the classifier can show
 * the words that weighed as evidence.
 */
export interface FeatureSpan {
  readonly start: number;
  readonly end: number;
}

// Words of two letters or more (/[a-z][a-z'’-]*[a-z]/, scanned by hand below: no match object per word);
// apostrophes and inner hyphens stay inside a word ("third-party", "user's").
const isLetter = (code: number) => code >= 97 && code <= 122;
const APOSTROPHE = 39;
const HYPHEN = 45;
const CURLY_APOSTROPHE = 0x2019;
const isInner = (code: number) =>
  isLetter(code) || code === APOSTROPHE || code === HYPHEN || code === CURLY_APOSTROPHE;
// Only the opening of a long section is read: cost stays bounded, and the opening states the topic.
const MAX_CHARS = 6000;
// Words too common in legal prose to say anything about a category, on their own or in a bigram.
const STOPWORDS = new Set(
  'the of and or to in a an is are be by for on with as at it its this that these those from we you your our us'
    .split(' ')
    .concat(
      'may will shall can not any all such other which who when where if than then there their they'.split(
        ' ',
      ),
    ),
);

/**
 * A word of letters a-z only, up to six of them, as a number (base 27, no letter codes 0): the stopwords' codes are
 * tested before the word is cut out of the text, so the most frequent words cost no string. -1 for any other word.
 */
function letterCode(text: string, start: number, end: number): number {
  if (end - start > 6) return -1;
  let code = 0;
  for (let at = start; at < end; at++) {
    const char = text.charCodeAt(at);
    if (!isLetter(char)) return -1;
    code = code * 27 + (char - 96);
  }
  return code;
}
const STOPWORD_CODES = new Set([...STOPWORDS].map((word) => letterCode(word, 0, word.length)));

/** Link targets `](…)` blanked (same length), so URLs never count as words. */
function withoutLinkTargets(text: string): string {
  return text.replace(/\]\([^)\s]{0,2048}\)/g, (m) => ']' + ' '.repeat(m.length - 1));
}

/** How the caller already read the text (see {@link forEachWord}). */
export interface WordOptions {
  /** The caller already blanked link targets (same length, as the classifier does in one linear pass). */
  readonly linksMasked?: boolean;
  /** The text lower-cased, when the caller has it (the classifier's cue matching lower-cases the text once). */
  readonly lower?: string;
}

/**
 * Visits the words of a text that features are made of, in order, with their offsets and whether they follow the
 * previously visited word directly (no stopword between: the two make a bigram). One tokenizer for training and
 * scoring, so both read the same features. `linksMasked`: the bounded-but-rescanning regular expression is skipped.
 */
export function forEachWord(
  text: string,
  visit: (word: string, start: number, end: number, joined: boolean) => void,
  options: WordOptions = {},
): void {
  // The caller's lower-cased text is read in place, up to the head's end, when lower-casing kept the whole text's
  // length: then no character lower-cases to more than one (none to fewer), so its first characters are the head's
  // lower-cased (but for a capital sigma whose final form depends on the letter after the cut: never a letter a-z,
  // an apostrophe or a hyphen, so the words read are the same). Reading in place spares a copy of the head and
  // the slower reads of a sliced string.
  const lower = options.linksMasked ? options.lower : undefined;
  const inPlace = lower !== undefined && lower.length === text.length;
  const head = inPlace ? text : text.slice(0, MAX_CHARS);
  const scanned = inPlace
    ? lower
    : options.linksMasked
      ? head.toLowerCase()
      : withoutLinkTargets(head).toLowerCase();
  // Offsets are only reported when lower-casing kept the length (almost always); else the first word's position.
  const exact = scanned.length === head.length;
  let joined = false;
  const length = Math.min(scanned.length, MAX_CHARS);
  let at = 0;
  while (at < length) {
    if (!isLetter(scanned.charCodeAt(at))) {
      at++;
      continue;
    }
    // The longest run of word characters, then back to its last letter (the regular expression's backtracking).
    let end = at + 1;
    let curly = false;
    for (let code = scanned.charCodeAt(end); end < length && isInner(code); code = scanned.charCodeAt(++end))
      curly ||= code === CURLY_APOSTROPHE;
    while (end > at + 1 && !isLetter(scanned.charCodeAt(end - 1))) end--;
    if (end === at + 1) {
      at++;
      continue;
    }
    if (STOPWORD_CODES.has(letterCode(scanned, at, end))) joined = false;
    else {
      const raw = scanned.slice(at, end);
      const word = curly ? withStraightApostrophes(raw) : raw;
      visit(word, exact ? at : 0, exact ? end : 0, joined);
      joined = true;
    }
    at = end;
  }
}

/** The features of a text with the span of each one's first occurrence (offsets into the given text). */
export function featuresOf(text: string): Map<string, FeatureSpan> {
  const features = new Map<string, FeatureSpan>();
  let previous = { word: '', start: 0 };
  forEachWord(text, (word, start, end, joined) => {
    if (!features.has(word)) features.set(word, { start, end });
    if (joined) {
      const bigram = `${previous.word} ${word}`;
      if (!features.has(bigram)) features.set(bigram, { start: previous.start, end });
    }
    previous = { word, start };
  });
  return features;
}
