import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runArchiveBench } from './archive-bench';
import { startBenchSystem, type BenchMode, type BenchSystemOptions } from './bench-system';
import { BlobReader, cloneBundle, corpusDir, listFetches, repoRootFrom, BUNDLE_NAME } from '@termline/corpus';
import type { ReadModelStore } from '@termline/readmodels';
import { replay, type ReplayResult } from './replay';
import {
  afterWarmup,
  documentQueues,
  expectationsOf,
  percentile,
  type DocumentQueue,
  type HistoryExpectations,
} from './replay-plan';
import { applyExperiments, asBenchDriver, experimentsFromEnv, instrument, StageTimers } from './profiler';
import { hostPortOf, infraPids, ResourceSampler, tcpAnswers } from './resources';
import {
  difference,
  InProcessRoundTrips,
  perFetch,
  ReplayWindows,
  scrapeRoundTrips,
  type Counts,
} from './cost-meter';
import { runAuditBench } from './audit-bench';
import { runGovernance } from './run-governance-bench';

/**
 * `npm run bench`: replays the history of pga-versions over HTTP through each mode of Termline, and writes
 * bench/results/latest.json. Knobs (environment): BENCH_MODES (embedded,kafka-mongo), BENCH_DOCUMENTS_IN_FLIGHT
 * (16), BENCH_WINDOW (8 fetches accepted but not yet visible per document), BENCH_POLL_MS (5),
 * BENCH_MODE_TIMEOUT_S (600), BENCH_LIMIT (replay only the first N fetches, for a quick try),
 * BENCH_KAFKA_PROCESSES (split: gateway, versioning and projection as three built processes, each measured apart;
 * single: all three in the bench's process, as before), BENCH_INFRA_ROOT (the checkout whose .infra/run holds the
 * pids of Kafka and FerretDB, when they were started from another one; default this one), BENCH_MODES_ONLY=1 (the
 * modes' replays alone: no text, archive or governance section), BENCH_NODE_ARGS (node options for the split
 * processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_RATE (fetches offered per second, evenly spaced: the
 * latency under a stated load below saturation; default 0, as fast as the window lets), BENCH_WARMUP_S (20: the
 * fetches accepted in the replay's first seconds are left out of `visibleAfterWarmup`).
 */

const intFromEnv = (name: string, fallback: number, min = 1): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
};

interface DriverSettings {
  documentsInFlight: number;
  perDocumentWindow: number;
  /** BENCH_RATE: fetches offered per second (0: as fast as the window lets). */
  ratePerSec: number;
  /** BENCH_WARMUP_S: fetches accepted in the replay's first seconds are left out of `visibleAfterWarmup`. */
  warmupSeconds: number;
  pollMs: number;
  /**
   * A poll is a query to FerretDB there, whose CPU the system under test shares: at 25 ms the poller kept about
   * one query in flight all the time (7841 polls, 49 ms each, in 550 s), while visibility takes seconds there.
   */
  pollMsKafkaMongo: number;
  modeTimeoutSeconds: number;
  /** BENCH_PROFILE=1: time the stages and every MongoDB and Kafka call (see profiler.ts). */
  profile: boolean;
}

type ModeResult = Record<string, unknown> & { mode: BenchMode };

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function runMode(
  mode: BenchMode,
  queues: readonly DocumentQueue[],
  expectations: HistoryExpectations & { fetches: number },
  repo: string,
  repoRoot: string,
  settings: DriverSettings,
  infra: BenchSystemOptions,
): Promise<ModeResult> {
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = round(loadavg()[0] ?? 0, 2);
  const startMs = performance.now();
  const timers = settings.profile ? new StageTimers() : null;
  const experiments = experimentsFromEnv();
  const undoExperiments = mode === 'kafka-mongo' ? applyExperiments(experiments) : () => undefined;
  const undoTimers = timers ? instrument(timers) : () => undefined;
  const split = mode === 'kafka-mongo' && process.env.BENCH_KAFKA_PROCESSES !== 'single';
  let system;
  try {
    system = await startBenchSystem(
      mode,
      split
        ? { ...infra, split: { repoRoot, logDir: mkdtempSync(join(repoRoot, '.tmp', 'bench-logs-')) } }
        : infra,
    );
  } catch (error) {
    undoTimers();
    undoExperiments();
    throw error;
  }
  const startupSeconds = round((performance.now() - startMs) / 1000, 2);
  const blobs = new BlobReader(repo);
  // In kafka-mongo mode the broker and FerretDB are other processes: their memory and CPU are sampled apart.
  const pids: Record<string, number> = {
    ...(mode === 'kafka-mongo' ? infraPids(process.env.BENCH_INFRA_ROOT ?? repoRoot) : {}),
    ...(system.processes?.pids ?? {}),
  };
  const sampler = new ResourceSampler(pids);
  // Round trips: from each process's /metrics when the system runs apart, else counted in this process.
  const metricsUrls = system.processes?.metricsUrls;
  const tripsBefore = metricsUrls ? await scrapeRoundTrips(metricsUrls).catch(() => null) : null;
  const inProcessTrips = metricsUrls ? null : new InProcessRoundTrips();
  const windows = new ReplayWindows(
    expectations.fetches,
    pids,
    mode === 'embedded' || !split ? 'termline+bench' : 'bench',
  );
  let replayed: ReplayResult | null = null;
  let error: string | null = null;
  try {
    replayed = await replay({
      baseUrl: system.baseUrl,
      apiKey: system.apiKey,
      queues,
      blobs,
      readModels: system.readModels,
      documentsInFlight: settings.documentsInFlight,
      perDocumentWindow: settings.perDocumentWindow,
      ...(settings.ratePerSec > 0 ? { ratePerSec: settings.ratePerSec } : {}),
      pollMs: mode === 'kafka-mongo' ? settings.pollMsKafkaMongo : settings.pollMs,
      probe: mode === 'kafka-mongo' ? 'catalogue' : 'pending-documents',
      deadline: performance.now() + settings.modeTimeoutSeconds * 1000,
      aborted: () => system.fatal.length > 0,
      pollContext: asBenchDriver,
      onVisible: (visible, bytes) => windows.onVisible(visible, bytes),
    });
  } catch (caught) {
    error = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
  }
  const resources = sampler.stop();
  blobs.close();
  let trips: Counts | null = null;
  let tripsByProcess: Record<string, Counts> | null = null;
  if (inProcessTrips) trips = inProcessTrips.stop();
  else if (metricsUrls && tripsBefore) {
    const after = await scrapeRoundTrips(metricsUrls).catch(() => null);
    if (after) {
      tripsByProcess = Object.fromEntries(
        Object.entries(after).map(([name, counts]) => [name, difference(counts, tripsBefore[name] ?? {})]),
      );
      trips = {};
      for (const counts of Object.values(tripsByProcess))
        for (const [kind, count] of Object.entries(counts)) trips[kind] = (trips[kind] ?? 0) + count;
    }
  }

  let versions = 0;
  let visibleFetches = 0;
  let documents = 0;
  let outcomes: Record<string, number> = {};
  try {
    for (const { documentId } of queues) {
      const view = await system.readModels.getDocument(documentId);
      if (!view) continue;
      documents += 1;
      versions += view.versionCount;
      visibleFetches += view.fetchCount;
    }
    outcomes = await outcomesOf(system.readModels, queues);
  } catch (caught) {
    error ??= `Reading the read models at the end: ${String(caught)}`;
  }
  const location = system.location;
  const fatal = [...system.fatal];
  const cleanupProblems = await system.close();
  undoTimers();
  undoExperiments();

  const seconds =
    replayed?.firstPostAt != null && replayed.lastVisibleAt != null
      ? (replayed.lastVisibleAt - replayed.firstPostAt) / 1000
      : null;
  const perSecond = (count: number) => (seconds ? round(count / seconds) : null);
  const p = (q: number) => {
    const value = replayed ? percentile(replayed.visibleMs, q) : null;
    return value === null ? null : round(value);
  };
  return {
    mode,
    startedAt,
    fetches: visibleFetches,
    versions,
    documents,
    expectedFetches: expectations.fetches,
    expectedVersions: expectations.expectedVersions,
    expectedVersionsInOrder: expectations.expectedVersionsInOrder,
    outOfOrderFetches: expectations.outOfOrderFetches,
    // What the system made of the fetches: why versions differs from expectedVersions.
    outcomes,
    seconds: seconds === null ? null : round(seconds, 2),
    fetchesPerSec: perSecond(visibleFetches),
    versionsPerSec: perSecond(versions),
    p50VisibleMs: p(50),
    p90VisibleMs: p(90),
    p99VisibleMs: p(99),
    maxVisibleMs: p(100),
    // The same latency for the fetches accepted after the first BENCH_WARMUP_S seconds: the replay starts with
    // every document new (first versions map every provision) on cold processes, a queue the steady state lacks.
    visibleAfterWarmup: replayed
      ? afterWarmup(replayed.visibleMs, replayed.acceptedAfterMs, settings.warmupSeconds)
      : null,
    postAfterWarmup: replayed
      ? afterWarmup(replayed.postMs, replayed.postAcceptedAfterMs, settings.warmupSeconds)
      : null,
    p50PostMs: replayed ? round(percentile(replayed.postMs, 50) ?? 0) : null,
    p99PostMs: replayed ? round(percentile(replayed.postMs, 99) ?? 0) : null,
    offeredRatePerSec: settings.ratePerSec > 0 ? settings.ratePerSec : null,
    peakRssMb: resources.peakRssMb,
    ...(mode === 'kafka-mongo'
      ? {
          infraPeakRssMb: resources.infraPeakRssMb,
          rssNote:
            'peakRssMb is this Node process (gateway + versioning + projection + bench driver). Kafka, FerretDB and ' +
            'PostgreSQL (behind FerretDB, when used) are separate processes, sampled from /proc/<pid>/status VmRSS ' +
            'as infraPeakRssMb with their children (shared memory counted per process); they also serve other users.',
        }
      : {
          rssNote:
            'peakRssMb is this Node process: the whole system (SQLite in-process) plus the bench driver.',
        }),
    cpuSeconds: resources.cpuSeconds,
    // What a fetch costs whatever else runs on the machine: CPU of this process and the infrastructure, per fetch.
    cpuMsPerFetch:
      visibleFetches > 0
        ? round((Object.values(resources.cpuSeconds).reduce((a, b) => a + b, 0) * 1000) / visibleFetches)
        : null,
    // The same CPU by process (in embedded mode, and with BENCH_KAFKA_PROCESSES=single, the system and the bench
    // driver are one process: termline+bench).
    processes: split ? 'gateway, versioning and projection apart' : 'one process with the bench driver',
    cpuMsPerFetchByProcess:
      visibleFetches > 0
        ? Object.fromEntries(
            Object.entries(resources.cpuSeconds).map(([name, seconds]) => [
              name === 'bench' && !split ? 'termline+bench' : name,
              round((seconds * 1000) / visibleFetches),
            ]),
          )
        : null,
    // The bench process's main thread (in embedded mode the whole system's event loop and the driver): its CPU per
    // fetch, what bounds the embedded mode's throughput; then the event loop's busy time per fetch and its share of
    // the wall time (busy includes waiting for a core on a loaded machine and for synchronous fsyncs).
    mainThreadCpuMsPerFetch:
      visibleFetches > 0 && resources.mainThread.cpuSeconds !== null
        ? round((resources.mainThread.cpuSeconds * 1000) / visibleFetches)
        : null,
    mainThreadMsPerFetch:
      visibleFetches > 0 ? round((resources.mainThread.busySeconds * 1000) / visibleFetches) : null,
    mainThreadUtilisation: resources.mainThread.utilisation,
    // Database round trips per visible fetch by `store:operation`, the bench's own polls left out.
    dbRoundTripsPerFetch: trips ? perFetch(trips, visibleFetches) : null,
    ...(tripsByProcess
      ? {
          dbRoundTripsPerFetchByProcess: Object.fromEntries(
            Object.entries(tripsByProcess).map(([name, counts]) => [name, perFetch(counts, visibleFetches)]),
          ),
        }
      : {}),
    // The first and the last fetches of the replay: a flat cost per fetch keeps the ratio near 1 (goal <= 1.2).
    replayCost: windows.report(),
    startupSeconds,
    // Other work on the machine shows here: the bench shares its cores with whatever else runs.
    loadAverage: { atStart: loadAverageAtStart, atEnd: round(loadavg()[0] ?? 0, 2) },
    http: replayed
      ? {
          posted: replayed.posted,
          accepted: replayed.accepted,
          refused: replayed.refused,
          refusals: replayed.refusals,
        }
      : null,
    poller: replayed
      ? { polls: replayed.polls, errors: replayed.pollErrors, lastError: replayed.lastPollError }
      : null,
    timedOut: replayed?.timedOut ?? false,
    ...(fatal.length > 0 ? { fatal } : {}),
    ...(error ? { error } : {}),
    ...(cleanupProblems.length > 0 ? { cleanupProblems } : {}),
    ranOn: location,
    ...(mode === 'kafka-mongo' &&
    (experiments.partitionsConsumedConcurrently !== null || experiments.topicPartitions !== null)
      ? { experiments }
      : {}),
    ...(timers ? { profile: timers.summary() } : {}),
  };
}

/** Fetches by outcome (new-version, text-unchanged, ...), from every document's observations. */
async function outcomesOf(
  readModels: ReadModelStore,
  queues: readonly DocumentQueue[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { documentId } of queues) {
    let after = 0;
    for (;;) {
      const page = await readModels.listObservations(documentId, { afterStreamVersion: after, limit: 500 });
      for (const observation of page) counts[observation.outcome] = (counts[observation.outcome] ?? 0) + 1;
      if (page.length < 500) break;
      after = page[page.length - 1]!.streamVersion;
    }
  }
  return counts;
}

async function kafkaMongoSkipReason(infra: BenchSystemOptions): Promise<string | null> {
  const kafka = hostPortOf(infra.kafkaBrokers.split(',')[0] ?? '', 9092);
  const mongo = hostPortOf(infra.mongoUri, 27017);
  const missing: string[] = [];
  if (!(await tcpAnswers(kafka.host, kafka.port)))
    missing.push(`Kafka not reachable at ${kafka.host}:${kafka.port}`);
  if (!(await tcpAnswers(mongo.host, mongo.port)))
    missing.push(`MongoDB not reachable at ${mongo.host}:${mongo.port}`);
  return missing.length > 0 ? `${missing.join('; ')} (npm run infra:up)` : null;
}

/** The text bench of bench/text-bench.ts, when it exists; its failure is recorded, never fatal to this bench. */
async function runTextBench(corpus: string): Promise<unknown> {
  const file = join(__dirname, 'text-bench.js');
  if (!existsSync(file)) return undefined;
  try {
    // Loaded at run time: the module is optional and owned elsewhere.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file) as { runTextBench?: (corpusDir: string) => unknown };
    if (typeof loaded.runTextBench !== 'function')
      return { error: 'bench/text-bench.ts does not export runTextBench' };
    return await loaded.runTextBench(corpus);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The commit measured, and whether the working tree differed from it (others work in the same tree). */
function codeVersion(repoRoot: string): { commit: string | null; dirty: boolean | null } {
  const git = (args: string[]) => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  const head = git(['rev-parse', 'HEAD']);
  if (head.status !== 0) return { commit: null, dirty: null };
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'libs']);
  return { commit: head.stdout.trim(), dirty: status.stdout.trim().length > 0 };
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

function printTable(modes: ModeResult[]): void {
  const columns = [
    'mode',
    'fetches',
    'versions',
    'seconds',
    'fetchesPerSec',
    'versionsPerSec',
    'p50VisibleMs',
    'p99VisibleMs',
    'peakRssMb',
  ];
  const rows = modes.map((result) =>
    columns.map((column) => {
      if (column !== 'mode' && 'skipped' in result)
        return column === 'fetches' ? `skipped: ${String(result.skipped)}` : '';
      return cell(result[column]);
    }),
  );
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...rows.map((row) => (row[i]!.startsWith('skipped') ? 0 : row[i]!.length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(row));
}

/** What a fetch costs in each mode: CPU by process, round trips by kind, the first and last fetches of the replay. */
function printCosts(modes: ModeResult[]): void {
  for (const result of modes) {
    if ('skipped' in result || !('replayCost' in result)) continue;
    const trips = result.dbRoundTripsPerFetch as { total: number; byKind: Counts } | null;
    const cost = result.replayCost as ReturnType<ReplayWindows['report']>;
    const window = (name: string, part: typeof cost.first) =>
      part
        ? `${name} ${part.fetches} (${part.kbPerFetch} KB each): ${part.cpuMsPerFetch} CPU-ms/fetch, ${cell(part.cpuMsPerMb)} CPU-ms/MB, ${part.wallMsPerFetch} wall-ms/fetch`
        : `${name}: not reached`;
    console.log(`${result.mode} (${String(result.processes)})`);
    console.log(
      `  CPU-ms per fetch by process: ${cell(result.cpuMsPerFetchByProcess)}; main thread ${cell(result.mainThreadCpuMsPerFetch)} CPU-ms per fetch, its event loop busy ${cell(result.mainThreadMsPerFetch)} ms per fetch (${cell(result.mainThreadUtilisation)} of the time)`,
    );
    const steady = result.visibleAfterWarmup as ReturnType<typeof afterWarmup> | null;
    const posts = result.postAfterWarmup as ReturnType<typeof afterWarmup> | null;
    if (steady && posts)
      console.log(
        `  after the first ${steady.warmupSeconds} s (${steady.fetches} fetches): visible p50 ${cell(steady.p50Ms)} ms, p99 ${cell(steady.p99Ms)} ms, max ${cell(steady.maxMs)} ms; POST p50 ${cell(posts.p50Ms)} ms, p99 ${cell(posts.p99Ms)} ms`,
      );
    console.log(`  DB round trips per fetch: ${trips ? `${trips.total} ${cell(trips.byKind)}` : '-'}`);
    console.log(
      `  ${window('first', cost.first)}; ${window('last', cost.last)}; last/first CPU ${cell(cost.ratio.cpu)}, wall ${cell(cost.ratio.wall)}, size ${cell(cost.ratio.size)}, CPU per MB ${cell(cost.ratio.cpuPerMb)}`,
    );
  }
}

async function main(): Promise<void> {
  const benchStart = performance.now();
  const startedAt = new Date().toISOString();
  const repoRoot = repoRootFrom(__dirname);
  const corpus = corpusDir(repoRoot);
  const settings: DriverSettings = {
    documentsInFlight: intFromEnv('BENCH_DOCUMENTS_IN_FLIGHT', 16),
    perDocumentWindow: intFromEnv('BENCH_WINDOW', 8),
    ratePerSec: intFromEnv('BENCH_RATE', 0, 0),
    warmupSeconds: intFromEnv('BENCH_WARMUP_S', 20, 0),
    pollMs: intFromEnv('BENCH_POLL_MS', 5),
    pollMsKafkaMongo: intFromEnv('BENCH_POLL_MS', 100),
    modeTimeoutSeconds: intFromEnv('BENCH_MODE_TIMEOUT_S', 600),
    profile: process.env.BENCH_PROFILE === '1',
  };
  const limit = process.env.BENCH_LIMIT ? intFromEnv('BENCH_LIMIT', 0) : null;
  const wanted = (process.env.BENCH_MODES ?? 'embedded,kafka-mongo').split(',').map((m) => m.trim());
  const infra: BenchSystemOptions = {
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    mongoUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017',
  };

  const repo = cloneBundle(join(corpus, BUNDLE_NAME), join(repoRoot, '.tmp', 'bench'));
  const all = listFetches(repo);
  const fetches = limit === null ? all : all.slice(0, limit);
  const queues = documentQueues(fetches);
  const expectations = { fetches: fetches.length, ...expectationsOf(queues) };
  console.log(
    `pga-versions: ${fetches.length} fetches of ${queues.length} documents` +
      `${limit === null ? '' : ` (first ${limit} of ${all.length})`}; ${expectations.expectedVersions} content changes` +
      ` (${expectations.outOfOrderFetches} fetches dated before an earlier one of the same file)`,
  );

  const modes: ModeResult[] = [];
  for (const mode of ['embedded', 'kafka-mongo'] as const) {
    if (!wanted.includes(mode)) continue;
    if (mode === 'kafka-mongo') {
      const reason = await kafkaMongoSkipReason(infra);
      if (reason) {
        modes.push({ mode, skipped: reason });
        continue;
      }
    }
    console.log(
      `${mode}: replaying over HTTP (${settings.documentsInFlight} documents in flight, window ${settings.perDocumentWindow})...`,
    );
    try {
      modes.push(await runMode(mode, queues, expectations, repo, repoRoot, settings, infra));
    } catch (error) {
      modes.push({ mode, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }

  // BENCH_MODES_ONLY=1: the replay of each mode alone, for quick before/after runs of the hot path.
  const modesOnly = process.env.BENCH_MODES_ONLY === '1';
  const text = modesOnly ? undefined : await runTextBench(corpus);
  // The snapshot archive's density and costs (ADR 0013); a failure is recorded, never fatal to the bench.
  const archive = modesOnly
    ? undefined
    : await runArchiveBench(repoRoot, corpus).catch((error: unknown) => ({
        error: error instanceof Error ? error.message : String(error),
      }));
  // The audit key (bench/audit-bench.ts): chain cost, export and verify throughput; BENCH_AUDIT=0 skips it.
  const audit =
    process.env.BENCH_AUDIT === '0'
      ? undefined
      : await runAuditBench(corpus, repoRoot, intFromEnv('BENCH_AUDIT_LIMIT', 1000)).catch(
          (error: unknown) => ({
            error: error instanceof Error ? error.message : String(error),
          }),
        );
  // Recorded, never fatal, like the sections above: with BENCH_LIMIT its as-of dates can precede every observation,
  // and the modes' figures must not be lost to it.
  const governance = modesOnly
    ? undefined
    : await runGovernance(repoRoot, queues, repo).catch((error: unknown) => ({
        error: error instanceof Error ? error.message : String(error),
      }));
  const report = {
    generatedAt: new Date().toISOString(),
    startedAt,
    reference: { otaVersionsPerSec: 9.1, target: '50x through Kafka and MongoDB = 455 versions/s' },
    corpus: {
      bundle: BUNDLE_NAME,
      fetches: fetches.length,
      documents: queues.length,
      ...(limit === null ? {} : { limitedTo: limit }),
    },
    driver: {
      transport: 'HTTP/1.1 to 127.0.0.1 (Node fetch, keep-alive)',
      ...settings,
      visibility:
        `fetchCount of the documents still awaited, read on the app's own ReadModelStore every ${settings.pollMs} ms ` +
        `(embedded: one getDocument() per awaited document) or every ${settings.pollMsKafkaMongo} ms (kafka-mongo: ` +
        `one listDocuments()), after the previous poll returned`,
    },
    code: codeVersion(repoRoot),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      totalMemMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: process.platform,
    },
    modes,
    ...(text === undefined ? {} : { text }),
    archive,
    ...(audit === undefined ? {} : { audit }),
    governance,
    benchSeconds: round((performance.now() - benchStart) / 1000),
  };
  const resultsDir = join(repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  // latest.json is what others read; the dated copy survives the next run (several people run the bench).
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(resultsDir, 'latest.json'), json);
  writeFileSync(join(resultsDir, `run-${startedAt.replace(/[:.]/g, '-')}.json`), json);
  printTable(modes);
  printCosts(modes);
  console.log(`written bench/results/latest.json (${report.benchSeconds} s)`);
}

main().then(
  // Kafka clients and timers of a closed app must not keep the process alive.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
