import type { StoredEvent } from '@termline/eventstore';

/**
 * Stored events travel on the document-events topic as JSON with the envelope fields the consumers need. The
 * projection reads the event store itself, so the message is a notification that carries the event too.
 */
export const encodeStoredEvent = (event: StoredEvent): string => JSON.stringify(event);

export function decodeStoredEvent(value: string): StoredEvent {
  const parsed = JSON.parse(value) as Partial<StoredEvent>;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof parsed.streamId !== 'string' ||
    typeof parsed.streamVersion !== 'number' ||
    typeof parsed.type !== 'string' ||
    typeof parsed.eventId !== 'string'
  ) {
    throw new Error('Not a stored event envelope');
  }
  return parsed as StoredEvent;
}
