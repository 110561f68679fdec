import { diffVersions } from '@termline/text';
import { summarise } from './version-comparison';

describe('summarise', () => {
  const v1 = '# Terms\n\n## 1. Data\n\nWe keep data.\n\n## 2. Law\n\nIrish law.\n';
  const v2 = '# Terms\n\n## 1. Data\n\nWe keep data longer.\n\n## 2. Law\n\nIrish law.\n';
  const diff = diffVersions(v1, v2);
  const ids = diff.nextProvisions.map((p) => p.id);

  it('keeps the word counts of the diff when it agrees with the recorded alignment', () => {
    const summary = summarise(diff, {
      provisionIds: ids,
      lineage: [{ kind: 'modified', id: ids[1]!, similarity: 0.5 }],
    });
    expect(summary.provisionIds).toEqual(ids);
    expect(summary.provisionChanges).toEqual([
      expect.objectContaining({ provisionId: ids[1], change: 'modified', wordsAdded: 1 }),
    ]);
  });

  it('lets the recorded ids and lineage win when aligning again would give other ids', () => {
    const recorded = ['t', 'd', 'l'];
    const summary = summarise(diff, {
      provisionIds: recorded,
      lineage: [
        { kind: 'modified', id: 'd', similarity: 0.5 },
        { kind: 'split', from: 'l', into: ['l', 'l-2'] },
      ],
    });
    expect(summary.provisionIds).toEqual(recorded);
    expect(summary.provisionChanges).toEqual([
      {
        provisionId: 'd',
        heading: diff.nextProvisions[1]!.heading,
        change: 'modified',
        wordsAdded: 0,
        wordsRemoved: 0,
      },
      { provisionId: 'l-2', heading: '', change: 'split', wordsAdded: 0, wordsRemoved: 0 },
    ]);
    expect(summary.materiality.level).toBe(diff.materiality.level);
  });
});
