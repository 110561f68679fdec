import {
  DEFAULT_TRAINING,
  classifyByRules,
  classifyWithModel,
  combineWithModel,
  evaluateGovernance,
  referencesForCategories,
  scoreWithModel,
  trainLinearModel,
  type CategoryId,
  type Classification,
  type ClassifyInput,
  type CombinationRule,
  type GovernanceEvaluation,
  type LabelledItem,
  type LinearModel,
  type ModelScore,
  type TrainingOptions,
} from '@termline/regulatory';

/**
 * Leave-one-service-out evaluation of the learned component: for each training service, a model trained on the
 * others scores that service's provisions, and every combination rule is judged on what it answers there. The
 * rules are not retrained per fold (they were written on these services), so their figures here are optimistic:
 * the comparison that matters is a combination against the rules on the same folds.
 */
export interface LosoRow {
  readonly rule: CombinationRule;
  /** Macro-F1 of each left-out service (categories labelled in that service). */
  readonly perService: Readonly<Record<string, number>>;
  readonly meanMacroF1: number;
  /** Macro-F1 and article accuracy over the pooled left-out answers of every fold. */
  readonly pooledMacroF1: number;
  readonly articleAccuracy: number;
}

export interface LosoResult {
  readonly services: readonly string[];
  readonly rows: readonly LosoRow[];
}

const ENGINE_VERSION = 'loso';

/** The combinations tried: every mix of filling `none`, adding sure categories and vetoing weak ones, and the model alone. */
export function combinationGrid(): CombinationRule[] {
  const rules: CombinationRule[] = [{ name: 'rules alone', fillNone: null, add: null, veto: null }];
  for (const threshold of [0.2, 0.3, 0.5])
    rules.push({
      name: `model alone (p >= ${threshold})`,
      fillNone: null,
      add: null,
      veto: null,
      modelOnly: true,
      modelThreshold: threshold,
    });
  // The model's probabilities rarely pass 0.8 (few labels per category), so the thresholds stay moderate.
  for (const fillNone of [null, 0.3, 0.4, 0.5])
    for (const add of [null, 0.4, 0.5, 0.6, 0.7])
      for (const veto of [null, 0.02, 0.05])
        if (fillNone !== null || add !== null || veto !== null)
          rules.push({
            name: `fill none ${fillNone ?? '-'}, add ${add ?? '-'}, veto ${veto ?? '-'}`,
            fillNone,
            add,
            veto,
          });
  return rules;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** One model per service, trained on every other service's labels: the weights that fold's classifier ships with. */
export function foldModels(
  items: readonly LabelledItem[],
  training: TrainingOptions = DEFAULT_TRAINING,
): Map<string, LinearModel> {
  const services = [...new Set(items.map((i) => i.service))].sort();
  return new Map(
    services.map((service) => [
      service,
      trainLinearModel(
        items.filter((i) => i.service !== service),
        { version: ENGINE_VERSION, trainingSetHash: `without ${service}` },
        training,
      ),
    ]),
  );
}

/** What the classifier sees of a labelled item: everything, or the text alone (POST /v1/classify may get only that). */
const inputOf = (input: ClassifyInput, textOnly: boolean): ClassifyInput =>
  textOnly ? { text: input.text } : input;

/** The classifier as shipped (rules, fold model, wired combination), pooled over every left-out service. */
export interface ShippedLoso {
  readonly textOnly: boolean;
  readonly services: number;
  /** Figures of {@link evaluateGovernance} over the pooled left-out answers, oracle included. */
  readonly pooled: GovernanceEvaluation;
  readonly perService: Readonly<Record<string, { macroF1: number; articleAccuracy: number }>>;
}

/**
 * Leave-one-service-out of the shipped pipeline: each provision is classified by `classifyWithModel` with the model
 * of its own fold (trained without its service) and the wired combination. The rules themselves were written with
 * every service in view, so this is still optimistic about the rules' half; it is exact about the model's.
 */
export function runShippedLoso(
  items: readonly LabelledItem[],
  models: ReadonlyMap<string, LinearModel>,
  options: { readonly textOnly?: boolean; readonly rule?: CombinationRule } = {},
): ShippedLoso {
  const textOnly = options.textOnly === true;
  const classify = (input: ClassifyInput) => {
    const model = models.get(input.service ?? '');
    if (!model) throw new Error(`no fold model for service ${input.service ?? '(none)'}`);
    return classifyWithModel(inputOf(input, textOnly), model, options.rule);
  };
  const mapCategories = (input: ClassifyInput, categories: readonly CategoryId[]) =>
    referencesForCategories(inputOf(input, textOnly), categories);
  const services = [...new Set(items.map((i) => i.service))].sort();
  const perService: Record<string, { macroF1: number; articleAccuracy: number }> = {};
  const pooled = evaluateGovernance(items, classify, mapCategories);
  for (const service of services) {
    const ids = new Set(items.filter((i) => i.service === service).map((i) => i.id));
    const own = evaluateGovernance(
      items.filter((i) => ids.has(i.id)),
      classify,
    );
    perService[service] = { macroF1: own.macroF1, articleAccuracy: own.articleAccuracy };
  }
  return { textOnly, services: services.length, pooled, perService };
}

export function formatShippedLoso(shipped: readonly ShippedLoso[]): string[] {
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
  return [
    'The classifier as shipped, leave-one-service-out (rules + fold model, wired combination; pooled):',
    ...shipped.map(
      (s) =>
        `  ${(s.textOnly ? 'text only' : 'with service and type').padEnd(22)} macro-F1 ${s.pooled.macroF1.toFixed(3)}, ` +
        `article accuracy ${pct(s.pooled.articleAccuracy)} (oracle ${pct(s.pooled.oracle?.articleAccuracy ?? 0)}), ` +
        `main category ${pct(s.pooled.mainCategoryAccuracy)}, ${s.pooled.provisions} provisions of ${s.services} services`,
    ),
  ];
}

export function runLoso(
  items: readonly LabelledItem[],
  grid: readonly CombinationRule[] = combinationGrid(),
  models: ReadonlyMap<string, LinearModel> = foldModels(items),
): LosoResult {
  const services = [...new Set(items.map((i) => i.service))].sort();
  const ruleAnswers = new Map<string, Classification>();
  for (const item of items)
    ruleAnswers.set(
      item.id,
      // The rules alone: the shipped weights were trained on these very items (1.5.0 wires them in).
      classifyByRules({ text: item.text, service: item.service, documentType: item.documentType }),
    );
  const modelScores = new Map<string, ModelScore[]>();
  for (const item of items) modelScores.set(item.id, scoreWithModel(models.get(item.service)!, item.text));
  const rows = grid.map((rule) => {
    const answers = new Map<string, Classification>();
    for (const item of items) {
      const rules = ruleAnswers.get(item.id)!;
      const combined = combineWithModel(
        rules.categories.map((c) => c.id),
        modelScores.get(item.id)!,
        rule,
      ).map((c) => c.id);
      const input = { text: item.text, service: item.service, documentType: item.documentType };
      answers.set(item.id, {
        ...rules,
        categories: combined.map((id: CategoryId) => ({ id, confidence: 1, evidence: [] })),
        references: referencesForCategories(input, combined),
      });
    }
    // Keyed by text: the evaluation calls back with the input alone; equal texts get equal answers anyway.
    const byText = new Map(items.map((i) => [i.text, answers.get(i.id)!]));
    const classify = ({ text }: { text: string }) => byText.get(text)!;
    const perService: Record<string, number> = {};
    for (const service of services)
      perService[service] = evaluateGovernance(
        items.filter((i) => i.service === service),
        classify,
      ).macroF1;
    const pooled = evaluateGovernance(items, classify);
    return {
      rule,
      perService,
      meanMacroF1: round3(services.reduce((sum, s) => sum + perService[s]!, 0) / services.length),
      pooledMacroF1: pooled.macroF1,
      articleAccuracy: pooled.articleAccuracy,
    };
  });
  return { services, rows };
}

const abbreviation = (service: string) => service.replace(/[^A-Za-z]/g, '').slice(0, 6);

/** The LOSO table: rules alone, the model alone, then the combinations best first by mean macro-F1. */
export function formatLoso(result: LosoResult, limit = 12): string[] {
  const [rules, ...others] = result.rows;
  const modelOnly = others.filter((r) => r.rule.modelOnly);
  const combinations = others
    .filter((r) => !r.rule.modelOnly)
    .sort((a, b) => b.meanMacroF1 - a.meanMacroF1 || b.articleAccuracy - a.articleAccuracy);
  const header =
    `${'combination'.padEnd(40)} ${'mean'.padStart(6)} ${'pooled'.padStart(6)} ${'art.'.padStart(6)} ` +
    result.services.map((s) => abbreviation(s).padStart(6)).join(' ');
  const line = (row: LosoRow) =>
    `${row.rule.name.padEnd(40)} ${row.meanMacroF1.toFixed(3).padStart(6)} ${row.pooledMacroF1.toFixed(3).padStart(6)} ` +
    `${(row.articleAccuracy * 100).toFixed(1).padStart(6)} ` +
    result.services.map((s) => row.perService[s]!.toFixed(3).padStart(6)).join(' ');
  return [
    `Leave-one-service-out over ${result.services.length} services (macro-F1 per left-out service; mean over ` +
      `services; pooled macro-F1 and article accuracy % over every left-out answer)`,
    '',
    header,
    ...(rules ? [line(rules)] : []),
    ...modelOnly.map(line),
    ...combinations.slice(0, limit).map(line),
  ];
}

/** The best combination by mean macro-F1 whose article accuracy does not fall below the rules'. */
export function bestCombination(result: LosoResult): LosoRow | undefined {
  const rules = result.rows[0];
  if (!rules) return undefined;
  return result.rows
    .filter((r) => !r.rule.modelOnly && r !== rules && r.articleAccuracy >= rules.articleAccuracy)
    .sort((a, b) => b.meanMacroF1 - a.meanMacroF1 || b.articleAccuracy - a.articleAccuracy)[0];
}
