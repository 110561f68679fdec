import type { DocumentState } from './document.decider';

/**
 * Facts about one document, appended to the stream `document:<documentId>`. Past tense, never changed once
 * written. Every change of shape bumps the event's schemaVersion and gets an upcaster (see upcasters.ts).
 */
export const DOCUMENT_EVENT_SCHEMA_VERSION = 3;

/** The decider's state as a TimelineRevised records it. */
export type DecidedState = Omit<DocumentState, 'streamVersion' | 'fetchCount'>;

/** What a fetch turned out to be. Every fetch is recorded, including "checked, unchanged": auditors need it. */
export type FetchOutcome =
  | 'new-version'
  | 'flip-back'
  | 'text-unchanged'
  | 'snapshot-unchanged'
  | 'out-of-order'
  | 'extraction-failed'
  /**
   * The site served something else than the document (an error page, a bot challenge, a login wall, an empty
   * shell): archived and recorded, `failure` says which and on which signals, but it is no version and no
   * snapshot of the document (see failed-fetch.ts).
   */
  | 'failed-fetch';

export interface SnapshotRef {
  sourcePart: string | null;
  snapshotId: string;
  sourceUrl: string;
  mimeType: string;
  fetchedAt: string;
}

export interface FetchRecorded {
  type: 'FetchRecorded';
  data: {
    documentId: string;
    service: string;
    documentType: string;
    fetchId: string;
    sourcePart: string | null;
    sourceUrl: string;
    fetcher: string | null;
    mimeType: string;
    httpStatus: number | null;
    fetchedAt: string;
    /** sha256 of the raw bytes: the id of the archived snapshot. */
    snapshotId: string;
    contentBytes: number;
    /** The raw bytes differ from the previous snapshot of the same part. */
    snapshotChanged: boolean;
    outcome: FetchOutcome;
    failure: { code: string; reason: string } | null;
    /** sha256 of the text this fetch read (every part combined), when it was extracted; null otherwise. */
    textSha256: string | null;
    /**
     * Set when the text read differs from the current version's, yet is the same version (outcome
     * `text-unchanged`): the comparison rules that masked the difference (`link-targets-masked`,
     * `relative-times-masked`). So "checked, unchanged" says why when the bytes of the text did change.
     */
    suppressedBy: string[] | null;
  };
}

export interface VersionRecorded {
  type: 'VersionRecorded';
  data: {
    documentId: string;
    service: string;
    documentType: string;
    /** 1, 2, 3 … within the document. */
    version: number;
    /** When this text became observable: the newest fetch among the snapshots it was built from. */
    validFrom: string;
    /** The fetch that revealed the change. */
    fetchId: string;
    /** sha256 of `text` exactly as stored: anyone can check it. */
    textSha256: string;
    /**
     * sha256 of the text's comparison form (normalised; link targets and other volatile parts masked). Two
     * texts with the same fingerprint are the same version: a change of link targets alone is archived and
     * observed, but is not a new version.
     */
    fingerprint: string;
    text: string;
    /** The latest snapshot of every part the text was built from, in document order. */
    snapshots: SnapshotRef[];
    extractorVersion: string;
    declarationHash: string | null;
    /**
     * The rules that changed something on the way from the snapshots to this text (declaration filters,
     * tracking parameters removed, invisible characters removed, …), then the masks its fingerprint applied.
     */
    rulesFired: string[];
    /**
     * Rules the declaration in force states that could not be applied: a filter Termline cannot run
     * (`filter:<name>`), a selector css-select refuses or a misspelt key, left out (`remove:<selector>`,
     * `key:<key>`). The text is what the other rules give; the declaration problems say more.
     */
    rulesNotApplied: string[];
    /** The live version this one follows (null for the first), and its text hash. */
    previousVersion: number | null;
    previousTextSha256: string | null;
    /**
     * The text changed because our extraction rules changed (extractor or declaration), not the document: the
     * same snapshots, re-extracted. Never shown as a change of the document.
     */
    technicalUpgrade: boolean;
    /**
     * Words of `text` as `wordCount` counts them, carried so that folding the stream need not count them again
     * (the failed-fetch rule compares a fetch's words with the current version's). Absent from versions recorded
     * before it was carried: those are counted from the text.
     */
    words?: number;
  };
}

/**
 * A version that no longer counts, for one of two reasons. Every snapshot and fetch stays in the archive; only
 * what counts as a version changes.
 * - `flip-back`: the text went back, within the flip-back window, to the version before the current one
 *   (A -> B -> A): the short-lived version B is retracted, A is current again under its own number, and nothing
 *   new is published.
 * - `incomplete-round`: the version was built while the parts of a combined document fetched in the same round
 *   (within the round window of each other) were still arriving, so its text mixed new and old parts and never
 *   existed on the site; the version built once the round's next part arrived, recorded in the same commit,
 *   replaces it and follows the version before it (`restoredVersion`, null when there was none).
 */
export interface VersionRetracted {
  type: 'VersionRetracted';
  data: {
    documentId: string;
    /** The retracted version. */
    version: number;
    /** The version current again (flip-back), or the one its replacement follows; null when there is none. */
    restoredVersion: number | null;
    reason: 'flip-back' | 'incomplete-round';
    fetchId: string;
    /** When the fetch that retracted it was made. */
    at: string;
    /** The window that applied: the flip-back window, or the fetch round window (in hours). */
    windowHours: number;
  };
}

/**
 * How the provisions of a version continue those of the version it follows: their ids, in document order, and
 * the lineage (added, removed, modified, moved, renamed, split, merged). Appended in the same commit as the
 * VersionRecorded it describes, so provision ids are facts of the history: a later change of the alignment
 * heuristics, or a rebuild of the read models, never renames a provision someone refers to.
 */
export interface ProvisionsAligned {
  type: 'ProvisionsAligned';
  data: {
    documentId: string;
    version: number;
    /** The version whose provision ids were carried over (its VersionRecorded's previousVersion). */
    previousVersion: number | null;
    /** The version's provision ids in document order; segmenting its text again gives their bounds. */
    provisionIds: string[];
    /** One entry per provision that did not stay as it was; none when nothing changed. */
    lineage: ProvisionLineage[];
  };
}

/** One step of a provision's lineage (the text engine's alignment, see libs/text). */
export type ProvisionLineage =
  | { kind: 'added' | 'removed'; id: string }
  | { kind: 'modified'; id: string; similarity: number }
  | { kind: 'moved'; id: string; modified: boolean }
  | { kind: 'renamed'; id: string; previousHeading: string; heading: string; modified: boolean }
  | { kind: 'split'; from: string; into: string[] }
  | { kind: 'merged'; from: string[]; into: string };

/**
 * Where an observation stands in observed time: its fetchedAt, then its part, snapshot and fetch id, so that two
 * observations made at the same instant still have one order whatever order they arrived in.
 */
export interface ObservationKey {
  fetchedAt: string;
  sourcePart: string | null;
  snapshotId: string;
  fetchId: string;
}

/** What the versioning decides about one observation: a FetchRecorded, then what it led to. */
export type DecidedEvent = FetchRecorded | VersionRecorded | VersionRetracted | ProvisionsAligned;

/**
 * An observation arrived after one observed later than it (history imported for a document tracked live, a
 * fetcher's backlog): the stream stays append-only, so its FetchRecorded (outcome `out-of-order`) is followed, in
 * the same commit, by the decisions of every observation from it on, taken again in observed order. Those
 * decisions replace the ones recorded before for the same observations: the timeline is the decisions of the
 * observations sorted by ObservationKey, whatever order they arrived in (ADR 0024). The nested events have the
 * schema of this event.
 */
export interface TimelineRevised {
  type: 'TimelineRevised';
  data: {
    documentId: string;
    /** The late observation. */
    fetchId: string;
    /** The decisions of observations at or after this key are replaced by `events`. */
    from: ObservationKey;
    /** Each observation from `from` on, in observed order: its FetchRecorded, then the facts it decided. */
    events: DecidedEvent[];
    /**
     * The decider's state once every observation is applied in observed order, so that the stream folds without
     * deciding again (streamVersion and fetchCount count the stream's own events and are left out).
     */
    state: DecidedState;
  };
}

export type DocumentEvent = DecidedEvent | TimelineRevised;
export type DocumentEventType = DocumentEvent['type'];
export const DOCUMENT_EVENT_TYPES: readonly DocumentEventType[] = [
  'FetchRecorded',
  'VersionRecorded',
  'VersionRetracted',
  'ProvisionsAligned',
  'TimelineRevised',
];

/** The FetchRecorded fact among the events of one commit, if any. */
export function fetchRecordedIn(
  events: ReadonlyArray<{ type: string; data: unknown }>,
): FetchRecorded['data'] | null {
  const found = events.find((event) => event.type === 'FetchRecorded');
  return found ? (found.data as FetchRecorded['data']) : null;
}
