import type { ChainLink } from '@termline/audit';

/**
 * The event store: insert-only streams with optimistic concurrency. An append is one commit: all its events are
 * stored atomically or not at all. Re-appending a commit id that is already stored is a no-op that returns the
 * stored commit (so a redelivered message appends nothing). Appending at a stale expected version fails with a
 * ConcurrencyError. Every commit is hash-chained at append (ADR 0011): its link records the hash of its events
 * and of the commit before it in the stream. Two adapters, MongoDB and SQLite, pass the same contract suite (event-store.contract.ts).
 */
export interface EventMetadata {
  correlationId: string;
  causationId: string;
  occurredAt: string;
}

export interface NewEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  streamVersion: number;
  commitId: string;
}

export interface AppendResult {
  streamId: string;
  commitId: string;
  events: StoredEvent[];
  /** True when the commit was already stored: nothing was appended. */
  duplicate: boolean;
  /** The commit's link in its stream's hash chain. */
  link: ChainLink;
}

/** What the chain upgrade did: commits stored before the chain existed, now linked. */
export interface ChainUpgrade {
  streams: number;
  commits: number;
}

export interface EventStore {
  append(
    streamId: string,
    expectedVersion: number,
    commitId: string,
    events: readonly NewEvent[],
  ): Promise<AppendResult>;
  /** Events of a stream after the given version (0: all), in order. */
  readStream(streamId: string, afterVersion?: number): Promise<StoredEvent[]>;
  /** The events of one commit, or null when no such commit is stored. */
  readCommit(commitId: string): Promise<StoredEvent[] | null>;
  /** The hash-chain links of a stream's commits, in stream order. */
  readChain(streamId: string): Promise<ChainLink[]>;
  /** The link of a stream's last commit: the stream's head; null for an empty stream. */
  chainHead(streamId: string): Promise<ChainLink | null>;
  /**
   * Links every commit stored before the chain existed, in stream order, leaving their events as they are.
   * Idempotent; each store runs it when it opens.
   */
  upgradeChains(): Promise<ChainUpgrade>;
  /** Every stream id, sorted. */
  streamIds(): Promise<string[]>;
  close(): Promise<void>;
}

export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`);
  }
}

export function assertContiguous(streamId: string, events: readonly NewEvent[]): void {
  if (events.length === 0) throw new Error(`Empty append to ${streamId}`);
  const ids = new Set(events.map((event) => event.eventId));
  if (ids.size !== events.length) throw new Error(`Duplicate event ids in one append to ${streamId}`);
}

export const EVENT_STORE = Symbol('EVENT_STORE');
