import type { ReadModelStore } from '@termline/readmodels';
import { performance } from 'node:perf_hooks';
import type { BlobReader, HistoryFetch } from '@termline/corpus';
import { forEachConcurrently, type DocumentQueue } from './replay-plan';

/**
 * Replays fetches over HTTP and watches them become visible in the read models. Each document is a queue posted
 * in order (a 202 before the next POST of the same document, so the gateway publishes them in order); several
 * documents proceed at once. A document keeps at most `perDocumentWindow` fetches accepted but not yet visible,
 * so the system is kept busy without an unbounded backlog that would make every latency a queueing delay.
 */

export interface ReplayOptions {
  baseUrl: string;
  apiKey: string;
  queues: readonly DocumentQueue[];
  blobs: BlobReader;
  readModels: ReadModelStore;
  documentsInFlight: number;
  perDocumentWindow: number;
  /**
   * Fetches offered per second over all documents (posts spaced evenly), or undefined to post as fast as the window
   * lets: latency under a stated load below saturation, where the window alone measures a queue.
   */
  ratePerSec?: number;
  pollMs: number;
  /**
   * How a poll reads what is visible. `catalogue`: one listDocuments() for every document (a remote database pays
   * per query, not per row). `pending-documents`: one getDocument() per document still awaited (an in-process
   * store pays per row: the catalogue read of 133 documents every 5 ms took 17 % of the embedded main thread).
   */
  probe?: 'catalogue' | 'pending-documents';
  /** performance.now() after which nothing new is posted and waiting stops. */
  deadline: number;
  /** Wraps each poll (the profiler tells the driver's reads from the system's). */
  pollContext?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Set when the system itself failed: stop at once. */
  aborted?: () => boolean;
  /**
   * Told the number of fetches visible so far after each poll, and the bytes of their contents (the cost meter
   * marks its windows by them).
   */
  onVisible?: (visible: number, bytes: number) => void;
}

export interface ReplayResult {
  posted: number;
  accepted: number;
  refused: number;
  /** The first few refusals, for the report. */
  refusals: string[];
  visible: number;
  /** Content bytes of the visible fetches. */
  visibleBytes: number;
  /** ms from each fetch's 202 to the poll that saw it in the read models. */
  visibleMs: number[];
  /** For each entry of visibleMs, ms from the first POST to that fetch's 202: tells start-up from steady state. */
  acceptedAfterMs: number[];
  /** ms from sending each POST to its response (the 202). */
  postMs: number[];
  /** For each entry of postMs, ms from the first POST to that 202. */
  postAcceptedAfterMs: number[];
  firstPostAt: number | null;
  lastVisibleAt: number | null;
  timedOut: boolean;
  polls: number;
  pollErrors: number;
  lastPollError: string | null;
}

class DocumentProgress {
  /** performance.now() of each accepted fetch's 202, in order: the read model's fetchCount n means the first n. */
  readonly acceptedAt: number[] = [];
  /** The content bytes of each accepted fetch, in the same order. */
  readonly acceptedBytes: number[] = [];
  visible = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly documentId: string) {}

  get pending(): boolean {
    return this.visible < this.acceptedAt.length;
  }

  /** Resolves once the condition holds, re-checked after each poll (or at once when the replay ends). */
  async until(condition: () => boolean, ended: () => boolean): Promise<void> {
    while (!condition() && !ended()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

const MAX_REFUSALS_KEPT = 5;

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const result: ReplayResult = {
    posted: 0,
    accepted: 0,
    refused: 0,
    refusals: [],
    visible: 0,
    visibleBytes: 0,
    visibleMs: [],
    acceptedAfterMs: [],
    postMs: [],
    postAcceptedAfterMs: [],
    firstPostAt: null,
    lastVisibleAt: null,
    timedOut: false,
    polls: 0,
    pollErrors: 0,
    lastPollError: null,
  };
  const progress = new Map(
    options.queues.map((queue) => [queue.documentId, new DocumentProgress(queue.documentId)]),
  );
  let postingDone = false;
  const ended = () => {
    if (performance.now() > options.deadline) result.timedOut = true;
    return result.timedOut || options.aborted?.() === true;
  };

  // By default one query per poll for every document (listDocuments), not one per pending document: on FerretDB
  // each query costs the server CPU the system under test needs, and a poll per document multiplied them.
  const pollOnce = async (watched: DocumentProgress[]): Promise<void> => {
    result.polls += 1;
    let fetchCounts: Map<string, number>;
    try {
      const views =
        options.probe === 'pending-documents'
          ? await Promise.all(watched.map((document) => options.readModels.getDocument(document.documentId)))
          : await options.readModels.listDocuments();
      fetchCounts = new Map(
        views.flatMap((view) => (view === null ? [] : [[view.documentId, view.fetchCount] as const])),
      );
    } catch (error) {
      result.pollErrors += 1;
      result.lastPollError = (error as Error).message;
      return;
    }
    const now = performance.now();
    for (const document of watched) {
      // A fetch recorded before its 202 reached us is counted when the 202 arrives, at the next poll.
      const seen = Math.min(fetchCounts.get(document.documentId) ?? 0, document.acceptedAt.length);
      if (seen <= document.visible) continue;
      for (let i = document.visible; i < seen; i += 1) {
        result.visibleMs.push(Math.max(0, now - document.acceptedAt[i]!));
        result.acceptedAfterMs.push(
          document.acceptedAt[i]! - (result.firstPostAt ?? document.acceptedAt[i]!),
        );
        result.visibleBytes += document.acceptedBytes[i]!;
      }
      result.visible += seen - document.visible;
      document.visible = seen;
      result.lastVisibleAt = now;
      document.wake();
    }
    options.onVisible?.(result.visible, result.visibleBytes);
  };

  const poller = (async () => {
    while (!ended()) {
      const watched = [...progress.values()].filter((document) => document.pending);
      if (postingDone && watched.length === 0) break;
      if (watched.length > 0)
        await (options.pollContext ? options.pollContext(() => pollOnce(watched)) : pollOnce(watched));
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    }
    for (const document of progress.values()) document.wake();
  })();

  const post = async (fetch: HistoryFetch, document: DocumentProgress): Promise<void> => {
    const blob = await options.blobs.read(fetch.blob);
    const content = blob.toString('utf8');
    const body = JSON.stringify({
      fetchId: fetch.fetchId,
      service: fetch.service,
      documentType: fetch.documentType,
      sourceUrl: `https://pga.example/${encodeURI(fetch.path)}`,
      fetchedAt: fetch.fetchedAt,
      fetcher: 'pga-versions-replay',
      mimeType: 'text/markdown',
      content,
    });
    const sentAt = performance.now();
    result.firstPostAt ??= sentAt;
    result.posted += 1;
    let refusal: string | null = null;
    try {
      const response = await fetch_(`${options.baseUrl}/v1/fetches`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.apiKey}` },
        body,
      });
      const text = await response.text();
      if (response.status !== 202)
        refusal = `${fetch.fetchId}: HTTP ${response.status} ${text.slice(0, 300)}`;
    } catch (error) {
      // undici says only "fetch failed"; the reason is in its cause.
      const cause = (error as Error & { cause?: unknown }).cause;
      refusal = `${fetch.fetchId}: ${(error as Error).message}${cause instanceof Error ? ` (${cause.message})` : ''}`;
    }
    if (refusal !== null) {
      result.refused += 1;
      if (result.refusals.length < MAX_REFUSALS_KEPT) result.refusals.push(refusal);
      return;
    }
    result.accepted += 1;
    const acceptedAt = performance.now();
    result.postMs.push(acceptedAt - sentAt);
    result.postAcceptedAfterMs.push(acceptedAt - (result.firstPostAt ?? acceptedAt));
    document.acceptedAt.push(acceptedAt);
    document.acceptedBytes.push(blob.length);
  };

  // The next moment a post may start when a rate is set: one slot after another, shared by every document.
  let nextSlot = 0;
  const paced = async (): Promise<void> => {
    if (!options.ratePerSec) return;
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + 1000 / options.ratePerSec;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  };

  try {
    await forEachConcurrently(
      options.queues,
      options.documentsInFlight,
      async (queue) => {
        const document = progress.get(queue.documentId)!;
        for (const fetch of queue.fetches) {
          await document.until(
            () => document.acceptedAt.length - document.visible < options.perDocumentWindow,
            ended,
          );
          if (ended()) return;
          await paced();
          await post(fetch, document);
        }
        // The slot is given to the next document only once this one is fully visible.
        await document.until(() => !document.pending, ended);
      },
      ended,
    );
  } finally {
    postingDone = true;
    await poller;
  }
  return result;
}

// The global fetch of Node (undici), under a name that does not shadow the fetches being replayed.
const fetch_ = globalThis.fetch;
