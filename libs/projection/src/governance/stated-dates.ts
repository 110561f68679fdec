import type { StatedDate, StatedDateKind } from '@termline/readmodels';

/**
 * The dates a legal text states about itself: when it takes effect and when it was last updated. They are shown
 * beside the date Termline observed the version; an effective date after the observation is a change announced
 * for the future.
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH = `(${MONTHS.map((m) => `${m[0]!.toUpperCase()}${m.slice(1)}|${m}`).join('|')}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\.?`;
// "1 March 2026", "1st March, 2026", "March 1, 2026", "March 1st 2026", "2026-03-01".
const DATE = `(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})|${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})|(\\d{4})-(\\d{2})-(\\d{2}))`;

const CUES: Array<{ kind: StatedDateKind; pattern: string }> = [
  {
    kind: 'last-updated',
    pattern:
      '(?:last\\s+(?:updated|modified|revised|amended)|updated|revised|date\\s+of\\s+last\\s+revision)',
  },
  {
    kind: 'effective',
    pattern:
      '(?:effective(?:\\s+date)?|(?:will\\s+)?(?:take|takes|come|comes)\\s+(?:into\\s+)?(?:effect|force)|(?:will\\s+)?(?:apply|applies|be\\s+effective)|in\\s+(?:effect|force))',
  },
];

// Between the cue and the date: "as of", "from", "on", a colon, markdown emphasis; never a sentence end.
const GAP = '[\\s*_:]*(?:(?:as\\s+of|as\\s+from|from|on|starting|beginning)\\s+)?[\\s*_:]*';

const PATTERNS = CUES.map(({ kind, pattern }) => ({
  kind,
  regex: new RegExp(`\\b${pattern}\\b${GAP}${DATE}`, 'gi'),
}));

function monthIndex(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3)));
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 0 || month > 11 || day < 1) return null;
  const date = new Date(Date.UTC(year, month, day));
  // Rejects 31 April and the like, which Date would roll over into the next month.
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function dateOf(groups: Array<string | undefined>): string | null {
  const [dayA, monthA, yearA, monthB, dayB, yearB, isoY, isoM, isoD] = groups;
  if (dayA && monthA && yearA) return isoDate(Number(yearA), monthIndex(monthA), Number(dayA));
  if (monthB && dayB && yearB) return isoDate(Number(yearB), monthIndex(monthB), Number(dayB));
  if (isoY && isoM && isoD) return isoDate(Number(isoY), Number(isoM) - 1, Number(isoD));
  return null;
}

/** Stated dates in text order, each (kind, date) once. Looks only at the head and the tail, where texts state them. */
export function extractStatedDates(text: string, window = 4000): StatedDate[] {
  const parts =
    text.length <= 2 * window
      ? [{ offset: 0, text }]
      : [
          { offset: 0, text: text.slice(0, window) },
          { offset: text.length - window, text: text.slice(-window) },
        ];
  const found: Array<StatedDate & { at: number }> = [];
  const seen = new Set<string>();
  for (const part of parts) {
    for (const { kind, regex } of PATTERNS) {
      regex.lastIndex = 0;
      for (let match = regex.exec(part.text); match; match = regex.exec(part.text)) {
        const date = dateOf(match.slice(1));
        if (!date) continue;
        const key = `${kind}|${date}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({
          kind,
          date,
          phrase: match[0].replace(/\s+/g, ' ').trim(),
          at: part.offset + match.index,
        });
      }
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ kind, date, phrase }) => ({ kind, date, phrase }));
}

/** The date the text says it takes effect, as an instant (midnight UTC); the latest when it states several. */
export function statedEffectiveAt(dates: readonly StatedDate[]): string | null {
  const effective = dates.filter((d) => d.kind === 'effective').map((d) => d.date);
  if (effective.length === 0) return null;
  return `${effective.sort().at(-1)!}T00:00:00.000Z`;
}
