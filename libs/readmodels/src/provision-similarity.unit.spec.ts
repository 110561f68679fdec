import { rankBySimilarity, similarityTerms } from './provision-similarity';

describe('provision similarity', () => {
  const retention = 'We keep your notes for 90 days after you delete them, then erase them from our backups.';
  const candidates = [
    {
      item: 'arbitration',
      text: 'Any dispute is resolved by binding individual arbitration; you waive class actions.',
    },
    { item: 'retention', text: 'Deleted messages are kept for 30 days and then erased from backups.' },
    { item: 'retention-copy', text: retention },
  ];

  it('ranks the same text first, a provision on the same subject next, another subject last', () => {
    const ranked = rankBySimilarity(retention, candidates);
    expect(ranked.map((r) => r.item)).toEqual(['retention-copy', 'retention', 'arbitration']);
    expect(ranked[0]!.score).toBe(1);
    expect(ranked[1]!.score).toBeGreaterThan(0.1);
    expect(ranked[1]!.score).toBeLessThan(1);
    expect(ranked[2]!.score).toBe(0);
  });

  it('scores empty texts zero and keeps the candidates order on ties', () => {
    expect(rankBySimilarity('', candidates).map((r) => r.score)).toEqual([0, 0, 0]);
    expect(rankBySimilarity('', candidates).map((r) => r.item)).toEqual(candidates.map((c) => c.item));
    expect(rankBySimilarity(retention, [])).toEqual([]);
  });

  it('drops stop words and numbers, cuts words to five letters and adds word pairs', () => {
    expect(similarityTerms('We keep the backups for 30 days')).toEqual([
      'keep',
      'backu',
      'days',
      'keep backu',
      'backu days',
    ]);
  });
});
