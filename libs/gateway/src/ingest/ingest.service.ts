import { Inject, Injectable } from '@nestjs/common';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import {
  acceptedCommitIdOf,
  acceptedStreamOf,
  deadLetterStreamOf,
  decodeFetchEvent,
  documentIdOf,
  DomainError,
  FETCH_ACCEPTED,
  FETCH_ACCEPTED_SCHEMA_VERSION,
  FETCH_DEAD_LETTERED,
  fetchLimits,
  fetchRecordedIn,
  slug,
  upcastDocumentEvent,
  type FetchEvent,
  type FetchAccepted,
  type FetchDeadLettered,
} from '@termline/domain';
import {
  type CommitToAppend,
  EVENT_STORE,
  QUARANTINE_STORE,
  snapshotIdOf,
  type EventStore,
  type StoredEvent,
  type QuarantineStore,
} from '@termline/eventstore';
import { commitIdOfFetch } from '@termline/versioning';
import { MESSAGE_BUS, type MessageBus } from '@termline/messaging';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import {
  BoundedMap,
  CLOCK,
  CoalescingQueue,
  TOPICS,
  TRACE_HEADERS,
  type Clock,
  type Topics,
} from '@termline/platform';
import { MetricsService } from '../ops/metrics.service';

export interface IngestReceipt {
  fetchId: string;
  documentId: string;
  snapshotId: string;
  status: 'accepted' | 'already-recorded';
}

/**
 * HTTP ingest: the fetch is validated here with the same decoder the consumer uses, then published to the
 * fetches topic. A fetch id that is already recorded is answered at once (same content) or refused (other
 * content); the consumer checks again, since two requests can race.
 */
@Injectable()
export class IngestService {
  /**
   * Documents found recorded under these exact names: a document's names never change once recorded (another
   * fetch that slugs like it is refused), so the next fetch of it skips both catalogue reads.
   */
  private readonly knownDocuments = new BoundedMap<string, { service: string; documentType: string }>(10_000);

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: MetricsService,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(QUARANTINE_STORE) private readonly quarantine: QuarantineStore,
  ) {}

  /**
   * `correlationId`: the caller's (an X-Correlation-Id header); the fetch's own id when it gave none. `rawText`: the
   * JSON text `raw` was parsed from, published as it came (serialising a large fetch again cost a millisecond).
   */
  async ingest(raw: unknown, givenCorrelationId?: string, rawText?: string): Promise<IngestReceipt> {
    const { event, body } = decodeFetchEvent(raw, this.clock.now(), fetchLimits(this.config.maxContentBytes));
    const correlationId = givenCorrelationId || event.fetchId;
    const documentId = documentIdOf(event.service, event.documentType);
    const snapshotId = snapshotIdOf(body);
    const recorded = await this.recordedCommits.submit(commitIdOfFetch(event.fetchId));
    if (recorded) {
      const previous = fetchRecordedIn(recorded);
      if (previous?.snapshotId !== snapshotId) {
        throw new DomainError(
          'fetch-id-conflict',
          `Fetch ${event.fetchId} was already recorded with other content`,
        );
      }
      return { fetchId: event.fetchId, documentId, snapshotId, status: 'already-recorded' };
    }
    await this.assertNoSlugCollision(event, documentId);
    await this.bus.publish(this.topics.fetches, [
      {
        key: documentId,
        value: rawText ?? JSON.stringify(raw),
        // The consumers log under these ids (log-context.ts); the cause of the message is the request.
        headers: {
          [TRACE_HEADERS.fetchId]: event.fetchId,
          [TRACE_HEADERS.correlationId]: correlationId,
          [TRACE_HEADERS.causationId]: `http:${correlationId}`,
          'x-accepted-at': this.clock.now().toISOString(),
        },
      },
    ]);
    await this.recordAcceptance({ fetchId: event.fetchId, documentId, snapshotId }, correlationId);
    this.metrics.fetchesAccepted.inc();
    return { fetchId: event.fetchId, documentId, snapshotId, status: 'accepted' };
  }

  /**
   * The consumer would dead-letter a fetch whose names slug like another's (the document id is taken), and two
   * services under one slug would share one catalogue entry: both are refused here, against the catalogue, while
   * the client is still listening. A collision with a fetch still in flight is caught by the consumer, and shows
   * as dead-lettered on the status route.
   */
  private async assertNoSlugCollision(event: FetchEvent, documentId: string): Promise<void> {
    const known = this.knownDocuments.get(documentId);
    if (known?.service === event.service && known.documentType === event.documentType) return;
    const existing = await this.readModels.getDocument(documentId);
    if (existing && (existing.service !== event.service || existing.documentType !== event.documentType)) {
      throw new DomainError(
        'document-id-collision',
        `"${event.service}" / "${event.documentType}" maps to document ${documentId}, which already belongs to ` +
          `"${existing.service}" / "${existing.documentType}"; use the same names, or names that differ in letters or digits`,
      );
    }
    const sameSlug = await this.readModels.listDocuments(slug(event.service));
    const other = sameSlug.find((document) => document.service !== event.service);
    if (other) {
      throw new DomainError(
        'document-id-collision',
        `Service "${event.service}" has the same slug (${other.serviceSlug}) as the recorded service "${other.service}"; ` +
          'use the same name, or a name that differs in letters or digits',
      );
    }
    if (existing)
      this.knownDocuments.set(documentId, { service: existing.service, documentType: existing.documentType });
  }

  /**
   * What became of a fetch: recorded (with its outcome), quarantined (with its error), dead-lettered (with the
   * reason), or not recorded yet.
   */
  async status(fetchId: string) {
    const recorded = await this.eventStore.readCommit(commitIdOfFetch(fetchId));
    const fetch = recorded ? fetchRecordedIn(recorded.map(upcastDocumentEvent)) : null;
    if (!recorded || !fetch) {
      const parked = await this.quarantine.findByFetchId(fetchId);
      if (!parked) return this.deadLetterStatus(fetchId);
      // Parked, or replayed and not recorded yet: either way the operator's quarantine record says why.
      return {
        fetchId,
        documentId: parked.documentId,
        status: parked.status === 'parked' ? 'quarantined' : 'replayed',
        quarantineId: parked.id,
        error: { name: parked.error.name, message: parked.error.message, code: parked.error.code ?? null },
        attempts: parked.attempts,
        quarantinedAt: parked.quarantinedAt,
        replayedAt: parked.replayedAt,
      };
    }
    const version = recorded.find((e) => e.type === 'VersionRecorded')?.data as
      { version: number } | undefined;
    return {
      fetchId,
      documentId: fetch.documentId,
      status: 'recorded',
      outcome: fetch.outcome,
      snapshotId: fetch.snapshotId,
      snapshotChanged: fetch.snapshotChanged,
      failure: fetch.failure,
      textSha256: fetch.textSha256,
      suppressedBy: fetch.suppressedBy,
      version: version?.version ?? null,
      streamVersion: recorded[0]!.streamVersion,
      recordedAt: recorded[0]!.metadata.occurredAt,
    };
  }

  /**
   * After the publish, so that "accepted" never names a fetch that is not on the topic; a crash between the two
   * leaves a fetch that answers 404 until it is recorded, never the reverse.
   */
  private async recordAcceptance(fact: FetchAccepted, correlationId: string): Promise<void> {
    const commitId = acceptedCommitIdOf(fact.fetchId);
    // The acceptance stream of a fetch has one commit, at version 0, chained to nothing: the store inserts at once.
    await this.acceptances.submit({
      streamId: acceptedStreamOf(fact.fetchId),
      expectedVersion: 0,
      commitId,
      events: [
        {
          eventId: `${commitId}:0`,
          type: FETCH_ACCEPTED,
          schemaVersion: FETCH_ACCEPTED_SCHEMA_VERSION,
          data: fact,
          metadata: {
            correlationId,
            causationId: correlationId,
            occurredAt: this.clock.now().toISOString(),
          },
        },
      ],
      head: { hash: null },
    });
  }

  /**
   * Whether the fetches of the requests in flight are recorded already, in one read (like the acceptances below:
   * under load one round trip answers many requests; alone, a request waits for nothing).
   */
  private readonly recordedCommits = new CoalescingQueue<string, StoredEvent[] | null>(async (commitIds) => {
    const found = await this.eventStore.readCommits(commitIds);
    return commitIds.map((commitId) => found.get(commitId) ?? null);
  });

  /**
   * The acceptances of the requests in flight, in one write (group commit: under load one round trip serves many
   * requests; alone, a request waits for nothing). A commit that collides is a fetch accepted before (submitted
   * again, or twice in one batch): there is nothing to add, and the commits after it are written in another try.
   */
  private readonly acceptances = new CoalescingQueue<CommitToAppend, void>(async (commits) => {
    // One fetch submitted twice at once: its one acceptance is enough (a batch holds one commit per stream at 0).
    const streams = new Set<string>();
    let rest = commits.filter((commit) => !streams.has(commit.streamId) && streams.add(commit.streamId));
    while (rest.length > 0) {
      const { failedAt } = await this.eventStore.appendBatch(rest);
      if (failedAt === null) break;
      rest = rest.slice(failedAt + 1);
    }
    return commits.map(() => undefined);
  });

  private async deadLetterStatus(fetchId: string) {
    const facts = (await this.eventStore.readStream(deadLetterStreamOf(fetchId))).filter(
      (e) => e.type === FETCH_DEAD_LETTERED,
    );
    const last = facts[facts.length - 1];
    if (!last) return this.acceptedStatus(fetchId);
    const fact = last.data as FetchDeadLettered;
    return {
      fetchId,
      documentId: fact.documentId,
      status: 'dead-lettered' as const,
      code: fact.code,
      reason: fact.reason,
      deadLetteredAt: last.metadata.occurredAt,
    };
  }

  /** Accepted and on the topic, not recorded yet: the versioning service has yet to reach it. */
  private async acceptedStatus(fetchId: string) {
    const [accepted] = await this.eventStore.readStream(acceptedStreamOf(fetchId));
    if (accepted?.type !== FETCH_ACCEPTED) {
      throw new DomainError('not-found', `Fetch ${fetchId} was never accepted`);
    }
    const fact = accepted.data as FetchAccepted;
    return {
      fetchId,
      documentId: fact.documentId,
      status: 'accepted' as const,
      snapshotId: fact.snapshotId,
      acceptedAt: accepted.metadata.occurredAt,
    };
  }
}
