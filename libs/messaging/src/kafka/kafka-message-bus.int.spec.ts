import { connect, Socket } from 'node:net';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
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
  it('sends concurrent publishes together, each resolved once sent, in call order on each partition', async () => {
    const bus = newBus();
    const topic = uniqueName('kafka.outbox');
    await bus.ensureTopics([topic]);
    const sendBatch = jest.fn();
    // The first publish connects the producer; the ones made meanwhile wait and go as one request after it.
    await bus.publish(topic, [{ key: 'doc-0', value: 'warm-up' }]);
    const producer = await (
      bus as unknown as { producer: Promise<{ sendBatch: (...a: unknown[]) => unknown }> }
    ).producer;
    const original = producer.sendBatch.bind(producer);
    producer.sendBatch = (...args: unknown[]) => {
      sendBatch(...args);
      return original(...args);
    };
    const calls = Array.from({ length: 40 }, (_, i) =>
      bus.publish(topic, [{ key: `doc-${i % 4}`, value: `m-${i}` }]),
    );
    await Promise.all(calls);
    expect(sendBatch.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(sendBatch.mock.calls.length).toBeLessThan(calls.length);

    const received: IncomingMessage[] = [];
    await bus.subscribe({
      groupId: uniqueName('kafka.outbox'),
      topic,
      handler: (message) => {
        received.push(message);
        return Promise.resolve();
      },
    });
    await eventually(() => Promise.resolve(received.length === 41 ? true : undefined));
    for (let key = 0; key < 4; key += 1) {
      const values = received
        .filter((m) => m.key === `doc-${key}` && m.value !== 'warm-up')
        .map((m) => m.value);
      expect(values).toEqual(Array.from({ length: 10 }, (_, n) => `m-${n * 4 + key}`));
    }
  });

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

  it('loses no message sent after a send whose answer was lost although the broker wrote it', async () => {
    // The broker's answer to one produce request never reaches kafkajs (the broker dies at that instant): the
    // connection drops once the answer is on its way, and connecting again is refused until kafkajs gives up.
    const cut = { armed: false, refusing: false };
    const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
      if (cut.refusing) {
        const refused = new Socket();
        setImmediate(() =>
          refused.destroy(
            Object.assign(new Error(`connect ECONNREFUSED ${host}:${port}`), { code: 'ECONNREFUSED' }),
          ),
        );
        return refused;
      }
      const socket = connect({ host, port }, onConnect);
      let swallowing = false;
      const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
      socket.write = (chunk: unknown, ...rest: unknown[]) => {
        // A request is its length (int32) then its API key (int16): 0 is Produce.
        if (cut.armed && Buffer.isBuffer(chunk) && chunk.length > 6 && chunk.readInt16BE(4) === 0) {
          cut.armed = false;
          swallowing = true;
        }
        return write(chunk, ...rest);
      };
      const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
      socket.emit = ((event: string | symbol, ...args: unknown[]) => {
        if (swallowing && event === 'data') {
          // The broker has answered, so it wrote the batch: the answer is dropped with the connection.
          swallowing = false;
          cut.refusing = true;
          socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
          return true;
        }
        return emit(event, ...args);
      }) as typeof socket.emit;
      return socket;
    };
    const producing = new KafkaMessageBus({
      brokers: kafkaBrokers(),
      clientId: 'termline-messaging-int-cut',
      logLevel: 'nothing',
      policy: { logger: silentConsumerLogger },
      transport: { socketFactory, retries: 1 },
    });
    buses.push(producing);
    const topic = uniqueName('kafka.lost-answer');
    await newBus().ensureTopics([topic]);
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const written = async () =>
      (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
    try {
      await producing.publish(topic, [{ key: 'doc', value: 'first' }]);
      cut.armed = true;
      await expect(producing.publish(topic, [{ key: 'doc', value: 'answer lost' }])).rejects.toThrow();
      cut.refusing = false;
      // The failed send was written all the same: what the caller sends next must not be taken for it.
      expect(await written()).toBe(2);

      // kafkajs rolled its sequence number back: the same producer would send this one under the number the broker
      // has just written, and the broker would acknowledge it as a duplicate without writing it.
      await producing.publish(topic, [{ key: 'doc', value: 'next' }]);
      expect(await written()).toBe(3);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
