import { connectMongo } from '@termline/eventstore';
import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import { noReadModelWrites } from '../read-models';
import {
  aDocument,
  aGovernanceEntry,
  aProvisionForm,
  aVersion,
  readModelStoreContract,
} from '../read-model-store.contract';
import { MongoReadModelStore } from './mongo-read-model-store';

describeWithMongo('MongoDB read models', () => {
  let database = uniqueName('rm');
  readModelStoreContract('MongoDB', async (namespace) => {
    if (namespace === 'rm_') database = uniqueName('rm');
    const connection = await connectMongo(mongoUri(), database);
    const store = await MongoReadModelStore.open(connection.db, namespace);
    return {
      store,
      cleanup: async () => {
        if (namespace === 'rm_') await connection.db.dropDatabase();
        await connection.close();
      },
    };
  });
});

describeWithMongo('MongoDB read models: the order of a batch of writes', () => {
  it('stores what an entry names before the entry: provision forms and versions, then the entries', async () => {
    const database = uniqueName('rm_order');
    const connection = await connectMongo(mongoUri(), database);
    try {
      const store = await MongoReadModelStore.open(connection.db);
      // The driver's own command events, as the server sees them: when each collection's write starts and ends.
      const events: string[] = [];
      const collectionOf = (command: Record<string, unknown>) =>
        typeof command.update === 'string' ? command.update : '';
      const started = new Map<number, string>();
      connection.client.on('commandStarted', (event) => {
        if (event.databaseName !== database || event.commandName !== 'update') return;
        const collection = collectionOf(event.command);
        started.set(event.requestId, collection);
        events.push(`start ${collection}`);
      });
      connection.client.on('commandSucceeded', (event) => {
        const collection = started.get(event.requestId);
        if (collection !== undefined) events.push(`end ${collection}`);
      });
      const form = aProvisionForm('a__terms', 'data', 1);
      await store.applyWrites({
        ...noReadModelWrites(),
        versions: [aVersion('a__terms', 1)],
        provisionForms: [form],
        governanceEntries: [aGovernanceEntry('a__terms', 1, '2026-01-01T00:00:00.000Z')],
        documents: [aDocument('a__terms', 'a')],
      });
      const at = (event: string) => events.indexOf(event);
      expect(at('start rm_gov_timeline')).toBeGreaterThan(at('end rm_gov_provision_forms'));
      expect(at('start rm_gov_timeline')).toBeGreaterThan(at('end rm_versions'));
      expect(at('start rm_documents')).toBeGreaterThan(at('end rm_gov_timeline'));
      expect(at('end rm_gov_provision_forms')).toBeGreaterThanOrEqual(0);
    } finally {
      await connection.db.dropDatabase();
      await connection.close();
    }
  });
});
