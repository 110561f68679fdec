import { groupCommits, linkOf, missingLinks, type ChainLink } from '@termline/audit';
import Database from 'better-sqlite3';
import {
  assertContiguous,
  assertHead,
  chainBatch,
  ConcurrencyError,
  type AppendResult,
  type BatchAppendResult,
  type ChainUpgrade,
  type CommitToAppend,
  type EventStore,
  type ExpectedHead,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port';
import { openSqlite, settle, WriteGroup } from './sqlite';

interface EventRow {
  stream_id: string;
  version: number;
  event_id: string;
  commit_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
}

const toStoredEvent = (row: EventRow): StoredEvent => ({
  streamId: row.stream_id,
  streamVersion: row.version,
  eventId: row.event_id,
  commitId: row.commit_id,
  type: row.type,
  schemaVersion: row.schema_version,
  data: JSON.parse(row.data) as unknown,
  metadata: JSON.parse(row.metadata) as StoredEvent['metadata'],
});

interface LinkRow {
  commit_id: string;
  stream_id: string;
  first_version: number;
  last_version: number;
  previous_hash: string | null;
  hash: string;
}

const toLink = (row: LinkRow): ChainLink => ({
  streamId: row.stream_id,
  commitId: row.commit_id,
  firstVersion: row.first_version,
  lastVersion: row.last_version,
  previousHash: row.previous_hash,
  hash: row.hash,
});

const linkRow = (link: ChainLink): LinkRow => ({
  commit_id: link.commitId,
  stream_id: link.streamId,
  first_version: link.firstVersion,
  last_version: link.lastVersion,
  previous_hash: link.previousHash,
  hash: link.hash,
});

interface BuiltCommit {
  stored: StoredEvent[];
  link: ChainLink;
}

function builtCommit(
  streamId: string,
  expectedVersion: number,
  commitId: string,
  events: readonly NewEvent[],
  previousHash: string | null,
): BuiltCommit {
  const stored = events.map((event, index): StoredEvent => ({
    ...event,
    streamId,
    streamVersion: expectedVersion + index + 1,
    commitId,
  }));
  return {
    stored,
    link: linkOf({ streamId, commitId, firstVersion: expectedVersion + 1, previousHash, events: stored }),
  };
}

const appendedResult = (commit: BuiltCommit): AppendResult => ({
  streamId: commit.link.streamId,
  commitId: commit.link.commitId,
  events: commit.stored,
  duplicate: false,
  link: commit.link,
});

/** A primary-key or unique violation: the insert collided with a stored commit. */
const isConstraintViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/**
 * The embedded event store: one SQLite file, one row per event, a real transaction per commit. Each commit's
 * hash-chain link is a row of `commit_links`, written in the same transaction as its events.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writeCommit: Database.Transaction<(commit: BuiltCommit) => void>;
  /** Appends asked for in one turn of the event loop share one transaction and its fsync. */
  private readonly writes: WriteGroup;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.writes = new WriteGroup(this.db);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        stream_id TEXT NOT NULL, version INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, commit_id TEXT NOT NULL,
        type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
        PRIMARY KEY (stream_id, version)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS events_by_commit ON events (commit_id, version);
      CREATE TABLE IF NOT EXISTS commit_links (
        commit_id TEXT PRIMARY KEY, stream_id TEXT NOT NULL, first_version INTEGER NOT NULL,
        last_version INTEGER NOT NULL, previous_hash TEXT, hash TEXT NOT NULL,
        UNIQUE (stream_id, first_version)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      lastVersion: this.db.prepare<[string], { v: number | null }>(
        'SELECT MAX(version) AS v FROM events WHERE stream_id = ?',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (stream_id, version, event_id, commit_id, type, schema_version, data, metadata)
         VALUES (@stream_id, @version, @event_id, @commit_id, @type, @schema_version, @data, @metadata)`,
      ),
      byCommit: this.db.prepare<[string], EventRow>(
        'SELECT * FROM events WHERE commit_id = ? ORDER BY version',
      ),
      stream: this.db.prepare<[string, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND version > ? ORDER BY version',
      ),
      streamIds: this.db.prepare<[], { stream_id: string }>(
        'SELECT DISTINCT stream_id FROM events ORDER BY stream_id',
      ),
      insertLink: this.db.prepare(
        `INSERT INTO commit_links (commit_id, stream_id, first_version, last_version, previous_hash, hash)
         VALUES (@commit_id, @stream_id, @first_version, @last_version, @previous_hash, @hash)`,
      ),
      linkOfCommit: this.db.prepare<[string], LinkRow>('SELECT * FROM commit_links WHERE commit_id = ?'),
      head: this.db.prepare<[string], LinkRow>(
        'SELECT * FROM commit_links WHERE stream_id = ? ORDER BY first_version DESC LIMIT 1',
      ),
      chain: this.db.prepare<[string], LinkRow>(
        'SELECT * FROM commit_links WHERE stream_id = ? ORDER BY first_version',
      ),
      unchainedStreams: this.db.prepare<[], { stream_id: string }>(
        `SELECT DISTINCT e.stream_id FROM events e LEFT JOIN commit_links l ON l.commit_id = e.commit_id
         WHERE l.commit_id IS NULL ORDER BY e.stream_id`,
      ),
    };
    // A commit's events and its link, all or nothing.
    this.writeCommit = this.db.transaction((commit: BuiltCommit): void => {
      for (const event of commit.stored) {
        this.statements.insert.run({
          stream_id: event.streamId,
          version: event.streamVersion,
          event_id: event.eventId,
          commit_id: event.commitId,
          type: event.type,
          schema_version: event.schemaVersion,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        });
      }
      this.statements.insertLink.run(linkRow(commit.link));
    });
    this.chainUnlinked();
  }

  /** Links the commits of one stream that have no link yet, in order; returns how many it linked. */
  private chainStream(streamId: string): number {
    const linked = new Map(this.statements.chain.all(streamId).map((row) => [row.commit_id, row.hash]));
    const commits = groupCommits(this.statements.stream.all(streamId, 0).map(toStoredEvent));
    const links = missingLinks(
      streamId,
      commits.map((commit) => ({ ...commit, hash: linked.get(commit.commitId) })),
    );
    for (const link of links) this.statements.insertLink.run(linkRow(link));
    return links.length;
  }

  private chainUnlinked(): ChainUpgrade {
    const upgrade = this.db.transaction((): ChainUpgrade => {
      const streams = this.statements.unchainedStreams.all().map((row) => row.stream_id);
      let commits = 0;
      for (const streamId of streams) commits += this.chainStream(streamId);
      return { streams: streams.length, commits };
    });
    return upgrade.immediate();
  }

  upgradeChains(): Promise<ChainUpgrade> {
    return settle(() => this.chainUnlinked());
  }

  readChain(streamId: string): Promise<ChainLink[]> {
    return settle(() => this.statements.chain.all(streamId).map(toLink));
  }

  chainHead(streamId: string): Promise<ChainLink | null> {
    return settle(() => {
      const row = this.statements.head.get(streamId);
      return row ? toLink(row) : null;
    });
  }

  append(
    streamId: string,
    expectedVersion: number,
    commitId: string,
    events: readonly NewEvent[],
    head?: ExpectedHead,
  ): Promise<AppendResult> {
    // The owner of the stream knows its head: insert at once; the primary key (stream_id, version) and the
    // unique event ids answer "someone else appended first" and "already stored", and only then is anything read.
    if (head !== undefined) {
      return this.writes.run(() => {
        assertContiguous(streamId, events);
        assertHead(streamId, expectedVersion, head);
        const commit = builtCommit(streamId, expectedVersion, commitId, events, head.hash);
        try {
          this.writeCommit(commit);
        } catch (error) {
          if (!isConstraintViolation(error)) throw error;
          return this.afterCollision(streamId, expectedVersion, commitId);
        }
        return appendedResult(commit);
      });
    }
    const run = this.db.transaction((): AppendResult => {
      assertContiguous(streamId, events);
      const existing = this.duplicateOf(streamId, commitId);
      if (existing) return existing;
      const actual = this.statements.lastVersion.get(streamId)?.v ?? 0;
      if (actual !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, actual);
      let head = this.statements.head.get(streamId);
      // Commits written by an older process on the same file, after this one upgraded: link them first.
      if (actual > 0 && head?.last_version !== actual) {
        this.chainStream(streamId);
        head = this.statements.head.get(streamId);
      }
      const commit = builtCommit(streamId, expectedVersion, commitId, events, head?.hash ?? null);
      this.writeCommit(commit);
      return appendedResult(commit);
    });
    return this.writes.run(() => run());
  }

  appendBatch(commits: readonly CommitToAppend[]): Promise<BatchAppendResult> {
    return this.writes.run(() => {
      const built = chainBatch(commits, builtCommit, (commit) => commit.link);
      const run = this.db.transaction((): BatchAppendResult => {
        const appended: AppendResult[] = [];
        for (const [index, commit] of built.entries()) {
          try {
            // Nested in the batch's transaction, a savepoint: a colliding commit leaves nothing of itself.
            this.writeCommit(commit);
          } catch (error) {
            if (!isConstraintViolation(error)) throw error;
            return { appended, failedAt: index };
          }
          appended.push(appendedResult(commit));
        }
        return { appended, failedAt: null };
      });
      return run();
    });
  }

  /** The stored commit when the commit id is already stored (a redelivery), else null. */
  private duplicateOf(streamId: string, commitId: string): AppendResult | null {
    const existing = this.statements.byCommit.all(commitId);
    if (existing.length === 0) return null;
    if (existing[0]!.stream_id !== streamId) {
      throw new Error(`Commit ${commitId} belongs to stream ${existing[0]!.stream_id}, not ${streamId}`);
    }
    const link = this.statements.linkOfCommit.get(commitId);
    if (!link) throw new Error(`Commit ${commitId} of ${streamId} has no chain link`);
    return { streamId, commitId, events: existing.map(toStoredEvent), duplicate: true, link: toLink(link) };
  }

  /** After an insert collided: a redelivery answers with the stored commit, anything else is a conflict. */
  private afterCollision(streamId: string, expectedVersion: number, commitId: string): AppendResult {
    const existing = this.duplicateOf(streamId, commitId);
    if (existing) return existing;
    const actual = this.statements.lastVersion.get(streamId)?.v ?? 0;
    throw new ConcurrencyError(streamId, expectedVersion, actual);
  }

  readStream(streamId: string, afterVersion = 0): Promise<StoredEvent[]> {
    return settle(() => this.statements.stream.all(streamId, afterVersion).map(toStoredEvent));
  }

  readCommit(commitId: string): Promise<StoredEvent[] | null> {
    return settle(() => this.eventsOfCommit(commitId));
  }

  readCommits(commitIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    return settle(() => {
      const found = new Map<string, StoredEvent[]>();
      for (const commitId of commitIds) {
        const events = this.eventsOfCommit(commitId);
        if (events) found.set(commitId, events);
      }
      return found;
    });
  }

  /** The events of one commit, in order (null: no such commit). One indexed statement: SQLite has no round trip. */
  private eventsOfCommit(commitId: string): StoredEvent[] | null {
    const rows = this.statements.byCommit.all(commitId);
    return rows.length > 0 ? rows.map(toStoredEvent) : null;
  }

  streamIds(): Promise<string[]> {
    return settle(() => this.statements.streamIds.all().map((row) => row.stream_id));
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }
}
