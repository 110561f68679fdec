import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusFiles, runCorpusEvaluation } from './eval/run-corpus-evaluation';
import { ProgressReporter } from './replay/progress';
import { runMain } from './run-main';
import { positiveInteger, UsageError } from './replay/replay.command';

/**
 * `npm run eval:corpus`: replays the genai dev corpus through Termline and measures the result against Open
 * Terms Archive's own versions (issue "What is a version", item 7). A measurement: it exits 0 whether or not
 * the targets are met, and says PASS or MISS for each.
 */
const USAGE = `Usage: npm run eval:corpus -- [--limit <n>] [--data <dir> [--reuse]] [--out <file>] [--window-days <d>]

  --limit <n>               replay only the first n records (OTA versions whose snapshots were not all read are left out)
  --data <dir>              replay into this embedded store and keep it (default: a temporary one, removed after)
  --reuse                   do not replay: evaluate the store already in --data (written by an earlier run)
  --out <file>              results (default eval/results/latest.json)
  --window-days <d>         flip-back window for classifying OTA's versions (default 7)
  --progress-interval <s>   seconds between progress lines when stderr is not a terminal (default 10)

Corpus: $TERMLINE_CORPUS_DIR (default ../shared/corpus): genai-snapshots-dev.ndjson.br,
genai-versions-dev.ndjson.br and declarations/.`;

interface EvalArguments {
  limit: number | undefined;
  dataDir: string | null;
  reuse: boolean;
  out: string;
  windowDays: number;
  progressIntervalMs: number;
}

function parseEvalArguments(argv: readonly string[]): EvalArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        limit: { type: 'string' },
        data: { type: 'string' },
        reuse: { type: 'boolean' },
        out: { type: 'string' },
        'window-days': { type: 'string' },
        'progress-interval': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (values.reuse && !values.data) throw new UsageError('--reuse needs --data <dir>');
  if (values.reuse && !existsSync(join(values.data!, 'events.sqlite'))) {
    throw new UsageError(`--reuse: ${values.data} holds no event store`);
  }
  return {
    limit: positiveInteger('--limit', values.limit),
    dataDir: values.data ?? null,
    reuse: values.reuse ?? false,
    out: values.out ?? join('eval', 'results', 'latest.json'),
    windowDays: positiveInteger('--window-days', values['window-days']) ?? 7,
    progressIntervalMs: (positiveInteger('--progress-interval', values['progress-interval']) ?? 10) * 1000,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseEvalArguments(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const { report } = await runCorpusEvaluation({
      corpus: corpusFiles(),
      limit: args.limit,
      dataDir: args.dataDir,
      reuse: args.reuse,
      out: args.out,
      windowDays: args.windowDays,
      progress: args.reuse ? null : new ProgressReporter(process.stderr, args.progressIntervalMs),
    });
    process.stdout.write(`${report.join('\n')}\n\nResults written to ${args.out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`eval:corpus: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) runMain(main);
