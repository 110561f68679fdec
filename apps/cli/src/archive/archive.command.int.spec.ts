import { snapshotIdOf, SqliteSnapshotStore } from '@termline/eventstore';
import { tempDir } from '@termline/testing';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArchiveArguments, runArchive } from './archive.command';

const revision = (n: number): Buffer =>
  Buffer.from(
    `<html><body><p>Revision ${n}</p>${Array.from({ length: 300 }, (_, i) => `<p>Clause ${i} of the terms.</p>`).join('')}</body></html>`,
  );

async function run(argv: string[]): Promise<{ code: number; output: string }> {
  const out = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const args = parseArchiveArguments(argv);
  if (args === 'help') throw new Error('unexpected help');
  const code = await runArchive(args, out);
  return { code, output };
}

describe('termline archive', () => {
  it('verify names the damaged snapshots; repair re-stores the missing base from an export and verifies again', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'snapshots.sqlite');
      const store = new SqliteSnapshotStore(file);
      const revisions = [0, 1, 2, 3].map(revision);
      for (const content of revisions)
        await store.put(snapshotIdOf(content), content, 'text/html', { source: 'acme/terms#' });
      await store.close();
      const lost = snapshotIdOf(revisions[1]!);
      const raw = new Database(file);
      raw.prepare('DELETE FROM snapshots WHERE snapshot_id = ?').run(lost);
      raw.close();

      const verified = await run(['verify', '--data', dir.path]);
      expect(verified.code).toBe(1);
      expect(verified.output).toContain('3 snapshots checked, 2 damaged');
      expect(verified.output).toContain(`delta base ${lost} is not in the archive`);

      const exportFile = join(dir.path, 'export.ndjson');
      writeFileSync(
        exportFile,
        revisions
          .map((content, i) =>
            JSON.stringify({
              service: 'Acme',
              documentType: 'Terms of Service',
              sourcePart: null,
              sourceUrl: 'https://acme.example/terms',
              fetcher: 'htmlOnly',
              fetchedAt: `2026-01-0${i + 1}T00:00:00Z`,
              commit: `${i}`.repeat(40),
              mimeType: 'text/html',
              content: content.toString('utf8'),
            }),
          )
          .join('\n'),
      );
      const repaired = await run(['repair', '--data', dir.path, '--from', exportFile]);
      expect(repaired.output).toContain('re-stored: {"restored":1}');
      expect(repaired.output).toContain('after repair: 4 snapshots checked, 0 damaged');
      expect(repaired.code).toBe(0);
      const json = await run(['verify', '--data', dir.path, '--json']);
      expect(JSON.parse(json.output)).toEqual({ checked: 4, damaged: [] });

      const reader = new SqliteSnapshotStore(file);
      for (const content of revisions)
        expect((await reader.get(snapshotIdOf(content)))?.content.equals(content)).toBe(true);
      await reader.close();
    } finally {
      dir.remove();
    }
  });

  it('refuses a command line without a store or an export', () => {
    expect(() => parseArchiveArguments(['verify'])).toThrow(/--data/);
    expect(() => parseArchiveArguments(['mend', '--data', '/tmp'])).toThrow(/verify/);
  });
});
