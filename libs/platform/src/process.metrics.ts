import { Logger } from '@nestjs/common';
import { onDatabaseRoundTrip, type QuarantineStore } from '@termline/eventstore';
import { onConsumedBatch, type MessageBus } from '@termline/messaging';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A consumer group and the topic it reads, whose lag is sampled. */
export interface LaggingGroup {
  groupId: string;
  topic: string;
}

export interface ProcessMetricsSources {
  bus: MessageBus;
  quarantine: QuarantineStore;
  groups: readonly LaggingGroup[];
  /** How often the consumer lag is asked of the broker (or the message log). */
  lagIntervalMs?: number;
}

const DEFAULT_LAG_INTERVAL_MS = 5_000;

/**
 * What an operator needs to see where fetches are and why they are slow, for this process, on its own registry:
 * database round trips by store and operation, the sizes of the batches the consumers take, how far each consumer
 * group is behind per topic and partition (sampled on a timer, never per request), and the parked messages.
 * The gateway serves it beside its HTTP metrics; a worker serves it on METRICS_PORT.
 */
export class ProcessMetrics {
  readonly registry = new Registry();
  readonly roundTrips = new Counter({
    name: 'termline_db_round_trips_total',
    help: 'Database round trips of this process by store (mongodb, sqlite) and operation kind',
    labelNames: ['store', 'operation'] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'termline_consumer_batch_size',
    help: 'Messages per batch taken by a consumer group from a topic',
    labelNames: ['group', 'topic'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: 'termline_consumer_lag_messages',
    help: 'Messages published but not yet committed by a consumer group, per topic and partition (sampled)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });
  readonly lagSampledAt = new Gauge({
    name: 'termline_consumer_lag_sampled_timestamp_seconds',
    help: 'When the consumer lag was last sampled',
    registers: [this.registry],
  });
  readonly quarantined: Gauge<'kind'>;

  private readonly stops: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> | null = null;
  private readonly logger = new Logger(ProcessMetrics.name);

  constructor(private readonly sources: ProcessMetricsSources) {
    const { quarantine } = sources;
    this.quarantined = new Gauge({
      name: 'termline_quarantined_messages',
      help: 'Messages parked in the quarantine store, waiting for an admin to replay them, by kind',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      // Read at scrape time (one count per scrape, never per message), so that it counts what every process of
      // the installation parked. An unreadable store must not take the other metrics down: the last value stays.
      async collect() {
        const counts = await quarantine.countParked().catch(() => null);
        for (const [kind, count] of Object.entries(counts ?? {})) this.set({ kind }, count);
      },
    });
    this.stops.push(
      onDatabaseRoundTrip((store, operation) => this.roundTrips.inc({ store, operation })),
      onConsumedBatch((batch) =>
        this.batchSize.observe({ group: batch.groupId, topic: batch.topic }, batch.size),
      ),
    );
  }

  /** Samples the lag every interval, until stop(); not at once, while the consumers are still creating topics. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // One sample at a time: a slow broker must not pile up requests.
      this.sampling ??= this.sampleLag().finally(() => {
        this.sampling = null;
      });
    }, this.sources.lagIntervalMs ?? DEFAULT_LAG_INTERVAL_MS);
    this.timer.unref();
  }

  /** Asks the bus how far each group is behind; a failure leaves the last sample and is logged at debug. */
  async sampleLag(): Promise<void> {
    for (const { groupId, topic } of this.sources.groups) {
      try {
        for (const partition of await this.sources.bus.consumerLag(groupId, topic))
          this.lag.set({ group: groupId, topic, partition: String(partition.partition) }, partition.lag);
      } catch (error) {
        // A topic not created yet, a broker restarting: the next sample will tell.
        this.logger.debug(`Consumer lag of ${groupId} unknown: ${(error as Error).message}`);
      }
    }
    this.lagSampledAt.set(Date.now() / 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const stop of this.stops.splice(0)) stop();
    await this.sampling?.catch(() => undefined);
  }
}

/**
 * The metrics endpoint of a worker (versioning, projection), which has no HTTP server of its own: GET /metrics on
 * its own port, with the Node process metrics beside the process metrics.
 */
export async function serveWorkerMetrics(
  metrics: ProcessMetrics,
  host: string,
  port: number,
): Promise<Server> {
  const nodeMetrics = new Registry();
  collectDefaultMetrics({ register: nodeMetrics, prefix: 'termline_' });
  const registry = Registry.merge([nodeMetrics, metrics.registry]);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
