/**
 * Runs work one at a time per stream, in the order it was asked for: two catch-ups of one stream never interleave,
 * catch-ups of different streams run side by side. A failed run does not stop the next one.
 */
export class PerStreamQueue {
  private readonly running = new Map<string, Promise<unknown>>();

  run<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.running.get(streamId) ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(work);
    this.running.set(streamId, next);
    void next
      .finally(() => {
        if (this.running.get(streamId) === next) this.running.delete(streamId);
      })
      .catch(() => undefined);
    return next;
  }
}
