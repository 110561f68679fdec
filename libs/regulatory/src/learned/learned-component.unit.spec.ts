import { combineWithModel, type CombinationRule } from './combine-with-model';
import { scoreWithModel, type LinearModel, type ModelScore } from './linear-model';
import { featuresOf } from './text-features';
import { DEFAULT_TRAINING, trainLinearModel, type TrainingItem } from './train-linear-model';

// A small synthetic set (written for this test): two categories, each worded alike by three services.
const SYNTHETIC: TrainingItem[] = ['Alpha', 'Beta', 'Gamma'].flatMap((service) => [
  {
    service,
    text: 'We keep your data retention period for ninety days before deletion.',
    categories: ['retention'],
  },
  { service, text: 'Data retention lasts until deletion of the account.', categories: ['retention'] },
  {
    service,
    text: 'Disputes go to binding arbitration and you waive any class action.',
    categories: ['arbitration-class-waiver'],
  },
  {
    service,
    text: 'Binding arbitration applies; class action claims are waived.',
    categories: ['arbitration-class-waiver'],
  },
  { service, text: `Contact ${service} support at the address below.`, categories: ['none'] },
]);
const META = { version: 'test', trainingSetHash: 'synthetic' };

describe('featuresOf', () => {
  it('gives unigrams and bigrams with the span of their first occurrence, skipping stopwords and link targets', () => {
    const text =
      'Binding Arbitration of [claims](https://example.com/arbitration-rules) and the class action.';
    const features = featuresOf(text);
    expect(features.get('binding arbitration')).toEqual({ start: 0, end: 19 });
    expect(text.slice(features.get('class action')!.start, features.get('class action')!.end)).toBe(
      'class action',
    );
    expect(features.has('the')).toBe(false);
    expect(features.has('example')).toBe(false);
    expect(features.has('arbitration-rules')).toBe(false);
  });
});

describe('trainLinearModel', () => {
  it('is deterministic: the same items give the same weights twice', () => {
    const first = trainLinearModel(SYNTHETIC, META);
    const second = trainLinearModel([...SYNTHETIC], META);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('depends on the seed (the order of visits), so the seed is what makes it reproducible', () => {
    const other = trainLinearModel(SYNTHETIC, META, { ...DEFAULT_TRAINING, seed: 7, epochs: 2 });
    const base = trainLinearModel(SYNTHETIC, META, { ...DEFAULT_TRAINING, epochs: 2 });
    expect(JSON.stringify(other.classes)).not.toBe(JSON.stringify(base.classes));
  });

  it('keeps only features seen in several services and records the training set', () => {
    const model = trainLinearModel(SYNTHETIC, META);
    const features = new Set(Object.values(model.classes).flatMap((c) => Object.keys(c.weights)));
    expect(features.has('arbitration')).toBe(true);
    // The service names appear in one service each: never in the vocabulary.
    expect(features.has('alpha')).toBe(false);
    expect(model.trainingServices).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(model.trainingProvisions).toBe(SYNTHETIC.length);
    expect(Object.keys(model.classes).sort()).toEqual(['arbitration-class-waiver', 'none', 'retention']);
  });

  it('learns the categories of unseen wording built from the same words', () => {
    const model = trainLinearModel(SYNTHETIC, META);
    const [top] = scoreWithModel(model, 'Any dispute is settled by binding arbitration, no class action.');
    expect(top!.id).toBe('arbitration-class-waiver');
    expect(top!.probability).toBeGreaterThan(0.5);
  });
});

describe('scoreWithModel', () => {
  const model: LinearModel = {
    version: 'test',
    trainingSetHash: 'hand-made',
    trainingServices: [],
    trainingProvisions: 0,
    hyperparameters: DEFAULT_TRAINING,
    classes: {
      retention: { bias: -1, weights: { retain: 4, 'retain data': 2, delete: -3 } },
      none: { bias: 0, weights: {} },
    },
  };

  it('adds the weights of the features present, scaled by 1/sqrt(number of features), through a sigmoid', () => {
    // Features: retain, data, retain data (3): z = -1 + (4 + 2) / sqrt(3).
    const scores = scoreWithModel(model, 'Retain data.');
    const expected = 1 / (1 + Math.exp(-(-1 + 6 / Math.sqrt(3))));
    expect(scores[0]!.id).toBe('retention');
    expect(scores[0]!.probability).toBeCloseTo(expected, 3);
    expect(scores[1]).toEqual({ id: 'none', probability: 0.5, evidence: [] });
  });

  it('lists the positively weighted features as evidence, strongest first, with their spans', () => {
    const [retention] = scoreWithModel(model, 'We retain data and delete it.');
    expect(retention!.evidence.map((e) => e.feature)).toEqual(['retain', 'retain data']);
    expect(retention!.evidence[0]!.span).toEqual({ start: 3, end: 9 });
  });
});

describe('combineWithModel', () => {
  const scores: ModelScore[] = [
    { id: 'retention', probability: 0.9, evidence: [] },
    { id: 'none', probability: 0.6, evidence: [] },
    { id: 'children', probability: 0.45, evidence: [] },
    { id: 'cookies-trackers', probability: 0.01, evidence: [] },
  ];
  const rule = (overrides: Partial<CombinationRule>): CombinationRule => ({
    name: 'test',
    fillNone: null,
    add: null,
    veto: null,
    ...overrides,
  });
  const ids = (combined: { id: string }[]) => combined.map((c) => c.id);

  it('keeps the rules answer when every option is off', () => {
    expect(ids(combineWithModel(['children', 'cookies-trackers'], scores, rule({})))).toEqual([
      'children',
      'cookies-trackers',
    ]);
  });

  it('fills a `none` of the rules with the model categories above the threshold, never with `none`', () => {
    expect(combineWithModel(['none'], scores, rule({ fillNone: 0.4 }))).toEqual([
      { id: 'retention', source: 'model' },
      { id: 'children', source: 'model' },
    ]);
    expect(ids(combineWithModel(['none'], scores, rule({ fillNone: 0.95 })))).toEqual(['none']);
  });

  it('adds sure categories after the rules ones and vetoes only further categories', () => {
    expect(combineWithModel(['children'], scores, rule({ add: 0.8 }))).toEqual([
      { id: 'children', source: 'rules' },
      { id: 'retention', source: 'model' },
    ]);
    // The main category stays even when the model doubts it; a further one goes.
    expect(
      ids(combineWithModel(['cookies-trackers', 'children', 'retention'], scores, rule({ veto: 0.05 }))),
    ).toEqual(['cookies-trackers', 'children', 'retention']);
    expect(ids(combineWithModel(['children', 'cookies-trackers'], scores, rule({ veto: 0.05 })))).toEqual([
      'children',
    ]);
  });

  it('answers from the model alone when asked, `none` when nothing passes', () => {
    expect(
      ids(combineWithModel(['children'], scores, rule({ modelOnly: true, modelThreshold: 0.5 }))),
    ).toEqual(['retention']);
    expect(
      ids(combineWithModel(['children'], scores, rule({ modelOnly: true, modelThreshold: 0.99 }))),
    ).toEqual(['none']);
  });
});
