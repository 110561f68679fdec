import {
  type StructuredPatch,
  type StructuredPatchHunk,
  diffLines,
  diffWords,
  formatPatch,
  structuredPatch,
} from 'diff';

import {
  type Alignment,
  type LineageEntry,
  type LineageKind,
  type RecordedAlignment,
  alignProvisions,
  alignmentFromRecord,
} from '../provisions/align-provisions';
import { type Provision, provisionBody, segmentProvisions } from '../provisions/segment-provisions';
import { maskRelativeTimes } from '../normalisation/normalise-text';
import { appendAll } from '../support/append-all';
import { provisionPatch } from './provision-patch';

export type ProvisionChangeKind = LineageKind | 'unchanged';

export interface ProvisionChange {
  readonly provisionId: string;
  readonly heading: string;
  readonly change: ProvisionChangeKind;
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
  /**
   * The word-level edits inside a provision that continues an earlier one, in order (at most
   * MAX_EDITS_PER_PROVISION); none for added, removed or wholly replaced provisions, whose words are all new or
   * all gone, nor when the word diff ran out of budget (`degraded` says so).
   */
  readonly edits: WordEdit[];
}

/** One place where words changed: what went, what came, and a few unchanged words on each side. */
export interface WordEdit {
  readonly removed: string;
  readonly added: string;
  readonly before: string;
  readonly after: string;
}

export const MAX_EDITS_PER_PROVISION = 50;
const EDIT_CONTEXT_WORDS = 6;
const MAX_EDIT_CHARS = 500;

export type MaterialityLevel = 'none' | 'cosmetic' | 'minor' | 'substantive';

export interface Materiality {
  readonly level: MaterialityLevel;
  readonly reasons: string[];
}

export interface DiffStats {
  readonly linesAdded: number;
  readonly linesRemoved: number;
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
}

export interface VersionDiff {
  /** Unified diff (jsdiff `formatPatch`); `applyPatch(oldText, patch)` gives `newText`. '' when not asked for. */
  readonly patch: string;
  readonly stats: DiffStats;
  /** Every provision of the new version in order, then the removed ones. */
  readonly provisions: ProvisionChange[];
  readonly lineage: LineageEntry[];
  /** The new version's provisions with their ids, to keep for the next comparison. */
  readonly nextProvisions: Provision[];
  readonly materiality: Materiality;
  /** Budget exhausted somewhere: `line-diff-fallback`, `word-diff-fallback:<id>`. Results stay correct, only coarser. */
  readonly degraded: string[];
}

export interface DiffOptions {
  /** The old version's provisions with their ids; segmented afresh (first-version ids) when absent. */
  readonly previousProvisions?: readonly Provision[];
  /**
   * The ids and lineage the new version was recorded with against `previousProvisions`: used instead of aligning
   * again when they fit the texts (see alignmentFromRecord).
   */
  readonly recorded?: RecordedAlignment | null;
  /**
   * false: no patch (`patch` is ''), only its line counts, from a line diff of what lies between the texts' common
   * first and last lines: the same counts at a fraction of the cost (what the projection needs). Default true.
   */
  readonly withPatch?: boolean;
  readonly oldName?: string;
  readonly newName?: string;
  readonly context?: number;
  /**
   * Budget of the line diff behind the patch: edit length at most `lineMaxEditLength` and at most
   * `lineCells / (lines of both texts)` (deterministic), and a time limit as a safety net.
   */
  readonly lineTimeoutMs?: number;
  readonly lineMaxEditLength?: number;
  readonly lineCells?: number;
  /**
   * Budget of the word diffs, deterministic first: a word diff costs about (tokens of the changed span) ×
   * (edit length) steps, so each gets at most `wordCellsPerProvision` and all together `wordCellsTotal`
   * steps, through jsdiff's `maxEditLength`. Time limits are only a safety net: results that depend on the
   * clock would make a rebuilt projection differ from the live one.
   */
  readonly wordMaxEditLength?: number;
  readonly wordCellsPerProvision?: number;
  readonly wordCellsTotal?: number;
  readonly wordTimeoutMs?: number;
  readonly wordTotalBudgetMs?: number;
  /** Below this similarity two continued provisions are counted as replaced whole, without a word diff. */
  readonly wordDiffMinSimilarity?: number;
  /** Total changed words above which a change is substantive whatever the words. */
  readonly substantiveWords?: number;
}

const DEFAULTS = {
  oldName: 'previous',
  newName: 'current',
  context: 3,
  lineTimeoutMs: 1000,
  lineMaxEditLength: 4000,
  lineCells: 8_000_000,
  wordMaxEditLength: 2000,
  wordCellsPerProvision: 8_000_000,
  wordCellsTotal: 30_000_000,
  wordTimeoutMs: 500,
  wordTotalBudgetMs: 1500,
  wordDiffMinSimilarity: 0.2,
  substantiveWords: 40,
};

/** Words whose change alters obligations, permissions or scope. */
const WEIGHTY = new Set([
  'not',
  'no',
  'never',
  'nor',
  'may',
  'must',
  'shall',
  'will',
  'should',
  'can',
  'cannot',
  'only',
  'without',
  'except',
  'unless',
  'all',
  'any',
  'none',
  'required',
  'prohibited',
  'permitted',
  'allowed',
  'liable',
  'liability',
  'sell',
  'share',
  'terminate',
  'days',
  'months',
  'years',
  'fee',
  'fees',
]);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** A patch replacing the whole text: what the line diff falls back to when its budget runs out. */
function replaceAllPatch(
  oldName: string,
  newName: string,
  oldText: string,
  newText: string,
): StructuredPatch {
  const hunks: StructuredPatchHunk[] = [];
  if (oldText !== newText) {
    const oldLines = splitLines(oldText);
    const newLines = splitLines(newText);
    const lines = oldLines.map((l) => `-${l}`);
    if (oldText !== '' && !oldText.endsWith('\n')) lines.push('\\ No newline at end of file');
    for (const l of newLines) lines.push(`+${l}`);
    if (newText !== '' && !newText.endsWith('\n')) lines.push('\\ No newline at end of file');
    hunks.push({ oldStart: 1, oldLines: oldLines.length, newStart: 1, newLines: newLines.length, lines });
  }
  return { oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks };
}

/** What is left when whitespace, punctuation, case, link targets and relative times ("3 days ago") are ignored. */
export function cosmeticForm(text: string): string {
  return words(maskRelativeTimes(text.replace(/\]\([^)\s]*\)/g, ']'), 'ago').toLowerCase()).join(' ');
}

/** The differing middle of two texts, widened to whole words (cut at spaces). */
function changedSpan(
  a: string,
  b: string,
): { before: string; after: string; prefix: string; suffix: string } {
  const limit = Math.min(a.length, b.length);
  let start = 0;
  while (start < limit && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < limit - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  while (start > 0 && a[start - 1] !== ' ') start--;
  while (end > 0 && a[a.length - end] !== ' ') end--;
  return {
    before: a.slice(start, a.length - end),
    after: b.slice(start, b.length - end),
    prefix: a.slice(0, start),
    suffix: a.slice(a.length - end),
  };
}

const clipped = (text: string): string =>
  text.length > MAX_EDIT_CHARS ? `${text.slice(0, MAX_EDIT_CHARS)}…` : text;
// Context words are read from a bounded window of the unchanged text, so a long clause costs no more than a short one.
const CONTEXT_WINDOW_CHARS = 400;
const firstWords = (text: string): string =>
  text.slice(0, CONTEXT_WINDOW_CHARS).trim().split(/\s+/).slice(0, EDIT_CONTEXT_WORDS).join(' ');
const lastWords = (text: string): string =>
  text.slice(-CONTEXT_WINDOW_CHARS).trim().split(/\s+/).slice(-EDIT_CONTEXT_WORDS).join(' ');

/** Groups a word diff's runs of removed and added parts into edits, each placed by the unchanged words around it. */
function editsOf(parts: ReadonlyArray<{ value: string; added?: boolean; removed?: boolean }>): WordEdit[] {
  const edits: WordEdit[] = [];
  let open: { removed: string; added: string; before: string } | null = null;
  // The unchanged text since the last edit: the next edit's "before", the last edit's "after".
  let equal = '';
  const close = (): void => {
    if (!open) return;
    if (edits.length < MAX_EDITS_PER_PROVISION) {
      edits.push({
        removed: clipped(open.removed.trim()),
        added: clipped(open.added.trim()),
        before: open.before,
        after: firstWords(equal),
      });
    }
    open = null;
  };
  for (const part of parts) {
    if (!part.added && !part.removed) {
      equal += part.value;
      continue;
    }
    if (open && equal.trim() !== '') close();
    if (!open) {
      open = { removed: '', added: '', before: lastWords(equal) };
      equal = '';
    }
    if (part.added) open.added += part.value;
    else open.removed += part.value;
  }
  close();
  return edits;
}

interface WordDelta {
  added: string[];
  removed: string[];
  edits: WordEdit[];
  fallback: boolean;
}

interface WordBudget {
  cellsLeft: number;
  readonly deadline: number;
}

/** Words and the spaces between them are jsdiff's tokens: about one per three characters of prose. */
const tokensOf = (text: string): number => Math.ceil(text.length / 3) + 1;

function wordDelta(before: string, after: string, budget: WordBudget, opts: typeof DEFAULTS): WordDelta {
  const a = provisionBody(before);
  const b = provisionBody(after);
  if (a === b) return { added: [], removed: [], edits: [], fallback: false };
  // Most edits touch a few words of a long clause: diff only the span between the common prefix and suffix.
  const { before: x, after: y, prefix, suffix } = changedSpan(a, b);
  const tokens = tokensOf(x) + tokensOf(y);
  const cells = Math.min(opts.wordCellsPerProvision, budget.cellsLeft);
  const maxEditLength = Math.min(opts.wordMaxEditLength, Math.floor(cells / tokens));
  const timeout = Math.min(opts.wordTimeoutMs, budget.deadline - Date.now());
  const replaced = (): WordDelta => ({ added: words(y), removed: words(x), edits: [], fallback: true });
  if (maxEditLength < 1 || timeout <= 0) return replaced();
  budget.cellsLeft -= tokens * maxEditLength;
  const changes = diffWords(x, y, { timeout, maxEditLength });
  if (!changes) return replaced();
  const added: string[] = [];
  const removed: string[] = [];
  for (const change of changes) {
    if (change.added) appendAll(added, words(change.value));
    else if (change.removed) appendAll(removed, words(change.value));
  }
  return {
    added,
    removed,
    edits: editsOf([{ value: prefix }, ...changes, { value: suffix }]),
    fallback: false,
  };
}

/** What the line step works on: the texts, and the old provisions and their alignment for the fallback. */
interface LineStep {
  readonly oldText: string;
  readonly newText: string;
  readonly previous: readonly Provision[];
  readonly alignment: Alignment;
  readonly opts: typeof DEFAULTS;
  readonly degraded: string[];
}

/** Step 1, the line patch, within its budget (see fallbackPatch past it). */
function linePatch(step: LineStep): StructuredPatch {
  const { oldText, newText, opts } = step;
  const patch = structuredPatch(opts.oldName, opts.newName, oldText, newText, undefined, undefined, {
    context: opts.context,
    timeout: opts.lineTimeoutMs,
    maxEditLength: lineEditBudget(step),
  });
  return patch ?? fallbackPatch(step);
}

/**
 * Past the line budget, provisions replace lines as the unit: unchanged ones stay context, the rest is replaced
 * whole. Only when the given provisions are not the old text's does the whole text go.
 */
function fallbackPatch({ oldText, newText, previous, alignment, opts, degraded }: LineStep): StructuredPatch {
  degraded.push('line-diff-fallback');
  return (
    provisionPatch(opts.oldName, opts.newName, oldText, newText, previous, alignment, opts.context) ??
    provisionPatch(
      opts.oldName,
      opts.newName,
      oldText,
      newText,
      segmentProvisions(oldText),
      alignProvisions(segmentProvisions(oldText), alignment.provisions),
      opts.context,
    ) ??
    replaceAllPatch(opts.oldName, opts.newName, oldText, newText)
  );
}

/** The line diff's edit budget for two texts (see DiffOptions): the same whether or not the patch is built. */
function lineEditBudget({ oldText, newText, opts }: LineStep): number {
  const lines = splitLines(oldText).length + splitLines(newText).length + 1;
  return Math.max(1, Math.min(opts.lineMaxEditLength, Math.floor(opts.lineCells / lines)));
}

/**
 * The two texts without their common first lines and common last lines. A shortest line edit script keeps them
 * all, so the lines it adds and removes are the same with or without them, and they cost nothing to compare.
 */
function withoutCommonLines(oldText: string, newText: string): [string, string] {
  const shorter = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  if (prefix === oldText.length && prefix === newText.length) return ['', ''];
  // Back to the start of the line in which they part.
  prefix = prefix === 0 ? 0 : oldText.lastIndexOf('\n', prefix - 1) + 1;
  let suffix = 0;
  const room = shorter - prefix;
  while (
    suffix < room &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  )
    suffix++;
  // Forward to just after the suffix's first newline: a line starts there in both texts.
  const firstBreak = oldText.indexOf('\n', oldText.length - suffix);
  const kept = firstBreak === -1 ? 0 : oldText.length - firstBreak - 1;
  return [oldText.slice(prefix, oldText.length - kept), newText.slice(prefix, newText.length - kept)];
}

/** Step 1 without the patch: the lines added and removed, as the patch would count them. */
function lineCounts(step: LineStep): Pick<DiffStats, 'linesAdded' | 'linesRemoved'> {
  const [oldMiddle, newMiddle] = withoutCommonLines(step.oldText, step.newText);
  const changes = diffLines(oldMiddle, newMiddle, {
    timeout: step.opts.lineTimeoutMs,
    maxEditLength: lineEditBudget(step),
  });
  // Past the budget the patch falls back: counted in the fallback patch, as when it is built.
  if (!changes) return countLines(fallbackPatch(step));
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const change of changes) {
    if (change.added) linesAdded += change.count;
    else if (change.removed) linesRemoved += change.count;
  }
  return { linesAdded, linesRemoved };
}

/** Step 2: lines added and removed, counted in the patch. */
function countLines(patch: StructuredPatch): Pick<DiffStats, 'linesAdded' | 'linesRemoved'> {
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line[0] === '+') linesAdded++;
      else if (line[0] === '-') linesRemoved++;
    }
  }
  return { linesAdded, linesRemoved };
}

/** The change kind of each provision id named by the lineage; the pieces of a split or a merge by that name. */
function changeKindsOf(lineage: readonly LineageEntry[]): Map<string, ProvisionChangeKind> {
  const kindOf = new Map<string, ProvisionChangeKind>();
  for (const entry of lineage) {
    if ('id' in entry) kindOf.set(entry.id, entry.kind);
    else if (entry.kind === 'split') entry.into.slice(1).forEach((id) => kindOf.set(id, 'split'));
    else kindOf.set(entry.into, 'merged');
  }
  return kindOf;
}

interface ProvisionDeltas {
  provisions: ProvisionChange[];
  addedWords: string[];
  removedWords: string[];
  /** Whether every changed pair differs only in form (see cosmeticForm). */
  pairsCosmetic: boolean;
}

/**
 * Step 3: the words each provision gained and lost. Word diffs run only inside changed provisions, under one
 * budget for the whole comparison; a provision that is hardly the same any more counts as replaced whole.
 */
function provisionDeltas(
  previous: readonly Provision[],
  alignment: Alignment,
  opts: typeof DEFAULTS,
  degraded: string[],
): ProvisionDeltas {
  // The clock is only a safety net (see DiffOptions): in normal operation the edit budgets bind first.
  const wordBudget: WordBudget = {
    cellsLeft: opts.wordCellsTotal,
    deadline: Date.now() + opts.wordTotalBudgetMs,
  };
  const kindOf = changeKindsOf(alignment.lineage);
  const result: ProvisionDeltas = { provisions: [], addedWords: [], removedWords: [], pairsCosmetic: true };
  alignment.provisions.forEach((n, j) => {
    const i = alignment.previousIndex[j]!;
    let delta: WordDelta;
    if (i === -1) delta = { added: words(provisionBody(n.text)), removed: [], edits: [], fallback: false };
    else if (previous[i]!.hash === n.hash) delta = { added: [], removed: [], edits: [], fallback: false };
    else if (alignment.similarity[j]! < opts.wordDiffMinSimilarity) {
      // Hardly a word in common: a word diff would only rediscover that the provision was replaced.
      delta = {
        added: words(provisionBody(n.text)),
        removed: words(provisionBody(previous[i]!.text)),
        edits: [],
        fallback: false,
      };
      result.pairsCosmetic &&= cosmeticForm(previous[i]!.text) === cosmeticForm(n.text);
    } else {
      delta = wordDelta(previous[i]!.text, n.text, wordBudget, opts);
      result.pairsCosmetic &&= cosmeticForm(previous[i]!.text) === cosmeticForm(n.text);
    }
    if (delta.fallback) degraded.push(`word-diff-fallback:${n.id}`);
    appendAll(result.addedWords, delta.added);
    appendAll(result.removedWords, delta.removed);
    result.provisions.push({
      provisionId: n.id,
      heading: n.heading,
      change: kindOf.get(n.id) ?? 'unchanged',
      wordsAdded: delta.added.length,
      wordsRemoved: delta.removed.length,
      edits: delta.edits,
    });
  });
  // Previous provisions nothing continues: removed, or merged into another.
  const continued = new Set(alignment.previousIndex.filter((i) => i !== -1));
  previous.forEach((p, i) => {
    if (continued.has(i)) return;
    const removed = words(provisionBody(p.text));
    appendAll(result.removedWords, removed);
    result.provisions.push({
      provisionId: p.id,
      heading: p.heading,
      change: kindOf.get(p.id) === undefined ? 'merged' : 'removed',
      wordsAdded: 0,
      wordsRemoved: removed.length,
      edits: [],
    });
  });
  return result;
}

/**
 * Compares two versions of a document: a unified patch for storage and display, line and word counts,
 * the provisions touched (with ids carried over from the previous version), and how material the change
 * is. Word diffs run only inside changed provisions, each with a time and edit budget; when a budget runs
 * out the provision counts as replaced whole and `degraded` says so.
 */
export function diffVersions(oldText: string, newText: string, options: DiffOptions = {}): VersionDiff {
  const opts = { ...DEFAULTS, ...options };
  const degraded: string[] = [];
  const previous = options.previousProvisions ?? segmentProvisions(oldText);
  const next = segmentProvisions(newText);
  const alignment: Alignment =
    (options.recorded && alignmentFromRecord(previous, next, options.recorded)) ??
    alignProvisions(previous, next);
  const step: LineStep = { oldText, newText, previous, alignment, opts, degraded };
  const patch = options.withPatch === false ? null : linePatch(step);
  const lines = patch ? countLines(patch) : lineCounts(step);
  const deltas = provisionDeltas(previous, alignment, opts, degraded);
  const stats: DiffStats = {
    ...lines,
    wordsAdded: deltas.addedWords.length,
    wordsRemoved: deltas.removedWords.length,
  };
  const materiality = judgeMateriality(
    oldText,
    newText,
    alignment.lineage,
    deltas.pairsCosmetic,
    deltas.addedWords,
    deltas.removedWords,
    opts.substantiveWords,
  );
  return {
    patch: patch ? formatPatch(patch) : '',
    stats,
    provisions: deltas.provisions,
    lineage: alignment.lineage,
    nextProvisions: alignment.provisions,
    materiality,
    degraded,
  };
}

/**
 * Provision changes named one by one among the reasons; the rest are counted by kind. A first version of 12,000
 * sections gave 12,001 reasons (450 KB in every timeline entry that carries them); the provisions themselves are
 * listed in the diff.
 */
const MAX_PROVISION_REASONS = 20;

function moreProvisionChanges(structural: readonly LineageEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of structural.slice(MAX_PROVISION_REASONS))
    counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  const byKind = [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return `and ${structural.length - MAX_PROVISION_REASONS} more provision changes (${byKind})`;
}

function judgeMateriality(
  oldText: string,
  newText: string,
  lineage: readonly LineageEntry[],
  pairsCosmetic: boolean,
  added: readonly string[],
  removed: readonly string[],
  substantiveWords: number,
): Materiality {
  if (oldText === newText) return { level: 'none', reasons: ['identical texts'] };
  const structural = lineage.filter(
    (e) => e.kind === 'added' || e.kind === 'removed' || e.kind === 'split' || e.kind === 'merged',
  );
  // Without added, removed, split, merged or moved provisions the texts are cosmetic-equal exactly when every
  // continued provision is: the cheap check. Otherwise a formatting change may have moved provision
  // boundaries, and only the whole texts can tell.
  const cosmetic =
    structural.length === 0 && !lineage.some((e) => e.kind === 'moved')
      ? pairsCosmetic
      : cosmeticForm(oldText) === cosmeticForm(newText);
  if (cosmetic) {
    return {
      level: 'cosmetic',
      reasons: ['only whitespace, punctuation, case, formatting, link targets or relative times differ'],
    };
  }
  const reasons: string[] = [];
  for (const entry of structural.slice(0, MAX_PROVISION_REASONS)) {
    reasons.push(
      entry.kind === 'split' || entry.kind === 'merged'
        ? `provision ${entry.kind}: ${JSON.stringify(entry)}`
        : `provision ${entry.kind}: ${entry.id}`,
    );
  }
  if (structural.length > MAX_PROVISION_REASONS) reasons.push(moreProvisionChanges(structural));
  const changed = added.length + removed.length;
  if (changed > substantiveWords) reasons.push(`${changed} words changed`);
  const weighty = [
    ...new Set([...added, ...removed].map((w) => w.toLowerCase()).filter((w) => WEIGHTY.has(w))),
  ];
  if (weighty.length > 0) reasons.push(`obligation or scope words changed: ${weighty.join(', ')}`);
  const numbers = [...new Set([...added, ...removed].filter((w) => /\d/.test(w)))];
  if (numbers.length > 0) reasons.push(`numbers or dates changed: ${numbers.slice(0, 10).join(', ')}`);
  if (reasons.length > 0) return { level: 'substantive', reasons };
  return { level: 'minor', reasons: [`${changed} words changed, no obligation, scope or number words`] };
}
