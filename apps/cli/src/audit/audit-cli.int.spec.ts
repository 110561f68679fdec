import {
  connectMongo,
  MongoEventStore,
  SqliteEventStore,
  SqliteSnapshotStore,
  snapshotIdOf,
  type EventStore,
} from '@termline/eventstore';
import { describeWithMongo, mongoUri, tempDir, uniqueName, type TempDir } from '@termline/testing';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../main';
import type { CommandOutput } from './cli-options';
import { runExport } from './export.command';
import { runKeygen } from './keygen.command';
import { runVerify } from './verify.command';
import { runReport } from '../report/report.command';

/** The audit commands on a real embedded store: keygen, export, verify, and verify catching an edit. */
function capture(): CommandOutput & { out: () => string } {
  const chunks: string[] = [];
  return {
    stdout: { write: (t: string) => chunks.push(t) },
    stderr: { write: (t: string) => chunks.push(t) },
    out: () => chunks.join(''),
  };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function seedEvents(events: EventStore): Promise<void> {
  const metadata = { correlationId: 'c', causationId: 'k', occurredAt: '2026-05-01T00:00:00.000Z' };
  let expected = 0;
  for (const [index, text] of ['Data kept 30 days.', 'Data kept 90 days.'].entries()) {
    const snapshotId = snapshotIdOf(Buffer.from(`<p>${text}</p>`));
    const fetchedAt = `2026-0${index + 1}-01T00:00:00.000Z`;
    const result = await events.append('document:acme__terms', expected, `fetch:f${index}`, [
      {
        eventId: `f${index}`,
        type: 'FetchRecorded',
        schemaVersion: 2,
        data: { documentId: 'acme__terms', fetchedAt, snapshotId },
        metadata,
      },
      {
        eventId: `v${index}`,
        type: 'VersionRecorded',
        schemaVersion: 2,
        data: {
          documentId: 'acme__terms',
          version: index + 1,
          text,
          textSha256: sha(text),
          validFrom: fetchedAt,
          extractorVersion: 'x-1',
        },
        metadata,
      },
    ]);
    expected = result.link.lastVersion;
  }
}

async function seed(dataDir: string): Promise<void> {
  const events = new SqliteEventStore(join(dataDir, 'events.sqlite'));
  const snapshots = new SqliteSnapshotStore(join(dataDir, 'snapshots.sqlite'));
  await seedEvents(events);
  for (const text of ['Data kept 30 days.', 'Data kept 90 days.']) {
    const content = Buffer.from(`<p>${text}</p>`);
    await snapshots.put(snapshotIdOf(content), content, 'text/html');
  }
  await Promise.all([events.close(), snapshots.close()]);
}

describe('termline export / verify / keygen', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = tempDir();
    await seed(join(dir.path, 'data'));
  });
  afterAll(() => dir.remove());

  it('exports a signed bundle that verifies, and fails (exit 1) with the check named once a text is edited', async () => {
    const key = join(dir.path, 'key.pem');
    expect(runKeygen(['--out', key], capture())).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const bundle = join(dir.path, 'export.tar');
    const exported = capture();
    expect(
      await runExport(
        ['--data', join(dir.path, 'data'), '--snapshots', '--sign-key', key, '--out', bundle, '--json'],
        exported,
      ),
    ).toBe(0);
    expect(JSON.parse(exported.out())).toMatchObject({
      manifest: { counts: { documents: 1, versions: 2, snapshots: 2 }, signature: { algorithm: 'Ed25519' } },
    });

    const verified = capture();
    expect(runVerify([bundle, '--public-key', `${key}.pub`], verified)).toBe(0);
    expect(verified.out()).toMatch(/^OK: .*\nChecked 7 files, 2 commits, 4 events, 2 texts, 2 snapshots/);

    const store = new SqliteEventStore(join(dir.path, 'data', 'events.sqlite'));
    const head = (await store.chainHead('document:acme__terms'))!.hash;
    await store.close();
    expect(runVerify([bundle, '--known-hash', head], capture())).toBe(0);
    const unknown = capture();
    expect(runVerify([bundle, '--known-hash', 'f'.repeat(64)], unknown)).toBe(1);
    expect(unknown.out()).toContain(
      `known-hash-missing: bundle: the known chain hash ${'f'.repeat(64)} is not a link`,
    );

    const ndjson = join(dir.path, 'export.ndjson');
    expect(
      await runExport(['--data', join(dir.path, 'data'), '--format', 'ndjson', '--out', ndjson], capture()),
    ).toBe(0);
    expect(runVerify([ndjson], capture())).toBe(0);

    const html = join(dir.path, 'report.html');
    expect(runReport([bundle, '--out', html], capture())).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<strong>Verified.</strong>');

    const content = readFileSync(bundle);
    const at = content.indexOf('Data kept 90 days.', content.indexOf('texts/2.txt'));
    content[at + 10] = '8'.charCodeAt(0);
    writeFileSync(bundle, content);
    expect(runReport([bundle, '--out', html], capture())).toBe(1);
    expect(readFileSync(html, 'utf8')).toContain('Verification FAILED');
    const failed = capture();
    expect(runVerify([bundle, '--json'], failed)).toBe(1);
    const report = JSON.parse(failed.out()) as {
      ok: boolean;
      problems: Array<{ check: string; where: string }>;
    };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'text-mismatch', where: 'documents/acme__terms/texts/2.txt' }),
        expect.objectContaining({ check: 'file-hash', where: 'documents/acme__terms/texts/2.txt' }),
      ]),
    );
  });

  it('answers bad usage with exit 2 and --help with exit 0', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['export', '--document', 'x', '--out', 'y'])).toBe(2);
      expect(String(stderr.mock.calls[0]?.[0])).toContain('document must be a document id');
      expect(await main(['verify'])).toBe(2);
      expect(await main(['verify', '--bogus'])).toBe(2);
      expect(await main(['nope'])).toBe(2);
      for (const command of ['import', 'export', 'verify', 'report', 'keygen', 'replay'])
        expect(await main([command, '--help'])).toBe(0);
      expect(String(stdout.mock.calls.at(-1)?.[0])).toMatch(/^Usage: termline replay/);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});

describeWithMongo('termline export --distributed', () => {
  it('exports the MongoDB event store of the distributed mode, and the export verifies', async () => {
    const database = uniqueName('export');
    const connection = await connectMongo(mongoUri(), database);
    const dir = tempDir();
    const saved = { uri: process.env.MONGODB_URI, db: process.env.MONGODB_DATABASE };
    try {
      await seedEvents(await MongoEventStore.open(connection.db));
      process.env.MONGODB_URI = mongoUri();
      process.env.MONGODB_DATABASE = database;
      const bundle = join(dir.path, 'export.tar');
      const exported = capture();
      expect(await runExport(['--distributed', '--out', bundle, '--json'], exported)).toBe(0);
      expect(JSON.parse(exported.out())).toMatchObject({
        manifest: { counts: { documents: 1, commits: 2, versions: 2 } },
      });
      expect(runVerify([bundle], capture())).toBe(0);
    } finally {
      process.env.MONGODB_URI = saved.uri;
      process.env.MONGODB_DATABASE = saved.db;
      if (saved.db === undefined) delete process.env.MONGODB_DATABASE;
      if (saved.uri === undefined) delete process.env.MONGODB_URI;
      await connection.db.dropDatabase();
      await connection.close();
      dir.remove();
    }
  });
});
