import {
  MongoEventStore,
  MongoSnapshotStore,
  SqliteEventStore,
  SqliteSnapshotStore,
} from '@termline/eventstore';
import { MongoReadModelStore, SqliteReadModelStore } from '@termline/readmodels';
import { Collection } from 'mongodb';
import { Kafka } from 'kafkajs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { IngestService } from '@termline/gateway';
import { DocumentEventsConsumer, TimelineProjector } from '@termline/projection';
import {
  DocumentEventsPublisher,
  FetchConsumer,
  RecordFetchHandler,
  TextEngineExtractor,
} from '@termline/versioning';
import { percentile } from './replay-plan';

/**
 * Where the time of a fetch goes (BENCH_PROFILE=1): wall-clock timers wrapped around the prototypes of the
 * stages (gateway, versioning, projection), of every MongoDB collection call and of every Kafka send. Nothing in
 * the apps changes; the wrappers are removed when the mode ends. Stages nest, so their times overlap: a stage's
 * time includes the MongoDB calls it makes.
 *
 * Experiments (BENCH_EXPERIMENT_*) change how kafkajs is driven, the same way and only here, to measure what a
 * change of the message bus would buy before anyone makes it.
 */

export interface TimerSummary {
  count: number;
  totalMs: number;
  meanMs: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

const round = (value: number) => Math.round(value * 10) / 10;

export class StageTimers {
  private readonly samples = new Map<string, number[]>();

  record(name: string, ms: number): void {
    let list = this.samples.get(name);
    if (!list) {
      list = [];
      this.samples.set(name, list);
    }
    list.push(ms);
  }

  summary(): Record<string, TimerSummary> {
    const result: Record<string, TimerSummary> = {};
    for (const [name, list] of [...this.samples].sort(([a], [b]) => a.localeCompare(b))) {
      const total = list.reduce((sum, ms) => sum + ms, 0);
      result[name] = {
        count: list.length,
        totalMs: Math.round(total),
        meanMs: round(total / list.length),
        p50Ms: round(percentile(list, 50) ?? 0),
        p99Ms: round(percentile(list, 99) ?? 0),
      };
    }
    return result;
  }
}

const driver = new AsyncLocalStorage<true>();

/** Runs the bench driver's own reads (the visibility poller) so that their MongoDB calls are timed apart. */
export const asBenchDriver = <T>(work: () => Promise<T>): Promise<T> => driver.run(true, work);

/** Whether the code running now is the bench driver's (inside asBenchDriver), not the system's. */
export const isBenchDriver = (): boolean => driver.getStore() === true;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type Prototype = Record<string, unknown>;

/** Wraps `target[method]` with a timer named by `name(this)`; returns the undo. */
function wrap(
  target: Prototype,
  method: string,
  name: (self: unknown, args: unknown[]) => string,
  timers: StageTimers,
): () => void {
  const original = target[method];
  if (typeof original !== 'function') return () => undefined;
  const timed = function (this: unknown, ...args: unknown[]): unknown {
    const started = performance.now();
    const label = driver.getStore() ? `bench.${name(this, args)}` : name(this, args);
    const done = () => timers.record(label, performance.now() - started);
    const result = (original as AnyFunction).apply(this, args);
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          done();
          return value as unknown;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      );
    }
    done();
    return result;
  };
  target[method] = timed;
  return () => {
    target[method] = original;
  };
}

const collectionName = (self: unknown): string => (self as { collectionName?: string }).collectionName ?? '?';
const READ_MODEL_METHODS = [
  'getCheckpoint',
  'setCheckpoint',
  'getDocument',
  'putDocument',
  'listDocuments',
  'putVersion',
  'getVersion',
  'putTimelineEntry',
  'getTimelineEntry',
  'putObservation',
];

export interface ExperimentSettings {
  /** kafkajs partitionsConsumedConcurrently for every consumer (the bus uses 1). */
  partitionsConsumedConcurrently: number | null;
  /** Partitions of the topics the bus creates (the bus uses 3). */
  topicPartitions: number | null;
}

export function experimentsFromEnv(env: NodeJS.ProcessEnv = process.env): ExperimentSettings {
  const int = (name: string) => (env[name] ? Number(env[name]) : null);
  return {
    partitionsConsumedConcurrently: int('BENCH_EXPERIMENT_PARTITIONS_CONCURRENTLY'),
    topicPartitions: int('BENCH_EXPERIMENT_TOPIC_PARTITIONS'),
  };
}

/** Applies the experiments to kafkajs (clients created afterwards); returns the undo. */
export function applyExperiments(settings: ExperimentSettings): () => void {
  const undo: Array<() => void> = [];
  const kafka = Kafka.prototype as unknown as Prototype;
  if (settings.partitionsConsumedConcurrently !== null) {
    const concurrency = settings.partitionsConsumedConcurrently;
    const original = kafka.consumer as AnyFunction;
    kafka.consumer = function (this: unknown, ...args: unknown[]) {
      const consumer = original.apply(this, args) as {
        run: (config: Record<string, unknown>) => Promise<void>;
      };
      const run = consumer.run.bind(consumer);
      consumer.run = (config) => run({ ...config, partitionsConsumedConcurrently: concurrency });
      return consumer;
    };
    undo.push(() => {
      kafka.consumer = original;
    });
  }
  if (settings.topicPartitions !== null) {
    const partitions = settings.topicPartitions;
    const original = kafka.admin as AnyFunction;
    kafka.admin = function (this: unknown, ...args: unknown[]) {
      const admin = original.apply(this, args) as {
        createTopics: (options: { topics: Array<Record<string, unknown>> }) => Promise<boolean>;
      };
      const createTopics = admin.createTopics.bind(admin);
      admin.createTopics = (options) =>
        createTopics({
          ...options,
          topics: options.topics.map((topic) => ({ ...topic, numPartitions: partitions })),
        });
      return admin;
    };
    undo.push(() => {
      kafka.admin = original;
    });
  }
  return () => undo.reverse().forEach((step) => step());
}

/** Installs the timers; returns the undo. Call before the app is created (producers are wrapped when made). */
export function instrument(timers: StageTimers): () => void {
  const proto = (type: { prototype: object }) => type.prototype as Prototype;
  const undo: Array<() => void> = [
    wrap(proto(IngestService), 'ingest', () => 'gateway.ingest', timers),
    wrap(proto(FetchConsumer), 'handle', () => 'versioning.handleMessage', timers),
    wrap(proto(RecordFetchHandler), 'execute', () => 'versioning.recordFetch', timers),
    wrap(proto(TextEngineExtractor), 'extract', () => 'versioning.extractText', timers),
    wrap(proto(DocumentEventsPublisher), 'publish', () => 'versioning.publishEvents', timers),
    wrap(proto(DocumentEventsConsumer), 'handle', () => 'projection.handleMessage', timers),
    wrap(proto(TimelineProjector), 'apply', () => 'projection.catchUp', timers),
    wrap(proto(TimelineProjector), 'diffWithPrevious', () => 'projection.diffWithPrevious', timers),
  ];
  // The ports, in both adapters: what each use of the event store and the read models costs.
  const ports: Array<[string, { prototype: object }, string[]]> = [
    ['eventstore', MongoEventStore, ['append', 'readStream', 'readCommit', 'lastVersion']],
    ['eventstore', SqliteEventStore, ['append', 'readStream', 'readCommit']],
    ['snapshots', MongoSnapshotStore, ['put', 'get']],
    ['snapshots', SqliteSnapshotStore, ['put', 'get']],
    ['readmodels', MongoReadModelStore, READ_MODEL_METHODS],
    ['readmodels', SqliteReadModelStore, READ_MODEL_METHODS],
  ];
  for (const [port, type, methods] of ports) {
    for (const method of methods) undo.push(wrap(proto(type), method, () => `${port}.${method}`, timers));
  }
  // Every MongoDB call by collection (findOne runs through the find cursor, so finds are left to the ports).
  for (const method of ['findOne', 'insertOne', 'replaceOne', 'updateOne', 'countDocuments']) {
    undo.push(wrap(proto(Collection), method, (self) => `mongo.${collectionName(self)}.${method}`, timers));
  }

  // Time from the gateway's publish to the versioning consumer picking the message up.
  const consumerHandle = proto(FetchConsumer).handle as AnyFunction;
  proto(FetchConsumer).handle = function (this: unknown, ...args: unknown[]) {
    const acceptedAt = (args[0] as { headers?: Record<string, string> }).headers?.['x-accepted-at'];
    if (acceptedAt) timers.record('kafka.fetchDeliveryLag', Math.max(0, Date.now() - Date.parse(acceptedAt)));
    return consumerHandle.apply(this, args);
  };
  undo.push(() => {
    proto(FetchConsumer).handle = consumerHandle;
  });

  const kafka = Kafka.prototype as unknown as Prototype;
  const producer = kafka.producer as AnyFunction;
  kafka.producer = function (this: unknown, ...args: unknown[]) {
    const made = producer.apply(this, args) as Prototype;
    wrap(
      made,
      'send',
      (_self, sendArgs) =>
        `kafka.send.${String((sendArgs[0] as { topic?: string }).topic).replace(/^.*?\.(?=[a-z]+\.[a-z-]+\.v\d+)/, '')}`,
      timers,
    );
    return made;
  };
  undo.push(() => {
    kafka.producer = producer;
  });
  return () => undo.reverse().forEach((step) => step());
}
