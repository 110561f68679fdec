import { decodeFetchEvent, DomainError, fetchRecordedIn } from '@termline/domain';
import { BlobReader, listFetches } from '@termline/corpus';
import { RecordFetchCommand, commitIdOfFetch, type RecordFetchResult } from '@termline/versioning';
import type { ProgressReporter, ProgressSample } from '../replay/progress';
import { emptyReplayStats, type ReplayStats } from '../replay/replay-records';
import type { ReplaySession } from '../replay/replay-session';
import { fetchEventOfVersion, readCommitNotes } from './ota-versions.source';

export interface ImportVersionsOptions {
  ref: string;
  /** Where the repository came from, for sources without a snapshot reference. */
  origin: string;
  limit?: number;
  progress?: ProgressReporter | null;
  now?: () => Date;
  maxRejectedKept?: number;
}

export interface ImportStats extends ReplayStats {
  /** Fetches in the repository's history (the 100 % of the progress). */
  total: number;
  /** Fetches found already recorded before reading their content: a resumed or repeated import. */
  skipped: number;
}

/**
 * Imports an Open Terms Archive versions repository: each commit of each `<service>/<type>.md` becomes one fetch,
 * dated at the commit, through the versioning service, in commit order. Streaming: one blob in memory at a time.
 * Resumable and idempotent: a fetch already in the store is skipped before its content is read, so an interrupted
 * import started again continues where it stopped, and a finished one appends nothing.
 */
export async function importVersions(
  session: ReplaySession,
  repo: string,
  options: ImportVersionsOptions,
): Promise<ImportStats> {
  const startedAt = Date.now();
  const now = options.now ?? (() => new Date());
  const maxRejectedKept = options.maxRejectedKept ?? 1000;
  const limits = { maxContentBytes: session.config.maxContentBytes, clockSkewMs: 5 * 60_000 };
  const all = listFetches(repo, options.ref);
  const fetches = options.limit === undefined ? all : all.slice(0, options.limit);
  const notes = readCommitNotes(repo, options.ref);
  const stats: ImportStats = { ...emptyReplayStats(), total: fetches.length, skipped: 0 };
  const correlationId = `import:${new Date(startedAt).toISOString()}`;
  let service: string | null = null;
  const sample = (): ProgressSample => ({
    records: stats.records,
    bytes: stats.bytes,
    fileBytesRead: stats.records,
    fileBytes: stats.total,
    service,
  });
  const blobs = new BlobReader(repo);
  try {
    for (const [index, fetch] of fetches.entries()) {
      stats.records += 1;
      service = fetch.service;
      if (await session.eventStore.readCommit(commitIdOfFetch(fetch.fetchId))) {
        stats.skipped += 1;
        options.progress?.update(sample());
        continue;
      }
      if (stats.skipped === index && index > 0) {
        // The skipped prefix took no real work: rates and the ETA start from here.
        stats.records -= 1;
        options.progress?.restartFrom(sample());
        stats.records += 1;
      }
      const content = await blobs.read(fetch.blob);
      stats.bytes += content.length;
      try {
        const decoded = decodeFetchEvent(
          fetchEventOfVersion(fetch, notes.get(fetch.commit), content, options.origin),
          now(),
          limits,
        );
        const result = await session.commandBus.execute<RecordFetchCommand, RecordFetchResult>(
          new RecordFetchCommand(decoded, correlationId, `import:${fetch.commit}`),
        );
        if (result.duplicate) stats.duplicates += 1;
        else {
          const outcome = fetchRecordedIn(result.events)?.outcome;
          if (outcome) stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
        }
      } catch (error) {
        // A refused fetch is counted and the import goes on; anything else is a bug and stops it.
        if (!(error instanceof DomainError)) throw error;
        stats.rejectedCount += 1;
        stats.rejectedByCode[error.code] = (stats.rejectedByCode[error.code] ?? 0) + 1;
        if (stats.rejected.length < maxRejectedKept) {
          stats.rejected.push({
            lineNumber: index + 1,
            commit: fetch.commit,
            service: fetch.service,
            code: error.code,
            reason: error.message,
          });
        }
      }
      const fatal = session.fatal();
      if (fatal) throw fatal;
      options.progress?.update(sample());
    }
  } finally {
    blobs.close();
  }
  options.progress?.finish(sample());
  stats.wallMs = Date.now() - startedAt;
  return stats;
}
