import { SqliteReadModelStore, type GovernanceGeneration } from '@termline/readmodels';
import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { aProvisionForm } from '../../../readmodels/src/read-model-store.contract';
import { exportSourceOf } from './export-source.adapter';

/** The derived records of an export, read from a real SQLite read-model store. */
describe('exportSourceOf: derived records', () => {
  const dir = tempDir('termline-export-source-');
  const store = new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'));
  // aProvisionForm's generation.
  const generation: GovernanceGeneration = {
    generation: 't1+c1',
    taxonomyVersion: 't1',
    classifierVersion: 'c1',
  };
  const unused = null as never;

  beforeAll(async () => {
    for (const provisionId of ['data', 'retention', 'law'])
      await store.putProvisionForm(aProvisionForm('a__terms', provisionId, 1));
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it("fails rather than export part of a document's forms when they reach the limit", async () => {
    const source = exportSourceOf(unused, unused, store, { generation, maxRowsPerDocument: 3 });
    await expect(source.derived('a__terms', [1])).rejects.toThrow(
      'a__terms has 3 or more provision forms, more than an export reads for one document: nothing exported',
    );
  });

  it('below the limit, reads the document as before', async () => {
    const source = exportSourceOf(unused, unused, store, { generation, maxRowsPerDocument: 4 });
    // No version of it is projected here: nothing to export, and no refusal.
    await expect(source.derived('a__terms', [1])).resolves.toEqual([]);
  });
});
