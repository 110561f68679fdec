import type { EventStore, StoredEvent } from '@termline/eventstore';
import { eventsAfter, knownEventsAfter } from './stream-tail.reader';

const anEvent = (streamVersion: number, type = 'FetchRecorded'): StoredEvent => ({
  eventId: `c${streamVersion}:0`,
  type,
  schemaVersion: 1,
  data: {},
  metadata: { correlationId: 'c', causationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
  streamId: 'document:a',
  streamVersion,
  commitId: `c${streamVersion}`,
});

const versions = (events: StoredEvent[] | null) => events?.map((event) => event.streamVersion) ?? null;

describe('knownEventsAfter', () => {
  it('takes the events right after the checkpoint, in order, without repeats', () => {
    const known = [anEvent(5), anEvent(3), anEvent(4), anEvent(4), anEvent(2)];
    expect(versions(knownEventsAfter(known, 2))).toEqual([3, 4, 5]);
  });

  it('refuses a tail with a gap: the store has events the messages did not bring', () => {
    expect(knownEventsAfter([anEvent(4), anEvent(5)], 2)).toBeNull();
    expect(knownEventsAfter([anEvent(3), anEvent(5)], 2)).toBeNull();
  });

  it('answers nothing new when every event is at or below the checkpoint', () => {
    expect(knownEventsAfter([anEvent(1), anEvent(2)], 2)).toEqual([]);
  });

  it('refuses a run cut after a VersionRecorded when whole commits are needed', () => {
    const cut = [anEvent(3), anEvent(4, 'VersionRecorded')];
    expect(knownEventsAfter(cut, 2, { wholeCommits: true })).toBeNull();
    expect(versions(knownEventsAfter(cut, 2))).toEqual([3, 4]);
    const whole = [...cut, anEvent(5, 'ProvisionsAligned')];
    expect(versions(knownEventsAfter(whole, 2, { wholeCommits: true }))).toEqual([3, 4, 5]);
  });

  it('with an upper bound, needs every event up to it', () => {
    const known = [anEvent(3), anEvent(4), anEvent(5)];
    expect(versions(knownEventsAfter(known, 2, { upTo: 4 }))).toEqual([3, 4]);
    expect(knownEventsAfter(known, 2, { upTo: 6 })).toBeNull();
    expect(knownEventsAfter([], 2, { upTo: 3 })).toBeNull();
    expect(knownEventsAfter([], 3, { upTo: 3 })).toEqual([]);
  });
});

describe('eventsAfter', () => {
  const storeWith = (stored: StoredEvent[]) => {
    const reads: number[] = [];
    const eventStore = {
      readStream: (_streamId: string, after = 0) => {
        reads.push(after);
        return Promise.resolve(stored.filter((event) => event.streamVersion > after));
      },
    } as unknown as EventStore;
    return { eventStore, reads };
  };

  it('does not read the store when the messages are the whole tail', async () => {
    const { eventStore, reads } = storeWith([anEvent(1), anEvent(2), anEvent(3)]);
    expect(versions(await eventsAfter(eventStore, 'document:a', 1, [anEvent(2), anEvent(3)]))).toEqual([
      2, 3,
    ]);
    expect(reads).toEqual([]);
  });

  it('reads the store after the checkpoint when the messages leave a gap, or when there are none', async () => {
    const { eventStore, reads } = storeWith([anEvent(1), anEvent(2), anEvent(3), anEvent(4)]);
    expect(versions(await eventsAfter(eventStore, 'document:a', 1, [anEvent(4)]))).toEqual([2, 3, 4]);
    expect(versions(await eventsAfter(eventStore, 'document:a', 2, undefined, { upTo: 3 }))).toEqual([3]);
    expect(reads).toEqual([1, 2]);
  });
});
