import type {
  DocumentEvent,
  FetchOutcome,
  ObservationKey,
  SnapshotRef,
  VersionRecorded,
  VersionRetracted,
} from './document.events';
import { documentIdOf } from './document-id';
import { DomainError } from './errors';
import { classifyFailedFetch, wordCount, type FailedFetch, type PageSignals } from './failed-fetch';
import type { FetchEvent } from './fetch-event';
import { compareObservations, observationKeyOf } from './observation-key';

/**
 * The document decider: decide(command, state) -> events, evolve(state, event) -> state. Pure: the clock, the
 * ids and the extracted text arrive with the command.
 */

export type PartState = SnapshotRef;

export interface CurrentVersion {
  version: number;
  textSha256: string;
  /** What "the same text" means: see VersionRecorded.fingerprint. */
  fingerprint: string;
  validFrom: string;
  extractorVersion: string;
  declarationHash: string | null;
  technicalUpgrade: boolean;
  /** Words of its text: what a much shorter text is measured against (see failed-fetch). */
  words: number;
  /** The fetch that revealed the version: its part and its time. */
  revealedBy: FetchMark | null;
}

export interface FetchMark {
  /** Part key (see partKeyOf). */
  part: string;
  fetchedAt: string;
}

export interface DocumentState {
  documentId: string | null;
  service: string | null;
  documentType: string | null;
  /** Number of events applied: the stream version the next append expects. */
  streamVersion: number;
  /** Latest in-order snapshot of each part, keyed by sourcePart ('' for a single-page document). */
  parts: Readonly<Record<string, PartState>>;
  /** Parts in the order they were first seen: the order of a combined text without a declaration. */
  partOrder: readonly string[];
  currentVersion: CurrentVersion | null;
  /** Versions not retracted, oldest first; the last one is current. */
  liveVersions: readonly CurrentVersion[];
  /** Highest version number used: numbers are never reused, not even after a retraction. */
  lastVersionNumber: number;
  fetchCount: number;
  lastFetchedAt: string | null;
  /** The last in-order fetch applied: the one a version recorded in the same commit was revealed by. */
  lastFetch: FetchMark | null;
  /** The latest observation in observed order: one that sorts before it arrived late (see isOutOfOrder). */
  lastObservation: ObservationKey | null;
}

export const initialDocumentState: DocumentState = {
  documentId: null,
  service: null,
  documentType: null,
  streamVersion: 0,
  parts: {},
  partOrder: [],
  currentVersion: null,
  liveVersions: [],
  lastVersionNumber: 0,
  fetchCount: 0,
  lastFetchedAt: null,
  lastFetch: null,
  lastObservation: null,
};

export type ExtractionOutcome =
  | {
      ok: true;
      text: string;
      textSha256: string;
      /** Equal for texts that are the same version (normalised, volatile parts such as link targets masked). */
      fingerprint: string;
      extractorVersion: string;
      declarationHash: string | null;
      /** Extraction and normalisation rules that changed something in the text (see VersionRecorded.rulesFired). */
      rulesFired: readonly string[];
      /** The masks the fingerprint applied that matched something in this text (e.g. `link-targets-masked`). */
      masks: readonly string[];
      /** The text's words (wordCount), when the extractor counted them where it made the text; else counted here. */
      words?: number;
      /** Keys of the parts the text was built from, when not all of them (see partKeyOf). */
      partsUsed?: readonly string[];
      /** Rules the declaration states that could not be applied (see VersionRecorded.rulesNotApplied). */
      rulesNotApplied?: readonly string[];
      /** What each part's text says about itself, by part key: tells a page standing in for the document. */
      pages?: Readonly<Record<string, PageSignals>>;
    }
  | {
      ok: false;
      code: string;
      reason: string;
      extractorVersion: string;
      /** The signals of the whole page that failed, when it was read (the declared region missing, no text). */
      page?: PageSignals;
    };

export interface CommandMetadata {
  /** Deterministic per command (derived from the fetch id): a redelivered command produces the same ids. */
  commandId: string;
  now: string;
  correlationId: string;
  causationId: string;
}

export interface RecordFetch {
  type: 'RecordFetch';
  data: {
    fetch: FetchEvent;
    snapshotId: string;
    contentBytes: number;
    /** The combined text of the document after this fetch; absent when the snapshot is unchanged or stale. */
    extraction: ExtractionOutcome | null;
    /**
     * The snapshots of the current version re-extracted with today's rules, given when the rules (extractor
     * version or declaration) differ from those that produced the current version.
     */
    reextraction?: ExtractionOutcome | null;
    policy: VersioningPolicy;
  };
  metadata: CommandMetadata;
}

export type DocumentCommand = RecordFetch;

export interface VersioningPolicy {
  /** A change reverted (A -> B -> A) within this many hours after B was observed is a flip-back, not two changes. */
  flipBackWindowHours: number;
  /**
   * Parts of a combined document fetched within this many seconds of each other belong to one fetch round: a
   * version built from the round's first part, then changed again by another part of the same round, was
   * incomplete and is replaced.
   */
  roundWindowSeconds: number;
}

export const DEFAULT_VERSIONING_POLICY: VersioningPolicy = {
  flipBackWindowHours: 7 * 24,
  roundWindowSeconds: 600,
};

export interface ExtractionRules {
  extractorVersion: string;
  declarationHash: string | null;
}

/** Whether the rules that would extract the document now differ from those that produced its current version. */
export function rulesChanged(state: DocumentState, rules: ExtractionRules): boolean {
  const current = state.currentVersion;
  if (!current) return false;
  return (
    current.extractorVersion !== rules.extractorVersion || current.declarationHash !== rules.declarationHash
  );
}

export const partKeyOf = (sourcePart: string | null): string => sourcePart ?? '';

/**
 * A fetch that sorts before the document's latest observation (by ObservationKey: fetchedAt, then part, snapshot
 * and fetch id) arrived late: it is recorded as such, and the timeline is decided again in observed order
 * (TimelineRevised). Late for the document, not only for its part: another part's later fetch was already
 * combined with this part's older snapshot.
 */
export function isOutOfOrder(state: DocumentState, fetch: FetchEvent, snapshotId: string): boolean {
  return (
    state.lastObservation !== null &&
    compareObservations(observationKeyOf(fetch, snapshotId), state.lastObservation) < 0
  );
}

export function isSnapshotUnchanged(state: DocumentState, fetch: FetchEvent, snapshotId: string): boolean {
  return state.parts[partKeyOf(fetch.sourcePart)]?.snapshotId === snapshotId;
}

/** Whether deciding this fetch needs the extracted text of the document (else `extraction` may be null). */
export function needsExtraction(state: DocumentState, fetch: FetchEvent, snapshotId: string): boolean {
  return !isOutOfOrder(state, fetch, snapshotId) && !isSnapshotUnchanged(state, fetch, snapshotId);
}

/** The snapshots a version would be built from once this fetch is applied, in document order. */
export function snapshotsAfterFetch(
  state: DocumentState,
  fetch: FetchEvent,
  snapshotId: string,
): SnapshotRef[] {
  const key = partKeyOf(fetch.sourcePart);
  const order = state.partOrder.includes(key) ? state.partOrder : [...state.partOrder, key];
  return currentStructure(
    order.map((partKey) =>
      partKey === key
        ? {
            sourcePart: fetch.sourcePart,
            snapshotId,
            sourceUrl: fetch.sourceUrl,
            mimeType: fetch.mimeType,
            fetchedAt: fetch.fetchedAt,
          }
        : state.parts[partKey]!,
    ),
  );
}

/** The latest snapshot of each part of the document as it is now (see currentStructure). */
export const currentSnapshots = (state: DocumentState): SnapshotRef[] =>
  currentStructure(state.partOrder.map((key) => state.parts[key]!));

/**
 * A document is either one page (no sourcePart) or combined from named parts. When it changes from one to the
 * other, the snapshots of the structure it left are older than those of the structure it has now, and no longer
 * count: the single page that became a combined document must not appear beside its own parts.
 */
function currentStructure(snapshots: SnapshotRef[]): SnapshotRef[] {
  const single = snapshots.find((s) => s.sourcePart === null);
  const parts = snapshots.filter((s) => s.sourcePart !== null);
  if (!single || parts.length === 0) return snapshots;
  const newestPart = Math.max(...parts.map((s) => Date.parse(s.fetchedAt)));
  return Date.parse(single.fetchedAt) > newestPart ? [single] : parts;
}

const newest = (snapshots: readonly SnapshotRef[]): string =>
  snapshots.reduce(
    (latest, s) => (Date.parse(s.fetchedAt) > Date.parse(latest) ? s.fetchedAt : latest),
    snapshots[0]!.fetchedAt,
  );

/** The failed-fetch rule applied to this fetch's extraction and the document's current version. */
function failedFetchOf(
  fetch: FetchEvent,
  extraction: ExtractionOutcome,
  state: DocumentState,
): FailedFetch | null {
  const part = partKeyOf(fetch.sourcePart);
  return classifyFailedFetch({
    httpStatus: fetch.httpStatus,
    extraction: extraction.ok ? { ok: true } : { ok: false, code: extraction.code },
    page: (extraction.ok ? extraction.pages?.[part] : extraction.page) ?? null,
    words: extraction.ok ? (extraction.words ?? wordCount(extraction.text)) : null,
    currentWords: state.currentVersion?.words ?? null,
    combined: fetch.sourcePart !== null,
  });
}

/** A successful extraction, without its tag: the text a version is made of. */
type ExtractedText = Omit<Extract<ExtractionOutcome, { ok: true }>, 'ok'>;

/** What a rule decides from: the fetch, the state before it, and what was established before the rules ran. */
export interface FetchFacts {
  documentId: string;
  fetch: FetchEvent;
  snapshotId: string;
  state: DocumentState;
  policy: VersioningPolicy;
  extraction: ExtractionOutcome | null;
  outOfOrder: boolean;
  snapshotChanged: boolean;
  /** A page standing in for the document (an error page, a challenge, a login wall), when this fetch is one. */
  failedFetch: FailedFetch | null;
  /** The technical upgrade recorded in this same commit, if any (see technicalUpgradeOf). */
  upgrade: VersionRecorded | null;
  /** The current version once the upgrade, if any, is applied. */
  current: CurrentVersion | null;
  /** The number the next version of this commit takes. */
  nextNumber: number;
}

/** What a rule decided: the fetch's outcome, and the facts it adds after the upgrade. */
export interface FetchRuling {
  outcome: FetchOutcome;
  failure?: { code: string; reason: string };
  suppressedBy?: string[];
  facts?: DocumentEvent[];
}

/** One rule of the decision: its ruling when it applies to the fetch, else null (the next rule is asked). */
export type FetchRule = (facts: FetchFacts) => FetchRuling | null;

/** The snapshots a text was really built from: a part left out of it is not named by its version. */
function snapshotsUsedBy(
  outcome: ExtractionOutcome | null | undefined,
  snapshots: SnapshotRef[],
): SnapshotRef[] {
  const used = outcome?.ok ? outcome.partsUsed : undefined;
  return used ? snapshots.filter((s) => used.includes(partKeyOf(s.sourcePart))) : snapshots;
}

function versionRecorded(
  facts: Pick<FetchFacts, 'documentId' | 'fetch'>,
  text: ExtractedText,
  version: { number: number; validFrom: string; snapshots: SnapshotRef[] },
  previous: CurrentVersion | null,
  technicalUpgrade: boolean,
): VersionRecorded {
  const { documentId, fetch } = facts;
  return {
    type: 'VersionRecorded',
    data: {
      documentId,
      service: fetch.service,
      documentType: fetch.documentType,
      version: version.number,
      validFrom: version.validFrom,
      fetchId: fetch.fetchId,
      textSha256: text.textSha256,
      fingerprint: text.fingerprint,
      text: text.text,
      snapshots: version.snapshots,
      extractorVersion: text.extractorVersion,
      declarationHash: text.declarationHash,
      rulesFired: [...text.rulesFired, ...text.masks],
      rulesNotApplied: [...(text.rulesNotApplied ?? [])],
      previousVersion: previous?.version ?? null,
      previousTextSha256: previous?.textSha256 ?? null,
      technicalUpgrade,
      words: text.words ?? wordCount(text.text),
    },
  };
}

/** Two spellings of one document (service and type) must not share a document id. */
function assertSameDocument(fetch: FetchEvent, state: DocumentState, documentId: string): void {
  if (state.service === null) return;
  if (state.service === fetch.service && state.documentType === fetch.documentType) return;
  throw new DomainError(
    'document-id-collision',
    `"${fetch.service}" / "${fetch.documentType}" maps to document ${documentId}, which already belongs to ` +
      `"${state.service}" / "${state.documentType}"`,
  );
}

/**
 * Our rules changed since the current version: re-extracted, its own snapshots may read differently. That
 * difference is ours, recorded as a technical upgrade, so it is never mistaken for a change of the document. Only
 * for a fetch that reads the document (in order, not a failed fetch, and a changed snapshot that extracted).
 */
function technicalUpgradeOf(
  facts: Omit<FetchFacts, 'upgrade' | 'current' | 'nextNumber'>,
  reextraction: ExtractionOutcome | null | undefined,
): Pick<FetchFacts, 'upgrade' | 'current' | 'nextNumber'> {
  const { fetch, state, outOfOrder, snapshotChanged, failedFetch, extraction } = facts;
  const current = state.currentVersion;
  const nextNumber = state.lastVersionNumber + 1;
  const upgradable = !outOfOrder && failedFetch === null && (!snapshotChanged || extraction?.ok === true);
  if (!upgradable || !current || !reextraction?.ok || reextraction.fingerprint === current.fingerprint)
    return { upgrade: null, current, nextNumber };
  const upgrade = versionRecorded(
    facts,
    reextraction,
    {
      number: nextNumber,
      validFrom: fetch.fetchedAt,
      snapshots: snapshotsUsedBy(reextraction, currentSnapshots(state)),
    },
    current,
    true,
  );
  return {
    upgrade,
    current: {
      ...reextraction,
      version: nextNumber,
      validFrom: fetch.fetchedAt,
      technicalUpgrade: true,
      words: reextraction.words ?? wordCount(reextraction.text),
      revealedBy: { part: partKeyOf(fetch.sourcePart), fetchedAt: fetch.fetchedAt },
    },
    nextNumber: nextNumber + 1,
  };
}

/** The text of a fetch that reached the text rules: the extraction succeeded. */
const textOf = (facts: FetchFacts): Extract<ExtractionOutcome, { ok: true }> | null =>
  facts.extraction?.ok ? facts.extraction : null;

/** A late fetch: archived, and decided in observed order by the TimelineRevised that follows it. */
export const outOfOrderRule: FetchRule = ({ outOfOrder }) =>
  outOfOrder ? { outcome: 'out-of-order' } : null;

/** The same snapshot as the part's latest: nothing to read again. */
export const snapshotUnchangedRule: FetchRule = ({ snapshotChanged }) =>
  snapshotChanged ? null : { outcome: 'snapshot-unchanged' };

/** A page standing in for the document is a failed fetch, never a version. */
export const failedFetchRule: FetchRule = ({ failedFetch }) =>
  failedFetch
    ? { outcome: 'failed-fetch', failure: { code: failedFetch.code, reason: failedFetch.reason } }
    : null;

/** The snapshot could not be read as text (a declared region missing, an unreadable PDF …). */
export const extractionFailedRule: FetchRule = ({ extraction }) =>
  extraction && !extraction.ok
    ? { outcome: 'extraction-failed', failure: { code: extraction.code, reason: extraction.reason } }
    : null;

/** The same version as the current one; different bytes say which masks (or the comparison form) made it so. */
export const textUnchangedRule: FetchRule = (facts) => {
  const text = textOf(facts);
  const { current } = facts;
  if (!text || current?.fingerprint !== text.fingerprint) return null;
  if (current.textSha256 === text.textSha256) return { outcome: 'text-unchanged' };
  return {
    outcome: 'text-unchanged',
    suppressedBy: text.masks.length > 0 ? [...text.masks] : ['comparison-form'],
  };
};

/** A change reverted (A -> B -> A) within the window: B is retracted and A is current again. */
export const flipBackRule: FetchRule = (facts) => {
  const text = textOf(facts);
  const { current, state, fetch, policy, upgrade, documentId } = facts;
  if (!text || !current) return null;
  const previousLive = upgrade === null ? state.liveVersions[state.liveVersions.length - 2] : undefined;
  const withinWindow =
    Date.parse(fetch.fetchedAt) - Date.parse(current.validFrom) <= policy.flipBackWindowHours * 3_600_000;
  if (previousLive?.fingerprint !== text.fingerprint || !withinWindow) return null;
  const retraction: VersionRetracted = {
    type: 'VersionRetracted',
    data: {
      documentId,
      version: current.version,
      restoredVersion: previousLive.version,
      reason: 'flip-back',
      fetchId: fetch.fetchId,
      at: fetch.fetchedAt,
      windowHours: policy.flipBackWindowHours,
    },
  };
  return { outcome: 'flip-back', facts: [retraction] };
};

/**
 * Another part of the round that revealed the current version changed the text again: the current version mixed
 * this round's parts with older ones, and is replaced (not for a technical upgrade, nor after one in this commit).
 */
function isIncompleteRound(facts: FetchFacts): boolean {
  const { current, upgrade, fetch, policy } = facts;
  return (
    upgrade === null &&
    current !== null &&
    !current.technicalUpgrade &&
    current.revealedBy !== null &&
    current.revealedBy.part !== partKeyOf(fetch.sourcePart) &&
    Math.abs(Date.parse(fetch.fetchedAt) - Date.parse(current.revealedBy.fetchedAt)) <=
      policy.roundWindowSeconds * 1000
  );
}

/** A text that differs from the current version is a new version, replacing an incomplete round's if need be. */
export const newVersionRule: FetchRule = (facts) => {
  const text = textOf(facts);
  if (!text) return null;
  const { current, state, fetch, snapshotId, policy, documentId, nextNumber } = facts;
  const snapshots = snapshotsUsedBy(text, snapshotsAfterFetch(state, fetch, snapshotId));
  if (!isIncompleteRound(facts) || !current) {
    const version = versionRecorded(
      facts,
      text,
      { number: nextNumber, validFrom: newest(snapshots), snapshots },
      current,
      false,
    );
    return { outcome: 'new-version', facts: [version] };
  }
  // The new version follows the predecessor of the one it replaces.
  const follows = state.liveVersions[state.liveVersions.length - 2] ?? null;
  const retraction: VersionRetracted = {
    type: 'VersionRetracted',
    data: {
      documentId,
      version: current.version,
      restoredVersion: follows?.version ?? null,
      reason: 'incomplete-round',
      fetchId: fetch.fetchId,
      at: fetch.fetchedAt,
      windowHours: policy.roundWindowSeconds / 3600,
    },
  };
  // The complete round reads as the version before the incomplete one: that version is current again.
  if (follows?.fingerprint === text.fingerprint) return { outcome: 'flip-back', facts: [retraction] };
  const version = versionRecorded(
    facts,
    text,
    { number: nextNumber, validFrom: newest(snapshots), snapshots },
    follows,
    false,
  );
  return { outcome: 'new-version', facts: [retraction, version] };
};

/** The rules in the order they are asked: the first that applies decides the fetch's outcome. */
export const FETCH_RULES: readonly FetchRule[] = [
  outOfOrderRule,
  snapshotUnchangedRule,
  failedFetchRule,
  extractionFailedRule,
  textUnchangedRule,
  flipBackRule,
  newVersionRule,
];

function ruleOn(facts: FetchFacts): FetchRuling {
  for (const rule of FETCH_RULES) {
    const ruling = rule(facts);
    if (ruling) return ruling;
  }
  // newVersionRule applies to every fetch with a text, and the rules before it to every other kind.
  throw new Error('No rule decided the fetch');
}

function fetchRecordedOf(facts: FetchFacts, ruling: FetchRuling, contentBytes: number): DocumentEvent {
  const { documentId, fetch, snapshotId, snapshotChanged, extraction } = facts;
  return {
    type: 'FetchRecorded',
    data: {
      documentId,
      service: fetch.service,
      documentType: fetch.documentType,
      fetchId: fetch.fetchId,
      sourcePart: fetch.sourcePart,
      sourceUrl: fetch.sourceUrl,
      fetcher: fetch.fetcher,
      mimeType: fetch.mimeType,
      httpStatus: fetch.httpStatus,
      fetchedAt: fetch.fetchedAt,
      snapshotId,
      contentBytes,
      snapshotChanged,
      outcome: ruling.outcome,
      failure: ruling.failure ?? null,
      textSha256: snapshotChanged && extraction?.ok ? extraction.textSha256 : null,
      suppressedBy: ruling.suppressedBy ?? null,
    },
  };
}

/**
 * The facts of the fetch (the document it belongs to, whether it is late, unchanged or a failed fetch, a technical
 * upgrade of the current version), then the first rule of FETCH_RULES that applies: FetchRecorded first, then the
 * upgrade, then what the rule decided.
 */
export function decide(command: DocumentCommand, state: DocumentState): DocumentEvent[] {
  const { fetch, snapshotId, contentBytes, extraction, reextraction, policy } = command.data;
  const documentId = documentIdOf(fetch.service, fetch.documentType);
  assertSameDocument(fetch, state, documentId);

  const outOfOrder = isOutOfOrder(state, fetch, snapshotId);
  const snapshotChanged = !isSnapshotUnchanged(state, fetch, snapshotId);
  if (!outOfOrder && snapshotChanged && extraction === null) {
    throw new Error('RecordFetch of a changed snapshot needs the extracted text');
  }
  const failedFetch = !outOfOrder && snapshotChanged ? failedFetchOf(fetch, extraction!, state) : null;
  const read = {
    documentId,
    fetch,
    snapshotId,
    state,
    policy,
    extraction,
    outOfOrder,
    snapshotChanged,
    failedFetch,
  };
  const facts: FetchFacts = { ...read, ...technicalUpgradeOf(read, reextraction) };
  const ruling = ruleOn(facts);
  return [
    fetchRecordedOf(facts, ruling, contentBytes),
    ...(facts.upgrade ? [facts.upgrade] : []),
    ...(ruling.facts ?? []),
  ];
}

export function evolve(state: DocumentState, event: DocumentEvent): DocumentState {
  const streamVersion = state.streamVersion + 1;
  switch (event.type) {
    case 'FetchRecorded': {
      const { data } = event;
      const base = {
        ...state,
        streamVersion,
        documentId: data.documentId,
        service: data.service,
        documentType: data.documentType,
        fetchCount: state.fetchCount + 1,
        lastFetchedAt:
          state.lastFetchedAt === null || Date.parse(data.fetchedAt) > Date.parse(state.lastFetchedAt)
            ? data.fetchedAt
            : state.lastFetchedAt,
        lastObservation: laterObservation(state.lastObservation, observationKeyOf(data, data.snapshotId)),
      };
      // A failed fetch is archived but is no snapshot of the document: each part keeps its last real one, so the
      // next fetch of another part is not combined with an error page.
      if (data.outcome === 'out-of-order' || data.outcome === 'failed-fetch') return base;
      const key = partKeyOf(data.sourcePart);
      return {
        ...base,
        lastFetch: { part: key, fetchedAt: data.fetchedAt },
        parts: {
          ...state.parts,
          [key]: {
            sourcePart: data.sourcePart,
            snapshotId: data.snapshotId,
            sourceUrl: data.sourceUrl,
            mimeType: data.mimeType,
            fetchedAt: data.fetchedAt,
          },
        },
        partOrder: state.partOrder.includes(key) ? state.partOrder : [...state.partOrder, key],
      };
    }
    case 'VersionRecorded': {
      const version: CurrentVersion = {
        version: event.data.version,
        textSha256: event.data.textSha256,
        fingerprint: event.data.fingerprint,
        validFrom: event.data.validFrom,
        extractorVersion: event.data.extractorVersion,
        declarationHash: event.data.declarationHash,
        technicalUpgrade: event.data.technicalUpgrade,
        words: event.data.words ?? wordCount(event.data.text),
        revealedBy: state.lastFetch,
      };
      return {
        ...state,
        streamVersion,
        currentVersion: version,
        liveVersions: [...state.liveVersions, version],
        lastVersionNumber: Math.max(state.lastVersionNumber, event.data.version),
      };
    }
    case 'VersionRetracted': {
      const liveVersions = state.liveVersions.filter((v) => v.version !== event.data.version);
      return {
        ...state,
        streamVersion,
        liveVersions,
        currentVersion: liveVersions[liveVersions.length - 1] ?? null,
      };
    }
    // Provisions are not part of what decides a version.
    case 'ProvisionsAligned':
      return { ...state, streamVersion };
    // The observations decided again in observed order: their end state replaces the one of arrival order.
    case 'TimelineRevised':
      return { ...event.data.state, streamVersion, fetchCount: state.fetchCount };
  }
}

const laterObservation = (a: ObservationKey | null, b: ObservationKey): ObservationKey =>
  a !== null && compareObservations(a, b) >= 0 ? a : b;

export const foldDocument = (
  events: readonly DocumentEvent[],
  from: DocumentState = initialDocumentState,
): DocumentState => events.reduce(evolve, from);
