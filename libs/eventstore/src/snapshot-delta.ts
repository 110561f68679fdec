/**
 * A copy/insert delta between two byte strings, for the snapshot archive: successive fetches of one page differ by
 * a few bytes, so the newer is written as copies of the older's byte ranges plus the few new bytes.
 *
 * Encoding (all integers unsigned LEB128 varints):
 *   magic 0x54 0x44 ('TD'), version 1, target length, base length, then ops until the target is complete:
 *   even tag 2*n        -> insert n literal bytes, which follow
 *   odd tag 2*n + 1     -> copy n bytes from the base, the base offset follows
 * The base length is kept so a delta applied to the wrong base fails loudly instead of producing other bytes.
 *
 * The encoder indexes the base every BLOCK bytes by a rolling hash and slides the same hash over the target one byte
 * at a time, so a match is found wherever a BLOCK-long run of the target appears at a block boundary of the base;
 * each match is extended both ways byte by byte. Linear in base + target length, with typed arrays only.
 */

const MAGIC_0 = 0x54;
const MAGIC_1 = 0x44;
const FORMAT_VERSION = 1;
/** Long enough that chance matches are rare, short enough to resynchronise right after an edit. */
const BLOCK = 16;
const PRIME = 0x01000193;
const MIN_COPY = BLOCK;
/**
 * Math's functions held in module bindings: in a vm realm (jest runs every test file in one) each read of the
 * global `Math` goes through the context's property interceptor, which the optimiser cannot inline, and the hash
 * loops below read it per byte; that made encoding about 20x slower under jest than in the built CLI.
 */
const { imul, floor, min, max } = Math;

export class DeltaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaFormatError';
  }
}

class ByteWriter {
  private buffer: Buffer;
  length = 0;

  constructor(initial: number) {
    this.buffer = Buffer.allocUnsafe(max(64, initial));
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  varint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  bytes(source: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.buffer.set(source.subarray(start, end), this.length);
    this.length += end - start;
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** P^(BLOCK-1) mod 2^32: the weight of the byte leaving the rolling window. */
const OUTGOING_WEIGHT = (() => {
  let weight = 1;
  for (let i = 1; i < BLOCK; i += 1) weight = imul(weight, PRIME);
  return weight >>> 0;
})();

function hashAt(data: Uint8Array, start: number): number {
  let hash = 0;
  for (let i = start; i < start + BLOCK; i += 1) hash = (imul(hash, PRIME) + data[i]!) | 0;
  return hash;
}

export interface DeltaStats {
  /** Bytes the target takes from the base. */
  copied: number;
  /** New bytes carried in the delta. */
  inserted: number;
  /** Copy and insert operations: what composing the delta with others costs. */
  ops: number;
}

/** Encodes `target` as a delta against `base`. */
export function encodeDelta(base: Uint8Array, target: Uint8Array): { delta: Buffer; stats: DeltaStats } {
  const writer = new ByteWriter(1024);
  writer.bytes(Uint8Array.of(MAGIC_0, MAGIC_1, FORMAT_VERSION), 0, 3);
  writer.varint(target.length);
  writer.varint(base.length);
  const stats: DeltaStats = { copied: 0, inserted: 0, ops: 0 };

  // Hash table of base block offsets (+1, so 0 means empty); on a collision the later block wins, which is fine:
  // every candidate is checked byte by byte before use.
  const blocks = floor(base.length / BLOCK);
  let bits = 10;
  while (1 << bits < blocks * 2) bits += 1;
  const mask = (1 << bits) - 1;
  const table = new Int32Array(1 << bits);
  for (let block = 0; block < blocks; block += 1) {
    const offset = block * BLOCK;
    table[(imul(hashAt(base, offset), 0x9e3779b1) >>> (32 - bits)) & mask] = offset + 1;
  }

  let literalStart = 0;
  const flushLiteral = (end: number): void => {
    if (end <= literalStart) return;
    writer.varint((end - literalStart) * 2);
    writer.bytes(target, literalStart, end);
    stats.inserted += end - literalStart;
    stats.ops += 1;
  };

  let position = 0;
  let hash = target.length >= BLOCK ? hashAt(target, 0) : 0;
  while (blocks > 0 && position + BLOCK <= target.length) {
    const candidate = table[(imul(hash, 0x9e3779b1) >>> (32 - bits)) & mask]! - 1;
    if (candidate >= 0 && matches(base, candidate, target, position)) {
      // Extend backwards into the pending literal, then forwards as far as the bytes agree.
      let baseStart = candidate;
      let targetStart = position;
      while (baseStart > 0 && targetStart > literalStart && base[baseStart - 1] === target[targetStart - 1]) {
        baseStart -= 1;
        targetStart -= 1;
      }
      let baseEnd = candidate + BLOCK;
      let targetEnd = position + BLOCK;
      while (baseEnd < base.length && targetEnd < target.length && base[baseEnd] === target[targetEnd]) {
        baseEnd += 1;
        targetEnd += 1;
      }
      if (targetEnd - targetStart >= MIN_COPY) {
        flushLiteral(targetStart);
        writer.varint((targetEnd - targetStart) * 2 + 1);
        writer.varint(baseStart);
        stats.copied += targetEnd - targetStart;
        stats.ops += 1;
        literalStart = targetEnd;
        position = targetEnd;
        if (position + BLOCK <= target.length) hash = hashAt(target, position);
        continue;
      }
    }
    if (position + BLOCK >= target.length) break;
    hash = (imul(hash - imul(target[position]!, OUTGOING_WEIGHT), PRIME) + target[position + BLOCK]!) | 0;
    position += 1;
  }
  flushLiteral(target.length);
  return { delta: writer.result(), stats };
}

function matches(base: Uint8Array, baseAt: number, target: Uint8Array, targetAt: number): boolean {
  for (let i = 0; i < BLOCK; i += 1) if (base[baseAt + i] !== target[targetAt + i]) return false;
  return true;
}

/** Rebuilds the target from its base and delta; any inconsistency is a DeltaFormatError, never a wrong result. */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  return materializeDelta(parseDelta(delta), base);
}

/** A decoded delta: the target as copies of base ranges and literal byte runs, in target order. */
export interface DeltaOps {
  targetLength: number;
  baseLength: number;
  /** Start of each op in the target; `source` is a base offset (a copy) or literal bytes. */
  starts: number[];
  lengths: number[];
  sources: Array<number | Uint8Array>;
}

/** Decodes a delta into its ops, checking every range against the lengths it declares. */
export function parseDelta(delta: Uint8Array): DeltaOps {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= delta.length) throw new DeltaFormatError('delta is truncated');
      const byte = delta[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new DeltaFormatError('delta has an oversized number');
    }
  };
  if (delta[0] !== MAGIC_0 || delta[1] !== MAGIC_1 || delta[2] !== FORMAT_VERSION)
    throw new DeltaFormatError('not a snapshot delta (bad magic or version)');
  at = 3;
  const ops: DeltaOps = {
    targetLength: varint(),
    baseLength: varint(),
    starts: [],
    lengths: [],
    sources: [],
  };
  let written = 0;
  while (written < ops.targetLength) {
    const tag = varint();
    const length = floor(tag / 2);
    if (length === 0 || written + length > ops.targetLength)
      throw new DeltaFormatError('delta op overruns the target length');
    ops.starts.push(written);
    ops.lengths.push(length);
    if (tag % 2 === 1) {
      const offset = varint();
      if (offset + length > ops.baseLength)
        throw new DeltaFormatError('delta copies past the end of its base');
      ops.sources.push(offset);
    } else {
      if (at + length > delta.length) throw new DeltaFormatError('delta is truncated');
      ops.sources.push(delta.subarray(at, at + length));
      at += length;
    }
    written += length;
  }
  if (at !== delta.length) throw new DeltaFormatError('delta has trailing bytes');
  return ops;
}

/**
 * `upper` (C against B) after `lower` (B against A) gives C against A, without building B: a chain of deltas is
 * resolved in time proportional to its edits, and the bytes are copied once at the end.
 */
export function composeDeltas(upper: DeltaOps, lower: DeltaOps): DeltaOps {
  if (upper.baseLength !== lower.targetLength)
    throw new DeltaFormatError(
      `delta expects a base of ${upper.baseLength} bytes, got ${lower.targetLength}`,
    );
  const out: DeltaOps = {
    targetLength: upper.targetLength,
    baseLength: lower.baseLength,
    starts: [],
    lengths: [],
    sources: [],
  };
  const push = (start: number, length: number, source: number | Uint8Array): void => {
    out.starts.push(start);
    out.lengths.push(length);
    out.sources.push(source);
  };
  for (let i = 0; i < upper.starts.length; i += 1) {
    const source = upper.sources[i]!;
    const length = upper.lengths[i]!;
    let targetAt = upper.starts[i]!;
    if (typeof source !== 'number') {
      push(targetAt, length, source);
      continue;
    }
    // The lower op holding base offset `source`, found by binary search over its starts.
    let low = 0;
    let high = lower.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lower.starts[middle]! <= source) low = middle;
      else high = middle - 1;
    }
    let remaining = length;
    let offset = source;
    for (let j = low; remaining > 0; j += 1) {
      const within = offset - lower.starts[j]!;
      const take = min(remaining, lower.lengths[j]! - within);
      const lowerSource = lower.sources[j]!;
      push(
        targetAt,
        take,
        typeof lowerSource === 'number' ? lowerSource + within : lowerSource.subarray(within, within + take),
      );
      targetAt += take;
      offset += take;
      remaining -= take;
    }
  }
  return out;
}

/** Builds the target of a (possibly composed) delta from its base. */
export function materializeDelta(ops: DeltaOps, base: Uint8Array): Buffer {
  if (ops.baseLength !== base.length)
    throw new DeltaFormatError(`delta expects a base of ${ops.baseLength} bytes, got ${base.length}`);
  const out = Buffer.allocUnsafe(ops.targetLength);
  for (let i = 0; i < ops.starts.length; i += 1) {
    const source = ops.sources[i]!;
    const start = ops.starts[i]!;
    if (typeof source === 'number') out.set(base.subarray(source, source + ops.lengths[i]!), start);
    else out.set(source, start);
  }
  return out;
}
