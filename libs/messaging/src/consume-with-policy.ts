import type { IncomingMessage, MessageHandler, OutgoingMessage } from './message-bus.port';
import { dlqTopic } from './topics';

/**
 * The one place that decides what a consumer does when its handler fails. Both adapters run every message
 * through consumeWithPolicy, so the embedded and the Kafka bus behave the same:
 * - invalid: the message can never be processed (bad schema, unknown event): it goes to `<topic>.dlq` with the
 *   reason, and consumption goes on;
 * - transient: the outside world hiccuped (network, timeout, a concurrent writer): retry with exponential backoff,
 *   and give up as fatal after a bounded number of attempts;
 * - fatal: a bug. The subscription stops without committing, so the message is delivered again after a restart.
 */
export type FailureKind = 'invalid' | 'transient' | 'fatal';

/** Thrown by a handler for a message that no retry will fix. */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
  readonly reason: string;
  readonly code?: string;

  constructor(reason: string, options: { code?: string; cause?: unknown } = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    if (options.code !== undefined) this.code = options.code;
  }
}

/** Thrown by a handler when trying again later may succeed. */
export class TransientError extends Error {
  override readonly name = 'TransientError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Rejects Subscription.failed: the subscription stopped on the message it names, which was not committed. */
export class ConsumerFailedError extends Error {
  override readonly name = 'ConsumerFailedError';

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly groupId: string,
    cause: unknown,
  ) {
    super(
      `Consumer ${groupId} stopped on ${topic}[${partition}]@${offset}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

// Matched by name or code rather than by class, so the messaging library needs neither the MongoDB driver nor the
// event store to recognise their errors.
const TRANSIENT_NAMES = new Set([
  'TransientError',
  'ConcurrencyError',
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSLockTimeout',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoWriteConcernError',
  'TimeoutError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

const property = (error: unknown, key: 'name' | 'code'): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
};

/** The default classification: invalid and transient only when the error says so, everything else is a bug. */
export function classifyError(error: unknown): FailureKind {
  if (error instanceof InvalidMessageError || property(error, 'name') === 'InvalidMessageError') return 'invalid';
  // A wrapped network error (error.cause) is as transient as the original.
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    const name = property(current, 'name');
    const code = property(current, 'code');
    if ((name !== undefined && TRANSIENT_NAMES.has(name)) || (code !== undefined && TRANSIENT_CODES.has(code))) {
      return 'transient';
    }
    current = typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
  }
  return 'fatal';
}

export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  factor: number;
  maxMs: number;
  /** Attempts in all, the first one included; after the last one, the error is treated as fatal. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, factor: 2, maxMs: 10_000, maxAttempts: 8 };

/** Delay before attempt `attempt + 1`, after `attempt` failed attempts (1-based). */
export function backoffDelay(attempt: number, backoff: BackoffPolicy): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
}

export interface ConsumerLogger {
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export const consoleConsumerLogger: ConsumerLogger = {
  warn: (message, details) => console.warn(`[messaging] ${message}`, details),
  error: (message, details) => console.error(`[messaging] ${message}`, details),
};

export const silentConsumerLogger: ConsumerLogger = { warn: () => undefined, error: () => undefined };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or early when the signal aborts (the caller checks which). */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export interface ConsumePolicy {
  classify: (error: unknown) => FailureKind;
  backoff: BackoffPolicy;
  sleep: Sleep;
  now: () => Date;
  logger: ConsumerLogger;
}

export interface ConsumePolicyOptions {
  classify?: (error: unknown) => FailureKind;
  backoff?: Partial<BackoffPolicy>;
  sleep?: Sleep;
  now?: () => Date;
  logger?: ConsumerLogger;
}

export function resolvePolicy(options: ConsumePolicyOptions = {}): ConsumePolicy {
  return {
    classify: options.classify ?? classifyError,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    sleep: options.sleep ?? sleep,
    now: options.now ?? (() => new Date()),
    logger: options.logger ?? consoleConsumerLogger,
  };
}

export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  code: 'x-dlq-code',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  failedAt: 'x-failed-at',
} as const;

/** The dead-letter copy of a message: same key, value and headers, plus why and where it failed. */
export function deadLetterFor(message: IncomingMessage, error: unknown, failedAt: Date): OutgoingMessage {
  const reason =
    error instanceof InvalidMessageError ? error.reason : error instanceof Error ? error.message : String(error);
  const code = property(error, 'code');
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DLQ_HEADERS.reason]: reason,
      ...(code === undefined ? {} : { [DLQ_HEADERS.code]: code }),
      [DLQ_HEADERS.originalTopic]: message.topic,
      [DLQ_HEADERS.originalPartition]: String(message.partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
    },
  };
}

/** What the adapter does next: commit (handled, dead-lettered) or stop without committing (aborted). */
export type ConsumeOutcome = 'handled' | 'dead-lettered' | 'aborted';

export interface ConsumeContext {
  groupId: string;
  handler: MessageHandler;
  /** Publishes to the dead-letter topic; the adapter's own publish. */
  publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>;
  policy: ConsumePolicy;
  /** Aborted when the subscription stops: waiting between retries ends, the message stays uncommitted. */
  signal?: AbortSignal;
  /** Called before each wait between retries (Kafka: heartbeat, so a long backoff does not cost the group). */
  keepAlive?: () => Promise<void>;
}

/**
 * Runs one message through the handler under the policy. Resolves with what the adapter must do next; rejects with
 * ConsumerFailedError when the subscription must stop (the message must not be committed).
 */
export async function consumeWithPolicy(message: IncomingMessage, context: ConsumeContext): Promise<ConsumeOutcome> {
  const { policy, signal } = context;
  const where = {
    groupId: context.groupId,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
  };
  const fail = (cause: unknown): never => {
    throw new ConsumerFailedError(message.topic, message.partition, message.offset, context.groupId, cause);
  };

  // Each step is retried on transient errors: first the handler, then (for an invalid message) the dead-letter
  // publication, which fails like any other outside call.
  let deadLetter: OutgoingMessage | undefined;
  let attempt = 0;
  for (;;) {
    if (signal?.aborted) return 'aborted';
    attempt += 1;
    try {
      if (deadLetter === undefined) {
        await context.handler(message);
        return 'handled';
      }
      await context.publish(dlqTopic(message.topic), [deadLetter]);
      return 'dead-lettered';
    } catch (error) {
      const kind = policy.classify(error);
      if (kind === 'invalid' && deadLetter === undefined) {
        deadLetter = deadLetterFor(message, error, policy.now());
        policy.logger.warn('invalid message, sending it to the dead-letter topic', {
          ...where,
          reason: deadLetter.headers?.[DLQ_HEADERS.reason],
        });
        attempt = 0;
        continue;
      }
      if (kind !== 'transient') return fail(error);
      if (attempt >= policy.backoff.maxAttempts) {
        return fail(new Error(`gave up after ${attempt} attempts: ${describe(error)}`, { cause: error }));
      }
      const delay = backoffDelay(attempt, policy.backoff);
      policy.logger.warn('transient failure, retrying', { ...where, attempt, delayMs: delay, error: describe(error) });
      if (context.keepAlive) await context.keepAlive();
      await policy.sleep(delay, signal);
    }
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
