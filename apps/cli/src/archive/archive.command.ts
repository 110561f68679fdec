import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  snapshotIdOf,
  SnapshotCorruptError,
  SqliteSnapshotStore,
  type RepairOutcome,
  type SnapshotStore,
} from '@termline/eventstore';
import { compressionOf, openNdjson } from '@termline/corpus';
import { parseSnapshotRecord } from '../replay/snapshot-record';
import { UsageError } from '../replay/replay.command';

export const ARCHIVE_USAGE = `Usage: termline archive <verify|repair> --data <dir> [--from <records>]

Checks the snapshot archive of an embedded store (<dir>/snapshots.sqlite): every snapshot is rebuilt and its bytes
hashed against its id.

  verify                    read every snapshot; list those that cannot be rebuilt and the record to re-store
                            (exit code 1 when any is damaged)
  repair --from <records>   verify, then re-store each damaged or missing record from a verified copy: an Open
                            Terms Archive snapshot export (.ndjson, .ndjson.gz, .ndjson.br); only bytes that hash
                            to the id are taken, then every snapshot is verified again

Options:
  --data <dir>              the embedded store
  --from <records>          the export to repair from
  --json                    print the report as one JSON object
  -h, --help                this help`;

export interface ArchiveArguments {
  action: 'verify' | 'repair';
  dataDir: string;
  from: string | null;
  json: boolean;
}

export function parseArchiveArguments(argv: readonly string[]): ArchiveArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        from: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [action, ...extra] = positionals;
  if (action !== 'verify' && action !== 'repair')
    throw new UsageError(
      `expected "verify" or "repair", got ${action === undefined ? 'nothing' : `"${action}"`}`,
    );
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!values.data) throw new UsageError('--data <dir> is required');
  const dataDir = resolve(values.data);
  if (!existsSync(join(dataDir, 'snapshots.sqlite')))
    throw new UsageError(`no snapshots.sqlite in ${dataDir}`);
  if (action === 'repair' && !values.from) throw new UsageError('repair needs --from <records>');
  if (values.from) {
    try {
      compressionOf(values.from);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return { action, dataDir, from: values.from ? resolve(values.from) : null, json: values.json ?? false };
}

export interface ArchiveDamageReport {
  checked: number;
  damaged: Array<{ snapshotId: string; culpritId: string; message: string }>;
}

/** Rebuilds every snapshot and checks it against its id. */
export async function verifyArchive(store: SnapshotStore): Promise<ArchiveDamageReport> {
  const report: ArchiveDamageReport = { checked: 0, damaged: [] };
  for await (const snapshotId of store.snapshotIds()) {
    report.checked += 1;
    try {
      await store.get(snapshotId);
    } catch (error) {
      if (!(error instanceof SnapshotCorruptError)) throw error;
      report.damaged.push({ snapshotId, culpritId: error.culpritId, message: error.message });
    }
  }
  return report;
}

export interface ArchiveRepairReport {
  before: ArchiveDamageReport;
  outcomes: Partial<Record<RepairOutcome, number>>;
  /** Records to re-store that the export does not hold. */
  notInExport: string[];
  after: ArchiveDamageReport;
}

/** Re-stores every damaged or missing record named by a verification, from the export's verified bytes. */
export async function repairArchive(store: SnapshotStore, from: string): Promise<ArchiveRepairReport> {
  const before = await verifyArchive(store);
  const wanted = new Set(before.damaged.map((damage) => damage.culpritId));
  const outcomes: Partial<Record<RepairOutcome, number>> = {};
  for await (const line of openNdjson(from).lines()) {
    if (wanted.size === 0) break;
    if (line.text.trim() === '') continue;
    const record = parseSnapshotRecord(line.text);
    const content = Buffer.from(record.content, record.encoding === 'base64' ? 'base64' : 'utf8');
    const snapshotId = snapshotIdOf(content);
    if (!wanted.has(snapshotId)) continue;
    const outcome = await store.repair(snapshotId, content, record.mimeType);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    wanted.delete(snapshotId);
  }
  return { before, outcomes, notInExport: [...wanted], after: await verifyArchive(store) };
}

export async function runArchive(args: ArchiveArguments, out: NodeJS.WritableStream): Promise<number> {
  const store = new SqliteSnapshotStore(join(args.dataDir, 'snapshots.sqlite'));
  try {
    const describe = (report: ArchiveDamageReport, when: string): void => {
      out.write(`${when}: ${report.checked} snapshots checked, ${report.damaged.length} damaged\n`);
      for (const damage of report.damaged) out.write(`  ${damage.message}\n`);
    };
    if (args.action === 'verify') {
      const report = await verifyArchive(store);
      if (args.json) out.write(`${JSON.stringify(report)}\n`);
      else describe(report, 'verify');
      return report.damaged.length === 0 ? 0 : 1;
    }
    const report = await repairArchive(store, args.from!);
    if (args.json) {
      out.write(`${JSON.stringify(report)}\n`);
      return report.after.damaged.length === 0 ? 0 : 1;
    }
    describe(report.before, 'before repair');
    out.write(`re-stored: ${JSON.stringify(report.outcomes)}\n`);
    if (report.notInExport.length > 0)
      out.write(`not in the export (still damaged): ${report.notInExport.join(', ')}\n`);
    describe(report.after, 'after repair');
    return report.after.damaged.length === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}
