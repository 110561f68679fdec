import { linkOf, missingLinks, type ChainLink } from '@termline/audit';
import { MongoBulkWriteError, MongoServerError, type Collection, type Db } from 'mongodb';
import { createHash } from 'node:crypto';
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

/**
 * One document per commit in `event_commits`: `_id` is the commit id, `version` the stream version of its first
 * event, `lastVersion` of its last. A single-document insert is atomic on every MongoDB-compatible server, so a
 * commit is never half-written, without transactions. The unique index on (streamId, version) lets only one
 * writer follow a given predecessor: commits are contiguous, so two writers that read the same stream version
 * both try the same `version` and one gets a duplicate-key error. The commit's hash-chain link (`previousHash`,
 * `hash`, ADR 0011) is part of the same document, so it is written atomically with the events; commits stored
 * before the chain existed gain the two fields once, by the upgrade, their events untouched.
 */
interface CommitDocument {
  _id: string;
  streamId: string;
  version: number;
  lastVersion: number;
  events: StoredEventForm[];
  committedAt: Date;
  /** Absent only on commits stored before the chain existed, until the upgrade links them. */
  previousHash?: string | null;
  hash?: string;
}

/**
 * An event as its commit document holds it. A long `data.text` (a version's whole text) is kept apart, in
 * `event_texts` under its sha256, and the event names it in `textRef` (its `data.text` stays, null, so that the
 * text goes back in its place): commit documents stay small whatever the size of the documents, and a text
 * recorded again (a document that flips back) is stored once. The events read back are the events appended: the
 * text is put back before anyone sees them, and the hash chain is computed over the whole events, so where a text
 * is kept changes no hash.
 */
type StoredEventForm = NewEvent & { textRef?: string };

/** A text kept apart from its commit, under the sha256 (hex) of its UTF-8 bytes. */
interface EventTextDocument {
  _id: string;
  text: string;
}

/**
 * Texts shorter than this stay in their event: a second document and a second lookup cost more than they save
 * below a few pages of text (the fetches of the pga-versions history carry 57 KB of content on average).
 */
export const EXTERNAL_TEXT_MIN_CHARS = 8 * 1024;

const DUPLICATE_KEY = 11000;

/**
 * A stream's commits in version order, sorted here rather than by the server: FerretDB v2 drops the connection of
 * a sorted query whose cursor is not single-batch, and the next query then waits for a new PostgreSQL backend
 * (about 30 ms instead of 2; docs/adr/0017). A stream's commits are read whole anyway.
 */
function byVersion<T extends { version: number }>(commits: T[]): T[] {
  return commits.sort((a, b) => a.version - b.version);
}

export class MongoEventStore implements EventStore {
  private readonly commits: Collection<CommitDocument>;
  private readonly texts: Collection<EventTextDocument>;

  private constructor(db: Db) {
    this.commits = db.collection<CommitDocument>('event_commits');
    this.texts = db.collection<EventTextDocument>('event_texts');
  }

  static async open(db: Db): Promise<MongoEventStore> {
    const store = new MongoEventStore(db);
    await store.commits.createIndex(
      { streamId: 1, version: 1 },
      { unique: true, name: 'stream_version_unique' },
    );
    await store.upgradeChains();
    return store;
  }

  async upgradeChains(): Promise<ChainUpgrade> {
    const streams = (await this.commits.distinct('streamId', { hash: { $exists: false } })).sort();
    let commits = 0;
    for (const streamId of streams) commits += await this.chainStream(streamId);
    return { streams: streams.length, commits };
  }

  async readChain(streamId: string): Promise<ChainLink[]> {
    const commits = byVersion(await this.commits.find({ streamId }, { projection: { events: 0 } }).toArray());
    if (commits.some((commit) => commit.hash === undefined)) {
      await this.chainStream(streamId);
      return this.readChain(streamId);
    }
    return commits.map(linkOfDocument);
  }

  async chainHead(streamId: string): Promise<ChainLink | null> {
    // findOne (a single batch), not find().limit(1): see streamEnd.
    const head = await this.commits.findOne(
      { streamId },
      { projection: { events: 0 }, sort: { version: -1 } },
    );
    if (!head) return null;
    if (head.hash === undefined) {
      await this.chainStream(streamId);
      return this.chainHead(streamId);
    }
    return linkOfDocument(head);
  }

  /**
   * Links a stream's unlinked commits in order. Two processes doing it at once compute the same hashes, and the
   * update only sets fields that are absent, so the result is the same.
   */
  private async chainStream(streamId: string): Promise<number> {
    const commits = byVersion(await this.withTexts(await this.commits.find({ streamId }).toArray()));
    const links = missingLinks(
      streamId,
      commits.map((commit) => ({
        commitId: commit._id,
        firstVersion: commit.version,
        events: toStoredEvents(commit),
        hash: commit.hash,
      })),
    );
    for (const link of links) {
      await this.commits.updateOne(
        { _id: link.commitId, hash: { $exists: false } },
        { $set: { previousHash: link.previousHash, hash: link.hash } },
      );
    }
    return links.length;
  }

  async append(
    streamId: string,
    expectedVersion: number,
    commitId: string,
    events: readonly NewEvent[],
    head?: ExpectedHead,
  ): Promise<AppendResult> {
    assertContiguous(streamId, events);
    // The owner of the stream knows its head: insert at once; the unique _id and (streamId, version) indexes
    // answer "already stored" and "someone else appended first", and only then is anything read.
    if (head !== undefined) {
      assertHead(streamId, expectedVersion, head);
      const document = commitDocument(streamId, expectedVersion, commitId, events, head.hash);
      try {
        await this.commits.insertOne((await this.storedForms([document]))[0]!, { ignoreUndefined: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        return this.afterCollision(streamId, expectedVersion, commitId);
      }
      return appended(document);
    }
    // No head given: one read of the stream's end, then the insert (on FerretDB v1 every read costs a scan).
    const end = await this.streamEnd(streamId);
    const actual = end.lastVersion;
    let previousHash = end.hash;
    if (actual > expectedVersion) {
      const existing = await this.commitById(commitId);
      if (existing) return this.duplicateOf(existing, streamId);
    }
    if (actual !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, actual);
    if (actual > 0 && previousHash === undefined) {
      await this.chainStream(streamId);
      previousHash = (await this.streamEnd(streamId)).hash;
    }
    const document = commitDocument(streamId, expectedVersion, commitId, events, previousHash ?? null);
    try {
      await this.commits.insertOne((await this.storedForms([document]))[0]!, { ignoreUndefined: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return this.afterCollision(streamId, expectedVersion, commitId);
    }
    return appended(document);
  }

  async appendBatch(commits: readonly CommitToAppend[]): Promise<BatchAppendResult> {
    const documents = chainBatch(commits, commitDocument, (document) => ({
      lastVersion: document.lastVersion,
      hash: document.hash,
    }));
    if (documents.length === 0) return { appended: [], failedAt: null };
    try {
      // Ordered: the server stops at the first collision, so no stream gets a commit after one that failed.
      await this.commits.insertMany(await this.storedForms(documents), {
        ordered: true,
        ignoreUndefined: true,
      });
      return { appended: documents.map(appended), failedAt: null };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || !onlyDuplicateKeys(error)) throw error;
      const stored = error.insertedCount;
      return { appended: documents.slice(0, stored).map(appended), failedAt: stored };
    }
  }

  /**
   * After an insert collided: the commit id already stored is a redelivery (the stored commit is the answer),
   * anything else is another writer's commit at that version.
   */
  private async afterCollision(
    streamId: string,
    expectedVersion: number,
    commitId: string,
  ): Promise<AppendResult> {
    const raced = await this.commitById(commitId);
    if (raced) return this.duplicateOf(raced, streamId);
    throw new ConcurrencyError(streamId, expectedVersion, (await this.streamEnd(streamId)).lastVersion);
  }

  async readStream(streamId: string, afterVersion = 0): Promise<StoredEvent[]> {
    const commits = byVersion(
      await this.withTexts(
        await this.commits.find({ streamId, lastVersion: { $gt: afterVersion } }).toArray(),
      ),
    );
    return commits.flatMap(toStoredEvents).filter((event) => event.streamVersion > afterVersion);
  }

  async readCommit(commitId: string): Promise<StoredEvent[] | null> {
    const commit = await this.commitById(commitId);
    return commit ? toStoredEvents(commit) : null;
  }

  async readCommits(commitIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    if (commitIds.length === 0) return new Map();
    const found = await this.withTexts(
      await this.commits.find({ _id: { $in: [...new Set(commitIds)] } }).toArray(),
    );
    return new Map(found.map((commit) => [commit._id, toStoredEvents(commit)]));
  }

  /**
   * Stores the long texts of commits about to be inserted (once each, under their sha256) and gives the commit
   * documents that name them. Texts first: a crash before the commits leaves texts no commit names, never a commit
   * whose text is missing.
   */
  private async storedForms(documents: readonly CommitDocument[]): Promise<CommitDocument[]> {
    const texts = new Map<string, string>();
    const stored = documents.map((document) => withTextsApart(document, texts));
    if (texts.size === 0) return stored;
    try {
      await this.texts.insertMany(
        [...texts].map(([_id, text]) => ({ _id, text })),
        { ordered: false },
      );
    } catch (error) {
      // A text stored before (by an earlier commit, or by this one before a crash) is the same text.
      if (!(error instanceof MongoBulkWriteError) || !onlyDuplicateKeys(error)) throw error;
    }
    return stored;
  }

  private async commitById(commitId: string): Promise<CommitDocument | null> {
    const commit = await this.commits.findOne({ _id: commitId });
    return commit ? ((await this.withTexts([commit]))[0] ?? null) : null;
  }

  /** The commits with the texts kept apart put back into their events: one read for all of them. */
  private async withTexts(commits: CommitDocument[]): Promise<CommitDocument[]> {
    const refs = new Set(commits.flatMap((commit) => commit.events.flatMap((e) => e.textRef ?? [])));
    if (refs.size === 0) return commits;
    const found = await this.texts.find({ _id: { $in: [...refs] } }).toArray();
    const texts = new Map(found.map((document) => [document._id, document.text]));
    return commits.map((commit) => ({
      ...commit,
      events: commit.events.map((event) => {
        if (event.textRef === undefined) return event;
        const text = texts.get(event.textRef);
        if (text === undefined)
          throw new Error(
            `Commit ${commit._id} of ${commit.streamId}: the text ${event.textRef} of event ${event.eventId} is missing from event_texts`,
          );
        const { textRef: _ref, ...whole } = event;
        return { ...whole, data: { ...(event.data as object), text } };
      }),
    }));
  }

  async streamIds(): Promise<string[]> {
    // distinct is served by FerretDB v1 as well as MongoDB.
    const ids = await this.commits.distinct('streamId');
    return ids.sort();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The stream's last version and its head's hash (undefined when the head is not linked yet; null when empty). */
  private async streamEnd(
    streamId: string,
  ): Promise<{ lastVersion: number; hash: string | null | undefined }> {
    // findOne asks for a single batch: FerretDB v2 drops the connection of a sorted query that leaves its cursor
    // open-ended, and the next query pays for a new PostgreSQL backend (docs/adr/0017).
    const last = await this.commits.findOne(
      { streamId },
      { projection: { lastVersion: 1, hash: 1 }, sort: { version: -1 } },
    );
    return last ? { lastVersion: last.lastVersion, hash: last.hash } : { lastVersion: 0, hash: null };
  }

  private async duplicateOf(commit: CommitDocument, streamId: string): Promise<AppendResult> {
    if (commit.streamId !== streamId) {
      throw new Error(`Commit ${commit._id} belongs to stream ${commit.streamId}, not ${streamId}`);
    }
    let linked = commit;
    if (commit.hash === undefined) {
      await this.chainStream(streamId);
      linked = (await this.commits.findOne({ _id: commit._id })) ?? commit;
    }
    return {
      streamId,
      commitId: commit._id,
      events: toStoredEvents(commit),
      duplicate: true,
      link: linkOfDocument(linked),
    };
  }
}

/**
 * The commit as it is stored: each event's long `data.text` replaced by its sha256 in `textRef`, the text added to
 * `texts`. Everything else, the chain's hash included, is the whole commit's.
 */
function withTextsApart(document: CommitDocument, texts: Map<string, string>): CommitDocument {
  if (!document.events.some((event) => longTextOf(event) !== null)) return document;
  return {
    ...document,
    events: document.events.map((event) => {
      const text = longTextOf(event);
      if (text === null) return event;
      const ref = createHash('sha256').update(text, 'utf8').digest('hex');
      texts.set(ref, text);
      // The key stays, empty, so that the text is put back where it was (the events read back keep their order).
      return { ...event, data: { ...(event.data as object), text: null }, textRef: ref };
    }),
  };
}

function longTextOf(event: NewEvent): string | null {
  const data = event.data as { text?: unknown } | null;
  const text = typeof data === 'object' && data !== null && !Array.isArray(data) ? data.text : undefined;
  return typeof text === 'string' && text.length >= EXTERNAL_TEXT_MIN_CHARS ? text : null;
}

function commitDocument(
  streamId: string,
  expectedVersion: number,
  commitId: string,
  events: readonly NewEvent[],
  previousHash: string | null,
): CommitDocument {
  const stored: CommitDocument = {
    _id: commitId,
    streamId,
    version: expectedVersion + 1,
    lastVersion: expectedVersion + events.length,
    events: events.map((event) => ({ ...event })),
    committedAt: new Date(),
  };
  const link = linkOf({
    streamId,
    commitId,
    firstVersion: stored.version,
    previousHash,
    events: toStoredEvents(stored),
  });
  // Undefined members are left out when stored (ignoreUndefined), as JSON and the chain's canonical form do.
  return { ...stored, previousHash: link.previousHash, hash: link.hash };
}

const appended = (document: CommitDocument): AppendResult => ({
  streamId: document.streamId,
  commitId: document._id,
  events: toStoredEvents(document),
  duplicate: false,
  link: linkOfDocument(document),
});

const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/** Whether every write error of a bulk insert is a duplicate key (a collision), not a failure of the server. */
function onlyDuplicateKeys(error: MongoBulkWriteError): boolean {
  const errors = [error.writeErrors].flat();
  return errors.length > 0 && errors.every((writeError) => writeError.code === DUPLICATE_KEY);
}

function linkOfDocument(commit: Omit<CommitDocument, 'events'>): ChainLink {
  if (commit.hash === undefined) throw new Error(`Commit ${commit._id} has no chain link`);
  return {
    streamId: commit.streamId,
    commitId: commit._id,
    firstVersion: commit.version,
    lastVersion: commit.lastVersion,
    previousHash: commit.previousHash ?? null,
    hash: commit.hash,
  };
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
