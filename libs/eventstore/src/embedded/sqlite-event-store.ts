import Database from 'better-sqlite3';
import {
  assertContiguous,
  ConcurrencyError,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port';
import { openSqlite, settle } from './sqlite';

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

/** The embedded event store: one SQLite file, one row per event, a real transaction per commit. */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        stream_id TEXT NOT NULL, version INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, commit_id TEXT NOT NULL,
        type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
        PRIMARY KEY (stream_id, version)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS events_by_commit ON events (commit_id, version);
    `);
    this.statements = {
      lastVersion: this.db.prepare<[string], { v: number | null }>(
        'SELECT MAX(version) AS v FROM events WHERE stream_id = ?',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (stream_id, version, event_id, commit_id, type, schema_version, data, metadata)
         VALUES (@stream_id, @version, @event_id, @commit_id, @type, @schema_version, @data, @metadata)`,
      ),
      byCommit: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE commit_id = ? ORDER BY version'),
      stream: this.db.prepare<[string, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND version > ? ORDER BY version',
      ),
      streamIds: this.db.prepare<[], { stream_id: string }>(
        'SELECT DISTINCT stream_id FROM events ORDER BY stream_id',
      ),
    };
  }

  append(streamId: string, expectedVersion: number, commitId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    const run = this.db.transaction((): AppendResult => {
      assertContiguous(streamId, events);
      const existing = this.statements.byCommit.all(commitId);
      if (existing.length > 0) {
        if (existing[0]!.stream_id !== streamId) {
          throw new Error(`Commit ${commitId} belongs to stream ${existing[0]!.stream_id}, not ${streamId}`);
        }
        return { streamId, commitId, events: existing.map(toStoredEvent), duplicate: true };
      }
      const actual = this.statements.lastVersion.get(streamId)?.v ?? 0;
      if (actual !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, actual);
      const stored = events.map(
        (event, index): StoredEvent => ({ ...event, streamId, streamVersion: expectedVersion + index + 1, commitId }),
      );
      for (const event of stored) {
        this.statements.insert.run({
          stream_id: streamId,
          version: event.streamVersion,
          event_id: event.eventId,
          commit_id: commitId,
          type: event.type,
          schema_version: event.schemaVersion,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        });
      }
      return { streamId, commitId, events: stored, duplicate: false };
    });
    return settle(() => run.immediate());
  }

  readStream(streamId: string, afterVersion = 0): Promise<StoredEvent[]> {
    return settle(() => this.statements.stream.all(streamId, afterVersion).map(toStoredEvent));
  }

  readCommit(commitId: string): Promise<StoredEvent[] | null> {
    return settle(() => {
      const rows = this.statements.byCommit.all(commitId);
      return rows.length > 0 ? rows.map(toStoredEvent) : null;
    });
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
