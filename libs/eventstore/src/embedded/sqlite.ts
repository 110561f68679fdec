import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { reportRoundTrip, sqlOperationOf } from '../round-trips';

/**
 * How much a commit waits for the disk. `durable` (facts: events, snapshots, messages, quarantine): every commit
 * is on disk before it returns (an fsync: about 2 ms on the bench machine, during which the event loop waits).
 * `redoable` (what is done again when lost): a commit survives a crash of the process at once, a power loss once
 * the journal is next synced; WAL keeps the file consistent, so a power loss can only take the newest commits
 * whole. Used for the read models (derived from the event store; the projection catches every stream up at start)
 * and the consumer offsets (an offset that goes back redelivers messages whose handlers are idempotent).
 */
export type SqliteDurability = 'durable' | 'redoable';

/** Opens a SQLite file for crash-safe use: WAL journal, sync on commit per `durability`, waits on a busy lock. */
export function openSqlite(file: string, durability: SqliteDurability = 'durable'): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(durability === 'durable' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    // A file that is not a readable database fails here: do not leak the handle.
    db.close();
    throw error;
  }
  countStatements(db);
  return db;
}

const EXECUTIONS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Every execution of a prepared statement reports one round trip of its kind (select, insert, ...): in-process
 * calls, not network trips, but the same count the MongoDB client reports, so both modes are measured alike.
 */
function countStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const operation = sqlOperationOf(sql);
    for (const name of EXECUTIONS) {
      const methods = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
      const execute = methods[name]!.bind(statement);
      methods[name] = (...args: unknown[]) => {
        reportRoundTrip('sqlite', operation);
        return execute(...args);
      };
    }
    return statement;
  }) as typeof db.prepare;
}

// SQLite's codes for a file it cannot read as a database any more (a damaged page, a damaged header).
const DAMAGED_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
]);

/** Whether an error (or its cause) says a SQLite file is damaged: a repair, not a retry, fixes it. */
export function isDamagedSqlite(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    typeof current === 'object' && current !== null && depth < 5;
    depth += 1
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && DAMAGED_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs synchronous SQLite work as a promise, so that its errors arrive as rejections like any other adapter's. In
 * a later turn of the event loop, not a microtask: a consumer's run of a few hundred reads and writes chained by
 * microtasks would hold the loop from its first to its last, and HTTP requests waited for all of it (the p99 of
 * an ingest answer was seconds). Each call now lets waiting I/O in first; calls still run in the order made.
 */
export const settle = <T>(work: () => T): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(work());
      } catch (error) {
        reject(error as Error);
      }
    });
  });
