import type { ExportManifest, ExportRequest } from '@termline/audit';
import { loadConfig } from '@termline/config';
import { eventually, tempDir } from '@termline/testing';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExportJobs, ExportRefusedError, type ExportJob, type ExportProducer } from './export-jobs.service';

/** Export jobs on a real disk: inline answers, the switch to a job past the limit, failures, restarts, expiry. */
const request: ExportRequest = {
  scope: { kind: 'collection' },
  from: null,
  to: null,
  includeSnapshots: false,
};
const meta = { format: 'bundle' as const, request, requestedBy: 'test' };
const ROOT = 'a'.repeat(64);

/** A producer writing `count` chunks of `size` bytes (chunk i filled with byte i), then failing if asked. */
const producer =
  (count: number, size: number, failAfter?: number): ExportProducer =>
  async (write) => {
    for (let i = 0; i < count; i += 1) {
      if (failAfter !== undefined && i === failAfter)
        throw new Error(`snapshot ${i} is missing from the archive`);
      await write(Buffer.alloc(size, i));
    }
    return { rootHash: ROOT } as ExportManifest;
  };
const expected = (count: number, size: number) =>
  Buffer.concat(Array.from({ length: count }, (_, i) => Buffer.alloc(size, i)));

describe('ExportJobs (files under the data dir)', () => {
  const dir = tempDir('termline-export-jobs-');
  let now = new Date('2026-11-27T12:00:00Z');
  const clock = { now: () => now };
  const jobsOf = () => {
    const jobs = new ExportJobs(
      loadConfig({
        TERMLINE_DATA_DIR: dir.path,
        TERMLINE_EXPORT_INLINE_MAX_BYTES: '1000',
        TERMLINE_EXPORT_JOB_TTL_HOURS: '2',
      }),
      clock,
    );
    jobs.onModuleInit();
    return jobs;
  };
  let jobs: ExportJobs;
  beforeAll(() => {
    jobs = jobsOf();
  });
  afterAll(async () => {
    await jobs.onModuleDestroy();
    dir.remove();
  });
  const finished = (jobId: string) =>
    eventually(() => {
      const job = jobs.get(jobId);
      return Promise.resolve(job && (job.status === 'done' || job.status === 'failed') ? job : undefined);
    });

  it('answers an export within the limit inline, and makes no job', async () => {
    const outcome = await jobs.start(meta, producer(3, 300), { async: false });
    expect(outcome).toEqual({ inline: expected(3, 300) });
    expect(readdirSync(join(dir.path, 'exports')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('turns an export that outgrows the limit into a job whose file holds every byte', async () => {
    const outcome = await jobs.start(meta, producer(40, 300), { async: false });
    if (!('job' in outcome)) throw new Error('expected a job');
    expect(outcome.job).toMatchObject({ status: 'queued', requestedBy: 'test', format: 'bundle' });
    const job = await finished(outcome.job.jobId);
    expect(job).toMatchObject({ status: 'done', bytes: 12_000, rootHash: ROOT, reason: null });
    expect(readFileSync(jobs.filePath(job)).equals(expected(40, 300))).toBe(true);
  });

  it('runs a job at once when asked, and records why one failed (no partial file left)', async () => {
    const ok = await jobs.start(meta, producer(2, 10), { async: true });
    const failing = await jobs.start(meta, producer(10, 10, 4), { async: true });
    if (!('job' in ok) || !('job' in failing)) throw new Error('expected jobs');
    expect(await finished(ok.job.jobId)).toMatchObject({ status: 'done', bytes: 20 });
    const failed = await finished(failing.job.jobId);
    expect(failed).toMatchObject({ status: 'failed', reason: 'snapshot 4 is missing from the archive' });
    expect(existsSync(jobs.filePath(failed))).toBe(false);
    expect(readdirSync(join(dir.path, 'exports')).some((f) => f.endsWith('.part'))).toBe(false);
  });

  it('rejects an export that fails before it outgrows the limit: the caller can still answer a problem', async () => {
    await expect(jobs.start(meta, producer(3, 10, 1), { async: false })).rejects.toThrow(/snapshot 1/);
  });

  it('marks jobs left queued or running by a stopped gateway as failed, saying so', () => {
    const orphan: ExportJob = {
      jobId: '00000000-0000-4000-8000-000000000001',
      status: 'running',
      ...meta,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
      bytes: 5,
      rootHash: null,
      reason: null,
    };
    writeFileSync(join(dir.path, 'exports', `${orphan.jobId}.json`), JSON.stringify(orphan));
    writeFileSync(join(dir.path, 'exports', `${orphan.jobId}.part`), 'half');
    const restarted = jobsOf();
    expect(restarted.get(orphan.jobId)).toMatchObject({
      status: 'failed',
      reason: 'the gateway stopped while the job was running; ask for the export again',
    });
    expect(existsSync(join(dir.path, 'exports', `${orphan.jobId}.part`))).toBe(false);
  });

  it('forgets jobs and deletes their files after the TTL; unknown or malformed ids are no job', async () => {
    const outcome = await jobs.start(meta, producer(1, 10), { async: true });
    if (!('job' in outcome)) throw new Error('expected a job');
    const job = await finished(outcome.job.jobId);
    expect(jobs.get('../../etc/passwd')).toBeNull();
    now = new Date(now.getTime() + 2 * 3_600_000 + 1);
    expect(jobs.get(job.jobId)).toBeNull();
    expect(jobs.sweep()).toBeGreaterThanOrEqual(1);
    expect(existsSync(jobs.filePath(job))).toBe(false);
    expect(readdirSync(join(dir.path, 'exports'))).toEqual([]);
  });
});

describe('ExportJobs (one export written at a time, a bounded number waiting)', () => {
  const dir = tempDir('termline-export-turns-');
  const jobs = new ExportJobs(
    loadConfig({
      TERMLINE_DATA_DIR: dir.path,
      TERMLINE_EXPORT_INLINE_MAX_BYTES: '1000',
      TERMLINE_EXPORT_MAX_PENDING: '2',
    }),
    { now: () => new Date('2026-11-27T12:00:00Z') },
  );
  beforeAll(() => jobs.onModuleInit());
  afterAll(async () => {
    await jobs.onModuleDestroy();
    dir.remove();
  });

  /** A producer that records when it starts and ends, and waits for `gate` before its last chunk. */
  const gated =
    (name: string, log: string[], gate: Promise<void>, size = 10): ExportProducer =>
    async (write) => {
      log.push(`${name} starts`);
      await write(Buffer.alloc(size, 1));
      await gate;
      await write(Buffer.alloc(size, 2));
      log.push(`${name} ends`);
      return { rootHash: ROOT } as ExportManifest;
    };

  it('refuses an export past the limit while others wait, and takes one again once they are written', async () => {
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = await jobs.start(meta, gated('job', log, gate), { async: true });
    // An inline request waits for the job's turn to end before its producer starts.
    const inline = jobs.start(meta, gated('inline', log, Promise.resolve()), { async: false });
    await expect(jobs.start(meta, gated('third', log, gate), { async: true })).rejects.toThrow(
      ExportRefusedError,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toEqual(['job starts']);
    open();
    expect(await inline).toEqual({ inline: Buffer.concat([Buffer.alloc(10, 1), Buffer.alloc(10, 2)]) });
    expect(log).toEqual(['job starts', 'job ends', 'inline starts', 'inline ends']);
    if (!('job' in first)) throw new Error('expected a job');
    expect(jobs.get(first.job.jobId)).toMatchObject({ status: 'done', bytes: 20 });
    // Both were written: room again, for a third that runs at once.
    const again = await jobs.start(meta, gated('again', log, Promise.resolve()), { async: false });
    expect(again).toEqual({ inline: Buffer.concat([Buffer.alloc(10, 1), Buffer.alloc(10, 2)]) });
  });

  it('keeps the turn of an inline export that became a job until its file is written', async () => {
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // 1,200 bytes before the gate: over the inline limit, so the caller gets a job while the producer waits.
    const big = await jobs.start(meta, gated('big', log, gate, 1200), { async: false });
    if (!('job' in big)) throw new Error('expected a job');
    const next = jobs.start(meta, gated('next', log, Promise.resolve()), { async: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toEqual(['big starts']);
    open();
    await next;
    expect(log).toEqual(['big starts', 'big ends', 'next starts', 'next ends']);
    expect(jobs.get(big.job.jobId)).toMatchObject({ status: 'done', bytes: 2400 });
  });

  it('does not write an inline export whose caller went away while it waited, and passes the turn on', async () => {
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    await jobs.start(meta, gated('job', log, gate), { async: true });
    const hungUp = new AbortController();
    const waiting = jobs.start(meta, gated('waiting', log, Promise.resolve()), {
      async: false,
      signal: hungUp.signal,
    });
    hungUp.abort();
    open();
    await expect(waiting).rejects.toMatchObject({ reason: 'caller-gone' });
    expect(log).toEqual(['job starts', 'job ends']);
    expect(await jobs.start(meta, producer(1, 10), { async: false })).toEqual({ inline: expected(1, 10) });
  });

  it('passes the turn on when an export fails', async () => {
    await expect(jobs.start(meta, producer(3, 10, 1), { async: false })).rejects.toThrow(/snapshot 1/);
    expect(await jobs.start(meta, producer(1, 10), { async: false })).toEqual({ inline: expected(1, 10) });
  });

  it('when the gateway stops, refuses new exports, starts no queued one and finishes the one being written', async () => {
    const own = tempDir('termline-export-stop-');
    const config = loadConfig({ TERMLINE_DATA_DIR: own.path, TERMLINE_EXPORT_MAX_PENDING: '5' });
    const clock = { now: () => new Date('2026-11-27T12:00:00Z') };
    const stopping = new ExportJobs(config, clock);
    stopping.onModuleInit();
    try {
      const log: string[] = [];
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const writing = await stopping.start(meta, gated('writing', log, gate), { async: true });
      const queued = await stopping.start(meta, gated('queued', log, gate), { async: true });
      const waiting = stopping.start(meta, gated('waiting', log, gate), { async: false });
      const stopped = stopping.onModuleDestroy();
      await expect(stopping.start(meta, producer(1, 10), { async: false })).rejects.toMatchObject({
        reason: 'stopping',
      });
      open();
      await expect(waiting).rejects.toMatchObject({ reason: 'stopping' });
      await stopped;
      if (!('job' in writing) || !('job' in queued)) throw new Error('expected jobs');
      expect(log).toEqual(['writing starts', 'writing ends']);
      expect(stopping.get(writing.job.jobId)).toMatchObject({ status: 'done', bytes: 20 });
      // Left queued: the next start says why it failed.
      const restarted = new ExportJobs(config, clock);
      restarted.onModuleInit();
      expect(restarted.get(queued.job.jobId)).toMatchObject({
        status: 'failed',
        reason: 'the gateway stopped while the job was queued; ask for the export again',
      });
      await restarted.onModuleDestroy();
    } finally {
      own.remove();
    }
  });
});
