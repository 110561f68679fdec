import { readExportFiles, type ExportEvent } from '@termline/audit';
import { openNdjson, type NdjsonSource } from '@termline/corpus';
import { upcastDocumentEvent, versionHistoryOf } from '@termline/domain';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandOutput } from '../audit/cli-options';
import { exportThroughGateway } from '../audit/export.command';
import { importRecordsThroughGateway } from '../import/import-through-gateway';
import type { ImportStats } from '../import/import-versions';
import type { GatewayClient } from '../read/read-source';
import type { ProgressReporter } from './progress';
import { fetchIdOfCommit, parseSnapshotRecord, RecordError } from './snapshot-record';
import { commitsBySnapshot, versionLine, type VersionLine } from './version-lines';

/** Statuses of a fetch the system has not settled yet (GET /v1/fetches/{id}). */
const UNSETTLED = new Set(['accepted', 'replayed']);
const POLL_MS = 100;

export interface GatewayReplay {
  stats: ImportStats;
  /** Fetches still unsettled when the wait ended (none when every one was recorded or set aside). */
  unsettled: number;
  lines: VersionLine[];
}

/** The fetch ids of the records the import sent (the first `limit` well-formed lines). */
async function fetchIdsOf(source: NdjsonSource, limit: number | undefined): Promise<string[]> {
  const ids: string[] = [];
  let count = 0;
  for await (const line of source.lines()) {
    if (limit !== undefined && count >= limit) break;
    count += 1;
    try {
      ids.push(fetchIdOfCommit(parseSnapshotRecord(line.text).commit));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
    }
  }
  return ids;
}

/**
 * `termline replay --api`: the records POSTed to a running system (as `termline import --api` does), each fetch
 * waited for until the system settled it, then each touched document's history read back through its export
 * (the chained events) and folded into version lines exactly as the embedded replay folds its own store.
 */
export async function replayThroughGateway(
  gateway: GatewayClient,
  records: string,
  options: { limit?: number; progress: ProgressReporter | null; waitMs: number },
): Promise<GatewayReplay> {
  const stats = await importRecordsThroughGateway(gateway, openNdjson(records), options);
  const deadline = Date.now() + options.waitMs;
  const documents = new Set<string>();
  let unsettled = 0;
  for (const fetchId of await fetchIdsOf(openNdjson(records), options.limit)) {
    for (;;) {
      const status = await gateway
        .json<{ status: string; documentId?: string }>(`/v1/fetches/${encodeURIComponent(fetchId)}`)
        .catch(() => null);
      if (status?.documentId) documents.add(status.documentId);
      if (status !== null && !UNSETTLED.has(status.status)) break;
      if (Date.now() > deadline) {
        unsettled += 1;
        break;
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), 'termline-replay-api-'));
  const silent: CommandOutput = { stdout: { write: () => undefined }, stderr: { write: () => undefined } };
  const lines: VersionLine[] = [];
  try {
    for (const documentId of [...documents].sort()) {
      const out = join(scratch, `${documentId}.ndjson`);
      await exportThroughGateway(gateway, { document: documentId, format: 'ndjson' }, out, silent);
      const events = readExportFiles(readFileSync(out))
        .filter((file) => file.path.endsWith('/events.ndjson'))
        .flatMap((file) => file.content.toString('utf8').trimEnd().split('\n'))
        .filter((line) => line !== '')
        .map((line) => upcastDocumentEvent(JSON.parse(line) as ExportEvent));
      const commits = commitsBySnapshot(events);
      for (const record of versionHistoryOf(events)) lines.push(versionLine(record, commits));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { stats, unsettled, lines };
}
