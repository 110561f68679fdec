import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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
  return db;
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
