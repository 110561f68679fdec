import { generateFetchPlan, type FetchPlan } from './fetch-plan.generator';
import { runEmbedded, type RunOutcome } from './embedded.scenario';
import { DISTRIBUTED_FAULTS, runDistributed } from './distributed.scenario';
import { FaultInfra } from './fault-infra.control';
import { describeMembers } from './consumer-group.probe';
import { runScaleOut, SCALE_OUT_REPLICAS } from './scale-out.scenario';
import { describeFigures, faultFetchCount, faultSeed } from './fault-run.settings';
import { compareWithCleanRun } from './read-models.check';

/**
 * Issue 7 (b): SIGKILL at random points of a few-hundred-fetch load, in embedded and distributed mode, with Kafka
 * and FerretDB restarted mid-load; every acknowledged fetch recorded exactly once and the read models equal to a
 * clean run's. The seed is printed first: TERMLINE_FAULT_SEED=<seed> npm run test:fault replays a run.
 */
const seed = faultSeed();
const plan: FetchPlan = generateFetchPlan(seed, faultFetchCount());
process.stdout.write(`[fault] seed ${seed}: ${plan.total} fetches over ${plan.lanes.length} documents\n`);

let clean: RunOutcome;

/** Everything that went wrong, as lines: the test fails with this list and it is the failure report. */
function problemsOf(run: RunOutcome): string[] {
  const problems = [
    ...run.exactlyOnce.lost.map((id) => `lost: acknowledged fetch ${id}`),
    ...run.exactlyOnce.duplicated.map((id) => `duplicated: fetch ${id} recorded more than once`),
    ...run.exactlyOnce.other,
    ...run.figures.conflicts.map((c) => `409 on a retry with the same content: ${c}`),
    ...run.figures.refused.map((r) => `refused: ${r}`),
    ...run.quarantined,
  ];
  if (run.waitError) problems.push(`read models did not settle: ${run.waitError}`);
  if (run.figures.acknowledged !== plan.total)
    problems.push(`${run.figures.acknowledged}/${plan.total} fetches acknowledged`);
  const difference = compareWithCleanRun(clean.dump, run.dump);
  if (difference) problems.push(`first read model that differs from the clean run: ${difference}`);
  return problems.map((p) => `${p} (seed ${seed}, logs in ${run.dir})`);
}

describe(`Fault injection (seed ${seed})`, () => {
  // One clean run serves both modes: a clean distributed run gives the same read models through the API.
  beforeAll(async () => {
    clean = await runEmbedded(plan, 0, 'clean');
    process.stdout.write(`${describeFigures(clean.figures)}\n`);
  }, 300_000);

  it('the clean run records every fetch exactly once', () => {
    expect([...clean.exactlyOnce.lost, ...clean.exactlyOnce.duplicated, ...clean.exactlyOnce.other]).toEqual(
      [],
    );
    expect(clean.waitError).toBeNull();
    expect(clean.figures.acknowledged).toBe(plan.total);
  });

  it('embedded: SIGKILLs mid-load lose and duplicate nothing, and the read models equal the clean run', async () => {
    const run = await runEmbedded(plan, 4, 'killed');
    process.stdout.write(`${describeFigures(run.figures)}\n`);
    expect(run.figures.kills.termline).toBe(4);
    expect(problemsOf(run)).toEqual([]);
  }, 300_000);

  describe('distributed', () => {
    const infra = new FaultInfra();
    beforeAll(async () => {
      const missing = infra.missingCache();
      if (missing) throw new Error(missing);
      await infra.freshUp();
    }, 180_000);
    afterAll(() => infra.down(), 120_000);

    it('distributed: consumers, gateway, Kafka and FerretDB killed mid-load lose and duplicate nothing, and the read models equal the clean run', async () => {
      const run = await runDistributed(plan, infra, DISTRIBUTED_FAULTS, 'killed');
      process.stdout.write(`${describeFigures(run.figures)}\n`);
      expect(run.figures.faults).toHaveLength(DISTRIBUTED_FAULTS.length);
      expect(problemsOf(run)).toEqual([]);
    }, 600_000);

    // Issue 9 (6): consumers scale out by joining a group; a member lost mid-replay hands its partitions over.
    it('scale-out: two versioning and two projection processes per group, one of each killed and restarted mid-replay, lose and duplicate nothing, and the read models equal the clean run', async () => {
      const run = await runScaleOut(plan, infra, 'scale-out');
      const groupLines = run.groups.map(
        (g) => `[fault]   ${g.consumer} group before its kill: ${describeMembers(g.members)}`,
      );
      process.stdout.write(`${[describeFigures(run.figures), ...groupLines].join('\n')}\n`);
      expect(run.figures.kills).toEqual({
        'versioning-1': 0,
        'versioning-2': 1,
        'projection-1': 0,
        'projection-2': 1,
        gateway: 0,
        kafka: infra.restarts.kafka,
        ferretdb: infra.restarts.ferretdb,
      });
      // The work was shared: before each kill, both members of the group held partitions they had consumed from.
      expect(run.groups.map((g) => g.consumer).sort()).toEqual(['projection', 'versioning']);
      for (const group of run.groups) {
        expect(group.unchangedSinceStart).toBe(true);
        expect(group.members).toHaveLength(SCALE_OUT_REPLICAS);
        for (const member of group.members) expect(member.committed).toBeGreaterThan(0);
      }
      expect(problemsOf(run)).toEqual([]);
    }, 600_000);
  });
});
