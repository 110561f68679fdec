import { SnapshotCorruptError } from '@termline/eventstore';
import { STORAGE_FULL_RETRY_AFTER_SECONDS, storageProblemOf } from './storage-problem';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('storageProblemOf', () => {
  it('answers a full disk with 503, storage-full and a Retry-After, also when the error is a cause', () => {
    const full = withCode('database or disk is full', 'SQLITE_FULL');
    for (const error of [
      full,
      new Error('publish failed', { cause: full }),
      withCode('ENOSPC: no space left', 'ENOSPC'),
    ]) {
      expect(storageProblemOf(error)).toEqual({
        problem: expect.objectContaining({ status: 503, code: 'storage-full' }) as unknown,
        retryAfterSeconds: STORAGE_FULL_RETRY_AFTER_SECONDS,
      });
    }
  });

  it('answers MongoDB out of disk space the same way', () => {
    const error = Object.assign(new Error('Out of disk space'), { code: 14031, codeName: 'OutOfDiskSpace' });
    expect(storageProblemOf(error)?.problem.code).toBe('storage-full');
  });

  it('answers a damaged SQLite file with 503 store-damaged naming the repair, without Retry-After', () => {
    const problem = storageProblemOf(withCode('database disk image is malformed', 'SQLITE_CORRUPT'));
    expect(problem?.problem).toMatchObject({ status: 503, code: 'store-damaged' });
    expect(problem?.problem.detail).toContain('/v1/admin/projections/rebuild');
    expect(problem?.retryAfterSeconds).toBeUndefined();
    expect(storageProblemOf(withCode('file is not a database', 'SQLITE_NOTADB'))?.problem.code).toBe(
      'store-damaged',
    );
  });

  it('answers an archived snapshot that cannot be rebuilt with 503 snapshot-damaged naming it and the repair', () => {
    const id = 'a'.repeat(64);
    const problem = storageProblemOf(
      new SnapshotCorruptError(id, 'missing-base', `its delta base ${'b'.repeat(64)} is not in the archive`),
    );
    expect(problem?.problem).toMatchObject({ status: 503, code: 'snapshot-damaged' });
    expect(problem?.problem.detail).toContain(id);
    expect(problem?.problem.detail).toContain('termline archive repair');
  });

  it('leaves every other error to the usual mapping', () => {
    expect(storageProblemOf(new TypeError('bug'))).toBeNull();
    expect(storageProblemOf(withCode('busy', 'SQLITE_BUSY'))).toBeNull();
    expect(storageProblemOf(undefined)).toBeNull();
  });
});
