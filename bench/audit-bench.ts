import {
  buildExport,
  exportSourceOf,
  groupCommits,
  linkOf,
  verifyExport,
  writeExport,
} from '@termline/audit';
import { SqliteSnapshotStore } from '@termline/eventstore';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExportFile } from '../apps/cli/src/audit/export-file.reader';
import { importVersions } from '../apps/cli/src/import/import-versions';
import { openReplaySession } from '../apps/cli/src/replay/replay-session';
import { BUNDLE_NAME, cloneBundle, corpusDir, repoRootFrom } from '@termline/corpus';

/**
 * The audit bench (`node dist/bench/audit-bench.js`, or `runAuditBench` from run-bench): imports the first
 * BENCH_AUDIT_LIMIT fetches of pga-versions (default all) into a fresh embedded store with `termline import`'s
 * code, then measures the chain's hashing cost per commit, a signed export with snapshots, and its verification.
 */
export interface AuditBenchResult {
  fetches: number;
  importSeconds: number;
  importFetchesPerSec: number;
  commits: number;
  chainHashMsPerCommit: number;
  exportMb: number;
  exportMbPerSec: number;
  verifyMbPerSec: number;
  verified: boolean;
}

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

export async function runAuditBench(
  corpus: string,
  repoRoot: string,
  limit?: number,
): Promise<AuditBenchResult> {
  const repo = cloneBundle(join(corpus, BUNDLE_NAME), join(repoRoot, '.tmp', 'bench'));
  const dir = mkdtempSync(join(tmpdir(), 'termline-audit-bench-'));
  try {
    const session = await openReplaySession({ dataDir: dir, declarationsDir: null });
    let started = process.hrtime.bigint();
    let stats;
    let commits = 0;
    let chainSeconds = 0;
    try {
      stats = await importVersions(session, repo, { ref: 'main', origin: 'https://bench.invalid', limit });
      const importSeconds = seconds(started);
      for (const streamId of await session.eventStore.streamIds()) {
        const grouped = groupCommits(await session.eventStore.readStream(streamId));
        started = process.hrtime.bigint();
        for (const commit of grouped)
          linkOf({
            streamId,
            commitId: commit.commitId,
            firstVersion: commit.firstVersion,
            previousHash: null,
            events: commit.events,
          });
        chainSeconds += seconds(started);
        commits += grouped.length;
      }
      const snapshots = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
      const out = join(dir, 'export.tar');
      const stream = createWriteStream(out);
      started = process.hrtime.bigint();
      await writeExport(
        'bundle',
        buildExport(exportSourceOf(session.eventStore, snapshots, null), {
          request: { scope: { kind: 'collection' }, from: null, to: null, includeSnapshots: true },
          requestedBy: 'bench',
          createdAt: new Date().toISOString(),
          signingKey: generateKeyPairSync('ed25519').privateKey,
        }),
        async (chunk) => {
          if (!stream.write(chunk)) await once(stream, 'drain');
        },
      );
      stream.end();
      await once(stream, 'finish');
      const exportSeconds = seconds(started);
      await snapshots.close();
      const exportMb = statSync(out).size / 1e6;
      started = process.hrtime.bigint();
      const file = openExportFile(out);
      const report = verifyExport(file.files);
      file.close();
      const verifySeconds = seconds(started);
      return {
        fetches: stats.records,
        importSeconds,
        importFetchesPerSec: stats.records / importSeconds,
        commits,
        chainHashMsPerCommit: (chainSeconds * 1000) / Math.max(commits, 1),
        exportMb,
        exportMbPerSec: exportMb / exportSeconds,
        verifyMbPerSec: exportMb / verifySeconds,
        verified: report.ok,
      };
    } finally {
      await session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const repoRoot = repoRootFrom(__dirname);
  const limit = process.env.BENCH_AUDIT_LIMIT ? Number(process.env.BENCH_AUDIT_LIMIT) : undefined;
  runAuditBench(corpusDir(repoRoot), repoRoot, limit).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
