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

export interface SubscriptionOptions {
  /** Consumer group, named `<app>.<handler>`. */
  groupId: string;
  topic: string;
  /**
   * Called once per message, in order per key. Resolving commits the message. Rejecting is handled by the
   * consumer runner (consume-with-policy.ts), which adapters do not bypass: invalid messages go to the
   * dead-letter topic, transient errors are retried with backoff, anything else stops the consumer.
   */
  handler: MessageHandler;
}

export interface Subscription {
  /** Stops consuming after the message in flight; resolves when stopped. */
  stop(): Promise<void>;
  /** Rejects when the consumer stopped because of an error it cannot handle (a bug): the process should exit. */
  readonly failed: Promise<never>;
}

export interface MessageBus {
  /** Creates the topics (and their `.dlq` twins) if missing. Idempotent. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
