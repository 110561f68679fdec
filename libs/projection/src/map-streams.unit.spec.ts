import { mapStreams } from './map-streams';

/** Unit tier: the backfill's pass over the streams, with a mapping function that fails on purpose. */
describe('mapStreams', () => {
  const quick = { retryDelaysMs: [1, 1], signal: new AbortController().signal };

  it('goes past a stream that fails and maps the ones after it', async () => {
    const tried: string[] = [];
    const outcome = await mapStreams(
      ['a', 'b', 'c'],
      (id) => {
        tried.push(id);
        return id === 'b' ? Promise.reject(new Error('damaged history')) : Promise.resolve();
      },
      quick,
    );
    expect(outcome).toEqual({
      mapped: 2,
      unmapped: [{ streamId: 'b', error: 'damaged history' }],
      stopped: false,
    });
    // Every stream once, then the failing one again after each delay.
    expect(tried).toEqual(['a', 'b', 'c', 'b', 'b']);
  });

  it('maps a stream whose failure was transient on a later pass', async () => {
    let failures = 1;
    const outcome = await mapStreams(
      ['a', 'b'],
      (id) =>
        id === 'a' && failures-- > 0 ? Promise.reject(new Error('store unavailable')) : Promise.resolve(),
      quick,
    );
    expect(outcome).toEqual({ mapped: 2, unmapped: [], stopped: false });
  });

  it('stops when the signal fires, between streams and during a wait', async () => {
    const between = new AbortController();
    const tried: string[] = [];
    const first = await mapStreams(
      ['a', 'b', 'c'],
      (id) => {
        tried.push(id);
        if (id === 'a') between.abort();
        return Promise.resolve();
      },
      { retryDelaysMs: [], signal: between.signal },
    );
    expect(first).toMatchObject({ mapped: 1, stopped: true });
    expect(tried).toEqual(['a']);

    const waiting = new AbortController();
    const started = Date.now();
    const pending = mapStreams(['a'], () => Promise.reject(new Error('down')), {
      retryDelaysMs: [60_000],
      signal: waiting.signal,
    });
    setTimeout(() => waiting.abort(), 10);
    await expect(pending).resolves.toMatchObject({ mapped: 0, stopped: true });
    // The shutdown does not wait out the delay.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
