import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateStore } from './eval/corpus-evaluation';
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
} from './eval/evaluation-report';
import { classifyOtaVersions, DAY_MS, readOtaVersions } from './eval/ota-versions';
import { openNdjson } from './replay/ndjson-reader';
import { ProgressReporter } from './replay/progress';
import { emptyReplayStats, replayRecords, type ReplayStats } from './replay/replay-records';
import { positiveInteger, UsageError } from './replay/replay.command';
import { openReplaySession } from './replay/replay-session';

/**
 * `npm run eval:corpus`: replays the genai dev corpus through Termline and measures the result against Open
 * Terms Archive's own versions (issue "What is a version", item 7). A measurement: it exits 0 whether or not
 * the targets are met, and says PASS or MISS for each.
 */
const USAGE = `Usage: npm run eval:corpus -- [--limit <n>] [--data <dir> [--reuse]] [--out <file>] [--window-days <d>]

  --limit <n>               replay only the first n records (OTA versions whose snapshots were not all read are left out)
  --data <dir>              replay into this embedded store and keep it (default: a temporary one, removed after)
  --reuse                   do not replay: evaluate the store already in --data (written by an earlier run)
  --out <file>              results (default eval/results/latest.json)
  --window-days <d>         flip-back window for classifying OTA's versions (default 7)
  --progress-interval <s>   seconds between progress lines when stderr is not a terminal (default 10)

Corpus: $TERMLINE_CORPUS_DIR (default ../shared/corpus): genai-snapshots-dev.ndjson.br,
genai-versions-dev.ndjson.br and declarations/.`;

const STATS_FILE = 'replay-stats.json';

interface EvalArguments {
  limit: number | undefined;
  dataDir: string | null;
  reuse: boolean;
  out: string;
  windowDays: number;
  progressIntervalMs: number;
}

function parseEvalArguments(argv: readonly string[]): EvalArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        limit: { type: 'string' },
        data: { type: 'string' },
        reuse: { type: 'boolean' },
        out: { type: 'string' },
        'window-days': { type: 'string' },
        'progress-interval': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (values.reuse && !values.data) throw new UsageError('--reuse needs --data <dir>');
  if (values.reuse && !existsSync(join(values.data!, 'events.sqlite'))) {
    throw new UsageError(`--reuse: ${values.data} holds no event store`);
  }
  return {
    limit: positiveInteger('--limit', values.limit),
    dataDir: values.data ?? null,
    reuse: values.reuse ?? false,
    out: values.out ?? join('eval', 'results', 'latest.json'),
    windowDays: positiveInteger('--window-days', values['window-days']) ?? 7,
    progressIntervalMs: (positiveInteger('--progress-interval', values['progress-interval']) ?? 10) * 1000,
  };
}

function corpusFiles(): { snapshots: string; versions: string; declarations: string } {
  const dir = resolve(process.env.TERMLINE_CORPUS_DIR ?? join('..', 'shared', 'corpus'));
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

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

async function run(args: EvalArguments): Promise<void> {
  const corpus = corpusFiles();
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
        const progress = new ProgressReporter(process.stderr, args.progressIntervalMs);
        stats = await replayRecords(session, openNdjson(corpus.snapshots), { limit: args.limit, progress });
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
        `Matched, but not at the revealing record (${sameFetchMisses.length}):`,
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
      process.stdout.write(`${lines.join('\n')}\n`);

      const results = {
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
      process.stdout.write(`\nResults written to ${args.out}\n`);
    } finally {
      await session.close();
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseEvalArguments(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    await run(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`eval:corpus: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
