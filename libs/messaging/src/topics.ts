// The topic names themselves are @termline/platform's TOPIC_NAMES: one definition, with the consumer groups.

const DLQ_SUFFIX = '.dlq';

/** The dead-letter twin of a topic, where messages that can never be processed go, with the reason. */
export const dlqTopic = (topic: string): string => `${topic}${DLQ_SUFFIX}`;

export const isDlqTopic = (topic: string): boolean => topic.endsWith(DLQ_SUFFIX);

/** A topic and its dead-letter twin, as created by MessageBus.ensureTopics. */
export const withDlqTopics = (topics: readonly string[]): string[] => [
  ...new Set(topics.flatMap((topic) => (isDlqTopic(topic) ? [topic] : [topic, dlqTopic(topic)]))),
];

/** Publishing to a topic nobody created: a configuration error, as with Kafka's auto-creation turned off. */
export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';
  readonly code = 'UNKNOWN_TOPIC';

  constructor(readonly topic: string) {
    super(`Unknown topic '${topic}': create it first with MessageBus.ensureTopics`);
  }
}
