import { CATEGORIES, CONDITION_IDS, type CategoryDefinition } from './categories.data';
import { FRAMEWORKS, JURISDICTIONS, type Framework } from './frameworks.data';
import { REFERENCES, type Reference } from './references.data';

/** Bump on any change of the data below that can change a classification or an analysis; add a CHANGELOG entry. */
export const TAXONOMY_VERSION = '2026.11.7';

export interface ChangelogEntry {
  readonly version: string;
  readonly date: string;
  readonly changes: readonly string[];
}

export const TAXONOMY_CHANGELOG: readonly ChangelogEntry[] = [
  {
    version: '2026.11.7',
    date: '2026-11-28',
    changes: [
      'New conditions us-privacy-vocabulary and us-state-notice: a text in the words of US state privacy laws ' +
        '(request to know, authorised agent, household requests, opt-out preference signals) that speaks to no EU, ' +
        'UK or Brazilian audience is read through the CCPA, whose articles become primary in place of the GDPR (ADR 0030).',
      'terms-change-notice no longer holds when the clause takes its notice back (sole discretion, effective ' +
        'immediately, notice waived or a courtesy): DSA Art. 14 for changes of consumer terms with notice only.',
      'coppa-engaged holds for the actual-knowledge statement about children with or without an age; a bare ' +
        'minimum age in the terms engages GDPR Art. 8 and DSA Art. 28, not COPPA (ADR 0030).',
      'International transfers cite GDPR Art. 49 (explicit-consent derogation) when the user is said to consent ' +
        'or agree to the transfer (new condition transfer-consent).',
      'Termination cites DSA Art. 17 when the provider says it tells users in advance or gives its reasons ' +
        '(new condition reasons-given).',
      'Profiling and advertising cite ePrivacy Art. 13 as primary for marketing sent by email, SMS or text message.',
    ],
  },
  {
    version: '2026.11.6',
    date: '2026-11-28',
    changes: [
      'Profiling and advertising cite DSA Art. 26 where the service shows or serves ads, or selects them on a ' +
        'profile; profiling alone (inferred attributes) and marketing messages no longer engage it.',
    ],
  },
  {
    version: '2026.11.5',
    date: '2026-11-27',
    changes: [
      "Sale or sharing: a disclosure in none of the CCPA's words (selling, cross-context ads, a refusal to sell, " +
        'California) — to affiliates, a buyer of the business or partners — cites GDPR Art. 6 and 13 (lawful basis, ' +
        'recipients) instead of CCPA 1798.120; "a sale of assets or shares" no longer reads as "sell and share".',
      'Profiling and advertising cite GDPR Art. 6 (and Art. 7 when ads rest on consent) beside Art. 21 and DSA Art. 26.',
      'Moderation clauses cite DSA Art. 14 (they are the moderation information the terms must give); removal ' +
        'without notice no longer makes UCTD Annex 1(g) primary for them. Removal is also read from deleting, ' +
        'screening and limiting the reach of content.',
      'A collection clause naming special-category data cites GDPR Art. 9 first; portability is read from copies ' +
        'and exports of chats and content; AI Act manipulation only where people are manipulated.',
    ],
  },
  {
    version: '2026.11.4',
    date: '2026-11-27',
    changes: [
      'Retention exposure follows the length stated: a period over 90 days is medium (a purpose must carry it), ' +
        'a shorter one stays low, an indefinite one high. A retention lengthened from 30 to 180 days now moves ' +
        'the provision from low to medium.',
    ],
  },
  {
    version: '2026.11.3',
    date: '2026-11-27',
    changes: [
      'Core rules: the article that defines a category (retention: Art. 5(1)(e); transfers: Art. 44; ' +
        'sub-processors: Art. 28; termination: DSA Art. 23 on suspension, UCTD 1(g) without notice; sale/share: ' +
        'CCPA 1798.120 where the text speaks its language; automated decisions: Art. 22; ...) is primary also when ' +
        'the category is a further one of the provision. Liability, governing law and acceptable use stay primary ' +
        'only as the main category: beside a privacy clause they are not what a lawyer cites first.',
      'Jurisdiction-specific articles follow what the text engages: COPPA 312.5 when COPPA is named, a US text sets ' +
        'an age of 13 or less, or an actual-knowledge statement sets an age (not in EU texts); GDPR Art. 8 for ' +
        'minimum ages and parental permission; DSA Art. 28 for safety of minors; CCPA 1798.100/1798.120/1798.135 ' +
        'when California, the CCPA or "sell/share" are named; CCPA 1798.125 for non-discrimination.',
      'Conditional primary articles: Art. 45 beside Art. 44 and 46 for transfers; Art. 28 for retention, security, ' +
        'telemetry, training and rights in processor contexts; ePrivacy Art. 5(3) for device data; GDPR Art. 7 for ' +
        'non-essential trackers or consent; DSA Art. 16/17/20 for reporting, removal and appeals; Brussels Ia ' +
        'Art. 18 only where courts are named; DSA Art. 14 for change notices only in consumer terms; UCTD 1(k) for ' +
        'service changes; DSA Art. 10 when users are told of authority requests; AI Act Art. 5 and 50 for ' +
        'prohibited practices and AI disclosure; GDPR Art. 12 for request handling; GDPR Art. 33 where ' +
        'security incidents are handled.',
    ],
  },
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
