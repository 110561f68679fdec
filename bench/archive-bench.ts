import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compressSnapshot, snapshotIdOf, SqliteSnapshotStore } from '@termline/eventstore';
import { parseSnapshotRecord } from '../apps/cli/src/replay/snapshot-record';
import {
  BlobReader,
  BUNDLE_NAME,
  cloneBundle,
  corpusDir,
  listFetches,
  openNdjson,
  repoRootFrom,
} from '@termline/corpus';
import { percentile } from './replay-plan';

/**
 * The archive bench (ADR 0013): stores every snapshot of a history in a fresh SQLite archive, one source per file or
 * document part, in fetch order, and reports raw bytes, stored bytes, the write cost per snapshot against today's
 * whole-copy Brotli step, and the read cost of the newest snapshot of each source and of every other one.
 *
 * Knobs: BENCH_ARCHIVE_CORPUS=1 adds the dev corpus (genai-snapshots-dev.ndjson.br, 5 GB raw, minutes);
 * BENCH_ARCHIVE_LIMIT=N stops after N records of it; BENCH_ARCHIVE_BASELINE_EVERY=K times the whole-copy Brotli step
 * on every K-th snapshot (default 1 for pga-versions, 5 for the dev corpus).
 */

export interface ArchiveInput {
  content: Buffer;
  mimeType: string;
  source: string;
}

const round = (value: number | null, digits = 3): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

const stats = (values: readonly number[]) => ({
  count: values.length,
  mean: round(values.length ? values.reduce((a, b) => a + b, 0) / values.length : null),
  p50: round(percentile(values, 50)),
  p99: round(percentile(values, 99)),
  max: round(percentile(values, 100)),
});

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

export async function measureArchive(
  name: string,
  inputs: AsyncIterable<ArchiveInput>,
  baselineEvery: number,
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'termline-archive-bench-'));
  const file = join(dir, 'snapshots.sqlite');
  try {
    const store = new SqliteSnapshotStore(file);
    const newest = new Map<string, string>();
    const oldest = new Map<string, string>();
    let records = 0;
    let rawBytes = 0;
    const writeCpu: number[] = [];
    const writeWall: number[] = [];
    const baselineCpu: number[] = [];
    let baselineRaw = 0;
    let baselineStored = 0;
    const seen = new Set<string>();
    for await (const { content, mimeType, source } of inputs) {
      records += 1;
      const id = snapshotIdOf(content);
      if (seen.has(id)) continue;
      seen.add(id);
      rawBytes += content.length;
      if (!oldest.has(source)) oldest.set(source, id);
      newest.set(source, id);
      const cpu = process.cpuUsage();
      const wall = performance.now();
      await store.put(id, content, mimeType, { source });
      writeWall.push(performance.now() - wall);
      writeCpu.push(cpuMs(cpu));
      if (seen.size % baselineEvery === 0) {
        // Today's step: one whole-copy Brotli per snapshot (what the store did before deltas).
        const before = process.cpuUsage();
        baselineStored += compressSnapshot(content).length;
        baselineCpu.push(cpuMs(before));
        baselineRaw += content.length;
      }
    }
    // Warm reads: the writer still holds the newest snapshot of each source, as the versioning service does.
    const warmNewest: number[] = [];
    for (const id of newest.values()) {
      const start = performance.now();
      await store.get(id);
      warmNewest.push(performance.now() - start);
    }
    await store.close();

    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const layout = db
      .prepare<[], { compression: string; count: number; stored: number; maxDepth: number }>(
        'SELECT compression, COUNT(*) AS count, SUM(length(content)) AS stored, MAX(depth) AS maxDepth FROM snapshots GROUP BY compression',
      )
      .all();
    const depthOf = new Map(
      db
        .prepare<[], { snapshot_id: string; depth: number }>('SELECT snapshot_id, depth FROM snapshots')
        .all()
        .map((row) => [row.snapshot_id, row.depth]),
    );
    db.close();
    const storedBytes = layout.reduce((sum, row) => sum + row.stored, 0);
    const fileBytes = statSync(file).size;

    // Cold reads: a fresh process view of the archive, nothing in memory, so every read rebuilds its chain.
    const reader = new SqliteSnapshotStore(file);
    // CPU time of the read, beside its wall time: on a shared machine the wall clock mostly measures the others.
    const readCpu: number[] = [];
    const timeRead = async (id: string): Promise<number> => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const stored = await reader.get(id);
      const elapsed = performance.now() - start;
      readCpu.push(cpuMs(cpu));
      if (!stored) throw new Error(`${name}: snapshot ${id} not found on read`);
      return elapsed;
    };
    const coldNewest: number[] = [];
    const coldOldest: number[] = [];
    for (const id of newest.values()) coldNewest.push(await timeRead(id));
    const newestCpu = readCpu.splice(0);
    for (const id of oldest.values()) coldOldest.push(await timeRead(id));
    const oldestCpu = readCpu.splice(0);
    const every: number[] = [];
    const byDepth = new Map<number, { wall: number[]; cpu: number[] }>();
    for (const id of seen) {
      const elapsed = await timeRead(id);
      every.push(elapsed);
      const depth = depthOf.get(id) ?? 0;
      const atDepth = byDepth.get(depth) ?? { wall: [], cpu: [] };
      atDepth.wall.push(elapsed);
      atDepth.cpu.push(readCpu[readCpu.length - 1]!);
      byDepth.set(depth, atDepth);
    }
    const everyCpu = readCpu.splice(0);
    await reader.close();
    const deepest = Math.max(...byDepth.keys());

    return {
      name,
      records,
      snapshots: seen.size,
      sources: newest.size,
      rawBytes,
      storedBytes,
      fileBytes,
      ratio: round(rawBytes / storedBytes, 1),
      ratioOfFile: round(rawBytes / fileBytes, 1),
      layout,
      baseline: {
        what: 'whole-copy Brotli q5 per snapshot (the store before ADR 0013), timed on a sample',
        sampledEvery: baselineEvery,
        ratio: round(baselineRaw / Math.max(1, baselineStored), 1),
        cpuMsPerSnapshot: stats(baselineCpu),
      },
      write: { cpuMsPerSnapshot: stats(writeCpu), wallMsPerSnapshot: stats(writeWall) },
      readMs: {
        note: 'cold = a fresh store, nothing in memory; warm = the writer, which holds the newest of each source',
        newestWarm: stats(warmNewest),
        newestCold: { wall: stats(coldNewest), cpu: stats(newestCpu) },
        oldestCold: { wall: stats(coldOldest), cpu: stats(oldestCpu) },
        everyCold: { wall: stats(every), cpu: stats(everyCpu) },
        deepestChainCold: {
          depth: deepest,
          wall: stats(byDepth.get(deepest)?.wall ?? []),
          cpu: stats(byDepth.get(deepest)?.cpu ?? []),
        },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function* pgaInputs(repoRoot: string, corpus: string): AsyncGenerator<ArchiveInput> {
  const repo = cloneBundle(join(corpus, BUNDLE_NAME), join(repoRoot, '.tmp', 'bench'));
  const blobs = new BlobReader(repo);
  try {
    for (const fetch of listFetches(repo))
      yield { content: await blobs.read(fetch.blob), mimeType: 'text/markdown', source: fetch.path };
  } finally {
    blobs.close();
  }
}

async function* devCorpusInputs(file: string, limit: number | null): AsyncGenerator<ArchiveInput> {
  let count = 0;
  for await (const line of openNdjson(file).lines()) {
    if (limit !== null && count >= limit) return;
    if (line.text.trim() === '') continue;
    const record = parseSnapshotRecord(line.text);
    count += 1;
    yield {
      content: Buffer.from(record.content, record.encoding === 'base64' ? 'base64' : 'utf8'),
      mimeType: record.mimeType,
      // The same source the versioning service names: the document and its part.
      source: `${record.service}/${record.documentType}#${record.sourcePart ?? ''}`,
    };
  }
}

const positiveIntFromEnv = (name: string, fallback: number | null): number | null => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
};

/** The `archive` key of bench/results/latest.json. */
export async function runArchiveBench(repoRoot: string, corpus: string): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {
    pgaVersions: await measureArchive(
      'pga-versions',
      pgaInputs(repoRoot, corpus),
      positiveIntFromEnv('BENCH_ARCHIVE_BASELINE_EVERY', 1)!,
    ),
  };
  if (process.env.BENCH_ARCHIVE_CORPUS === '1') {
    const limit = positiveIntFromEnv('BENCH_ARCHIVE_LIMIT', null);
    result.devCorpus = {
      ...(limit === null ? {} : { limitedTo: limit }),
      ...(await measureArchive(
        'genai-snapshots-dev',
        devCorpusInputs(join(corpus, 'genai-snapshots-dev.ndjson.br'), limit),
        positiveIntFromEnv('BENCH_ARCHIVE_BASELINE_EVERY', 5)!,
      )),
    };
  } else {
    result.devCorpus = {
      skipped: 'set BENCH_ARCHIVE_CORPUS=1 (minutes; BENCH_ARCHIVE_LIMIT=N for a sample)',
    };
  }
  return result;
}

// `node dist/bench/archive-bench.js`: the archive bench alone, printed as JSON.
if (require.main === module) {
  const repoRoot = repoRootFrom(__dirname);
  runArchiveBench(repoRoot, corpusDir(repoRoot)).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
