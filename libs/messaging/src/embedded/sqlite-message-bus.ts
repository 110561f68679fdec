import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { durablyCommitted, openSqlite, settle } from '@termline/eventstore';
import {
  backoffDelay,
  chunksOf,
  ConsumerFailedError,
  consumeWithPolicy,
  MAX_BATCH_MESSAGES,
  tryBatch,
  resolvePolicy,
  type ConsumePolicy,
  type ConsumePolicyOptions,
} from '../consume-with-policy';
import type {
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from '../message-bus.port';
import { reportConsumedBatch, type PartitionLag } from '../consumer-telemetry';
import { UnknownTopicError, withDlqTopics } from '../topics';

/**
 * The embedded twin of Kafka: a durable, append-only log in one SQLite file.
 *
 * Each topic has a single partition (0), so messages are totally ordered by offset, which is stricter than
 * Kafka's per-key order. A consumer group stores the next offset to read, committed after each handled message.
 * Subscribers in this process are woken on publish; a poll catches messages written by other processes sharing
 * the file. One member per group and topic: unlike Kafka there is no rebalancing, so a second concurrent member
 * (in this process: refused; in another process: not detected) would see the same messages.
 */
export interface SqliteMessageBusOptions {
  /** How often a subscriber looks for messages written by another process. */
  pollIntervalMs?: number;
  /** Messages read per query. */
  batchSize?: number;
  /**
   * Characters of message values read per query (default 32 Mi), one message at least: fetches of up to 16 MiB, a
   * backlog of hundreds of them read 500 at a time, would fill the heap on every start of the consumer.
   */
  batchChars?: number;
  policy?: ConsumePolicyOptions;
}

interface MessageRow {
  topic: string;
  offset: number;
  key: string;
  value: string;
  headers: string;
}

// One emitter for the whole process, keyed by file and topic, so that two buses on the same file wake each other.
const published = new EventEmitter();
published.setMaxListeners(0);
const wakeEvent = (file: string, topic: string): string => `${file}\n${topic}`;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS topics (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS messages (
    topic TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    headers TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (topic, "offset")
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS group_offsets (
    group_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    next_offset INTEGER NOT NULL,
    committed_at TEXT NOT NULL,
    PRIMARY KEY (group_id, topic)
  ) WITHOUT ROWID;
`;

export class SqliteMessageBus implements MessageBus {
  private readonly db: Database.Database;
  /** The same file for the consumer offsets only, without an fsync per commit (see openSqlite's `redoable`). */
  private readonly offsetsDb: Database.Database;
  private readonly file: string;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly batchChars: number;
  private readonly policy: ConsumePolicy;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private closed = false;

  private readonly statements: {
    topicExists: Database.Statement<[string], { name: string }>;
    insertTopic: Database.Statement<[string, string]>;
    lastOffset: Database.Statement<[string], { last: number | null }>;
    insertMessage: Database.Statement<[string, number, string, string, string, string]>;
    readFrom: Database.Statement<[string, number, number], MessageRow>;
    committed: Database.Statement<[string, string], { next_offset: number }>;
    commit: Database.Statement<[string, string, number, string]>;
  };

  constructor(file: string, options: SqliteMessageBusOptions = {}) {
    this.file = file === ':memory:' ? file : resolve(file);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.batchSize = options.batchSize ?? 500;
    this.batchChars = options.batchChars ?? 32 * 1024 * 1024;
    this.policy = resolvePolicy(options.policy);
    // Publishing resolves only once the message is on disk (the port's promise): the stores' policy.
    this.db = openSqlite(this.file);
    this.db.exec(SCHEMA);
    // An offset lost to a power loss redelivers what was handled after it, which every handler takes
    // idempotently; a message, on the other hand, must be on disk before publish resolves.
    this.offsetsDb = this.file === ':memory:' ? this.db : openSqlite(this.file, 'redoable');
    this.statements = {
      topicExists: this.db.prepare('SELECT name FROM topics WHERE name = ?'),
      insertTopic: this.db.prepare('INSERT OR IGNORE INTO topics (name, created_at) VALUES (?, ?)'),
      lastOffset: this.db.prepare('SELECT MAX("offset") AS last FROM messages WHERE topic = ?'),
      insertMessage: this.db.prepare(
        'INSERT INTO messages (topic, "offset", key, value, headers, published_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      readFrom: this.db.prepare(
        'SELECT topic, "offset", key, value, headers FROM messages WHERE topic = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?',
      ),
      committed: this.db.prepare('SELECT next_offset FROM group_offsets WHERE group_id = ? AND topic = ?'),
      commit: this.offsetsDb.prepare(
        `INSERT INTO group_offsets (group_id, topic, next_offset, committed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (group_id, topic) DO UPDATE SET next_offset = excluded.next_offset, committed_at = excluded.committed_at`,
      ),
    };
  }

  ensureTopics(topics: readonly string[]): Promise<void> {
    return this.run(() => {
      const now = new Date().toISOString();
      this.db.transaction(() => {
        for (const topic of withDlqTopics(topics)) this.statements.insertTopic.run(topic, now);
      })();
    });
  }

  /**
   * Group commit: the publishes asked for in one turn of the event loop (the gateway's concurrent requests, a
   * consumer's events) are written in one transaction, so they share one fsync instead of paying one each. Each
   * promise still resolves only once its messages are on disk, and messages keep the order publish was called in.
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.unwritten.push({ topic, messages, resolve, reject });
      if (this.unwritten.length === 1) setImmediate(() => this.writePublished());
    });
  }

  private readonly unwritten: Array<{
    topic: string;
    messages: readonly OutgoingMessage[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  /** Per topic, the offset below which every message written here is known to be on disk. */
  private readonly onDiskBefore = new Map<string, number>();

  /**
   * Resolves once the messages of a topic up to `offset` are on disk. A reader may see a message committed and not
   * yet synced (its publisher still waits): acting on it before it is on disk could leave effects of a message a
   * power loss then erases. Those written by this process are known; others (another process) wait for a sync.
   */
  onDisk(topic: string, offset: number): Promise<void> {
    return offset < (this.onDiskBefore.get(topic) ?? 0) ? Promise.resolve() : durablyCommitted(this.db);
  }

  /** Topics seen to exist: the log never deletes one, so a positive answer is kept. */
  private readonly knownTopics = new Set<string>();

  private topicExists(topic: string): boolean {
    if (this.knownTopics.has(topic)) return true;
    if (!this.statements.topicExists.get(topic)) return false;
    this.knownTopics.add(topic);
    return true;
  }

  private writePublished(): void {
    const group = this.unwritten.splice(0);
    const writable: typeof group = [];
    for (const entry of group) {
      try {
        if (this.closed) throw new Error('The message bus is closed');
        if (!this.topicExists(entry.topic)) throw new UnknownTopicError(entry.topic);
        writable.push(entry);
      } catch (error) {
        entry.reject(error);
      }
    }
    if (writable.length === 0) return;
    const now = new Date().toISOString();
    const next = new Map<string, number>();
    try {
      // IMMEDIATE takes the write lock before reading the last offsets, so a writer in another process cannot
      // take the same offsets.
      this.db
        .transaction(() => {
          next.clear();
          for (const { topic, messages } of writable) {
            let offset = next.get(topic) ?? (this.statements.lastOffset.get(topic)?.last ?? -1) + 1;
            for (const message of messages) {
              this.statements.insertMessage.run(
                topic,
                offset,
                message.key,
                message.value,
                JSON.stringify(message.headers ?? {}),
                now,
              );
              offset += 1;
            }
            next.set(topic, offset);
          }
        })
        .immediate();
    } catch (error) {
      for (const entry of writable) entry.reject(error);
      return;
    }
    // Consumers are woken once the messages are on disk, as publishers are answered.
    durablyCommitted(this.db).then(
      () => {
        for (const [topic, end] of next)
          this.onDiskBefore.set(topic, Math.max(end, this.onDiskBefore.get(topic) ?? 0));
        for (const topic of new Set(writable.map((entry) => entry.topic)))
          published.emit(wakeEvent(this.file, topic));
        for (const entry of writable) entry.resolve();
      },
      (error: unknown) => {
        for (const entry of writable) entry.reject(error);
      },
    );
  }

  subscribe(options: SubscriptionOptions): Promise<Subscription> {
    return this.run(() => {
      if (!this.topicExists(options.topic)) throw new UnknownTopicError(options.topic);
      for (const existing of this.subscriptions) {
        if (existing.groupId === options.groupId && existing.topic === options.topic) {
          throw new Error(
            `Group ${options.groupId} already has a member on ${options.topic} in this process`,
          );
        }
      }
      const subscription = new SqliteSubscription(this, options);
      this.subscriptions.add(subscription);
      subscription.start(() => this.subscriptions.delete(subscription));
      return subscription;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    // Publishes asked for before the close are written, as they were when each wrote at once.
    this.writePublished();
    this.closed = true;
    if (this.offsetsDb !== this.db) this.offsetsDb.close();
    this.db.close();
  }

  consumerLag(groupId: string, topic: string): Promise<PartitionLag[]> {
    return this.run(() => {
      if (!this.topicExists(topic)) throw new UnknownTopicError(topic);
      const end = (this.statements.lastOffset.get(topic)?.last ?? -1) + 1;
      const committed = this.committedOffset(groupId, topic);
      // One partition per topic in the message log.
      return [{ topic, partition: 0, committed, end, lag: Math.max(0, end - committed) }];
    });
  }

  /**
   * @internal Up to `batchSize` messages from the offset on, and no more of their values than `batchChars` (but the
   * first, whatever its size). Rows are read one by one and the read stops before the row that would go over.
   */
  readBatch(topic: string, fromOffset: number): MessageRow[] {
    const rows: MessageRow[] = [];
    let chars = 0;
    for (const row of this.statements.readFrom.iterate(topic, fromOffset, this.batchSize)) {
      chars += row.value.length;
      if (rows.length > 0 && chars > this.batchChars) break;
      rows.push(row);
    }
    return rows;
  }

  /** @internal The next offset the group reads: after its last commit, or the beginning for a new group. */
  committedOffset(groupId: string, topic: string): number {
    return this.statements.committed.get(groupId, topic)?.next_offset ?? 0;
  }

  /** @internal */
  commit(groupId: string, topic: string, nextOffset: number): void {
    this.statements.commit.run(groupId, topic, nextOffset, new Date().toISOString());
  }

  /** @internal Resolves on a publish to the topic, after the poll interval, or when the signal aborts. */
  waitForMessages(topic: string, signal: AbortSignal): Promise<void> {
    return new Promise((done) => {
      const event = wakeEvent(this.file, topic);
      const finish = () => {
        clearTimeout(timer);
        published.off(event, finish);
        signal.removeEventListener('abort', finish);
        done();
      };
      const timer = setTimeout(finish, this.pollIntervalMs);
      published.on(event, finish);
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  /** @internal */
  get consumePolicy(): ConsumePolicy {
    return this.policy;
  }

  /** Runs synchronous SQLite work as a promise, so that its errors arrive as rejections like the Kafka adapter's. */
  private run<T>(work: () => T): Promise<T> {
    // In a turn of its own, as the stores' calls (settle): waiting I/O goes first.
    return settle(() => {
      if (this.closed) throw new Error('The message bus is closed');
      return work();
    });
  }
}

class SqliteSubscription implements Subscription {
  readonly groupId: string;
  readonly topic: string;
  readonly failed: Promise<never>;
  private rejectFailed!: (error: unknown) => void;
  private readonly stopping = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: SqliteMessageBus,
    private readonly options: SubscriptionOptions,
  ) {
    this.groupId = options.groupId;
    this.topic = options.topic;
    this.failed = new Promise<never>((_resolve, reject) => {
      this.rejectFailed = reject;
    });
    // Whoever watches `failed` still sees the rejection; nobody watching must not crash the process twice.
    this.failed.catch(() => undefined);
  }

  start(onEnd: () => void): void {
    this.done = this.consume()
      .catch((error: unknown) => {
        this.rejectFailed(
          error instanceof ConsumerFailedError
            ? error
            : new ConsumerFailedError(this.topic, 0, '?', this.groupId, error),
        );
      })
      .finally(onEnd);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.done;
  }

  private async consume(): Promise<void> {
    const signal = this.stopping.signal;
    const start = await this.withRetry('read the committed offset', () =>
      this.bus.committedOffset(this.groupId, this.topic),
    );
    if (!start) return;
    let next = start.value;
    while (!signal.aborted) {
      const from = next;
      const read = await this.withRetry('read messages', () => this.bus.readBatch(this.topic, from));
      if (!read) return;
      if (read.value.length === 0) {
        await this.bus.waitForMessages(this.topic, signal);
        continue;
      }
      const last = read.value[read.value.length - 1]!.offset;
      if (!(await this.withRetry('sync what it read', () => this.bus.onDisk(this.topic, last)))) return;
      reportConsumedBatch({
        groupId: this.groupId,
        topic: this.topic,
        partition: 0,
        size: read.value.length,
      });
      for (const rows of chunksOf(read.value, MAX_BATCH_MESSAGES)) {
        if (signal.aborted) return;
        // The whole run at once when the subscription can, committed after it; else message by message.
        const batched = await tryBatch(rows.map(toIncoming), {
          ...this.options,
          policy: this.bus.consumePolicy,
        });
        for (const row of batched ? [] : rows) {
          if (signal.aborted) return;
          const outcome = await consumeWithPolicy(toIncoming(row), {
            groupId: this.groupId,
            handler: this.options.handler,
            publish: (topic, messages) => this.bus.publish(topic, messages),
            policy: this.bus.consumePolicy,
            signal,
            ...(this.options.park ? { park: this.options.park } : {}),
          });
          if (outcome === 'aborted') return;
          next = row.offset + 1;
          const committed = next;
          // A commit that fails (a full disk) is retried, not fatal: the message was handled and must not be lost.
          if (!(await this.withRetry('commit', () => this.bus.commit(this.groupId, this.topic, committed))))
            return;
        }
        if (batched) {
          next = rows[rows.length - 1]!.offset + 1;
          const committed = next;
          if (!(await this.withRetry('commit', () => this.bus.commit(this.groupId, this.topic, committed))))
            return;
        }
      }
    }
  }

  /**
   * The log's own reads and writes, retried with the policy's backoff until they succeed, or until the
   * subscription stops (undefined). A full disk or a locked file must not end the consumer: it resumes when
   * they clear.
   */
  private async withRetry<T>(step: string, work: () => T | Promise<T>): Promise<{ value: T } | undefined> {
    const policy = this.bus.consumePolicy;
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopping.signal.aborted) return undefined;
      try {
        return { value: await work() };
      } catch (error) {
        const delayMs = backoffDelay(attempt, policy.backoff);
        policy.logger.error(`the message log failed to ${step}, retrying`, {
          groupId: this.groupId,
          topic: this.topic,
          attempt,
          delayMs,
          error: error instanceof Error ? error.message : String(error),
        });
        await policy.sleep(delayMs, this.stopping.signal);
      }
    }
  }
}

const toIncoming = (row: MessageRow): IncomingMessage => ({
  topic: row.topic,
  partition: 0,
  offset: String(row.offset),
  key: row.key,
  value: row.value,
  headers: parseHeaders(row.headers),
});

/** Headers the log cannot read do not stop the consumer: the message goes to its handler without them. */
function parseHeaders(raw: string): Record<string, string> {
  try {
    const headers = JSON.parse(raw) as unknown;
    return typeof headers === 'object' && headers !== null ? (headers as Record<string, string>) : {};
  } catch {
    return {};
  }
}
