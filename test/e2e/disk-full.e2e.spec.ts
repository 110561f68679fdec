import { eventually, uniqueName } from '@termline/testing';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { aFetch, configFor, INGEST, READER, startSystem, type SystemUnderTest } from './system.scenarios';

/**
 * Issue 7, item 5: with the data directory on a small tmpfs, ingest must answer 503 with Retry-After once the
 * disk is full (never a crash, never connection refused), the consumers must wait instead of exiting, and
 * everything must resume by itself when space returns. Mounting needs root: where it is refused, the spec is
 * reported as skipped with the reason.
 */
// Room for the stores' write-ahead logs once space returns: SQLite checkpoints a WAL only past 1,000 pages (4 MB), so
// on a smaller disk the backlog written after the ballast goes can fill it again before any checkpoint.
const TMPFS_SIZE = '32m';
const mountPoint = mkdtempSync(join(tmpdir(), 'termline-disk-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', mountPoint], {
  encoding: 'utf8',
});
const skipReason =
  mounted.status === 0
    ? null
    : `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()})`;

afterAll(() => {
  if (skipReason === null) spawnSync('umount', ['-l', mountPoint]);
  rmdirSync(mountPoint);
});

/** Writes zeros until the file system refuses: the disk is then full for every writer. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    // Whatever is left is smaller than a block: fill it byte-wise too.
    for (;;) {
      try {
        written += writeSync(fd, Buffer.alloc(512));
      } catch {
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

if (skipReason !== null) {
  describe(`Disk full [SKIPPED: ${skipReason}]`, () => {
    it.todo('needs a mountable tmpfs (root)');
  });
  console.warn(`disk-full.e2e.spec: skipped, ${skipReason}`);
} else {
  describe('Disk full (embedded mode on a tmpfs)', () => {
    let system: SystemUnderTest;
    let http: ReturnType<typeof request>;
    const dataDir = join(mountPoint, 'data');
    const ballast = join(mountPoint, 'ballast');
    const service = uniqueName('Full Disk').replace(/_/g, ' ');

    beforeAll(async () => {
      system = await startSystem('embedded', configFor({ TERMLINE_DATA_DIR: dataDir }), () =>
        Promise.reject(new Error('not used')),
      );
      http = request(system.app.getHttpServer());
    }, 60_000);
    afterAll(async () => {
      // close() fails the spec if a consumer stopped on the way.
      await system?.close();
    }, 30_000);

    const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
    const post = (body: unknown) =>
      http
        .post('/v1/fetches')
        .set(auth(INGEST))
        .send(body as object);
    const statusOf = async (fetchId: string) =>
      (
        (await http.get(`/v1/fetches/${encodeURIComponent(fetchId)}`).set(auth(READER))).body as {
          status?: string;
        }
      ).status;
    let day = 0;
    // Random hex, so that compression cannot make room: each fetch costs the stores real space.
    const bigFetch = () => {
      day += 1;
      return aFetch({
        service,
        mimeType: 'text/plain',
        fetchedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
        content: `Terms\n\n${randomBytes(24 * 1024).toString('hex')}\n`,
      });
    };

    it('answers 503 with Retry-After when full, stays up, and resumes by itself when space returns', async () => {
      const first = bigFetch();
      const documentId = ((await post(first).expect(202)).body as { documentId: string }).documentId;
      await eventually(async () =>
        (await statusOf(first.fetchId as string)) === 'recorded' ? true : undefined,
      );
      // The projections of the first fetch finish before the disk is filled: writes of theirs still on the way
      // (read models, governance forms) would otherwise take the room left below before any fetch is posted.
      await eventually(async () => {
        const response = await http.get(`/v1/documents/${documentId}`).set(auth(READER));
        return response.status === 200 && (response.body as { versionCount: number }).versionCount === 1
          ? true
          : undefined;
      });

      const filled = fillDisk(ballast);
      expect(filled).toBeGreaterThan(0);
      // Room for a few messages in the log but not for all the consumer writes for them: the consumer meets the
      // full disk first, then ingest does.
      truncateSync(ballast, Math.max(0, filled - 640 * 1024));

      const accepted: string[] = [];
      let refused: request.Response | undefined;
      for (let i = 0; i < 40 && !refused; i++) {
        const fetch = bigFetch();
        const response = await post(fetch);
        // Anything but accepted or refused-for-space (a 500, a reset connection) fails here.
        expect([202, 503]).toContain(response.status);
        if (response.status === 202) accepted.push(fetch.fetchId as string);
        else refused = response;
      }
      expect(refused).toBeDefined();
      expect(accepted.length).toBeGreaterThan(0);
      expect(refused!.headers['content-type']).toContain('application/problem+json');
      expect(refused!.headers['retry-after']).toBe('30');
      expect(refused!.body).toMatchObject({ status: 503, code: 'storage-full' });

      // Still up: it answers, reads work.
      await http.get('/health').expect(200);
      await http
        .get(`/v1/fetches/${encodeURIComponent(first.fetchId as string)}`)
        .set(auth(READER))
        .expect(200);

      rmSync(ballast);

      const after = bigFetch();
      await eventually(async () => ((await post(after)).status === 202 ? true : undefined), 30_000, 500);
      // Every fetch accepted, before, during and after the full disk, is recorded in the end: nothing was lost.
      for (const fetchId of [...accepted, after.fetchId as string]) {
        await eventually(
          async () => ((await statusOf(fetchId)) === 'recorded' ? true : undefined),
          45_000,
          250,
        );
      }
    }, 150_000);
  });
}
