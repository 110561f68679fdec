import type { CategoryResult, Evidence } from '../classifier/classify-provision';
import type { CategoryId } from '../taxonomy/categories.data';
import { combineWithModel, type CombinationRule } from './combine-with-model';
import MODEL_DATA from './governance-model.data.json';
import { readWithModel, type LinearModel } from './linear-model';

/** The shipped weights (`npm run train:governance`, every non-blind label: 780 for 1.6.0; ADR 0019, 0023, 0028). */
export const GOVERNANCE_MODEL: LinearModel = MODEL_DATA;

/**
 * The combination wired into the classifier, chosen before it was measured on the blind split and not tuned since
 * (ADR 0019, amendment): add a category the model gives at least 0.4, drop a further rule category it gives under
 * 0.02, never touch the main category nor fill a `none`. Re-checked by leave-one-service-out for 1.6.0 (ADR 0028):
 * no other threshold gained macro-F1 without losing article accuracy.
 */
export const WIRED_COMBINATION: CombinationRule = {
  name: 'add 0.4, veto 0.02',
  fillNone: null,
  add: 0.4,
  veto: 0.02,
};

/** What an answer names so that it can be traced to the weights and the rule behind it. */
export interface ModelInfo {
  readonly version: string;
  /** sha256 of the training labels (ids, text hashes, categories). */
  readonly trainingSetHash: string;
  readonly trainingProvisions: number;
  readonly combination: { readonly add: number | null; readonly veto: number | null };
}

export const MODEL_INFO: ModelInfo = {
  version: GOVERNANCE_MODEL.version,
  trainingSetHash: GOVERNANCE_MODEL.trainingSetHash,
  trainingProvisions: GOVERNANCE_MODEL.trainingProvisions,
  combination: { add: WIRED_COMBINATION.add, veto: WIRED_COMBINATION.veto },
};

/**
 * The rules' categories with the model's second opinion: a vetoed further category is gone, a category the model
 * adds carries its probability as confidence and the words that weighed most for it as evidence. `text` is the text
 * the rules scanned (link targets already blanked, same offsets as the input); the model reads its first 6 000
 * characters. `lower`: that text lower-cased, when the caller has it (not lower-cased twice).
 */
export function withModelOpinion(
  rules: readonly CategoryResult[],
  text: string,
  model: LinearModel = GOVERNANCE_MODEL,
  rule: CombinationRule = WIRED_COMBINATION,
  refuted: ReadonlySet<CategoryId> = new Set(),
  lower?: string,
): CategoryResult[] {
  const reading = readWithModel(model, text, { linksMasked: true, lower });
  const byId = new Map(rules.map((category) => [category.id, category]));
  return combineWithModel(
    rules.map((category) => category.id),
    reading.scores,
    rule,
    refuted,
  ).map(({ id, source }) => {
    const found = byId.get(id);
    if (source === 'rules' && found) return { ...found, source };
    const probability = reading.scores.find((s) => s.id === id)?.probability ?? 0;
    const evidence: Evidence[] = reading
      .evidenceFor(id)
      // A span is empty when lower-casing changed the text's length (offsets unknown): no phrase to show.
      .filter(({ span }) => span.end > span.start)
      .map(({ span }) => ({ phrase: text.slice(span.start, span.end), start: span.start, end: span.end }));
    return { id, confidence: Math.round(probability * 100) / 100, evidence, source: 'model' as const };
  });
}
