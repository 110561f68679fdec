import { Inject, Injectable } from '@nestjs/common';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import {
  decodeFetchEvent,
  documentIdOf,
  DomainError,
  fetchRecordedIn,
  upcastDocumentEvent,
} from '@termline/domain';
import {
  EVENT_STORE,
  QUARANTINE_STORE,
  snapshotIdOf,
  type EventStore,
  type QuarantineStore,
} from '@termline/eventstore';
import { MESSAGE_BUS, type MessageBus } from '@termline/messaging';
import { CLOCK, TOPICS, type Clock, type Topics } from '@termline/platform';
import { MetricsService } from '../ops/metrics.service';

export interface IngestReceipt {
  fetchId: string;
  documentId: string;
  snapshotId: string;
  status: 'accepted' | 'already-recorded';
}

const commitIdOfFetch = (fetchId: string): string => `fetch:${fetchId}`;

/**
 * HTTP ingest: the fetch is validated here with the same decoder the consumer uses, then published to the
 * fetches topic. A fetch id that is already recorded is answered at once (same content) or refused (other
 * content); the consumer checks again, since two requests can race.
 */
@Injectable()
export class IngestService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: MetricsService,
    @Inject(QUARANTINE_STORE) private readonly quarantine: QuarantineStore,
  ) {}

  async ingest(raw: unknown, correlationId: string): Promise<IngestReceipt> {
    const { event, body } = decodeFetchEvent(raw, this.clock.now(), {
      maxContentBytes: this.config.maxContentBytes,
      clockSkewMs: 5 * 60_000,
    });
    const documentId = documentIdOf(event.service, event.documentType);
    const snapshotId = snapshotIdOf(body);
    const recorded = await this.eventStore.readCommit(commitIdOfFetch(event.fetchId));
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
    await this.bus.publish(this.topics.fetches, [
      {
        key: documentId,
        value: JSON.stringify(raw),
        headers: { 'x-correlation-id': correlationId, 'x-accepted-at': this.clock.now().toISOString() },
      },
    ]);
    this.metrics.fetchesAccepted.inc();
    return { fetchId: event.fetchId, documentId, snapshotId, status: 'accepted' };
  }

  /** What became of a fetch: recorded (with its outcome), quarantined (with its error), or not recorded yet. */
  async status(fetchId: string) {
    const recorded = await this.eventStore.readCommit(commitIdOfFetch(fetchId));
    const fetch = recorded ? fetchRecordedIn(recorded.map(upcastDocumentEvent)) : null;
    if (!recorded || !fetch) {
      const parked = await this.quarantine.findByFetchId(fetchId);
      if (!parked) throw new DomainError('not-found', `Fetch ${fetchId} is not recorded (yet)`);
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
}
