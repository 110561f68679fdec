import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  currentSnapshots,
  decide,
  DOCUMENT_EVENT_SCHEMA_VERSION,
  documentIdOf,
  fetchRecordedIn,
  DomainError,
  isOutOfOrder,
  isSnapshotUnchanged,
  needsExtraction,
  partKeyOf,
  rulesChanged,
  snapshotsAfterFetch,
  streamIdOf,
  type DocumentEvent,
  type DocumentState,
  type ExtractionOutcome,
  type RecordFetch,
  type SnapshotRef,
  type VersioningPolicy,
} from '@termline/domain';
import {
  ConcurrencyError,
  EVENT_STORE,
  SNAPSHOT_STORE,
  snapshotIdOf,
  type EventStore,
  type NewEvent,
  type SnapshotStore,
  type StoredEvent,
} from '@termline/eventstore';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { CLOCK, type Clock } from '@termline/platform';
import { DocumentStateRepository } from '../document-state.repository';
import { ProvisionLineageService } from '../provisions/provision-lineage.service';
import {
  DOCUMENT_TEXT_EXTRACTOR,
  type DocumentTextExtractor,
  type LoadedSnapshot,
} from '../text/document-text.extractor';
import { commitIdOfFetch, RecordFetchCommand } from './record-fetch.command';

export interface RecordFetchResult {
  events: StoredEvent[];
  /** The fetch id was already recorded with the same content: nothing was appended. */
  duplicate: boolean;
}

const MAX_CONCURRENCY_RETRIES = 5;

@CommandHandler(RecordFetchCommand)
export class RecordFetchHandler implements ICommandHandler<RecordFetchCommand, RecordFetchResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore,
    @Inject(DOCUMENT_TEXT_EXTRACTOR) private readonly extractor: DocumentTextExtractor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly states: DocumentStateRepository,
    private readonly lineage: ProvisionLineageService,
    @Inject(TERMLINE_CONFIG) config: TermlineConfig,
  ) {
    this.policy = {
      flipBackWindowHours: config.flipBackWindowHours,
      roundWindowSeconds: config.roundWindowSeconds,
    };
  }

  private readonly policy: VersioningPolicy;
  private readonly reextracted = new Set<string>();

  async execute(command: RecordFetchCommand): Promise<RecordFetchResult> {
    const { event: fetch, body } = command.fetch;
    const snapshotId = snapshotIdOf(body);
    const commitId = commitIdOfFetch(fetch.fetchId);
    const streamId = streamIdOf(documentIdOf(fetch.service, fetch.documentType));

    // A redelivered fetch is recognised by its commit id when it is appended: the append returns the stored
    // commit instead of writing, so there is no read for it on the way in.
    for (let attempt = 1; ; attempt += 1) {
      const state = await this.states.load(streamId);
      // The snapshot is archived before any event names it, so no event ever points at missing bytes. Bytes
      // equal to the part's latest snapshot are archived already (an event names them).
      if (attempt === 1 && !isSnapshotUnchanged(state, fetch, snapshotId)) {
        // The part names the source: the archive keeps this snapshot as a delta against the part's previous one.
        await this.snapshots.put(snapshotId, body, fetch.mimeType, {
          source: `${streamId}#${partKeyOf(fetch.sourcePart)}`,
        });
      }
      const extraction = needsExtraction(state, fetch, snapshotId)
        ? await this.extract(state, command, snapshotsAfterFetch(state, fetch, snapshotId), body, snapshotId)
        : null;
      const reextractionKey = this.reextractionKey(state, command);
      const reextraction = reextractionKey
        ? await this.extract(state, command, currentSnapshots(state), body, snapshotId)
        : null;
      const decision: RecordFetch = {
        type: 'RecordFetch',
        data: {
          fetch,
          snapshotId,
          contentBytes: body.length,
          extraction,
          reextraction,
          policy: this.policy,
        },
        metadata: {
          commandId: commitId,
          now: this.clock.now().toISOString(),
          correlationId: command.correlationId,
          causationId: command.causationId,
        },
      };
      const events = await this.lineage.withLineage(streamId, decide(decision, state));
      try {
        const result = await this.eventStore.append(
          streamId,
          state.streamVersion,
          commitId,
          toNewEvents(events, decision),
        );
        if (result.duplicate) assertSameFetch(result.events, fetch.fetchId, snapshotId);
        // A fetch that failed left the technical upgrade undecided: the next fetch re-extracts again.
        const outcome = fetchRecordedIn(result.events)?.outcome;
        if (outcome !== 'failed-fetch' && outcome !== 'extraction-failed')
          this.rememberReextraction(reextractionKey);
        if (!result.duplicate) this.lineage.remember(streamId, result.events);
        return { events: result.events, duplicate: result.duplicate };
      } catch (error) {
        // Another writer appended first: fold its events in and decide again.
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_CONCURRENCY_RETRIES) throw error;
        this.states.forget(streamId);
      }
    }
  }

  /**
   * When the rules in force differ from those of the current version, the current snapshots are re-extracted once
   * (per document, version and rules) to tell a technical upgrade apart from a change of the document.
   */
  private reextractionKey(state: DocumentState, command: RecordFetchCommand): string | null {
    const { event: fetch } = command.fetch;
    if (!state.currentVersion || isOutOfOrder(state, fetch)) return null;
    const rules = this.extractor.rulesAt(
      { service: fetch.service, documentType: fetch.documentType },
      fetch.fetchedAt,
    );
    if (!rulesChanged(state, rules)) return null;
    const key = `${state.documentId}|${state.currentVersion.version}|${rules.extractorVersion}|${rules.declarationHash}`;
    return this.reextracted.has(key) ? null : key;
  }

  private rememberReextraction(key: string | null): void {
    if (key === null) return;
    if (this.reextracted.size > 10_000) this.reextracted.clear();
    this.reextracted.add(key);
  }

  private async extract(
    state: DocumentState,
    command: RecordFetchCommand,
    refs: readonly SnapshotRef[],
    body: Buffer,
    snapshotId: string,
  ): Promise<ExtractionOutcome> {
    const { event: fetch } = command.fetch;
    // Other parts' bytes are read from the archive only if the extractor has not already got their text.
    const loaded: LoadedSnapshot[] = refs.map((ref) => ({
      ...ref,
      load: async () => {
        if (ref.snapshotId === snapshotId) return body;
        const stored = await this.snapshots.get(ref.snapshotId);
        if (!stored)
          throw new Error(
            `Snapshot ${ref.snapshotId} named by ${state.documentId} is missing from the archive`,
          );
        return stored.content;
      },
    }));
    return this.extractor.extract({ service: fetch.service, documentType: fetch.documentType }, loaded);
  }
}

function toNewEvents(events: readonly DocumentEvent[], command: RecordFetch): NewEvent[] {
  return events.map((event, index) => ({
    eventId: `${command.metadata.commandId}:${index}`,
    type: event.type,
    schemaVersion: DOCUMENT_EVENT_SCHEMA_VERSION,
    data: event.data,
    metadata: {
      correlationId: command.metadata.correlationId,
      causationId: command.metadata.causationId,
      occurredAt: command.metadata.now,
    },
  }));
}

/** A fetch id is an idempotency key: the same id with other content is a conflict, never a silent overwrite. */
function assertSameFetch(recorded: StoredEvent[], fetchId: string, snapshotId: string): StoredEvent[] {
  const recordedSnapshot = fetchRecordedIn(recorded)?.snapshotId;
  if (recordedSnapshot !== snapshotId) {
    throw new DomainError(
      'fetch-id-conflict',
      `Fetch ${fetchId} was already recorded with other content (snapshot ${recordedSnapshot ?? 'unknown'})`,
    );
  }
  return recorded;
}
