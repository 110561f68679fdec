import { decodeFetchEvent, DomainError, fetchRecordedIn } from '@termline/domain';
import { RecordFetchCommand, type RecordFetchResult } from '@termline/versioning';
import type { NdjsonSource } from '@termline/corpus';
import type { ProgressReporter, ProgressSample } from './progress';
import type { ReplaySession } from './replay-session';
import { fetchEventOfRecord, parseSnapshotRecord, RecordError } from './snapshot-record';

/** A record that the run refused, and why: the run goes on. */
export interface RejectedRecord {
  lineNumber: number;
  commit: string | null;
  service: string | null;
  code: string;
  reason: string;
}

export interface ReplayStats {
  records: number;
  /** Uncompressed bytes of the records read. */
  bytes: number;
  /** Fetches appended by this run, by outcome (new-version, text-unchanged …). */
  outcomes: Record<string, number>;
  /** Failed fetches (pages standing in for the document) by failure code (error-page, bot-challenge …). */
  failedFetches: Record<string, number>;
  /** The first failed fetches in full (line, document, code, signals), for reading a sample. */
  failedFetchSamples: FailedFetchSample[];
  /** Fetch ids already recorded in the store (a second replay of the same file): nothing appended. */
  duplicates: number;
  rejectedCount: number;
  /** The first `maxRejectedKept` refusals in full; all of them are counted in rejectedByCode. */
  rejected: RejectedRecord[];
  rejectedByCode: Record<string, number>;
  wallMs: number;
}

export interface FailedFetchSample {
  lineNumber: number;
  commit: string | null;
  service: string;
  documentType: string;
  sourcePart: string | null;
  fetchedAt: string;
  code: string;
  reason: string;
}

/** Stats of a replay that has not read a record yet. */
export const emptyReplayStats = (): ReplayStats => ({
  records: 0,
  bytes: 0,
  outcomes: {},
  failedFetches: {},
  failedFetchSamples: [],
  duplicates: 0,
  rejectedCount: 0,
  rejected: [],
  rejectedByCode: {},
  wallMs: 0,
});

export interface ReplayRecordsOptions {
  limit?: number;
  progress?: ProgressReporter | null;
  /** Read once per record: records are dated in the past, the contract only refuses fetches from the future. */
  now?: () => Date;
  correlationId?: string;
  maxRejectedKept?: number;
}

/** Feeds the records of a file, in file order, one at a time, to the versioning service of the session. */
export async function replayRecords(
  session: ReplaySession,
  source: NdjsonSource,
  options: ReplayRecordsOptions = {},
): Promise<ReplayStats> {
  const startedAt = Date.now();
  const now = options.now ?? (() => new Date());
  const maxRejectedKept = options.maxRejectedKept ?? 1000;
  const correlationId = options.correlationId ?? `replay:${new Date(startedAt).toISOString()}`;
  const limits = { maxContentBytes: session.config.maxContentBytes, clockSkewMs: 5 * 60_000 };
  const stats = emptyReplayStats();
  let service: string | null = null;
  const sample = (): ProgressSample => ({
    records: stats.records,
    bytes: stats.bytes,
    fileBytesRead: source.bytesRead(),
    fileBytes: source.fileBytes,
    service,
  });
  const reject = (rejection: RejectedRecord): void => {
    stats.rejectedCount += 1;
    stats.rejectedByCode[rejection.code] = (stats.rejectedByCode[rejection.code] ?? 0) + 1;
    if (stats.rejected.length < maxRejectedKept) stats.rejected.push(rejection);
  };

  for await (const line of source.lines()) {
    if (options.limit !== undefined && stats.records >= options.limit) break;
    stats.records += 1;
    stats.bytes += line.bytes;
    let commit: string | null = null;
    service = null;
    try {
      const record = parseSnapshotRecord(line.text);
      commit = record.commit;
      service = typeof record.service === 'string' ? record.service : null;
      const decoded = decodeFetchEvent(fetchEventOfRecord(record), now(), limits);
      const result = await session.commandBus.execute<RecordFetchCommand, RecordFetchResult>(
        new RecordFetchCommand(decoded, correlationId, `replay-line:${line.lineNumber}`),
      );
      if (result.duplicate) stats.duplicates += 1;
      else {
        const recorded = fetchRecordedIn(result.events);
        const outcome = recorded?.outcome;
        if (outcome) stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
        if (recorded?.outcome === 'failed-fetch' && recorded.failure) {
          const { code, reason } = recorded.failure;
          stats.failedFetches[code] = (stats.failedFetches[code] ?? 0) + 1;
          if (stats.failedFetchSamples.length < maxRejectedKept)
            stats.failedFetchSamples.push({
              lineNumber: line.lineNumber,
              commit,
              service: recorded.service,
              documentType: recorded.documentType,
              sourcePart: recorded.sourcePart,
              fetchedAt: recorded.fetchedAt,
              code,
              reason,
            });
        }
      }
    } catch (error) {
      // Operational refusals (a bad record, a conflicting fetch id) are counted; anything else is a bug and stops.
      if (error instanceof RecordError || error instanceof DomainError) {
        reject({ lineNumber: line.lineNumber, commit, service, code: error.code, reason: error.message });
      } else throw error;
    }
    const fatal = session.fatal();
    if (fatal) throw fatal;
    options.progress?.update(sample());
  }
  options.progress?.finish(sample());
  stats.wallMs = Date.now() - startedAt;
  return stats;
}
