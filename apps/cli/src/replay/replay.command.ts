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
import { versionLines } from './version-lines';

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
  --limit <n>               replay only the first n records
  --progress-interval <s>   seconds between progress lines when stderr is not a terminal (default 10)
  --json                    print the summary as JSON (on stderr when --out is "-")
  -h, --help                this help`;

export interface ReplayArguments {
  records: string;
  declarationsDir: string;
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
  if (!values.declarations) throw new UsageError('missing --declarations <dir>');
  if (!existsSync(values.declarations) || !statSync(values.declarations).isDirectory()) {
    throw new UsageError(`--declarations ${values.declarations}: no such directory`);
  }
  if (!values.out) throw new UsageError('missing --out <versions.ndjson>');
  const interval = positiveInteger('--progress-interval', values['progress-interval']) ?? 10;
  return {
    records,
    declarationsDir: values.declarations,
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
  const temporary = args.dataDir === null ? mkdtempSync(join(tmpdir(), 'termline-replay-')) : null;
  const dataDir = resolve(args.dataDir ?? temporary!);
  try {
    const session = await openReplaySession({ dataDir, declarationsDir: resolve(args.declarationsDir) });
    try {
      const progress = new ProgressReporter(stderr, args.progressIntervalMs);
      const stats = await replayRecords(session, openNdjson(args.records), { limit: args.limit, progress });
      const written = await writeVersions(session.eventStore, args.out);
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

async function writeVersions(
  eventStore: Parameters<typeof versionLines>[0],
  out: string,
): Promise<{ versions: number; documents: number }> {
  const stream = out === '-' ? process.stdout : createWriteStream(out);
  let versions = 0;
  const documents = new Set<string>();
  for await (const line of versionLines(eventStore)) {
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
