import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  currentSnapshots,
  decide,
  effectiveEvents,
  evolve,
  reviseTimeline,
  upcastDocumentEvent,
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
  type DecidedEvent,
  type DocumentEvent,
  type DocumentState,
  type ExtractionOutcome,
  type FetchEvent,
  type Observation,
  type RecordFetch,
  type SnapshotRef,
  type VersioningPolicy,
} from '@termline/domain';
import {
  ConcurrencyError,
  EVENT_STORE,
  type AppendResult,
  type CommitToAppend,
  SNAPSHOT_STORE,
  snapshotIdOf,
  type EventStore,
  type NewEvent,
  type SnapshotStore,
  type SnapshotToPut,
  type StoredEvent,
} from '@termline/eventstore';
import { BatchDeclined } from '@termline/messaging';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { CLOCK, type Clock } from '@termline/platform';
import { DocumentStateRepository, type OwnedState } from '../document-state.repository';
import { ProvisionLineageService, type VersionProvisions } from '../provisions/provision-lineage.service';
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
  /**
   * Bytes of snapshots a batch being prepared will archive (all at once, before its commits): a later fetch of
   * the same batch may need them to extract another part of its document.
   */
  private readonly unarchived = new Map<string, Buffer>();

  async execute(command: RecordFetchCommand): Promise<RecordFetchResult> {
    const streamId = streamOfFetch(command);
    // A redelivered fetch is recognised by its commit id when it is appended: the append returns the stored
    // commit instead of writing, so there is no read for it on the way in.
    for (let attempt = 1; ; attempt += 1) {
      const owned = await this.states.load(streamId, command.partition);
      const prepared = await this.prepare(command, owned.state, attempt === 1, new Set());
      try {
        const result = await this.eventStore.append(
          streamId,
          owned.state.streamVersion,
          prepared.commitId,
          prepared.events,
          owned.head,
        );
        this.states.advance(streamId, owned, result);
        return this.recorded(prepared, result);
      } catch (error) {
        // Another writer appended first: fold the stream again and decide again.
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_CONCURRENCY_RETRIES) throw error;
        this.states.forget(streamId);
      }
    }
  }

  /**
   * Records a batch of fetches (a consumer's batch, in its order) with one write of all their commits: each
   * document's fetches are decided one after the other, each against the state the previous one leads to. Resolves
   * only when every commit is stored. When any commit cannot be (a redelivery, another writer first, a document
   * whose head is unknown), it rejects with BatchNotRecorded after storing at most a prefix of the batch, and the
   * caller records the fetches one by one (execute), which settles each exactly as a single fetch.
   */
  async executeBatch(commands: readonly RecordFetchCommand[]): Promise<RecordFetchResult[]> {
    const byStream = new Map<string, RecordFetchCommand[]>();
    for (const command of commands) {
      const streamId = streamOfFetch(command);
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), command]);
    }
    const planned = new Map<RecordFetchCommand, { prepared: PreparedFetch; commit: CommitToAppend }>();
    const owners = new Map<string, OwnedState>();
    const toArchive = new Map<string, SnapshotToPut>();
    /** What the lineage was told of this batch's versions before they were stored. */
    const remembered: Array<{ streamId: string; stored: StoredEvent[] }> = [];
    try {
      // Documents are independent: their snapshots are archived and their texts extracted side by side. All
      // settle before a failure is thrown, so that nothing of this batch is remembered after it was forgotten.
      const preparing = await Promise.allSettled(
        [...byStream].map(async ([streamId, fetches]) => {
          const owned = await this.states.load(streamId, fetches[0]!.partition);
          if (owned.head === undefined) throw new BatchNotRecorded(`the head of ${streamId} is unknown`);
          owners.set(streamId, owned);
          let state = owned.state;
          const reextractions = new Set<string>();
          for (const command of fetches) {
            // A late fetch revises the timeline from the stored stream, which this batch has not written yet.
            const { event: fetch, body } = command.fetch;
            if (isOutOfOrder(state, fetch, snapshotIdOf(body)))
              throw new BatchNotRecorded(`fetch ${fetch.fetchId} of ${streamId} arrived late`);
            const prepared = await this.prepare(command, state, true, reextractions, toArchive);
            const stored = storedAt(streamId, state.streamVersion, prepared);
            planned.set(command, {
              prepared,
              commit: {
                streamId,
                expectedVersion: state.streamVersion,
                commitId: prepared.commitId,
                events: prepared.events,
                head: owned.head,
              },
            });
            state = stored.reduce((current, event) => evolve(current, upcastDocumentEvent(event)), state);
            // The next fetch of the document in this batch may follow the version this one records.
            this.lineage.remember(streamId, stored);
            remembered.push({ streamId, stored });
            if (prepared.reextractionKey !== null && !failed(stored))
              reextractions.add(prepared.reextractionKey);
          }
        }),
      );
      const refused = preparing.find((outcome) => outcome.status === 'rejected');
      if (refused) throw refused.reason;
      // The batch's new snapshots in one write, before any event names them.
      await this.snapshots.putMany([...toArchive.values()]);
      const order = commands.map((command) => planned.get(command)!);
      const { appended, failedAt } = await this.eventStore.appendBatch(order.map((entry) => entry.commit));
      // The stored prefix advances its owners' states, in order; what follows was not stored.
      const results = appended.map((result, index) => {
        const streamId = result.streamId;
        owners.set(streamId, this.states.advance(streamId, owners.get(streamId)!, result));
        return this.recorded(order[index]!.prepared, result);
      });
      if (failedAt !== null) {
        for (const entry of order.slice(failedAt)) this.states.forget(entry.commit.streamId);
        throw new BatchNotRecorded(`commit ${order[failedAt]!.commit.commitId} collided with a stored one`);
      }
      return results;
    } catch (error) {
      // What this batch remembered of versions it may not have stored must not be aligned against later; what the
      // lineage knew before the batch was stored and stays (forgetting it cost a read of the whole stream).
      for (const { streamId, stored } of remembered) this.lineage.forgetRecorded(streamId, stored);
      throw error;
    } finally {
      for (const snapshotId of toArchive.keys()) this.unarchived.delete(snapshotId);
    }
  }

  /**
   * Archives the fetch's snapshot if new (or, given `toArchive`, leaves it there for the batch to archive),
   * extracts, decides: the commit this fetch means against `state`.
   */
  private async prepare(
    command: RecordFetchCommand,
    state: DocumentState,
    archive: boolean,
    reextractedInBatch: ReadonlySet<string>,
    toArchive?: Map<string, SnapshotToPut>,
  ): Promise<PreparedFetch> {
    const { event: fetch, body } = command.fetch;
    const snapshotId = snapshotIdOf(body);
    const commitId = commitIdOfFetch(fetch.fetchId);
    const streamId = streamOfFetch(command);
    // The snapshot is archived before any event names it, so no event ever points at missing bytes. Bytes
    // equal to the part's latest snapshot are archived already (an event names them).
    if (archive && !isSnapshotUnchanged(state, fetch, snapshotId)) {
      // The part names the source: the archive keeps this snapshot as a delta against the part's previous one.
      const options = { source: `${streamId}#${partKeyOf(fetch.sourcePart)}` };
      if (!toArchive) await this.snapshots.put(snapshotId, body, fetch.mimeType, options);
      else if (!toArchive.has(snapshotId)) {
        toArchive.set(snapshotId, { snapshotId, content: body, mimeType: fetch.mimeType, options });
        this.unarchived.set(snapshotId, body);
      }
    }
    const own = () => Promise.resolve(body);
    const extraction = needsExtraction(state, fetch, snapshotId)
      ? await this.extract(state, fetch, snapshotsAfterFetch(state, fetch, snapshotId), snapshotId, own)
      : null;
    const key = this.reextractionKey(state, command, snapshotId);
    const reextractionKey = key !== null && reextractedInBatch.has(key) ? null : key;
    const reextraction = reextractionKey
      ? await this.extract(state, fetch, currentSnapshots(state), snapshotId, own)
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
    // A late fetch is recorded as such, then every observation from it on is decided again in observed order.
    const events = isOutOfOrder(state, fetch, snapshotId)
      ? [
          ...decide(decision, state),
          await this.revise(streamId, { fetch, snapshotId, contentBytes: body.length }, body),
        ]
      : await this.lineage.withLineage(streamId, decide(decision, state));
    return {
      commitId,
      fetchId: fetch.fetchId,
      snapshotId,
      reextractionKey,
      events: toNewEvents(events, decision),
    };
  }

  /**
   * The TimelineRevised a late observation calls for (ADR 0024): each observation from it on decided again, in
   * observed order, as it would have been in order: its snapshots re-read from the archive, extracted with the
   * rules in force at its fetchedAt, its provisions aligned with the version it now follows.
   */
  private async revise(streamId: string, late: Observation, body: Buffer): Promise<DocumentEvent> {
    const history = (await this.eventStore.readStream(streamId)).map(upcastDocumentEvent);
    const versions = versionsIn(effectiveEvents(history));
    return reviseTimeline(history, late, async (state, { fetch, snapshotId, contentBytes }) => {
      const own = () =>
        snapshotId === late.snapshotId ? Promise.resolve(body) : this.archived(state, snapshotId);
      const extraction = needsExtraction(state, fetch, snapshotId)
        ? await this.extract(state, fetch, snapshotsAfterFetch(state, fetch, snapshotId), snapshotId, own)
        : null;
      const rules = this.extractor.rulesAt(
        { service: fetch.service, documentType: fetch.documentType },
        fetch.fetchedAt,
      );
      const reextraction = rulesChanged(state, rules)
        ? await this.extract(state, fetch, currentSnapshots(state), snapshotId, own)
        : null;
      const decision: RecordFetch = {
        type: 'RecordFetch',
        data: { fetch, snapshotId, contentBytes, extraction, reextraction, policy: this.policy },
        metadata: {
          commandId: commitIdOfFetch(fetch.fetchId),
          now: this.clock.now().toISOString(),
          correlationId: fetch.fetchId,
          causationId: fetch.fetchId,
        },
      };
      // No TimelineRevised comes out of an observation decided in observed order.
      return (await this.lineage.withLineage(streamId, decide(decision, state), versions)) as DecidedEvent[];
    });
  }

  /** What an append of a prepared fetch leaves to remember, and the fetch's result. */
  private recorded(prepared: PreparedFetch, result: AppendResult): RecordFetchResult {
    if (result.duplicate) assertSameFetch(result.events, prepared.fetchId, prepared.snapshotId);
    // A fetch that failed left the technical upgrade undecided: the next fetch re-extracts again.
    if (!failed(result.events)) this.rememberReextraction(prepared.reextractionKey);
    // A revision numbers the versions afresh: what was remembered of the old numbers is read again when needed.
    if (result.events.some((event) => event.type === 'TimelineRevised')) this.lineage.forget(result.streamId);
    else if (!result.duplicate) this.lineage.remember(result.streamId, result.events);
    return { events: result.events, duplicate: result.duplicate };
  }

  /**
   * When the rules in force differ from those of the current version, the current snapshots are re-extracted once
   * (per document, version and rules) to tell a technical upgrade apart from a change of the document.
   */
  private reextractionKey(
    state: DocumentState,
    command: RecordFetchCommand,
    snapshotId: string,
  ): string | null {
    const { event: fetch } = command.fetch;
    if (!state.currentVersion || isOutOfOrder(state, fetch, snapshotId)) return null;
    const rules = this.extractor.rulesAt(
      { service: fetch.service, documentType: fetch.documentType },
      fetch.fetchedAt,
    );
    if (!rulesChanged(state, rules)) return null;
    // The text hash too: a revised timeline (ADR 0024) may give a version number to another text.
    const { version, textSha256 } = state.currentVersion;
    const key = `${state.documentId}|${version}|${textSha256}|${rules.extractorVersion}|${rules.declarationHash}`;
    return this.reextracted.has(key) ? null : key;
  }

  private rememberReextraction(key: string | null): void {
    if (key === null) return;
    if (this.reextracted.size > 10_000) this.reextracted.clear();
    this.reextracted.add(key);
  }

  /** `own` gives the bytes of the fetch's own snapshot (`snapshotId`). */
  private async extract(
    state: DocumentState,
    fetch: FetchEvent,
    refs: readonly SnapshotRef[],
    snapshotId: string,
    own: () => Promise<Buffer>,
  ): Promise<ExtractionOutcome> {
    // Other parts' bytes are read from the archive only if the extractor has not already got their text.
    const loaded: LoadedSnapshot[] = refs.map((ref) => ({
      ...ref,
      load: () => (ref.snapshotId === snapshotId ? own() : this.archived(state, ref.snapshotId)),
    }));
    return this.extractor.extract({ service: fetch.service, documentType: fetch.documentType }, loaded);
  }

  private async archived(state: DocumentState, snapshotId: string): Promise<Buffer> {
    // A batch's own snapshots are archived with one putMany before its commits: later fetches read them here.
    const unarchived = this.unarchived.get(snapshotId);
    if (unarchived) return unarchived;
    const stored = await this.snapshots.get(snapshotId);
    if (!stored)
      throw new Error(`Snapshot ${snapshotId} named by ${state.documentId} is missing from the archive`);
    return stored.content;
  }
}

/** The versions of a timeline with the provision ids they were recorded with: what a revised one may follow. */
function versionsIn(events: readonly DecidedEvent[]): Map<number, VersionProvisions> {
  const versions = new Map<number, VersionProvisions>();
  for (const [index, event] of events.entries()) {
    const next = events[index + 1];
    if (event.type !== 'VersionRecorded' || next?.type !== 'ProvisionsAligned') continue;
    const { version, text } = event.data;
    versions.set(version, { version, text, provisionIds: next.data.provisionIds });
  }
  return versions;
}

/** The commit one fetch means, before it is appended. */
interface PreparedFetch {
  commitId: string;
  fetchId: string;
  snapshotId: string;
  reextractionKey: string | null;
  events: NewEvent[];
}

/** A batch that could not be recorded in one write: its fetches are to be recorded one by one. */
export class BatchNotRecorded extends BatchDeclined {
  override readonly name = 'BatchNotRecorded';
}

const streamOfFetch = (command: RecordFetchCommand): string =>
  streamIdOf(documentIdOf(command.fetch.event.service, command.fetch.event.documentType));

/** A fetch that failed, or whose text could not be extracted: a technical upgrade stays undecided. */
function failed(events: ReadonlyArray<{ type: string; data: unknown }>): boolean {
  const outcome = fetchRecordedIn(events)?.outcome;
  return outcome === 'failed-fetch' || outcome === 'extraction-failed';
}

/** The prepared commit's events as they will be stored after `version`. */
function storedAt(streamId: string, version: number, prepared: PreparedFetch): StoredEvent[] {
  return prepared.events.map((event, index) => ({
    ...event,
    streamId,
    streamVersion: version + index + 1,
    commitId: prepared.commitId,
  }));
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
