import { generateFetchPlan } from './fetch-plan.generator';
import {
  checkExactlyOnce,
  compareWithCleanRun,
  firstDifference,
  type ReadModelDump,
} from './read-models.check';

// The fault suite is only as good as its checks: these prove that they see a loss, a duplicate and a difference.
const plan = generateFetchPlan(7, 24);
const ids = (lane: number) => plan.lanes[lane]!.fetches.map((f) => f.fetchId);

/** A dump as a correct run leaves it: every planned fetch recorded once, in order. */
function correctDump(): ReadModelDump {
  const dump: ReadModelDump = {};
  for (const lane of plan.lanes) {
    dump[`observations/${lane.documentId}`] = lane.fetches.map((f, i) => ({
      fetchId: f.fetchId,
      streamVersion: i * 2 + 1,
    }));
    dump[`versions/${lane.documentId}`] = [{ version: 1 }, { version: 2 }];
    for (const f of lane.fetches) dump[`fetch/${f.fetchId}`] = { status: 'recorded', fetchId: f.fetchId };
  }
  return dump;
}
const everything = new Set(plan.lanes.flatMap((lane) => lane.fetches.map((f) => f.fetchId)));

describe('fault suite checks', () => {
  it('generates the same plan from the same seed, and another from another seed', () => {
    expect(generateFetchPlan(7, 24)).toEqual(plan);
    expect(generateFetchPlan(8, 24).lanes[0]!.fetches[0]!.content).not.toBe(
      plan.lanes[0]!.fetches[0]!.content,
    );
    expect(plan.total).toBe(24);
    expect(new Set(plan.lanes.map((lane) => lane.documentId)).size).toBe(plan.lanes.length);
  });

  it('passes a run that recorded every acknowledged fetch once', () => {
    expect(checkExactlyOnce(plan, everything, correctDump())).toEqual({
      lost: [],
      duplicated: [],
      other: [],
    });
  });

  it('names an acknowledged fetch that is not recorded as lost', () => {
    const dump = correctDump();
    const lost = ids(1)[2]!;
    const lane = plan.lanes[1]!;
    dump[`observations/${lane.documentId}`] = (
      dump[`observations/${lane.documentId}`] as Array<{ fetchId: string }>
    ).filter((o) => o.fetchId !== lost);
    dump[`fetch/${lost}`] = { status: 404 };
    const report = checkExactlyOnce(plan, everything, dump);
    expect(report.lost).toEqual([`${lost} (not recorded)`]);
    expect(report.other).toEqual([
      `${lane.documentId}: ${lane.fetches.length - 1} observations for ${lane.fetches.length} acknowledged fetches`,
    ]);
  });

  it('names a fetch recorded but missing from the read models as lost', () => {
    const dump = correctDump();
    const lane = plan.lanes[2]!;
    const unprojected = ids(2)[0]!;
    dump[`observations/${lane.documentId}`] = (
      dump[`observations/${lane.documentId}`] as Array<{ fetchId: string }>
    ).slice(1);
    expect(checkExactlyOnce(plan, everything, dump).lost).toEqual([
      `${unprojected} (recorded, missing from the read models)`,
    ]);
  });

  it('names a fetch observed twice as duplicated, and version numbers that repeat', () => {
    const dump = correctDump();
    const lane = plan.lanes[0]!;
    const twice = ids(0)[1]!;
    (dump[`observations/${lane.documentId}`] as Array<{ fetchId: string; streamVersion: number }>).push({
      fetchId: twice,
      streamVersion: 99,
    });
    dump[`versions/${lane.documentId}`] = [{ version: 1 }, { version: 2 }, { version: 2 }];
    const report = checkExactlyOnce(plan, everything, dump);
    expect(report.duplicated).toEqual([`${twice} (2 times)`]);
    expect(report.other).toContain(`${lane.documentId}: version numbers 1,2,2 are not 1..3`);
  });

  it('finds the first read model that differs from the clean run, with its path', () => {
    const clean: ReadModelDump = { a: [{ x: 1 }], b: { items: [{ text: 'same' }, { text: 'clean' }] } };
    expect(compareWithCleanRun(clean, structuredClone(clean))).toBeNull();
    const faulty = structuredClone(clean);
    (faulty.b as { items: Array<{ text: string }> }).items[1]!.text = 'faulty';
    expect(compareWithCleanRun(clean, faulty)).toBe(
      'b differs at items[1].text: expected "clean", found "faulty"',
    );
    expect(compareWithCleanRun(clean, { a: clean.a })).toBe('b: in the clean run, missing after the faults');
    expect(firstDifference([1, 2], [1, 2, 3])).toBe(': 2 items expected, 3 found');
  });
});
