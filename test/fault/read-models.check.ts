import type { FetchPlan } from './fetch-plan.generator';
import { waitFor, type TermlineClient } from './termline.client';

/**
 * Every read model as the API serves it, keyed by what it is (`versions/<documentId>`, `fetch/<fetchId>`, ...).
 * Read through the API rather than from the stores, so that an embedded run and a distributed one compare.
 */
export type ReadModelDump = Record<string, unknown>;

interface DocumentItem {
  documentId: string;
  fetchCount: number;
}

interface ObservationItem {
  fetchId: string;
  streamVersion: number;
}

interface VersionItem {
  version: number;
}

/**
 * Fields that legitimately differ between two runs of the same fetches, left out of the comparison:
 * - `recordedAt` of GET /v1/fetches/{id}: the wall-clock time the versioning service appended the commit.
 * Nothing else: versions, timelines and observations carry the fetch's own `fetchedAt`, never the clock.
 */
const WALL_CLOCK_FIELDS = new Set(['recordedAt']);

function withoutWallClock(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutWallClock);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !WALL_CLOCK_FIELDS.has(key))
      .map(([key, inner]) => [key, withoutWallClock(inner)]),
  );
}

async function getOk(client: TermlineClient, path: string): Promise<unknown> {
  const answer = await client.get(path);
  if (answer.status !== 200)
    throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  return answer.body;
}

export async function dumpReadModels(client: TermlineClient, plan: FetchPlan): Promise<ReadModelDump> {
  const dump: ReadModelDump = {};
  const documents = (await client.getAll('/v1/documents')) as DocumentItem[];
  dump.documents = [...documents].sort((a, b) => a.documentId.localeCompare(b.documentId));
  dump.services = await client.getAll('/v1/services');
  dump.timeline = await client.getAll('/v1/timeline?include=hidden');
  for (const { documentId } of documents) {
    const path = `/v1/documents/${documentId}`;
    const versions = (await client.getAll(`${path}/versions`)) as VersionItem[];
    dump[`versions/${documentId}`] = versions;
    for (const { version } of versions)
      dump[`version/${documentId}/${version}`] = await getOk(client, `${path}/versions/${version}`);
    dump[`observations/${documentId}`] = await client.getAll(`${path}/observations`);
    dump[`timeline/${documentId}`] = await client.getAll(`${path}/timeline?include=hidden`);
    if (versions.length > 0) dump[`provisions/${documentId}`] = await client.getAll(`${path}/provisions`);
  }
  for (const lane of plan.lanes) {
    for (const { fetchId } of lane.fetches) {
      const answer = await client.get(`/v1/fetches/${fetchId}`);
      dump[`fetch/${fetchId}`] =
        answer.status === 200 ? withoutWallClock(answer.body) : { status: answer.status };
    }
  }
  return dump;
}

/** The first place two values differ, as a path and both sides, or null when they are equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | null {
  if (Object.is(expected, actual)) return null;
  const show = (value: unknown) => JSON.stringify(value)?.slice(0, 160) ?? String(value);
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects =
    typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null;
  if (bothArrays) {
    for (let i = 0; i < Math.min(expected.length, actual.length); i += 1) {
      const inner = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (inner) return inner;
    }
    if (expected.length !== actual.length)
      return `${path}: ${expected.length} items expected, ${actual.length} found`;
    return null;
  }
  if (bothObjects && !Array.isArray(expected) && !Array.isArray(actual)) {
    const left = expected as Record<string, unknown>;
    const right = actual as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      const inner = firstDifference(left[key], right[key], path === '' ? key : `${path}.${key}`);
      if (inner) return inner;
    }
    return null;
  }
  return `${path || '(root)'}: expected ${show(expected)}, found ${show(actual)}`;
}

/** The first read model that differs from the clean run's, or null. */
export function compareWithCleanRun(clean: ReadModelDump, faulty: ReadModelDump): string | null {
  for (const key of [...new Set([...Object.keys(clean), ...Object.keys(faulty)])].sort()) {
    if (!(key in faulty)) return `${key}: in the clean run, missing after the faults`;
    if (!(key in clean)) return `${key}: after the faults, absent from the clean run`;
    const difference = firstDifference(clean[key], faulty[key]);
    if (difference) return `${key} differs at ${difference}`;
  }
  return null;
}

export interface ExactlyOnceReport {
  /** Acknowledged fetches not recorded, or recorded but absent from their document's observations. */
  lost: string[];
  /** Fetches recorded more than once (observed twice in a document's history). */
  duplicated: string[];
  /** Anything else that breaks exactly-once: unexpected fetches, version numbers that repeat or skip. */
  other: string[];
}

/**
 * Each acknowledged fetch recorded exactly once: GET /v1/fetches/{id} answers, the document's observations name
 * it once, their count equals the distinct acknowledged fetches of the document, and version numbers are 1..n.
 */
export function checkExactlyOnce(
  plan: FetchPlan,
  acknowledged: ReadonlySet<string>,
  dump: ReadModelDump,
): ExactlyOnceReport {
  const report: ExactlyOnceReport = { lost: [], duplicated: [], other: [] };
  for (const lane of plan.lanes) {
    const expected = lane.fetches.map((f) => f.fetchId).filter((id) => acknowledged.has(id));
    const observations = (dump[`observations/${lane.documentId}`] ?? []) as ObservationItem[];
    const seen = new Map<string, number>();
    for (const o of observations) seen.set(o.fetchId, (seen.get(o.fetchId) ?? 0) + 1);
    for (const id of expected) {
      const status = dump[`fetch/${id}`] as { status?: unknown } | undefined;
      if (status?.status !== 'recorded') report.lost.push(`${id} (not recorded)`);
      else if (!seen.has(id)) report.lost.push(`${id} (recorded, missing from the read models)`);
    }
    for (const [id, count] of seen) {
      if (count > 1) report.duplicated.push(`${id} (${count} times)`);
      if (!expected.includes(id))
        report.other.push(`${lane.documentId}: observation of unexpected fetch ${id}`);
    }
    if (observations.length !== expected.length) {
      report.other.push(
        `${lane.documentId}: ${observations.length} observations for ${expected.length} acknowledged fetches`,
      );
    }
    const streamVersions = observations.map((o) => o.streamVersion);
    if (new Set(streamVersions).size !== streamVersions.length)
      report.other.push(`${lane.documentId}: repeated stream versions`);
    const versions = ((dump[`versions/${lane.documentId}`] ?? []) as VersionItem[]).map((v) => v.version);
    const contiguous = versions.every((v, i) => v === i + 1);
    if (!contiguous)
      report.other.push(
        `${lane.documentId}: version numbers ${versions.join(',')} are not 1..${versions.length}`,
      );
  }
  return report;
}

/**
 * The messages a consumer parked during the run (GET /v1/admin/quarantine), one line each. The load holds valid
 * fetches only and every fault is one the services must ride out (a process killed, Kafka or FerretDB restarted),
 * so a parked message means a failure taken for a defect of the message: an operator would be paged for nothing.
 */
export async function quarantinedMessages(client: TermlineClient): Promise<string[]> {
  let items: { groupId: string; key: string; offset: string; error: { message: string } }[];
  try {
    items = ((await client.getAll('/v1/admin/quarantine')) ?? []) as typeof items;
  } catch (error) {
    return [String(error)];
  }
  return items.map(
    (item) => `parked by ${item.groupId}: ${item.key} @${item.offset} (${item.error.message})`,
  );
}

/**
 * Waits until every acknowledged fetch is recorded and every document's read models have caught up with it
 * (fetchCount), then until two successive dumps agree (the last events of a commit may land a moment later).
 * Returns the last dump even when the wait runs out: the checks then say what is missing.
 */
export async function settledDump(
  client: TermlineClient,
  plan: FetchPlan,
  acknowledged: ReadonlySet<string>,
  timeoutMs: number,
): Promise<{ dump: ReadModelDump; settled: boolean; waitError: string | null }> {
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1_000, deadline - Date.now());
  const expectedCount = new Map(
    plan.lanes.map((lane) => [
      lane.documentId,
      lane.fetches.filter((f) => acknowledged.has(f.fetchId)).length,
    ]),
  );
  let waitError: string | null = null;
  try {
    const unrecorded = new Set(acknowledged);
    await waitFor(
      'every acknowledged fetch recorded',
      async () => {
        for (const id of [...unrecorded]) {
          if ((await client.get(`/v1/fetches/${id}`)).status === 200) unrecorded.delete(id);
        }
        return unrecorded.size === 0 ? true : undefined;
      },
      remaining(),
      500,
    );
    await waitFor(
      'every document projected',
      async () => {
        const documents = (await client.getAll('/v1/documents')) as DocumentItem[];
        const counts = new Map(documents.map((d) => [d.documentId, d.fetchCount]));
        const behind = [...expectedCount].filter(([id, count]) => (counts.get(id) ?? 0) < count);
        return behind.length === 0 ? true : undefined;
      },
      remaining(),
      500,
    );
  } catch (error) {
    waitError = (error as Error).message;
  }
  let previous = await dumpReadModels(client, plan);
  if (waitError !== null) return { dump: previous, settled: false, waitError };
  while (Date.now() < deadline) {
    const next = await dumpReadModels(client, plan);
    if (compareWithCleanRun(previous, next) === null) return { dump: next, settled: true, waitError };
    previous = next;
  }
  return { dump: previous, settled: false, waitError: 'read models still changing at the deadline' };
}
