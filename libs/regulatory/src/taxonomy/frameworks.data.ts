/**
 * The legal frameworks the taxonomy cites. Summaries and titles are written for this project; the official text
 * is at `url` (EUR-Lex ELI for EU acts, the official publisher elsewhere).
 */
export const FRAMEWORK_IDS = [
  'gdpr',
  'eprivacy',
  'ai-act',
  'dsa',
  'uctd',
  'ccpa',
  'coppa',
  'uk-gdpr',
  'lgpd',
  'dma',
  'rome-i',
  'brussels-ia',
] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/** Where a framework bites: the regions the jurisdiction flags speak about. */
export const JURISDICTION_IDS = ['eu-eea', 'us-california', 'us-federal', 'uk', 'brazil'] as const;
export type JurisdictionId = (typeof JURISDICTION_IDS)[number];

export interface ApplicationDate {
  /** ISO date (YYYY-MM-DD) from which the obligations below apply. */
  readonly date: string;
  readonly applies: string;
}

export interface Framework {
  readonly id: FrameworkId;
  readonly shortName: string;
  /** Official name and number. */
  readonly instrument: string;
  readonly jurisdiction: JurisdictionId;
  readonly url: string;
  readonly summary: string;
  readonly applicationDates: readonly ApplicationDate[];
}

export const JURISDICTIONS: Readonly<Record<JurisdictionId, { readonly name: string }>> = {
  'eu-eea': { name: 'EU/EEA' },
  'us-california': { name: 'California (US)' },
  'us-federal': { name: 'United States (federal)' },
  uk: { name: 'United Kingdom' },
  brazil: { name: 'Brazil' },
};

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: 'gdpr',
    shortName: 'GDPR',
    instrument: 'Regulation (EU) 2016/679 (General Data Protection Regulation)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
    summary:
      'The EU rulebook for processing personal data: principles, lawful bases, transparency, data-subject rights, ' +
      'controller and processor duties, security and transfers outside the EEA.',
    applicationDates: [{ date: '2018-05-25', applies: 'all provisions' }],
  },
  {
    id: 'eprivacy',
    shortName: 'ePrivacy Directive',
    instrument: 'Directive 2002/58/EC (Directive on privacy and electronic communications)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/dir/2002/58/oj',
    summary:
      'EU rules on confidentiality of electronic communications, storing or reading information on user devices ' +
      '(cookies and similar) and unsolicited marketing; applied through national laws.',
    applicationDates: [
      { date: '2003-10-31', applies: 'transposition deadline' },
      {
        date: '2011-05-25',
        applies: 'consent rule for terminal-equipment access (as amended by Directive 2009/136/EC)',
      },
    ],
  },
  {
    id: 'ai-act',
    shortName: 'AI Act',
    instrument: 'Regulation (EU) 2024/1689 (Artificial Intelligence Act)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    summary:
      'The EU risk-based regime for AI systems and general-purpose AI models: prohibited practices, high-risk ' +
      'requirements, transparency duties and obligations of general-purpose model providers.',
    applicationDates: [
      { date: '2024-08-01', applies: 'entry into force' },
      { date: '2025-02-02', applies: 'prohibited practices (Art. 5) and AI literacy (Art. 4)' },
      { date: '2025-08-02', applies: 'general-purpose AI model obligations, governance and penalties' },
      { date: '2026-08-02', applies: 'most remaining obligations, including transparency (Art. 50)' },
      {
        date: '2027-08-02',
        applies: 'high-risk systems under Art. 6(1) (safety components of regulated products)',
      },
    ],
  },
  {
    id: 'dsa',
    shortName: 'DSA',
    instrument: 'Regulation (EU) 2022/2065 (Digital Services Act)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/reg/2022/2065/oj',
    summary:
      'EU duties of intermediary services and online platforms: clear terms, notice and action, reasons for ' +
      'moderation decisions, complaint handling, advertising and recommender transparency, protection of minors.',
    applicationDates: [
      { date: '2022-11-16', applies: 'entry into force' },
      { date: '2024-02-17', applies: 'all providers' },
    ],
  },
  {
    id: 'uctd',
    shortName: 'Unfair Contract Terms Directive',
    instrument: 'Council Directive 93/13/EEC on unfair terms in consumer contracts',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/dir/1993/13/oj',
    summary:
      "Non-negotiated terms that create a significant imbalance to the consumer's detriment do not bind the " +
      'consumer; terms must be plain and intelligible; the annex lists terms that may be regarded as unfair.',
    applicationDates: [{ date: '1995-01-01', applies: 'contracts concluded after this date' }],
  },
  {
    id: 'ccpa',
    shortName: 'CCPA/CPRA',
    instrument: 'California Consumer Privacy Act, Cal. Civ. Code § 1798.100 et seq., as amended by the CPRA',
    jurisdiction: 'us-california',
    url: 'https://leginfo.legislature.ca.gov/faces/codes_displayText.xhtml?division=3.&part=4.&lawCode=CIV&title=1.81.5',
    summary:
      "California consumers' rights to know, delete, correct, opt out of sale or sharing, limit use of sensitive " +
      'personal information, and not be discriminated against; duties of notice at collection.',
    applicationDates: [
      { date: '2020-01-01', applies: 'CCPA' },
      { date: '2023-01-01', applies: 'CPRA amendments' },
    ],
  },
  {
    id: 'coppa',
    shortName: 'COPPA Rule',
    instrument: "Children's Online Privacy Protection Rule, 16 CFR Part 312",
    jurisdiction: 'us-federal',
    url: 'https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-312',
    summary:
      'US federal rule for online services directed to children under 13 or knowingly collecting their data: ' +
      'notice, verifiable parental consent, parental review, security and limited retention.',
    applicationDates: [
      { date: '2000-04-21', applies: 'original rule' },
      { date: '2013-07-01', applies: 'amended rule' },
      { date: '2025-06-23', applies: '2025 amendments in force (compliance by 2026-04-22)' },
    ],
  },
  {
    id: 'uk-gdpr',
    shortName: 'UK GDPR',
    instrument:
      'UK General Data Protection Regulation (retained Regulation (EU) 2016/679, with the Data Protection Act 2018)',
    jurisdiction: 'uk',
    url: 'https://www.legislation.gov.uk/eur/2016/679/contents',
    summary: 'The GDPR as retained in UK law after Brexit, supervised by the ICO.',
    applicationDates: [{ date: '2021-01-01', applies: 'retained UK law' }],
  },
  {
    id: 'lgpd',
    shortName: 'LGPD',
    instrument: 'Lei Geral de Proteção de Dados Pessoais, Lei nº 13.709/2018 (Brazil)',
    jurisdiction: 'brazil',
    url: 'https://www.planalto.gov.br/ccivil_03/_ato2015-2018/2018/lei/l13709.htm',
    summary:
      "Brazil's general data protection law: lawful bases, data-subject rights and international transfers.",
    applicationDates: [{ date: '2020-09-18', applies: 'most provisions' }],
  },
  {
    id: 'dma',
    shortName: 'DMA',
    instrument: 'Regulation (EU) 2022/1925 (Digital Markets Act)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/reg/2022/1925/oj',
    summary:
      'Obligations of designated gatekeepers, among them limits on combining personal data across services.',
    applicationDates: [{ date: '2023-05-02', applies: 'most provisions' }],
  },
  {
    id: 'rome-i',
    shortName: 'Rome I',
    instrument: 'Regulation (EC) No 593/2008 on the law applicable to contractual obligations (Rome I)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/reg/2008/593/oj',
    summary:
      'Which law governs a contract; a chosen law cannot deprive a consumer of the mandatory protection of home law.',
    applicationDates: [{ date: '2009-12-17', applies: 'contracts concluded after this date' }],
  },
  {
    id: 'brussels-ia',
    shortName: 'Brussels Ia',
    instrument:
      'Regulation (EU) No 1215/2012 on jurisdiction and the recognition and enforcement of judgments (recast)',
    jurisdiction: 'eu-eea',
    url: 'https://eur-lex.europa.eu/eli/reg/2012/1215/oj',
    summary:
      'Which courts may hear a case; consumers may always sue, and must be sued, in their home courts.',
    applicationDates: [{ date: '2015-01-10', applies: 'all provisions' }],
  },
];
