import {
  type DocumentView,
  type GovernanceEntry,
  type ProvisionFormQuery,
  type ProvisionFormView,
  type ReadModelStore,
  type ReadModelWrites,
  type VersionView,
} from '@termline/readmodels';
import { OwnedReadModels, ProjectedWritesBuffer } from './projected-writes.buffer';

/** A store that holds checkpoints and documents in memory and counts the calls that would be round trips. */
function aCountingStore() {
  const checkpoints = new Map<string, number>();
  const documents = new Map<string, DocumentView>();
  const calls: string[] = [];
  const batches: ReadModelWrites[] = [];
  let failNext = false;
  const store = {
    getCheckpoint: (projection: string, streamId: string) => {
      calls.push(`getCheckpoint ${streamId}`);
      return Promise.resolve(checkpoints.get(`${projection}|${streamId}`) ?? 0);
    },
    getDocument: (documentId: string) => {
      calls.push(`getDocument ${documentId}`);
      return Promise.resolve(documents.get(documentId) ?? null);
    },
    queryProvisionForms: (query: ProvisionFormQuery) => {
      calls.push(`queryProvisionForms ${query.documentId}`);
      return Promise.resolve(batches.flatMap((batch) => batch.provisionForms));
    },
    applyWrites: (writes: ReadModelWrites) => {
      calls.push('applyWrites');
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('store unavailable'));
      }
      batches.push(writes);
      for (const c of writes.checkpoints) checkpoints.set(`${c.projection}|${c.streamId}`, c.version);
      for (const d of writes.documents) documents.set(d.documentId, d);
      return Promise.resolve();
    },
  } as unknown as ReadModelStore;
  return {
    store,
    calls,
    batches,
    failOnce: () => {
      failNext = true;
    },
  };
}

const aDocumentView = (documentId: string, appliedVersion: number): DocumentView => ({
  documentId,
  service: 'Acme',
  serviceSlug: 'acme',
  documentType: 'Terms',
  appliedVersion,
  versionCount: 0,
  changeCount: 0,
  latestVersion: null,
  firstFetchedAt: '2026-01-01T00:00:00.000Z',
  lastFetchedAt: '2026-01-01T00:00:00.000Z',
  lastChangedAt: null,
  fetchCount: appliedVersion,
  parts: [],
  lastFailure: null,
});

/** What one projected batch of a stream does to its read models: read where it is, write where it got to. */
async function projectOnce(buffer: ProjectedWritesBuffer, documentId: string): Promise<number> {
  const streamId = `document:${documentId}`;
  const checkpoint = await buffer.getCheckpoint('timeline', streamId);
  await buffer.getDocument(documentId);
  await buffer.putDocument(aDocumentView(documentId, checkpoint + 1));
  await buffer.setCheckpoint('timeline', streamId, checkpoint + 1);
  return checkpoint + 1;
}

describe('ProjectedWritesBuffer', () => {
  it('writes a batch with one call, and the next batch of an owned stream reads nothing back', async () => {
    const { store, calls, batches } = aCountingStore();
    const owned = new OwnedReadModels();
    owned.claim('document:a', 0);
    owned.claim('document:b', 1);

    const first = new ProjectedWritesBuffer(store, owned);
    await Promise.all([projectOnce(first, 'a'), projectOnce(first, 'b')]);
    await first.flush();
    expect(calls.filter((call) => call === 'applyWrites')).toHaveLength(1);
    expect(batches[0]!.checkpoints.map((c) => [c.streamId, c.version])).toEqual([
      ['document:a', 1],
      ['document:b', 1],
    ]);

    calls.length = 0;
    const second = new ProjectedWritesBuffer(store, owned);
    expect(await projectOnce(second, 'a')).toBe(2);
    expect(await second.getDocument('a')).toEqual(aDocumentView('a', 2));
    await second.flush();
    expect(calls).toEqual(['applyWrites']);
  });

  it('keeps nothing of a stream it was not given, nor of one whose partition moved away', async () => {
    const { store, calls } = aCountingStore();
    const owned = new OwnedReadModels();
    owned.claim('document:a', 0);
    const first = new ProjectedWritesBuffer(store, owned);
    await projectOnce(first, 'a');
    await projectOnce(first, 'unclaimed');
    await first.flush();

    owned.keepPartitions([1, 2]);
    calls.length = 0;
    const second = new ProjectedWritesBuffer(store, owned);
    owned.claim('document:a', 0);
    expect(await projectOnce(second, 'a')).toBe(2);
    expect(await projectOnce(second, 'unclaimed')).toBe(2);
    expect(calls).toEqual([
      'getCheckpoint document:a',
      'getDocument a',
      'getCheckpoint document:unclaimed',
      'getDocument unclaimed',
    ]);
  });

  it('forgets what a failed write touched, so that the next batch reads the store again', async () => {
    const { store, calls, failOnce } = aCountingStore();
    const owned = new OwnedReadModels();
    owned.claim('document:a', 0);
    const first = new ProjectedWritesBuffer(store, owned);
    await projectOnce(first, 'a');
    await first.flush();

    const failing = new ProjectedWritesBuffer(store, owned);
    await projectOnce(failing, 'a');
    failOnce();
    await expect(failing.flush()).rejects.toThrow('store unavailable');

    calls.length = 0;
    const retry = new ProjectedWritesBuffer(store, owned);
    expect(await projectOnce(retry, 'a')).toBe(2);
    expect(calls).toEqual(['getCheckpoint document:a', 'getDocument a']);
  });

  it('writes the waiting forms of a document before its forms are queried', async () => {
    const { store, calls } = aCountingStore();
    const buffer = new ProjectedWritesBuffer(store, new OwnedReadModels());
    const form = { formId: 'f1', generation: 'g', documentId: 'a' } as ProvisionFormView;
    await buffer.putGovernanceChanges([form], { generation: 'g', entryId: 'a:1' } as GovernanceEntry);
    expect(await buffer.queryProvisionForms({ generation: 'g', documentId: 'a', limit: 10 })).toEqual([form]);
    expect(calls).toEqual(['applyWrites', 'queryProvisionForms a']);
    await buffer.flush();
    expect(calls).toHaveLength(2);
  });

  it('answers reads from a flush still being written, and writes flushes in the order they were asked for', async () => {
    const { store, batches } = aCountingStore();
    const applied: ReadModelWrites[] = [];
    let release: () => void = () => undefined;
    const slowStore = {
      ...store,
      getVersion: () => Promise.resolve(null),
      applyWrites: async (writes: ReadModelWrites) => {
        if (applied.length === 0) await new Promise<void>((resolve) => (release = resolve));
        applied.push(writes);
        return store.applyWrites(writes);
      },
    } as unknown as ReadModelStore;
    const buffer = new ProjectedWritesBuffer(slowStore, new OwnedReadModels());
    const version = { documentId: 'a', version: 1 } as VersionView;
    await buffer.putVersion(version);
    await buffer.setCheckpoint('timeline', 'document:a', 1);
    const first = buffer.flush();
    // Being written, not stored yet: still the batch's own.
    expect(await buffer.getVersion('a', 1)).toBe(version);
    expect(await buffer.getCheckpoint('timeline', 'document:a')).toBe(1);
    await buffer.setCheckpoint('timeline', 'document:a', 2);
    const second = buffer.flush();
    release();
    await Promise.all([first, second]);
    expect(batches.map((batch) => batch.checkpoints.map((c) => c.version))).toEqual([[1], [2]]);
  });

  it('fails every flush after a failed one, so that no checkpoint is stored ahead of views that were not', async () => {
    const { store, batches, failOnce } = aCountingStore();
    const buffer = new ProjectedWritesBuffer(store, new OwnedReadModels());
    await buffer.setCheckpoint('timeline', 'document:a', 1);
    failOnce();
    const first = buffer.flush();
    await buffer.setCheckpoint('timeline', 'document:a', 2);
    const second = buffer.flush();
    await expect(first).rejects.toThrow('store unavailable');
    await expect(second).rejects.toThrow('store unavailable');
    await expect(buffer.idle()).resolves.toBeUndefined();
    expect(batches).toEqual([]);
  });
});
