import Database from 'better-sqlite3';
import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { aProvisionForm, readModelStoreContract } from '../read-model-store.contract';
import { noReadModelWrites } from '../read-models';
import { SqliteReadModelStore } from './sqlite-read-model-store';

const dir = tempDir();
let run = 0;
afterAll(() => dir.remove());

readModelStoreContract('SQLite (embedded)', (namespace) => {
  // The same file for both namespaces of one test, a new file per test.
  const file = join(dir.path, `rm-${namespace === 'rm_' ? ++run : run}.sqlite`);
  return Promise.resolve({
    store: new SqliteReadModelStore(file, namespace),
    cleanup: () => Promise.resolve(),
  });
});

describe('SQLite read models: a batch of writes in transactions of a slice each', () => {
  const G1 = aProvisionForm('a__terms', 'p', 1).generation;
  const forms = (count: number) =>
    Array.from({ length: count }, (_, i) => aProvisionForm('a__terms', `p${String(i).padStart(4, '0')}`, 1));
  const formsOf = (store: SqliteReadModelStore) =>
    store.queryProvisionForms({ generation: G1, documentId: 'a__terms', limit: 10_000 });
  const checkpoint = { projection: 'governance', streamId: 'document:a__terms', version: 7 };

  it('writes a batch larger than one slice whole, the checkpoint with it', async () => {
    const store = new SqliteReadModelStore(join(dir.path, 'slices-whole.sqlite'));
    try {
      const written = forms(450);
      await store.applyWrites({ ...noReadModelWrites(), provisionForms: written, checkpoints: [checkpoint] });
      expect((await formsOf(store)).map((f) => f.formId)).toEqual(written.map((f) => f.formId).sort());
      expect(await store.getCheckpoint('governance', 'document:a__terms')).toBe(7);
    } finally {
      await store.close();
    }
  });

  it('a slice that fails leaves nothing of itself and stops the batch before its checkpoints', async () => {
    const store = new SqliteReadModelStore(join(dir.path, 'slices-failed.sqlite'));
    try {
      const written = forms(450);
      // valid_from is NOT NULL: the 251st write throws, inside the second slice (writes 201 to 400).
      written[250] = { ...written[250]!, validFrom: null as unknown as string };
      const failure: unknown = await store
        .applyWrites({ ...noReadModelWrites(), provisionForms: written, checkpoints: [checkpoint] })
        .then(
          () => null,
          (error: unknown) => error,
        );
      // By its code: a SqliteError is not `instanceof Error` in every realm under jest (see settle).
      expect((failure as { code?: unknown } | null)?.code).toBe('SQLITE_CONSTRAINT_NOTNULL');
      // The first slice is committed; nothing of the failed one (its first 50 writes succeeded before the throw).
      expect((await formsOf(store)).map((f) => f.formId)).toEqual(written.slice(0, 200).map((f) => f.formId));
      expect(await store.getCheckpoint('governance', 'document:a__terms')).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite read models: the documents of one service', () => {
  it('are read by the service index, not by a scan of every document (every POST /v1/fetches asks)', async () => {
    const file = join(dir.path, 'service-index.sqlite');
    const store = new SqliteReadModelStore(file);
    await store.close();
    // SQLite itself says how it would answer the store's query for one service.
    const db = new Database(file, { readonly: true });
    try {
      const plan = db
        .prepare<[string], { detail: string }>(
          'EXPLAIN QUERY PLAN SELECT doc FROM rm_documents WHERE service_slug = ? ORDER BY document_id',
        )
        .all('acme')
        .map((row) => row.detail)
        .join('\n');
      expect(plan).toMatch(/SEARCH rm_documents USING INDEX rm_documents_service \(service_slug=\?\)/);
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});
