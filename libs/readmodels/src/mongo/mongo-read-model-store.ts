import type { Collection, Db, Document, Filter } from 'mongodb';
import {
  isHiddenByDefault,
  type DocumentPageQuery,
  type DocumentView,
  type ObservationView,
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
  isGovernanceEntryHidden,
  governanceEntryKeyOf,
  type GovernanceEntry,
  type GovernanceGeneration,
  type GovernanceTimelineQuery,
  type ProvisionFormQuery,
  type ProvisionFormView,
} from '../governance-models';

const versionIdOf = (documentId: string, version: number): string =>
  `${documentId}|${String(version).padStart(8, '0')}`;

/** `hidden` is stored to be queried on; the view itself does not carry it. */
function withoutHidden<T extends object>(entry: T & { hidden?: boolean }): T {
  const { hidden, ...view } = entry;
  void hidden;
  return view as T;
}

type WithId<T> = T & { _id: string };

const observationIdOf = (observation: ObservationView): string =>
  `${observation.documentId}|${String(observation.streamVersion).padStart(8, '0')}`;

/**
 * Upserts rows by `_id` in one bulkWrite. The keys are distinct (a later row of a key replaces an earlier one
 * here), so the order between them does not matter and the server may apply them as it likes.
 */
async function replaceAll<T extends Document>(
  collection: Collection<WithId<T>>,
  rows: ReadonlyArray<{ _id: string; row: T }>,
): Promise<void> {
  if (rows.length === 0) return;
  const byId = new Map(rows.map(({ _id, row }) => [_id, row]));
  await collection.bulkWrite(
    [...byId].map(([_id, row]) => ({
      replaceOne: {
        filter: { _id } as Filter<WithId<T>>,
        replacement: row as unknown as WithId<T>,
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** Strips MongoDB's `_id` so that reads return exactly the view that was written. */
function strip<T>(document: WithId<T> | null): T | null {
  if (!document) return null;
  const { _id, ...view } = document;
  void _id;
  return view as T;
}

/**
 * Read models in MongoDB collections named `<namespace><model>` (`rm_documents`, `rm_timeline` …). Writes are
 * whole-document upserts by natural key, so re-applying an event writes the same thing again. Only queries and
 * indexes that FerretDB v1 serves too.
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly checkpoints: Collection<WithId<{ projection: string; streamId: string; version: number }>>;
  private readonly documents: Collection<WithId<DocumentView>>;
  private readonly versions: Collection<WithId<VersionView>>;
  private readonly timeline: Collection<WithId<TimelineEntry & { hidden?: boolean }>>;
  private readonly observations: Collection<WithId<ObservationView>>;
  private readonly govGenerations: Collection<WithId<GovernanceGeneration>>;
  private readonly govForms: Collection<WithId<ProvisionFormView>>;
  private readonly govEntries: Collection<WithId<GovernanceEntry & { hidden?: boolean }>>;

  private constructor(
    private readonly db: Db,
    private readonly namespace: string,
  ) {
    this.checkpoints = db.collection(`${namespace}checkpoints`);
    this.documents = db.collection(`${namespace}documents`);
    this.versions = db.collection(`${namespace}versions`);
    this.timeline = db.collection(`${namespace}timeline`);
    this.observations = db.collection(`${namespace}observations`);
    this.govGenerations = db.collection(`${namespace}gov_generations`);
    this.govForms = db.collection(`${namespace}gov_provision_forms`);
    this.govEntries = db.collection(`${namespace}gov_timeline`);
  }

  static async open(db: Db, namespace = 'rm_'): Promise<MongoReadModelStore> {
    const store = new MongoReadModelStore(db, namespace);
    await Promise.all([
      store.documents.createIndex({ serviceSlug: 1, documentId: 1 }),
      store.versions.createIndex({ documentId: 1, version: 1 }, { unique: true }),
      store.timeline.createIndex({ at: -1, entryId: -1 }),
      store.timeline.createIndex({ documentId: 1, at: -1, entryId: -1 }),
      store.timeline.createIndex({ serviceSlug: 1, at: -1, entryId: -1 }),
      store.observations.createIndex({ documentId: 1, streamVersion: 1 }, { unique: true }),
      store.govForms.createIndex({ generation: 1, documentId: 1, provisionId: 1 }),
      store.govForms.createIndex({ generation: 1, categoryIds: 1 }),
      store.govEntries.createIndex({ generation: 1, at: -1, entryId: -1 }),
      store.govEntries.createIndex({ generation: 1, documentId: 1, at: -1 }),
    ]);
    return store;
  }

  async getCheckpoint(projection: string, streamId: string): Promise<number> {
    return (await this.checkpoints.findOne({ _id: `${projection}|${streamId}` }))?.version ?? 0;
  }

  async setCheckpoint(projection: string, streamId: string, version: number): Promise<void> {
    const _id = `${projection}|${streamId}`;
    await this.checkpoints.replaceOne({ _id }, { projection, streamId, version }, { upsert: true });
  }

  async getDocument(documentId: string): Promise<DocumentView | null> {
    return strip(await this.documents.findOne({ _id: documentId }));
  }

  async putDocument(document: DocumentView): Promise<void> {
    await this.documents.replaceOne({ _id: document.documentId }, document, { upsert: true });
  }

  async listDocuments(serviceSlug?: string, page?: DocumentPageQuery): Promise<DocumentView[]> {
    const filter: Filter<WithId<DocumentView>> = {
      ...(serviceSlug === undefined ? {} : { serviceSlug }),
      ...(page?.afterDocumentId === undefined ? {} : { _id: { $gt: page.afterDocumentId } }),
    };
    if (page !== undefined) {
      // A page is sorted by the server on the _id index, in one batch (see below for why one).
      const rows = await this.documents
        .find(filter, { sort: { _id: 1 }, limit: page.limit, batchSize: page.limit })
        .toArray();
      return rows.map((d) => strip(d)!);
    }
    // Sorted here, not by the server: a sorted multi-batch query costs a new connection on FerretDB v2 (ADR 0017),
    // and the bench and the catalogue call this on every poll.
    const rows = await this.documents.find(filter).toArray();
    return rows.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)).map((d) => strip(d)!);
  }

  async putVersion(version: VersionView): Promise<void> {
    const _id = versionIdOf(version.documentId, version.version);
    await this.versions.replaceOne({ _id }, version, { upsert: true });
  }

  async getVersion(documentId: string, version: number): Promise<VersionView | null> {
    return strip(await this.versions.findOne({ _id: versionIdOf(documentId, version) }));
  }

  async listVersions(documentId: string, page: PageQuery): Promise<VersionSummary[]> {
    const rows = await this.versions
      .find({ documentId, version: { $gt: page.afterVersion ?? 0 } }, { projection: { text: 0 } })
      .sort({ version: 1 })
      .limit(page.limit)
      .toArray();
    return rows.map((row) => strip(row)!);
  }

  async putTimelineEntry(entry: TimelineEntry): Promise<void> {
    await this.timeline.replaceOne(
      { _id: entry.entryId },
      { ...entry, hidden: isHiddenByDefault(entry) },
      { upsert: true },
    );
  }

  async removeVersionsAbove(documentId: string, version: number): Promise<void> {
    await this.versions.deleteMany({ documentId, version: { $gt: version } });
    await this.timeline.deleteMany({ documentId, version: { $gt: version } });
  }

  async getTimelineEntry(entryId: string): Promise<TimelineEntry | null> {
    const row = await this.timeline.findOne({ _id: entryId });
    return row ? withoutHidden<TimelineEntry>(strip(row)!) : null;
  }

  async queryTimeline(query: TimelineQuery): Promise<TimelineEntry[]> {
    const filter: Document = {};
    if (query.documentId !== undefined) filter.documentId = query.documentId;
    if (query.serviceSlug !== undefined) filter.serviceSlug = query.serviceSlug;
    if (!query.includeHidden) filter.hidden = false;
    const at: Document = {};
    if (query.from !== undefined) at.$gte = query.from;
    if (query.to !== undefined) at.$lt = query.to;
    if (Object.keys(at).length) filter.at = at;
    if (query.after !== undefined) {
      filter.$or = [
        { at: { $lt: query.after.at } },
        { at: query.after.at, entryId: { $lt: query.after.entryId } },
      ];
    }
    const rows = await this.timeline.find(filter).sort({ at: -1, entryId: -1 }).limit(query.limit).toArray();
    return rows.map((row) => withoutHidden<TimelineEntry>(strip(row)!));
  }

  async putObservation(observation: ObservationView): Promise<void> {
    await this.observations.replaceOne({ _id: observationIdOf(observation) }, observation, { upsert: true });
  }

  async listObservations(
    documentId: string,
    page: { afterStreamVersion?: number; limit: number },
  ): Promise<ObservationView[]> {
    const rows = await this.observations
      .find({ documentId, streamVersion: { $gt: page.afterStreamVersion ?? 0 } })
      .sort({ streamVersion: 1 })
      .limit(page.limit)
      .toArray();
    return rows.map((row) => strip(row)!);
  }

  async putGovernanceGeneration(generation: GovernanceGeneration): Promise<void> {
    await this.govGenerations.replaceOne({ _id: generation.generation }, generation, { upsert: true });
  }

  async listGovernanceGenerations(): Promise<GovernanceGeneration[]> {
    return (await this.govGenerations.find({}).sort({ _id: 1 }).toArray()).map((row) => strip(row)!);
  }

  async putProvisionForm(form: ProvisionFormView): Promise<void> {
    await this.govForms.replaceOne({ _id: form.formId }, form, { upsert: true });
  }

  async getProvisionForm(formId: string): Promise<ProvisionFormView | null> {
    return strip(await this.govForms.findOne({ _id: formId }));
  }

  async queryProvisionForms(query: ProvisionFormQuery): Promise<ProvisionFormView[]> {
    const filter: Document = { generation: query.generation, retracted: false };
    if (query.documentId !== undefined) filter.documentId = query.documentId;
    if (query.provisionId !== undefined) filter.provisionId = query.provisionId;
    if (query.provisionIds !== undefined) {
      const wanted = query.provisionIds.filter(
        (id) => query.provisionId === undefined || id === query.provisionId,
      );
      filter.provisionId = { $in: wanted };
    }
    if (query.serviceSlug !== undefined) filter.serviceSlug = query.serviceSlug;
    // Equality with an array field matches when any element is equal.
    if (query.categoryId !== undefined) filter.categoryIds = query.categoryId;
    if (query.referenceId !== undefined) filter.referenceIds = query.referenceId;
    if (query.asOf !== undefined) {
      filter.validFrom = { $lte: query.asOf };
      filter.$or = [{ validUntil: null }, { validUntil: { $gt: query.asOf } }];
    }
    if (query.current) filter.validUntil = null;
    if (query.afterFormId !== undefined) filter._id = { $gt: query.afterFormId };
    const rows = await this.govForms.find(filter).sort({ _id: 1 }).limit(query.limit).toArray();
    return rows.map((row) => strip(row)!);
  }

  async putGovernanceEntry(entry: GovernanceEntry): Promise<void> {
    await this.govEntries.replaceOne(
      { _id: governanceEntryKeyOf(entry.generation, entry.entryId) },
      { ...entry, hidden: isGovernanceEntryHidden(entry) },
      { upsert: true },
    );
  }

  async removeGovernanceOf(generation: string, documentId: string): Promise<void> {
    await this.govForms.deleteMany({ generation, documentId });
    await this.govEntries.deleteMany({ generation, documentId });
  }

  async putGovernanceChanges(forms: readonly ProvisionFormView[], entry: GovernanceEntry): Promise<void> {
    // Not atomic across collections (FerretDB has no transactions): each write is an idempotent upsert, and the
    // projector re-applies a version whose checkpoint was not written.
    if (forms.length > 0) {
      await this.govForms.bulkWrite(
        forms.map((form) => ({
          replaceOne: { filter: { _id: form.formId }, replacement: form, upsert: true },
        })),
        { ordered: true },
      );
    }
    await this.putGovernanceEntry(entry);
  }

  async getGovernanceEntry(generation: string, entryId: string): Promise<GovernanceEntry | null> {
    const row = await this.govEntries.findOne({ _id: governanceEntryKeyOf(generation, entryId) });
    return row ? withoutHidden<GovernanceEntry>(strip(row)!) : null;
  }

  async queryGovernanceTimeline(query: GovernanceTimelineQuery): Promise<GovernanceEntry[]> {
    const filter: Document = { generation: query.generation };
    const anyOf = (field: string, values: readonly string[] | undefined) => {
      if (values !== undefined && values.length > 0) filter[field] = { $in: [...values] };
    };
    if (query.documentId !== undefined) filter.documentId = query.documentId;
    anyOf('serviceSlug', query.serviceSlugs);
    anyOf('documentType', query.documentTypes);
    anyOf('exposureAfter', query.exposure);
    anyOf('materiality.level', query.materiality);
    anyOf('categoryIds', query.categoryIds);
    anyOf('frameworks', query.frameworks);
    anyOf('referenceIds', query.referenceIds);
    if (!query.includeHidden) filter.hidden = false;
    const at: Document = {};
    if (query.from !== undefined) at.$gte = query.from;
    if (query.to !== undefined) at.$lt = query.to;
    if (Object.keys(at).length) filter.at = at;
    if (query.effectiveAfter !== undefined) filter.effectiveAt = { $gt: query.effectiveAfter };
    if (query.after !== undefined) {
      filter.$or = [
        { at: { $lt: query.after.at } },
        { at: query.after.at, entryId: { $lt: query.after.entryId } },
      ];
    }
    const rows = await this.govEntries
      .find(filter)
      .sort({ at: -1, entryId: -1 })
      .limit(query.limit)
      .toArray();
    return rows.map((row) => withoutHidden<GovernanceEntry>(strip(row)!));
  }

  async applyWrites(writes: ReadModelWrites): Promise<void> {
    // One round trip per collection that has rows, in four steps (see ReadModelWrites): what entries refer to
    // (versions, observations, provision forms, generations) side by side; then the entries (timeline and
    // governance), so that a reader who finds an entry finds what it names; then the document views (whose
    // appliedVersion makes the projector skip events); then the checkpoints.
    await Promise.all([
      replaceAll(
        this.govGenerations,
        writes.governanceGenerations.map((row) => ({ _id: row.generation, row })),
      ),
      replaceAll(
        this.observations,
        writes.observations.map((row) => ({ _id: observationIdOf(row), row })),
      ),
      replaceAll(
        this.versions,
        writes.versions.map((row) => ({ _id: versionIdOf(row.documentId, row.version), row })),
      ),
      replaceAll(
        this.govForms,
        writes.provisionForms.map((row) => ({ _id: row.formId, row })),
      ),
    ]);
    await Promise.all([
      replaceAll(
        this.timeline,
        writes.timeline.map((row) => ({ _id: row.entryId, row: { ...row, hidden: isHiddenByDefault(row) } })),
      ),
      replaceAll(
        this.govEntries,
        writes.governanceEntries.map((row) => ({
          _id: governanceEntryKeyOf(row.generation, row.entryId),
          row: { ...row, hidden: isGovernanceEntryHidden(row) },
        })),
      ),
    ]);
    await replaceAll(
      this.documents,
      writes.documents.map((row) => ({ _id: row.documentId, row })),
    );
    await replaceAll(
      this.checkpoints,
      writes.checkpoints.map((row) => ({ _id: `${row.projection}|${row.streamId}`, row })),
    );
  }

  async dump(): Promise<Record<string, unknown[]>> {
    const all = async <T>(collection: Collection<WithId<T>>): Promise<T[]> =>
      (await collection.find({}).sort({ _id: 1 }).toArray()).map((row) => strip(row as WithId<T>)!);
    return {
      documents: await all(this.documents),
      versions: await all(this.versions),
      timeline: (await all(this.timeline)).map((entry) => withoutHidden<TimelineEntry>(entry)),
      observations: await all(this.observations),
      governanceGenerations: await all(this.govGenerations),
      provisionForms: await all(this.govForms),
      governanceTimeline: (await all(this.govEntries)).map((entry) => withoutHidden<GovernanceEntry>(entry)),
    };
  }

  async clear(): Promise<void> {
    for (const collection of [
      this.checkpoints,
      this.documents,
      this.versions,
      this.timeline,
      this.observations,
      this.govGenerations,
      this.govForms,
      this.govEntries,
    ] as unknown as Array<Collection<Document>>) {
      await collection.deleteMany({});
    }
  }

  /**
   * The rebuild goes into collections of another namespace (`<namespace>repair_`); swapping drops each live
   * collection and renames its rebuilt twin in its place, so the live collections are replaced without being
   * read. Collection handles are names, so this store sees the new ones at once.
   */
  async prepareRebuild(): Promise<ReadModelRebuild> {
    const repairNamespace = `${this.namespace}repair_`;
    const target = await MongoReadModelStore.open(this.db, repairNamespace);
    await target.clear();
    const models = [
      'documents',
      'versions',
      'timeline',
      'observations',
      'gov_generations',
      'gov_provision_forms',
      'gov_timeline',
      'checkpoints',
    ];
    return {
      target,
      swapIn: async () => {
        // Checkpoints last: were the swap to stop half-way, the views would be new and the checkpoints old, so
        // the projection would re-apply events (idempotent), never skip them.
        for (const model of models) {
          const source = this.db.collection(`${repairNamespace}${model}`);
          // An empty model may have no collection yet: create it so that the rename replaces the live one.
          if ((await this.db.listCollections({ name: source.collectionName }).toArray()).length === 0) {
            await this.db.createCollection(source.collectionName);
          }
          // FerretDB refuses dropTarget: drop, then rename. Reads in between see the model empty for a moment; a
          // projection writing in between recreates the live collection, so the drop is tried again.
          const live = this.db.collection(`${this.namespace}${model}`);
          for (let attempt = 1; ; attempt += 1) {
            await live.drop().catch(() => false);
            try {
              await source.rename(live.collectionName);
              break;
            } catch (error) {
              if (attempt >= 5) throw error;
            }
          }
        }
      },
      discard: async () => {
        for (const model of models)
          await this.db
            .collection(`${repairNamespace}${model}`)
            .drop()
            .catch(() => false);
      },
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
