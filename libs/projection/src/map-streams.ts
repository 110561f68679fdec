import { setTimeout as sleep } from 'node:timers/promises';

/** A stream the backfill could not map, with the error of its last attempt. */
export interface UnmappedStream {
  readonly streamId: string;
  readonly error: string;
}

export interface MapStreamsOutcome {
  readonly mapped: number;
  readonly unmapped: readonly UnmappedStream[];
  /** The signal fired before every stream was tried: nothing may be concluded from the pass. */
  readonly stopped: boolean;
}

/**
 * Maps every stream once, in order, going past the ones that fail; the failed ones are tried again after each of
 * the delays, in later passes. One stream that cannot be mapped (a damaged history, a transient failure of the
 * store) neither stops the others nor is given up on at its first error. The caller decides what an outcome with
 * unmapped streams means.
 */
export async function mapStreams(
  streamIds: readonly string[],
  mapOne: (streamId: string) => Promise<void>,
  options: { readonly retryDelaysMs: readonly number[]; readonly signal: AbortSignal },
): Promise<MapStreamsOutcome> {
  const { retryDelaysMs, signal } = options;
  let pending = [...streamIds];
  let mapped = 0;
  let unmapped: UnmappedStream[] = [];
  for (let pass = 0; pass <= retryDelaysMs.length && pending.length > 0; pass++) {
    if (pass > 0) {
      try {
        await sleep(retryDelaysMs[pass - 1], undefined, { signal });
      } catch {
        return { mapped, unmapped, stopped: true };
      }
    }
    unmapped = [];
    for (const streamId of pending) {
      if (signal.aborted) return { mapped, unmapped, stopped: true };
      try {
        await mapOne(streamId);
        mapped++;
      } catch (error) {
        unmapped.push({ streamId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    pending = unmapped.map((u) => u.streamId);
  }
  return { mapped, unmapped, stopped: false };
}
