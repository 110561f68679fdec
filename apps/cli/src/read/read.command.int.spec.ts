import { verifyExport } from '@termline/audit';
import { tempDir, type TempDir } from '@termline/testing';
import { SqliteReadModelStore } from '@termline/readmodels';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandOutput } from '../audit/cli-options';
import { runExport } from '../audit/export.command';
import { runImport } from '../import/import.command';
import { makeRepository } from '../import/ota-repository.spec-support';
import { main } from '../main';
import { runRebuild } from '../rebuild/rebuild.command';
import { runDiff, runDocuments, runSnapshot, runTimeline } from './read.command';

/**
 * The read commands and rebuild on a real embedded store: import a small history, rebuild its read models, then
 * read it back as a script would (--json) and as a person would, with the exit codes the CLI promises.
 */
function capture(): CommandOutput & { out: () => string; err: () => string; bytes: () => Buffer } {
  const out: string[] = [];
  const err: string[] = [];
  const binary: Buffer[] = [];
  return {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    binary: { write: (chunk: Buffer) => binary.push(chunk) },
    out: () => out.join(''),
    err: () => err.join(''),
    bytes: () => Buffer.concat(binary),
  } as CommandOutput & { out: () => string; err: () => string; bytes: () => Buffer };
}

/** Runs the CLI's entry point, as `termline ...` would, and returns its exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const ACME = 'acme__terms-of-service';

describe('termline documents / timeline / diff / snapshot / rebuild (embedded store)', () => {
  let dir: TempDir;
  let data: string;
  beforeAll(async () => {
    dir = tempDir();
    const repo = join(dir.path, 'versions');
    data = join(dir.path, 'data');
    mkdirSync(repo);
    makeRepository(repo);
    expect(await runImport([repo, '--data', data, '--json'], capture())).toBe(0);
  }, 60_000);
  afterAll(() => dir.remove());

  it('serves an import at once, says what to do when the read models are empty, then builds them with rebuild', async () => {
    // The import brings the read models up to date as it ends.
    const imported = await cli('documents', '--data', data);
    expect(imported.stdout).toMatch(/^acme__terms-of-service\t2 versions\t/);
    // Emptied (as a store written before imports projected, or by a process that does not project).
    const readModels = new SqliteReadModelStore(join(data, 'read-models.sqlite'));
    await readModels.clear();
    await readModels.close();
    const before = await cli('documents', '--data', data);
    expect(before).toMatchObject({ code: 0, stdout: '' });
    expect(before.stderr).toMatch(/^0 documents \(.*termline rebuild builds the read models/);
    const elsewhere = await cli('documents', '--data', join(dir.path, 'nowhere'));
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/no embedded store \(read-models\.sqlite\) there/);
    const output = capture();
    expect(await runRebuild(['--data', data, '--json'], output)).toBe(0);
    expect(JSON.parse(output.out())).toMatchObject({ streams: 2, swapped: true });
    // Rebuilding again from the same events gives the same read models.
    const again = capture();
    expect(await runRebuild(['--data', data, '--json'], again)).toBe(0);
    expect(JSON.parse(again.out())).toMatchObject({ streams: 2, equal: true });
  }, 60_000);

  it('lists documents, and the timeline newest first, for scripts and for people', async () => {
    const documents = capture();
    expect(await runDocuments(['--data', data, '--json'], documents)).toBe(0);
    const list = JSON.parse(documents.out()) as Array<{ documentId: string; versionCount: number }>;
    expect(list.map((d) => [d.documentId, d.versionCount])).toEqual([
      [ACME, 2],
      ['beta__privacy-policy', 1],
    ]);
    const acmeOnly = capture();
    expect(await runDocuments(['--data', data, '--service', 'Acme'], acmeOnly)).toBe(0);
    expect(acmeOnly.out()).toMatch(/^acme__terms-of-service\t2 versions\t/);
    expect(acmeOnly.out().trimEnd().split('\n')).toHaveLength(1);

    const timeline = capture();
    expect(await runTimeline(['--data', data, '--json'], timeline)).toBe(0);
    const page = JSON.parse(timeline.out()) as {
      items: Array<{ documentId: string; version: number; at: string }>;
    };
    expect(page.items.map((e) => [e.documentId, e.version])).toEqual([
      [ACME, 2],
      ['beta__privacy-policy', 1],
      [ACME, 1],
    ]);
    const ranged = capture();
    expect(await runTimeline(['--data', data, '--document', ACME, '--from', '2026-01-15'], ranged)).toBe(0);
    expect(ranged.out().trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^2026-02-01T10:00:00\.000Z\tacme__terms-of-service\tv2\tchange\t/),
    ]);
  });

  it('prints the diff the API serves, and fails with exit 1 for a document it does not know', async () => {
    const json = capture();
    expect(await runDiff([ACME, '--data', data, '--json'], json)).toBe(0);
    const diff = JSON.parse(json.out()) as {
      from: { version: number };
      to: { version: number };
      patch: string;
    };
    expect([diff.from.version, diff.to.version]).toEqual([1, 2]);
    expect(diff.patch).toMatch(/-We keep your data for 30 days\.\n\+We keep your data for 90 days\./);
    const text = capture();
    expect(await runDiff([ACME, '--data', data], text)).toBe(0);
    expect(text.out()).toMatch(/^acme__terms-of-service: v1 \(2026-01-01T10:00:00\.000Z\) -> v2 /);

    const unknown = await cli('diff', 'nobody__nothing', '--data', data);
    expect(unknown).toMatchObject({ code: 1, stderr: 'termline diff: No document nobody__nothing\n' });
    const first = await cli('diff', 'beta__privacy-policy', '--data', data);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/has no version before it/);
  });

  it("writes a snapshot's bytes, checked against its id", async () => {
    const content = Buffer.from('# Privacy\n\nWe sell nothing.\n');
    const snapshotId = createHash('sha256').update(content).digest('hex');
    const output = capture();
    expect(await runSnapshot([snapshotId, '--data', data], output)).toBe(0);
    expect(output.bytes().equals(content)).toBe(true);
    expect(output.err()).toMatch(/sha256 matches the id/);
    const file = join(dir.path, 'snapshot.md');
    expect(await runSnapshot([snapshotId, '--data', data, '--out', file, '--json'], capture())).toBe(0);
    expect(readFileSync(file).equals(content)).toBe(true);
    expect((await cli('snapshot', '0'.repeat(64), '--data', data)).code).toBe(1);
  });

  it('exports the derived findings the rebuild made, and the export verifies', async () => {
    const bundle = join(dir.path, 'export.tar');
    const output = capture();
    expect(await runExport(['--data', data, '--document', ACME, '--out', bundle, '--json'], output)).toBe(0);
    const report = verifyExport(readFileSync(bundle));
    expect(report.problems).toEqual([]);
    const kinds = report.manifest!.streams[0]!.derived!.map((d) => `${d.kind}@${d.version}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['version-summary@1', 'version-summary@2', 'diff@2', 'governance-entry@2']),
    );
  });

  it('answers --help with 0 and bad usage with 2, for every new command', async () => {
    for (const command of ['documents', 'timeline', 'diff', 'snapshot', 'rebuild']) {
      const help = await cli(command, '--help');
      expect({
        command,
        code: help.code,
        usage: help.stdout.startsWith(`Usage: termline ${command}`),
      }).toEqual({
        command,
        code: 0,
        usage: true,
      });
      const bad = await cli(command, '--no-such-flag');
      expect({ command, code: bad.code }).toEqual({ command, code: 2 });
    }
    expect((await cli('timeline', '--data', data, '--document', ACME, '--service', 'acme')).code).toBe(2);
    expect((await cli('timeline', '--data', data, '--from', 'yesterday')).stderr).toMatch(/from/);
    expect((await cli('documents', '--key', 'k')).stderr).toMatch(/--key needs --api/);
    expect((await cli('documents', '--api', 'http://127.0.0.1:9')).stderr).toMatch(/--api needs --key/);
    const unreachable = await cli('documents', '--api', 'http://127.0.0.1:9', '--key', 'k');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9.*is the gateway running\?/);
  });
});
