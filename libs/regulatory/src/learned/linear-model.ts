import type { CategoryId } from '../taxonomy/categories.data';
import { forEachWord, type FeatureSpan, type WordOptions } from './text-features';

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

/** One stored feature: the categories that weigh it (indexes into {@link CompiledModel.ids}) and their weights. */
interface CompiledFeature {
  readonly feature: string;
  readonly classes: readonly number[];
  readonly weights: readonly number[];
}

/** A word of the vocabulary: its own weights, and the bigrams it opens (keyed by the second word). */
interface CompiledWord {
  own: CompiledFeature | null;
  next: Map<string, CompiledFeature> | null;
}

/**
 * The model turned inside out for scoring: from each feature to the few categories that weigh it, so a text costs
 * one map look-up per word instead of one per word and category, and bigrams are found without building strings.
 */
interface CompiledModel {
  readonly ids: readonly CategoryId[];
  /** Each category's place among the ids in `localeCompare` order: ties in probability are broken by it. */
  readonly idRanks: readonly number[];
  readonly biases: readonly number[];
  readonly words: ReadonlyMap<string, CompiledWord>;
}

const compiledModels = new WeakMap<LinearModel, CompiledModel>();

function compiled(model: LinearModel): CompiledModel {
  const known = compiledModels.get(model);
  if (known) return known;
  const ids = Object.keys(model.classes).sort() as CategoryId[];
  const byFeature = new Map<string, { classes: number[]; weights: number[] }>();
  ids.forEach((id, index) => {
    for (const [feature, weight] of Object.entries(model.classes[id]!.weights)) {
      let entry = byFeature.get(feature);
      if (!entry) byFeature.set(feature, (entry = { classes: [], weights: [] }));
      entry.classes.push(index);
      entry.weights.push(weight);
    }
  });
  const words = new Map<string, CompiledWord>();
  const wordOf = (word: string) => {
    let entry = words.get(word);
    if (!entry) words.set(word, (entry = { own: null, next: null }));
    return entry;
  };
  for (const [feature, entry] of byFeature) {
    const space = feature.indexOf(' ');
    if (space === -1) wordOf(feature).own = { feature, ...entry };
    else
      (wordOf(feature.slice(0, space)).next ??= new Map()).set(feature.slice(space + 1), {
        feature,
        ...entry,
      });
  }
  const byLocale = [...ids].sort((a, b) => a.localeCompare(b));
  const idRanks = ids.map((id) => byLocale.indexOf(id));
  const result = { ids, idRanks, biases: ids.map((id) => model.classes[id]!.bias), words };
  compiledModels.set(model, result);
  return result;
}

/** A stored feature found in a text, at its first occurrence. */
interface PresentFeature {
  readonly feature: CompiledFeature;
  readonly span: FeatureSpan;
}

/** The probabilities of a text, highest first, and the features behind them (their evidence, on demand). */
export interface ModelReading {
  readonly scores: readonly { readonly id: CategoryId; readonly probability: number }[];
  /** The features that pushed a category up most, strongest first, with their spans. */
  evidenceFor(id: CategoryId): ModelScore['evidence'];
}

/**
 * Scores a text. Features are scaled by 1/sqrt(n) as in training (n: every distinct unigram and bigram of the text,
 * stored or not), so long sections do not saturate every class. Words are numbered as they come, so distinct
 * bigrams are counted as pairs of numbers rather than as strings.
 */
export function readWithModel(model: LinearModel, text: string, options: WordOptions = {}): ModelReading {
  const { ids, idRanks, biases, words } = compiled(model);
  const sums = new Array<number>(ids.length).fill(0);
  const present: PresentFeature[] = [];
  const add = (feature: CompiledFeature, start: number, end: number) => {
    for (let i = 0; i < feature.classes.length; i++) sums[feature.classes[i]!]! += feature.weights[i]!;
    present.push({ feature, span: { start, end } });
  };
  const numbers = new Map<string, number>();
  // The vocabulary entry of each word number, looked up once per distinct word.
  const entries: (CompiledWord | undefined)[] = [];
  const pairs = new Set<number>();
  let previous = -1;
  let previousWord: CompiledWord | undefined;
  let previousStart = 0;
  forEachWord(
    text,
    (word, start, end, joined) => {
      let number = numbers.get(word);
      if (number === undefined) {
        number = numbers.size;
        numbers.set(word, number);
        const found = words.get(word);
        entries.push(found);
        if (found?.own) add(found.own, start, end);
      }
      const entry = entries[number];
      if (joined) {
        // At most 2 000 words fit the 6 000 characters read (two letters and a separator each): the pair is exact
        // and stays a small integer (no heap number per bigram).
        const before = pairs.size;
        pairs.add(previous * 4096 + number);
        if (pairs.size > before) {
          const bigram = previousWord?.next?.get(word);
          if (bigram) add(bigram, previousStart, end);
        }
      }
      previous = number;
      previousWord = entry;
      previousStart = start;
    },
    options,
  );
  const scale = 1 / Math.sqrt(Math.max(1, numbers.size + pairs.size));
  const ranked = ids.map((id, i) => ({
    id,
    probability: Math.round(sigmoid(biases[i]! + sums[i]! * scale) * 1000) / 1000,
    rank: idRanks[i]!,
  }));
  // Ties by id in `localeCompare` order, through the ranks computed once (the comparison itself is slow).
  ranked.sort((a, b) => b.probability - a.probability || a.rank - b.rank);
  const scores = ranked.map(({ id, probability }) => ({ id, probability }));
  return {
    scores,
    evidenceFor(id) {
      const index = ids.indexOf(id);
      const evidence: { feature: string; weight: number; span: FeatureSpan }[] = [];
      for (const { feature, span } of present) {
        const at = feature.classes.indexOf(index);
        const weight = at === -1 ? 0 : feature.weights[at]!;
        if (weight > 0) evidence.push({ feature: feature.feature, weight, span });
      }
      evidence.sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature));
      return evidence.slice(0, MAX_EVIDENCE);
    },
  };
}

/** The probability of every category of the model for a text, highest first (ties by id, so the order is stable). */
export function scoreWithModel(model: LinearModel, text: string): ModelScore[] {
  const reading = readWithModel(model, text);
  return reading.scores.map((s) => ({ ...s, evidence: reading.evidenceFor(s.id) }));
}
