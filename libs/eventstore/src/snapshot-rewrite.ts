import {
  assertRecordRebuilds,
  encodeForArchive,
  type ArchiveRecord,
  type ChainBounds,
  type EncodedRecord,
  type SourceHead,
} from './snapshot-archive';

/** What a rewrite did with one snapshot of a source's sequence. */
export type RewriteStep = 'densified' | 'already-dense' | 'kept-whole' | 'missing';

/** One source's snapshots in fetch order, as its fetch events name them. */
export interface SourceSequence {
  source: string;
  snapshotIds: readonly string[];
}

/** A stored snapshot as the rewrite sees it: its record, and its bytes rebuilt through its chain and checked. */
export interface RebuiltSnapshot {
  record: ArchiveRecord;
  head: SourceHead;
}

/** The few store operations the dense rewrite needs; each store keeps its own write order behind them. */
export interface DenseRewriteTarget {
  /** Snapshots some delta is built on: they stay whole, or their dependants' depths would lie. */
  deltaBaseIds(): Promise<Set<string>>;
  /** Read from the store itself (never a cache), rebuilt and checked against its id; null when absent. */
  rebuiltForRewrite(snapshotId: string): Promise<RebuiltSnapshot | null>;
  /**
   * Replaces a whole copy by `record`, a delta on `base`, and only while it is still whole (a rerun, or another
   * rewrite, finds it in its old or its new form). The new bytes are stored whole before the one write that
   * makes them visible.
   */
  replaceWholeWithDelta(record: EncodedRecord, base: SourceHead): Promise<void>;
}

/**
 * Moves whole copies into the dense layout (ADR 0013): each source's snapshots, in fetch order, become deltas
 * against the previous one within the chain bounds, as if they had been written today. Every snapshot is rebuilt
 * and checked against its id before it is touched (a damaged one throws: repair comes first); the delta is applied
 * to its verified base and checked before it is written, and read back from the store through its new chain after.
 * One snapshot per write, so a killed rewrite leaves each snapshot whole or a verified delta, and a rerun carries
 * on where it stopped.
 */
export async function rewriteSourcesDense(
  target: DenseRewriteTarget,
  sequences: Iterable<SourceSequence>,
  bounds: ChainBounds,
  onStep: (snapshotId: string, step: RewriteStep) => void = () => undefined,
): Promise<Record<RewriteStep, number>> {
  const counts: Record<RewriteStep, number> = {
    densified: 0,
    'already-dense': 0,
    'kept-whole': 0,
    missing: 0,
  };
  const bases = await target.deltaBaseIds();
  for (const { snapshotIds } of sequences) {
    const source: SourceState = { previous: null };
    const seen = new Set<string>();
    for (const snapshotId of snapshotIds) {
      // A page that went back to earlier bytes names an earlier snapshot again: it is stored once, already seen.
      if (seen.has(snapshotId)) continue;
      seen.add(snapshotId);
      const step = await rewriteOne(target, bounds, bases, source, snapshotId);
      counts[step] += 1;
      onStep(snapshotId, step);
    }
  }
  return counts;
}

interface SourceState {
  /** The previous snapshot of the source as it now stands: the base for the next delta. */
  previous: SourceHead | null;
}

async function rewriteOne(
  target: DenseRewriteTarget,
  bounds: ChainBounds,
  bases: Set<string>,
  source: SourceState,
  snapshotId: string,
): Promise<RewriteStep> {
  const stored = await target.rebuiltForRewrite(snapshotId);
  if (!stored) return 'missing';
  const base = source.previous;
  source.previous = stored.head;
  if (stored.record.encoding !== 'br') return 'already-dense';
  if (base === null || bases.has(snapshotId)) return 'kept-whole';
  const record = encodeForArchive(snapshotId, stored.head.content, stored.record.mimeType, base, bounds);
  if (record.encoding !== 'delta-br') return 'kept-whole';
  // Verified before writing: the delta on the verified base gives the same bytes.
  assertRecordRebuilds(record, base.content);
  await target.replaceWholeWithDelta(record, base);
  bases.add(base.snapshotId);
  // Verified after: read back from the store, through its new chain.
  const written = await target.rebuiltForRewrite(snapshotId);
  if (!written) throw new Error(`Snapshot ${snapshotId} vanished while it was rewritten`);
  source.previous = written.head;
  return written.record.encoding === 'br' ? 'kept-whole' : 'densified';
}
