export * from './message-bus.port';
export * from './topics';
export {
  backoffDelay,
  BatchDeclined,
  chunksOf,
  classifyError,
  consoleConsumerLogger,
  ConsumerFailedError,
  consumeWithPolicy,
  DEFAULT_BACKOFF,
  DLQ_HEADERS,
  errorDetails,
  isOutOfSpace,
  MAX_BATCH_MESSAGES,
  InvalidMessageError,
  resolvePolicy,
  silentConsumerLogger,
  TransientError,
  tryBatch,
  type BackoffPolicy,
  type ConsumeContext,
  type ConsumeOutcome,
  type ConsumePolicy,
  type ConsumePolicyOptions,
  type ConsumerLogger,
  type FailureKind,
  type ParkedMessage,
  type ParkHandler,
  type Sleep,
} from './consume-with-policy';
export { SqliteMessageBus, type SqliteMessageBusOptions } from './embedded/sqlite-message-bus';
export {
  KafkaMessageBus,
  type KafkaBusLogLevel,
  type KafkaConsumerTuning,
  type KafkaMessageBusOptions,
} from './kafka/kafka-message-bus';
export * from './consumer-telemetry';
