import { groupCommits, verifyChain } from '@termline/audit';
import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import type { Db } from 'mongodb';
import type { NewEvent } from '../event-store.port';
import { eventStoreContract } from '../event-store.contract';
import { quarantineStoreContract } from '../quarantine-store.contract';
import { MongoQuarantineStore } from './mongo-quarantine-store';
import { connectMongo } from './mongo-connection';
import { EXTERNAL_TEXT_MIN_CHARS, MongoEventStore } from './mongo-event-store';

describeWithMongo('MongoDB adapters of the archive', () => {
  eventStoreContract('MongoDB', async () => {
    const connection = await connectMongo(mongoUri(), uniqueName('es'));
    const store = await MongoEventStore.open(connection.db);
    return {
      store,
      // A commit document as the store wrote it before the chain: no previousHash, no hash.
      writeUnchained: async (streamId, firstVersion, commitId, events) => {
        await connection.db.collection('event_commits').insertOne(
          {
            _id: commitId as never,
            streamId,
            version: firstVersion,
            lastVersion: firstVersion + events.length - 1,
            events: events.map((e) => ({ ...e })),
            committedAt: new Date(),
          },
          { ignoreUndefined: true },
        );
      },
      cleanup: async () => {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  });

  quarantineStoreContract('MongoDB', async () => {
    const connection = await connectMongo(mongoUri(), uniqueName('quarantine'));
    return {
      store: await MongoQuarantineStore.open(connection.db),
      cleanup: async () => {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  });

  describe('long texts, kept apart from their commits', () => {
    let connection: Awaited<ReturnType<typeof connectMongo>>;
    let db: Db;
    let store: MongoEventStore;
    beforeEach(async () => {
      connection = await connectMongo(mongoUri(), uniqueName('texts'));
      db = connection.db;
      store = await MongoEventStore.open(db);
    });
    afterEach(async () => {
      await db.dropDatabase();
      await connection.close();
    });

    const recorded = (eventId: string, text: string): NewEvent => ({
      eventId,
      type: 'VersionRecorded',
      schemaVersion: 1,
      data: { version: 1, text, textSha256: 'not read by the store' },
      metadata: { correlationId: 'c', causationId: 'k', occurredAt: '2026-11-28T00:00:00.000Z' },
    });
    const longText = (word: string) => `${word} é€𝄞 `.repeat(EXTERNAL_TEXT_MIN_CHARS / 4);
    const rawCommit = (id: string) =>
      db.collection('event_commits').findOne({ _id: id as never }) as Promise<{
        events: Array<{ data: { text: unknown }; textRef?: string }>;
      } | null>;

    it('stores a long text once, outside the commit, and reads the events back whole, in their key order', async () => {
      const text = longText('clause');
      const event = recorded('v1', text);
      await store.append('document:a', 0, 'a-1', [event]);
      await store.append('document:b', 0, 'b-1', [recorded('w1', text)]);

      const raw = await rawCommit('a-1');
      expect(raw!.events[0]!.data.text).toBeNull();
      expect(raw!.events[0]!.textRef).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(raw).length).toBeLessThan(2_000);
      expect(await db.collection('event_texts').countDocuments()).toBe(1);

      const [read] = await store.readStream('document:a');
      expect(read!.data).toEqual(event.data);
      expect(Object.keys(read!.data as object)).toEqual(Object.keys(event.data as object));
      expect(read).not.toHaveProperty('textRef');
      expect((await store.readCommit('b-1'))![0]!.data).toEqual(event.data);
    });

    it('keeps short texts in their event', async () => {
      await store.append('document:a', 0, 'a-1', [recorded('v1', 'a short clause')]);
      const raw = await rawCommit('a-1');
      expect(raw!.events[0]!.data.text).toBe('a short clause');
      expect(raw!.events[0]!.textRef).toBeUndefined();
      expect(await db.collection('event_texts').countDocuments()).toBe(0);
    });

    it('chains commits over their whole events, so the chain verifies against the events read back', async () => {
      await store.append('document:a', 0, 'a-1', [recorded('v1', longText('first'))]);
      await store.appendBatch([
        {
          streamId: 'document:a',
          expectedVersion: 1,
          commitId: 'a-2',
          events: [recorded('v2', longText('second'))],
          head: (await store.chainHead('document:a'))!,
        },
      ]);
      const events = await store.readStream('document:a');
      const byCommit = new Map(groupCommits(events).map((commit) => [commit.commitId, commit.events]));
      expect(
        verifyChain('document:a', await store.readChain('document:a'), byCommit, {
          hash: null,
          lastVersion: 0,
        }),
      ).toEqual([]);
      expect(await db.collection('event_texts').countDocuments()).toBe(2);
    });

    it('answers a redelivered commit with its stored events, texts included', async () => {
      const event = recorded('v1', longText('clause'));
      await store.append('document:a', 0, 'a-1', [event]);
      const again = await store.append('document:a', 0, 'a-1', [event]);
      expect(again.duplicate).toBe(true);
      expect(again.events[0]!.data).toEqual(event.data);
    });

    it('refuses to read a commit whose text is missing, naming the commit and the text', async () => {
      await store.append('document:a', 0, 'a-1', [recorded('v1', longText('clause'))]);
      await db.collection('event_texts').deleteMany({});
      await expect(store.readStream('document:a')).rejects.toThrow(
        /Commit a-1 of document:a: the text [0-9a-f]{64}/,
      );
    });
  });
});
