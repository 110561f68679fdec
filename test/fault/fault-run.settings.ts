import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './app-process.supervisor';
import type { LoadFigures } from './load.driver';

/** The admin key of every process the suite starts (TERMLINE_ADMIN_KEY); these processes live for one run. */
export const FAULT_ADMIN_KEY = 'fault-suite-admin-key-0123456789';

/** TERMLINE_FAULT_SEED replays a run; otherwise a new seed, printed with every figure. */
export function faultSeed(): number {
  const raw = process.env.TERMLINE_FAULT_SEED;
  if (raw === undefined || raw === '') return randomInt(1, 2 ** 31);
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed <= 0)
    throw new Error(`TERMLINE_FAULT_SEED must be a positive integer, got "${raw}"`);
  return seed;
}

/** How many fetches each run sends (TERMLINE_FAULT_FETCHES, default 300). */
export function faultFetchCount(): number {
  const raw = process.env.TERMLINE_FAULT_FETCHES;
  const count = raw === undefined || raw === '' ? 300 : Number(raw);
  if (!Number.isInteger(count) || count < 12 || count > 5_000) {
    throw new Error(`TERMLINE_FAULT_FETCHES must be an integer from 12 to 5000, got "${raw}"`);
  }
  return count;
}

/** A fresh folder for one run's data and logs, under the repo's git-ignored .tmp (kept after the run for reading). */
export function runDir(label: string): string {
  const base = join(REPO_DIR, '.tmp', 'fault');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${label}-`));
}

export interface RunFigures extends LoadFigures {
  mode: string;
  seed: number;
  kills: Record<string, number>;
  restarts: number;
  unexpectedExits: string[];
  lost: number;
  duplicated: number;
  /** Load, faults and the wait for the read models, in seconds. */
  totalSeconds: number;
}

export function describeFigures(f: RunFigures): string {
  const kills = Object.entries(f.kills)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return [
    `[fault] ${f.mode} seed=${f.seed}: ${f.planned} fetches planned, ${f.attempts} sent (retries included), ` +
      `${f.acknowledged} acknowledged (${f.alreadyRecorded} as already recorded), ${f.answersLost} answers lost, ` +
      `${f.serverErrors} 5xx, kills/restarts: ${kills || 'none'}, ${f.restarts} restarts, ` +
      `lost ${f.lost}, duplicated ${f.duplicated}, load ${f.seconds.toFixed(1)} s, total ${f.totalSeconds.toFixed(1)} s`,
    ...f.faults.map((fault) => `[fault]   ${fault}`),
    ...f.unexpectedExits.map((exit) => `[fault]   ${exit}`),
    ...f.conflicts.map((c) => `[fault]   409 ${c}`),
    ...f.refused.map((r) => `[fault]   refused ${r}`),
  ].join('\n');
}
