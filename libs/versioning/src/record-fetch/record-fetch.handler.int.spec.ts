import { Test } from '@nestjs/testing';
import { loadConfig, TERMLINE_CONFIG } from '@termline/config';
import {
  decodeFetchEvent,
  documentIdOf,
  streamIdOf,
  type ProvisionsAligned,
  type VersionRecorded,
} from '@termline/domain';
import {
  EVENT_STORE,
  SNAPSHOT_STORE,
  SqliteEventStore,
  snapshotIdOf,
  SqliteSnapshotStore,
  type EventStore,
} from '@termline/eventstore';
import { CLOCK } from '@termline/platform';
import { tempDir } from '@termline/testing';
import { declarationSet, parseDeclaration, type DeclarationSet } from '@termline/text';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DocumentStateRepository } from '../document-state.repository';
import { ProvisionLineageService } from '../provisions/provision-lineage.service';
import { DOCUMENT_TEXT_EXTRACTOR } from '../text/document-text.extractor';
import { TextEngineExtractor } from '../text/text-engine.extractor';
import { RecordFetchCommand } from './record-fetch.command';
import { BatchNotRecorded, RecordFetchHandler } from './record-fetch.handler';

/** The versioning handler on a real (embedded) event store and archive, with the real text engine. */
describe('RecordFetchHandler with the embedded stores', () => {
  const dir = tempDir();
  const events = new SqliteEventStore(join(dir.path, 'events.sqlite'));
  const snapshots = new SqliteSnapshotStore(join(dir.path, 'snapshots.sqlite'));
  afterAll(async () => {
    await events.close();
    await snapshots.close();
    dir.remove();
  });

  async function handlerWith(
    declarations: DeclarationSet | undefined,
    eventStore: EventStore = events,
  ): Promise<RecordFetchHandler> {
    const module = await Test.createTestingModule({
      providers: [
        RecordFetchHandler,
        DocumentStateRepository,
        ProvisionLineageService,
        { provide: EVENT_STORE, useValue: eventStore },
        { provide: SNAPSHOT_STORE, useValue: snapshots },
        { provide: DOCUMENT_TEXT_EXTRACTOR, useValue: new TextEngineExtractor(declarations) },
        { provide: CLOCK, useValue: { now: () => new Date('2026-06-01T00:00:00Z') } },
        { provide: TERMLINE_CONFIG, useValue: loadConfig({}) },
      ],
    }).compile();
    return module.get(RecordFetchHandler);
  }

  // No main region: without a declaration the page is read whole, menu included.
  const page =
    '<html><body><nav>Menu · Login</nav><div id="terms"><h1>Terms</h1><p>Be kind.</p></div></body></html>';
  const fetch = (fetchId: string, fetchedAt: string) =>
    new RecordFetchCommand(
      decodeFetchEvent(
        {
          fetchId,
          service: 'Kind Co',
          documentType: 'Terms',
          sourceUrl: 'https://kind.example/terms',
          fetchedAt,
          mimeType: 'text/html',
          content: page,
        },
        new Date('2026-06-01T00:00:00Z'),
      ),
      'corr',
      'cause',
    );
  /** Fetches of a Markdown document of `service`: (fetchId, fetchedAt, content) -> command. */
  const markdownFetch = (service: string) => (fetchId: string, fetchedAt: string, content: string) =>
    new RecordFetchCommand(
      decodeFetchEvent(
        {
          fetchId,
          service,
          documentType: 'Terms',
          sourceUrl: `https://${service.split(' ')[0]!.toLowerCase()}.example/terms`,
          fetchedAt,
          mimeType: 'text/markdown',
          content,
        },
        new Date('2026-06-01T00:00:00Z'),
      ),
      'corr',
      'cause',
    );
  const stream = streamIdOf(documentIdOf('Kind Co', 'Terms'));
  const versions = async (store: EventStore) =>
    (await store.readStream(stream))
      .filter((e) => e.type === 'VersionRecorded')
      .map((e) => e.data as VersionRecorded['data']);

  it('turns a declaration added later into a technical upgrade of the unchanged page, not a change', async () => {
    const before = await handlerWith(undefined);
    await before.execute(fetch('kind-1', '2026-05-01T00:00:00Z'));
    expect((await versions(events)).map((v) => v.text)).toEqual([expect.stringContaining('Menu')]);

    const declarations = declarationSet([
      {
        declaration: parseDeclaration({
          name: 'Kind Co',
          terms: { Terms: { fetch: 'https://kind.example/terms', select: '#terms' } },
        }),
      },
    ]);
    const after = await handlerWith(declarations);
    const result = await after.execute(fetch('kind-2', '2026-05-02T00:00:00Z'));
    expect(result.events.map((e) => e.type)).toEqual([
      'FetchRecorded',
      'VersionRecorded',
      'ProvisionsAligned',
    ]);
    const [first, upgrade] = await versions(events);
    expect(upgrade).toMatchObject({
      version: 2,
      technicalUpgrade: true,
      previousVersion: 1,
      declarationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(upgrade!.text).not.toContain('Menu');
    expect(first!.declarationHash).toBeNull();

    // The rules are now those of the current version: a third identical fetch changes nothing.
    const third = await after.execute(fetch('kind-3', '2026-05-03T00:00:00Z'));
    expect(third.events.map((e) => e.type)).toEqual(['FetchRecorded']);
  });

  it('records an error page as a failed fetch, and makes the pending technical upgrade at the next real fetch', async () => {
    const patient = (fetchId: string, fetchedAt: string, content: string) =>
      new RecordFetchCommand(
        decodeFetchEvent(
          {
            fetchId,
            service: 'Patient Co',
            documentType: 'Terms',
            sourceUrl: 'https://patient.example/terms',
            fetchedAt,
            mimeType: 'text/html',
            content,
          },
          new Date('2026-06-01T00:00:00Z'),
        ),
        'corr',
        'cause',
      );
    const before = await handlerWith(undefined);
    await before.execute(patient('patient-1', '2026-05-01T00:00:00Z', page));
    const after = await handlerWith(
      declarationSet([
        {
          declaration: parseDeclaration({
            name: 'Patient Co',
            terms: { Terms: { fetch: 'https://patient.example/terms', select: '#terms' } },
          }),
        },
      ]),
    );
    const error = await after.execute(
      patient('patient-2', '2026-05-02T00:00:00Z', '<html><body><h1>Something went wrong</h1></body></html>'),
    );
    expect(error.events.map((e) => e.type)).toEqual(['FetchRecorded']);
    expect(error.events[0]!.data).toMatchObject({ outcome: 'failed-fetch', failure: { code: 'error-page' } });
    // The real page again: the re-extraction the failed fetch could not apply is made now.
    const back = await after.execute(patient('patient-3', '2026-05-03T00:00:00Z', page));
    expect(back.events[0]!.data).toMatchObject({ outcome: 'snapshot-unchanged' });
    const stream = streamIdOf(documentIdOf('Patient Co', 'Terms'));
    const recorded = (await events.readStream(stream))
      .filter((e) => e.type === 'VersionRecorded')
      .map((e) => e.data as VersionRecorded['data']);
    expect(recorded.map((v) => [v.version, v.technicalUpgrade])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('appends nothing for a redelivered fetch and refuses its id with other content', async () => {
    const handler = await handlerWith(undefined);
    const again = await handler.execute(fetch('kind-1', '2026-05-01T00:00:00Z'));
    expect(again.duplicate).toBe(true);
    const other = new RecordFetchCommand(
      decodeFetchEvent(
        {
          fetchId: 'kind-1',
          service: 'Kind Co',
          documentType: 'Terms',
          sourceUrl: 'https://kind.example/terms',
          fetchedAt: '2026-05-01T00:00:00Z',
          mimeType: 'text/plain',
          content: 'other',
        },
        new Date('2026-06-01T00:00:00Z'),
      ),
      'corr',
      'cause',
    );
    await expect(handler.execute(other)).rejects.toMatchObject({ code: 'fetch-id-conflict' });
  });

  it("records each version's provisions with ids carried over and their lineage, also after a restart", async () => {
    const markdown = markdownFetch('Clause Co');
    const clauses = {
      data: '## 1. Data\n\nWe keep your data for 30 days and then delete it for good.\n',
      data90: '## 1. Personal data\n\nWe keep your data for 90 days and then delete it for good.\n',
      law: '## 2. Law\n\nThe law of Ireland governs these terms and every dispute about them.\n',
      fees: '## 3. Fees\n\nPaid plans are billed monthly in advance and are not refunded.\n',
    };
    const alignedIn = (types: Array<{ type: string; data: unknown }>) =>
      types.find((e) => e.type === 'ProvisionsAligned')!.data as ProvisionsAligned['data'];

    const handler = await handlerWith(undefined);
    const first = alignedIn(
      (
        await handler.execute(
          markdown('clause-1', '2026-05-01T00:00:00Z', `# Terms\n\n${clauses.data}\n${clauses.law}`),
        )
      ).events,
    );
    expect(first).toMatchObject({ version: 1, previousVersion: null });
    expect(first.provisionIds).toHaveLength(3);
    expect(first.lineage.map((l) => l.kind)).toEqual(['added', 'added', 'added']);

    const second = alignedIn(
      (
        await handler.execute(
          markdown('clause-2', '2026-05-02T00:00:00Z', `# Terms\n\n${clauses.data90}\n${clauses.law}`),
        )
      ).events,
    );
    expect(second.provisionIds).toEqual(first.provisionIds);
    // Renamed and modified: the id stays the first version's, not the slug of the new heading.
    expect(second.lineage).toEqual([
      expect.objectContaining({
        kind: 'renamed',
        id: first.provisionIds[1],
        heading: '1. Personal data',
        modified: true,
      }),
    ]);

    // A new process: the version followed is read back from the stream, with the ids it was recorded with.
    const restarted = await handlerWith(undefined);
    const third = alignedIn(
      (
        await restarted.execute(
          markdown(
            'clause-3',
            '2026-05-03T00:00:00Z',
            `# Terms\n\n${clauses.fees}\n${clauses.data90}\n${clauses.law}`,
          ),
        )
      ).events,
    );
    expect(third.previousVersion).toBe(2);
    expect(third.provisionIds).toEqual(expect.arrayContaining(second.provisionIds));
    expect(third.lineage).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'added' })]));
    expect(third.lineage.filter((l) => l.kind === 'removed')).toEqual([]);
  });

  it('carries ids over from versions recorded before provisions were, by aligning their chain again', async () => {
    const markdown = markdownFetch('Legacy Co');
    const privacy = 'We keep your data for thirty days and then delete it for good.';
    const v1 = `# Terms\n\n## Privacy\n\n${privacy}\n\n## Fees\n\nBilled monthly.\n`;
    const v2 = `# Terms\n\n## Data protection\n\n${privacy}\n\n## Fees\n\nBilled monthly.\n`;
    const v3 = `# Terms\n\n## Data protection\n\n${privacy}\n\n## Fees\n\nBilled monthly, in advance.\n`;
    const legacyStream = streamIdOf(documentIdOf('Legacy Co', 'Terms'));
    const handler = await handlerWith(undefined);
    await handler.execute(markdown('legacy-1', '2026-05-01T00:00:00Z', v1));
    const second = await handler.execute(markdown('legacy-2', '2026-05-02T00:00:00Z', v2));
    const idsOfV2 = (
      second.events.find((e) => e.type === 'ProvisionsAligned')!.data as ProvisionsAligned['data']
    ).provisionIds;
    expect(idsOfV2).toContain('privacy'); // renamed, the id stays the first version's

    // The same history as a store written before ProvisionsAligned existed: every commit without it.
    const legacy = new SqliteEventStore(join(dir.path, 'legacy-events.sqlite'));
    try {
      const stored = await events.readStream(legacyStream);
      for (const commitId of [...new Set(stored.map((e) => e.commitId))]) {
        const commit = stored.filter((e) => e.commitId === commitId && e.type !== 'ProvisionsAligned');
        const expected = (await legacy.readStream(legacyStream)).length;
        await legacy.append(legacyStream, expected, commitId, commit);
      }
      const restarted = await handlerWith(undefined, legacy);
      const third = await restarted.execute(markdown('legacy-3', '2026-05-03T00:00:00Z', v3));
      const aligned = third.events.find((e) => e.type === 'ProvisionsAligned')!
        .data as ProvisionsAligned['data'];
      expect(aligned.provisionIds).toEqual(idsOfV2);
      expect(aligned.lineage).toEqual([expect.objectContaining({ kind: 'modified' })]);
    } finally {
      await legacy.close();
    }
  });

  /** The event store, counting the reads a handler makes of it. */
  function countingReads(store: EventStore) {
    const reads = { readStream: 0, chainHead: 0 };
    const counted: EventStore = Object.create(store) as EventStore;
    counted.readStream = (streamId, after) => {
      reads.readStream += 1;
      return store.readStream(streamId, after);
    };
    counted.chainHead = (streamId) => {
      reads.chainHead += 1;
      return store.chainHead(streamId);
    };
    return { counted, reads };
  }

  it('folds an owned document once and then appends without reading it, each commit chained', async () => {
    const { counted, reads } = countingReads(events);
    const handler = await handlerWith(undefined, counted);
    const markdown = markdownFetch('Owned Co');
    const owned = streamIdOf(documentIdOf('Owned Co', 'Terms'));
    for (const [i, text] of [
      '# Terms\n\nOne.',
      '# Terms\n\nTwo.',
      '# Terms\n\nTwo.',
      '# Terms\n\nThree.',
    ].entries())
      await handler.execute(markdown(`owned-${i}`, `2026-05-0${i + 1}T00:00:00Z`, text));
    // The first fetch of a new document folds an empty stream; the other three read nothing of it.
    expect(reads).toEqual({ readStream: 1, chainHead: 0 });
    const chain = await events.readChain(owned);
    expect(chain).toHaveLength(4);
    for (const [i, link] of chain.entries())
      expect(link.previousHash).toBe(i === 0 ? null : chain[i - 1]!.hash);
  });

  it('folds again and decides again when another owner appended to the document in between', async () => {
    const { counted, reads } = countingReads(events);
    const first = await handlerWith(undefined, counted);
    const second = await handlerWith(undefined);
    const markdown = markdownFetch('Moved Co');
    const moved = streamIdOf(documentIdOf('Moved Co', 'Terms'));
    await first.execute(markdown('moved-1', '2026-05-01T00:00:00Z', '# Terms\n\nOne.'));
    // The partition moved: the other owner records a change the first one has not seen.
    await second.execute(markdown('moved-2', '2026-05-02T00:00:00Z', '# Terms\n\nTwo.'));
    const result = await first.execute(markdown('moved-3', '2026-05-03T00:00:00Z', '# Terms\n\nTwo.'));
    expect(result.duplicate).toBe(false);
    // Its kept state was one commit behind: the append collided, the stream was folded again.
    expect(reads.readStream).toBe(2);
    const recorded = (await events.readStream(moved))
      .filter((e) => e.type === 'VersionRecorded')
      .map((e) => (e.data as VersionRecorded['data']).version);
    // Decided against the stream as it is: the third fetch is no new version.
    expect(recorded).toEqual([1, 2]);
    const chain = await events.readChain(moved);
    expect(chain.map((link) => link.commitId)).toEqual(['fetch:moved-1', 'fetch:moved-2', 'fetch:moved-3']);
    expect(chain[2]!.previousHash).toBe(chain[1]!.hash);
  });

  it('records a batch of fetches of several documents in one write, exactly as one by one', async () => {
    const one = new SqliteEventStore(join(dir.path, 'one-by-one.sqlite'));
    const batch = new SqliteEventStore(join(dir.path, 'batch.sqlite'));
    try {
      const a = markdownFetch('Batch A');
      const b = markdownFetch('Batch B');
      const fetches = [
        a('ba-1', '2026-05-01T00:00:00Z', '# Terms\n\nOne.\n\nTwo.'),
        b('bb-1', '2026-05-01T00:00:00Z', '# Terms\n\nAlpha.'),
        a('ba-2', '2026-05-02T00:00:00Z', '# Terms\n\nOne.\n\nTwo, changed.'),
        a('ba-3', '2026-05-03T00:00:00Z', '# Terms\n\nOne.\n\nTwo, changed.'),
        b('bb-2', '2026-05-02T00:00:00Z', '# Terms\n\nBeta.'),
        a('ba-4', '2026-05-04T00:00:00Z', '# Terms\n\nOne.\n\nTwo, changed.\n\nThree.'),
      ];
      const single = await handlerWith(undefined, one);
      for (const command of fetches) await single.execute(command);
      const batched = await handlerWith(undefined, batch);
      const results = await batched.executeBatch(fetches);
      expect(results.map((r) => [r.events[0]!.commitId, r.duplicate])).toEqual(
        fetches.map((f) => [`fetch:${f.fetch.event.fetchId}`, false]),
      );
      for (const service of ['Batch A', 'Batch B']) {
        const streamId = streamIdOf(documentIdOf(service, 'Terms'));
        expect(await batch.readStream(streamId)).toEqual(await one.readStream(streamId));
        // Same events in the same commits: the same hash chain, link for link.
        expect(await batch.readChain(streamId)).toEqual(await one.readChain(streamId));
      }
      const versionsOfA = (await batch.readStream(streamIdOf(documentIdOf('Batch A', 'Terms'))))
        .filter((e) => e.type === 'VersionRecorded')
        .map((e) => (e.data as VersionRecorded['data']).version);
      expect(versionsOfA).toEqual([1, 2, 3]);

      // The same batch again (a redelivery): refused as a batch, nothing stored twice; one by one, duplicates.
      await expect(batched.executeBatch(fetches)).rejects.toBeInstanceOf(BatchNotRecorded);
      const again = await handlerWith(undefined, batch);
      await expect(again.executeBatch(fetches)).rejects.toBeInstanceOf(BatchNotRecorded);
      for (const command of fetches) expect((await batched.execute(command)).duplicate).toBe(true);
      expect(await batch.readChain(streamIdOf(documentIdOf('Batch A', 'Terms')))).toHaveLength(4);
    } finally {
      await one.close();
      await batch.close();
    }
  });

  it('archives the new snapshots of a batch with one putMany before its commits, parts of one document included', async () => {
    const part = (fetchId: string, sourcePart: string, fetchedAt: string, content: string) =>
      new RecordFetchCommand(
        decodeFetchEvent(
          {
            fetchId,
            service: 'Parts Co',
            documentType: 'Terms',
            sourceUrl: `https://parts.example/${sourcePart}`,
            sourcePart,
            fetchedAt,
            mimeType: 'text/markdown',
            content,
          },
          new Date('2026-06-01T00:00:00Z'),
        ),
        'corr',
        'cause',
      );
    const fetches = [
      part('pp-1', 'general', '2026-05-01T00:00:00Z', '# General\n\nBe kind.'),
      part('pp-2', 'privacy', '2026-05-01T00:00:01Z', '# Privacy\n\nWe keep little.'),
      part('pp-3', 'general', '2026-05-02T00:00:00Z', '# General\n\nBe kind, always.'),
    ];
    const one = new SqliteEventStore(join(dir.path, 'parts-one.sqlite'));
    const batch = new SqliteEventStore(join(dir.path, 'parts-batch.sqlite'));
    try {
      const single = await handlerWith(undefined, one);
      for (const command of fetches) await single.execute(command);
      const batched = await handlerWith(undefined, batch);
      const putMany = jest.spyOn(snapshots, 'putMany');
      const put = jest.spyOn(snapshots, 'put');
      await batched.executeBatch(fetches);
      expect(putMany).toHaveBeenCalledTimes(1);
      expect(putMany.mock.calls[0]![0].map((s) => s.snapshotId)).toEqual(
        fetches.map((f) => snapshotIdOf(f.fetch.body)),
      );
      // SQLite's putMany is its puts in order; no put came from the handler itself.
      expect(put).toHaveBeenCalledTimes(fetches.length);
      putMany.mockRestore();
      put.mockRestore();
      const streamId = streamIdOf(documentIdOf('Parts Co', 'Terms'));
      expect(await batch.readStream(streamId)).toEqual(await one.readStream(streamId));
    } finally {
      await one.close();
      await batch.close();
    }
  });

  it('drops the kept states of a partition given to another member, and only those', async () => {
    const { counted, reads } = countingReads(events);
    const module = await Test.createTestingModule({
      providers: [DocumentStateRepository, { provide: EVENT_STORE, useValue: counted }],
    }).compile();
    const states = module.get(DocumentStateRepository);
    await states.load('document:kept', 0);
    await states.load('document:moved', 1);
    states.keepPartitions([0, 2]);
    await states.load('document:kept', 0);
    expect(reads.readStream).toBe(2);
    await states.load('document:moved', 2);
    expect(reads.readStream).toBe(3);
  });
});

/** The handler names the part as the archive's delta source: a page fetched again is stored as a delta. */
describe('RecordFetchHandler archiving successive snapshots of a part', () => {
  it('stores the second fetch of a part as a delta against the first, read back byte for byte', async () => {
    const dir = tempDir();
    const file = join(dir.path, 'snapshots.sqlite');
    const events = new SqliteEventStore(join(dir.path, 'events.sqlite'));
    const snapshots = new SqliteSnapshotStore(file);
    try {
      const module = await Test.createTestingModule({
        providers: [
          RecordFetchHandler,
          DocumentStateRepository,
          ProvisionLineageService,
          { provide: EVENT_STORE, useValue: events },
          { provide: SNAPSHOT_STORE, useValue: snapshots },
          { provide: DOCUMENT_TEXT_EXTRACTOR, useValue: new TextEngineExtractor(undefined) },
          { provide: CLOCK, useValue: { now: () => new Date('2026-06-01T00:00:00Z') } },
          { provide: TERMLINE_CONFIG, useValue: loadConfig({}) },
        ],
      }).compile();
      const handler = module.get(RecordFetchHandler);
      const clauses = Array.from({ length: 200 }, (_, i) => `<p>Clause ${i}: be kind to others.</p>`).join(
        '',
      );
      const bodies = [1, 2].map(
        (n) => `<html><body><main><h1>Terms ${n}</h1>${clauses}</main></body></html>`,
      );
      for (const [i, content] of bodies.entries()) {
        await handler.execute(
          new RecordFetchCommand(
            decodeFetchEvent(
              {
                fetchId: `delta-${i}`,
                service: 'Delta Co',
                documentType: 'Terms',
                sourceUrl: 'https://delta.example/terms',
                fetchedAt: `2026-05-0${i + 1}T00:00:00Z`,
                mimeType: 'text/html',
                content,
              },
              new Date('2026-06-01T00:00:00Z'),
            ),
            'corr',
            'cause',
          ),
        );
      }
      const ids = bodies.map((body) => snapshotIdOf(Buffer.from(body)));
      const raw = new Database(file, { readonly: true });
      const rows = ids.map((id) =>
        raw
          .prepare<[string], { compression: string; base_id: string | null }>(
            'SELECT compression, base_id FROM snapshots WHERE snapshot_id = ?',
          )
          .get(id),
      );
      raw.close();
      expect(rows).toEqual([
        { compression: 'br', base_id: null },
        { compression: 'delta-br', base_id: ids[0] },
      ]);
      expect((await snapshots.get(ids[1]!))?.content.toString()).toBe(bodies[1]);
    } finally {
      await events.close();
      await snapshots.close();
      dir.remove();
    }
  });
});
