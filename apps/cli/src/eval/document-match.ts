import type { ClassifiedOtaVersion } from './ota-versions';
import {
  firstDifference,
  firstWordDifference,
  lineDistance,
  renderedLines,
  renderedText,
  sameComparableText,
  sameRenderedText,
  type FirstDifference,
} from './text-compare';

/**
 * Matching one document's OTA versions with Termline's. Pure: the inputs are folded from the event store and
 * the OTA file by the caller.
 */

/** A Termline version as the evaluation needs it. */
export interface TermlineVersion {
  version: number;
  observedAt: string;
  /** Commits of the records whose bytes the version was built from (every part). */
  commits: ReadonlySet<string>;
  /** The record whose fetch recorded the version. */
  fetchCommit: string | null;
  text: string;
  technicalUpgrade: boolean;
  retracted: boolean;
}

/** What Termline made of one record. */
export interface FetchTrace {
  commit: string;
  fetchedAt: string;
  sourcePart: string | null;
  /** Order of the fetch in the document's stream: breaks ties between parts fetched in the same second. */
  position: number;
  outcome: string;
  failure: { code: string; reason: string } | null;
  /** The version in force once the fetch was recorded (null: none yet). */
  versionAfter: number | null;
}

export interface Refusal {
  code: string;
  reason: string;
}

export interface Match {
  version: number;
  /**
   * Termline recorded this version at one of the records that revealed OTA's version: those whose snapshots are
   * new in it (the fetch round; for a single-page document, the one record).
   */
  sameFetch: boolean;
  /** Termline's version contains the record that revealed OTA's version (not only an unchanged part). */
  containsRevealing: boolean;
  sharedCommits: number;
}

export interface TextComparison {
  /** Equal modulo whitespace and URL query strings: the measure of the target. */
  equal: boolean;
  /** Comparable lines one side has and the other lacks. */
  distance: number;
  firstDifference: FirstDifference | null;
  /** Equal once rendered (Markdown markup ignored): the words are the same. */
  sameWords: boolean;
  /** Rendered lines one side has and the other lacks. */
  wordsDistance: number;
  firstWordsDifference: FirstDifference | null;
}

export interface OtaVersionResult {
  ota: ClassifiedOtaVersion;
  /** The record among the version's snapshots that revealed it: new since the previous OTA version, newest. */
  revealingCommit: string;
  match: Match | null;
  /** Why no Termline version was built from the version's snapshots (null when matched). */
  missReason: string | null;
  /** Why the revealing record did not itself record a Termline version (null when it did). */
  sameFetchMissReason: string | null;
  text: TextComparison | null;
}

export interface DocumentEvaluationInput {
  ota: readonly ClassifiedOtaVersion[];
  termline: readonly TermlineVersion[];
  traces: ReadonlyMap<string, FetchTrace>;
  refused: ReadonlyMap<string, Refusal>;
}

/** The snapshot commits new in an OTA version (all of them when none is: a re-extraction). */
export function freshCommitsOf(ota: ClassifiedOtaVersion): string[] {
  const before = new Set(ota.previous?.snapshotCommits ?? []);
  const fresh = ota.snapshotCommits.filter((commit) => !before.has(commit));
  return fresh.length > 0 ? fresh : ota.snapshotCommits;
}

export function revealingCommitOf(
  ota: ClassifiedOtaVersion,
  traces: ReadonlyMap<string, FetchTrace>,
): string {
  const candidates = freshCommitsOf(ota);
  // Newest fetch first; between parts fetched in the same second, the one recorded last saw them all.
  const key = (commit: string): [number, number] => {
    const trace = traces.get(commit);
    return trace ? [Date.parse(trace.fetchedAt), trace.position] : [Number.NEGATIVE_INFINITY, -1];
  };
  const later = (a: string, b: string): boolean => {
    const [ta, pa] = key(a);
    const [tb, pb] = key(b);
    return ta > tb || (ta === tb && pa > pb);
  };
  return candidates.reduce(
    (newest, commit) => (later(commit, newest) ? commit : newest),
    candidates[0] ?? '',
  );
}

/**
 * The Termline version that corresponds to an OTA version: built from the same snapshot commits. Preference:
 * recorded at a record that revealed it (see Match.sameFetch); else containing the revealing record (earliest);
 * else sharing the most commits (earliest).
 */
export function matchOf(
  ota: ClassifiedOtaVersion,
  revealing: string,
  termline: readonly TermlineVersion[],
): Match | null {
  let best: { match: Match; score: number } | null = null;
  const fresh = new Set(freshCommitsOf(ota));
  for (const candidate of termline) {
    const shared = ota.snapshotCommits.filter((commit) => candidate.commits.has(commit)).length;
    if (shared === 0) continue;
    const sameFetch =
      candidate.fetchCommit === revealing ||
      (candidate.fetchCommit !== null && fresh.has(candidate.fetchCommit));
    const containsRevealing = candidate.commits.has(revealing);
    const score = (sameFetch ? 1_000_000 : 0) + (containsRevealing ? 1_000 : 0) + shared;
    if (!best || score > best.score) {
      best = {
        match: { version: candidate.version, sameFetch, containsRevealing, sharedCommits: shared },
        score,
      };
    }
  }
  return best?.match ?? null;
}

const clip = (line: string | null): string => (line === null ? '(end of text)' : JSON.stringify(line));

/** Why the revealing record did not give Termline a version built from it. */
export function missReasonOf(
  ota: ClassifiedOtaVersion,
  revealing: string,
  input: DocumentEvaluationInput,
): string {
  const refused = input.refused.get(revealing);
  if (refused) return `the record was refused by the fetch contract (${refused.code}: ${refused.reason})`;
  const trace = input.traces.get(revealing);
  if (!trace) return 'the record was not replayed (not in the records read)';
  switch (trace.outcome) {
    case 'extraction-failed':
      return `extraction failed with code ${trace.failure?.code ?? '?'}: ${trace.failure?.reason ?? ''}`.trim();
    case 'failed-fetch':
      return `Termline recorded the fetch as failed (${trace.failure?.code ?? '?'}: ${trace.failure?.reason ?? ''}): a page standing in for the document`;
    case 'out-of-order':
      return 'Termline recorded the fetch as out of order (older than the latest snapshot of its part)';
    case 'snapshot-unchanged':
      return 'same bytes as the previous snapshot of the part';
    case 'new-version':
      return `Termline recorded version ${trace.versionAfter ?? '?'} at this record, but not from these snapshots`;
    default:
      break;
  }
  const current = input.termline.find((v) => v.version === trace.versionAfter);
  const what =
    trace.outcome === 'flip-back'
      ? `Termline recorded a flip-back to version ${trace.versionAfter ?? '?'}`
      : trace.outcome === 'text-unchanged'
        ? `Termline saw no text change (still version ${trace.versionAfter ?? '?'})`
        : `Termline recorded the fetch as ${trace.outcome}`;
  if (!current) return what;
  // Rendered texts: a difference of Markdown style between the engines says nothing about this change.
  if (sameRenderedText(current.text, ota.content)) {
    return `${what}; its text already reads as OTA's new text${quoteChange(ota)}`;
  }
  if (ota.previous && sameRenderedText(current.text, ota.previous.content)) {
    return `${what}; its text reads as OTA's previous text: the change was lost in extraction${quoteChange(ota)}`;
  }
  // The texts differ elsewhere too (a lasting difference of the engines): look at OTA's change only.
  const change = ota.previous ? changedWords(ota.previous.content, ota.content) : null;
  if (change) {
    const termline = renderedText(current.text);
    const where = termline.includes(change.after)
      ? "Termline's text already has OTA's new wording"
      : termline.includes(change.before)
        ? "Termline's text still has OTA's old wording: the change was lost in extraction"
        : "Termline's text has neither OTA's old nor its new wording there (a part or passage Termline does not extract?)";
    return `${what}; ${where}${quoteChange(ota)}`;
  }
  const difference = firstWordDifference(ota.content, current.text);
  return (
    `${what}; Termline's text reads differently from OTA's` +
    (difference
      ? ` (word ${difference.line}: OTA ${clip(difference.left)}, Termline ${clip(difference.right)})`
      : '')
  );
}

/**
 * The first words OTA changed from its previous version, with a little shared context before them, on each side
 * (rendered text): short enough to look for in Termline's text.
 */
export function changedWords(
  previous: string,
  next: string,
  context = 3,
  length = 8,
): { before: string; after: string } | null {
  const a = renderedText(previous).split(' ');
  const b = renderedText(next).split(' ');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return null;
  const from = Math.max(0, i - context);
  return { before: a.slice(from, i + length).join(' '), after: b.slice(from, i + length).join(' ') };
}

function quoteChange(ota: ClassifiedOtaVersion): string {
  const change = ota.previous ? firstWordDifference(ota.previous.content, ota.content, 4, 12) : null;
  return change
    ? ` (OTA's change at word ${change.line}: ${clip(change.left)} -> ${clip(change.right)})`
    : '';
}

export function compareTexts(otaText: string, termlineText: string): TextComparison {
  if (sameComparableText(otaText, termlineText)) {
    return {
      equal: true,
      distance: 0,
      firstDifference: null,
      sameWords: true,
      wordsDistance: 0,
      firstWordsDifference: null,
    };
  }
  const sameWords = sameRenderedText(otaText, termlineText);
  return {
    equal: false,
    distance: lineDistance(otaText, termlineText),
    firstDifference: firstDifference(otaText, termlineText),
    sameWords,
    wordsDistance: sameWords ? 0 : lineDistance(otaText, termlineText, renderedLines),
    firstWordsDifference: sameWords ? null : firstWordDifference(otaText, termlineText),
  };
}

export function evaluateDocument(input: DocumentEvaluationInput): OtaVersionResult[] {
  const byNumber = new Map(input.termline.map((v) => [v.version, v]));
  return input.ota.map((ota) => {
    const revealingCommit = revealingCommitOf(ota, input.traces);
    const match = matchOf(ota, revealingCommit, input.termline);
    const matched = match ? byNumber.get(match.version) : undefined;
    return {
      ota,
      revealingCommit,
      match,
      missReason: match ? null : missReasonOf(ota, revealingCommit, input),
      sameFetchMissReason: match?.sameFetch ? null : missReasonOf(ota, revealingCommit, input),
      text: matched ? compareTexts(ota.content, matched.text) : null,
    };
  });
}
