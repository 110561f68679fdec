import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  InvalidMessageError,
  MESSAGE_BUS,
  type IncomingMessage,
  type MessageBus,
  type Subscription,
} from '@termline/messaging';
import {
  CONSUMER_GROUPS,
  decodeStoredEvent,
  ON_FATAL,
  parkInto,
  TOPICS,
  type ConsumerGroups,
  type FatalHandler,
  type Topics,
} from '@termline/platform';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { documentIdOfStream } from '@termline/domain';
import { QUARANTINE_STORE, type QuarantineStore } from '@termline/eventstore';
import { TimelineProjector } from './timeline.projector';

/**
 * Each document event is a signal to catch the stream's read models up from the event store. The event store
 * stays the source of truth: a lost or repeated message can neither skip nor double an event.
 */
@Injectable()
export class DocumentEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | null = null;
  /** Stream versions this process has seen applied: only ever behind the store, so skipping on it is safe. */
  private readonly applied = new Map<string, number>();

  constructor(
    private readonly projector: TimelineProjector,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CONSUMER_GROUPS) private readonly groups: ConsumerGroups,
    @Inject(ON_FATAL) private readonly onFatal: FatalHandler,
    @Inject(QUARANTINE_STORE) private readonly quarantine: QuarantineStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([this.topics.documentEvents]);
    this.subscription = await this.bus.subscribe({
      groupId: this.groups.timelineProjection,
      topic: this.topics.documentEvents,
      handler: (message) => this.handle(message),
      // A stream whose catch-up keeps failing is parked as one ProjectionFailed record (later events of the same
      // stream fail on the same event and update it); other documents go on. Replaying it catches the stream up.
      park: parkInto(this.quarantine, 'ProjectionFailed', (message) => {
        const { streamId } = decodeStoredEvent(message.value);
        return { subject: streamId, fetchId: null, documentId: documentIdOfStream(streamId) };
      }),
    });
    this.subscription.failed.catch((error: unknown) => this.onFatal('projection consumer', error));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  async handle(message: IncomingMessage): Promise<void> {
    let streamId: string;
    let streamVersion: number;
    try {
      ({ streamId, streamVersion } = decodeStoredEvent(message.value));
    } catch (error) {
      throw new InvalidMessageError(`Not a document event: ${(error as Error).message}`, {
        code: 'malformed-event',
      });
    }
    // The events of one commit arrive as several messages; the first catch-up applied them all.
    if (streamVersion <= (this.applied.get(streamId) ?? 0)) return;
    const { checkpoint } = await this.projector.catchUp(this.readModels, streamId);
    this.applied.set(streamId, checkpoint);
  }
}
