/**
 * Group commit for calls that each write one small thing: a call that arrives while a flush is in flight waits for
 * it, then goes with every other waiting call in the next flush. Under load, many concurrent callers cost one round
 * trip instead of one each; with no load nothing waits, since a lone call is flushed at once. Each caller gets the
 * outcome of its own item; a flush that throws fails every call it carried.
 */
export class CoalescingQueue<Item, Outcome> {
  private readonly waiting: {
    item: Item;
    resolve: (outcome: Outcome) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private flushing = false;

  /** `flush` gets the items in the order they were submitted and answers one outcome per item, in that order. */
  constructor(
    private readonly flush: (items: readonly Item[]) => Promise<readonly Outcome[]>,
    private readonly maxItems = 500,
  ) {}

  submit(item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const calls = this.waiting.splice(0, this.maxItems);
        try {
          const outcomes = await this.flush(calls.map((call) => call.item));
          if (outcomes.length !== calls.length)
            throw new Error(`A flush of ${calls.length} items answered ${outcomes.length} outcomes`);
          calls.forEach((call, index) => call.resolve(outcomes[index]!));
        } catch (error) {
          for (const call of calls) call.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
