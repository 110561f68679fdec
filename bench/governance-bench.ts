import { join } from 'node:path';
import { segmentProvisions } from '@termline/text';
import { openNdjson } from '@termline/corpus';
import { timeClassification, type ClassificationTiming } from '../apps/cli/src/eval/governance-evaluation';

/**
 * The `governance` key of the bench: classification time per provision over every distinct provision of every
 * version of the genai dev versions file (segmented as the projection segments them). Wall-clock and CPU-time
 * percentiles; target p95 <= 1 ms. `runGovernanceBench(corpusDir)` is what the bench runner calls.
 */
export interface GovernanceBenchResult extends ClassificationTiming {
  readonly versions: number;
  readonly distinctProvisions: number;
  readonly meanCharacters: number;
  readonly totalSeconds: number;
}

export async function runGovernanceBench(
  corpusDir: string,
  limitVersions = Infinity,
): Promise<GovernanceBenchResult> {
  const seen = new Set<string>();
  const texts: string[] = [];
  let versions = 0;
  for await (const { text } of openNdjson(join(corpusDir, 'genai-versions-dev.ndjson.br')).lines()) {
    if (versions >= limitVersions) break;
    const record = JSON.parse(text) as { content?: string };
    if (typeof record.content !== 'string') continue;
    versions++;
    for (const provision of segmentProvisions(record.content)) {
      if (seen.has(provision.hash) || provision.text.trim() === '') continue;
      seen.add(provision.hash);
      texts.push(provision.text);
    }
  }
  const started = process.hrtime.bigint();
  const timing = timeClassification(texts);
  return {
    ...timing,
    versions,
    distinctProvisions: texts.length,
    meanCharacters: Math.round(texts.reduce((sum, t) => sum + t.length, 0) / Math.max(1, texts.length)),
    totalSeconds: Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100,
  };
}
