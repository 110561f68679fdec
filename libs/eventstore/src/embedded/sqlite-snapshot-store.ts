import Database from 'better-sqlite3';
import {
  checkedContent,
  collectChain,
  encodeForArchive,
  rebuildChain,
  SnapshotCorruptError,
  SourceHeadCache,
  type ArchiveRecord,
  type ChainBounds,
  type EncodedRecord,
  type SnapshotEncoding,
  type SourceHead,
} from '../snapshot-archive';
import {
  assertSnapshotId,
  compressSnapshot,
  type PutSnapshotOptions,
  type SnapshotToPut,
  type RepairOutcome,
  type SnapshotStore,
  type StoredSnapshot,
} from '../snapshot-store.port';
import {
  rewriteSourcesDense,
  type DenseRewriteTarget,
  type RebuiltSnapshot,
  type RewriteStep,
  type SourceSequence,
} from '../snapshot-rewrite';
import { openSqlite, settle, settleDurably, WriteGroup } from './sqlite';

interface SnapshotRow {
  snapshot_id: string;
  mime_type: string;
  bytes: number;
  compression: SnapshotEncoding;
  base_id: string | null;
  depth: number;
  content: Buffer;
}

export interface SnapshotStoreOptions {
  /** Deltas in a row before a whole copy (tests use a small bound). */
  maxChainDepth?: number;
  /** Bytes a read of a chain's last link may decode before the next snapshot is kept whole. */
  maxChainBytes?: number;
  /** Delta operations a read may compose before the next snapshot is kept whole. */
  maxChainOps?: number;
  /** Bytes of newest-per-source content kept in memory. */
  headCacheBytes?: number;
}

const toRecord = (row: SnapshotRow): ArchiveRecord => ({
  snapshotId: row.snapshot_id,
  mimeType: row.mime_type,
  bytes: row.bytes,
  encoding: row.compression,
  baseId: row.base_id,
  depth: row.depth,
  payload: row.content,
});

/**
 * `snapshots` keeps each snapshot whole or as a delta against an earlier one of its source (ADR 0013);
 * `snapshot_heads` names the newest snapshot of each source, the base of its next delta. A snapshot row and its
 * head move in one transaction, so a crash leaves either both or neither.
 */
export class SqliteSnapshotStore implements SnapshotStore, DenseRewriteTarget {
  private readonly db: Database.Database;
  private readonly insert;
  private readonly select;
  private readonly exists;
  private readonly selectHead;
  private readonly upsertHead;
  private readonly replace;
  private readonly heads: SourceHeadCache;
  private readonly bounds: ChainBounds;
  private readonly selectSourceOf;
  private readonly densify;
  /** Puts asked for in one turn of the event loop share one transaction and its fsync. */
  private readonly writes: WriteGroup;

  constructor(file: string, options: SnapshotStoreOptions = {}) {
    this.db = openSqlite(file);
    this.writes = new WriteGroup(this.db);
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
      snapshot_id TEXT PRIMARY KEY, mime_type TEXT NOT NULL, bytes INTEGER NOT NULL, compression TEXT NOT NULL,
      content BLOB NOT NULL, stored_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    // In-place upgrade of an archive written before deltas: its rows are whole copies, base NULL and depth 0.
    const columns = new Set(
      this.db
        .prepare<[], { name: string }>('PRAGMA table_info(snapshots)')
        .all()
        .map((column) => column.name),
    );
    if (!columns.has('base_id')) this.db.exec('ALTER TABLE snapshots ADD COLUMN base_id TEXT');
    if (!columns.has('depth'))
      this.db.exec('ALTER TABLE snapshots ADD COLUMN depth INTEGER NOT NULL DEFAULT 0');
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshot_heads (
      source TEXT PRIMARY KEY, snapshot_id TEXT NOT NULL
    ) WITHOUT ROWID`);
    // Insert-only: a second put of the same bytes changes nothing.
    this.insert = this.db.prepare(
      `INSERT OR IGNORE INTO snapshots (snapshot_id, mime_type, bytes, compression, base_id, depth, content, stored_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.replace = this.db.prepare(
      `UPDATE snapshots SET compression = 'br', base_id = NULL, depth = 0, content = ? WHERE snapshot_id = ?`,
    );
    this.exists = this.db.prepare<[string], { one: number }>(
      'SELECT 1 AS one FROM snapshots WHERE snapshot_id = ?',
    );
    this.select = this.db.prepare<[string], SnapshotRow>(
      `SELECT snapshot_id, mime_type, bytes, compression, base_id, depth, content
       FROM snapshots WHERE snapshot_id = ?`,
    );
    this.selectHead = this.db.prepare<[string], { snapshot_id: string }>(
      'SELECT snapshot_id FROM snapshot_heads WHERE source = ?',
    );
    this.upsertHead = this.db.prepare(
      `INSERT INTO snapshot_heads (source, snapshot_id) VALUES (?, ?)
       ON CONFLICT (source) DO UPDATE SET snapshot_id = excluded.snapshot_id`,
    );
    this.heads = new SourceHeadCache(options.headCacheBytes);
    this.bounds = {
      maxDepth: options.maxChainDepth,
      maxChainBytes: options.maxChainBytes,
      maxChainOps: options.maxChainOps,
    };
    // Which source a snapshot heads, so that a read of a source's newest snapshot after a restart warms the cache.
    this.db.exec('CREATE INDEX IF NOT EXISTS snapshot_heads_by_snapshot ON snapshot_heads (snapshot_id)');
    this.selectSourceOf = this.db.prepare<[string], { source: string }>(
      'SELECT source FROM snapshot_heads WHERE snapshot_id = ?',
    );
    // Only a whole copy becomes a delta, so a rerun after a crash finds each row in its old or its new form.
    this.densify = this.db.prepare(
      `UPDATE snapshots SET compression = 'delta-br', base_id = ?, depth = ?, content = ?
       WHERE snapshot_id = ? AND compression = 'br'`,
    );
  }

  put(
    snapshotId: string,
    content: Buffer,
    mimeType: string,
    options: PutSnapshotOptions = {},
  ): Promise<{ created: boolean }> {
    const { source } = options;
    return this.writes
      .run(
        () => {
          assertSnapshotId(snapshotId, content);
          if (this.exists.get(snapshotId)) return { created: false, record: null };
          const record = encodeForArchive(
            snapshotId,
            content,
            mimeType,
            source === undefined ? null : this.headOf(source),
            this.bounds,
          );
          const result = this.insert.run(
            snapshotId,
            mimeType,
            content.length,
            record.encoding,
            record.baseId,
            record.depth,
            record.payload,
            new Date().toISOString(),
          );
          if (result.changes === 1 && source !== undefined) this.upsertHead.run(source, snapshotId);
          return { created: result.changes === 1, record };
        },
        // The source's head is remembered once the group holding its row is committed.
        ({ created, record }) => {
          if (created && record && source !== undefined)
            this.heads.set(source, {
              snapshotId,
              depth: record.depth,
              content,
              chainBytes: record.chainBytes,
              chainOps: record.chainOps,
            });
        },
      )
      .then(({ created }) => ({ created }));
  }

  get(snapshotId: string): Promise<StoredSnapshot | null> {
    return settle(() => this.read(snapshotId));
  }

  repair(snapshotId: string, content: Buffer, mimeType: string): Promise<RepairOutcome> {
    // Its outcome is reported to an operator: on disk first.
    return settleDurably(this.db, () => {
      assertSnapshotId(snapshotId, content);
      const row = this.select.get(snapshotId);
      if (!row) {
        this.insert.run(
          snapshotId,
          mimeType,
          content.length,
          'br',
          null,
          0,
          compressSnapshot(content),
          new Date().toISOString(),
        );
        return 'restored';
      }
      try {
        this.read(snapshotId);
        return 'intact';
      } catch (error) {
        if (!(error instanceof SnapshotCorruptError)) throw error;
      }
      this.replace.run(compressSnapshot(content), snapshotId);
      this.heads.forgetSnapshot(snapshotId);
      return 'repaired';
    });
  }

  /**
   * Moves whole copies into the dense layout (ADR 0013; the steps are shared with the MongoDB store). One row per
   * statement, and only a row still whole is updated: a kill leaves every row whole or a verified delta.
   */
  rewriteDense(
    sequences: Iterable<SourceSequence>,
    onStep?: (snapshotId: string, step: RewriteStep) => void,
  ): Promise<Record<RewriteStep, number>> {
    return rewriteSourcesDense(this, sequences, this.bounds, onStep);
  }

  deltaBaseIds(): Promise<Set<string>> {
    return settle(
      () =>
        new Set(
          this.db
            .prepare<[], { base_id: string }>(
              'SELECT DISTINCT base_id FROM snapshots WHERE base_id IS NOT NULL',
            )
            .all()
            .map((row) => row.base_id),
        ),
    );
  }

  rebuiltForRewrite(snapshotId: string): Promise<RebuiltSnapshot | null> {
    return settle(() => {
      const row = this.select.get(snapshotId);
      if (!row) return null;
      const record = toRecord(row);
      const { content, chainBytes, chainOps } = rebuildChain(collectChain(record, (id) => this.record(id)));
      return { record, head: { snapshotId, depth: row.depth, content, chainBytes, chainOps } };
    });
  }

  replaceWholeWithDelta(record: EncodedRecord): Promise<void> {
    return settle(() => {
      this.densify.run(record.baseId, record.depth, record.payload, record.snapshotId);
      this.heads.forgetSnapshot(record.snapshotId);
    });
  }

  async *snapshotIds(): AsyncIterable<string> {
    // Read whole (ids only) so the caller may write, e.g. repair, while it walks them.
    const rows = await settle(() =>
      this.db
        .prepare<[], { snapshot_id: string }>('SELECT snapshot_id FROM snapshots ORDER BY snapshot_id')
        .all(),
    );
    for (const row of rows) yield row.snapshot_id;
  }

  /** Gives the pages freed by a rewrite back to the file system (VACUUM: a compact copy, swapped in whole). */
  compact(): Promise<void> {
    return settle(() => {
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  /** One put after the other: SQLite writes are local calls, and the order keeps each delta after its base. */
  async putMany(snapshots: readonly SnapshotToPut[]): Promise<Array<{ created: boolean }>> {
    const results: Array<{ created: boolean }> = [];
    for (const { snapshotId, content, mimeType, options } of snapshots)
      results.push(await this.put(snapshotId, content, mimeType, options));
    return results;
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }

  private read(snapshotId: string): StoredSnapshot | null {
    const row = this.select.get(snapshotId);
    if (!row) return null;
    // The newest snapshot of a source is in memory: checked against its id like any rebuilt one.
    const cached = this.heads.byId(snapshotId);
    if (cached) {
      const content = checkedContent(snapshotId, cached.content);
      return { snapshotId, mimeType: row.mime_type, bytes: row.bytes, content };
    }
    const { content, chainBytes, chainOps } = rebuildChain(
      collectChain(toRecord(row), (id) => this.record(id)),
    );
    // After a restart the cache is empty: the first read of a source's newest snapshot puts it back, so the next
    // reads (and the next write's delta) cost a hash check instead of a chain rebuild.
    const headOf = this.selectSourceOf.get(snapshotId);
    if (headOf && !this.heads.get(headOf.source))
      this.heads.set(headOf.source, { snapshotId, depth: row.depth, content, chainBytes, chainOps });
    return { snapshotId, mimeType: row.mime_type, bytes: row.bytes, content };
  }

  private record(snapshotId: string): ArchiveRecord | null {
    const row = this.select.get(snapshotId);
    return row ? toRecord(row) : null;
  }

  /** The base for the next delta of a source: from memory, else rebuilt from the store (after a restart). */
  private headOf(source: string): SourceHead | null {
    const cached = this.heads.get(source);
    if (cached) return cached;
    const head = this.selectHead.get(source);
    const row = head && this.select.get(head.snapshot_id);
    if (!row) return null;
    try {
      const { content, chainBytes, chainOps } = rebuildChain(
        collectChain(toRecord(row), (id) => this.record(id)),
      );
      return { snapshotId: row.snapshot_id, depth: row.depth, content, chainBytes, chainOps };
    } catch (error) {
      // A damaged head is no base: the new snapshot is kept whole and the damage stays for repair to fix.
      if (error instanceof SnapshotCorruptError) return null;
      throw error;
    }
  }
}
