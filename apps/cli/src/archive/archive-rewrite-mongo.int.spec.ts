import {
  compressSnapshot,
  connectMongo,
  MongoEventStore,
  MongoSnapshotStore,
  snapshotIdOf,
  type MongoConnection,
} from '@termline/eventstore';
import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import { Binary } from 'mongodb';
import { parseArchiveArguments, rewriteDistributedArchive, verifyArchive } from './archive.command';

// Hundreds of snapshots written, rewritten and read several times over, against a shared FerretDB.
jest.setTimeout(180_000);

/** Revision n of a page: the same clauses with a date and one clause that move, as successive fetches see it. */
const revision = (source: number, n: number): Buffer => {
  const clauses = Array.from(
    { length: 600 },
    (_, i) => `<p>Source ${source}, clause ${i}: the terms may change with notice ${i * 37}.</p>`,
  );
  clauses[n % clauses.length] = `<p>Changed in revision ${n}</p>`;
  return Buffer.from(`<html><body><p>Updated ${n}</p>${clauses.join('\n')}</body></html>`);
};

/** A snapshot document as the MongoDB store wrote it before deltas: a whole Brotli copy, no base, depth or key. */
interface LegacySnapshot {
  _id: string;
  mimeType: string;
  bytes: number;
  compression: 'br' | 'delta-br';
  content: Binary | null;
  chunks: number;
  storedAt: Date;
  depth?: number;
}

/** A distributed store as written before the dense layout, with the fetch events that name its snapshots in order. */
async function legacyStore(
  connection: MongoConnection,
  sources: number,
  revisions: number,
): Promise<Buffer[]> {
  const snapshots = connection.db.collection<LegacySnapshot>('snapshots');
  const events = await MongoEventStore.open(connection.db);
  const written: Buffer[] = [];
  for (let s = 0; s < sources; s += 1) {
    for (let n = 0; n < revisions; n += 1) {
      const content = revision(s, n);
      const snapshotId = snapshotIdOf(content);
      await snapshots.insertOne({
        _id: snapshotId,
        mimeType: 'text/html',
        bytes: content.length,
        compression: 'br',
        content: new Binary(compressSnapshot(content)),
        chunks: 0,
        storedAt: new Date(),
      });
      written.push(content);
      await events.append(`document:acme-${s}`, n, `commit-${s}-${n}`, [
        {
          eventId: `event-${s}-${n}`,
          type: 'FetchRecorded',
          schemaVersion: 1,
          data: { documentId: `acme-${s}`, sourcePart: null, snapshotId },
          metadata: { correlationId: 'test', causationId: 'test', occurredAt: '2026-01-01T00:00:00Z' },
        },
      ]);
    }
  }
  return written;
}

async function layout(
  connection: MongoConnection,
): Promise<{ whole: number; delta: number; maxDepth: number }> {
  const documents = await connection.db
    .collection<LegacySnapshot>('snapshots')
    .find({}, { projection: { compression: 1, depth: 1 } })
    .toArray();
  return {
    whole: documents.filter((document) => document.compression === 'br').length,
    delta: documents.filter((document) => document.compression === 'delta-br').length,
    maxDepth: Math.max(...documents.map((document) => document.depth ?? 0)),
  };
}

/** Bytes of the snapshots' stored forms (all inline here: these pages are far below the chunk size). */
async function storedBytes(connection: MongoConnection): Promise<number> {
  const documents = await connection.db.collection<LegacySnapshot>('snapshots').find({}).toArray();
  return documents.reduce((sum, document) => sum + (document.content?.buffer.length ?? 0), 0);
}

async function expectEveryRevisionReads(
  connection: MongoConnection,
  contents: readonly Buffer[],
): Promise<void> {
  // A fresh store: nothing in its head cache, every read rebuilt from the documents.
  const reader = new MongoSnapshotStore(connection.db);
  for (const content of contents)
    expect((await reader.get(snapshotIdOf(content)))?.content.equals(content)).toBe(true);
}

describeWithMongo('termline archive rewrite --distributed', () => {
  let connection: MongoConnection;

  beforeEach(async () => {
    connection = await connectMongo(mongoUri(), uniqueName('rewrite'));
  });

  afterEach(async () => {
    await connection.db.dropDatabase();
    await connection.close();
  });

  it('picks the distributed store on --distributed, and not with --data', () => {
    expect(parseArchiveArguments(['rewrite', '--distributed'])).toMatchObject({
      action: 'rewrite',
      dataDir: null,
    });
    expect(() => parseArchiveArguments(['rewrite', '--distributed', '--data', '/tmp'])).toThrow(
      '--data and --distributed exclude each other',
    );
  });

  it('moves whole copies into chains per source, verified before and after; a rerun changes nothing', async () => {
    const contents = await legacyStore(connection, 2, 40);
    expect(await layout(connection)).toEqual({ whole: 80, delta: 0, maxDepth: 0 });

    const storedBefore = await storedBytes(connection);
    const report = await rewriteDistributedArchive(connection.db);
    expect(report.before).toEqual({ checked: 80, damaged: [] });
    expect(report.after).toEqual({ checked: 80, damaged: [] });
    // Per source: the first and every 33rd snapshot whole (the depth bound), the rest deltas.
    expect(report.steps).toEqual({ densified: 76, 'already-dense': 0, 'kept-whole': 4, missing: 0 });
    expect(await layout(connection)).toEqual({ whole: 4, delta: 76, maxDepth: 32 });
    await expectEveryRevisionReads(connection, contents);
    // Each delta carries its chain's whole copy as key, so a read fetches its chain in one query.
    const documents = await connection.db
      .collection<LegacySnapshot & { keyId?: string }>('snapshots')
      .find({})
      .toArray();
    const wholeIds = new Set(documents.filter((d) => d.compression === 'br').map((d) => d._id));
    for (const document of documents.filter((d) => d.compression === 'delta-br'))
      expect(wholeIds.has(document.keyId ?? '')).toBe(true);

    // Whole copies of these pages are about 5 KB each in Brotli; the deltas a few hundred bytes.
    expect(await storedBytes(connection)).toBeLessThan(storedBefore / 4);

    const before = JSON.stringify(
      await connection.db.collection('snapshots').find({}).sort({ _id: 1 }).toArray(),
    );
    const again = await rewriteDistributedArchive(connection.db);
    expect(again.steps).toEqual({ densified: 0, 'already-dense': 76, 'kept-whole': 4, missing: 0 });
    expect(
      JSON.stringify(await connection.db.collection('snapshots').find({}).sort({ _id: 1 }).toArray()),
    ).toBe(before);
  });

  it('refuses to rewrite a damaged archive', async () => {
    const contents = await legacyStore(connection, 1, 3);
    await connection.db
      .collection<LegacySnapshot>('snapshots')
      .updateOne(
        { _id: snapshotIdOf(contents[1]!) },
        { $set: { content: new Binary(compressSnapshot(Buffer.from('not the fetched bytes'))) } },
      );
    const report = await rewriteDistributedArchive(connection.db);
    expect(report.before.checked).toBe(3);
    expect(report.before.damaged.map((damage) => damage.snapshotId)).toEqual([snapshotIdOf(contents[1]!)]);
    expect(report.steps).toEqual({ densified: 0, 'already-dense': 0, 'kept-whole': 0, missing: 0 });
    expect(await layout(connection)).toEqual({ whole: 3, delta: 0, maxDepth: 0 });
  });

  it('stopped midway, leaves every snapshot readable, and a rerun finishes the job', async () => {
    const contents = await legacyStore(connection, 1, 30);
    let densified = 0;
    await expect(
      rewriteDistributedArchive(connection.db, (_, step) => {
        if (step === 'densified') densified += 1;
        // Stands for a process stopped between two snapshots' writes.
        if (densified === 10) throw new Error('stopped');
      }),
    ).rejects.toThrow('stopped');
    expect(await layout(connection)).toEqual({ whole: 20, delta: 10, maxDepth: 10 });
    expect(await verifyArchive(new MongoSnapshotStore(connection.db))).toEqual({ checked: 30, damaged: [] });
    await expectEveryRevisionReads(connection, contents);

    const rerun = await rewriteDistributedArchive(connection.db);
    expect(rerun.steps).toEqual({ densified: 19, 'already-dense': 10, 'kept-whole': 1, missing: 0 });
    expect(await layout(connection)).toEqual({ whole: 1, delta: 29, maxDepth: 29 });
    await expectEveryRevisionReads(connection, contents);
  });
});
