import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Server } from 'node:http';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import {
  connectMongo,
  EVENT_STORE,
  MongoEventStore,
  MongoQuarantineStore,
  MongoSnapshotStore,
  QUARANTINE_STORE,
  SNAPSHOT_STORE,
  SqliteQuarantineStore,
  SqliteEventStore,
  SqliteSnapshotStore,
  type EventStore,
  type MongoConnection,
  type QuarantineStore,
  type SnapshotStore,
} from '@termline/eventstore';
import {
  KafkaMessageBus,
  MESSAGE_BUS,
  SqliteMessageBus,
  type ConsumerLogger,
  type MessageBus,
} from '@termline/messaging';
import {
  MongoReadModelStore,
  READ_MODEL_STORE,
  SqliteReadModelStore,
  type ReadModelStore,
} from '@termline/readmodels';
import { join } from 'node:path';
import { CLOCK, systemClock } from './clock';
import { exitOnFatal, ON_FATAL, type FatalHandler } from './fatal';
import { ProcessMetrics, serveWorkerMetrics } from './process.metrics';
import { CONSUMER_GROUPS, consumerGroupsFor, TOPICS, topicsFor } from './topics';
import { TEXT_WORK, TextWork } from './text-work/text-work';

export type Mode = 'embedded' | 'distributed';

/** Everything outside the process, behind its port: the only place that knows which adapters a mode uses. */
export interface Infrastructure {
  eventStore: EventStore;
  snapshotStore: SnapshotStore;
  readModels: ReadModelStore;
  bus: MessageBus;
  /** Messages the consumers parked after repeated unexpected failures, until an admin replays them. */
  quarantine: QuarantineStore;
  /** Read models in another namespace of the same store, e.g. a rebuild target. The caller closes it. */
  openReadModels: (namespace: string) => Promise<ReadModelStore>;
  close(): Promise<void>;
}

/**
 * The consumers' own lines (retries, dead letters, a batch left to the one-by-one path) through the application's
 * logger: structured like every other line, with the log context of the message being handled.
 */
function messagingLogger(): ConsumerLogger {
  const logger = new Logger('Messaging');
  return {
    debug: (message, details) => logger.debug(message, details),
    warn: (message, details) => logger.warn(message, details),
    error: (message, details) => logger.error(message, details),
  };
}

export async function openInfrastructure(mode: Mode, config: TermlineConfig): Promise<Infrastructure> {
  const policy = { logger: messagingLogger() };
  if (mode === 'embedded') {
    const file = (name: string) => join(config.dataDir, name);
    const eventStore = new SqliteEventStore(file('events.sqlite'));
    const snapshotStore = new SqliteSnapshotStore(file('snapshots.sqlite'));
    const readModels = new SqliteReadModelStore(file('read-models.sqlite'));
    const bus = new SqliteMessageBus(file('messages.sqlite'), { policy });
    const quarantine = new SqliteQuarantineStore(file('quarantine.sqlite'));
    return {
      eventStore,
      snapshotStore,
      readModels,
      bus,
      quarantine,
      openReadModels: (namespace) =>
        Promise.resolve(new SqliteReadModelStore(file('read-models.sqlite'), namespace)),
      close: async () => {
        await bus.close();
        await Promise.all([
          eventStore.close(),
          snapshotStore.close(),
          readModels.close(),
          quarantine.close(),
        ]);
      },
    };
  }
  const connection: MongoConnection = await connectMongo(config.mongoUri, config.mongoDatabase);
  const bus = new KafkaMessageBus({ brokers: config.kafkaBrokers, clientId: 'termline', policy });
  return {
    eventStore: await MongoEventStore.open(connection.db),
    snapshotStore: new MongoSnapshotStore(connection.db),
    readModels: await MongoReadModelStore.open(connection.db),
    bus,
    quarantine: await MongoQuarantineStore.open(connection.db),
    openReadModels: (namespace) => MongoReadModelStore.open(connection.db, namespace),
    close: async () => {
      await bus.close();
      await connection.close();
    },
  };
}

const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');
export const OPEN_READ_MODELS = Symbol('OPEN_READ_MODELS');
export type OpenReadModels = Infrastructure['openReadModels'];

class InfrastructureCloser implements OnApplicationShutdown {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}
  async onApplicationShutdown(): Promise<void> {
    await this.infrastructure.close();
  }
}

/** Starts the lag sampling of the process metrics, and their endpoint on METRICS_PORT when one is set. */
class ProcessMetricsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;
  constructor(
    private readonly metrics: ProcessMetrics,
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    this.metrics.start();
    if (this.config.metricsPort === null) return;
    this.server = await serveWorkerMetrics(this.metrics, this.config.host, this.config.metricsPort);
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.metricsPort;
    new Logger('Metrics').log(`metrics on http://${this.config.host}:${port}/metrics`);
  }
  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.metrics.stop();
  }
}

/** Stops the text-work threads when the app closes (a thread still working would keep the process alive). */
class TextWorkCloser implements OnApplicationShutdown {
  constructor(@Inject(TEXT_WORK) private readonly textWork: TextWork) {}
  async onApplicationShutdown(): Promise<void> {
    await this.textWork.close();
  }
}

@Module({})
export class InfrastructureModule {
  static forRoot(
    config: TermlineConfig,
    infrastructure: Infrastructure,
    onFatal: FatalHandler = exitOnFatal,
  ): DynamicModule {
    const providers: Provider[] = [
      { provide: TERMLINE_CONFIG, useValue: config },
      { provide: TOPICS, useValue: topicsFor(config) },
      { provide: CONSUMER_GROUPS, useValue: consumerGroupsFor(config) },
      { provide: CLOCK, useValue: systemClock },
      { provide: ON_FATAL, useValue: onFatal },
      { provide: INFRASTRUCTURE, useValue: infrastructure },
      {
        provide: OPEN_READ_MODELS,
        useValue: (namespace: string) => infrastructure.openReadModels(namespace),
      },
      { provide: EVENT_STORE, useValue: infrastructure.eventStore },
      { provide: SNAPSHOT_STORE, useValue: infrastructure.snapshotStore },
      { provide: READ_MODEL_STORE, useValue: infrastructure.readModels },
      { provide: MESSAGE_BUS, useValue: infrastructure.bus },
      { provide: QUARANTINE_STORE, useValue: infrastructure.quarantine },
      {
        provide: ProcessMetrics,
        useFactory: () => {
          const topics = topicsFor(config);
          const groups = consumerGroupsFor(config);
          return new ProcessMetrics({
            bus: infrastructure.bus,
            quarantine: infrastructure.quarantine,
            groups: [
              { groupId: groups.recordFetch, topic: topics.fetches },
              { groupId: groups.timelineProjection, topic: topics.documentEvents },
            ],
          });
        },
      },
      { provide: TEXT_WORK, useFactory: () => new TextWork(config.textWorkers) },
      ProcessMetricsLifecycle,
      InfrastructureCloser,
      TextWorkCloser,
    ];
    return {
      module: InfrastructureModule,
      global: true,
      providers,
      exports: [
        OPEN_READ_MODELS,
        TERMLINE_CONFIG,
        TOPICS,
        CONSUMER_GROUPS,
        CLOCK,
        ON_FATAL,
        EVENT_STORE,
        SNAPSHOT_STORE,
        READ_MODEL_STORE,
        MESSAGE_BUS,
        QUARANTINE_STORE,
        ProcessMetrics,
        TEXT_WORK,
      ],
    };
  }
}
