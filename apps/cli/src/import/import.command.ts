import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCommand, dataDirOf, type CommandOutput } from '../audit/cli-options';
import { cloneBundle, compressionOf, openNdjson } from '@termline/corpus';
import { ProgressReporter } from '../replay/progress';
import { replayRecords, type ReplayStats } from '../replay/replay-records';
import { positiveInteger, UsageError } from '../replay/replay.command';
import { openReplaySession } from '../replay/replay-session';
import { importVersions } from './import-versions';
import { repositoryOrigin } from './ota-versions.source';
import { importRecordsThroughGateway, importVersionsThroughGateway } from './import-through-gateway';
import { gatewayOf } from '../read/read-source';

export const IMPORT_USAGE = `Usage: termline import <source> [options]

Imports history into the embedded store, through the versioning service:
  - an Open Terms Archive versions repository (a git folder or a .bundle file): each commit of each
    <service>/<type>.md is a fetch dated at the commit, its source the snapshot the commit names;
  - Open Terms Archive snapshot records (.ndjson, .ndjson.gz, .ndjson.br), as "termline replay" reads them.
Idempotent and resumable: what is already in the store is skipped, so an interrupted import just runs again.
The read models are brought up to date at the end (no "termline rebuild" needed). History older than what the
store holds is decided in observed order: the timeline is the one history-first would give (ADR 0024).
With --api, the fetches are POSTed to a running gateway (/v1/fetches, an ingest or admin key) and recorded by
that system (through Kafka in distributed mode) with its own declarations; what it already holds is skipped.

Options:
  --data <dir>              the embedded store (default: TERMLINE_DATA_DIR, else ./data)
  --declarations <dir>      OTA declarations (needed for snapshot records, not for versions)
  --ref <ref>               the branch of a versions repository (default main)
  --limit <n>               import only the first n fetches
  --api <url>               send the fetches to a running gateway instead ...
  --key <key>               ... with an ingest or admin key (default: TERMLINE_API_KEY)
  --progress-interval <s>   seconds between progress lines when stderr is not a terminal (default 10)
  --json                    print the summary as JSON
  -h, --help                this help`;

export interface ImportSummary {
  source: string;
  kind: 'versions-repository' | 'snapshot-records';
  dataDir: string;
  fetches: number;
  skipped: number;
  appended: number;
  outcomes: Record<string, number>;
  rejected: number;
  rejectedByCode: Record<string, number>;
  /** The first refusals, with their reasons. */
  refusals: string[];
  seconds: number;
  fetchesPerSecond: number;
  /** Embedded: the read models brought up to date after the import (absent with --api, whose system projects). */
  readModels?: { streams: number; events: number; seconds: number };
}

const isRepository = (path: string): boolean =>
  path.endsWith('.bundle') || existsSync(join(path, '.git')) || existsSync(join(path, 'HEAD'));

export async function runImport(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    data: { type: 'string' },
    declarations: { type: 'string' },
    ref: { type: 'string' },
    limit: { type: 'string' },
    'progress-interval': { type: 'string' },
    api: { type: 'string' },
    key: { type: 'string' },
  });
  if (values.help) {
    output.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'missing <source>' : 'one source expected');
  const source = positionals[0]!;
  if (!existsSync(source)) throw new UsageError(`${source}: no such file or folder`);
  const repository = isRepository(source);
  if (!repository) {
    try {
      compressionOf(source);
    } catch {
      throw new UsageError(`${source}: neither a git repository or bundle, nor .ndjson(.gz|.br) records`);
    }
    if (!values.declarations && values.api === undefined)
      throw new UsageError('snapshot records need --declarations <dir>');
  }
  if (
    values.declarations &&
    !(existsSync(values.declarations) && statSync(values.declarations).isDirectory())
  ) {
    throw new UsageError(`--declarations ${values.declarations}: no such directory`);
  }
  const limit = positiveInteger('--limit', values.limit);
  const interval = (positiveInteger('--progress-interval', values['progress-interval']) ?? 10) * 1000;
  const dataDir = resolve(dataDirOf(values.data));
  const gateway = gatewayOf(values);
  if (gateway && (values.data !== undefined || values.declarations !== undefined))
    throw new UsageError(
      '--api sends the fetches to the gateway, which uses its own store and declarations: drop --data and --declarations',
    );

  function report(
    stats: ReplayStats & { skipped?: number },
    into: string,
    readModels?: ImportSummary['readModels'],
  ): number {
    const seconds = stats.wallMs / 1000;
    const appended = Object.values(stats.outcomes).reduce((a, b) => a + b, 0);
    const summary: ImportSummary = {
      source,
      kind: repository ? 'versions-repository' : 'snapshot-records',
      dataDir: into,
      fetches: stats.records,
      skipped: (stats.skipped ?? 0) + stats.duplicates,
      appended,
      outcomes: stats.outcomes,
      rejected: stats.rejectedCount,
      rejectedByCode: stats.rejectedByCode,
      refusals: stats.rejected
        .slice(0, 20)
        .map((r) => `${r.commit ?? `line ${r.lineNumber}`} (${r.service ?? '?'}): ${r.code}: ${r.reason}`),
      seconds,
      fetchesPerSecond: appended / Math.max(seconds, 1e-3),
      ...(readModels ? { readModels } : {}),
    };
    output.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${describeImport(summary)}\n`);
    return 0;
  }

  const scratch =
    repository && source.endsWith('.bundle') ? mkdtempSync(join(tmpdir(), 'termline-import-')) : null;
  try {
    const repo = scratch ? cloneBundle(resolve(source), scratch) : resolve(source);
    const progress = new ProgressReporter(output.stderr, interval);
    if (gateway) {
      const stats = repository
        ? await importVersionsThroughGateway(gateway, repo, {
            ref: values.ref ?? 'main',
            origin: repositoryOrigin(repo),
            limit,
            progress,
          })
        : await importRecordsThroughGateway(gateway, openNdjson(source), { limit, progress });
      return report(stats, values.api!);
    }
    const session = await openReplaySession({
      dataDir,
      declarationsDir: values.declarations ? resolve(values.declarations) : null,
    });
    let stats: ReplayStats & { skipped?: number; total?: number };
    let readModels: ImportSummary['readModels'];
    try {
      stats = repository
        ? await importVersions(session, repo, {
            ref: values.ref ?? 'main',
            origin: repositoryOrigin(repo),
            limit,
            progress,
          })
        : await replayRecords(session, openNdjson(source), { limit, progress });
      // Served at once, without a separate `termline rebuild`.
      const started = Date.now();
      readModels = { ...(await session.projectReadModels()), seconds: (Date.now() - started) / 1000 };
    } finally {
      await session.close();
    }
    return report(stats, dataDir, readModels);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function describeImport(summary: ImportSummary): string {
  const outcomes = Object.entries(summary.outcomes)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  return [
    `Imported ${summary.source} into ${summary.dataDir}: ${summary.fetches} fetches in ${summary.seconds.toFixed(1)} s`,
    `Appended ${summary.appended} (${outcomes || 'none'}), ${summary.fetchesPerSecond.toFixed(1)} fetches/s; already there ${summary.skipped}; refused ${summary.rejected}`,
    ...(summary.readModels
      ? [
          `Read models up to date: ${summary.readModels.events} events of ${summary.readModels.streams} documents projected in ${summary.readModels.seconds.toFixed(1)} s`,
        ]
      : []),
    ...summary.refusals.map((refusal) => `  ${refusal}`),
  ].join('\n');
}
