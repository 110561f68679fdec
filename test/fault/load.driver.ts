import type { FetchPlan, PlannedFetch } from './fetch-plan.generator';
import { pause, type TermlineClient } from './termline.client';

/** Something that goes wrong on purpose once the load has had `atAck` acknowledgements. */
export interface Fault {
  atAck: number;
  label: string;
  /** Given the fetches acknowledged so far; may say how it went (appended to the label in the figures). */
  inject: (acknowledged: ReadonlySet<string>) => Promise<string | void>;
}

export interface LoadFigures {
  planned: number;
  /** POST /v1/fetches requests sent, retries included. */
  attempts: number;
  acknowledged: number;
  /** Answers 200 "already recorded": a retry of a fetch whose first answer was lost but which was recorded. */
  alreadyRecorded: number;
  /** Requests that got no answer (process killed, connection refused or reset, timeout): sent again. */
  answersLost: number;
  /** 5xx answers (a store or broker away): sent again. */
  serverErrors: number;
  /** 409: the fetch id is said to be recorded with other content; never expected, since contents are fixed. */
  conflicts: string[];
  /** Any other 4xx: a fetch the suite built wrongly or the API refused for no good reason. */
  refused: string[];
  faults: string[];
  seconds: number;
}

export interface LoadResult {
  acknowledged: Set<string>;
  figures: LoadFigures;
}

/**
 * Sends the plan: one lane per document, lanes concurrent, fetches of a lane one after another (a document's
 * history depends on the order of its fetches; across documents any interleaving gives the same read models).
 * A fetch is sent again, with the same id and content, until it is acknowledged (202, or 200 when it is already
 * recorded). Faults fire in order as the acknowledgements pass their thresholds, one at a time, while the lanes
 * go on; those whose threshold is the last acknowledgement hit the catch-up after the load.
 */
export async function driveLoad(
  plan: FetchPlan,
  client: TermlineClient,
  faults: readonly Fault[],
  timeoutMs: number,
): Promise<LoadResult> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const acknowledged = new Set<string>();
  const figures: LoadFigures = {
    planned: plan.total,
    attempts: 0,
    acknowledged: 0,
    alreadyRecorded: 0,
    answersLost: 0,
    serverErrors: 0,
    conflicts: [],
    refused: [],
    faults: [],
    seconds: 0,
  };
  const pending = [...faults].sort((a, b) => a.atAck - b.atAck);
  let injecting: Promise<void> = Promise.resolve();
  const faultErrors: Error[] = [];
  const fireDueFaults = () => {
    while (pending.length > 0 && pending[0]!.atAck <= acknowledged.size) {
      const fault = pending.shift()!;
      injecting = injecting.then(async () => {
        const at = ((Date.now() - started) / 1000).toFixed(1);
        const acks = acknowledged.size;
        const note = await fault.inject(acknowledged).catch((error: unknown) => {
          faultErrors.push(new Error(`${fault.label} failed`, { cause: error }));
        });
        figures.faults.push(`${fault.label} (after ${acks} acks, ${at} s${note ? `, ${note}` : ''})`);
      });
    }
  };

  const send = async (fetch: PlannedFetch): Promise<void> => {
    for (let attempt = 0; ; attempt += 1) {
      if (Date.now() > deadline)
        throw new Error(`Load timed out with ${acknowledged.size}/${plan.total} fetches acknowledged`);
      figures.attempts += 1;
      let status: number;
      let body: unknown;
      try {
        ({ status, body } = await client.request('POST', '/v1/fetches', fetch, 10_000));
      } catch {
        figures.answersLost += 1;
        await pause(Math.min(1_000, 50 * 2 ** attempt));
        continue;
      }
      if (status === 202 || status === 200) {
        if (status === 200) figures.alreadyRecorded += 1;
        acknowledged.add(fetch.fetchId);
        figures.acknowledged = acknowledged.size;
        fireDueFaults();
        return;
      }
      if (status >= 500 || status === 429) {
        figures.serverErrors += 1;
        await pause(Math.min(1_000, 50 * 2 ** attempt));
        continue;
      }
      const detail = `${fetch.fetchId}: ${status} ${JSON.stringify(body).slice(0, 300)}`;
      if (status === 409) figures.conflicts.push(detail);
      else figures.refused.push(detail);
      return;
    }
  };

  await Promise.all(
    plan.lanes.map(async (lane) => {
      for (const fetch of lane.fetches) await send(fetch);
    }),
  );
  // Thresholds never reached (a refused fetch lowers the count) fire now, during the catch-up.
  for (const fault of pending) fault.atAck = 0;
  fireDueFaults();
  await injecting;
  if (faultErrors[0]) throw faultErrors[0];
  figures.seconds = (Date.now() - started) / 1000;
  return { acknowledged, figures };
}
