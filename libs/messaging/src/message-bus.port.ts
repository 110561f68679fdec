import type { ParkHandler } from './consume-with-policy';
import type { PartitionLag } from './consumer-telemetry';

/**
 * The port every messaging adapter implements: Kafka in distributed mode, a durable SQLite log in embedded mode.
 * Both give the same guarantees, proven by one contract suite (message-bus.contract.ts):
 * - messages with the same key keep their order;
 * - a consumer group resumes after the last committed message, across restarts;
 * - a message is committed only after its handler resolved (at-least-once delivery);
 * - publishing resolves only once the message is durable.
 */
export interface OutgoingMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** Handles consecutive messages of one partition as one unit; resolving commits them all. */
export type BatchHandler = (messages: readonly IncomingMessage[]) => Promise<void>;

export interface SubscriptionOptions {
  /** Consumer group, named `<app>.<handler>`. */
  groupId: string;
  topic: string;
  /**
   * Called once per message, in order per key. Resolving commits the message. Rejecting is handled by the
   * consumer runner (consume-with-policy.ts), which adapters do not bypass: invalid messages go to the
   * dead-letter topic, transient errors are retried with backoff, a message that fails unexpectedly at every
   * attempt is parked and the consumer moves on.
   */
  handler: MessageHandler;
  /**
   * Optional: handles a run of consecutive messages of one partition at once (one write, one publish), in
   * their order. Resolving commits them all. Rejecting is not a failure of any message: the adapter then runs
   * each message of the run through `handler` under the policy, so the batch handler must be idempotent with
   * it (whatever it stored before rejecting is found again, never stored twice).
   */
  batchHandler?: BatchHandler;
  /** Where parked messages go (a quarantine store); the dead-letter topic, marked quarantined, when absent. */
  park?: ParkHandler;
  /**
   * Told the topic's partitions this member consumes after each (re)balance, so that what it keeps per
   * partition can be dropped when a partition moves to another member. A bus without rebalancing (the embedded
   * one: one member owns everything) never calls it.
   */
  onAssignment?: (partitions: readonly number[]) => void;
}

export interface Subscription {
  /** Stops consuming after the message in flight; resolves when stopped. */
  stop(): Promise<void>;
  /**
   * Rejects when the consumer stopped because its own client gave up (Kafka's consumer crashed without
   * restarting): the process should exit. A failing handler never causes it.
   */
  readonly failed: Promise<never>;
}

export interface MessageBus {
  /** Creates the topics (and their `.dlq` twins) if missing. Idempotent. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
  /** How far a consumer group is behind each partition of a topic: sampled for /metrics, not per message. */
  consumerLag(groupId: string, topic: string): Promise<PartitionLag[]>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
