import type { LinearModel, TrainingOptions } from './linear-model';
import { featuresOf } from './text-features';

export interface TrainingItem {
  readonly service: string;
  readonly text: string;
  readonly categories: readonly string[];
}

export const DEFAULT_TRAINING: TrainingOptions = {
  minServices: 2,
  minProvisions: 3,
  epochs: 30,
  learningRate: 0.5,
  l2: 0.002,
  seed: 20261127,
  minWeight: 0.02,
  maxFeaturesPerClass: 300,
};

/** mulberry32: a small seeded generator, so the visiting order (and so the weights) is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(length: number, random: () => number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Trains the one-vs-rest logistic regression by stochastic gradient descent in a seeded order. The vocabulary keeps
 * only features seen in several services: a word one service alone uses is that service's wording, not the
 * category's, and would not carry over to the services the model has never read.
 */
export function trainLinearModel(
  items: readonly TrainingItem[],
  meta: { version: string; trainingSetHash: string },
  options: TrainingOptions = DEFAULT_TRAINING,
): LinearModel {
  const featureSets = items.map((item) => [...featuresOf(item.text).keys()]);
  const services = new Map<string, Set<string>>();
  const provisions = new Map<string, number>();
  featureSets.forEach((features, i) => {
    for (const feature of features) {
      let seen = services.get(feature);
      if (!seen) services.set(feature, (seen = new Set()));
      seen.add(items[i]!.service);
      provisions.set(feature, (provisions.get(feature) ?? 0) + 1);
    }
  });
  const vocabulary = [...services.keys()]
    .filter(
      (f) => services.get(f)!.size >= options.minServices && provisions.get(f)! >= options.minProvisions,
    )
    .sort();
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const encoded = featureSets.map((features) => {
    const ids = features.map((f) => index.get(f)).filter((i): i is number => i !== undefined);
    // Scaled by the number of features of the text (all of them, as at scoring time).
    return { ids: ids.sort((a, b) => a - b), scale: 1 / Math.sqrt(Math.max(1, features.length)) };
  });
  const classIds = [...new Set(items.flatMap((i) => i.categories))].sort();
  const classes: Record<string, { bias: number; weights: Record<string, number> }> = {};
  for (const id of classIds) {
    const labels = items.map((item) => (item.categories.includes(id) ? 1 : 0));
    const positives = labels.reduce<number>((sum, y) => sum + y, 0);
    // Rare categories get their positives weighted up (square root of the imbalance), else they are never predicted.
    const positiveWeight = Math.sqrt(Math.max(1, (items.length - positives) / Math.max(1, positives)));
    const weights = new Float64Array(vocabulary.length);
    let bias = 0;
    const random = seeded(options.seed);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const rate = options.learningRate / (1 + epoch * 0.1);
      for (const i of shuffled(items.length, random)) {
        const { ids, scale } = encoded[i]!;
        let z = bias;
        for (const f of ids) z += weights[f]! * scale;
        const y = labels[i]!;
        const gradient = (1 / (1 + Math.exp(-z)) - y) * (y === 1 ? positiveWeight : 1);
        for (const f of ids) weights[f] = weights[f]! - rate * gradient * scale;
        bias -= rate * gradient;
      }
      const decay = 1 - rate * options.l2;
      for (let f = 0; f < weights.length; f++) weights[f] = weights[f]! * decay;
    }
    const strongest = vocabulary
      .map((feature, f) => ({ feature, weight: round3(weights[f]!) }))
      .filter((w) => Math.abs(w.weight) >= options.minWeight)
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1))
      .slice(0, options.maxFeaturesPerClass)
      .sort((a, b) => (a.feature < b.feature ? -1 : 1));
    const kept: Record<string, number> = {};
    for (const { feature, weight } of strongest) kept[feature] = weight;
    classes[id] = { bias: round3(bias), weights: kept };
  }
  return {
    version: meta.version,
    trainingSetHash: meta.trainingSetHash,
    trainingServices: [...new Set(items.map((i) => i.service))].sort(),
    trainingProvisions: items.length,
    hyperparameters: options,
    classes,
  };
}
