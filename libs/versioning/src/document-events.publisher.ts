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

  async publish(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    // The fetch being recorded, so that the projection's lines about these events name it too.
    const { fetchId } = currentLogContext();
    await this.bus.publish(
      this.topics.documentEvents,
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
  }
}
