import fc from 'fast-check';

import { canonicaliseUrl } from './canonicalise-url';
import { normaliseForComparison, normaliseText, textFingerprint } from './normalise-text';

describe('normaliseText', () => {
  it('applies NFC, plain spaces, no invisible characters and canonical whitespace, naming each rule', () => {
    const input = 'Cafe\u0301\u00a0menu\u200b  here \r\n\r\n\r\n\r\nnext\u00ad line\t\u0007';
    expect(normaliseText(input)).toEqual({
      text: 'Café menu here\n\nnext line\n',
      rulesFired: [
        'line-endings',
        'space-like-to-space',
        'zero-width-removed',
        'control-chars-removed',
        'unicode-nfc',
        'whitespace-canonical',
      ],
    });
  });

  it('keeps indentation, which carries list nesting', () => {
    expect(normaliseText('- a\n  - b   c\n').text).toBe('- a\n  - b c\n');
  });

  it('fires no rule on a canonical text', () => {
    expect(normaliseText('# Title\n\nBody.\n')).toEqual({ text: '# Title\n\nBody.\n', rulesFired: [] });
  });

  it('removes tracking parameters from links and sorts the others', () => {
    const { text, rulesFired } = normaliseText(
      '[a](https://x.example/p?utm_source=n&b=2&fbclid=Z&a=1#frag) [b](/rel?ref=home)\n',
    );
    expect(text).toBe('[a](https://x.example/p?a=1&b=2#frag) [b](/rel)\n');
    expect(rulesFired).toEqual(['link-tracking-params-removed', 'link-query-sorted']);
  });

  it('accepts extra tracking parameters, with prefixes', () => {
    expect(
      normaliseText('[a](/p?session=1&sid_x=2&k=v)\n', { extraTrackingParams: ['session', 'sid_*'] }).text,
    ).toBe('[a](/p?k=v)\n');
  });

  it('is idempotent', () => {
    const texty = fc.string({
      unit: fc.constantFrom(
        'a',
        'B',
        ' ',
        '\n',
        '\r',
        '\t',
        '\u00a0',
        '\u200b',
        'e\u0301',
        '\u0301',
        '\u2000',
        '#',
        '-',
        '](',
        ')',
        '?',
        '&',
        'utm_x=1',
        '=',
        '\u0000',
      ),
      maxLength: 80,
    });
    fc.assert(
      fc.property(texty, (text) => {
        const once = normaliseText(text).text;
        expect(normaliseText(once)).toEqual({ text: once, rulesFired: [] });
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        (text) => normaliseText(normaliseText(text).text).text === normaliseText(text).text,
      ),
    );
  });
});

describe('textFingerprint', () => {
  it('is equal for texts differing only by whitespace, invisible characters or removed link noise', () => {
    const a = 'Read [our policy](https://x.example/privacy?utm_campaign=mail&lang=en).\n\nDone.';
    const b = 'Read  [our policy](https://x.example/privacy?lang=en&gclid=abc).\u200b\n\n\n\nDone.\n';
    expect(textFingerprint(a)).toBe(textFingerprint(b));
    expect(normaliseForComparison(a)).toBe(normaliseForComparison(b));
    expect(textFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when words, case or meaningful parameters differ', () => {
    expect(textFingerprint('We may share data.')).not.toBe(textFingerprint('We may not share data.'));
    expect(textFingerprint('[p](/x?lang=en)')).not.toBe(textFingerprint('[p](/x?lang=fr)'));
  });
});

describe('canonicaliseUrl', () => {
  it('leaves URLs without noise untouched, byte for byte', () => {
    expect(canonicaliseUrl('https://x.example/A%20b?a=1&b=2#Top')).toEqual({
      url: 'https://x.example/A%20b?a=1&b=2#Top',
      removedParams: false,
      sortedParams: false,
    });
  });

  it('drops an emptied query and keeps repeated keys in their order', () => {
    expect(canonicaliseUrl('https://x.example/?utm_medium=a').url).toBe('https://x.example/');
    expect(canonicaliseUrl('/p?z=1&a=2&a=1').url).toBe('/p?a=2&a=1&z=1');
  });
});
