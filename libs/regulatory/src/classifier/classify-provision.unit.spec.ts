import {
  CATEGORY_IDS,
  classifyProvision,
  REFERENCES,
  TAXONOMY_VERSION,
  CLASSIFIER_VERSION,
  type CategoryId,
} from '@termline/regulatory';

/**
 * Provisions written for this spec (not corpus text), one or two per category, phrased the way consumer terms and
 * privacy notices phrase them. The classifier must put the expected category first.
 */
const CASES: ReadonlyArray<readonly [CategoryId, string]> = [
  [
    'personal-data-collection',
    '## Information we collect\n\nWhen you sign up we collect your name, email address and payment details, and any information you provide when contacting support.',
  ],
  [
    'usage-telemetry',
    '## Usage data\n\nWe automatically receive log data such as your IP address, browser type, device identifiers and how you interact with the app.',
  ],
  [
    'ai-training-on-user-content',
    '## Improving our models\n\nWe may use the conversations you have with the assistant to train our models. You can opt out of training in your settings.',
  ],
  [
    'output-ownership',
    '**Ownership of outputs.** As between you and us, you own the outputs generated for you, and we assign to you any rights we may have in them.',
  ],
  [
    'licence-to-user-content',
    '**Licence to your content.** You grant us a worldwide, royalty-free, sublicensable licence to host, store, reproduce and display the content you upload.',
  ],
  [
    'retention',
    '## How long we keep data\n\nWe retain account data while your account is open. Deleted chats are purged from our systems within 30 days.',
  ],
  [
    'international-transfers',
    '## International transfers\n\nYour data may be transferred to and processed in the United States. Where required we rely on standard contractual clauses approved by the European Commission.',
  ],
  [
    'sub-processors',
    '## Service providers\n\nWe share information with vendors and sub-processors that host our infrastructure and handle payments on our behalf.',
  ],
  [
    'children',
    '## Children\n\nThe service is not meant for children under 13. Users under 18 need the permission of a parent or legal guardian.',
  ],
  [
    'cookies-trackers',
    '## Cookies\n\nWe and our partners use cookies, pixels and similar technologies to remember your preferences and measure traffic.',
  ],
  [
    'profiling-advertising',
    '## Marketing\n\nWith your consent we send promotional emails and show personalised ads. You can unsubscribe at any time.',
  ],
  [
    'sale-or-sharing',
    '## Do we sell your data?\n\nWe do not sell your personal information and we do not share it for cross-context behavioural advertising.',
  ],
  [
    'data-subject-rights',
    '## Your rights\n\nYou have the right to access, correct and delete your personal data, the right to data portability and the right to object. You may also lodge a complaint with your supervisory authority.',
  ],
  [
    'automated-decisions',
    '## Automated decision-making\n\nWe do not make decisions based solely on automated processing that produce legal or similarly significant effects for you.',
  ],
  [
    'security-breach',
    '## Security\n\nWe use technical and organisational measures, including encryption in transit, to protect your data. No system is completely secure.',
  ],
  [
    'law-enforcement-requests',
    '## Legal requests\n\nWe may disclose information to law enforcement or government authorities in response to a subpoena, court order or other legal process.',
  ],
  [
    'acceptable-use',
    '## What you may not do\n\nYou must not use the service to harass others, generate malware, or attempt to reverse engineer our systems.',
  ],
  [
    'content-moderation-appeals',
    '## Content moderation and appeals\n\nIf we remove your content we will tell you why, and you can appeal the decision through our complaint-handling system.',
  ],
  [
    'liability-limits',
    '## Limitation of liability\n\nIn no event will we be liable for indirect, incidental or consequential damages. The service is provided as is.',
  ],
  [
    'indemnity',
    '## Indemnity\n\nYou will indemnify and hold us harmless from any claims arising from your use of the service.',
  ],
  [
    'arbitration-class-waiver',
    '## Dispute resolution\n\nAny dispute will be resolved by binding arbitration administered by the AAA. You waive any right to a jury trial or to take part in a class action.',
  ],
  [
    'governing-law',
    '## Governing law\n\nThese terms are governed by the laws of Ireland and the courts of Dublin have exclusive jurisdiction.',
  ],
  [
    'termination',
    '## Termination\n\nWe may suspend or terminate your account if you breach these terms. You can close your account at any time.',
  ],
  [
    'unilateral-changes',
    '## Changes to these terms\n\nWe may modify these terms from time to time. We will notify you of material changes, and your continued use of the service means you accept them.',
  ],
  ['none', '## Contact us\n\nQuestions? Write to our team at the address on our website.'],
];

describe('classifyProvision', () => {
  it.each(CASES)('puts %s first', (expected, text) => {
    const result = classifyProvision({ text });
    expect(result.categories[0]!.id).toBe(expected);
  });

  it('covers every category of the taxonomy with a case', () => {
    expect(new Set(CASES.map(([id]) => id))).toEqual(new Set(CATEGORY_IDS));
  });

  it('gives evidence spans that point at the phrase in the text', () => {
    const text = CASES[5]![1];
    const result = classifyProvision({ text });
    const evidence = result.categories[0]!.evidence;
    expect(evidence.length).toBeGreaterThan(1);
    for (const e of evidence) expect(text.slice(e.start, e.end)).toBe(e.phrase);
  });

  it('maps a category to its references, with rationale, and only to references of the taxonomy', () => {
    const result = classifyProvision({ text: CASES[5]![1] });
    expect(result.references.filter((r) => r.primary).map((r) => r.id)).toEqual([
      'gdpr/art-5-1-e',
      'gdpr/art-13',
    ]);
    const known = new Set(REFERENCES.map((r) => r.id));
    for (const reference of result.references) {
      expect(known.has(reference.id)).toBe(true);
      expect(reference.rationale.length).toBeGreaterThan(10);
    }
  });

  it('uses conditional mappings: a breach notification makes Art. 33 and 34 primary', () => {
    const plain = classifyProvision({ text: CASES[14]![1] });
    const withNotice = classifyProvision({
      text:
        CASES[14]![1] +
        ' If a data breach affects you, we will notify you and the regulator without undue delay.',
    });
    // Without a notice, breach notification is only worth checking: Art. 33 is listed, not primary, Art. 34 absent.
    expect(plain.references.filter((r) => r.primary).map((r) => r.id)).not.toContain('gdpr/art-33');
    expect(plain.references.map((r) => r.id)).not.toContain('gdpr/art-34');
    expect(withNotice.references.filter((r) => r.primary).map((r) => r.id)).toEqual(
      expect.arrayContaining(['gdpr/art-32', 'gdpr/art-33', 'gdpr/art-34']),
    );
  });

  it('reports no category and no references for text without governance content', () => {
    const result = classifyProvision({ text: CASES[24]![1] });
    expect(result.categories).toEqual([
      { id: 'none', confidence: expect.any(Number), evidence: [], source: 'rules' },
    ]);
    expect(result.references).toEqual([]);
  });

  it('raises exposure on conditions: an indefinite licence is high, a stated retention period is low', () => {
    expect(classifyProvision({ text: CASES[4]![1] }).exposure.level).toBe('high');
    expect(classifyProvision({ text: CASES[5]![1] }).exposure).toEqual({
      level: 'low',
      reasons: ['A concrete retention period is stated.'],
    });
  });

  it('reads the length of a stated retention period: over 90 days is medium, indefinitely is high', () => {
    const keptFor = (period: string) =>
      classifyProvision({
        text: `## How long we keep data\n\nDeleted chats are purged from our systems within ${period}.`,
      }).exposure;
    expect(keptFor('30 days').level).toBe('low');
    expect(keptFor('90 days').level).toBe('low');
    expect(keptFor('180 days')).toEqual({
      level: 'medium',
      reasons: [
        'A stated retention period runs longer than 90 days: the purpose must justify keeping the data that long.',
        'A concrete retention period is stated.',
      ],
    });
    expect(keptFor('2 years').level).toBe('medium');
    expect(
      classifyProvision({ text: '## How long we keep data\n\nWe keep your chats indefinitely.' }).exposure
        .level,
    ).toBe('high');
  });

  it('flags jurisdictions from the frameworks cited and the regions named', () => {
    const result = classifyProvision({
      text: '## Your California privacy rights\n\nCalifornia residents may request that we delete their personal information and may exercise the right to know.',
    });
    const byId = Object.fromEntries(result.jurisdictions.map((j) => [j.id, j.level]));
    // Addressed to California only: the CCPA rights are what a lawyer cites first, the GDPR is worth checking.
    expect(byId['us-california']).toBe('high');
    expect(result.references.filter((r) => r.primary).map((r) => r.framework)).toEqual(
      expect.arrayContaining(['ccpa']),
    );
    expect(result.references.filter((r) => r.primary && r.framework === 'gdpr')).toEqual([]);
    expect(byId['eu-eea']).toBe('medium');
    expect(byId['brazil']).toBe('low');
  });

  it('names its versions and is deterministic', () => {
    const a = classifyProvision({ text: CASES[0]![1], service: 'Example', documentType: 'Privacy Policy' });
    const b = classifyProvision({ text: CASES[0]![1], service: 'Example', documentType: 'Privacy Policy' });
    expect(a).toEqual(b);
    expect(a.taxonomyVersion).toBe(TAXONOMY_VERSION);
    expect(a.classifierVersion).toBe(CLASSIFIER_VERSION);
  });

  it('does not read link targets as words', () => {
    const text =
      'Read [our notice](https://example.test/cookie-policy/tracking) and [the terms](#arbitration).';
    expect(classifyProvision({ text }).categories.map((c) => c.id)).toEqual(['none']);
    const unclosed = 'Cookies ](https://example.test/x and more text';
    expect(classifyProvision({ text: unclosed }).categories[0]!.evidence[0]!.phrase).toBe('Cookies');
  });

  it('reads a list of links as navigation, whatever the link texts say', () => {
    const text =
      '## Learn more\n\n[How we train our models](https://example.test/a)\n\n[Cookie settings](https://example.test/b)' +
      '\n\n[Your privacy rights](https://example.test/c)';
    expect(classifyProvision({ text }).categories.map((c) => c.id)).toEqual(['none']);
  });

  it('lets a strong heading choose the main category among close scores', () => {
    const body =
      'We disclose information to service providers that process it on our behalf, to law enforcement and ' +
      'government authorities when we receive a subpoena or court order, and to comply with legal process.';
    const headed = classifyProvision({ text: `## How we share your information\n\n${body}` });
    const bare = classifyProvision({ text: body });
    expect(bare.categories[0]!.id).toBe('law-enforcement-requests');
    expect(headed.categories[0]!.id).toBe('sub-processors');
    expect(headed.categories.map((c) => c.id)).toContain('law-enforcement-requests');
  });

  it('reads definitions sections and document openings as boilerplate', () => {
    const definitions =
      '## Definitions\n\n"Customer Data" means personal data processed on behalf of the customer. "Sub-processor" ' +
      'means a processor engaged by us. "Security Incident" means a breach of security leading to unauthorised access.';
    const opening =
      '# Example Privacy Policy\n\nLast updated: 3 March 2026\n\nThis Privacy Policy describes how we collect and use ' +
      'personal information when you use our services.';
    expect(classifyProvision({ text: definitions }).categories.map((c) => c.id)).toEqual(['none']);
    expect(classifyProvision({ text: opening }).categories.map((c) => c.id)).toEqual(['none']);
    // A section about the document itself is still a rule about it.
    expect(
      classifyProvision({
        text: '## Changes to this Policy\n\nWe may update this policy from time to time and will notify you of material changes.',
      }).categories[0]!.id,
    ).toBe('unilateral-changes');
  });

  it('does not cite platform suspension duties first in business terms', () => {
    const text =
      '## Suspension\n\nWe may suspend or terminate your access if you violate these terms or our usage policies.';
    const consumer = classifyProvision({ text, documentType: 'Terms of Service' });
    const developer = classifyProvision({ text, documentType: 'Developer Terms' });
    const primaryOf = (c: typeof consumer) => c.references.filter((r) => r.primary).map((r) => r.id);
    expect(primaryOf(consumer)).toContain('dsa/art-23');
    expect(primaryOf(developer)).not.toContain('dsa/art-23');
    expect(primaryOf(developer)).toContain('uctd/annex-1-g');
  });

  it('classifies a hostile 200 KB text in bounded time', () => {
    const hostile = [
      'a'.repeat(200_000),
      '(('.repeat(50_000) + ']('.repeat(50_000),
      'we may not '.repeat(18_000),
      'under 1'.repeat(28_000),
      '**'.repeat(100_000),
      'transfer '.repeat(22_000),
    ];
    for (const text of hostile) {
      const started = performance.now();
      classifyProvision({ text: text.slice(0, 200_000) });
      expect(performance.now() - started).toBeLessThan(1500);
    }
  });
});
