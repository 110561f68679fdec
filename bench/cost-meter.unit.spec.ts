import { reportRoundTrip } from '@termline/eventstore';
import { difference, InProcessRoundTrips, perFetch, ReplayWindows, roundTripsOf } from './cost-meter';
import { asBenchDriver } from './profiler';

describe('round trips per fetch', () => {
  it('reads the round-trip counters of a /metrics answer by store and operation', () => {
    const text = [
      '# HELP termline_db_round_trips_total Database round trips',
      '# TYPE termline_db_round_trips_total counter',
      'termline_db_round_trips_total{store="mongodb",operation="insert"} 40',
      'termline_db_round_trips_total{store="mongodb",operation="find"} 12',
      'termline_http_requests_total{method="POST",route="/v1/fetches",status="202"} 20',
    ].join('\n');
    expect(roundTripsOf(text)).toEqual({ 'mongodb:insert': 40, 'mongodb:find': 12 });
  });

  it('gives what happened between two readings, per fetch, most frequent first', () => {
    const during = difference(
      { 'mongodb:insert': 40, 'mongodb:find': 12, 'mongodb:hello': 3 },
      { 'mongodb:insert': 10, 'mongodb:find': 2, 'mongodb:hello': 3 },
    );
    expect(during).toEqual({ 'mongodb:insert': 30, 'mongodb:find': 10 });
    expect(perFetch(during, 20)).toEqual({
      total: 2,
      byKind: { 'mongodb:insert': 1.5, 'mongodb:find': 0.5 },
    });
    expect(perFetch(during, 0)).toBeNull();
  });

  it("counts the system's round trips in this process but not the bench driver's polls", async () => {
    const counter = new InProcessRoundTrips();
    reportRoundTrip('sqlite', 'insert');
    await asBenchDriver(() => {
      reportRoundTrip('sqlite', 'select');
      return Promise.resolve();
    });
    reportRoundTrip('sqlite', 'insert');
    const counts = counter.stop();
    reportRoundTrip('sqlite', 'insert');
    expect(counts).toEqual({ 'sqlite:insert': 2 });
  });
});

describe('ReplayWindows', () => {
  it('marks the first and the last fetches of the replay and compares their cost', () => {
    // CPU time, not wall time, between the marks: on a loaded machine a wall-clock loop may get almost none.
    const burn = (ms: number) => {
      const start = process.cpuUsage();
      while (process.cpuUsage(start).user < ms * 1000);
    };
    const windows = new ReplayWindows(10, {}, 'termline+bench', 3);
    // Work inside the first window too: with none, its wall time rounds to 0 and the ratio cannot be taken.
    burn(20);
    for (const visible of [1, 2, 3]) windows.onVisible(visible);
    burn(20);
    windows.onVisible(5);
    windows.onVisible(7);
    burn(20);
    windows.onVisible(10);

    const cost = windows.report();
    expect(cost.windowFetches).toBe(3);
    expect(cost.first?.fetches).toBe(3);
    expect(cost.last?.fetches).toBe(3);
    expect(cost.last!.cpuMsPerFetch).toBeGreaterThan(0);
    expect(Object.keys(cost.first!.cpuMsPerFetchByProcess)).toEqual(['termline+bench']);
    expect(cost.ratio.wall).toBeGreaterThan(0);
  });

  it('leaves the last window empty when the replay did not reach its end, and halves short replays', () => {
    const windows = new ReplayWindows(1000, {}, 'bench');
    expect(windows.size).toBe(500);
    windows.onVisible(600);
    const cost = windows.report();
    expect(cost.first?.fetches).toBe(600);
    expect(cost.last).toBeNull();
    expect(cost.ratio).toEqual({ cpu: null, wall: null, size: null, cpuPerMb: null });
  });

  it('tells growth in document size from growth in cost: the same CPU on four times the bytes is a quarter per MB', () => {
    const burn = (ms: number) => {
      const start = process.cpuUsage();
      while (process.cpuUsage(start).user < ms * 1000);
    };
    const windows = new ReplayWindows(4, {}, 'bench', 2);
    const kb = 1024;
    burn(30);
    windows.onVisible(2, 2 * 10 * kb);
    windows.onVisible(2, 2 * 10 * kb);
    burn(5);
    // The last two fetches are 40 KB each where the first two were 10 KB.
    windows.onVisible(2, 2 * 10 * kb);
    burn(30);
    windows.onVisible(4, 2 * 10 * kb + 2 * 40 * kb);

    const cost = windows.report();
    expect(cost.first?.kbPerFetch).toBe(10);
    expect(cost.last?.kbPerFetch).toBe(40);
    expect(cost.ratio.size).toBe(4);
    // CPU-ms per MB is CPU per fetch over MB per fetch, in each window.
    for (const part of [cost.first!, cost.last!])
      expect(part.cpuMsPerMb).toBeCloseTo(part.cpuMsPerFetch / (part.kbPerFetch / 1024), 0);
    expect(cost.ratio.cpuPerMb).toBeCloseTo(cost.ratio.cpu! / 4, 1);
  });

  it('has no cost per MB when the sizes were not told', () => {
    const windows = new ReplayWindows(2, {}, 'bench', 1);
    windows.onVisible(1);
    windows.onVisible(2);
    expect(windows.report().first?.cpuMsPerMb).toBeNull();
    expect(windows.report().ratio.cpuPerMb).toBeNull();
  });
});
