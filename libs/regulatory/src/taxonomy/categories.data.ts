/**
 * Provision categories and the rules that map them to references, exposure levels and jurisdictions. Conditions
 * are named here and evaluated by the classifier from the attributes it extracts (see `conditions.ts`), so the
 * rules stay data: they can be listed by the API and versioned with the taxonomy.
 */
export const CATEGORY_IDS = [
  'personal-data-collection',
  'usage-telemetry',
  'ai-training-on-user-content',
  'output-ownership',
  'licence-to-user-content',
  'retention',
  'international-transfers',
  'sub-processors',
  'children',
  'cookies-trackers',
  'profiling-advertising',
  'sale-or-sharing',
  'data-subject-rights',
  'automated-decisions',
  'security-breach',
  'law-enforcement-requests',
  'acceptable-use',
  'content-moderation-appeals',
  'liability-limits',
  'indemnity',
  'arbitration-class-waiver',
  'governing-law',
  'termination',
  'unilateral-changes',
  'none',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** Facts the classifier can establish about a provision; each mapping or exposure rule may require one. */
export const CONDITION_IDS = [
  'us-audience',
  'california',
  'eu-audience',
  'uk-audience',
  'brazil-audience',
  'device-data',
  'breach-notification',
  'death-or-injury',
  'forum-clause',
  'suspension',
  'notice-of-changes',
  'no-notice',
  'under-13',
  'targeted-ads',
  /** The service shows or serves ads (not profiling alone, not marketing messages). */
  'ads-on-platform',
  'sells-or-shares',
  'denies-sale',
  'opt-out-offered',
  'no-opt-out-stated',
  'special-categories',
  'anonymised-data',
  'legal-obligation',
  'class-waiver',
  'arbitration-opt-out',
  'sole-discretion',
  'broad-licence',
  'provider-owns',
  'user-owns',
  'indefinite-retention',
  'retention-period-stated',
  /** A stated retention period longer than 90 days: its proportionality needs a reason. */
  'long-retention-period',
  'transfer-safeguards',
  'names-rectification',
  'names-portability',
  'names-restriction',
  'names-objection',
  'names-consent-withdrawal',
  'training-use',
  'consent-basis',
  'direct-marketing',
  'full-exclusion',
  'liability-cap',
  'ai-generated-content',
  'service-changes',
  'processor-context',
  'names-automated',
  'age-requirement',
  'parental-permission',
  'non-discrimination',
  'minimisation',
  'minor-safety',
  'knowing-collection',
  'optional-trackers',
  'ai-prohibited-practice',
  'ai-disclosure',
  'request-handling',
  'mentions-incident',
  'user-notified-of-request',
  'preservation',
  'reporting',
  'appeal',
  'removal',
  'courts-named',
  'terms-changes',
  'names-erasure',
  /** Derived: the text sets a minimum age or asks for a parent's permission. */
  'age-or-parent',
  /** Derived: COPPA is named, or a US text (or an actual-knowledge statement) sets an age of 13 or so. */
  'coppa-engaged',
  /** Derived: California or the CCPA is named, or the text speaks of selling and sharing. */
  'ccpa-engaged',
  'user-deletion',
  /** Derived: the transfer tools named (adequacy or DPF; SCCs, BCRs or the UK addendum). */
  'adequacy-named',
  'safeguards-named',
  /** Derived from the document type (or, without one, the wording): consumer terms promising notice of changes. */
  'terms-change-notice',
  /** Derived likewise: consumer terms that set a minimum age. */
  'terms-age-gate',
  /** The text names the corporate group (affiliates, parent) or a corporate transaction (merger, acquisition). */
  'group-or-transaction',
  /** The text uses the vocabulary of US state privacy laws (request to know, authorised agent, household requests). */
  'us-privacy-vocabulary',
  /** Derived: that vocabulary with no word of the EU: a US state-law notice, read through the CCPA (ADR 0030). */
  'us-state-notice',
  /** The provider says it tells users of a restriction in advance or gives its reasons. */
  'reasons-given',
  /** The user is said to consent or agree to a transfer of their data abroad. */
  'transfer-consent',
  /** Derived: sharing with recipients (the group, a buyer, partners) with no word of selling, ads or California. */
  'disclosure-to-recipients',
  /** Derived: the text speaks of selling or sharing as the CCPA does (sale, cross-context ads, California). */
  'sale-context',
] as const;
export type ConditionId = (typeof CONDITION_IDS)[number];

export type ExposureLevel = 'low' | 'medium' | 'high';

export interface MappingRule {
  readonly reference: string;
  /** Primary: what a careful lawyer cites first for this category; secondary: worth checking. */
  readonly role: 'primary' | 'secondary';
  /** The rule applies only when this condition holds. */
  readonly when?: ConditionId;
  /**
   * A primary rule for the article that defines the category: primary also when the category is a further one of
   * the provision, not only its main one (a sale clause inside a cookie notice still engages CCPA 1798.120).
   */
  readonly core?: boolean;
  readonly rationale: string;
}

export interface ExposureRule {
  readonly level: ExposureLevel;
  readonly when?: ConditionId;
  readonly reason: string;
}

export interface CategoryDefinition {
  readonly id: CategoryId;
  readonly label: string;
  readonly description: string;
  readonly mapping: readonly MappingRule[];
  /** The first rule without `when` is the base level; conditional rules raise or lower it (see the classifier). */
  readonly exposure: readonly ExposureRule[];
  /** What a reader of a contract or vendor assessment should do about such a provision. */
  readonly implications: readonly string[];
  readonly considerations: readonly string[];
}

const p = (reference: string, rationale: string, when?: ConditionId): MappingRule =>
  when ? { reference, role: 'primary', rationale, when } : { reference, role: 'primary', rationale };
/** A core primary rule: see {@link MappingRule.core}. */
const c = (reference: string, rationale: string, when?: ConditionId): MappingRule => ({
  ...p(reference, rationale, when),
  core: true,
});
const s = (reference: string, rationale: string, when?: ConditionId): MappingRule =>
  when ? { reference, role: 'secondary', rationale, when } : { reference, role: 'secondary', rationale };
const e = (level: ExposureLevel, reason: string, when?: ConditionId): ExposureRule =>
  when ? { level, reason, when } : { level, reason };

export const CATEGORIES: readonly CategoryDefinition[] = [
  {
    id: 'personal-data-collection',
    label: 'Personal data collection',
    description: 'Which personal data the service collects, from whom and for what purposes.',
    mapping: [
      c('gdpr/art-6', 'Each collection purpose needs a lawful basis.'),
      p('gdpr/art-13', 'What is collected and why must be stated at collection.'),
      p('ccpa/1798-100', 'A notice at collection to California consumers.', 'ccpa-engaged'),
      p('gdpr/art-5-1-b', 'Model training among the purposes raises purpose compatibility.', 'training-use'),
      p('gdpr/art-7', 'Collection based on consent must meet the consent conditions.', 'consent-basis'),
      p(
        'gdpr/art-28',
        'Data handled for a business customer is processed as its processor.',
        'processor-context',
      ),
      // Worth checking for any consumer service offered in the US, named or not: the notice at collection.
      s('ccpa/1798-100', 'A notice at collection to California consumers.'),
      s('gdpr/art-5-1-b', 'The purposes stated at collection bound later uses.'),
      s('gdpr/art-21', 'Uses based on legitimate interests can be objected to.'),
      s('gdpr/art-5-1-c', 'The list of collected data is where minimisation is judged.'),
      p(
        'gdpr/art-9',
        'Special-category data is mentioned and needs an Art. 9 exception.',
        'special-categories',
      ),
      s('ccpa/1798-121', 'Sensitive personal information triggers the right to limit.', 'special-categories'),
      s('gdpr/art-4-1', 'Whether the data described is personal data decides the scope.'),
    ],
    exposure: [
      e('medium', 'Defines the scope of personal data the provider processes.'),
      e('high', 'Special categories of data are mentioned.', 'special-categories'),
    ],
    implications: [
      'Compare the listed data with the data your organisation or users will actually submit.',
      'Check that the data processing agreement lists the same categories and purposes.',
    ],
    considerations: [
      'Map each purpose to a lawful basis and record it.',
      'Check whether sensitive or special-category data may reach the service and, if so, how it is excluded.',
    ],
  },
  {
    id: 'usage-telemetry',
    label: 'Usage data and telemetry',
    description: 'Log, device, usage and technical data collected automatically when the service is used.',
    mapping: [
      p('gdpr/art-6', 'Automatic collection still needs a lawful basis, usually legitimate interests.'),
      c('gdpr/art-5-1-c', 'Telemetry should be limited to what its purpose needs.'),
      p(
        'eprivacy/art-5-3',
        "Reading identifiers or data from the user's device needs consent unless strictly necessary.",
        'device-data',
      ),
      p(
        'gdpr/art-28',
        'Usage data processed for a business customer is processed as its processor.',
        'processor-context',
      ),
      p(
        'gdpr/art-5-1-b',
        'Aggregated or de-identified usage data reused for other purposes.',
        'anonymised-data',
      ),
      s(
        'gdpr/art-4-1',
        'IP addresses and device identifiers are personal data when they can single out a user.',
      ),
      s('gdpr/art-5-1-b', 'Reuse of usage data for other purposes must be compatible.'),
      s(
        'ai-act/art-53',
        'Usage data feeding model training falls under the training-content summary duty.',
        'training-use',
      ),
    ],
    exposure: [
      e('low', 'Routine technical data collection.'),
      e(
        'medium',
        'Aggregated or de-identified usage data is claimed outside personal-data rules.',
        'anonymised-data',
      ),
      e('medium', 'Usage data is used to train or improve models.', 'training-use'),
    ],
    implications: [
      'Check whether usage data is excluded from "customer data" in the contract or DPA.',
      'Ask the vendor for the list of telemetry fields and their retention.',
    ],
    considerations: [
      'Review any anonymisation or aggregation claim against GDPR Art. 4(1) and regulator guidance on identifiability.',
      'Map usage data separately from content in your records of processing.',
    ],
  },
  {
    id: 'ai-training-on-user-content',
    label: 'AI training on user content',
    description:
      'Use of prompts, files, conversations or outputs to train or improve AI models, and any opt-out.',
    mapping: [
      p(
        'gdpr/art-6',
        'Training on personal data needs its own lawful basis, typically legitimate interests or consent.',
      ),
      c(
        'gdpr/art-21',
        'Where training rests on legitimate interests, users may object (opt out).',
        'opt-out-offered',
      ),
      p(
        'ai-act/art-53',
        'General-purpose model providers must summarise training content and respect copyright opt-outs.',
      ),
      c(
        'gdpr/art-5-1-b',
        'Reusing content provided for a service to train models raises purpose compatibility.',
      ),
      p(
        'gdpr/art-28',
        "Business customers' content is processed as their processor, not for the provider's own training.",
        'processor-context',
      ),
      p(
        'gdpr/art-5-1-c',
        'De-identifying or filtering data before training is a minimisation measure.',
        'anonymised-data',
      ),
      p(
        'gdpr/art-5-1-c',
        'Reducing personal data before training is a minimisation measure.',
        'minimisation',
      ),
      p(
        'gdpr/art-9',
        'Special-category data in training content needs an Art. 9 exception.',
        'special-categories',
      ),
      s('gdpr/art-7', 'Where training rests on consent, consent conditions apply.', 'consent-basis'),
      s('gdpr/art-13', 'Training as a purpose must be disclosed at collection.'),
      s('gdpr/art-5-1-c', 'Filtering personal data out of training sets is a minimisation measure.'),
    ],
    exposure: [
      e('medium', 'User content may feed model training.'),
      e('high', 'No opt-out from training is stated.', 'no-opt-out-stated'),
      e('medium', 'An opt-out from training is offered.', 'opt-out-offered'),
    ],
    implications: [
      'Confirm which plan or setting excludes your content from training, and whether it is the default.',
      'Align the confidentiality clauses of your contract with the training use described.',
    ],
    considerations: [
      'Document the lawful basis and the balancing test for training on personal data.',
      'Check the opt-out mechanism honours objections under GDPR Art. 21 and applies to past content.',
    ],
  },
  {
    id: 'output-ownership',
    label: 'Ownership of outputs and content',
    description: 'Who owns the inputs and outputs of the service, and any assignment of rights.',
    mapping: [
      c('uctd/art-3', 'A term on who owns content or outputs is weighed for imbalance against the consumer.'),
      p('ai-act/art-50', 'AI-generated output may need marking as such.', 'ai-disclosure'),
      s('uctd/annex-1-b', 'Disclaimers over outputs can limit rights when the service underperforms.'),
      s('ai-act/art-50', 'AI-generated output may need marking as such.', 'ai-generated-content'),
      s('uctd/art-5', 'Ownership terms must be plain and intelligible.'),
    ],
    exposure: [
      e('low', 'States who owns inputs and outputs.'),
      e('medium', 'The provider keeps ownership or broad rights in outputs or content.', 'provider-owns'),
    ],
    implications: [
      'Check that output ownership matches what your licences to customers or employers require.',
      'Note that outputs may be similar for other users, limiting exclusivity.',
    ],
    considerations: [
      'Check intellectual-property warranties and indemnities that accompany the ownership statement.',
    ],
  },
  {
    id: 'licence-to-user-content',
    label: 'Licence to user content',
    description: 'Rights the user grants the provider over content they upload or create.',
    mapping: [
      c('uctd/art-3', 'A broad licence over user content is weighed for significant imbalance.'),
      s('uctd/art-5', 'The scope of the licence must be understandable.'),
      s(
        'ai-act/art-53',
        'A licence used for model training engages the copyright policy duty.',
        'training-use',
      ),
      s('gdpr/art-6', 'Using content that holds personal data needs a lawful basis.'),
    ],
    exposure: [
      e('medium', 'The user grants the provider rights over their content.'),
      e(
        'high',
        'The licence is broad: perpetual, irrevocable, sublicensable or worldwide without a clear purpose limit.',
        'broad-licence',
      ),
    ],
    implications: [
      'Check that the licence is limited to operating and improving the service.',
      'Make sure confidential or third-party content is not uploaded under a broader licence than you can grant.',
    ],
    considerations: ['Assess whether the licence survives account deletion and whether it covers training.'],
  },
  {
    id: 'retention',
    label: 'Retention',
    description: 'How long data is kept and when it is deleted.',
    mapping: [
      c('gdpr/art-5-1-e', 'Storage limitation: data may be kept only as long as needed.'),
      p('gdpr/art-13', 'The retention period, or the criteria for it, must be stated at collection.'),
      p(
        'gdpr/art-28',
        'A processor keeps, returns and deletes data as the controller instructs (Art. 28(3)(g)).',
        'processor-context',
      ),
      p('gdpr/art-17', "Deletion at the user's request is the right to erasure.", 'user-deletion'),
      p('ccpa/1798-100', 'California notices must state retention per category.', 'ccpa-engaged'),
      s('ccpa/1798-100', 'California notices must state retention per category.'),
      s('coppa/312-10', "Children's data may be kept only as long as reasonably necessary.", 'under-13'),
      s('gdpr/art-17', 'Retention interacts with the right to erasure.'),
      s('gdpr/art-6', 'Keeping data to meet a legal obligation rests on Art. 6(1)(c).', 'legal-obligation'),
    ],
    exposure: [
      e('medium', 'Retention is described by criteria rather than fixed periods.'),
      e('low', 'A concrete retention period is stated.', 'retention-period-stated'),
      e(
        'medium',
        'A stated retention period runs longer than 90 days: the purpose must justify keeping the data that long.',
        'long-retention-period',
      ),
      e('high', 'Data may be kept indefinitely or without a stated limit.', 'indefinite-retention'),
    ],
    implications: [
      'Compare the stated periods with your own retention schedule and the DPA.',
      'Check what deletion of an account or a conversation actually removes, and when.',
    ],
    considerations: ['Ask for the criteria behind "as long as necessary" and for backup deletion timelines.'],
  },
  {
    id: 'international-transfers',
    label: 'International transfers',
    description: 'Transfers of personal data to other countries and the safeguards relied on.',
    mapping: [
      c('gdpr/art-44', 'Transfers out of the EEA must meet Chapter V.'),
      p('gdpr/art-45', 'Transfers to adequate countries, including the EU-US Data Privacy Framework.'),
      p('gdpr/art-46', 'Standard contractual clauses and other safeguards for transfers without adequacy.'),
      // Beside another main category, the transfer tool the text names.
      c('gdpr/art-45', 'An adequacy decision or the Data Privacy Framework is relied on.', 'adequacy-named'),
      c(
        'gdpr/art-46',
        'Standard contractual clauses or other Art. 46 safeguards are relied on.',
        'safeguards-named',
      ),
      p('lgpd/art-33', 'Transfers from Brazil follow LGPD Art. 33.', 'brazil-audience'),
      p(
        'gdpr/art-49',
        "A transfer resting on the user's consent or agreement uses the explicit-consent derogation.",
        'transfer-consent',
      ),
      s('gdpr/art-49', 'Derogations for occasional transfers.'),
      s('gdpr/art-28', "Transfers by a processor follow the controller's instructions.", 'processor-context'),
      s('gdpr/art-7', 'Transfers relying on consent need valid explicit consent.', 'consent-basis'),
      s('uk-gdpr/art-44', 'Transfers from the UK follow the UK regime.', 'uk-audience'),
    ],
    exposure: [
      e('medium', 'Personal data is transferred across borders.'),
      e(
        'low',
        'Safeguards such as standard contractual clauses or adequacy are named.',
        'transfer-safeguards',
      ),
    ],
    implications: [
      'Check that the DPA incorporates the transfer mechanism named and lists the destination countries.',
      'Run or request a transfer impact assessment for the destination countries.',
    ],
    considerations: ['Verify the mechanism named (SCCs, adequacy, DPF certification) is current.'],
  },
  {
    id: 'sub-processors',
    label: 'Sub-processors and service providers',
    description: "Vendors and service providers that process data on the provider's behalf.",
    mapping: [
      c('gdpr/art-28', 'Processors and sub-processors need contracts and controller authorisation.'),
      s('gdpr/art-13', 'Recipients or categories of recipients must be disclosed.'),
      s(
        'ccpa/1798-100',
        'Disclosures to service providers are part of the California notice.',
        'us-audience',
      ),
      s('gdpr/art-44', 'Sub-processors abroad make transfers.'),
      s(
        'gdpr/art-48',
        'Disclosure to authorities is a recipient category often listed beside vendors.',
        'legal-obligation',
      ),
    ],
    exposure: [e('low', 'Describes disclosure to vendors acting for the provider.')],
    implications: [
      'Ask for the sub-processor list and the notice mechanism for changes.',
      'Check flow-down of data-protection terms to each sub-processor.',
    ],
    considerations: ['Confirm objection rights to new sub-processors under the DPA.'],
  },
  {
    id: 'children',
    label: 'Children',
    description: "Minimum ages, parental consent and handling of children's data.",
    mapping: [
      c(
        'gdpr/art-8',
        'Online services offered to children need parental consent below the national age of consent.',
        'age-or-parent',
      ),
      c(
        'dsa/art-28',
        'Platforms accessible to minors must ensure their safety, privacy and security.',
        'minor-safety',
      ),
      c(
        'dsa/art-28',
        'An age floor in the terms of a platform is a measure to protect minors.',
        'terms-age-gate',
      ),
      c('coppa/312-5', 'Data from US children under 13 needs verifiable parental consent.', 'coppa-engaged'),
      s(
        'coppa/312-5',
        'Collection from children under 13 engages the US parental-consent rule if US children are reached.',
      ),
      s(
        'gdpr/art-8',
        'Online services offered to children need parental consent below the national age of consent.',
      ),
      s('coppa/312-4', 'Operators must notify parents of their practices.', 'under-13'),
      s('dsa/art-28', 'Platforms accessible to minors must protect them and avoid profiling-based ads.'),
      s('coppa/312-6', "Parents may review and delete their child's data.", 'under-13'),
      s('ccpa/1798-120', 'Minors under 16 must opt in to the sale or sharing of their data.', 'us-audience'),
    ],
    exposure: [
      e('low', 'Sets a minimum age or excludes children.'),
      e('medium', 'Children may use the service with parental consent.', 'consent-basis'),
    ],
    implications: ['Check that age gates and parental consent match your user base, for example schools.'],
    considerations: ["Verify the age thresholds against each EU member state's Art. 8 age and COPPA."],
  },
  {
    id: 'cookies-trackers',
    label: 'Cookies and trackers',
    description: 'Cookies, pixels, SDKs and similar technologies and the choices offered.',
    mapping: [
      c(
        'eprivacy/art-5-3',
        'Storing or reading information on the device needs prior consent unless strictly necessary.',
      ),
      c(
        'gdpr/art-7',
        'Consent to non-essential cookies must meet GDPR consent conditions.',
        'optional-trackers',
      ),
      p('ccpa/1798-135', 'Opt-out links and preference signals must be honoured.', 'ccpa-engaged'),
      s('dsa/art-26', 'Advertising trackers feed the ads platforms must label.', 'targeted-ads'),
      s(
        'ccpa/1798-135',
        'Opt-out preference signals must be honoured for advertising cookies.',
        'targeted-ads',
      ),
      s('ccpa/1798-120', 'Opting out of cookies used for ads is the opt-out of sharing.', 'opt-out-offered'),
      s('ccpa/1798-120', 'Advertising cookies may be "sharing" that users can opt out of.', 'targeted-ads'),
      s('gdpr/art-6', 'Processing of data collected by trackers needs a lawful basis.'),
    ],
    exposure: [
      e('medium', "Trackers are placed on users' devices."),
      e('high', 'Trackers serve advertising or cross-site tracking.', 'targeted-ads'),
    ],
    implications: ['Check the consent banner and the cookie list against the technologies named.'],
    considerations: ['Separate strictly necessary cookies from analytics and advertising ones.'],
  },
  {
    id: 'profiling-advertising',
    label: 'Profiling and advertising',
    description: 'Use of data for marketing, advertising or profiling, and the related opt-outs.',
    mapping: [
      p('gdpr/art-21', 'Users may always object to direct marketing and related profiling.'),
      p(
        'dsa/art-26',
        'Platform ads must be labelled and may not profile on special-category data.',
        'ads-on-platform',
      ),
      p(
        'dsa/art-26',
        'Ads selected on profiles must say why they are shown and may not use special-category data.',
        'targeted-ads',
      ),
      p('gdpr/art-6', 'Profiling and ad selection need a lawful basis, legitimate interests or consent.'),
      p('gdpr/art-7', 'Personalised ads based on consent must meet the consent conditions.', 'consent-basis'),
      p(
        'ccpa/1798-120',
        'Cross-context behavioural advertising is "sharing" that California consumers can opt out of.',
        'ccpa-engaged',
      ),
      s(
        'ccpa/1798-120',
        'Targeted advertising is "sharing" that California users can opt out of.',
        'targeted-ads',
      ),
      p(
        'eprivacy/art-13',
        'Electronic marketing messages need consent or a soft opt-in.',
        'direct-marketing',
      ),
      s('gdpr/art-6', 'Marketing and profiling need a lawful basis.'),
      s('dsa/art-28', 'No profiling-based ads to minors.', 'under-13'),
    ],
    exposure: [
      e('medium', 'Personal data is used for marketing or advertising.'),
      e('high', 'Targeted or cross-context advertising is described.', 'targeted-ads'),
    ],
    implications: ['Check whether marketing uses can be switched off for your users and employees.'],
    considerations: ['Confirm consent or an objection mechanism for each marketing channel.'],
  },
  {
    id: 'sale-or-sharing',
    label: 'Sale or sharing of personal data',
    description: 'Whether personal data is sold or shared for cross-context advertising, and opt-outs.',
    mapping: [
      p('ccpa/1798-120', 'California consumers may opt out of sale or sharing.', 'sale-context'),
      // Disclosure to affiliates, a buyer or partners, in no words of selling, is a question of recipients and basis.
      p('gdpr/art-6', 'Disclosure to other companies needs a lawful basis.', 'disclosure-to-recipients'),
      p(
        'gdpr/art-13',
        'Recipients or their categories must be stated to the user.',
        'disclosure-to-recipients',
      ),
      // Beside another main category, only where the text speaks the CCPA's language (sell and share, California).
      c('ccpa/1798-120', 'California consumers may opt out of sale or sharing.', 'ccpa-engaged'),
      p('ccpa/1798-135', 'Opt-out links and preference signals must be honoured.', 'opt-out-offered'),
      s('ccpa/1798-120', 'California consumers may opt out of sale or sharing.'),
      s('ccpa/1798-135', 'Opt-out links and preference signals must be honoured.'),
      s('ccpa/1798-115', 'Consumers may learn what was sold or shared, and to whom.'),
      s('ccpa/1798-100', 'Whether data is sold or shared belongs in the notice at collection.'),
      s('gdpr/art-6', 'Disclosure to third parties needs a lawful basis in the EU.'),
    ],
    exposure: [
      e('medium', 'Discloses personal data to third parties.'),
      e('low', 'States that personal data is not sold or shared.', 'denies-sale'),
      e('high', 'Personal data is sold or shared for advertising.', 'sells-or-shares'),
    ],
    implications: ['Check whether the vendor is a "service provider" or a "third party" under the CCPA.'],
    considerations: ['Verify "Do Not Sell or Share" links and Global Privacy Control handling.'],
  },
  {
    id: 'data-subject-rights',
    label: 'Data-subject rights',
    description: 'Rights of access, deletion, correction, portability, objection and how to exercise them.',
    mapping: [
      p('gdpr/art-15', 'Right of access.'),
      c('gdpr/art-17', 'The provision names deletion or erasure.', 'names-erasure'),
      p('gdpr/art-16', 'The provision names correction or rectification.', 'names-rectification'),
      p('gdpr/art-20', 'The provision names portability.', 'names-portability'),
      p('gdpr/art-18', 'The provision names restriction of processing.', 'names-restriction'),
      p('gdpr/art-21', 'The provision names the right to object.', 'names-objection'),
      p('gdpr/art-12', 'How requests are made, verified and answered, and in what time.', 'request-handling'),
      p('gdpr/art-28', 'A processor assists the controller in answering requests.', 'processor-context'),
      p('ccpa/1798-105', 'California right to delete.', 'california'),
      p('ccpa/1798-125', 'No discrimination for exercising rights.', 'non-discrimination'),
      p('lgpd/art-18', 'Brazilian data-subject rights.', 'brazil-audience'),
      s('gdpr/art-17', 'Right to erasure.'),
      s('gdpr/art-7', 'Withdrawal of consent must be as easy as giving it.', 'names-consent-withdrawal'),
      s('gdpr/art-12', 'Requests must be answered within a month, free of charge.'),
      s('ccpa/1798-105', 'California right to delete.'),
      s('ccpa/1798-110', 'California right to know.'),
      s('ccpa/1798-106', 'California right to correct.'),
      s('ccpa/1798-125', 'No discrimination for exercising rights.'),
      s('uk-gdpr/art-13', 'The same rights apply under UK GDPR.', 'uk-audience'),
    ],
    exposure: [e('low', 'Describes rights users can exercise.')],
    implications: [
      'Check how rights requests for your users reach the vendor and the response times in the DPA.',
    ],
    considerations: ['Test the request channels named (settings, forms, email) and their identity checks.'],
  },
  {
    id: 'automated-decisions',
    label: 'Automated decisions',
    description: 'Solely automated decisions or profiling with significant effects, and safeguards.',
    mapping: [
      c('gdpr/art-22', 'Solely automated decisions with significant effects are restricted.'),
      p(
        'ai-act/art-5',
        'Some automated assessments of people are prohibited AI practices.',
        'ai-prohibited-practice',
      ),
      p('ai-act/art-50', 'People must be told when they interact with an AI system.', 'ai-disclosure'),
      p('ccpa/1798-185', 'California regulations on automated decision-making technology.', 'california'),
      s('ccpa/1798-185', 'California regulations on automated decision-making technology.'),
      s('ai-act/art-86', 'Explanation of decisions based on high-risk AI systems.'),
      s('ai-act/art-5', 'Some automated assessments of people are prohibited AI practices.'),
      s('ai-act/art-50', 'People must be told when they interact with an AI system.'),
      s('uk-gdpr/art-22', 'The UK rule on automated decisions.', 'uk-audience'),
    ],
    exposure: [e('medium', 'Automated decision-making may affect users.')],
    implications: ['Ask which decisions are automated and what human review is available.'],
    considerations: ['Assess whether a DPIA is needed for the automated decisions described.'],
  },
  {
    id: 'security-breach',
    label: 'Security and breaches',
    description: 'Security measures and breach notification.',
    mapping: [
      c('gdpr/art-32', 'Appropriate security measures proportionate to risk.'),
      p('gdpr/art-33', 'Breach notification to the supervisory authority.', 'breach-notification'),
      p(
        'gdpr/art-33',
        'Handling of security incidents is read with the duty to notify breaches.',
        'mentions-incident',
      ),
      p('gdpr/art-28', 'A processor must secure data and assist with breach duties.', 'processor-context'),
      p('gdpr/art-34', 'Breach communication to affected people.', 'breach-notification'),
      s('gdpr/art-5-1-f', 'Integrity and confidentiality principle.'),
      s('gdpr/art-33', 'A security clause is read with the duty to notify personal data breaches.'),
      s(
        'ccpa/1798-150',
        'California private action for breaches caused by unreasonable security.',
        'us-audience',
      ),
      s('coppa/312-8', "Security of children's data.", 'under-13'),
    ],
    exposure: [
      e('low', 'Describes security measures.'),
      e('medium', 'Disclaims the security of transmission or storage.', 'full-exclusion'),
    ],
    implications: [
      'Compare the measures named with the security annex of the DPA and certifications (ISO 27001, SOC 2).',
    ],
    considerations: ["Check breach-notification timelines in the DPA against GDPR Art. 33's 72 hours."],
  },
  {
    id: 'law-enforcement-requests',
    label: 'Legal requests and law enforcement',
    description: 'Disclosure to authorities, courts or for legal compliance.',
    mapping: [
      p('gdpr/art-6', 'Disclosure to comply with a legal obligation rests on Art. 6(1)(c).'),
      c('gdpr/art-48', 'Foreign authority requests are enforceable only through international agreements.'),
      p(
        'dsa/art-10',
        'The user is told of an authority order about them (DSA Art. 10(5)).',
        'user-notified-of-request',
      ),
      p('gdpr/art-5-1-e', 'Preservation requests keep data beyond its normal retention.', 'preservation'),
      s('dsa/art-10', 'Orders from EU authorities to provide information about users.'),
      s('gdpr/art-5-1-e', 'Preservation requests keep data beyond its normal retention.'),
    ],
    exposure: [e('medium', 'Data may be disclosed to authorities or in legal proceedings.')],
    implications: [
      'Check whether the vendor commits to notify you of requests and to challenge overbroad ones.',
    ],
    considerations: [
      "Consider the destination country's surveillance laws in the transfer impact assessment.",
    ],
  },
  {
    id: 'acceptable-use',
    label: 'Acceptable use',
    description: 'What users may not do with the service.',
    mapping: [
      p('dsa/art-14', 'Restrictions on use must be stated clearly in the terms and applied proportionately.'),
      p('ai-act/art-5', 'The prohibited uses mirror AI Act prohibited practices.', 'ai-prohibited-practice'),
      p(
        'ai-act/art-50',
        'Users must disclose that content or a conversation is AI-generated.',
        'ai-disclosure',
      ),
      s('ai-act/art-5', 'Some prohibited uses mirror AI Act prohibited practices.'),
      s('uctd/art-3', 'Broad use restrictions in consumer terms are weighed for imbalance.'),
      s('dsa/art-23', 'Misuse can lead to suspension under stated policies.', 'suspension'),
      s(
        'gdpr/art-9',
        'Restrictions on inferring sensitive traits protect special-category data.',
        'special-categories',
      ),
      s('gdpr/art-22', 'Restrictions on automated decisions about people.', 'names-automated'),
      s('ai-act/art-50', 'Disclosure that content is AI-generated.', 'ai-generated-content'),
      s('uctd/art-5', 'Use restrictions must be plain and intelligible.'),
    ],
    exposure: [e('low', 'States rules of use.')],
    implications: ['Check that your intended use cases are not among the restricted ones.'],
    considerations: ['Brief users on the restrictions that lead to suspension.'],
  },
  {
    id: 'content-moderation-appeals',
    label: 'Content moderation and appeals',
    description: 'Removal of content, reporting and appeals against moderation decisions.',
    mapping: [
      c('dsa/art-17', 'Removing or restricting content needs a statement of reasons.', 'removal'),
      c('dsa/art-16', 'Notice and action: users can report content.', 'reporting'),
      c('dsa/art-20', 'Users must be able to complain against moderation decisions.', 'appeal'),
      p(
        'dsa/art-23',
        'Suspending accounts for misuse must follow stated policies and a warning.',
        'suspension',
      ),
      s('dsa/art-17', 'Restrictions need a statement of reasons.'),
      s('dsa/art-20', 'Users must be able to complain against moderation decisions.'),
      s('dsa/art-21', 'Out-of-court dispute settlement for moderation decisions.'),
      s('dsa/art-16', 'Notice and action for illegal content.'),
      // The provision is itself the moderation information the terms must give (Art. 14(1)).
      p('dsa/art-14', 'Moderation policies and tools must be stated in the terms.'),
      s('dsa/art-23', 'Suspension of repeat offenders.', 'suspension'),
      s('uctd/annex-1-g', 'Removing access without notice may be unfair.', 'no-notice'),
    ],
    exposure: [e('low', 'Describes moderation and redress.')],
    implications: ['Record the appeal channel and deadlines for your users.'],
    considerations: ['Check that reasons and an appeal are given for each moderation decision.'],
  },
  {
    id: 'liability-limits',
    label: 'Liability limits and disclaimers',
    description: "Exclusions and caps of the provider's liability and disclaimers of warranties.",
    mapping: [
      p('uctd/art-3', 'Broad exclusions of liability are weighed for significant imbalance.'),
      p('uctd/annex-1-b', 'Excluding consumer rights for non-performance may be unfair.'),
      p(
        'uctd/annex-1-a',
        'Liability for death or injury cannot be excluded against consumers.',
        'death-or-injury',
      ),
      s('uctd/annex-1-q', 'Limits on remedies may also restrict legal action.'),
    ],
    exposure: [
      e('medium', "Limits the provider's liability."),
      e(
        'high',
        'Excludes liability or warranties broadly, or caps liability at a nominal amount.',
        'full-exclusion',
      ),
    ],
    implications: [
      'Compare caps with your own exposure; negotiate carve-outs for data breaches and IP in business terms.',
    ],
    considerations: [
      'For consumers, check the exclusion preserves liability that cannot be excluded by law.',
    ],
  },
  {
    id: 'indemnity',
    label: 'Indemnity',
    description: 'Obligations of the user (or provider) to indemnify the other party.',
    mapping: [
      c('uctd/art-3', 'Consumer indemnities can shift disproportionate risk.'),
      s('uctd/art-5', 'Indemnity scope must be understandable.'),
    ],
    exposure: [e('medium', 'The user may have to indemnify the provider.')],
    implications: ['Check the scope of the indemnity and whether a provider IP indemnity exists in return.'],
    considerations: ['Ensure your insurance covers user-side indemnities.'],
  },
  {
    id: 'arbitration-class-waiver',
    label: 'Arbitration and class-action waiver',
    description: 'Mandatory arbitration, class-action and jury-trial waivers.',
    mapping: [
      c('uctd/annex-1-q', 'Forcing consumers into arbitration or restricting remedies may be unfair.'),
      s('uctd/art-3', 'General unfairness test.'),
    ],
    exposure: [
      e('high', 'Disputes go to mandatory arbitration and collective remedies are waived.'),
      e('medium', 'An opt-out from arbitration is offered.', 'arbitration-opt-out'),
    ],
    implications: ['Note the opt-out window and whether EU consumers are carved out.'],
    considerations: ['Check enforceability against consumers in each jurisdiction of use.'],
  },
  {
    id: 'governing-law',
    label: 'Governing law and forum',
    description: 'Which law governs the terms and where disputes are heard.',
    mapping: [
      p('rome-i/art-6', "A choice of law cannot remove a consumer's home-law protections."),
      p('brussels-ia/art-18', 'Consumers may sue at home and be sued only there.', 'courts-named'),
      s('brussels-ia/art-18', 'Consumers may sue at home and be sued only there.'),
    ],
    exposure: [
      e('low', 'States the governing law.'),
      e('medium', 'Chooses an exclusive foreign forum.', 'forum-clause'),
    ],
    implications: ['Check the governing law and forum against your contracting entity and location.'],
    considerations: ['For consumers, note the mandatory rules of the country of residence that still apply.'],
  },
  {
    id: 'termination',
    label: 'Termination and suspension',
    description: 'When and how the provider or the user may end or suspend the contract or account.',
    mapping: [
      p('uctd/annex-1-g', 'Termination without reasonable notice, absent serious grounds, may be unfair.'),
      c(
        'uctd/annex-1-g',
        'Ending access without notice, absent serious grounds, may be unfair.',
        'no-notice',
      ),
      c('dsa/art-23', 'Suspension for misuse must follow stated policies and a warning.', 'suspension'),
      p(
        'dsa/art-17',
        'Telling users that, and why, their account is restricted or ended is the statement of reasons.',
        'reasons-given',
      ),
      s('dsa/art-17', 'Account suspension needs a statement of reasons.', 'suspension'),
      s('dsa/art-14', 'Grounds for suspension must be stated in the terms.', 'suspension'),
      s('gdpr/art-5-1-e', 'Data kept after the account ends must still be limited in time.'),
      s('uctd/annex-1-k', 'Discontinuing the service is a change of the service.', 'service-changes'),
    ],
    exposure: [
      e('medium', 'The provider may end or suspend the service.'),
      e(
        'high',
        'The provider may terminate at any time, without notice or at its sole discretion.',
        'no-notice',
      ),
    ],
    implications: ['Plan for data export and continuity if the account is terminated.'],
    considerations: ['Check notice periods and refund rules on termination.'],
  },
  {
    id: 'unilateral-changes',
    label: 'Unilateral changes',
    description: "The provider's right to change the terms or the service.",
    mapping: [
      p('uctd/annex-1-j', 'Changing terms without a valid stated reason may be unfair.'),
      c(
        'uctd/annex-1-k',
        'Changing the service itself without valid reason may be unfair.',
        'service-changes',
      ),
      p('dsa/art-14', 'Users must be informed of significant changes to the terms.', 'terms-change-notice'),
      s('dsa/art-14', 'Users must be informed of significant changes to the terms.'),
      s('uctd/art-3', 'General unfairness test for change clauses.'),
    ],
    exposure: [
      e('medium', 'The provider may change the terms, with notice.'),
      e(
        'high',
        'Changes may take effect without prior notice, or continued use counts as acceptance.',
        'no-notice',
      ),
    ],
    implications: ['Monitor the document for changes (Termline does) and check the notice period.'],
    considerations: ['For business plans, negotiate that changes bind only at renewal.'],
  },
  {
    id: 'none',
    label: 'No governance category',
    description: 'Navigation, definitions, contact details or other text with no category of this taxonomy.',
    mapping: [],
    exposure: [e('low', 'No governance-relevant commitment found.')],
    implications: [],
    considerations: [],
  },
];

const BY_ID = new Map(CATEGORIES.map((c) => [c.id, c]));

export function categoryById(id: CategoryId): CategoryDefinition {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown category ${id}`);
  return found;
}
