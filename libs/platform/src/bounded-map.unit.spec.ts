import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('drops the oldest write when a full map takes a new key', () => {
    const map = new BoundedMap<string, number>(2).set('a', 1).set('b', 2).set('c', 3);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBeUndefined();
    expect([map.get('b'), map.get('c')]).toEqual([2, 3]);
  });

  it('makes a rewritten key the newest, so it outlives keys written before it', () => {
    const map = new BoundedMap<string, number>(2).set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(map.get('a')).toBe(10);
    expect(map.get('b')).toBeUndefined();
  });

  it('does not refresh on read: a key read often is still dropped when it is the oldest write', () => {
    const map = new BoundedMap<string, number>(2).set('a', 1).set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect(map.get('a')).toBeUndefined();
  });

  it('forgets a deleted key and makes room for another', () => {
    const map = new BoundedMap<string, number>(2).set('a', 1).set('b', 2);
    expect(map.delete('a')).toBe(true);
    map.set('c', 3);
    expect([map.get('b'), map.get('c'), map.size]).toEqual([2, 3, 2]);
  });

  it('refuses a capacity that could hold nothing', () => {
    expect(() => new BoundedMap(0)).toThrow(/positive integer/);
  });
});
