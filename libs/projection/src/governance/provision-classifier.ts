import type { ExposureLevel, GovernanceGeneration } from '@termline/readmodels';

/**
 * What the governance projection needs of a classification: the part of `@termline/regulatory`'s Classification
 * that the read models keep. Structural, so that the projection depends on the contract, not on one classifier.
 */
export interface ClassificationLike {
  categories: ReadonlyArray<{ id: string; confidence: number }>;
  references: ReadonlyArray<{
    id: string;
    framework: string;
    article: string;
    title: string;
    url: string;
    primary: boolean;
  }>;
  exposure: { level: ExposureLevel; reasons: readonly string[] };
  jurisdictions: ReadonlyArray<{ id: string; level: string; reason: string }>;
  taxonomyVersion: string;
  classifierVersion: string;
}

export interface ProvisionInput {
  text: string;
  heading?: string;
  service?: string;
  documentType?: string;
}

/** The ids a query may name: anything else is answered with a problem, never passed to a store. */
export interface GovernanceVocabulary {
  readonly categories: ReadonlySet<string>;
  readonly frameworks: ReadonlySet<string>;
  readonly references: ReadonlySet<string>;
}

/** A classifier with the generation it produces: changing either version is a new generation. */
export interface ProvisionClassifier {
  readonly generation: GovernanceGeneration;
  readonly vocabulary: GovernanceVocabulary;
  classify(input: ProvisionInput): ClassificationLike;
  /**
   * Optional: the same classifications of many inputs at once, computed off the event loop (a worker thread).
   * Its answers must equal classify's, input by input.
   */
  classifyMany?(inputs: readonly ProvisionInput[]): Promise<ClassificationLike[]>;
}

export const PROVISION_CLASSIFIER = Symbol('PROVISION_CLASSIFIER');
