import {
  classifyProvision,
  classifyWithModel,
  evaluateGovernance,
  type LabelledItem,
} from '@termline/regulatory';
import {
  bestCombination,
  combinationGrid,
  foldModels,
  formatLoso,
  formatShippedLoso,
  runLoso,
  runShippedLoso,
  type LosoResult,
} from './governance-loso';

// Synthetic provisions written for this test: two categories worded alike by three services.
const ITEMS: LabelledItem[] = ['Alpha', 'Beta', 'Gamma'].flatMap((service, s) =>
  [
    {
      text: 'We retain your personal data for 30 days after you delete your account.',
      categories: ['retention'],
    },
    {
      text: 'Any dispute will be resolved by binding arbitration and you waive any class action.',
      categories: ['arbitration-class-waiver'],
    },
    { text: `Welcome to ${service}.`, categories: ['none'] },
  ].map((p, i) => ({
    ...p,
    id: `${s}-${i}`,
    service,
    documentType: 'Terms of Service',
    primaryArticles: [],
  })),
);

describe('runLoso', () => {
  const grid = [
    { name: 'rules alone', fillNone: null, add: null, veto: null },
    { name: 'model alone', fillNone: null, add: null, veto: null, modelOnly: true, modelThreshold: 0.5 },
    { name: 'fill none 0.5', fillNone: 0.5, add: null, veto: null },
  ];

  it('scores each left-out service, the rules row being the classifier itself', () => {
    const result = runLoso(ITEMS, grid);
    expect(result.services).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(result.rows.map((r) => r.rule.name)).toEqual(['rules alone', 'model alone', 'fill none 0.5']);
    for (const service of result.services) {
      const own = ITEMS.filter((i) => i.service === service);
      expect(result.rows[0]!.perService[service]).toBe(evaluateGovernance(own, classifyProvision).macroF1);
    }
  });

  it('prints one line per row with a column per service', () => {
    const lines = formatLoso(runLoso(ITEMS, grid));
    expect(lines.find((l) => l.startsWith('combination'))).toMatch(/Alpha +Beta +Gamma$/);
    // "rules alone", mean, pooled, article accuracy, then the three services.
    expect(
      lines
        .find((l) => l.startsWith('rules alone'))!
        .trim()
        .split(/ +/),
    ).toHaveLength(2 + 3 + 3);
    expect(lines.filter((l) => /^(rules|model|fill)/.test(l))).toHaveLength(3);
  });
});

describe('runShippedLoso', () => {
  const models = foldModels(ITEMS);

  it('trains one model per service, each without that service', () => {
    expect([...models.keys()]).toEqual(['Alpha', 'Beta', 'Gamma']);
    for (const [service, model] of models) expect(model.trainingServices).not.toContain(service);
  });

  it('classifies each provision with the model of its own fold, as the shipped classifier would', () => {
    const shipped = runShippedLoso(ITEMS, models);
    const byHand = evaluateGovernance(ITEMS, (input) =>
      classifyWithModel(input, models.get(input.service!)!),
    );
    expect(shipped.textOnly).toBe(false);
    expect(shipped.pooled.provisions).toBe(ITEMS.length);
    expect(shipped.pooled.macroF1).toBe(byHand.macroF1);
    expect(shipped.pooled.outcomes.map((o) => o.predicted)).toEqual(byHand.outcomes.map((o) => o.predicted));
    expect(Object.keys(shipped.perService)).toEqual(['Alpha', 'Beta', 'Gamma']);
  });

  it('withholds service and document type in text-only mode and says so', () => {
    const seen: string[] = [];
    const textOnly = runShippedLoso(
      ITEMS.map((i) => ({ ...i, documentType: 'Data Processing Agreement' })),
      models,
      { textOnly: true },
    );
    expect(textOnly.textOnly).toBe(true);
    expect(textOnly.pooled.oracle).toBeDefined();
    seen.push(...formatShippedLoso([textOnly]));
    expect(seen.join('\n')).toMatch(/text only +macro-F1 \d\.\d{3}, article accuracy/);
  });
});

describe('bestCombination', () => {
  const row = (name: string, mean: number, articles: number, modelOnly = false) => ({
    rule: { name, fillNone: null, add: null, veto: null, modelOnly },
    perService: {},
    meanMacroF1: mean,
    pooledMacroF1: mean,
    articleAccuracy: articles,
  });

  it('takes the best mean macro-F1 among combinations that keep the rules article accuracy', () => {
    const result: LosoResult = {
      services: [],
      rows: [
        row('rules alone', 0.8, 0.7),
        row('model', 0.95, 0.9, true),
        row('loses articles', 0.9, 0.6),
        row('keeps articles', 0.85, 0.7),
      ],
    };
    expect(bestCombination(result)?.rule.name).toBe('keeps articles');
  });

  it('has the rules alone first in the grid, then the model alone', () => {
    const [first, second] = combinationGrid();
    expect(first).toEqual({ name: 'rules alone', fillNone: null, add: null, veto: null });
    expect(second?.modelOnly).toBe(true);
  });
});
