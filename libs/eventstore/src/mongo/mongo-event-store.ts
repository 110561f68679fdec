import { MongoServerError, type Collection, type Db } from 'mongodb';
import {
  assertContiguous,
  ConcurrencyError,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port';

/**
 * One document per commit in `event_commits`: `_id` is the commit id, `version` the stream version of its first
 * event, `lastVersion` of its last. A single-document insert is atomic on every MongoDB-compatible server, so a
 * commit is never half-written, without transactions. The unique index on (streamId, version) lets only one
 * writer follow a given predecessor: commits are contiguous, so two writers that read the same stream version
 * both try the same `version` and one gets a duplicate-key error.
 */
interface CommitDocument {
  _id: string;
  streamId: string;
  version: number;
  lastVersion: number;
  events: Array<Omit<NewEvent, never>>;
  committedAt: Date;
}

const DUPLICATE_KEY = 11000;

export class MongoEventStore implements EventStore {
  private readonly commits: Collection<CommitDocument>;

  private constructor(db: Db) {
    this.commits = db.collection<CommitDocument>('event_commits');
  }

  static async open(db: Db): Promise<MongoEventStore> {
    const store = new MongoEventStore(db);
    await store.commits.createIndex({ streamId: 1, version: 1 }, { unique: true, name: 'stream_version_unique' });
    return store;
  }

  async append(streamId: string, expectedVersion: number, commitId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    assertContiguous(streamId, events);
    // One read of the stream's end, then the insert: the unique _id and (streamId, version) indexes answer
    // "already stored" and "someone else appended first"; the commit is looked up by id only when the insert or
    // the stream's end says something is off (on FerretDB every read costs a scan).
    const actual = await this.lastVersion(streamId);
    if (actual > expectedVersion) {
      const existing = await this.commits.findOne({ _id: commitId });
      if (existing) return this.duplicateOf(existing, streamId);
    }
    if (actual !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, actual);
    const document: CommitDocument = {
      _id: commitId,
      streamId,
      version: expectedVersion + 1,
      lastVersion: expectedVersion + events.length,
      events: events.map((event) => ({ ...event })),
      committedAt: new Date(),
    };
    try {
      await this.commits.insertOne(document);
    } catch (error) {
      if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
      const raced = await this.commits.findOne({ _id: commitId });
      if (raced) return this.duplicateOf(raced, streamId);
      throw new ConcurrencyError(streamId, expectedVersion, await this.lastVersion(streamId));
    }
    return { streamId, commitId, events: toStoredEvents(document), duplicate: false };
  }

  async readStream(streamId: string, afterVersion = 0): Promise<StoredEvent[]> {
    const commits = await this.commits
      .find({ streamId, lastVersion: { $gt: afterVersion } })
      .sort({ version: 1 })
      .toArray();
    return commits.flatMap(toStoredEvents).filter((event) => event.streamVersion > afterVersion);
  }

  async readCommit(commitId: string): Promise<StoredEvent[] | null> {
    const commit = await this.commits.findOne({ _id: commitId });
    return commit ? toStoredEvents(commit) : null;
  }

  async streamIds(): Promise<string[]> {
    // distinct is served by FerretDB v1 as well as MongoDB.
    const ids = await this.commits.distinct('streamId');
    return ids.sort();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async lastVersion(streamId: string): Promise<number> {
    const last = await this.commits.find({ streamId }, { projection: { lastVersion: 1 } }).sort({ version: -1 }).limit(1).next();
    return last?.lastVersion ?? 0;
  }

  private duplicateOf(commit: CommitDocument, streamId: string): AppendResult {
    if (commit.streamId !== streamId) {
      throw new Error(`Commit ${commit._id} belongs to stream ${commit.streamId}, not ${streamId}`);
    }
    return { streamId, commitId: commit._id, events: toStoredEvents(commit), duplicate: true };
  }
}

function toStoredEvents(commit: CommitDocument): StoredEvent[] {
  return commit.events.map((event, index) => ({
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    streamId: commit.streamId,
    streamVersion: commit.version + index,
    commitId: commit._id,
  }));
}
