import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What the bench watches outside its own code: reachable services, memory and CPU of processes. */

/** Whether something accepts TCP connections at host:port within the timeout. */
export function tcpAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `host:port` of a broker list entry or a mongodb:// URI (first host). */
export function hostPortOf(address: string, defaultPort: number): { host: string; port: number } {
  const withoutScheme = address.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]*@/, '');
  const first = withoutScheme.split(/[,/?]/)[0] ?? '';
  const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(first);
  return { host: match?.[1] || '127.0.0.1', port: match?.[2] ? Number(match[2]) : defaultPort };
}

/** Pids of the local infrastructure started by `npm run infra:up` (`.infra/run/<name>.pid`), if alive. */
export function infraPids(repoRoot: string): Record<string, number> {
  const dir = join(repoRoot, '.infra', 'run');
  const pids: Record<string, number> = {};
  if (!existsSync(dir)) return pids;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.pid')) continue;
    const pid = Number(readFileSync(join(dir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}/status`))
      pids[file.slice(0, -'.pid'.length)] = pid;
  }
  // PostgreSQL (behind FerretDB) writes no pid file there; the first line of its socket lock file is the postmaster.
  // FerretDB v1's cluster has its sockets in run/postgres, v2's (with DocumentDB) in run/postgres-documentdb.
  for (const name of ['postgres', 'postgres-documentdb']) {
    const postgres = join(dir, name);
    const lock = existsSync(postgres)
      ? readdirSync(postgres).find((file) => /^\.s\.PGSQL\.\d+\.lock$/.test(file))
      : undefined;
    if (!lock) continue;
    const pid = Number(readFileSync(join(postgres, lock), 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}/status`)) pids.postgres = pid;
  }
  return pids;
}

/** Live children of a process (PostgreSQL runs one backend per connection). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function ownRssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Resident memory in MB of a process and its live children, from /proc/<pid>/status VmRSS; null once it is gone.
 * Memory shared between them (PostgreSQL's shared buffers) is counted once per process: an upper bound.
 */
export function rssMbOf(pid: number): number | null {
  const own = ownRssMb(pid);
  if (own === null) return null;
  return childrenOf(pid).reduce((sum, child) => sum + (ownRssMb(child) ?? 0), own);
}

const CLOCK_TICKS_PER_SECOND = 100;

function statFields(pid: number, file = `/proc/${pid}/stat`): string[] | null {
  try {
    const stat = readFileSync(file, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) a process has used so far, with its children: the live ones and those it has
 * reaped (cutime, cstime); null once it is gone. Children that exited since an earlier reading are counted.
 */
export function cpuSecondsOf(pid: number): number | null {
  const fields = statFields(pid);
  if (!fields) return null;
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) => Number(fields[index]));
  let ticks = utime! + stime! + cutime! + cstime!;
  for (const child of childrenOf(pid)) {
    const own = statFields(child);
    if (own) ticks += Number(own[11]) + Number(own[12]);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds this process's main thread has used (its own line under /proc/<pid>/task), null where there is no
 * /proc. Unlike the event loop's busy time, it does not count the time the thread waited for a core on a loaded
 * machine, nor for a synchronous fsync.
 */
function mainThreadCpuSeconds(): number | null {
  const fields = statFields(process.pid, `/proc/${process.pid}/task/${process.pid}/stat`);
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : null;
}

export interface ResourceReport {
  peakRssMb: number;
  /** Peak resident memory of each infrastructure process (separate processes in kafka-mongo mode). */
  infraPeakRssMb: Record<string, number>;
  /** CPU seconds used during the measurement, by this process and by each infrastructure process. */
  cpuSeconds: Record<string, number>;
  /**
   * This process's main thread (the event loop): the seconds it was busy, not waiting for I/O, and that over the
   * measurement's wall time. In embedded mode the whole system and the driver share it, so it bounds throughput.
   */
  mainThread: { cpuSeconds: number | null; busySeconds: number; utilisation: number };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Samples RSS every `everyMs` (this process and the given pids) and CPU time at start and stop. */
export class ResourceSampler {
  private readonly timer: NodeJS.Timeout;
  private peakRss = 0;
  private readonly infraPeaks: Record<string, number> = {};
  private readonly startCpu: Record<string, number> = {};
  private readonly ownCpuStart = process.cpuUsage();
  private readonly loopStart = performance.eventLoopUtilization();
  private readonly mainCpuStart = mainThreadCpuSeconds();

  constructor(
    private readonly pids: Record<string, number>,
    everyMs = 100,
  ) {
    for (const [name, pid] of Object.entries(pids)) {
      const cpu = cpuSecondsOf(pid);
      if (cpu !== null) this.startCpu[name] = cpu;
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): ResourceReport {
    clearInterval(this.timer);
    this.sample();
    const own = process.cpuUsage(this.ownCpuStart);
    const loop = performance.eventLoopUtilization(this.loopStart);
    const mainCpu = mainThreadCpuSeconds();
    const mainThread = {
      cpuSeconds: mainCpu !== null && this.mainCpuStart !== null ? round1(mainCpu - this.mainCpuStart) : null,
      busySeconds: round1(loop.active / 1000),
      utilisation: Math.round(loop.utilization * 100) / 100,
    };
    const cpuSeconds: Record<string, number> = { bench: round1((own.user + own.system) / 1e6) };
    for (const [name, pid] of Object.entries(this.pids)) {
      const cpu = cpuSecondsOf(pid);
      const start = this.startCpu[name];
      if (cpu !== null && start !== undefined) cpuSeconds[name] = round1(cpu - start);
    }
    const infraPeakRssMb: Record<string, number> = {};
    for (const [name, peak] of Object.entries(this.infraPeaks)) infraPeakRssMb[name] = round1(peak);
    return { peakRssMb: round1(this.peakRss / (1024 * 1024)), infraPeakRssMb, cpuSeconds, mainThread };
  }

  private sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    for (const [name, pid] of Object.entries(this.pids)) {
      const rss = rssMbOf(pid);
      if (rss !== null) this.infraPeaks[name] = Math.max(this.infraPeaks[name] ?? 0, rss);
    }
  }
}
