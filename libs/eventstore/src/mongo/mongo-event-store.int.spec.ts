import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import { eventStoreContract } from '../event-store.contract';
import { quarantineStoreContract } from '../quarantine-store.contract';
import { MongoQuarantineStore } from './mongo-quarantine-store';
import { connectMongo } from './mongo-connection';
import { MongoEventStore } from './mongo-event-store';

describeWithMongo('MongoDB adapters of the archive', () => {
  eventStoreContract('MongoDB', async () => {
    const connection = await connectMongo(mongoUri(), uniqueName('es'));
    const store = await MongoEventStore.open(connection.db);
    return {
      store,
      cleanup: async () => {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  });

  quarantineStoreContract('MongoDB', async () => {
    const connection = await connectMongo(mongoUri(), uniqueName('quarantine'));
    return {
      store: await MongoQuarantineStore.open(connection.db),
      cleanup: async () => {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  });
});
