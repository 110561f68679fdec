/**
 * Corpus tier: the evaluation of issue "What is a version" (`npm run eval:corpus`) run on the whole genai dev
 * corpus, as a test. It replays every snapshot through the versioning code of the services (embedded adapters)
 * and matches the versions with Open Terms Archive's.
 *
 * What it holds Termline to:
 * - the replay itself: every record read is accounted for by exactly one outcome, none is refused (the corpus is
 *   valid OTA data), memory stays bounded (peak RSS under 1 GB while streaming 5 GB);
 * - the version-count target of the issue (at most 0.4 Termline versions per OTA version), which is met;
 * - recall and text equality, whose targets (100 %, 99 %) are not met on this corpus for reasons listed in the
 *   closing note of the issue (changes Termline saw a record earlier than OTA, declarations that changed and
 *   whose history the corpus lacks): here they are held at floors just below what was measured when this suite
 *   was last changed (97.1 % and 86.6 %), so that a regression fails;
 * - every recall miss carries a reason read from Termline's own events.
 *
 * Needs the corpus (../shared/corpus or $TERMLINE_CORPUS_DIR): without it the suite fails, it does not skip.
 * Takes about 5 minutes on 2 cores: `npm run test:corpus`.
 */
import { join } from 'node:path';
import { tempDir } from '@termline/testing';
import {
  corpusFiles,
  runCorpusEvaluation,
  type CorpusEvaluationResults,
} from '../../apps/cli/src/eval/run-corpus-evaluation';

/** Regression floors: the values measured when the suite was written, rounded down. Raise them as they improve. */
const RECALL_FLOOR = 0.95;
const TEXT_EQUALITY_FLOOR = 0.85;
const PEAK_RSS_LIMIT_MB = 1024;

// The replay took about 5 minutes at the last stop and 26 in this stop's CI run: under jest the dense archive's
// delta encoder read the global `Math` per byte, which in jest's vm realm goes through the context's interceptor
// (about 20x slower there than in the built CLI; fixed in snapshot-delta.ts). The limit stays generous because
// the CI machine is shared; it keeps the whole CI run under its 90 minutes.
jest.setTimeout(70 * 60_000);

describe('genai dev corpus evaluation (corpus tier)', () => {
  let results: CorpusEvaluationResults;
  const dir = tempDir('termline-corpus-');

  afterAll(() => dir.remove());

  beforeAll(async () => {
    let report: string[];
    ({ results, report } = await runCorpusEvaluation({
      corpus: corpusFiles(),
      limit: undefined,
      dataDir: null,
      reuse: false,
      out: join(dir.path, 'results.json'),
      windowDays: 7,
      progress: null,
    }));
    // The measured numbers, in the test log: the summary lines of the report (before the per-service table).
    process.stderr.write(`\n${report.slice(0, report.indexOf('')).join('\n')}\n\n`);
  });

  it('accounts for every record read with exactly one outcome and refuses none', () => {
    const { replay } = results;
    expect(replay.records).toBeGreaterThan(0);
    expect(replay.rejected).toBe(0);
    const outcomes = Object.values(replay.outcomes).reduce((sum, n) => sum + n, 0);
    expect(outcomes).toBe(replay.records);
  });

  it('streams the corpus with bounded memory', () => {
    expect(results.replay.peakRssMegabytes).toBeLessThan(PEAK_RSS_LIMIT_MB);
  });

  it('evaluates every OTA version of the corpus', () => {
    expect(results.otaVersionsOutOfScope).toBe(0);
    expect(results.overall.otaVersions).toBeGreaterThan(0);
    const categorised = Object.values(results.overall.byCategory).reduce((sum, n) => sum + n, 0);
    expect(categorised).toBe(results.overall.otaVersions);
  });

  it('records at most 0.4 versions per OTA version (the target of the issue)', () => {
    expect(results.overall.countRatio).not.toBeNull();
    expect(results.overall.countRatio!).toBeLessThanOrEqual(0.4);
    expect(results.targets.countRatio.pass).toBe(true);
  });

  it('keeps recall of OTA substantive changes at or above its floor, and explains every miss', () => {
    expect(results.overall.recall!).toBeGreaterThanOrEqual(RECALL_FLOOR);
    expect(results.recallMisses).toHaveLength(results.overall.substantive - results.overall.recalled);
    for (const miss of results.recallMisses) expect(miss.reason.length).toBeGreaterThan(0);
  });

  it('keeps text equality with OTA at or above its floor', () => {
    expect(results.overall.textCompared).toBeGreaterThan(0);
    expect(results.overall.textEquality!).toBeGreaterThanOrEqual(TEXT_EQUALITY_FLOOR);
  });
});
