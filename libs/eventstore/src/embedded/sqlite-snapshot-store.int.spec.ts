import { tempDir } from '@termline/testing';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { snapshotStoreContract } from '../snapshot-store.contract';
import { compressSnapshot, snapshotIdOf } from '../snapshot-store.port';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

snapshotStoreContract('SQLite (embedded)', (options) => {
  const dir = tempDir();
  const file = join(dir.path, 'snapshots.sqlite');
  const store = new SqliteSnapshotStore(file, options);
  // The probe has its own connection, as another process damaging the file would.
  const raw = new Database(file);
  return Promise.resolve({
    store,
    reopen: () => Promise.resolve(new SqliteSnapshotStore(file, options)),
    probe: {
      storedAs: (id) => {
        const row = raw
          .prepare<[string], { compression: 'br' | 'delta-br'; base_id: string | null; depth: number }>(
            'SELECT compression, base_id, depth FROM snapshots WHERE snapshot_id = ?',
          )
          .get(id);
        if (!row) throw new Error(`no row for ${id}`);
        return Promise.resolve({ encoding: row.compression, baseId: row.base_id, depth: row.depth });
      },
      remove: (id) => {
        raw.prepare('DELETE FROM snapshots WHERE snapshot_id = ?').run(id);
        return Promise.resolve();
      },
      replaceWithOther: (id, other) => {
        raw
          .prepare(
            `UPDATE snapshots SET compression = 'br', base_id = NULL, depth = 0, content = ? WHERE snapshot_id = ?`,
          )
          .run(compressSnapshot(other), id);
        return Promise.resolve();
      },
      truncate: (id) => {
        raw
          .prepare(
            'UPDATE snapshots SET content = substr(content, 1, length(content) / 2) WHERE snapshot_id = ?',
          )
          .run(id);
        return Promise.resolve();
      },
      linkBase: (id, baseId) => {
        raw.prepare('UPDATE snapshots SET base_id = ? WHERE snapshot_id = ?').run(baseId, id);
        return Promise.resolve();
      },
    },
    cleanup: () => {
      raw.close();
      dir.remove();
      return Promise.resolve();
    },
  });
});

describe('SqliteSnapshotStore upgrade', () => {
  it('upgrades an archive written before deltas in place: old rows read back, new ones chain', async () => {
    const dir = tempDir();
    const file = join(dir.path, 'snapshots.sqlite');
    const old = Buffer.from('<html><body>Terms, as archived by the earlier layout</body></html>');
    const legacy = new Database(file);
    legacy.exec(`CREATE TABLE snapshots (
      snapshot_id TEXT PRIMARY KEY, mime_type TEXT NOT NULL, bytes INTEGER NOT NULL, compression TEXT NOT NULL,
      content BLOB NOT NULL, stored_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    legacy
      .prepare(`INSERT INTO snapshots VALUES (?, 'text/html', ?, 'br', ?, '2026-01-01T00:00:00Z')`)
      .run(snapshotIdOf(old), old.length, compressSnapshot(old));
    legacy.close();

    const store = new SqliteSnapshotStore(file);
    try {
      expect((await store.get(snapshotIdOf(old)))?.content.equals(old)).toBe(true);
      const first = Buffer.from(`<html><body>${'Terms of the service, section. '.repeat(200)}</body></html>`);
      const second = Buffer.from(first.toString().replace('section.', 'clause.'));
      await store.put(snapshotIdOf(first), first, 'text/html', { source: 's' });
      await store.put(snapshotIdOf(second), second, 'text/html', { source: 's' });
      const probe = new Database(file, { readonly: true });
      const row = probe
        .prepare<[string], { compression: string; depth: number }>(
          'SELECT compression, depth FROM snapshots WHERE snapshot_id = ?',
        )
        .get(snapshotIdOf(second));
      probe.close();
      expect(row).toEqual({ compression: 'delta-br', depth: 1 });
      expect((await store.get(snapshotIdOf(second)))?.content.equals(second)).toBe(true);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
