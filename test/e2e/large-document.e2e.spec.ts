import { documentIdOf, streamIdOf } from '@termline/domain';
import { GovernanceProjector } from '@termline/projection';
import { TEXT_WORK, type TextWork } from '@termline/platform';
import {
  LISTED_PROVISION_CHANGES,
  READ_MODEL_STORE,
  type GovernanceEntryView,
  type ReadModelStore,
} from '@termline/readmodels';
import { eventually, tempDir, uniqueName } from '@termline/testing';
import request from 'supertest';
import { aFetch, configFor, INGEST, READER, startSystem, type SystemUnderTest } from './system.scenarios';

/**
 * Item 8 of issue 9 in embedded mode: the heavy text work of a 750 KB document (extraction, alignment, the diff,
 * the classification of its provisions) runs in the text-work threads, so the process's event loop keeps
 * answering requests meanwhile. Nothing is timed: the test counts requests answered while that work was running,
 * which holds on a loaded machine as on an idle one.
 */

/** A long terms page in markdown: `sections` headed sections, `variant` changing one phrase in each. */
function longTerms(sections: number, variant = ''): string {
  const parts: string[] = [];
  for (let i = 1; i <= sections; i += 1) {
    parts.push(
      `## ${i}. Section ${i}\n\nThe provider${variant} may process the personal data described in section ${i} ` +
        `for the purposes listed here, and keeps it for ${i} months unless the law asks for longer. You may ` +
        `object to the processing at any time by writing to the address given in section ${i + 1}.\n`,
    );
  }
  return `# Terms of Service\n\n${parts.join('\n')}`;
}

const dir = tempDir('termline-large-');
let system: SystemUnderTest;

beforeAll(async () => {
  const config = configFor({
    TERMLINE_DATA_DIR: dir.path,
    TERMLINE_MAX_CONTENT_BYTES: String(2 * 1024 * 1024),
    TERMLINE_TEXT_WORKERS: '1',
  });
  system = await startSystem('embedded', config, () => Promise.reject(new Error('not used here')));
}, 60_000);

afterAll(async () => {
  await system?.close();
  dir.remove();
});

describe('a 750 KB document in embedded mode', () => {
  it('does not hold the event loop: small fetches are answered while its diff and classification run', async () => {
    const http = request(system.app.getHttpServer());
    const store = system.app.get<ReadModelStore>(READ_MODEL_STORE);
    const governance = system.app.get(GovernanceProjector).checkpointName;
    const service = uniqueName('Large Terms').replace(/_/g, ' ');
    const documentId = documentIdOf(service, 'Terms of Service');
    const streamId = streamIdOf(documentId);
    const first = longTerms(2800);
    const second = longTerms(2800, ' and its partners');
    expect(Buffer.byteLength(second)).toBeGreaterThan(750 * 1024);
    const post = (body: Record<string, unknown>) =>
      http
        .post('/v1/fetches')
        .set({ Authorization: `Bearer ${INGEST}` })
        .send(body)
        .expect(202);
    const large = (content: string, fetchedAt: string) =>
      aFetch({
        service,
        fetchedAt,
        mimeType: 'text/markdown',
        content,
        sourceUrl: 'https://large.example/terms',
      });
    // Fully projected: the timeline and the governance mapping of the document's last event.
    const projected = (versions: number) =>
      eventually(
        async () => {
          const view = await store.getDocument(documentId);
          if (!view || view.versionCount < versions) return undefined;
          const mapped = await store.getCheckpoint(governance, streamId);
          return mapped >= view.appliedVersion ? view : undefined;
        },
        300_000,
        100,
      );

    await post(large(first, '2026-03-01T10:00:00Z'));
    await projected(1);

    // The large document's diff and the classification of its provisions, while they are being computed: a
    // request answered in such a window was answered while the document's heavy work was under way. Were that
    // work done on the event loop, no request could be answered before it returned.
    const work = system.app.get<TextWork>(TEXT_WORK);
    const inFlight = new Set<string>();
    const watch =
      <A extends unknown[], R>(
        name: string,
        large: (...args: A) => boolean,
        run: (...args: A) => Promise<R>,
      ) =>
      (...args: A): Promise<R> => {
        if (!large(...args)) return run(...args);
        inFlight.add(name);
        return run(...args).finally(() => inFlight.delete(name));
      };
    const compare = work.compare.bind(work);
    const classify = work.classify.bind(work);
    jest
      .spyOn(work, 'compare')
      .mockImplementation(watch('diff', (_previous, text) => text.length > 700_000, compare));
    jest
      .spyOn(work, 'classify')
      .mockImplementation(watch('classification', (inputs) => inputs.length > 1000, classify));

    const answeredDuring = { diff: 0, classification: 0 };
    let done = false;
    const visible = projected(2).finally(() => {
      done = true;
    });
    await post(large(second, '2026-03-02T10:00:00Z'));
    // Small fetches of another document, one after the other, until the large version is fully projected.
    while (!done) {
      await post(
        aFetch({
          service: `${service} Small`,
          content: `<html><body><p>${uniqueName('n')}</p></body></html>`,
        }),
      );
      for (const name of inFlight) answeredDuring[name as keyof typeof answeredDuring] += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const view = await visible;
    expect(view.versionCount).toBe(2);
    expect(answeredDuring.diff).toBeGreaterThan(0);
    expect(answeredDuring.classification).toBeGreaterThan(0);
  }, 600_000);
});

describe('a version that changes hundreds of provisions at once', () => {
  it('is listed with its first provision changes, the asked-for ones first, and pages every change on its own route', async () => {
    const http = request(system.app.getHttpServer());
    const get = (path: string) =>
      http
        .get(path)
        .set({ Authorization: `Bearer ${READER}` })
        .expect(200)
        .then((r) => r.body as unknown);
    const service = uniqueName('Many Changes').replace(/_/g, ' ');
    const documentId = documentIdOf(service, 'Terms of Service');
    // 300 sections on keeping personal data, and one on disputes after the 250th; every one reworded in v2.
    const terms = (variant: string) => {
      const sections = longTerms(300, variant).split('\n\n## ');
      sections.splice(
        251,
        0,
        `251a. Disputes\n\nAny dispute${variant} will be resolved by binding individual arbitration, and you waive ` +
          'any right to bring or join a class action.\n',
      );
      return sections.join('\n\n## ');
    };
    const post = (content: string, fetchedAt: string) =>
      http
        .post('/v1/fetches')
        .set({ Authorization: `Bearer ${INGEST}` })
        .send(aFetch({ service, fetchedAt, mimeType: 'text/markdown', content }))
        .expect(202);
    await post(terms(''), '2026-03-01T10:00:00Z');
    await post(terms(' and its partners'), '2026-03-02T10:00:00Z');
    const entries = await eventually(async () => {
      const page = (await get(`/v1/documents/${documentId}/timeline?category=arbitration-class-waiver`).catch(
        () => undefined,
      )) as { items: GovernanceEntryView[] } | undefined;
      return page?.items.some((e) => e.version === 2) ? page.items : undefined;
    }, 120_000);

    const changed = entries.find((e) => e.version === 2)!;
    expect(changed.governance.provisions).toHaveLength(LISTED_PROVISION_CHANGES);
    expect(changed.governance.provisionsOmitted).toBe(301 - LISTED_PROVISION_CHANGES);
    // The change the filter asked for comes first although the text has it near the end.
    expect(changed.governance.provisions[0]!.after?.categoryIds).toContain('arbitration-class-waiver');
    expect(changed.governance.provisions[1]!.after?.categoryIds).not.toContain('arbitration-class-waiver');

    // Every change, a page at a time, in document order.
    const all: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = (await get(
        `/v1/timeline/${changed.entryId}/provisions?limit=120${cursor ? `&cursor=${cursor}` : ''}`,
      )) as { total: number; items: Array<{ provisionKey: string }>; nextCursor: string | null };
      expect(page.total).toBe(301);
      all.push(...page.items.map((p) => p.provisionKey));
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(301);
    expect(new Set(all).size).toBe(301);
    expect(all.indexOf(changed.governance.provisions[0]!.provisionKey)).toBe(250);

    // The version list counts the provisions and names the first changes; the version itself has them all.
    const versions = (await get(`/v1/documents/${documentId}/versions`)) as {
      items: Array<{
        version: number;
        provisionCount: number;
        provisionChanges: unknown[];
        provisionChangesOmitted: number;
        provisionIds?: unknown;
      }>;
    };
    const listed = versions.items.find((v) => v.version === 2)!;
    expect(listed.provisionCount).toBeGreaterThanOrEqual(301);
    expect(listed.provisionIds).toBeUndefined();
    expect(listed.provisionChanges).toHaveLength(LISTED_PROVISION_CHANGES);
    const version = (await get(`/v1/documents/${documentId}/versions/2`)) as {
      provisionIds: string[];
      provisionChanges: unknown[];
    };
    expect(version.provisionIds).toHaveLength(listed.provisionCount);
    expect(listed.provisionChanges.length + listed.provisionChangesOmitted).toBe(
      version.provisionChanges.length,
    );

    // The version's provisions, a page at a time, in the order of its provision ids.
    const listedIds: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = (await get(
        `/v1/documents/${documentId}/provisions?version=2&limit=120${cursor ? `&cursor=${cursor}` : ''}`,
      )) as { provisionCount: number; items: Array<{ provisionId: string }>; nextCursor: string | null };
      expect(page.provisionCount).toBe(version.provisionIds.length);
      expect(page.items.length).toBeLessThanOrEqual(120);
      listedIds.push(...page.items.map((p) => p.provisionId));
      cursor = page.nextCursor;
    }
    expect(listedIds).toEqual(version.provisionIds);
    for (const bad of ['limit=501', 'limit=0', 'cursor=0', 'cursor=-5', 'cursor=07'])
      await http
        .get(`/v1/documents/${documentId}/provisions?${bad}`)
        .set({ Authorization: `Bearer ${READER}` })
        .expect(400);
  }, 300_000);
});

describe('a service with thousands of provisions in one category', () => {
  it('does not crowd the other services out of comparisons, similar provisions or an article’s provisions', async () => {
    const http = request(system.app.getHttpServer());
    const get = <T>(path: string) =>
      http
        .get(path)
        .set({ Authorization: `Bearer ${READER}` })
        .expect(200)
        .then((r) => r.body as T);
    const post = (service: string, content: string) =>
      http
        .post('/v1/fetches')
        .set({ Authorization: `Bearer ${INGEST}` })
        .send(
          aFetch({ service, mimeType: 'text/markdown', content, sourceUrl: 'https://crowd.example/terms' }),
        )
        .expect(202);
    // "Aaa …" comes first in id order, with more provisions of the category than a comparison used to read at all.
    const crowd = uniqueName('Aaa Crowd').replace(/_/g, ' ');
    const other = uniqueName('Zzz Other').replace(/_/g, ' ');
    const crowdId = documentIdOf(crowd, 'Terms of Service');
    const otherId = documentIdOf(other, 'Terms of Service');
    await post(crowd, longTerms(5_200));
    await post(
      other,
      '# Terms of Service\n\n## 1. What we collect\n\nWe collect your name, your e-mail address and the messages ' +
        'you send when you create an account and use the service.\n',
    );
    const category = 'personal-data-collection';
    type Provisions = {
      items: Array<{
        provisionKey: string;
        categories: Array<{ id: string }>;
        references: Array<{ id: string; primary: boolean }>;
      }>;
    };
    // The document as of today, every page of it: mapped once the version counts the provisions expected.
    type AsOf = {
      text: string | null;
      provisionCount: number;
      provisions: Provisions['items'];
      nextCursor: string | null;
    };
    const asOf = (documentId: string, cursor?: string) =>
      http
        .get(`/v1/documents/${documentId}/as-of/${new Date().toISOString().slice(0, 10)}`)
        .query(cursor === undefined ? {} : { cursor })
        .set({ Authorization: `Bearer ${READER}` });
    const mapped = async (documentId: string, atLeast: number) => {
      const first = await eventually(async () => {
        const page = await asOf(documentId);
        return page.status === 200 && (page.body as AsOf).provisionCount >= atLeast
          ? (page.body as AsOf)
          : undefined;
      }, 240_000);
      expect(first.text).toEqual(expect.any(String));
      const all = [...first.provisions];
      for (let cursor = first.nextCursor; cursor !== null;) {
        const page = (await asOf(documentId, cursor).expect(200)).body as AsOf;
        expect(page.provisions.length).toBeLessThanOrEqual(500);
        // The text comes with the first page only.
        expect(page.text).toBeNull();
        all.push(...page.provisions);
        cursor = page.nextCursor;
      }
      expect(new Set(all.map((p) => p.provisionKey)).size).toBe(first.provisionCount);
      return all;
    };
    const inCategory = (provisions: Provisions['items']) =>
      provisions.filter((p) => p.categories.some((c) => c.id === category));
    const crowdProvisions = inCategory(await mapped(crowdId, 5_200));
    const [otherProvision] = inCategory(await mapped(otherId, 1));
    expect(otherProvision).toBeDefined();
    expect(crowdProvisions.length).toBeGreaterThan(5_000);

    const compare = await get<{
      services: Array<{ serviceSlug: string; provisions: unknown[] }>;
      servicesWithout: string[];
    }>(`/v1/compare?category=${category}`);
    const side = compare.services.find((s) => otherId.startsWith(`${s.serviceSlug}__`));
    expect(side?.provisions).toHaveLength(1);
    expect(compare.servicesWithout).not.toContain(other);

    // Every candidate (other tests' documents of the same wording rank above it): the later service is among them.
    const similar = await get<{ items: Array<{ provisionKey: string }> }>(
      `/v1/provisions/${crowdProvisions[0]!.provisionKey}/similar?category=${category}&limit=2000`,
    );
    expect(similar.items.map((i) => i.provisionKey)).toContain(otherProvision!.provisionKey);

    // An article both services' provisions engage, asked for the later service.
    const shared = otherProvision!.references.find((r) =>
      crowdProvisions[0]!.references.some((c) => c.id === r.id),
    )!;
    const engaging = await get<{ items: Array<{ provisionKey: string }> }>(
      `/v1/regulations/${shared.id}/provisions?service=${encodeURIComponent(other)}`,
    );
    expect(engaging.items.map((i) => i.provisionKey)).toEqual([otherProvision!.provisionKey]);
  }, 600_000);
});
