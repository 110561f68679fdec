import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@termline/config';
import { fetchRecordedIn, partKeyOf } from '@termline/domain';
import {
  connectMongo,
  MongoEventStore,
  MongoSnapshotStore,
  snapshotIdOf,
  SnapshotCorruptError,
  SqliteEventStore,
  SqliteSnapshotStore,
  type EventStore,
  type MongoConnection,
  type RepairOutcome,
  type RewriteStep,
  type SnapshotStore,
  type SourceSequence,
} from '@termline/eventstore';
import { compressionOf, openNdjson } from '@termline/corpus';
import { parseSnapshotRecord } from '../replay/snapshot-record';
import { UsageError } from '../replay/replay.command';

export const ARCHIVE_USAGE = `Usage: termline archive <verify|repair|rewrite> (--data <dir> | --distributed) [--from <records>]

Checks the snapshot archive of an embedded store (<dir>/snapshots.sqlite) or of the distributed mode's MongoDB:
every snapshot is rebuilt and its bytes hashed against its id.

  verify                    read every snapshot; list those that cannot be rebuilt and the record to re-store
                            (exit code 1 when any is damaged)
  repair --from <records>   verify, then re-store each damaged or missing record from a verified copy: an Open
                            Terms Archive snapshot export (.ndjson, .ndjson.gz, .ndjson.br); only bytes that hash
                            to the id are taken, then every snapshot is verified again
  rewrite                   verify, then move whole copies into the dense layout (ADR 0013): each source's
                            snapshots, in the order its fetch events name them, become deltas against the previous
                            one; each is checked before and after it is rewritten, one row at a time, so a killed
                            rewrite is simply run again; then every snapshot is verified again and the file compacted
                            (MongoDB: each document changes in one update, after the chunks it points to are stored)

Options:
  --data <dir>              the embedded store
  --distributed             the distributed mode's MongoDB instead (MONGODB_URI, MONGODB_DATABASE)
  --from <records>          the export to repair from
  --json                    print the report as one JSON object
  -h, --help                this help`;

export interface ArchiveArguments {
  action: 'verify' | 'repair' | 'rewrite';
  /** The embedded store's directory; null for the distributed mode's MongoDB. */
  dataDir: string | null;
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
        distributed: { type: 'boolean' },
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
  if (action !== 'verify' && action !== 'repair' && action !== 'rewrite')
    throw new UsageError(
      `expected "verify", "repair" or "rewrite", got ${action === undefined ? 'nothing' : `"${action}"`}`,
    );
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (values.distributed && values.data) throw new UsageError('--data and --distributed exclude each other');
  if (!values.data && !values.distributed) throw new UsageError('--data <dir> or --distributed is required');
  const dataDir = values.data ? resolve(values.data) : null;
  if (dataDir !== null && !existsSync(join(dataDir, 'snapshots.sqlite')))
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

/** Each source's snapshots in fetch order, read from the FetchRecorded facts of every document stream. */
export async function sourceSequences(eventStore: EventStore): Promise<SourceSequence[]> {
  const sequences = new Map<string, string[]>();
  for (const streamId of await eventStore.streamIds()) {
    for (const event of await eventStore.readStream(streamId)) {
      const fetch = fetchRecordedIn([event]);
      if (!fetch) continue;
      // The source the versioning service names when it archives the snapshot (record-fetch.handler.ts).
      const source = `${streamId}#${partKeyOf(fetch.sourcePart)}`;
      const ids = sequences.get(source) ?? [];
      if (ids[ids.length - 1] !== fetch.snapshotId) ids.push(fetch.snapshotId);
      sequences.set(source, ids);
    }
  }
  return [...sequences].map(([source, snapshotIds]) => ({ source, snapshotIds }));
}

export interface StoreRewriteReport {
  before: ArchiveDamageReport;
  steps: Record<RewriteStep, number>;
  after: ArchiveDamageReport;
}

export interface ArchiveRewriteReport extends StoreRewriteReport {
  fileBytesBefore: number;
  fileBytesAfter: number;
}

type Db = MongoConnection['db'];

type DenseRewritable = SnapshotStore & Pick<SqliteSnapshotStore, 'rewriteDense'>;

/**
 * The rewrite both stores share: verify, rewrite whole copies as deltas, verify again. A damaged archive is not
 * rewritten: repair it first.
 */
async function rewriteStore(
  sequences: readonly SourceSequence[],
  store: DenseRewritable,
  onStep?: (snapshotId: string, step: RewriteStep) => void,
): Promise<StoreRewriteReport> {
  const before = await verifyArchive(store);
  if (before.damaged.length > 0) {
    const none = { densified: 0, 'already-dense': 0, 'kept-whole': 0, missing: 0 };
    return { before, steps: none, after: before };
  }
  const steps = await store.rewriteDense(sequences, onStep);
  return { before, steps, after: await verifyArchive(store) };
}

/**
 * The embedded store's rewrite, then the file compacted. `onStep` hears of every snapshot as it is done (progress,
 * and the kill test).
 */
export async function rewriteArchive(
  dataDir: string,
  onStep?: (snapshotId: string, step: RewriteStep) => void,
): Promise<ArchiveRewriteReport> {
  const file = join(dataDir, 'snapshots.sqlite');
  const fileBytes = (): number =>
    ['', '-wal'].reduce(
      (sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0),
      0,
    );
  const fileBytesBefore = fileBytes();
  const eventStore = new SqliteEventStore(join(dataDir, 'events.sqlite'));
  let sequences: SourceSequence[];
  try {
    sequences = await sourceSequences(eventStore);
  } finally {
    await eventStore.close();
  }
  const store = new SqliteSnapshotStore(file);
  let report: StoreRewriteReport;
  try {
    report = await rewriteStore(sequences, store, onStep);
    if (report.before.damaged.length > 0)
      return { ...report, fileBytesBefore, fileBytesAfter: fileBytesBefore };
    // Rewritten rows leave free pages behind: VACUUM builds a compact copy and swaps it in, journaled.
    await store.compact();
  } finally {
    await store.close();
  }
  return { ...report, fileBytesBefore, fileBytesAfter: fileBytes() };
}

/** The distributed mode's rewrite: the same steps on the MongoDB event and snapshot stores of `db`. */
export async function rewriteDistributedArchive(
  db: Db,
  onStep?: (snapshotId: string, step: RewriteStep) => void,
): Promise<StoreRewriteReport> {
  const sequences = await sourceSequences(await MongoEventStore.open(db));
  return rewriteStore(sequences, new MongoSnapshotStore(db), onStep);
}

async function withDistributedDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  try {
    return await work(connection.db);
  } finally {
    await connection.close();
  }
}

export async function runArchive(args: ArchiveArguments, out: NodeJS.WritableStream): Promise<number> {
  const { dataDir } = args;
  if (args.action === 'rewrite') {
    const report: StoreRewriteReport & Partial<ArchiveRewriteReport> =
      dataDir === null
        ? await withDistributedDb((db) => rewriteDistributedArchive(db))
        : await rewriteArchive(dataDir);
    if (args.json) out.write(`${JSON.stringify(report)}\n`);
    else {
      out.write(
        `before rewrite: ${report.before.checked} snapshots checked, ${report.before.damaged.length} damaged\n`,
      );
      for (const damage of report.before.damaged) out.write(`  ${damage.message}\n`);
      if (report.before.damaged.length > 0) out.write('not rewritten: repair the archive first\n');
      else {
        const file =
          report.fileBytesBefore === undefined
            ? ''
            : `; file ${report.fileBytesBefore} -> ${report.fileBytesAfter} bytes`;
        out.write(
          `rewritten: ${JSON.stringify(report.steps)}${file}\n` +
            `after rewrite: ${report.after.checked} snapshots checked, ${report.after.damaged.length} damaged\n`,
        );
      }
    }
    return report.before.damaged.length === 0 && report.after.damaged.length === 0 ? 0 : 1;
  }
  if (dataDir === null) return withDistributedDb((db) => checkArchive(args, new MongoSnapshotStore(db), out));
  return checkArchive(args, new SqliteSnapshotStore(join(dataDir, 'snapshots.sqlite')), out);
}

/** verify or repair, on either store; the store is closed after. */
async function checkArchive(
  args: ArchiveArguments,
  store: SnapshotStore,
  out: NodeJS.WritableStream,
): Promise<number> {
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
