/**
 * A fetch the versioning service could not record and sent to the dead-letter topic. The fact is kept in the event
 * store, in a stream of its own per fetch id, so that `GET /v1/fetches/{id}` can say what became of the fetch in
 * both modes, for as long as the store keeps it (the topic's retention does not bound it). These streams are not
 * document streams: projections skip them.
 */
export const FETCH_DEAD_LETTERED = 'FetchDeadLettered';
export const FETCH_DEAD_LETTER_SCHEMA_VERSION = 1;

export interface FetchDeadLettered {
  fetchId: string;
  /** The document the fetch was for, when it got far enough to have one. */
  documentId: string | null;
  /** The DomainError code (invalid-fetch, document-id-collision, fetch-id-conflict, content-too-large...). */
  code: string;
  reason: string;
  /** Where the message was: `<topic>/<partition>/<offset>`. */
  source: string;
}

const DEAD_LETTER_STREAM_PREFIX = 'dead-letter:fetch:';

export const deadLetterStreamOf = (fetchId: string): string => `${DEAD_LETTER_STREAM_PREFIX}${fetchId}`;

/** One commit per dead-lettered message: a redelivery of the same message appends nothing. */
export const deadLetterCommitIdOf = (source: string): string => `dead-letter:${source}`;

export const isDocumentStream = (streamId: string): boolean => streamId.startsWith('document:');

/**
 * A fetch the gateway accepted (answered 202) and handed to the fetches topic. Kept like the dead-letter fact, in
 * a stream of its own per fetch id, so that `GET /v1/fetches/{id}` answers "accepted" between the 202 and the
 * moment the versioning service records the fetch, in both modes and across restarts.
 */
export const FETCH_ACCEPTED = 'FetchAccepted';
export const FETCH_ACCEPTED_SCHEMA_VERSION = 1;

export interface FetchAccepted {
  fetchId: string;
  documentId: string;
  snapshotId: string;
}

export const acceptedStreamOf = (fetchId: string): string => `accepted:fetch:${fetchId}`;

/** One acceptance per fetch id: submitting the same fetch again before it is recorded appends nothing. */
export const acceptedCommitIdOf = (fetchId: string): string => `accepted:${fetchId}`;
