import { connectMongo } from '@termline/eventstore';
import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import { readModelStoreContract } from '../read-model-store.contract';
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
