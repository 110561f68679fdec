import { eventually, tempDir, uniqueName } from '@termline/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { aFetch, configFor, INGEST, READER, startSystem, type SystemUnderTest } from './system.scenarios';

/**
 * A declarations folder as real collections have them: a history entry with a misspelt key, one without a usable
 * date, a filter Termline cannot run, an unreadable file. Termline starts, applies the rest, serves the problems,
 * and tells a site's error page from a version.
 */
const dir = tempDir('termline-e2e-declarations-');
afterAll(() => dir.remove());

const service = 'Inkwell';
const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const html = (body: string) => `<html><body><nav>Menu</nav><main>${body}</main></body></html>`;
const policy = html(
  `<h1>Inkwell Privacy Policy</h1>${'<p>We keep the notes you write for as long as your account exists, and delete them within 30 days after you close it.</p>'.repeat(6)}`,
);

describe('Termline end to end: declaration problems and failed fetches (embedded mode)', () => {
  let system: SystemUnderTest;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    const declarations = join(dir.path, 'declarations');
    mkdirSync(declarations);
    writeFileSync(
      join(declarations, `${service}.json`),
      JSON.stringify({
        name: service,
        terms: {
          'Privacy Policy': {
            fetch: 'https://inkwell.example/privacy',
            select: 'main',
            filter: ['hideSidebar'],
          },
        },
      }),
    );
    writeFileSync(
      join(declarations, `${service}.history.json`),
      JSON.stringify({
        'Privacy Policy': [
          { fetch: 'https://inkwell.example/privacy', select: 'article', ValidUntil: '2025-01-01T00:00:00Z' },
          { fetch: 'https://inkwell.example/privacy', select: 'article', validUntil: 'never' },
        ],
      }),
    );
    writeFileSync(join(declarations, 'Other.json'), '{ not json');
    const config = configFor({
      TERMLINE_DATA_DIR: join(dir.path, 'data'),
      TERMLINE_DECLARATIONS_DIR: declarations,
    });
    system = await startSystem('embedded', config, () => Promise.reject(new Error('not used')));
    http = request(system.app.getHttpServer());
  }, 60_000);
  afterAll(async () => {
    await system?.close();
  }, 30_000);

  const get = (path: string, key = READER) => http.get(path).set(auth(key));
  const post = (body: object) => http.post('/v1/fetches').set(auth(INGEST)).send(body);
  const recorded = (fetchId: string) =>
    eventually(async () => {
      const response = await get(`/v1/fetches/${encodeURIComponent(fetchId)}`);
      return response.status === 200
        ? (response.body as { outcome: string; documentId: string; version: number | null; failure: unknown })
        : undefined;
    });

  it('lists the problems of the declarations to readers, with what Termline does instead', async () => {
    await http.get('/v1/declarations/problems').expect(401);
    const body = (await get('/v1/declarations/problems').expect(200)).body as {
      configured: boolean;
      count: number;
      items: Array<Record<string, unknown>>;
    };
    expect(body.configured).toBe(true);
    expect(body.count).toBe(body.items.length);
    expect(body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'Inkwell.history.json',
          service,
          documentType: 'Privacy Policy',
          entry: { index: 0, validUntil: '2025-01-01T00:00:00.000Z' },
          path: '["Privacy Policy"][0].ValidUntil',
          problem: 'misspelt key "ValidUntil"',
          consequence: 'read as "validUntil"',
        }),
        expect.objectContaining({
          file: 'Inkwell.history.json',
          entry: { index: 1, validUntil: null },
          severity: 'error',
          consequence: expect.stringMatching(/^entry ignored/),
        }),
        expect.objectContaining({ file: 'Inkwell.json', path: 'terms["Privacy Policy"].filter[0]' }),
        expect.objectContaining({ file: 'Other.json', problem: expect.stringMatching(/^unreadable/) }),
      ]),
    );
    const onlyOther = (await get('/v1/declarations/problems?service=Other').expect(200)).body as {
      items: unknown[];
    };
    expect(onlyOther.items).toHaveLength(1);
    const openapi = (await http.get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, { get?: { responses?: Record<string, { content?: unknown }> } }>;
    };
    expect(openapi.paths['/v1/declarations/problems']?.get?.responses?.['200']?.content).toBeDefined();
  });

  it('versions the document with the rules it could not apply, and records its error page as a failed fetch', async () => {
    const first = aFetch({
      fetchId: uniqueName('inkwell-1'),
      service,
      documentType: 'Privacy Policy',
      sourceUrl: 'https://inkwell.example/privacy',
      fetchedAt: '2026-03-01T10:00:00Z',
      content: policy,
    });
    await post(first).expect(202);
    const v1 = await recorded(first.fetchId as string);
    expect(v1).toMatchObject({ outcome: 'new-version', version: 1 });
    // Recorded is the versioning's answer; the read models follow once the projection has applied it.
    const version = await eventually(async () => {
      const response = await get(`/v1/documents/${v1.documentId}/versions/1`);
      return response.status === 200
        ? (response.body as { text: string; rulesNotApplied: string[] })
        : undefined;
    });
    expect(version.rulesNotApplied).toEqual(['filter:hideSidebar']);
    expect(version.text).not.toContain('Menu');

    const error = aFetch({
      fetchId: uniqueName('inkwell-2'),
      service,
      documentType: 'Privacy Policy',
      sourceUrl: 'https://inkwell.example/privacy',
      fetchedAt: '2026-03-02T10:00:00Z',
      content: html("<h1>This page isn't available</h1><p>An unexpected error has occurred.</p>"),
    });
    await post(error).expect(202);
    expect(await recorded(error.fetchId as string)).toMatchObject({
      outcome: 'failed-fetch',
      version: null,
      failure: { code: 'error-page', reason: expect.stringContaining('markers') },
    });
    const document = await eventually(async () => {
      const body = (await get(`/v1/documents/${v1.documentId}`).expect(200)).body as {
        versionCount: number;
        lastFailure: { code: string } | null;
      };
      return body.lastFailure ? body : undefined;
    });
    expect(document.versionCount).toBe(1);
    expect(document.lastFailure).toMatchObject({ code: 'error-page' });
  });
});
