/**
 * Messages a consumer parked after they failed unexpectedly at every attempt (consume-with-policy.ts). A parked
 * message is never dropped: it is kept whole here, with its error, until an admin replays it (after a fix) onto
 * its original topic. The consumer meanwhile goes on with the next messages.
 */
export type QuarantineKind = 'FetchQuarantined' | 'ProjectionFailed';

export interface QuarantineRecord {
  /** Stable per message and consumer group: parking the same message again updates the same record. */
  readonly id: string;
  readonly kind: QuarantineKind;
  readonly status: 'parked' | 'replayed';
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  /** What the message was about, when the consumer could tell (a fetch id, a document stream). */
  readonly fetchId: string | null;
  readonly documentId: string | null;
  readonly error: { name: string; message: string; code?: string; stack?: string };
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly quarantinedAt: string;
  readonly replayedAt: string | null;
  /** How many times an admin replayed it; a replay that fails again parks it again under the same id. */
  readonly replays: number;
}

/** A summary for listings: everything but the message's value, which can be megabytes. */
export type QuarantineSummary = Omit<QuarantineRecord, 'value'> & { readonly valueBytes: number };

export interface QuarantineQuery {
  status?: QuarantineRecord['status'];
  kind?: QuarantineKind;
  /** Only records listed after this one (newest first): the last record of the page before. */
  before?: { quarantinedAt: string; id: string };
  limit: number;
}

export interface QuarantineStore {
  /** Inserts or replaces the record of the same id (keeping its replay count). */
  park(record: Omit<QuarantineRecord, 'status' | 'replayedAt' | 'replays'>): Promise<void>;
  get(id: string): Promise<QuarantineRecord | null>;
  /** Newest first. */
  list(query: QuarantineQuery): Promise<QuarantineSummary[]>;
  /** The latest record of a fetch, if it was ever parked. */
  findByFetchId(fetchId: string): Promise<QuarantineSummary | null>;
  markReplayed(id: string, at: string): Promise<void>;
  countParked(): Promise<Record<QuarantineKind, number>>;
  close(): Promise<void>;
}

export const QUARANTINE_STORE = Symbol('QUARANTINE_STORE');
