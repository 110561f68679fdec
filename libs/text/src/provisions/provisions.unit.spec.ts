import fc from 'fast-check';

import {
  alignProvisions,
  alignVersionProvisions,
  alignmentFromRecord,
  provisionsWithIds,
} from './align-provisions';
import { segmentProvisions, slugOf, uniqueId, type Provision } from './segment-provisions';

const TERMS = `Updated: 1 March 2026

# Terms of Service

These terms apply to you.

## 1. Your account

- 1.1. Eligibility. You must be at least 18 years old to use the services.
- 1.2. Security. Keep your password safe and tell us about any unauthorised access without delay.
  - a. Passwords. Do not share passwords with anyone else.
  - b) Devices. Lock the devices you use to access the services.

## 2. Content

**Your content.** You own the content you submit and you grant us a licence to host it.

(a) We may remove content that breaks these terms.

## 3. Contact

Write to legal@example.com.
`;

describe('segmentProvisions', () => {
  it('cuts at headings, numbered and lettered clauses and bold titles', () => {
    const provisions = segmentProvisions(TERMS);
    expect(provisions.map((p) => [p.id, p.kind, p.number, p.heading])).toEqual([
      ['preamble', 'preamble', null, 'Updated: 1 March 2026'],
      ['terms-of-service', 'heading', null, 'Terms of Service'],
      ['1-your-account', 'heading', '1', '1. Your account'],
      ['1-1-eligibility', 'clause', '1.1', '1.1 Eligibility.'],
      ['1-2-security', 'clause', '1.2', '1.2 Security.'],
      ['a-passwords', 'clause', 'a', 'a Passwords.'],
      ['b-devices', 'clause', 'b', 'b Devices.'],
      ['2-content', 'heading', '2', '2. Content'],
      ['your-content', 'titled', null, 'Your content'],
      [
        'a-we-may-remove-content-that-breaks-these-terms',
        'clause',
        'a',
        'a We may remove content that breaks these terms.',
      ],
      ['3-contact', 'heading', '3', '3. Contact'],
    ]);
  });

  it('never cuts inside fenced code', () => {
    const provisions = segmentProvisions('Intro\n\n```\n# not a heading\n1. not a clause\n```\n\n# Real\n');
    expect(provisions.map((p) => p.kind)).toEqual(['preamble', 'heading']);
  });

  it('gives repeated headings ordinals', () => {
    expect(segmentProvisions('# Scope\n\nA\n\n# Scope\n\nB\n').map((p) => p.id)).toEqual([
      'scope',
      'scope-2',
    ]);
  });

  it('covers every character exactly once', () => {
    const markdownish = fc.string({
      unit: fc.constantFrom(
        '# ',
        '## ',
        '1. ',
        '1.2 ',
        '(a) ',
        'b) ',
        '- ',
        '**T.** ',
        '```',
        'word ',
        '\n',
        '\n\n',
        ' ',
        'é',
        '\r',
      ),
      maxLength: 60,
    });
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string()), (text) => {
        const provisions = segmentProvisions(text);
        expect(provisions.map((p) => p.text).join('')).toBe(text);
        let offset = 0;
        for (const p of provisions) {
          expect(p.start).toBe(offset);
          expect(p.text.length).toBeGreaterThan(0);
          offset = p.end;
        }
        expect(new Set(provisions.map((p) => p.id)).size).toBe(provisions.length);
      }),
      { numRuns: 500 },
    );
  });

  it('gives each caller its own array when a text was segmented before', () => {
    const first = segmentProvisions(TERMS);
    first.pop();
    const again = segmentProvisions(TERMS);
    expect(again).not.toBe(first);
    expect(again).toHaveLength(first.length + 1);
    expect(again.map((p) => p.text).join('')).toBe(TERMS);
  });

  it('gives the smallest free ordinal, as trying every ordinal from 2 would', () => {
    const byTrying = (heading: string, taken: Set<string>) => {
      const slug = slugOf(heading);
      let id = slug;
      for (let n = 2; taken.has(id); n++) id = `${slug}-${n}`;
      taken.add(id);
      return id;
    };
    const heading = fc.constantFrom('Terms', 'Terms 2', 'Terms-3', 'Data', '(1) In general', '');
    fc.assert(
      fc.property(
        fc.array(heading, { maxLength: 40 }),
        fc.array(heading, { maxLength: 40 }),
        (taken, asked) => {
          const ours = new Set(taken.map(slugOf));
          const theirs = new Set(ours);
          expect(asked.map((h) => uniqueId(h, ours))).toEqual(asked.map((h) => byTrying(h, theirs)));
        },
      ),
    );
  });

  it('slugs headings to ASCII', () => {
    expect(slugOf('Données personnelles & “cookies”')).toBe('donnees-personnelles-cookies');
    expect(slugOf('***')).toBe('provision');
  });
});

describe('alignProvisions', () => {
  const previous = segmentProvisions(TERMS);

  it('keeps every id and reports nothing when nothing changed', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('# A\n', '## B\n', '1. x\n', 'text\n', '\n', '(a) y\n'),
          maxLength: 30,
        }),
        (text) => {
          const first = segmentProvisions(text);
          const again = alignProvisions(first, segmentProvisions(text));
          expect(again.provisions.map((p) => p.id)).toEqual(first.map((p) => p.id));
          expect(again.lineage).toEqual([]);
        },
      ),
    );
  });

  it('follows a modified clause, an added one and a removed one', () => {
    const next = TERMS.replace('at least 18 years old', 'at least 16 years old')
      .replace('Write to legal@example.com.', 'Write to legal@example.com or use the form.')
      .replace('(a) We may remove content that breaks these terms.\n\n', '')
      .concat('\n## 4. Changes\n\nWe will tell you about changes thirty days ahead.\n');
    const { provisions, lineage } = alignProvisions(previous, segmentProvisions(next));
    expect(provisions.map((p) => p.id)).toEqual([
      'preamble',
      'terms-of-service',
      '1-your-account',
      '1-1-eligibility',
      '1-2-security',
      'a-passwords',
      'b-devices',
      '2-content',
      'your-content',
      '3-contact',
      '4-changes',
    ]);
    expect(lineage).toEqual(
      expect.arrayContaining([
        { kind: 'modified', id: '1-1-eligibility', similarity: expect.any(Number) },
        { kind: 'modified', id: '3-contact', similarity: expect.any(Number) },
        { kind: 'removed', id: 'a-we-may-remove-content-that-breaks-these-terms' },
        { kind: 'added', id: '4-changes' },
      ]),
    );
    expect(lineage).toHaveLength(4);
  });

  it('recognises renumbering as a rename and reordering as a move', () => {
    const next = TERMS.replace('## 2. Content', '## 3. Content').replace('## 3. Contact', '## 2. Contact');
    const { provisions, lineage } = alignProvisions(previous, segmentProvisions(next));
    expect(provisions.find((p) => p.heading === '3. Content')?.id).toBe('2-content');
    expect(lineage).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'renamed',
          id: '2-content',
          previousHeading: '2. Content',
          heading: '3. Content',
        }),
      ]),
    );
    const swapped = segmentProvisions('# A\n\nalpha one two three\n\n# B\n\nbeta four five six\n');
    const moved = alignProvisions(
      swapped,
      segmentProvisions('# B\n\nbeta four five six\n\n# A\n\nalpha one two three\n'),
    );
    expect(moved.lineage).toEqual([{ kind: 'moved', id: expect.any(String), modified: false }]);
  });

  it('pairs reworded leftovers by position between unchanged neighbours (a dated heading)', () => {
    const before = segmentProvisions(
      '# Policy\n\nIntro text here.\n\n### Last updated: 10 March 2026\n\n## Scope\n\nAll users.\n',
    );
    const after = alignProvisions(
      before,
      segmentProvisions(
        '# Policy\n\nIntro text here.\n\n### Last updated: 20 March 2026\n\n## Scope\n\nAll users.\n',
      ),
    );
    expect(after.provisions.map((p) => p.id)).toEqual(before.map((p) => p.id));
    expect(after.lineage).toEqual([
      expect.objectContaining({
        kind: 'renamed',
        id: 'last-updated-10-march-2026',
        heading: 'Last updated: 20 March 2026',
      }),
    ]);
  });

  it('reads setext headings and escaped numbers as Open Terms Archive writes them', () => {
    const provisions = segmentProvisions(
      'Privacy Policy\n==============\n\nIntro.\n\n1\\. Collection\n-------------\n\nWe collect data.\n',
    );
    expect(provisions.map((p) => [p.kind, p.level, p.number, p.heading])).toEqual([
      ['heading', 1, null, 'Privacy Policy'],
      ['heading', 2, '1', '1. Collection'],
    ]);
  });

  it('detects a split and a merge', () => {
    const whole = segmentProvisions(
      '## Data use\n\nWe use your data to provide the service and to keep it secure. We also use your data to improve our models when you allow it.\n',
    );
    const split = alignProvisions(
      whole,
      segmentProvisions(
        '## Data use\n\nWe use your data to provide the service and to keep it secure.\n\n## Model training\n\nWe also use your data to improve our models when you allow it.\n',
      ),
    );
    expect(split.lineage).toEqual(
      expect.arrayContaining([{ kind: 'split', from: 'data-use', into: ['data-use', 'model-training'] }]),
    );
    const merged = alignProvisions(split.provisions, whole);
    expect(merged.lineage).toEqual(
      expect.arrayContaining([{ kind: 'merged', from: ['data-use', 'model-training'], into: 'data-use' }]),
    );
  });

  it('looks for splits only within the pair budget: new leftovers times reworded provisions', () => {
    const before = segmentProvisions(
      '## Data use\n\nWe use your data to provide the service and to keep it secure. We also use your data to improve our models when you allow it.\n\n## Contact\n\nWrite to us at the address below for any question.\n',
    );
    const after = segmentProvisions(
      '## Data use\n\nWe use your data to provide the service and to keep it really secure.\n\n## Model training\n\nWe also use your data to improve our models when you allow it.\n\n## Contact\n\nWrite to us at the address below for any question.\n',
    );
    const split = { kind: 'split', from: 'data-use', into: ['data-use', 'model-training'] };
    // One new leftover, one reworded provision: one pair.
    expect(alignProvisions(before, after, { maxSimilarityPairs: 1 }).lineage).toContainEqual(split);
    expect(alignProvisions(before, after, { maxSimilarityPairs: 0 }).lineage).not.toContainEqual(split);
  });
});

describe('alignProvisions invariants under random edits', () => {
  const section = fc.record({
    heading: fc.constantFrom('Scope', 'Data', 'Rights', 'Contact', 'Fees', 'Scope'),
    numbered: fc.boolean(),
    words: fc.array(
      fc.constantFrom('we', 'may', 'share', 'your', 'data', 'with', 'partners', 'not', 'never', 'fees'),
      {
        minLength: 0,
        maxLength: 12,
      },
    ),
  });
  const render = (sections: { heading: string; numbered: boolean; words: string[] }[]): string =>
    sections
      .map((s, i) => `## ${s.numbered ? `${i + 1}. ` : ''}${s.heading}\n\n${s.words.join(' ')}\n`)
      .join('\n');

  /** Runs `check` on the provisions of 400 random pairs of texts (before, after). */
  const forRandomEdits = (check: (previous: Provision[], next: Provision[]) => void): void =>
    fc.assert(
      fc.property(fc.array(section, { maxLength: 8 }), fc.array(section, { maxLength: 8 }), (before, after) =>
        check(segmentProvisions(render(before)), segmentProvisions(render(after))),
      ),
      { numRuns: 400 },
    );

  it('gives unique ids, never reuses a removed id, and keeps lineage consistent', () => {
    forRandomEdits((previous, next) => {
      const { provisions, lineage } = alignProvisions(previous, next);
      const ids = provisions.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const previousIds = new Set(previous.map((p) => p.id));
      const removed = lineage.flatMap((e) => (e.kind === 'removed' ? [e.id] : []));
      for (const id of removed) {
        expect(previousIds.has(id)).toBe(true);
        expect(ids).not.toContain(id);
      }
      for (const entry of lineage) {
        if (entry.kind === 'added') expect(previousIds.has(entry.id)).toBe(false);
        if (entry.kind === 'split') entry.into.forEach((id) => expect(ids).toContain(id));
        if (entry.kind === 'merged') expect(ids).toContain(entry.into);
      }
      // Every previous provision is continued, removed or merged away: none is lost silently.
      const continued = new Set(ids.filter((id) => previousIds.has(id)));
      const mergedAway = new Set(lineage.flatMap((e) => (e.kind === 'merged' ? e.from : [])));
      for (const id of previousIds)
        expect(continued.has(id) || removed.includes(id) || mergedAway.has(id)).toBe(true);
    });
  });

  it('is rebuilt exactly from the ids and lineage it recorded (what the projection reuses)', () => {
    forRandomEdits((previous, next) => {
      const aligned = alignProvisions(previous, next);
      const recorded = { provisionIds: aligned.provisions.map((p) => p.id), lineage: aligned.lineage };
      expect(alignmentFromRecord(previous, next, recorded)).toEqual(aligned);
    });
  });
});

describe('alignmentFromRecord', () => {
  const before = segmentProvisions(
    '## Data\n\nWe keep your data for a year.\n\n## Law\n\nIrish law applies.\n',
  );
  const after = segmentProvisions(
    '## Data\n\nWe keep your data for a month.\n\n## Law\n\nIrish law applies.\n',
  );

  it('follows the record where aligning again would decide otherwise', () => {
    // Recorded as a replacement: the changed provision got a new id, the old one was removed.
    const recorded = {
      provisionIds: ['data-2', after[1]!.id],
      lineage: [
        { kind: 'added' as const, id: 'data-2' },
        { kind: 'removed' as const, id: before[0]!.id },
      ],
    };
    expect(alignProvisions(before, after).provisions[0]!.id).toBe(before[0]!.id);
    const rebuilt = alignmentFromRecord(before, after, recorded)!;
    expect(rebuilt.provisions.map((p) => p.id)).toEqual(['data-2', after[1]!.id]);
    expect(rebuilt.previousIndex).toEqual([-1, 1]);
    expect(rebuilt.similarity).toEqual([0, 1]);
    expect(rebuilt.lineage).toEqual(recorded.lineage);
  });

  it('refuses a record that does not fit the texts: too few ids, or an id twice', () => {
    const ids = after.map((p) => p.id);
    expect(alignmentFromRecord(before, after, { provisionIds: ids.slice(1), lineage: [] })).toBeNull();
    expect(alignmentFromRecord(before, after, { provisionIds: [ids[0]!, ids[0]!], lineage: [] })).toBeNull();
  });
});

describe('alignVersionProvisions', () => {
  const v1 = '# Terms\n\n## 1. Data\n\nWe keep data.\n\n## 2. Law\n\nIrish law.\n';
  const v2 = '# Terms\n\n## 1. Data\n\nWe keep data longer.\n\n## 2. Law\n\nIrish law.\n';

  it('gives the first version its own ids, every provision added', () => {
    const first = alignVersionProvisions(null, v1);
    expect(first.provisions.map((p) => p.id)).toEqual(segmentProvisions(v1).map((p) => p.id));
    expect(first.lineage.map((l) => l.kind)).toEqual(['added', 'added', 'added']);
  });

  it('carries over the ids a version was recorded with, whatever its text would be given afresh', () => {
    const recorded = ['p-terms', 'p-data', 'p-law'];
    const next = alignVersionProvisions({ text: v1, provisionIds: recorded }, v2);
    expect(next.provisions.map((p) => p.id)).toEqual(recorded);
    expect(next.lineage).toEqual([{ kind: 'modified', id: 'p-data', similarity: expect.any(Number) }]);
  });

  it('falls back to first-version ids when the recorded ids no longer fit the text', () => {
    expect(provisionsWithIds(v1, ['only-one']).map((p) => p.id)).toEqual(
      segmentProvisions(v1).map((p) => p.id),
    );
  });
});
