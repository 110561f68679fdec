import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGovernanceBench } from './governance-bench';
import { runGovernanceHistoryBench } from './governance-history';
import { BlobReader, BUNDLE_NAME, cloneBundle, corpusDir, listFetches, repoRootFrom } from '@termline/corpus';
import { documentQueues, type DocumentQueue } from './replay-plan';

/**
 * The `governance` key of the bench: classification per distinct provision of the genai dev versions
 * (`classification`), and the whole pga-versions history mapped with reads on it (`history`). Run alone with
 * `npm run bench:governance` (bench/results/governance-latest.json), or as part of `npm run bench`.
 * BENCH_GOVERNANCE_DOCUMENTS limits the history to the first N documents, for a quick try.
 */
export async function runGovernance(repoRoot: string, queues: readonly DocumentQueue[], repo: string) {
  const classification = await runGovernanceBench(corpusDir(repoRoot));
  const blobs = new BlobReader(repo);
  try {
    const history = await runGovernanceHistoryBench(queues, blobs);
    return { target: 'classification p95 <= 1 ms per provision', classification, history };
  } finally {
    blobs.close();
  }
}

async function main(): Promise<void> {
  const repoRoot = repoRootFrom(__dirname);
  const repo = cloneBundle(join(corpusDir(repoRoot), BUNDLE_NAME), join(repoRoot, '.tmp', 'bench'));
  const limit = Number(process.env.BENCH_GOVERNANCE_DOCUMENTS ?? Infinity);
  const queues = documentQueues(listFetches(repo)).slice(0, limit);
  const governance = await runGovernance(repoRoot, queues, repo);
  const json = `${JSON.stringify({ generatedAt: new Date().toISOString(), governance }, null, 2)}\n`;
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'governance-latest.json'), json);
  console.log(json);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
