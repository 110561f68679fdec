import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test support shared by the int and e2e tiers. Never imported by production code. */

export const kafkaBrokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const mongoUri = (): string => process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017';

type Describe = (name: string, body: () => void) => void;

function describeIfUp(flag: string, service: string): Describe {
  return (name, body) => {
    if (process.env[flag] === '1') {
      describe(name, body);
      return;
    }
    // Visible in the report as skipped, with the reason in its name (global-setup fails instead under test:infra).
    describe(`${name} [SKIPPED: ${service} not reachable; run npm run infra:up]`, () => {
      it.todo(`needs ${service}`);
    });
  };
}

export const describeWithKafka = describeIfUp('TERMLINE_KAFKA_UP', 'Kafka');
export const describeWithMongo = describeIfUp('TERMLINE_MONGO_UP', 'MongoDB');
export const describeWithKafkaAndMongo: Describe = (name, body) =>
  process.env.TERMLINE_KAFKA_UP === '1' ? describeWithMongo(name, body) : describeWithKafka(name, body);

/** A name no other spec file uses: each spec gets its own database and topic prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TempDir {
  path: string;
  remove(): void;
}

export function tempDir(prefix = 'termline-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls until the check returns a value (not undefined), or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`Condition not met within ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
}
