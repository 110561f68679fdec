import {
  analyseProvision,
  ANALYSIS_DISCLAIMER,
  CLASSIFIER_VERSION,
  TAXONOMY_VERSION,
} from '@termline/regulatory';

// Written for this spec: the kind of clause the issue uses as its example of expected depth.
const USAGE_DATA_CLAUSE =
  '**Usage Data.** We automatically collect usage data and telemetry about how you interact with the Services. ' +
  'Aggregated or de-identified usage data is our sole property, is not Customer Data, and we may use it to train ' +
  'and improve our models. Californian customers may contact us with questions.';

describe('analyseProvision', () => {
  const analysis = analyseProvision({
    text: USAGE_DATA_CLAUSE,
    service: 'Example AI',
    documentType: 'Commercial Terms',
    source: {
      versionId: 'v-3',
      recordedAt: '2026-05-01T00:00:00Z',
      url: 'https://example.test/terms',
      snapshotIds: ['s1'],
    },
    history: [{ versionId: 'v-1', recordedAt: '2025-01-01T00:00:00Z', change: 'added' }],
    comparables: [
      { service: 'Other AI', provisionId: 'usage', heading: 'Usage information', exposure: 'low' },
      { service: 'Example AI', provisionId: 'self' },
    ],
  });

  it('states what the provision permits, in plain language', () => {
    expect(analysis.statement).toContain('usage data');
    expect(analysis.statement).toMatch(/aggregated or de-identified data/i);
    expect(analysis.statement).toMatch(/train or improve AI models/);
    expect(analysis.statement).toMatch(/provider's property/);
  });

  it('cites the articles the example calls for, each with a rationale', () => {
    const ids = analysis.references.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining(['gdpr/art-5-1-c', 'gdpr/art-4-1', 'gdpr/art-5-1-b', 'ai-act/art-53']),
    );
    for (const reference of analysis.references) {
      expect(reference.rationale).not.toBe('');
      expect(reference.url).toMatch(/^https:\/\//);
    }
  });

  it('rates exposure medium with reasons, EU/EEA highest and California to check', () => {
    expect(analysis.exposure.level).toBe('medium');
    expect(analysis.exposure.reasons.join(' ')).toMatch(/de-identified|train/);
    const level = Object.fromEntries(analysis.jurisdictions.map((j) => [j.id, j.level]));
    expect(level['eu-eea']).toBe('high');
    expect(level['us-california']).toBe('medium');
  });

  it('gives implications and considerations, including the AI Act application date', () => {
    expect(analysis.implications.join(' ')).toMatch(/customer data/i);
    expect(analysis.considerations.join(' ')).toMatch(/Art\. 4\(1\)/);
    expect(analysis.considerations.join(' ')).toContain('2025-08-02');
  });

  it('quotes the text with the source, passes history through and keeps comparables of other services only', () => {
    expect(analysis.quote).toEqual({
      text: USAGE_DATA_CLAUSE,
      truncated: false,
      source: expect.objectContaining({
        service: 'Example AI',
        versionId: 'v-3',
        url: 'https://example.test/terms',
      }),
    });
    expect(analysis.history).toHaveLength(1);
    expect(analysis.comparables.map((c) => c.service)).toEqual(['Other AI']);
  });

  it('names its versions and carries the disclaimer', () => {
    expect(analysis.disclaimer).toBe(ANALYSIS_DISCLAIMER);
    expect(analysis.taxonomyVersion).toBe(TAXONOMY_VERSION);
    expect(analysis.classifierVersion).toBe(CLASSIFIER_VERSION);
  });

  it('truncates long quotes and says so', () => {
    const long = analyseProvision({ text: 'We retain data for 30 days. '.repeat(100) });
    expect(long.quote.truncated).toBe(true);
    expect(long.quote.text.length).toBeLessThan(1600);
    expect(long.statement).toContain('30 days');
  });
});
