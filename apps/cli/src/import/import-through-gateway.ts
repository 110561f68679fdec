import { BlobReader, listFetches, type NdjsonSource } from '@termline/corpus';
import type { GatewayClient } from '../read/read-source';
import { CommandFailure } from '../read/read-source';
import type { ProgressReporter, ProgressSample } from '../replay/progress';
import { emptyReplayStats } from '../replay/replay-records';
import { fetchEventOfRecord, parseSnapshotRecord, RecordError } from '../replay/snapshot-record';
import type { ImportStats } from './import-versions';
import { fetchEventOfVersion, readCommitNotes } from './ota-versions.source';

/** Answers that refuse one fetch (invalid, conflicting, too large): counted, and the import goes on. */
const REFUSALS = new Set([400, 409, 413, 415, 422]);

/** One fetch to send, with where it came from (for refusals and progress). */
interface PendingFetch {
  event: Record<string, unknown>;
  lineNumber: number;
  commit: string | null;
  service: string | null;
  bytes: number;
}

/**
 * Imports through a running gateway: each fetch is POSTed to /v1/fetches (an ingest or admin key), the path every
 * fetcher takes, so the distributed system records it through Kafka like any other. Idempotent on the gateway's
 * side (a fetch id already recorded with the same content answers "already-recorded"), so an interrupted import
 * just runs again. A refusal (400/409/413/422) is counted and the import goes on; anything else stops it.
 */
async function postAll(
  gateway: GatewayClient,
  fetches: AsyncIterable<PendingFetch>,
  progress: ProgressReporter | null,
  position: () => { fileBytesRead: number; fileBytes: number },
  total: number,
): Promise<ImportStats> {
  const startedAt = Date.now();
  const stats: ImportStats = { ...emptyReplayStats(), total, skipped: 0 };
  let service: string | null = null;
  const sample = (): ProgressSample => ({
    records: stats.records,
    bytes: stats.bytes,
    ...position(),
    service,
  });
  for await (const fetch of fetches) {
    stats.records += 1;
    stats.bytes += fetch.bytes;
    service = fetch.service;
    try {
      const response = await gateway.request('POST', '/v1/fetches', { body: fetch.event });
      const receipt = (await response.json()) as { status: string };
      if (receipt.status === 'already-recorded') stats.skipped += 1;
      else stats.outcomes.accepted = (stats.outcomes.accepted ?? 0) + 1;
    } catch (error) {
      if (!(error instanceof CommandFailure) || !REFUSALS.has(error.status ?? 0)) throw error;
      const code = `http-${error.status}`;
      stats.rejectedCount += 1;
      stats.rejectedByCode[code] = (stats.rejectedByCode[code] ?? 0) + 1;
      if (stats.rejected.length < 1000)
        stats.rejected.push({
          lineNumber: fetch.lineNumber,
          commit: fetch.commit,
          service: fetch.service,
          code,
          reason: error.message,
        });
    }
    progress?.update(sample());
  }
  progress?.finish(sample());
  stats.wallMs = Date.now() - startedAt;
  return stats;
}

export async function importVersionsThroughGateway(
  gateway: GatewayClient,
  repo: string,
  options: { ref: string; origin: string; limit?: number; progress: ProgressReporter | null },
): Promise<ImportStats> {
  const all = listFetches(repo, options.ref);
  const fetches = options.limit === undefined ? all : all.slice(0, options.limit);
  const notes = readCommitNotes(repo, options.ref);
  const blobs = new BlobReader(repo);
  let done = 0;
  async function* events(): AsyncGenerator<PendingFetch> {
    for (const [index, fetch] of fetches.entries()) {
      const content = await blobs.read(fetch.blob);
      done = index + 1;
      yield {
        event: fetchEventOfVersion(fetch, notes.get(fetch.commit), content, options.origin),
        lineNumber: index + 1,
        commit: fetch.commit,
        service: fetch.service,
        bytes: content.length,
      };
    }
  }
  try {
    return await postAll(
      gateway,
      events(),
      options.progress,
      () => ({ fileBytesRead: done, fileBytes: fetches.length }),
      fetches.length,
    );
  } finally {
    blobs.close();
  }
}

export async function importRecordsThroughGateway(
  gateway: GatewayClient,
  source: NdjsonSource,
  options: { limit?: number; progress: ProgressReporter | null },
): Promise<ImportStats> {
  const refusedLines: ImportStats['rejected'] = [];
  async function* events(): AsyncGenerator<PendingFetch> {
    let count = 0;
    for await (const line of source.lines()) {
      if (options.limit !== undefined && count >= options.limit) return;
      count += 1;
      try {
        const record = parseSnapshotRecord(line.text);
        yield {
          event: fetchEventOfRecord(record),
          lineNumber: line.lineNumber,
          commit: record.commit,
          service: typeof record.service === 'string' ? record.service : null,
          bytes: line.bytes,
        };
      } catch (error) {
        // A broken line is refused here, with its number, before anything is sent for it.
        if (!(error instanceof RecordError)) throw error;
        refusedLines.push({
          lineNumber: line.lineNumber,
          commit: null,
          service: null,
          code: error.code,
          reason: error.message,
        });
      }
    }
  }
  const stats = await postAll(
    gateway,
    events(),
    options.progress,
    () => ({ fileBytesRead: source.bytesRead(), fileBytes: source.fileBytes }),
    0,
  );
  for (const refusal of refusedLines) {
    stats.records += 1;
    stats.rejectedCount += 1;
    stats.rejectedByCode[refusal.code] = (stats.rejectedByCode[refusal.code] ?? 0) + 1;
    if (stats.rejected.length < 1000) stats.rejected.push(refusal);
  }
  return stats;
}
