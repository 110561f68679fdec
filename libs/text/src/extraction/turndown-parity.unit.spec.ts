import fc from 'fast-check';

import { nodesToMarkdown } from './html-to-markdown';
import { parseHtml } from './parse-html';

/**
 * Differential test: our htmlparser2-based converter against the reference, turndown with
 * joplin-turndown-plugin-gfm (what Open Terms Archive's versions are rendered with), on the same HTML.
 * turndown parses the string with domino; we parse it with htmlparser2, so the fixtures are well-formed HTML
 * on which both parsers build the same tree (apart from the `tbody` an HTML parser adds).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TurndownService = require('turndown') as new () => {
  turndown(html: string): string;
  use(plugin: unknown): void;
  addRule(key: string, rule: unknown): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { gfm } = require('joplin-turndown-plugin-gfm') as { gfm: unknown };

const reference = new TurndownService();
reference.use(gfm);
// Open Terms Archive converts with its fork of turndown, which differs from turndown 7.2 in one rule that
// matters here: link text is trimmed (seen in the corpus: `<a><p>Download logos</p></a>` gives
// `[Download logos](…)`). The reference gets the same rule, otherwise upstream's.
reference.addRule('inlineLink', {
  filter: (node: { nodeName: string; getAttribute(name: string): string | null }) =>
    node.nodeName === 'A' && !!node.getAttribute('href'),
  replacement: (content: string, node: { getAttribute(name: string): string | null }) => {
    const href = node.getAttribute('href')!.replace(/([<>()])/g, '\\$1');
    const destination = href.includes(' ') ? `<${href}>` : href;
    const title = (node.getAttribute('title') ?? '').replace(/(\n+\s*)+/g, '\n').replace(/"/g, '\\"');
    return `[${content.trim()}](${destination}${title ? ` "${title}"` : ''})`;
  },
});

const BASE = 'https://example.com/legal/terms';

function ours(html: string): string {
  const { document } = parseHtml(html);
  return nodesToMarkdown([document], { baseUrl: BASE }).markdown;
}

/** Open Terms Archive removes `script` and `style` elements before converting (and makes links absolute). */
function theirs(html: string): string {
  return reference.turndown(html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ''));
}

const modWhitespace = (text: string): string => text.replace(/\s+/g, ' ').trim();

const FIXTURES: Record<string, string> = {
  'setext and ATX headings':
    '<h1>DeepSeek Terms of Use</h1><h2>1.<b>Services</b></h2><h3>Scope</h3><h6>Six</h6>',
  'paragraphs and whitespace': '<p>  Some   text\n with\tspaces </p>\n<p>Next <span> spaced </span> word</p>',
  'bullet list': '<ul><li>You take full responsibility</li><li>Second</li></ul>',
  'ordered list with start': '<ol start="9"><li>nine</li><li>ten</li><li>eleven</li></ol>',
  'nested lists': '<ul><li>one<ul><li>nested<ol><li>deep</li></ol></li></ul></li><li>two</li></ul>',
  'list item paragraphs': '<ol><li><p>First para</p><p>Second para</p></li><li><p>Next</p></li></ol>',
  'ten and more items': `<ol>${Array.from({ length: 11 }, (_, i) => `<li>item ${i}<ul><li>sub</li></ul></li>`).join('')}</ol>`,
  links:
    '<p>See <a href="https://example.com/a?b=1">the page</a> and <a href="#top">top</a>, <a href="https://x.org/(p)" title="T &quot;q&quot;">parens</a>, <a>no href</a>.</p>',
  emphasis:
    '<p><em>em</em> <i>i</i> <strong>strong</strong> <b>b</b> <em> spaced </em>x<strong></strong></p>',
  'inline code': '<p>Run <code>npm test</code> or <code>a`b</code> or <code>`x`</code></p>',
  'code blocks': '<pre><code>line 1\n  line 2\n</code></pre><pre>plain *pre*\n  kept</pre>',
  blockquote: '<blockquote><p>Quoted</p><p>Second</p><blockquote>Inner</blockquote></blockquote>',
  'line breaks': '<p>OpenAI, L.L.C.<br>1455 3rd Street<br/>San Francisco</p>',
  'horizontal rule': '<p>above</p><hr><p>below</p>',
  escaping:
    '<p>1. Not a list</p><p>- not a bullet</p><p>+ plus</p><p># not heading</p><p>&gt; not quote</p><p>== eq</p><p>a*b*c _u_ [x] `t` back\\slash ~~~ tilde</p>',
  'escaping per text node': '<p><b>x</b>-y <i>z</i>1. w</p>',
  'table with header':
    '<table><thead><tr><th>Purpose</th><th align="right">Basis</th></tr></thead><tbody><tr><td>Provide</td><td>Contract | pipe</td></tr></tbody></table>',
  'table without header':
    '<table><tr><td>a</td><td>b<br>c</td></tr><tr><td><p>para</p><p>two</p></td><td><ul><li>x</li><li>y</li></ul></td></tr></table>',
  'table with colspan':
    '<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td colspan="2">wide</td><td>c</td></tr></table>',
  'single-cell table': '<table><tr><td>Only <b>cell</b></td></tr></table>',
  'nested table':
    '<table><tr><td>outer</td><td><table><tr><td>i1</td><td>i2</td></tr></table></td></tr></table>',
  strikethrough: '<p><del>old</del> <s>gone</s> new</p>',
  images: '<p><img src="/logo.png" alt="Logo *x*"> text <img alt="none"></p>',
  'divs and spans': '<div><div>Block one</div><span>inline</span> <span>two</span><div>Block two</div></div>',
  'definition list': '<dl><dt>Term</dt><dd>Definition</dd></dl>',
  'non-breaking spaces': '<p>a&nbsp;<b>&nbsp;bold&nbsp;</b>&nbsp;b</p>',
  'blank elements': '<p></p><div> </div><p><span> </span></p><ul><li></li><li>x</li></ul>',
  'task list': '<ul><li><input type="checkbox" checked> done</li><li><input type="checkbox"> todo</li></ul>',
  'comments and scripts': '<p>a<!-- c -->b<script>var x = 1;</script> c<style>p{}</style></p>',
  'link around a block':
    '<div><a href="https://d.example/x.zip"><span aria-hidden="true"></span><p>Download logos</p></a></div>',
  'nested links': '<p>Write to <a href="mailto:x@y.z"><a href="mailto:x@y.z">x@y.z</a></a> now</p>',
  'heading with link': '<h2><a href="https://example.com/s">Section</a> 2</h2>',
  'inline elements across blocks':
    '<p>Text <b>bold <i>both</i></b> end.</p><section><p>In section</p></section>',
};

describe('turndown parity: hand-written fixtures', () => {
  it.each(Object.entries(FIXTURES))('%s', (_name, html) => {
    expect(ours(html)).toBe(theirs(html));
  });

  it('resolves relative links against the page, as Open Terms Archive does before converting', () => {
    expect(ours('<p><a href="/privacy">Privacy</a> <a href="#s1">s1</a></p>')).toBe(
      '[Privacy](https://example.com/privacy) [s1](#s1)',
    );
  });
});

// ---- generated HTML ----------------------------------------------------------------------------------------

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const word = fc.constantFrom(
  'terms',
  'Privacy',
  'you',
  '1.',
  '2)',
  '-',
  '+',
  '*',
  '_',
  '#',
  '>',
  '=',
  '[x]',
  '`code`',
  '~~~',
  'a_b',
  '**',
  '\\',
  '|',
  '12. ',
  '(c)',
  '\u00a0',
  'é',
);
const text = fc
  .array(fc.tuple(word, fc.constantFrom(' ', '', '  ', '\n', ' \t')), { minLength: 1, maxLength: 6 })
  .map((parts) => escapeHtml(parts.map(([w, s]) => w + s).join('')));

const inline: fc.Memo<string> = fc.memo((depth) =>
  depth <= 1
    ? text
    : fc.oneof(
        { weight: 4, arbitrary: text },
        fc
          .tuple(fc.constantFrom('b', 'strong', 'em', 'i', 'span', 'code', 'del'), inline(depth - 1))
          .map(([tag, inner]) => `<${tag}>${inner}</${tag}>`),
        // Links hold no links: an HTML parser closes the outer one, htmlparser2 nests them.
        text.map((inner) => `<a href="https://example.com/p?q=1">${inner}</a>`),
        fc.tuple(inline(depth - 1), inline(depth - 1)).map(([a, b]) => `${a}<br>${b}`),
        fc.constantFrom('<img src="/i.png" alt="a*b">', '<img alt="none">', ' <img src="x y.png"> '),
        fc.tuple(inline(depth - 1), inline(depth - 1)).map(([a, b]) => `${a} ${b}`),
        fc.tuple(inline(depth - 1), inline(depth - 1)).map(([a, b]) => `${a}${b}`),
      ),
);
const inlines = inline(3);

const block: fc.Memo<string> = fc.memo((depth) => {
  const leaves = [
    fc
      .tuple(fc.integer({ min: 1, max: 6 }), inlines)
      .map(([level, inner]) => `<h${level}>${inner}</h${level}>`),
    inlines.map((inner) => `<p>${inner}</p>`),
    inlines.map((inner) => `<div>${inner}</div>`),
    fc.constant('<hr>'),
    text.map((inner) => `<pre><code>${inner}</code></pre>`),
    fc
      .tuple(
        fc.boolean(),
        fc.array(fc.array(inlines, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      )
      .map(([header, rows]) => {
        const [first, ...rest] = rows;
        const cellTag = header ? 'th' : 'td';
        const head = `<tr>${first!.map((c) => `<${cellTag}>${c}</${cellTag}>`).join('')}</tr>`;
        const body = rest.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
        return `<table>${header ? `<thead>${head}</thead><tbody>${body}</tbody>` : `<tbody>${head}${body}</tbody>`}</table>`;
      }),
  ];
  if (depth <= 1) return fc.oneof(...leaves);
  const item = fc
    .tuple(inlines, fc.option(block(depth - 1), { nil: undefined }))
    .chain(([inner, nested]) =>
      fc.constantFrom(`<li>${inner}${nested ?? ''}</li>`, `<li><p>${inner}</p>${nested ?? ''}</li>`),
    );
  return fc.oneof(
    ...leaves,
    fc
      .tuple(fc.constantFrom('ul', 'ol'), fc.array(item, { minLength: 1, maxLength: 4 }))
      .map(([tag, items]) => `<${tag}>${items.join('')}</${tag}>`),
    fc
      .array(block(depth - 1), { minLength: 1, maxLength: 3 })
      .map((inner) => `<blockquote>${inner.join('')}</blockquote>`),
    fc
      .array(block(depth - 1), { minLength: 1, maxLength: 3 })
      .map((inner) => `<section>${inner.join('\n')}</section>`),
  );
});

const documentHtml = fc.array(block(3), { minLength: 1, maxLength: 5 }).map((blocks) => blocks.join('\n'));

describe('turndown parity: generated HTML', () => {
  it('writes what turndown writes, modulo whitespace', () => {
    fc.assert(
      fc.property(documentHtml, (html) => {
        expect(modWhitespace(ours(html))).toBe(modWhitespace(theirs(html)));
      }),
      { numRuns: Number(process.env['PARITY_RUNS'] ?? 400) },
    );
  });

  it('writes exactly what turndown writes on lists, headings and paragraphs', () => {
    const simple = fc
      .array(
        fc.oneof(
          inlines.map((inner) => `<p>${inner}</p>`),
          fc.tuple(fc.integer({ min: 1, max: 6 }), inlines).map(([l, inner]) => `<h${l}>${inner}</h${l}>`),
          fc
            .tuple(fc.constantFrom('ul', 'ol'), fc.array(inlines, { minLength: 1, maxLength: 12 }))
            .map(([tag, items]) => `<${tag}>${items.map((i) => `<li>${i}</li>`).join('')}</${tag}>`),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((blocks) => blocks.join(''));
    fc.assert(
      fc.property(simple, (html) => {
        expect(ours(html)).toBe(theirs(html));
      }),
      { numRuns: 300 },
    );
  });
});
