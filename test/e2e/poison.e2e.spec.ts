import { SqliteReadModelStore } from '@termline/readmodels';
import { describeWithKafkaAndMongo, kafkaBrokers, mongoUri, tempDir, uniqueName } from '@termline/testing';
import { join } from 'node:path';
import { poisonScenarios } from './poison.scenarios';
import { configFor, startSystem } from './system.scenarios';

const dir = tempDir('termline-poison-');
afterAll(() => dir.remove());

poisonScenarios('embedded mode (SQLite log)', () => {
  const config = configFor({ TERMLINE_DATA_DIR: dir.path });
  return startSystem('embedded', config, () =>
    Promise.resolve(new SqliteReadModelStore(join(dir.path, 'read-models.sqlite'), 'rm_rebuild_')),
  );
});

describeWithKafkaAndMongo('distributed adapters', () => {
  poisonScenarios('Kafka and MongoDB (FerretDB)', () => {
    const config = configFor({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      MONGODB_URI: mongoUri(),
      MONGODB_DATABASE: uniqueName('poison'),
      TERMLINE_TOPIC_PREFIX: `${uniqueName('poison')}.`,
    });
    return startSystem('distributed', config, () => Promise.reject(new Error('not used by these scenarios')));
  });
});
