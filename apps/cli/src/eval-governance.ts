import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatGovernanceReport,
  runGovernanceEvaluation,
  writeGovernanceReport,
} from './eval/governance-evaluation';
import { loadLabelledProvisions } from '@termline/corpus';
import { UsageError } from './replay/replay.command';
import { runMain } from './run-main';

/**
 * `npm run eval:governance`: classifies every labelled provision of test/fixtures/governance (texts resolved from
 * the corpus) and prints precision, recall and F1 per category, macro-F1, article accuracy, the development and
 * held-out splits and the classification time. A measurement: exits 0 whether or not the targets are met.
 */
const USAGE = `Usage: npm run eval:governance -- [--out <file>] [--labels <file>] [--text-only] [--blind]

  --out <file>      results (default eval/results/governance-latest.json)
  --labels <file>   labelled provisions (default test/fixtures/governance/labelled-provisions.ndjson)
  --text-only       classify the text alone, without service or document type (as POST /v1/classify may be called)
  --blind           also measure the blind split (aggregates only); it is kept for a release's final measure

Corpus: $TERMLINE_CORPUS_DIR (default ../shared/corpus): genai-versions-dev.ndjson.br.`;

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        out: { type: 'string' },
        labels: { type: 'string' },
        'text-only': { type: 'boolean' },
        blind: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`eval:governance: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = values.out ?? join('eval', 'results', 'governance-latest.json');
  // The labels live in the source tree, not beside the compiled loader.
  const labelsFile = resolve(
    values.labels ?? join('test', 'fixtures', 'governance', 'labelled-provisions.ndjson'),
  );
  try {
    const provisions = await loadLabelledProvisions({ labelsFile });
    const items = provisions.map((p) => ({
      id: p.id,
      service: p.source.service,
      documentType: p.source.documentType,
      text: p.text,
      categories: p.categories,
      primaryArticles: p.primaryArticles,
      ...(p.split ? { split: p.split } : {}),
    }));
    const report = runGovernanceEvaluation(items, new Date(), {
      textOnly: values['text-only'] === true,
      blind: values.blind === true,
    });
    writeGovernanceReport(report, out);
    process.stdout.write(`${formatGovernanceReport(report).join('\n')}\n\nResults written to ${out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`eval:governance: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) runMain(main);
