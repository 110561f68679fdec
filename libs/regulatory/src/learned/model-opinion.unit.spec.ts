import { createHash } from 'node:crypto';
import {
  CLASSIFIER_VERSION,
  classifyByRules,
  classifyProvision,
  classifyWithModel,
  GOVERNANCE_MODEL,
  referencesForCategories,
  type CategoryResult,
} from '@termline/regulatory';
import { DEFAULT_TRAINING } from './train-linear-model';
import { readWithModel, type LinearModel } from './linear-model';
import { MODEL_INFO, WIRED_COMBINATION, withModelOpinion } from './model-opinion';

/**
 * Classifier 1.5.0: the learned component as a second opinion after the rules. The wiring is checked with a
 * hand-made model (so each probability is known), then through classifyProvision with the shipped weights.
 */
const handMade: LinearModel = {
  version: 'hand-made',
  trainingSetHash: 'none',
  trainingServices: [],
  trainingProvisions: 0,
  hyperparameters: DEFAULT_TRAINING,
  classes: {
    // Sure of security whatever the text: sigmoid(5) = 0.993.
    'security-breach': { bias: 5, weights: {} },
    // Sure it is not about retention: sigmoid(-6) = 0.002, under the 0.02 veto.
    retention: { bias: -6, weights: {} },
    // Children from "parental consent" (minus a little for "consent"), scaled by 1/sqrt(number of features).
    children: { bias: -1, weights: { 'parental consent': 8, consent: -0.5 } },
    none: { bias: -3, weights: {} },
  },
};

// Three features: "parental", "consent", "parental consent".
const TEXT = 'Parental consent.';
const CHILDREN_P = 1 / (1 + Math.exp(-(-1 + (8 - 0.5) / Math.sqrt(3))));
const rule = (id: CategoryResult['id'], confidence: number): CategoryResult => ({
  id,
  confidence,
  evidence: [{ phrase: 'Parental', start: 0, end: 8 }],
});

describe('withModelOpinion (add >= 0.4, veto < 0.02)', () => {
  it('keeps the rules categories marked as such and adds a sure model category with its words as evidence', () => {
    const combined = withModelOpinion([rule('security-breach', 0.7)], TEXT, handMade);
    expect(combined.map((c) => [c.id, c.source])).toEqual([
      ['security-breach', 'rules'],
      ['children', 'model'],
    ]);
    // The rules' own confidence and evidence are untouched.
    expect(combined[0]).toEqual({ ...rule('security-breach', 0.7), source: 'rules' });
    const children = combined[1]!;
    expect(children.confidence).toBe(Math.round(CHILDREN_P * 100) / 100);
    expect(children.confidence).toBeGreaterThan(0.9);
    // Only positively weighted features are evidence ("consent" weighs against), and each span slices to its phrase.
    expect(children.evidence).toEqual([{ phrase: 'Parental consent', start: 0, end: 16 }]);
    for (const e of children.evidence) expect(TEXT.slice(e.start, e.end)).toBe(e.phrase);
  });

  it('drops a further rule category the model finds unlikely, and does not report it', () => {
    const combined = withModelOpinion([rule('security-breach', 0.7), rule('retention', 0.6)], TEXT, handMade);
    expect(combined.map((c) => c.id)).toEqual(['security-breach', 'children']);
  });

  it('never drops the main category, however unlikely the model finds it', () => {
    const combined = withModelOpinion([rule('retention', 0.6), rule('security-breach', 0.7)], TEXT, handMade);
    expect(combined.map((c) => [c.id, c.source])).toEqual([
      ['retention', 'rules'],
      ['security-breach', 'rules'],
      ['children', 'model'],
    ]);
  });

  it('does not add a category a decisive negative cue of the rules refuted in this text (1.6.0)', () => {
    const combined = withModelOpinion(
      [rule('security-breach', 0.7)],
      TEXT,
      handMade,
      WIRED_COMBINATION,
      new Set(['children'] as const),
    );
    expect(combined.map((c) => c.id)).toEqual(['security-breach']);
  });

  it('leaves a `none` of the rules alone (the wired rule never fills it)', () => {
    const none: CategoryResult = { id: 'none', confidence: 0.8, evidence: [] };
    expect(withModelOpinion([none], TEXT, handMade)).toEqual([{ ...none, source: 'rules' }]);
  });

  it('is the combination chosen before the blind measure, not another', () => {
    expect(WIRED_COMBINATION).toMatchObject({ fillNone: null, add: 0.4, veto: 0.02 });
    expect(MODEL_INFO).toEqual({
      version: GOVERNANCE_MODEL.version,
      trainingSetHash: GOVERNANCE_MODEL.trainingSetHash,
      trainingProvisions: GOVERNANCE_MODEL.trainingProvisions,
      combination: { add: 0.4, veto: 0.02 },
    });
  });
});

describe('classifyProvision with the shipped weights (1.12.0)', () => {
  // Written for this spec: a retention clause that also shares with service providers, which the rules' retention
  // reading leaves out and the model picks up.
  const input = {
    text: 'We keep your messages for as long as your account is open, and we share them with our service providers.',
  };

  it('adds the model category after the rules one, with spans that slice to its phrases', () => {
    const result = classifyProvision(input);
    expect(result.categories[0]).toMatchObject({ id: 'retention', source: 'rules' });
    const added = result.categories.filter((c) => c.source === 'model');
    // The 780-label weights (1.6.0) also read "as long as your account is open" as termination; the 1,102-label
    // ones (1.7.0) no longer do.
    expect(added.map((c) => c.id)).toEqual(['sub-processors']);
    expect(added[0]!.confidence).toBeGreaterThanOrEqual(0.4);
    expect(added[0]!.confidence).toBeLessThanOrEqual(1);
    expect(added[0]!.evidence.length).toBeGreaterThan(0);
    for (const e of added[0]!.evidence) {
      expect(input.text.slice(e.start, e.end)).toBe(e.phrase);
      expect(e.phrase.length).toBeGreaterThan(1);
    }
    expect(added[0]!.evidence.map((e) => e.phrase)).toContain('service providers');
  });

  it('derives references from the combined categories', () => {
    const result = classifyProvision(input);
    const rulesOnly = new Set(referencesForCategories(input, ['retention']).map((r) => r.id));
    // The processors category brings references the retention category alone does not have.
    expect(result.references.some((r) => !rulesOnly.has(r.id))).toBe(true);
  });

  it('is deterministic and names the classifier and the weights behind the answer', () => {
    const first = classifyProvision(input);
    expect(classifyProvision({ ...input })).toEqual(first);
    expect(first.classifierVersion).toBe(CLASSIFIER_VERSION);
    expect(CLASSIFIER_VERSION).toBe('1.12.0');
    expect(first.model).toEqual(MODEL_INFO);
    expect(first.model?.trainingSetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.model?.trainingProvisions).toBe(1102);
  });

  it('ships the weights that go with this classifier version', () => {
    // New weights change answers without a change of rule: they need a new CLASSIFIER_VERSION (the projection's
    // generation follows it). Update both lines together after `npm run train:governance`.
    const weights = createHash('sha256').update(JSON.stringify(GOVERNANCE_MODEL.classes)).digest('hex');
    expect({ classifier: CLASSIFIER_VERSION, weights: weights.slice(0, 16) }).toEqual({
      // 1.8.0 to 1.12.0 changed rules only: the weights are those of 1.7.0.
      classifier: '1.12.0',
      weights: 'd3b72e9fa923d54b',
    });
  });

  it('runs the same pipeline with other weights (a LOSO fold) and names them', () => {
    const other: LinearModel = { ...handMade, trainingProvisions: 3 };
    const result = classifyWithModel({ text: 'We keep your messages. Parental consent.' }, other);
    expect(result.categories.map((c) => [c.id, c.source])).toContainEqual(['security-breach', 'model']);
    expect(result.model).toMatchObject({ version: 'hand-made', trainingProvisions: 3 });
  });

  it('answers with the rules alone when asked (the comparison the LOSO harness makes)', () => {
    const rulesOnly = classifyByRules(input);
    expect(rulesOnly.categories.map((c) => [c.id, c.source])).toEqual([['retention', 'rules']]);
    expect(rulesOnly.model).toBeNull();
  });

  it('reads the opening only: words after the first 6 000 characters change nothing', () => {
    const filler = 'lorem '.repeat(1000);
    const late = readWithModel(handMade, `${filler}Parental consent.`).scores;
    expect(late).toEqual(readWithModel(handMade, filler).scores);
    expect(
      readWithModel(handMade, TEXT).scores.find((s) => s.id === 'children')!.probability,
    ).toBeGreaterThan(late.find((s) => s.id === 'children')!.probability);
  });
});
