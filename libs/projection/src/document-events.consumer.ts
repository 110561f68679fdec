import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
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
  logContextOfMessage,
  ON_FATAL,
  parkInto,
  TOPICS,
  type ConsumerGroups,
  type FatalHandler,
  type Topics,
  withLogContext,
} from '@termline/platform';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { documentIdOfStream, isDocumentStream } from '@termline/domain';
import { QUARANTINE_STORE, type QuarantineStore } from '@termline/eventstore';
import { GovernanceProjector } from './governance/governance.projector';
import { TimelineProjector } from './timeline.projector';

/**
 * Each document event is a signal to catch the stream's read models up from the event store. The event store
 * stays the source of truth: a lost or repeated message can neither skip nor double an event.
 */
@Injectable()
export class DocumentEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DocumentEventsConsumer.name);
  private subscription: Subscription | null = null;
  /** Stream versions this process has seen applied: only ever behind the store, so skipping on it is safe. */
  private readonly applied = new Map<string, number>();
  private backfill: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly projector: TimelineProjector,
    private readonly governance: GovernanceProjector,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
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
      // Lines logged while an event is projected name its fetch, its correlation id and the message.
      handler: (message) => withLogContext(logContextOfMessage(message), () => this.handle(message)),
      batchHandler: (messages) => this.handleBatch(messages),
      // A stream whose catch-up keeps failing is parked as one ProjectionFailed record (later events of the same
      // stream fail on the same event and update it); other documents go on. Replaying it catches the stream up.
      park: parkInto(this.quarantine, 'ProjectionFailed', (message) => {
        const { streamId } = decodeStoredEvent(message.value);
        return { subject: streamId, fetchId: null, documentId: documentIdOfStream(streamId) };
      }),
    });
    this.subscription.failed.catch((error: unknown) => this.onFatal('projection consumer', error));
    // In the background: a new generation over a long history takes minutes, and the service answers meanwhile.
    // Best effort: a stream it cannot map now (a damaged read-model store, answered 503 until repaired) is mapped by
    // its next event or by the repair, so a failure here is reported, never a reason to stop the service.
    this.backfill = this.mapEveryStream().catch((error: unknown) =>
      this.logger.error(
        `Governance backfill stopped: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }

  /**
   * A taxonomy or classifier version this store has not seen yet starts its generation from the first event of
   * every stream, beside the previous generation; when it has, each stream is one checkpoint read.
   */
  private async mapEveryStream(): Promise<void> {
    for (const streamId of (await this.eventStore.streamIds()).filter(isDocumentStream)) {
      if (this.stopping) return;
      const { checkpoint } = await this.projector.catchUp(this.readModels, streamId);
      await this.governance.catchUp(this.readModels, streamId, checkpoint);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.backfill;
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
    await this.catchUp(streamId, streamVersion);
  }

  /**
   * A run of events: one catch-up per stream for all its events in the run (instead of one per commit), the
   * streams side by side. If anything fails, the runner takes the run again message by message (handle), where a
   * failing stream is parked on its own; what was applied here is skipped there by the checkpoints.
   */
  async handleBatch(messages: readonly IncomingMessage[]): Promise<void> {
    const newest = new Map<string, { version: number; message: IncomingMessage }>();
    for (const message of messages) {
      const { streamId, streamVersion } = decodeStoredEvent(message.value);
      if (streamVersion >= (newest.get(streamId)?.version ?? 0))
        newest.set(streamId, { version: streamVersion, message });
    }
    // Each stream's lines name the newest message it is projected up to (its fetch, its correlation id).
    await Promise.all(
      [...newest].map(([streamId, { version, message }]) =>
        withLogContext(logContextOfMessage(message), () => this.catchUp(streamId, version)),
      ),
    );
  }

  private async catchUp(streamId: string, streamVersion: number): Promise<void> {
    // The events of one commit arrive as several messages; the first catch-up applied them all.
    if (streamVersion <= (this.applied.get(streamId) ?? 0)) return;
    const { checkpoint } = await this.projector.catchUp(this.readModels, streamId);
    // After the timeline, whose version views it maps.
    await this.governance.catchUp(this.readModels, streamId, checkpoint);
    this.applied.set(streamId, checkpoint);
    this.logger.debug(`${streamId} projected up to version ${checkpoint}`);
  }
}
