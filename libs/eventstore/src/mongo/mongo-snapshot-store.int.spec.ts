import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import { Binary } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { snapshotStoreContract } from '../snapshot-store.contract';
import { compressSnapshot, snapshotIdOf } from '../snapshot-store.port';
import { connectMongo } from './mongo-connection';
import { MongoSnapshotStore } from './mongo-snapshot-store';

interface RawSnapshot {
  _id: string;
  compression: 'br' | 'delta-br';
  baseId?: string | null;
  depth?: number;
  content: Binary | null;
}

describeWithMongo('MongoDB snapshot archive', () => {
  snapshotStoreContract('MongoDB', async (options) => {
    const connection = await connectMongo(mongoUri(), uniqueName('snap'));
    const raw = connection.db.collection<RawSnapshot>('snapshots');
    return {
      store: new MongoSnapshotStore(connection.db, options),
      reopen: () => Promise.resolve(new MongoSnapshotStore(connection.db, options)),
      probe: {
        storedAs: async (id) => {
          const document = await raw.findOne({ _id: id });
          if (!document) throw new Error(`no document for ${id}`);
          return {
            encoding: document.compression,
            baseId: document.baseId ?? null,
            depth: document.depth ?? 0,
          };
        },
        remove: async (id) => {
          await raw.deleteOne({ _id: id });
        },
        replaceWithOther: async (id, other) => {
          await raw.updateOne(
            { _id: id },
            {
              $set: {
                compression: 'br',
                baseId: null,
                depth: 0,
                content: new Binary(compressSnapshot(other)),
              },
            },
          );
        },
        truncate: async (id) => {
          const document = await raw.findOne({ _id: id });
          const bytes = Buffer.from(document!.content!.buffer);
          await raw.updateOne(
            { _id: id },
            { $set: { content: new Binary(bytes.subarray(0, bytes.length >> 1)) } },
          );
        },
        linkBase: async (id, baseId) => {
          await raw.updateOne({ _id: id }, { $set: { baseId } });
        },
      },
      cleanup: async () => {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  });

  it('a write cut off after its chunks leaves nothing visible; a truncated chunk list is a clear error', async () => {
    const connection = await connectMongo(mongoUri(), uniqueName('snapcrash'));
    try {
      // Incompressible bytes: over one chunk (8 MB) once compressed.
      const content = randomBytes(9 * 1024 * 1024);
      const id = snapshotIdOf(content);
      const store = new MongoSnapshotStore(connection.db);
      await store.put(id, content, 'application/pdf');
      // Simulate the crash: keep the chunks, lose the snapshot document written last.
      await connection.db.collection<{ _id: string }>('snapshots').deleteOne({ _id: id });
      expect(await store.get(id)).toBeNull();
      expect(await store.put(id, content, 'application/pdf')).toEqual({ created: true });
      expect((await store.get(id))?.content.equals(content)).toBe(true);

      const removed = await connection.db
        .collection('snapshot_chunks')
        .deleteOne({ snapshotId: id, index: 1 });
      expect(removed.deletedCount).toBe(1);
      await expect(store.get(id)).rejects.toThrow(
        new RegExp(`Snapshot ${id} cannot be read \\(truncated\\)`),
      );
    } finally {
      await connection.db.dropDatabase();
      await connection.close();
    }
  }, 60_000);
});
