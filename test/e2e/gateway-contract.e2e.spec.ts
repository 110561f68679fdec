import { SqliteReadModelStore } from '@termline/readmodels';
import { FetchConsumer } from '@termline/versioning';
import { eventually, tempDir, uniqueName } from '@termline/testing';
import { join } from 'node:path';
import request from 'supertest';
import {
  aFetch,
  ADMIN,
  configFor,
  INGEST,
  READER,
  startSystem,
  type SystemUnderTest,
} from './system.scenarios';

/** The gateway's contract under hostile input (issue 7): every answer is the one the OpenAPI document promises. */
const dir = tempDir('termline-gateway-contract-');
let system: SystemUnderTest;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  const config = configFor({ TERMLINE_DATA_DIR: dir.path });
  system = await startSystem('embedded', config, () =>
    Promise.resolve(new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'), 'rm_rebuild_')),
  );
  http = request(system.app.getHttpServer());
}, 60_000);
afterAll(async () => {
  await system?.close();
  dir.remove();
}, 30_000);

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const post = (body: unknown) =>
  http
    .post('/v1/fetches')
    .set(auth(INGEST))
    .send(body as object);
const postRaw = (body: string) =>
  http.post('/v1/fetches').set(auth(INGEST)).set('Content-Type', 'application/json').send(body);
/** Bytes as they are: superagent would serialise a Buffer given to send() as a JSON object. */
const postBytes = async (body: Buffer): Promise<request.Response> => {
  const pending = http.post('/v1/fetches').set(auth(INGEST)).set('Content-Type', 'application/json');
  pending.write(body);
  return pending;
};
const get = (path: string, key = READER) => http.get(path).set(auth(key));
const status = (fetchId: string) => get(`/v1/fetches/${encodeURIComponent(fetchId)}`);
const recorded = (fetchId: string) =>
  eventually(async () => {
    const response = await status(fetchId);
    return response.status === 200 ? (response.body as Record<string, unknown>) : undefined;
  });
const serviceName = () => uniqueName('Contract').replace(/_/g, ' ');

function expectProblem(response: request.Response, statusCode: number, code: string): void {
  expect({ status: response.status, code: (response.body as { code?: string }).code }).toEqual({
    status: statusCode,
    code,
  });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

describe('ingest validation (issue 7 item 3)', () => {
  it.each([
    ['missing', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { html: '<p>x</p>' }],
    ['an array of strings', ['a']],
  ])('answers 422, never 500 or 202, when content is %s', async (_what, content) => {
    expectProblem(await post({ ...aFetch(), content }), 422, 'invalid-fetch');
  });

  it('answers 422 to JSON nested 10,000 levels deep', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const body = JSON.stringify(aFetch()).replace(/}$/, `,"fetcher":${deep}}`);
    expectProblem(await postRaw(body), 422, 'invalid-fetch');
  });

  it.each(['__proto__', 'constructor'])('refuses the unknown field %s', async (key) => {
    const body = JSON.stringify(aFetch()).replace(/^{/, `{"${key}":{"isAdmin":true},`);
    const response = await postRaw(body);
    expectProblem(response, 422, 'invalid-fetch');
    expect((response.body as { detail: string }).detail).toContain(`property ${key} should not exist`);
  });

  it('refuses base64 of the wrong length', async () => {
    expectProblem(
      await post(aFetch({ mimeType: 'application/pdf', encoding: 'base64', content: 'JVBERi0xLj' })),
      422,
      'invalid-fetch',
    );
  });

  it('refuses a body that is not valid UTF-8 instead of archiving other bytes than those sent', async () => {
    const json = Buffer.from(JSON.stringify(aFetch({ content: 'caf\u0000' })));
    // Replace the escaped NUL with a lone 0xE9 byte (latin-1 é), which is not UTF-8.
    const at = json.indexOf('\\u0000');
    const body = Buffer.concat([json.subarray(0, at), Buffer.from([0xe9]), json.subarray(at + 6)]);
    expectProblem(await postBytes(body), 400, 'invalid-utf8');
  });

  it.each([
    ['a right-to-left override', 'Acme \u202eduolC'],
    ['a zero-width space', 'Acme\u200b Cloud'],
    ['a C1 control', 'Acme\u0085 Cloud'],
  ])('refuses service and document type names with %s', async (_what, name) => {
    expectProblem(await post(aFetch({ service: name })), 422, 'invalid-fetch');
    expectProblem(await post(aFetch({ documentType: name })), 422, 'invalid-fetch');
  });
});

describe('accepted means recordable (issue 7 item 2)', () => {
  it.each([
    ['whitespace only', '   '],
    ['emoji only', '\u{1F600}\u{1F600}'],
    ['punctuation only', '!!!'],
  ])('refuses a service name that is %s, whose document id would be empty', async (_what, name) => {
    const response = await post(aFetch({ service: name }));
    expectProblem(response, 422, 'invalid-fetch');
    expect((response.body as { detail: string }).detail).toMatch(/slug/);
  });

  it('refuses, at ingest, names whose slug collides with a recorded document of other names', async () => {
    const suffix = uniqueName('x').replace(/[^a-z0-9]/gi, '');
    const first = aFetch({ service: `Badinput ${suffix} Co` });
    await post(first).expect(202);
    await recorded(first.fetchId as string);
    await eventually(
      async () =>
        (
          (await get(`/v1/documents?service=${encodeURIComponent(first.service as string)}`)).body as {
            items: unknown[];
          }
        ).items.length > 0 || undefined,
    );

    const fullWidth = `ＢＡＤＩＮＰＵＴ ${suffix} Co`;
    const collision = await post(aFetch({ service: fullWidth }));
    expectProblem(collision, 422, 'document-id-collision');
    expect((collision.body as { detail: string }).detail).toContain(`Badinput ${suffix} Co`);
    // Another document type of the same slug is refused too: two services would share one catalogue entry.
    expectProblem(
      await post(aFetch({ service: fullWidth, documentType: 'Privacy Policy' })),
      422,
      'document-id-collision',
    );
    // The recorded names themselves are still welcome.
    await post(aFetch({ service: first.service, fetchedAt: '2026-03-02T10:00:00Z' })).expect(202);
  });

  it('still answers 404 for a fetch id nobody sent', async () => {
    expectProblem(await status('never-sent-0'), 404, 'not-found');
  });
});

describe('snapshots (issue 7 item 9)', () => {
  it('serves archived HTML as a sandboxed, non-sniffable download, cached privately', async () => {
    const fetch = aFetch({
      service: serviceName(),
      content: '<html><body><script>alert(document.cookie)</script><main><p>Terms.</p></main></body></html>',
    });
    const accepted = await post(fetch).expect(202);
    await recorded(fetch.fetchId as string);
    const snapshotId = (accepted.body as { snapshotId: string }).snapshotId;
    const response = await get(`/v1/snapshots/${snapshotId}`).expect(200);
    expect(response.headers['cache-control']).toMatch(/^private,/);
    expect(response.headers['cache-control']).not.toMatch(/public/);
    expect(response.headers.vary).toMatch(/Authorization/i);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${snapshotId}.html"`);
    expect(response.text).toBe(fetch.content);
  });
});

describe('metrics (issue 7 item 6)', () => {
  const count = async (labels: string): Promise<number> => {
    const text = (await http.get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(`termline_http_requests_total{${labels}}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('counts answers by the status they went out with, 401 and 403 included', async () => {
    const route = 'route="/v1/fetches"';
    const before = {
      s401: await count(`method="POST",${route},status="401"`),
      s403: await count(`method="POST",${route},status="403"`),
      s422: await count(`method="POST",${route},status="422"`),
      s202: await count(`method="POST",${route},status="202"`),
      s404: await count('method="GET",route="/v1/documents/:documentId",status="404"'),
    };
    await http.post('/v1/fetches').send(aFetch()).expect(401);
    await http.post('/v1/fetches').set(auth(READER)).send(aFetch()).expect(403);
    await post(aFetch({ content: null })).expect(422);
    await get('/v1/documents/nobody__nothing').expect(404);
    expect(await count(`method="POST",${route},status="401"`)).toBe(before.s401 + 1);
    expect(await count(`method="POST",${route},status="403"`)).toBe(before.s403 + 1);
    expect(await count(`method="POST",${route},status="422"`)).toBe(before.s422 + 1);
    expect(await count(`method="POST",${route},status="202"`)).toBe(before.s202);
    expect(await count('method="GET",route="/v1/documents/:documentId",status="404"')).toBe(before.s404 + 1);
  });
});

describe('the OpenAPI document and strict parameters (issue 7 item 7)', () => {
  type Operation = {
    responses: Record<string, { content?: Record<string, unknown> }>;
    security?: unknown[];
    parameters?: Array<{ name: string; schema?: Record<string, unknown> }>;
  };
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, Record<string, unknown>> };
  };

  beforeAll(async () => {
    document = (await http.get('/docs/openapi.json').expect(200)).body as typeof document;
  });

  it('describes every answer of every operation with its body, errors as problem+json, and opaque keys', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.bearer!.bearerFormat).toBeUndefined();
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(18);
    for (const { path, method, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect({ path, method, success: statuses.some((s) => s.startsWith('2')) }).toEqual({
        path,
        method,
        success: true,
      });
      for (const status of statuses) {
        const media = Object.keys(op.responses[status]!.content ?? {});
        expect({ path, method, status, described: media.length > 0 }).toEqual({
          path,
          method,
          status,
          described: true,
        });
        if (Number(status) >= 400 && path !== '/health')
          expect({ path, method, status, media }).toEqual({
            path,
            method,
            status,
            media: ['application/problem+json'],
          });
      }
      if ((op.security ?? []).length > 0)
        expect({ path, method, auth: statuses.filter((s) => ['401', '403'].includes(s)) }).toEqual({
          path,
          method,
          auth: ['401', '403'],
        });
    }
  });

  it('states the constraints of its parameters', () => {
    const limit = document.paths['/v1/timeline']!.get!.parameters!.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    const documentId = document.paths['/v1/documents/{documentId}']!.get!.parameters!.find(
      (p) => p.name === 'documentId',
    );
    expect(documentId?.schema).toMatchObject({ pattern: expect.any(String) });
  });

  it('answers 405 with an Allow header to a method a documented path does not have', async () => {
    const response = await http.delete('/v1/documents').set(auth(ADMIN));
    expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.allow).toBe('GET, HEAD');
    const trace = await http.trace('/health');
    expect(trace.status).toBe(405);
    expect((await http.put('/v1/fetches').set(auth(ADMIN))).headers.allow).toBe('POST');
  });

  it.each([
    ['/v1/timeline?limit=0x10', /limit/],
    ['/v1/timeline?limit=1e2', /limit/],
    ['/v1/timeline?limit=%205', /limit/],
    ['/v1/timeline?limit=0', /limit/],
    ['/v1/timeline?from=2026-02-30', /from/],
    ['/v1/timeline?from=2026-13-01', /from/],
    ['/v1/timeline?to=2026-03-01T24:00:00Z', /to/],
    ['/v1/timeline?cursor=eyJ2IjotMX0', /cursor/],
    ['/v1/timeline?cursor=2026-03-01T00:00:00.000Z', /cursor/],
  ])('refuses %s with 400', async (path, reason) => {
    const response = await get(path);
    expectProblem(response, 400, 'invalid-request');
    expect((response.body as { detail: string }).detail).toMatch(reason);
  });

  it('takes an instant with an offset at its meaning, and a cursor it handed out', async () => {
    const service = serviceName();
    for (const day of ['01', '02', '03']) {
      const fetch = aFetch({
        service,
        fetchedAt: `2026-03-${day}T10:00:00Z`,
        content: `<main><p>Day ${day} terms.</p></main>`,
      });
      await post(fetch).expect(202);
      await recorded(fetch.fetchId as string);
    }
    const documentId = `${service.toLowerCase().replace(/[^a-z0-9]+/g, '-')}__terms-of-service`;
    // The three versions are in the read models before the pages are read.
    await eventually(
      async () =>
        ((await get(`/v1/documents/${documentId}`)).body as { versionCount?: number }).versionCount === 3 ||
        undefined,
    );
    const first = await eventually(async () => {
      const response = await get(
        `/v1/documents/${documentId}/timeline?limit=2&from=2026-03-01T12:00:00%2B02:00`,
      );
      return response.status === 200 && (response.body as { items: unknown[] }).items.length === 2
        ? (response.body as { items: Array<{ at: string }>; nextCursor: string })
        : undefined;
    });
    // 12:00+02:00 is 10:00Z: the first fetch is included.
    const second = (
      await get(
        `/v1/documents/${documentId}/timeline?limit=2&from=2026-03-01T12:00:00%2B02:00&cursor=${encodeURIComponent(first.nextCursor)}`,
      ).expect(200)
    ).body as { items: Array<{ at: string }>; nextCursor: string | null };
    expect([...first.items, ...second.items].map((e) => e.at)).toEqual([
      '2026-03-03T10:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ]);
    expect(second.nextCursor).toBeNull();
    const versions = (await get(`/v1/documents/${documentId}/versions?limit=1`).expect(200)).body as {
      nextCursor: string;
    };
    expect(versions.nextCursor).toBe('1');
    expectProblem(await get(`/v1/documents/${documentId}/versions?cursor=-1`), 400, 'invalid-request');
    // A forged cursor of the old base64 JSON form, {"v":-1}, is not a position.
    expectProblem(
      await get(`/v1/documents/${documentId}/versions?cursor=eyJ2IjotMX0`),
      400,
      'invalid-request',
    );
    expectProblem(
      await get(`/v1/documents/${documentId}/observations?cursor=eyJ2IjotMX0`),
      400,
      'invalid-request',
    );
    const diff = (await get(`/v1/documents/${documentId}/diff?from=2&to=2`).expect(200)).body as {
      stats: { linesAdded: number };
    };
    expect(diff.stats.linesAdded).toBe(0);
    expectProblem(await get(`/v1/documents/${documentId}/diff?to=1`), 404, 'not-found');
  });
});

describe('the status of an accepted fetch (a 202 is never followed by a 404)', () => {
  it('answers 202 "accepted" until the versioning service records the fetch, then 200 "recorded"', async () => {
    // The versioning consumer is stopped so that the fetch stays on the topic, unrecorded, for as long as we look.
    const consumer = system.app.get(FetchConsumer);
    await consumer.onApplicationShutdown();
    const fetch = aFetch({ service: serviceName() });
    try {
      const accepted = await post(fetch).expect(202);
      const pending = await status(fetch.fetchId as string).expect(202);
      expect(pending.body).toMatchObject({
        fetchId: fetch.fetchId,
        status: 'accepted',
        documentId: (accepted.body as { documentId: string }).documentId,
        snapshotId: (accepted.body as { snapshotId: string }).snapshotId,
        acceptedAt: expect.any(String),
      });
      // Submitting it again before it is recorded is still one acceptance.
      await post(fetch).expect(202);
      await status(fetch.fetchId as string).expect(202);
    } finally {
      await consumer.onApplicationBootstrap();
    }
    expect(await recorded(fetch.fetchId as string)).toMatchObject({ status: 'recorded' });
  });

  it('still answers 404 for a fetch id that was never submitted', async () => {
    const response = await status(uniqueName('never-sent'));
    expectProblem(response, 404, 'not-found');
  });
});

describe('the catalogue in pages (a 5,000-document catalogue was one 3 MB answer, and limit was ignored)', () => {
  type Listed = { items: Array<Record<string, unknown>>; nextCursor: string | null };
  const pagesOf = async (path: string, limit: number): Promise<Listed[]> => {
    const pages: Listed[] = [];
    let cursor: string | null = null;
    do {
      const query = `limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = (await get(`${path}${path.includes('?') ? '&' : '?'}${query}`).expect(200)).body as Listed;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return pages;
  };

  it('pages documents and services, every service whole on its page, until nextCursor is null', async () => {
    const prefix = uniqueName('Paged').replace(/[^A-Za-z0-9]/g, '');
    // "x" and "x-b" interleave in document id order ("x-b__…" sorts before "x__…"): each service stays whole.
    const fetches = [
      aFetch({ service: `${prefix} x` }),
      aFetch({ service: `${prefix} x`, documentType: 'Privacy Policy' }),
      aFetch({ service: `${prefix} x b` }),
      aFetch({ service: `${prefix} y` }),
    ];
    for (const fetch of fetches) await post(fetch).expect(202);
    for (const fetch of fetches) await recorded(fetch.fetchId as string);
    await eventually(async () => {
      const all = (await get('/v1/documents').expect(200)).body as Listed;
      const ours = all.items.filter((d) => String(d.documentId).startsWith(prefix.toLowerCase()));
      return ours.length === fetches.length || undefined;
    });

    const whole = (await get('/v1/documents').expect(200)).body as Listed;
    expect(whole.nextCursor).toBeNull();
    const documentPages = await pagesOf('/v1/documents', 2);
    expect(documentPages.flatMap((p) => p.items)).toEqual(whole.items);
    expect(documentPages.slice(0, -1).every((p) => p.items.length === 2)).toBe(true);

    const services = ((await get('/v1/services').expect(200)).body as Listed).items;
    const servicePages = await pagesOf('/v1/services', 1);
    expect(servicePages.flatMap((p) => p.items)).toEqual(services);
    expect(servicePages.every((p) => p.items.length === 1)).toBe(true);
    const x = services.find((s) => s.serviceSlug === `${prefix.toLowerCase()}-x`);
    expect(x).toMatchObject({ documentCount: 2 });
    expect((x!.documents as unknown[]).length).toBe(2);
    // Listed in the order of their document ids, so a page boundary never splits a service.
    const documentOrder = whole.items.map((d) => d.serviceSlug);
    expect(services.map((s) => s.serviceSlug)).toEqual([...new Set(documentOrder)]);

    // One service's documents, paged too.
    const ofX = await pagesOf(`/v1/documents?service=${encodeURIComponent(`${prefix} x`)}`, 1);
    expect(ofX.flatMap((p) => p.items).map((d) => d.documentType)).toEqual([
      'Privacy Policy',
      'Terms of Service',
    ]);
  });

  it('refuses a limit or cursor outside their documented form', async () => {
    for (const path of [
      '/v1/documents?limit=0',
      '/v1/documents?limit=501',
      '/v1/documents?limit=ten',
      '/v1/documents?cursor=Not__An-Id',
      '/v1/documents?cursor=x',
      '/v1/services?limit=501',
      '/v1/services?cursor=a__b',
      '/v1/services?cursor=%24ne',
    ])
      expectProblem(await get(path), 400, 'invalid-request');
  });
});
