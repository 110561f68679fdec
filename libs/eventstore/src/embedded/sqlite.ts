import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { reportRoundTrip, sqlOperationOf } from '../round-trips';

/**
 * How much a commit waits for the disk. `durable` (facts: events, snapshots, messages, quarantine): a write is
 * acknowledged only once its commit is on disk (see {@link durablyCommitted}). `redoable` (what is done again when
 * lost): a commit survives a crash of the process at once, a power loss once the journal is next synced; WAL keeps
 * the file consistent, so a power loss can only take the newest commits whole. Used for the read models (derived
 * from the event store; the projection catches every stream up at start) and the consumer offsets (an offset that
 * goes back redelivers messages whose handlers are idempotent).
 */
export type SqliteDurability = 'durable' | 'redoable';

/**
 * Opens a SQLite file for crash-safe use: WAL journal, waits on a busy lock. SQLite never syncs on commit here
 * (`synchronous = NORMAL`: it syncs the journal before a checkpoint and the file after one); a durable file's
 * writers sync the journal themselves, off the event loop, before they acknowledge (ADR 0033).
 */
export function openSqlite(file: string, durability: SqliteDurability = 'durable'): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    // A file that is not a readable database fails here: do not leak the handle.
    db.close();
    throw error;
  }
  if (durability === 'durable' && file !== ':memory:') {
    // The journal is where SQLite puts it: beside the file a symbolic link leads to, not beside the link.
    const main = (db.pragma('database_list') as Array<{ name: string; file: string }>).find(
      (entry) => entry.name === 'main',
    );
    const journal = journalOf(`${main?.file || resolve(file)}-wal`);
    journals.set(db, journal);
    const close = db.close.bind(db);
    let connected = true;
    db.close = () => {
      const result = close();
      if (connected) journal.closed();
      connected = false;
      return result;
    };
  }
  countStatements(db);
  return db;
}

/**
 * The write-ahead journal of a durable file, synced on demand. One sync covers every commit made before it
 * started, so commits that ask while a sync runs share the next one: the disk sees at most one sync at a time per
 * file, however many writers wait.
 */
class JournalSync {
  /** The sync that will start when the running one ends: it covers whoever asks before it starts. */
  private next: Promise<void> | null = null;
  private running: Promise<void> = Promise.resolve();
  /** Kept open between syncs (an open and a close per sync cost two more trips through the thread pool). */
  private handle: FileHandle | null = null;
  /** Durable connections open on the file: at none, the journal may be removed, and the handle with it. */
  private connections = 0;

  constructor(private readonly journal: string) {}

  opened(): void {
    this.connections += 1;
  }

  /** A durable connection closed. At the last one, the handle is closed once no sync needs it. */
  closed(): void {
    this.connections -= 1;
    if (this.connections > 0) return;
    journalSyncs.delete(this.journal);
    const handle = this.handle;
    this.handle = null;
    if (handle) void this.running.finally(() => handle.close()).catch(() => undefined);
  }

  /**
   * A sync that failed is not tried again: after an fsync error the kernel may mark the lost pages clean, and a
   * second fsync would report success for data that never reached the disk. Every later write fails with the
   * first error, until the process restarts and SQLite recovers the journal from what the disk holds.
   */
  private failure: Error | null = null;

  synced(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        if (this.failure) throw this.failure;
        return (this.running = this.syncNow().catch((error: unknown) => {
          this.failure = new Error(
            `Syncing ${this.journal} failed; writes to it are refused until a restart: ${String(error)}`,
            { cause: error },
          );
          throw this.failure;
        }));
      });
    return this.next;
  }

  /**
   * An fsync of the journal file in libuv's thread pool: the event loop goes on meanwhile. No journal: the last
   * connection closed, which checkpoints every commit into the file and syncs it before the journal is removed.
   */
  private async syncNow(): Promise<void> {
    reportRoundTrip('sqlite', 'sync');
    if (this.handle) return this.handle.sync();
    let handle: FileHandle;
    try {
      handle = await open(this.journal, 'r+');
    } catch (error) {
      // Only once no connection is open may the journal be gone (the last close checkpointed it into the file).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && this.connections === 0) return;
      throw error;
    }
    // Kept only while a connection is open: the last one's close removes the journal.
    if (this.connections > 0 && !this.handle) this.handle = handle;
    try {
      await handle.sync();
    } finally {
      if (this.handle !== handle) await handle.close();
    }
  }
}

/** Per journal file, whichever durable connection to it commits. */
const journalSyncs = new Map<string, JournalSync>();
const journalOf = (path: string): JournalSync => {
  let journal = journalSyncs.get(path);
  if (!journal) journalSyncs.set(path, (journal = new JournalSync(path)));
  journal.opened();
  return journal;
};
const journals = new WeakMap<Database.Database, JournalSync>();

/**
 * Resolves once every commit made on `db` so far is on disk: at once for a redoable file or one in memory, else
 * after a sync of its journal that started after this call. A durable file's writers await it before they
 * acknowledge a write; what they keep in memory may follow the commit at once (memory follows the file's content,
 * acknowledgements follow the disk).
 */
export function durablyCommitted(db: Database.Database): Promise<void> {
  return journals.get(db)?.synced() ?? Promise.resolve();
}

/** {@link settle} for a write to a durable file: resolves once the write is on disk. */
export const settleDurably = async <T>(db: Database.Database, write: () => T): Promise<T> => {
  const value = await settle(write);
  await durablyCommitted(db);
  return value;
};

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
 * they share one journal sync instead of paying one each. Each write runs in a savepoint of its own: one that
 * throws leaves nothing and fails alone, the others commit. `afterCommit` runs as soon as the group is committed:
 * it is where a caller updates what it keeps in memory, which follows the file's content (the next group reads
 * it). A write's promise settles only once the group is on disk (see {@link durablyCommitted}), or failed to
 * commit or to sync, which fails them all.
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
    const committed: Array<{
      resolve: (value: unknown) => void;
      reject: (error: unknown) => void;
      value: unknown;
    }> = [];
    group.forEach(({ afterCommit, resolve, reject }, index) => {
      const outcome = outcomes[index]!;
      if (!outcome.ok) return reject(outcome.error);
      try {
        afterCommit?.(outcome.value);
        committed.push({ resolve, reject, value: outcome.value });
      } catch (error) {
        reject(error);
      }
    });
    if (committed.length === 0) return;
    durablyCommitted(this.db).then(
      () => committed.forEach(({ resolve, value }) => resolve(value)),
      (error: unknown) => committed.forEach(({ reject }) => reject(error)),
    );
  }
}
