import {
  connectMongo,
  MongoQuarantineStore,
  SqliteQuarantineStore,
  type QuarantineStore,
} from '@termline/eventstore';
import {
  KafkaMessageBus,
  silentConsumerLogger,
  SqliteMessageBus,
  type MessageBus,
} from '@termline/messaging';
import {
  describeWithKafkaAndMongo,
  eventually,
  kafkaBrokers,
  mongoUri,
  tempDir,
  uniqueName,
} from '@termline/testing';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ProcessMetrics, serveWorkerMetrics } from './process.metrics';

/** The value of one series in a Prometheus text answer (labels in the order prom-client writes them). */
function valueOf(text: string, series: string): number | null {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

/** Publishes `count` messages, then has a group consume them; resolves once they are all handled. */
async function publishAndConsume(bus: MessageBus, topic: string, groupId: string, count: number) {
  await bus.ensureTopics([topic]);
  await bus.publish(
    topic,
    Array.from({ length: count }, (_, i) => ({ key: `doc-${i % 3}`, value: String(i) })),
  );
  return {
    consume: async () => {
      let handled = 0;
      const subscription = await bus.subscribe({
        groupId,
        topic,
        handler: () => {
          handled += 1;
          return Promise.resolve();
        },
      });
      await eventually(() => Promise.resolve(handled >= count ? true : undefined));
      return subscription;
    },
  };
}

describe('ProcessMetrics on the embedded adapters', () => {
  const dir = tempDir('termline-metrics-int-');
  let bus: SqliteMessageBus;
  let quarantine: QuarantineStore;
  let metrics: ProcessMetrics;
  beforeEach(() => {
    bus = new SqliteMessageBus(join(dir.path, `${uniqueName('m')}.sqlite`), {
      pollIntervalMs: 20,
      policy: { logger: silentConsumerLogger },
    });
    quarantine = new SqliteQuarantineStore(join(dir.path, `${uniqueName('q')}.sqlite`));
  });
  afterEach(async () => {
    await metrics?.stop();
    await bus.close();
    await quarantine.close();
  });
  afterAll(() => dir.remove());

  it('counts lag, batches, statements and parked messages, and serves them on a worker port', async () => {
    metrics = new ProcessMetrics({ bus, quarantine, groups: [{ groupId: 'g.one', topic: 'log.facts.v1' }] });
    const { consume } = await publishAndConsume(bus, 'log.facts.v1', 'g.one', 7);

    await metrics.sampleLag();
    const before = await metrics.registry.metrics();
    expect(
      valueOf(before, 'termline_consumer_lag_messages{group="g.one",topic="log.facts.v1",partition="0"}'),
    ).toBe(7);

    const subscription = await consume();
    await metrics.sampleLag();
    await quarantine.park({
      id: 'fetch-1',
      kind: 'FetchQuarantined',
      groupId: 'g.one',
      topic: 'log.facts.v1',
      partition: 0,
      offset: '3',
      key: 'doc-0',
      value: '3',
      headers: {},
      fetchId: 'f-1',
      documentId: 'doc-0',
      error: { name: 'Error', message: 'boom' },
      attempts: 3,
      firstFailedAt: '2026-03-01T10:00:00.000Z',
      quarantinedAt: '2026-03-01T10:00:01.000Z',
    });
    const server = await serveWorkerMetrics(metrics, '127.0.0.1', 0);
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(answer.status).toBe(200);
      const text = await answer.text();

      expect(
        valueOf(text, 'termline_consumer_lag_messages{group="g.one",topic="log.facts.v1",partition="0"}'),
      ).toBe(0);
      // Seven messages in one or more batches, every one of them counted once.
      expect(valueOf(text, 'termline_consumer_batch_size_sum{group="g.one",topic="log.facts.v1"}')).toBe(7);
      expect(
        valueOf(text, 'termline_consumer_batch_size_count{group="g.one",topic="log.facts.v1"}'),
      ).toBeGreaterThanOrEqual(1);
      // The quarantine store is SQLite: its insert went through the counted statements.
      expect(
        valueOf(text, 'termline_db_round_trips_total{store="sqlite",operation="insert"}'),
      ).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, 'termline_quarantined_messages{kind="FetchQuarantined"}')).toBe(1);
      expect(valueOf(text, 'termline_quarantined_messages{kind="ProjectionFailed"}')).toBe(0);
      expect(text).toMatch(/^termline_process_cpu_seconds_total /m);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
      await subscription.stop();
    }
  }, 30_000);

  it('stops counting once stopped', async () => {
    metrics = new ProcessMetrics({ bus, quarantine, groups: [] });
    await metrics.stop();
    await quarantine.countParked();
    expect(
      valueOf(
        await metrics.registry.metrics(),
        'termline_db_round_trips_total{store="sqlite",operation="select"}',
      ),
    ).toBeNull();
  });
});

describeWithKafkaAndMongo('ProcessMetrics on Kafka and MongoDB', () => {
  it('samples the lag of every partition from the broker and counts MongoDB commands by kind', async () => {
    const bus = new KafkaMessageBus({
      brokers: kafkaBrokers(),
      clientId: 'termline-metrics-int',
      logLevel: 'error',
      policy: { logger: silentConsumerLogger },
    });
    const connection = await connectMongo(mongoUri(), uniqueName('metrics'));
    const quarantine = await MongoQuarantineStore.open(connection.db);
    const topic = uniqueName('metrics.facts');
    const groupId = uniqueName('metrics.group');
    const metrics = new ProcessMetrics({ bus, quarantine, groups: [{ groupId, topic }] });
    try {
      const { consume } = await publishAndConsume(bus, topic, groupId, 12);
      const lagOf = (text: string) =>
        [0, 1, 2].map((partition) =>
          valueOf(
            text,
            `termline_consumer_lag_messages{group="${groupId}",topic="${topic}",partition="${partition}"}`,
          ),
        );
      // A group the broker has just heard of may have no coordinator yet ("not the correct coordinator"): the lag
      // is unknown (no series) until one is elected, so sample until every partition has one.
      const before = await eventually(async () => {
        await metrics.sampleLag();
        const lags = lagOf(await metrics.registry.metrics());
        return lags.every((lag) => lag !== null) ? lags : undefined;
      });
      // Three partitions, nothing committed yet: together they hold the twelve messages.
      expect(before.reduce((a, b) => a + b, 0)).toBe(12);

      const subscription = await consume();
      // Offsets are committed at the end of a batch: the lag reaches zero once they are.
      await eventually(async () => {
        await metrics.sampleLag();
        return lagOf(await metrics.registry.metrics()).every((lag) => lag === 0) ? true : undefined;
      });
      await subscription.stop();

      await quarantine.countParked();
      const text = await metrics.registry.metrics();
      // countDocuments is an aggregate command on the wire: two kinds counted, two commands.
      expect(
        valueOf(text, 'termline_db_round_trips_total{store="mongodb",operation="aggregate"}'),
      ).toBeGreaterThanOrEqual(2);
      expect(valueOf(text, `termline_consumer_batch_size_sum{group="${groupId}",topic="${topic}"}`)).toBe(12);
      expect(valueOf(text, 'termline_quarantined_messages{kind="FetchQuarantined"}')).toBe(0);
    } finally {
      await metrics.stop();
      await bus.close();
      await connection.db.dropDatabase();
      await connection.close();
    }
  }, 90_000);
});
