/**
 * A progress line for long replays: records/s, MB/s (uncompressed), the service being replayed and an ETA from
 * the compressed bytes read. On a terminal it is rewritten in place; elsewhere (logs, CI, nohup) a line is
 * printed every `intervalMs`.
 */
export interface ProgressSample {
  records: number;
  /** Uncompressed bytes of the records read. */
  bytes: number;
  /** Compressed bytes of the file read, and the file size. */
  fileBytesRead: number;
  fileBytes: number;
  service: string | null;
}

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m${String(rest).padStart(2, '0')}s`
      : `${rest}s`;
}

/**
 * `since`: the sample at which the clock started (nothing by default). Rates and the ETA count only the work done
 * since then, so work skipped quickly before it (a resumed import) does not make them look faster than they are.
 */
export function progressLine(sample: ProgressSample, elapsedMs: number, since?: ProgressSample): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const share = sample.fileBytes > 0 ? Math.min(sample.fileBytesRead / sample.fileBytes, 1) : 0;
  const done = sample.fileBytesRead - (since?.fileBytesRead ?? 0);
  const eta = done > 0 ? (seconds / done) * Math.max(sample.fileBytes - sample.fileBytesRead, 0) : Number.NaN;
  const records = sample.records - (since?.records ?? 0);
  const bytes = sample.bytes - (since?.bytes ?? 0);
  return [
    `${sample.records} records`,
    `${(records / seconds).toFixed(1)} rec/s`,
    `${(bytes / 1e6 / seconds).toFixed(1)} MB/s`,
    `${(share * 100).toFixed(1)}%`,
    `ETA ${formatDuration(eta)}`,
    sample.service ?? '',
  ]
    .join(' · ')
    .replace(/ · $/, '');
}

export class ProgressReporter {
  private startedAt: number;
  private since: ProgressSample | undefined;
  private lastPrintedAt = 0;
  private lastLength = 0;

  constructor(
    private readonly output: ProgressOutput,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  update(sample: ProgressSample): void {
    const now = this.now();
    const every = this.output.isTTY ? 250 : this.intervalMs;
    if (now - this.lastPrintedAt < every) return;
    this.lastPrintedAt = now;
    this.print(sample, now);
  }

  /** The final line, always printed; on a terminal it ends the in-place line. */
  finish(sample: ProgressSample): void {
    this.print(sample, this.now());
    if (this.output.isTTY) this.output.write('\n');
  }

  /** Starts the clock again from this sample: what came before it no longer counts in rates and the ETA. */
  restartFrom(sample: ProgressSample): void {
    this.startedAt = this.now();
    this.since = { ...sample };
  }

  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  private print(sample: ProgressSample, now: number): void {
    const text = progressLine(sample, now - this.startedAt, this.since);
    if (this.output.isTTY) {
      const line = `${progressBar(sample)} ${text}`;
      this.output.write(`\r${line}${' '.repeat(Math.max(0, this.lastLength - line.length))}`);
      this.lastLength = line.length;
    } else this.output.write(`${text}\n`);
  }
}

/** A bar of the share done, for terminals: `[#######.............]`. */
export function progressBar(sample: ProgressSample, width = 20): string {
  const share = sample.fileBytes > 0 ? Math.min(sample.fileBytesRead / sample.fileBytes, 1) : 0;
  // Rounded down: the bar is full only when everything is done.
  const done = Math.floor(share * width);
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
}
