import type { VersionView } from '@termline/readmodels';
import { formsInForceBefore, mapVersion, retractVersion } from './governance.projection';
import { keywordClassifier } from './keyword-classifier.spec-support';

const terms = (retention: string, disputes: string) =>
  `# Terms\n\n## Your content\n\nWe keep deleted notes for ${retention}.\n\n## Disputes\n\n${disputes}\n\n## Changes\n\nWe tell you first.\n`;

const aVersion = (version: number, text: string, overrides: Partial<VersionView> = {}): VersionView => ({
  documentId: 'nimbus__terms',
  version,
  service: 'Nimbus',
  documentType: 'Terms of Service',
  validFrom: `2026-0${version}-01T00:00:00.000Z`,
  textSha256: `sha-${version}`,
  text,
  snapshots: [],
  extractorVersion: 'x',
  declarationHash: null,
  rulesFired: [],
  rulesNotApplied: [],
  fetchId: `f${version}`,
  previousVersion: version === 1 ? null : version - 1,
  technicalUpgrade: false,
  retracted: null,
  stats: { linesAdded: 1, linesRemoved: 1, wordsAdded: 1, wordsRemoved: 1 },
  materiality: { level: 'substantive', reasons: ['words changed'] },
  provisionChanges: [],
  // Empty ids: the text's own segmentation ids are used (heading slugs), the same for every version here.
  provisionIds: [],
  ...overrides,
});

describe('governance projection', () => {
  // Given a first version, when it is mapped, then every provision is classified once and added.
  it('maps a first version: every provision added, nothing to compare exposure with', () => {
    const { classifier, calls } = keywordClassifier();
    const { entry, open, written } = mapVersion(
      aVersion(1, terms('30 days', 'Courts of Dublin.')),
      'nimbus',
      new Map(),
      classifier,
    );
    expect(calls).toHaveLength(4);
    expect(written).toHaveLength(4);
    expect([...open.keys()]).toEqual(['terms', 'your-content', 'disputes', 'changes']);
    expect(entry).toMatchObject({
      entryId: 'nimbus__terms:000001',
      generation: 'test-taxonomy-1+kw-1',
      kind: 'first',
      categoryIds: ['retention'],
      referenceIds: ['gdpr/art-5-1-e'],
      frameworks: ['gdpr'],
      exposureBefore: null,
      exposureAfter: 'medium',
      exposureDirection: 'unchanged',
    });
    expect(entry.provisions.every((p) => p.change === 'added')).toBe(true);
    expect(open.get('your-content')).toMatchObject({
      fromVersion: 1,
      untilVersion: null,
      categoryIds: ['retention'],
    });
  });

  // Given version 1 in force, when version 2 adds arbitration and lengthens retention, then only those change.
  it('classifies only changed provisions and records exposure before and after', () => {
    const { classifier, calls } = keywordClassifier();
    const v1 = mapVersion(
      aVersion(1, terms('30 days', 'Courts of Dublin.')),
      'nimbus',
      new Map(),
      classifier,
    );
    calls.length = 0;
    const v2 = mapVersion(
      aVersion(2, terms('90 days', 'Binding individual arbitration; no class actions.')),
      'nimbus',
      v1.open,
      classifier,
    );
    expect(calls.map((c) => c.heading)).toEqual(['Your content', 'Disputes']);
    expect(v2.entry.provisions).toEqual([
      {
        provisionId: 'your-content',
        heading: 'Your content',
        change: 'modified',
        before: { categoryIds: ['retention'], referenceIds: ['gdpr/art-5-1-e'], exposure: 'medium' },
        after: { categoryIds: ['retention'], referenceIds: ['gdpr/art-5-1-e'], exposure: 'high' },
      },
      {
        provisionId: 'disputes',
        heading: 'Disputes',
        change: 'modified',
        before: { categoryIds: ['none'], referenceIds: [], exposure: 'low' },
        after: {
          categoryIds: ['arbitration-class-waiver'],
          referenceIds: ['uctd/annex-1-q'],
          exposure: 'high',
        },
      },
    ]);
    expect(v2.entry).toMatchObject({
      kind: 'change',
      categoryIds: ['arbitration-class-waiver', 'retention'],
      frameworks: ['gdpr', 'uctd'],
      exposureBefore: 'medium',
      exposureAfter: 'high',
      exposureDirection: 'raised',
    });
    // The closed forms end where the new ones begin: as-of bounds without gap or overlap.
    const closed = v2.written.filter((f) => f.untilVersion !== null);
    expect(closed.map((f) => [f.provisionId, f.fromVersion, f.untilVersion, f.validUntil])).toEqual([
      ['your-content', 1, 2, '2026-02-01T00:00:00.000Z'],
      ['disputes', 1, 2, '2026-02-01T00:00:00.000Z'],
    ]);
    expect(v2.open.get('disputes')!.validFrom).toBe('2026-02-01T00:00:00.000Z');
  });

  it('records removed provisions, stated dates and technical upgrades', () => {
    const { classifier } = keywordClassifier();
    const v1 = mapVersion(aVersion(1, terms('30 days', 'Courts.')), 'nimbus', new Map(), classifier);
    const v2 = mapVersion(
      aVersion(
        2,
        '# Terms\n\nEffective 1 September 2026.\n\n## Your content\n\nWe keep deleted notes for 30 days.\n',
        {
          technicalUpgrade: true,
        },
      ),
      'nimbus',
      v1.open,
      classifier,
    );
    expect(v2.entry.provisions.map((p) => [p.provisionId, p.change])).toEqual([
      ['terms', 'modified'],
      ['disputes', 'removed'],
      ['changes', 'removed'],
    ]);
    expect(v2.entry.kind).toBe('technical-upgrade');
    expect(v2.entry.statedDates).toEqual([
      { kind: 'effective', date: '2026-09-01', phrase: 'Effective 1 September 2026' },
    ]);
    expect(v2.entry.effectiveAt).toBe('2026-09-01T00:00:00.000Z');
    expect([...v2.open.keys()].sort()).toEqual(['terms', 'your-content']);
  });

  // A retraction puts the restored version's forms back in force, and re-applying a version gives the same.
  it('retracts a version and computes the forms in force before any version from the stored forms', () => {
    const { classifier } = keywordClassifier();
    const v1 = mapVersion(aVersion(1, terms('30 days', 'Courts.')), 'nimbus', new Map(), classifier);
    const v2 = mapVersion(aVersion(2, terms('90 days', 'Courts.')), 'nimbus', v1.open, classifier);
    const stored = new Map<string, (typeof v1.written)[number]>();
    for (const form of [...v1.written, ...v2.written]) stored.set(form.formId, form);
    expect(formsInForceBefore([...stored.values()], 2)).toEqual(v1.open);
    expect(formsInForceBefore([...stored.values()], 3)).toEqual(v2.open);

    const retraction = retractVersion(v2.entry, [...stored.values()], 2);
    expect(retraction.entry.retracted).toBe(true);
    expect(
      retraction.written.map((f) => [f.provisionId, f.fromVersion, f.retracted, f.untilVersion]),
    ).toEqual([
      ['your-content', 1, false, null],
      ['your-content', 2, true, null],
    ]);
    for (const form of retraction.written) stored.set(form.formId, form);
    const live = [...stored.values()].filter((f) => !f.retracted);
    expect(formsInForceBefore(live, 3)).toEqual(v1.open);
  });
});
