/**
 * Work that may run side by side (shared) and work that must run alone (exclusive): an exclusive run waits for
 * the shared ones in flight and holds back new ones until it is done. The projection's consumer batches are
 * shared (they touch disjoint streams); a backfill step is exclusive, since a batch's writes are stored only at
 * its end, after the per-stream queue has let the stream go.
 */
export class SharedExclusiveLock {
  private shared = 0;
  private exclusive: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  async runShared<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.shared += 1;
    try {
      return await work();
    } finally {
      this.shared -= 1;
      if (this.shared === 0) this.drained?.();
    }
  }

  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.shared > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await work();
    } finally {
      this.drained = null;
      this.exclusive = null;
      release();
    }
  }
}
