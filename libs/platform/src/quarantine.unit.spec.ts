import type { QuarantineRecord, QuarantineStore } from '@termline/eventstore';
import type { IncomingMessage, ParkedMessage } from '@termline/messaging';
import { parkInto, quarantineIdOf } from './quarantine';

type Parked = Omit<QuarantineRecord, 'status' | 'replayedAt' | 'replays'>;

/** Only `park` is used by the hook; the rest of the store is not reached. */
function recordingStore(): { store: QuarantineStore; parked: Parked[] } {
  const parked: Parked[] = [];
  const store = {
    park: (record: Parked) => {
      parked.push(record);
      return Promise.resolve();
    },
  } as unknown as QuarantineStore;
  return { store, parked };
}

const message = (value: string, offset = '12'): IncomingMessage => ({
  topic: 'fetcher.fetches.v1',
  partition: 1,
  offset,
  key: 'acme__terms-of-service',
  value,
  headers: { 'x-correlation-id': 'c-1' },
});

const parkedOf = (incoming: IncomingMessage): ParkedMessage => ({
  message: incoming,
  groupId: 'versioning.record-fetch',
  error: { name: 'RangeError', message: 'Maximum call stack size exceeded' },
  attempts: 3,
  firstFailedAt: new Date('2026-03-01T10:00:00.000Z'),
  parkedAt: new Date('2026-03-01T10:00:00.300Z'),
});

describe('quarantineIdOf', () => {
  it('is stable per group and subject, differs otherwise, and is safe in a URL path', () => {
    const id = quarantineIdOf('FetchQuarantined', 'versioning.record-fetch', 'f-1');
    expect(id).toMatch(/^fetch-[0-9a-f]{24}$/);
    expect(quarantineIdOf('FetchQuarantined', 'versioning.record-fetch', 'f-1')).toBe(id);
    expect(quarantineIdOf('FetchQuarantined', 'versioning.record-fetch', 'f-2')).not.toBe(id);
    expect(quarantineIdOf('FetchQuarantined', 'other.group', 'f-1')).not.toBe(id);
    expect(quarantineIdOf('ProjectionFailed', 'projection.timeline', 'document:a')).toMatch(/^projection-/);
  });
});

describe('parkInto', () => {
  it('records the whole message, its error and its subject, under the id of the subject', async () => {
    const { store, parked } = recordingStore();
    const park = parkInto(store, 'FetchQuarantined', () => ({
      subject: 'f-1',
      fetchId: 'f-1',
      documentId: 'acme__terms-of-service',
    }));

    await park(parkedOf(message('{"fetchId":"f-1"}')));

    expect(parked).toEqual([
      {
        id: quarantineIdOf('FetchQuarantined', 'versioning.record-fetch', 'f-1'),
        kind: 'FetchQuarantined',
        groupId: 'versioning.record-fetch',
        topic: 'fetcher.fetches.v1',
        partition: 1,
        offset: '12',
        key: 'acme__terms-of-service',
        value: '{"fetchId":"f-1"}',
        headers: { 'x-correlation-id': 'c-1' },
        fetchId: 'f-1',
        documentId: 'acme__terms-of-service',
        error: { name: 'RangeError', message: 'Maximum call stack size exceeded' },
        attempts: 3,
        firstFailedAt: '2026-03-01T10:00:00.000Z',
        quarantinedAt: '2026-03-01T10:00:00.300Z',
      },
    ]);
  });

  it('parks a message it cannot read about under its position in the log, one record per position', async () => {
    const { store, parked } = recordingStore();
    const park = parkInto(store, 'FetchQuarantined', (incoming) => JSON.parse(incoming.value) as never);

    await park(parkedOf(message('not json', '12')));
    await park(parkedOf(message('not json', '13')));

    expect(parked.map((record) => [record.fetchId, record.documentId])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(parked[0]!.id).toBe(
      quarantineIdOf('FetchQuarantined', 'versioning.record-fetch', 'fetcher.fetches.v1/1/12'),
    );
    expect(parked[1]!.id).not.toBe(parked[0]!.id);
  });
});
