import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
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

/** How long chained SQLite calls may hold the event loop before one of them waits for the next turn. */
const SLICE_MS = 4;
let sliceStartedAt = 0;
/** Calls waiting for a later turn: while there are any, every new call queues behind them. */
let deferredCalls = 0;

/**
 * Runs synchronous SQLite work as a promise, so that its errors arrive as rejections like any other adapter's.
 * Usually as a microtask, at once; but once calls chained by microtasks have held the event loop for SLICE_MS, the
 * next one waits for a later turn, letting waiting I/O in first. Without that, a consumer's run of a few hundred
 * reads and writes held the loop from its first call to its last, and HTTP requests waited for all of it (the p99
 * of an ingest answer was seconds).
 *
 * Calls run in the order they are made, across callers: once one call waits, later ones queue behind it (immediates
 * run in order, and the microtasks of each run before the next). A call that found a fresh slice must not overtake
 * an earlier one still waiting: a writer that does not await its own calls (two read-model updates of one batch)
 * would otherwise see its second write land before its first.
 */
export const settle = <T>(work: () => T): Promise<T> => {
  if (deferredCalls === 0 && performance.now() - sliceStartedAt < SLICE_MS) {
    return Promise.resolve().then(work);
  }
  deferredCalls += 1;
  return new Promise<T>((resolve) => {
    setImmediate(() => {
      deferredCalls -= 1;
      sliceStartedAt = performance.now();
      // The error as thrown, never wrapped: a SqliteError is not `instanceof Error` in every realm (jest's test
      // files share the native module's error class), and its code is what names a damaged file.
      resolve(Promise.resolve().then(work));
    });
  });
};

/**
 * Group commit for a durable file: the writes asked for in one turn of the event loop run in one transaction, so
 * they share one fsync (about 2 ms each on the bench machine, holding the event loop) instead of paying one each.
 * Each write runs in a savepoint of its own: one that throws leaves nothing and fails alone, the others commit.
 * A write's promise settles only after the whole group is committed (or failed to commit, which fails them all),
 * and `afterCommit` is where a caller updates what it keeps in memory, so memory never runs ahead of the file.
 */
export class WriteGroup {
  private readonly queue: Array<{
    write: () => unknown;
    afterCommit?: (value: unknown) => void;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(private readonly db: Database.Database) {}

  run<T>(write: () => T, afterCommit?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        write,
        ...(afterCommit ? { afterCommit: afterCommit as (value: unknown) => void } : {}),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.queue.length === 1) setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    const group = this.queue.splice(0);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const { write } of group) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(write)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ afterCommit, resolve, reject }, index) => {
      const outcome = outcomes[index]!;
      if (!outcome.ok) return reject(outcome.error);
      try {
        afterCommit?.(outcome.value);
        resolve(outcome.value);
      } catch (error) {
        reject(error);
      }
    });
  }
}
