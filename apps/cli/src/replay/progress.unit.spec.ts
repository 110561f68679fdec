import { formatDuration, progressBar, ProgressReporter, progressLine } from './progress';

const sample = { records: 100, bytes: 50e6, fileBytesRead: 25, fileBytes: 100, service: 'Grok' };

describe('progress', () => {
  it('says rate, throughput, share, ETA from the compressed bytes, and the service', () => {
    expect(progressLine(sample, 10_000)).toBe('100 records · 10.0 rec/s · 5.0 MB/s · 25.0% · ETA 30s · Grok');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('rewrites one line on a terminal, and prints a line every interval elsewhere', () => {
    let now = 0;
    const tty: string[] = [];
    const log: string[] = [];
    const onTty = new ProgressReporter({ isTTY: true, write: (t) => tty.push(t) }, 10_000, () => now);
    const onLog = new ProgressReporter({ isTTY: false, write: (t) => log.push(t) }, 10_000, () => now);
    for (now = 1000; now <= 25_000; now += 1000) {
      onTty.update(sample);
      onLog.update(sample);
    }
    onLog.finish(sample);
    onTty.finish(sample);
    // At 10 s and 20 s, then the final line.
    expect(log).toHaveLength(3);
    expect(log.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(tty.slice(0, -1).every((line) => line.startsWith('\r[#####...............] 100 records'))).toBe(
      true,
    );
    expect(tty.at(-1)).toBe('\n');
  });
});

describe('progress after a restart of the clock', () => {
  it('counts rates and the ETA from the work done since, the share from the whole', () => {
    const skippedUpTo = { records: 600, bytes: 0, fileBytesRead: 600, fileBytes: 1000, service: null };
    const later = { records: 700, bytes: 10e6, fileBytesRead: 700, fileBytes: 1000, service: 'X' };
    // 100 done in 10 s since the restart: 10 rec/s, 300 left: 30 s. Without the restart it would say 70 rec/s.
    expect(progressLine(later, 10_000, skippedUpTo)).toBe(
      '700 records · 10.0 rec/s · 1.0 MB/s · 70.0% · ETA 30s · X',
    );
    let now = 0;
    const lines: string[] = [];
    const reporter = new ProgressReporter({ isTTY: false, write: (t) => lines.push(t) }, 1, () => now);
    now = 5_000;
    reporter.restartFrom(skippedUpTo);
    now = 15_000;
    reporter.finish(later);
    expect(lines).toEqual(['700 records · 10.0 rec/s · 1.0 MB/s · 70.0% · ETA 30s · X\n']);
  });
});

describe('progress bar', () => {
  it('fills with the share done, from empty to full', () => {
    const at = (fileBytesRead: number) =>
      progressBar({ records: 0, bytes: 0, fileBytesRead, fileBytes: 200, service: null }, 10);
    expect([at(0), at(50), at(199), at(200)]).toEqual([
      '[..........]',
      '[##........]',
      '[#########.]',
      '[##########]',
    ]);
  });
});
