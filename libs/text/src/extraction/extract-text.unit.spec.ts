import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';

import { declarationSet, parseDeclaration } from '../declarations/declaration';
import { normaliseText } from '../normalisation/normalise-text';
import { type ExtractionInput, extractText } from './extract-text';
import { htmlInput } from './extraction-input.spec-support';
import { emptySkippedElements } from './parse-html';

const FIXTURES = join(__dirname, '../../../../test/fixtures/text/html');

const input = htmlInput;

function textOf(content: string | Uint8Array, overrides: Partial<ExtractionInput> = {}): string {
  const result = extractText(input(content, overrides));
  if (!result.ok) throw new Error(`extraction failed: ${result.code} ${result.reason}`);
  return result.text;
}

describe('extractText: HTML to Markdown golden files', () => {
  const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.html'));

  it('has golden files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('%s gives the expected Markdown', (file) => {
    const html = readFileSync(join(FIXTURES, file), 'utf8');
    const expected = readFileSync(join(FIXTURES, file.replace(/\.html$/, '.md')), 'utf8');
    expect(textOf(html)).toBe(expected);
  });
});

describe('extractText: Markdown conventions', () => {
  it("writes Open Terms Archive's Markdown: setext h1/h2, ATX below, _em_, absolute links", () => {
    expect(textOf('<h2>A <em>b</em></h2><h3>C</h3><p><a href="../x">y</a></p>')).toBe(
      'A _b_\n-----\n\n### C\n\n[y](https://example.com/x)\n',
    );
  });

  it('escapes Markdown-significant text as turndown does', () => {
    expect(textOf('<p>1. Not a list [x] a_b *c*</p><p>- dash</p>')).toBe(
      '1\\. Not a list \\[x\\] a\\_b \\*c\\*\n\n\\- dash\n',
    );
  });

  it('keeps in-page anchors relative, and javascript links as Open Terms Archive does', () => {
    expect(textOf('<p><a href="#s2">See 2</a> <a href="javascript:void(0)">menu</a></p>')).toBe(
      '[See 2](#s2) [menu](javascript:void\\(0\\))\n',
    );
  });

  it('honours <base href> when resolving links', () => {
    const html = '<head><base href="https://cdn.example.org/docs/"></head><p><a href="terms">t</a></p>';
    expect(textOf(html)).toBe('[t](https://cdn.example.org/docs/terms)\n');
  });

  it('moves spaces out of emphasis, drops empty emphasis, keeps images as turndown does', () => {
    expect(textOf('<p>a<b> bold </b>c<i> </i><a href="/x"><img src="i.png"></a>d</p>')).toBe(
      'a **bold** c [![](i.png)](https://example.com/x)d\n',
    );
  });

  it('passes plain text and Markdown through normalisation only', () => {
    expect(textOf('# Title\r\n\r\n\r\nBody\u00a0text  \n', { mimeType: 'text/markdown' })).toBe(
      '# Title\n\nBody text\n',
    );
    expect(textOf('<p>not parsed</p>', { mimeType: 'text/plain; charset=utf-8' })).toBe(
      '<p>not parsed</p>\n',
    );
  });
});

describe('extractText: a page without a declaration', () => {
  const site = (main: string) =>
    `<body><header><a href="/">Home</a> · <a href="/pricing">Pricing</a></header><nav>Home · Legal</nav>${main}` +
    '<footer>© Example Ltd. · Cookie settings</footer></body>';

  it('reads its one main region, leaving the navigation, banner and footer around it out', () => {
    const result = extractText(
      input(site('<main><h1>Terms</h1><p>You may not resell the service.</p></main>')),
    );
    expect(result.ok && result.text).toBe('Terms\n=====\n\nYou may not resell the service.\n');
    expect(result.ok && result.rulesFired).toContain('main-region-only');
    expect(textOf(site('<div role="main"><p>Only this.</p></div>'))).toBe('Only this.\n');
  });

  it('is read whole when it has no main region, several, or one without text', () => {
    for (const main of [
      '<div><p>Body.</p></div>',
      '<main><p>One.</p></main><main><p>Two.</p></main>',
      '<main><script>render()</script></main><div><p>Body.</p></div>',
    ]) {
      const result = extractText(input(site(main)));
      expect(result.ok && result.text).toContain('Cookie settings');
      expect(result.ok && result.rulesFired).not.toContain('main-region-only');
    }
  });

  it('follows a declaration when there is one, whatever the main region', () => {
    const declarations = declarationSet([
      {
        declaration: parseDeclaration({
          name: 'Example',
          terms: {
            'Terms of Service': { fetch: 'https://example.com/legal/terms', select: 'footer' },
          },
        }),
      },
    ]);
    const result = extractText(input(site('<main><p>Main.</p></main>')), declarations);
    expect(result.ok && result.text).toBe('© Example Ltd. · Cookie settings\n');
  });
});

describe('extractText: bad input never crashes', () => {
  it('survives HTML nested 100,000 levels deep', () => {
    const depth = 100_000;
    const html = '<div>'.repeat(depth) + 'deep text' + '</div>'.repeat(depth) + '<p>after</p>';
    const result = extractText(input(html));
    expect(result).toMatchObject({ ok: true, text: 'deep text\n\nafter\n' });
    expect(result.ok && result.rulesFired).toContain('html-depth-capped');
  });

  it('caps list indentation for deeply nested lists instead of growing quadratically', () => {
    const depth = 100_000;
    const html = '<ul><li>x'.repeat(depth) + '</li></ul>'.repeat(depth);
    const result = extractText(input(html));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rulesFired).toContain('nesting-capped');
    // Linear: past the cap every item costs one line of at most 16 indentation steps.
    expect(result.text.length).toBeLessThan(depth * 80);
  });

  it('numbers a very long ordered list in linear time', () => {
    const items = 100_000;
    const started = process.hrtime.bigint();
    const text = textOf(`<ol>${'<li>x</li>'.repeat(items)}</ol>`);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(10_000);
    expect(text.endsWith(`${items}. x\n`)).toBe(true);
  });

  it('survives deeply nested inline elements', () => {
    const depth = 50_000;
    const text = textOf('<p>' + '<b><i><a href="/x">'.repeat(depth) + 'core' + '</a></i></b>'.repeat(depth));
    expect(text).toContain('core');
    expect(text.length).toBeLessThan(depth * 100);
  });

  it('survives malformed and truncated HTML', () => {
    for (const html of [
      '<p>unclosed <b>bold',
      '<<<>>><//p>',
      '<table><td>x',
      '<a href="',
      '</div></div>text',
      '<!--',
    ]) {
      const result = extractText(input(html));
      expect(['ok', 'empty-text']).toContain(result.ok ? 'ok' : result.code);
    }
  });

  it('refuses content above the size cap, quickly, without parsing it', () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    const started = process.hrtime.bigint();
    const result = extractText(input(huge));
    expect(result).toMatchObject({ ok: false, code: 'too-large' });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
    expect(extractText(input('<p>small but over</p>'), undefined, { maxInputBytes: 10 })).toMatchObject({
      ok: false,
      code: 'too-large',
    });
  });

  it('extracts a large page within the cap', () => {
    const page = '<p>A clause with <a href="/l">a link</a> and <b>bold</b> words.</p>'.repeat(60_000);
    const result = extractText(input(page));
    expect(result.ok).toBe(true);
  });

  it('refuses binary bytes labelled as HTML', () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    expect(extractText(input(bytes))).toMatchObject({ ok: false, code: 'binary-content' });
    const controls = new TextEncoder().encode('<p>' + '\u0001\u0002\u0003text'.repeat(100) + '</p>');
    expect(extractText(input(controls))).toMatchObject({ ok: false, code: 'binary-content' });
    expect(extractText(input('%PDF-1.7\u0000\u0000binary'))).toMatchObject({
      ok: false,
      code: 'binary-content',
    });
  });

  it('decodes invalid UTF-8 with replacement characters and says so', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('<p>caf'),
      0xe9,
      ...new TextEncoder().encode(' menu</p>'),
    ]);
    const result = extractText(input(bytes));
    expect(result).toMatchObject({ ok: true, text: 'caf\ufffd menu\n' });
    expect(result.ok && result.rulesFired).toContain('invalid-utf8-replaced');
  });

  it('reads valid UTF-8 bytes without any rule', () => {
    const result = extractText(input(new TextEncoder().encode('<p>café</p>')));
    expect(result).toEqual({
      ok: true,
      text: 'café\n',
      rulesFired: ['whitespace-canonical'],
      rulesNotApplied: [],
      page: { words: 1, markers: [] },
    });
  });

  it('reports an empty result', () => {
    expect(
      extractText(input('<html><head><title>t</title></head><body><script>1</script> </body></html>')),
    ).toMatchObject({
      ok: false,
      code: 'empty-text',
    });
    expect(extractText(input(''))).toMatchObject({ ok: false, code: 'empty-text' });
  });

  it('refuses media types it has no extractor for', () => {
    expect(extractText(input(new Uint8Array([1]), { mimeType: 'image/png' }))).toMatchObject({
      ok: false,
      code: 'unsupported-mime-type',
    });
  });
});

describe('emptySkippedElements', () => {
  it('empties script, style and svg (nested svg included) and leaves the rest byte for byte', () => {
    const html =
      '<p>a</p><SCRIPT type="x">if (a < b) { "</p>" }</SCRIPT><style>p{}</style><svg><svg><text>in</text></svg><text>x</text></svg><svg/><p>b</p>';
    expect(emptySkippedElements(html)).toBe(
      '<p>a</p><SCRIPT type="x"></SCRIPT><style></style><svg></svg><svg/><p>b</p>',
    );
    expect(emptySkippedElements('<p>plain</p>')).toBe('<p>plain</p>');
    expect(emptySkippedElements('<p>x</p><script>unterminated')).toBe('<p>x</p><script>');
  });
});

describe('extractText: fuzzed markup', () => {
  const codes = ['empty-text', 'binary-content'];
  const htmlish = fc.string({
    unit: fc.constantFrom(
      '<p>',
      '</p>',
      '<ul>',
      '<li>',
      '</li>',
      '<ol start="x">',
      '<table>',
      '<tr>',
      '<td>',
      '</td>',
      '<th>',
      '<pre>',
      '</pre>',
      '<h2>',
      '</h2>',
      '<a href="/x?utm_source=a&b=1">',
      '<a href="javascript:x">',
      '</a>',
      '<b>',
      '</b>',
      '<i>',
      '<code>',
      '<br>',
      '<hr>',
      '<blockquote>',
      '<script>',
      '</script>',
      '<svg>',
      '</svg>',
      '<style>',
      '<!--',
      '-->',
      '<div hidden>',
      '</div>',
      'text',
      ' ',
      '\n',
      '&amp;',
      '&nbsp;',
      '|',
      '*',
      '`',
      '#',
      '1. ',
      '\u200b',
      'é',
      '<',
    ),
    maxLength: 60,
  });

  it('never throws, and gives canonical text or a known code', () => {
    fc.assert(
      fc.property(htmlish, (html) => {
        const result = extractText(input(html));
        if (!result.ok) {
          expect(codes).toContain(result.code);
          return;
        }
        expect(result.text.endsWith('\n')).toBe(true);
        expect(normaliseText(result.text)).toEqual({ text: result.text, rulesFired: [] });
      }),
      { numRuns: 1000 },
    );
  });
});
