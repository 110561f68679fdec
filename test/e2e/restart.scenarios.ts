import type { INestApplication } from '@nestjs/common';
import type { TermlineConfig } from '@termline/config';
import { IngestService } from '@termline/gateway';
import { createAllInOneApp } from '../../apps/termline/src/all-in-one.app';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import type { Mode } from '@termline/platform';
import { eventually, uniqueName } from '@termline/testing';

/**
 * The process stops while fetches are still queued; a new process on the same storage finishes the work. Every
 * fetch is recorded exactly once: nothing lost, nothing doubled.
 */
export function restartScenario(name: string, mode: Mode, configFor: () => TermlineConfig): void {
  describe(`Restart in the middle of work: ${name}`, () => {
    it('loses and duplicates nothing when the process stops with fetches in flight', async () => {
      const config = configFor();
      const service = uniqueName('Restart').replace(/_/g, ' ');
      const fetches = Array.from({ length: 40 }, (_, i) => ({
        fetchId: uniqueName(`restart-${i}`),
        service,
        documentType: `Doc ${i % 4}`,
        sourceUrl: `https://restart.example/${i % 4}`,
        fetchedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        mimeType: 'text/plain',
        // Every third fetch repeats its predecessor's text: unchanged observations too.
        content: `Clause ${i - (i % 3 === 2 ? 1 : 0)} of the terms.`,
      }));
      const fatal: unknown[] = [];
      let app: INestApplication = await createAllInOneApp(config, mode, (_c, e) => fatal.push(e));
      const ingest = app.get(IngestService);
      for (const fetch of fetches) await ingest.ingest(fetch, 'restart-test');
      await app.close();

      app = await createAllInOneApp(config, mode, (_c, e) => fatal.push(e));
      try {
        const readModels = app.get<ReadModelStore>(READ_MODEL_STORE);
        const documents = await eventually(async () => {
          const docs = (await readModels.listDocuments()).filter((d) => d.service === service);
          return docs.length === 4 && docs.every((d) => d.fetchCount === 10) ? docs : undefined;
        }, 60_000);
        for (const document of documents) {
          const observations = await readModels.listObservations(document.documentId, { limit: 100 });
          expect(new Set(observations.map((o) => o.fetchId)).size).toBe(10);
          expect(observations.map((o) => o.streamVersion)).toEqual(
            [...observations.map((o) => o.streamVersion)].sort((a, b) => a - b),
          );
        }
        const total = documents.reduce((sum, d) => sum + d.versionCount, 0);
        expect(total).toBeGreaterThan(20);
        expect(fatal).toEqual([]);
      } finally {
        await app.close();
      }
    }, 120_000);
  });
}
