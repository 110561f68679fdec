import { Inject, Injectable } from '@nestjs/common';
import {
  documentIdOfStream,
  effectiveEvents,
  slug,
  upcastDocumentEvent,
  type DocumentEvent,
} from '@termline/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@termline/eventstore';
import { BoundedMap } from '@termline/platform';
import { provisionsOf, type ProvisionFormView, type VersionView } from '@termline/readmodels';
import { PerStreamQueue } from '../per-stream-queue';
import { storeBehind, type ProjectionStore } from '../projected-writes.buffer';
import { eventsAfter } from '../stream-tail.reader';
import { timelineEntryIdOf } from '../timeline.projection';
import { formsInForceBefore, mapVersion, retractVersion, type OpenForms } from './governance.projection';
import { PROVISION_CLASSIFIER, type ProvisionClassifier, type ProvisionInput } from './provision-classifier';

export const GOVERNANCE_PROJECTION = 'governance';

/** Every form a document ever had: what the as-of bounds of its next version are computed from. */
const ALL = 1_000_000;

/**
 * Maps the versions of one document stream into the governance read models of the classifier's generation. It
 * runs after the timeline projection of the same stream (it reads the version views that one wrote), with its
 * own checkpoint per generation: a new taxonomy or classifier version starts from the beginning of every stream
 * and writes a new generation beside the previous one, which stays queryable.
 */
@Injectable()
export class GovernanceProjector {
  private readonly queue = new PerStreamQueue();
  /** The forms in force after the last version this process mapped, per store and document. */
  private readonly inForce = new WeakMap<
    object,
    BoundedMap<string, { version: number; open: Map<string, ProvisionFormView> }>
  >();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROVISION_CLASSIFIER) private readonly classifier: ProvisionClassifier,
  ) {}

  get generation() {
    return this.classifier.generation;
  }

  get checkpointName(): string {
    return `${GOVERNANCE_PROJECTION}:${this.classifier.generation.generation}`;
  }

  /**
   * Maps the stream's events up to `upTo`, the stream version the timeline projection has applied in this store:
   * an event appended since has no version view to read yet. `known`: events the timeline projection just
   * applied, used instead of reading the stream when they are the whole tail up to `upTo`.
   */
  catchUp(
    store: ProjectionStore,
    streamId: string,
    upTo: number,
    known?: readonly StoredEvent[],
  ): Promise<{ applied: number; checkpoint: number }> {
    return this.queue.run(streamId, () => this.apply(store, streamId, upTo, known));
  }

  private async apply(
    store: ProjectionStore,
    streamId: string,
    upTo: number,
    known: readonly StoredEvent[] | undefined,
  ): Promise<{ applied: number; checkpoint: number }> {
    const checkpoint = await store.getCheckpoint(this.checkpointName, streamId);
    if (checkpoint >= upTo) return { applied: 0, checkpoint };
    const events = await eventsAfter(this.eventStore, streamId, checkpoint, known, { upTo });
    if (events.length === 0) return { applied: 0, checkpoint };
    // Written with every batch rather than remembered: a store that was cleared (a rebuild target) needs it again.
    await store.putGovernanceGeneration(this.classifier.generation);
    const documentId = documentIdOfStream(streamId);
    const generation = this.classifier.generation.generation;
    let cache = this.inForce.get(storeBehind(store));
    if (!cache)
      this.inForce.set(
        storeBehind(store),
        (cache = new BoundedMap<string, { version: number; open: Map<string, ProvisionFormView> }>(1_000)),
      );
    let mapped: DocumentEvent[] = events.map(upcastDocumentEvent);
    // A late observation revised the timeline (ADR 0024): the document is mapped again from its versions in
    // observed order, as the timeline projection has just projected them.
    if (mapped.some((event) => event.type === 'TimelineRevised')) {
      await store.removeGovernanceOf(generation, documentId);
      cache.delete(documentId);
      const whole = await this.eventStore.readStream(streamId);
      mapped = effectiveEvents(whole.filter((e) => e.streamVersion <= upTo).map(upcastDocumentEvent));
    }
    for (const event of mapped) {
      if (event.type === 'VersionRecorded') {
        const version = await store.getVersion(documentId, event.data.version);
        if (!version) throw new Error(`${streamId}: version ${event.data.version} not projected yet`);
        const remembered = cache.get(documentId);
        const before =
          remembered && remembered.version < version.version
            ? remembered.open
            : formsInForceBefore(await this.documentForms(store, documentId), version.version);
        const mapping = mapVersion(
          version,
          slug(version.service),
          before,
          await this.classifiedAhead(version, before),
        );
        await store.putGovernanceChanges(mapping.written, mapping.entry);
        cache.set(documentId, { version: version.version, open: mapping.open });
      } else if (event.type === 'VersionRetracted') {
        cache.delete(documentId);
        const entry = await store.getGovernanceEntry(
          generation,
          timelineEntryIdOf(documentId, event.data.version),
        );
        if (!entry)
          throw new Error(`${streamId}: retraction of version ${event.data.version} before its mapping`);
        const retraction = retractVersion(
          entry,
          await this.documentForms(store, documentId),
          event.data.version,
        );
        await store.putGovernanceChanges(retraction.written, retraction.entry);
      }
    }
    const last = events[events.length - 1]!.streamVersion;
    await store.setCheckpoint(this.checkpointName, streamId, last);
    return { applied: events.length, checkpoint: last };
  }

  /**
   * The classifier mapVersion is to use, with the classifications it will ask for (the provisions that are new or
   * changed since `before`) computed beforehand in one call off the event loop when the classifier can: a long
   * document's thousands of provisions otherwise held the loop for seconds. Anything not computed ahead is
   * classified as before.
   */
  private async classifiedAhead(version: VersionView, before: OpenForms): Promise<ProvisionClassifier> {
    const classifier = this.classifier;
    if (!classifier.classifyMany) return classifier;
    const inputs: ProvisionInput[] = provisionsOf(version)
      .filter((provision) => before.get(provision.id)?.textSha256 !== provision.hash)
      .map((provision) => ({
        text: provision.text,
        heading: provision.heading,
        service: version.service,
        documentType: version.documentType,
      }));
    if (inputs.length === 0) return classifier;
    const answers = await classifier.classifyMany(inputs);
    const ahead = new Map(inputs.map((input, index) => [inputKey(input), answers[index]!]));
    return {
      generation: classifier.generation,
      vocabulary: classifier.vocabulary,
      classify: (input) => ahead.get(inputKey(input)) ?? classifier.classify(input),
    };
  }

  private documentForms(store: ProjectionStore, documentId: string): Promise<ProvisionFormView[]> {
    return store.queryProvisionForms({
      generation: this.classifier.generation.generation,
      documentId,
      limit: ALL,
    });
  }
}

const inputKey = (input: ProvisionInput): string =>
  JSON.stringify([input.text, input.heading ?? null, input.service ?? null, input.documentType ?? null]);
