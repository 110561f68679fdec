/** The regulatory taxonomy and the provision classifier. Pure: no framework, no I/O. */
export {
  FRAMEWORKS,
  FRAMEWORK_IDS,
  JURISDICTIONS,
  JURISDICTION_IDS,
  type ApplicationDate,
  type Framework,
  type FrameworkId,
  type JurisdictionId,
} from './taxonomy/frameworks.data';
export { REFERENCES, referenceById, articleSlug, type Reference } from './taxonomy/references.data';
export {
  CATEGORIES,
  CATEGORY_IDS,
  CONDITION_IDS,
  categoryById,
  type CategoryDefinition,
  type CategoryId,
  type ConditionId,
  type ExposureLevel,
  type ExposureRule,
  type MappingRule,
} from './taxonomy/categories.data';
export {
  TAXONOMY,
  TAXONOMY_VERSION,
  TAXONOMY_CHANGELOG,
  type ChangelogEntry,
  type Taxonomy,
} from './taxonomy/taxonomy';
export {
  classifyProvision,
  classifyByRules,
  classifyWithModel,
  referencesForCategories,
  CLASSIFIER_VERSION,
  SCORING,
  type CategoryResult,
  type Classification,
  type ClassifyInput,
  type Evidence,
  type JurisdictionFlag,
  type ReferenceResult,
} from './classifier/classify-provision';
export { extractAttributes, type Period, type ProvisionAttributes } from './classifier/extract-attributes';
export {
  analyseProvision,
  ANALYSIS_DISCLAIMER,
  type AnalyseInput,
  type Comparable,
  type HistoryEntry,
  type ProvisionAnalysis,
  type QuoteSource,
} from './analysis/analyse-provision';
export {
  evaluateGovernance,
  articlesCorrect,
  splitByService,
  DEVELOPMENT_SERVICES,
  TUNING_SERVICES,
  type CategoryScore,
  type GovernanceEvaluation,
  type ItemOutcome,
  type LabelledItem,
  type MapCategories,
} from './evaluation/evaluate-governance';
export { featuresOf, type FeatureSpan } from './learned/text-features';
export {
  readWithModel,
  scoreWithModel,
  type LinearModel,
  type ModelReading,
  type ModelScore,
  type TrainingOptions,
} from './learned/linear-model';
export { trainLinearModel, DEFAULT_TRAINING, type TrainingItem } from './learned/train-linear-model';
export { combineWithModel, type CombinationRule, type CombinedCategory } from './learned/combine-with-model';
export {
  GOVERNANCE_MODEL,
  MODEL_INFO,
  WIRED_COMBINATION,
  withModelOpinion,
  type ModelInfo,
} from './learned/model-opinion';
