import type { INestApplication } from '@nestjs/common';
import { hashApiKey, loadConfig, type TermlineConfig } from '@termline/config';
import { MESSAGE_BUS, type IncomingMessage, type MessageBus } from '@termline/messaging';
import { DEFAULT_INLINE_BELOW, TOPICS, WorkerPool, type Topics } from '@termline/platform';
import { eventually, makePdf, uniqueName } from '@termline/testing';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { ProjectionRebuildService } from '@termline/projection';
import { createAllInOneApp } from '../../apps/termline/src/all-in-one.app';
import type { Mode } from '@termline/platform';
import {
  READ_MODEL_STORE,
  versionDiffView,
  type ReadModelStore,
  type VersionView,
} from '@termline/readmodels';

export const ADMIN = 'e2e-admin-key-0123456789';
export const INGEST = 'e2e-ingest-key-0123456789';
export const READER = 'e2e-reader-key-0123456789';

export interface SystemUnderTest {
  app: INestApplication;
  config: TermlineConfig;
  /** A second read-model store in a fresh namespace, for the rebuild check. */
  freshReadModels(): Promise<ReadModelStore>;
  close(): Promise<void>;
}

export function configFor(overrides: NodeJS.ProcessEnv): TermlineConfig {
  return loadConfig({
    TERMLINE_API_KEYS: JSON.stringify([
      { name: 'ingest-bot', role: 'ingest', sha256: hashApiKey(INGEST) },
      { name: 'dashboard', role: 'reader', sha256: hashApiKey(READER) },
    ]),
    TERMLINE_ADMIN_KEY: ADMIN,
    TERMLINE_DEMO: 'false',
    TERMLINE_MAX_CONTENT_BYTES: String(256 * 1024),
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}

export async function startSystem(
  mode: Mode,
  config: TermlineConfig,
  fresh: () => Promise<ReadModelStore>,
): Promise<SystemUnderTest> {
  const fatal: unknown[] = [];
  const app = await createAllInOneApp(config, mode, (_component, error) => fatal.push(error));
  return {
    app,
    config,
    freshReadModels: fresh,
    close: async () => {
      await app.close();
      if (fatal.length > 0) throw new Error(`A consumer stopped on a bug: ${String(fatal[0])}`);
    },
  };
}

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

let counter = 0;
const html = (body: string) =>
  `<html><head><script>var x=1</script></head><body><main>${body}</main></body></html>`;
/** A supertest parser that keeps a binary body (an export bundle) as its bytes. */
export const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

export function aFetch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    fetchId: uniqueName(`fetch-${counter}`),
    service: 'Acme Cloud',
    documentType: 'Terms of Service',
    sourceUrl: 'https://acme.example/terms',
    fetchedAt: '2026-03-01T10:00:00Z',
    fetcher: 'htmlOnly',
    mimeType: 'text/html',
    content: html('<h1>Terms</h1><h2>1. Data</h2><p>We keep your data for 30 days.</p>'),
    httpStatus: 200,
    ...overrides,
  };
}

/** The end-to-end scenarios, the same for every mode: HTTP in, versions, timelines and diffs out. */
export function systemScenarios(name: string, start: () => Promise<SystemUnderTest>): void {
  describe(`Termline end to end: ${name}`, () => {
    let system: SystemUnderTest;
    let http: ReturnType<typeof request>;
    const service = uniqueName('Svc').replace(/_/g, ' ');

    beforeAll(async () => {
      system = await start();
      http = request(system.app.getHttpServer());
    }, 60_000);
    afterAll(async () => {
      await system?.close();
    }, 30_000);

    const post = (body: unknown, key = INGEST) =>
      http
        .post('/v1/fetches')
        .set(auth(key))
        .send(body as object);
    const get = (path: string, key = READER) => http.get(path).set(auth(key));
    const recorded = (fetchId: string) =>
      eventually(async () => {
        const response = await get(`/v1/fetches/${encodeURIComponent(fetchId)}`);
        return response.status === 200
          ? (response.body as { outcome: string; documentId: string; version: number | null })
          : undefined;
      });
    const visible = (documentId: string, versions: number) =>
      eventually(async () => {
        const response = await get(`/v1/documents/${documentId}`);
        return response.status === 200 &&
          (response.body as { versionCount: number }).versionCount === versions
          ? (response.body as Record<string, unknown>)
          : undefined;
      });

    it('records a new document, an unchanged re-fetch, a markup-only change and a real change', async () => {
      const first = aFetch({ service, fetchedAt: '2026-03-01T10:00:00Z' });
      const accepted = await post(first).expect(202);
      expect(accepted.body).toMatchObject({ status: 'accepted', fetchId: first.fetchId });
      expect(accepted.headers.location).toBe(`/v1/fetches/${String(first.fetchId)}`);
      const documentId = (accepted.body as { documentId: string }).documentId;
      expect(await recorded(first.fetchId as string)).toMatchObject({ outcome: 'new-version', version: 1 });

      const repeat = aFetch({ service, fetchedAt: '2026-03-02T10:00:00Z' });
      await post(repeat).expect(202);
      expect(await recorded(repeat.fetchId as string)).toMatchObject({
        outcome: 'snapshot-unchanged',
        version: null,
      });

      const markup = aFetch({
        service,
        fetchedAt: '2026-03-03T10:00:00Z',
        content: (first.content as string).replace('var x=1', 'var x=2'),
      });
      await post(markup).expect(202);
      expect(await recorded(markup.fetchId as string)).toMatchObject({ outcome: 'text-unchanged' });

      const change = aFetch({
        service,
        fetchedAt: '2026-03-04T10:00:00Z',
        content: html(
          '<h1>Terms</h1><h2>1. Data</h2><p>We keep your data for 90 days.</p><h2>2. Law</h2><p>Irish law applies.</p>',
        ),
      });
      await post(change).expect(202);
      expect(await recorded(change.fetchId as string)).toMatchObject({ outcome: 'new-version', version: 2 });

      const document = await visible(documentId, 2);
      expect(document).toMatchObject({
        service,
        fetchCount: 4,
        lastChangedAt: '2026-03-04T10:00:00.000Z',
        lastFetchedAt: '2026-03-04T10:00:00.000Z',
      });

      const versions = await get(`/v1/documents/${documentId}/versions?limit=1`).expect(200);
      expect((versions.body as { items: Array<{ version: number }> }).items.map((v) => v.version)).toEqual([
        1,
      ]);
      const next = await get(
        `/v1/documents/${documentId}/versions?limit=1&cursor=${(versions.body as { nextCursor: string }).nextCursor}`,
      ).expect(200);
      expect(
        (next.body as { items: Array<{ version: number }>; nextCursor: null }).items.map((v) => v.version),
      ).toEqual([2]);
      expect((next.body as { nextCursor: unknown }).nextCursor).toBeNull();

      const v2 = (await get(`/v1/documents/${documentId}/versions/2`).expect(200)).body as {
        text: string;
        snapshots: Array<{ snapshotId: string }>;
      };
      expect(v2.text).toContain('90 days');
      expect(v2.text).not.toContain('var x');
      const snapshotId = v2.snapshots[0]!.snapshotId;
      const raw = await get(`/v1/snapshots/${snapshotId}`).expect(200);
      expect(raw.headers['content-type']).toMatch(/^text\/html/);
      expect(createHash('sha256').update(raw.text).digest('hex')).toBe(snapshotId);

      const diff = (await get(`/v1/documents/${documentId}/diff?from=1&to=2`).expect(200)).body as {
        patch: string;
        stats: { linesAdded: number };
        materiality: { level: string; reasons: string[] };
        provisions: Array<{
          heading: string;
          change: string;
          edits: Array<{ removed: string; added: string }>;
        }>;
      };
      expect(diff.materiality.level).toBe('substantive');
      expect(diff.materiality.reasons.length).toBeGreaterThan(0);
      expect(diff.provisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ heading: expect.stringContaining('Data'), change: 'modified' }),
          expect.objectContaining({ heading: expect.stringContaining('Law'), change: 'added' }),
        ]),
      );
      expect(diff.provisions.find((p) => p.change === 'modified')!.edits).toEqual([
        expect.objectContaining({ removed: '30', added: '90' }),
      ]);
      const v2summary = (await get(`/v1/documents/${documentId}/versions/2`).expect(200)).body as {
        materiality: { level: string };
        provisionChanges: unknown[];
      };
      expect(v2summary.materiality.level).toBe('substantive');
      expect(v2summary.provisionChanges).toHaveLength(2);
      expect(diff.patch).toContain('-We keep your data for 30 days.');
      expect(diff.patch).toContain('+We keep your data for 90 days.');
      expect(diff.stats.linesAdded).toBeGreaterThan(0);

      const provisions = (await get(`/v1/documents/${documentId}/provisions`).expect(200)).body as {
        version: number;
        items: Array<{ provisionId: string; heading: string }>;
      };
      expect(provisions.version).toBe(2);
      const data = provisions.items.find((p) => p.heading.includes('Data'))!;
      const history = (
        await get(
          `/v1/documents/${documentId}/provisions/${encodeURIComponent(data.provisionId)}/history`,
        ).expect(200)
      ).body as { history: Array<{ version: number; change: string }> };
      expect(history.history.map((h) => [h.version, h.change])).toEqual([
        [1, 'added'],
        [2, 'modified'],
      ]);
      await get(`/v1/documents/${documentId}/provisions/no-such-provision/history`).expect(404);

      const observations = (await get(`/v1/documents/${documentId}/observations`).expect(200)).body as {
        items: Array<{ outcome: string }>;
      };
      expect(observations.items.map((o) => o.outcome)).toEqual([
        'new-version',
        'snapshot-unchanged',
        'text-unchanged',
        'new-version',
      ]);

      const timeline = (await get(`/v1/documents/${documentId}/timeline`).expect(200)).body as {
        items: Array<{ version: number; kind: string }>;
      };
      expect(timeline.items.map((e) => [e.version, e.kind])).toEqual([
        [2, 'change'],
        [1, 'first'],
      ]);
      const serviceTimeline = (await get(`/v1/services/${encodeURIComponent(service)}/timeline`).expect(200))
        .body as { items: unknown[] };
      expect(serviceTimeline.items).toHaveLength(2);
      const windowed = (await get(`/v1/timeline?from=2026-03-02&to=2026-03-05`).expect(200)).body as {
        items: Array<{ documentId: string; version: number }>;
      };
      expect(windowed.items.filter((e) => e.documentId === documentId).map((e) => e.version)).toEqual([2]);
    }, 60_000);

    it('diffs two long versions in a text-work thread, with the answer the comparison gives in this one', async () => {
      const sections = (days: (i: number) => number) =>
        Array.from(
          { length: 250 },
          (_, i) =>
            `<h2>${i + 1}. Section ${i + 1}</h2><p>We keep the data of this section for ${days(i)} days.</p>`,
        ).join('');
      const long = `${service} Long`;
      const first = aFetch({ service: long, content: html(sections((i) => i + 1)) });
      const documentId = (await post(first).expect(202)).body as { documentId: string };
      await post(
        aFetch({ service: long, fetchedAt: '2026-03-02T10:00:00Z', content: html(sections((i) => i + 2)) }),
      ).expect(202);
      await visible(documentId.documentId, 2);
      const path = `/v1/documents/${documentId.documentId}`;
      const [older, newer] = await Promise.all(
        [1, 2].map(async (v) => (await get(`${path}/versions/${v}`).expect(200)).body as VersionView),
      );
      expect(older!.text.length + newer!.text.length).toBeGreaterThan(DEFAULT_INLINE_BELOW);
      const inAThread = jest.spyOn(WorkerPool.prototype, 'run');
      try {
        const diff = await get(`${path}/diff?from=1&to=2`).expect(200);
        expect(inAThread).toHaveBeenCalledWith(
          'diffView',
          expect.objectContaining({ documentId: documentId.documentId }),
        );
        expect(diff.body).toEqual(versionDiffView(documentId.documentId, older!, newer!));
        expect((diff.body as { provisions: unknown[] }).provisions).toHaveLength(250);
      } finally {
        inAThread.mockRestore();
      }
    });

    it('says why a text whose bytes changed is still the same version, and which rules made each version', async () => {
      const type = 'Cookie Policy';
      const page = (target: string) =>
        html(`<h1>Cookies</h1><p>Manage them in your <a href="${target}">settings</a>.</p>`);
      const first = aFetch({
        service,
        documentType: type,
        content: page('https://acme.example/settings?utm_source=mail&session=a1'),
      });
      await post(first).expect(202);
      const documentId = (await recorded(first.fetchId as string)).documentId;
      const moved = aFetch({
        service,
        documentType: type,
        fetchedAt: '2026-03-02T10:00:00Z',
        content: page('https://acme.example/account/settings'),
      });
      await post(moved).expect(202);
      expect(await recorded(moved.fetchId as string)).toMatchObject({
        outcome: 'text-unchanged',
        suppressedBy: ['link-targets-masked'],
        textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });

      await visible(documentId, 1);
      const observations = await eventually(async () => {
        const body = (await get(`/v1/documents/${documentId}/observations`).expect(200)).body as {
          items: Array<{ outcome: string; suppressedBy: string[] | null }>;
        };
        return body.items.length === 2 ? body.items : undefined;
      });
      expect(observations.map((o) => [o.outcome, o.suppressedBy])).toEqual([
        ['new-version', null],
        ['text-unchanged', ['link-targets-masked']],
      ]);
      const v1 = (await get(`/v1/documents/${documentId}/versions/1`).expect(200)).body as {
        rulesFired: string[];
        text: string;
      };
      expect(v1.rulesFired).toEqual(
        expect.arrayContaining(['link-tracking-params-removed', 'link-targets-masked']),
      );
      expect(v1.text).not.toContain('utm_source');
    }, 30_000);

    it('answers a redelivered fetch id as already recorded, and refuses the same id with other content', async () => {
      const fetch = aFetch({ service, documentType: 'Privacy Policy' });
      await post(fetch).expect(202);
      await recorded(fetch.fetchId as string);
      const again = await post(fetch).expect(200);
      expect(again.body).toMatchObject({ status: 'already-recorded' });
      const conflict = await post({ ...fetch, content: html('<p>Other</p>') }).expect(409);
      expect(conflict.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(conflict.body).toMatchObject({ status: 409, code: 'fetch-id-conflict' });
      const documentId = (again.body as { documentId: string }).documentId;
      await visible(documentId, 1);
      const observations = (await get(`/v1/documents/${documentId}/observations`).expect(200)).body as {
        items: unknown[];
      };
      expect(observations.items).toHaveLength(1);
    }, 30_000);

    it('builds a combined document from the latest snapshot of every part, dated at the newest part', async () => {
      const type = 'Combined Terms';
      const main = aFetch({
        service,
        documentType: type,
        sourcePart: 'main',
        sourceUrl: 'https://acme.example/main',
        mimeType: 'text/markdown',
        content: '# Main\n\nMain terms v1.\n',
        fetchedAt: '2026-04-01T00:00:00Z',
      });
      const annex = aFetch({
        service,
        documentType: type,
        sourcePart: 'annex',
        sourceUrl: 'https://acme.example/annex',
        mimeType: 'text/plain',
        content: 'Annex v1.',
        fetchedAt: '2026-04-01T00:07:00Z',
      });
      const main2 = aFetch({
        service,
        documentType: type,
        sourcePart: 'main',
        sourceUrl: 'https://acme.example/main',
        mimeType: 'text/markdown',
        content: '# Main\n\nMain terms v2.\n',
        fetchedAt: '2026-04-03T00:00:00Z',
      });
      for (const fetch of [main, annex, main2]) {
        await post(fetch).expect(202);
        await recorded(fetch.fetchId as string);
      }
      const documentId = (await recorded(main.fetchId as string)).documentId;
      await visible(documentId, 3);
      const v2 = (await get(`/v1/documents/${documentId}/versions/2`).expect(200)).body as {
        validFrom: string;
        text: string;
        snapshots: Array<{ sourcePart: string }>;
      };
      expect(v2.validFrom).toBe('2026-04-01T00:07:00.000Z');
      expect(v2.text).toMatch(/Main terms v1\.[\s\S]*Annex v1\./);
      expect(v2.snapshots.map((s) => s.sourcePart)).toEqual(['main', 'annex']);
      const v3 = (await get(`/v1/documents/${documentId}/versions/3`).expect(200)).body as {
        validFrom: string;
        text: string;
      };
      expect(v3.validFrom).toBe('2026-04-03T00:00:00.000Z');
      expect(v3.text).toMatch(/Main terms v2\.[\s\S]*Annex v1\./);
    }, 30_000);

    it('retracts a flip-back (A -> B -> A) instead of publishing two changes, keeping every observation', async () => {
      const type = 'Flip Policy';
      const a = html('<p>Text A of the policy.</p>');
      const steps = [
        aFetch({ service, documentType: type, content: a, fetchedAt: '2026-05-01T00:00:00Z' }),
        aFetch({
          service,
          documentType: type,
          content: html('<p>Text B, briefly.</p>'),
          fetchedAt: '2026-05-01T06:00:00Z',
        }),
        aFetch({
          service,
          documentType: type,
          content: a.replace('<p>', '<p >'),
          fetchedAt: '2026-05-01T12:00:00Z',
        }),
      ];
      for (const fetch of steps) {
        await post(fetch).expect(202);
        await recorded(fetch.fetchId as string);
      }
      const last = await recorded(steps[2]!.fetchId as string);
      expect(last.outcome).toBe('flip-back');
      const document = await eventually(async () => {
        const body = (await get(`/v1/documents/${last.documentId}`).expect(200)).body as {
          appliedVersion: number;
          changeCount: number;
          latestVersion: { version: number };
        };
        return body.appliedVersion >= 6 ? body : undefined;
      });
      expect(document).toMatchObject({ changeCount: 1, latestVersion: { version: 1 } });
      const shown = (await get(`/v1/documents/${last.documentId}/timeline`).expect(200)).body as {
        items: Array<{ version: number }>;
      };
      expect(shown.items.map((e) => e.version)).toEqual([1]);
      const all = (await get(`/v1/documents/${last.documentId}/timeline?include=hidden`).expect(200))
        .body as { items: Array<{ version: number; retracted: boolean }> };
      expect(all.items.map((e) => [e.version, e.retracted])).toEqual([
        [2, true],
        [1, false],
      ]);
      const v2 = (await get(`/v1/documents/${last.documentId}/versions/2`).expect(200)).body as {
        retracted: unknown;
      };
      expect(v2.retracted).toMatchObject({ reason: 'flip-back', restoredVersion: 1 });
      const observations = (await get(`/v1/documents/${last.documentId}/observations`).expect(200)).body as {
        items: unknown[];
      };
      expect(observations.items).toHaveLength(3);
    }, 30_000);

    it('gives a document tracked live, then sent its older history, the timeline of history first (ADR 0024)', async () => {
      const text = (body: string) => html(`<h1>Policy</h1><p>${body}</p>`);
      const observations: Array<[string, string]> = [
        ['2026-04-01T00:00:00Z', 'We keep logs.'],
        ['2026-04-02T00:00:00Z', 'We keep logs.'],
        ['2026-04-03T00:00:00Z', 'We keep no logs.'],
        ['2026-04-04T00:00:00Z', 'We keep logs.'],
        ['2026-04-05T00:00:00Z', 'We sell data.'],
        ['2026-05-01T00:00:00Z', 'We sell data.'],
        ['2026-05-02T00:00:00Z', 'We share data.'],
      ];
      const send = async (documentType: string, order: readonly number[]) => {
        let documentId = '';
        for (const index of order) {
          const [fetchedAt, body] = observations[index]!;
          const fetch = aFetch({ service, documentType, fetchedAt, content: text(body) });
          await post(fetch).expect(202);
          documentId = (await recorded(fetch.fetchId as string)).documentId;
        }
        return documentId;
      };
      // What the API serves of the versions and the timeline, without the ids that name the document.
      const served = async (documentId: string) => {
        const versions = (await get(`/v1/documents/${documentId}/versions`).expect(200)).body as {
          items: Array<{ version: number; validFrom: string; textSha256: string; retracted: unknown }>;
        };
        const timeline = (await get(`/v1/documents/${documentId}/timeline?include=hidden`).expect(200))
          .body as { items: Array<{ version: number; at: string; kind: string; retracted: boolean }> };
        return {
          versions: versions.items.map((v) => [v.version, v.validFrom, v.textSha256, v.retracted !== null]),
          timeline: timeline.items.map((e) => [e.version, e.at, e.kind, e.retracted]),
        };
      };
      const historyFirst = await send('Order Policy H', [0, 1, 2, 3, 4, 5, 6]);
      const expected = await eventually(async () => {
        const shown = await served(historyFirst);
        return shown.versions.length === 4 ? shown : undefined;
      });
      expect(expected.versions.map(([, , , retracted]) => retracted)).toEqual([false, true, false, false]);
      const liveFirst = await send('Order Policy L', [5, 6, 0, 1, 2, 3, 4]);
      const shown = await eventually(async () => {
        const now = await served(liveFirst);
        return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
      }).catch(() => served(liveFirst));
      expect(shown).toEqual(expected);
    }, 60_000);

    it('extracts the text of a PDF fetched as base64', async () => {
      const pdf = makePdf([
        ['GUIDELINES FOR AUTHORITIES', 'We answer valid legal process only.'],
        ['Emergencies are handled within a day.'],
      ]);
      const fetch = aFetch({
        service,
        documentType: 'Guidelines PDF',
        mimeType: 'application/pdf',
        encoding: 'base64',
        content: pdf.toString('base64'),
      });
      await post(fetch).expect(202);
      const outcome = await recorded(fetch.fetchId as string);
      expect(outcome).toMatchObject({ outcome: 'new-version', version: 1 });
      const version = await eventually(async () => {
        const response = await get(`/v1/documents/${outcome.documentId}/versions/1`);
        return response.status === 200
          ? (response.body as { text: string; snapshots: Array<{ snapshotId: string; mimeType: string }> })
          : undefined;
      });
      expect(version.text).toMatch(
        /We answer valid legal process only\.[\s\S]*Emergencies are handled within a day\./,
      );
      const raw = await get(`/v1/snapshots/${version.snapshots[0]!.snapshotId}`).buffer(true).expect(200);
      expect(raw.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(raw.body as Buffer, pdf)).toBe(0);
    }, 30_000);

    it('records a failed extraction with its reason, keeps the current version, and shows the failure', async () => {
      const type = 'Fragile Terms';
      const good = aFetch({ service, documentType: type, fetchedAt: '2026-06-01T00:00:00Z' });
      const binary = aFetch({
        service,
        documentType: type,
        fetchedAt: '2026-06-02T00:00:00Z',
        encoding: 'base64',
        content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)).toString('base64'),
      });
      for (const fetch of [good, binary]) {
        await post(fetch).expect(202);
        await recorded(fetch.fetchId as string);
      }
      const failed = await recorded(binary.fetchId as string);
      expect(failed).toMatchObject({ outcome: 'extraction-failed', version: null });
      const document = await eventually(async () => {
        const body = (await get(`/v1/documents/${failed.documentId}`).expect(200)).body as {
          fetchCount: number;
          lastFailure: { code: string; reason: string } | null;
          latestVersion: { version: number };
        };
        return body.fetchCount === 2 ? body : undefined;
      });
      expect(document.latestVersion.version).toBe(1);
      expect(document.lastFailure).toMatchObject({ code: 'binary-content', fetchId: binary.fetchId });
      expect(document.lastFailure!.reason.length).toBeGreaterThan(5);
    }, 30_000);

    it.each([
      ['a fetch with missing fields', { service: 'X' }, 422, 'invalid-fetch'],
      ['an unknown mime type', { mimeType: 'image/png' }, 422, 'invalid-fetch'],
      [
        'invalid base64',
        { encoding: 'base64', mimeType: 'application/pdf', content: '%%%' },
        422,
        'invalid-fetch',
      ],
      ['a fetchedAt in the future', { fetchedAt: '2999-01-01T00:00:00Z' }, 422, 'invalid-fetch'],
      ['a fetchedAt that is not a date', { fetchedAt: 'last tuesday' }, 422, 'invalid-fetch'],
      ['content over the size limit', { content: 'x'.repeat(300 * 1024) }, 413, 'content-too-large'],
    ])('refuses %s with a precise problem', async (_label, overrides, status, code) => {
      const body =
        overrides && 'service' in overrides && Object.keys(overrides).length === 1
          ? overrides
          : aFetch({ service, ...overrides });
      const response = await post(body).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status, code });
      expect((response.body as { detail: string }).detail.length).toBeGreaterThan(10);
    });

    it('refuses malformed JSON, a wrong media type, and keys without the role', async () => {
      const malformed = await http
        .post('/v1/fetches')
        .set(auth(INGEST))
        .set('Content-Type', 'application/json')
        .send('{"fetchId": ')
        .expect(400);
      expect(malformed.body).toMatchObject({ code: 'malformed-json' });
      await http
        .post('/v1/fetches')
        .set(auth(INGEST))
        .set('Content-Type', 'text/plain')
        .send('hello')
        .expect(415);
      expect((await http.post('/v1/fetches').send(aFetch()).expect(401)).body).toMatchObject({
        code: 'unauthenticated',
      });
      await http.get('/v1/documents').set(auth('not-a-key-at-all')).expect(401);
      expect((await post(aFetch(), READER).expect(403)).body).toMatchObject({ code: 'forbidden' });
      await get('/v1/documents', INGEST).expect(403);
      await get('/v1/documents', ADMIN).expect(200);
    });

    it('answers unknown things with 404 problems and bad parameters with 400', async () => {
      expect((await get('/v1/documents/nope__nothing').expect(404)).body).toMatchObject({
        code: 'not-found',
      });
      await get('/v1/documents/../../etc').expect(404);
      await get(`/v1/snapshots/${'0'.repeat(64)}`).expect(404);
      await get('/v1/snapshots/xyz').expect(404);
      await get('/v1/timeline?limit=0').expect(400);
      await get('/v1/timeline?from=yesterday').expect(400);
      await get('/v1/timeline?cursor=garbage').expect(400);
      await get('/v1/services/no-such-service/timeline').expect(404);
    });

    it('sends invalid messages on the fetches topic to the dead-letter topic with the reason, and keeps going', async () => {
      const bus = system.app.get<MessageBus>(MESSAGE_BUS);
      const topics = system.app.get<Topics>(TOPICS);
      const dead: IncomingMessage[] = [];
      const subscription = await bus.subscribe({
        groupId: uniqueName('e2e-dlq-reader'),
        topic: `${topics.fetches}.dlq`,
        handler: (message) => {
          dead.push(message);
          return Promise.resolve();
        },
      });
      try {
        const marker = uniqueName('dlq');
        await bus.publish(topics.fetches, [
          { key: 'k', value: `{not json ${marker}` },
          {
            key: 'k',
            value: JSON.stringify({
              ...aFetch({ service }),
              fetchId: `${marker}-bad`,
              mimeType: 'image/gif',
            }),
          },
        ]);
        const good = aFetch({ service, documentType: 'After DLQ' });
        await post(good).expect(202);
        await recorded(good.fetchId as string);
        const mine = await eventually(async () => {
          const found = dead.filter((m) => m.value.includes(marker));
          return Promise.resolve(found.length === 2 ? found : undefined);
        });
        expect(mine.map((m) => m.headers['x-dlq-code'])).toEqual(['malformed-json', 'invalid-fetch']);
        expect(mine[1]!.headers['x-dlq-reason']).toMatch(/mimeType must be one of/);
      } finally {
        await subscription.stop();
      }
    }, 60_000);

    it('rebuilds the read models from the event store into fresh collections, equal to the live ones', async () => {
      const target = await system.freshReadModels();
      try {
        const report = await system.app
          .get(ProjectionRebuildService)
          .rebuild(target, system.app.get<ReadModelStore>(READ_MODEL_STORE));
        expect(report.events).toBeGreaterThan(10);
        expect(report.comparison.versions!.rebuilt).toBeGreaterThan(3);
        expect(report.equal).toBe(true);
      } finally {
        await target.clear();
        await target.close();
      }
    }, 60_000);

    it('rebuilds on an admin request, and refuses that request to other roles', async () => {
      await http.post('/v1/admin/projections/rebuild').set(auth(READER)).expect(403);
      const report = (await http.post('/v1/admin/projections/rebuild').set(auth(ADMIN)).expect(200)).body as {
        equal: boolean;
        streams: number;
      };
      expect(report).toMatchObject({ equal: true });
      expect(report.streams).toBeGreaterThan(3);
    }, 60_000);

    it('serves health, metrics and the OpenAPI document', async () => {
      await http.get('/health').expect(200, { status: 'ok' });
      const metrics = await http.get('/metrics').expect(200);
      expect(metrics.text).toContain('termline_fetches_accepted_total');
      // Earlier scenarios recorded fetches: the store was written to and the fetches consumer took batches.
      expect(metrics.text).toMatch(
        /^termline_db_round_trips_total\{store="(sqlite|mongodb)",operation="insert"\} [1-9]/m,
      );
      expect(metrics.text).toMatch(
        /^termline_consumer_batch_size_count\{group="[^"]*versioning\.record-fetch",topic="[^"]*fetcher\.fetches\.v1"\} [1-9]/m,
      );
      const openapi = await http.get('/docs/openapi.json').expect(200);
      expect(Object.keys((openapi.body as { paths: object }).paths)).toEqual(
        expect.arrayContaining(['/v1/fetches', '/v1/documents/{documentId}/diff', '/v1/timeline']),
      );
    });

    it('shows a fetch dead-lettered after its 202 as dead-lettered, with the reason, on its status route', async () => {
      // Two fetches whose names slug alike, racing past the gateway's check: the consumer records the first and
      // dead-letters the second (the gateway would refuse it once the first is in the catalogue).
      const racer = uniqueName('Racer').replace(/_/g, ' ');
      const first = aFetch({ service: racer });
      const second = aFetch({ service: racer.toUpperCase() });
      const bus = system.app.get<MessageBus>(MESSAGE_BUS);
      for (const fetch of [first, second]) {
        await bus.publish(system.app.get<Topics>(TOPICS).fetches, [
          { key: 'race', value: JSON.stringify(fetch) },
        ]);
      }
      const { documentId } = await recorded(first.fetchId as string);
      const dead = await eventually(async () => {
        const response = await get(`/v1/fetches/${encodeURIComponent(second.fetchId as string)}`);
        return response.status === 200 ? (response.body as Record<string, unknown>) : undefined;
      });
      expect(dead).toMatchObject({
        status: 'dead-lettered',
        code: 'document-id-collision',
        reason: expect.stringContaining(racer),
      });
      // Once the first is in the catalogue, the gateway refuses the second's names at once.
      await visible(documentId, 1);
      await post(aFetch({ service: racer.toUpperCase(), fetchedAt: '2026-03-05T10:00:00Z' })).expect(422);
    });
  });
}
