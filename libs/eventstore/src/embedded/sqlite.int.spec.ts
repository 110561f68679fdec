import { tempDir } from '@termline/testing';
import { join } from 'node:path';
import { openSqlite, WriteGroup } from './sqlite';

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
