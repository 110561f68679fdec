import { connectMongo } from '@termline/eventstore';
import { MongoReadModelStore } from '@termline/readmodels';
import { kafkaBrokers, mongoUri, uniqueName } from '@termline/testing';
import { configFor, startSystem, type SystemUnderTest } from './system.scenarios';

/** The whole system on Kafka and MongoDB, in its own database and topic prefix, with a rebuild target beside. */
export function startDistributedSystem(database: string): Promise<SystemUnderTest> {
  const config = configFor({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    MONGODB_URI: mongoUri(),
    MONGODB_DATABASE: database,
    TERMLINE_TOPIC_PREFIX: `${uniqueName('e2e')}.`,
  });
  return startSystem('distributed', config, async () => {
    const connection = await connectMongo(mongoUri(), database);
    const store = await MongoReadModelStore.open(connection.db, 'rm_rebuild_');
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await connection.close();
    };
    return store;
  });
}
