import type { ChainLink } from '../hash-chain';

/** An event as the store holds it (structurally the event store's StoredEvent). */
export interface ExportEvent {
  streamId: string;
  streamVersion: number;
  commitId: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: { occurredAt: string };
}

/** The kinds of derived record an export carries, beside the chained events they are computed from. */
export const DERIVED_KINDS = ['version-summary', 'diff', 'governance-entry', 'provision-form'] as const;
export type DerivedKind = (typeof DERIVED_KINDS)[number];

/**
 * A finding computed from the events (a read model), tied to the version it is about. Regulatory mappings carry
 * the taxonomy and classifier versions that produced them; the others are produced by the text engine alone (null).
 */
export interface DerivedRecord {
  kind: DerivedKind;
  documentId: string;
  version: number;
  taxonomyVersion: string | null;
  classifierVersion: string | null;
  data: unknown;
}

/**
 * Where an export reads from: the event store's reads (the store satisfies this as it is), raw snapshots, and
 * derived records (read models: version summaries, diffs, regulatory mappings). A port, so the export itself
 * stays pure.
 */
export interface ExportSource {
  streamIds(): Promise<string[]>;
  readStream(streamId: string): Promise<ExportEvent[]>;
  readChain(streamId: string): Promise<ChainLink[]>;
  snapshot(snapshotId: string): Promise<Buffer | null>;
  derived(documentId: string, versions: readonly number[]): Promise<DerivedRecord[]>;
}
