import type { ClassificationLike, ProvisionClassifier, ProvisionInput } from './provision-classifier';

/**
 * A stand-in classifier for the projection's own tests: a few keywords to a category, article and exposure. The
 * real one lives in @termline/regulatory and has its own evaluation; these tests are about the mapping.
 */
const RULES: Array<{
  word: RegExp;
  category: string;
  reference: string;
  exposure: 'low' | 'medium' | 'high';
}> = [
  {
    word: /arbitration/i,
    category: 'arbitration-class-waiver',
    reference: 'uctd/annex-1-q',
    exposure: 'high',
  },
  { word: /\b(keep|retain)\b/i, category: 'retention', reference: 'gdpr/art-5-1-e', exposure: 'medium' },
  { word: /\btrain/i, category: 'ai-training-on-user-content', reference: 'ai-act/art-53', exposure: 'high' },
];

export function keywordClassifier(taxonomyVersion = 'test-taxonomy-1', classifierVersion = 'kw-1') {
  const calls: ProvisionInput[] = [];
  const classifier: ProvisionClassifier = {
    generation: { generation: `${taxonomyVersion}+${classifierVersion}`, taxonomyVersion, classifierVersion },
    vocabulary: {
      categories: new Set([...RULES.map((r) => r.category), 'none']),
      frameworks: new Set(RULES.map((r) => r.reference.split('/')[0]!)),
      references: new Set(RULES.map((r) => r.reference)),
    },
    classify(input: ProvisionInput): ClassificationLike {
      calls.push(input);
      const hits = RULES.filter((rule) => rule.word.test(input.text));
      // "90 days" and longer read as a long retention, to show exposure moving.
      const long = /\b(9\d|\d{3,}) days\b/.test(input.text);
      return {
        categories: hits.length
          ? hits.map((h) => ({ id: h.category, confidence: 0.8 }))
          : [{ id: 'none', confidence: 1 }],
        references: hits.map((h) => ({
          id: h.reference,
          framework: h.reference.split('/')[0]!,
          article: h.reference.split('/')[1]!,
          title: h.category,
          url: `https://example.test/${h.reference}`,
          primary: true,
        })),
        exposure: {
          level: hits.some((h) => h.exposure === 'high') || long ? 'high' : hits.length ? 'medium' : 'low',
          reasons: hits.map((h) => h.category),
        },
        jurisdictions: hits.length ? [{ id: 'eu', level: 'primary', reason: 'EU law cited' }] : [],
        taxonomyVersion,
        classifierVersion,
      };
    },
  };
  return { classifier, calls };
}
