import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppProcess, builtEntry, freePort } from './app-process.supervisor';
import { faultMoments, type RunOutcome } from './embedded.scenario';
import type { FaultInfra } from './fault-infra.control';
import { seededRandom, type FetchPlan } from './fetch-plan.generator';
import { FAULT_ADMIN_KEY, runDir } from './fault-run.settings';
import { driveLoad, type Fault, type LoadResult } from './load.driver';
import { checkExactlyOnce, quarantinedMessages, settledDump } from './read-models.check';
import { pause, TermlineClient, waitFor } from './termline.client';

type Target = 'versioning' | 'projection' | 'gateway' | 'kafka' | 'ferretdb';

/**
 * What goes wrong in a faulty distributed run, in a seeded order: each consumer SIGKILLed twice, the gateway
 * once, Kafka and FerretDB each SIGKILLed and started again once.
 */
export const DISTRIBUTED_FAULTS: readonly Target[] = [
  'versioning',
  'versioning',
  'projection',
  'projection',
  'gateway',
  'kafka',
  'ferretdb',
];

const isService = (target: Target): target is 'kafka' | 'ferretdb' =>
  target === 'kafka' || target === 'ferretdb';

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Waits (up to 20 s) for the moment a consumer kill can do harm: the consumer in the middle of a backlog, making
 * progress. Versioning: some of the last acknowledged fetches not recorded yet, and more of them recorded than a
 * moment before. Projection: fewer fetches projected than acknowledged, and more than a moment before. A kill at
 * an idle moment tests only the restart. Says which it was.
 */
export async function whenWorkingThroughBacklog(
  client: TermlineClient,
  consumer: 'versioning' | 'projection',
  acknowledged: ReadonlySet<string>,
): Promise<string> {
  const deadline = Date.now() + 20_000;
  const progress = async (): Promise<{ done: number; behind: number } | null> => {
    if (consumer === 'projection') {
      const items = (await client.getAll('/v1/documents').catch(() => null)) as Array<{
        fetchCount: number;
      }> | null;
      if (items === null) return null;
      const done = items.reduce((sum, d) => sum + d.fetchCount, 0);
      return { done, behind: acknowledged.size - done };
    }
    const latest = [...acknowledged].slice(-8);
    const answers = await Promise.all(latest.map((id) => client.get(`/v1/fetches/${id}`)));
    const done = answers.filter((a) => a.status === 200).length;
    return { done, behind: latest.length - done };
  };
  let previous: { done: number; behind: number } | null = null;
  while (Date.now() < deadline) {
    const now = await progress().catch(() => null);
    if (now && previous && now.behind > 0 && now.done > previous.done) {
      return consumer === 'projection'
        ? `${now.behind} fetches to project`
        : `${now.behind} of the last 8 acks to record`;
    }
    previous = now ?? previous;
    await pause(200);
  }
  return 'no backlog within 20 s';
}

/** The environment of every app process of one distributed run: this run's own database and topic prefix. */
export function distributedEnv(plan: FetchPlan, infra: FaultInfra, port: number): NodeJS.ProcessEnv {
  const namespace = `fault_${plan.seed}_${randomBytes(3).toString('hex')}`;
  return {
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGODB_URI: infra.mongoUri,
    MONGODB_DATABASE: namespace,
    TERMLINE_TOPIC_PREFIX: `${namespace}.`,
    TERMLINE_ADMIN_KEY: FAULT_ADMIN_KEY,
    TERMLINE_DEMO: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
}

export const gatewayUp = (client: TermlineClient): Promise<boolean> =>
  waitFor('gateway healthy', async () => ((await client.healthy()) ? true : undefined), 90_000, 200);

/** The consumers first (versioning creates the topics the gateway publishes to), then the gateway. */
export async function startDistributed(
  consumers: readonly AppProcess[],
  gateway: AppProcess,
  client: TermlineClient,
): Promise<void> {
  for (const app of consumers) app.start();
  await pause(3_000);
  gateway.start();
  await gatewayUp(client);
}

/** After the load: waits for the read models, checks them, and sums up what happened to the processes. */
export async function distributedOutcome(
  plan: FetchPlan,
  run: { label: string; started: number; dir: string; apps: readonly AppProcess[]; infra: FaultInfra },
  client: TermlineClient,
  load: LoadResult,
): Promise<RunOutcome> {
  const { acknowledged, figures } = load;
  const settled = await settledDump(client, plan, acknowledged, 180_000);
  const exactlyOnce = checkExactlyOnce(plan, acknowledged, settled.dump);
  const quarantined = await quarantinedMessages(client);
  const { apps, infra } = run;
  return {
    figures: {
      ...figures,
      mode: `distributed ${run.label}`,
      seed: plan.seed,
      kills: { ...Object.fromEntries(apps.map((app) => [app.name, app.kills])), ...infra.restarts },
      restarts:
        apps.reduce((sum, app) => sum + app.starts - 1, 0) + infra.restarts.kafka + infra.restarts.ferretdb,
      unexpectedExits: apps.flatMap((app) => app.unexpectedExits),
      lost: exactlyOnce.lost.length,
      duplicated: exactlyOnce.duplicated.length,
      totalSeconds: (Date.now() - run.started) / 1000,
    },
    acknowledged,
    dump: settled.dump,
    exactlyOnce,
    waitError: settled.waitError,
    quarantined,
    dir: run.dir,
  };
}

/**
 * Distributed mode: gateway, versioning and projection as three processes (as scripts/start-distributed.js runs
 * them) on the suite's own Kafka and FerretDB, in a database and topic prefix of this run's own. With `faults`,
 * DISTRIBUTED_FAULTS happen at seeded moments of the load; a killed app is started again after a short pause.
 */
export async function runDistributed(
  plan: FetchPlan,
  infra: FaultInfra,
  faults: readonly Target[],
  label: string,
): Promise<RunOutcome> {
  const started = Date.now();
  const dir = runDir(`distributed-${label}`);
  const port = await freePort();
  const env = distributedEnv(plan, infra, port);
  const apps = {
    versioning: new AppProcess('versioning', builtEntry('versioning'), env, join(dir, 'versioning.log')),
    projection: new AppProcess('projection', builtEntry('projection'), env, join(dir, 'projection.log')),
    gateway: new AppProcess('gateway', builtEntry('gateway'), env, join(dir, 'gateway.log')),
  };
  const client = new TermlineClient(`http://127.0.0.1:${port}`, FAULT_ADMIN_KEY);

  const random = seededRandom(plan.seed ^ 0xd15);
  // Every target's first fault comes before any repeat, so that a consumer is killed again while it works through
  // the backlog its first death left (a SIGKILLed member holds its partitions for a session timeout, 30 s).
  // Kafka and FerretDB, once each, are then never the last fault, which is the catch-up after the load.
  const firsts = [...new Set(faults)];
  const repeats = [...faults];
  for (const target of firsts) repeats.splice(repeats.indexOf(target), 1);
  const order: Target[] = [...shuffled(firsts, random), ...shuffled(repeats, random)];
  const moments = faultMoments(random, plan.total, order.length, 300);
  const injected: Fault[] = order.map((target, i) => ({
    atAck: moments[i]!.atAck,
    label: `${isService(target) ? 'SIGKILL and restart' : 'SIGKILL'} ${target} (+${moments[i]!.delayMs} ms)`,
    inject: async (acknowledged) => {
      await pause(moments[i]!.delayMs);
      if (isService(target)) {
        await infra.restart(target, 1_000);
        return;
      }
      const app = apps[target];
      const note =
        target === 'gateway' ? undefined : await whenWorkingThroughBacklog(client, target, acknowledged);
      await app.kill();
      await pause(500);
      app.start();
      if (target === 'gateway') await gatewayUp(client);
      return note;
    },
  }));

  try {
    await startDistributed([apps.versioning, apps.projection], apps.gateway, client);
    const load = await driveLoad(plan, client, injected, 300_000);
    return await distributedOutcome(
      plan,
      { label, started, dir, apps: Object.values(apps), infra },
      client,
      load,
    );
  } finally {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
  }
}
