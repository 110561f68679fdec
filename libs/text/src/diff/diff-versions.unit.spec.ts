import { applyPatch } from 'diff';
import fc from 'fast-check';

import { segmentProvisions } from '../provisions/segment-provisions';
import { diffVersions } from './diff-versions';

const OLD = `# Privacy Policy

## 1. Data we collect

We collect your name and email address when you sign up.

## 2. How we use data

We use data to provide the services. See [our cookie notice](https://example.com/cookies).

## 3. Retention

We keep data for 30 days after you close your account.
`;

describe('diffVersions', () => {
  it('reports identical texts as no change', () => {
    const diff = diffVersions(OLD, OLD);
    expect(diff.materiality).toEqual({ level: 'none', reasons: ['identical texts'] });
    expect(diff.stats).toEqual({ linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 });
    expect(diff.provisions.every((p) => p.change === 'unchanged')).toBe(true);
    expect(applyPatch(OLD, diff.patch)).toBe(OLD);
  });

  it('names at most twenty provision changes among the reasons and counts the rest by kind', () => {
    const sections = (count: number) =>
      Array.from({ length: count }, (_, i) => `## ${i + 1}. Part ${i + 1}\n\nWe keep part ${i + 1}.\n`).join(
        '\n',
      );
    const diff = diffVersions(sections(2), sections(50));
    const named = diff.materiality.reasons.filter((reason) => reason.startsWith('provision added: '));
    expect(named).toHaveLength(20);
    expect(diff.materiality.reasons).toContain('and 28 more provision changes (28 added)');
    expect(diff.provisions.filter((p) => p.change === 'added')).toHaveLength(48);
  });

  it('calls whitespace, punctuation, case and link-target changes cosmetic', () => {
    const next = OLD.replace(
      'See [our cookie notice](https://example.com/cookies).',
      'see [Our cookie notice](https://example.com/cookie-policy)',
    ).replace('We collect your name', 'We  collect your name');
    const diff = diffVersions(OLD, next);
    expect(diff.materiality.level).toBe('cosmetic');
    expect(applyPatch(OLD, diff.patch)).toBe(next);
  });

  it('calls a changed number substantive and counts words inside the changed provision only', () => {
    const next = OLD.replace('30 days', '90 days');
    const diff = diffVersions(OLD, next);
    expect(diff.materiality.level).toBe('substantive');
    expect(diff.materiality.reasons).toEqual(expect.arrayContaining(['numbers or dates changed: 90, 30']));
    expect(diff.stats).toEqual({ linesAdded: 1, linesRemoved: 1, wordsAdded: 1, wordsRemoved: 1 });
    expect(diff.provisions.filter((p) => p.change !== 'unchanged')).toEqual([
      {
        provisionId: '3-retention',
        heading: '3. Retention',
        change: 'modified',
        wordsAdded: 1,
        wordsRemoved: 1,
        edits: [
          {
            removed: '30',
            added: '90',
            before: 'Retention We keep data for',
            after: 'days after you close your account.',
          },
        ],
      },
    ]);
  });

  it('lists each word-level edit of a provision with the unchanged words around it', () => {
    const next = OLD.replace(
      'your name and email address',
      'your name, phone number and email address',
    ).replace('when you sign up.', 'when you register.');
    const [changed] = diffVersions(OLD, next).provisions.filter((p) => p.change !== 'unchanged');
    // Context: up to six unchanged words each side, the provision's heading words included.
    expect(changed!.edits).toEqual([
      {
        removed: '',
        added: ', phone number',
        before: 'we collect We collect your name',
        after: 'and email address when you',
      },
      { removed: 'sign up', added: 'register', before: 'and email address when you', after: '.' },
    ]);
  });

  it('calls a small wording change minor', () => {
    const diff = diffVersions(OLD, OLD.replace('when you sign up', 'when you register'));
    expect(diff.materiality.level).toBe('minor');
    expect(diff.stats.wordsAdded).toBe(1);
    expect(diff.stats.wordsRemoved).toBe(2);
  });

  it('reports added and removed provisions with the ids of the previous version', () => {
    const previous = segmentProvisions(OLD).map((p) => ({ ...p, id: `kept-${p.id}` }));
    const next =
      OLD.replace(/## 2\. How we use data\n\n.*\n\n/, '') +
      '\n## 4. Your rights\n\nYou may ask for a copy of your data.\n';
    const diff = diffVersions(OLD, next, { previousProvisions: previous });
    expect(diff.provisions.map((p) => [p.provisionId, p.change])).toEqual([
      ['kept-privacy-policy', 'unchanged'],
      ['kept-1-data-we-collect', 'unchanged'],
      ['kept-3-retention', 'unchanged'],
      ['4-your-rights', 'added'],
      ['kept-2-how-we-use-data', 'removed'],
    ]);
    expect(diff.materiality.level).toBe('substantive');
    expect(diff.nextProvisions.map((p) => p.id)).toContain('kept-3-retention');
  });

  it('falls back to whole replacement when the budgets run out, and the patch still applies', () => {
    const next = OLD.replace('name and email', 'email').replace('30 days', '1 year');
    const diff = diffVersions(OLD, next, { lineMaxEditLength: 0, wordMaxEditLength: 0 });
    // Provision by provision: the unchanged ones stay context, the changed ones are replaced whole.
    expect(diff.patch).toContain('\n ## 2. How we use data\n');
    expect(diff.patch).toContain('\n-## 3. Retention\n');
    expect(diff.degraded).toEqual(
      expect.arrayContaining(['line-diff-fallback', 'word-diff-fallback:1-data-we-collect']),
    );
    expect(applyPatch(OLD, diff.patch)).toBe(next);
  });

  it('stops word diffs when the budget is spent, counting the changed spans as replaced', () => {
    const next = OLD.replace('name and email', 'email').replace('30 days', '1 year');
    const diff = diffVersions(OLD, next, { wordCellsTotal: 0 });
    expect(diff.degraded).toEqual(['word-diff-fallback:1-data-we-collect', 'word-diff-fallback:3-retention']);
    // The changed spans (between common prefix and suffix) count as replaced whole, not the provisions.
    expect(diff.stats.wordsRemoved).toBe(3 + 2);
  });

  it('produces a patch that turns the old text into the new one', () => {
    const lineish = fc.string({
      unit: fc.constantFrom('a', 'b', 'word ', '# ', '1. ', '\n', '\n\n', 'é', ' '),
      maxLength: 80,
    });
    const check = (a: string, b: string, budget: boolean) => {
      const diff = diffVersions(a, b, budget ? { lineMaxEditLength: 1 } : {});
      expect(applyPatch(a, diff.patch)).toBe(b);
    };
    fc.assert(fc.property(lineish, lineish, fc.boolean(), check), { numRuns: 400 });
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.boolean(),
        (a, b, budget) => check(a.replace(/\r/g, ''), b.replace(/\r/g, ''), budget),
      ),
      { numRuns: 300 },
    );
  });

  it('counts the same lines without the patch as with it, within the budget and past it', () => {
    const lineish = fc.string({
      unit: fc.constantFrom('a', 'b', 'word ', '# ', '1. ', '\n', '\n\n', 'é', ' '),
      maxLength: 80,
    });
    fc.assert(
      fc.property(lineish, lineish, fc.boolean(), (a, b, budget) => {
        const options = budget ? { lineMaxEditLength: 1 } : {};
        const full = diffVersions(a, b, options);
        const counted = diffVersions(a, b, { ...options, withPatch: false });
        expect(counted.patch).toBe('');
        expect({ ...counted, patch: full.patch }).toEqual(full);
      }),
      { numRuns: 600 },
    );
  });
});
