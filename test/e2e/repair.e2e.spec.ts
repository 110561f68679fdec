import Database from 'better-sqlite3';
import { eventually, tempDir } from '@termline/testing';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import {
  ADMIN,
  aFetch,
  configFor,
  INGEST,
  READER,
  startSystem,
  type SystemUnderTest,
} from './system.scenarios';

/**
 * Issue 7, item 8: a damaged page in the read-model file made reads fail with a bare 500, and the rebuild
 * endpoint failed too, because it read the damaged copy to compare. Now: reads answer a clear 503 problem, the
 * process stays up, and the rebuild replaces the damaged file from the event store.
 */
describe('Repair of a damaged read-model file (embedded mode)', () => {
  const dir = tempDir('termline-repair-');
  const config = configFor({ TERMLINE_DATA_DIR: dir.path });
  const readModelFile = join(dir.path, 'read-models.sqlite');
  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
  let system: SystemUnderTest | undefined;

  afterAll(async () => {
    await system?.close();
    dir.remove();
  }, 30_000);

  const start = async () => {
    system = await startSystem('embedded', config, () => Promise.reject(new Error('not used')));
    return request(system.app.getHttpServer());
  };

  /** Overwrites every page but the first (the schema) with noise: the tables are unreadable, the file opens. */
  function damagePages(file: string): void {
    // Everything into the main file first, so that the damage is not hidden by the journal.
    const db = new Database(file);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const pages = Math.floor(statSync(file).size / pageSize);
    expect(pages).toBeGreaterThan(2);
    const fd = openSync(file, 'r+');
    try {
      for (let page = 1; page < pages; page++)
        writeSync(fd, randomBytes(pageSize), 0, pageSize, page * pageSize);
    } finally {
      closeSync(fd);
    }
  }

  it('answers 503 store-damaged while damaged, and the rebuild endpoint repairs it', async () => {
    let http = await start();
    const documentIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const fetch = aFetch({ service: `Repair Co ${i}` });
      const accepted = await http.post('/v1/fetches').set(auth(INGEST)).send(fetch).expect(202);
      documentIds.push((accepted.body as { documentId: string }).documentId);
    }
    for (const documentId of documentIds) {
      await eventually(async () =>
        (await http.get(`/v1/documents/${documentId}`).set(auth(READER))).status === 200 ? true : undefined,
      );
    }
    const before = (await http.get(`/v1/documents/${documentIds[0]}`).set(auth(READER)).expect(200))
      .body as unknown;
    await system!.close();
    system = undefined;

    damagePages(readModelFile);

    http = await start();
    const damaged = await http.get(`/v1/documents/${documentIds[0]}`).set(auth(READER));
    expect(damaged.status).toBe(503);
    expect(damaged.headers['content-type']).toContain('application/problem+json');
    expect(damaged.body).toMatchObject({ code: 'store-damaged' });
    await http.get('/v1/documents').set(auth(READER)).expect(503);
    // Still up after failed reads.
    await http.get('/metrics').expect(200);

    const report = (await http.post('/v1/admin/projections/rebuild').set(auth(ADMIN)).expect(200)).body as {
      swapped: boolean;
      streams: number;
      comparison: unknown;
      comparisonError?: string;
    };
    expect(report).toMatchObject({ swapped: true, streams: 3, comparison: null });
    expect(report.comparisonError).toMatch(/malformed|not a database|corrupt/i);

    expect((await http.get(`/v1/documents/${documentIds[0]}`).set(auth(READER)).expect(200)).body).toEqual(
      before,
    );
    const listed = (await http.get('/v1/documents').set(auth(READER)).expect(200)).body as {
      items: Array<{ documentId: string }>;
    };
    expect(listed.items.map((d) => d.documentId)).toEqual(expect.arrayContaining(documentIds));
    await http.get('/health').expect(200);

    // The repaired store is live: the projection goes on writing to it.
    const later = aFetch({ service: 'Repair Co Later' });
    const laterId = (
      (await http.post('/v1/fetches').set(auth(INGEST)).send(later).expect(202)).body as {
        documentId: string;
      }
    ).documentId;
    await eventually(async () =>
      (await http.get(`/v1/documents/${laterId}`).set(auth(READER))).status === 200 ? true : undefined,
    );

    // A rebuild of a healthy store still compares, and finds it equal.
    const healthy = (await http.post('/v1/admin/projections/rebuild').set(auth(ADMIN)).expect(200)).body as {
      equal: boolean;
    };
    expect(healthy.equal).toBe(true);
  }, 120_000);

  it('starts on a file whose header is damaged, answers 503, and the rebuild replaces it', async () => {
    let http = system ? request(system.app.getHttpServer()) : await start();
    const listed = (await http.get('/v1/documents').set(auth(READER)).expect(200)).body as {
      items: unknown[];
    };
    expect(listed.items.length).toBeGreaterThan(0);
    await system!.close();
    system = undefined;
    const fd = openSync(readModelFile, 'r+');
    try {
      writeSync(fd, randomBytes(100), 0, 100, 0);
    } finally {
      closeSync(fd);
    }

    // Before: the store's constructor threw "file is not a database" and the process could not start at all.
    http = await start();
    const damaged = await http.get('/v1/documents').set(auth(READER));
    expect(damaged.status).toBe(503);
    expect(damaged.body).toMatchObject({ code: 'store-damaged' });

    await http.post('/v1/admin/projections/rebuild').set(auth(ADMIN)).expect(200);
    expect((await http.get('/v1/documents').set(auth(READER)).expect(200)).body).toEqual(listed);
  }, 120_000);
});
