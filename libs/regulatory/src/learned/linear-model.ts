import type { CategoryId } from '../taxonomy/categories.data';
import { featuresOf, type FeatureSpan } from './text-features';

/**
 * A one-vs-rest logistic regression over binary word features: one bias and one sparse weight map per category
 * (`none` included). Built by `npm run train:governance` from the development and tuning labels only; the file
 * holds words and weights, never a provision's text.
 */
export interface LinearModel {
  readonly version: string;
  /** sha256 of the training labels (ids, text hashes, categories), so a stale model can be told from a fresh one. */
  readonly trainingSetHash: string;
  readonly trainingServices: readonly string[];
  readonly trainingProvisions: number;
  readonly hyperparameters: TrainingOptions;
  readonly classes: Readonly<
    Record<string, { readonly bias: number; readonly weights: Readonly<Record<string, number>> }>
  >;
}

export interface TrainingOptions {
  /** A feature enters the vocabulary when it occurs in at least this many training services … */
  readonly minServices: number;
  /** … and in at least this many training provisions. */
  readonly minProvisions: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty per update. */
  readonly l2: number;
  readonly seed: number;
  /** Weights smaller than this in magnitude are not stored … */
  readonly minWeight: number;
  /** … nor more than this many per category (the largest in magnitude): the file stays small and readable. */
  readonly maxFeaturesPerClass: number;
}

export interface ModelScore {
  readonly id: CategoryId;
  readonly probability: number;
  /** The features of the text that pushed the probability up most, with their spans. */
  readonly evidence: readonly {
    readonly feature: string;
    readonly weight: number;
    readonly span: FeatureSpan;
  }[];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const MAX_EVIDENCE = 4;

/**
 * The probability of every category of the model for a text, highest first (ties by id, so the order is stable).
 * Features are scaled by 1/sqrt(n) as in training, so long sections do not saturate every class.
 */
export function scoreWithModel(model: LinearModel, text: string): ModelScore[] {
  const features = featuresOf(text);
  const scale = 1 / Math.sqrt(Math.max(1, features.size));
  const scores: ModelScore[] = [];
  for (const id of Object.keys(model.classes).sort()) {
    const cls = model.classes[id]!;
    let z = cls.bias;
    const evidence: { feature: string; weight: number; span: FeatureSpan }[] = [];
    for (const [feature, span] of features) {
      const weight = cls.weights[feature];
      if (weight === undefined) continue;
      z += weight * scale;
      if (weight > 0) evidence.push({ feature, weight, span });
    }
    evidence.sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature));
    scores.push({
      id: id as CategoryId,
      probability: Math.round(sigmoid(z) * 1000) / 1000,
      evidence: evidence.slice(0, MAX_EVIDENCE),
    });
  }
  return scores.sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id));
}
