import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Opens a SQLite file for durable, crash-safe use: WAL journal, full sync on commit, waits on a busy lock. */
export function openSqlite(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Runs synchronous SQLite work as a promise, so that its errors arrive as rejections like any other adapter's. */
export const settle = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
