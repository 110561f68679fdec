import { tempDir } from '@termline/testing';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { onDatabaseRoundTrip } from '../round-trips';
import { durablyCommitted, openSqlite, settle, WriteGroup } from './sqlite';

describe('WriteGroup (group commit on a durable SQLite file)', () => {
  const dir = tempDir('termline-write-group-');
  afterAll(() => dir.remove());

  it('of the writes asked for in one turn, fails only the one that threw, commits the others, then runs afterCommit', async () => {
    const db = openSqlite(join(dir.path, 'group.sqlite'));
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    const group = new WriteGroup(db);
    const seen: string[] = [];
    const remember = (key: string) => () => {
      // Stored and visible to a reader by the time the caller is told.
      if (db.prepare('SELECT k FROM t WHERE k = ?').get(key)) seen.push(key);
    };

    const outcomes = await Promise.allSettled([
      group.run(() => insert.run('a').changes, remember('a')),
      group.run(() => insert.run('a').changes, remember('a-again')),
      group.run(() => insert.run('b').changes, remember('b')),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    expect(db.prepare('SELECT k FROM t ORDER BY k').all()).toEqual([{ k: 'a' }, { k: 'b' }]);
    expect(seen).toEqual(['a', 'b']);
    db.close();
  });
});

describe('durable commits: the journal synced off the event loop before a write is acknowledged', () => {
  const dir = tempDir('termline-journal-sync-');
  afterAll(() => dir.remove());
  const syncs = () => {
    let count = 0;
    const stop = onDatabaseRoundTrip((store, operation) => {
      if (store === 'sqlite' && operation === 'sync') count++;
    });
    return { count: () => count, stop };
  };

  it('acknowledges a group once a sync that started after its commit has ended; writers who ask meanwhile share the next one', async () => {
    const db = openSqlite(join(dir.path, 'durable.sqlite'));
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    const group = new WriteGroup(db);
    const counted = syncs();
    try {
      const first = group.run(() => insert.run('a').changes);
      const firstTurn = [first, group.run(() => insert.run('b').changes)];
      await Promise.all(firstTurn);
      // One group, one sync; and none before the group was committed.
      expect(counted.count()).toBe(1);
      // A sync asked for while none is waiting to start is a new one.
      await durablyCommitted(db);
      expect(counted.count()).toBe(2);
      // Asked for together: one sync for all.
      await Promise.all([durablyCommitted(db), durablyCommitted(db), durablyCommitted(db)]);
      expect(counted.count()).toBe(3);
    } finally {
      counted.stop();
      db.close();
    }
  });

  it('does not sync a redoable file, nor wait for one', async () => {
    const db = openSqlite(join(dir.path, 'redoable.sqlite'), 'redoable');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const counted = syncs();
    try {
      await new WriteGroup(db).run(() => db.prepare('INSERT INTO t (k) VALUES (?)').run('a').changes);
      expect(counted.count()).toBe(0);
    } finally {
      counted.stop();
      db.close();
    }
  });

  it('syncs the journal SQLite writes, beside the file a symbolic link leads to', async () => {
    mkdirSync(join(dir.path, 'real'));
    const real = join(dir.path, 'real', 'linked.sqlite');
    const link = join(dir.path, 'link.sqlite');
    new Database(real).close();
    symlinkSync(real, link);
    const db = openSqlite(link);
    try {
      db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
      const write = new WriteGroup(db).run(() => db.prepare('INSERT INTO t (k) VALUES (?)').run('a').changes);
      // Looked for beside the link, no journal would be found while the file is open: the write would fail.
      await expect(write).resolves.toBe(1);
      expect(existsSync(`${link}-wal`)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('refuses every later write once a sync has failed: a second fsync could pass over the lost pages', async () => {
    const file = join(dir.path, 'failing.sqlite');
    const db = openSqlite(file);
    try {
      db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
      // The journal taken away while the file is open: the first sync cannot open it.
      rmSync(`${file}-wal`);
      const group = new WriteGroup(db);
      await expect(
        group.run(() => db.prepare('INSERT INTO t (k) VALUES (?)').run('a').changes),
      ).rejects.toThrow(/failed; writes to it are refused until a restart/);
      await expect(durablyCommitted(db)).rejects.toThrow(/refused until a restart/);
      await expect(
        group.run(() => db.prepare('INSERT INTO t (k) VALUES (?)').run('b').changes),
      ).rejects.toThrow(/refused until a restart/);
    } finally {
      db.close();
    }
  });

  it('counts a closed file as synced: closing checkpoints the journal into the file and removes it', async () => {
    const file = join(dir.path, 'closed.sqlite');
    const db = openSqlite(file);
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    db.prepare('INSERT INTO t (k) VALUES (?)').run('a');
    db.close();
    await expect(durablyCommitted(db)).resolves.toBeUndefined();
  });
});

describe('settle (SQLite calls as promises, in slices of the event loop)', () => {
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  it('runs calls in the order they are made, even when a later one finds a fresh slice while an earlier one waits', async () => {
    const order: string[] = [];
    // Spend the slice so that the next calls wait for a later turn.
    await settle(() => busy(6));
    busy(6);
    let second: Promise<void> | undefined;
    const first = settle(() => {
      order.push('other caller');
    }).then(() => {
      // The other caller's turn has opened a fresh slice; this writer's second call must still wait for its first.
      second = settle(() => {
        order.push('writer, second call');
      });
    });
    const firstOfWriter = settle(() => {
      order.push('writer, first call');
    });
    await Promise.all([first, firstOfWriter]);
    await second;
    expect(order).toEqual(['other caller', 'writer, first call', 'writer, second call']);
  });

  it('delivers the error a call throws as a rejection, as thrown', async () => {
    const error = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    await expect(
      settle(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });
});
