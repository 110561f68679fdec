import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_DIR = join(__dirname, '..', '..');

/** The built entry point of an app (`npm run build` makes them). */
export function builtEntry(app: 'termline' | 'gateway' | 'versioning' | 'projection'): string {
  const file = join(REPO_DIR, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (npm run test:fault does)`);
  return file;
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * One Termline process that the suite starts, SIGKILLs and starts again on the same storage. Its output goes to
 * a log file, so a failure can be read afterwards. A process that exits when nobody killed it (a consumer that
 * gave up, say) is started again after a second, and counted: the report names such exits.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private readonly log: WriteStream;
  private killing = false;
  private stopped = false;
  starts = 0;
  kills = 0;
  unexpectedExits: string[] = [];

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  start(): void {
    this.starts += 1;
    this.stopped = false;
    this.log.write(`\n===== start ${this.starts} at ${new Date().toISOString()} =====\n`);
    const child = spawn(process.execPath, [this.entry], {
      cwd: REPO_DIR,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      this.log.write(`===== exit (${signal ?? code}) at ${new Date().toISOString()} =====\n`);
      if (this.child !== child) return;
      this.child = null;
      if (this.killing || this.stopped) return;
      this.unexpectedExits.push(`${this.name} exited by itself (${signal ?? code})`);
      setTimeout(() => {
        if (!this.stopped && this.child === null) this.start();
      }, 1_000);
    });
    this.child = child;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed on the way out. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.killing = true;
    this.kills += 1;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.killing = false;
  }

  /** End of the run: a graceful stop (SIGTERM), then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  note(line: string): void {
    this.log.write(`${line}\n`);
  }
}
