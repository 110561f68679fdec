import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * The snapshot archive: raw fetched bytes, content-addressed by sha256, compressed, written once and never
 * updated or deleted. Storing the same bytes twice stores them once.
 */
export interface StoredSnapshot {
  snapshotId: string;
  mimeType: string;
  bytes: number;
  content: Buffer;
}

export interface PutSnapshotOptions {
  /**
   * What was fetched (document and part): successive snapshots of one source are kept as deltas against each
   * other. Without it the snapshot is kept whole.
   */
  source?: string;
}

export interface SnapshotToPut {
  snapshotId: string;
  content: Buffer;
  mimeType: string;
  options?: PutSnapshotOptions;
}

export type RepairOutcome = 'intact' | 'repaired' | 'restored';

export interface SnapshotStore {
  /** Stores the bytes under their sha256 unless already there; returns whether it was new. */
  put(
    snapshotId: string,
    content: Buffer,
    mimeType: string,
    options?: PutSnapshotOptions,
  ): Promise<{ created: boolean }>;
  /**
   * The puts of a batch, in their order (a later snapshot of a source may be kept as a delta on an earlier one of
   * the same batch), with as few writes as the store allows; one answer per snapshot. When it rejects, a prefix
   * may be stored: a snapshot is never stored before the base it is a delta of.
   */
  putMany(snapshots: readonly SnapshotToPut[]): Promise<Array<{ created: boolean }>>;
  /** The bytes, checked against their id; a snapshot that cannot be rebuilt is a SnapshotCorruptError. */
  get(snapshotId: string): Promise<StoredSnapshot | null>;
  /**
   * Re-stores a snapshot from a verified copy (the bytes must hash to the id): a damaged one is replaced by a whole
   * copy ('repaired'), a missing one inserted ('restored'), a readable one left alone ('intact'). Snapshots built
   * on it read again once it is repaired. The one write that replaces stored bytes, and only by the same content.
   */
  repair(snapshotId: string, content: Buffer, mimeType: string): Promise<RepairOutcome>;
  /** Every stored snapshot id, for verification and rewrites. */
  snapshotIds(): AsyncIterable<string>;
  close(): Promise<void>;
}

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

export const snapshotIdOf = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

export const SNAPSHOT_ID_PATTERN = /^[0-9a-f]{64}$/;

/** Brotli at a middle quality: HTML shrinks about tenfold at a few ms per MB. */
export const compressSnapshot = (content: Buffer): Buffer =>
  brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });

/** Decompresses and checks the bytes still hash to their id: the archive proves itself on every read. */
export function decompressSnapshot(snapshotId: string, stored: Buffer): Buffer {
  const content = brotliDecompressSync(stored);
  const actual = snapshotIdOf(content);
  if (actual !== snapshotId)
    throw new Error(`Snapshot ${snapshotId} is corrupt: its content hashes to ${actual}`);
  return content;
}

export function assertSnapshotId(snapshotId: string, content: Buffer): void {
  if (snapshotIdOf(content) !== snapshotId)
    throw new Error(`Snapshot id ${snapshotId} does not match its content`);
}
