import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type ISocketFactory,
  type KafkaMessage,
  type logCreator,
  type Message,
  type Producer,
} from 'kafkajs';
import {
  chunksOf,
  ConsumerFailedError,
  consumeWithPolicy,
  MAX_BATCH_MESSAGES,
  tryBatch,
  resolvePolicy,
  sleep,
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

export type KafkaBusLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaConsumerTuning {
  /** A member that sends no heartbeat for this long is dropped from its group. */
  sessionTimeout: number;
  /** How long the coordinator waits for members to rejoin during a rebalance. */
  rebalanceTimeout: number;
  heartbeatInterval: number;
  /** How long the broker holds a fetch when there is nothing to read; also bounds how long stop() waits. */
  maxWaitTimeInMs: number;
}

export interface KafkaMessageBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of the topics created by ensureTopics (their `.dlq` twins get as many). */
  partitions?: number;
  /** kafkajs logs at this level and above go to the console (default warn). */
  logLevel?: KafkaBusLogLevel;
  consumer?: Partial<KafkaConsumerTuning>;
  policy?: ConsumePolicyOptions;
  /**
   * How the client reaches the brokers: kafkajs's socket factory (default: plain TCP) and how often a request is
   * retried before the caller sees the failure (default 8, about 20 s). The integration tests cut connections with
   * them, as a dying broker would.
   */
  transport?: { socketFactory?: ISocketFactory; retries?: number };
}

// A member heartbeats before each wait between retries, and a wait lasts at most 10 s (DEFAULT_BACKOFF.maxMs):
// the session outlives the longest wait threefold. Members that leave cleanly (stop, close, a fatal error) are
// replaced at once whatever the timeouts; only a member that died silently holds its partitions for a session.
const DEFAULT_CONSUMER_TUNING: KafkaConsumerTuning = {
  sessionTimeout: 30_000,
  rebalanceTimeout: 30_000,
  heartbeatInterval: 1_000,
  maxWaitTimeInMs: 250,
};

/** Handled offsets are committed at the end of each batch, and at least this often within a long one. */
const COMMIT_INTERVAL_MS = 250;

const LEVELS: Record<KafkaBusLogLevel, KafkaLogLevel> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/**
 * kafkajs talks a lot at INFO; keep what needs a human. It also logs every error response of the broker as an
 * ERROR before retrying it (a coordinator still loading, a leader moving): those are left out, since an error
 * that survives the retries reaches the caller anyway.
 */
const quietLogCreator: logCreator = (minimum) => (entry) => {
  if (entry.level === KafkaLogLevel.NOTHING || entry.level > minimum) return;
  if (entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')) return;
  const { message, timestamp: _timestamp, logger: _logger, ...details } = entry.log;
  const line = `[kafkajs] ${entry.namespace}: ${message}`;
  if (entry.level === KafkaLogLevel.ERROR) console.error(line, details);
  else console.warn(line, details);
};

/**
 * The MessageBus on Kafka (kafkajs). Messages are keyed by document id, so a document's messages share a
 * partition and keep their order. Publishing waits for all in-sync replicas (acks -1) from an idempotent
 * producer with one request in flight: no duplicates and no reordering on kafkajs's own retries. A send that fails
 * all the same ends that producer (see discardProducer): what the caller sends again may then arrive twice, never
 * not at all. Each subscription is its own consumer in its group; offsets are committed only for handled (or
 * dead-lettered) messages.
 */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly partitions: number;
  private readonly tuning: KafkaConsumerTuning;
  private readonly policy: ConsumePolicy;
  private readonly knownTopics = new Set<string>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private producer?: Promise<Producer>;
  private readonly outbox: Array<{
    topic: string;
    messages: readonly OutgoingMessage[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private sending = false;
  private admin?: Promise<Admin>;
  private closed = false;

  constructor(options: KafkaMessageBusOptions) {
    const level = LEVELS[options.logLevel ?? 'warn'];
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: level,
      logCreator: quietLogCreator,
      connectionTimeout: 3_000,
      retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: options.transport?.retries ?? 8 },
      ...(options.transport?.socketFactory ? { socketFactory: options.transport.socketFactory } : {}),
    });
    this.partitions = options.partitions ?? 3;
    this.tuning = { ...DEFAULT_CONSUMER_TUNING, ...options.consumer };
    this.policy = resolvePolicy(options.policy);
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const all = withDlqTopics(topics);
    // Topics that exist already are skipped by the broker, not reported as errors.
    await admin.createTopics({
      // A fetch event carries its snapshot: up to 20 MB of content, base64 in JSON. Kafka's default is 1 MB.
      topics: all.map((topic) => ({
        topic,
        numPartitions: this.partitions,
        configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }],
      })),
      // kafkajs's own wait gives up when the broker does not know a new topic yet: see waitForLeaders.
      waitForLeaders: false,
    });
    await this.waitForLeaders(admin, all);
    for (const topic of all) this.knownTopics.add(topic);
  }

  /**
   * Until every partition of the topics has a leader. The broker learns of a new topic a moment after the
   * controller created it (longer on a busy machine): kafkajs's own wait gives up at once on "unknown topic or
   * partition", and does not wait at all for topics another client has just created (versioning and projection
   * start together and create the same ones); the subscribe that followed then failed. Found by the fault suite.
   */
  private async waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
        if (
          found.length === topics.length &&
          found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
        )
          return;
      } catch (error) {
        // Unknown topic or partition while the broker's metadata catches up with the controller: ask again.
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`Topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /**
   * Publishes that arrive while a send is in flight wait for it (the producer has one request in flight) and then
   * go together in one request: under load, many concurrent callers (the gateway's requests) cost one round trip
   * and one append on the broker instead of one each, with no wait added when there is no load. Each caller
   * resolves when its own messages are acknowledged; the order of the calls is the order on each partition.
   */
  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await this.assertTopicExists(topic);
    if (messages.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      this.outbox.push({ topic, messages, resolve, reject });
      if (!this.sending) void this.sendOutbox();
    });
  }

  private async sendOutbox(): Promise<void> {
    this.sending = true;
    try {
      while (this.outbox.length > 0) {
        // A request stays well under the broker's limits: a fetch event alone may weigh tens of MB.
        let bytes = 0;
        let count = 0;
        while (count < this.outbox.length && (count === 0 || bytes < SEND_BUDGET_BYTES)) {
          bytes += this.outbox[count]!.messages.reduce((sum, message) => sum + message.value.length, 0);
          count += 1;
        }
        const sending = this.outbox.splice(0, count);
        try {
          const producer = await this.connectedProducer();
          const byTopic = new Map<string, Message[]>();
          for (const { topic, messages } of sending) {
            const list = byTopic.get(topic) ?? [];
            for (const message of messages)
              list.push({ key: message.key, value: message.value, headers: message.headers ?? {} });
            byTopic.set(topic, list);
          }
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
          });
          for (const { resolve } of sending) resolve();
        } catch (error) {
          this.discardProducer();
          for (const { reject } of sending) reject(error);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    this.assertOpen();
    await this.assertTopicExists(options.topic);
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.tuning.sessionTimeout,
      rebalanceTimeout: this.tuning.rebalanceTimeout,
      heartbeatInterval: this.tuning.heartbeatInterval,
      maxWaitTimeInMs: this.tuning.maxWaitTimeInMs,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 8 },
    });
    const subscription = new KafkaSubscription(
      consumer,
      options,
      this.policy,
      (topic, messages) => this.publish(topic, messages),
      this.partitions,
    );
    this.subscriptions.add(subscription);
    subscription.onEnd(() => this.subscriptions.delete(subscription));
    try {
      await subscription.start();
    } catch (error) {
      await subscription.stop();
      throw error;
    }
    return subscription;
  }

  async consumerLag(groupId: string, topic: string): Promise<PartitionLag[]> {
    // Asked about a topic it does not know, kafkajs adds it to every later metadata request of this client and
    // retries them for half a minute: ensureTopics and publish would stall behind it. Refuse at once instead.
    await this.assertTopicExists(topic);
    const admin = await this.connectedAdmin();
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committedOf = new Map(
      (committed?.partitions ?? []).map((partition) => [partition.partition, Number(partition.offset)]),
    );
    return ends
      .map(({ partition, high, low }) => {
        const end = Number(high);
        // -1: the group has committed nothing on this partition yet; it starts from the log's start.
        const next = committedOf.get(partition) ?? -1;
        const from = next < 0 ? Number(low) : next;
        return { topic, partition, committed: from, end, lag: Math.max(0, end - from) };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const producer = this.producer;
    const admin = this.admin;
    await Promise.all([
      producer?.then((connected) => connected.disconnect()).catch(() => undefined),
      admin?.then((connected) => connected.disconnect()).catch(() => undefined),
    ]);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The message bus is closed');
  }

  /** Kafka's own answer to an unknown topic is a metadata retry loop; refuse at once instead. */
  private async assertTopicExists(topic: string): Promise<void> {
    this.assertOpen();
    if (this.knownTopics.has(topic)) return;
    const admin = await this.connectedAdmin();
    const existing = await admin.listTopics();
    for (const name of existing) this.knownTopics.add(name);
    if (!this.knownTopics.has(topic)) throw new UnknownTopicError(topic);
  }

  private connectedProducer(): Promise<Producer> {
    this.assertOpen();
    this.producer ??= this.connect(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // The Java client's partitioner: a key lands on the same partition whichever client wrote it.
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => {
        this.producer = undefined;
      },
    );
    return this.producer;
  }

  /**
   * Forgets the producer after a send that failed: the next send starts a new one, with a new producer id.
   * kafkajs rolls a partition's sequence number back when a request fails, but the broker may have appended the
   * batch all the same (the answer was lost: a broker killed, a connection cut). The next batch would then carry a
   * sequence number the broker has seen: the same count of messages is taken for a retry of that batch and
   * acknowledged without being written (an accepted fetch lost), another count is refused as out of order, and so
   * is every later send of that producer. A new producer id has no history to collide with; a batch sent twice
   * that way is a duplicate, which the consumers drop (a fetch's commit id, an event's position).
   */
  private discardProducer(): void {
    const producer = this.producer;
    this.producer = undefined;
    producer?.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  private connectedAdmin(): Promise<Admin> {
    this.assertOpen();
    this.admin ??= this.connect(this.kafka.admin(), () => {
      this.admin = undefined;
    });
    return this.admin;
  }

  /** Connects once; a failed connection is forgotten, so that the next call tries again. */
  private async connect<T extends Producer | Admin>(client: T, forget: () => void): Promise<T> {
    try {
      await client.connect();
      return client;
    } catch (error) {
      forget();
      throw error;
    }
  }
}

/** Publishes waiting together are sent in requests of about this many bytes (one publish alone may be more). */
const SEND_BUDGET_BYTES = 4 * 1024 * 1024;

/** Room for the largest fetch event: 20 MB of content as base64 (27 MB) plus its fields. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

class KafkaSubscription implements Subscription {
  readonly failed: Promise<never>;
  private rejectFailed!: (error: unknown) => void;
  private readonly stopping = new AbortController();
  private failure?: ConsumerFailedError;
  private disconnected?: Promise<void>;
  private readonly endListeners: (() => void)[] = [];

  constructor(
    private readonly consumer: Consumer,
    private readonly options: SubscriptionOptions,
    private readonly policy: ConsumePolicy,
    private readonly publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>,
    private readonly concurrency: number,
  ) {
    this.failed = new Promise<never>((_resolve, reject) => {
      this.rejectFailed = reject;
    });
    // Whoever watches `failed` still sees the rejection; nobody watching must not crash the process twice.
    this.failed.catch(() => undefined);
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  async start(): Promise<void> {
    const { consumer } = this;
    // kafkajs gave up on its own (it restarts itself on retriable errors): the subscription is dead.
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) this.fail(event.payload.error);
    });
    const { onAssignment, topic } = this.options;
    if (onAssignment) {
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        onAssignment(event.payload.memberAssignment[topic] ?? []);
      });
    }
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Partitions are independent (keys never span two), so they are handled side by side; within one
      // partition messages stay strictly in order.
      partitionsConsumedConcurrently: this.concurrency,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const commit = () => payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
    const signal = this.stopping.signal;
    // A heartbeat during a long backoff keeps the membership; if it fails (a rebalance), the next regular
    // heartbeat reports it to kafkajs.
    const keepAlive = () => payload.heartbeat().catch(() => undefined);
    let lastCommit = Date.now();
    const topic = batch.topic;
    const stopped = () =>
      Boolean(this.failure) || signal.aborted || !payload.isRunning() || payload.isStale();
    reportConsumedBatch({
      groupId: this.options.groupId,
      topic: batch.topic,
      partition: batch.partition,
      size: batch.messages.length,
    });
    try {
      for (const run of chunksOf(batch.messages, MAX_BATCH_MESSAGES)) {
        if (stopped()) break;
        const incoming = run.map((message) => toIncoming(topic, batch.partition, message));
        // The whole run at once when the subscription can; its offsets are committed together after it.
        if (await tryBatch(incoming, { ...this.options, policy: this.policy })) {
          payload.resolveOffset(run[run.length - 1]!.offset);
          await commit();
          lastCommit = Date.now();
          await payload.heartbeat();
          continue;
        }
        for (const message of incoming) {
          if (stopped()) break;
          let outcome;
          try {
            outcome = await consumeWithPolicy(message, {
              groupId: this.options.groupId,
              handler: this.options.handler,
              publish: this.publish,
              policy: this.policy,
              signal,
              keepAlive,
              ...(this.options.park ? { park: this.options.park } : {}),
            });
          } catch (error) {
            // consumeWithPolicy resolves for every failure of the handler; reaching here is a bug of the runner
            // itself. Do not fetch this partition again: the message stays uncommitted for the next member.
            payload.pause();
            this.fail(error);
            break;
          }
          if (outcome === 'aborted') break;
          payload.resolveOffset(message.offset);
          if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
            await commit();
            lastCommit = Date.now();
          }
          await payload.heartbeat();
        }
      }
    } finally {
      await commit();
    }
  }

  /** Stops consuming for good, then rejects `failed` once the member has left its group. */
  private fail(error: unknown): void {
    if (this.failure) return;
    const { topic, groupId } = this.options;
    this.failure =
      error instanceof ConsumerFailedError ? error : new ConsumerFailedError(topic, -1, '?', groupId, error);
    const failure = this.failure;
    // Not awaited here: disconnecting waits for the batch in progress, which is the caller.
    setImmediate(() => {
      void this.disconnect().finally(() => this.rejectFailed(failure));
    });
  }

  private disconnect(): Promise<void> {
    this.disconnected ??= this.consumer
      .disconnect()
      .catch(() => undefined)
      .finally(() => {
        for (const listener of this.endListeners) listener();
      });
    return this.disconnected;
  }
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
    headers: decodeHeaders(message.headers),
  };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    // A header repeated on the wire arrives as an array: the last one wins, as in a plain object.
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) decoded[name] = value.toString();
  }
  return decoded;
}
