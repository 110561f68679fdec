import { SharedExclusiveLock } from './shared-exclusive.lock';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('SharedExclusiveLock', () => {
  it('runs shared work side by side', async () => {
    const lock = new SharedExclusiveLock();
    const gate = deferred();
    const started: string[] = [];
    const a = lock.runShared(async () => {
      started.push('a');
      await gate.promise;
    });
    const b = lock.runShared(async () => {
      started.push('b');
      await gate.promise;
    });
    await tick();
    expect(started).toEqual(['a', 'b']);
    gate.resolve();
    await Promise.all([a, b]);
  });

  it('starts exclusive work after the shared work in flight, and holds new shared work back until it ends', async () => {
    const lock = new SharedExclusiveLock();
    const order: string[] = [];
    const first = deferred();
    const exclusiveGate = deferred();
    const a = lock.runShared(async () => {
      order.push('shared a starts');
      await first.promise;
      order.push('shared a ends');
    });
    const x = lock.runExclusive(async () => {
      order.push('exclusive starts');
      await exclusiveGate.promise;
      order.push('exclusive ends');
    });
    const b = lock.runShared(async () => {
      order.push('shared b runs');
      return Promise.resolve();
    });
    await tick();
    expect(order).toEqual(['shared a starts']);
    first.resolve();
    await tick();
    expect(order).toEqual(['shared a starts', 'shared a ends', 'exclusive starts']);
    exclusiveGate.resolve();
    await Promise.all([a, x, b]);
    expect(order).toEqual([
      'shared a starts',
      'shared a ends',
      'exclusive starts',
      'exclusive ends',
      'shared b runs',
    ]);
  });

  it('runs exclusive work one at a time and releases after a failure', async () => {
    const lock = new SharedExclusiveLock();
    const order: string[] = [];
    const failing = lock.runExclusive(async () => {
      order.push('x1');
      await tick();
      throw new Error('x1 failed');
    });
    const second = lock.runExclusive(async () => {
      order.push('x2');
      return Promise.resolve('done');
    });
    await expect(failing).rejects.toThrow('x1 failed');
    await expect(second).resolves.toBe('done');
    expect(order).toEqual(['x1', 'x2']);
  });
});
