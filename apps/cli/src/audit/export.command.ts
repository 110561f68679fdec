import {
  buildExport,
  exportSourceOf,
  loadSigningKey,
  parseExportRequest,
  writeExport,
  type ExportManifest,
} from '@termline/audit';
import { loadConfig } from '@termline/config';
import {
  connectMongo,
  MongoEventStore,
  MongoSnapshotStore,
  SqliteEventStore,
  SqliteSnapshotStore,
  type EventStore,
  type SnapshotStore,
} from '@termline/eventstore';
import { MongoReadModelStore, SqliteReadModelStore, type ReadModelStore } from '@termline/readmodels';
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { join } from 'node:path';
import { CommandFailure, gatewayOf, type GatewayClient } from '../read/read-source';
import { UsageError } from '../replay/replay.command';
import { dataDirOf, parseCommand, type CommandOutput } from './cli-options';

export const EXPORT_USAGE = `Usage: termline export --out <file> [options]

Exports the hash-chained history of the embedded store (a document, a service, or everything) for an auditor;
"termline verify" checks it offline.

Options:
  --document <id>        one document (e.g. acme__terms-of-service)
  --service <slug>       every document of one service (neither: the whole collection)
  --from <date>          start of the range (ISO 8601; a date is midnight UTC); the link before it is included
  --to <date>            end of the range, inclusive (a date is the whole day)
  --format <f>           bundle (tar, default), ndjson (the same files, one per line) or csv (the timeline only)
  --snapshots            include the raw snapshots
  --sign-key <pem>       sign the manifest with this Ed25519 private key (termline keygen makes one)
  --data <dir>           the embedded store (default: TERMLINE_DATA_DIR, else ./data)
  --distributed          read the distributed mode's MongoDB instead (MONGODB_URI, MONGODB_DATABASE)
  --api <url>            ask a running gateway instead (POST /v1/exports; a large export is followed as a job) ...
  --key <key>            ... with an analyst or admin key (default: TERMLINE_API_KEY); the gateway signs with its key
  --out <file>           where to write; "-" for stdout
  --json                 print the summary as JSON
  -h, --help             this help`;

export interface ExportSummary {
  out: string;
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  manifest: Pick<ExportManifest, 'counts' | 'rootHash' | 'signature'>;
}

export async function runExport(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    document: { type: 'string' },
    service: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    snapshots: { type: 'boolean' },
    'sign-key': { type: 'string' },
    data: { type: 'string' },
    distributed: { type: 'boolean' },
    out: { type: 'string' },
    api: { type: 'string' },
    key: { type: 'string' },
  });
  if (values.help) {
    output.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { document, service, from, to, format } = values;
  const parsed = parseExportRequest({
    document,
    service,
    from,
    to,
    format,
    snapshots: values.snapshots ?? false,
  });
  if ('errors' in parsed) throw new UsageError(parsed.errors.join('; '));
  if (!values.out) throw new UsageError('missing --out <file>');
  const gateway = gatewayOf(values);
  if (gateway && (values.distributed || values.data !== undefined || values['sign-key'] !== undefined))
    throw new UsageError(
      '--api asks the gateway, which reads its own store and signs with its own key: drop --data, --distributed and --sign-key',
    );
  if (gateway) {
    const started = process.hrtime.bigint();
    const body = { document, service, from, to, format, snapshots: values.snapshots || undefined };
    const bytes = await exportThroughGateway(gateway, body, values.out, output);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const summary = { out: values.out, bytes, seconds, mbPerSecond: bytes / 1e6 / Math.max(seconds, 1e-6) };
    (values.out === '-' ? output.stderr : output.stdout).write(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `${(bytes / 1e6).toFixed(1)} MB from ${values.api ?? ''} to ${values.out} in ${seconds.toFixed(1)} s; check it with termline verify\n`,
    );
    return 0;
  }
  let signingKey;
  try {
    signingKey = values['sign-key'] ? loadSigningKey(values['sign-key']) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const started = process.hrtime.bigint();
  const stores = values.distributed
    ? await openDistributedStores()
    : openEmbeddedStores(dataDirOf(values.data));
  const stream = values.out === '-' ? null : createWriteStream(values.out);
  let bytes = 0;
  try {
    const files = buildExport(exportSourceOf(stores.eventStore, stores.snapshots, stores.readModels), {
      request: parsed.request,
      requestedBy: 'cli',
      createdAt: new Date().toISOString(),
      signingKey,
    });
    const manifest = await writeExport(parsed.format, files, async (chunk) => {
      bytes += chunk.length;
      const target = stream ?? process.stdout;
      if (!target.write(chunk)) await once(target, 'drain');
    });
    if (stream) {
      stream.end();
      await once(stream, 'finish');
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const summary: ExportSummary = {
      out: values.out,
      bytes,
      seconds,
      mbPerSecond: bytes / 1e6 / Math.max(seconds, 1e-6),
      manifest: { counts: manifest.counts, rootHash: manifest.rootHash, signature: manifest.signature },
    };
    const report = values.json ? `${JSON.stringify(summary)}\n` : `${describeExport(summary)}\n`;
    (values.out === '-' ? output.stderr : output.stdout).write(report);
    return 0;
  } finally {
    stream?.destroy();
    await stores.close();
  }
}

interface ExportStores {
  eventStore: EventStore;
  snapshots: SnapshotStore;
  readModels: ReadModelStore | null;
  close(): Promise<void>;
}

function openEmbeddedStores(dataDir: string): ExportStores {
  if (!existsSync(join(dataDir, 'events.sqlite'))) {
    throw new UsageError(`${dataDir}: no embedded store (events.sqlite) there`);
  }
  const eventStore = new SqliteEventStore(join(dataDir, 'events.sqlite'));
  const snapshots = new SqliteSnapshotStore(join(dataDir, 'snapshots.sqlite'));
  const readModels = existsSync(join(dataDir, 'read-models.sqlite'))
    ? new SqliteReadModelStore(join(dataDir, 'read-models.sqlite'))
    : null;
  return {
    eventStore,
    snapshots,
    readModels,
    close: async () => {
      await Promise.all([eventStore.close(), snapshots.close(), readModels?.close()]);
    },
  };
}

async function openDistributedStores(): Promise<ExportStores> {
  const config = loadConfig();
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  return {
    eventStore: await MongoEventStore.open(connection.db),
    snapshots: new MongoSnapshotStore(connection.db),
    readModels: await MongoReadModelStore.open(connection.db),
    close: () => connection.close(),
  };
}

const JOB_POLL_MS = 500;

/**
 * POST /v1/exports: a small export is the answer itself; a large one is a job (202), followed until it is done,
 * then downloaded. A failed job fails the command with the job's reason.
 */
export async function exportThroughGateway(
  gateway: GatewayClient,
  body: Record<string, unknown>,
  out: string,
  output: CommandOutput,
): Promise<number> {
  let response = await gateway.request('POST', '/v1/exports', { body });
  if (response.status === 202) {
    let job = (await response.json()) as { jobId: string; status: string; reason: string | null };
    let said = '';
    while (job.status === 'queued' || job.status === 'running') {
      if (job.status !== said) output.stderr.write(`export job ${job.jobId}: ${job.status}\n`);
      said = job.status;
      await new Promise((done) => setTimeout(done, JOB_POLL_MS));
      job = await gateway.json(`/v1/exports/${job.jobId}`);
    }
    if (job.status !== 'done')
      throw new CommandFailure(`export job ${job.jobId} failed: ${job.reason ?? 'no reason given'}`);
    response = await gateway.request('GET', `/v1/exports/${job.jobId}/bundle`);
  }
  if (out === '-' || !response.body) {
    const content = Buffer.from(await response.arrayBuffer());
    if (out === '-') process.stdout.write(content);
    else writeFileSync(out, content);
    return content.length;
  }
  // Streamed to the file: a whole-collection export need not fit in memory.
  let bytes = 0;
  const download = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
  download.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(download, createWriteStream(out));
  return bytes;
}

function describeExport(summary: ExportSummary): string {
  const c = summary.manifest.counts;
  return [
    `Exported ${c.documents} documents: ${c.commits} commits, ${c.events} events (${c.observations} observations, ${c.versions} versions, ${c.retractions} retractions), ${c.derived} derived records, ${c.snapshots} snapshots`,
    `${(summary.bytes / 1e6).toFixed(1)} MB to ${summary.out} in ${summary.seconds.toFixed(1)} s (${summary.mbPerSecond.toFixed(1)} MB/s)`,
    `Root hash ${summary.manifest.rootHash}${summary.manifest.signature ? `, signed by key ${summary.manifest.signature.keyId}` : ', unsigned'}`,
  ].join('\n');
}
