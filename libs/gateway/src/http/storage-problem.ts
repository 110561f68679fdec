import { isDamagedSqlite, SnapshotCorruptError } from '@termline/eventstore';
import { isOutOfSpace } from '@termline/messaging';
import { problemTypeOf, type Problem } from './problem';

/** How long a client should wait before retrying a write refused for lack of space. */
export const STORAGE_FULL_RETRY_AFTER_SECONDS = 30;

/**
 * The store failures the gateway names instead of a bare 500: a full disk (503 with Retry-After: the write is
 * refused, the process stays up and takes writes again once space returns) and a damaged store (503: an
 * operator repairs it, see docs/reliability.md).
 */
export function storageProblemOf(error: unknown): { problem: Problem; retryAfterSeconds?: number } | null {
  if (isOutOfSpace(error)) {
    return {
      problem: {
        type: problemTypeOf('storage-full'),
        title: 'Service Unavailable',
        status: 503,
        detail: 'The store is out of space; nothing was recorded. Retry later.',
        code: 'storage-full',
      },
      retryAfterSeconds: STORAGE_FULL_RETRY_AFTER_SECONDS,
    };
  }
  if (error instanceof SnapshotCorruptError) {
    // The archive refuses to serve bytes that do not hash to their id; the message names the snapshot and the repair.
    return {
      problem: {
        type: problemTypeOf('snapshot-damaged'),
        title: 'Service Unavailable',
        status: 503,
        detail: error.message,
        code: 'snapshot-damaged',
      },
    };
  }
  if (isDamagedSqlite(error)) {
    return {
      problem: {
        type: problemTypeOf('store-damaged'),
        title: 'Service Unavailable',
        status: 503,
        detail:
          'A store this request needs is damaged. An operator can rebuild the read models from the event store (POST /v1/admin/projections/rebuild).',
        code: 'store-damaged',
      },
    };
  }
  return null;
}
