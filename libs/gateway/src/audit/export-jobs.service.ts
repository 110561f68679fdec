import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EXTENSIONS, type ExportFormat, type ExportManifest, type ExportRequest } from '@termline/audit';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import { CLOCK, type Clock } from '@termline/platform';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export const EXPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportJobStatus = (typeof EXPORT_JOB_STATUSES)[number];

/** An export written to a file in the background, when it is too large (or asked) to answer inline. */
export interface ExportJob {
  jobId: string;
  status: ExportJobStatus;
  format: ExportFormat;
  request: ExportRequest;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  /** When the job and its file are deleted. */
  expiresAt: string;
  /** Bytes written so far (all of them once done). */
  bytes: number;
  /** The manifest's root hash, once done. */
  rootHash: string | null;
  /** Why the job failed; null otherwise. */
  reason: string | null;
}

/** Writes an export chunk by chunk (writeExport bound to its files); resolves with the manifest. */
export type ExportProducer = (write: (chunk: Buffer) => Promise<void>) => Promise<ExportManifest>;

export type ExportOutcome = { inline: Buffer } | { job: ExportJob };

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const EXPORT_JOB_ID_PATTERN = JOB_ID;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * An export refused. `busy`: as many exports as TERMLINE_EXPORT_MAX_PENDING are already queued or being written.
 * Each holds a document's history in memory while it runs (a 12,000-section document took 1.3 GB), so they may not
 * pile up: sixteen side by side held 4.4 GB and the event loop for 7 s. `stopping`: the gateway is shutting down and
 * only finishes the export it is writing. `caller-gone`: an inline export's caller hung up while it waited its turn.
 */
export class ExportRefusedError extends Error {
  constructor(
    readonly reason: 'busy' | 'stopping' | 'caller-gone',
    pending: number,
  ) {
    super(
      reason === 'busy'
        ? `${pending} exports are already queued or being written (the limit); ask again when one of them is done`
        : reason === 'stopping'
          ? 'The gateway is shutting down; ask for the export again once it is back'
          : 'The caller went away while the export waited for its turn',
    );
    this.name = 'ExportRefusedError';
  }
}

/**
 * Export jobs as plain files under `<data dir>/exports`: `<id>.json` the status, `<id>.part` while writing,
 * `<id>.<tar|ndjson|csv>` when done. Nothing survives a restart but the record of it: a job that was queued or
 * running when the gateway stopped is marked failed, with that reason, when it starts again. Exports are written one
 * at a time, inline or not (the machine is small, and each holds a history in memory): an inline request waits for
 * its turn, and one that outgrows the inline limit keeps its turn as a job, since its files are already being read.
 * At most TERMLINE_EXPORT_MAX_PENDING exports wait or run at once; past that a request is refused
 * ({@link ExportRefusedError}), not queued without end.
 */
@Injectable()
export class ExportJobs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ExportJobs.name);
  private readonly dir: string;
  /** Settles when the last export given a turn is written: the next one starts then. */
  private queue: Promise<void> = Promise.resolve();
  /** Exports accepted and not yet written (queued or running, inline or as jobs). */
  private pending = 0;
  /** Set when the gateway stops: no export starts any more, the one being written finishes. */
  private stopping = false;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(TERMLINE_CONFIG) private readonly config: TermlineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.dir = join(config.dataDir, 'exports');
  }

  onModuleInit(): void {
    mkdirSync(this.dir, { recursive: true });
    for (const job of this.all()) {
      if (job.status === 'queued' || job.status === 'running') {
        rmSync(this.partPath(job.jobId), { force: true });
        this.save({
          ...job,
          status: 'failed',
          reason: `the gateway stopped while the job was ${job.status}; ask for the export again`,
        });
      }
    }
    this.sweep();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    // The HTTP server still takes requests until the modules are destroyed: refuse new exports, start no queued one
    // (it is marked failed at the next start), and let the one being written finish with its status.
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  get(jobId: string): ExportJob | null {
    if (!JOB_ID.test(jobId)) return null;
    const path = this.statusPath(jobId);
    if (!existsSync(path)) return null;
    const job = JSON.parse(readFileSync(path, 'utf8')) as ExportJob;
    return Date.parse(job.expiresAt) <= this.clock.now().getTime() ? null : job;
  }

  filePath(job: ExportJob): string {
    return join(this.dir, `${job.jobId}.${EXTENSIONS[job.format]}`);
  }

  /**
   * Runs an export: answers it inline while it stays within `inlineMaxBytes`; past that (or at once when `async`),
   * it becomes a job whose file is written in the background, and the caller gets the job.
   */
  async start(
    meta: Pick<ExportJob, 'format' | 'request' | 'requestedBy'>,
    produce: ExportProducer,
    options: { async: boolean; inlineMaxBytes?: number; signal?: AbortSignal },
  ): Promise<ExportOutcome> {
    if (this.stopping) throw new ExportRefusedError('stopping', this.pending);
    if (this.pending >= this.config.exportMaxPending) throw new ExportRefusedError('busy', this.pending);
    this.pending += 1;
    let release!: () => void;
    const written = new Promise<void>((resolve) => (release = resolve));
    const turn = this.queue;
    this.queue = written;
    void written.then(() => (this.pending -= 1));
    if (options.async) {
      const job = this.create(meta);
      const run = () => (this.stopping ? undefined : this.runJob(job, [], (write) => produce(write)));
      this.track(turn.then(run).finally(release));
      return { job };
    }
    await turn;
    if (this.stopping || options.signal?.aborted) {
      release();
      // A caller that went away while it waited (`signal`): the export is not written for nobody.
      throw new ExportRefusedError(options.signal?.aborted ? 'caller-gone' : 'stopping', this.pending);
    }
    const limit = options.inlineMaxBytes ?? this.config.exportInlineMaxBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    let redirect: ((chunk: Buffer) => Promise<void>) | null = null;
    let becameJob: (job: ExportJob) => void = () => undefined;
    let jobWritten: Promise<void> = Promise.resolve();
    const switched = new Promise<ExportJob>((resolve) => (becameJob = resolve));
    // The producer keeps writing through this one function; once over the limit it writes to the job's file.
    const producing = produce(async (chunk) => {
      if (redirect) return redirect(chunk);
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      const job = this.create(meta);
      const handOver = new Promise<(chunk: Buffer) => Promise<void>>((resolve) => {
        jobWritten = this.runJob(job, chunks.splice(0), (write) => {
          resolve(write);
          return producing;
        });
        this.track(jobWritten);
      });
      redirect = await handOver;
      becameJob(job);
    });
    // The turn passes once the bytes are written: to the answer, or to the job's file with its status.
    void producing
      .then(
        () => jobWritten,
        () => jobWritten,
      )
      .finally(release);
    const first = await Promise.race([
      producing.then(() => 'inline' as const),
      switched.then((job) => ({ job })),
    ]);
    return first === 'inline' ? { inline: Buffer.concat(chunks) } : first;
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work
      .catch((error: unknown) => this.logger.error(`export job bookkeeping failed: ${String(error)}`))
      .finally(() => this.running.delete(work));
  }

  private create(meta: Pick<ExportJob, 'format' | 'request' | 'requestedBy'>): ExportJob {
    const now = this.clock.now();
    const job: ExportJob = {
      jobId: randomUUID(),
      status: 'queued',
      ...meta,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.config.exportJobTtlHours * 3_600_000).toISOString(),
      bytes: 0,
      rootHash: null,
      reason: null,
    };
    this.save(job);
    return job;
  }

  /** Writes the job's file: what was already produced, then the rest; never throws, a failure is recorded. */
  private async runJob(job: ExportJob, already: Buffer[], produce: ExportProducer): Promise<void> {
    const part = this.partPath(job.jobId);
    const out = createWriteStream(part);
    let bytes = 0;
    const write = async (chunk: Buffer) => {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
    };
    try {
      this.save({ ...job, status: 'running' });
      for (const chunk of already) await write(chunk);
      const manifest = await produce(write);
      out.end();
      await once(out, 'finish');
      renameSync(part, this.filePath(job));
      this.save({ ...job, status: 'done', bytes, rootHash: manifest.rootHash });
    } catch (error) {
      // The file opens asynchronously: wait for the stream to close, or the removal could come before the open.
      if (!out.closed) {
        const closed = once(out, 'close');
        out.destroy();
        await closed;
      }
      rmSync(part, { force: true });
      const reason = (error as Error).message || String(error);
      this.logger.warn(`export job ${job.jobId} failed: ${reason}`);
      this.save({ ...job, status: 'failed', bytes, reason });
    }
  }

  private save(job: ExportJob): void {
    const next = { ...job, updatedAt: this.clock.now().toISOString() };
    const tmp = `${this.statusPath(job.jobId)}.tmp`;
    // Written whole, then renamed: a reader never sees half a status.
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(tmp, this.statusPath(job.jobId));
  }

  private all(): ExportJob[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => {
        try {
          return [JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as ExportJob];
        } catch {
          return [];
        }
      });
  }

  /** Deletes jobs past their time, with their files. */
  sweep(): number {
    const now = this.clock.now().getTime();
    let removed = 0;
    for (const job of this.all()) {
      if (Date.parse(job.expiresAt) > now || job.status === 'queued' || job.status === 'running') continue;
      rmSync(this.filePath(job), { force: true });
      rmSync(this.statusPath(job.jobId), { force: true });
      removed += 1;
    }
    return removed;
  }

  private statusPath(jobId: string): string {
    return join(this.dir, `${jobId}.json`);
  }

  private partPath(jobId: string): string {
    return join(this.dir, `${jobId}.part`);
  }
}
