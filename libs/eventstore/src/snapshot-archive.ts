import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import {
  applyDelta,
  composeDeltas,
  encodeDelta,
  materializeDelta,
  parseDelta,
  type DeltaOps,
} from './snapshot-delta';
import { assertSnapshotId, compressSnapshot, snapshotIdOf } from './snapshot-store.port';

/**
 * The dense archive's storage rules, shared by the SQLite and MongoDB snapshot stores (ADR 0013): a snapshot is
 * kept either whole (`br`: Brotli of the raw bytes) or as a delta against an earlier snapshot of the same source
 * (`delta-br`: Brotli of a copy/insert delta). Chains are bounded: after MAX_CHAIN_DEPTH deltas the next snapshot
 * of the source is kept whole again. The id is always the sha256 of the raw bytes, checked on every read.
 */

export type SnapshotEncoding = 'br' | 'delta-br';

/** How one snapshot is kept, as both stores persist it. */
export interface ArchiveRecord {
  snapshotId: string;
  mimeType: string;
  bytes: number;
  encoding: SnapshotEncoding;
  /** The snapshot the delta applies to; null for a whole copy. */
  baseId: string | null;
  /** Deltas between this snapshot and its whole copy: 0 for a whole copy. */
  depth: number;
  payload: Buffer;
}

/** A record as encoded for writing, with the read cost of its chain (for the next link's decision). */
export interface EncodedRecord extends ArchiveRecord {
  chainBytes: number;
  chainOps: number;
}

/** How long chains may grow: in links and in bytes a read decodes. */
export interface ChainBounds {
  maxDepth?: number;
  maxChainBytes?: number;
  maxChainOps?: number;
}

/** Deltas written in a row before a whole copy: bounds the read cost of any snapshot (ADR 0013 has the numbers). */
export const MAX_CHAIN_DEPTH = 32;
/**
 * Bytes a read of the last link handles: its whole copy's raw bytes plus every delta above it, decoded. Bounds the
 * worst read where the depth alone does not: a large page whose deltas are large (a churning page of megabytes)
 * reached 172 CPU ms at depth 32; with this bound its chain restarts with a whole copy once a read would decode this
 * much (ADR 0013).
 */
export const MAX_CHAIN_BYTES = 4 * 1024 * 1024;
/**
 * Delta operations a read of the last link composes, summed over its chain. What the byte bound misses: a page of
 * 1.5 MB with thousands of scattered edits per fetch (hashes, ids) has small deltas of many operations, and their
 * composition, not the bytes, made its reads at depth 26-32 cost 140-235 CPU ms (ADR 0013, amendments). Composing
 * costs about 2 us per operation and link on this machine, so 12,000 keeps such a read near 25 ms.
 */
export const MAX_CHAIN_OPS = 12_000;
/**
 * Hops a read follows before giving up. Above the write bound, so a store written with a larger bound stays
 * readable, yet finite, so a damaged base link (a loop) ends in an error instead of a hang.
 */
export const MAX_CHAIN_READ = 4 * MAX_CHAIN_DEPTH;
/** A delta that must carry over half the page as new bytes is not worth a chain link. */
const MAX_INSERTED_SHARE = 0.5;

export type ArchiveDamage = 'missing-base' | 'corrupt' | 'chain-too-long' | 'truncated';

/** A stored snapshot that cannot be rebuilt to bytes hashing to its id. Nothing is served in that case. */
export class SnapshotCorruptError extends Error {
  readonly code = 'snapshot-corrupt';
  constructor(
    readonly snapshotId: string,
    readonly damage: ArchiveDamage,
    detail: string,
    /** The snapshot whose stored record is missing or damaged: the one to re-store (itself, or a base). */
    readonly culpritId: string = snapshotId,
  ) {
    super(
      `Snapshot ${snapshotId} cannot be read (${damage}): ${detail}. ` +
        'Repair it from a verified copy: termline archive repair --data <dir> --from <export.ndjson>',
    );
    this.name = 'SnapshotCorruptError';
  }
}

/** The latest snapshot of a source, held by a store to write the next one as a delta. */
export interface SourceHead {
  snapshotId: string;
  depth: number;
  content: Buffer;
  /** What a read of this snapshot decodes: its whole copy's raw bytes plus the decoded deltas above it. */
  chainBytes: number;
  /** Delta operations a read of this snapshot composes (0 for a whole copy). */
  chainOps: number;
  /** The whole copy at the root of its chain, where the store records it (MongoDB reads a chain in one query). */
  keyId?: string;
}

/** Whole copies use the same Brotli step as before the dense archive; deltas are small, so more effort is cheap. */
const compressDelta = (delta: Buffer): Buffer =>
  brotliCompressSync(delta, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: delta.length,
    },
  });

/** Decides how to keep `content`: a delta against the source's head when that is short and worthwhile. */
export function encodeForArchive(
  snapshotId: string,
  content: Buffer,
  mimeType: string,
  head: SourceHead | null,
  bounds: ChainBounds = {},
): EncodedRecord {
  const maxDepth = bounds.maxDepth ?? MAX_CHAIN_DEPTH;
  const maxChainBytes = bounds.maxChainBytes ?? MAX_CHAIN_BYTES;
  const maxChainOps = bounds.maxChainOps ?? MAX_CHAIN_OPS;
  // A chain already at its byte budget cannot take even an empty delta: skip the encoding work.
  if (head && head.depth < maxDepth && head.snapshotId !== snapshotId && head.chainBytes < maxChainBytes) {
    const { delta, stats } = encodeDelta(head.content, content);
    const chainBytes = head.chainBytes + delta.length;
    const chainOps = head.chainOps + stats.ops;
    if (
      stats.inserted <= content.length * MAX_INSERTED_SHARE &&
      chainBytes <= maxChainBytes &&
      chainOps <= maxChainOps
    ) {
      return {
        chainBytes,
        chainOps,
        snapshotId,
        mimeType,
        bytes: content.length,
        encoding: 'delta-br',
        baseId: head.snapshotId,
        depth: head.depth + 1,
        payload: compressDelta(delta),
      };
    }
  }
  return {
    chainBytes: content.length,
    chainOps: 0,
    snapshotId,
    mimeType,
    bytes: content.length,
    encoding: 'br',
    baseId: null,
    depth: 0,
    payload: compressSnapshot(content),
  };
}

function decodeOne(record: ArchiveRecord, base: Buffer | null): Buffer {
  const inflated = brotliDecompressSync(record.payload);
  if (record.encoding === 'br') return inflated;
  return applyDelta(base ?? Buffer.alloc(0), inflated);
}

/** Checks, before a record is written, that it decodes on `base` to bytes hashing to its id. */
export function assertRecordRebuilds(record: ArchiveRecord, base: Buffer | null): void {
  const actual = snapshotIdOf(decodeOne(record, base));
  if (actual !== record.snapshotId)
    throw new Error(`Encoded snapshot ${record.snapshotId} decodes to ${actual}: not written`);
}

/**
 * Rebuilds a snapshot from its chain: `chain` holds the records from the requested snapshot down to its whole copy
 * (as far as they were found). Checks the final bytes against the id; on any failure, re-walks the chain checking
 * every link to name the first one that is damaged.
 */
export function rebuildSnapshot(chain: readonly ArchiveRecord[]): Buffer {
  return rebuildChain(chain).content;
}

/** rebuildSnapshot, also giving what the read decoded (the head's chainBytes after a restart). */
export function rebuildChain(chain: readonly ArchiveRecord[]): {
  content: Buffer;
  chainBytes: number;
  chainOps: number;
} {
  const target = chain[0];
  if (!target) throw new Error('rebuildSnapshot needs at least the requested record');
  const root = chain[chain.length - 1]!;
  if (root.encoding !== 'br') {
    if (chain.length > MAX_CHAIN_READ)
      throw new SnapshotCorruptError(
        target.snapshotId,
        'chain-too-long',
        `its delta chain is longer than ${MAX_CHAIN_READ} links (a damaged base link or a loop)`,
      );
    throw new SnapshotCorruptError(
      target.snapshotId,
      'missing-base',
      `its delta base ${root.baseId ?? '(none)'} is not in the archive`,
      root.baseId ?? target.snapshotId,
    );
  }
  try {
    // The deltas are composed into one against the whole copy, so the bytes are built once, not once per link.
    let ops: DeltaOps | null = null;
    let deltaBytes = 0;
    let chainOps = 0;
    for (let i = 0; i < chain.length - 1; i += 1) {
      const delta = brotliDecompressSync(chain[i]!.payload);
      deltaBytes += delta.length;
      const link = parseDelta(delta);
      chainOps += link.starts.length;
      ops = ops ? composeDeltas(ops, link) : link;
    }
    const whole = brotliDecompressSync(root.payload);
    const content = ops ? materializeDelta(ops, whole) : whole;
    if (snapshotIdOf(content) === target.snapshotId)
      return { content, chainBytes: whole.length + deltaBytes, chainOps };
  } catch {
    // Damaged stored bytes: located below.
  }
  throw locateDamage(chain);
}

/** Slow path, only for damaged data: the lowest link that does not decode, or does not hash to its id. */
function locateDamage(chain: readonly ArchiveRecord[]): SnapshotCorruptError {
  const target = chain[0]!;
  const blame = (record: ArchiveRecord, damage: ArchiveDamage, what: string): SnapshotCorruptError =>
    new SnapshotCorruptError(
      target.snapshotId,
      damage,
      record === target
        ? `its stored bytes ${what}`
        : `its delta base ${record.snapshotId} is ${damage} (${what})`,
      record.snapshotId,
    );
  let verified: Buffer | null = null;
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const record = chain[i]!;
    try {
      verified = decodeOne(record, verified);
    } catch (error) {
      return blame(record, 'truncated', `do not decode: ${(error as Error).message}`);
    }
    const actual = snapshotIdOf(verified);
    if (actual !== record.snapshotId) return blame(record, 'corrupt', `hash to ${actual}`);
  }
  return new SnapshotCorruptError(target.snapshotId, 'corrupt', 'rebuilding it is not deterministic');
}

/** Content held in memory is checked against its id like any rebuilt content: every read proves itself. */
export function checkedContent(snapshotId: string, content: Buffer): Buffer {
  assertSnapshotId(snapshotId, content);
  return content;
}

/** Follows base links with a synchronous lookup (SQLite), stopping at a whole copy, a gap or the read bound. */
export function collectChain(
  first: ArchiveRecord,
  load: (snapshotId: string) => ArchiveRecord | null,
): ArchiveRecord[] {
  const chain = [first];
  let current = first;
  while (current.encoding !== 'br' && current.baseId && chain.length <= MAX_CHAIN_READ) {
    const base = load(current.baseId);
    if (!base) break;
    chain.push(base);
    current = base;
  }
  return chain;
}

/**
 * The newest content per source, bounded in total bytes: the next write of a source deltas against it without a
 * read, and a read of the newest snapshot (what extraction asks for) is a hash check instead of a chain rebuild.
 */
export class SourceHeadCache {
  private readonly heads = new Map<string, SourceHead>();
  private readonly sourceOf = new Map<string, string>();
  private total = 0;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  get(source: string): SourceHead | null {
    const head = this.heads.get(source);
    if (!head) return null;
    // Re-insert to mark it most recently used.
    this.heads.delete(source);
    this.heads.set(source, head);
    return head;
  }

  byId(snapshotId: string): SourceHead | null {
    const source = this.sourceOf.get(snapshotId);
    return source === undefined ? null : this.get(source);
  }

  set(source: string, head: SourceHead): void {
    this.drop(source);
    if (head.content.length > this.maxBytes) return;
    this.heads.set(source, head);
    this.sourceOf.set(head.snapshotId, source);
    this.total += head.content.length;
    for (const [oldest] of this.heads) {
      if (this.total <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  /** Forgets every head built on a snapshot (after a repair, its bytes are re-read from the store). */
  forgetSnapshot(snapshotId: string): void {
    const source = this.sourceOf.get(snapshotId);
    if (source !== undefined) this.drop(source);
  }

  private drop(source: string): void {
    const head = this.heads.get(source);
    if (!head) return;
    this.heads.delete(source);
    this.sourceOf.delete(head.snapshotId);
    this.total -= head.content.length;
  }
}
