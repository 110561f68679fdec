import { describeWithKafkaAndMongo, kafkaBrokers, mongoUri, tempDir, uniqueName } from '@termline/testing';
import { restartScenario } from './restart.scenarios';
import { configFor } from './system.scenarios';

const dir = tempDir('termline-restart-');
afterAll(() => dir.remove());

restartScenario('embedded', 'embedded', () => configFor({ TERMLINE_DATA_DIR: dir.path }));

describeWithKafkaAndMongo('distributed adapters', () => {
  const database = uniqueName('restart');
  const prefix = `${uniqueName('restart')}.`;
  restartScenario('Kafka and MongoDB (FerretDB)', 'distributed', () =>
    configFor({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      MONGODB_URI: mongoUri(),
      MONGODB_DATABASE: database,
      TERMLINE_TOPIC_PREFIX: prefix,
    }),
  );
});
