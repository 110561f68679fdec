import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  documentIdOfStream,
  effectiveEvents,
  upcastDocumentEvent,
  type DocumentEvent,
  type ProvisionsAligned,
} from '@termline/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@termline/eventstore';
import { BoundedMap, TEXT_WORK, TextWork } from '@termline/platform';
import {
  compareVersions,
  type DocumentView,
  type ObservationView,
  type TimelineEntry,
  type VersionView,
} from '@termline/readmodels';
import type { RecordedAlignment, VersionDiff } from '@termline/text';

import { PerStreamQueue } from './per-stream-queue';
import { storeBehind, type ProjectionStore } from './projected-writes.buffer';
import { eventsAfter } from './stream-tail.reader';
import {
  onFetchRecorded,
  onVersionRecorded,
  onVersionRetracted,
  timelineEntryIdOf,
} from './timeline.projection';

export const TIMELINE_PROJECTION = 'timeline';

export interface CatchUpResult {
  applied: number;
  checkpoint: number;
  /** The events applied (none when there was nothing new). */
  events: StoredEvent[];
}

/**
 * Brings the read models of one document stream up to date from the event store, starting after the
 * projection's checkpoint for that stream. Safe to call any number of times: events at or below the checkpoint
 * (or below a view's applied version, after a crash between writes) are not applied twice.
 */
@Injectable()
export class TimelineProjector {
  private readonly queue = new PerStreamQueue();
  /**
   * The last version projected per document, per store: the next version is compared with it, so its text is
   * not read back. Only ever what this process itself wrote; any other case reads the store.
   */
  private readonly latest = new WeakMap<object, BoundedMap<string, VersionView>>();

  private rememberLatest(store: ProjectionStore, version: VersionView): void {
    let versions = this.latest.get(storeBehind(store));
    if (!versions)
      this.latest.set(storeBehind(store), (versions = new BoundedMap<string, VersionView>(1_000)));
    versions.set(version.documentId, version);
  }

  private readonly textWork: TextWork;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    // The diff of a long document takes long: off the event loop when the process has text workers.
    @Optional() @Inject(TEXT_WORK) textWork?: TextWork,
  ) {
    this.textWork = textWork ?? TextWork.inThread();
  }

  /**
   * Serialised per stream; returns how many events were read, the stream version now applied and the events.
   * `known`: the stream's events as messages brought them; used instead of reading the stream when they are its
   * whole tail after the checkpoint.
   */
  catchUp(store: ProjectionStore, streamId: string, known?: readonly StoredEvent[]): Promise<CatchUpResult> {
    return this.queue.run(streamId, () => this.apply(store, streamId, known));
  }

  /**
   * Append-only views (observations, versions, timeline entries) are written as each event is applied; the
   * document view and the checkpoint once, after the last event. A crash in between re-applies the events, which
   * rewrites the same views under the same keys, so the result does not depend on where it stopped.
   */
  private async apply(
    store: ProjectionStore,
    streamId: string,
    known: readonly StoredEvent[] | undefined,
  ): Promise<CatchUpResult> {
    const checkpoint = await store.getCheckpoint(TIMELINE_PROJECTION, streamId);
    const events = await eventsAfter(this.eventStore, streamId, checkpoint, known, { wholeCommits: true });
    if (events.length === 0) return { applied: 0, checkpoint, events };
    const upcast = events.map(upcastDocumentEvent);
    // A late observation changed the decisions of those after it: the document is projected again, whole.
    if (upcast.some((event) => event.type === 'TimelineRevised'))
      return this.reproject(store, streamId, events);
    let current = await store.getDocument(documentIdOfStream(streamId));
    for (const [index, stored] of events.entries()) {
      const event = upcast[index]!;
      if (current && current.appliedVersion >= stored.streamVersion) continue;
      switch (event.type) {
        case 'FetchRecorded': {
          const { document, observation } = onFetchRecorded(current, event.data, stored.streamVersion);
          await store.putObservation(observation);
          current = document;
          break;
        }
        case 'VersionRecorded': {
          if (!current) throw new Error(`${streamId}: VersionRecorded before any FetchRecorded`);
          // Its provisions follow in the same commit (a commit is appended and read whole).
          const next = upcast[index + 1];
          const aligned =
            next?.type === 'ProvisionsAligned' && next.data.version === event.data.version ? next.data : null;
          const diff = await this.diffWithPrevious(
            store,
            event.data.documentId,
            event.data.previousVersion,
            event.data.previousTextSha256,
            event.data.text,
            recordedAgainst(aligned, event.data.previousVersion),
          );
          const { document, version, entry } = onVersionRecorded(
            current,
            event.data,
            stored.streamVersion,
            diff,
            aligned,
          );
          await store.putVersion(version);
          await store.putTimelineEntry(entry);
          this.rememberLatest(store, version);
          current = document;
          break;
        }
        // Applied with the VersionRecorded it follows.
        case 'ProvisionsAligned':
          break;
        // Handled above, before any event of the batch is applied.
        case 'TimelineRevised':
          break;
        case 'VersionRetracted': {
          if (!current) throw new Error(`${streamId}: VersionRetracted before any FetchRecorded`);
          const { documentId } = event.data;
          const restoredVersion = event.data.restoredVersion;
          const [retracted, restored, entry] = await Promise.all([
            store.getVersion(documentId, event.data.version),
            restoredVersion === null ? null : store.getVersion(documentId, restoredVersion),
            store.getTimelineEntry(timelineEntryIdOf(documentId, event.data.version)),
          ]);
          if (!retracted || !entry || (restoredVersion !== null && !restored)) {
            throw new Error(
              `${streamId}: retraction of version ${event.data.version} before the version itself`,
            );
          }
          const views = onVersionRetracted(
            current,
            retracted,
            restored,
            entry,
            event.data,
            stored.streamVersion,
          );
          await store.putVersion(views.version);
          await store.putTimelineEntry(views.entry);
          current = views.document;
          break;
        }
      }
    }
    const last = events[events.length - 1]!.streamVersion;
    if (current) await store.putDocument(current);
    await store.setCheckpoint(TIMELINE_PROJECTION, streamId, last);
    return { applied: events.length, checkpoint: last, events };
  }

  /**
   * The document's views from its whole stream read in observed order (ADR 0024), as the projection of the same
   * observations arriving in order gives them: the same pure functions over the same decisions. Observations keep
   * their arrival position (what pages them); versions the revision no longer numbers are removed. The cost is a
   * read of the stream and a diff per version, paid only when an observation arrived late.
   */
  private async reproject(
    store: ProjectionStore,
    streamId: string,
    events: readonly StoredEvent[],
  ): Promise<CatchUpResult> {
    const stored = await this.eventStore.readStream(streamId);
    const positions = new Map<string, number>();
    for (const event of stored) {
      const fetchId = event.type === 'FetchRecorded' ? (event.data as { fetchId: string }).fetchId : null;
      if (fetchId !== null && !positions.has(fetchId)) positions.set(fetchId, event.streamVersion);
    }
    const decided = effectiveEvents(stored.map(upcastDocumentEvent));
    const views = projectInMemory(streamId, decided, positions);
    const last = stored[stored.length - 1]!.streamVersion;
    const documentId = documentIdOfStream(streamId);
    for (const observation of views.observations) await store.putObservation(observation);
    for (const version of views.versions.values()) await store.putVersion(version);
    for (const entry of views.entries.values()) await store.putTimelineEntry(entry);
    await store.removeVersionsAbove(documentId, Math.max(0, ...views.versions.keys()));
    const latest = [...views.versions.values()].pop();
    if (latest) this.rememberLatest(store, latest);
    if (views.document) await store.putDocument({ ...views.document, appliedVersion: last });
    await store.setCheckpoint(TIMELINE_PROJECTION, streamId, last);
    return { applied: stored.length, checkpoint: last, events: [...events] };
  }

  private async diffWithPrevious(
    store: ProjectionStore,
    documentId: string,
    previousVersion: number | null,
    previousTextSha256: string | null,
    text: string,
    recorded: RecordedAlignment | null,
  ): Promise<VersionDiff> {
    if (previousVersion === null) return this.textWork.compare(null, text, recorded);
    const remembered = this.latest.get(storeBehind(store))?.get(documentId);
    // The number and the text: after a late fetch revised the timeline on another member, a number this member
    // remembers may name another version now.
    const previous =
      remembered?.version === previousVersion && remembered.textSha256 === previousTextSha256
        ? remembered
        : await store.getVersion(documentId, previousVersion);
    if (!previous) throw new Error(`${documentId}: version ${previousVersion} missing from the read models`);
    return this.textWork.compare(previous, text, recorded);
  }
}

/**
 * The recorded alignment of a version, when it was made against the version the diff compares it with (always, in
 * a stream the versioning service wrote): the diff then reuses it instead of aligning the provisions again.
 */
function recordedAgainst(
  aligned: ProvisionsAligned['data'] | null,
  previousVersion: number | null,
): RecordedAlignment | null {
  return aligned !== null && aligned.previousVersion === previousVersion ? aligned : null;
}

/** The timeline views of decisions in observed order, computed without the store. */
function projectInMemory(
  streamId: string,
  decided: readonly DocumentEvent[],
  positions: ReadonlyMap<string, number>,
): {
  document: DocumentView | null;
  observations: ObservationView[];
  versions: Map<number, VersionView>;
  entries: Map<number, TimelineEntry>;
} {
  let document: DocumentView | null = null;
  const observations: ObservationView[] = [];
  const versions = new Map<number, VersionView>();
  const entries = new Map<number, TimelineEntry>();
  let position = 0;
  for (const [index, event] of decided.entries()) {
    switch (event.type) {
      case 'FetchRecorded': {
        position = positions.get(event.data.fetchId) ?? position;
        const views = onFetchRecorded(document, event.data, position);
        observations.push(views.observation);
        document = views.document;
        break;
      }
      case 'VersionRecorded': {
        if (!document) throw new Error(`${streamId}: VersionRecorded before any FetchRecorded`);
        const { previousVersion, text } = event.data;
        const previous = previousVersion === null ? null : versions.get(previousVersion);
        if (previous === undefined)
          throw new Error(`${streamId}: version ${previousVersion} missing from the revised timeline`);
        const next = decided[index + 1];
        const aligned =
          next?.type === 'ProvisionsAligned' && next.data.version === event.data.version ? next.data : null;
        const views = onVersionRecorded(
          document,
          event.data,
          position,
          compareVersions(previous, text, {
            recorded: recordedAgainst(aligned, previousVersion),
            withPatch: false,
          }),
          aligned,
        );
        versions.set(views.version.version, views.version);
        entries.set(views.entry.version, views.entry);
        document = views.document;
        break;
      }
      case 'VersionRetracted': {
        const { version, restoredVersion } = event.data;
        const retracted = versions.get(version);
        const entry = entries.get(version);
        const restored = restoredVersion === null ? null : (versions.get(restoredVersion) ?? null);
        if (!document || !retracted || !entry || (restoredVersion !== null && !restored))
          throw new Error(`${streamId}: retraction of version ${version} before the version itself`);
        const views = onVersionRetracted(document, retracted, restored, entry, event.data, position);
        versions.set(version, views.version);
        entries.set(version, views.entry);
        document = views.document;
        break;
      }
      case 'ProvisionsAligned':
      case 'TimelineRevised':
        break;
    }
  }
  return { document, observations, versions, entries };
}
