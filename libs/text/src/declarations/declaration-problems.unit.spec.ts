import { extractText } from '../extraction/extract-text';
import { htmlInput } from '../extraction/extraction-input.spec-support';
import {
  declarationFor,
  declarationHash,
  parseDeclaration,
  readDeclarationFiles,
  type DeclarationFile,
  type DeclarationProblem,
} from './declaration';

/** A declarations folder in memory: JSON values are written as files, strings as they are. */
function folder(files: Record<string, unknown>): DeclarationFile[] {
  return Object.entries(files).map(([name, value]) => ({
    name,
    content: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

const acme = {
  name: 'Acme',
  terms: {
    'Terms of Service': { fetch: 'https://acme.example/terms', select: 'article' },
    'Privacy Policy': { fetch: 'https://acme.example/privacy', select: 'main', remove: '.banner' },
  },
};

const inForce = (set: ReturnType<typeof readDeclarationFiles>, documentType: string, fetchedAt: string) =>
  declarationFor(set, { service: 'Acme', documentType, fetchedAt })?.terms;

const only = (problems: readonly DeclarationProblem[], problem: RegExp) =>
  problems.filter((p) => problem.test(p.problem));

describe('readDeclarationFiles: a mistake in one place never stops the rest', () => {
  it('reads a sound folder without problems, with the same hash as the strict parser', () => {
    const set = readDeclarationFiles(folder({ 'Acme.json': acme }));
    expect(set.problems).toEqual([]);
    expect(declarationHash(inForce(set, 'Terms of Service', '2026-01-01T00:00:00Z')!)).toBe(
      declarationHash(parseDeclaration(acme).terms['Terms of Service']!),
    );
  });

  it('reads a history entry whose key differs only by case ("ValidUntil") and says so', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': acme,
        'Acme.history.json': {
          'Terms of Service': [
            { fetch: 'https://acme.example/old-terms', select: '#old', ValidUntil: '2025-06-30T00:00:00Z' },
          ],
        },
      }),
    );
    expect(inForce(set, 'Terms of Service', '2025-01-01T00:00:00Z')?.sources[0]?.fetch).toBe(
      'https://acme.example/old-terms',
    );
    expect(inForce(set, 'Terms of Service', '2025-07-01T00:00:00Z')?.sources[0]?.fetch).toBe(
      'https://acme.example/terms',
    );
    expect(set.problems).toEqual([
      {
        file: 'Acme.history.json',
        service: 'Acme',
        documentType: 'Terms of Service',
        entry: { index: 0, validUntil: '2025-06-30T00:00:00.000Z' },
        path: '["Terms of Service"][0].ValidUntil',
        problem: 'misspelt key "ValidUntil"',
        consequence: 'read as "validUntil"',
        severity: 'warning',
      },
    ]);
  });

  it('ignores a history entry without a readable date, keeps the others and the other services', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': acme,
        'Acme.history.json': {
          'Terms of Service': [
            { fetch: 'https://acme.example/a', validUntil: 'last summer' },
            { fetch: 'https://acme.example/b', validUntl: '2025-01-01T00:00:00Z' },
            { fetch: 'https://acme.example/c', validUntil: '2025-13-45' },
            { fetch: 'https://acme.example/d', validUntil: '2024-06-01T00:00:00Z' },
          ],
        },
        'Other.json': { name: 'Other', terms: { Terms: { fetch: 'https://other.example/' } } },
      }),
    );
    expect(set.services.get('Other')).toBeDefined();
    expect(set.services.get('Acme')?.history['Terms of Service']?.map((e) => e.sources[0]!.fetch)).toEqual([
      'https://acme.example/d',
    ]);
    const dates = set.problems.filter((p) => p.path.endsWith('.validUntil'));
    expect(dates.map((p) => [p.entry?.index, p.problem])).toEqual([
      [0, 'must be an ISO 8601 date, got last summer'],
      [1, 'is missing (did you mean "validUntil" for "validUntl"?)'],
      [2, 'must be an ISO 8601 date, got 2025-13-45'],
    ]);
    expect(dates.every((p) => p.severity === 'error' && /entry ignored/.test(p.consequence))).toBe(true);
  });

  it('reports unknown and misspelt keys of a terms declaration, ignoring them and listing them as not applied', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': {
          name: 'Acme',
          terms: { Terms: { fetch: 'https://acme.example/t', selector: 'article', colour: 'blue' } },
        },
      }),
    );
    expect(set.problems.map((p) => [p.documentType, p.path, p.problem])).toEqual([
      ['Terms', 'terms["Terms"].selector', 'unknown key "selector" (did you mean "select"?)'],
      ['Terms', 'terms["Terms"].colour', 'unknown key "colour"'],
    ]);
    expect(inForce(set, 'Terms', '2026-01-01T00:00:00Z')?.rulesNotApplied).toEqual([
      'key:selector',
      'key:colour',
    ]);
  });

  it('leaves out selectors of the wrong type and invalid remove selectors, and says what follows', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': {
          name: 'Acme',
          terms: {
            Terms: {
              fetch: 'https://acme.example/t',
              select: ['article', 42],
              remove: ['.ad[', '.banner', { startBefore: 'h1' }],
              executeClientScripts: 'yes',
            },
          },
        },
      }),
    );
    const terms = inForce(set, 'Terms', '2026-01-01T00:00:00Z')!;
    expect(terms.sources[0]).toMatchObject({
      select: ['article'],
      remove: ['.banner'],
      executeClientScripts: false,
    });
    expect(terms.rulesNotApplied).toEqual(['select:42', 'remove:{"startBefore":"h1"}', 'remove:.ad[']);
    expect(only(set.problems, /invalid CSS selector/)[0]).toMatchObject({
      path: 'terms["Terms"].remove[0]',
      consequence: 'left out: what it matches stays in the text',
    });
    expect(only(set.problems, /must be true or false/)[0]).toMatchObject({
      severity: 'warning',
      consequence: 'read as false',
    });
    const page = '<article>Kept</article><p class="ad">Ad</p><p class="banner">Banner</p>';
    const result = extractText(
      htmlInput(page, { service: 'Acme', documentType: 'Terms', sourceUrl: 'https://acme.example/t' }),
      set,
    );
    expect(result).toMatchObject({ ok: true, text: 'Kept\n' });
    expect(result.ok && result.rulesNotApplied).toEqual([
      'select:42',
      'remove:{"startBefore":"h1"}',
      'remove:.ad[',
    ]);
  });

  it('keeps an invalid select selector when it is the only one, so extraction fails instead of taking the whole page', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': {
          name: 'Acme',
          terms: { Terms: { fetch: 'https://acme.example/t', select: 'main[' } },
        },
      }),
    );
    expect(only(set.problems, /invalid CSS selector/)[0]?.consequence).toMatch(
      /extracting this document fails/,
    );
    const result = extractText(
      htmlInput('<main>x</main>', {
        service: 'Acme',
        documentType: 'Terms',
        sourceUrl: 'https://acme.example/t',
      }),
      set,
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid-selector' });
  });

  it('reports filters that are not available, and filter files that cannot be run', () => {
    const set = readDeclarationFiles([
      ...folder({
        'Acme.json': {
          name: 'Acme',
          terms: {
            Terms: {
              fetch: 'https://acme.example/t',
              filter: ['removeQueryParamsFromLinks', 'cleanUpSidebar', 7],
            },
          },
        },
      }),
      { name: 'Acme.filters.js', content: '' },
    ]);
    expect(set.problems.map((p) => [p.file, p.path, p.severity])).toEqual([
      ['Acme.filters.js', '', 'warning'],
      ['Acme.json', 'terms["Terms"].filter[1]', 'warning'],
      ['Acme.json', 'terms["Terms"].filter[2]', 'error'],
    ]);
    expect(set.problems[1]!.consequence).toMatch(/filter:cleanUpSidebar.*rulesNotApplied/);
    const result = extractText(
      htmlInput('<p><a href="https://acme.example/x?utm=1">x</a></p>', {
        service: 'Acme',
        documentType: 'Terms',
        sourceUrl: 'https://acme.example/t',
      }),
      set,
    );
    expect(result.ok && result.rulesFired).toContain('filter:removeQueryParamsFromLinks');
    expect(result.ok && result.rulesNotApplied).toEqual(['filter:7', 'filter:cleanUpSidebar']);
  });

  it('reads history entries out of order in validUntil order, and ignores one that overlaps another', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': acme,
        'Acme.history.json': {
          'Terms of Service': [
            { fetch: 'https://acme.example/2025', validUntil: '2025-06-30T00:00:00Z' },
            { fetch: 'https://acme.example/2024', validUntil: '2024-12-31T00:00:00Z' },
            { fetch: 'https://acme.example/2024-bis', validUntil: '2024-12-31T00:00:00.000Z' },
          ],
        },
      }),
    );
    expect(set.services.get('Acme')?.history['Terms of Service']?.map((e) => e.sources[0]!.fetch)).toEqual([
      'https://acme.example/2024',
      'https://acme.example/2025',
    ]);
    expect(set.problems.map((p) => [p.entry?.index, p.problem, p.severity])).toEqual([
      [1, 'entries are not in validUntil order', 'warning'],
      [2, 'overlaps an earlier entry with the same validUntil', 'error'],
    ]);
  });

  it('survives unreadable JSON: the service without a declaration, its history ignored, the others read', () => {
    const set = readDeclarationFiles([
      ...folder({
        'Acme.json': '{"name": "Acme", "terms": {',
        'Acme.history.json': {},
        'Other.json': { name: 'Other', terms: {} },
      }),
      { name: 'Locked.json', content: '', readError: 'EACCES: permission denied' },
    ]);
    expect([...set.services.keys()]).toEqual(['Other']);
    expect(set.problems.map((p) => [p.file, p.problem.replace(/:.*/, '')])).toEqual([
      ['Acme.history.json', 'Acme.json is unreadable'],
      ['Acme.json', 'unreadable'],
      ['Locked.json', 'unreadable'],
    ]);
    expect(set.problems[2]!.problem).toContain('EACCES');
    expect(set.problems[1]!.consequence).toMatch(/whole page/);
  });

  it('survives a history file that is unreadable or of the wrong shape, applying the current declaration', () => {
    const broken = readDeclarationFiles(folder({ 'Acme.json': acme, 'Acme.history.json': '[1, 2' }));
    expect(inForce(broken, 'Terms of Service', '2020-01-01T00:00:00Z')?.sources[0]?.fetch).toBe(
      'https://acme.example/terms',
    );
    expect(broken.problems[0]).toMatchObject({
      file: 'Acme.history.json',
      consequence: expect.stringMatching(/current declaration applies/),
    });

    const shapes = readDeclarationFiles(
      folder({
        'Acme.json': acme,
        'Acme.history.json': { 'Terms of Service': { fetch: 'x' }, 'Privacy Policy': ['entry'] },
      }),
    );
    expect(shapes.problems.map((p) => [p.documentType, p.path, p.problem])).toEqual([
      ['Terms of Service', '["Terms of Service"]', 'must be a list'],
      ['Privacy Policy', '["Privacy Policy"][0]', 'must be an object'],
    ]);
  });

  it('reports missing fields: a terms type without fetch, a combined part without fetch, a missing name', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': {
          terms: {
            Terms: { select: 'main' },
            Privacy: { select: 'main', combine: [{ fetch: 'https://acme.example/p1' }, { select: '.x' }] },
          },
        },
        'Lonely.history.json': { Terms: [] },
      }),
    );
    expect(set.problems.map((p) => [p.file, p.documentType, p.path, p.problem])).toEqual([
      ['Acme.json', null, 'name', 'must be a non-empty string'],
      ['Acme.json', 'Terms', 'terms["Terms"]', 'has no fetch URL'],
      ['Acme.json', 'Terms', 'terms["Terms"]', 'is unusable'],
      ['Acme.json', 'Privacy', 'terms["Privacy"].combine[1]', 'has no fetch URL'],
      ['Lonely.history.json', null, '', 'no Lonely.json beside it'],
    ]);
    // The service is named by its file, the usable part of the combined document kept.
    const privacy = declarationFor(set, {
      service: 'Acme',
      documentType: 'Privacy',
      fetchedAt: '2026-01-01T00:00:00Z',
    });
    expect(privacy?.terms).toMatchObject({ combined: true, rulesNotApplied: ['combine:1'] });
    expect(privacy?.terms.sources.map((s) => s.fetch)).toEqual(['https://acme.example/p1']);
    expect(
      declarationFor(set, { service: 'Acme', documentType: 'Terms', fetchedAt: '2026-01-01T00:00:00Z' }),
    ).toBeUndefined();
  });

  it('gives every problem its file, service, document type, entry, path, problem and consequence', () => {
    const set = readDeclarationFiles(
      folder({
        'Acme.json': { name: 'Acme', terms: { T: { fetch: 'https://a.example/', remove: [''] } }, extra: 1 },
        'Acme.history.json': {
          T: [{ fetch: 'https://a.example/old', select: 'p:nth-child(', validUntil: '2025-01-01' }],
        },
      }),
    );
    expect(set.problems.length).toBeGreaterThanOrEqual(3);
    for (const p of set.problems) {
      expect(p.file).toMatch(/^Acme(\.history)?\.json$/);
      expect(p.service).toBe('Acme');
      expect(p.problem).not.toBe('');
      expect(p.consequence).not.toBe('');
    }
    expect(set.problems.find((p) => p.file === 'Acme.history.json')).toMatchObject({
      documentType: 'T',
      entry: { index: 0, validUntil: '2025-01-01T00:00:00.000Z' },
      path: '["T"][0].select[0]',
    });
  });
});
