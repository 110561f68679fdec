import { describeWithKafka, kafkaBrokers } from '@termline/testing';
import { silentConsumerLogger } from '../consume-with-policy';
import { messageBusContract } from '../message-bus.contract';
import { KafkaMessageBus } from './kafka-message-bus';

describeWithKafka('KafkaMessageBus', () => {
  // Every bus talks to the same broker, so a new bus is a restart.
  messageBusContract('Kafka', () => {
    const bus = new KafkaMessageBus({
      brokers: kafkaBrokers(),
      clientId: 'termline-messaging-int',
      logLevel: 'error',
      policy: { logger: silentConsumerLogger },
    });
    return Promise.resolve({ bus, cleanup: () => bus.close() });
  });
});
