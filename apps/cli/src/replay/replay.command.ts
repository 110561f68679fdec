import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compressionOf, openNdjson } from '@termline/corpus';
import { ProgressReporter, type ProgressOutput } from './progress';
import type { DeclarationProblem } from '@termline/text';
import { replayRecords, type ReplayStats } from './replay-records';
import { openReplaySession } from './replay-session';
import { versionLines, type VersionLine } from './version-lines';
import { gatewayOf } from '../read/read-source';
import { replayThroughGateway } from './replay-through-gateway';

/** A mistake in the command line: reported with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const REPLAY_USAGE = `Usage: termline replay <records> --declarations <dir> --out <versions.ndjson> [options]

Replays Open Terms Archive snapshot records (.ndjson, .ndjson.gz or .ndjson.br) through Termline's versioning
service, into a fresh temporary embedded store (or --data), and writes one NDJSON line per version.

Options:
  --declarations <dir>      Open Terms Archive declarations (<Service>.json, <Service>.history.json)
  --out <file>              where to write the versions (NDJSON); "-" for stdout
  --data <dir>              embedded store to replay into and keep (default: a temporary one, removed after)
  --api <url>               replay through a running system instead: POST the records to its gateway, wait until
                            each is recorded, and read the versions back from its exports (no --declarations:
                            the system uses its own) ...
  --key <key>               ... with an admin key (default: TERMLINE_API_KEY)
  --wait <s>                with --api, how long to wait for the system to record the fetches (default 600)
  --limit <n>               replay only the first n records
  --progress-interval <s>   seconds between progress lines when stderr is not a terminal (default 10)
  --json                    print the summary as JSON (on stderr when --out is "-")
  -h, --help                this help`;

export interface ReplayArguments {
  records: string;
  /** Null with --api (the running system has its own). */
  declarationsDir: string | null;
  api: { url: string; key: string | undefined; waitMs: number } | null;
  out: string;
  dataDir: string | null;
  limit: number | undefined;
  progressIntervalMs: number;
  json: boolean;
}

export function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new UsageError(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

export function parseReplayArguments(argv: readonly string[]): ReplayArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        declarations: { type: 'string' },
        out: { type: 'string' },
        data: { type: 'string' },
        api: { type: 'string' },
        key: { type: 'string' },
        wait: { type: 'string' },
        limit: { type: 'string' },
        'progress-interval': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'missing <records> file'
        : `one records file expected, got ${positionals.length}`,
    );
  }
  const records = positionals[0]!;
  try {
    compressionOf(records);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!existsSync(records) || !statSync(records).isFile()) throw new UsageError(`${records}: no such file`);
  const api = values.api ?? null;
  if (api !== null && (values.declarations !== undefined || values.data !== undefined))
    throw new UsageError(
      '--api replays through the running system, its store and declarations: drop --data and --declarations',
    );
  if (api === null && values.key !== undefined) throw new UsageError('--key needs --api <url>');
  if (api === null && !values.declarations) throw new UsageError('missing --declarations <dir>');
  if (
    values.declarations &&
    (!existsSync(values.declarations) || !statSync(values.declarations).isDirectory())
  ) {
    throw new UsageError(`--declarations ${values.declarations}: no such directory`);
  }
  if (!values.out) throw new UsageError('missing --out <versions.ndjson>');
  const interval = positiveInteger('--progress-interval', values['progress-interval']) ?? 10;
  return {
    records,
    declarationsDir: values.declarations ?? null,
    api:
      api === null
        ? null
        : { url: api, key: values.key, waitMs: (positiveInteger('--wait', values.wait) ?? 600) * 1000 },
    out: values.out,
    dataDir: values.data ?? null,
    limit: positiveInteger('--limit', values.limit),
    progressIntervalMs: interval * 1000,
    json: values.json ?? false,
  };
}

export interface ReplayRun {
  stats: ReplayStats;
  /** What could not be read as written in the declarations folder; the replay went on without it. */
  declarationProblems: readonly DeclarationProblem[];
  versions: number;
  documents: number;
  peakRssBytes: number;
}

/** Replays into the store, then writes the versions of every document in it. */
export async function runReplay(
  args: ReplayArguments,
  stderr: ProgressOutput = process.stderr,
): Promise<ReplayRun> {
  if (args.api !== null) {
    const gateway = gatewayOf({ api: args.api.url, key: args.api.key })!;
    const progress = new ProgressReporter(stderr, args.progressIntervalMs);
    const replay = await replayThroughGateway(gateway, args.records, {
      limit: args.limit,
      progress,
      waitMs: args.api.waitMs,
    });
    if (replay.unsettled > 0)
      stderr.write(
        `${replay.unsettled} fetches were not recorded within --wait: their versions are missing\n`,
      );
    return {
      stats: replay.stats,
      declarationProblems: [],
      ...(await writeLines(toAsync(replay.lines), args.out)),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }
  const temporary = args.dataDir === null ? mkdtempSync(join(tmpdir(), 'termline-replay-')) : null;
  const dataDir = resolve(args.dataDir ?? temporary!);
  try {
    const session = await openReplaySession({
      dataDir,
      declarationsDir: args.declarationsDir === null ? null : resolve(args.declarationsDir),
    });
    try {
      const progress = new ProgressReporter(stderr, args.progressIntervalMs);
      const stats = await replayRecords(session, openNdjson(args.records), { limit: args.limit, progress });
      const written = await writeLines(versionLines(session.eventStore), args.out);
      return {
        stats,
        declarationProblems: session.declarations.problems,
        ...written,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      };
    } finally {
      await session.close();
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function writeLines(
  lines: AsyncIterable<VersionLine>,
  out: string,
): Promise<{ versions: number; documents: number }> {
  const stream = out === '-' ? process.stdout : createWriteStream(out);
  let versions = 0;
  const documents = new Set<string>();
  for await (const line of lines) {
    versions += 1;
    documents.add(line.documentId);
    if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, 'drain');
  }
  if (stream !== process.stdout) {
    stream.end();
    await once(stream, 'finish');
  }
  return { versions, documents: documents.size };
}

export function describeReplay(run: ReplayRun, out: string): string {
  const { stats } = run;
  const seconds = stats.wallMs / 1000;
  const outcomes = Object.entries(stats.outcomes)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  const lines = [
    `Replayed ${stats.records} records (${(stats.bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s: ` +
      `${(stats.records / Math.max(seconds, 0.001)).toFixed(1)} records/s, ${(stats.bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(1)} MB/s, ` +
      `peak RSS ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MB`,
    `Fetches: ${outcomes || 'none'}${stats.duplicates ? `; already recorded ${stats.duplicates}` : ''}`,
    `Failed fetches (pages standing in for the document): ${
      Object.entries(stats.failedFetches)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ') || 'none'
    }`,
    ...stats.failedFetchSamples
      .slice(0, 10)
      .map(
        (f) =>
          `  line ${f.lineNumber}: ${f.service} / ${f.documentType}${f.sourcePart ? ` #${f.sourcePart}` : ''} ${f.fetchedAt}: ${f.code}: ${f.reason}`,
      ),
    `Declaration problems: ${run.declarationProblems.length}`,
    ...run.declarationProblems.slice(0, 20).map(describeProblem),
    ...(run.declarationProblems.length > 20 ? [`  … ${run.declarationProblems.length - 20} more`] : []),
    `Rejected: ${stats.rejectedCount}${
      stats.rejectedCount
        ? ` (${Object.entries(stats.rejectedByCode)
            .map(([c, n]) => `${c} ${n}`)
            .join(', ')})`
        : ''
    }`,
    ...stats.rejected
      .slice(0, 20)
      .map((r) => `  line ${r.lineNumber}${r.commit ? ` (commit ${r.commit})` : ''}: ${r.code}: ${r.reason}`),
    ...(stats.rejected.length > 20 ? [`  … ${stats.rejectedCount - 20} more`] : []),
    `Wrote ${run.versions} versions of ${run.documents} documents to ${out}`,
  ];
  return lines.join('\n');
}

/** One declaration problem on one line: where, what, and what the replay did instead. */
export function describeProblem(p: DeclarationProblem): string {
  const where = [
    p.file,
    p.documentType ? `"${p.documentType}"` : null,
    p.entry
      ? `entry ${p.entry.index}${p.entry.validUntil ? ` (validUntil ${p.entry.validUntil})` : ''}`
      : null,
    p.path || null,
  ]
    .filter((part): part is string => part !== null)
    .join(' ');
  return `  ${p.severity} ${where}: ${p.problem} -> ${p.consequence}`;
}
