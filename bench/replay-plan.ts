import { documentIdOf } from '@termline/domain';
import type { HistoryFetch } from '@termline/corpus';

/** Pure helpers of the replay driver: how fetches are grouped, what the system should end with, percentiles. */

export interface DocumentQueue {
  documentId: string;
  fetches: HistoryFetch[];
}

/**
 * One queue per document, fetches in commit order; queues in the order their document first appears. Two files
 * whose names map to the same document id would be one stream to the system and two to the driver: refused.
 */
export function documentQueues(fetches: readonly HistoryFetch[]): DocumentQueue[] {
  const queues = new Map<string, DocumentQueue & { path: string }>();
  for (const fetch of fetches) {
    const documentId = documentIdOf(fetch.service, fetch.documentType);
    let queue = queues.get(documentId);
    if (!queue) {
      queue = { documentId, path: fetch.path, fetches: [] };
      queues.set(documentId, queue);
    }
    if (queue.path !== fetch.path)
      throw new Error(`"${fetch.path}" and "${queue.path}" both map to document ${documentId}`);
    queue.fetches.push(fetch);
  }
  return [...queues.values()].map(({ documentId, fetches: ordered }) => ({ documentId, fetches: ordered }));
}

export interface HistoryExpectations {
  /** Fetches whose content differs from the previous fetch of the same file (the first fetch counts). */
  expectedVersions: number;
  /** Fetches dated before an earlier fetch of the same file: the decider records them as `out-of-order`. */
  outOfOrderFetches: number;
  /** Changed contents among the in-order fetches only: what the decider can turn into versions at most. */
  expectedVersionsInOrder: number;
}

export function expectationsOf(queues: readonly DocumentQueue[]): HistoryExpectations {
  let expectedVersions = 0;
  let outOfOrderFetches = 0;
  let expectedVersionsInOrder = 0;
  for (const { fetches } of queues) {
    let previousBlob: string | null = null;
    let latestAt = Number.NEGATIVE_INFINITY;
    let latestBlob: string | null = null;
    for (const fetch of fetches) {
      if (fetch.blob !== previousBlob) expectedVersions += 1;
      previousBlob = fetch.blob;
      const at = Date.parse(fetch.fetchedAt);
      if (at < latestAt) {
        outOfOrderFetches += 1;
        continue;
      }
      if (fetch.blob !== latestBlob) expectedVersionsInOrder += 1;
      latestAt = at;
      latestBlob = fetch.blob;
    }
  }
  return { expectedVersions, outOfOrderFetches, expectedVersionsInOrder };
}

/**
 * Latencies of the fetches accepted once the replay had run `warmupSeconds` (`acceptedAfterMs[i]` belongs to
 * `latencyMs[i]`): the replay starts with every document new on cold processes, which the steady state lacks.
 */
export function afterWarmup(
  latencyMs: readonly number[],
  acceptedAfterMs: readonly number[],
  warmupSeconds: number,
): {
  warmupSeconds: number;
  fetches: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
} {
  const steady = latencyMs.filter((_, i) => acceptedAfterMs[i]! >= warmupSeconds * 1000);
  const at = (q: number) => {
    const value = percentile(steady, q);
    return value === null ? null : Math.round(value * 10) / 10;
  };
  return { warmupSeconds, fetches: steady.length, p50Ms: at(50), p99Ms: at(99), maxMs: at(100) };
}

/** Nearest-rank percentile of values (any order); null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Runs `work` over the items with at most `limit` running at once, taking items in order. Resolves when every
 * started item has finished; stops taking new items once `shouldStop` says so.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
