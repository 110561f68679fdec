import { ConcurrencyError, type EventStore, type NewEvent } from './event-store.port';

/** The behaviour every event store adapter must show. Run by each adapter's int spec. */
export function eventStoreContract(name: string, open: () => Promise<{ store: EventStore; cleanup(): Promise<void> }>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    const event = (eventId: string, data: unknown = { n: eventId }): NewEvent => ({
      eventId,
      type: 'Something',
      schemaVersion: 1,
      data,
      metadata: { correlationId: 'c-1', causationId: 'k-1', occurredAt: '2026-01-01T00:00:00.000Z' },
    });

    it('appends a commit and reads it back in order with stream versions', async () => {
      const result = await store.append('document:a', 0, 'commit-1', [event('e1'), event('e2', { nested: { x: [1, 2] } })]);
      expect(result.duplicate).toBe(false);
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2]);
      await store.append('document:a', 2, 'commit-2', [event('e3')]);
      const events = await store.readStream('document:a');
      expect(events.map((e) => [e.eventId, e.streamVersion, e.commitId])).toEqual([
        ['e1', 1, 'commit-1'],
        ['e2', 2, 'commit-1'],
        ['e3', 3, 'commit-2'],
      ]);
      expect(events[1]!.data).toEqual({ nested: { x: [1, 2] } });
      expect(events[0]!.metadata).toEqual({ correlationId: 'c-1', causationId: 'k-1', occurredAt: '2026-01-01T00:00:00.000Z' });
    });

    it('reads only the events after a given version, even inside a commit', async () => {
      await store.append('document:a', 0, 'commit-1', [event('e1'), event('e2')]);
      await store.append('document:a', 2, 'commit-2', [event('e3')]);
      expect((await store.readStream('document:a', 1)).map((e) => e.eventId)).toEqual(['e2', 'e3']);
      expect(await store.readStream('document:a', 3)).toEqual([]);
    });

    it('rejects a stale expected version with a ConcurrencyError and stores nothing', async () => {
      await store.append('document:a', 0, 'commit-1', [event('e1')]);
      await expect(store.append('document:a', 0, 'commit-2', [event('e2')])).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.append('document:a', 5, 'commit-3', [event('e3')])).rejects.toMatchObject({
        name: 'ConcurrencyError',
        actualVersion: 1,
        expectedVersion: 5,
      });
      expect((await store.readStream('document:a')).map((e) => e.eventId)).toEqual(['e1']);
      expect(await store.readCommit('commit-2')).toBeNull();
    });

    it('lets exactly one of two racing writers at the same version win', async () => {
      await store.append('document:race', 0, 'base', [event('base')]);
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => store.append('document:race', 1, `racer-${i}`, [event(`r${i}`)])),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const rejected of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
      }
      expect(await store.readStream('document:race')).toHaveLength(2);
    });

    it('treats a re-appended commit id as a no-op returning the stored commit', async () => {
      await store.append('document:a', 0, 'commit-1', [event('e1')]);
      const again = await store.append('document:a', 0, 'commit-1', [event('e1')]);
      expect(again.duplicate).toBe(true);
      expect(again.events.map((e) => e.eventId)).toEqual(['e1']);
      const later = await store.append('document:a', 1, 'commit-2', [event('e2')]);
      const replayAfterMore = await store.append('document:a', 0, 'commit-1', [event('e1')]);
      expect(later.duplicate).toBe(false);
      expect(replayAfterMore.duplicate).toBe(true);
      expect(await store.readStream('document:a')).toHaveLength(2);
    });

    it('keeps streams apart and lists their ids', async () => {
      await store.append('document:b', 0, 'b-1', [event('b1')]);
      await store.append('document:a', 0, 'a-1', [event('a1')]);
      expect(await store.streamIds()).toEqual(['document:a', 'document:b']);
      expect((await store.readStream('document:b')).map((e) => e.eventId)).toEqual(['b1']);
      expect((await store.readCommit('a-1'))?.map((e) => e.streamId)).toEqual(['document:a']);
    });

    it('refuses an empty append and duplicate event ids within one', async () => {
      await expect(store.append('document:a', 0, 'c', [])).rejects.toThrow(/Empty append/);
      await expect(store.append('document:a', 0, 'c', [event('x'), event('x')])).rejects.toThrow(/Duplicate event ids/);
      expect(await store.readStream('document:a')).toEqual([]);
    });

    it('stores large events (a 1 MB text) intact', async () => {
      const text = 'provision '.repeat(100_000) + 'é€𝄞';
      await store.append('document:big', 0, 'big-1', [event('big', { text })]);
      const [stored] = await store.readStream('document:big');
      expect((stored!.data as { text: string }).text).toBe(text);
    });
  });
}
