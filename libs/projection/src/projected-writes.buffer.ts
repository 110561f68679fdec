import { Injectable } from '@nestjs/common';
import { streamIdOf } from '@termline/domain';
import { BoundedMap } from '@termline/platform';
import {
  governanceEntryKeyOf,
  noReadModelWrites,
  type CheckpointView,
  type DocumentView,
  type GovernanceEntry,
  type GovernanceGeneration,
  type ObservationView,
  type ProvisionFormQuery,
  type ProvisionFormView,
  type ReadModelStore,
  type ReadModelWrites,
  type TimelineEntry,
  type VersionView,
} from '@termline/readmodels';

/** What the projectors read and write: a read-model store, or a buffer of a batch's writes in front of one. */
export type ProjectionStore = Pick<
  ReadModelStore,
  | 'getCheckpoint'
  | 'setCheckpoint'
  | 'getDocument'
  | 'putDocument'
  | 'putObservation'
  | 'putVersion'
  | 'getVersion'
  | 'putTimelineEntry'
  | 'getTimelineEntry'
  | 'putGovernanceGeneration'
  | 'putGovernanceChanges'
  | 'getGovernanceEntry'
  | 'queryProvisionForms'
  | 'removeVersionsAbove'
  | 'removeGovernanceOf'
>;

interface OwnedStream {
  partition: number;
  /** Per projection (timeline, each governance generation). */
  checkpoints: Map<string, number>;
  /** Undefined: not known here; null: known to be absent from the store. */
  document?: DocumentView | null;
}

/**
 * The checkpoints and document views of the streams this process projects, as it last wrote (or first read)
 * them: the next batch of a stream starts from here instead of reading them back. Kept only for streams of
 * partitions this member consumes (claimed with their partition), dropped when a rebalance gives the partition
 * to another member, and forgotten when a write fails, so that the next use reads the store again.
 */
@Injectable()
export class OwnedReadModels {
  private readonly streams = new BoundedMap<string, OwnedStream>(5_000);
  private readonly generations = new Set<string>();

  /** The stream is this member's (its messages come from `partition`): what is learnt of it is kept. */
  claim(streamId: string, partition: number): void {
    const owned = this.streams.get(streamId);
    this.streams.set(
      streamId,
      owned?.partition === partition ? owned : { partition, checkpoints: new Map<string, number>() },
    );
  }

  keepPartitions(assigned: readonly number[]): void {
    const kept = new Set(assigned);
    for (const [streamId, owned] of [...this.streams])
      if (!kept.has(owned.partition)) this.streams.delete(streamId);
  }

  checkpoint(projection: string, streamId: string): number | undefined {
    return this.streams.get(streamId)?.checkpoints.get(projection);
  }

  document(documentId: string): DocumentView | null | undefined {
    return this.streams.get(streamIdOf(documentId))?.document;
  }

  learnCheckpoint(projection: string, streamId: string, version: number): void {
    this.streams.get(streamId)?.checkpoints.set(projection, version);
  }

  learnDocument(documentId: string, document: DocumentView | null): void {
    const owned = this.streams.get(streamIdOf(documentId));
    if (owned) owned.document = document;
  }

  hasGeneration(generation: string): boolean {
    return this.generations.has(generation);
  }

  learnGeneration(generation: string): void {
    this.generations.add(generation);
  }

  forget(streamId: string): void {
    const owned = this.streams.get(streamId);
    if (owned) this.streams.set(streamId, { partition: owned.partition, checkpoints: new Map() });
  }

  /** After the store was replaced (a repair): everything is read again. */
  forgetAll(): void {
    this.streams.clear();
    this.generations.clear();
  }
}

const versionKeyOf = (documentId: string, version: number) => `${documentId}|${version}`;
const checkpointKeyOf = (projection: string, streamId: string) => `${projection}|${streamId}`;

class PendingWrites {
  readonly generations = new Map<string, GovernanceGeneration>();
  readonly observations = new Map<string, ObservationView>();
  readonly versions = new Map<string, VersionView>();
  readonly timeline = new Map<string, TimelineEntry>();
  readonly forms = new Map<string, ProvisionFormView>();
  readonly governanceEntries = new Map<string, GovernanceEntry>();
  readonly documents = new Map<string, DocumentView>();
  readonly checkpoints = new Map<string, CheckpointView>();

  get empty(): boolean {
    return [
      this.generations,
      this.observations,
      this.versions,
      this.timeline,
      this.forms,
      this.governanceEntries,
      this.documents,
      this.checkpoints,
    ].every((map) => map.size === 0);
  }

  toWrites(): ReadModelWrites {
    return {
      ...noReadModelWrites(),
      governanceGenerations: [...this.generations.values()],
      observations: [...this.observations.values()],
      versions: [...this.versions.values()],
      timeline: [...this.timeline.values()],
      provisionForms: [...this.forms.values()],
      governanceEntries: [...this.governanceEntries.values()],
      documents: [...this.documents.values()],
      checkpoints: [...this.checkpoints.values()],
    };
  }
}

/**
 * The read models of one batch of events: the projectors write here, and read here first (what the batch wrote,
 * then what this process owns), the store last; `flush` writes it all with one call per read model. Not a store
 * for anyone else: queries other than the projectors' are not answered from it.
 *
 * A flush may start while other streams of the batch are still being projected (a query of forms needs the
 * waiting ones stored first). What it is writing stays readable here until it is stored, flushes are written one
 * after the other in the order they were asked for, and once one fails every later one fails too: a checkpoint
 * must never be stored ahead of views that were not.
 */
export class ProjectedWritesBuffer implements ProjectionStore {
  private pending = new PendingWrites();
  /** Flushed but not yet known to be stored, oldest first. */
  private readonly writing: PendingWrites[] = [];
  /** The last flush asked for; settles after every earlier one. */
  private flushed: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    readonly base: ReadModelStore,
    private readonly owned: OwnedReadModels,
  ) {}

  /** What the batch wrote under a key, the newest first: waiting, then being written. */
  private written<T>(pick: (writes: PendingWrites) => T | undefined): T | undefined {
    const waiting = pick(this.pending);
    if (waiting !== undefined) return waiting;
    for (let index = this.writing.length - 1; index >= 0; index -= 1) {
      const found = pick(this.writing[index]!);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async getCheckpoint(projection: string, streamId: string): Promise<number> {
    const written = this.written((w) => w.checkpoints.get(checkpointKeyOf(projection, streamId)));
    if (written) return written.version;
    const owned = this.owned.checkpoint(projection, streamId);
    if (owned !== undefined) return owned;
    const stored = await this.base.getCheckpoint(projection, streamId);
    this.owned.learnCheckpoint(projection, streamId, stored);
    return stored;
  }

  setCheckpoint(projection: string, streamId: string, version: number): Promise<void> {
    this.pending.checkpoints.set(checkpointKeyOf(projection, streamId), { projection, streamId, version });
    return Promise.resolve();
  }

  async getDocument(documentId: string): Promise<DocumentView | null> {
    const written = this.written((w) => w.documents.get(documentId));
    if (written) return written;
    const owned = this.owned.document(documentId);
    if (owned !== undefined) return owned;
    const stored = await this.base.getDocument(documentId);
    this.owned.learnDocument(documentId, stored);
    return stored;
  }

  putDocument(document: DocumentView): Promise<void> {
    this.pending.documents.set(document.documentId, document);
    return Promise.resolve();
  }

  putObservation(observation: ObservationView): Promise<void> {
    this.pending.observations.set(
      versionKeyOf(observation.documentId, observation.streamVersion),
      observation,
    );
    return Promise.resolve();
  }

  putVersion(version: VersionView): Promise<void> {
    this.pending.versions.set(versionKeyOf(version.documentId, version.version), version);
    return Promise.resolve();
  }

  async getVersion(documentId: string, version: number): Promise<VersionView | null> {
    return (
      this.written((w) => w.versions.get(versionKeyOf(documentId, version))) ??
      (await this.base.getVersion(documentId, version))
    );
  }

  putTimelineEntry(entry: TimelineEntry): Promise<void> {
    this.pending.timeline.set(entry.entryId, entry);
    return Promise.resolve();
  }

  async getTimelineEntry(entryId: string): Promise<TimelineEntry | null> {
    return this.written((w) => w.timeline.get(entryId)) ?? (await this.base.getTimelineEntry(entryId));
  }

  putGovernanceGeneration(generation: GovernanceGeneration): Promise<void> {
    // Written once per process: only a store that was replaced (forgetAll) needs it again.
    if (!this.owned.hasGeneration(generation.generation))
      this.pending.generations.set(generation.generation, generation);
    return Promise.resolve();
  }

  putGovernanceChanges(forms: readonly ProvisionFormView[], entry: GovernanceEntry): Promise<void> {
    for (const form of forms) this.pending.forms.set(form.formId, form);
    this.pending.governanceEntries.set(governanceEntryKeyOf(entry.generation, entry.entryId), entry);
    return Promise.resolve();
  }

  async getGovernanceEntry(generation: string, entryId: string): Promise<GovernanceEntry | null> {
    return (
      this.written((w) => w.governanceEntries.get(governanceEntryKeyOf(generation, entryId))) ??
      (await this.base.getGovernanceEntry(generation, entryId))
    );
  }

  async queryProvisionForms(query: ProvisionFormQuery): Promise<ProvisionFormView[]> {
    // A query cannot be answered by the store alone while forms it may match wait here or are being written (rare:
    // a document's forms are read on its first version in this process and after a retraction): they are stored
    // first.
    const matches = (form: ProvisionFormView) =>
      form.generation === query.generation &&
      (query.documentId === undefined || form.documentId === query.documentId);
    const waiting = [this.pending, ...this.writing].some((writes) =>
      [...writes.forms.values()].some(matches),
    );
    if (waiting) await this.flush();
    return this.base.queryProvisionForms(query);
  }

  /**
   * A revised timeline (ADR 0024) removes what it no longer numbers: what waits here is written first, so that
   * the removal also covers it, then the store removes.
   */
  async removeVersionsAbove(documentId: string, version: number): Promise<void> {
    await this.flush();
    await this.base.removeVersionsAbove(documentId, version);
  }

  async removeGovernanceOf(generation: string, documentId: string): Promise<void> {
    await this.flush();
    await this.base.removeGovernanceOf(generation, documentId);
  }

  /**
   * Writes what the batch has produced so far, after every earlier flush; what this process owns learns it once
   * it is stored. Settles when everything flushed until now is stored (or failed).
   */
  flush(): Promise<void> {
    const pending = this.pending;
    this.pending = new PendingWrites();
    if (pending.empty) return this.flushed;
    this.writing.push(pending);
    const earlier = this.flushed;
    this.flushed = (async () => {
      try {
        await earlier.catch(() => undefined);
        // The first failure as it was thrown (a store's error keeps its code), for this flush and every later one.
        if (this.failure !== null) throw this.failure.error as Error;
        await this.base.applyWrites(pending.toWrites());
      } catch (error) {
        this.failure ??= { error };
        // Some of it may be stored, some not: the streams it touched are read from the store next time.
        for (const { streamId } of pending.checkpoints.values()) this.owned.forget(streamId);
        for (const documentId of pending.documents.keys()) this.owned.forget(streamIdOf(documentId));
        throw error;
      } finally {
        this.writing.splice(this.writing.indexOf(pending), 1);
      }
      for (const { projection, streamId, version } of pending.checkpoints.values())
        this.owned.learnCheckpoint(projection, streamId, version);
      for (const document of pending.documents.values())
        this.owned.learnDocument(document.documentId, document);
      for (const generation of pending.generations.keys()) this.owned.learnGeneration(generation);
    })();
    return this.flushed;
  }

  /** Settles once nothing flushed is still being written, whatever came of it. */
  idle(): Promise<void> {
    return this.flushed.catch(() => undefined);
  }
}

/** The store whose data a projector's in-process caches describe: a buffer's store, not the buffer. */
export const storeBehind = (store: ProjectionStore): object =>
  store instanceof ProjectedWritesBuffer ? store.base : store;
