import { documentIdOf } from '@termline/domain';

/**
 * The load of the fault suite, generated from a seed: the same seed gives the same fetches byte for byte, so a
 * failing run can be replayed (TERMLINE_FAULT_SEED) and a clean run can be compared with a faulty one.
 */

/** mulberry32: small, fast and good enough to pick words and moments; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface PlannedFetch {
  fetchId: string;
  service: string;
  documentType: string;
  sourceUrl: string;
  sourcePart?: string;
  fetchedAt: string;
  mimeType: 'text/html';
  content: string;
}

/** The fetches of one document, in the order they must be sent (a lane). */
export interface DocumentLane {
  documentId: string;
  fetches: PlannedFetch[];
}

export interface FetchPlan {
  seed: number;
  lanes: DocumentLane[];
  total: number;
}

const WORDS = (
  'account data service user terms privacy content licence provider agree notice period consent record ' +
  'retain delete request access share party law court dispute payment refund fee renewal cancel suspend ' +
  'warranty liability damages indemnify update change effective contact support security breach cookie'
).split(' ');

const SERVICES = ['Faultline Mail', 'Kiln Drive', 'Orbit Chat'];
const TYPES = ['Terms of Service', 'Privacy Policy'];
// Kept in the past and apart, so no fetch is "in the future" and every document has its own hours.
const BASE_MS = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

function sentence(random: () => number): string {
  const length = 6 + Math.floor(random() * 10);
  const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  const first = words[0]!;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}.`;
}

/** A document's text as sections of paragraphs; the generator edits it the way real terms change. */
interface Text {
  sections: Array<{ heading: string; paragraphs: string[] }>;
}

function initialText(random: () => number): Text {
  const count = 3 + Math.floor(random() * 3);
  return {
    sections: Array.from({ length: count }, (_, i) => ({
      heading: `${i + 1}. ${sentence(random).slice(0, -1)}`,
      paragraphs: Array.from({ length: 1 + Math.floor(random() * 3) }, () => sentence(random)),
    })),
  };
}

function edited(text: Text, random: () => number): Text {
  const next: Text = {
    sections: text.sections.map((s) => ({ heading: s.heading, paragraphs: [...s.paragraphs] })),
  };
  const section = next.sections[Math.floor(random() * next.sections.length)]!;
  const roll = random();
  if (roll < 0.5 || section.paragraphs.length === 1) {
    section.paragraphs[Math.floor(random() * section.paragraphs.length)] = sentence(random);
  } else if (roll < 0.8) {
    section.paragraphs.push(sentence(random));
  } else {
    section.paragraphs.splice(Math.floor(random() * section.paragraphs.length), 1);
  }
  return next;
}

/** Markup varies independently of the text: a markup-only change is a new snapshot but not a new version. */
function render(text: Text, style: number, title: string): string {
  const body = text.sections
    .map(
      (s) =>
        `<h2>${s.heading}</h2>\n${s.paragraphs.map((p) => `<p${style % 2 ? ' class="c"' : ''}>${p}</p>`).join('\n')}`,
    )
    .join('\n');
  const nav = style % 3 === 0 ? '' : `<nav><a href="/x${style}">Home</a></nav>`;
  return `<!doctype html><html><head><title>${title}</title></head><body>${nav}<main><h1>${title}</h1>\n${body}\n</main></body></html>`;
}

/**
 * Next state of one page: mostly unchanged re-fetches and edits, some markup-only changes and some flip-backs
 * (the text returns to the one before), so that every kind of outcome is in the load.
 */
function step(history: Text[], style: number, random: () => number): { text: Text; style: number } {
  const current = history[history.length - 1]!;
  const roll = random();
  if (roll < 0.3) return { text: current, style };
  if (roll < 0.4) return { text: current, style: style + 1 };
  if (roll < 0.47 && history.length >= 2) return { text: history[history.length - 2]!, style };
  return { text: edited(current, random), style };
}

const urlSlug = (value: string) => value.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/**
 * About `total` fetches over six documents: five single-page documents and one combined from two pages fetched
 * seconds apart in each round (fetch rounds, ADR 0006).
 */
export function generateFetchPlan(seed: number, total: number): FetchPlan {
  const random = seededRandom(seed);
  const documents = SERVICES.flatMap((service) => TYPES.map((documentType) => ({ service, documentType })));
  const perDocument = Math.max(2, Math.round(total / documents.length));
  const lanes: DocumentLane[] = documents.map(({ service, documentType }, d) => {
    const documentId = documentIdOf(service, documentType);
    const parts = d === documents.length - 1 ? ['main', 'annex'] : [null];
    const pages = parts.map(() => ({ history: [initialText(random)], style: 0 }));
    const fetches: PlannedFetch[] = [];
    for (let i = 0; fetches.length < perDocument; i += 1) {
      parts.forEach((part, p) => {
        if (fetches.length >= perDocument) return;
        const page = pages[p]!;
        if (i > 0) {
          const next = step(page.history, page.style, random);
          page.history.push(next.text);
          page.style = next.style;
        }
        const title = `${service} ${documentType}${part ? ` (${part})` : ''}`;
        fetches.push({
          fetchId: `fault-${seed}-d${d}-${fetches.length}`,
          service,
          documentType,
          sourceUrl: `https://${urlSlug(service)}.example/${urlSlug(documentType)}${part ? `/${part}` : ''}`,
          ...(part ? { sourcePart: part } : {}),
          fetchedAt: new Date(BASE_MS + d * 60_000 + i * 6 * HOUR + p * 20_000).toISOString(),
          mimeType: 'text/html',
          content: render(page.history[page.history.length - 1]!, page.style, title),
        });
      });
    }
    return { documentId, fetches };
  });
  return { seed, lanes, total: lanes.reduce((sum, lane) => sum + lane.fetches.length, 0) };
}
