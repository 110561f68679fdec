import type { DocumentEvent, FetchOutcome, SnapshotRef, VersionRecorded } from './document.events';
import { documentIdOf } from './document-id';
import { DomainError } from './errors';
import type { FetchEvent } from './fetch-event';

/**
 * The document decider: decide(command, state) -> events, evolve(state, event) -> state. Pure: the clock, the
 * ids and the extracted text arrive with the command.
 */

export type PartState = SnapshotRef;

export interface CurrentVersion {
  version: number;
  textSha256: string;
  validFrom: string;
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
  fetchCount: number;
  lastFetchedAt: string | null;
}

export const initialDocumentState: DocumentState = {
  documentId: null,
  service: null,
  documentType: null,
  streamVersion: 0,
  parts: {},
  partOrder: [],
  currentVersion: null,
  fetchCount: 0,
  lastFetchedAt: null,
};

export type ExtractionOutcome =
  | { ok: true; text: string; textSha256: string; extractorVersion: string; declarationHash: string | null }
  | { ok: false; code: string; reason: string; extractorVersion: string };

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
  };
  metadata: CommandMetadata;
}

export type DocumentCommand = RecordFetch;

export const partKeyOf = (sourcePart: string | null): string => sourcePart ?? '';

/** A fetch older than the part's latest snapshot arrived late: it is archived but cannot move the text back. */
export function isOutOfOrder(state: DocumentState, fetch: FetchEvent): boolean {
  const part = state.parts[partKeyOf(fetch.sourcePart)];
  return part !== undefined && Date.parse(fetch.fetchedAt) < Date.parse(part.fetchedAt);
}

export function isSnapshotUnchanged(state: DocumentState, fetch: FetchEvent, snapshotId: string): boolean {
  return state.parts[partKeyOf(fetch.sourcePart)]?.snapshotId === snapshotId;
}

/** Whether deciding this fetch needs the extracted text of the document (else `extraction` may be null). */
export function needsExtraction(state: DocumentState, fetch: FetchEvent, snapshotId: string): boolean {
  return !isOutOfOrder(state, fetch) && !isSnapshotUnchanged(state, fetch, snapshotId);
}

/** The snapshots a version would be built from once this fetch is applied, in document order. */
export function snapshotsAfterFetch(state: DocumentState, fetch: FetchEvent, snapshotId: string): SnapshotRef[] {
  const key = partKeyOf(fetch.sourcePart);
  const order = state.partOrder.includes(key) ? state.partOrder : [...state.partOrder, key];
  return order.map((partKey) =>
    partKey === key
      ? {
          sourcePart: fetch.sourcePart,
          snapshotId,
          sourceUrl: fetch.sourceUrl,
          mimeType: fetch.mimeType,
          fetchedAt: fetch.fetchedAt,
        }
      : state.parts[partKey]!,
  );
}

const newest = (snapshots: readonly SnapshotRef[]): string =>
  snapshots.reduce((latest, s) => (Date.parse(s.fetchedAt) > Date.parse(latest) ? s.fetchedAt : latest), snapshots[0]!.fetchedAt);

export function decide(command: DocumentCommand, state: DocumentState): DocumentEvent[] {
  const { fetch, snapshotId, contentBytes, extraction } = command.data;
  const documentId = documentIdOf(fetch.service, fetch.documentType);
  if (state.service !== null && (state.service !== fetch.service || state.documentType !== fetch.documentType)) {
    throw new DomainError(
      'document-id-collision',
      `"${fetch.service}" / "${fetch.documentType}" maps to document ${documentId}, which already belongs to ` +
        `"${state.service}" / "${state.documentType}"`,
    );
  }

  const outOfOrder = isOutOfOrder(state, fetch);
  const snapshotChanged = !isSnapshotUnchanged(state, fetch, snapshotId);
  if (!outOfOrder && snapshotChanged && extraction === null) {
    throw new Error('RecordFetch of a changed snapshot needs the extracted text');
  }

  let outcome: FetchOutcome;
  let failure: { code: string; reason: string } | null = null;
  let version: VersionRecorded | null = null;
  if (outOfOrder) outcome = 'out-of-order';
  else if (!snapshotChanged) outcome = 'snapshot-unchanged';
  else if (!extraction!.ok) {
    outcome = 'extraction-failed';
    failure = { code: extraction!.code, reason: extraction!.reason };
  } else if (state.currentVersion?.textSha256 === extraction!.textSha256) outcome = 'text-unchanged';
  else {
    outcome = 'new-version';
    const snapshots = snapshotsAfterFetch(state, fetch, snapshotId);
    version = {
      type: 'VersionRecorded',
      data: {
        documentId,
        service: fetch.service,
        documentType: fetch.documentType,
        version: (state.currentVersion?.version ?? 0) + 1,
        validFrom: newest(snapshots),
        fetchId: fetch.fetchId,
        textSha256: extraction!.textSha256,
        text: extraction!.text,
        snapshots,
        extractorVersion: extraction!.extractorVersion,
        declarationHash: extraction!.declarationHash,
        previousTextSha256: state.currentVersion?.textSha256 ?? null,
      },
    };
  }

  const fetchRecorded: DocumentEvent = {
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
      outcome,
      failure,
    },
  };
  return version ? [fetchRecorded, version] : [fetchRecorded];
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
      };
      if (data.outcome === 'out-of-order') return base;
      const key = partKeyOf(data.sourcePart);
      return {
        ...base,
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
    case 'VersionRecorded':
      return {
        ...state,
        streamVersion,
        currentVersion: {
          version: event.data.version,
          textSha256: event.data.textSha256,
          validFrom: event.data.validFrom,
        },
      };
  }
}

export const foldDocument = (events: readonly DocumentEvent[], from: DocumentState = initialDocumentState): DocumentState =>
  events.reduce(evolve, from);
