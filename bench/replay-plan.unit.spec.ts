import { documentOfPath, fetchIdOf, parseRawLog, type HistoryFetch } from '@termline/corpus';
import { afterWarmup, documentQueues, expectationsOf, forEachConcurrently, percentile } from './replay-plan';
import { hostPortOf } from './resources';

const aFetch = (
  path: string,
  fetchedAt: string,
  blob: string,
  commit = blob.padEnd(40, '0'),
): HistoryFetch => {
  const { service, documentType } = documentOfPath(path)!;
  return { fetchId: fetchIdOf(commit, path), service, documentType, path, commit, fetchedAt, blob };
};

describe('the pga-versions history', () => {
  it('reads one fetch per changed Markdown file of a service, in commit order, without deletions or top-level files', () => {
    const log = [
      'C 1111111111111111111111111111111111111111 1650456085',
      '',
      ':000000 100644 0000 aaaa A\tREADME.md',
      ':000000 100644 0000 bbbb A\tAcme/Terms of Service.md',
      'C 2222222222222222222222222222222222222222 1657551474',
      '',
      ':100644 100644 bbbb cccc M\tAcme/Terms of Service.md',
      ':100644 000000 dddd 0000 D\tAcme/Privacy Policy.md',
      ':000000 100644 0000 eeee A\tAcme/notes.txt',
    ].join('\n');

    const fetches = parseRawLog(log);

    expect(fetches).toEqual([
      {
        fetchId: 'pga:1111111111111111111111111111111111111111:Acme/Terms_of_Service.md',
        service: 'Acme',
        documentType: 'Terms of Service',
        path: 'Acme/Terms of Service.md',
        commit: '1111111111111111111111111111111111111111',
        fetchedAt: '2022-04-20T12:01:25Z',
        blob: 'bbbb',
      },
      expect.objectContaining({
        fetchId: 'pga:2222222222222222222222222222222222222222:Acme/Terms_of_Service.md',
        blob: 'cccc',
        fetchedAt: '2022-07-11T14:57:54Z',
      }),
    ]);
  });

  it('gives fetch ids the fetch contract accepts', () => {
    expect(fetchIdOf('abc', 'Société Générale/Terms (EU).md')).toMatch(/^[A-Za-z0-9._:@\-/]+$/);
  });
});

describe('the replay plan', () => {
  it('queues the fetches of each document in order, documents in order of first appearance', () => {
    const queues = documentQueues([
      aFetch('B/Terms.md', '2024-01-01T00:00:00Z', 'b1'),
      aFetch('A/Terms.md', '2024-01-02T00:00:00Z', 'a1'),
      aFetch('B/Terms.md', '2024-01-03T00:00:00Z', 'b2'),
    ]);
    expect(queues.map((q) => [q.documentId, q.fetches.map((f) => f.blob)])).toEqual([
      ['b__terms', ['b1', 'b2']],
      ['a__terms', ['a1']],
    ]);
  });

  it('refuses two files that would be one document', () => {
    expect(() =>
      documentQueues([
        aFetch('A/Terms of Service.md', '2024-01-01T00:00:00Z', 'x'),
        aFetch('A/Terms-of-Service.md', '2024-01-01T00:00:00Z', 'y'),
      ]),
    ).toThrow(/both map to document a__terms-of-service/);
  });

  it('expects a version for each change of content, and tells out-of-order fetches apart', () => {
    const queues = documentQueues([
      aFetch('A/Terms.md', '2024-01-01T00:00:00Z', 'v1'),
      aFetch('A/Terms.md', '2024-01-02T00:00:00Z', 'v1'),
      aFetch('A/Terms.md', '2024-01-03T00:00:00Z', 'v2'),
      aFetch('A/Terms.md', '2023-12-31T00:00:00Z', 'v3'),
      aFetch('A/Terms.md', '2024-01-04T00:00:00Z', 'v2'),
    ]);
    expect(expectationsOf(queues)).toEqual({
      expectedVersions: 4,
      outOfOrderFetches: 1,
      expectedVersionsInOrder: 2,
    });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('runs at most the limit at once, every item once, and stops taking items when told', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 8 - item));
      running -= 1;
      done.push(item);
    });
    expect(most).toBe(3);
    expect([...done].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const started: number[] = [];
    await forEachConcurrently(
      [1, 2, 3, 4],
      1,
      (item) => Promise.resolve(void started.push(item)),
      () => started.length >= 2,
    );
    expect(started).toEqual([1, 2]);
  });
});

describe('service addresses', () => {
  it('finds host and port in broker lists and MongoDB URIs', () => {
    expect(hostPortOf('127.0.0.1:9092', 9092)).toEqual({ host: '127.0.0.1', port: 9092 });
    expect(hostPortOf('mongodb://127.0.0.1:27017/', 27017)).toEqual({ host: '127.0.0.1', port: 27017 });
    expect(hostPortOf('mongodb://user:pw@db.example/termline?x=1', 27017)).toEqual({
      host: 'db.example',
      port: 27017,
    });
  });
});

describe('visible latency after the warm-up', () => {
  it('leaves out the fetches accepted in the first seconds of the replay, and only them', () => {
    const latencyMs = [5000, 4000, 90, 120, 80, 300];
    const acceptedAfterMs = [100, 19_999, 20_000, 25_000, 26_000, 40_000];
    expect(afterWarmup(latencyMs, acceptedAfterMs, 20)).toEqual({
      warmupSeconds: 20,
      fetches: 4,
      p50Ms: 90,
      p99Ms: 300,
      maxMs: 300,
    });
    expect(afterWarmup(latencyMs, acceptedAfterMs, 0)).toMatchObject({ fetches: 6, maxMs: 5000 });
    expect(afterWarmup(latencyMs, acceptedAfterMs, 60)).toEqual({
      warmupSeconds: 60,
      fetches: 0,
      p50Ms: null,
      p99Ms: null,
      maxMs: null,
    });
  });
});
