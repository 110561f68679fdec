import type { QuarantineRecord, QuarantineStore } from './quarantine-store.port';

type Parked = Omit<QuarantineRecord, 'status' | 'replayedAt' | 'replays'>;

const parked = (id: string, overrides: Partial<Parked> = {}): Parked => ({
  id,
  kind: 'FetchQuarantined',
  groupId: 'versioning.record-fetch',
  topic: 'fetcher.fetches.v1',
  partition: 0,
  offset: '7',
  key: 'example__terms-of-service',
  value: '{"fetchId":"f-1"}',
  headers: { 'x-correlation-id': 'c-1' },
  fetchId: 'f-1',
  documentId: 'example__terms-of-service',
  error: { name: 'RangeError', message: 'Maximum call stack size exceeded' },
  attempts: 3,
  firstFailedAt: '2026-03-01T10:00:00.000Z',
  quarantinedAt: '2026-03-01T10:00:01.000Z',
  ...overrides,
});

/** The behaviour every quarantine store adapter must show. Run by each adapter's int spec. */
export function quarantineStoreContract(
  name: string,
  open: () => Promise<{ store: QuarantineStore; cleanup(): Promise<void> }>,
): void {
  describe(`QuarantineStore contract: ${name}`, () => {
    let store: QuarantineStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('keeps a parked message whole, with its error, and finds it by id and by fetch id', async () => {
      await store.park(parked('q-1'));

      expect(await store.get('q-1')).toEqual({
        ...parked('q-1'),
        status: 'parked',
        replayedAt: null,
        replays: 0,
      });
      expect(await store.findByFetchId('f-1')).toMatchObject({ id: 'q-1', status: 'parked', valueBytes: 17 });
      expect(await store.findByFetchId('f-2')).toBeNull();
      expect(await store.get('q-2')).toBeNull();
    });

    it('keeps a value larger than a MongoDB document (20 MB)', async () => {
      const value = 'x'.repeat(20 * 1024 * 1024);
      await store.park(parked('q-big', { value }));
      const record = await store.get('q-big');
      expect(record?.value.length).toBe(value.length);
      expect(record?.value === value).toBe(true);
    }, 60_000);

    it('lists newest first, filtered by status and kind, and counts what is parked', async () => {
      await store.park(parked('q-1'));
      await store.park(
        parked('q-2', { kind: 'ProjectionFailed', fetchId: null, quarantinedAt: '2026-03-01T11:00:00.000Z' }),
      );
      await store.park(parked('q-3', { quarantinedAt: '2026-03-01T12:00:00.000Z' }));
      await store.markReplayed('q-3', '2026-03-01T13:00:00.000Z');

      expect((await store.list({ limit: 10 })).map((r) => r.id)).toEqual(['q-3', 'q-2', 'q-1']);
      expect((await store.list({ status: 'parked', limit: 10 })).map((r) => r.id)).toEqual(['q-2', 'q-1']);
      expect((await store.list({ kind: 'ProjectionFailed', limit: 10 })).map((r) => r.id)).toEqual(['q-2']);
      expect((await store.list({ limit: 1 })).map((r) => r.id)).toEqual(['q-3']);
      // Page after page, newest first: each page starts after the last record of the one before.
      const [newest] = await store.list({ limit: 1 });
      const rest = await store.list({
        before: { quarantinedAt: newest!.quarantinedAt, id: newest!.id },
        limit: 10,
      });
      expect(rest.map((r) => r.id)).toEqual(['q-2', 'q-1']);
      expect(
        (
          await store.list({
            status: 'parked',
            before: { quarantinedAt: rest[0]!.quarantinedAt, id: 'q-2' },
            limit: 10,
          })
        ).map((r) => r.id),
      ).toEqual(['q-1']);
      expect(await store.countParked()).toEqual({ FetchQuarantined: 1, ProjectionFailed: 1 });
    });

    it('pages records parked at the same instant by id, none skipped and none twice', async () => {
      const at = '2026-03-05T00:00:00.000Z';
      for (const id of ['t-b', 't-d', 't-a', 't-c']) await store.park(parked(id, { quarantinedAt: at }));
      const seen: string[] = [];
      let before: { quarantinedAt: string; id: string } | undefined;
      for (;;) {
        const page = await store.list({ ...(before ? { before } : {}), limit: 3 });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.id));
        const last = page[page.length - 1]!;
        before = { quarantinedAt: last.quarantinedAt, id: last.id };
      }
      expect(seen).toEqual(['t-d', 't-c', 't-b', 't-a']);
    });

    it('marks a replay, and parks the same message again under the same id if the replay fails', async () => {
      await store.park(parked('q-1'));
      await store.markReplayed('q-1', '2026-03-02T00:00:00.000Z');
      expect(await store.get('q-1')).toMatchObject({
        status: 'replayed',
        replayedAt: '2026-03-02T00:00:00.000Z',
        replays: 1,
      });

      await store.park(parked('q-1', { quarantinedAt: '2026-03-02T00:00:05.000Z' }));
      expect(await store.get('q-1')).toMatchObject({ status: 'parked', replayedAt: null, replays: 1 });
      expect(await store.list({ limit: 10 })).toHaveLength(1);
    });
  });
}
