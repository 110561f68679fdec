import { describeWithKafka, eventually, kafkaBrokers, uniqueName } from '@termline/testing';
import { silentConsumerLogger } from '../consume-with-policy';
import { messageBusContract } from '../message-bus.contract';
import type { IncomingMessage } from '../message-bus.port';
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

describeWithKafka('KafkaMessageBus, Kafka only', () => {
  const buses: KafkaMessageBus[] = [];
  const newBus = () => {
    const bus = new KafkaMessageBus({
      brokers: kafkaBrokers(),
      clientId: 'termline-messaging-int',
      logLevel: 'error',
      policy: { logger: silentConsumerLogger },
    });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it('shares the partitions between two members of a group, which together see every message', async () => {
    const first = newBus();
    const second = newBus();
    const topic = uniqueName('kafka.members');
    const groupId = uniqueName('kafka.members');
    await first.ensureTopics([topic]);
    const seen = new Map<string, Set<number>>([
      ['first', new Set()],
      ['second', new Set()],
    ]);
    const handlerFor = (member: string) => (message: IncomingMessage) => {
      seen.get(member)?.add(message.partition);
      received.add(message.value);
      return Promise.resolve();
    };
    const received = new Set<string>();
    await first.subscribe({ groupId, topic, handler: handlerFor('first') });
    await second.subscribe({ groupId, topic, handler: handlerFor('second') });

    // Published in waves while the group settles, so that messages arrive before, during and after the rebalance.
    for (let wave = 0; wave < 10; wave += 1) {
      await first.publish(
        topic,
        Array.from({ length: 30 }, (_, i) => ({ key: `doc-${i}`, value: `${wave}-${i}` })),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await eventually(() => Promise.resolve(received.size >= 300 ? true : undefined), 30_000);
    expect(received.size).toBe(300);
    const firstPartitions = [...(seen.get('first') ?? [])];
    const secondPartitions = [...(seen.get('second') ?? [])];
    // After the rebalance each member owns partitions of its own (a partition may have moved once).
    expect(firstPartitions.length + secondPartitions.length).toBeGreaterThanOrEqual(3);
    expect(secondPartitions.length).toBeGreaterThan(0);
  }, 60_000);

  // Found by the fault suite: versioning and projection start together and create overlapping topics; the one
  // told "already exists" did not wait for the partitions' leaders, and its subscribe failed on an unknown partition.
  it('can subscribe at once after two buses created the same topics at the same moment', async () => {
    const first = newBus();
    const second = newBus();
    for (let round = 0; round < 12; round += 1) {
      const topic = uniqueName('kafka.race');
      await Promise.all([
        first.ensureTopics([topic]),
        second.ensureTopics([topic, uniqueName('kafka.race.other')]),
      ]);
      const subscription = await second.subscribe({
        groupId: uniqueName('kafka.race'),
        topic,
        handler: () => Promise.resolve(),
      });
      await first.publish(topic, [{ key: 'k', value: 'v' }]);
      await subscription.stop();
    }
  }, 120_000);
});
