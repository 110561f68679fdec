import type { EventStore, StoredEvent } from '@termline/eventstore';

export interface TailOptions {
  /** Only events up to this stream version are wanted, and all of them are needed. */
  upTo?: number;
  /**
   * The timeline applies a VersionRecorded together with the ProvisionsAligned that may follow it in the same
   * commit: a run that ends on one may have been cut inside its commit, so it is read from the store instead.
   */
  wholeCommits?: boolean;
}

/**
 * The events after `after` as the messages brought them, when they are all there: the next version first, no
 * gap, in order. Null when they cannot be trusted to be the whole tail (a gap: events this process has not seen,
 * e.g. after a rebalance or a restart), and the store is to be read. An empty list: nothing new in them.
 */
export function knownEventsAfter(
  known: readonly StoredEvent[],
  after: number,
  options: TailOptions = {},
): StoredEvent[] | null {
  const byVersion = new Map<number, StoredEvent>();
  for (const event of known) {
    if (event.streamVersion > after && event.streamVersion <= (options.upTo ?? Infinity))
      byVersion.set(event.streamVersion, event);
  }
  const fresh = [...byVersion.values()].sort((a, b) => a.streamVersion - b.streamVersion);
  if (fresh.length === 0) return options.upTo !== undefined && options.upTo > after ? null : [];
  if (fresh.some((event, index) => event.streamVersion !== after + 1 + index)) return null;
  const last = fresh[fresh.length - 1]!;
  if (options.upTo !== undefined && last.streamVersion !== options.upTo) return null;
  if (options.wholeCommits && last.type === 'VersionRecorded') return null;
  return fresh;
}

/** The stream's events after `after`: from the messages when they are the whole tail, else from the store. */
export async function eventsAfter(
  eventStore: EventStore,
  streamId: string,
  after: number,
  known: readonly StoredEvent[] | undefined,
  options: TailOptions = {},
): Promise<StoredEvent[]> {
  const fromMessages = known ? knownEventsAfter(known, after, options) : null;
  if (fromMessages) return fromMessages;
  const stored = await eventStore.readStream(streamId, after);
  return options.upTo === undefined ? stored : stored.filter((event) => event.streamVersion <= options.upTo!);
}
