/**
 * Facts about one document, appended to the stream `document:<documentId>`. Past tense, never changed once
 * written. Every change of shape bumps the event's schemaVersion and gets an upcaster (see upcasters.ts).
 */
export const DOCUMENT_EVENT_SCHEMA_VERSION = 1;

/** What a fetch turned out to be. Every fetch is recorded, including "checked, unchanged": auditors need it. */
export type FetchOutcome =
  | 'new-version'
  | 'text-unchanged'
  | 'snapshot-unchanged'
  | 'out-of-order'
  | 'extraction-failed';

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
    textSha256: string;
    text: string;
    /** The latest snapshot of every part the text was built from, in document order. */
    snapshots: SnapshotRef[];
    extractorVersion: string;
    declarationHash: string | null;
    previousTextSha256: string | null;
  };
}

export type DocumentEvent = FetchRecorded | VersionRecorded;
export type DocumentEventType = DocumentEvent['type'];
export const DOCUMENT_EVENT_TYPES: readonly DocumentEventType[] = ['FetchRecorded', 'VersionRecorded'];

/** The FetchRecorded fact among the events of one commit, if any. */
export function fetchRecordedIn(events: ReadonlyArray<{ type: string; data: unknown }>): FetchRecorded['data'] | null {
  const found = events.find((event) => event.type === 'FetchRecorded');
  return found ? (found.data as FetchRecorded['data']) : null;
}
