import Database from 'better-sqlite3';
import {
  assertSnapshotId,
  compressSnapshot,
  decompressSnapshot,
  type SnapshotStore,
  type StoredSnapshot,
} from '../snapshot-store.port';
import { openSqlite, settle } from './sqlite';

interface SnapshotRow {
  snapshot_id: string;
  mime_type: string;
  bytes: number;
  content: Buffer;
}

export class SqliteSnapshotStore implements SnapshotStore {
  private readonly db: Database.Database;
  private readonly insert;
  private readonly select;
  private readonly exists;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
      snapshot_id TEXT PRIMARY KEY, mime_type TEXT NOT NULL, bytes INTEGER NOT NULL, compression TEXT NOT NULL,
      content BLOB NOT NULL, stored_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    // Insert-only: a second put of the same bytes changes nothing.
    this.insert = this.db.prepare(
      `INSERT OR IGNORE INTO snapshots (snapshot_id, mime_type, bytes, compression, content, stored_at)
       VALUES (?, ?, ?, 'br', ?, ?)`,
    );
    this.exists = this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM snapshots WHERE snapshot_id = ?');
    this.select = this.db.prepare<[string], SnapshotRow>(
      'SELECT snapshot_id, mime_type, bytes, content FROM snapshots WHERE snapshot_id = ?',
    );
  }

  put(snapshotId: string, content: Buffer, mimeType: string): Promise<{ created: boolean }> {
    return settle(() => {
      assertSnapshotId(snapshotId, content);
      if (this.exists.get(snapshotId)) return { created: false };
      const compressed = compressSnapshot(content);
      const result = this.insert.run(snapshotId, mimeType, content.length, compressed, new Date().toISOString());
      return { created: result.changes === 1 };
    });
  }

  get(snapshotId: string): Promise<StoredSnapshot | null> {
    return settle(() => {
      const row = this.select.get(snapshotId);
      if (!row) return null;
      return { snapshotId, mimeType: row.mime_type, bytes: row.bytes, content: decompressSnapshot(snapshotId, row.content) };
    });
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }
}
