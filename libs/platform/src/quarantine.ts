import { createHash } from 'node:crypto';
import type { QuarantineKind, QuarantineStore } from '@termline/eventstore';
import type { IncomingMessage, ParkHandler } from '@termline/messaging';

/** What a parked message was about, as far as its consumer can tell without trusting it. */
export interface QuarantineSubject {
  /** What makes two failures "the same message": a fetch id, a document stream. */
  subject: string;
  fetchId: string | null;
  documentId: string | null;
}

/** A readable id that is safe in a URL path: the kind, then a digest of the consumer group and the subject. */
export const quarantineIdOf = (kind: QuarantineKind, groupId: string, subject: string): string =>
  `${kind === 'FetchQuarantined' ? 'fetch' : 'projection'}-${createHash('sha256')
    .update(`${groupId}\n${subject}`)
    .digest('hex')
    .slice(0, 24)}`;

/** Where a message that cannot even be read about sits in its log. */
export const positionOf = (message: IncomingMessage): string =>
  `${message.topic}/${message.partition}/${message.offset}`;

/**
 * The park hook of a consumer: writes a FetchQuarantined or ProjectionFailed record into the quarantine store.
 * The same subject parked again (a replay that failed the same way, a later event of the same broken stream)
 * updates one record instead of piling up new ones.
 */
export function parkInto(
  store: QuarantineStore,
  kind: QuarantineKind,
  subjectOf: (message: IncomingMessage) => QuarantineSubject,
): ParkHandler {
  return async (parked) => {
    const { message } = parked;
    let about: QuarantineSubject;
    try {
      about = subjectOf(message);
    } catch {
      about = { subject: positionOf(message), fetchId: null, documentId: null };
    }
    await store.park({
      id: quarantineIdOf(kind, parked.groupId, about.subject),
      kind,
      groupId: parked.groupId,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key,
      value: message.value,
      headers: message.headers,
      fetchId: about.fetchId,
      documentId: about.documentId,
      error: parked.error,
      attempts: parked.attempts,
      firstFailedAt: parked.firstFailedAt.toISOString(),
      quarantinedAt: parked.parkedAt.toISOString(),
    });
  };
}
