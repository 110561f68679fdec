import type { ExportSource } from './export-source';
import type { EventStore, SnapshotStore } from '@termline/eventstore';
import type { ReadModelStore } from '@termline/readmodels';

/**
 * The stores behind the export's port. Derived records are the projection's version summaries (statistics,
 * materiality, provision changes) without the text, which the events already hold; a version the projection has
 * not reached yet has none.
 */
export function exportSourceOf(
  eventStore: EventStore,
  snapshots: SnapshotStore,
  readModels: ReadModelStore | null,
): ExportSource {
  return {
    streamIds: () => eventStore.streamIds(),
    readStream: (streamId) => eventStore.readStream(streamId),
    readChain: (streamId) => eventStore.readChain(streamId),
    snapshot: async (snapshotId) => (await snapshots.get(snapshotId))?.content ?? null,
    derived: async (documentId, versions) => {
      if (!readModels) return [];
      const records: unknown[] = [];
      for (const version of versions) {
        const view = await readModels.getVersion(documentId, version);
        if (!view) continue;
        const { text: _text, ...summary } = view;
        records.push({ kind: 'version-summary', ...summary });
      }
      return records;
    },
  };
}
