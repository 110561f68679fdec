import type { INestApplication } from '@nestjs/common';
import { loadConfig, type TermlineConfig } from '@termline/config';
import { connectMongo } from '@termline/eventstore';
import { topicsFor } from '@termline/platform';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAllInOneApp } from '../apps/termline/src/all-in-one.app';
import { startSplitSystem, type SplitApp } from './split-system';

/** A fresh Termline for one bench mode, listening on an ephemeral loopback port, and how to remove every trace. */

export type BenchMode = 'embedded' | 'kafka-mongo';

export interface BenchSystem {
  /** The app in this process; null when the mode runs as separate processes. */
  app: INestApplication | null;
  config: TermlineConfig;
  baseUrl: string;
  apiKey: string;
  readModels: ReadModelStore;
  /** Errors the consumers stopped on (a bug in the system, or the infrastructure gone for good). */
  fatal: string[];
  /** Where this run's data lives (a folder, or a database and a topic prefix), for the report. */
  location: string;
  /** Closes the app, then removes its data directory, or its database and topics. Never throws. */
  close(): Promise<string[]>;
  /** The processes of the distributed mode, when it runs as three (BENCH_KAFKA_PROCESSES=split). */
  processes?: { pids: Record<SplitApp, number>; metricsUrls: Record<SplitApp, string>; logDir: string };
}

export interface BenchSystemOptions {
  kafkaBrokers: string;
  mongoUri: string;
  /** kafka-mongo mode as gateway, versioning and projection processes (built under dist/), logs in logDir. */
  split?: { repoRoot: string; logDir: string };
}

const CLOSE_TIMEOUT_MS = 60_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function startBenchSystem(mode: BenchMode, options: BenchSystemOptions): Promise<BenchSystem> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const apiKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    TERMLINE_ADMIN_KEY: apiKey,
    TERMLINE_DEMO: 'false',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
  };
  let dataDir: string | null = null;
  if (mode === 'embedded') {
    dataDir = mkdtempSync(join(tmpdir(), 'termline-bench-'));
    env.TERMLINE_DATA_DIR = dataDir;
  } else {
    env.KAFKA_BROKERS = options.kafkaBrokers;
    env.MONGODB_URI = options.mongoUri;
    env.MONGODB_DATABASE = `bench_${runId}`;
    env.TERMLINE_TOPIC_PREFIX = `bench.${runId}.`;
  }
  const config = loadConfig(env);
  const fatal: string[] = [];

  const removeData = async (): Promise<string[]> => {
    const problems: string[] = [];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    else {
      await dropDatabase(config).catch((error: unknown) => problems.push(`drop database: ${String(error)}`));
      await deleteTopics(config).catch((error: unknown) => problems.push(`delete topics: ${String(error)}`));
    }
    return problems;
  };

  if (mode === 'kafka-mongo' && options.split) {
    let split;
    try {
      split = await startSplitSystem(options.split.repoRoot, env, options.split.logDir);
    } catch (error) {
      await removeData();
      throw error;
    }
    return {
      app: null,
      config,
      baseUrl: split.baseUrl,
      apiKey,
      readModels: split.readModels,
      fatal: split.fatal,
      location: `database ${config.mongoDatabase}, topics ${config.topicPrefix}*, three processes (logs in ${split.logDir})`,
      processes: { pids: split.pids, metricsUrls: split.metricsUrls, logDir: split.logDir },
      close: async () => [...(await split.close()), ...(await removeData())],
    };
  }

  let app: INestApplication;
  try {
    app = await createAllInOneApp(
      config,
      mode === 'embedded' ? 'embedded' : 'distributed',
      (component, error) => {
        fatal.push(`${component}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await removeData();
    throw error;
  }
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    readModels: app.get<ReadModelStore>(READ_MODEL_STORE),
    fatal,
    location: dataDir ?? `database ${config.mongoDatabase}, topics ${config.topicPrefix}*`,
    close: async () => {
      const problems: string[] = [];
      await withTimeout(app.close(), CLOSE_TIMEOUT_MS, 'closing the app').catch((error: unknown) =>
        problems.push(String(error)),
      );
      problems.push(...(await removeData()));
      return problems;
    },
  };
}

async function dropDatabase(config: TermlineConfig): Promise<void> {
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  try {
    await connection.db.dropDatabase();
  } finally {
    await connection.close();
  }
}

async function deleteTopics(config: TermlineConfig): Promise<void> {
  const { fetches, documentEvents } = topicsFor(config);
  const topics = [fetches, documentEvents].flatMap((topic) => [topic, `${topic}.dlq`]);
  const admin = new Kafka({
    clientId: 'termline-bench',
    brokers: config.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((topic) => existing.has(topic));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
