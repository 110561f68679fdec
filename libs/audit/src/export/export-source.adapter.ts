import type { DerivedRecord, ExportSource } from './export-source';
import type { EventStore, SnapshotStore } from '@termline/eventstore';
import {
  generationOf,
  versionDiffView,
  entryView,
  formView,
  type GovernanceGeneration,
  type DiffedVersion,
  type ReadModelStore,
  type VersionDiffView,
  type VersionView,
} from '@termline/readmodels';
import { CLASSIFIER_VERSION, TAXONOMY_VERSION } from '@termline/regulatory';

/** Every governance row of one document: bounded by one document's history, never by the whole store. */
const ALL_OF_ONE = 100_000;

/** The generation the running code classifies with: the regulatory mappings an export carries are this one's. */
export const currentGeneration = (): GovernanceGeneration => ({
  generation: generationOf(TAXONOMY_VERSION, CLASSIFIER_VERSION),
  taxonomyVersion: TAXONOMY_VERSION,
  classifierVersion: CLASSIFIER_VERSION,
});

/**
 * The stores behind the export's port. Derived records, per exported version, in this order: the projection's
 * version summary (without the text, which the events hold), the diff from the version before it (the same answer
 * as GET /v1/documents/{id}/diff; none for a first version), the version's governance entry and the provision
 * forms it opened (the regulatory mappings, as the governance routes serve them). A version the projection has not
 * reached has none; retracted forms are not served by the store and so are not exported.
 */
export interface ExportSourceOptions {
  /** The generation whose mappings are exported (default: the running code's). */
  readonly generation?: GovernanceGeneration;
  /**
   * How two versions are compared (default: versionDiffView in this thread). The gateway passes its text-work
   * threads, so that an export of long documents does not hold the event loop version after version.
   */
  readonly diff?: (
    documentId: string,
    older: DiffedVersion,
    newer: DiffedVersion,
  ) => Promise<VersionDiffView>;
}

export function exportSourceOf(
  eventStore: EventStore,
  snapshots: SnapshotStore,
  readModels: ReadModelStore | null,
  {
    generation = currentGeneration(),
    diff = (documentId, older, newer) => Promise.resolve(versionDiffView(documentId, older, newer)),
  }: ExportSourceOptions = {},
): ExportSource {
  return {
    streamIds: () => eventStore.streamIds(),
    readStream: (streamId) => eventStore.readStream(streamId),
    readChain: (streamId) => eventStore.readChain(streamId),
    snapshot: async (snapshotId) => (await snapshots.get(snapshotId))?.content ?? null,
    derived: async (documentId, versions) =>
      readModels ? derivedRecordsOf(readModels, generation, diff, documentId, versions) : [],
  };
}

async function derivedRecordsOf(
  readModels: ReadModelStore,
  generation: GovernanceGeneration,
  diff: NonNullable<ExportSourceOptions['diff']>,
  documentId: string,
  versions: readonly number[],
): Promise<DerivedRecord[]> {
  const entries = await readModels.queryGovernanceTimeline({
    generation: generation.generation,
    documentId,
    includeHidden: true,
    limit: ALL_OF_ONE,
  });
  const entryOf = new Map(entries.map((entry) => [entry.version, entry]));
  const forms = await readModels.queryProvisionForms({
    generation: generation.generation,
    documentId,
    limit: ALL_OF_ONE,
  });
  const mapping = {
    taxonomyVersion: generation.taxonomyVersion,
    classifierVersion: generation.classifierVersion,
  };
  const plain = { taxonomyVersion: null, classifierVersion: null };
  const records: DerivedRecord[] = [];
  // One version's predecessor is usually the version read just before: keep it rather than read it twice.
  let previous: VersionView | null = null;
  for (const version of versions) {
    const view = await readModels.getVersion(documentId, version);
    if (!view) continue;
    const { text: _text, ...summary } = view;
    records.push({ kind: 'version-summary', documentId, version, ...plain, data: summary });
    if (view.previousVersion !== null) {
      const older =
        previous?.version === view.previousVersion
          ? previous
          : await readModels.getVersion(documentId, view.previousVersion);
      if (older)
        records.push({
          kind: 'diff',
          documentId,
          version,
          ...plain,
          data: await diff(documentId, older, view),
        });
    }
    previous = view;
    const entry = entryOf.get(version);
    if (entry)
      records.push({ kind: 'governance-entry', documentId, version, ...mapping, data: entryView(entry) });
    for (const form of forms.filter((f) => f.fromVersion === version))
      records.push({ kind: 'provision-form', documentId, version, ...mapping, data: formView(form) });
  }
  return records;
}
