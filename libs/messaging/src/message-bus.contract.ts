import { eventually, uniqueName } from '@termline/testing';
import { InvalidMessageError, TransientError, type ParkedMessage } from './consume-with-policy';
import type {
  IncomingMessage,
  MessageBus,
  MessageHandler,
  OutgoingMessage,
  Subscription,
} from './message-bus.port';
import { dlqTopic } from './topics';

/**
 * The guarantees of the MessageBus port, run against every adapter (embedded SQLite, Kafka).
 *
 * `makeBus` gives a new bus on the SAME storage at each call (one SQLite file, one broker): that is how a spec
 * closes a bus and "restarts". Each spec uses its own topics and groups, so sharing the storage is safe.
 */
export interface BusUnderTest {
  bus: MessageBus;
  cleanup(): Promise<void>;
}

const TIMEOUT_MS = 60_000;

/** Long enough for a message that should not come to arrive if it were coming. */
const QUIET_PERIOD_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function messageBusContract(name: string, makeBus: () => Promise<BusUnderTest>): void {
  describe(`MessageBus contract: ${name}`, () => {
    const open: BusUnderTest[] = [];
    const subscriptions: Subscription[] = [];

    const newBus = async (): Promise<MessageBus> => {
      const made = await makeBus();
      open.push(made);
      return made.bus;
    };

    const newTopic = async (bus: MessageBus, label: string): Promise<string> => {
      const topic = uniqueName(`contract.${label}`);
      await bus.ensureTopics([topic]);
      return topic;
    };

    /** Subscribes and collects what the handler accepted; the handler may throw to test the policy. */
    const collect = async (
      bus: MessageBus,
      topic: string,
      groupId: string,
      behaviour: (message: IncomingMessage) => Promise<void> = () => Promise.resolve(),
    ) => {
      const received: IncomingMessage[] = [];
      const handler: MessageHandler = async (message) => {
        await behaviour(message);
        received.push(message);
      };
      const subscription = await bus.subscribe({ groupId, topic, handler });
      subscriptions.push(subscription);
      const receivedAtLeast = (count: number) =>
        eventually(() => Promise.resolve(received.length >= count ? received : undefined), TIMEOUT_MS / 2);
      return { received, subscription, receivedAtLeast };
    };

    const messages = (
      prefix: string,
      count: number,
      key = (i: number) => `doc-${i % 3}`,
    ): OutgoingMessage[] =>
      Array.from({ length: count }, (_, i) => ({ key: key(i), value: `${prefix}-${i}` }));

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      for (const made of open.splice(0)) await made.cleanup();
    }, TIMEOUT_MS);

    it(
      'delivers a published message with its key, value and headers',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'roundtrip');
        const { received, receivedAtLeast } = await collect(bus, topic, uniqueName('contract.roundtrip'));

        await bus.publish(topic, [
          { key: 'doc-1', value: '{"documentId":"doc-1"}', headers: { 'x-correlation-id': 'corr-1' } },
        ]);

        await receivedAtLeast(1);
        expect(received).toHaveLength(1);
        expect(received[0]).toMatchObject({
          topic,
          key: 'doc-1',
          value: '{"documentId":"doc-1"}',
          headers: { 'x-correlation-id': 'corr-1' },
        });
        expect(typeof received[0]?.partition).toBe('number');
        expect(received[0]?.offset).toMatch(/^\d+$/);
      },
      TIMEOUT_MS,
    );

    it(
      'carries a message as large as the largest accepted snapshot (base64 of 20 MB)',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'large');
        const { received, receivedAtLeast } = await collect(bus, topic, uniqueName('contract.large'));
        const value = JSON.stringify({ content: 'A'.repeat(28 * 1024 * 1024) });
        await bus.publish(topic, [{ key: 'doc-big', value }]);
        await receivedAtLeast(1);
        expect(received[0]?.value.length).toBe(value.length);
        expect(received[0]?.value === value).toBe(true);
      },
      TIMEOUT_MS,
    );

    it(
      'keeps the order of messages with the same key',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'order');
        const { received, receivedAtLeast } = await collect(bus, topic, uniqueName('contract.order'));

        const all = messages('m', 200, (i) => `doc-${i % 5}`).map((message, i) => ({
          ...message,
          value: String(i),
        }));
        for (let start = 0; start < all.length; start += 40)
          await bus.publish(topic, all.slice(start, start + 40));

        await receivedAtLeast(200);
        expect(received).toHaveLength(200);
        for (let k = 0; k < 5; k += 1) {
          const values = received
            .filter((message) => message.key === `doc-${k}`)
            .map((message) => Number(message.value));
          expect(values).toEqual(all.map((_, i) => i).filter((i) => i % 5 === k));
        }
      },
      TIMEOUT_MS,
    );

    it(
      'resumes a group after a restart from its last commit, without delivering committed messages again',
      async () => {
        const groupId = uniqueName('contract.resume');
        const first = await newBus();
        const topic = await newTopic(first, 'resume');
        const before = await collect(first, topic, groupId);
        await first.publish(topic, messages('before', 10));
        await before.receivedAtLeast(10);
        await before.subscription.stop();
        await first.close();

        const second = await newBus();
        await second.publish(topic, messages('after', 5));
        const after = await collect(second, topic, groupId);

        await after.receivedAtLeast(5);
        await pause(QUIET_PERIOD_MS);
        expect(before.received.map((message) => message.value).sort()).toEqual(
          messages('before', 10)
            .map((message) => message.value)
            .sort(),
        );
        expect(after.received.map((message) => message.value).sort()).toEqual(
          messages('after', 5)
            .map((message) => message.value)
            .sort(),
        );
      },
      TIMEOUT_MS,
    );

    it(
      'hands runs of messages to a batch handler in order, and one by one to the handler when a run is refused',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'batch');
        const groupId = uniqueName('contract.batch');
        const all = messages('m', 60, (i) => `doc-${i % 4}`).map((message, i) => ({
          ...message,
          value: String(i),
        }));
        // Published before subscribing, so that the consumer finds runs of several messages waiting.
        await bus.publish(topic, all.slice(0, 30));
        const batches: string[][] = [];
        const singles: string[] = [];
        const handled: IncomingMessage[] = [];
        const subscription = await bus.subscribe({
          groupId,
          topic,
          handler: (message) => {
            singles.push(message.value);
            handled.push(message);
            return Promise.resolve();
          },
          batchHandler: (run) => {
            batches.push(run.map((message) => message.value));
            // A run holding message 7 is refused: its messages go through the handler instead.
            if (run.some((message) => message.value === '7')) return Promise.reject(new Error('not as one'));
            handled.push(...run);
            return Promise.resolve();
          },
        });
        subscriptions.push(subscription);
        const handledAll = (count: number) =>
          eventually(() => Promise.resolve(handled.length >= count ? handled : undefined), TIMEOUT_MS / 2);
        await handledAll(30);
        await bus.publish(topic, all.slice(30));
        await handledAll(60);
        expect(singles).toContain('7');
        // The second publication arrives as runs, handled as such.
        expect(batches.some((run) => run.length > 1 && run.every((value) => Number(value) >= 30))).toBe(true);
        expect(singles.filter((value) => Number(value) >= 30).length).toBeLessThan(30);
        expect(handled.map((message) => message.value).sort()).toEqual(
          all.map((message) => message.value).sort(),
        );
        for (let k = 0; k < 4; k += 1) {
          const values = handled.filter((message) => message.key === `doc-${k}`).map((m) => Number(m.value));
          expect(values).toEqual(all.map((_, i) => i).filter((i) => i % 4 === k));
        }
        // Committed after each run: a restarted member of the group gets nothing again.
        await subscription.stop();
        const again = await collect(await newBus(), topic, groupId);
        await pause(QUIET_PERIOD_MS);
        expect(again.received).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      'delivers every message to each group',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'groups');
        await bus.publish(topic, messages('m', 20));
        const projection = await collect(bus, topic, uniqueName('contract.projection'));
        const notifier = await collect(bus, topic, uniqueName('contract.notifier'));

        await projection.receivedAtLeast(20);
        await notifier.receivedAtLeast(20);
        await pause(QUIET_PERIOD_MS / 2);
        const sent = messages('m', 20)
          .map((message) => message.value)
          .sort();
        expect(projection.received.map((message) => message.value).sort()).toEqual(sent);
        expect(notifier.received.map((message) => message.value).sort()).toEqual(sent);
      },
      TIMEOUT_MS,
    );

    it(
      'sends an invalid message to the dead-letter topic with the reason, and goes on',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'invalid');
        const seenOffsets = new Map<string, IncomingMessage>();
        const main = await collect(bus, topic, uniqueName('contract.invalid'), (message) => {
          seenOffsets.set(message.value, message);
          return message.value === 'bad'
            ? Promise.reject(new InvalidMessageError('missing documentId', { code: 'E_SCHEMA' }))
            : Promise.resolve();
        });
        const deadLetters = await collect(bus, dlqTopic(topic), uniqueName('contract.invalid-dlq'));

        await bus.publish(topic, [
          { key: 'doc-1', value: 'good-1' },
          { key: 'doc-1', value: 'bad', headers: { 'x-correlation-id': 'corr-bad' } },
          { key: 'doc-1', value: 'good-2' },
        ]);

        await main.receivedAtLeast(2);
        await deadLetters.receivedAtLeast(1);
        expect(main.received.map((message) => message.value)).toEqual(['good-1', 'good-2']);
        const original = seenOffsets.get('bad');
        expect(deadLetters.received).toHaveLength(1);
        const deadLetter = deadLetters.received[0];
        expect(deadLetter).toMatchObject({
          topic: dlqTopic(topic),
          key: 'doc-1',
          value: 'bad',
          headers: {
            'x-correlation-id': 'corr-bad',
            'x-dlq-reason': 'missing documentId',
            'x-dlq-code': 'E_SCHEMA',
            'x-original-topic': topic,
            'x-original-partition': String(original?.partition),
            'x-original-offset': original?.offset,
          },
        });
        const failedAt = deadLetter?.headers['x-failed-at'] ?? '';
        expect(new Date(failedAt).toISOString()).toBe(failedAt);
      },
      TIMEOUT_MS,
    );

    it(
      'retries a transient failure until the handler succeeds, and dead-letters nothing',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'transient');
        let attempts = 0;
        const main = await collect(bus, topic, uniqueName('contract.transient'), () => {
          attempts += 1;
          return attempts <= 2 ? Promise.reject(new TransientError('store unavailable')) : Promise.resolve();
        });

        await bus.publish(topic, [{ key: 'doc-7', value: 'flaky' }]);

        await main.receivedAtLeast(1);
        expect(attempts).toBe(3);
        expect(main.received.map((message) => message.value)).toEqual(['flaky']);

        // Nothing reached the dead-letter topic: a marker published there after the fact, with the same key (same
        // partition, so ordered after anything dead-lettered before it), is the first and only message.
        const deadLetters = await collect(bus, dlqTopic(topic), uniqueName('contract.transient-dlq'));
        await bus.publish(dlqTopic(topic), [{ key: 'doc-7', value: 'marker' }]);
        await deadLetters.receivedAtLeast(1);
        expect(deadLetters.received.map((message) => message.value)).toEqual(['marker']);
      },
      TIMEOUT_MS,
    );

    it(
      'parks a message that fails unexpectedly at every attempt and moves on to the next ones of the same key',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'poison');
        const groupId = uniqueName('contract.poison');
        const parked: ParkedMessage[] = [];
        let poisonAttempts = 0;
        const received: string[] = [];
        const subscription = await bus.subscribe({
          groupId,
          topic,
          handler: (message) => {
            if (message.value === 'poison') {
              poisonAttempts += 1;
              return Promise.reject(new RangeError('Maximum call stack size exceeded'));
            }
            received.push(message.value);
            return Promise.resolve();
          },
          park: (record) => {
            parked.push(record);
            return Promise.resolve();
          },
        });
        subscriptions.push(subscription);

        await bus.publish(topic, [
          { key: 'doc-1', value: 'first' },
          { key: 'doc-1', value: 'poison' },
          { key: 'doc-1', value: 'last' },
        ]);

        await eventually(() => Promise.resolve(received.length >= 2 ? received : undefined), TIMEOUT_MS / 2);
        expect(received).toEqual(['first', 'last']);
        expect(poisonAttempts).toBe(3);
        expect(parked).toHaveLength(1);
        expect(parked[0]).toMatchObject({
          groupId,
          attempts: 3,
          message: { topic, key: 'doc-1', value: 'poison' },
          error: { name: 'RangeError', message: 'Maximum call stack size exceeded' },
        });
        // The parked message was committed: a restart does not meet it again.
        await subscription.stop();
        const restarted = await collect(bus, topic, groupId);
        await bus.publish(topic, [{ key: 'doc-1', value: 'after-restart' }]);
        await restarted.receivedAtLeast(1);
        await pause(QUIET_PERIOD_MS / 2);
        expect(restarted.received.map((message) => message.value)).toEqual(['after-restart']);
        await expect(Promise.race([subscription.failed, pause(10).then(() => 'alive')])).resolves.toBe(
          'alive',
        );
      },
      TIMEOUT_MS,
    );

    it(
      'without a park hook, parks the poison message on the dead-letter topic, marked quarantined',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'poison-dlq');
        const main = await collect(bus, topic, uniqueName('contract.poison-dlq'), (message) =>
          message.value === 'poison' ? Promise.reject(new TypeError('handler bug')) : Promise.resolve(),
        );
        const deadLetters = await collect(bus, dlqTopic(topic), uniqueName('contract.poison-dlq-dlq'));

        await bus.publish(topic, [
          { key: 'doc-1', value: 'poison' },
          { key: 'doc-1', value: 'last' },
        ]);

        await main.receivedAtLeast(1);
        await deadLetters.receivedAtLeast(1);
        expect(main.received.map((message) => message.value)).toEqual(['last']);
        expect(deadLetters.received[0]).toMatchObject({
          value: 'poison',
          headers: { 'x-dlq-kind': 'quarantined', 'x-dlq-attempts': '3', 'x-dlq-reason': 'handler bug' },
        });
      },
      TIMEOUT_MS,
    );

    it(
      'creates topics with their dead-letter twins, and creating them again changes nothing',
      async () => {
        const bus = await newBus();
        const topic = await newTopic(bus, 'ensure');
        await bus.publish(topic, [{ key: 'doc-1', value: 'kept' }]);

        await bus.ensureTopics([topic]);
        const other = await newBus();
        await other.ensureTopics([topic, dlqTopic(topic)]);

        await other.publish(dlqTopic(topic), [{ key: 'doc-1', value: 'dead' }]);
        const main = await collect(other, topic, uniqueName('contract.ensure'));
        const deadLetters = await collect(other, dlqTopic(topic), uniqueName('contract.ensure-dlq'));
        await main.receivedAtLeast(1);
        await deadLetters.receivedAtLeast(1);
        expect(main.received.map((message) => message.value)).toEqual(['kept']);
        expect(deadLetters.received.map((message) => message.value)).toEqual(['dead']);
      },
      TIMEOUT_MS,
    );

    it(
      'refuses to publish to a topic that was not created',
      async () => {
        const bus = await newBus();
        await expect(bus.publish(uniqueName('contract.missing'), [{ key: 'k', value: 'v' }])).rejects.toThrow(
          /unknown topic/i,
        );
      },
      TIMEOUT_MS,
    );
  });
}
