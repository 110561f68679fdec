import { snapshotIdOf, SqliteEventStore, SqliteSnapshotStore } from '@termline/eventstore';
import { tempDir } from '@termline/testing';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArchiveArguments, runArchive } from './archive.command';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
// Hundreds of snapshots written, rewritten and read several times over, on a shared machine.
jest.setTimeout(120_000);

/** Revision n of a page: the same clauses with a date and one clause that move, as successive fetches see it. */
const revision = (source: number, n: number): Buffer => {
  const clauses = Array.from(
    { length: 600 },
    (_, i) => `<p>Source ${source}, clause ${i}: the terms may change with notice ${i * 37}.</p>`,
  );
  clauses[n % clauses.length] = `<p>Changed in revision ${n}</p>`;
  return Buffer.from(`<html><body><p>Updated ${n}</p>${clauses.join('\n')}</body></html>`);
};

/**
 * An embedded store as written before the dense layout: every snapshot a whole copy (no source given), and the
 * fetch events that name them, in fetch order, one document per source.
 */
async function legacyStore(dir: string, sources: number, revisions: number): Promise<Buffer[]> {
  const snapshots = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
  const events = new SqliteEventStore(join(dir, 'events.sqlite'));
  const written: Buffer[] = [];
  try {
    for (let s = 0; s < sources; s += 1) {
      const streamId = `document:acme-${s}`;
      for (let n = 0; n < revisions; n += 1) {
        const content = revision(s, n);
        const snapshotId = snapshotIdOf(content);
        await snapshots.put(snapshotId, content, 'text/html');
        written.push(content);
        await events.append(streamId, n, `commit-${s}-${n}`, [
          {
            eventId: `event-${s}-${n}`,
            type: 'FetchRecorded',
            schemaVersion: 1,
            data: { documentId: `acme-${s}`, sourcePart: null, snapshotId },
            metadata: { correlationId: 'test', causationId: 'test', occurredAt: '2026-01-01T00:00:00Z' },
          },
        ]);
      }
    }
  } finally {
    await snapshots.close();
    await events.close();
  }
  return written;
}

const layout = (dir: string): { whole: number; delta: number; maxDepth: number } => {
  const db = new Database(join(dir, 'snapshots.sqlite'), { readonly: true });
  try {
    return db
      .prepare<[], { whole: number; delta: number; maxDepth: number }>(
        `SELECT SUM(compression = 'br') AS whole, SUM(compression = 'delta-br') AS delta, MAX(depth) AS maxDepth
         FROM snapshots`,
      )
      .get()!;
  } finally {
    db.close();
  }
};

async function archive(argv: string[]): Promise<{ code: number; output: string }> {
  const out = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const args = parseArchiveArguments(argv);
  if (args === 'help') throw new Error('unexpected help');
  return { code: await runArchive(args, out), output };
}

async function expectEveryRevisionReads(dir: string, contents: readonly Buffer[]): Promise<void> {
  const reader = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
  try {
    for (const content of contents)
      expect((await reader.get(snapshotIdOf(content)))?.content.equals(content)).toBe(true);
  } finally {
    await reader.close();
  }
}

describe('termline archive rewrite', () => {
  it('moves whole copies into chains per source, verified before and after, and shrinks the file', async () => {
    const dir = tempDir();
    try {
      const contents = await legacyStore(dir.path, 2, 40);
      expect(layout(dir.path)).toEqual({ whole: 80, delta: 0, maxDepth: 0 });

      const { code, output } = await archive(['rewrite', '--data', dir.path, '--json']);
      expect(code).toBe(0);
      const report = JSON.parse(output) as {
        before: { checked: number; damaged: unknown[] };
        steps: Record<string, number>;
        fileBytesBefore: number;
        fileBytesAfter: number;
        after: { checked: number; damaged: unknown[] };
      };
      expect(report.before).toEqual({ checked: 80, damaged: [] });
      expect(report.after).toEqual({ checked: 80, damaged: [] });
      // Per source: the first and every 33rd snapshot whole (the depth bound), the rest deltas.
      expect(report.steps).toEqual({ densified: 76, 'already-dense': 0, 'kept-whole': 4, missing: 0 });
      expect(layout(dir.path)).toEqual({ whole: 4, delta: 76, maxDepth: 32 });
      expect(report.fileBytesAfter).toBeLessThan(report.fileBytesBefore / 4);
      await expectEveryRevisionReads(dir.path, contents);

      // A second run finds nothing left to do.
      const again = JSON.parse((await archive(['rewrite', '--data', dir.path, '--json'])).output) as {
        steps: Record<string, number>;
      };
      expect(again.steps).toEqual({ densified: 0, 'already-dense': 76, 'kept-whole': 4, missing: 0 });
    } finally {
      dir.remove();
    }
  });

  it('refuses to rewrite a damaged archive', async () => {
    const dir = tempDir();
    try {
      const contents = await legacyStore(dir.path, 1, 3);
      const raw = new Database(join(dir.path, 'snapshots.sqlite'));
      raw
        .prepare('UPDATE snapshots SET content = substr(content, 1, 10) WHERE snapshot_id = ?')
        .run(snapshotIdOf(contents[1]!));
      raw.close();
      const { code, output } = await archive(['rewrite', '--data', dir.path]);
      expect(code).toBe(1);
      expect(output).toContain('3 snapshots checked, 1 damaged');
      expect(output).toContain('not rewritten: repair the archive first');
      expect(layout(dir.path)).toEqual({ whole: 3, delta: 0, maxDepth: 0 });
    } finally {
      dir.remove();
    }
  });

  it('survives kill -9 in the middle: every snapshot still verifies, and a rerun finishes the job', async () => {
    const dir = tempDir();
    try {
      const contents = await legacyStore(dir.path, 3, 80);
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'test/support/run-ts-main.js'),
          join(ROOT, 'apps/cli/src/main.ts'),
          'archive',
          'rewrite',
          '--data',
          dir.path,
        ],
        { stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((done) =>
        child.once('exit', (_, signal) => done(signal)),
      );
      // Killed once 20 of the 231 rows to rewrite are done: midway through its work. Per source, every 33rd snapshot
      // stays whole (the depth bound): 9 whole copies in the end.
      let killedAt = 0;
      for (;;) {
        const { delta } = layout(dir.path);
        if ((delta ?? 0) >= 20) {
          child.kill('SIGKILL');
          killedAt = delta;
          break;
        }
        if (child.exitCode !== null) break;
        await new Promise((wait) => setTimeout(wait, 5));
      }
      expect(await exited).toBe('SIGKILL');
      const midway = layout(dir.path);
      expect(midway.delta).toBeGreaterThanOrEqual(killedAt);
      expect(midway.delta).toBeLessThan(231);

      // Nothing is half-done: every snapshot verifies, whole or delta.
      const verified = await archive(['verify', '--data', dir.path, '--json']);
      expect(JSON.parse(verified.output)).toEqual({ checked: 240, damaged: [] });
      await expectEveryRevisionReads(dir.path, contents);

      const rerun = await archive(['rewrite', '--data', dir.path, '--json']);
      expect(rerun.code).toBe(0);
      expect(layout(dir.path)).toEqual({ whole: 9, delta: 231, maxDepth: 32 });
      await expectEveryRevisionReads(dir.path, contents);
    } finally {
      dir.remove();
    }
  });
});
