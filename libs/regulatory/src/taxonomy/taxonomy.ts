import { CATEGORIES, CONDITION_IDS, type CategoryDefinition } from './categories.data';
import { FRAMEWORKS, JURISDICTIONS, type Framework } from './frameworks.data';
import { REFERENCES, type Reference } from './references.data';

/** Bump on any change of the data below that can change a classification or an analysis; add a CHANGELOG entry. */
export const TAXONOMY_VERSION = '2026.11.2';

export interface ChangelogEntry {
  readonly version: string;
  readonly date: string;
  readonly changes: readonly string[];
}

export const TAXONOMY_CHANGELOG: readonly ChangelogEntry[] = [
  {
    version: '2026.11.2',
    date: '2026-11-27',
    changes: [
      'CCPA notice at collection (collection, retention), CCPA rights (data-subject rights) and CCPA automated ' +
        'decision-making rules are listed as worth checking without a US cue in the text.',
      'Security clauses list GDPR Art. 33 as worth checking (primary still only when breach notification is ' +
        'stated); law-enforcement requests and termination list storage limitation (Art. 5(1)(e)).',
      'Retention in a processor context lists GDPR Art. 28.',
    ],
  },
  {
    version: '2026.11.1',
    date: '2026-11-27',
    changes: [
      'First taxonomy: 12 frameworks (GDPR, ePrivacy, AI Act with application dates, DSA, UCTD, CCPA/CPRA, COPPA, ' +
        'UK GDPR, LGPD, DMA, Rome I, Brussels Ia), their canonical references, 25 categories with mapping rules, ' +
        'exposure rules and jurisdiction flags.',
    ],
  },
];

export interface Taxonomy {
  readonly version: string;
  readonly changelog: readonly ChangelogEntry[];
  readonly frameworks: readonly Framework[];
  readonly jurisdictions: typeof JURISDICTIONS;
  readonly references: readonly Reference[];
  readonly categories: readonly CategoryDefinition[];
  readonly conditions: typeof CONDITION_IDS;
}

/** The whole taxonomy as one value, for the API and for documentation. */
export const TAXONOMY: Taxonomy = {
  version: TAXONOMY_VERSION,
  changelog: TAXONOMY_CHANGELOG,
  frameworks: FRAMEWORKS,
  jurisdictions: JURISDICTIONS,
  references: REFERENCES,
  categories: CATEGORIES,
  conditions: CONDITION_IDS,
};
