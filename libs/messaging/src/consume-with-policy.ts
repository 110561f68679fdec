import type { BatchHandler, IncomingMessage, MessageHandler, OutgoingMessage } from './message-bus.port';
import { dlqTopic } from './topics';

/**
 * The one place that decides what a consumer does when its handler fails. Both adapters run every message
 * through consumeWithPolicy, so the embedded and the Kafka bus behave the same:
 * - invalid: the message can never be processed (bad schema, unknown event): it goes to `<topic>.dlq` with the
 *   reason, and consumption goes on;
 * - transient: the outside world hiccuped (network, timeout, a concurrent writer, a full disk): retry with
 *   exponential backoff (capped), for as long as it takes; the consumer never exits for it;
 * - fatal: unexpected (a bug, or a message that trips one). It is tried `maxAttempts` times in all; if it fails
 *   every time, the message is parked (quarantined) with its error and consumption goes on. Stopping instead
 *   would replay the same message first at every restart: one bad message would become a crash loop.
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
  // Out of space: waits for an operator to free some, then everything resumes.
  'SQLITE_FULL',
  'ENOSPC',
  'EDQUOT',
]);
/** MongoDB's codeName for a full disk; FerretDB passes its backend's message through. */
const TRANSIENT_CODE_NAMES = new Set(['OutOfDiskSpace', 'ExceededTimeLimit', 'NotWritablePrimary']);
const OUT_OF_SPACE =
  /no space left on device|database or disk is full|out of disk space|disk quota exceeded/i;

/** Whether the store cannot write for lack of space: the gateway answers 503 for it, the consumers wait. */
export function isOutOfSpace(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    const code = property(current, 'code');
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (property(current, 'codeName') === 'OutOfDiskSpace') return true;
    const message = property(current, 'message');
    if (message !== undefined && OUT_OF_SPACE.test(message)) return true;
    current =
      typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
  }
  return false;
}

const property = (error: unknown, key: 'name' | 'code' | 'codeName' | 'message'): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
};

/** The default classification: invalid and transient only when the error says so, everything else is a bug. */
/** The error another one wraps, if any. */
function wrappedErrorOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const { cause, errorResponse } = error as { cause?: unknown; errorResponse?: unknown };
  return cause ?? (typeof errorResponse === 'object' && errorResponse !== null ? errorResponse : undefined);
}

export function classifyError(error: unknown): FailureKind {
  if (error instanceof InvalidMessageError || property(error, 'name') === 'InvalidMessageError')
    return 'invalid';
  if (isOutOfSpace(error)) return 'transient';
  // A wrapped network error is as transient as the original: wrapped as `cause`, or as the MongoDB driver wraps a
  // failure of a whole bulk write (an insertMany that met a refused connection) in `errorResponse`.
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    const name = property(current, 'name');
    const code = property(current, 'code');
    const codeName = property(current, 'codeName');
    if (
      (name !== undefined && TRANSIENT_NAMES.has(name)) ||
      (code !== undefined && TRANSIENT_CODES.has(code)) ||
      (codeName !== undefined && TRANSIENT_CODE_NAMES.has(codeName))
    ) {
      return 'transient';
    }
    current = wrappedErrorOf(current);
  }
  return 'fatal';
}

export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  factor: number;
  maxMs: number;
  /**
   * Attempts in all, the first one included, for a message whose handler fails unexpectedly; after the last one
   * the message is parked. Transient failures do not count: they are retried until they stop.
   */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, factor: 2, maxMs: 10_000, maxAttempts: 3 };

/** Delay before attempt `attempt + 1`, after `attempt` failed attempts (1-based). */
export function backoffDelay(attempt: number, backoff: BackoffPolicy): number {
  return Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
}

export interface ConsumerLogger {
  /** What an operator may want when tracing one message, not a sign of trouble. */
  debug(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

/** Without a logger of the application's: warnings and errors on the console, no debug lines. */
export const consoleConsumerLogger: ConsumerLogger = {
  debug: () => undefined,
  warn: (message, details) => console.warn(`[messaging] ${message}`, details),
  error: (message, details) => console.error(`[messaging] ${message}`, details),
};

export const silentConsumerLogger: ConsumerLogger = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Thrown by a batch handler that leaves a run to the one-by-one path by design (a case the batch path does not
 * decide, such as a late fetch): logged at debug level, where any other rejection is a warning.
 */
export class BatchDeclined extends Error {
  override readonly name: string = 'BatchDeclined';
}

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
  /** `quarantined` on a message parked after repeated unexpected failures (no park hook); absent for invalid. */
  kind: 'x-dlq-kind',
  attempts: 'x-dlq-attempts',
} as const;

/** A message parked after failing unexpectedly `attempts` times in a row, with the last error. */
export interface ParkedMessage {
  message: IncomingMessage;
  groupId: string;
  error: { name: string; message: string; code?: string; stack?: string };
  attempts: number;
  firstFailedAt: Date;
  parkedAt: Date;
}

/** Where a parked message goes: the application's quarantine store (queryable, replayable by an admin). */
export type ParkHandler = (parked: ParkedMessage) => Promise<void>;

export function errorDetails(error: unknown): ParkedMessage['error'] {
  const code = property(error, 'code');
  const message = property(error, 'message');
  // Read by shape, not `instanceof Error`: errors made by a native module may come from another realm.
  if (message !== undefined) {
    const stack =
      typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
    return {
      name: property(error, 'name') ?? 'Error',
      message,
      ...(code === undefined ? {} : { code }),
      ...(typeof stack === 'string' ? { stack: stack.split('\n').slice(0, 12).join('\n') } : {}),
    };
  }
  return { name: typeof error, message: String(error), ...(code === undefined ? {} : { code }) };
}

/** Without a park hook, a parked message goes to the dead-letter topic, marked as quarantined. */
function quarantineLetterFor(parked: ParkedMessage): OutgoingMessage {
  const letter = deadLetterFor(parked.message, parked.error.message, parked.parkedAt);
  return {
    ...letter,
    headers: {
      ...letter.headers,
      ...(parked.error.code === undefined ? {} : { [DLQ_HEADERS.code]: parked.error.code }),
      [DLQ_HEADERS.kind]: 'quarantined',
      [DLQ_HEADERS.attempts]: String(parked.attempts),
    },
  };
}

/** The dead-letter copy of a message: same key, value and headers, plus why and where it failed. */
export function deadLetterFor(message: IncomingMessage, error: unknown, failedAt: Date): OutgoingMessage {
  const reason =
    error instanceof InvalidMessageError
      ? error.reason
      : error instanceof Error
        ? error.message
        : String(error);
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

/** What the adapter does next: commit (handled, dead-lettered, parked) or stop without committing (aborted). */
export type ConsumeOutcome = 'handled' | 'dead-lettered' | 'parked' | 'aborted';

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
  /** Records a message parked after repeated unexpected failures; the dead-letter topic when absent. */
  park?: ParkHandler;
}

/**
 * Runs one message through the handler under the policy. Resolves with what the adapter must do next. Only a
 * stop of the subscription ends it without an outcome to commit ('aborted').
 */
export async function consumeWithPolicy(
  message: IncomingMessage,
  context: ConsumeContext,
): Promise<ConsumeOutcome> {
  const { policy, signal } = context;
  const where = {
    groupId: context.groupId,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
  };

  // The steps run in order, each retried on transient errors: the handler; then, for an invalid message, the
  // dead-letter publication, or for a message that kept failing, its parking. Those fail like any outside call.
  let deadLetter: OutgoingMessage | undefined;
  let parked: ParkedMessage | undefined;
  let unexpected = 0;
  let firstFailedAt: Date | undefined;
  let retries = 0;
  for (;;) {
    if (signal?.aborted) return 'aborted';
    try {
      if (parked !== undefined) {
        if (context.park) await context.park(parked);
        else await context.publish(dlqTopic(message.topic), [quarantineLetterFor(parked)]);
        return 'parked';
      }
      if (deadLetter !== undefined) {
        await context.publish(dlqTopic(message.topic), [deadLetter]);
        return 'dead-lettered';
      }
      await context.handler(message);
      return 'handled';
    } catch (error) {
      const step = parked !== undefined ? 'park' : deadLetter !== undefined ? 'dead-letter' : 'handle';
      const kind = policy.classify(error);
      if (step === 'handle' && kind === 'invalid') {
        deadLetter = deadLetterFor(message, error, policy.now());
        policy.logger.warn('invalid message, sending it to the dead-letter topic', {
          ...where,
          reason: deadLetter.headers?.[DLQ_HEADERS.reason],
        });
        retries = 0;
        continue;
      }
      if (step === 'handle' && kind !== 'transient') {
        unexpected += 1;
        firstFailedAt ??= policy.now();
        if (unexpected >= policy.backoff.maxAttempts) {
          parked = {
            message,
            groupId: context.groupId,
            error: errorDetails(error),
            attempts: unexpected,
            firstFailedAt,
            parkedAt: policy.now(),
          };
          policy.logger.error('message failed unexpectedly at every attempt, parking it and moving on', {
            ...where,
            attempts: unexpected,
            error: describe(error),
          });
          retries = 0;
          continue;
        }
      }
      // A transient failure, an unexpected one with attempts left, or a failure to dead-letter or park (which
      // must not lose the message either): wait and try the same step again.
      retries += 1;
      const delay = backoffDelay(retries, policy.backoff);
      const details = { ...where, attempt: retries, delayMs: delay, error: describe(error) };
      if (kind === 'transient') policy.logger.warn(`transient failure to ${step}, retrying`, details);
      else policy.logger.error(`unexpected failure to ${step}, retrying`, details);
      if (context.keepAlive) await context.keepAlive();
      await policy.sleep(delay, signal);
    }
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** The most messages handed to a batch handler at once. */
export const MAX_BATCH_MESSAGES = 200;

/**
 * Tries a run of messages through the subscription's batch handler. True when it resolved: every message of the
 * run is handled and may be committed. False when there is no batch handler, the run is a single message, or the
 * handler rejected: the adapter then runs each message through consumeWithPolicy, which alone decides what a
 * failure means (retry, dead letter, park), so batching changes no outcome.
 */
export async function tryBatch(
  messages: readonly IncomingMessage[],
  context: { groupId: string; batchHandler?: BatchHandler; policy: ConsumePolicy },
): Promise<boolean> {
  if (!context.batchHandler || messages.length < 2) return false;
  try {
    await context.batchHandler(messages);
    return true;
  } catch (error) {
    const first = messages[0]!;
    const details = {
      groupId: context.groupId,
      topic: first.topic,
      partition: first.partition,
      offset: first.offset,
      messages: messages.length,
      error: describe(error),
    };
    const line = 'batch not handled as one, handling its messages one by one';
    if (error instanceof BatchDeclined) context.policy.logger.debug(line, details);
    else context.policy.logger.warn(line, details);
    return false;
  }
}

/** Consecutive slices of at most `size` items. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
