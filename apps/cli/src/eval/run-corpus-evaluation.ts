import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openNdjson } from '@termline/corpus';
import type { ProgressReporter } from '../replay/progress';
import { emptyReplayStats, replayRecords, type ReplayStats } from '../replay/replay-records';
import { UsageError } from '../replay/replay.command';
import { openReplaySession } from '../replay/replay-session';
import { evaluateStore } from './corpus-evaluation';
import {
  COUNT_RATIO_TARGET,
  countRatioPasses,
  formatMetrics,
  formatServiceTable,
  metricsOf,
  missesOf,
  sameFetchMissesOf,
  TEXT_EQUALITY_TARGET,
  textEqualityPasses,
  worstMismatchesOf,
  type Metrics,
  type MismatchEntry,
  type MissEntry,
} from './evaluation-report';
import { classifyOtaVersions, DAY_MS, type OtaCategory, readOtaVersions } from './ota-versions';

export interface CorpusFiles {
  snapshots: string;
  versions: string;
  declarations: string;
}

/** The corpus files in `dir` (default $TERMLINE_CORPUS_DIR, else ../shared/corpus); a missing one is a usage error. */
export function corpusFiles(
  dir = process.env.TERMLINE_CORPUS_DIR ?? join('..', 'shared', 'corpus'),
): CorpusFiles {
  dir = resolve(dir);
  const files = {
    snapshots: join(dir, 'genai-snapshots-dev.ndjson.br'),
    versions: join(dir, 'genai-versions-dev.ndjson.br'),
    declarations: join(dir, 'declarations'),
  };
  for (const file of Object.values(files)) {
    if (!existsSync(file))
      throw new UsageError(`${file} not found (set TERMLINE_CORPUS_DIR to the corpus folder)`);
  }
  return files;
}

const STATS_FILE = 'replay-stats.json';

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** What `eval/results/latest.json` holds. */
export interface CorpusEvaluationResults {
  generatedAt: string;
  corpus: CorpusFiles;
  limit: number | null;
  flipBackWindowDays: number;
  replay: {
    records: number;
    megabytes: number;
    wallSeconds: number;
    recordsPerSecond: number;
    megabytesPerSecond: number;
    peakRssMegabytes: number;
    outcomes: ReplayStats['outcomes'];
    rejected: number;
    rejectedByCode: ReplayStats['rejectedByCode'];
    rejectedRecords: ReplayStats['rejected'];
  };
  evaluationPeakRssMegabytes: number;
  targets: Record<
    'countRatio' | 'textEquality',
    { target: string; value: number | null; pass: boolean | null }
  >;
  overall: Metrics;
  byService: Record<string, Metrics>;
  otaVersionsOutOfScope: number;
  recallMisses: MissEntry[];
  sameRecordMisses: MissEntry[];
  worstTextMismatches: MismatchEntry[];
  textMismatches: Array<{
    documentId: string;
    otaVersionCommit: string;
    recordedAt: string;
    category: OtaCategory;
    termlineVersion: number | undefined;
    distance: number;
    firstDifference: unknown;
    sameWords: boolean;
    wordsDistance: number;
    firstWordsDifference: unknown;
  }>;
}

export interface CorpusEvaluationOptions {
  corpus: CorpusFiles;
  /** Replay only the first n records. */
  limit: number | undefined;
  /** The embedded store to replay into and keep; null: a temporary one, removed after. */
  dataDir: string | null;
  /** Evaluate the store in dataDir without replaying it again. */
  reuse: boolean;
  /** Where the results JSON is written. */
  out: string;
  windowDays: number;
  progress: ProgressReporter | null;
}

/**
 * Replays the corpus into an embedded store (or reuses one), matches Termline's versions with OTA's, writes the
 * results file and returns the results with the printed report. The body of `npm run eval:corpus` and of the
 * corpus test tier.
 */
export async function runCorpusEvaluation(
  args: CorpusEvaluationOptions,
): Promise<{ results: CorpusEvaluationResults; report: string[] }> {
  const corpus = args.corpus;
  const temporary = args.dataDir === null ? mkdtempSync(join(tmpdir(), 'termline-eval-')) : null;
  const dataDir = resolve(args.dataDir ?? temporary!);
  try {
    const session = await openReplaySession({ dataDir, declarationsDir: corpus.declarations });
    try {
      let stats: ReplayStats;
      let replayPeakRss: number;
      if (args.reuse) {
        // A store written by `termline replay --data` has no stats file: its refusals are then unknown.
        const statsFile = join(dataDir, STATS_FILE);
        const saved = existsSync(statsFile)
          ? (JSON.parse(readFileSync(statsFile, 'utf8')) as { stats: ReplayStats; peakRssBytes: number })
          : {
              stats: emptyReplayStats(),
              peakRssBytes: 0,
            };
        stats = saved.stats;
        replayPeakRss = saved.peakRssBytes;
        process.stderr.write(
          `Reusing the store in ${dataDir} (${existsSync(statsFile) ? `replayed earlier: ${stats.records} records` : 'no replay stats: refusals unknown'})\n`,
        );
      } else {
        stats = await replayRecords(session, openNdjson(corpus.snapshots), {
          limit: args.limit,
          progress: args.progress,
        });
        replayPeakRss = process.resourceUsage().maxRSS * 1024;
        writeFileSync(join(dataDir, STATS_FILE), JSON.stringify({ stats, peakRssBytes: replayPeakRss }));
      }

      const ota = classifyOtaVersions(await readOtaVersions(corpus.versions), args.windowDays * DAY_MS);
      const evaluation = await evaluateStore(session.eventStore, ota, stats.rejected);

      const services = [
        ...new Set([
          ...evaluation.results.map((r) => r.ota.service),
          ...evaluation.termline.map((v) => v.service),
        ]),
      ].sort();
      const overall = metricsOf(evaluation.results, evaluation.termline);
      const byService = new Map<string, Metrics>(
        services.map((service) => [
          service,
          metricsOf(
            evaluation.results.filter((r) => r.ota.service === service),
            evaluation.termline.filter((v) => v.service === service),
          ),
        ]),
      );
      const misses = missesOf(evaluation.results);
      const sameFetchMisses = sameFetchMissesOf(evaluation.results);
      const worst = worstMismatchesOf(evaluation.results);
      const seconds = stats.wallMs / 1000;
      const replay = {
        records: stats.records,
        megabytes: Math.round(stats.bytes / 1e6),
        wallSeconds: Math.round(seconds),
        recordsPerSecond: Number((stats.records / Math.max(seconds, 0.001)).toFixed(1)),
        megabytesPerSecond: Number((stats.bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(2)),
        peakRssMegabytes: mb(replayPeakRss),
        outcomes: stats.outcomes,
        rejected: stats.rejectedCount,
        rejectedByCode: stats.rejectedByCode,
        rejectedRecords: stats.rejected,
      };

      const lines = [
        `Termline against Open Terms Archive, genai dev corpus${args.limit ? ` (first ${args.limit} records)` : ''}`,
        `Replay: ${replay.records} records, ${replay.megabytes} MB in ${replay.wallSeconds} s (${replay.recordsPerSecond} records/s, ` +
          `${replay.megabytesPerSecond} MB/s), peak RSS ${replay.peakRssMegabytes} MB; ` +
          `fetches ${Object.entries(stats.outcomes)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}; rejected ${stats.rejectedCount}`,
        ...(evaluation.outOfScope
          ? [`OTA versions left out (snapshots not all replayed): ${evaluation.outOfScope}`]
          : []),
        ...formatMetrics(overall, args.windowDays),
        '',
        'Per service:',
        ...formatServiceTable(byService).map((l) => `  ${l}`),
        '',
        `Recall misses (${misses.length}):`,
        ...misses.map(
          (m) =>
            `  ${m.documentId} ${m.recordedAt} OTA ${m.otaVersionCommit.slice(0, 10)} (record ${m.revealingCommit.slice(0, 10)}): ${m.reason}`,
        ),
        '',
        `Matched, but not at a record that revealed OTA's version (${sameFetchMisses.length}):`,
        ...sameFetchMisses
          .slice(0, 30)
          .map(
            (m) => `  ${m.documentId} ${m.recordedAt} record ${m.revealingCommit.slice(0, 10)}: ${m.reason}`,
          ),
        ...(sameFetchMisses.length > 30
          ? [`  … ${sameFetchMisses.length - 30} more in the results file`]
          : []),
        '',
        `Worst text mismatches, one per document (${worst.length}; ${overall.textCompared - overall.textEqual} mismatches in all):`,
        ...worst.flatMap((w) => [
          `  ${w.documentId} ${w.recordedAt} (${w.category}, OTA ${w.otaVersionCommit.slice(0, 10)}, Termline v${w.termlineVersion}): ` +
            `${w.distance} lines apart, ${w.wordsDistance} once rendered; first differing line (${w.line ?? '?'}):`,
          `    OTA:      ${w.ota ?? '(end of text)'}`,
          `    Termline: ${w.termline ?? '(end of text)'}`,
          ...(w.sameWords
            ? ['    (same words once Markdown markup is ignored)']
            : [
                `    first difference of words (word ${w.wordsLine ?? '?'}):`,
                `    OTA:      ${w.otaWords ?? '(end of text)'}`,
                `    Termline: ${w.termlineWords ?? '(end of text)'}`,
              ]),
        ]),
      ];
      const results: CorpusEvaluationResults = {
        generatedAt: new Date().toISOString(),
        corpus,
        limit: args.limit ?? null,
        flipBackWindowDays: args.windowDays,
        replay,
        evaluationPeakRssMegabytes: mb(process.resourceUsage().maxRSS * 1024),
        targets: {
          countRatio: {
            target: `<= ${COUNT_RATIO_TARGET}`,
            value: overall.countRatio,
            pass: countRatioPasses(overall),
          },
          textEquality: {
            target: `>= ${TEXT_EQUALITY_TARGET}`,
            value: overall.textEquality,
            pass: textEqualityPasses(overall),
          },
        },
        overall,
        byService: Object.fromEntries(byService),
        otaVersionsOutOfScope: evaluation.outOfScope,
        recallMisses: misses,
        sameRecordMisses: sameFetchMisses,
        worstTextMismatches: worst,
        textMismatches: evaluation.results
          .filter((r) => r.text && !r.text.equal)
          .map((r) => ({
            documentId: r.ota.documentId,
            otaVersionCommit: r.ota.commit,
            recordedAt: r.ota.recordedAt,
            category: r.ota.category,
            termlineVersion: r.match?.version,
            distance: r.text!.distance,
            firstDifference: r.text!.firstDifference,
            sameWords: r.text!.sameWords,
            wordsDistance: r.text!.wordsDistance,
            firstWordsDifference: r.text!.firstWordsDifference,
          })),
      };
      mkdirSync(dirname(resolve(args.out)), { recursive: true });
      writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
      return { results, report: lines };
    } finally {
      await session.close();
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}
