import type {
  GovernanceEntry,
  GovernanceGeneration,
  GovernanceTimelineQuery,
  ProvisionFormQuery,
  ProvisionFormView,
} from './governance-models';

/** The shapes the projection writes and the gateway reads. Plain data, identical in every adapter. */

export interface ChangeStats {
  linesAdded: number;
  linesRemoved: number;
  wordsAdded: number;
  wordsRemoved: number;
}

/** How much a change matters, with the reasons: cosmetic (whitespace, punctuation, case, links), minor, substantive. */
export interface MaterialityView {
  level: 'none' | 'cosmetic' | 'minor' | 'substantive';
  reasons: string[];
}

/** One provision touched by a version, by its id (stable across versions). */
export interface ProvisionChangeView {
  provisionId: string;
  heading: string;
  change: string;
  wordsAdded: number;
  wordsRemoved: number;
}

export interface DocumentView {
  documentId: string;
  service: string;
  serviceSlug: string;
  documentType: string;
  /** Stream version of the last event applied: makes re-applying an event a no-op. */
  appliedVersion: number;
  /** Highest version number recorded (technical upgrades and retracted versions included). */
  versionCount: number;
  /** Versions that are changes of the document: not technical upgrades, not retracted. */
  changeCount: number;
  latestVersion: { version: number; validFrom: string; textSha256: string } | null;
  firstFetchedAt: string;
  lastFetchedAt: string;
  lastChangedAt: string | null;
  fetchCount: number;
  parts: Array<{ sourcePart: string | null; sourceUrl: string; lastFetchedAt: string }>;
  lastFailure: { fetchId: string; fetchedAt: string; code: string; reason: string } | null;
}

export interface SnapshotRefView {
  sourcePart: string | null;
  snapshotId: string;
  sourceUrl: string;
  mimeType: string;
  fetchedAt: string;
}

export interface VersionView {
  documentId: string;
  version: number;
  service: string;
  documentType: string;
  validFrom: string;
  textSha256: string;
  text: string;
  snapshots: SnapshotRefView[];
  extractorVersion: string;
  declarationHash: string | null;
  /** Extraction and normalisation rules that changed something in this text, then the fingerprint's masks. */
  rulesFired: string[];
  /** Rules the declaration in force states that could not be applied (unavailable filters, unusable selectors …). */
  rulesNotApplied: string[];
  fetchId: string;
  previousVersion: number | null;
  /** A re-extraction under new rules, not a change of the document. */
  technicalUpgrade: boolean;
  /** Set when the version was retracted as a flip-back (the text went back to the version before it). */
  retracted: { at: string; reason: string; restoredVersion: number | null } | null;
  stats: ChangeStats;
  materiality: MaterialityView;
  /** Provisions added, removed, modified, moved, renamed, split or merged since the previous version. */
  provisionChanges: ProvisionChangeView[];
  /** Ids of this version's provisions in document order (segmenting the text again gives their bounds). */
  provisionIds: string[];
}

export type VersionSummary = Omit<VersionView, 'text'>;

export interface TimelineEntry {
  entryId: string;
  documentId: string;
  service: string;
  serviceSlug: string;
  documentType: string;
  version: number;
  at: string;
  kind: 'first' | 'change' | 'technical-upgrade';
  /** Retracted as a flip-back. Retracted entries and technical upgrades are hidden unless asked for. */
  retracted: boolean;
  stats: ChangeStats;
  materiality: MaterialityView;
  provisionsChanged: number;
}

export const isHiddenByDefault = (entry: TimelineEntry): boolean =>
  entry.retracted || entry.kind === 'technical-upgrade';

export interface ObservationView {
  documentId: string;
  fetchId: string;
  streamVersion: number;
  fetchedAt: string;
  sourcePart: string | null;
  sourceUrl: string;
  snapshotId: string;
  snapshotChanged: boolean;
  outcome: string;
  failure: { code: string; reason: string } | null;
  /** sha256 of the text the fetch read, when it was extracted. */
  textSha256: string | null;
  /** For a text that differs from the current version's yet is the same version: the rules that masked it. */
  suppressedBy: string[] | null;
}

export interface TimelineQuery {
  documentId?: string;
  serviceSlug?: string;
  from?: string;
  to?: string;
  /** Entries strictly after this position in the (at desc, entryId desc) order. */
  after?: { at: string; entryId: string };
  /** Include technical upgrades and retracted flip-backs (hidden by default). */
  includeHidden?: boolean;
  limit: number;
}

export interface PageQuery {
  afterVersion?: number;
  limit: number;
}

/** A page of the document catalogue, in document id order. */
export interface DocumentPageQuery {
  /** Documents whose id sorts after this one. */
  afterDocumentId?: string;
  limit: number;
}

/** A projection checkpoint: the last stream version a projection applied to the read models of one stream. */
export interface CheckpointView {
  projection: string;
  streamId: string;
  version: number;
}

/**
 * The writes of a projected batch of events, each list keyed like the single puts (a later write of a key
 * replaces an earlier one). What entries refer to first (generations, observations, versions, provision forms, in
 * any order among them), then the entries (timeline and governance), so that an entry is never visible before what
 * it names; then the document views, then the checkpoints: a write that stops half-way leaves the document views
 * and checkpoints behind the views, so the events are applied again (idempotent), never skipped.
 */
export interface ReadModelWrites {
  governanceGenerations: GovernanceGeneration[];
  observations: ObservationView[];
  versions: VersionView[];
  timeline: TimelineEntry[];
  provisionForms: ProvisionFormView[];
  governanceEntries: GovernanceEntry[];
  documents: DocumentView[];
  checkpoints: CheckpointView[];
}

export const noReadModelWrites = (): ReadModelWrites => ({
  governanceGenerations: [],
  observations: [],
  versions: [],
  timeline: [],
  provisionForms: [],
  governanceEntries: [],
  documents: [],
  checkpoints: [],
});

export interface ReadModelStore {
  getCheckpoint(projection: string, streamId: string): Promise<number>;
  setCheckpoint(projection: string, streamId: string, version: number): Promise<void>;
  getDocument(documentId: string): Promise<DocumentView | null>;
  putDocument(document: DocumentView): Promise<void>;
  /** Documents in id order; every one, or a page of them. */
  listDocuments(serviceSlug?: string, page?: DocumentPageQuery): Promise<DocumentView[]>;
  putVersion(version: VersionView): Promise<void>;
  getVersion(documentId: string, version: number): Promise<VersionView | null>;
  listVersions(documentId: string, page: PageQuery): Promise<VersionSummary[]>;
  putTimelineEntry(entry: TimelineEntry): Promise<void>;
  /**
   * Removes a document's versions and timeline entries numbered above `version`: a timeline decided again in
   * observed order (ADR 0024) may number fewer versions than the one it replaces. Read models only; events stay.
   */
  removeVersionsAbove(documentId: string, version: number): Promise<void>;
  getTimelineEntry(entryId: string): Promise<TimelineEntry | null>;
  queryTimeline(query: TimelineQuery): Promise<TimelineEntry[]>;
  putObservation(observation: ObservationView): Promise<void>;
  listObservations(
    documentId: string,
    page: { afterStreamVersion?: number; limit: number },
  ): Promise<ObservationView[]>;
  putGovernanceGeneration(generation: GovernanceGeneration): Promise<void>;
  listGovernanceGenerations(): Promise<GovernanceGeneration[]>;
  putProvisionForm(form: ProvisionFormView): Promise<void>;
  getProvisionForm(formId: string): Promise<ProvisionFormView | null>;
  /** Forms that are not retracted, in form order (document, provision, opening version). */
  queryProvisionForms(query: ProvisionFormQuery): Promise<ProvisionFormView[]>;
  putGovernanceEntry(entry: GovernanceEntry): Promise<void>;
  /** What one version (or its retraction) changes, written together: in one transaction where the store has them. */
  putGovernanceChanges(forms: readonly ProvisionFormView[], entry: GovernanceEntry): Promise<void>;
  getGovernanceEntry(generation: string, entryId: string): Promise<GovernanceEntry | null>;
  /** Removes one generation's forms and entries of a document: its timeline was revised (ADR 0024), and is mapped again. */
  removeGovernanceOf(generation: string, documentId: string): Promise<void>;
  /** Newest first, like the timeline, with the governance filters. */
  queryGovernanceTimeline(query: GovernanceTimelineQuery): Promise<GovernanceEntry[]>;
  /**
   * All the writes of a batch in as few calls as the store allows (MongoDB: one bulkWrite per collection; SQLite:
   * one transaction), in the order ReadModelWrites names.
   */
  applyWrites(writes: ReadModelWrites): Promise<void>;
  /** Every read model, sorted by key: what a rebuild is compared with. */
  dump(): Promise<Record<string, unknown[]>>;
  /** Empties this namespace's read models, checkpoints included (a rebuild starts from nothing). */
  clear(): Promise<void>;
  /**
   * An empty store beside this one (another file, other collections) that never reads this one's data, to be
   * filled from the event store and then swapped in: the repair of a damaged read model.
   */
  prepareRebuild(): Promise<ReadModelRebuild>;
  close(): Promise<void>;
}

export interface ReadModelRebuild {
  readonly target: ReadModelStore;
  /** Replaces this store's content with the target's, at once; the target is not to be used afterwards. */
  swapIn(): Promise<void>;
  /** Drops the target without touching the live store. */
  discard(): Promise<void>;
}

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

/** Timeline order: newest first; ties broken by entry id so that pages never overlap or skip. */
export function compareTimeline(a: TimelineEntry, b: TimelineEntry): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.entryId < b.entryId ? 1 : a.entryId > b.entryId ? -1 : 0;
}
