import type { DerivedRecord, ExportSource } from './export-source';
import type { EventStore, SnapshotStore } from '@termline/eventstore';
import {
  generationOf,
  versionDiffView,
  entryView,
  formView,
  type GovernanceGeneration,
  type ProvisionFormView,
  type DiffedVersion,
  type ReadModelStore,
  type VersionDiffView,
  type VersionView,
} from '@termline/readmodels';
import { CLASSIFIER_VERSION, TAXONOMY_VERSION } from '@termline/regulatory';

/** Every governance row of one document: bounded by one document's history, never by the whole store. */
const ALL_OF_ONE = 100_000;
/** Provision forms read at once: a page of them is parsed in a few tens of milliseconds. */
const FORM_PAGE = 1_000;

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
  /** Governance entries, or provision forms, read for one document at most: with more, the export fails. */
  readonly maxRowsPerDocument?: number;
}

export function exportSourceOf(
  eventStore: EventStore,
  snapshots: SnapshotStore,
  readModels: ReadModelStore | null,
  options: ExportSourceOptions = {},
): ExportSource {
  const settings: Required<ExportSourceOptions> = {
    generation: options.generation ?? currentGeneration(),
    diff:
      options.diff ??
      ((documentId, older, newer) => Promise.resolve(versionDiffView(documentId, older, newer))),
    maxRowsPerDocument: options.maxRowsPerDocument ?? ALL_OF_ONE,
  };
  return {
    streamIds: () => eventStore.streamIds(),
    readStream: (streamId) => eventStore.readStream(streamId),
    readChain: (streamId) => eventStore.readChain(streamId),
    snapshot: async (snapshotId) => (await snapshots.get(snapshotId))?.content ?? null,
    derived: async (documentId, versions) =>
      readModels ? derivedRecordsOf(readModels, settings, documentId, versions) : [],
  };
}

async function derivedRecordsOf(
  readModels: ReadModelStore,
  { generation, diff, maxRowsPerDocument: limit }: Required<ExportSourceOptions>,
  documentId: string,
  versions: readonly number[],
): Promise<DerivedRecord[]> {
  const entries = await readModels.queryGovernanceTimeline({
    generation: generation.generation,
    documentId,
    includeHidden: true,
    limit,
  });
  const entryOf = new Map(entries.map((entry) => [entry.version, entry]));
  // A page at a time: one read of tens of thousands of forms would hold the event loop for a second or more.
  const forms: ProvisionFormView[] = [];
  for (;;) {
    const page = await readModels.queryProvisionForms({
      generation: generation.generation,
      documentId,
      ...(forms.length > 0 ? { afterFormId: forms[forms.length - 1]!.formId } : {}),
      limit: Math.min(FORM_PAGE, limit - forms.length),
    });
    for (const form of page) forms.push(form);
    if (page.length < FORM_PAGE || forms.length >= limit) break;
  }
  // An export that left rows out would still verify (its manifest hashes what it holds): refuse instead.
  for (const [rows, what] of [
    [entries, 'governance entries'],
    [forms, 'provision forms'],
  ] as const)
    if (rows.length >= limit)
      throw new Error(
        `${documentId} has ${limit} or more ${what}, more than an export reads for one document: nothing exported`,
      );
  const formsFrom = new Map<number, ProvisionFormView[]>();
  for (const form of forms) {
    const opened = formsFrom.get(form.fromVersion);
    if (opened) opened.push(form);
    else formsFrom.set(form.fromVersion, [form]);
  }
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
    for (const form of formsFrom.get(version) ?? [])
      records.push({ kind: 'provision-form', documentId, version, ...mapping, data: formView(form) });
  }
  return records;
}
