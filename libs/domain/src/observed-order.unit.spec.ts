import {
  decide,
  foldDocument,
  isOutOfOrder,
  needsExtraction,
  snapshotsAfterFetch,
  type DocumentState,
} from './document.decider';
import type { DecidedEvent, DocumentEvent } from './document.events';
import { extracted } from './extraction.fixture.spec-support';
import type { FetchEvent } from './fetch-event';
import { effectiveEvents, reviseTimeline, type Observation } from './observed-order';
import { versionHistoryOf } from './version-history';

/**
 * The timeline is a function of the set of observations: given / when arrivals in any order / then the same
 * decisions in observed order, the same versions and the same decider state as when they came in order.
 */

/** What each snapshot reads as; a combined document reads as its parts' texts joined. */
const TEXTS: Record<string, string> = {
  a: 'Terms A',
  b: 'Terms B',
  c: 'Terms C',
  d: 'Terms D',
  err: 'Service unavailable',
  p1: 'Privacy part one',
  p1b: 'Privacy part one, revised',
  p2: 'Cookies part two',
  p2b: 'Cookies part two, revised',
};

const POLICY = { flipBackWindowHours: 168, roundWindowSeconds: 600 };

const observation = (
  fetchId: string,
  fetchedAt: string,
  snapshotId: string,
  overrides: Partial<FetchEvent> = {},
): Observation => ({
  fetch: {
    fetchId,
    service: 'Acme Cloud',
    documentType: 'Terms of Service',
    sourceUrl: 'https://acme.example/terms',
    sourcePart: null,
    fetchedAt,
    fetcher: 'htmlOnly',
    mimeType: 'text/html',
    httpStatus: 200,
    ...overrides,
  },
  snapshotId,
  contentBytes: 100,
});

const commandOf = (o: Observation, state: DocumentState) => {
  const refs = needsExtraction(state, o.fetch, o.snapshotId)
    ? snapshotsAfterFetch(state, o.fetch, o.snapshotId)
    : null;
  return {
    type: 'RecordFetch' as const,
    data: {
      fetch: o.fetch,
      snapshotId: o.snapshotId,
      contentBytes: o.contentBytes,
      extraction: refs && extracted(refs.map((r) => TEXTS[r.snapshotId]!).join('\n\n')),
      policy: POLICY,
    },
    metadata: {
      commandId: `fetch:${o.fetch.fetchId}`,
      now: o.fetch.fetchedAt,
      correlationId: 'c',
      causationId: 'k',
    },
  };
};

/** The same decision an observation in order gets, with the stand-in extraction. */
const decideOne = (state: DocumentState, o: Observation): Promise<DecidedEvent[]> =>
  Promise.resolve(decide(commandOf(o, state), state) as DecidedEvent[]);

/** What the versioning does with one arrival: decide it in order, or record it late and revise the timeline. */
async function arrive(stream: DocumentEvent[], o: Observation): Promise<DocumentEvent[]> {
  const state = foldDocument(stream);
  if (!isOutOfOrder(state, o.fetch, o.snapshotId)) return [...stream, ...(await decideOne(state, o))];
  const arrival = decide(commandOf(o, state), state);
  return [...stream, ...arrival, await reviseTimeline(stream, o, decideOne)];
}

async function arriveAll(observations: readonly Observation[]): Promise<DocumentEvent[]> {
  let stream: DocumentEvent[] = [];
  for (const o of observations) stream = await arrive(stream, o);
  return stream;
}

/** A small seeded generator (mulberry32), so a failing shuffle can be replayed. */
function random(seed: number): () => number {
  let t = seed;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Everything the timeline is made of, without the stream's own positions. */
function timelineOf(stream: DocumentEvent[]) {
  const { streamVersion: _position, ...state } = foldDocument(stream);
  return { decisions: effectiveEvents(stream), versions: versionHistoryOf(stream), state };
}

const day = (n: number, time = '10:00:00') => `2026-03-${String(n).padStart(2, '0')}T${time}.000Z`;

/** One page: changes, an unchanged re-fetch, a flip-back within the window, an error page, one change kept. */
const SINGLE_PAGE: Observation[] = [
  observation('s1', day(1), 'a'),
  observation('s2', day(2), 'a'),
  observation('s3', day(3), 'b'),
  observation('s4', day(4), 'a'),
  observation('s5', day(5), 'err', { httpStatus: 503 }),
  observation('s6', day(6), 'c'),
  observation('s7', day(20), 'd'),
  observation('s8', day(21), 'd'),
  // Two observations of one instant, listed in observed order: only the tie-break (snapshot id) orders them.
  observation('s9', day(22), 'a'),
  observation('s10', day(22), 'c'),
];

/** Two parts fetched in rounds: a round's parts arrive one by one, so incomplete rounds are retracted. */
const part = (fetchId: string, at: string, snapshotId: string, sourcePart: string) =>
  observation(fetchId, at, snapshotId, {
    sourcePart,
    sourceUrl: `https://acme.example/${sourcePart}`,
  });
const COMBINED: Observation[] = [
  part('c1', day(1, '10:00:00'), 'p1', 'privacy'),
  part('c2', day(1, '10:01:00'), 'p2', 'cookies'),
  part('c3', day(8, '10:00:00'), 'p1b', 'privacy'),
  part('c4', day(8, '10:02:00'), 'p2b', 'cookies'),
  part('c5', day(15, '10:00:00'), 'p1', 'privacy'),
  part('c6', day(15, '10:00:30'), 'p2b', 'cookies'),
];

describe('timeline in observed order', () => {
  it.each([
    ['a single page', SINGLE_PAGE],
    ['a document combined from parts', COMBINED],
  ])('is the same for 40 arrival orders of %s', async (_name, observations) => {
    const inOrder = await arriveAll(observations);
    expect(inOrder.some((e) => e.type === 'TimelineRevised')).toBe(false);
    const expected = timelineOf(inOrder);
    // The scenarios exercise what the order changes: retractions and more than one version.
    expect(expected.versions.length).toBeGreaterThan(2);
    expect(expected.decisions.some((e) => e.type === 'VersionRetracted')).toBe(true);
    const next = random(20261127);
    let revised = 0;
    for (let run = 0; run < 40; run += 1) {
      const stream = await arriveAll(shuffled(observations, next));
      if (stream.some((e) => e.type === 'TimelineRevised')) revised += 1;
      expect(timelineOf(stream)).toEqual(expected);
    }
    // Shuffles that happen to come in order do not prove anything: most must have been revised.
    expect(revised).toBeGreaterThan(30);
  });

  it('gives the same timeline to live fetches followed by their older history as to history first', async () => {
    const history = SINGLE_PAGE.slice(0, 6);
    const live = SINGLE_PAGE.slice(6);
    const liveFirst = await arriveAll([...live, ...history]);
    expect(timelineOf(liveFirst)).toEqual(timelineOf(await arriveAll([...history, ...live])));
  });

  it('appends a late observation: what was recorded before stays, its arrival is recorded as out-of-order', async () => {
    const live = await arriveAll([observation('new', day(10), 'b')]);
    const stream = await arrive(live, observation('old', day(1), 'a'));
    expect(stream.slice(0, live.length)).toEqual(live);
    const appended = stream.slice(live.length);
    expect(appended.map((e) => e.type)).toEqual(['FetchRecorded', 'TimelineRevised']);
    expect(appended[0]).toMatchObject({ data: { fetchId: 'old', outcome: 'out-of-order' } });
    // Decided again in observed order: the old text is version 1, the live one its change.
    expect(versionHistoryOf(stream).map((v) => [v.version, v.text, v.observedAt])).toEqual([
      [1, 'Terms A', day(1)],
      [2, 'Terms B', day(10)],
    ]);
  });

  it('applies the flip-back rule in observed order, not in arrival order', async () => {
    // Arrival A(1) B(3) then A(2): in order, A at day 2 is the same snapshot and B is a plain change.
    const stream = await arriveAll([
      observation('x1', day(1), 'a'),
      observation('x3', day(3), 'b'),
      observation('x2', day(2), 'a'),
    ]);
    const outcomes = effectiveEvents(stream).flatMap((e) =>
      e.type === 'FetchRecorded' ? [e.data.outcome] : [],
    );
    expect(outcomes).toEqual(['new-version', 'snapshot-unchanged', 'new-version']);
  });
});
