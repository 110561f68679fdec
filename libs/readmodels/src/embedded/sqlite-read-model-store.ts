import Database from 'better-sqlite3';
import { isDamagedSqlite, openSqlite, settle } from '@termline/eventstore';
import { renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isHiddenByDefault,
  type DocumentView,
  type ObservationView,
  type DocumentPageQuery,
  type PageQuery,
  type ReadModelRebuild,
  type ReadModelWrites,
  type ReadModelStore,
  type TimelineEntry,
  type TimelineQuery,
  type VersionSummary,
  type VersionView,
} from '../read-models';
import {
  afterFormIdPrefix,
  formIdPrefixOf,
  isGovernanceEntryHidden,
  governanceEntryKeyOf,
  type GovernanceEntry,
  type GovernanceGeneration,
  type GovernanceTimelineQuery,
  type ProvisionFormQuery,
  type ProvisionFormView,
} from '../governance-models';

/**
 * Rows written per transaction by putGovernanceChanges and applyWrites (a form counts as one, its tags with it):
 * tens of milliseconds of the event loop, so that a long batch does not hold it.
 */
const ROWS_PER_TRANSACTION = 200;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const parse = <T>(row: { doc: string } | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null);
const parseAll = <T>(rows: Array<{ doc: string }>): T[] => rows.map((row) => JSON.parse(row.doc) as T);

/** Read models in one SQLite file; each table keeps the whole view as JSON beside the columns it is queried by. */
export class SqliteReadModelStore implements ReadModelStore {
  /**
   * Replaced when a rebuilt file is swapped in; every method reads it afresh. Null when the file could not even
   * be opened (a damaged header): every call then fails with that error, and a rebuild can still replace it.
   */
  private live: Database.Database | null;
  private unreadable: unknown = null;
  private readonly file: string;
  private readonly t: Record<
    | 'checkpoints'
    | 'documents'
    | 'versions'
    | 'timeline'
    | 'observations'
    | 'govGenerations'
    | 'govForms'
    | 'govFormTags'
    | 'govEntries'
    | 'govEntryTags',
    string
  >;

  constructor(
    file: string,
    private readonly namespace = 'rm_',
  ) {
    if (!/^[a-z0-9_]+$/.test(namespace)) throw new Error(`Bad read-model namespace ${namespace}`);
    this.file = file === ':memory:' ? file : resolve(file);
    this.t = {
      checkpoints: `${namespace}checkpoints`,
      documents: `${namespace}documents`,
      versions: `${namespace}versions`,
      timeline: `${namespace}timeline`,
      observations: `${namespace}observations`,
      govGenerations: `${namespace}gov_generations`,
      govForms: `${namespace}gov_provision_forms`,
      govFormTags: `${namespace}gov_provision_form_tags`,
      govEntries: `${namespace}gov_timeline`,
      govEntryTags: `${namespace}gov_timeline_tags`,
    };
    this.live = this.openOrRemember();
  }

  /** Prepared statements of the open database, by SQL: a statement is compiled once, not on every call. */
  private readonly statements = new Map<string, Database.Statement>();
  private statementsOf: Database.Database | null = null;

  private prepare<P extends unknown[] | object = unknown[], R = unknown>(
    sql: string,
  ): Database.Statement<P, R> {
    const db = this.db;
    // A swapped-in or reopened file has statements of its own.
    if (this.statementsOf !== db) {
      this.statements.clear();
      this.statementsOf = db;
    }
    let statement = this.statements.get(sql);
    if (!statement) {
      // Filters combine into a bounded number of queries; the bound is a guard, not a tuning knob.
      if (this.statements.size >= 500) this.statements.clear();
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as Database.Statement<P, R>;
  }

  /** The open database, or the error that kept it closed (an answer per call, not a crash at start). */
  private get db(): Database.Database {
    if (this.live !== null) return this.live;
    // The cause keeps SQLite's code, by which the gateway names the damage.
    throw this.unreadable === null
      ? new Error('The read-model store is closed')
      : new Error('The read-model file cannot be opened as a database', { cause: this.unreadable });
  }

  private openOrRemember(): Database.Database | null {
    try {
      this.unreadable = null;
      return this.open();
    } catch (error) {
      if (!isDamagedSqlite(error)) throw error;
      this.unreadable = error;
      return null;
    }
  }

  private open(): Database.Database {
    // Derived from the event store and caught up at start: no fsync per projection write (see openSqlite).
    const db = openSqlite(this.file, 'redoable');
    try {
      this.createTables(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }

  private createTables(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${this.t.checkpoints} (projection TEXT, stream_id TEXT, version INTEGER NOT NULL,
        PRIMARY KEY (projection, stream_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${this.t.documents} (document_id TEXT PRIMARY KEY, service_slug TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
      -- A service's documents (read by every POST /v1/fetches, for the slug check): by this index, not a scan of all.
      CREATE INDEX IF NOT EXISTS ${this.t.documents}_service ON ${this.t.documents} (service_slug, document_id);
      CREATE TABLE IF NOT EXISTS ${this.t.versions} (document_id TEXT, version INTEGER, summary TEXT NOT NULL, text TEXT NOT NULL,
        PRIMARY KEY (document_id, version)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${this.t.timeline} (entry_id TEXT PRIMARY KEY, document_id TEXT NOT NULL, service_slug TEXT NOT NULL,
        at TEXT NOT NULL, hidden INTEGER NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${this.t.timeline}_at ON ${this.t.timeline} (at DESC, entry_id DESC);
      CREATE INDEX IF NOT EXISTS ${this.t.timeline}_doc ON ${this.t.timeline} (document_id, at DESC, entry_id DESC);
      CREATE INDEX IF NOT EXISTS ${this.t.timeline}_service ON ${this.t.timeline} (service_slug, at DESC, entry_id DESC);
      CREATE TABLE IF NOT EXISTS ${this.t.observations} (document_id TEXT, stream_version INTEGER, doc TEXT NOT NULL,
        PRIMARY KEY (document_id, stream_version)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${this.t.govGenerations} (generation TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${this.t.govForms} (form_id TEXT PRIMARY KEY, generation TEXT NOT NULL,
        document_id TEXT NOT NULL, provision_id TEXT NOT NULL, service_slug TEXT NOT NULL, valid_from TEXT NOT NULL,
        valid_until TEXT, retracted INTEGER NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${this.t.govForms}_doc ON ${this.t.govForms} (generation, document_id, provision_id);
      CREATE TABLE IF NOT EXISTS ${this.t.govFormTags} (generation TEXT NOT NULL, tag TEXT NOT NULL, form_id TEXT NOT NULL,
        PRIMARY KEY (generation, tag, form_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${this.t.govEntries} (entry_key TEXT PRIMARY KEY, generation TEXT NOT NULL,
        entry_id TEXT NOT NULL, document_id TEXT NOT NULL, service_slug TEXT NOT NULL, document_type TEXT NOT NULL,
        at TEXT NOT NULL, hidden INTEGER NOT NULL, exposure TEXT, materiality TEXT NOT NULL, effective_at TEXT,
        doc TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${this.t.govEntries}_at ON ${this.t.govEntries} (generation, at DESC, entry_id DESC);
      CREATE INDEX IF NOT EXISTS ${this.t.govEntries}_doc ON ${this.t.govEntries} (generation, document_id, at DESC);
      CREATE INDEX IF NOT EXISTS ${this.t.govEntries}_effective ON ${this.t.govEntries} (generation, effective_at);
      CREATE TABLE IF NOT EXISTS ${this.t.govEntryTags} (generation TEXT NOT NULL, tag TEXT NOT NULL, entry_key TEXT NOT NULL,
        PRIMARY KEY (generation, tag, entry_key)) WITHOUT ROWID;
      -- Rewriting a form's or an entry's tags deletes them by their owner: without these, each delete read every
      -- tag of the generation (a 750 KB document's 5,600 forms took 8 s, holding the event loop).
      CREATE INDEX IF NOT EXISTS ${this.t.govFormTags}_by_form ON ${this.t.govFormTags} (generation, form_id);
      CREATE INDEX IF NOT EXISTS ${this.t.govEntryTags}_by_entry ON ${this.t.govEntryTags} (generation, entry_key);
    `);
  }

  /**
   * The rebuild goes into a new file beside this one, never into the (possibly damaged) live file. Swapping
   * closes the live file, moves the rebuilt one over it and reopens: one synchronous step, so no read or write
   * of this process runs in between.
   */
  prepareRebuild(): Promise<ReadModelRebuild> {
    return settle(() => {
      if (this.file === ':memory:')
        throw new Error('An in-memory read-model store cannot be rebuilt beside itself');
      const rebuiltFile = `${this.file}.rebuild`;
      const removeFiles = (base: string) => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${base}${suffix}`, { force: true });
      };
      removeFiles(rebuiltFile);
      const target = new SqliteReadModelStore(rebuiltFile, this.namespace);
      return {
        target,
        swapIn: async () => {
          // Closing checkpoints the target's journal into its file, which is then whole on its own.
          await target.close();
          await settle(() => {
            this.live?.close();
            this.live = null;
            removeFiles(this.file);
            renameSync(rebuiltFile, this.file);
            removeFiles(rebuiltFile);
            this.live = this.openOrRemember();
          });
        },
        discard: async () => {
          await target.close().catch(() => undefined);
          removeFiles(rebuiltFile);
        },
      };
    });
  }

  getCheckpoint(projection: string, streamId: string): Promise<number> {
    return settle(
      () =>
        this.prepare<[string, string], { version: number }>(
          `SELECT version FROM ${this.t.checkpoints} WHERE projection = ? AND stream_id = ?`,
        ).get(projection, streamId)?.version ?? 0,
    );
  }

  setCheckpoint(projection: string, streamId: string, version: number): Promise<void> {
    return settle(() => this.writeCheckpoint(projection, streamId, version));
  }

  private writeCheckpoint(projection: string, streamId: string, version: number): void {
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.checkpoints} (projection, stream_id, version) VALUES (?, ?, ?)`,
    ).run(projection, streamId, version);
  }

  getDocument(documentId: string): Promise<DocumentView | null> {
    return settle(() =>
      parse<DocumentView>(
        this.prepare<[string], { doc: string }>(
          `SELECT doc FROM ${this.t.documents} WHERE document_id = ?`,
        ).get(documentId),
      ),
    );
  }

  putDocument(document: DocumentView): Promise<void> {
    return settle(() => this.writeDocument(document));
  }

  private writeDocument(document: DocumentView): void {
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.documents} (document_id, service_slug, doc) VALUES (?, ?, ?)`,
    ).run(document.documentId, document.serviceSlug, JSON.stringify(document));
  }

  listDocuments(serviceSlug?: string, page?: DocumentPageQuery): Promise<DocumentView[]> {
    const where = [
      ...(serviceSlug === undefined ? [] : ['service_slug = ?']),
      ...(page?.afterDocumentId === undefined ? [] : ['document_id > ?']),
    ];
    const parameters = [
      ...(serviceSlug === undefined ? [] : [serviceSlug]),
      ...(page?.afterDocumentId === undefined ? [] : [page.afterDocumentId]),
      ...(page === undefined ? [] : [page.limit]),
    ];
    return settle(() =>
      parseAll<DocumentView>(
        this.prepare<Array<string | number>, { doc: string }>(
          `SELECT doc FROM ${this.t.documents}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
            ` ORDER BY document_id${page === undefined ? '' : ' LIMIT ?'}`,
        ).all(...parameters),
      ),
    );
  }

  putVersion(version: VersionView): Promise<void> {
    return settle(() => this.writeVersion(version));
  }

  private writeVersion(version: VersionView): void {
    const { text, ...summary } = version;
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.versions} (document_id, version, summary, text) VALUES (?, ?, ?, ?)`,
    ).run(version.documentId, version.version, JSON.stringify(summary), text);
  }

  getVersion(documentId: string, version: number): Promise<VersionView | null> {
    return settle(() => {
      const row = this.prepare<[string, number], { summary: string; text: string }>(
        `SELECT summary, text FROM ${this.t.versions} WHERE document_id = ? AND version = ?`,
      ).get(documentId, version);
      return row ? { ...(JSON.parse(row.summary) as VersionSummary), text: row.text } : null;
    });
  }

  listVersions(documentId: string, page: PageQuery): Promise<VersionSummary[]> {
    return settle(() =>
      this.prepare<[string, number, number], { summary: string }>(
        `SELECT summary FROM ${this.t.versions} WHERE document_id = ? AND version > ? ORDER BY version LIMIT ?`,
      )
        .all(documentId, page.afterVersion ?? 0, page.limit)
        .map((row) => JSON.parse(row.summary) as VersionSummary),
    );
  }

  putTimelineEntry(entry: TimelineEntry): Promise<void> {
    return settle(() => this.writeTimelineEntry(entry));
  }

  private writeTimelineEntry(entry: TimelineEntry): void {
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.timeline} (entry_id, document_id, service_slug, at, hidden, doc) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      entry.entryId,
      entry.documentId,
      entry.serviceSlug,
      entry.at,
      isHiddenByDefault(entry) ? 1 : 0,
      JSON.stringify(entry),
    );
  }

  removeVersionsAbove(documentId: string, version: number): Promise<void> {
    return settle(() => {
      this.db.transaction(() => {
        this.db
          .prepare(`DELETE FROM ${this.t.versions} WHERE document_id = ? AND version > ?`)
          .run(documentId, version);
        this.db
          .prepare(
            `DELETE FROM ${this.t.timeline} WHERE document_id = ? AND json_extract(doc, '$.version') > ?`,
          )
          .run(documentId, version);
      })();
    });
  }

  getTimelineEntry(entryId: string): Promise<TimelineEntry | null> {
    return settle(() =>
      parse<TimelineEntry>(
        this.prepare<[string], { doc: string }>(`SELECT doc FROM ${this.t.timeline} WHERE entry_id = ?`).get(
          entryId,
        ),
      ),
    );
  }

  queryTimeline(query: TimelineQuery): Promise<TimelineEntry[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const filter = (clause: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    filter('document_id = ?', query.documentId);
    filter('service_slug = ?', query.serviceSlug);
    filter('at >= ?', query.from);
    filter('at < ?', query.to);
    if (!query.includeHidden) where.push('hidden = 0');
    if (query.after !== undefined) {
      where.push('(at < ? OR (at = ? AND entry_id < ?))');
      params.push(query.after.at, query.after.at, query.after.entryId);
    }
    const sql = `SELECT doc FROM ${this.t.timeline} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at DESC, entry_id DESC LIMIT ?`;
    return settle(() =>
      parseAll<TimelineEntry>(this.prepare<unknown[], { doc: string }>(sql).all(...params, query.limit)),
    );
  }

  putObservation(observation: ObservationView): Promise<void> {
    return settle(() => this.writeObservation(observation));
  }

  private writeObservation(observation: ObservationView): void {
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.observations} (document_id, stream_version, doc) VALUES (?, ?, ?)`,
    ).run(observation.documentId, observation.streamVersion, JSON.stringify(observation));
  }

  listObservations(
    documentId: string,
    page: { afterStreamVersion?: number; limit: number },
  ): Promise<ObservationView[]> {
    return settle(() =>
      parseAll<ObservationView>(
        this.prepare<[string, number, number], { doc: string }>(
          `SELECT doc FROM ${this.t.observations} WHERE document_id = ? AND stream_version > ? ORDER BY stream_version LIMIT ?`,
        ).all(documentId, page.afterStreamVersion ?? 0, page.limit),
      ),
    );
  }

  putGovernanceGeneration(generation: GovernanceGeneration): Promise<void> {
    return settle(() => this.writeGovernanceGeneration(generation));
  }

  private writeGovernanceGeneration(generation: GovernanceGeneration): void {
    this.prepare(`INSERT OR REPLACE INTO ${this.t.govGenerations} (generation, doc) VALUES (?, ?)`).run(
      generation.generation,
      JSON.stringify(generation),
    );
  }

  listGovernanceGenerations(): Promise<GovernanceGeneration[]> {
    return settle(() =>
      parseAll<GovernanceGeneration>(
        this.prepare<[], { doc: string }>(
          `SELECT doc FROM ${this.t.govGenerations} ORDER BY generation`,
        ).all(),
      ),
    );
  }

  putProvisionForm(form: ProvisionFormView): Promise<void> {
    return settle(() => this.db.transaction(() => this.writeForm(form))());
  }

  /**
   * One transaction for the usual version; a long document's thousands of changed forms go in slices of
   * ROWS_PER_TRANSACTION, each in a turn of the event loop of its own (5,600 forms in one held it for a second),
   * the entry with the last slice. A crash between slices leaves forms without their entry and the governance
   * checkpoint where it was: the version is mapped again and its forms rewritten under the same ids (the MongoDB
   * twin, without transactions, behaves the same).
   */
  async putGovernanceChanges(forms: readonly ProvisionFormView[], entry: GovernanceEntry): Promise<void> {
    for (let start = 0; start + ROWS_PER_TRANSACTION < forms.length; start += ROWS_PER_TRANSACTION) {
      const slice = forms.slice(start, start + ROWS_PER_TRANSACTION);
      await nextTurn();
      this.db.transaction(() => {
        for (const form of slice) this.writeForm(form);
      })();
    }
    const last = forms.slice(
      Math.max(0, Math.ceil(forms.length / ROWS_PER_TRANSACTION) - 1) * ROWS_PER_TRANSACTION,
    );
    return settle(() =>
      this.db.transaction(() => {
        for (const form of last) this.writeForm(form);
        this.writeEntry(entry);
      })(),
    );
  }

  private writeForm(form: ProvisionFormView): void {
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.govForms} (form_id, generation, document_id, provision_id, service_slug,
              valid_from, valid_until, retracted, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      form.formId,
      form.generation,
      form.documentId,
      form.provisionId,
      form.serviceSlug,
      form.validFrom,
      form.validUntil,
      form.retracted ? 1 : 0,
      JSON.stringify(form),
    );
    this.replaceTags(this.t.govFormTags, 'form_id', form.generation, form.formId, [
      ...form.categoryIds.map((id) => `category:${id}`),
      ...form.referenceIds.map((id) => `reference:${id}`),
    ]);
  }

  removeGovernanceOf(generation: string, documentId: string): Promise<void> {
    const { govForms, govFormTags, govEntries, govEntryTags } = this.t;
    return settle(() => {
      this.db.transaction(() => {
        for (const [tags, rows, key] of [
          [govFormTags, govForms, 'form_id'],
          [govEntryTags, govEntries, 'entry_key'],
        ] as const) {
          this.db
            .prepare(
              `DELETE FROM ${tags} WHERE generation = ? AND ${key} IN
                (SELECT ${key} FROM ${rows} WHERE generation = ? AND document_id = ?)`,
            )
            .run(generation, generation, documentId);
          this.db
            .prepare(`DELETE FROM ${rows} WHERE generation = ? AND document_id = ?`)
            .run(generation, documentId);
        }
      })();
    });
  }

  getProvisionForm(formId: string): Promise<ProvisionFormView | null> {
    return settle(() =>
      parse<ProvisionFormView>(
        this.prepare<[string], { doc: string }>(`SELECT doc FROM ${this.t.govForms} WHERE form_id = ?`).get(
          formId,
        ),
      ),
    );
  }

  queryProvisionForms(query: ProvisionFormQuery): Promise<ProvisionFormView[]> {
    // A category or reference is looked up in the tag table first (its key leads with generation and tag), so
    // only the forms carrying the tag are read.
    const tags = [
      ...(query.categoryId === undefined ? [] : [`category:${query.categoryId}`]),
      ...(query.referenceId === undefined ? [] : [`reference:${query.referenceId}`]),
    ];
    const joins = tags.map(
      (_, i) =>
        `JOIN ${this.t.govFormTags} g${i} ON g${i}.generation = f.generation AND g${i}.tag = ? AND g${i}.form_id = f.form_id`,
    );
    // The forms of a provision, a document, a service or a generation are one range of form ids, in the order
    // answered: the key read (the tag table's, or the forms') is read over that range alone, and the first `limit`
    // rows are the answer, with no sort. The equalities are checked on each row, not used to pick an index (`+`):
    // by the (generation, document) index SQLite read a document's forms and then sorted them, documents included
    // (12,000 forms of one document: 1.4 s against 0.22 s; 32,000 forms of one category: 0.87 s against 0.34 s).
    const key = tags.length > 0 ? 'g0.form_id' : 'f.form_id';
    const prefix = formIdPrefixOf(query);
    // The generation is checked on the table read first (on the forms with `+`, lest it pick their index).
    const generation = tags.length > 0 ? 'g0.generation = ?' : '+f.generation = ?';
    const where = [`${key} >= ? AND ${key} < ?`, generation, 'f.retracted = 0'];
    const params: Array<string | number> = [prefix, afterFormIdPrefix(prefix), query.generation];
    const filter = (clause: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    filter('+f.document_id = ?', query.documentId);
    filter('+f.provision_id = ?', query.provisionId);
    if (query.provisionIds !== undefined) {
      where.push(`+f.provision_id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(query.provisionIds));
    }
    filter('+f.service_slug = ?', query.serviceSlug);
    if (query.asOf !== undefined) {
      where.push('f.valid_from <= ? AND (f.valid_until IS NULL OR f.valid_until > ?)');
      params.push(query.asOf, query.asOf);
    }
    if (query.current) where.push('f.valid_until IS NULL');
    filter(`${key} > ?`, query.afterFormId);
    const sql = `SELECT f.doc FROM ${this.t.govForms} f ${joins.join(' ')} WHERE ${where.join(' AND ')}
      ORDER BY ${key} LIMIT ?`;
    return settle(() =>
      parseAll<ProvisionFormView>(
        this.prepare<unknown[], { doc: string }>(sql).all(...tags, ...params, query.limit),
      ),
    );
  }

  putGovernanceEntry(entry: GovernanceEntry): Promise<void> {
    return settle(() => this.db.transaction(() => this.writeEntry(entry))());
  }

  private writeEntry(entry: GovernanceEntry): void {
    const key = governanceEntryKeyOf(entry.generation, entry.entryId);
    this.prepare(
      `INSERT OR REPLACE INTO ${this.t.govEntries} (entry_key, generation, entry_id, document_id, service_slug,
              document_type, at, hidden, exposure, materiality, effective_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      key,
      entry.generation,
      entry.entryId,
      entry.documentId,
      entry.serviceSlug,
      entry.documentType,
      entry.at,
      isGovernanceEntryHidden(entry) ? 1 : 0,
      entry.exposureAfter,
      entry.materiality.level,
      entry.effectiveAt,
      JSON.stringify(entry),
    );
    this.replaceTags(this.t.govEntryTags, 'entry_key', entry.generation, key, [
      ...entry.categoryIds.map((id) => `category:${id}`),
      ...entry.frameworks.map((id) => `framework:${id}`),
      ...entry.referenceIds.map((id) => `reference:${id}`),
    ]);
  }

  getGovernanceEntry(generation: string, entryId: string): Promise<GovernanceEntry | null> {
    return settle(() =>
      parse<GovernanceEntry>(
        this.prepare<[string], { doc: string }>(
          `SELECT doc FROM ${this.t.govEntries} WHERE entry_key = ?`,
        ).get(governanceEntryKeyOf(generation, entryId)),
      ),
    );
  }

  queryGovernanceTimeline(query: GovernanceTimelineQuery): Promise<GovernanceEntry[]> {
    const where = ['e.generation = ?'];
    const params: Array<string | number> = [query.generation];
    const filter = (clause: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    const anyOf = (column: string, values: readonly string[] | undefined) => {
      if (values === undefined || values.length === 0) return;
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    const taggedAnyOf = (prefix: string, values: readonly string[] | undefined) => {
      if (values === undefined || values.length === 0) return;
      where.push(
        `EXISTS (SELECT 1 FROM ${this.t.govEntryTags} g WHERE g.generation = e.generation AND g.entry_key = e.entry_key
          AND g.tag IN (${values.map(() => '?').join(', ')}))`,
      );
      params.push(...values.map((value) => `${prefix}:${value}`));
    };
    filter('e.document_id = ?', query.documentId);
    anyOf('e.service_slug', query.serviceSlugs);
    anyOf('e.document_type', query.documentTypes);
    anyOf('e.exposure', query.exposure);
    anyOf('e.materiality', query.materiality);
    taggedAnyOf('category', query.categoryIds);
    taggedAnyOf('framework', query.frameworks);
    taggedAnyOf('reference', query.referenceIds);
    filter('e.at >= ?', query.from);
    filter('e.at < ?', query.to);
    filter('e.effective_at > ?', query.effectiveAfter);
    if (!query.includeHidden) where.push('e.hidden = 0');
    if (query.after !== undefined) {
      where.push('(e.at < ? OR (e.at = ? AND e.entry_id < ?))');
      params.push(query.after.at, query.after.at, query.after.entryId);
    }
    const sql = `SELECT e.doc FROM ${this.t.govEntries} e WHERE ${where.join(' AND ')}
      ORDER BY e.at DESC, e.entry_id DESC LIMIT ?`;
    return settle(() =>
      parseAll<GovernanceEntry>(this.prepare<unknown[], { doc: string }>(sql).all(...params, query.limit)),
    );
  }

  private replaceTags(
    table: string,
    keyColumn: string,
    generation: string,
    key: string,
    tags: string[],
  ): void {
    this.prepare(`DELETE FROM ${table} WHERE generation = ? AND ${keyColumn} = ?`).run(generation, key);
    const insert = this.prepare(
      `INSERT OR IGNORE INTO ${table} (generation, tag, ${keyColumn}) VALUES (?, ?, ?)`,
    );
    for (const tag of tags) insert.run(generation, tag, key);
  }

  dump(): Promise<Record<string, unknown[]>> {
    return settle(() => ({
      documents: parseAll(
        this.prepare<[], { doc: string }>(`SELECT doc FROM ${this.t.documents} ORDER BY document_id`).all(),
      ),
      versions: this.prepare<[], { summary: string; text: string }>(
        `SELECT summary, text FROM ${this.t.versions} ORDER BY document_id, version`,
      )
        .all()
        .map((row) => ({ ...(JSON.parse(row.summary) as object), text: row.text })),
      timeline: parseAll(
        this.prepare<[], { doc: string }>(`SELECT doc FROM ${this.t.timeline} ORDER BY entry_id`).all(),
      ),
      observations: parseAll(
        this.prepare<[], { doc: string }>(
          `SELECT doc FROM ${this.t.observations} ORDER BY document_id, stream_version`,
        ).all(),
      ),
      governanceGenerations: parseAll(
        this.prepare<[], { doc: string }>(
          `SELECT doc FROM ${this.t.govGenerations} ORDER BY generation`,
        ).all(),
      ),
      provisionForms: parseAll(
        this.prepare<[], { doc: string }>(`SELECT doc FROM ${this.t.govForms} ORDER BY form_id`).all(),
      ),
      governanceTimeline: parseAll(
        this.prepare<[], { doc: string }>(`SELECT doc FROM ${this.t.govEntries} ORDER BY entry_key`).all(),
      ),
    }));
  }

  clear(): Promise<void> {
    return settle(() => {
      for (const table of Object.values(this.t)) this.db.exec(`DELETE FROM ${table}`);
    });
  }

  /**
   * The writes in the order ReadModelWrites names, a slice of ROWS_PER_TRANSACTION in one transaction: each commit
   * writes its changed pages to the journal, and one commit per row (a batch of a few fetches writes hundreds of
   * forms and tags) was the largest SQLite cost of the embedded mode's event loop. Slices keep a long batch from
   * holding the loop. A slice that fails leaves nothing and stops the batch: the checkpoints come last, so what is
   * left behind is views ahead of their checkpoints, which the projection writes again, never events skipped.
   */
  async applyWrites(writes: ReadModelWrites): Promise<void> {
    const steps: Array<() => void> = [
      ...writes.governanceGenerations.map((generation) => () => this.writeGovernanceGeneration(generation)),
      ...writes.observations.map((observation) => () => this.writeObservation(observation)),
      ...writes.versions.map((version) => () => this.writeVersion(version)),
      ...writes.timeline.map((entry) => () => this.writeTimelineEntry(entry)),
      ...writes.provisionForms.map((form) => () => this.writeForm(form)),
      ...writes.governanceEntries.map((entry) => () => this.writeEntry(entry)),
      ...writes.documents.map((document) => () => this.writeDocument(document)),
      ...writes.checkpoints.map(
        ({ projection, streamId, version }) =>
          () =>
            this.writeCheckpoint(projection, streamId, version),
      ),
    ];
    for (let start = 0; start < steps.length; start += ROWS_PER_TRANSACTION) {
      const slice = steps.slice(start, start + ROWS_PER_TRANSACTION);
      await settle(() =>
        this.db.transaction(() => {
          for (const step of slice) step();
        })(),
      );
    }
  }

  close(): Promise<void> {
    return settle(() => {
      this.live?.close();
      this.live = null;
    });
  }
}
