import { join } from 'node:path';
import { AppProcess, builtEntry, freePort } from './app-process.supervisor';
import { seededRandom, type FetchPlan } from './fetch-plan.generator';
import { FAULT_ADMIN_KEY, runDir, type RunFigures } from './fault-run.settings';
import { driveLoad, type Fault } from './load.driver';
import {
  checkExactlyOnce,
  quarantinedMessages,
  settledDump,
  type ExactlyOnceReport,
  type ReadModelDump,
} from './read-models.check';
import { pause, TermlineClient, waitFor } from './termline.client';

export interface RunOutcome {
  figures: RunFigures;
  acknowledged: Set<string>;
  dump: ReadModelDump;
  exactlyOnce: ExactlyOnceReport;
  /** Why the wait for the read models ended without them settling, if it did. */
  waitError: string | null;
  /** Messages the consumers parked (quarantined) during the run: none is expected. */
  quarantined: string[];
  dir: string;
}

/**
 * Seeded moments for `count` faults: spread over the load by acknowledgement count, the last one at the last
 * acknowledgement (the consumers are then still catching up), each after a seeded delay of up to `maxDelayMs` so
 * that it lands between two requests rather than on one.
 */
export function faultMoments(random: () => number, total: number, count: number, maxDelayMs: number) {
  return Array.from({ length: count }, (_, i) => ({
    atAck: i === count - 1 ? total : Math.max(1, Math.floor(total * (0.1 + 0.8 * random()))),
    delayMs: Math.floor(random() * maxDelayMs),
  })).sort((a, b) => a.atAck - b.atAck);
}

/**
 * Embedded mode (`node dist/apps/termline/src/main.js`, SQLite under a temp data dir): the plan is sent while the
 * process is SIGKILLed `kills` times at seeded moments and started again on the same data dir each time.
 * `kills` 0 is the clean run.
 */
export async function runEmbedded(plan: FetchPlan, kills: number, label: string): Promise<RunOutcome> {
  const started = Date.now();
  const dir = runDir(`embedded-${label}`);
  const port = await freePort();
  const app = new AppProcess(
    'termline',
    builtEntry('termline'),
    {
      TERMLINE_DATA_DIR: join(dir, 'data'),
      TERMLINE_ADMIN_KEY: FAULT_ADMIN_KEY,
      TERMLINE_DEMO: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    join(dir, 'termline.log'),
  );
  const client = new TermlineClient(`http://127.0.0.1:${port}`, FAULT_ADMIN_KEY);
  const healthy = () =>
    waitFor(
      'embedded process healthy',
      async () => ((await client.healthy()) ? true : undefined),
      60_000,
      100,
    );
  const random = seededRandom(plan.seed ^ 0x5eed);
  const faults: Fault[] = faultMoments(random, plan.total, kills, 300).map((moment, i) => ({
    atAck: moment.atAck,
    label: `SIGKILL termline #${i + 1} (+${moment.delayMs} ms)`,
    inject: async () => {
      await pause(moment.delayMs);
      await app.kill();
      app.start();
      await healthy();
    },
  }));
  try {
    app.start();
    await healthy();
    const { acknowledged, figures } = await driveLoad(plan, client, faults, 240_000);
    const settled = await settledDump(client, plan, acknowledged, 120_000);
    const exactlyOnce = checkExactlyOnce(plan, acknowledged, settled.dump);
    const quarantined = await quarantinedMessages(client);
    return {
      figures: {
        ...figures,
        mode: `embedded ${label}`,
        seed: plan.seed,
        kills: { termline: app.kills },
        restarts: app.starts - 1,
        unexpectedExits: app.unexpectedExits,
        lost: exactlyOnce.lost.length,
        duplicated: exactlyOnce.duplicated.length,
        totalSeconds: (Date.now() - started) / 1000,
      },
      acknowledged,
      dump: settled.dump,
      exactlyOnce,
      waitError: settled.waitError,
      quarantined,
      dir,
    };
  } finally {
    await app.stop();
  }
}
