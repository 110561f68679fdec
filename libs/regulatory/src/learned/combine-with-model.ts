import type { CategoryId } from '../taxonomy/categories.data';
import type { ModelScore } from './linear-model';

/**
 * How the model's probabilities change the rules' categories. The rules stay in charge: the model may only fill a
 * `none` the rules gave, add a category it is sure of, or drop a further (never the main) category the rules found
 * weakly and it finds unlikely.
 */
export interface CombinationRule {
  readonly name: string;
  /** Rules said `none`: the model's categories from this probability replace it (null: never). */
  readonly fillNone: number | null;
  /** A category the rules did not report is added from this probability (null: never). */
  readonly add: number | null;
  /** A further rule category is dropped when the model gives it less than this (null: never). */
  readonly veto: number | null;
  /** Use the model alone (the other fields are ignored). */
  readonly modelOnly?: boolean;
  /** Model-only: categories reported from this probability. */
  readonly modelThreshold?: number;
}

const MAX_CATEGORIES = 4;

export interface CombinedCategory {
  readonly id: CategoryId;
  readonly source: 'rules' | 'model';
}

/**
 * The combined categories, main first. `ruleCategories` is the rules' answer in order (`['none']` when silent).
 * `refuted`: categories a negative cue of the rules spoke against in this text (an appeal against a suspension is
 * not termination): the model reads words without that context, so it may not bring them back (1.6.0).
 */
export function combineWithModel(
  ruleCategories: readonly CategoryId[],
  scores: readonly Pick<ModelScore, 'id' | 'probability'>[],
  rule: CombinationRule,
  refuted: ReadonlySet<CategoryId> = new Set(),
): CombinedCategory[] {
  const probability = new Map(scores.map((s) => [s.id, s.probability]));
  const modelAbove = (threshold: number) =>
    scores
      .filter((s) => s.id !== 'none' && s.probability >= threshold && !refuted.has(s.id))
      .map((s) => s.id);
  if (rule.modelOnly) {
    const ids = modelAbove(rule.modelThreshold ?? 0.5).slice(0, MAX_CATEGORIES);
    return (ids.length > 0 ? ids : (['none'] as CategoryId[])).map((id) => ({ id, source: 'model' }));
  }
  const rulesSilent =
    ruleCategories.length === 0 || (ruleCategories.length === 1 && ruleCategories[0] === 'none');
  if (rulesSilent) {
    const filled = rule.fillNone === null ? [] : modelAbove(rule.fillNone).slice(0, MAX_CATEGORIES);
    return filled.length > 0
      ? filled.map((id) => ({ id, source: 'model' }))
      : [{ id: 'none', source: 'rules' }];
  }
  const kept = ruleCategories.filter(
    (id, i) => i === 0 || rule.veto === null || (probability.get(id) ?? 0) >= rule.veto,
  );
  const combined: CombinedCategory[] = kept.map((id) => ({ id, source: 'rules' }));
  if (rule.add !== null)
    for (const id of modelAbove(rule.add))
      if (!kept.includes(id) && combined.length < MAX_CATEGORIES) combined.push({ id, source: 'model' });
  return combined;
}
