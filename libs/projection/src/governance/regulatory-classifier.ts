import {
  CATEGORY_IDS,
  classifyProvision,
  CLASSIFIER_VERSION,
  FRAMEWORK_IDS,
  REFERENCES,
  TAXONOMY_VERSION,
} from '@termline/regulatory';
import { generationOf } from '@termline/readmodels';
import type { TextWork } from '@termline/platform';
import type { ProvisionClassifier } from './provision-classifier';

/**
 * The product's classifier: @termline/regulatory's taxonomy and rules, under their versions. With `work`, a
 * version's many provisions are classified in its worker threads (the same function, so the same answers).
 */
export function regulatoryClassifier(work?: TextWork): ProvisionClassifier {
  return {
    generation: {
      generation: generationOf(TAXONOMY_VERSION, CLASSIFIER_VERSION),
      taxonomyVersion: TAXONOMY_VERSION,
      classifierVersion: CLASSIFIER_VERSION,
    },
    vocabulary: {
      categories: new Set<string>(CATEGORY_IDS),
      frameworks: new Set<string>(FRAMEWORK_IDS),
      references: new Set(REFERENCES.map((reference) => reference.id)),
    },
    classify: (input) => classifyProvision(input),
    ...(work ? { classifyMany: (inputs) => work.classify(inputs) } : {}),
  };
}
