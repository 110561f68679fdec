import { describeWithKafkaAndMongo, uniqueName } from '@termline/testing';
import { startDistributedSystem } from './distributed-system';
import { systemScenarios } from './system.scenarios';

describeWithKafkaAndMongo('distributed adapters', () => {
  const database = uniqueName('e2e');
  systemScenarios('Kafka and MongoDB (FerretDB)', () => startDistributedSystem(database));
});
