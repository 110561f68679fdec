import { Inject, Injectable } from '@nestjs/common';
import { documentIdOfStream } from '@termline/domain';
import type { StoredEvent } from '@termline/eventstore';
import { MESSAGE_BUS, type MessageBus } from '@termline/messaging';
import { currentLogContext, encodeStoredEvent, TOPICS, traceHeaders, type Topics } from '@termline/platform';

/** Publishes appended events to the document-events topic, keyed by document id so their order holds. */
@Injectable()
export class DocumentEventsPublisher {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  /** Events of the fetch being recorded (the log context's), so that the projection's lines name it too. */
  async publish(events: readonly StoredEvent[]): Promise<void> {
    await this.publishRecorded([{ events, fetchId: currentLogContext().fetchId }]);
  }

  /** The events of several recorded fetches in one publish, each carrying its own fetch id. */
  async publishRecorded(
    recorded: ReadonlyArray<{ events: readonly StoredEvent[]; fetchId: string | undefined }>,
  ): Promise<void> {
    const messages = recorded.flatMap(({ events, fetchId }) =>
      events.map((event) => ({
        key: documentIdOfStream(event.streamId),
        value: encodeStoredEvent(event),
        headers: {
          'x-event-type': event.type,
          'x-schema-version': String(event.schemaVersion),
          ...traceHeaders({
            fetchId,
            correlationId: event.metadata.correlationId,
            causationId: event.metadata.causationId,
          }),
        },
      })),
    );
    if (messages.length === 0) return;
    await this.bus.publish(this.topics.documentEvents, messages);
  }
}
