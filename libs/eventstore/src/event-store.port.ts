import type { ChainLink } from '@termline/audit';

/**
 * The event store: insert-only streams with optimistic concurrency. An append is one commit: all its events are
 * stored atomically or not at all. Re-appending a commit id that is already stored is a no-op that returns the
 * stored commit (so a redelivered message appends nothing). Appending at a stale expected version fails with a
 * ConcurrencyError. Every commit is hash-chained at append (ADR 0011): its link records the hash of its events
 * and of the commit before it in the stream. Two adapters, MongoDB and SQLite, pass the same contract suite (event-store.contract.ts).
 *
 * A writer that owns a stream (it folded it, and every later commit is its own) knows the stream's head and
 * passes it with the append: the store then inserts against its unique (streamId, version) index without reading
 * the stream first, and reads only when the insert collides (a duplicate commit, or another writer first).
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

/**
 * The head a writer expects: the hash of the commit that ends at the expected version (null at version 0). It
 * must come from the store (a fold's chainHead, or an earlier append's link), so that the expected version is the
 * end of a commit: the next commit can only start right after it, and any other writer's collides there.
 */
export interface ExpectedHead {
  hash: string | null;
}

/** One commit of a batch append (appendBatch). */
export interface CommitToAppend {
  streamId: string;
  expectedVersion: number;
  commitId: string;
  events: readonly NewEvent[];
  /** The head from the caller's state; for a later commit of a stream in the same batch it is not read. */
  head: ExpectedHead;
}

/**
 * What a batch append did: `appended` holds the results of the commits stored, a prefix of the batch in its order;
 * `failedAt` is the index of the first commit not stored (a duplicate or a conflict), null when all were stored.
 * Commits after it were not tried: the caller settles them one by one.
 */
export interface BatchAppendResult {
  appended: AppendResult[];
  failedAt: number | null;
}

export interface EventStore {
  append(
    streamId: string,
    expectedVersion: number,
    commitId: string,
    events: readonly NewEvent[],
    head?: ExpectedHead,
  ): Promise<AppendResult>;
  /**
   * Appends commits of one or more streams in one write, in order, stopping at the first that collides with a
   * stored commit (no later commit is stored, so a stream never gets a commit after a gap). Every commit carries
   * its expected head: nothing is read first.
   */
  appendBatch(commits: readonly CommitToAppend[]): Promise<BatchAppendResult>;
  /** Events of a stream after the given version (0: all), in order. */
  readStream(streamId: string, afterVersion?: number): Promise<StoredEvent[]>;
  /** The events of one commit, or null when no such commit is stored. */
  readCommit(commitId: string): Promise<StoredEvent[] | null>;
  /** The events of several commits in one read, by commit id; a commit that is not stored has no entry. */
  readCommits(commitIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
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

/** A head must say what the store would find: no predecessor at version 0, one after it. */
export function assertHead(streamId: string, expectedVersion: number, head: ExpectedHead): void {
  if ((expectedVersion === 0) !== (head.hash === null)) {
    throw new Error(
      `Head of ${streamId} at version ${expectedVersion} cannot have hash ${head.hash ?? 'null'}`,
    );
  }
}

/**
 * Builds a batch's commits in order, each chained to its predecessor: the batch's previous commit of the same
 * stream when there is one (it must end at the expected version), else the head the caller passed.
 */
export function chainBatch<C>(
  commits: readonly CommitToAppend[],
  build: (
    streamId: string,
    expectedVersion: number,
    commitId: string,
    events: readonly NewEvent[],
    previousHash: string | null,
  ) => C,
  headOf: (built: C) => { lastVersion: number; hash: string | undefined },
): C[] {
  const latest = new Map<string, { lastVersion: number; hash: string | undefined }>();
  return commits.map((commit) => {
    assertContiguous(commit.streamId, commit.events);
    const before = latest.get(commit.streamId);
    let previousHash: string | null;
    if (before) {
      if (before.lastVersion !== commit.expectedVersion || before.hash === undefined)
        throw new Error(
          `Commit ${commit.commitId} expects ${commit.streamId} at version ${commit.expectedVersion}, ` +
            `but the batch's previous commit ends at ${before.lastVersion}`,
        );
      previousHash = before.hash;
    } else {
      assertHead(commit.streamId, commit.expectedVersion, commit.head);
      previousHash = commit.head.hash;
    }
    const built = build(
      commit.streamId,
      commit.expectedVersion,
      commit.commitId,
      commit.events,
      previousHash,
    );
    latest.set(commit.streamId, headOf(built));
    return built;
  });
}
