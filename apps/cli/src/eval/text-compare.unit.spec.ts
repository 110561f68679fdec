import {
  collapseWhitespace,
  comparableText,
  firstDifference,
  lineDistance,
  renderedText,
  sameComparableText,
  sameRenderedText,
  sameWordsIgnoringLinks,
  stripUrlQueries,
} from './text-compare';

describe('text comparison', () => {
  it('ignores whitespace, newlines and invisible characters', () => {
    expect(collapseWhitespace('  a\n\n b\t c\u200b\u2060 ')).toBe('a b c');
    expect(sameComparableText('Terms\n\nof  use', 'Terms of use\n')).toBe(true);
    expect(sameComparableText('Terms of use', 'Terms of abuse')).toBe(false);
  });

  it('drops query strings of link targets and bare URLs, and keeps their fragment', () => {
    expect(
      stripUrlQueries('[policy](https://x.example/p?utm_source=a&b=2#s3) and https://x.example/q?ref=1.'),
    ).toBe('[policy](https://x.example/p#s3) and https://x.example/q');
    expect(stripUrlQueries('[rel](/legal/terms?hl=en "Title")')).toBe('[rel](/legal/terms "Title")');
    expect(sameComparableText('[a](https://x.example/?v=1)', '[a](https://x.example/?v=2)')).toBe(true);
    expect(sameComparableText('[a](https://x.example/one)', '[a](https://x.example/two)')).toBe(false);
    expect(comparableText('see https://x.example/a?b=c')).toBe('see https://x.example/a');
  });

  it('tells a link-only change from a change of words', () => {
    expect(
      sameWordsIgnoringLinks(
        'Read [our policy](https://a.example/old).',
        'Read [our policy](https://a.example/new).',
      ),
    ).toBe(true);
    expect(
      sameWordsIgnoringLinks(
        'Read [our policy](https://a.example).',
        'Read [the policy](https://a.example).',
      ),
    ).toBe(false);
  });

  it('reads Markdown as rendered: heading styles, escapes, emphasis and bullets do not count', () => {
    const ota = 'Terms\n=====\n\n1\\. Scope\n--------\n\n*   **You** must [agree](https://a.example).';
    const termline = '# Terms\n\n## 1. Scope\n\n- **You** must [agree](https://a.example/).';
    expect(sameComparableText(ota, termline)).toBe(false);
    expect(renderedText(ota)).toBe('Terms 1. Scope You must agree.');
    expect(sameRenderedText(ota, termline)).toBe(true);
    expect(sameRenderedText(ota, termline.replace('must', 'may'))).toBe(false);
    expect(
      renderedText('mail [[email protected]](https://a.example/cdn-cgi/l/email-protection#12ab) now'),
    ).toBe('mail [email protected] now');
    expect(
      sameRenderedText(
        '| ![logo](/l.png)<br><br>Cloud<br>• Worldwide |\n\n- - -\n\nEnd',
        '| Cloud • Worldwide |\n\nEnd',
      ),
    ).toBe(true);
  });

  it('finds the first differing line on each side, and how far apart two texts are', () => {
    expect(firstDifference('a\n\nb\nc', 'a\nb\nC')).toEqual({ line: 3, left: 'c', right: 'C' });
    expect(firstDifference('a\nb', 'a\nb\nc')).toEqual({ line: 3, left: null, right: 'c' });
    expect(firstDifference('a  b', 'a b')).toBeNull();
    expect(lineDistance('a\nb\nc', 'a\nc\nd')).toBe(2);
  });
});
