import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_DIR } from './app-process.supervisor';
import { pause } from './termline.client';

const run = promisify(execFile);

/**
 * A Kafka and a FerretDB (on its PostgreSQL) of the fault suite's own, started with scripts/infra/infra.sh on
 * other ports, so that killing them never disturbs the shared services other suites use (9092, 27017). The jars
 * and the FerretDB binary come from the repo's infra cache (TERMLINE_INFRA_DIR, default .infra, which
 * `npm run infra:up` fills); data, logs and pids live apart in TERMLINE_INFRA_DATA_DIR.
 */
export class FaultInfra {
  readonly kafkaPort = Number(process.env.TERMLINE_FAULT_KAFKA_PORT ?? 19092);
  readonly controllerPort = Number(process.env.TERMLINE_FAULT_KAFKA_CONTROLLER_PORT ?? 19093);
  readonly ferretdbPort = Number(process.env.TERMLINE_FAULT_FERRETDB_PORT ?? 37017);
  readonly postgresPort = Number(process.env.TERMLINE_FAULT_POSTGRES_PORT ?? 54339);
  readonly cacheDir = process.env.TERMLINE_INFRA_DIR ?? join(REPO_DIR, '.infra');
  readonly dataDir = join(REPO_DIR, '.tmp', 'fault-infra');
  restarts: Record<'kafka' | 'ferretdb', number> = { kafka: 0, ferretdb: 0 };

  get kafkaBrokers(): string {
    return `127.0.0.1:${this.kafkaPort}`;
  }

  get mongoUri(): string {
    return `mongodb://127.0.0.1:${this.ferretdbPort}`;
  }

  /** Why the distributed run cannot happen here, or null: the cache must hold the jars and the binary. */
  missingCache(): string | null {
    // infra.sh keeps FerretDB v2 (its default) and v1 (TERMLINE_FERRETDB_VERSION=v1) in folders of their own.
    const ferretdbDir = ['v1', '1'].includes(process.env.TERMLINE_FERRETDB_VERSION ?? '')
      ? 'ferretdb'
      : 'ferretdb-v2';
    const needed = [
      join(this.cacheDir, 'kafka', 'libs', '.complete'),
      join(this.cacheDir, ferretdbDir, 'bin', 'ferretdb'),
    ];
    const missing = needed.filter((file) => !existsSync(file));
    return missing.length === 0
      ? null
      : `${missing.join(', ')} missing: run npm run infra:up first (or set TERMLINE_INFRA_DIR)`;
  }

  private async infra(...args: string[]): Promise<void> {
    await run('bash', [join(REPO_DIR, 'scripts', 'infra', 'infra.sh'), ...args], {
      cwd: REPO_DIR,
      env: {
        ...process.env,
        TERMLINE_INFRA_DIR: this.cacheDir,
        TERMLINE_INFRA_DATA_DIR: this.dataDir,
        TERMLINE_KAFKA_PORT: String(this.kafkaPort),
        TERMLINE_KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        TERMLINE_FERRETDB_PORT: String(this.ferretdbPort),
        TERMLINE_POSTGRES_PORT: String(this.postgresPort),
        TERMLINE_FERRETDB_BACKEND: 'postgresql',
      },
      maxBuffer: 4 * 1024 * 1024,
    });
  }

  up(): Promise<void> {
    return this.infra('up');
  }

  /**
   * A fresh start: whatever a previous run left (processes, data) goes first. Kafka loads every partition it
   * holds when it restarts, so topics left by earlier runs would make each run's broker restart slower.
   */
  async freshUp(): Promise<void> {
    await this.infra('down', '--purge');
    await this.up();
  }

  down(): Promise<void> {
    return this.infra('down');
  }

  /**
   * SIGKILL one service (no controlled shutdown, no flush beyond what it already wrote), wait `downMs`, and start
   * it again on the same data; `up` returns once it answers.
   */
  async restart(service: 'kafka' | 'ferretdb', downMs: number): Promise<void> {
    const pidFile = join(this.dataDir, 'run', `${service}.pid`);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`No pid in ${pidFile}`);
    process.kill(pid, 'SIGKILL');
    for (let waited = 0; waited < 100 && alive(pid); waited += 1) await pause(100);
    this.restarts[service] += 1;
    await pause(downMs);
    await this.up();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
