import {
  CATEGORIES,
  type CategoryId,
  type ConditionId,
  type ExposureLevel,
} from '../taxonomy/categories.data';
import {
  FRAMEWORKS,
  JURISDICTIONS,
  JURISDICTION_IDS,
  type JurisdictionId,
} from '../taxonomy/frameworks.data';
import { referenceById } from '../taxonomy/references.data';
import { TAXONOMY_VERSION } from '../taxonomy/taxonomy';
import { CATEGORY_CUES } from './category-cues.data';
import { conditionsOf } from './conditions';
import { extractAttributes, type ProvisionAttributes } from './extract-attributes';

/** Bump when the same text and taxonomy can classify differently (cues, thresholds, scoring). */
export const CLASSIFIER_VERSION = '1.0.0';

export interface ClassifyInput {
  readonly text: string;
  readonly heading?: string;
  readonly service?: string;
  readonly documentType?: string;
}

export interface Evidence {
  readonly phrase: string;
  /** Offsets (UTF-16 code units) into the classified text. */
  readonly start: number;
  readonly end: number;
}

export interface CategoryResult {
  readonly id: CategoryId;
  readonly confidence: number;
  readonly evidence: Evidence[];
}

export interface ReferenceResult {
  readonly id: string;
  readonly framework: string;
  readonly instrument: string;
  readonly article: string;
  readonly title: string;
  readonly url: string;
  readonly rationale: string;
  readonly primary: boolean;
}

export interface JurisdictionFlag {
  readonly id: JurisdictionId;
  readonly name: string;
  readonly level: ExposureLevel;
  readonly reason: string;
}

export interface Classification {
  readonly categories: CategoryResult[];
  readonly references: ReferenceResult[];
  readonly exposure: { level: ExposureLevel; reasons: string[] };
  readonly jurisdictions: JurisdictionFlag[];
  readonly attributes: Record<string, unknown> & ProvisionAttributes & { heading: string };
  readonly taxonomyVersion: string;
  readonly classifierVersion: string;
}

interface CompiledCue {
  readonly pattern: RegExp;
  readonly weight: number;
}

interface CompiledCategory {
  readonly id: Exclude<CategoryId, 'none'>;
  readonly body: readonly CompiledCue[];
  readonly heading: readonly CompiledCue[];
  readonly negative: readonly CompiledCue[];
  readonly documentTypes: readonly { readonly needle: string; readonly weight: number }[];
}

// Compiled once: the classifier never builds a regular expression per call.
const COMPILED: readonly CompiledCategory[] = CATEGORY_CUES.map((source) => ({
  id: source.id,
  body: source.body.map((cue) => ({ pattern: new RegExp(cue.pattern, 'gi'), weight: cue.weight })),
  heading: source.heading.map((cue) => ({ pattern: new RegExp(cue.pattern, 'i'), weight: cue.weight })),
  negative: (source.negative ?? []).map((cue) => ({
    pattern: new RegExp(cue.pattern, 'gi'),
    weight: cue.weight,
  })),
  documentTypes: (source.documentTypes ?? []).map((cue) => ({ needle: cue.pattern, weight: cue.weight })),
}));

/** Scoring knobs, fixed on the development split (see libs/regulatory/README.md). */
export const SCORING = {
  /** A category is reported when its score reaches this … */
  minScore: 3,
  /** … and this share of the best category's score. */
  minShareOfBest: 0.4,
  maxCategories: 4,
  /** Repeated matches of one cue count with diminishing weight: 1, 1.3, 1.5. */
  repeatFactors: [1, 1.3, 1.5] as readonly number[],
  /** A non-main category's primary references are primary only from this confidence. */
  primaryConfidence: 0.6,
  /** Confidence = score / (score + halfScore). */
  halfScore: 3,
} as const;

const MAX_EVIDENCE_PER_CATEGORY = 6;
const LEVELS: readonly ExposureLevel[] = ['low', 'medium', 'high'];
const maxLevel = (a: ExposureLevel, b: ExposureLevel): ExposureLevel =>
  LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;

/** Link targets (`](https://…)`) blanked to spaces, so URLs never count as words; offsets are unchanged. */
function maskLinks(text: string): string {
  return text.replace(/\]\([^)\s]{0,2048}\)/g, (m) => ']' + ' '.repeat(m.length - 1));
}

/** The heading the caller gave, else the Markdown heading or bold title that opens the text. */
function headingOf(input: ClassifyInput): { heading: string; start: number } {
  if (input.heading !== undefined) {
    const at = input.text.indexOf(input.heading);
    return { heading: input.heading, start: at };
  }
  const firstLineEnd = input.text.indexOf('\n');
  const line = input.text.slice(
    0,
    firstLineEnd === -1 ? Math.min(input.text.length, 300) : Math.min(firstLineEnd, 300),
  );
  const markdown = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
  if (markdown) return { heading: markdown[1]!, start: line.indexOf(markdown[1]!) };
  const bold = /^\s*(?:[-*+]\s+)?(?:\d{1,3}(?:\.\d{1,3})*\.?\s+)?\*\*([^*]{1,150})\*\*/.exec(line);
  if (bold) return { heading: bold[1]!, start: line.indexOf(bold[1]!) };
  return { heading: '', start: -1 };
}

interface Scored {
  readonly id: Exclude<CategoryId, 'none'>;
  readonly score: number;
  readonly evidence: Evidence[];
}

function scoreCategory(
  category: CompiledCategory,
  text: string,
  heading: string,
  headingStart: number,
  documentType: string,
): Scored {
  let score = 0;
  const evidence: Evidence[] = [];
  for (const cue of category.body) {
    cue.pattern.lastIndex = 0;
    let count = 0;
    let first: RegExpExecArray | null = null;
    for (let m = cue.pattern.exec(text); m !== null; m = cue.pattern.exec(text)) {
      if (m[0].length === 0) cue.pattern.lastIndex++;
      first ??= m;
      if (++count >= SCORING.repeatFactors.length) break;
    }
    if (first) {
      score += cue.weight * SCORING.repeatFactors[count - 1]!;
      evidence.push({ phrase: first[0], start: first.index, end: first.index + first[0].length });
    }
  }
  if (heading !== '') {
    let best = 0;
    let phrase: RegExpExecArray | null = null;
    for (const cue of category.heading) {
      const m = cue.pattern.exec(heading);
      if (m && cue.weight > best) {
        best = cue.weight;
        phrase = m;
      }
    }
    score += best;
    if (phrase && headingStart >= 0) {
      const start = headingStart + phrase.index;
      evidence.push({ phrase: phrase[0], start, end: start + phrase[0].length });
    }
  }
  for (const cue of category.negative) {
    cue.pattern.lastIndex = 0;
    let count = 0;
    for (let m = cue.pattern.exec(text); m !== null && count < 2; m = cue.pattern.exec(text)) count++;
    score -= cue.weight * count;
  }
  if (documentType !== '')
    for (const prior of category.documentTypes)
      if (documentType.includes(prior.needle)) score += prior.weight;
  evidence.sort((a, b) => a.start - b.start || b.end - a.end);
  // A heading cue and a body cue often match the same words: keep one span per place.
  const distinct = evidence.filter((e, i) => i === 0 || e.start >= evidence[i - 1]!.end);
  return { id: category.id, score, evidence: distinct.slice(0, MAX_EVIDENCE_PER_CATEGORY) };
}

const confidenceOf = (score: number) => Math.round((score / (score + SCORING.halfScore)) * 100) / 100;

function referencesFor(
  categories: readonly CategoryResult[],
  conditions: Set<ConditionId>,
): ReferenceResult[] {
  const byId = new Map<string, ReferenceResult>();
  categories.forEach((category, index) => {
    const definition = CATEGORIES.find((c) => c.id === category.id)!;
    const strong = index === 0 || category.confidence >= SCORING.primaryConfidence;
    for (const rule of definition.mapping) {
      if (rule.when && !conditions.has(rule.when)) continue;
      const reference = referenceById(rule.reference);
      if (!reference) throw new Error(`taxonomy: unknown reference ${rule.reference}`);
      const primary = rule.role === 'primary' && strong;
      const known = byId.get(reference.id);
      if (known) {
        if (primary && !known.primary) byId.set(reference.id, { ...known, primary });
        continue;
      }
      byId.set(reference.id, {
        id: reference.id,
        framework: reference.framework,
        instrument: reference.instrument,
        article: reference.article,
        title: reference.title,
        url: reference.url,
        rationale: rule.rationale,
        primary,
      });
    }
  });
  const all = [...byId.values()];
  return [...all.filter((r) => r.primary), ...all.filter((r) => !r.primary)];
}

function exposureFor(
  categories: readonly CategoryResult[],
  conditions: Set<ConditionId>,
): Classification['exposure'] {
  let level: ExposureLevel = 'low';
  const reasons: Array<{ level: ExposureLevel; reason: string }> = [];
  categories.forEach((category, index) => {
    if (index > 0 && category.confidence < SCORING.primaryConfidence) return;
    const rules = CATEGORIES.find((c) => c.id === category.id)!.exposure;
    const fired = rules.filter((rule) => rule.when && conditions.has(rule.when));
    const used = fired.length > 0 ? fired : rules.filter((rule) => !rule.when).slice(0, 1);
    for (const rule of used) {
      level = maxLevel(level, rule.level);
      reasons.push({ level: rule.level, reason: rule.reason });
    }
  });
  const ordered = [...reasons].sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level));
  return { level, reasons: [...new Set(ordered.map((r) => r.reason))] };
}

const REGION_OF: Readonly<Record<JurisdictionId, readonly string[]>> = {
  'eu-eea': ['eu-eea'],
  'us-california': ['us-california'],
  'us-federal': [],
  uk: ['uk'],
  brazil: ['brazil'],
};

function jurisdictionsFor(
  references: readonly ReferenceResult[],
  attributes: ProvisionAttributes,
): JurisdictionFlag[] {
  const regions = new Set(attributes.regions);
  return JURISDICTION_IDS.map((id) => {
    const frameworks = FRAMEWORKS.filter((f) => f.jurisdiction === id).map((f) => f.id as string);
    const cited = references.filter((r) => frameworks.includes(r.framework));
    const named = REGION_OF[id].some((region) => regions.has(region));
    const name = JURISDICTIONS[id].name;
    const shortNames = (refs: readonly ReferenceResult[]) =>
      [...new Set(refs.map((r) => FRAMEWORKS.find((f) => f.id === r.framework)!.shortName))].join(', ');
    const primary = cited.filter((r) => r.primary);
    if (primary.length > 0)
      return {
        id,
        name,
        level: 'high' as const,
        reason: `Primary rules engaged: ${shortNames(primary)}${named ? '; the text names this region' : ''}.`,
      };
    if (cited.length > 0 || named)
      return {
        id,
        name,
        level: 'medium' as const,
        reason:
          cited.length > 0
            ? `To check: ${shortNames(cited)}${named ? '; the text names this region' : ''}.`
            : 'The text names this region, though no rule of it was mapped.',
      };
    return {
      id,
      name,
      level: 'low' as const,
      reason: 'No rule of this jurisdiction is engaged by the provision as classified.',
    };
  });
}

/**
 * Classifies one provision: categories with confidence and evidence, extracted attributes, the references the
 * taxonomy maps them to, exposure and jurisdiction flags. Pure and deterministic: the same input and versions
 * give the same output. Cost is linear in the text length (bounded patterns only).
 */
export function classifyProvision(input: ClassifyInput): Classification {
  const text = maskLinks(input.text);
  const { heading, start: headingStart } = headingOf(input);
  const documentType = (input.documentType ?? '').toLowerCase();
  const scored = COMPILED.map((category) =>
    scoreCategory(category, text, heading, headingStart, documentType),
  ).sort((a, b) => b.score - a.score);
  const best = scored[0]?.score ?? 0;
  const chosen = scored
    .filter((s) => s.score >= SCORING.minScore && s.score >= best * SCORING.minShareOfBest)
    .slice(0, SCORING.maxCategories);
  const categories: CategoryResult[] =
    chosen.length > 0
      ? chosen.map((s) => ({ id: s.id, confidence: confidenceOf(s.score), evidence: s.evidence }))
      : [
          {
            id: 'none',
            confidence: Math.round((1 - confidenceOf(Math.max(0, best))) * 100) / 100,
            evidence: [],
          },
        ];
  const attributes = extractAttributes(input.text);
  const conditions = conditionsOf(attributes);
  const references = referencesFor(categories, conditions);
  return {
    categories,
    references,
    exposure: exposureFor(categories, conditions),
    jurisdictions: jurisdictionsFor(references, attributes),
    attributes: { ...attributes, heading },
    taxonomyVersion: TAXONOMY_VERSION,
    classifierVersion: CLASSIFIER_VERSION,
  };
}
