import { CoalescingQueue } from './coalescing-queue';

/** A flush that waits for the test to release it: what is in flight stays in flight until then. */
function gatedFlush() {
  const flushes: number[][] = [];
  let release: () => void = () => undefined;
  const flush = async (items: readonly number[]) => {
    flushes.push([...items]);
    await new Promise<void>((resolve) => (release = resolve));
    return items.map((item) => item * 10);
  };
  return { flushes, flush, release: () => release() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingQueue', () => {
  it('flushes a lone call at once, and the calls that arrive meanwhile together, in order', async () => {
    const gate = gatedFlush();
    const queue = new CoalescingQueue(gate.flush);
    const first = queue.submit(1);
    await turn();
    expect(gate.flushes).toEqual([[1]]);
    const later = [queue.submit(2), queue.submit(3), queue.submit(4)];
    await turn();
    expect(gate.flushes).toEqual([[1]]);
    gate.release();
    expect(await first).toBe(10);
    await turn();
    expect(gate.flushes).toEqual([[1], [2, 3, 4]]);
    gate.release();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('caps a flush at its item limit and carries the rest into the next one', async () => {
    const gate = gatedFlush();
    const queue = new CoalescingQueue(gate.flush, 2);
    const calls = [1, 2, 3, 4, 5].map((item) => queue.submit(item));
    for (let flushed = 0; flushed < 4; flushed++) {
      await turn();
      gate.release();
    }
    expect(await Promise.all(calls)).toEqual([10, 20, 30, 40, 50]);
    expect(gate.flushes).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails every call of a flush that throws, and goes on with the calls after it', async () => {
    let attempt = 0;
    const queue = new CoalescingQueue((items: readonly number[]) => {
      attempt += 1;
      if (attempt === 1) return Promise.reject(new Error('store down'));
      return Promise.resolve(items.map(String));
    });
    const failed = queue.submit(1);
    const next = queue.submit(2);
    await expect(failed).rejects.toThrow('store down');
    expect(await next).toBe('2');
  });

  it('fails the calls of a flush that answers a wrong number of outcomes', async () => {
    const queue = new CoalescingQueue((items: readonly number[]) => Promise.resolve(items.slice(1)));
    await expect(queue.submit(1)).rejects.toThrow('A flush of 1 items answered 0 outcomes');
  });
});
