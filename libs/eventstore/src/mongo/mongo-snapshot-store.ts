import { Binary, MongoServerError, type Collection, type Db } from 'mongodb';
import {
  assertSnapshotId,
  compressSnapshot,
  decompressSnapshot,
  type SnapshotStore,
  type StoredSnapshot,
} from '../snapshot-store.port';

/**
 * `snapshots`: one insert-only document per distinct content, `_id` the sha256 of the raw bytes. Compressed bytes
 * over CHUNK_BYTES (documents are capped at 16 MB) go to `snapshot_chunks` first; the head document is written
 * last, so a snapshot is visible only once it is whole.
 */
interface SnapshotDocument {
  _id: string;
  mimeType: string;
  bytes: number;
  compression: 'br';
  content: Binary | null;
  chunks: number;
  storedAt: Date;
}

interface ChunkDocument {
  _id: string;
  snapshotId: string;
  index: number;
  data: Binary;
}

const CHUNK_BYTES = 8 * 1024 * 1024;
const DUPLICATE_KEY = 11000;

export class MongoSnapshotStore implements SnapshotStore {
  private readonly snapshots: Collection<SnapshotDocument>;
  private readonly chunks: Collection<ChunkDocument>;

  constructor(db: Db) {
    this.snapshots = db.collection<SnapshotDocument>('snapshots');
    this.chunks = db.collection<ChunkDocument>('snapshot_chunks');
  }

  async put(snapshotId: string, content: Buffer, mimeType: string): Promise<{ created: boolean }> {
    assertSnapshotId(snapshotId, content);
    // No existence check first: on FerretDB a lookup scans the collection, while an insert is checked by its
    // unique _id index. A duplicate key means the same bytes are stored already.
    const compressed = compressSnapshot(content);
    const inline = compressed.length <= CHUNK_BYTES;
    let chunkCount = 0;
    if (!inline) {
      for (let offset = 0; offset < compressed.length; offset += CHUNK_BYTES, chunkCount += 1) {
        const chunk: ChunkDocument = {
          _id: `${snapshotId}:${chunkCount}`,
          snapshotId,
          index: chunkCount,
          data: new Binary(compressed.subarray(offset, offset + CHUNK_BYTES)),
        };
        await insertIgnoringDuplicate(() => this.chunks.insertOne(chunk));
      }
    }
    const head: SnapshotDocument = {
      _id: snapshotId,
      mimeType,
      bytes: content.length,
      compression: 'br',
      content: inline ? new Binary(compressed) : null,
      chunks: chunkCount,
      storedAt: new Date(),
    };
    const created = await insertIgnoringDuplicate(() => this.snapshots.insertOne(head));
    return { created };
  }

  async get(snapshotId: string): Promise<StoredSnapshot | null> {
    const head = await this.snapshots.findOne({ _id: snapshotId });
    if (!head) return null;
    let compressed: Buffer;
    if (head.content) compressed = Buffer.from(head.content.buffer);
    else {
      const parts = await this.chunks.find({ snapshotId }).sort({ index: 1 }).toArray();
      compressed = Buffer.concat(parts.map((part) => Buffer.from(part.data.buffer)));
    }
    return { snapshotId, mimeType: head.mimeType, bytes: head.bytes, content: decompressSnapshot(snapshotId, compressed) };
  }

  close(): Promise<void> {
    return Promise.resolve();
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
