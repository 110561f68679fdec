import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { combineParts, extractText } from '../extraction/extract-text';
import { htmlInput } from '../extraction/extraction-input.spec-support';
import { segmentProvisions } from '../provisions/segment-provisions';
import {
  DeclarationError,
  declarationFor,
  declarationHash,
  declarationSet,
  parseDeclaration,
  parseHistory,
  readDeclarationFiles,
  sourcePartOf,
} from './declaration';

const exampleDeclaration = {
  name: 'Example',
  terms: {
    'Terms of Service': {
      fetch: 'https://example.com/legal/terms',
      select: 'article',
      remove: ['.cookie-banner', { startBefore: '#toc-start', endAfter: '#toc-end' }],
    },
    'Privacy Policy': {
      select: ['main'],
      remove: ['.share'],
      executeClientScripts: true,
      combine: [
        {
          fetch: 'https://example.com/policies/privacy/',
          filter: ['removeRedirectFromLinks', 'loadLegacyWidget'],
        },
        { fetch: 'https://help.example.com/en/articles/42-data-requests?hl=en#top', select: '.article' },
      ],
    },
  },
};

const exampleHistory = {
  'Terms of Service': [
    { fetch: 'https://example.com/terms-old', select: '#old', validUntil: '2025-06-30T23:59:59Z' },
    { fetch: 'https://example.com/terms-older', select: '#older', validUntil: '2024-12-31T00:00:00Z' },
  ],
};

const set = declarationSet([
  { declaration: parseDeclaration(exampleDeclaration), history: parseHistory(exampleHistory) },
]);

const terms = htmlInput;

describe('parseDeclaration', () => {
  it('normalises selectors to lists and gives combined parts the shared rules unless they override them', () => {
    const parsed = parseDeclaration(exampleDeclaration);
    expect(parsed.terms['Terms of Service']).toEqual({
      combined: false,
      sources: [
        {
          fetch: 'https://example.com/legal/terms',
          select: ['article'],
          remove: ['.cookie-banner', { startBefore: '#toc-start', endAfter: '#toc-end' }],
          filter: [],
          executeClientScripts: false,
        },
      ],
    });
    const privacy = parsed.terms['Privacy Policy']!;
    expect(privacy.combined).toBe(true);
    expect(privacy.sources.map((s) => [s.select, s.remove, s.filter, s.executeClientScripts])).toEqual([
      [['main'], ['.share'], ['removeRedirectFromLinks', 'loadLegacyWidget'], true],
      [['.article'], ['.share'], [], true],
    ]);
  });

  it('lists every problem of an invalid declaration', () => {
    const bad = {
      name: '',
      terms: { A: { select: 'main' }, B: { fetch: 'u', select: [{ startBefore: 'h1' }] } },
    };
    expect(() => parseDeclaration(bad)).toThrow(DeclarationError);
    try {
      parseDeclaration(bad);
    } catch (error) {
      expect((error as DeclarationError).problems).toEqual([
        'name must be a non-empty string',
        'terms["A"] has no fetch URL',
        'terms["B"].select[0] needs exactly one of startBefore/startAfter and one of endBefore/endAfter',
      ]);
    }
  });
});

describe('declarationFor', () => {
  const at = (fetchedAt: string) =>
    declarationFor(set, { service: 'Example', documentType: 'Terms of Service', fetchedAt })?.terms.sources[0]
      ?.fetch;

  it('chooses the declaration in force at the fetch time, validUntil being inclusive', () => {
    expect(at('2024-06-01T00:00:00Z')).toBe('https://example.com/terms-older');
    expect(at('2024-12-31T00:00:00Z')).toBe('https://example.com/terms-older');
    expect(at('2025-01-01T00:00:00Z')).toBe('https://example.com/terms-old');
    expect(at('2025-06-30T23:59:59Z')).toBe('https://example.com/terms-old');
    expect(at('2025-07-01T00:00:00Z')).toBe('https://example.com/legal/terms');
  });

  it('finds the part of a combined document by fetch URL or by sourcePart', () => {
    const lookup = { service: 'Example', documentType: 'Privacy Policy', fetchedAt: '2026-01-01T00:00:00Z' };
    expect(
      declarationFor(set, { ...lookup, sourcePart: 'en-articles-42-data-requests' })?.source?.select,
    ).toEqual(['.article']);
    expect(
      declarationFor(set, { ...lookup, sourceUrl: 'https://example.com/policies/privacy' })?.source?.select,
    ).toEqual(['main']);
    expect(declarationFor(set, { ...lookup, sourcePart: 'unknown' })?.source).toBeUndefined();
    expect(declarationFor(set, { ...lookup, service: 'Nobody' })).toBeUndefined();
  });

  it('derives sourcePart from the fetch URL path like Open Terms Archive', () => {
    expect(sourcePartOf('https://openai.com/policies/eu-terms-of-use/')).toBe('policies-eu-terms-of-use');
    expect(sourcePartOf('https://policies.google.com/terms?hl=en-GB&gl=IE')).toBe('terms');
    expect(sourcePartOf('https://support.google.com/gemini/answer/13594961?hl=en#gemini_apps')).toBe(
      'gemini-answer-13594961',
    );
  });

  it('names each declaration by a stable hash of its canonical JSON', () => {
    const a = parseDeclaration(exampleDeclaration).terms['Terms of Service']!;
    const reordered = parseDeclaration({
      terms: {
        'Terms of Service': {
          remove: exampleDeclaration.terms['Terms of Service'].remove,
          select: 'article',
          fetch: 'https://example.com/legal/terms',
        },
      },
      name: 'Example',
    }).terms['Terms of Service']!;
    expect(declarationHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(declarationHash(reordered)).toBe(declarationHash(a));
    expect(declarationHash({ ...a, sources: [{ ...a.sources[0]!, select: ['main'] }] })).not.toBe(
      declarationHash(a),
    );
  });
});

describe('extractText with declarations', () => {
  const page = `<html><body>
    <nav>Menu</nav>
    <div class="cookie-banner">We use cookies</div>
    <article>
      <h1>Terms</h1>
      <p id="toc-start">Contents</p><ul><li>Intro</li></ul><p id="toc-end">End of contents</p>
      <p>The actual terms.</p>
    </article>
    <footer>Footer</footer>
  </body></html>`;

  it('removes (CSS and range) before selecting', () => {
    const result = extractText(terms(page), set);
    expect(result).toMatchObject({ ok: true, text: 'Terms\n=====\n\nThe actual terms.\n' });
    expect(result.ok && result.declarationHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.ok && result.rulesFired).toEqual(
      expect.arrayContaining([
        'remove:.cookie-banner',
        'remove:{"startBefore":"#toc-start","endAfter":"#toc-end"}',
      ]),
    );
  });

  it('removes tens of thousands of matching siblings in one pass per parent', () => {
    const html = `<article><h1>Terms</h1>${'<p class="cookie-banner">x</p><p>kept</p>'.repeat(30_000)}</article>`;
    const result = extractText(terms(html), set);
    expect(result.ok && result.text.split('\n').filter((line) => line === 'kept')).toHaveLength(30_000);
    expect(result.ok && result.text).not.toContain('x');
  });

  it('selects a range between two markers', () => {
    const declaration = parseDeclaration({
      name: 'Ranged',
      terms: {
        Terms: { fetch: 'https://r.example/t', select: { startAfter: '#toc-end', endBefore: 'footer' } },
      },
    });
    const result = extractText(
      terms(page, { service: 'Ranged', documentType: 'Terms', sourceUrl: 'https://r.example/t' }),
      declarationSet([{ declaration }]),
    );
    expect(result).toMatchObject({ ok: true, text: 'The actual terms.\n' });
  });

  it('fails with selector-matched-nothing when select finds nothing', () => {
    expect(extractText(terms('<div>No article here</div>'), set)).toMatchObject({
      ok: false,
      code: 'selector-matched-nothing',
    });
  });

  it('fails with invalid-selector when the only select selector is syntax css-select does not know', () => {
    const read = readDeclarationFiles([
      {
        name: 'Bad.json',
        content: JSON.stringify({
          name: 'Bad',
          terms: { T: { fetch: 'https://b.example/', select: 'main[' } },
        }),
      },
    ]);
    const result = extractText(
      terms(page, { service: 'Bad', documentType: 'T', sourceUrl: 'https://b.example/' }),
      read,
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid-selector' });
    expect(() =>
      parseDeclaration({ name: 'Bad', terms: { T: { fetch: 'https://b.example/', select: 'main[' } } }),
    ).toThrow(/invalid CSS selector: main\[/);
  });

  it('applies built-in filters by name and records unknown ones', () => {
    const html =
      '<main><p><a href="https://example.com/redirect?url=https%3A%2F%2Fdest.example%2Fpage&amp;sig=1">Dest</a> ' +
      '<a href="https://app.example/redirect/website.v1.0b1c-22/settings/privacy">Settings</a></p></main>';
    const result = extractText(
      terms(html, {
        documentType: 'Privacy Policy',
        sourceUrl: 'https://example.com/policies/privacy/',
        sourcePart: 'policies-privacy',
      }),
      set,
    );
    expect(result).toMatchObject({
      ok: true,
      text: '[Dest](https://dest.example/page) [Settings](https://app.example/settings/privacy)\n',
    });
    expect(result.ok && result.rulesFired).toContain('filter:removeRedirectFromLinks');
    expect(result.ok && result.rulesNotApplied).toEqual(['filter:loadLegacyWidget']);
  });

  it('uses the rules of the declaration in force at the fetch time', () => {
    const old = '<div id="old">Old terms</div><article>New terms</article>';
    expect(extractText(terms(old, { fetchedAt: '2025-03-01T00:00:00Z' }), set)).toMatchObject({
      ok: true,
      text: 'Old terms\n',
    });
    expect(extractText(terms(old), set)).toMatchObject({ ok: true, text: 'New terms\n' });
  });
});

describe('combineParts', () => {
  it("orders parts as the combine list, unknown parts last, and separates them by Open Terms Archive's '- - -'", () => {
    const privacy = declarationFor(set, {
      service: 'Example',
      documentType: 'Privacy Policy',
      fetchedAt: '2026-01-01T00:00:00Z',
    })!;
    const text = combineParts(
      [
        { sourcePart: 'legacy-part', text: 'Legacy\n' },
        { sourcePart: 'en-articles-42-data-requests', text: 'Help article\n' },
        { sourcePart: 'policies-privacy', text: 'Policy\n' },
      ],
      privacy.terms,
    );
    expect(text).toBe('Policy\n\n- - -\n\nHelp article\n\n- - -\n\nLegacy\n');
    expect(
      combineParts([
        { sourcePart: null, text: 'B' },
        { sourcePart: null, text: 'A' },
      ]),
    ).toBe('B\n\n- - -\n\nA\n');
  });
});

describe('golden: a declared page, extracted and segmented', () => {
  const dir = join(__dirname, '../../../../test/fixtures/text/declared');

  it('acme-privacy: filters, CSS and range removal, selection, Markdown and provisions', () => {
    const declaration = parseDeclaration(
      JSON.parse(readFileSync(join(dir, 'acme-privacy.declaration.json'), 'utf8')),
    );
    const result = extractText(
      {
        content: readFileSync(join(dir, 'acme-privacy.html'), 'utf8'),
        mimeType: 'text/html',
        fetchedAt: '2026-02-04T00:00:00Z',
        service: 'Acme',
        documentType: 'Privacy Policy',
        sourceUrl: 'https://acme.example/legal/privacy',
      },
      declarationSet([{ declaration }]),
    );
    const expected = readFileSync(join(dir, 'acme-privacy.md'), 'utf8');
    expect(result).toMatchObject({ ok: true, text: expected });
    expect(result.ok && result.rulesNotApplied).toContain('filter:removeTrackingWidgets');
    expect(segmentProvisions(expected).map((p) => p.id)).toEqual([
      'privacy-policy',
      '1-what-we-collect',
      'account-data',
      'usage-data',
      'device-data',
      '1-browser-type',
      '2-operating-system',
      'retention',
      '2-your-rights',
    ]);
  });
});
