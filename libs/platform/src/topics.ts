import type { TermlineConfig } from '@termline/config';

/** Topics are `<owner>.<facts>.v<N>`, keyed by document id; each has a `.dlq` twin for what cannot be processed. */
export const TOPIC_NAMES = {
  fetches: 'fetcher.fetches.v1',
  documentEvents: 'versioning.document-events.v1',
} as const;

// A type, not an interface, so that Object.values(topics) is typed as the topic names.
export type Topics = {
  fetches: string;
  documentEvents: string;
};

export const topicsFor = (config: Pick<TermlineConfig, 'topicPrefix'>): Topics => ({
  fetches: `${config.topicPrefix}${TOPIC_NAMES.fetches}`,
  documentEvents: `${config.topicPrefix}${TOPIC_NAMES.documentEvents}`,
});

export const CONSUMER_GROUP_NAMES = {
  recordFetch: 'versioning.record-fetch',
  timelineProjection: 'projection.timeline',
} as const;

export type ConsumerGroups = { [K in keyof typeof CONSUMER_GROUP_NAMES]: string };

/** Consumer groups `<app>.<handler>`, with the topic prefix: installations sharing a broker share no group. */
export const consumerGroupsFor = (config: Pick<TermlineConfig, 'topicPrefix'>): ConsumerGroups => ({
  recordFetch: `${config.topicPrefix}${CONSUMER_GROUP_NAMES.recordFetch}`,
  timelineProjection: `${config.topicPrefix}${CONSUMER_GROUP_NAMES.timelineProjection}`,
});

export const TOPICS = Symbol('TOPICS');
export const CONSUMER_GROUPS = Symbol('CONSUMER_GROUPS');
