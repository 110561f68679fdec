import {
  evaluateGovernance,
  referencesForCategories,
  type Classification,
  type ClassifyInput,
  type LabelledItem,
  type MapCategories,
} from '@termline/regulatory';

const item = (id: string, categories: string[], primaryArticles: string[]): LabelledItem => ({
  id,
  service: 'Example',
  documentType: 'Privacy Policy',
  text: `Text of ${id}.`,
  categories,
  primaryArticles,
});

/** A classifier stub that finds no category, so every labelled article is missed. */
const findsNothing = (input: ClassifyInput): Classification => ({
  categories: [{ id: 'none', confidence: 1, evidence: [] }],
  references: [],
  exposure: { level: 'low', reasons: [] },
  jurisdictions: [],
  attributes: { heading: '' } as Classification['attributes'],
  taxonomyVersion: 'test',
  classifierVersion: input.text.length > 0 ? 'test' : 'empty',
  model: {
    version: 'test',
    trainingSetHash: 'test',
    trainingProvisions: 0,
    combination: { add: null, veto: null },
  },
});

const ref = (id: string, primary: boolean): Classification['references'][number] => ({
  id,
  framework: id.split('/')[0]!,
  instrument: '',
  article: '',
  title: '',
  url: '',
  rationale: '',
  primary,
});

describe('evaluateGovernance oracle diagnostic', () => {
  const items = [
    item('a', ['retention'], ['gdpr/art-5-1-e']),
    item('b', ['sale-or-sharing'], ['ccpa/1798-120']),
  ];

  it('measures the mapping alone from the labelled categories, apart from categorisation', () => {
    const seen: string[][] = [];
    // A mapping that gets retention right and cites a framework the label lacks for sale or sharing.
    const map: MapCategories = (_input, categories) => {
      seen.push([...categories]);
      return categories[0] === 'retention'
        ? [ref('gdpr/art-5-1-e', true)]
        : [ref('ccpa/1798-120', true), ref('gdpr/art-6', true)];
    };
    const evaluation = evaluateGovernance(items, findsNothing, map);
    expect(seen).toEqual([['retention'], ['sale-or-sharing']]);
    expect(evaluation.articleAccuracy).toBe(0);
    expect(evaluation.oracle).toEqual({ articleAccuracy: 0.5, articleAccuracyLenient: 0.5 });
    expect(evaluation.outcomes[1]!.oracle).toEqual({
      articlesOk: false,
      missingArticles: [],
      wrongPrimaryFrameworks: ['gdpr'],
    });
    expect(evaluation.primaryReferencesPerProvision).toBe(0);
  });

  it('counts a labelled article among the related references only in the lenient oracle', () => {
    const map: MapCategories = () => [ref('gdpr/art-5-1-e', false)];
    const evaluation = evaluateGovernance([items[0]!], findsNothing, map);
    expect(evaluation.oracle).toEqual({ articleAccuracy: 0, articleAccuracyLenient: 1 });
  });

  it('leaves the oracle out when no mapping is given', () => {
    expect(evaluateGovernance(items, findsNothing).oracle).toBeUndefined();
  });

  it('works with the real reference selection', () => {
    const evaluation = evaluateGovernance([items[0]!], findsNothing, referencesForCategories);
    expect(evaluation.oracle?.articleAccuracy).toBe(1);
  });
});
