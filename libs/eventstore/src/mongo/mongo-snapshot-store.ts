import { createHash } from 'node:crypto';
import {
  Binary,
  MongoBulkWriteError,
  MongoServerError,
  type Collection,
  type Db,
  type WriteError,
} from 'mongodb';
import {
  checkedContent,
  encodeForArchive,
  MAX_CHAIN_READ,
  rebuildChain,
  rebuildSnapshot,
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
  type RepairOutcome,
  type SnapshotToPut,
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

/**
 * `snapshots`: one insert-only document per distinct content, `_id` the sha256 of the raw bytes, kept whole or as a
 * delta against an earlier snapshot of its source (ADR 0013). Stored bytes over CHUNK_BYTES (documents are capped at
 * 16 MB) go to `snapshot_chunks` first; the head document is written last, so a snapshot is visible only once it
 * is whole. `snapshot_heads` names the newest snapshot of each source; it moves only after the snapshot is stored,
 * so a crash between the two leaves the previous head, still a valid base.
 */
interface SnapshotDocument {
  _id: string;
  mimeType: string;
  bytes: number;
  compression: SnapshotEncoding;
  /** Absent on documents written before deltas: whole copies. */
  baseId?: string | null;
  depth?: number;
  /** The whole copy at the root of the chain: a read fetches the whole chain with one indexed query. */
  keyId?: string;
  content: Binary | null;
  chunks: number;
  /** Names the chunks holding the stored bytes (absent when inline or written before deltas). */
  payloadId?: string;
  storedAt: Date;
}

interface ChunkDocument {
  _id: string;
  snapshotId: string;
  payloadId?: string;
  index: number;
  data: Binary;
}

interface HeadDocument {
  _id: string;
  snapshotId: string;
}

export interface MongoSnapshotStoreOptions {
  maxChainDepth?: number;
  maxChainBytes?: number;
  /** Delta operations a read may compose before the next snapshot is kept whole. */
  maxChainOps?: number;
  headCacheBytes?: number;
}

const CHUNK_BYTES = 8 * 1024 * 1024;
const DUPLICATE_KEY = 11000;

export class MongoSnapshotStore implements SnapshotStore, DenseRewriteTarget {
  private readonly snapshots: Collection<SnapshotDocument>;
  private readonly chunks: Collection<ChunkDocument>;
  private readonly sourceHeads: Collection<HeadDocument>;
  private readonly heads: SourceHeadCache;
  private readonly bounds: ChainBounds;

  constructor(db: Db, options: MongoSnapshotStoreOptions = {}) {
    this.snapshots = db.collection<SnapshotDocument>('snapshots');
    this.chunks = db.collection<ChunkDocument>('snapshot_chunks');
    this.sourceHeads = db.collection<HeadDocument>('snapshot_heads');
    this.heads = new SourceHeadCache(options.headCacheBytes);
    this.bounds = {
      maxDepth: options.maxChainDepth,
      maxChainBytes: options.maxChainBytes,
      maxChainOps: options.maxChainOps,
    };
  }

  /** One snapshot: a batch of one (no existence check first, see putMany). */
  async put(
    snapshotId: string,
    content: Buffer,
    mimeType: string,
    options: PutSnapshotOptions = {},
  ): Promise<{ created: boolean }> {
    return (await this.putMany([{ snapshotId, content, mimeType, options }]))[0]!;
  }

  /**
   * Encodes the batch in order, each snapshot of a source against the one before it in the batch (or the source's
   * head), then inserts all with one insertMany and moves the heads with one bulkWrite. The insert is ordered: a
   * delta is never stored when its base, earlier in the batch, failed to be. A duplicate (the same bytes already
   * stored) stops an ordered insert too, so the rest is inserted again after it; a redelivered batch costs one
   * more round trip per duplicate, a fresh one none. No existence check first: on FerretDB a lookup scans the
   * collection, while an insert is checked by its unique _id index; a duplicate key means the same bytes are
   * stored already.
   */
  async putMany(batch: readonly SnapshotToPut[]): Promise<Array<{ created: boolean }>> {
    const inBatch = new Map<string, SourceHead>();
    const firstOf = new Map<string, number>();
    const planned: Array<{ document: SnapshotDocument; head: SourceHead | null; source?: string }> = [];
    const indexOf: number[] = [];
    for (const { snapshotId, content, mimeType, options = {} } of batch) {
      assertSnapshotId(snapshotId, content);
      if (firstOf.has(snapshotId)) {
        indexOf.push(-1);
        continue;
      }
      const { source } = options;
      const base = source === undefined ? null : (inBatch.get(source) ?? (await this.headOf(source)));
      // The source's head again (a redelivery): stored, and the base of what follows it in the batch.
      if (base?.snapshotId === snapshotId) {
        if (source !== undefined) inBatch.set(source, base);
        indexOf.push(-1);
        continue;
      }
      const record = encodeForArchive(snapshotId, content, mimeType, base, this.bounds);
      // A delta on a head written before keyIds existed has no chain key: its reads walk link by link.
      const keyId = record.baseId === null ? snapshotId : base?.keyId;
      const head: SourceHead = {
        snapshotId,
        depth: record.depth,
        content,
        chainBytes: record.chainBytes,
        chainOps: record.chainOps,
        ...(keyId === undefined ? {} : { keyId }),
      };
      if (source !== undefined) inBatch.set(source, head);
      firstOf.set(snapshotId, planned.length);
      indexOf.push(planned.length);
      planned.push({
        document: {
          _id: snapshotId,
          mimeType,
          bytes: content.length,
          compression: record.encoding,
          baseId: record.baseId,
          depth: record.depth,
          ...(keyId === undefined ? {} : { keyId }),
          ...(await this.writeChunks(snapshotId, record.payload)),
          storedAt: new Date(),
        },
        head,
        ...(source === undefined ? {} : { source }),
      });
    }
    const created = await this.insertInOrder(planned.map((entry) => entry.document));
    // Each source's head moves to its newest snapshot this batch stored, as put() moves it.
    const heads = new Map<string, SourceHead>();
    planned.forEach((entry, index) => {
      if (created[index] && entry.source !== undefined && entry.head) heads.set(entry.source, entry.head);
    });
    if (heads.size > 0) {
      await this.sourceHeads.bulkWrite(
        [...heads].map(([source, head]) => ({
          updateOne: {
            filter: { _id: source },
            update: { $set: { snapshotId: head.snapshotId } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      for (const [source, head] of heads) this.heads.set(source, head);
    }
    return indexOf.map((index) => ({ created: index >= 0 && created[index]! }));
  }

  /** Whether each document was inserted (false: its id was stored already); stops at any other failure. */
  private async insertInOrder(documents: readonly SnapshotDocument[]): Promise<boolean[]> {
    const created = documents.map(() => true);
    let from = 0;
    while (from < documents.length) {
      try {
        await this.snapshots.insertMany(documents.slice(from), { ordered: true });
        break;
      } catch (error) {
        const failed: WriteError[] =
          error instanceof MongoBulkWriteError ? ([] as WriteError[]).concat(error.writeErrors) : [];
        const first = failed[0];
        if (!first || first.code !== DUPLICATE_KEY) throw error;
        created[from + first.index] = false;
        from += first.index + 1;
      }
    }
    return created;
  }

  async get(snapshotId: string): Promise<StoredSnapshot | null> {
    const head = await this.snapshots.findOne({ _id: snapshotId });
    if (!head) return null;
    const cached = this.heads.byId(snapshotId);
    const content = cached
      ? checkedContent(snapshotId, cached.content)
      : rebuildSnapshot(await this.chainFrom(head));
    return { snapshotId, mimeType: head.mimeType, bytes: head.bytes, content };
  }

  async repair(snapshotId: string, content: Buffer, mimeType: string): Promise<RepairOutcome> {
    assertSnapshotId(snapshotId, content);
    const existing = await this.snapshots.findOne({ _id: snapshotId });
    if (existing) {
      try {
        rebuildSnapshot(await this.chainFrom(existing));
        return 'intact';
      } catch (error) {
        if (!(error instanceof SnapshotCorruptError)) throw error;
      }
    }
    const stored = await this.writeChunks(snapshotId, compressSnapshot(content));
    await this.snapshots.replaceOne(
      { _id: snapshotId },
      {
        mimeType,
        bytes: content.length,
        compression: 'br',
        baseId: null,
        depth: 0,
        keyId: snapshotId,
        ...stored,
        storedAt: new Date(),
      },
      { upsert: true },
    );
    this.heads.forgetSnapshot(snapshotId);
    return existing ? 'repaired' : 'restored';
  }

  /**
   * Moves whole copies written before deltas into the dense layout (ADR 0013; the steps are shared with the
   * SQLite store). A document changes in one update, after the bytes it points to are stored, and only while it is
   * still whole: a kill leaves every snapshot whole or a verified delta, and a rerun carries on.
   */
  rewriteDense(
    sequences: Iterable<SourceSequence>,
    onStep?: (snapshotId: string, step: RewriteStep) => void,
  ): Promise<Record<RewriteStep, number>> {
    return rewriteSourcesDense(this, sequences, this.bounds, onStep);
  }

  async deltaBaseIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    const deltas = this.snapshots.find({ compression: 'delta-br' }, { projection: { baseId: 1 } });
    for await (const document of deltas) if (document.baseId) ids.add(document.baseId);
    return ids;
  }

  async rebuiltForRewrite(snapshotId: string): Promise<RebuiltSnapshot | null> {
    const document = await this.snapshots.findOne({ _id: snapshotId });
    if (!document) return null;
    const chain = await this.chainFrom(document);
    const { content, chainBytes, chainOps } = rebuildChain(chain);
    // A whole copy written before keyIds existed is still the key of any chain built on it.
    const keyId = document.keyId ?? (document.compression === 'br' ? document._id : undefined);
    return {
      record: chain[0]!,
      head: {
        snapshotId,
        depth: document.depth ?? 0,
        content,
        chainBytes,
        chainOps,
        ...(keyId === undefined ? {} : { keyId }),
      },
    };
  }

  async replaceWholeWithDelta(record: EncodedRecord, base: SourceHead): Promise<void> {
    // Chunks (named by their bytes) first, then the one update that makes the delta the snapshot's form.
    const stored = await this.writeChunks(record.snapshotId, record.payload);
    const unset: Record<string, ''> = {};
    if (stored.payloadId === undefined) unset.payloadId = '';
    if (base.keyId === undefined) unset.keyId = '';
    await this.snapshots.updateOne(
      { _id: record.snapshotId, compression: 'br' },
      {
        $set: {
          compression: record.encoding,
          baseId: record.baseId,
          depth: record.depth,
          ...(base.keyId === undefined ? {} : { keyId: base.keyId }),
          ...stored,
        },
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      },
    );
    this.heads.forgetSnapshot(record.snapshotId);
  }

  async *snapshotIds(): AsyncIterable<string> {
    for await (const document of this.snapshots.find({}, { projection: { _id: 1 } }).sort({ _id: 1 }))
      yield document._id;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private indexes: Promise<void> | null = null;

  /** Created on the first chain read: without it FerretDB would scan the collection for a chain's links. */
  private ensureIndexes(): Promise<void> {
    this.indexes ??= this.snapshots.createIndex({ keyId: 1 }).then(
      () => undefined,
      (error: unknown) => {
        this.indexes = null;
        throw error;
      },
    );
    return this.indexes;
  }

  /**
   * Stored bytes inline when they fit one document, else in chunks written before the snapshot document. Chunks
   * are named by the hash of the bytes they hold, so an interrupted write that is retried with another encoding
   * (or a repair) never mixes its chunks with the earlier attempt's.
   */
  private async writeChunks(
    snapshotId: string,
    payload: Buffer,
  ): Promise<{ content: Binary | null; chunks: number; payloadId?: string }> {
    if (payload.length <= CHUNK_BYTES) return { content: new Binary(payload), chunks: 0 };
    const payloadId = createHash('sha256').update(payload).digest('hex').slice(0, 16);
    let count = 0;
    for (let offset = 0; offset < payload.length; offset += CHUNK_BYTES, count += 1) {
      const chunk: ChunkDocument = {
        _id: `${snapshotId}:${payloadId}:${count}`,
        snapshotId,
        payloadId,
        index: count,
        data: new Binary(payload.subarray(offset, offset + CHUNK_BYTES)),
      };
      await insertIgnoringDuplicate(() => this.chunks.insertOne(chunk));
    }
    return { content: null, chunks: count, payloadId };
  }

  private async toRecord(document: SnapshotDocument): Promise<ArchiveRecord> {
    let payload: Buffer;
    if (document.content) payload = Buffer.from(document.content.buffer);
    else {
      // Documents written before chunks were named by their bytes have no payloadId: all their chunks are theirs.
      const filter = document.payloadId
        ? { snapshotId: document._id, payloadId: document.payloadId }
        : { snapshotId: document._id };
      // Sorted here, not by the server: a sorted multi-batch query costs a new connection on FerretDB v2 (ADR 0017).
      const parts = (await this.chunks.find(filter).toArray()).sort((a, b) => a.index - b.index);
      if (parts.length !== document.chunks || parts.some((part, index) => part.index !== index))
        throw new SnapshotCorruptError(
          document._id,
          'truncated',
          `${parts.length} of its ${document.chunks} stored chunks are present`,
        );
      payload = Buffer.concat(parts.map((part) => Buffer.from(part.data.buffer)));
    }
    return {
      snapshotId: document._id,
      mimeType: document.mimeType,
      bytes: document.bytes,
      encoding: document.compression,
      baseId: document.baseId ?? null,
      depth: document.depth ?? 0,
      payload,
    };
  }

  /** The records from a snapshot down to its whole copy: one query for the chain, plus one per link outside it. */
  private async chainFrom(first: SnapshotDocument): Promise<ArchiveRecord[]> {
    const chain = [await this.toRecord(first)];
    let current = chain[0]!;
    // One indexed query brings every link sharing the chain's whole copy; a link not among them (a repaired base,
    // a document written before keyIds) is looked up on its own.
    const links = new Map<string, SnapshotDocument>();
    if (first.compression !== 'br' && first.keyId) {
      await this.ensureIndexes();
      for (const link of await this.snapshots.find({ keyId: first.keyId }).toArray())
        links.set(link._id, link);
    }
    while (current.encoding !== 'br' && current.baseId && chain.length <= MAX_CHAIN_READ) {
      const base = links.get(current.baseId) ?? (await this.snapshots.findOne({ _id: current.baseId }));
      if (!base) break;
      try {
        current = await this.toRecord(base);
      } catch (error) {
        if (!(error instanceof SnapshotCorruptError)) throw error;
        // Named from the snapshot asked for: its base is what is damaged.
        throw new SnapshotCorruptError(
          first._id,
          error.damage,
          `its delta base ${base._id} is ${error.damage} (${error.message})`,
          base._id,
        );
      }
      chain.push(current);
    }
    return chain;
  }

  private async headOf(source: string): Promise<SourceHead | null> {
    const cached = this.heads.get(source);
    if (cached) return cached;
    const head = await this.sourceHeads.findOne({ _id: source });
    const document = head && (await this.snapshots.findOne({ _id: head.snapshotId }));
    if (!document) return null;
    try {
      const { content, chainBytes, chainOps } = rebuildChain(await this.chainFrom(document));
      const keyId = document.keyId ?? (document.compression === 'br' ? document._id : undefined);
      return {
        snapshotId: document._id,
        depth: document.depth ?? 0,
        content,
        chainBytes,
        chainOps,
        ...(keyId === undefined ? {} : { keyId }),
      };
    } catch (error) {
      // A damaged head is no base: the new snapshot is kept whole and the damage stays for repair to fix.
      if (error instanceof SnapshotCorruptError) return null;
      throw error;
    }
  }
}

/** Insert-only: a document already there (same id, so the same content) counts as stored. */
async function insertIgnoringDuplicate(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
    throw error;
  }
}
