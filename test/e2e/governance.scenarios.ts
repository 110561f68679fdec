import type { ReadModelStore } from '@termline/readmodels';
import { GENERATION_COMPLETE, GENERATION_UNMAPPED, READ_MODEL_STORE } from '@termline/readmodels';
import { eventually } from '@termline/testing';
import request from 'supertest';
import { isDocumentStream, slug, streamIdOf } from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import {
  GovernanceProjector,
  PROVISION_CLASSIFIER,
  ProjectionRebuildService,
  TimelineProjector,
  type ProvisionClassifier,
} from '@termline/projection';
import { verifyExport, type ExportManifest } from '@termline/audit';
import { keywordClassifier } from '../../libs/projection/src/governance/keyword-classifier.spec-support';
import { DEMO_COLLECTION } from '../../apps/termline/src/demo/demo-collection';
import { loadDemoCollection } from '../../apps/termline/src/demo/load-demo';
import { expectValidAtom } from '../../libs/gateway/src/governance/atom-validity.spec-support';
import { ADMIN, aFetch, binary, INGEST, READER, type SystemUnderTest } from './system.scenarios';

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

interface Entry {
  documentId: string;
  version: number;
  at: string;
  kind: string;
  statedDates: Array<{ kind: string; date: string }>;
  effectiveAt: string | null;
  governance: {
    categories: string[];
    references: string[];
    exposure: { before: string | null; after: string | null; direction: string };
    provisions: Array<{
      provisionKey: string;
      heading: string;
      change: string;
      before: { categoryIds: string[]; exposure: string } | null;
      after: { categoryIds: string[]; exposure: string } | null;
    }>;
  };
}

/** The governance questions, asked of the demo collection: the same for every mode. */
export function governanceScenarios(name: string, start: () => Promise<SystemUnderTest>): void {
  describe(`Governance end to end: ${name}`, () => {
    let system: SystemUnderTest;
    let http: ReturnType<typeof request>;
    const get = (path: string, key = READER) => http.get(path).set(auth(key));

    beforeAll(async () => {
      system = await start();
      http = request(system.app.getHttpServer());
      await loadDemoCollection(system.app);
      // Every demo fetch projected (fetchCount), then every document's latest version mapped.
      const expectedFetches = new Map<string, number>();
      for (const fetch of DEMO_COLLECTION) {
        const documentId = `${slug(fetch.service)}__${slug(fetch.documentType)}`;
        expectedFetches.set(documentId, (expectedFetches.get(documentId) ?? 0) + 1);
      }
      await eventually(async () => {
        for (const [documentId, fetches] of expectedFetches) {
          const response = await get(`/v1/documents/${documentId}`);
          const document = response.body as {
            fetchCount?: number;
            latestVersion?: { version: number } | null;
          };
          if (response.status !== 200 || document.fetchCount !== fetches) return undefined;
          const timeline = (
            await get(`/v1/documents/${documentId}/timeline?view=governance&include=hidden`).expect(200)
          ).body as { items: Entry[] };
          if (!timeline.items.some((e) => e.version === document.latestVersion?.version)) return undefined;
        }
        return true;
      }, 60_000);
    }, 120_000);
    afterAll(async () => {
      await system?.close();
    }, 30_000);

    const ids = (items: Entry[]) => items.map((e) => `${e.documentId}@${e.version}`);
    const problem = async (path: string, status: number, code: string) => {
      const response = await get(path).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status, code });
    };
    const body = async <T>(path: string, status = 200): Promise<T> =>
      (await get(path).expect(status)).body as T;
    const TOS = 'nimbus-notes__terms-of-service';

    it('filters the global, service and document timelines by category, framework, reference, exposure and materiality', async () => {
      const arbitration = await body<{ items: Entry[] }>(
        '/v1/timeline?category=arbitration-class-waiver&exposure=high',
      );
      expect(ids(arbitration.items)).toEqual([`${TOS}@3`]);
      const disputes = arbitration.items[0]!.governance.provisions.find(
        (p) => p.provisionKey === `${TOS}:7-disputes`,
      )!;
      expect(disputes).toMatchObject({
        change: 'modified',
        before: { exposure: 'medium' },
        after: { categoryIds: ['arbitration-class-waiver'], exposure: 'high' },
      });
      expect(arbitration.items[0]!.governance.exposure).toEqual({
        before: 'medium',
        after: 'high',
        direction: 'raised',
      });

      const byReference = await body<{ items: Entry[] }>(
        '/v1/timeline?reference=uctd/annex-1-q&materiality=substantive',
      );
      expect(ids(byReference.items)).toEqual(expect.arrayContaining([`${TOS}@3`]));
      const ccpa = await body<{ items: Entry[] }>(
        '/v1/timeline?framework=ccpa&documentType=Privacy%20Policy',
      );
      // Nimbus's v2 sells or shares for ads and names California law; Orbit speaks to the GDPR only.
      expect(ids(ccpa.items)[0]).toBe('nimbus-notes__privacy-policy@2');
      expect(ids(ccpa.items).every((id) => id.startsWith('nimbus-notes__privacy-policy@'))).toBe(true);
      // The AI-training opt-out was added (exposure lowered), then removed (raised).
      const training = await body<{ items: Entry[] }>(
        '/v1/services/Orbit%20Chat/timeline?category=ai-training-on-user-content',
      );
      expect(training.items.map((e) => [e.version, e.governance.exposure.direction])).toEqual([
        [3, 'raised'],
        [2, 'lowered'],
        [1, 'unchanged'],
      ]);
      const documentTimeline = await body<{ items: Entry[] }>(
        `/v1/documents/${TOS}/timeline?view=governance&from=2026-02-01&to=2026-04-01`,
      );
      expect(ids(documentTimeline.items)).toEqual([`${TOS}@3`, `${TOS}@2`]);

      const all = await body<{ items: Entry[] }>('/v1/timeline?view=governance&limit=200');
      const first = await body<{ items: Entry[]; nextCursor: string }>(
        '/v1/timeline?view=governance&limit=4',
      );
      const second = await body<{ items: Entry[] }>(
        `/v1/timeline?view=governance&limit=4&cursor=${first.nextCursor}`,
      );
      expect(ids([...first.items, ...second.items])).toEqual(ids(all.items).slice(0, 8));
      // Without a governance parameter the timeline is the plain one, as before.
      const plain = await body<{ items: Array<Record<string, unknown>> }>('/v1/timeline?limit=5');
      expect(plain.items[0]).not.toHaveProperty('governance');
      expect(plain.items[0]).toHaveProperty('provisionsChanged');
    });

    it('answers bad input with problems and runs nothing', async () => {
      await problem('/v1/timeline?category=not-a-category', 400, 'unknown-category');
      await problem('/v1/timeline?framework=hipaa', 400, 'unknown-framework');
      await problem('/v1/timeline?reference=gdpr/art-999', 400, 'unknown-reference');
      await problem('/v1/timeline?exposure=extreme', 400, 'unknown-exposure-level');
      await problem('/v1/timeline?category[$ne]=x', 400, 'invalid-parameter');
      await problem('/v1/timeline?service[$gt]=', 400, 'invalid-parameter');
      await problem('/v1/compare?category[$ne]=retention', 400, 'invalid-parameter');
      await problem('/v1/compare?category=retention&sort=x', 400, 'unknown-parameter');
      await problem('/v1/compare', 400, 'invalid-parameter');
      await problem('/v1/compare?category=retention&asOf=2026-13-45', 400, 'invalid-request');
      // A generation that was never mapped is a resource that does not exist.
      await problem(
        '/v1/timeline?category=retention&taxonomyVersion=0.0.0-none',
        404,
        'unknown-taxonomy-version',
      );
      await problem(`/v1/documents/${TOS}/as-of/yesterday`, 400, 'invalid-request');
      await problem(`/v1/documents/${TOS}/as-of/2026-03-01?limit=501`, 400, 'invalid-request');
      await problem(`/v1/documents/${TOS}/as-of/2026-03-01?cursor=-1`, 400, 'invalid-request');
      await problem(`/v1/timeline/${TOS}:000002/provisions?cursor=x`, 400, 'invalid-request');
      await problem(`/v1/timeline/${TOS}:999999/provisions`, 404, 'not-found');
      await problem(`/v1/documents/${TOS}/as-of/2025-12-31`, 422, 'before-first-observation');
      await problem(`/v1/provisions/${TOS}:7-disputes/as-of/2025-06-01`, 422, 'before-first-observation');
      await problem('/v1/compare?category=retention&asOf=2025-01-01', 422, 'before-first-observation');
      await problem(
        '/v1/regulations/gdpr/art-17/provisions?asOf=2020-01-01',
        422,
        'before-first-observation',
      );
      await problem('/v1/provisions/not-a-key/history', 404, 'not-found');
      await problem(`/v1/provisions/${TOS}:no-such-provision/history`, 404, 'not-found');
      await problem('/v1/regulations/hipaa/164-502/provisions', 404, 'unknown-framework');
      await problem('/v1/regulations/gdpr/art-999/provisions', 404, 'unknown-reference');
      await problem('/v1/feeds/categories/not-a-category', 404, 'unknown-category');
      await http.get('/v1/compare?category=retention').expect(401);
      await http.get('/v1/feeds/services/Orbit%20Chat').expect(401);
    });

    it('shows a document, a provision and a category as of a date', async () => {
      const before = await body<{
        version: number;
        text: string;
        provisionCount: number;
        provisions: Array<{
          provisionKey: string;
          since: string;
          categories: Array<{ id: string }>;
          exposure: { level: string };
        }>;
      }>(`/v1/documents/${TOS}/as-of/2026-03-01`);
      expect(before.version).toBe(2);
      expect(before.provisionCount).toBe(before.provisions.length);
      const paged = await body<{
        text: string | null;
        provisions: Array<{ provisionKey: string }>;
        nextCursor: string | null;
      }>(`/v1/documents/${TOS}/as-of/2026-03-01?limit=2&cursor=1`);
      expect(paged.text).toBeNull();
      expect(paged.provisions.map((p) => p.provisionKey)).toEqual(
        before.provisions.slice(1, 3).map((p) => p.provisionKey),
      );
      expect(paged.nextCursor).toBe(before.provisions.length > 3 ? '3' : null);
      expect(before.text).toContain('180 days');
      expect(before.text).not.toContain('arbitration');
      const disputes = before.provisions.find((p) => p.provisionKey === `${TOS}:7-disputes`)!;
      expect(disputes.since).toBe('2026-01-05T09:00:00.000Z');
      expect(disputes.categories.map((c) => c.id)).toContain('governing-law');
      // The day a version was observed counts as of that day.
      expect((await body<{ version: number }>(`/v1/documents/${TOS}/as-of/2026-03-16`)).version).toBe(3);

      const then = await body<{ fromVersion: number; exposure: { level: string } }>(
        `/v1/provisions/${TOS}:7-disputes/as-of/2026-02-01T00:00:00Z`,
      );
      expect(then).toMatchObject({ fromVersion: 1, exposure: { level: 'medium' } });
      const history = await body<{
        current: boolean;
        history: Array<{
          fromVersion: number;
          untilVersion: number | null;
          change: string;
          exposureChange: { direction: string } | null;
        }>;
      }>(`/v1/provisions/${TOS}:7-disputes/history`);
      expect(history.current).toBe(true);
      expect(
        history.history.map((h) => [
          h.fromVersion,
          h.untilVersion,
          h.change,
          h.exposureChange?.direction ?? null,
        ]),
      ).toEqual([
        [1, 3, 'added', null],
        [3, null, 'modified', 'raised'],
      ]);

      const march = await body<{
        services: Array<{ service: string; provisions: Array<{ excerpt: string; since: string }> }>;
        servicesWithout: string[];
      }>('/v1/compare?category=retention&asOf=2026-03-01');
      const orbit = march.services.find((s) => s.service === 'Orbit Chat')!;
      expect(orbit.provisions[0]!.excerpt).toContain('30 days');
      expect(march.services.map((s) => s.service)).toEqual(
        expect.arrayContaining(['Nimbus Notes', 'Orbit Chat']),
      );
      const now = await body<{
        services: Array<{
          service: string;
          exposure: string;
          provisions: Array<{ excerpt: string; since: string }>;
        }>;
      }>('/v1/compare?category=retention');
      const orbitNow = now.services.find((s) => s.service === 'Orbit Chat')!;
      expect(orbitNow.provisions[0]!.excerpt).toContain('indefinitely');
      expect(orbitNow.provisions[0]!.since).toBe('2026-07-15T14:30:00.000Z');
      expect(orbitNow.exposure).toBe('high');
      // Before Orbit Chat was first observed, it is not among the services compared.
      const early = await body<{ services: Array<{ service: string }>; servicesWithout: string[] }>(
        '/v1/compare?category=retention&asOf=2026-01-06',
      );
      expect(early.services.map((s) => s.service)).toEqual(['Nimbus Notes']);
      expect(early.servicesWithout).not.toContain('Orbit Chat');

      // In pages of services: one service a page gives the same services, in slug order, as one whole answer.
      type ComparePage = {
        services: Array<{ serviceSlug: string }>;
        servicesWithout: string[];
        nextCursor: string | null;
      };
      const whole = await body<ComparePage>('/v1/compare?category=retention');
      expect(whole.nextCursor).toBeNull();
      const comparePages: ComparePage[] = [];
      let cursor: string | null = null;
      do {
        const next: ComparePage = await body<ComparePage>(
          `/v1/compare?category=retention&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(next.services.length + next.servicesWithout.length).toBe(1);
        comparePages.push(next);
        cursor = next.nextCursor;
      } while (cursor !== null);
      expect(comparePages.flatMap((p) => p.services)).toEqual(whole.services);
      expect(comparePages.flatMap((p) => p.servicesWithout)).toEqual(whole.servicesWithout);
      const slugs = whole.services.map((s) => s.serviceSlug);
      expect(slugs).toEqual([...slugs].sort());
      for (const bad of ['limit=201', 'limit=0', 'cursor=a__b', 'cursor=%24ne'])
        expect(
          (await get(`/v1/compare?category=retention&${bad}`).expect(400)).body as { code: string },
        ).toMatchObject({ code: 'invalid-request' });
    });

    it('finds how other platforms handle a provision, and the provisions engaging an article', async () => {
      const similar = await body<{
        category: string;
        items: Array<{ service: string; similarity: number; since: string; exposure: { level: string } }>;
      }>('/v1/provisions/orbit-chat__privacy-policy:how-long-we-keep-your-data/similar');
      expect(similar.category).toBe('retention');
      expect(similar.items.length).toBeGreaterThan(0);
      expect(similar.items.every((i) => i.service !== 'Orbit Chat')).toBe(true);
      expect(similar.items[0]).toMatchObject({ service: 'Nimbus Notes', since: '2026-02-02T09:00:00.000Z' });
      const scores = similar.items.map((i) => i.similarity);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // At most 10,000 a request, as the OpenAPI document states.
      expect(
        (
          await get(
            '/v1/provisions/orbit-chat__privacy-policy:how-long-we-keep-your-data/similar?limit=10001',
          ).expect(400)
        ).body,
      ).toMatchObject({ code: 'invalid-request' });

      type ArticlePage = {
        items: Array<{ provisionKey: string; primary: boolean }>;
        nextCursor: string | null;
      };
      const article = await body<ArticlePage>('/v1/regulations/gdpr/art-5-1-e/provisions');
      expect(article.nextCursor).toBeNull();
      // Page by page, one provision at a time, the same provisions in the same order.
      const onePerPage: string[] = [];
      for (let cursor: string | null = null, pages = 0; pages === 0 || cursor !== null; pages++) {
        const next: ArticlePage = await body<ArticlePage>(
          `/v1/regulations/gdpr/art-5-1-e/provisions?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(next.items.length).toBe(1);
        onePerPage.push(next.items[0]!.provisionKey);
        cursor = next.nextCursor;
      }
      expect(onePerPage).toEqual(article.items.map((i) => i.provisionKey));
      expect(
        (await get('/v1/regulations/gdpr/art-5-1-e/provisions?cursor=not-a-cursor').expect(400)).body,
      ).toMatchObject({ code: 'invalid-request' });
      expect(article.items.map((i) => i.provisionKey)).toEqual(
        expect.arrayContaining([
          `${TOS}:3-deleted-notes`,
          'orbit-chat__privacy-policy:how-long-we-keep-your-data',
        ]),
      );
      // The disputes clause engaged the governing-law article until arbitration replaced the courts.
      const keys = async (path: string) =>
        (await body<{ items: Array<{ provisionKey: string }> }>(path)).items.map((i) => i.provisionKey);
      expect(await keys('/v1/regulations/uctd/annex-1-q/provisions')).toContain(`${TOS}:7-disputes`);
      expect(await keys('/v1/regulations/uctd/annex-1-q/provisions?asOf=2026-01-10')).not.toContain(
        `${TOS}:7-disputes`,
      );
      expect(await keys('/v1/regulations/rome-i/art-6/provisions?asOf=2026-01-10')).toContain(
        `${TOS}:7-disputes`,
      );
      expect(await keys('/v1/regulations/rome-i/art-6/provisions')).not.toContain(`${TOS}:7-disputes`);
    });

    it('analyses a provision with its history and how other platforms handle it', async () => {
      const { analysis, mapping } = await body<{
        analysis: {
          statement: string;
          quote: { source: { documentId: string; snapshotIds: string[] } };
          references: Array<{ id: string; rationale: string }>;
          history: Array<{ change: string }>;
          comparables: Array<{ service: string }>;
          disclaimer: string;
        };
        mapping: { categories: Array<{ id: string }> };
      }>('/v1/provisions/orbit-chat__privacy-policy:how-long-we-keep-your-data/analysis');
      expect(analysis.statement.length).toBeGreaterThan(20);
      expect(analysis.quote.source).toMatchObject({ documentId: 'orbit-chat__privacy-policy' });
      expect(analysis.quote.source.snapshotIds).toHaveLength(1);
      expect(analysis.references.map((r) => r.id)).toContain('gdpr/art-5-1-e');
      expect(analysis.history.map((h) => h.change)).toEqual(['added', 'modified']);
      expect(analysis.comparables.map((c) => c.service)).toContain('Nimbus Notes');
      expect(analysis.disclaimer).toMatch(/not legal advice/);
      expect(mapping.categories[0]!.id).toBe('retention');
      const then = await body<{ analysis: { history: unknown[]; quote: { text: string } } }>(
        '/v1/provisions/orbit-chat__privacy-policy:how-long-we-keep-your-data/analysis?asOf=2026-03-01',
      );
      expect(then.analysis.quote.text).toContain('30 days');
    });

    it('lists stated effective dates beside the observed ones, and the changes announced for the future', async () => {
      const all = await body<{
        now: string;
        items: Array<{
          documentId: string;
          version: number;
          observedAt: string;
          effectiveAt: string;
          announcedInAdvance: boolean;
          upcoming: boolean;
        }>;
      }>('/v1/effective-dates');
      const announced = all.items.find((i) => i.documentId === TOS && i.version === 4)!;
      expect(announced).toMatchObject({
        observedAt: '2026-10-20T09:00:00.000Z',
        effectiveAt: '2027-06-01T00:00:00.000Z',
        announcedInAdvance: true,
      });
      const upcoming = await body<{ now: string; items: Array<{ documentId: string; effectiveAt: string }> }>(
        '/v1/effective-dates?upcoming=true',
      );
      expect(upcoming.items.every((i) => i.effectiveAt > upcoming.now)).toBe(true);
      // Upcoming while the stated date is still ahead of the real clock.
      expect(upcoming.items.some((i) => i.documentId === TOS)).toBe(
        upcoming.now < '2027-06-01T00:00:00.000Z',
      );
      const entry = (await body<{ items: Entry[] }>(`/v1/documents/${TOS}/timeline?view=governance&limit=1`))
        .items[0]!;
      expect(entry.statedDates).toEqual([
        expect.objectContaining({ kind: 'last-updated', date: '2026-10-20' }),
        expect.objectContaining({ kind: 'effective', date: '2027-06-01' }),
      ]);
      await get('/v1/effective-dates?upcoming=maybe').expect(400);
    });

    it('serves valid Atom feeds per service, document and category', async () => {
      for (const path of [
        '/v1/feeds/services/Orbit%20Chat',
        `/v1/feeds/documents/${TOS}`,
        '/v1/feeds/categories/arbitration-class-waiver',
      ]) {
        const response = await get(path).expect(200);
        expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
        expectValidAtom(response.text);
      }
      const category = (await get('/v1/feeds/categories/arbitration-class-waiver').expect(200)).text;
      expect(category).toContain(`${TOS}:000003`);
      expect(category).not.toContain('orbit-chat');
      await get('/v1/feeds/services/No%20Such%20Service').expect(404);
    });

    it('answers under the current taxonomy version by default and by name, and lists generations', async () => {
      const generations = await body<{
        current: { taxonomyVersion: string; generation: string };
        items: Array<{ generation: string }>;
      }>('/v1/governance/generations');
      expect(generations.items.map((g) => g.generation)).toContain(generations.current.generation);
      const named = await body<{ items: Entry[] }>(
        `/v1/timeline?category=retention&taxonomyVersion=${generations.current.taxonomyVersion}`,
      );
      const unnamed = await body<{ items: Entry[] }>('/v1/timeline?category=retention');
      expect(ids(named.items)).toEqual(ids(unnamed.items));
    });

    it('documents the governance routes in OpenAPI', async () => {
      const openapi = (await http.get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      for (const path of [
        '/v1/compare',
        '/v1/effective-dates',
        '/v1/documents/{documentId}/as-of/{date}',
        '/v1/provisions/{provisionKey}/history',
        '/v1/provisions/{provisionKey}/similar',
        '/v1/provisions/{provisionKey}/analysis',
        '/v1/regulations/{framework}/{reference}/provisions',
        '/v1/feeds/categories/{category}',
      ]) {
        expect(openapi.paths[path]?.get?.responses).toHaveProperty('400');
      }
    });

    it('retracts the mapping of a flip-back and puts the earlier form back in force', async () => {
      const service = 'Flip Back Co';
      const page = (retention: string) =>
        `<html><body><main><h1>Privacy</h1><h2>Retention</h2><p>${retention}</p><h2>Rights</h2><p>You can access and delete your personal data.</p></main></body></html>`;
      const short = page('We retain your messages for 30 days, then delete them.');
      const post = (fetchedAt: string, content: string) =>
        http
          .post('/v1/fetches')
          .set(auth(INGEST))
          .send(aFetch({ service, documentType: 'Privacy Policy', fetchedAt, content }))
          .expect(202);
      await post('2026-04-01T10:00:00Z', short);
      await post('2026-04-01T12:00:00Z', page('We may retain your messages indefinitely.'));
      await post('2026-04-01T14:00:00Z', short);
      const documentId = 'flip-back-co__privacy-policy';
      const hidden = await eventually(async () => {
        const response = await get(`/v1/documents/${documentId}/timeline?view=governance&include=hidden`);
        const items = (response.body as { items?: Array<Entry & { retracted: boolean }> }).items ?? [];
        return items.some((e) => e.version === 2 && e.retracted) ? items : undefined;
      }, 30_000);
      expect(hidden.map((e) => [e.version, e.retracted])).toEqual([
        [2, true],
        [1, false],
      ]);
      const visible = await body<{ items: Entry[] }>(`/v1/documents/${documentId}/timeline?view=governance`);
      expect(visible.items.map((e) => e.version)).toEqual([1]);
      const compare = await body<{
        services: Array<{ provisions: Array<{ excerpt: string; since: string; fromVersion: number }> }>;
      }>(`/v1/compare?category=retention&service=${encodeURIComponent(service)}`);
      expect(compare.services[0]!.provisions[0]).toMatchObject({
        fromVersion: 1,
        since: '2026-04-01T10:00:00.000Z',
      });
      expect(compare.services[0]!.provisions[0]!.excerpt).toContain('30 days');
      // The next change follows the form put back in force: it closes version 1's form, not the retracted one.
      await post('2026-04-03T10:00:00Z', page('We retain your messages for 90 days, then delete them.'));
      const next = await eventually(async () => {
        const response = await get(`/v1/documents/${documentId}/timeline?view=governance`);
        const items = (response.body as { items?: Entry[] }).items ?? [];
        return items.find((e) => e.version === 3);
      }, 30_000);
      const changed = next.governance.provisions.filter((p) => p.change === 'modified');
      expect(changed).toHaveLength(1);
      // The forms and the timeline entries are written side by side (one write per read model): with MongoDB the
      // entry can be read a moment before the forms, so the history is waited for too.
      type History = { history: Array<{ fromVersion: number; untilVersion: number | null }> };
      const history = await eventually(async () => {
        const answer = await body<History>(`/v1/provisions/${changed[0]!.provisionKey}/history`);
        return answer.history.length >= 2 ? answer : undefined;
      }, 30_000);
      expect(history.history.map((h) => [h.fromVersion, h.untilVersion])).toEqual([
        [1, 3],
        [3, null],
      ]);
    }, 60_000);

    it('maps a stream that another member mapped meanwhile from the store, not from what it kept', async () => {
      const service = 'Handover Co';
      const page = (logs: string, account: string) =>
        `<html><body><main><h1>Terms</h1><h2>Logs</h2><p>${logs}</p><h2>Accounts</h2><p>${account}</p></main></body></html>`;
      const texts = [
        page('We keep server logs for 30 days.', 'You may close your account.'),
        page('We keep server logs for 60 days.', 'You may close your account.'),
        page('We keep server logs for 90 days.', 'You may close your account.'),
        page('We keep server logs for 90 days.', 'You may close your account at any time.'),
      ];
      for (const [index, content] of texts.entries())
        await http
          .post('/v1/fetches')
          .set(auth(INGEST))
          .send(
            aFetch({
              service,
              documentType: 'Terms of Service',
              fetchedAt: `2026-05-0${index + 1}T10:00:00Z`,
              content,
            }),
          )
          .expect(202);
      const documentId = 'handover-co__terms-of-service';
      const streamId = streamIdOf(documentId);
      const events = system.app.get<EventStore>(EVENT_STORE);
      const stream = await eventually(async () => {
        const stored = await events.readStream(streamId);
        return stored.filter((e) => e.type === 'VersionRecorded').length === 4 ? stored : undefined;
      }, 30_000);
      // Up to just before version N's decision: every event of the versions before it.
      const before = (version: number) =>
        stream.find(
          (e) => e.type === 'VersionRecorded' && (e.data as { version: number }).version === version,
        )!.streamVersion - 1;
      const { classifier } = keywordClassifier('2026.handover', 'kw-1');
      const handedOver = await system.freshReadModels();
      const alone = await system.freshReadModels();
      try {
        const timeline = system.app.get(TimelineProjector);
        for (const store of [handedOver, alone]) await timeline.catchUp(store, streamId);
        // Member A maps versions 1-2; the partition moves to B, which maps version 3; it comes back to A for 4.
        const a = new GovernanceProjector(events, classifier);
        const b = new GovernanceProjector(events, classifier);
        await a.catchUp(handedOver, streamId, before(3));
        await b.catchUp(handedOver, streamId, before(4));
        await a.catchUp(handedOver, streamId, Number.MAX_SAFE_INTEGER);
        await new GovernanceProjector(events, classifier).catchUp(alone, streamId, Number.MAX_SAFE_INTEGER);
        const forms = async (store: ReadModelStore) =>
          (
            await store.queryProvisionForms({
              generation: classifier.generation.generation,
              documentId,
              limit: 100,
            })
          )
            .map(
              (f) =>
                `${f.provisionId} ${f.fromVersion}-${f.untilVersion ?? 'open'}${f.retracted ? ' retracted' : ''}`,
            )
            .sort();
        const expected = await forms(alone);
        expect(expected.filter((f) => f.endsWith('open'))).toHaveLength(3);
        expect(await forms(handedOver)).toEqual(expected);
      } finally {
        await handedOver.close();
        await alone.close();
      }
    }, 60_000);

    it('rebuilds the governance read models equal to the live ones', async () => {
      const target = await system.freshReadModels();
      try {
        const report = await system.app
          .get(ProjectionRebuildService)
          .rebuild(target, system.app.get<ReadModelStore>(READ_MODEL_STORE));
        expect(report.comparison.provisionForms).toMatchObject({ equal: true });
        expect(report.comparison.governanceTimeline).toMatchObject({ equal: true });
        expect(report.comparison.provisionForms!.rebuilt).toBeGreaterThan(40);
        // The flip-back above is in it: retracted entries and forms rebuild the same.
        expect(report.comparison.governanceTimeline!.rebuilt).toBeGreaterThanOrEqual(15);
        expect(report.equal).toBe(true);
      } finally {
        await target.close();
      }
    }, 60_000);

    // Last: it adds a second generation to the live read models, which a rebuild under one classifier would lack.
    it('keeps an earlier generation queryable beside the current one', async () => {
      const { classifier } = keywordClassifier('2020.1.0', 'kw-1');
      const other = new GovernanceProjector(system.app.get<EventStore>(EVENT_STORE), classifier);
      const live = system.app.get<ReadModelStore>(READ_MODEL_STORE);
      for (const streamId of (await system.app.get<EventStore>(EVENT_STORE).streamIds()).filter(
        isDocumentStream,
      )) {
        await other.catchUp(live, streamId, Number.MAX_SAFE_INTEGER);
      }
      const generations = await body<{
        current: { generation: string };
        items: Array<{ taxonomyVersion: string }>;
      }>('/v1/governance/generations');
      expect(generations.items.map((g) => g.taxonomyVersion)).toEqual(
        expect.arrayContaining(['2020.1.0', generations.current.generation.split('+')[0]]),
      );
      const then = await body<{ items: Entry[] }>('/v1/timeline?category=retention&taxonomyVersion=2020.1.0');
      expect(then.items.length).toBeGreaterThan(0);
      expect(
        then.items.every(
          (e) =>
            (e as unknown as { governance: { classifierVersion: string } }).governance.classifierVersion ===
            'kw-1',
        ),
      ).toBe(true);
      const now = await body<{ items: Array<{ governance: { classifierVersion: string } }> }>(
        '/v1/timeline?category=retention',
      );
      expect(now.items.every((e) => e.governance.classifierVersion !== 'kw-1')).toBe(true);
      const history = await body<{ classifierVersion: string; history: unknown[] }>(
        `/v1/provisions/${TOS}:3-deleted-notes/history?taxonomyVersion=2020.1.0`,
      );
      expect(history.classifierVersion).toBe('kw-1');
      // The same generation by its classifier version: what the mapping was before an upgrade of the classifier
      // alone, when both generations share a taxonomy version.
      const byClassifier = await body<{ items: Array<{ governance: { classifierVersion: string } }> }>(
        '/v1/timeline?category=retention&classifierVersion=kw-1',
      );
      expect(byClassifier.items.length).toBe(then.items.length);
      expect(byClassifier.items.every((e) => e.governance.classifierVersion === 'kw-1')).toBe(true);
      const own = system.app.get<ProvisionClassifier>(PROVISION_CLASSIFIER).generation;
      const mine = await body<{ classifierVersion: string }>(
        `/v1/provisions/${TOS}:3-deleted-notes/history?classifierVersion=${own.classifierVersion}`,
      );
      expect(mine.classifierVersion).toBe(own.classifierVersion);
      await problem(
        '/v1/timeline?category=retention&classifierVersion=9.9.9',
        404,
        'unknown-taxonomy-version',
      );
      await problem(
        '/v1/timeline?category=retention&taxonomyVersion=2020.1.0&classifierVersion=9.9.9',
        404,
        'unknown-taxonomy-version',
      );
      await problem('/v1/timeline?category=retention&classifierVersion[$ne]=x', 400, 'invalid-parameter');
      await problem('/v1/timeline?category=retention&classifierVersion=%24where', 400, 'invalid-parameter');
    }, 60_000);

    // After the one above: it needs a second generation in the live read models.
    it('answers from the latest complete generation while a new one is being built', async () => {
      type Generations = {
        current: { generation: string };
        building: { generation: string } | null;
        unmappedStreams: number;
      };
      const own = system.app.get<ProvisionClassifier>(PROVISION_CLASSIFIER).generation.generation;
      // The start's backfill mapped every stream under this classifier's generation, and said so.
      const settled = await eventually(async () => {
        const answer = await body<Generations>('/v1/governance/generations');
        return answer.building === null ? answer : undefined;
      });
      expect(settled.current.generation).toBe(own);
      expect(settled.unmappedStreams).toBe(0);

      // As after an upgrade: this classifier's generation not yet complete, an earlier one complete. The API
      // answers from the earlier one, by default, and so does an audit export.
      const live = system.app.get<ReadModelStore>(READ_MODEL_STORE);
      await live.setCheckpoint(GENERATION_COMPLETE, own, 0);
      await live.setCheckpoint(GENERATION_COMPLETE, '2020.1.0+kw-1', 1);
      // As if that generation's backfill had marked it complete without two streams it could not map.
      await live.setCheckpoint(GENERATION_UNMAPPED, '2020.1.0+kw-1', 2);
      try {
        expect(await body<Generations>('/v1/governance/generations')).toMatchObject({
          current: { generation: '2020.1.0+kw-1' },
          building: { generation: own },
          unmappedStreams: 2,
        });
        const page = await body<{ items: Array<{ governance: { classifierVersion: string } }> }>(
          '/v1/timeline?category=retention',
        );
        expect(page.items.length).toBeGreaterThan(0);
        expect(page.items.every((e) => e.governance.classifierVersion === 'kw-1')).toBe(true);
        const exported = await http
          .post('/v1/exports')
          .set({ Authorization: `Bearer ${ADMIN}` })
          .send({ document: TOS })
          .buffer(true)
          .parse(binary)
          .expect(200);
        const report = verifyExport(exported.body as Buffer);
        expect(report.problems).toEqual([]);
        expect((report.manifest as ExportManifest).producers).toMatchObject({ classifierVersion: 'kw-1' });
      } finally {
        await live.setCheckpoint(GENERATION_COMPLETE, own, 1);
      }
      // Once it is complete, this classifier's generation is answered again.
      expect((await body<Generations>('/v1/governance/generations')).current.generation).toBe(own);
    }, 60_000);
  });
}
