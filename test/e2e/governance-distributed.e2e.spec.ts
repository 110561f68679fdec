import { describeWithKafkaAndMongo, uniqueName } from '@termline/testing';
import { startDistributedSystem } from './distributed-system';
import { governanceScenarios } from './governance.scenarios';

describeWithKafkaAndMongo('distributed adapters', () => {
  const database = uniqueName('gov');
  governanceScenarios('Kafka and MongoDB (FerretDB)', () => startDistributedSystem(database));
});
