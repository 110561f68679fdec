import { extractStatedDates, statedEffectiveAt } from './stated-dates';

describe('stated dates', () => {
  it('reads "last updated" and "effective" dates in the usual spellings', () => {
    const text = [
      '# Privacy Policy',
      '',
      '*Last updated: March 3rd, 2026*',
      '',
      '**Effective date:** 1 April 2026',
      '',
      'We collect data.',
    ].join('\n');
    expect(extractStatedDates(text)).toEqual([
      { kind: 'last-updated', date: '2026-03-03', phrase: 'Last updated: March 3rd, 2026' },
      { kind: 'effective', date: '2026-04-01', phrase: 'Effective date:** 1 April 2026' },
    ]);
  });

  it('reads future-tense announcements and ISO dates', () => {
    expect(extractStatedDates('These terms will take effect on 2026-09-15 for existing users.')).toEqual([
      { kind: 'effective', date: '2026-09-15', phrase: 'will take effect on 2026-09-15' },
    ]);
    expect(extractStatedDates('The new terms come into force from Sept. 1, 2026.')).toMatchObject([
      { kind: 'effective', date: '2026-09-01' },
    ]);
    expect(extractStatedDates('Revised 12 Jan 2025')).toMatchObject([
      { kind: 'last-updated', date: '2025-01-12' },
    ]);
  });

  it('ignores dates without a cue, impossible dates and repeats', () => {
    expect(extractStatedDates('Founded on 1 March 2010. Our office opened March 2, 2011.')).toEqual([]);
    expect(extractStatedDates('Effective 31 April 2026.')).toEqual([]);
    expect(extractStatedDates('Effective 1 May 2026. (Effective 1 May 2026.)')).toHaveLength(1);
  });

  it('looks at the head and the tail of long texts only', () => {
    const filler = 'word '.repeat(2000);
    const text = `Last updated 2 June 2025. ${filler} Effective 1 May 2020. ${filler} Effective from 3 July 2026.`;
    expect(extractStatedDates(text, 1000).map((d) => d.date)).toEqual(['2025-06-02', '2026-07-03']);
  });

  it('takes the latest stated effective date as the effective instant', () => {
    expect(
      statedEffectiveAt([
        { kind: 'effective', date: '2026-04-01', phrase: '' },
        { kind: 'last-updated', date: '2026-09-01', phrase: '' },
        { kind: 'effective', date: '2026-02-01', phrase: '' },
      ]),
    ).toBe('2026-04-01T00:00:00.000Z');
    expect(statedEffectiveAt([])).toBeNull();
  });
});
