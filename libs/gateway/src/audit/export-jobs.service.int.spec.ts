import type { ExportManifest, ExportRequest } from '@termline/audit';
import { loadConfig } from '@termline/config';
import { eventually, tempDir } from '@termline/testing';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExportJobs, type ExportJob, type ExportProducer } from './export-jobs.service';

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
