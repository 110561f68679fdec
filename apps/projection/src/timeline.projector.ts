import { Inject, Injectable } from '@nestjs/common';
import { upcastDocumentEvent } from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { changeStats, type ChangeStats, type ReadModelStore } from '@termline/readmodels';

import { NO_CHANGE, onFetchRecorded, onVersionRecorded } from './timeline.projection';

export const TIMELINE_PROJECTION = 'timeline';

/**
 * Brings the read models of one document stream up to date from the event store, starting after the
 * projection's checkpoint for that stream. Safe to call any number of times: events at or below the checkpoint
 * (or below a view's applied version, after a crash between writes) are not applied twice.
 */
@Injectable()
export class TimelineProjector {
  private readonly running = new Map<string, Promise<number>>();

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  /** Serialised per stream and store; returns the number of events applied. */
  catchUp(store: ReadModelStore, streamId: string): Promise<number> {
    const key = `${streamId}`;
    const previous = this.running.get(key) ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.apply(store, streamId));
    this.running.set(key, next);
    void next.finally(() => {
      if (this.running.get(key) === next) this.running.delete(key);
    }).catch(() => undefined);
    return next;
  }

  private async apply(store: ReadModelStore, streamId: string): Promise<number> {
    const checkpoint = await store.getCheckpoint(TIMELINE_PROJECTION, streamId);
    const events = await this.eventStore.readStream(streamId, checkpoint);
    for (const stored of events) {
      const event = upcastDocumentEvent(stored);
      const current = await store.getDocument(event.data.documentId);
      if (current && current.appliedVersion >= stored.streamVersion) continue;
      switch (event.type) {
        case 'FetchRecorded': {
          const { document, observation } = onFetchRecorded(current, event.data, stored.streamVersion);
          await store.putObservation(observation);
          await store.putDocument(document);
          break;
        }
        case 'VersionRecorded': {
          if (!current) throw new Error(`${streamId}: VersionRecorded before any FetchRecorded`);
          const stats = await this.statsSincePrevious(store, event.data.documentId, event.data.version, event.data.text);
          const { document, version, entry } = onVersionRecorded(current, event.data, stored.streamVersion, stats);
          await store.putVersion(version);
          await store.putTimelineEntry(entry);
          await store.putDocument(document);
          break;
        }
      }
      await store.setCheckpoint(TIMELINE_PROJECTION, streamId, stored.streamVersion);
    }
    return events.length;
  }

  private async statsSincePrevious(store: ReadModelStore, documentId: string, version: number, text: string): Promise<ChangeStats> {
    if (version === 1) return { ...NO_CHANGE, linesAdded: text.split('\n').length, wordsAdded: (text.match(/\S+/g) ?? []).length };
    const previous = await store.getVersion(documentId, version - 1);
    if (!previous) throw new Error(`${documentId}: version ${version - 1} missing from the read models`);
    return changeStats(previous.text, text);
  }
}
