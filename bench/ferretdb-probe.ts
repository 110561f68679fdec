import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * `node dist/bench/ferretdb-probe.js`: how the cost of the event store's queries grows with the collection on the
 * MongoDB server at MONGODB_URI (FerretDB here). Same shapes as MongoEventStore: commit documents with a unique
 * (streamId, version) index, looked up by `_id`, by the last version of a stream, and by stream. A point lookup
 * that does not grow with the collection uses the index; one that grows linearly scans.
 */

const STREAMS = 100;
const SIZES = [100, 400, 1600];
const REPEAT = 20;

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(samples.length / 2)]! * 10) / 10;
}

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';
  const textKb = Number(process.env.PROBE_TEXT_KB ?? 20);
  const client = new MongoClient(uri, { retryWrites: false, serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db(`bench_probe_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`);
  const commits = db.collection<{
    _id: string;
    streamId: string;
    version: number;
    lastVersion: number;
    text: string;
  }>('event_commits');
  await commits.createIndex({ streamId: 1, version: 1 }, { unique: true });
  const text = 'x'.repeat(textKb * 1024);
  const rows: Array<Record<string, number | string>> = [];
  try {
    let inserted = 0;
    for (const size of SIZES) {
      for (; inserted < size; inserted += 1) {
        const streamId = `document:s${inserted % STREAMS}`;
        const version = Math.floor(inserted / STREAMS) + 1;
        await commits.insertOne({ _id: `c${inserted}`, streamId, version, lastVersion: version, text });
      }
      const stream = `document:s${size % STREAMS}`;
      rows.push({
        commits: size,
        mb: Math.round((size * textKb) / 102.4) / 10,
        findOneByIdMs: await timeMs(() => commits.findOne({ _id: `c${size - 1}` })),
        lastVersionOfStreamMs: await timeMs(() =>
          commits
            .find({ streamId: stream }, { projection: { lastVersion: 1 } })
            .sort({ version: -1 })
            .limit(1)
            .next(),
        ),
        readStreamMs: await timeMs(() =>
          commits
            .find({ streamId: stream, lastVersion: { $gt: 0 } })
            .sort({ version: 1 })
            .toArray(),
        ),
      });
    }
    console.log(JSON.stringify({ uri, textKbPerCommit: textKb, medianOf: REPEAT, rows }, null, 2));
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
