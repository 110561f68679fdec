import { FRAMEWORKS, type FrameworkId } from './frameworks.data';

/** One citable article (or section) of a framework. `id` is `<framework>/<slug of article>`. */
export interface Reference {
  readonly id: string;
  readonly framework: FrameworkId;
  readonly instrument: string;
  /** The article as a lawyer writes it: `Art. 5(1)(e)`, `§ 1798.120`, `Annex 1(q)`. */
  readonly article: string;
  readonly title: string;
  /** What the article requires, in this project's words (not the official text). */
  readonly summary: string;
  readonly url: string;
}

/** `Art. 5(1)(e)` → `art-5-1-e`; `§ 1798.120` → `1798-120`; `Annex 1(q)` → `annex-1-q`. */
export function articleSlug(article: string): string {
  return article
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function instrumentOf(framework: FrameworkId): { instrument: string; url: string } {
  const found = FRAMEWORKS.find((f) => f.id === framework);
  if (!found) throw new Error(`unknown framework ${framework}`);
  return { instrument: found.instrument, url: found.url };
}

/** Section-level addresses where the official publisher has stable ones; the act's ELI otherwise. */
function urlOf(framework: FrameworkId, article: string): string {
  const base = instrumentOf(framework).url;
  const number = /[\d.]+/.exec(article)?.[0] ?? '';
  switch (framework) {
    case 'ccpa':
      return `https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=${number}`;
    case 'coppa':
      return `https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-312/section-${number}`;
    case 'uk-gdpr':
      return `https://www.legislation.gov.uk/eur/2016/679/article/${number}`;
    default:
      return base;
  }
}

function ref(framework: FrameworkId, article: string, title: string, summary: string): Reference {
  return {
    id: `${framework}/${articleSlug(article)}`,
    framework,
    instrument: instrumentOf(framework).instrument,
    article,
    title,
    summary,
    url: urlOf(framework, article),
  };
}

/**
 * The general clauses: definitions, principles and general tests that apply to every provision within their framework
 * (any processing of personal data needs a lawful basis and meets the principles; any standard term meets the
 * unfairness test and plain language), unlike the articles that set up one regime (transfers, processors, trackers).
 */
export const GENERAL_CLAUSES: ReadonlySet<string> = new Set([
  'gdpr/art-4-1',
  'gdpr/art-5-1-a',
  'gdpr/art-5-1-b',
  'gdpr/art-5-1-c',
  'gdpr/art-5-1-e',
  'gdpr/art-5-1-f',
  'gdpr/art-6',
  'uctd/art-3',
  'uctd/art-5',
]);

export const REFERENCES: readonly Reference[] = [
  // GDPR
  ref(
    'gdpr',
    'Art. 4(1)',
    'Definition of personal data',
    'Any information about an identified or identifiable person is personal data; data that can still be linked back to someone stays in scope, truly anonymous data does not.',
  ),
  ref(
    'gdpr',
    'Art. 5(1)(a)',
    'Lawfulness, fairness and transparency',
    'Processing must be lawful, fair and understandable to the person concerned.',
  ),
  ref(
    'gdpr',
    'Art. 5(1)(b)',
    'Purpose limitation',
    'Data collected for stated purposes may not be reused for incompatible ones.',
  ),
  ref(
    'gdpr',
    'Art. 5(1)(c)',
    'Data minimisation',
    'Only data adequate, relevant and limited to what the purpose needs may be processed.',
  ),
  ref(
    'gdpr',
    'Art. 5(1)(e)',
    'Storage limitation',
    'Identifiable data may be kept no longer than the purpose requires.',
  ),
  ref(
    'gdpr',
    'Art. 5(1)(f)',
    'Integrity and confidentiality',
    'Data must be protected against unauthorised processing, loss and damage.',
  ),
  ref(
    'gdpr',
    'Art. 6',
    'Lawfulness of processing',
    'Each processing needs one lawful basis: consent, contract, legal obligation, vital interests, public task or legitimate interests.',
  ),
  ref(
    'gdpr',
    'Art. 7',
    'Conditions for consent',
    'Consent must be demonstrable, distinguishable, freely given and as easy to withdraw as to give.',
  ),
  ref(
    'gdpr',
    'Art. 8',
    "Child's consent to online services",
    'Below 16 (or a national age down to 13), consent for an online service offered to a child needs parental authorisation.',
  ),
  ref(
    'gdpr',
    'Art. 9',
    'Special categories of personal data',
    'Health, biometric, religious, political, sexual and similar data may be processed only under narrow exceptions.',
  ),
  ref(
    'gdpr',
    'Art. 12',
    'Transparent information and modalities',
    'Information and replies to requests must be concise, clear and free, normally within one month.',
  ),
  ref(
    'gdpr',
    'Art. 13',
    'Information at collection',
    'When data is collected, the person must be told the purposes, bases, recipients, transfers, retention and rights.',
  ),
  ref(
    'gdpr',
    'Art. 15',
    'Right of access',
    'A person may obtain confirmation of processing and a copy of their data.',
  ),
  ref('gdpr', 'Art. 16', 'Right to rectification', 'A person may have inaccurate data corrected.'),
  ref(
    'gdpr',
    'Art. 17',
    'Right to erasure',
    'A person may have data erased when it is no longer needed, consent is withdrawn or processing is unlawful.',
  ),
  ref(
    'gdpr',
    'Art. 18',
    'Right to restriction',
    'A person may have processing restricted while accuracy or lawfulness is disputed.',
  ),
  ref(
    'gdpr',
    'Art. 20',
    'Right to data portability',
    'A person may receive data they provided in a machine-readable format and have it moved.',
  ),
  ref(
    'gdpr',
    'Art. 21',
    'Right to object',
    'A person may object to processing based on legitimate interests, and always to direct marketing.',
  ),
  ref(
    'gdpr',
    'Art. 22',
    'Automated individual decisions',
    'A person may not be subject to a solely automated decision with legal or similarly significant effects, save exceptions with safeguards.',
  ),
  ref(
    'gdpr',
    'Art. 25',
    'Data protection by design and by default',
    'Systems must build in protection and process only the data needed by default.',
  ),
  ref(
    'gdpr',
    'Art. 28',
    'Processors',
    "Processors act only on documented instructions under a contract; sub-processors need the controller's authorisation.",
  ),
  ref(
    'gdpr',
    'Art. 32',
    'Security of processing',
    'Appropriate technical and organisational measures, such as encryption and resilience, must match the risk.',
  ),
  ref(
    'gdpr',
    'Art. 33',
    'Breach notification to the authority',
    'A personal data breach must be notified to the supervisory authority within 72 hours unless unlikely to cause risk.',
  ),
  ref(
    'gdpr',
    'Art. 34',
    'Breach communication to individuals',
    'A breach likely to cause high risk must be communicated to the affected people without undue delay.',
  ),
  ref(
    'gdpr',
    'Art. 44',
    'General principle for transfers',
    'Data may leave the EEA only under the conditions of Chapter V.',
  ),
  ref(
    'gdpr',
    'Art. 45',
    'Transfers on an adequacy decision',
    'Transfers to a country the Commission found adequate need no further authorisation.',
  ),
  ref(
    'gdpr',
    'Art. 46',
    'Transfers with appropriate safeguards',
    'Without adequacy, transfers need safeguards such as standard contractual clauses or binding corporate rules.',
  ),
  ref(
    'gdpr',
    'Art. 48',
    'Foreign authority requests',
    'A foreign court or authority order to disclose data is enforceable only through an international agreement.',
  ),
  ref(
    'gdpr',
    'Art. 49',
    'Derogations for specific situations',
    'Occasional transfers may rely on explicit consent, contract necessity or legal claims.',
  ),
  // ePrivacy
  ref(
    'eprivacy',
    'Art. 5(3)',
    'Storing or accessing information on terminal equipment',
    'Cookies and similar reading of a device need prior informed consent unless strictly necessary for the service requested.',
  ),
  ref(
    'eprivacy',
    'Art. 13',
    'Unsolicited communications',
    'Electronic direct marketing needs prior consent, with a soft opt-in for existing customers and an easy opt-out.',
  ),
  // AI Act
  ref(
    'ai-act',
    'Art. 5',
    'Prohibited AI practices',
    'Bans manipulative, exploitative, social-scoring and certain biometric AI practices (from 2025-02-02).',
  ),
  ref(
    'ai-act',
    'Art. 50',
    'Transparency for certain AI systems',
    'People must be told they interact with AI, and synthetic content must be marked as AI-generated (from 2026-08-02).',
  ),
  ref(
    'ai-act',
    'Art. 53',
    'Obligations of general-purpose AI model providers',
    'Providers must document models, publish a summary of training content and keep a policy to respect EU copyright opt-outs (from 2025-08-02).',
  ),
  ref(
    'ai-act',
    'Art. 86',
    'Right to explanation of individual decisions',
    "A person affected by a decision based on a high-risk AI system may obtain an explanation of the AI's role.",
  ),
  // DSA
  ref(
    'dsa',
    'Art. 10',
    'Orders to provide information',
    'Providers must act on authority orders to provide information about specific users and report back.',
  ),
  ref(
    'dsa',
    'Art. 14',
    'Terms and conditions',
    'Terms must state content restrictions and moderation tools clearly, be applied proportionately, and users must be told of significant changes.',
  ),
  ref(
    'dsa',
    'Art. 16',
    'Notice and action mechanisms',
    'Hosting services must let anyone report illegal content electronically and process reports diligently.',
  ),
  ref(
    'dsa',
    'Art. 17',
    'Statement of reasons',
    'Restrictions on content or accounts must come with a clear and specific statement of reasons.',
  ),
  ref(
    'dsa',
    'Art. 20',
    'Internal complaint-handling system',
    'Platforms must offer a free electronic complaint system against moderation decisions for at least six months.',
  ),
  ref(
    'dsa',
    'Art. 21',
    'Out-of-court dispute settlement',
    'Users may take moderation disputes to a certified out-of-court body.',
  ),
  ref(
    'dsa',
    'Art. 23',
    'Measures against misuse',
    'Platforms may suspend frequent posters of manifestly illegal content after a warning, under stated policies.',
  ),
  ref(
    'dsa',
    'Art. 26',
    'Advertising on online platforms',
    'Ads must be labelled with advertiser and main targeting parameters; no profiling on special-category data.',
  ),
  ref(
    'dsa',
    'Art. 27',
    'Recommender system transparency',
    'Terms must explain the main parameters of recommender systems and options to change them.',
  ),
  ref(
    'dsa',
    'Art. 28',
    'Online protection of minors',
    'Platforms accessible to minors need high privacy, safety and security; no profiling-based ads to known minors.',
  ),
  // UCTD
  ref(
    'uctd',
    'Art. 3',
    'Unfair terms',
    "A non-negotiated term creating a significant imbalance to the consumer's detriment, contrary to good faith, is unfair.",
  ),
  ref(
    'uctd',
    'Art. 5',
    'Plain and intelligible language',
    "Written terms must be plain and intelligible; doubts are read in the consumer's favour.",
  ),
  ref(
    'uctd',
    'Annex 1(a)',
    'Excluding liability for death or personal injury',
    'Terms excluding or limiting liability for death or injury caused by the trader may be unfair.',
  ),
  ref(
    'uctd',
    'Annex 1(b)',
    'Excluding rights for non-performance',
    "Terms excluding or limiting the consumer's rights when the trader fails to perform may be unfair.",
  ),
  ref(
    'uctd',
    'Annex 1(g)',
    'Termination without reasonable notice',
    'Terms letting the trader end an open-ended contract without reasonable notice, absent serious grounds, may be unfair.',
  ),
  ref(
    'uctd',
    'Annex 1(j)',
    'Unilateral alteration of terms',
    'Terms letting the trader change the terms without a valid reason stated in the contract may be unfair.',
  ),
  ref(
    'uctd',
    'Annex 1(k)',
    'Unilateral alteration of the service',
    'Terms letting the trader change the characteristics of the service without a valid reason may be unfair.',
  ),
  ref(
    'uctd',
    'Annex 1(q)',
    'Excluding legal remedies',
    'Terms forcing consumers into arbitration not covered by law, or restricting evidence or remedies, may be unfair.',
  ),
  // CCPA / CPRA
  ref(
    'ccpa',
    '§ 1798.100',
    'Notice at collection',
    'Businesses must tell consumers at collection which categories they collect, why, whether sold or shared, and how long they keep them.',
  ),
  ref(
    'ccpa',
    '§ 1798.105',
    'Right to delete',
    'Consumers may have personal information collected from them deleted, with exceptions.',
  ),
  ref(
    'ccpa',
    '§ 1798.106',
    'Right to correct',
    'Consumers may have inaccurate personal information corrected.',
  ),
  ref(
    'ccpa',
    '§ 1798.110',
    'Right to know what is collected',
    'Consumers may learn the categories and specific pieces of personal information collected about them.',
  ),
  ref(
    'ccpa',
    '§ 1798.115',
    'Right to know what is sold or shared',
    'Consumers may learn which categories were sold or shared, and to whom.',
  ),
  ref(
    'ccpa',
    '§ 1798.120',
    'Right to opt out of sale or sharing',
    'Consumers may stop the sale or sharing of their data; minors under 16 must opt in.',
  ),
  ref(
    'ccpa',
    '§ 1798.121',
    'Right to limit sensitive personal information',
    'Consumers may limit use of sensitive personal information to what the service needs.',
  ),
  ref(
    'ccpa',
    '§ 1798.125',
    'Non-discrimination',
    'Exercising privacy rights may not lead to worse prices or service, save permitted incentives.',
  ),
  ref(
    'ccpa',
    '§ 1798.135',
    'Methods for opting out',
    'Businesses must offer a clear opt-out link or honour opt-out preference signals.',
  ),
  ref(
    'ccpa',
    '§ 1798.150',
    'Private action for data breaches',
    'Consumers may sue over breaches of unencrypted data caused by unreasonable security.',
  ),
  ref(
    'ccpa',
    '§ 1798.185',
    'Regulations, including automated decision-making',
    'Mandates regulations on cybersecurity audits, risk assessments and automated decision-making technology.',
  ),
  // COPPA
  ref(
    'coppa',
    '§ 312.4',
    'Notice to parents',
    "Operators must give direct and online notice of their practices for children's data.",
  ),
  ref(
    'coppa',
    '§ 312.5',
    'Verifiable parental consent',
    'Collecting data from children under 13 requires verifiable parental consent first.',
  ),
  ref(
    'coppa',
    '§ 312.6',
    'Parental review and deletion',
    "Parents may review the child's data, refuse further use and have it deleted.",
  ),
  ref(
    'coppa',
    '§ 312.8',
    'Confidentiality and security',
    "Operators must keep reasonable security for children's data.",
  ),
  ref(
    'coppa',
    '§ 312.10',
    'Retention and deletion',
    "Children's data may be kept only as long as reasonably necessary, under a written retention policy.",
  ),
  // UK GDPR
  ref(
    'uk-gdpr',
    'Art. 5',
    'Principles (UK)',
    'The UK text of the processing principles, including minimisation and storage limitation.',
  ),
  ref(
    'uk-gdpr',
    'Art. 13',
    'Information at collection (UK)',
    'The UK text of the duty to inform at collection.',
  ),
  ref(
    'uk-gdpr',
    'Art. 22',
    'Automated decisions (UK)',
    'The UK rule on solely automated significant decisions.',
  ),
  ref(
    'uk-gdpr',
    'Art. 44',
    'Transfers (UK)',
    'Transfers out of the UK need UK adequacy regulations or safeguards such as the IDTA.',
  ),
  // LGPD
  ref(
    'lgpd',
    'Art. 18',
    'Data subject rights (Brazil)',
    'Confirmation, access, correction, anonymisation, portability, deletion and information about sharing.',
  ),
  ref(
    'lgpd',
    'Art. 33',
    'International transfers (Brazil)',
    'Transfers abroad only to adequate countries or with contractual or other safeguards.',
  ),
  // DMA, Rome I, Brussels Ia
  ref(
    'dma',
    'Art. 5(2)',
    'Combining personal data across services',
    'A gatekeeper may not combine or cross-use personal data across its services without specific consent.',
  ),
  ref(
    'rome-i',
    'Art. 6',
    'Consumer contracts: applicable law',
    'A choice of law cannot deprive a consumer of the mandatory protections of the law of their habitual residence.',
  ),
  ref(
    'brussels-ia',
    'Art. 18',
    'Consumer jurisdiction',
    'A consumer may sue in their home courts and may be sued only there.',
  ),
];

const BY_ID = new Map(REFERENCES.map((r) => [r.id, r]));

export function referenceById(id: string): Reference | undefined {
  return BY_ID.get(id);
}
