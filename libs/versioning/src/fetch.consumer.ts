import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import {
  decodeFetchEvent,
  documentIdOf,
  DomainError,
  fetchLimits,
  fetchRecordedIn,
  type DecodedFetch,
} from '@termline/domain';
import { QUARANTINE_STORE, type QuarantineStore } from '@termline/eventstore';
import {
  InvalidMessageError,
  MESSAGE_BUS,
  type IncomingMessage,
  type MessageBus,
  type Subscription,
} from '@termline/messaging';
import {
  CLOCK,
  CONSUMER_GROUPS,
  logContextOfMessage,
  ON_FATAL,
  parkInto,
  positionOf,
  TOPICS,
  type Clock,
  type QuarantineSubject,
  type ConsumerGroups,
  type FatalHandler,
  type Topics,
  withLogContext,
  TEXT_WORK,
  type TextWork,
} from '@termline/platform';
import { FetchDeadLetterRecorder } from './dead-letters/fetch-dead-letter.recorder';
import { DocumentEventsPublisher } from './document-events.publisher';
import { DocumentStateRepository } from './document-state.repository';
import { RecordFetchCommand } from './record-fetch/record-fetch.command';
import {
  BatchNotRecorded,
  RecordFetchHandler,
  type RecordFetchResult,
} from './record-fetch/record-fetch.handler';

/** The fetch a parked message carried, read leniently: the message may be the very thing that is broken. */
function subjectOfFetch(message: IncomingMessage): QuarantineSubject {
  const raw = JSON.parse(message.value) as { fetchId?: unknown; service?: unknown; documentType?: unknown };
  const fetchId = typeof raw.fetchId === 'string' && raw.fetchId !== '' ? raw.fetchId : null;
  let documentId: string | null = null;
  try {
    if (typeof raw.service === 'string' && typeof raw.documentType === 'string')
      documentId = documentIdOf(raw.service, raw.documentType);
  } catch {
    // A service name the domain refuses: the record still names the fetch.
  }
  return { subject: fetchId ?? positionOf(message), fetchId, documentId };
}

/**
 * Kafka edge of the versioning service: decode, validate, record, publish, commit. Invalid messages go to the
 * dead-letter topic with the reason; a failure of the infrastructure is retried by the consumer runner; the
 * offset is committed only after the events are appended and published, so a crash loses nothing and a
 * redelivery appends nothing (the fetch id is the commit id).
 */
@Injectable()
export class FetchConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FetchConsumer.name);
  private subscription: Subscription | null = null;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly publisher: DocumentEventsPublisher,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CONSUMER_GROUPS) private readonly groups: ConsumerGroups,
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ON_FATAL) private readonly onFatal: FatalHandler,
    private readonly deadLetters: FetchDeadLetterRecorder,
    @Inject(QUARANTINE_STORE) private readonly quarantine: QuarantineStore,
    private readonly states: DocumentStateRepository,
    private readonly recorder: RecordFetchHandler,
    @Inject(TEXT_WORK) private readonly textWork: TextWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([this.topics.fetches, this.topics.documentEvents]);
    // An optimisation only: if it fails, the service starts cold rather than not at all.
    if (this.config.warmUp)
      await this.textWork
        .warmUp()
        .catch((error: unknown) =>
          this.logger.warn(`Text work warm-up failed, starting cold: ${String(error)}`),
        );
    this.subscription = await this.bus.subscribe({
      groupId: this.groups.recordFetch,
      topic: this.topics.fetches,
      // Every line logged while the fetch is handled names it, its correlation id and this message (its cause).
      handler: (message) =>
        withLogContext(logContextOfMessage(message), async () => {
          await this.handle(message);
        }),
      batchHandler: (messages) => this.handleBatch(messages),
      // A fetch that keeps failing unexpectedly is parked as FetchQuarantined; the document's later fetches go on.
      park: parkInto(this.quarantine, 'FetchQuarantined', subjectOfFetch),
      // The documents of a partition given to another member may change there: their kept states go.
      onAssignment: (partitions) => this.states.keepPartitions(partitions),
    });
    this.subscription.failed.catch((error: unknown) => this.onFatal('versioning fetch consumer', error));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  async handle(message: IncomingMessage): Promise<RecordFetchResult> {
    const decoded = await this.decode(message);
    // The fetch id from the message itself: a producer other than the gateway may not have set the header.
    return withLogContext({ fetchId: decoded.event.fetchId, documentId: message.key || undefined }, () =>
      this.record(message, decoded),
    );
  }

  private async record(message: IncomingMessage, decoded: DecodedFetch): Promise<RecordFetchResult> {
    let result: RecordFetchResult;
    try {
      result = await this.commandBus.execute<RecordFetchCommand, RecordFetchResult>(
        new RecordFetchCommand(
          decoded,
          message.headers['x-correlation-id'] ?? decoded.event.fetchId,
          `${message.topic}/${message.partition}/${message.offset}`,
          message.partition,
        ),
      );
    } catch (error) {
      if (error instanceof DomainError) {
        const documentId = documentIdOf(decoded.event.service, decoded.event.documentType);
        throw await this.deadLetter(message, decoded.event.fetchId, documentId, error);
      }
      throw error;
    }
    await this.publisher.publish(result.events);
    if (result.duplicate)
      this.logger.debug(`Fetch ${decoded.event.fetchId} was already recorded; events re-published`);
    else this.logRecorded(result);
    return result;
  }

  /**
   * A run of fetches as one unit: decided in order per document, their commits appended in one write, their
   * events published at once; the runner commits the run's offsets after. Anything out of the ordinary (a message
   * that does not decode, a refused fetch, a redelivery, another writer) rejects, and the runner records the run
   * one message at a time through handle(), which deals with each case as it always has.
   */
  async handleBatch(messages: readonly IncomingMessage[]): Promise<void> {
    const now = this.clock.now();
    const commands = messages.map((message) => {
      let decoded: DecodedFetch;
      try {
        decoded = decodeFetchEvent(JSON.parse(message.value), now, fetchLimits(this.config.maxContentBytes));
      } catch (error) {
        throw new BatchNotRecorded(`message ${positionOf(message)} does not decode`, { cause: error });
      }
      return new RecordFetchCommand(
        decoded,
        message.headers['x-correlation-id'] ?? decoded.event.fetchId,
        `${message.topic}/${message.partition}/${message.offset}`,
        message.partition,
      );
    });
    const results = await this.recorder.executeBatch(commands);
    const fetchIds = commands.map((command) => command.fetch.event.fetchId);
    await this.publisher.publishRecorded(
      results.map((result, index) => ({ events: result.events, fetchId: fetchIds[index] })),
    );
    results.forEach((result, index) =>
      withLogContext({ ...logContextOfMessage(messages[index]!), fetchId: fetchIds[index] }, () =>
        this.logRecorded(result),
      ),
    );
  }

  private logRecorded(result: RecordFetchResult): void {
    this.logger.debug(
      `Fetch recorded (${fetchRecordedIn(result.events)?.outcome ?? 'no outcome'}, ${result.events.length} events)`,
    );
  }

  private async decode(message: IncomingMessage): Promise<DecodedFetch> {
    let raw: unknown;
    try {
      raw = JSON.parse(message.value);
    } catch (error) {
      throw new InvalidMessageError(`Malformed JSON: ${(error as Error).message}`, {
        code: 'malformed-json',
      });
    }
    try {
      return decodeFetchEvent(raw, this.clock.now(), fetchLimits(this.config.maxContentBytes));
    } catch (error) {
      if (error instanceof DomainError) throw await this.deadLetter(message, fetchIdOf(raw), null, error);
      throw error;
    }
  }

  /** Records the dead-letter fact (when the fetch has an id to find it by) and says the message is invalid. */
  private async deadLetter(
    message: IncomingMessage,
    fetchId: string | null,
    documentId: string | null,
    error: DomainError,
  ): Promise<InvalidMessageError> {
    if (fetchId !== null) {
      const source = `${message.topic}/${message.partition}/${message.offset}`;
      await this.deadLetters.record(
        { fetchId, documentId, code: error.code, reason: error.message, source },
        message.headers['x-correlation-id'] ?? fetchId,
      );
    }
    return new InvalidMessageError(error.message, { code: error.code });
  }
}

/** The fetch id of an event that failed validation, if it has one the gateway could have been asked about. */
function fetchIdOf(raw: unknown): string | null {
  const fetchId = (raw as { fetchId?: unknown } | null)?.fetchId;
  return typeof fetchId === 'string' && /^[A-Za-z0-9._:@\-/]{1,200}$/.test(fetchId) ? fetchId : null;
}
