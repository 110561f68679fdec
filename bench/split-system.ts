import { connectMongo } from '@termline/eventstore';
import { MongoReadModelStore, type ReadModelStore } from '@termline/readmodels';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The distributed mode as it is deployed: gateway, versioning and projection as three processes (the built
 * dist/apps/<app>/src/main.js), so that the bench can read each one's CPU from /proc and its counters from its
 * /metrics. The bench process only drives HTTP and polls the read models through its own MongoDB client.
 */

export const SPLIT_APPS = ['versioning', 'projection', 'gateway'] as const;
export type SplitApp = (typeof SPLIT_APPS)[number];

export interface SplitSystem {
  baseUrl: string;
  readModels: ReadModelStore;
  pids: Record<SplitApp, number>;
  /** Where each process answers GET /metrics. */
  metricsUrls: Record<SplitApp, string>;
  /** Processes that exited before close(), with the last lines they wrote. */
  fatal: string[];
  logDir: string;
  close(): Promise<string[]>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The log's last lines, for a report on a process that died. */
function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export async function startSplitSystem(
  repoRoot: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  startTimeoutMs = 120_000,
): Promise<SplitSystem> {
  const ports = { gateway: await freePort(), versioning: await freePort(), projection: await freePort() };
  const children = new Map<SplitApp, ChildProcess>();
  const fatal: string[] = [];
  let closing = false;
  const ready = new Set<SplitApp>();
  const logOf = (app: SplitApp) => join(logDir, `${app}.log`);

  for (const app of SPLIT_APPS) {
    const main = join(repoRoot, 'dist', 'apps', app, 'src', 'main.js');
    if (!existsSync(main))
      throw new Error(`${main} is missing: the bench runs on the build (npm run bench builds)`);
    // BENCH_NODE_ARGS: options for the three processes only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, which
    // NODE_OPTIONS refuses), to see where each one spends its CPU.
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, main], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...env,
        // Info, not debug: the start-up line tells when a process is ready; nothing is logged per fetch.
        LOG_LEVEL: 'log',
        LOG_FORMAT: 'json',
        ...(app === 'gateway'
          ? { PORT: String(ports.gateway) }
          : { PORT: '0', METRICS_PORT: String(ports[app]) }),
      },
    });
    const log = createWriteStream(logOf(app));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.stdout?.on('data', (chunk: Buffer) => {
      // startDistributed's last line: the consumers are subscribed, the HTTP server listens.
      if (/ (running|listening on) /.test(chunk.toString('utf8'))) ready.add(app);
    });
    child.on('exit', (code, signal) => {
      if (!closing) fatal.push(`${app} exited (${signal ?? code}):\n${tail(logOf(app))}`);
    });
    children.set(app, child);
  }

  const stopAll = async (): Promise<string[]> => {
    closing = true;
    const problems: string[] = [];
    await Promise.all(
      [...children.entries()].map(async ([app, child]) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          problems.push(`${app} did not stop within 30 s of SIGTERM: killed`);
          child.kill('SIGKILL');
        }, 30_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    return problems;
  };

  const deadline = Date.now() + startTimeoutMs;
  while (ready.size < SPLIT_APPS.length) {
    if (fatal.length > 0 || Date.now() > deadline) {
      await stopAll();
      throw new Error(
        fatal.length > 0
          ? `A process of the distributed mode stopped during start-up: ${fatal.join('\n')}`
          : `The distributed mode was not ready within ${startTimeoutMs} ms (ready: ${[...ready].join(', ')})`,
      );
    }
    await sleep(100);
  }

  const connection = await connectMongo(env.MONGODB_URI!, env.MONGODB_DATABASE!);
  const readModels = await MongoReadModelStore.open(connection.db);
  const pid = (app: SplitApp) => children.get(app)!.pid!;
  return {
    baseUrl: `http://127.0.0.1:${ports.gateway}`,
    readModels,
    pids: { gateway: pid('gateway'), versioning: pid('versioning'), projection: pid('projection') },
    metricsUrls: {
      gateway: `http://127.0.0.1:${ports.gateway}/metrics`,
      versioning: `http://127.0.0.1:${ports.versioning}/metrics`,
      projection: `http://127.0.0.1:${ports.projection}/metrics`,
    },
    fatal,
    logDir,
    close: async () => {
      const problems = await stopAll();
      await connection.close().catch((error: unknown) => problems.push(`closing MongoDB: ${String(error)}`));
      return problems;
    },
  };
}
