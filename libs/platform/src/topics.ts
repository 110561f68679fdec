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

export const CONSUMER_GROUPS = {
  recordFetch: 'versioning.record-fetch',
  timelineProjection: 'projection.timeline',
} as const;

export const TOPICS = Symbol('TOPICS');
