/**
 * What the consumer loops of this process take from their logs, told to whoever listens (the process metrics):
 * the adapters report each batch before handling it, whatever the handler then does with it.
 */
export interface ConsumedBatch {
  groupId: string;
  topic: string;
  partition: number;
  size: number;
}

export type BatchListener = (batch: ConsumedBatch) => void;

const listeners = new Set<BatchListener>();

/** Starts listening; the returned function stops. */
export function onConsumedBatch(listener: BatchListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function reportConsumedBatch(batch: ConsumedBatch): void {
  for (const listener of listeners) listener(batch);
}

/** How far a consumer group is behind the end of one partition of a topic. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** The next offset the group will read (its committed offset; the log's start when it has none). */
  committed: number;
  /** The offset the next published message will get. */
  end: number;
  lag: number;
}
