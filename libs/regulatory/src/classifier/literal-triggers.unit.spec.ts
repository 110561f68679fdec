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

  it('reads on past a group of literals while the key stays the same: fewer words to try, the same matches', () => {
    expect(literalTriggers('\\b(we|it) (own|retain)s?\\b')).toEqual([
      'we own',
      'we retain',
      'it own',
      'it retain',
    ]);
    expect(literalTriggers('\\bcontact (us|our (dpo|team))\\b')).toEqual([
      'contact us',
      'contact our dpo',
      'contact our team',
    ]);
    // Both readings of what is optional; a literal another opens (same key) is left out, it adds no place.
    expect(literalTriggers('\\b(we|it) (may )?own')).toEqual([
      'we may own',
      'we own',
      'it may own',
      'it own',
    ]);
    expect(literalTriggers('\\b(users?|we) own')).toEqual(['users own', 'user own', 'we own']);
    expect(literalTriggers('\\bcookies?\\b')).toEqual(['cookie']);
    // Stops at anything repeated or not a literal.
    expect(literalTriggers('\\b(we|it) [a-z]+ own')).toEqual(['we ', 'it ']);
    expect(literalTriggers('\\bwe (own)+')).toEqual(['we ']);
    // The key (a word's opening letters) would change: the literals stay as they were.
    expect(literalTriggers('\\b(pro|con)cess')).toEqual(['pro', 'con']);
  });

  it('reads only literals that every match opens with (cues of the lexicon, tried at every word start)', () => {
    const cues = CATEGORY_CUES.flatMap((c) => [...c.body, ...(c.negative ?? [])])
      .map((cue) => ({ sticky: new RegExp(cue.pattern, 'y'), literals: literalTriggers(cue.pattern) }))
      .filter((cue): cue is { sticky: RegExp; literals: string[] } => cue.literals !== null);
    const words = [
      'we',
      'own',
      'retain',
      'our',
      'the',
      'personal',
      'data',
      'you',
      'may',
      'not',
      'use',
      'contact',
      'us',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words, ',', '.'), { maxLength: 16 }), (picked) => {
        const text = picked.join(' ');
        for (let at = 0; at < text.length; at++) {
          if (at > 0 && text[at - 1] !== ' ') continue;
          for (const cue of cues) {
            cue.sticky.lastIndex = at;
            if (cue.sticky.test(text)) expect(cue.literals.some((l) => text.startsWith(l, at))).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
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
