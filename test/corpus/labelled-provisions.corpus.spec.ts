/**
 * Corpus tier: the integrity of the labelled governance set (test/fixtures/governance). Every label must point at
 * text that still exists in the corpus with the sha256 it was labelled with, use only the agreed category and
 * reference ids, and the set must keep the breadth the evaluation relies on (categories, `none`, services).
 *
 * Needs the corpus (../shared/corpus or $TERMLINE_CORPUS_DIR): without it the suite fails, it does not skip.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@termline/testing';
import {
  CANONICAL_REFERENCE_IDS,
  CATEGORY_IDS,
  REFERENCE_ID_PATTERN,
} from '../fixtures/governance/governance-vocabulary';
import {
  LabelIntegrityError,
  loadLabelledProvisions,
  readProvisionLabels,
  type LabelledProvision,
} from '../fixtures/governance/load-labelled-provisions';

/** Floors of the issue (>= 5 per category, >= 20 `none`, >= 5 services) and of the brief (>= 250 provisions). */
const MIN_PER_CATEGORY = 5;
const MIN_NONE = 20;
const MIN_SERVICES = 5;
const MIN_PROVISIONS = 250;

jest.setTimeout(5 * 60_000);

describe('labelled governance provisions (corpus tier)', () => {
  let provisions: LabelledProvision[];
  const dir = tempDir('termline-labels-');

  beforeAll(async () => {
    provisions = await loadLabelledProvisions();
  });

  afterAll(() => dir.remove());

  it('resolves every label to corpus text whose sha256 matches', () => {
    expect(provisions.length).toBe(readProvisionLabels().length);
    for (const provision of provisions) expect(provision.text.trim()).not.toBe('');
  });

  it('gives every label a unique id and points no two labels at the same span', () => {
    const ids = provisions.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const spans = provisions.map((p) => `${p.source.commit}:${p.source.start}:${p.source.end}`);
    expect(new Set(spans).size).toBe(spans.length);
  });

  it('uses only the agreed category ids, without repeats, with `none` alone and without articles', () => {
    const known = new Set<string>(CATEGORY_IDS);
    for (const { id, categories, primaryArticles } of provisions) {
      expect({ id, unknown: categories.filter((c) => !known.has(c)) }).toEqual({ id, unknown: [] });
      expect(categories.length).toBeGreaterThan(0);
      expect(new Set(categories).size).toBe(categories.length);
      if (categories.includes('none'))
        expect({ id, categories, primaryArticles }).toEqual({
          id,
          categories: ['none'],
          primaryArticles: [],
        });
    }
  });

  it('cites well-formed canonical reference ids, at least one for every labelled category', () => {
    for (const { id, categories, primaryArticles } of provisions) {
      const malformed = primaryArticles.filter((a) => !REFERENCE_ID_PATTERN.test(a));
      const unknown = primaryArticles.filter((a) => !CANONICAL_REFERENCE_IDS.has(a));
      expect({ id, malformed, unknown }).toEqual({ id, malformed: [], unknown: [] });
      expect(new Set(primaryArticles).size).toBe(primaryArticles.length);
      if (categories[0] !== 'none')
        expect({ id, articles: primaryArticles.length > 0 }).toEqual({ id, articles: true });
    }
  });

  it('covers every category at least the required number of times, `none` included', () => {
    const counts = new Map<string, number>(CATEGORY_IDS.map((c) => [c, 0]));
    for (const { categories } of provisions)
      for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
    const short = [...counts].filter(([c, n]) => n < (c === 'none' ? MIN_NONE : MIN_PER_CATEGORY));
    expect(short).toEqual([]);
    expect(provisions.length).toBeGreaterThanOrEqual(MIN_PROVISIONS);
  });

  it('draws on at least five services', () => {
    expect(new Set(provisions.map((p) => p.source.service)).size).toBeGreaterThanOrEqual(MIN_SERVICES);
  });

  it('refuses a label whose text hash no longer matches, naming the label', async () => {
    const [first] = readProvisionLabels();
    const tampered = { ...first!, textSha256: '0'.repeat(64) };
    const file = join(dir.path, 'tampered.ndjson');
    writeFileSync(file, `${JSON.stringify(tampered)}\n`);
    const load = loadLabelledProvisions({ labelsFile: file });
    await expect(load).rejects.toThrow(LabelIntegrityError);
    await expect(loadLabelledProvisions({ labelsFile: file })).rejects.toThrow(first!.id);
  });

  it('refuses a label pointing past the end of its version', async () => {
    const [first] = readProvisionLabels();
    const outside = { ...first!, source: { ...first!.source, end: 10_000_000 } };
    const file = join(dir.path, 'outside.ndjson');
    writeFileSync(file, `${JSON.stringify(outside)}\n`);
    await expect(loadLabelledProvisions({ labelsFile: file })).rejects.toThrow(/outside a text/);
  });
});
