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
  TEXT_WORK,
  type TextWork,
} from '@termline/platform';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@termline/eventstore';
import {
  GENERATION_COMPLETE,
  GENERATION_UNMAPPED,
  READ_MODEL_STORE,
  type ReadModelStore,
} from '@termline/readmodels';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { documentIdOfStream, isDocumentStream } from '@termline/domain';
import { QUARANTINE_STORE, type QuarantineStore } from '@termline/eventstore';
import { GovernanceProjector } from './governance/governance.projector';
import { TimelineProjector } from './timeline.projector';
import { OwnedReadModels, ProjectedWritesBuffer } from './projected-writes.buffer';
import { SharedExclusiveLock } from './shared-exclusive.lock';
import { mapStreams } from './map-streams';

/** After a first pass, the streams the backfill could not map are tried again after these delays (ADR 0037). */
const BACKFILL_RETRY_DELAYS_MS = [2_000, 15_000, 60_000] as const;

/**
 * Each document event is a signal to catch the stream's read models up. The events of a batch are applied from
 * the messages when they continue the stream right after its checkpoint; any gap is read from the event store,
 * which stays the source of truth: a lost or repeated message can neither skip nor double an event. The read
 * models of a batch are written at its end, one call per read model (ProjectedWritesBuffer), and the checkpoints
 * and document views this member wrote are kept for the next batch (OwnedReadModels) instead of read back.
 */
@Injectable()
export class DocumentEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DocumentEventsConsumer.name);
  private subscription: Subscription | null = null;
  /** Stream versions this process has seen applied: only ever behind the store, so skipping on it is safe. */
  private readonly applied = new Map<string, number>();
  private backfill: Promise<void> | null = null;
  private readonly stopSignal = new AbortController();
  /** A backfill step runs between batches, never beside one (see SharedExclusiveLock). */
  private readonly lock = new SharedExclusiveLock();

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
    private readonly owned: OwnedReadModels,
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
    @Inject(TEXT_WORK) private readonly textWork: TextWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([this.topics.documentEvents]);
    // An optimisation only: if it fails, the service starts cold rather than not at all.
    if (this.config.warmUp)
      await this.textWork
        .warmUp()
        .catch((error: unknown) =>
          this.logger.warn(`Text work warm-up failed, starting cold: ${String(error)}`),
        );
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
      // What is kept of streams whose partition moved to another member may change there.
      onAssignment: (partitions) => this.owned.keepPartitions(partitions),
    });
    this.subscription.failed.catch((error: unknown) => this.onFatal('projection consumer', error));
    // In the background: a new generation over a long history takes minutes, and the service answers meanwhile.
    // Best effort: a stream it cannot map, after the retries, is mapped by its next event or by the repair, so a
    // failure here is reported, never a reason to stop the service.
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
    const current = this.governance.generation.generation;
    // A generation other than this classifier's was built by an earlier deployment, whose backfill wrote no mark.
    for (const { generation } of await this.readModels.listGovernanceGenerations())
      if (
        generation !== current &&
        (await this.readModels.getCheckpoint(GENERATION_COMPLETE, generation)) === 0
      )
        await this.readModels.setCheckpoint(GENERATION_COMPLETE, generation, 1);
    const streamIds = (await this.eventStore.streamIds()).filter(isDocumentStream);
    const outcome = await mapStreams(streamIds, (streamId) => this.mapStream(streamId), {
      retryDelaysMs: BACKFILL_RETRY_DELAYS_MS,
      signal: this.stopSignal.signal,
    });
    if (outcome.stopped) return;
    if (outcome.unmapped.length > 0)
      // Kept from the default answers any longer, the new generation would hide every version recorded since the
      // upgrade (only it maps them); the streams it lacks are mapped by their next event or by the repair.
      this.logger.error(
        `Governance backfill: ${outcome.unmapped.length} of ${streamIds.length} stream(s) could not be mapped ` +
          `under ${current} after ${BACKFILL_RETRY_DELAYS_MS.length + 1} attempts; the generation is marked ` +
          `complete without them: ${outcome.unmapped
            .slice(0, 10)
            .map((u) => `${u.streamId} (${u.error})`)
            .join('; ')}`,
      );
    // Every stream is mapped under this generation (later events are mapped as they come), or said not to be: the
    // API may answer from it by default, and says how many it lacks.
    await this.readModels.setCheckpoint(GENERATION_UNMAPPED, current, outcome.unmapped.length);
    await this.readModels.setCheckpoint(GENERATION_COMPLETE, current, 1);
  }

  /** One stream caught up under every projection, through the same kept state as the batches. */
  private async mapStream(streamId: string): Promise<void> {
    await this.lock.runExclusive(async () => {
      const buffer = new ProjectedWritesBuffer(this.readModels, this.owned);
      try {
        const { checkpoint, events } = await this.projector.catchUp(buffer, streamId);
        await this.governance.catchUp(buffer, streamId, checkpoint, events);
        await buffer.flush();
      } finally {
        // As for a batch: no write of this step may land after the lock is released.
        await buffer.idle();
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopSignal.abort();
    await this.backfill;
    await this.subscription?.stop();
  }

  async handle(message: IncomingMessage): Promise<void> {
    let event: StoredEvent;
    try {
      event = decodeStoredEvent(message.value);
    } catch (error) {
      throw new InvalidMessageError(`Not a document event: ${(error as Error).message}`, {
        code: 'malformed-event',
      });
    }
    await this.project([{ event, message }]);
  }

  /**
   * A run of events: one catch-up per stream for all its events in the run (instead of one per commit), the
   * streams side by side, then one write per read model. If anything fails, the runner takes the run again
   * message by message (handle), where a failing stream is parked on its own; what was stored here is skipped
   * there by the checkpoints.
   */
  async handleBatch(messages: readonly IncomingMessage[]): Promise<void> {
    await this.project(messages.map((message) => ({ event: decodeStoredEvent(message.value), message })));
  }

  private async project(run: ReadonlyArray<{ event: StoredEvent; message: IncomingMessage }>): Promise<void> {
    const streams = new Map<string, { events: StoredEvent[]; newest: IncomingMessage; version: number }>();
    for (const { event, message } of run) {
      const stream = streams.get(event.streamId);
      if (!stream)
        streams.set(event.streamId, { events: [event], newest: message, version: event.streamVersion });
      else {
        stream.events.push(event);
        if (event.streamVersion >= stream.version) {
          stream.version = event.streamVersion;
          stream.newest = message;
        }
      }
      this.owned.claim(event.streamId, message.partition);
    }
    await this.lock.runShared(async () => {
      const buffer = new ProjectedWritesBuffer(this.readModels, this.owned);
      // Each stream's lines name the newest message it is projected up to (its fetch, its correlation id).
      const outcomes = await Promise.allSettled(
        [...streams].map(([streamId, { events, newest, version }]) =>
          withLogContext(logContextOfMessage(newest), () => this.catchUp(buffer, streamId, version, events)),
        ),
      );
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) {
        // Nothing of this run may still be writing when the runner takes it again message by message: a write
        // that lands after the retry's would put back what the retry has moved past (a retraction undone).
        await buffer.idle();
        throw failed.reason;
      }
      const checkpoints = outcomes.map(
        (outcome) => (outcome as PromiseFulfilledResult<number | undefined>).value,
      );
      await buffer.flush();
      for (const [index, [streamId, { newest }]] of [...streams].entries()) {
        const checkpoint = checkpoints[index];
        if (checkpoint === undefined) continue;
        this.applied.set(streamId, checkpoint);
        // Once stored, in the stream's log context like the rest of its lines.
        withLogContext(logContextOfMessage(newest), () =>
          this.logger.debug(`${streamId} projected up to version ${checkpoint}`),
        );
      }
    });
  }

  /** The checkpoint the stream's read models reach once the buffer is written; undefined when nothing to do. */
  private async catchUp(
    buffer: ProjectedWritesBuffer,
    streamId: string,
    streamVersion: number,
    known: readonly StoredEvent[],
  ): Promise<number | undefined> {
    // The events of one commit arrive as several messages; the first catch-up applied them all.
    if (streamVersion <= (this.applied.get(streamId) ?? 0)) return undefined;
    const { checkpoint, events } = await this.projector.catchUp(buffer, streamId, known);
    // After the timeline, whose version views it maps.
    await this.governance.catchUp(buffer, streamId, checkpoint, events);
    return checkpoint;
  }
}
