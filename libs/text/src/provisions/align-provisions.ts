import { type Provision, provisionBody, segmentProvisions, sha256, uniqueId } from './segment-provisions';

/** How a provision of the new version relates to the previous version. Unchanged provisions have no entry. */
export type LineageEntry =
  | { readonly kind: 'added'; readonly id: string }
  | { readonly kind: 'removed'; readonly id: string }
  | { readonly kind: 'modified'; readonly id: string; readonly similarity: number }
  | { readonly kind: 'moved'; readonly id: string; readonly modified: boolean }
  | {
      readonly kind: 'renamed';
      readonly id: string;
      readonly previousHeading: string;
      readonly heading: string;
      readonly modified: boolean;
    }
  | { readonly kind: 'split'; readonly from: string; readonly into: readonly string[] }
  | { readonly kind: 'merged'; readonly from: readonly string[]; readonly into: string };

export type LineageKind = LineageEntry['kind'];

export interface Alignment {
  /** The new version's provisions, with ids carried over where they continue an earlier provision. */
  readonly provisions: Provision[];
  readonly lineage: LineageEntry[];
  /** For each new provision (by index), the index of the previous provision it continues, or -1. */
  readonly previousIndex: readonly number[];
  /** For each new provision, the shingle similarity (Dice) with the provision it continues (1 when identical). */
  readonly similarity: readonly number[];
}

export interface AlignOptions {
  /** Least shingle similarity (Dice) for two provisions to be the same one, modified. */
  readonly minSimilarity?: number;
  /** Least share of a piece's shingles found in the whole for a split or a merge. */
  readonly minContainment?: number;
  /** Above this many candidate pairs the similarity pass is skipped (what is left is added/removed). */
  readonly maxSimilarityPairs?: number;
}

const DEFAULTS = { minSimilarity: 0.5, minContainment: 0.6, maxSimilarityPairs: 250_000 };

function headingKey(provision: Provision): string {
  return provision.heading
    .toLowerCase()
    .replace(/^\(?[0-9a-z]{1,3}(?:\.\d+)*[.)]?\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Word 3-shingles as numbers. Words are numbered in `vocabulary` (one per comparison, so that both sides number a
 * word alike) from 1, and three numbers are packed into one below 2^51; a text of fewer than three words gives its
 * words' numbers, all below 2^17, so a word never equals a shingle. A word numbered 2^17 or more (a vocabulary that
 * large is rare) makes its shingles strings, which stay exact. Numbers instead of joined words: a quarter less
 * time to align.
 */
type Shingle = number | string;
type Shingles = Set<Shingle>;
const WORD_SPACE = 2 ** 17;

function shingles(text: string, vocabulary: Map<string, number>): Shingles {
  const words = provisionBody(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const numbers = words.map((word) => {
    let n = vocabulary.get(word);
    if (n === undefined) {
      n = vocabulary.size + 1;
      vocabulary.set(word, n);
    }
    return n;
  });
  const set: Shingles = new Set();
  if (numbers.length < 3) {
    for (const n of numbers) set.add(n < WORD_SPACE ? n : `${n}`);
    return set;
  }
  for (let i = 0; i + 2 < numbers.length; i++) {
    const [a, b, c] = [numbers[i]!, numbers[i + 1]!, numbers[i + 2]!];
    set.add(
      a < WORD_SPACE && b < WORD_SPACE && c < WORD_SPACE
        ? (a * WORD_SPACE + b) * WORD_SPACE + c
        : `${a} ${b} ${c}`,
    );
  }
  return set;
}

function intersection(a: Shingles, b: Shingles): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const s of small) if (large.has(s)) n++;
  return n;
}

function dice(a: Shingles, b: Shingles): number {
  if (a.size === 0 && b.size === 0) return 1;
  return (2 * intersection(a, b)) / (a.size + b.size);
}

function containment(piece: Shingles, whole: Shingles): number {
  return piece.size === 0 ? 0 : intersection(piece, whole) / piece.size;
}

/** Indices (into `seq`) of a longest strictly increasing subsequence, O(n log n). */
export function longestIncreasing(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i !== -1; i = prev[i]!) keep.add(i);
  return keep;
}

type Match = 'exact' | 'body' | 'heading' | 'similar' | 'position';

type Options = typeof DEFAULTS;

/**
 * The pairing of the new version's provisions with the previous version's, as the passes build it: each pass pairs
 * only what the passes before it left.
 */
interface Pairing {
  readonly previous: readonly Provision[];
  readonly next: readonly Provision[];
  /** For each new provision, the index of the previous one it continues, or -1. */
  readonly prevOf: number[];
  readonly how: (Match | null)[];
  readonly similarity: number[];
  /** Previous provisions already paired. */
  readonly used: boolean[];
  /** Word 3-shingles of a provision, computed once. */
  readonly shinglesOf: (provision: Provision) => Shingles;
}

function startPairing(previous: readonly Provision[], next: readonly Provision[]): Pairing {
  const cache = new Map<Provision, Shingles>();
  const vocabulary = new Map<string, number>();
  return {
    previous,
    next,
    prevOf: new Array<number>(next.length).fill(-1),
    how: new Array<Match | null>(next.length).fill(null),
    similarity: new Array<number>(next.length).fill(1),
    used: new Array<boolean>(previous.length).fill(false),
    shinglesOf: (provision) => {
      let set = cache.get(provision);
      if (!set) {
        set = shingles(provision.text, vocabulary);
        cache.set(provision, set);
      }
      return set;
    },
  };
}

function pair(pairing: Pairing, i: number, j: number, kind: Match): void {
  pairing.prevOf[j] = i;
  pairing.used[i] = true;
  pairing.how[j] = kind;
}

const unpairedPrevious = ({ previous, used }: Pairing): number[] =>
  previous.map((_, i) => i).filter((i) => !used[i]);
const unpairedNext = ({ next, prevOf }: Pairing): number[] =>
  next.map((_, j) => j).filter((j) => prevOf[j] === -1);

/** Pairs leftovers with an equal non-empty key, in document order on both sides. */
function pairByKey(pairing: Pairing, key: (p: Provision) => string, kind: Match): void {
  const { previous, next, used, prevOf } = pairing;
  const queues = new Map<string, number[]>();
  previous.forEach((p, i) => {
    if (used[i]) return;
    const k = key(p);
    if (k === '') return;
    const queue = queues.get(k);
    if (queue) queue.push(i);
    else queues.set(k, [i]);
  });
  next.forEach((n, j) => {
    if (prevOf[j] !== -1) return;
    const i = queues.get(key(n))?.shift();
    if (i !== undefined) pair(pairing, i, j, kind);
  });
}

/** Step 1: identical provisions, then identical bodies (renumbered or retitled), then equal headings. */
function pairByIdentity(pairing: Pairing): void {
  pairByKey(pairing, (p) => p.hash, 'exact');
  pairByKey(
    pairing,
    (p) => {
      // Same words without the number and markers: renumbered or reformatted. Computed for leftovers only.
      const body = provisionBody(p.text);
      return body === '' ? '' : sha256(body);
    },
    'body',
  );
  pairByKey(pairing, headingKey, 'heading');
  // The preamble continues the preamble, whatever happened to it (its "heading" is only its first words).
  const { previous, next, prevOf, used } = pairing;
  if (next[0]?.kind === 'preamble' && previous[0]?.kind === 'preamble' && prevOf[0] === -1 && !used[0])
    pair(pairing, 0, 0, 'heading');
}

/** Step 2: similar leftovers (Dice over word 3-shingles), best pairs first; skipped above maxSimilarityPairs. */
function pairBySimilarity(pairing: Pairing, opts: Options): void {
  const { previous, next, prevOf, used, how, similarity, shinglesOf: sh } = pairing;
  const freePrev = unpairedPrevious(pairing);
  const freeNext = unpairedNext(pairing);
  if (freePrev.length * freeNext.length > opts.maxSimilarityPairs) return;
  // Shared shingles counted through an inverted index: only pairs with something in common cost anything.
  const postings = new Map<Shingle, number[]>();
  for (const i of freePrev) {
    for (const s of sh(previous[i]!)) {
      const list = postings.get(s);
      if (list) list.push(i);
      else postings.set(s, [i]);
    }
  }
  const pairs: { i: number; j: number; score: number }[] = [];
  const shared = new Map<number, number>();
  // With no previous provision left there is nothing to pair with, and the new ones' shingles (seconds of work
  // for a first version of 20 MB) are not needed.
  for (const j of freePrev.length === 0 ? [] : freeNext) {
    shared.clear();
    const mine = sh(next[j]!);
    for (const s of mine) for (const i of postings.get(s) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    for (const [i, count] of shared) {
      const score = (2 * count) / (sh(previous[i]!).size + mine.size);
      if (score >= opts.minSimilarity) pairs.push({ i, j, score });
    }
    if (mine.size === 0) {
      for (const i of freePrev) if (sh(previous[i]!).size === 0) pairs.push({ i, j, score: 1 });
    }
  }
  pairs.sort((a, b) => b.score - a.score || a.j - b.j || a.i - b.i);
  for (const { i, j, score } of pairs) {
    if (used[i] || prevOf[j] !== -1) continue;
    pair(pairing, i, j, 'similar');
    similarity[j] = score;
  }
  for (const j of next.keys())
    if (how[j] === 'heading') similarity[j] = dice(sh(previous[prevOf[j]!]!), sh(next[j]!));
}

/**
 * Step 3, the positional pass: between two continued provisions, leftovers that are as many on both sides and of
 * the same kinds, pairwise, are the same provisions reworded (a dated heading, a short clause rewritten).
 */
function pairByPosition(pairing: Pairing): void {
  const { previous, next, prevOf, used, similarity, shinglesOf: sh } = pairing;
  const anchors = next
    .map((_, j) => j)
    .filter((j) => prevOf[j] !== -1)
    .map((j) => ({ i: prevOf[j]!, j }));
  anchors.unshift({ i: -1, j: -1 });
  anchors.push({ i: previous.length, j: next.length });
  for (let k = 1; k < anchors.length; k++) {
    const low = anchors[k - 1]!;
    const high = anchors[k]!;
    if (high.i <= low.i) continue;
    const gapNext: number[] = [];
    for (let j = low.j + 1; j < high.j; j++) if (prevOf[j] === -1) gapNext.push(j);
    const gapPrev: number[] = [];
    for (let i = low.i + 1; i < high.i; i++) if (!used[i]) gapPrev.push(i);
    if (gapNext.length === 0 || gapNext.length !== gapPrev.length) continue;
    if (!gapNext.every((j, n) => next[j]!.kind === previous[gapPrev[n]!]!.kind)) continue;
    gapNext.forEach((j, n) => {
      const i = gapPrev[n]!;
      pair(pairing, i, j, 'position');
      similarity[j] = dice(sh(previous[i]!), sh(next[j]!));
    });
  }
}

interface SplitsAndMerges {
  /** Previous index -> the extra new pieces it was split into (beside the provision that continues it). */
  readonly splitInto: Map<number, number[]>;
  /** New index -> the extra previous pieces merged into it. */
  readonly mergedFrom: Map<number, number[]>;
}

/** Step 4: leftovers whose words are mostly found in a paired provision are pieces of a split or a merge. */
function findSplitsAndMerges(pairing: Pairing, opts: Options): SplitsAndMerges {
  const { previous, next, prevOf, how, shinglesOf: sh } = pairing;
  const freePrev = unpairedPrevious(pairing);
  const freeNext = unpairedNext(pairing);
  const splitInto = new Map<number, number[]>();
  const mergedFrom = new Map<number, number[]>();
  if (freePrev.length * (next.length - freeNext.length) > opts.maxSimilarityPairs)
    return { splitInto, mergedFrom };
  const matchedNext = next.map((_, j) => j).filter((j) => prevOf[j] !== -1 && how[j] !== 'exact');
  // The split pass compares every new leftover with every reworded provision: bounded on its own too (12,000
  // reworded provisions and 2,000 added ones took 25.9 s here before this bound, 0.49 s with it; the merge pass is
  // the one above).
  const splits = freeNext.length * matchedNext.length <= opts.maxSimilarityPairs ? freeNext : [];
  for (const j of splits) {
    const whole = matchedNext
      .map((m) => ({ i: prevOf[m]!, c: containment(sh(next[j]!), sh(previous[prevOf[m]!]!)) }))
      .filter((x) => x.c >= opts.minContainment)
      .sort((a, b) => b.c - a.c)[0];
    if (!whole) continue;
    const pieces = splitInto.get(whole.i);
    if (pieces) pieces.push(j);
    else splitInto.set(whole.i, [j]);
  }
  for (const i of freePrev) {
    const whole = matchedNext
      .map((m) => ({ j: m, c: containment(sh(previous[i]!), sh(next[m]!)) }))
      .filter((x) => x.c >= opts.minContainment)
      .sort((a, b) => b.c - a.c)[0];
    if (!whole) continue;
    const pieces = mergedFrom.get(whole.j);
    if (pieces) pieces.push(i);
    else mergedFrom.set(whole.j, [i]);
  }
  return { splitInto, mergedFrom };
}

/** Step 5, ids: continued provisions keep theirs; new ones get a slug that no provision ever had here. */
function assignIds({ previous, next, prevOf }: Pairing): string[] {
  const taken = new Set(previous.map((p) => p.id));
  const ids = next.map((_, j) => (prevOf[j] !== -1 ? previous[prevOf[j]!]!.id : ''));
  next.forEach((n, j) => {
    if (!ids[j]) ids[j] = uniqueId(n.heading, taken);
  });
  return ids;
}

/** Step 6: what happened to each provision, in the new version's order, then the removals. */
function describeLineage(pairing: Pairing, ids: readonly string[], pieces: SplitsAndMerges): LineageEntry[] {
  const { previous, next, prevOf, how, similarity, used } = pairing;
  const { splitInto, mergedFrom } = pieces;
  const splitPieces = new Set([...splitInto.values()].flat());
  const mergedPieces = new Set([...mergedFrom.values()].flat());
  // Order changes: matched provisions outside a longest increasing run of previous positions moved.
  const matched = next.map((_, j) => j).filter((j) => prevOf[j] !== -1);
  const inOrder = longestIncreasing(matched.map((j) => prevOf[j]!));
  const moved = new Set(matched.filter((_, k) => !inOrder.has(k)));

  const lineage: LineageEntry[] = [];
  next.forEach((n, j) => {
    const i = prevOf[j]!;
    if (i === -1) {
      if (!splitPieces.has(j)) lineage.push({ kind: 'added', id: ids[j]! });
      return;
    }
    const p = previous[i]!;
    const changed = p.hash !== n.hash;
    const headingChanged = changed && (p.number !== n.number || headingKey(p) !== headingKey(n));
    if (moved.has(j)) lineage.push({ kind: 'moved', id: ids[j]!, modified: changed });
    else if (
      changed &&
      headingChanged &&
      (how[j] === 'body' || how[j] === 'similar' || how[j] === 'position')
    ) {
      lineage.push({
        kind: 'renamed',
        id: ids[j]!,
        previousHeading: p.heading,
        heading: n.heading,
        modified: how[j] !== 'body',
      });
    } else if (changed) lineage.push({ kind: 'modified', id: ids[j]!, similarity: round(similarity[j]!) });
    const split = splitInto.get(i);
    if (split) lineage.push({ kind: 'split', from: p.id, into: [ids[j]!, ...split.map((k) => ids[k]!)] });
    const sources = mergedFrom.get(j);
    if (sources)
      lineage.push({ kind: 'merged', from: [p.id, ...sources.map((k) => previous[k]!.id)], into: ids[j]! });
  });
  previous.forEach((p, i) => {
    if (!used[i] && !mergedPieces.has(i)) lineage.push({ kind: 'removed', id: p.id });
  });
  return lineage;
}

/**
 * Carries provision ids from one version to the next: first identical provisions, then provisions whose
 * body is identical (renumbered or retitled), then provisions with the same heading, then similar ones
 * (Dice over word 3-shingles). Leftovers become splits and merges when their words are mostly found in a
 * matched provision, else additions and removals. When nothing changed, every id is kept.
 */
export function alignProvisions(
  previous: readonly Provision[],
  next: readonly Provision[],
  options: AlignOptions = {},
): Alignment {
  const opts = { ...DEFAULTS, ...options };
  const pairing = startPairing(previous, next);
  pairByIdentity(pairing);
  pairBySimilarity(pairing, opts);
  pairByPosition(pairing);
  const pieces = findSplitsAndMerges(pairing, opts);
  const ids = assignIds(pairing);
  const { prevOf, similarity } = pairing;
  return {
    provisions: next.map((n, j) => ({ ...n, id: ids[j]! })),
    lineage: describeLineage(pairing, ids, pieces),
    previousIndex: prevOf,
    similarity: similarity.map((value, j) => (prevOf[j] === -1 ? 0 : round(value))),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The ids and lineage a version was recorded with: what {@link alignProvisions} gave when it was recorded. */
export interface RecordedAlignment {
  readonly provisionIds: readonly string[];
  readonly lineage: readonly LineageEntry[];
}

/**
 * The alignment a version was recorded with, rebuilt from its ids and lineage instead of aligned again: a new
 * provision continues the previous provision of the same id (ids are carried over and never reused within a
 * step). Similarities are the recorded ones, 1 for identical provisions, and Dice over the pair's shingles for
 * the other continued pairs (a move or a rename records none), which is what the alignment computed. Null when the
 * ids do not fit the texts (a segmentation that changed since, ids repeated): then the caller aligns.
 */
export function alignmentFromRecord(
  previous: readonly Provision[],
  next: readonly Provision[],
  recorded: RecordedAlignment,
): Alignment | null {
  const ids = recorded.provisionIds;
  if (ids.length !== next.length || new Set(ids).size !== ids.length) return null;
  const indexOfPrevious = new Map<string, number>();
  for (const [i, p] of previous.entries()) {
    if (indexOfPrevious.has(p.id)) return null;
    indexOfPrevious.set(p.id, i);
  }
  const recordedSimilarity = new Map<string, number>();
  for (const entry of recorded.lineage)
    if (entry.kind === 'modified') recordedSimilarity.set(entry.id, entry.similarity);
  const previousIndex = ids.map((id) => indexOfPrevious.get(id) ?? -1);
  const similarity = previousIndex.map((i, j) => {
    if (i === -1) return 0;
    const [p, n] = [previous[i]!, next[j]!];
    if (p.hash === n.hash) return 1;
    const vocabulary = new Map<string, number>();
    return (
      recordedSimilarity.get(ids[j]!) ??
      round(dice(shingles(p.text, vocabulary), shingles(n.text, vocabulary)))
    );
  });
  return {
    provisions: next.map((n, j) => ({ ...n, id: ids[j]! })),
    lineage: [...recorded.lineage],
    previousIndex,
    similarity,
  };
}

/** A text's provisions under the ids its version was given; the first version's ids if they no longer fit. */
export function provisionsWithIds(text: string, ids: readonly string[]): Provision[] {
  const provisions = segmentProvisions(text);
  if (provisions.length !== ids.length) return provisions;
  return provisions.map((provision, index) => ({ ...provision, id: ids[index]! }));
}

/**
 * The provisions of a new version's text aligned with those of the version it follows (given by its text and
 * the provision ids it was recorded with), or the first version's provisions when there is none.
 */
export function alignVersionProvisions(
  previous: { readonly text: string; readonly provisionIds: readonly string[] } | null,
  text: string,
): Alignment {
  return alignProvisions(
    previous ? provisionsWithIds(previous.text, previous.provisionIds) : [],
    segmentProvisions(text),
  );
}
