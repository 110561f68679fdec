import fc from 'fast-check';
import { classifyProvision } from './classify-provision';
import {
  compiledPatterns,
  isPresent,
  keyPresence,
  lowerHits,
  literalPresence,
  lowerPattern,
  lowerPresence,
  lowerPresent,
  mayMatchText,
  necessaryLiterals,
  testText,
  prepareText,
  forEachItem,
  textMatches,
  textPattern,
  type LowerPattern,
} from './cue-matcher';
import { ENGINE_PROVISIONS } from './engine-provisions.spec-support';
import {
  hitsAtWordStarts,
  literalTriggers,
  mayMatch,
  triggerKeys,
  wordStarts,
  type WordIndex,
} from './literal-triggers';

// Registered before any text is prepared, as the attribute prefilters are at module load.
const PRESENCE_KEYS = ['day', 'month', 'inc', 'limited', 'you'];
const PRESENCE = keyPresence(PRESENCE_KEYS);
// Two readings of overlapping matches: "beta gamma beta" (key "beta") overlaps "alpha beta" (key "alph").
const BY_KEY = lowerPattern('\\balpha beta\\b|\\bbeta gamma beta\\b|\\bbeta\\b');
const AGE = /\b(?:at least|over|older than|aged) (?:the age of )?(\d{1,2})\b/gi;
const AGE_TEXT = textPattern(AGE);
const CONTACT_WORD = literalPresence('\\bcontact\\b');
const CONTACT = literalPresence('\\b(contact us|email us)\\b');
const CONTACT_TEXTS = [/\b(contact us|email us)\b/i, /\bcontact\b/i].map(textPattern);
// Presence tests of patterns without literals of their own, split by alternative (as the attribute flags are).
const AGE_FLAG_SOURCE =
  '\\b(must be (at least|over|\\d{1,2})|minimum age|\\d{1,2} years (of age|old) or (older|over))';
const AGE_FLAG = lowerPresence(AGE_FLAG_SOURCE);
const CAP_SOURCE =
  '\\b(aggregate|total) liability\\b[^.\\n]{0,80}\\b(exceed|limited to)\\b|\\$\\s?\\d{2,4}\\b';
const CAP = lowerPresence(CAP_SOURCE);
const LOOKAHEAD = lowerPresence('\\b(?=age|old)(age|old)s');
const IN_TEXT_ORDER = lowerPattern('\\b(omega )?alpha beta\\b|\\bbeta gamma beta\\b|\\bbeta\\b');

type Span = readonly [number, number];

/**
 * What the classifier answered before cue-matcher.ts, for one pattern: the word-start search of literal-triggers.ts
 * (each key's starts, then merged) when the pattern has literals, else a scan of the lower-cased text.
 */
function previousEngine(pattern: LowerPattern, lower: string, index: WordIndex, limit: number): Span[] {
  const literals = literalTriggers(pattern.source);
  if (literals)
    return hitsAtWordStarts(pattern.sticky, triggerKeys(literals)!, index, lower, limit).map(
      (hit) => [hit.start, hit.end] as const,
    );
  const scan = new RegExp(pattern.source, 'g');
  const spans: Span[] = [];
  for (let m = scan.exec(lower); m !== null && spans.length < limit; m = scan.exec(lower)) {
    if (m[0].length === 0) scan.lastIndex++;
    spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

const LIMITS = [1, 3, 50];

/** Patterns whose answers differ from the previous engine's on this text (empty: the same everywhere). */
function differences(text: string): string[] {
  const prepared = prepareText(text);
  const index = wordStarts(prepared.lower);
  const out: string[] = [];
  for (const pattern of compiledPatterns())
    for (const limit of LIMITS) {
      const now = lowerHits(pattern, prepared, limit).map((hit) => [hit.start, hit.end] as const);
      const before = previousEngine(pattern, prepared.lower, index, limit);
      if (JSON.stringify(now) !== JSON.stringify(before))
        out.push(`${pattern.source} (limit ${limit}): ${JSON.stringify(now)} != ${JSON.stringify(before)}`);
    }
  return out;
}

const provisions = Object.entries(ENGINE_PROVISIONS);

describe('cue-matcher', () => {
  it('holds one synthetic provision per category, each classified as its own', () => {
    for (const [name, text] of provisions) {
      const main = classifyProvision({ text }).categories[0]!.id;
      expect(name.startsWith('none-') ? 'none' : name).toBe(main);
    }
    // Every pattern of every category and of the attributes is compiled, with a prefilter for nearly all.
    const patterns = compiledPatterns();
    expect(patterns.length).toBeGreaterThan(400);
    expect(patterns.filter((p) => p.keys === 0).length).toBeLessThan(10);
  });

  it.each(provisions)('finds what the previous engine found in the %s provision', (_name, text) => {
    expect(differences(text)).toEqual([]);
    expect(differences(text.toUpperCase())).toEqual([]);
    // Lower-casing "İ" adds a character: offsets of the lower-cased text differ from the text's.
    expect(differences(`İ ${text}`)).toEqual([]);
  });

  it('finds what the previous engine found in all the provisions as one text', () => {
    const all = provisions.map(([, text]) => text).join('\n\n');
    expect(differences(all)).toEqual([]);
    expect(differences(all.repeat(3))).toEqual([]);
  });

  it('finds what the previous engine found in texts made of the literals the patterns start with', () => {
    const vocabulary = [
      ...new Set(compiledPatterns().flatMap((p) => necessaryLiterals(p.source) ?? [])),
      'the',
      'of',
      '30',
      '13',
      '$100',
      '2026-11-27',
      '.',
      ',',
      '\n',
      '"',
      '](#x)',
      'K',
    ];
    const separators = [' ', ' ', ' ', '', '-', '\n', '. '];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(...separators)), { maxLength: 40 }),
        (parts) => {
          const text = parts.map(([word, separator]) => word + separator).join('');
          expect(differences(text)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the order of search each pattern had: key by key where it had literals, else a scan', () => {
    const text = 'alpha beta gamma beta';
    const spans = (pattern: LowerPattern) =>
      lowerHits(pattern, prepareText(text), 3).map((hit) => [hit.start, hit.end]);
    // Key by key, "beta" at 17 lies inside the dropped "beta gamma beta" and is never tried.
    expect(spans(BY_KEY)).toEqual([[0, 10]]);
    expect(spans(IN_TEXT_ORDER)).toEqual([
      [0, 10],
      [17, 21],
    ]);
    expect(differences(text)).toEqual([]);
  });

  it('answers a presence test as the word index of literal-triggers.ts does', () => {
    const keys = triggerKeys(PRESENCE_KEYS);
    for (const text of [
      'Thirty days',
      'monthly fees',
      'Example Inc.',
      'limit',
      'your data',
      'no match',
      'y',
    ]) {
      expect(isPresent(PRESENCE, prepareText(text))).toBe(mayMatch(keys, wordStarts(text.toLowerCase())));
    }
    expect(isPresent(PRESENCE, prepareText('Monthly'))).toBe(true);
    expect(isPresent(PRESENCE, prepareText('none here'))).toBe(false);
  });

  it('tells when a case-insensitive pattern cannot match the text itself, and only then', () => {
    const contact = /\b(contact us|email us)\b/i;
    const texts = [
      'Please Contact Us.',
      'No address here.',
      'recontact us',
      'Kontact us',
      '\u212acontact us',
      'İ email us',
    ];
    for (const text of texts) {
      // Never "cannot" where the pattern matches: a Kelvin sign lower-cases to a letter, "İ" to two characters.
      if (contact.test(text)) expect(mayMatchText(CONTACT, prepareText(text))).toBe(true);
    }
    expect(mayMatchText(CONTACT, prepareText('No address here.'))).toBe(false);
    expect(mayMatchText(CONTACT, prepareText('recontact us'))).toBe(false);
    expect(mayMatchText(CONTACT, null)).toBe(true);
    // A link target blanked in the prepared text still counts: the pattern runs on the text itself.
    const text = 'See [the FAQ](https://example.test/contact-us).';
    const blanked = 'See [the FAQ]                                 .';
    expect(/\bcontact\b/i.test(text)).toBe(true);
    expect(mayMatchText(CONTACT_WORD, prepareText(blanked))).toBe(false);
    expect(mayMatchText(CONTACT_WORD, prepareText(blanked), '(https://example.test/contact-us)')).toBe(true);
    expect(literalPresence('\\b(?:u\\.s\\.|usa)\\b')).toBeNull(); // "u" is too short a key to be indexed
  });

  it('tests the text itself as a scan does, with link targets blanked in the prepared text', () => {
    const pieces = [
      'Contact',
      'contact',
      'us',
      'US',
      'email',
      're',
      ' ',
      '. ',
      '\u212a',
      'İ',
      '[FAQ]',
      '(x)',
    ];
    const links = ['[the FAQ](https://example.test/contact-us)', '](#contact)', '](email us)', '](/Contact'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces, ...links), { maxLength: 14 }), (chosen) => {
        const text = chosen.join(' ');
        // Link targets blanked to spaces (same length), as the classifier does; their text handed over lower-cased.
        const targets: string[] = [];
        const blanked = text.replace(/\]\([^)\s]*\)/g, (target) => {
          targets.push(target.slice(1));
          return `]${' '.repeat(target.length - 1)}`;
        });
        const masked = targets.join('\n').toLowerCase();
        const prepared = prepareText(blanked);
        for (const pattern of CONTACT_TEXTS)
          expect(testText(pattern, text, prepared, masked)).toBe(
            new RegExp(pattern.scan.source, 'i').test(text),
          );
      }),
      { numRuns: 2000 },
    );
  });

  it('finds in the text itself what a case-insensitive scan finds', () => {
    const words = [
      'At least',
      'over',
      'OLDER THAN',
      'aged',
      'the age of',
      '16',
      '21',
      'k',
      '\u212a',
      'İ',
      '.',
      'x',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { maxLength: 20 }),
        fc.constantFrom(' ', ''),
        (parts, gap) => {
          const text = parts.join(gap);
          const scanned = [...text.matchAll(AGE)].slice(0, 50).map((m) => [m.index, m[0]]);
          const found = textMatches(AGE_TEXT, text, prepareText(text), 50).map((m) => [m.index, m[0]]);
          expect(found).toEqual(scanned);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('splits lines and bulleted items as the regular expression split does', () => {
    const pieces = ['\n', ' ', '*', '•', '\t', 'a', '1', '.', '\u00a0'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }), (chars) => {
        const text = chars.join('');
        const pieces: string[] = [];
        forEachItem(text, (piece) => pieces.push(piece) > 0);
        expect(pieces).toEqual(text.split(/\n|(?=\s[*•]\s)/));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads literals through an optional opening, and gives up where none is necessary', () => {
    // The reading with the opening removed goes on through the group to the word after it (see literal-triggers.ts).
    expect(necessaryLiterals('\\b(the )?(personal )?(data|information) we')).toEqual([
      'the personal data we',
      'the personal information we',
      'the data we',
      'the information we',
      'personal data we',
      'personal information we',
      'data we',
      'information we',
    ]);
    expect(necessaryLiterals('\\b(?:we|(?:the )?company) own')).toEqual([
      'we own',
      'the company own',
      'company own',
    ]);
    expect(necessaryLiterals('\\bretention\\b')).toEqual(['retention']);
    expect(necessaryLiterals('\\b\\d+ days')).toBeNull();
    expect(necessaryLiterals('\\b(you )?\\d+ days')).toBeNull();
    expect(necessaryLiterals('\\b(a)?\\1')).toBeNull();
  });

  it('tests presence by alternatives exactly as a scan of the whole pattern does', () => {
    // Alternatives with literals are tried at their starts; only the one opening with a number still scans.
    expect(AGE_FLAG.parts.map((part) => [part.source, part.keys > 0])).toEqual([
      ['\\bmust be (at least|over|\\d{1,2})', true],
      ['\\bminimum age', true],
      ['\\b\\d{1,2} years (of age|old) or (older|over)', false],
    ]);
    expect(CAP.parts.map((part) => part.keys > 0)).toEqual([true, false]);
    // A lookahead is no wrapper: the pattern stays whole.
    expect(LOOKAHEAD.parts.map((part) => part.source)).toEqual(['\\b(?=age|old)(age|old)s']);
    const words = [
      'must',
      'be',
      'at',
      'least',
      'over',
      '13',
      '7',
      'minimum',
      'age',
      'ages',
      'years',
      'of',
      'old',
      'olds',
      'or',
      'older',
      'aggregate',
      'total',
      'liability',
      'shall',
      'not',
      'exceed',
      '$',
      '$100',
      '100',
      'limited',
      'to',
      '.',
      '\n',
      'Must',
      'YEARS',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', '', ', ')), { maxLength: 30 }),
        (tokens) => {
          const text = tokens.map(([word, gap]) => word + gap).join('');
          const prepared = prepareText(text);
          const lower = text.toLowerCase();
          expect(lowerPresent(AGE_FLAG, prepared)).toBe(new RegExp(AGE_FLAG_SOURCE).test(lower));
          expect(lowerPresent(CAP, prepared)).toBe(new RegExp(CAP_SOURCE).test(lower));
          expect(lowerPresent(LOOKAHEAD, prepared)).toBe(/\b(?=age|old)(age|old)s/.test(lower));
        },
      ),
      { numRuns: 500, seed: 20261128 },
    );
  });

  it('refuses a pattern compiled after the text was prepared (its starts were never recorded)', () => {
    const prepared = prepareText('late pattern');
    expect(() => lowerHits(lowerPattern('\\blate\\b'), prepared, 1)).toThrow(/compiled after/);
  });
});
