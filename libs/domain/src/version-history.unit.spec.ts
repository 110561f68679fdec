import { decide, foldDocument, type RecordFetch } from './document.decider';
import type { DocumentEvent } from './document.events';
import { extracted } from './extraction.fixture.spec-support';
import { versionHistoryOf } from './version-history';

const record = (
  history: DocumentEvent[],
  fetchId: string,
  fetchedAt: string,
  snapshotId: string,
  text: string | null,
): DocumentEvent[] => {
  const command: RecordFetch = {
    type: 'RecordFetch',
    data: {
      fetch: {
        fetchId,
        service: 'Acme',
        documentType: 'Terms',
        sourceUrl: 'https://acme.example',
        sourcePart: null,
        fetchedAt,
        fetcher: null,
        mimeType: 'text/html',
        httpStatus: null,
      },
      snapshotId,
      contentBytes: 1,
      policy: { flipBackWindowHours: 168, roundWindowSeconds: 600 },
      extraction: text === null ? null : extracted(text, { declarationHash: 'd1' }),
    },
    metadata: { commandId: fetchId, now: fetchedAt, correlationId: 'c', causationId: 'k' },
  };
  return [...history, ...decide(command, foldDocument(history))];
};

describe('version history', () => {
  it('dates each version at first observation and extends it with every confirming fetch', () => {
    let events: DocumentEvent[] = [];
    events = record(events, 'f1', '2026-01-01T00:00:00.000Z', 's1', 'A');
    events = record(events, 'f2', '2026-01-02T00:00:00.000Z', 's1', null);
    events = record(events, 'f3', '2026-01-03T00:00:00.000Z', 's2', 'A');
    events = record(events, 'f4', '2026-01-04T00:00:00.000Z', 's3', 'B');
    expect(versionHistoryOf(events)).toEqual([
      expect.objectContaining({
        version: 1,
        observedAt: '2026-01-01T00:00:00.000Z',
        lastConfirmedAt: '2026-01-03T00:00:00.000Z',
        snapshotIds: ['s1'],
        fetchId: 'f1',
      }),
      expect.objectContaining({
        version: 2,
        observedAt: '2026-01-04T00:00:00.000Z',
        lastConfirmedAt: '2026-01-04T00:00:00.000Z',
        text: 'B',
        technicalUpgrade: false,
      }),
    ]);
  });

  it('marks a flip-back retracted and lets the restored version be confirmed again', () => {
    let events: DocumentEvent[] = [];
    events = record(events, 'f1', '2026-01-01T00:00:00.000Z', 's1', 'A');
    events = record(events, 'f2', '2026-01-02T00:00:00.000Z', 's2', 'B');
    events = record(events, 'f3', '2026-01-03T00:00:00.000Z', 's3', 'A');
    expect(versionHistoryOf(events).map((v) => [v.version, v.retracted, v.lastConfirmedAt])).toEqual([
      [1, false, '2026-01-03T00:00:00.000Z'],
      [2, true, '2026-01-02T00:00:00.000Z'],
    ]);
  });
});
