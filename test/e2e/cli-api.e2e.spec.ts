import { verifyExport } from '@termline/audit';
import { SqliteReadModelStore } from '@termline/readmodels';
import { eventually, tempDir } from '@termline/testing';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CommandOutput } from '../../apps/cli/src/audit/cli-options';
import { runExport } from '../../apps/cli/src/audit/export.command';
import { runImport, type ImportSummary } from '../../apps/cli/src/import/import.command';
import { makeRepository } from '../../apps/cli/src/import/ota-repository.spec-support';
import { inkwellRecord } from '../../apps/cli/src/import/snapshot-records.spec-support';
import { runDiff, runDocuments, runSnapshot, runTimeline } from '../../apps/cli/src/read/read.command';
import { CommandFailure } from '../../apps/cli/src/read/read-source';
import { runRebuild } from '../../apps/cli/src/rebuild/rebuild.command';
import {
  parseReplayArguments,
  runReplay,
  type ReplayArguments,
} from '../../apps/cli/src/replay/replay.command';
import { ADMIN, configFor, READER, startSystem, type SystemUnderTest } from './system.scenarios';

/**
 * The CLI against a running gateway (--api <url> --key <key>): history imported by POSTing its fetches, then read
 * back, exported (a large export followed as a job) and the read models rebuilt, all over HTTP.
 */
const dir = tempDir('termline-cli-api-e2e-');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const binary: Buffer[] = [];
  return {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    binary: { write: (chunk: Buffer) => binary.push(chunk) },
    out: () => out.join(''),
    bytes: () => Buffer.concat(binary),
  } satisfies CommandOutput & Record<string, unknown>;
}

describe('termline --api <url> --key <key> (against a running embedded system)', () => {
  let system: SystemUnderTest;
  let api: string[];
  let repo: string;

  beforeAll(async () => {
    const config = configFor({
      TERMLINE_DATA_DIR: join(dir.path, 'data'),
      TERMLINE_EXPORT_INLINE_MAX_BYTES: '2048',
    });
    system = await startSystem('embedded', config, () =>
      Promise.resolve(new SqliteReadModelStore(join(dir.path, 'data', 'read-models.sqlite'), 'rm_rebuild_')),
    );
    await system.app.listen(0, '127.0.0.1');
    const { port } = (system.app.getHttpServer() as Server).address() as AddressInfo;
    api = ['--api', `http://127.0.0.1:${port}`, '--key', ADMIN];
    repo = join(dir.path, 'versions');
    mkdirSync(repo);
    makeRepository(repo);
  }, 60_000);
  afterAll(async () => {
    await system?.close();
    dir.remove();
  }, 30_000);

  it('imports a versions repository by POSTing its fetches; importing again sends nothing new', async () => {
    const first = capture();
    expect(await runImport([repo, ...api, '--json'], first)).toBe(0);
    expect(JSON.parse(first.out()) as ImportSummary).toMatchObject({
      fetches: 3,
      appended: 3,
      outcomes: { accepted: 3 },
      rejected: 0,
    });
    const documents = await eventually(async () => {
      const output = capture();
      await runDocuments([...api, '--json'], output);
      const list = JSON.parse(output.out()) as Array<{ documentId: string; versionCount: number }>;
      return list.length === 2 &&
        list.every((d) => d.versionCount === (d.documentId.startsWith('acme') ? 2 : 1))
        ? list
        : undefined;
    });
    expect(documents.map((d) => d.documentId)).toEqual(['acme__terms-of-service', 'beta__privacy-policy']);
    const again = capture();
    expect(await runImport([repo, ...api, '--json'], again)).toBe(0);
    expect(JSON.parse(again.out()) as ImportSummary).toMatchObject({ fetches: 3, appended: 0, skipped: 3 });
  }, 60_000);

  it('reads the timeline, a diff and a snapshot over HTTP', async () => {
    const timeline = capture();
    expect(await runTimeline([...api, '--document', 'acme__terms-of-service', '--json'], timeline)).toBe(0);
    expect(
      (JSON.parse(timeline.out()) as { items: Array<{ version: number }> }).items.map((e) => e.version),
    ).toEqual([2, 1]);
    const diff = capture();
    expect(await runDiff(['acme__terms-of-service', ...api, '--json'], diff)).toBe(0);
    expect((JSON.parse(diff.out()) as { patch: string }).patch).toMatch(/\+We keep your data for 90 days\./);
    const content = Buffer.from('# Privacy\n\nWe sell nothing.\n');
    const snapshot = capture();
    expect(await runSnapshot([createHash('sha256').update(content).digest('hex'), ...api], snapshot)).toBe(0);
    expect(snapshot.bytes().equals(content)).toBe(true);
    await expect(runDiff(['nobody__nothing', ...api], capture())).rejects.toThrow(CommandFailure);
  });

  it('exports through a job when the export is large, and the bundle verifies', async () => {
    const out = join(dir.path, 'export.tar');
    const output = capture();
    expect(
      await runExport([...api, '--service', 'acme', '--snapshots', '--out', out, '--json'], output),
    ).toBe(0);
    const bundle = readFileSync(out);
    expect(bundle.length).toBeGreaterThan(2048);
    const report = verifyExport(bundle);
    expect(report.problems).toEqual([]);
    expect(report.manifest!.requestedBy).toBe('admin (TERMLINE_ADMIN_KEY)');
    expect(report.manifest!.counts).toMatchObject({ documents: 1, versions: 2, snapshots: 2 });
  }, 30_000);

  it('rebuilds the read models through the admin route; a reader key is refused with exit 2', async () => {
    const output = capture();
    expect(await runRebuild([...api, '--json'], output)).toBe(0);
    expect(JSON.parse(output.out())).toMatchObject({ streams: 2, swapped: true, equal: true });
    const refused = runRebuild([...api.slice(0, 2), '--key', READER], capture());
    await expect(refused).rejects.toMatchObject({ name: 'CommandFailure', exitCode: 2, status: 403 });
  }, 30_000);

  it('replays snapshot records through the running system, giving the versions of an embedded replay', async () => {
    const record = inkwellRecord;
    // The live fetch first, then its history: the system decides them in observed order.
    const records = join(dir.path, 'records.ndjson');
    writeFileSync(
      records,
      [
        record('c3', '2026-03-03T00:00:00Z', 'We sell data.'),
        record('c1', '2026-03-01T00:00:00Z', 'We keep logs.'),
        record('c2', '2026-03-02T00:00:00Z', 'We keep no logs.'),
      ].join('\n') + '\n',
    );
    const throughApi = join(dir.path, 'versions-api.ndjson');
    const run = await runReplay(
      parseReplayArguments([
        records,
        ...api,
        '--out',
        throughApi,
        '--progress-interval',
        '60',
      ]) as ReplayArguments,
      { write: () => true },
    );
    expect(run).toMatchObject({ versions: 3, documents: 1 });
    // The same records replayed embedded, without declarations (the running system has none either).
    mkdirSync(join(dir.path, 'no-declarations'));
    const embedded = join(dir.path, 'versions-embedded.ndjson');
    await runReplay(
      parseReplayArguments([
        records,
        '--declarations',
        join(dir.path, 'no-declarations'),
        '--out',
        embedded,
      ]) as ReplayArguments,
      { write: () => true },
    );
    const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines(throughApi).map((l) => (JSON.parse(l) as { text: string }).text)).toEqual([
      expect.stringContaining('We keep logs.'),
      expect.stringContaining('We keep no logs.'),
      expect.stringContaining('We sell data.'),
    ]);
    // The embedded replay was given a declarations folder without this service (`declaration-missing` fires); the
    // running system has no declarations folder at all. Everything else is the same.
    const withoutRules = (path: string) =>
      lines(path).map((l) => ({ ...(JSON.parse(l) as object), rulesFired: undefined }));
    expect(withoutRules(throughApi)).toEqual(withoutRules(embedded));
  }, 60_000);
});
