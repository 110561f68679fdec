import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DEFAULTS } from '@termline/config';
import { Kafka, logLevel } from 'kafkajs';

/** Test support shared by the int and e2e tiers. Never imported by production code. */

export const kafkaBrokers = (): string[] =>
  (process.env.KAFKA_BROKERS ?? CONFIG_DEFAULTS.kafkaBrokers).split(',');
export const mongoUri = (): string => process.env.MONGODB_URI ?? CONFIG_DEFAULTS.mongoUri;

type Describe = (name: string, body: () => void) => void;

function describeIfUp(flag: string, service: string): Describe {
  return (name, body) => {
    if (process.env[flag] === '1') {
      if (service === 'Kafka') deleteTopicsOfThisFileAtItsEnd();
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
export const describeWithKafkaAndMongo: Describe = (name, body) => {
  if (process.env.TERMLINE_KAFKA_UP === '1') deleteTopicsOfThisFileAtItsEnd();
  (process.env.TERMLINE_KAFKA_UP === '1' ? describeWithMongo : describeWithKafka)(name, body);
};

/** The unique names given in this spec file (jest loads this module once per file). */
const namesOfThisFile: string[] = [];
let cleanupRegistered = false;

/** A name no other spec file uses: each spec gets its own database and topic prefix. */
export function uniqueName(prefix: string): string {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  namesOfThisFile.push(name);
  return name;
}

/**
 * Once the spec file's tests are done, the topics it created (those whose names start with one of its unique
 * names) are deleted. Left behind, they piled up by the thousand on a broker that lives for days, and the broker
 * spent its CPU on them (high-watermark checkpoints, the log cleaner's scans): 4x its CPU per fetch in the bench.
 * Only this file's names, never a pattern, so that files running beside it keep theirs.
 */
function deleteTopicsOfThisFileAtItsEnd(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  afterAll(async () => {
    if (namesOfThisFile.length === 0) return;
    const admin = new Kafka({
      brokers: kafkaBrokers(),
      clientId: 'termline-test-cleanup',
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      const mine = (await admin.listTopics()).filter((topic) =>
        namesOfThisFile.some((name) => topic.startsWith(name)),
      );
      if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
    } catch (error) {
      // A cleanup, not a check: a broker that is gone (a fault test stopped it) keeps its topics.
      process.stderr.write(`[termline] topics of this spec not deleted: ${String(error)}\n`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }, 60_000);
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
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
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
  throw new Error(
    `Condition not met within ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

/**
 * A small, valid PDF written from scratch: one page per entry of `pages`, each line set in Helvetica. With no
 * lines, a page without any text (what a scanned document looks like to a text extractor).
 */
export function makePdf(pages: readonly (readonly string[])[]): Buffer {
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const catalog = add('');
  const pageTree = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const pageIds: number[] = [];
  for (const lines of pages) {
    const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);
    const stream = lines.length
      ? `BT /F1 12 Tf 14 TL 72 720 Td ${lines.map((line) => `(${escape(line)}) Tj T*`).join(' ')} ET`
      : '';
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R >>`;
  objects[pageTree - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
