import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import { Worker, type Transferable } from 'node:worker_threads';

/**
 * A fixed set of worker threads running one script, each doing one job at a time; jobs wait in order for the next
 * free worker. A job's answer (or the error it threw, with its name and message) settles its promise. A worker
 * that dies fails only its own job and is replaced; the pool never retries a job itself (the caller's policy does).
 */
export interface WorkerPoolOptions {
  /** The worker script: compiled JavaScript, or a TypeScript source under the test runner. */
  entry: string;
  /** Threads (at least 1). */
  size: number;
  /** Given to every worker at start (structured clone). */
  workerData?: unknown;
  /** In thread names and errors. */
  name: string;
}

/** What a worker script receives per job and answers. */
export interface WorkerJob {
  id: number;
  task: string;
  input: unknown;
}
export type WorkerAnswer =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

interface Job {
  id: number;
  task: string;
  input: unknown;
  transfer: readonly Transferable[];
  resolve: (output: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/** A sensible default: leave the main thread a core, use at least one worker, never more than `max`. */
export const defaultPoolSize = (max = 2): number => Math.max(1, Math.min(max, availableParallelism() - 1));

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new Error(`A worker pool needs at least one thread, got ${options.size}`);
    for (let i = 0; i < options.size; i += 1) this.slots.push(this.spawn());
  }

  /** Runs `task` on the next free worker. Anything listed in `transfer` is moved, not copied (and unusable here). */
  run<T>(task: string, input: unknown, transfer: readonly Transferable[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`The ${this.options.name} pool is closed`));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        id: this.nextId++,
        task,
        input,
        transfer,
        resolve: resolve as (output: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /** Jobs not yet finished (running and waiting). */
  get pending(): number {
    return this.waiting.length + this.slots.filter((slot) => slot.job !== null).length;
  }

  /** Stops every worker; running and waiting jobs fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error(`The ${this.options.name} pool is closed`);
    for (const job of this.waiting.splice(0)) job.reject(error);
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.job?.reject(error);
        slot.job = null;
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.job !== null) continue;
      const job = this.waiting.shift()!;
      slot.job = job;
      // A busy worker keeps the process alive until its answer comes; an idle one does not.
      slot.worker.ref();
      const message: WorkerJob = { id: job.id, task: job.task, input: job.input };
      try {
        slot.worker.postMessage(message, [...job.transfer]);
      } catch (error) {
        // An input that cannot be cloned: the job's fault, not the worker's.
        slot.job = null;
        job.reject(error);
      }
    }
  }

  private spawn(): Slot {
    const { entry, workerData, name } = this.options;
    const worker = entry.endsWith('.ts')
      ? new Worker(typeScriptBootstrap(entry), { eval: true, workerData, name })
      : new Worker(entry, { workerData, name });
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (answer: WorkerAnswer) => {
      const job = slot.job;
      if (!job || job.id !== answer.id) return;
      slot.job = null;
      slot.worker.unref();
      if (answer.ok) job.resolve(answer.output);
      else job.reject(Object.assign(new Error(answer.error.message), answer.error));
      this.dispatch();
    });
    // A thread that crashed (out of memory, an uncaught error) fails its job and is replaced.
    const replace = (error: Error) => {
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      slot.job?.reject(error);
      slot.job = null;
      this.slots[index] = this.spawn();
      this.dispatch();
    };
    worker.on('error', (error) => replace(error));
    worker.on('exit', (code) =>
      replace(new Error(`A ${name} worker thread exited (code ${code}) while it had a job`)),
    );
    return slot;
  }
}

/**
 * Under the test runner the sources are TypeScript: the worker first installs the repository's loader for them
 * (test/support/register-typescript.js, the one jest's child processes use too). A built service runs the compiled
 * script and never gets here.
 */
function typeScriptBootstrap(entry: string): string {
  const loader = join(repoRootOf(entry), 'test', 'support', 'register-typescript.js');
  return `require(${JSON.stringify(loader)});\nrequire(${JSON.stringify(entry)});\n`;
}

/** The repository root of a source file under libs/<lib>/src. */
function repoRootOf(entry: string): string {
  const libs = entry.lastIndexOf(`${sep}libs${sep}`);
  if (libs < 0) throw new Error(`A TypeScript worker script must live under libs/: ${entry}`);
  return entry.slice(0, libs);
}
