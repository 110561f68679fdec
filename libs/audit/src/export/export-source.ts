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

/**
 * Where an export reads from: the event store's reads (the store satisfies this as it is), raw snapshots, and
 * derived records (read models: change statistics, materiality, provision changes). A port, so the export itself
 * stays pure.
 */
export interface ExportSource {
  streamIds(): Promise<string[]>;
  readStream(streamId: string): Promise<ExportEvent[]>;
  readChain(streamId: string): Promise<ChainLink[]>;
  snapshot(snapshotId: string): Promise<Buffer | null>;
  derived(documentId: string, versions: readonly number[]): Promise<unknown[]>;
}
