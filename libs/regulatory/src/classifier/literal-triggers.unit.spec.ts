import fc from 'fast-check';
import { CATEGORY_CUES } from './category-cues.data';
import { literalTriggers, mayMatch, triggerKeys, wordStarts } from './literal-triggers';

describe('literalTriggers', () => {
  it('reads the literal each alternative starts with', () => {
    expect(literalTriggers('\\bretention\\b')).toEqual(['retention']);
    expect(literalTriggers('\\b(sell|sale|sold)\\b[^.]{0,9}data')).toEqual(['sell', 'sale', 'sold']);
    expect(literalTriggers('\\bcookies?\\b|\\bpixel tags?\\b')).toEqual(['cookie', 'pixel tag']);
    expect(literalTriggers('\\b(?:u\\.s\\.|usa)\\b')).toEqual(['u.s.', 'usa']);
  });

  it('gives up (no prefilter) when an alternative starts with something optional or a class', () => {
    expect(literalTriggers('\\b(you )?(may|must) not')).toBeNull();
    expect(literalTriggers('\\b\\d+ days')).toBeNull();
    expect(literalTriggers('[a-z]+ing')).toBeNull();
    expect(literalTriggers('\\ba|\\bbc')).toBeNull();
    expect(literalTriggers('indemn')).toBeNull(); // not at a word start: may match inside a word
  });

  it('never filters out a text that a cue of the lexicon matches', () => {
    const cues = CATEGORY_CUES.flatMap((c) => [...c.body, ...(c.negative ?? [])]).map((cue) => ({
      pattern: new RegExp(cue.pattern),
      keys: triggerKeys(literalTriggers(cue.pattern)),
    }));
    const words = [
      'we',
      'retain',
      'data',
      'for',
      '30',
      'days',
      'do',
      'not',
      'sell',
      'cookies',
      'arbitration',
      'you',
      'grant',
      'us',
      'a',
      'licence',
      'license',
      'to',
      'use',
      'your',
      'content',
      'children',
      'under',
      '13',
      'in',
      'no',
      'event',
      'liable',
      'governed',
      'by',
      'the',
      'laws',
      'of',
      'ireland',
      'terminate',
      'account',
      'may',
      'change',
      'these',
      'terms',
      'train',
      'models',
      'security',
      'breach',
      'law',
      'enforcement',
      'sub-processors',
      '.',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), (picked) => {
        const text = picked.join(' ');
        const starts = wordStarts(text);
        for (const cue of cues) if (cue.pattern.test(text)) expect(mayMatch(cue.keys, starts)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('has a prefilter for most cues of the lexicon', () => {
    const all = CATEGORY_CUES.flatMap((c) => c.body);
    const filtered = all.filter((cue) => literalTriggers(cue.pattern) !== null);
    expect(filtered.length / all.length).toBeGreaterThan(0.7);
  });
});
