import { Test } from '@nestjs/testing';
import { loadConfig, TERMLINE_CONFIG } from '@termline/config';
import {
  decodeFetchEvent,
  documentIdOf,
  streamIdOf,
  upcastDocumentEvent,
  versionHistoryOf,
} from '@termline/domain';
import {
  connectMongo,
  EVENT_STORE,
  MongoEventStore,
  MongoSnapshotStore,
  SNAPSHOT_STORE,
} from '@termline/eventstore';
import { CLOCK } from '@termline/platform';
import { TimelineProjector } from '@termline/projection';
import { MongoReadModelStore } from '@termline/readmodels';
import { describeWithMongo, mongoUri, uniqueName } from '@termline/testing';
import { DocumentStateRepository } from '../document-state.repository';
import { ProvisionLineageService } from '../provisions/provision-lineage.service';
import { DOCUMENT_TEXT_EXTRACTOR } from '../text/document-text.extractor';
import { TextEngineExtractor } from '../text/text-engine.extractor';
import { RecordFetchCommand } from './record-fetch.command';
import { BatchNotRecorded, RecordFetchHandler } from './record-fetch.handler';

/**
 * The distributed mode's stores (MongoDB wire, FerretDB here) under the versioning handler and the timeline
 * projection: a combined document tracked live, then its older history recorded (one by one, and as a
 * consumer's batch), has the timeline of history first (ADR 0024).
 */
describeWithMongo('observed order on the distributed stores', () => {
  const SERVICE = 'Order Co';
  const TYPE = 'Terms';
  const stream = streamIdOf(documentIdOf(SERVICE, TYPE));
  const documentId = documentIdOf(SERVICE, TYPE);
  const page = (text: string) => `# ${text}\n\nThe ${text} applies to everyone.\n`;
  const fetch = (fetchId: string, fetchedAt: string, sourcePart: string, text: string) =>
    new RecordFetchCommand(
      decodeFetchEvent(
        {
          fetchId,
          service: SERVICE,
          documentType: TYPE,
          sourceUrl: `https://order.example/${sourcePart}`,
          sourcePart,
          fetchedAt,
          mimeType: 'text/markdown',
          content: page(text),
        },
        new Date('2026-06-01T00:00:00Z'),
      ),
      'corr',
      'cause',
    );
  // Two parts fetched in rounds a few seconds apart; the live rounds come after the history's.
  const HISTORY = [
    fetch('h1', '2026-01-01T00:00:00Z', 'terms', 'Terms one'),
    fetch('h2', '2026-01-01T00:00:05Z', 'privacy', 'Privacy one'),
    fetch('h3', '2026-01-10T00:00:00Z', 'terms', 'Terms two'),
    fetch('h4', '2026-01-10T00:00:05Z', 'privacy', 'Privacy two'),
    fetch('h5', '2026-01-12T00:00:00Z', 'terms', 'Terms one'),
  ];
  const LIVE = [
    fetch('l1', '2026-03-01T00:00:00Z', 'terms', 'Terms three'),
    fetch('l2', '2026-03-01T00:00:05Z', 'privacy', 'Privacy two'),
    fetch('l3', '2026-03-05T00:00:00Z', 'privacy', 'Privacy three'),
  ];

  const open = async () => {
    const connection = await connectMongo(mongoUri(), uniqueName('order'));
    const events = await MongoEventStore.open(connection.db);
    const readModels = await MongoReadModelStore.open(connection.db);
    const module = await Test.createTestingModule({
      providers: [
        RecordFetchHandler,
        DocumentStateRepository,
        ProvisionLineageService,
        { provide: EVENT_STORE, useValue: events },
        { provide: SNAPSHOT_STORE, useValue: new MongoSnapshotStore(connection.db) },
        { provide: DOCUMENT_TEXT_EXTRACTOR, useValue: new TextEngineExtractor(undefined) },
        { provide: CLOCK, useValue: { now: () => new Date('2026-06-01T00:00:00Z') } },
        { provide: TERMLINE_CONFIG, useValue: loadConfig({}) },
      ],
    }).compile();
    const handler = module.get(RecordFetchHandler);
    const projector = new TimelineProjector(events);
    return {
      handler,
      /** Records one by one, then projects, as the versioning and projection consumers do. */
      record: async (commands: readonly RecordFetchCommand[]) => {
        for (const command of commands) await handler.execute(command);
        await projector.catchUp(readModels, stream);
      },
      project: () => projector.catchUp(readModels, stream),
      served: async () => {
        const summaries = await readModels.listVersions(documentId, { limit: 100 });
        const { appliedVersion: _position, ...document } = (await readModels.getDocument(documentId))!;
        return {
          history: versionHistoryOf((await events.readStream(stream)).map(upcastDocumentEvent)),
          versions: await Promise.all(summaries.map((s) => readModels.getVersion(documentId, s.version))),
          timeline: await readModels.queryTimeline({ documentId, includeHidden: true, limit: 100 }),
          document,
        };
      },
      close: async () => {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  };

  it('gives live fetches followed by their history, one by one or in a batch, the timeline of history first', async () => {
    const historyFirst = await open();
    const liveFirst = await open();
    const batched = await open();
    try {
      await historyFirst.record(HISTORY);
      await historyFirst.record(LIVE);
      const expected = await historyFirst.served();
      expect(expected.history.length).toBeGreaterThan(3);

      await liveFirst.record(LIVE);
      await liveFirst.record(HISTORY);
      expect(await liveFirst.served()).toEqual(expected);
      // A redelivered late fetch appends nothing.
      expect((await liveFirst.handler.execute(HISTORY[2]!)).duplicate).toBe(true);

      // A consumer's batch holding late fetches is refused as a batch, then recorded fetch by fetch.
      await batched.record(LIVE);
      await expect(batched.handler.executeBatch(HISTORY)).rejects.toBeInstanceOf(BatchNotRecorded);
      await batched.record(HISTORY);
      expect(await batched.served()).toEqual(expected);
    } finally {
      await Promise.all([historyFirst.close(), liveFirst.close(), batched.close()]);
    }
  }, 120_000);
});
