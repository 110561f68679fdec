import { readTar, verifyExport, type ExportManifest } from '@termline/audit';
import { WorkerPool } from '@termline/platform';
import { SqliteReadModelStore } from '@termline/readmodels';
import { CLASSIFIER_VERSION, TAXONOMY_VERSION } from '@termline/regulatory';
import { eventually, tempDir } from '@termline/testing';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { hashApiKey } from '@termline/config';
import {
  ADMIN,
  aFetch,
  binary,
  configFor,
  INGEST,
  READER,
  startSystem,
  type SystemUnderTest,
} from './system.scenarios';

/** Audit-ready history over HTTP: the chain head, and exports that verify offline. */
const dir = tempDir('termline-audit-e2e-');
const keys = generateKeyPairSync('ed25519');
const keyFile = join(dir.path, 'signing-key.pem');
writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ANALYST = 'e2e-analyst-key-0123456789';
/** Small enough that a bundle with its snapshots becomes a job, large enough for a three-row CSV inline. */
const INLINE_MAX_BYTES = 4096;

describe('audit: chain head and exports (embedded mode)', () => {
  let system: SystemUnderTest;
  let http: ReturnType<typeof request>;
  let documentId: string;
  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
  type Job = { jobId: string; status: string; bundle: string | null; reason: string | null; bytes: number };

  /** Follows a job to its end: the status route until done or failed. */
  const finished = (jobId: string, key = ADMIN) =>
    eventually(async () => {
      const job = (await http.get(`/v1/exports/${jobId}`).set(auth(key)).expect(200)).body as Job;
      return job.status === 'done' || job.status === 'failed' ? job : undefined;
    });

  /** The export's bytes, inline (200) or through its job (202, then the job's bundle). */
  const exportOf = async (body: object, key = ADMIN) => {
    const response = await http.post('/v1/exports').set(auth(key)).send(body).buffer(true).parse(binary);
    if (response.status === 200) return response;
    expect(response.status).toBe(202);
    const job = await finished((JSON.parse((response.body as Buffer).toString('utf8')) as Job).jobId, key);
    expect(job).toMatchObject({ status: 'done', reason: null });
    return http.get(job.bundle!).set(auth(key)).buffer(true).parse(binary).expect(200);
  };

  beforeAll(async () => {
    const config = configFor({
      TERMLINE_DATA_DIR: dir.path,
      TERMLINE_EXPORT_SIGNING_KEY_FILE: keyFile,
      TERMLINE_EXPORT_INLINE_MAX_BYTES: String(INLINE_MAX_BYTES),
      TERMLINE_API_KEYS: JSON.stringify([
        { name: 'ingest-bot', role: 'ingest', sha256: hashApiKey(INGEST) },
        { name: 'dashboard', role: 'reader', sha256: hashApiKey(READER) },
        { name: 'auditor', role: 'analyst', sha256: hashApiKey(ANALYST) },
      ]),
    });
    system = await startSystem('embedded', config, () =>
      Promise.resolve(new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'), 'rm_rebuild_')),
    );
    http = request(system.app.getHttpServer());
    const html = (days: number) =>
      `<html><body><main><h1>Terms</h1><p>We keep your data for ${days} days.</p></main></body></html>`;
    const fetches = [
      aFetch({ service: 'Audit Co', fetchedAt: '2026-01-01T10:00:00Z', content: html(30) }),
      aFetch({ service: 'Audit Co', fetchedAt: '2026-01-10T10:00:00Z', content: html(30) }),
      aFetch({ service: 'Audit Co', fetchedAt: '2026-02-01T10:00:00Z', content: html(90) }),
    ];
    for (const fetch of fetches) {
      const accepted = await http.post('/v1/fetches').set(auth(INGEST)).send(fetch).expect(202);
      documentId = (accepted.body as { documentId: string }).documentId;
      await eventually(async () =>
        (await http.get(`/v1/fetches/${encodeURIComponent(fetch.fetchId as string)}`).set(auth(READER)))
          .status === 200
          ? true
          : undefined,
      );
    }
    await eventually(async () => {
      const response = await http.get(`/v1/documents/${documentId}`).set(auth(READER));
      return (response.body as { versionCount?: number }).versionCount === 2 ? true : undefined;
    });
    // The governance projection runs beside the timeline's: wait for its entry of the last version too.
    await eventually(async () => {
      const response = await http
        .get(`/v1/documents/${documentId}/timeline?view=governance`)
        .set(auth(READER));
      return JSON.stringify(response.body).includes('"version":2') ? true : undefined;
    });
  }, 60_000);
  afterAll(async () => {
    await system?.close();
    dir.remove();
  }, 30_000);

  it('serves the head of a document chain to readers', async () => {
    const response = await http.get(`/v1/documents/${documentId}/chain`).set(auth(READER)).expect(200);
    expect(response.body).toMatchObject({
      documentId,
      algorithm: 'termline-chain-v1',
      head: { streamId: `document:${documentId}`, lastVersion: expect.any(Number) },
    });
    expect((response.body as { head: { hash: string } }).head.hash).toMatch(/^[0-9a-f]{64}$/);
    await http.get('/v1/documents/nobody__nothing/chain').set(auth(READER)).expect(404);
  });

  it('exports a signed bundle that verifies offline against the chain head', async () => {
    await http.post('/v1/exports').set(auth(READER)).send({}).expect(403);
    const response = await exportOf({ service: 'audit-co', snapshots: true });
    expect(response.headers['content-type']).toBe('application/x-tar');
    const bundle = response.body as Buffer;
    const report = verifyExport(bundle, { publicKey });
    expect(report.problems).toEqual([]);
    const manifest = report.manifest as ExportManifest;
    expect(manifest.requestedBy).toBe('admin (TERMLINE_ADMIN_KEY)');
    expect(manifest.counts).toMatchObject({
      documents: 1,
      observations: 3,
      versions: 2,
      snapshots: 2,
    });
    // Derived findings: per version its summary, the diff from the version before, and the regulatory mappings
    // (governance entry, provision forms) under the running taxonomy and classifier, each pinned by the manifest.
    expect(manifest.producers).toMatchObject({
      taxonomyVersion: TAXONOMY_VERSION,
      classifierVersion: CLASSIFIER_VERSION,
    });
    const derived = manifest.streams[0]!.derived!;
    expect(derived).toHaveLength(manifest.counts.derived);
    expect(derived.filter((d) => d.kind === 'version-summary').map((d) => d.version)).toEqual([1, 2]);
    expect(derived.filter((d) => d.kind === 'diff').map((d) => d.version)).toEqual([2]);
    expect(derived.filter((d) => d.kind === 'governance-entry').map((d) => d.version)).toEqual([1, 2]);
    expect(derived.some((d) => d.kind === 'provision-form' && d.version === 1)).toBe(true);
    const diffRecord = readTar(bundle)
      .find((f) => f.path === `documents/${documentId}/derived.ndjson`)!
      .content.toString('utf8')
      .split('\n')
      .map((line) => (line ? (JSON.parse(line) as { kind: string; data: unknown }) : null))
      .find((record) => record?.kind === 'diff')!;
    const served = await http.get(`/v1/documents/${documentId}/diff`).set(auth(READER)).expect(200);
    expect(diffRecord.data).toEqual(served.body);
    const head = (await http.get(`/v1/documents/${documentId}/chain`).set(auth(READER))).body as {
      head: { hash: string };
    };
    expect(manifest.streams[0]!.head.hash).toBe(head.head.hash);
    expect(readTar(bundle).map((f) => f.path)).toContain(`documents/${documentId}/texts/2.txt`);
  });

  it('exports a date range anchored on the link before it, as NDJSON and as CSV', async () => {
    const ndjson = await exportOf({ document: documentId, from: '2026-01-05', format: 'ndjson' });
    const report = verifyExport(ndjson.body as Buffer, { publicKey });
    expect(report.problems).toEqual([]);
    expect(report.manifest!.streams[0]).toMatchObject({ anchor: { version: 3 }, commits: 2 });
    const csv = await http
      .post('/v1/exports')
      .set(auth(ADMIN))
      .send({ document: documentId, format: 'csv' })
      .expect(200);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(3);
  });

  it('answers a small export inline and a large one with a job, whose bundle verifies (analyst or admin)', async () => {
    const csv = await http
      .post('/v1/exports')
      .set(auth(ANALYST))
      .send({ document: documentId, format: 'csv' })
      .expect(200);
    expect(csv.text.length).toBeLessThan(INLINE_MAX_BYTES);
    const accepted = await http
      .post('/v1/exports')
      .set(auth(ANALYST))
      .send({ service: 'audit-co', snapshots: true })
      .expect(202);
    const job = accepted.body as Job;
    expect(accepted.headers.location).toBe(`/v1/exports/${job.jobId}`);
    expect(job).toMatchObject({
      status: expect.stringMatching(/^(queued|running)$/),
      requestedBy: 'auditor',
    });
    const done = await finished(job.jobId, ANALYST);
    expect(done).toMatchObject({ status: 'done', bundle: `/v1/exports/${job.jobId}/bundle` });
    const bundle = await http.get(done.bundle!).set(auth(ANALYST)).buffer(true).parse(binary).expect(200);
    expect(bundle.headers['content-type']).toBe('application/x-tar');
    expect((bundle.body as Buffer).length).toBe(done.bytes);
    expect(verifyExport(bundle.body as Buffer, { publicKey }).problems).toEqual([]);
    // Readers may not ask for exports nor read their jobs.
    await http.get(`/v1/exports/${job.jobId}`).set(auth(READER)).expect(403);
    await http.get(`/v1/exports/${job.jobId}/bundle`).set(auth(READER)).expect(403);
  });

  it('runs a job at once on ?async=true or Prefer: respond-async; unknown jobs are 404, unfinished ones 409', async () => {
    const asked = await http
      .post('/v1/exports?async=true')
      .set(auth(ADMIN))
      .send({ document: documentId, format: 'csv' })
      .expect(202);
    const preferred = await http
      .post('/v1/exports')
      .set({ ...auth(ADMIN), Prefer: 'respond-async' })
      .send({ document: documentId, format: 'csv' })
      .expect(202);
    expect(preferred.headers['preference-applied']).toBe('respond-async');
    for (const response of [asked, preferred]) {
      const job = response.body as Job;
      const early = await http.get(`/v1/exports/${job.jobId}/bundle`).set(auth(ADMIN));
      // A CSV job may finish before the second request: either it is not done yet (409), or its file is there.
      expect([200, 409]).toContain(early.status);
      if (early.status === 409) expect(early.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await finished(job.jobId)).toMatchObject({ status: 'done', format: 'csv' });
      const csv = await http.get(`/v1/exports/${job.jobId}/bundle`).set(auth(ADMIN)).expect(200);
      expect(csv.text.trimEnd().split('\r\n')).toHaveLength(3);
    }
    await http.post('/v1/exports?async=maybe').set(auth(ADMIN)).send({}).expect(400);
    await http.get('/v1/exports/00000000-0000-4000-8000-000000000000').set(auth(ADMIN)).expect(404);
    await http.get('/v1/exports/not-a-job/bundle').set(auth(ADMIN)).expect(404);
  });

  it('answers a bad request with every problem', async () => {
    const response = await http
      .post('/v1/exports')
      .set(auth(ADMIN))
      .send({ document: 'x', format: 'zip' })
      .expect(400);
    expect((response.body as { errors: string[] }).errors).toHaveLength(2);
  });

  it('compares long versions in a text-work thread while exporting; the export verifies', async () => {
    const sections = (days: (i: number) => number) =>
      Array.from(
        { length: 250 },
        (_, i) => `<h2>${i + 1}. Part ${i + 1}</h2><p>We keep the data of this part for ${days(i)} days.</p>`,
      ).join('');
    const page = (days: (i: number) => number) => `<html><body><main>${sections(days)}</main></body></html>`;
    let longId = '';
    for (const fetch of [
      aFetch({ service: 'Audit Long', fetchedAt: '2026-01-01T10:00:00Z', content: page((i) => i + 1) }),
      aFetch({ service: 'Audit Long', fetchedAt: '2026-02-01T10:00:00Z', content: page((i) => i + 2) }),
    ])
      longId = (
        (await http.post('/v1/fetches').set(auth(INGEST)).send(fetch).expect(202)).body as {
          documentId: string;
        }
      ).documentId;
    await eventually(async () => {
      const response = await http.get(`/v1/documents/${longId}`).set(auth(READER));
      return (response.body as { versionCount?: number }).versionCount === 2 ? true : undefined;
    });
    const inAThread = jest.spyOn(WorkerPool.prototype, 'run');
    try {
      const ndjson = await exportOf({ document: longId, format: 'ndjson' });
      expect(inAThread).toHaveBeenCalledWith('diffView', expect.objectContaining({ documentId: longId }));
      const report = verifyExport(ndjson.body as Buffer, { publicKey });
      expect(report.problems).toEqual([]);
      const files = (ndjson.body as Buffer)
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { path: string; content: string });
      const derived = files.find((file) => file.path.endsWith(`${longId}/derived.ndjson`))!;
      const diff = derived.content
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; data: { provisions?: { change: string }[] } })
        .find((record) => record.kind === 'diff')!;
      expect(diff.data.provisions).toHaveLength(250);
      expect(diff.data.provisions!.every((p) => p.change === 'modified')).toBe(true);
    } finally {
      inAThread.mockRestore();
    }
  }, 60_000);
});
