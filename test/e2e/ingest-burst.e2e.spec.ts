import { acceptedStreamOf } from '@termline/domain';
import { EVENT_STORE, type CommitToAppend, type EventStore } from '@termline/eventstore';
import { IngestService } from '@termline/gateway';
import { tempDir, uniqueName } from '@termline/testing';
import { createAllInOneApp } from '../../apps/termline/src/all-in-one.app';
import { configFor } from './system.scenarios';

/**
 * Concurrent submissions (embedded mode): the requests in flight ask together whether their fetches are recorded
 * (one read) and have their acceptances written together (group commit); each fetch keeps exactly one acceptance,
 * and a fetch submitted twice in the same burst is accepted once.
 */
describe('Ingest under a burst of concurrent requests (embedded mode)', () => {
  it('reads and writes for the requests in flight together, one acceptance per fetch, a fetch sent twice at once accepted once', async () => {
    const dir = tempDir('termline-burst-');
    const fatal: unknown[] = [];
    const app = await createAllInOneApp(configFor({ TERMLINE_DATA_DIR: dir.path }), 'embedded', (_c, e) =>
      fatal.push(e),
    );
    try {
      const events = app.get<EventStore>(EVENT_STORE);
      // Counts the acceptance writes on the real store; what it stores is untouched.
      const writes: number[] = [];
      const appendBatch = events.appendBatch.bind(events);
      events.appendBatch = (commits: readonly CommitToAppend[]) => {
        if (commits[0]?.streamId.startsWith('accepted:')) writes.push(commits.length);
        return appendBatch(commits);
      };
      // And the reads that ask whether each fetch is recorded already.
      const reads: number[] = [];
      const readCommits = events.readCommits.bind(events);
      events.readCommits = (commitIds: readonly string[]) => {
        reads.push(commitIds.length);
        return readCommits(commitIds);
      };
      const service = uniqueName('Burst').replace(/_/g, ' ');
      const fetches = Array.from({ length: 30 }, (_, i) => ({
        fetchId: uniqueName(`burst-${i}`),
        service,
        documentType: `Doc ${i % 3}`,
        sourceUrl: `https://burst.example/${i % 3}`,
        fetchedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        mimeType: 'text/plain',
        content: `Clause ${i} of the terms.`,
      }));
      const ingest = app.get(IngestService);
      const receipts = await Promise.all([...fetches, fetches[7]!].map((f) => ingest.ingest(f, 'burst')));

      expect(receipts.map((r) => r.status)).toEqual(receipts.map(() => 'accepted'));
      for (const fetch of fetches) {
        const accepted = await events.readStream(acceptedStreamOf(fetch.fetchId));
        expect(accepted.map((e) => e.type)).toEqual(['FetchAccepted']);
      }
      // 31 requests, fewer writes: the ones that arrived while a write was in flight went together.
      expect(writes.length).toBeLessThan(fetches.length);
      expect(Math.max(...writes)).toBeGreaterThan(1);
      expect(reads.reduce((sum, n) => sum + n, 0)).toBe(fetches.length + 1);
      expect(reads.length).toBeLessThan(fetches.length);
      expect(fatal).toEqual([]);
    } finally {
      await app.close();
      dir.remove();
    }
  }, 60_000);
});
