import type { ReadModelStore } from '@termline/readmodels';
import { READ_MODEL_STORE } from '@termline/readmodels';
import { eventually } from '@termline/testing';
import request from 'supertest';
import { ProjectionRebuildService } from '../../apps/projection/src/projection-rebuild.service';
import { loadDemoCollection } from '../../apps/termline/src/demo/load-demo';
import { expectValidAtom } from '../../apps/gateway/src/governance/atom-validity.spec-support';
import { READER, type SystemUnderTest } from './system.scenarios';

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
    provisions: Array<{ provisionKey: string; heading: string; change: string; before: { categoryIds: string[]; exposure: string } | null; after: { categoryIds: string[]; exposure: string } | null }>;
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
      // Mapped when every document's latest version has its governance entry.
      await eventually(async () => {
        const documents = (await get('/v1/documents').expect(200)).body as { items: Array<{ documentId: string; latestVersion: { version: number } | null }> };
        if (documents.items.length < 4) return undefined;
        for (const document of documents.items) {
          const timeline = (await get(`/v1/documents/${document.documentId}/timeline?view=governance&include=hidden`).expect(200)).body as { items: Entry[] };
          if (!timeline.items.some((e) => e.version === document.latestVersion?.version)) return undefined;
        }
        return true;
      }, 60_000);
    }, 120_000);
    afterAll(async () => {
      await system?.close();
    }, 30_000);

    it('explores', async () => {
      const timeline = (await get('/v1/timeline?view=governance&limit=200').expect(200)).body as { items: Entry[] };
      for (const e of timeline.items) {
        console.log(e.documentId, e.version, e.kind, e.at, JSON.stringify(e.governance.exposure), e.governance.categories.join(','), JSON.stringify(e.statedDates));
        for (const p of e.governance.provisions) console.log('   ', p.provisionKey, p.change, JSON.stringify(p.before), '->', JSON.stringify(p.after));
      }
      void system.app.get<ReadModelStore>(READ_MODEL_STORE);
      void ProjectionRebuildService;
      void expectValidAtom;
    });
  });
}
