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
      // A commit document as the store wrote it before the chain: no previousHash, no hash.
      writeUnchained: async (streamId, firstVersion, commitId, events) => {
        await connection.db.collection('event_commits').insertOne(
          {
            _id: commitId as never,
            streamId,
            version: firstVersion,
            lastVersion: firstVersion + events.length - 1,
            events: events.map((e) => ({ ...e })),
            committedAt: new Date(),
          },
          { ignoreUndefined: true },
        );
      },
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
