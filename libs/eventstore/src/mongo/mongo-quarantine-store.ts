import type { Collection, Db } from 'mongodb';
import type {
  QuarantineKind,
  QuarantineQuery,
  QuarantineRecord,
  QuarantineStore,
  QuarantineSummary,
} from '../quarantine-store.port';

type RecordDocument = Omit<QuarantineRecord, 'id' | 'value'> & {
  _id: string;
  valueBytes: number;
  chunks: number;
};

interface ValueChunk {
  _id: string;
  quarantineId: string;
  index: number;
  data: string;
}

/** A parked fetch carries up to 20 MB of base64 content; MongoDB documents stop at 16 MB. */
const CHUNK_CHARS = 4 * 1024 * 1024;

const summaryOf = ({ _id, chunks: _chunks, ...rest }: RecordDocument): QuarantineSummary => ({
  id: _id,
  ...rest,
});

/**
 * `quarantine`: one document per parked message, its value cut into `quarantine_values` chunks written first,
 * so that a record is visible only once its message is whole.
 */
export class MongoQuarantineStore implements QuarantineStore {
  private readonly records: Collection<RecordDocument>;
  private readonly values: Collection<ValueChunk>;

  private constructor(db: Db) {
    this.records = db.collection<RecordDocument>('quarantine');
    this.values = db.collection<ValueChunk>('quarantine_values');
  }

  static async open(db: Db): Promise<MongoQuarantineStore> {
    const store = new MongoQuarantineStore(db);
    await Promise.all([
      store.records.createIndex({ quarantinedAt: -1 }),
      store.records.createIndex({ fetchId: 1, quarantinedAt: -1 }),
      store.values.createIndex({ quarantineId: 1, index: 1 }),
    ]);
    return store;
  }

  async park(record: Omit<QuarantineRecord, 'status' | 'replayedAt' | 'replays'>): Promise<void> {
    const { id, value, ...rest } = record;
    const chunks: ValueChunk[] = [];
    for (let index = 0; index * CHUNK_CHARS < value.length || index === 0; index += 1) {
      chunks.push({
        _id: `${id}:${index}`,
        quarantineId: id,
        index,
        data: value.slice(index * CHUNK_CHARS, (index + 1) * CHUNK_CHARS),
      });
    }
    // Replacing chunk by chunk keeps a re-park idempotent: the same message gives the same chunks.
    for (const chunk of chunks) await this.values.replaceOne({ _id: chunk._id }, chunk, { upsert: true });
    const previous = await this.records.findOne({ _id: id }, { projection: { replays: 1 } });
    await this.records.replaceOne(
      { _id: id },
      {
        ...rest,
        status: 'parked',
        replayedAt: null,
        replays: previous?.replays ?? 0,
        valueBytes: Buffer.byteLength(value),
        chunks: chunks.length,
      },
      { upsert: true },
    );
  }

  async get(id: string): Promise<QuarantineRecord | null> {
    const document = await this.records.findOne({ _id: id });
    if (!document) return null;
    // Sorted here, not by the server: a sorted multi-batch query costs a new connection on FerretDB v2 (ADR 0017).
    const chunks = (await this.values.find({ quarantineId: id }).toArray()).sort((a, b) => a.index - b.index);
    const value = chunks
      .filter((chunk) => chunk.index < document.chunks)
      .map((chunk) => chunk.data)
      .join('');
    const { valueBytes: _bytes, ...summary } = summaryOf(document);
    return { ...summary, value };
  }

  async list(query: QuarantineQuery): Promise<QuarantineSummary[]> {
    const filter = {
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.before
        ? {
            $or: [
              { quarantinedAt: { $lt: query.before.quarantinedAt } },
              { quarantinedAt: query.before.quarantinedAt, _id: { $lt: query.before.id } },
            ],
          }
        : {}),
    };
    const documents = await this.records
      .find(filter)
      .sort({ quarantinedAt: -1, _id: -1 })
      .limit(query.limit)
      .toArray();
    return documents.map(summaryOf);
  }

  async findByFetchId(fetchId: string): Promise<QuarantineSummary | null> {
    // findOne: a single batch (see MongoEventStore.streamEnd).
    const document = await this.records.findOne({ fetchId }, { sort: { quarantinedAt: -1 } });
    return document ? summaryOf(document) : null;
  }

  async markReplayed(id: string, at: string): Promise<void> {
    await this.records.updateOne(
      { _id: id },
      { $set: { status: 'replayed', replayedAt: at }, $inc: { replays: 1 } },
    );
  }

  async countParked(): Promise<Record<QuarantineKind, number>> {
    const counts: Record<QuarantineKind, number> = { FetchQuarantined: 0, ProjectionFailed: 0 };
    for (const kind of Object.keys(counts) as QuarantineKind[]) {
      counts[kind] = await this.records.countDocuments({ status: 'parked', kind });
    }
    return counts;
  }

  close(): Promise<void> {
    // The connection belongs to whoever opened it.
    return Promise.resolve();
  }
}
