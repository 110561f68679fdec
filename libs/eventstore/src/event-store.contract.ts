import { commitHash, groupCommits, verifyChain } from '@termline/audit';
import { ConcurrencyError, type EventStore, type NewEvent, type StoredEvent } from './event-store.port';

/** Writes a commit the way a store did before the hash chain existed: events only, no link. */
export type WriteUnchainedCommit = (
  streamId: string,
  firstVersion: number,
  commitId: string,
  events: readonly NewEvent[],
) => Promise<void>;

export interface OpenedEventStore {
  store: EventStore;
  cleanup(): Promise<void>;
  writeUnchained: WriteUnchainedCommit;
}

/** The behaviour every event store adapter must show. Run by each adapter's int spec. */
export function eventStoreContract(name: string, open: () => Promise<OpenedEventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    let writeUnchained: WriteUnchainedCommit;

    beforeEach(async () => {
      ({ store, cleanup, writeUnchained } = await open());
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
      const result = await store.append('document:a', 0, 'commit-1', [
        event('e1'),
        event('e2', { nested: { x: [1, 2] } }),
      ]);
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
      expect(events[0]!.metadata).toEqual({
        correlationId: 'c-1',
        causationId: 'k-1',
        occurredAt: '2026-01-01T00:00:00.000Z',
      });
    });

    it('reads only the events after a given version, even inside a commit', async () => {
      await store.append('document:a', 0, 'commit-1', [event('e1'), event('e2')]);
      await store.append('document:a', 2, 'commit-2', [event('e3')]);
      expect((await store.readStream('document:a', 1)).map((e) => e.eventId)).toEqual(['e2', 'e3']);
      expect(await store.readStream('document:a', 3)).toEqual([]);
    });

    it('rejects a stale expected version with a ConcurrencyError and stores nothing', async () => {
      await store.append('document:a', 0, 'commit-1', [event('e1')]);
      await expect(store.append('document:a', 0, 'commit-2', [event('e2')])).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await expect(store.append('document:a', 5, 'commit-3', [event('e3')])).rejects.toMatchObject({
        name: 'ConcurrencyError',
        actualVersion: 1,
        expectedVersion: 5,
      });
      expect((await store.readStream('document:a')).map((e) => e.eventId)).toEqual(['e1']);
      expect(await store.readCommit('commit-2')).toBeNull();
    });

    it('reads several commits in one call, leaving out the ones not stored', async () => {
      await store.append('document:a', 0, 'commit-1', [event('e1'), event('e2')]);
      await store.append('document:b', 0, 'commit-2', [event('e3')]);
      const found = await store.readCommits(['commit-2', 'missing', 'commit-1', 'commit-2']);
      expect([...found.keys()].sort()).toEqual(['commit-1', 'commit-2']);
      expect(found.get('commit-1')?.map((e) => e.eventId)).toEqual(['e1', 'e2']);
      expect(found.get('commit-2')?.map((e) => e.streamId)).toEqual(['document:b']);
      expect((await store.readCommits([])).size).toBe(0);
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

    it('appends at a known head without reading, and answers a stale head or a redelivery after colliding', async () => {
      const first = await store.append('document:h', 0, 'h-1', [event('h1'), event('h2')], { hash: null });
      const second = await store.append('document:h', 2, 'h-2', [event('h3')], {
        hash: first.link.hash,
      });
      expect(second.link).toMatchObject({ firstVersion: 3, previousHash: first.link.hash });
      expect(await chainProblems('document:h')).toEqual([]);
      // A writer whose state is one commit behind collides on the version, whatever its events.
      await expect(
        store.append('document:h', 2, 'h-stale', [event('hs')], { hash: first.link.hash }),
      ).rejects.toMatchObject({ name: 'ConcurrencyError', expectedVersion: 2, actualVersion: 3 });
      // The same commit again, at a later head: the stored commit, nothing appended.
      const again = await store.append('document:h', 3, 'h-1', [event('h1'), event('h2')], {
        hash: second.link.hash,
      });
      expect(again).toMatchObject({ duplicate: true, link: first.link });
      expect((await store.readStream('document:h')).map((e) => e.eventId)).toEqual(['h1', 'h2', 'h3']);
      expect(await store.readCommit('h-stale')).toBeNull();
      await expect(store.append('document:h', 3, 'h-bad', [event('hb')], { hash: null })).rejects.toThrow(
        /cannot have hash/,
      );
    });

    it('appends a batch of commits of several streams in one write, each chained to the one before', async () => {
      const base = await store.append('document:p', 0, 'p-1', [event('p1')]);
      const result = await store.appendBatch([
        {
          streamId: 'document:p',
          expectedVersion: 1,
          commitId: 'p-2',
          events: [event('p2')],
          head: base.link,
        },
        {
          streamId: 'document:q',
          expectedVersion: 0,
          commitId: 'q-1',
          events: [event('q1')],
          head: { hash: null },
        },
        {
          streamId: 'document:p',
          expectedVersion: 2,
          commitId: 'p-3',
          events: [event('p3'), event('p4')],
          head: base.link,
        },
      ]);
      expect(result.failedAt).toBeNull();
      expect(result.appended.map((r) => [r.commitId, r.link.firstVersion, r.duplicate])).toEqual([
        ['p-2', 2, false],
        ['q-1', 1, false],
        ['p-3', 3, false],
      ]);
      expect(result.appended[2]!.link.previousHash).toBe(result.appended[0]!.link.hash);
      expect(await store.readChain('document:p')).toEqual([
        base.link,
        result.appended[0]!.link,
        result.appended[2]!.link,
      ]);
      expect(await chainProblems('document:p')).toEqual([]);
      expect(await chainProblems('document:q')).toEqual([]);
      expect(await store.appendBatch([])).toEqual({ appended: [], failedAt: null });
    });

    it('stops a batch at the first commit that collides, storing the ones before and none after', async () => {
      const p1 = await store.append('document:p', 0, 'p-1', [event('p1')]);
      const q1 = await store.append('document:q', 0, 'q-1', [event('q1')]);
      const result = await store.appendBatch([
        {
          streamId: 'document:r',
          expectedVersion: 0,
          commitId: 'r-1',
          events: [event('r1')],
          head: { hash: null },
        },
        // Stale: document:q is at version 1 already.
        {
          streamId: 'document:q',
          expectedVersion: 0,
          commitId: 'q-other',
          events: [event('qx')],
          head: { hash: null },
        },
        { streamId: 'document:p', expectedVersion: 1, commitId: 'p-2', events: [event('p2')], head: p1.link },
      ]);
      expect(result.failedAt).toBe(1);
      expect(result.appended.map((r) => r.commitId)).toEqual(['r-1']);
      expect(await store.readCommit('q-other')).toBeNull();
      expect(await store.readCommit('p-2')).toBeNull();
      expect(await store.readChain('document:q')).toEqual([q1.link]);
      // A redelivered batch collides at its first commit: nothing stored twice.
      const redelivered = await store.appendBatch([
        {
          streamId: 'document:r',
          expectedVersion: 0,
          commitId: 'r-1',
          events: [event('r1')],
          head: { hash: null },
        },
      ]);
      expect(redelivered).toEqual({ appended: [], failedAt: 0 });
      expect(await store.readStream('document:r')).toHaveLength(1);
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
      await expect(store.append('document:a', 0, 'c', [event('x'), event('x')])).rejects.toThrow(
        /Duplicate event ids/,
      );
      expect(await store.readStream('document:a')).toEqual([]);
    });

    it('stores large events (a 1 MB text) intact', async () => {
      const text = 'provision '.repeat(100_000) + 'é€𝄞';
      await store.append('document:big', 0, 'big-1', [event('big', { text })]);
      const [stored] = await store.readStream('document:big');
      expect((stored!.data as { text: string }).text).toBe(text);
    });

    const chainProblems = async (streamId: string) => {
      const events = await store.readStream(streamId);
      const byCommit = new Map(groupCommits(events).map((commit) => [commit.commitId, commit.events]));
      return verifyChain(streamId, await store.readChain(streamId), byCommit, { hash: null, lastVersion: 0 });
    };

    it('hash-chains each commit to its events and to the commit before it', async () => {
      const first = await store.append('document:a', 0, 'commit-1', [
        event('e1'),
        event('e2', { text: 'é€𝄞', n: 1.5 }),
      ]);
      const second = await store.append('document:a', 2, 'commit-2', [event('e3')]);
      await store.append('document:b', 0, 'b-1', [event('b1')]);
      expect(first.link).toMatchObject({
        streamId: 'document:a',
        commitId: 'commit-1',
        firstVersion: 1,
        lastVersion: 2,
        previousHash: null,
      });
      expect(second.link).toMatchObject({ firstVersion: 3, lastVersion: 3, previousHash: first.link.hash });
      expect(first.link.hash).toMatch(/^[0-9a-f]{64}$/);
      const stored = await store.readStream('document:a');
      expect(first.link.hash).toBe(
        commitHash({
          streamId: 'document:a',
          commitId: 'commit-1',
          firstVersion: 1,
          previousHash: null,
          events: stored.slice(0, 2),
        }),
      );
      expect(await store.readChain('document:a')).toEqual([first.link, second.link]);
      expect(await store.chainHead('document:a')).toEqual(second.link);
      expect(await store.chainHead('document:none')).toBeNull();
      expect(await chainProblems('document:a')).toEqual([]);
      expect((await store.append('document:a', 0, 'commit-1', [event('e1'), event('e2')])).link).toEqual(
        first.link,
      );
    });

    it('gives the same content the same hash whatever the key order, and other content another', async () => {
      await store.append('document:x', 0, 'same', [event('x1', { a: 1, b: [true, null] })]);
      await store.append('document:y', 0, 'same-y', [event('y1', { b: [true, null], a: 1 })]);
      const [x] = await store.readChain('document:x');
      const [y] = await store.readChain('document:y');
      const recompute = (events: StoredEvent[]) =>
        commitHash({
          streamId: 'document:x',
          commitId: 'same',
          firstVersion: 1,
          previousHash: null,
          events: events.map((e) => ({ ...e, eventId: 'x1' })),
        });
      expect(recompute(await store.readStream('document:y'))).toBe(x!.hash);
      expect(y!.hash).not.toBe(x!.hash);
    });

    it('links commits stored before the chain existed, once, leaving their events as they were', async () => {
      await writeUnchained('document:old', 1, 'old-1', [event('o1', { text: 'first' })]);
      await writeUnchained('document:old', 2, 'old-2', [
        event('o2'),
        event('o3', { undefinedLeftOut: undefined, kept: 0 }),
      ]);
      const before = await store.readStream('document:old');
      expect(await store.upgradeChains()).toEqual({ streams: 1, commits: 2 });
      expect(await store.upgradeChains()).toEqual({ streams: 0, commits: 0 });
      expect(await store.readStream('document:old')).toEqual(before);
      expect(await chainProblems('document:old')).toEqual([]);
      const next = await store.append('document:old', 3, 'new-1', [event('n1')]);
      expect(next.link.previousHash).toBe((await store.readChain('document:old'))[1]!.hash);
    });

    it('links older commits first when appending to a stream the upgrade has not reached', async () => {
      await store.append('document:mixed', 0, 'm-1', [event('m1')]);
      await writeUnchained('document:mixed', 2, 'm-2', [event('m2')]);
      const next = await store.append('document:mixed', 2, 'm-3', [event('m3')]);
      const chain = await store.readChain('document:mixed');
      expect(chain.map((link) => link.commitId)).toEqual(['m-1', 'm-2', 'm-3']);
      expect(next.link.previousHash).toBe(chain[1]!.hash);
      expect(await chainProblems('document:mixed')).toEqual([]);
    });
  });
}
