import { connectMongo } from '@termline/eventstore';
import { MongoReadModelStore } from '@termline/readmodels';
import { describeWithKafkaAndMongo, kafkaBrokers, mongoUri, uniqueName } from '@termline/testing';
import { governanceScenarios } from './governance.scenarios';
import { configFor, startSystem } from './system.scenarios';

describeWithKafkaAndMongo('distributed adapters', () => {
  const database = uniqueName('gov');
  governanceScenarios('Kafka and MongoDB (FerretDB)', () => {
    const config = configFor({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      MONGODB_URI: mongoUri(),
      MONGODB_DATABASE: database,
      TERMLINE_TOPIC_PREFIX: `${uniqueName('gov')}.`,
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
  });
});
