import {
  decide,
  foldDocument,
  initialDocumentState,
  needsExtraction,
  type DocumentState,
  type RecordFetch,
} from './document.decider';
import type { DocumentEvent, VersionRecorded } from './document.events';
import { extracted } from './extraction.fixture.spec-support';
import type { FetchEvent } from './fetch-event';

const fetchOf = (overrides: Partial<FetchEvent> = {}): FetchEvent => ({
  fetchId: 'f-1',
  service: 'Acme Cloud',
  documentType: 'Terms of Service',
  sourceUrl: 'https://acme.example/terms',
  sourcePart: null,
  fetchedAt: '2026-03-01T10:00:00.000Z',
  fetcher: 'htmlOnly',
  mimeType: 'text/html',
  httpStatus: 200,
  ...overrides,
});

const recordFetch = (fetch: FetchEvent, snapshotId: string, text: string | null): RecordFetch => ({
  type: 'RecordFetch',
  data: {
    fetch,
    snapshotId,
    contentBytes: 100,
    policy: { flipBackWindowHours: 168, roundWindowSeconds: 600 },
    extraction: text === null ? null : extracted(text),
  },
  metadata: {
    commandId: `fetch:${fetch.fetchId}`,
    now: '2026-03-01T10:00:01.000Z',
    correlationId: 'c',
    causationId: 'k',
  },
});

/** given events, when a command, then the events it decides. */
function given(events: DocumentEvent[]): {
  when(command: RecordFetch): DocumentEvent[];
  state: DocumentState;
} {
  const state = foldDocument(events);
  return { state, when: (command) => decide(command, state) };
}

const outcomes = (events: DocumentEvent[]) =>
  events.map((e) => (e.type === 'FetchRecorded' ? e.data.outcome : e.type));

describe('document decider', () => {
  it('records the first fetch of a document as its first version', () => {
    const events = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    expect(outcomes(events)).toEqual(['new-version', 'VersionRecorded']);
    const version = events[1] as VersionRecorded;
    expect(version.data).toMatchObject({
      documentId: 'acme-cloud__terms-of-service',
      version: 1,
      validFrom: '2026-03-01T10:00:00.000Z',
      textSha256: 'sha(Text A)',
      previousTextSha256: null,
      snapshots: [expect.objectContaining({ snapshotId: 'snap-a', sourcePart: null })],
    });
  });

  it("carries the version's word count, and folds it from the event instead of counting the text again", () => {
    const counted = given([]).when(recordFetch(fetchOf(), 'snap-a', 'one two three'));
    expect((counted[1] as VersionRecorded).data.words).toBe(3);
    // The extractor's count, when it counted, is the one carried.
    const command = recordFetch(fetchOf(), 'snap-a', 'one two three');
    const told = decide(
      { ...command, data: { ...command.data, extraction: extracted('one two three', { words: 7 }) } },
      initialDocumentState,
    );
    expect((told[1] as VersionRecorded).data.words).toBe(7);
    expect(foldDocument(told).currentVersion?.words).toBe(7);
    // A version recorded before the count was carried is counted from its text.
    const { words: _carried, ...older } = (counted[1] as VersionRecorded).data;
    expect(
      foldDocument([counted[0]!, { ...counted[1]!, data: older } as VersionRecorded]).currentVersion?.words,
    ).toBe(3);
  });

  it('records an identical re-fetch as checked-unchanged, without a version', () => {
    const history = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    const state = given(history);
    const later = fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-02T10:00:00.000Z' });
    expect(needsExtraction(state.state, later, 'snap-a')).toBe(false);
    const events = state.when(recordFetch(later, 'snap-a', null));
    expect(outcomes(events)).toEqual(['snapshot-unchanged']);
    expect(events[0]).toMatchObject({
      data: { snapshotChanged: false, fetchedAt: '2026-03-02T10:00:00.000Z' },
    });
  });

  it('records changed markup with the same text as text-unchanged', () => {
    const history = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    const events = given(history).when(
      recordFetch(fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-02T00:00:00Z' }), 'snap-b', 'Text A'),
    );
    expect(outcomes(events)).toEqual(['text-unchanged']);
    expect(events[0]).toMatchObject({ data: { snapshotChanged: true } });
  });

  it('says which masks kept a text whose bytes changed the same version, and which rules made a version', () => {
    const masked = (text: string, fingerprint: string) =>
      extracted(text, {
        fingerprint,
        rulesFired: ['tracking-params-removed'],
        masks: ['relative-times-masked'],
      });
    const first = recordFetch(fetchOf(), 'snap-a', null);
    first.data.extraction = masked('Updated 5 days ago. Terms.', 'fp-1');
    const history = given([]).when(first);
    expect(history[0]).toMatchObject({
      data: { textSha256: 'sha(Updated 5 days ago. Terms.)', suppressedBy: null },
    });
    expect((history[1] as VersionRecorded).data.rulesFired).toEqual([
      'tracking-params-removed',
      'relative-times-masked',
    ]);

    const later = recordFetch(
      fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-02T10:00:00.000Z' }),
      'snap-b',
      null,
    );
    later.data.extraction = masked('Updated 6 days ago. Terms.', 'fp-1');
    const events = given(history).when(later);
    expect(outcomes(events)).toEqual(['text-unchanged']);
    expect(events[0]).toMatchObject({
      data: { textSha256: 'sha(Updated 6 days ago. Terms.)', suppressedBy: ['relative-times-masked'] },
    });
    // The very same text again: nothing was suppressed.
    const again = recordFetch(
      fetchOf({ fetchId: 'f-3', fetchedAt: '2026-03-03T10:00:00.000Z' }),
      'snap-c',
      null,
    );
    again.data.extraction = masked('Updated 5 days ago. Terms.', 'fp-1');
    expect(given(history).when(again)[0]).toMatchObject({
      data: { outcome: 'text-unchanged', suppressedBy: null },
    });
  });

  it('records a changed text as the next version pointing at its predecessor', () => {
    const first = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    const events = given(first).when(
      recordFetch(fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-05T00:00:00.000Z' }), 'snap-b', 'Text B'),
    );
    expect(outcomes(events)).toEqual(['new-version', 'VersionRecorded']);
    expect((events[1] as VersionRecorded).data).toMatchObject({
      version: 2,
      previousTextSha256: 'sha(Text A)',
    });
  });

  it('dates a combined version at the newest of its parts, never an older part', () => {
    const partA = fetchOf({ fetchId: 'a1', sourcePart: 'terms', fetchedAt: '2026-03-01T00:00:00.000Z' });
    // B comes an hour later, in another fetch round (see the incomplete-round case below).
    const partB = fetchOf({ fetchId: 'b1', sourcePart: 'annex', fetchedAt: '2026-03-01T01:00:00.000Z' });
    const first = given([]).when(recordFetch(partA, 'snap-a1', 'A1'));
    const second = given(first).when(recordFetch(partB, 'snap-b1', 'A1\n\nB1'));
    const version2 = second[1] as VersionRecorded;
    expect(version2.data.validFrom).toBe('2026-03-01T01:00:00.000Z');
    expect(version2.data.snapshots.map((s) => s.sourcePart)).toEqual(['terms', 'annex']);
    // Part A changes again, fetched before B's latest fetch time? No: later; the version takes the newest time.
    const partA2 = fetchOf({ fetchId: 'a2', sourcePart: 'terms', fetchedAt: '2026-03-03T00:00:00.000Z' });
    const third = given([...first, ...second]).when(recordFetch(partA2, 'snap-a2', 'A2\n\nB1'));
    expect((third[1] as VersionRecorded).data).toMatchObject({
      validFrom: '2026-03-03T00:00:00.000Z',
      snapshots: [
        expect.objectContaining({ snapshotId: 'snap-a2' }),
        expect.objectContaining({ snapshotId: 'snap-b1', fetchedAt: '2026-03-01T01:00:00.000Z' }),
      ],
    });
  });

  describe('fetch rounds of a combined document', () => {
    const part = (fetchId: string, sourcePart: string, fetchedAt: string) =>
      fetchOf({ fetchId, sourcePart, fetchedAt });
    const apply = (history: DocumentEvent[], fetch: FetchEvent, text: string) => [
      ...history,
      ...given(history).when(recordFetch(fetch, `snap-${fetch.fetchId}`, text)),
    ];

    it('replaces a first version built before the round had all its parts', () => {
      const first = apply([], part('a1', 'terms', '2026-03-01T00:00:00.000Z'), 'A1');
      const events = given(first).when(
        recordFetch(part('b1', 'annex', '2026-03-01T00:00:40.000Z'), 'snap-b1', 'A1\n\nB1'),
      );
      expect(outcomes(events)).toEqual(['new-version', 'VersionRetracted', 'VersionRecorded']);
      expect(events[1]).toMatchObject({
        data: { version: 1, restoredVersion: null, reason: 'incomplete-round', windowHours: 600 / 3600 },
      });
      expect((events[2] as VersionRecorded).data).toMatchObject({
        version: 2,
        previousVersion: null,
        previousTextSha256: null,
      });
      const state = foldDocument([...first, ...events]);
      expect(state.liveVersions.map((v) => v.version)).toEqual([2]);
    });

    it('replaces a change built from half a round: the new version follows the one before it', () => {
      let history = apply([], part('a1', 'terms', '2026-03-01T00:00:00.000Z'), 'A1');
      // A second after a1: at the same instant, 'annex' would sort before 'terms' and arrive late (ADR 0024).
      history = apply(history, part('b1', 'annex', '2026-03-01T00:00:01.000Z'), 'A1\n\nB1');
      history = apply(history, part('a2', 'terms', '2026-03-05T00:00:00.000Z'), 'A2\n\nB1');
      const events = given(history).when(
        recordFetch(part('b2', 'annex', '2026-03-05T00:00:05.000Z'), 'snap-b2', 'A2\n\nB2'),
      );
      expect(outcomes(events)).toEqual(['new-version', 'VersionRetracted', 'VersionRecorded']);
      expect(events[1]).toMatchObject({
        data: { version: 3, restoredVersion: 2, reason: 'incomplete-round' },
      });
      expect((events[2] as VersionRecorded).data).toMatchObject({
        version: 4,
        previousVersion: 2,
        previousTextSha256: 'sha(A1\n\nB1)',
      });
    });

    it('restores the version before an incomplete one when the complete round reads as it, whatever the flip-back window', () => {
      const noFlipBackWindow = (history: DocumentEvent[], fetch: FetchEvent, text: string) => {
        const command = recordFetch(fetch, `snap-${fetch.fetchId}`, text);
        command.data.policy = { flipBackWindowHours: 0, roundWindowSeconds: 600 };
        return [...history, ...decide(command, foldDocument(history))];
      };
      let history = noFlipBackWindow([], part('a1', 'terms', '2026-03-01T00:00:00.000Z'), 'A1');
      history = noFlipBackWindow(history, part('b1', 'annex', '2026-03-01T01:00:00.000Z'), 'A1\n\nB1');
      history = noFlipBackWindow(history, part('a2', 'terms', '2026-03-05T00:00:00.000Z'), 'A2\n\nB1');
      const events = noFlipBackWindow(
        history,
        part('b2', 'annex', '2026-03-05T00:02:00.000Z'),
        'A1\n\nB1',
      ).slice(history.length);
      expect(outcomes(events)).toEqual(['flip-back', 'VersionRetracted']);
      expect(events[1]).toMatchObject({
        data: { version: 3, restoredVersion: 2, reason: 'incomplete-round' },
      });
      expect(foldDocument([...history, ...events]).currentVersion?.version).toBe(2);
    });

    it('keeps a version when the other part changes in a later round, or when the same part changes again', () => {
      let history = apply([], part('a1', 'terms', '2026-03-01T00:00:00.000Z'), 'A1');
      // A second after a1: at the same instant, 'annex' would sort before 'terms' and arrive late (ADR 0024).
      history = apply(history, part('b1', 'annex', '2026-03-01T00:00:01.000Z'), 'A1\n\nB1');
      history = apply(history, part('a2', 'terms', '2026-03-05T00:00:00.000Z'), 'A2\n\nB1');
      const later = given(history).when(
        recordFetch(part('b2', 'annex', '2026-03-05T12:00:00.000Z'), 'snap-b2', 'A2\n\nB2'),
      );
      expect(outcomes(later)).toEqual(['new-version', 'VersionRecorded']);
      const samePart = given(history).when(
        recordFetch(part('a3', 'terms', '2026-03-05T00:01:00.000Z'), 'snap-a3', 'A3\n\nB1'),
      );
      expect(outcomes(samePart)).toEqual(['new-version', 'VersionRecorded']);
    });
  });

  it('drops the single page a document was before it became combined from parts', () => {
    const single = given([]).when(
      recordFetch(fetchOf({ fetchId: 'one', fetchedAt: '2026-03-01T00:00:00.000Z' }), 'snap-one', 'One page'),
    );
    const part = fetchOf({ fetchId: 'p1', sourcePart: 'requests', fetchedAt: '2026-03-17T00:00:00.000Z' });
    const events = given(single).when(recordFetch(part, 'snap-p1', 'Part one'));
    expect((events[1] as VersionRecorded).data.snapshots.map((s) => s.snapshotId)).toEqual(['snap-p1']);
  });

  it('names only the parts its text was built from, dated at the newest of those', () => {
    const old = fetchOf({ fetchId: 'old', sourcePart: 'retired', fetchedAt: '2026-03-01T00:00:00.000Z' });
    const first = given([]).when(recordFetch(old, 'snap-old', 'Retired'));
    const current = fetchOf({ fetchId: 'cur', sourcePart: 'current', fetchedAt: '2026-04-01T00:00:00.000Z' });
    const command = recordFetch(current, 'snap-cur', 'Current');
    if (command.data.extraction?.ok) command.data.extraction.partsUsed = ['current'];
    const events = decide(command, foldDocument(first));
    expect((events[1] as VersionRecorded).data.snapshots.map((s) => s.sourcePart)).toEqual(['current']);
  });

  it('archives a late, older fetch of a part without moving the text back', () => {
    const first = given([]).when(
      recordFetch(fetchOf({ fetchedAt: '2026-03-05T00:00:00.000Z' }), 'snap-new', 'New'),
    );
    const history = given(first);
    const late = fetchOf({ fetchId: 'late', fetchedAt: '2026-03-01T00:00:00.000Z' });
    expect(needsExtraction(history.state, late, 'snap-old')).toBe(false);
    const events = history.when(recordFetch(late, 'snap-old', null));
    expect(outcomes(events)).toEqual(['out-of-order']);
    expect(foldDocument(events, history.state).parts['']?.snapshotId).toBe('snap-new');
  });

  it('records a failed extraction and keeps the current version', () => {
    const first = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    const history = given(first);
    const command = recordFetch(
      fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-02T00:00:00Z' }),
      'snap-bad',
      null,
    );
    command.data.extraction = {
      ok: false,
      code: 'unreadable-pdf',
      reason: 'bad xref',
      extractorVersion: 'x1',
    };
    const events = history.when(command);
    expect(outcomes(events)).toEqual(['extraction-failed']);
    expect(events[0]).toMatchObject({ data: { failure: { code: 'unreadable-pdf', reason: 'bad xref' } } });
    expect(foldDocument(events, history.state).currentVersion?.version).toBe(1);
  });

  it('refuses a fetch of another service whose names map to the same document id', () => {
    const first = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    expect(() => given(first).when(recordFetch(fetchOf({ service: 'ACME  cloud' }), 'snap-b', 'B'))).toThrow(
      expect.objectContaining({ code: 'document-id-collision' }),
    );
  });

  it('tracks the stream version the next append expects', () => {
    const first = given([]).when(recordFetch(fetchOf(), 'snap-a', 'Text A'));
    expect(foldDocument(first)).toMatchObject({
      streamVersion: 2,
      fetchCount: 1,
      currentVersion: { version: 1 },
    });
    expect(initialDocumentState.streamVersion).toBe(0);
  });

  describe('flip-backs', () => {
    const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    const run = (steps: Array<[string, number, string]>, windowHours = 168): DocumentEvent[] =>
      steps.reduce<DocumentEvent[]>((history, [fetchId, day, text]) => {
        const command = recordFetch(fetchOf({ fetchId, fetchedAt: at(day) }), `snap-${fetchId}`, text);
        command.data.policy = { flipBackWindowHours: windowHours, roundWindowSeconds: 600 };
        return [...history, ...decide(command, foldDocument(history))];
      }, []);

    it('retracts a change reverted within the window instead of publishing two changes', () => {
      const events = run([
        ['a', 1, 'A'],
        ['b', 2, 'B'],
        ['a2', 3, 'A'],
      ]);
      expect(outcomes(events)).toEqual([
        'new-version',
        'VersionRecorded',
        'new-version',
        'VersionRecorded',
        'flip-back',
        'VersionRetracted',
      ]);
      expect(events[5]).toMatchObject({
        data: { version: 2, restoredVersion: 1, reason: 'flip-back', windowHours: 168 },
      });
      const state = foldDocument(events);
      expect(state.currentVersion).toMatchObject({ version: 1, textSha256: 'sha(A)' });
      expect(state.liveVersions.map((v) => v.version)).toEqual([1]);
    });

    it('numbers the next real change after the retracted one, following the restored version', () => {
      const events = run([
        ['a', 1, 'A'],
        ['b', 2, 'B'],
        ['a2', 3, 'A'],
        ['c', 20, 'C'],
      ]);
      const last = events[events.length - 1] as VersionRecorded;
      expect(last.data).toMatchObject({ version: 3, previousVersion: 1, previousTextSha256: 'sha(A)' });
    });

    it('keeps a revert after the window as a real change', () => {
      const events = run([
        ['a', 1, 'A'],
        ['b', 2, 'B'],
        ['a2', 12, 'A'],
      ]);
      expect(outcomes(events).slice(-2)).toEqual(['new-version', 'VersionRecorded']);
      expect((events[events.length - 1] as VersionRecorded).data.version).toBe(3);
    });

    it('is off with a window of zero hours', () => {
      const events = run(
        [
          ['a', 1, 'A'],
          ['b', 2, 'B'],
          ['a2', 3, 'A'],
        ],
        0,
      );
      expect(outcomes(events)).not.toContain('flip-back');
    });
  });

  describe('technical upgrades', () => {
    const withRules = (command: RecordFetch, extractorVersion: string) => {
      if (command.data.extraction?.ok) command.data.extraction.extractorVersion = extractorVersion;
      return command;
    };

    it('records the re-extraction of unchanged snapshots under new rules as a technical upgrade, not a change', () => {
      const first = given([]).when(withRules(recordFetch(fetchOf(), 'snap-a', 'Text A'), 'x1'));
      const state = foldDocument(first);
      const command = withRules(
        recordFetch(fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-09T00:00:00.000Z' }), 'snap-b', 'Text A*'),
        'x2',
      );
      command.data.reextraction = extracted('Text A*', { extractorVersion: 'x2' });
      const events = decide(command, state);
      expect(outcomes(events)).toEqual(['text-unchanged', 'VersionRecorded']);
      expect((events[1] as VersionRecorded).data).toMatchObject({
        version: 2,
        technicalUpgrade: true,
        extractorVersion: 'x2',
        previousVersion: 1,
      });
    });

    it('records a technical upgrade on a re-fetch of unchanged bytes too', () => {
      const first = given([]).when(withRules(recordFetch(fetchOf(), 'snap-a', 'Text A'), 'x1'));
      const command = recordFetch(
        fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-09T00:00:00.000Z' }),
        'snap-a',
        null,
      );
      command.data.reextraction = extracted('Text A*', { extractorVersion: 'x2' });
      const events = decide(command, foldDocument(first));
      expect(outcomes(events)).toEqual(['snapshot-unchanged', 'VersionRecorded']);
      expect((events[1] as VersionRecorded).data).toMatchObject({
        technicalUpgrade: true,
        version: 2,
        snapshots: [expect.objectContaining({ snapshotId: 'snap-a' })],
      });
    });

    it('records a real change after the technical upgrade it needed, each as what it is', () => {
      const first = given([]).when(withRules(recordFetch(fetchOf(), 'snap-a', 'Text A'), 'x1'));
      const command = withRules(
        recordFetch(fetchOf({ fetchId: 'f-2', fetchedAt: '2026-03-09T00:00:00.000Z' }), 'snap-b', 'Text B'),
        'x2',
      );
      command.data.reextraction = extracted('Text A*', { extractorVersion: 'x2' });
      const events = decide(command, foldDocument(first));
      expect(outcomes(events)).toEqual(['new-version', 'VersionRecorded', 'VersionRecorded']);
      expect(events.slice(1).map((e) => (e as VersionRecorded).data.technicalUpgrade)).toEqual([true, false]);
      expect((events[2] as VersionRecorded).data).toMatchObject({
        version: 3,
        previousVersion: 2,
        previousTextSha256: 'sha(Text A*)',
      });
    });
  });
});
