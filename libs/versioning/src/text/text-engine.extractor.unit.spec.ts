import { loadConfig } from '@termline/config';
import { decodeFetchEvent, DEFAULT_FETCH_LIMITS } from '@termline/domain';
import {
  declarationSet,
  DEFAULT_MAX_INPUT_BYTES,
  parseDeclaration,
  readDeclarationFiles,
  versionComparison,
  versionFingerprint,
} from '@termline/text';
import { TextEngineExtractor } from './text-engine.extractor';

describe('version fingerprint', () => {
  const text = (target: string, words = 'Privacy Settings') =>
    `# Privacy\n\nManage your data in your [${words}](${target}).\n`;

  it('is the same when only link targets changed', () => {
    expect(versionFingerprint(text('https://claude.ai/redirect/website.v1.3f76-aa/settings/privacy'))).toBe(
      versionFingerprint(text('https://claude.ai/redirect/website.v1.c565-bb/settings/privacy')),
    );
    expect(versionFingerprint(text('https://x.example/a_(b)'))).toBe(
      versionFingerprint(text('https://x.example/c')),
    );
  });

  it('differs when the words changed, link text included', () => {
    expect(versionFingerprint(text('https://x.example'))).not.toBe(
      versionFingerprint(text('https://x.example', 'Data Controls')),
    );
    expect(versionFingerprint('We keep data for 30 days.')).not.toBe(
      versionFingerprint('We keep data for 90 days.'),
    );
  });

  it('is the same when only a relative time moved on, when that optional mask is on', () => {
    const on = ['relative-times'] as const;
    expect(versionFingerprint('Updated: 5 days ago\n\nTerms.', on)).toBe(
      versionFingerprint('Updated: yesterday\n\nTerms.', on),
    );
    expect(versionFingerprint('Updated: an hour ago', on)).toBe(
      versionFingerprint('Updated: 3 hours ago', on),
    );
    expect(versionFingerprint('Updated: March 1, 2026', on)).not.toBe(
      versionFingerprint('Updated: March 2, 2026', on),
    );
    expect(versionFingerprint('Refunds within 5 days.', on)).not.toBe(
      versionFingerprint('Refunds within 6 days.', on),
    );
    // Off by default: the change is a version (its diff calls it cosmetic).
    expect(versionFingerprint('Updated: 5 days ago')).not.toBe(versionFingerprint('Updated: 6 days ago'));
  });

  it('names the masks that matched something in the text', () => {
    expect(versionComparison('Plain terms.').masks).toEqual([]);
    expect(versionComparison(text('https://x.example')).masks).toEqual(['link-targets-masked']);
    const dated = 'Updated: 5 days ago, see [terms](https://x.example).';
    expect(versionComparison(dated).masks).toEqual(['link-targets-masked']);
    expect(versionComparison(dated, ['relative-times']).masks).toEqual([
      'link-targets-masked',
      'relative-times-masked',
    ]);
  });

  it('ignores whitespace differences', () => {
    expect(versionFingerprint('A  clause.\n\n\nB clause.')).toBe(
      versionFingerprint('A clause.\n\nB clause.'),
    );
  });
});

describe('TextEngineExtractor on combined documents', () => {
  const declarations = declarationSet([
    {
      declaration: parseDeclaration({
        name: 'Combo',
        terms: { Terms: { combine: [{ fetch: 'https://combo.example/main', select: 'main' }] } },
      }),
    },
  ]);
  const snapshot = (sourcePart: string, html: string) => ({
    sourcePart,
    snapshotId: `${sourcePart}-id`,
    sourceUrl: `https://combo.example/${sourcePart}`,
    mimeType: 'text/html',
    fetchedAt: '2026-01-01T00:00:00.000Z',
    load: () => Promise.resolve(Buffer.from(html)),
  });

  it('leaves out a part its declaration no longer names when that part cannot be extracted', async () => {
    const extractor = new TextEngineExtractor(declarations);
    const outcome = await extractor.extract({ service: 'Combo', documentType: 'Terms' }, [
      snapshot('main', '<main><p>Main terms.</p></main>'),
      snapshot('retired', '<div>No main element here.</div>'),
    ]);
    expect(outcome).toMatchObject({ ok: true, partsUsed: ['main'] });
    expect(outcome.ok && outcome.text).toContain('Main terms.');
  });

  it('lists the rules that fired in any part, once each, beside the masks of the combined text', async () => {
    const extractor = new TextEngineExtractor(declarations);
    const outcome = await extractor.extract({ service: 'Combo', documentType: 'Terms' }, [
      snapshot('main', '<main><p>See <a href="https://x.example/p?utm_source=mail">this</a>.</p></main>'),
    ]);
    expect(outcome.ok && outcome.rulesFired).toContain('link-tracking-params-removed');
    expect(outcome.ok && new Set(outcome.rulesFired).size).toBe(outcome.ok && outcome.rulesFired.length);
    expect(outcome).toMatchObject({ ok: true, masks: ['link-targets-masked'] });
    expect(outcome.ok && outcome.text).toContain('(https://x.example/p)');
  });

  it('applies the optional volatile masks it is given to the fingerprint', async () => {
    // Each page its own snapshot id: the extractor caches part texts by snapshot.
    const page = (days: number) => [
      {
        ...snapshot('main', `<main><p>Updated: ${days} days ago. Terms.</p></main>`),
        snapshotId: `main-${days}`,
      },
    ];
    const context = { service: 'Combo', documentType: 'Terms' };
    const plain = new TextEngineExtractor(declarations);
    const masked = new TextEngineExtractor(declarations, { volatileMasks: ['relative-times'] });
    const [a, b] = [await plain.extract(context, page(5)), await plain.extract(context, page(6))];
    const [c, d] = [await masked.extract(context, page(5)), await masked.extract(context, page(6))];
    expect(a.ok && b.ok && a.fingerprint !== b.fingerprint).toBe(true);
    expect(c.ok && d.ok && c.fingerprint === d.fingerprint).toBe(true);
    expect(c).toMatchObject({ masks: ['relative-times-masked'] });
  });

  it('fails the document when a part its declaration names cannot be extracted', async () => {
    const extractor = new TextEngineExtractor(declarations);
    const outcome = await extractor.extract({ service: 'Combo', documentType: 'Terms' }, [
      snapshot('main', '<div>No main element.</div>'),
      snapshot('retired', '<main><p>Old.</p></main>'),
    ]);
    expect(outcome).toMatchObject({ ok: false, code: 'selector-matched-nothing' });
  });

  it("gives each part's page signals by part key, and the whole page's when the declared region is missing", async () => {
    const extractor = new TextEngineExtractor(declarations);
    const context = { service: 'Combo', documentType: 'Terms' };
    const ok = await extractor.extract(context, [snapshot('main', '<main><p>Page not found</p></main>')]);
    expect(ok).toMatchObject({
      ok: true,
      pages: { main: { words: 3, markers: [{ kind: 'error-page', marker: 'page not found' }] } },
    });
    const missing = await extractor.extract(context, [
      { ...snapshot('main', '<div>Just a moment...</div>'), snapshotId: 'challenge-id' },
    ]);
    expect(missing).toMatchObject({
      ok: false,
      code: 'selector-matched-nothing',
      page: { markers: [{ kind: 'bot-challenge', marker: 'just a moment...' }] },
    });
  });

  it('lists the rules of the declaration it could not apply, from every part', async () => {
    const read = readDeclarationFiles([
      {
        name: 'Combo.json',
        content: JSON.stringify({
          name: 'Combo',
          terms: {
            Terms: {
              select: 'main',
              remove: ['.ad[', '.x'],
              combine: [
                { fetch: 'https://combo.example/main', filter: ['cleanUp'] },
                { fetch: 'https://combo.example/more' },
              ],
            },
          },
        }),
      },
    ]);
    const extractor = new TextEngineExtractor(read);
    const outcome = await extractor.extract({ service: 'Combo', documentType: 'Terms' }, [
      snapshot('main', '<main><p>Main.</p></main>'),
      snapshot('more', '<main><p>More.</p></main>'),
    ]);
    expect(outcome).toMatchObject({ ok: true, rulesNotApplied: ['filter:cleanUp', 'remove:.ad['] });
  });
});

describe('TextEngineExtractor content limit (issue 7 item 4)', () => {
  const page = (bytes: number, id: string) => {
    const html = `<main><p>${'a'.repeat(bytes - '<main><p></p></main>'.length)}</p></main>`;
    return {
      sourcePart: null,
      snapshotId: id,
      sourceUrl: 'https://limit.example/terms',
      mimeType: 'text/html',
      fetchedAt: '2026-01-01T00:00:00.000Z',
      load: () => Promise.resolve(Buffer.from(html)),
    };
  };
  const context = { service: 'Limit', documentType: 'Terms' };

  it('extracts exactly what ingest accepts: the same limit, read from the same config', async () => {
    const config = loadConfig({ TERMLINE_MAX_CONTENT_BYTES: '1000', TERMLINE_DEMO: 'false' });
    const extractor = TextEngineExtractor.fromConfig(config);
    const atLimit = await extractor.extract(context, [page(1000, 'at-limit')]);
    expect(atLimit).toMatchObject({ ok: true });
    const accepted = decodeFetchEvent(
      {
        fetchId: 'limit-1',
        service: 'Limit',
        documentType: 'Terms',
        sourceUrl: 'https://limit.example/terms',
        fetchedAt: '2026-01-01T00:00:00Z',
        mimeType: 'text/html',
        content: 'a'.repeat(1000),
      },
      new Date('2026-01-02T00:00:00Z'),
      { maxContentBytes: config.maxContentBytes, clockSkewMs: 0 },
    );
    expect(accepted.body.length).toBe(1000);
    expect(await extractor.extract(context, [page(1001, 'over-limit')])).toMatchObject({
      ok: false,
      code: 'too-large',
    });
  });

  it('has one default for ingest and extraction', () => {
    expect(loadConfig({}).maxContentBytes).toBe(DEFAULT_MAX_INPUT_BYTES);
    expect(DEFAULT_FETCH_LIMITS.maxContentBytes).toBe(DEFAULT_MAX_INPUT_BYTES);
  });
});
