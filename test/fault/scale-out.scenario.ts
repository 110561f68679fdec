import { join } from 'node:path';
import { consumerGroupsFor, topicsFor } from '@termline/platform';
import { AppProcess, builtEntry, freePort } from './app-process.supervisor';
import { ConsumerGroupProbe, describeMembers, type MemberProgress } from './consumer-group.probe';
import {
  distributedEnv,
  distributedOutcome,
  shuffled,
  startDistributed,
  whenWorkingThroughBacklog,
} from './distributed.scenario';
import { faultMoments, type RunOutcome } from './embedded.scenario';
import type { FaultInfra } from './fault-infra.control';
import { seededRandom, type FetchPlan } from './fetch-plan.generator';
import { FAULT_ADMIN_KEY, runDir } from './fault-run.settings';
import { driveLoad, type Fault } from './load.driver';
import { pause, TermlineClient, waitFor } from './termline.client';

type Consumer = 'versioning' | 'projection';

/** A consumer group as seen just before one of its processes is SIGKILLed. */
export interface GroupBeforeKill {
  consumer: Consumer;
  members: MemberProgress[];
  /** The same members as when the load started: no rebalance in between, so each committed its own partitions. */
  unchangedSinceStart: boolean;
}

export interface ScaleOutOutcome extends RunOutcome {
  groups: GroupBeforeKill[];
}

export const SCALE_OUT_REPLICAS = 2;

/**
 * Scale-out: two versioning and two projection processes in the same consumer groups, and one gateway, on the
 * suite's own Kafka and FerretDB. At two seeded moments of the load, one process of each group is SIGKILLed while
 * its group works through a backlog, and started again half a second later: the group rebalances when the
 * newcomer joins and again when the dead member's session ends. Before each kill the group is read through the
 * Kafka admin API, to show that both of its members had consumed and committed something.
 */
export async function runScaleOut(
  plan: FetchPlan,
  infra: FaultInfra,
  label: string,
): Promise<ScaleOutOutcome> {
  const started = Date.now();
  const dir = runDir(`distributed-${label}`);
  const port = await freePort();
  const env = distributedEnv(plan, infra, port);
  const prefix = { topicPrefix: env.TERMLINE_TOPIC_PREFIX ?? '' };
  const replicas = (app: Consumer): AppProcess[] =>
    Array.from({ length: SCALE_OUT_REPLICAS }, (_, i) => {
      const name = `${app}-${i + 1}`;
      return new AppProcess(name, builtEntry(app), env, join(dir, `${name}.log`));
    });
  const consumers: Record<Consumer, AppProcess[]> = {
    versioning: replicas('versioning'),
    projection: replicas('projection'),
  };
  const gateway = new AppProcess('gateway', builtEntry('gateway'), env, join(dir, 'gateway.log'));
  const client = new TermlineClient(`http://127.0.0.1:${port}`, FAULT_ADMIN_KEY);
  const probe = new ConsumerGroupProbe(infra.kafkaBrokers);
  const groupOf: Record<Consumer, { groupId: string; topic: string }> = {
    versioning: { groupId: consumerGroupsFor(prefix).recordFetch, topic: topicsFor(prefix).fetches },
    projection: {
      groupId: consumerGroupsFor(prefix).timelineProjection,
      topic: topicsFor(prefix).documentEvents,
    },
  };
  const membersOf = (consumer: Consumer) => probe.members(groupOf[consumer].groupId, groupOf[consumer].topic);
  const startMembers = new Map<Consumer, string[]>();
  const groups: GroupBeforeKill[] = [];

  /** Up to 30 s for both members to have committed something; what the group looked like last, either way. */
  const beforeKill = async (consumer: Consumer): Promise<GroupBeforeKill> => {
    let members: MemberProgress[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await pause(500)) {
      members = await membersOf(consumer).catch(() => members);
      if (members.length === SCALE_OUT_REPLICAS && members.every((m) => m.committed > 0)) break;
    }
    const ids = (list: readonly string[]) => [...list].sort().join(' ');
    return {
      consumer,
      members,
      unchangedSinceStart:
        ids(members.map((m) => m.memberId)) === ids(startMembers.get(consumer) ?? ['(not seen)']),
    };
  };

  const random = seededRandom(plan.seed ^ 0x5ca1e);
  const order = shuffled<Consumer>(['versioning', 'projection'], random);
  const moments = faultMoments(random, plan.total, order.length, 300);
  const faults: Fault[] = order.map((consumer, i) => ({
    atAck: moments[i]!.atAck,
    label: `SIGKILL ${consumer}-2 of ${SCALE_OUT_REPLICAS} (+${moments[i]!.delayMs} ms)`,
    inject: async (acknowledged) => {
      await pause(moments[i]!.delayMs);
      const group = await beforeKill(consumer);
      groups.push(group);
      const note = await whenWorkingThroughBacklog(client, consumer, acknowledged);
      const victim = consumers[consumer][1]!;
      await victim.kill();
      await pause(500);
      victim.start();
      return `${note}; group before: ${describeMembers(group.members)}`;
    },
  }));

  const all = [...consumers.versioning, ...consumers.projection, gateway];
  try {
    await startDistributed([...consumers.versioning, ...consumers.projection], gateway, client);
    // The load starts once each group has settled on both members (each holding a partition): the assignment
    // read before a kill is then the one its members have held since the load began.
    for (const consumer of ['versioning', 'projection'] as const) {
      const members = await waitFor(
        `${SCALE_OUT_REPLICAS} ${consumer} members, each with a partition`,
        async () => {
          const found = await membersOf(consumer);
          const settled = found.length === SCALE_OUT_REPLICAS && found.every((m) => m.partitions.length > 0);
          return settled ? found : undefined;
        },
        90_000,
        500,
      );
      startMembers.set(
        consumer,
        members.map((m) => m.memberId),
      );
    }
    const load = await driveLoad(plan, client, faults, 300_000);
    const outcome = await distributedOutcome(plan, { label, started, dir, apps: all, infra }, client, load);
    return { ...outcome, groups };
  } finally {
    await Promise.all(all.map((app) => app.stop()));
    await probe.close();
  }
}
