import { Inject, Injectable } from '@nestjs/common';
import { documentIdOfStream, upcastDocumentEvent } from '@termline/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@termline/eventstore';
import { BoundedMap } from '@termline/platform';
import { compareVersions, type VersionView } from '@termline/readmodels';
import type { VersionDiff } from '@termline/text';

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

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

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
    let current = await store.getDocument(documentIdOfStream(streamId));
    const upcast = events.map(upcastDocumentEvent);
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
          const diff = await this.diffWithPrevious(
            store,
            event.data.documentId,
            event.data.previousVersion,
            event.data.text,
          );
          // Its provisions follow in the same commit (a commit is appended and read whole).
          const next = upcast[index + 1];
          const aligned =
            next?.type === 'ProvisionsAligned' && next.data.version === event.data.version ? next.data : null;
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

  private async diffWithPrevious(
    store: ProjectionStore,
    documentId: string,
    previousVersion: number | null,
    text: string,
  ): Promise<VersionDiff> {
    if (previousVersion === null) return compareVersions(null, text);
    const remembered = this.latest.get(storeBehind(store))?.get(documentId);
    const previous =
      remembered?.version === previousVersion
        ? remembered
        : await store.getVersion(documentId, previousVersion);
    if (!previous) throw new Error(`${documentId}: version ${previousVersion} missing from the read models`);
    return compareVersions(previous, text);
  }
}
