import {
  articleSlug,
  CATEGORIES,
  CATEGORY_IDS,
  CONDITION_IDS,
  FRAMEWORKS,
  FRAMEWORK_IDS,
  REFERENCES,
  TAXONOMY_CHANGELOG,
  TAXONOMY_VERSION,
} from '@termline/regulatory';

// The canonical reference ids shared with the labelled set (g8-shared brief): the taxonomy must hold each.
const CANONICAL =
  `gdpr/art-4-1 gdpr/art-5-1-a gdpr/art-5-1-b gdpr/art-5-1-c gdpr/art-5-1-e gdpr/art-5-1-f gdpr/art-6
gdpr/art-7 gdpr/art-8 gdpr/art-9 gdpr/art-12 gdpr/art-13 gdpr/art-15 gdpr/art-16 gdpr/art-17 gdpr/art-18 gdpr/art-20
gdpr/art-21 gdpr/art-22 gdpr/art-25 gdpr/art-28 gdpr/art-32 gdpr/art-33 gdpr/art-34 gdpr/art-44 gdpr/art-45
gdpr/art-46 gdpr/art-49 gdpr/art-48 eprivacy/art-5-3 eprivacy/art-13 ai-act/art-5 ai-act/art-50 ai-act/art-53
ai-act/art-86 dsa/art-14 dsa/art-16 dsa/art-17 dsa/art-20 dsa/art-21 dsa/art-23 dsa/art-26 dsa/art-27 dsa/art-28
dsa/art-10 uctd/art-3 uctd/art-5 uctd/annex-1-a uctd/annex-1-b uctd/annex-1-g uctd/annex-1-j uctd/annex-1-k
uctd/annex-1-q ccpa/1798-100 ccpa/1798-105 ccpa/1798-106 ccpa/1798-110 ccpa/1798-115 ccpa/1798-120 ccpa/1798-121
ccpa/1798-125 ccpa/1798-135 ccpa/1798-150 ccpa/1798-185 coppa/312-4 coppa/312-5 coppa/312-6 coppa/312-8
coppa/312-10 uk-gdpr/art-5 uk-gdpr/art-13 uk-gdpr/art-22 uk-gdpr/art-44 lgpd/art-18 lgpd/art-33 dma/art-5-2
rome-i/art-6 brussels-ia/art-18`.split(/\s+/);

describe('regulatory taxonomy', () => {
  it('holds every canonical reference, each once', () => {
    const ids = REFERENCES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(CANONICAL));
  });

  it('builds reference ids from the article as written', () => {
    expect(articleSlug('Art. 5(1)(e)')).toBe('art-5-1-e');
    expect(articleSlug('§ 1798.120')).toBe('1798-120');
    expect(articleSlug('Annex 1(q)')).toBe('annex-1-q');
    for (const r of REFERENCES) expect(r.id).toBe(`${r.framework}/${articleSlug(r.article)}`);
  });

  it('points every reference at its official publisher', () => {
    const hosts: Record<string, RegExp> = {
      ccpa: /^https:\/\/leginfo\.legislature\.ca\.gov\//,
      coppa: /^https:\/\/www\.ecfr\.gov\/current\/title-16\//,
      'uk-gdpr': /^https:\/\/www\.legislation\.gov\.uk\//,
      lgpd: /^https:\/\/www\.planalto\.gov\.br\//,
    };
    for (const r of REFERENCES) {
      expect(r.url).toMatch(hosts[r.framework] ?? /^https:\/\/eur-lex\.europa\.eu\/eli\//);
      expect(r.summary.length).toBeGreaterThan(20);
    }
    expect(REFERENCES.find((r) => r.id === 'ccpa/1798-120')!.url).toContain('sectionNum=1798.120');
  });

  it('records the AI Act application dates', () => {
    const aiAct = FRAMEWORKS.find((f) => f.id === 'ai-act')!;
    expect(aiAct.applicationDates.map((d) => d.date)).toEqual([
      '2024-08-01',
      '2025-02-02',
      '2025-08-02',
      '2026-08-02',
      '2027-08-02',
    ]);
    expect(FRAMEWORKS.map((f) => f.id)).toEqual([...FRAMEWORK_IDS]);
  });

  it('maps every category only to known references and conditions, each rule with a rationale', () => {
    const known = new Set(REFERENCES.map((r) => r.id));
    const conditions = new Set<string>(CONDITION_IDS);
    expect(CATEGORIES.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    for (const category of CATEGORIES) {
      for (const rule of category.mapping) {
        expect(known.has(rule.reference)).toBe(true);
        if (rule.when) expect(conditions.has(rule.when)).toBe(true);
        expect(rule.rationale.length).toBeGreaterThan(5);
      }
      expect(category.exposure.find((rule) => rule.when === undefined)).toBeDefined();
      if (category.id !== 'none') expect(category.mapping.some((rule) => rule.role === 'primary')).toBe(true);
    }
  });

  it('has a changelog entry for the current version', () => {
    expect(TAXONOMY_CHANGELOG.map((entry) => entry.version)).toContain(TAXONOMY_VERSION);
  });
});
