import { verifyExport } from '@termline/audit';
import { SqliteEventStore } from '@termline/eventstore';
import { tempDir, type TempDir } from '@termline/testing';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandOutput } from '../audit/cli-options';
import { runExport } from '../audit/export.command';
import { runImport, type ImportSummary } from './import.command';
import { makeRepository } from './ota-repository.spec-support';
import { inkwellRecord } from './snapshot-records.spec-support';

/** A versions repository of three commits, imported in two goes, then again: idempotent and resumable. */
function capture(): CommandOutput & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('termline import (OTA versions repository)', () => {
  let dir: TempDir;
  let repo: string;
  let data: string;
  beforeAll(() => {
    dir = tempDir();
    repo = join(dir.path, 'versions');
    data = join(dir.path, 'data');
    mkdirSync(repo);
    makeRepository(repo);
  });
  afterAll(() => dir.remove());

  const run = async (...extra: string[]): Promise<ImportSummary> => {
    const output = capture();
    expect(await runImport([repo, '--data', data, '--json', ...extra], output)).toBe(0);
    return JSON.parse(output.out()) as ImportSummary;
  };

  it('imports each commit of each document as a fetch dated at the commit, resumes, and appends nothing the second time', async () => {
    expect(await run('--limit', '1')).toMatchObject({ fetches: 1, appended: 1, skipped: 0, rejected: 0 });
    expect(await run()).toMatchObject({
      fetches: 3,
      appended: 2,
      skipped: 1,
      outcomes: { 'new-version': 2 },
    });
    expect(await run()).toMatchObject({ fetches: 3, appended: 0, skipped: 3 });

    const store = new SqliteEventStore(join(data, 'events.sqlite'));
    try {
      expect(await store.streamIds()).toEqual([
        'document:acme__terms-of-service',
        'document:beta__privacy-policy',
      ]);
      const events = await store.readStream('document:acme__terms-of-service');
      const fetches = events
        .filter((e) => e.type === 'FetchRecorded')
        .map((e) => e.data as { fetchedAt: string; sourceUrl: string; fetcher: string });
      expect(fetches.map((f) => f.fetchedAt)).toEqual([
        '2026-01-01T10:00:00.000Z',
        '2026-02-01T10:00:00.000Z',
      ]);
      expect(fetches[0]).toMatchObject({
        sourceUrl: `https://github.com/OpenTermsArchive/x-snapshots/commit/${'a'.repeat(40)}`,
        fetcher: 'ota-engine-1.2.3 (versions import)',
      });
      const versions = events
        .filter((e) => e.type === 'VersionRecorded')
        .map((e) => (e.data as { text: string }).text);
      expect(versions).toHaveLength(2);
      expect(versions[1]).toContain('90 days');
      expect((await store.chainHead('document:acme__terms-of-service'))?.lastVersion).toBe(events.length);
    } finally {
      await store.close();
    }

    const bundle = join(dir.path, 'export.tar');
    expect(await runExport(['--data', data, '--out', bundle], capture())).toBe(0);
    expect(verifyExport(readFileSync(bundle)).problems).toEqual([]);
  }, 60_000);

  it('refuses what it cannot import, with exit code 2 through the CLI', async () => {
    await expect(runImport([join(dir.path, 'nothing.txt')], capture())).rejects.toThrow(/no such file/);
    writeFileSync(join(dir.path, 'records.ndjson'), '');
    await expect(runImport([join(dir.path, 'records.ndjson'), '--data', data], capture())).rejects.toThrow(
      /need --declarations/,
    );
  });
});

describe('termline import (OTA snapshot records)', () => {
  it('imports records into the embedded store once: a second import appends nothing', async () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, 'declarations'));
      writeFileSync(
        join(dir.path, 'declarations', 'Inkwell.json'),
        JSON.stringify({
          name: 'Inkwell',
          terms: { 'Privacy Policy': { fetch: 'https://inkwell.example/privacy', select: 'main' } },
        }),
      );
      const record = inkwellRecord;
      const records = join(dir.path, 'records.ndjson');
      writeFileSync(
        records,
        `${record('a1', '2026-03-01T00:00:00Z', 'We keep logs.')}\n${record('a2', '2026-03-02T00:00:00Z', 'We keep no logs.')}\n`,
      );
      const args = [
        records,
        '--data',
        join(dir.path, 'data'),
        '--declarations',
        join(dir.path, 'declarations'),
        '--json',
      ];
      const first = capture();
      expect(await runImport(args, first)).toBe(0);
      expect(JSON.parse(first.out())).toMatchObject({
        kind: 'snapshot-records',
        fetches: 2,
        appended: 2,
        outcomes: { 'new-version': 2 },
      });
      const second = capture();
      expect(await runImport(args, second)).toBe(0);
      expect(JSON.parse(second.out())).toMatchObject({ fetches: 2, appended: 0, skipped: 2 });
    } finally {
      dir.remove();
    }
  }, 60_000);
});
