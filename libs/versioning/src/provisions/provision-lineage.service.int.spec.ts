import { join } from 'node:path';
import { DOCUMENT_EVENT_SCHEMA_VERSION, streamIdOf, type VersionRecorded } from '@termline/domain';
import { SqliteEventStore, type EventStore, type StoredEvent } from '@termline/eventstore';
import { TextWork } from '@termline/platform';
import { tempDir } from '@termline/testing';
import { ProvisionLineageService } from './provision-lineage.service';

/**
 * The lineage's memory, over the embedded event store: what it keeps decides which next change reads a whole stream
 * back. The store is counted, not replaced.
 */
describe('ProvisionLineageService memory (embedded event store)', () => {
  const dir = tempDir();
  const store = new SqliteEventStore(join(dir.path, 'events.sqlite'));
  let reads: string[] = [];
  const counted: EventStore = Object.create(store, {
    readStream: {
      value: (streamId: string, from?: number) => {
        reads.push(streamId);
        return store.readStream(streamId, from);
      },
    },
  }) as EventStore;

  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  /** The commit of one version as the handler would have stored it: the version, then its provisions. */
  const commitOf = (documentId: string, version: number, text: string): StoredEvent[] => {
    const streamId = streamIdOf(documentId);
    const stored = (type: string, data: unknown, offset: number): StoredEvent => ({
      streamId,
      streamVersion: version * 2 + offset,
      commitId: `${documentId}:${version}`,
      eventId: `${documentId}:${version}:${offset}`,
      type,
      schemaVersion: DOCUMENT_EVENT_SCHEMA_VERSION,
      data,
      metadata: { correlationId: 'c', causationId: 'k', occurredAt: '2026-05-01T00:00:00.000Z' },
    });
    return [
      stored('VersionRecorded', { documentId, version, text }, 0),
      stored('ProvisionsAligned', { documentId, version, previousVersion: null, provisionIds: ['p-1'] }, 1),
    ];
  };

  const nextChange = (documentId: string, previousVersion: number): VersionRecorded =>
    ({
      type: 'VersionRecorded',
      data: { documentId, version: previousVersion + 1, previousVersion, text: 'A change.' },
    }) as VersionRecorded;

  it('gives up older versions before whole documents when memory runs short', async () => {
    // Room for about three texts of 30 characters: three documents with two versions each are too many.
    const lineage = new ProvisionLineageService(counted, TextWork.inThread(), 100);
    const documents = ['alpha', 'beta', 'gamma'];
    for (const documentId of documents)
      for (const version of [1, 2])
        lineage.remember(
          streamIdOf(documentId),
          commitOf(documentId, version, `${documentId} v${version} `.padEnd(30, '.')),
        );
    reads = [];
    // Each document's next change follows its newest version: all three are still in memory.
    for (const documentId of documents)
      await lineage.withLineage(streamIdOf(documentId), [nextChange(documentId, 2)]);
    expect(reads).toEqual([]);
    // A return to an older version (a flip-back's) is what now reads the stream.
    await lineage.withLineage(streamIdOf('alpha'), [nextChange('alpha', 1)]);
    expect(reads).toEqual([streamIdOf('alpha')]);
  });

  it('forgets only the versions a failed batch remembered, not what it knew before', async () => {
    const lineage = new ProvisionLineageService(counted, TextWork.inThread());
    const streamId = streamIdOf('delta');
    lineage.remember(streamId, commitOf('delta', 1, 'Stored before the batch.'));
    const unstored = commitOf('delta', 2, 'Decided in a batch that was not stored.');
    lineage.remember(streamId, unstored);
    lineage.forgetRecorded(streamId, unstored);
    reads = [];
    await lineage.withLineage(streamId, [nextChange('delta', 1)]);
    expect(reads).toEqual([]);
    await lineage.withLineage(streamId, [nextChange('delta', 2)]);
    expect(reads).toEqual([streamId]);
  });
});
