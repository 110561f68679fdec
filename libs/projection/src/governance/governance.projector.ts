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
import {
  provisionsOf,
  type GovernanceEntry,
  type ProvisionFormView,
  type VersionView,
} from '@termline/readmodels';
import { PerStreamQueue } from '../per-stream-queue';
import { storeBehind, type ProjectionStore } from '../projected-writes.buffer';
import { eventsAfter } from '../stream-tail.reader';
import { timelineEntryIdOf } from '../timeline.projection';
import { formsInForceBefore, mapVersion, retractVersion, type OpenForms } from './governance.projection';
import { PROVISION_CLASSIFIER, type ProvisionClassifier, type ProvisionInput } from './provision-classifier';

export const GOVERNANCE_PROJECTION = 'governance';

/** Every form a document ever had: what the as-of bounds of its next version are computed from. */
const ALL = 1_000_000;

/** What this process knows of a document's mapping, so that the next version or a retraction reads nothing back. */
interface InForce {
  /** The last version mapped (or retracted) here, and the forms in force after it. */
  version: number;
  open: Map<string, ProvisionFormView>;
  /** What mapping `version` wrote: enough to retract it. Null once it was retracted. */
  mapped: { written: readonly ProvisionFormView[]; entry: GovernanceEntry } | null;
  /**
   * The stream's governance checkpoint this describes, set once a catch-up applied all its events (NaN before: a
   * catch-up that fails half-way leaves nothing trusted). A checkpoint read that differs means another member
   * mapped the stream meanwhile (its partition went away and came back) or a write failed: the store is read again.
   */
  checkpoint: number;
}

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
  private readonly inForce = new WeakMap<object, BoundedMap<string, InForce>>();

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
    if (!cache) this.inForce.set(storeBehind(store), (cache = new BoundedMap<string, InForce>(1_000)));
    if (cache.get(documentId)?.checkpoint !== checkpoint) cache.delete(documentId);
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
        cache.set(documentId, {
          version: version.version,
          open: mapping.open,
          mapped: { written: mapping.written, entry: mapping.entry },
          checkpoint: Number.NaN,
        });
      } else if (event.type === 'VersionRetracted') {
        const remembered = cache.get(documentId);
        // The version just mapped here is taken back (a flip-back, an incomplete round): what its mapping wrote is
        // what the retraction changes, and the forms it closed are the ones in force again.
        if (remembered?.mapped && remembered.version === event.data.version) {
          const retraction = retractVersion(
            remembered.mapped.entry,
            remembered.mapped.written,
            event.data.version,
          );
          await store.putGovernanceChanges(retraction.written, retraction.entry);
          cache.set(documentId, {
            version: remembered.version,
            open: formsInForceAfterRetraction(remembered.open, retraction.written),
            mapped: null,
            checkpoint: Number.NaN,
          });
          continue;
        }
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
    const kept = cache.get(documentId);
    if (kept) cache.set(documentId, { ...kept, checkpoint: last });
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

/**
 * The forms in force once a retraction's changes are applied to those in force after the retracted version: the
 * forms it opened leave, the forms it closed are back.
 */
function formsInForceAfterRetraction(
  open: ReadonlyMap<string, ProvisionFormView>,
  changed: readonly ProvisionFormView[],
): Map<string, ProvisionFormView> {
  const restored = new Map(open);
  for (const form of changed)
    if (form.retracted && restored.get(form.provisionId)?.formId === form.formId)
      restored.delete(form.provisionId);
  for (const form of changed) if (!form.retracted) restored.set(form.provisionId, form);
  return restored;
}

const inputKey = (input: ProvisionInput): string =>
  JSON.stringify([input.text, input.heading ?? null, input.service ?? null, input.documentType ?? null]);
