/**
 * Corpus tier: the governance evaluation (`npm run eval:governance`) as a regression test. Classifies every
 * labelled provision of test/fixtures/governance (texts resolved from the corpus) and asserts floors just under
 * the figures measured when the classifier was last changed, so a change that loses quality fails CI. The floors
 * are not the targets (macro-F1 and article accuracy >= 0.85): eval/README.md reports both.
 *
 * Needs the corpus (../shared/corpus or $TERMLINE_CORPUS_DIR): without it the suite fails, it does not skip.
 */
import {
  runGovernanceEvaluation,
  type GovernanceReport,
} from '../../apps/cli/src/eval/governance-evaluation';
import { loadLabelledProvisions } from '@termline/corpus';

// Measured 2026-11-27 (classifier 1.1.1, taxonomy 2026.11.2, 401 labels; article accuracy on the answer's
// `references`, eval/README.md): all 0.773 / 49.4 %, development 0.833 / 54.9 %, held-out 0.619 / 34.3 %.
const FLOORS = {
  all: { macroF1: 0.76, articleAccuracy: 0.48 },
  development: { macroF1: 0.82, articleAccuracy: 0.53 },
  heldOut: { macroF1: 0.6, articleAccuracy: 0.33 },
};

jest.setTimeout(5 * 60_000);

describe('governance classification on the labelled set (corpus tier)', () => {
  let report: GovernanceReport;

  beforeAll(async () => {
    const provisions = await loadLabelledProvisions();
    report = runGovernanceEvaluation(
      provisions.map((p) => ({
        id: p.id,
        service: p.source.service,
        documentType: p.source.documentType,
        text: p.text,
        categories: p.categories,
        primaryArticles: p.primaryArticles,
      })),
      new Date(),
    );
  });

  it.each(['all', 'development', 'heldOut'] as const)(
    'keeps macro-F1 and article accuracy of %s over floors',
    (split) => {
      expect(report[split].macroF1).toBeGreaterThanOrEqual(FLOORS[split].macroF1);
      expect(report[split].articleAccuracy).toBeGreaterThanOrEqual(FLOORS[split].articleAccuracy);
    },
  );

  it('evaluates the held-out services apart from the development ones', () => {
    expect(report.split.development).toEqual(['ChatGPT', 'Claude.ai', 'Grok']);
    expect(report.heldOut.services).toEqual(expect.arrayContaining(report.split.heldOut));
    expect(report.heldOut.services.some((s) => report.split.development.includes(s))).toBe(false);
    expect(report.development.provisions + report.heldOut.provisions).toBe(report.all.provisions);
  });

  it('scores every category that has labels', () => {
    const labelled = report.all.perCategory.filter((c) => c.support > 0);
    expect(labelled.length).toBeGreaterThanOrEqual(20);
    for (const category of labelled) expect(category.f1).toBeGreaterThan(0);
  });
});
