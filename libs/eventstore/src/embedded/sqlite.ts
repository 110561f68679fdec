import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { reportRoundTrip, sqlOperationOf } from '../round-trips';

/** Opens a SQLite file for durable, crash-safe use: WAL journal, full sync on commit, waits on a busy lock. */
export function openSqlite(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
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

/** Runs synchronous SQLite work as a promise, so that its errors arrive as rejections like any other adapter's. */
export const settle = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
