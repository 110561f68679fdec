import { onDatabaseRoundTrip } from '@termline/eventstore';
import { performance } from 'node:perf_hooks';
import { isBenchDriver } from './profiler';
import { cpuSecondsOf } from './resources';

/**
 * What a fetch costs, counted rather than guessed: database round trips by kind (the same counters /metrics
 * shows), CPU time of every process from /proc, and the cost of the first and the last fetches of the replay.
 */

export type Counts = Record<string, number>;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Round trips of the system in this process, by `store:operation`; the bench driver's own polls left out. */
export class InProcessRoundTrips {
  readonly counts: Counts = {};
  private readonly stopListening: () => void;

  constructor() {
    this.stopListening = onDatabaseRoundTrip((store, operation) => {
      if (isBenchDriver()) return;
      const key = `${store}:${operation}`;
      this.counts[key] = (this.counts[key] ?? 0) + 1;
    });
  }

  stop(): Counts {
    this.stopListening();
    return { ...this.counts };
  }
}

/** termline_db_round_trips_total of a Prometheus text answer, by `store:operation`. */
export function roundTripsOf(text: string): Counts {
  const counts: Counts = {};
  const series = /^termline_db_round_trips_total\{([^}]*)\} (\S+)$/gm;
  for (const [, labels, value] of text.matchAll(series)) {
    const store = /store="([^"]*)"/.exec(labels!)?.[1] ?? '?';
    const operation = /operation="([^"]*)"/.exec(labels!)?.[1] ?? '?';
    counts[`${store}:${operation}`] = (counts[`${store}:${operation}`] ?? 0) + Number(value);
  }
  return counts;
}

/** The round trips each process reports on its /metrics, by process. */
export async function scrapeRoundTrips(urls: Record<string, string>): Promise<Record<string, Counts>> {
  const byProcess: Record<string, Counts> = {};
  for (const [name, url] of Object.entries(urls)) {
    const answer = await fetch(url);
    if (!answer.ok) throw new Error(`${url} answered ${answer.status}`);
    byProcess[name] = roundTripsOf(await answer.text());
  }
  return byProcess;
}

export const difference = (after: Counts, before: Counts): Counts =>
  Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, value]) => value > 0),
  );

/** Counts per fetch, by kind and in total, most frequent first. */
export function perFetch(counts: Counts, fetches: number): { total: number; byKind: Counts } | null {
  if (fetches <= 0) return null;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const byKind = Object.fromEntries(
    Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .map(([key, value]) => [key, round(value / fetches)]),
  );
  return { total: round(total / fetches), byKind };
}

/** CPU seconds used so far by each named process (with its children), and by this one under `selfName`. */
export function cpuNow(pids: Record<string, number>, selfName: string): Counts {
  const own = process.cpuUsage();
  const seconds: Counts = { [selfName]: (own.user + own.system) / 1e6 };
  for (const [name, pid] of Object.entries(pids)) {
    const cpu = cpuSecondsOf(pid);
    if (cpu !== null) seconds[name] = cpu;
  }
  return seconds;
}

interface Mark {
  at: number;
  visible: number;
  /** Bytes of content of the fetches visible at the mark. */
  bytes: number;
  cpu: Counts;
}

export interface WindowCost {
  fetches: number;
  /** Mean content size of the window's fetches: the documents at the end of a replay are not those at its start. */
  kbPerFetch: number;
  cpuMsPerFetch: number;
  /** CPU-ms per MB of content: the cost with the size of the documents taken out. */
  cpuMsPerMb: number | null;
  wallMsPerFetch: number;
  /** CPU-ms per fetch of each process in the window. */
  cpuMsPerFetchByProcess: Counts;
}

export interface ReplayCost {
  windowFetches: number;
  first: WindowCost | null;
  last: WindowCost | null;
  /**
   * last / first: 1 is a flat cost per fetch; the goal is at most 1.2. `size`: how much larger the last window's
   * documents are; `cpuPerMb`: the CPU ratio per MB of content, what is left of the growth once size is taken out.
   */
  ratio: { cpu: number | null; wall: number | null; size: number | null; cpuPerMb: number | null };
}

/**
 * Marks when the first `size` fetches are visible and when the last `size` begin (visible count reaches
 * total - size), reading every process's CPU at each mark: the cost of the start and of the end of the replay.
 * With fewer than 2 x size fetches, both windows shrink to half the replay.
 */
export class ReplayWindows {
  readonly size: number;
  private readonly start: Mark;
  private firstEnd: Mark | null = null;
  private lastStart: Mark | null = null;
  private end: Mark | null = null;

  constructor(
    private readonly total: number,
    private readonly pids: Record<string, number>,
    private readonly selfName: string,
    size = 1000,
  ) {
    this.size = Math.max(1, Math.min(size, Math.floor(total / 2)));
    this.start = this.mark(0);
  }

  /** `bytes`: content bytes of all the fetches visible so far. */
  onVisible(visible: number, bytes = 0): void {
    if (this.firstEnd === null && visible >= this.size) this.firstEnd = this.mark(visible, bytes);
    if (this.lastStart === null && visible >= this.total - this.size)
      this.lastStart = this.mark(visible, bytes);
    if (this.end === null && visible >= this.total) this.end = this.mark(visible, bytes);
  }

  report(): ReplayCost {
    const first = this.firstEnd ? this.cost(this.start, this.firstEnd) : null;
    const last = this.lastStart && this.end ? this.cost(this.lastStart, this.end) : null;
    const ratio = (pick: (cost: WindowCost) => number | null) => {
      const before = first ? pick(first) : null;
      const after = last ? pick(last) : null;
      return before !== null && after !== null && before > 0 ? round(after / before) : null;
    };
    return {
      windowFetches: this.size,
      first,
      last,
      ratio: {
        cpu: ratio((cost) => cost.cpuMsPerFetch),
        wall: ratio((cost) => cost.wallMsPerFetch),
        size: ratio((cost) => cost.kbPerFetch),
        cpuPerMb: ratio((cost) => cost.cpuMsPerMb),
      },
    };
  }

  private mark(visible: number, bytes = 0): Mark {
    return { at: performance.now(), visible, bytes, cpu: cpuNow(this.pids, this.selfName) };
  }

  private cost(from: Mark, to: Mark): WindowCost {
    const fetches = to.visible - from.visible;
    const byProcess: Counts = {};
    for (const [name, seconds] of Object.entries(to.cpu)) {
      const before = from.cpu[name];
      if (before !== undefined)
        byProcess[name] = round(((seconds - before) * 1000) / Math.max(1, fetches), 1);
    }
    const cpuMsPerFetch = round(
      Object.values(byProcess).reduce((a, b) => a + b, 0),
      1,
    );
    const bytes = to.bytes - from.bytes;
    return {
      fetches,
      kbPerFetch: round(bytes / 1024 / Math.max(1, fetches), 1),
      cpuMsPerFetch,
      cpuMsPerMb: bytes > 0 ? round((cpuMsPerFetch * fetches) / (bytes / (1024 * 1024)), 1) : null,
      wallMsPerFetch: round((to.at - from.at) / Math.max(1, fetches), 1),
      cpuMsPerFetchByProcess: byProcess,
    };
  }
}
