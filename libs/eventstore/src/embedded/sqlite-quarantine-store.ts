import Database from 'better-sqlite3';
import type {
  QuarantineKind,
  QuarantineQuery,
  QuarantineRecord,
  QuarantineStore,
  QuarantineSummary,
} from '../quarantine-store.port';
import { openSqlite, settle, settleDurably } from './sqlite';

interface Row {
  doc: string;
  value: string;
}

const summaryOf = (row: { doc: string; value_bytes: number }): QuarantineSummary => ({
  ...(JSON.parse(row.doc) as Omit<QuarantineSummary, 'valueBytes'>),
  valueBytes: row.value_bytes,
});

/** The quarantine in its own SQLite file: the record as JSON, the (possibly large) message value beside it. */
export class SqliteQuarantineStore implements QuarantineStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(`CREATE TABLE IF NOT EXISTS quarantine (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, fetch_id TEXT, quarantined_at TEXT NOT NULL,
      doc TEXT NOT NULL, value TEXT NOT NULL, value_bytes INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS quarantine_fetch ON quarantine (fetch_id, quarantined_at);
    CREATE INDEX IF NOT EXISTS quarantine_at ON quarantine (quarantined_at DESC, id DESC);`);
  }

  park(record: Omit<QuarantineRecord, 'status' | 'replayedAt' | 'replays'>): Promise<void> {
    // On disk before the consumer commits its offset past the message (the offset may reach the disk first).
    return settleDurably(this.db, () => {
      const { value, ...rest } = record;
      const previous = this.db
        .prepare<[string], { doc: string }>('SELECT doc FROM quarantine WHERE id = ?')
        .get(record.id);
      const replays = previous ? (JSON.parse(previous.doc) as QuarantineRecord).replays : 0;
      const doc = { ...rest, status: 'parked', replayedAt: null, replays };
      this.db
        .prepare(
          `INSERT OR REPLACE INTO quarantine (id, kind, status, fetch_id, quarantined_at, doc, value, value_bytes)
           VALUES (?, ?, 'parked', ?, ?, ?, ?, ?)`,
        )
        .run(
          record.id,
          record.kind,
          record.fetchId,
          record.quarantinedAt,
          JSON.stringify(doc),
          value,
          Buffer.byteLength(value),
        );
    });
  }

  get(id: string): Promise<QuarantineRecord | null> {
    return settle(() => {
      const row = this.db.prepare<[string], Row>('SELECT doc, value FROM quarantine WHERE id = ?').get(id);
      return row ? { ...(JSON.parse(row.doc) as Omit<QuarantineRecord, 'value'>), value: row.value } : null;
    });
  }

  list(query: QuarantineQuery): Promise<QuarantineSummary[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.kind) {
      where.push('kind = ?');
      params.push(query.kind);
    }
    if (query.before) {
      where.push('(quarantined_at < ? OR (quarantined_at = ? AND id < ?))');
      params.push(query.before.quarantinedAt, query.before.quarantinedAt, query.before.id);
    }
    const sql = `SELECT doc, value_bytes FROM quarantine ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY quarantined_at DESC, id DESC LIMIT ?`;
    params.push(query.limit);
    return settle(() =>
      this.db
        .prepare<unknown[], { doc: string; value_bytes: number }>(sql)
        .all(...params)
        .map(summaryOf),
    );
  }

  findByFetchId(fetchId: string): Promise<QuarantineSummary | null> {
    return settle(() => {
      const row = this.db
        .prepare<[string], { doc: string; value_bytes: number }>(
          'SELECT doc, value_bytes FROM quarantine WHERE fetch_id = ? ORDER BY quarantined_at DESC LIMIT 1',
        )
        .get(fetchId);
      return row ? summaryOf(row) : null;
    });
  }

  markReplayed(id: string, at: string): Promise<void> {
    return settleDurably(this.db, () => {
      const row = this.db
        .prepare<[string], { doc: string }>('SELECT doc FROM quarantine WHERE id = ?')
        .get(id);
      if (!row) return;
      const doc = JSON.parse(row.doc) as QuarantineRecord;
      const replayed = { ...doc, status: 'replayed', replayedAt: at, replays: doc.replays + 1 };
      this.db
        .prepare(`UPDATE quarantine SET status = 'replayed', doc = ? WHERE id = ?`)
        .run(JSON.stringify(replayed), id);
    });
  }

  countParked(): Promise<Record<QuarantineKind, number>> {
    return settle(() => {
      const counts: Record<QuarantineKind, number> = { FetchQuarantined: 0, ProjectionFailed: 0 };
      const rows = this.db
        .prepare<[], { kind: QuarantineKind; n: number }>(
          `SELECT kind, COUNT(*) AS n FROM quarantine WHERE status = 'parked' GROUP BY kind`,
        )
        .all();
      for (const row of rows) counts[row.kind] = row.n;
      return counts;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      this.db.close();
    });
  }
}
