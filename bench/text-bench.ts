import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createBrotliDecompress } from 'node:zlib';

import {
  type DeclarationHistory,
  type DeclarationSet,
  type ExtractionInput,
  type Provision,
  declarationSet,
  diffVersions,
  extractText,
  parseDeclaration,
  parseHistory,
  segmentProvisions,
} from '@termline/text';

/**
 * Throughput of the text engine on the real corpus, in CPU time so that other load on the machine matters
 * less: extraction of the first HTML snapshots (with the real declarations), and diffs between consecutive
 * versions of each document. The reference is Open Terms Archive's JSDOM extraction, measured at about
 * 7.5 documents and 2.5 MB per CPU-second on this machine.
 */
export interface TextBenchResult {
  mbPerCpuSec: number;
  docsPerCpuSec: number;
  diff: { p50Ms: number; p95Ms: number; maxMs: number };
  worstCaseDiffMs: number;
  details: {
    snapshots: number;
    snapshotMb: number;
    coldPass: { mbPerCpuSec: number; docsPerCpuSec: number };
    extractionFailures: Record<string, number>;
    diffPairs: number;
    diffDegraded: number;
    worstCase: { oldKb: number; newKb: number; degraded: string[] };
  };
}

const SNAPSHOT_LIMIT = Number(process.env['TEXT_BENCH_SNAPSHOTS'] ?? 300);

async function* records(file: string): AsyncGenerator<Record<string, unknown>> {
  const input = createReadStream(file).pipe(createBrotliDecompress());
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line) yield JSON.parse(line) as Record<string, unknown>;
  } finally {
    lines.close();
    input.destroy();
  }
}

function loadDeclarations(dir: string): DeclarationSet {
  if (!existsSync(dir)) return declarationSet([]);
  const files = readdirSync(dir);
  return declarationSet(
    files
      .filter((f) => f.endsWith('.json') && !f.endsWith('.history.json'))
      .map((f) => {
        const historyFile = f.replace(/\.json$/, '.history.json');
        const history: DeclarationHistory | undefined = files.includes(historyFile)
          ? parseHistory(JSON.parse(readFileSync(join(dir, historyFile), 'utf8')))
          : undefined;
        return { declaration: parseDeclaration(JSON.parse(readFileSync(join(dir, f), 'utf8'))), history };
      }),
  );
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** A deterministic pseudo-random generator (mulberry32), so the worst case is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY =
  'the service provider user data personal may shall must not process share store retain delete account content terms agreement law party notice right access request consent purpose third security breach liability damages'.split(
    ' ',
  );

/** A ~300 KB terms document, and a version of it with about 30% of its paragraphs rewritten. */
export function worstCasePair(
  targetBytes = 300_000,
  rewriteShare = 0.3,
): { oldText: string; newText: string } {
  const next = random(42);
  const sentence = (): string => {
    const n = 8 + Math.floor(next() * 20);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
    return `${words.join(' ')}.`;
  };
  const paragraphs: string[] = [];
  let size = 0;
  for (let section = 1; size < targetBytes; section++) {
    paragraphs.push(`## ${section}. Section ${section}`);
    for (let clause = 1; clause <= 6 && size < targetBytes; clause++) {
      const text = `${section}.${clause}. ${sentence()} ${sentence()} ${sentence()} ${sentence()}`;
      paragraphs.push(text);
      size += text.length + 2;
    }
  }
  const rewritten = paragraphs.map((p) =>
    p.startsWith('##') || next() >= rewriteShare
      ? p
      : `${p.split(' ')[0]} ${sentence()} ${sentence()} ${sentence()}`,
  );
  return { oldText: `${paragraphs.join('\n\n')}\n`, newText: `${rewritten.join('\n\n')}\n` };
}

export async function runTextBench(corpusDir: string): Promise<TextBenchResult> {
  const declarations = loadDeclarations(join(corpusDir, 'declarations'));

  // Extraction. The snapshots are read first: process.cpuUsage counts every thread of the process, and
  // brotli decompresses on libuv's pool, so measuring while streaming would charge decompression to us.
  const inputs: ExtractionInput[] = [];
  for await (const record of records(join(corpusDir, 'genai-snapshots-dev.ndjson.br'))) {
    if (record['mimeType'] !== 'text/html' || record['encoding'] === 'base64') continue;
    inputs.push({
      content: record['content'] as string,
      mimeType: 'text/html',
      fetchedAt: record['fetchedAt'] as string,
      service: record['service'] as string,
      documentType: record['documentType'] as string,
      sourcePart: record['sourcePart'] as string | null,
      sourceUrl: record['sourceUrl'] as string,
    });
    if (inputs.length >= SNAPSHOT_LIMIT) break;
  }
  const snapshots = inputs.length;
  const bytes = inputs.reduce((sum, input) => sum + Buffer.byteLength(input.content as string, 'utf8'), 0);
  const extractionFailures: Record<string, number> = {};
  // Two passes: the first includes JIT warm-up (reported in details), the second is the steady state a
  // long-running versioning service sees.
  const passCpuMs: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const started = process.cpuUsage();
    for (const input of inputs) {
      const result = extractText(input, declarations);
      if (pass === 0 && !result.ok)
        extractionFailures[result.code] = (extractionFailures[result.code] ?? 0) + 1;
    }
    passCpuMs.push(cpuMs(started));
  }
  const extractionCpuMs = passCpuMs[1]!;
  inputs.length = 0;

  // Diffs between consecutive versions of each document, provisions carried from one to the next.
  const byDocument = new Map<string, string[]>();
  for await (const record of records(join(corpusDir, 'genai-versions-dev.ndjson.br'))) {
    const key = `${String(record['service'])}\u0000${String(record['documentType'])}`;
    const texts = byDocument.get(key) ?? [];
    texts.push(record['content'] as string);
    byDocument.set(key, texts);
  }
  const diffMs: number[] = [];
  let diffDegraded = 0;
  for (const texts of byDocument.values()) {
    let previous: Provision[] = segmentProvisions(texts[0]!);
    for (let i = 1; i < texts.length; i++) {
      const started = process.cpuUsage();
      const diff = diffVersions(texts[i - 1]!, texts[i]!, { previousProvisions: previous });
      diffMs.push(cpuMs(started));
      if (diff.degraded.length > 0) diffDegraded++;
      previous = diff.nextProvisions;
    }
  }
  diffMs.sort((a, b) => a - b);

  const { oldText, newText } = worstCasePair();
  const worstStarted = process.cpuUsage();
  const worst = diffVersions(oldText, newText);
  const worstCaseDiffMs = cpuMs(worstStarted);

  const seconds = extractionCpuMs / 1000;
  return {
    mbPerCpuSec: round(bytes / 1e6 / seconds),
    docsPerCpuSec: round(snapshots / seconds),
    diff: {
      p50Ms: round(percentile(diffMs, 0.5)),
      p95Ms: round(percentile(diffMs, 0.95)),
      maxMs: round(diffMs[diffMs.length - 1] ?? 0),
    },
    worstCaseDiffMs: round(worstCaseDiffMs),
    details: {
      snapshots,
      snapshotMb: round(bytes / 1e6),
      coldPass: {
        mbPerCpuSec: round(bytes / 1e3 / passCpuMs[0]!),
        docsPerCpuSec: round((snapshots * 1000) / passCpuMs[0]!),
      },
      extractionFailures,
      diffPairs: diffMs.length,
      diffDegraded,
      worstCase: {
        oldKb: round(oldText.length / 1000),
        newKb: round(newText.length / 1000),
        degraded: worst.degraded,
      },
    },
  };
}

if (require.main === module) {
  const dir = process.argv[2] ?? process.env['TERMLINE_CORPUS_DIR'] ?? '/work/shared/corpus';
  runTextBench(dir).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
