import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLabelledProvisions, type LabelledProvision } from '@termline/corpus';
import { DEFAULT_TRAINING, trainLinearModel, type LabelledItem } from '@termline/regulatory';
import {
  bestCombination,
  foldModels,
  formatLoso,
  formatShippedLoso,
  runLoso,
  runShippedLoso,
} from './eval/governance-loso';
import { runMain } from './run-main';

/**
 * `npm run train:governance`: trains the learned component on every labelled provision and writes its weights to
 * libs/regulatory; `-- --loso` prints the leave-one-service-out table instead. The old held-out split is retired as
 * a measure (ADR 0023): the blind split labelled apart is what judges the classifier now, and it is left out of training.
 */
const USAGE = `Usage: npm run train:governance -- [--loso] [--out <file>]

  --loso         leave-one-service-out over every labelled service (writes no model): the combination grid, then
                 the classifier as shipped (rules + fold model) with and without service and document type
  --shipped-only with --loso: the shipped classifier's figures alone (skips the grid)
  --out <file>   where the weights go (default libs/regulatory/src/learned/governance-model.data.json)`;

export const MODEL_FILE = join('libs', 'regulatory', 'src', 'learned', 'governance-model.data.json');
export const MODEL_VERSION = '1';

/** sha256 of the training labels: ids, text hashes and categories, in id order. */
export function trainingSetHash(provisions: readonly LabelledProvision[]): string {
  const lines = provisions
    .map((p) => `${p.id}\t${p.textSha256}\t${p.categories.join(',')}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(lines, 'utf8').digest('hex');
}

const toItem = (p: LabelledProvision): LabelledItem => ({
  id: p.id,
  service: p.source.service,
  documentType: p.source.documentType,
  text: p.text,
  categories: p.categories,
  primaryArticles: p.primaryArticles,
});

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        loso: { type: 'boolean' },
        'shipped-only': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`train:governance: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The labels live in the source tree, not beside the compiled loader.
  const all = await loadLabelledProvisions({
    labelsFile: resolve(join('test', 'fixtures', 'governance', 'labelled-provisions.ndjson')),
  });
  // The blind split (ADR 0022) never trains anything: it is what judges the classifier.
  const training = all.filter((p) => p.split !== 'blind');
  if (values.loso) {
    const items = training.map(toItem);
    const models = foldModels(items);
    const shipped = [runShippedLoso(items, models), runShippedLoso(items, models, { textOnly: true })];
    const result = values['shipped-only'] ? null : runLoso(items, undefined, models);
    const best = result ? bestCombination(result) : undefined;
    process.stdout.write(
      (result
        ? `${formatLoso(result).join('\n')}\n\nbest combination keeping article accuracy: ` +
          `${best ? `${best.rule.name} (mean ${best.meanMacroF1.toFixed(3)} vs rules ${result.rows[0]!.meanMacroF1.toFixed(3)})` : 'none'}\n\n`
        : '') + `${formatShippedLoso(shipped).join('\n')}\n`,
    );
    const out = join('eval', 'results', 'governance-loso.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ shipped, grid: result }, null, 2)}\n`);
    process.stdout.write(`Results written to ${out}\n`);
    return 0;
  }
  const model = trainLinearModel(
    training.map(toItem),
    { version: MODEL_VERSION, trainingSetHash: trainingSetHash(training) },
    DEFAULT_TRAINING,
  );
  const out = resolve(values.out ?? MODEL_FILE);
  writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
  const stored = Object.values(model.classes).reduce((sum, c) => sum + Object.keys(c.weights).length, 0);
  process.stdout.write(
    `Trained on ${model.trainingProvisions} provisions of ${model.trainingServices.length} services ` +
      `(${Object.keys(model.classes).length} classes, ${stored} weights stored; training set ${model.trainingSetHash.slice(0, 12)}).\n` +
      `Weights written to ${out}\n`,
  );
  return 0;
}

if (require.main === module) runMain(main);
