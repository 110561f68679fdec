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
import { GENERAL_CLAUSES, referenceById } from '../taxonomy/references.data';
import { TAXONOMY_VERSION } from '../taxonomy/taxonomy';
import { CATEGORY_CUES, NONE_CUES, type CueSource } from './category-cues.data';
import { conditionsOf } from './conditions';
import { extractAttributes, type ProvisionAttributes } from './extract-attributes';
import {
  lowerPattern,
  lowerSpans,
  prepareText,
  forEachItem,
  testText,
  textPattern,
  type LowerPattern,
  type PreparedText,
} from './cue-matcher';
import { withStraightApostrophes } from '../apostrophes';
import {
  GOVERNANCE_MODEL,
  MODEL_INFO,
  WIRED_COMBINATION,
  withModelOpinion,
  type ModelInfo,
} from '../learned/model-opinion';
import type { CombinationRule } from '../learned/combine-with-model';
import type { LinearModel } from '../learned/linear-model';

/**
 * Bump when the same text and taxonomy can classify differently (cues, thresholds, scoring). Changelog:
 * - 1.12.0: a concluded framework is concluded whole: the further references its rules tie to the reported
 *   categories become primary too, except those a rule concludes only on a fact that does not hold and the articles
 *   that set up another category's regime (ADR 0038).
 * - 1.11.2: the actual-knowledge statement in its other words ("intentionally" or "deliberately" collect) and an
 *   audience excluded as "not targeted to" read as an age floor, as "knowingly" and "not directed to" were.
 * - 1.11.1: the contracting parties named with "S.A.", "B.V." or "Unlimited Company" are read (a prefilter by word
 *   starts never let them reach the pattern); a text scanned as written (its lower-case form is longer: "İ") reads
 *   typographic apostrophes as straight ones, as 1.11.0 made every other text read them.
 * - 1.11.0: liability stated as limited ("liability is limited", "not have any responsibility", the user "solely
 *   responsible", "the maximum extent permissible"); a section headed by how the service shares information is
 *   sale or sharing; profiling as GDPR Art. 4(4) words it (understanding a person's interests or preferences);
 *   "the information we collect" named on the way to another subject weighs less as a collection; plurals the
 *   cues missed ("personalised experiences", "device types", "reasons for our decisions"); typographic apostrophes
 *   read as straight ones by every cue ("can’t" as "can't"); "don't use" a rule only when addressed to the user, and
 *   "you won't" no longer a sign of one; deleting, exporting or downloading kept data without a request is a data
 *   subject right; moderation in the passive ("may be removed", "may be sanctioned"); a review or study of how the
 *   service is used is usage telemetry; data shared or processed globally and requests under mutual legal
 *   assistance treaties are international transfers; biometric identifiers are collected personal data; a point of
 *   contact for authorities weighs against law-enforcement requests; storage refused ("we do not store") and
 *   deletion under way ("queued for deletion") are retention; a company "incorporated under the laws of" a country
 *   names the contracting entity and weighs against governing law; rules only.
 * - 1.10.0: kinds of personal data collection no list of data types names: what is inferred about a person,
 *   information required to use the service, personal data taken from public sources, data others send about a
 *   person ("partners share information with us"); rules only, weights unchanged.
 * - 1.9.0: classes of the leave-one-service-out category misses: the business changing hands (all or part of it
 *   sold or transferred, a new owner, a buyer taking the data), disclosure to third parties, other companies, the
 *   group's companies or the general public in general words are sale or sharing; processing under a data
 *   processing agreement or by service providers the provider uses is the processors category; weights unchanged.
 * - 1.8.0: classes of the leave-one-service-out article errors (issue 8; label conventions in ADR 0030): cookie
 *   choices and cookies or pixels for advertising are optional trackers (GDPR Art. 7); a notice in the words of US
 *   state privacy laws with no word of the EU is read through the CCPA; the actual-knowledge statement engages COPPA
 *   with or without an age; without a document type, "you must be N to use" is a terms age gate (DSA Art. 28); a
 *   choice whether content trains the models is an opt-out (GDPR Art. 21); "if you find illegal content" is notice
 *   and action (DSA Art. 16); a change notice the clause takes back does not engage DSA Art. 14; counter-notices,
 *   contesting and overturning are appeals (DSA Art. 20); with taxonomy 2026.11.7 (consent to a transfer, reasons
 *   for a restriction, marketing by email or text); weights retrained (same labels and features: same weights).
 * - 1.7.0: classes of wording read from the second blind split's errors once it was spent (ADR 0029): a title with
 *   nothing under it is `none`; so are contract boilerplate sections (waiver, survival, entire agreement); the
 *   provider's reserved right to screen, refuse or delete what users post, however named, and counter-notices are
 *   moderation; a numbered bold title is read as the heading.
 * - 1.6.0: judged by leave-one-service-out (ADR 0028): weights retrained on 780 labels (the first blind split joined
 *   tuning); an evolving service (features added or removed, modifications made) is a unilateral change, not
 *   termination; "minor" the adjective is not a child; data kept for legal reasons is retention, not a request; a
 *   decisive negative cue keeps the model from adding the category it refutes; age floors in other words (use by
 *   anyone under N, N years old or older, "knowingly or willingly collects"); one German legal word per main category.
 * - 1.5.0: the learned component is wired in as a second opinion (ADR 0019, amendment): after the rules, a category
 *   the model gives at least 0.4 is added (`source: 'model'`, its probability as confidence, its weightiest words as
 *   evidence) and a further rule category it gives under 0.02 is dropped; the main category is never touched.
 * - 1.4.0: rules chosen by class of wording for services the cues were not written on (ADR 0023): `none` for
 *   representatives, contracting entities, contact sections however titled and short lead-ins ending on a colon;
 *   minimum score 2 (was 2.5); personal-data collection as a further category only from 90 % of the best score; a
 *   further category's primary articles are primary within the main category's frameworks, its core article outside
 *   them only from 75 % of the main score; a processor context read from business wording without a document type;
 *   an appeal against a suspension is not termination; licences spoken of by reference; a heading naming AI no
 *   longer reads as training.
 * - 1.3.0: references chosen per class of provision: the article defining a category is primary even for a secondary
 *   category, jurisdiction-specific articles (CCPA, COPPA, DSA, AI Act, Brussels Ia) only where the text engages
 *   them, processor documents add GDPR Art. 28 (ADR 0016).
 * - 1.2.0: cues for other services' wording (tuned on a tuning split of seven pga-versions services): sharing with
 *   the corporate group and corporate transactions read as sale-or-sharing, feedback licences, items of
 *   prohibited-conduct lists, outlines without links as `none`, decisive cues for automated decisions, stated ages,
 *   paraphrases of reporting, requests from authorities, deletion periods, rights requests and venues.
 * - 1.1.1: `references` carry only the classifier's conclusions (no change of category).
 * - 1.1.0: broader vocabulary per category, headings choose the main category, `none` for definitions and titles.
 */
export const CLASSIFIER_VERSION = '1.12.0';

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
  /** Rules: score / (score + halfScore). Model: its probability. */
  readonly confidence: number;
  readonly evidence: Evidence[];
  /** Who reported the category; {@link classifyProvision} sets it on every category. */
  readonly source?: 'rules' | 'model';
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
  /** The learned component's weights and combination behind the answer (null: the rules alone were asked for). */
  readonly model: ModelInfo | null;
}

interface CompiledCue {
  /** Case-sensitive, for the lower-cased text (faster than a case-insensitive scan), with its literal prefilter. */
  readonly lower: LowerPattern;
  /** Case-insensitive, for the rare text whose lower-case form has another length. */
  readonly patternI: RegExp;
  readonly weight: number;
  readonly decisive: boolean;
}

/** Heading cues run on the short heading only, case-insensitively: no prefilter to register. */
interface HeadingCue {
  readonly patternI: RegExp;
  readonly weight: number;
}

interface CompiledCategory {
  readonly id: Exclude<CategoryId, 'none'>;
  readonly body: readonly CompiledCue[];
  readonly heading: readonly HeadingCue[];
  readonly negative: readonly CompiledCue[];
  readonly documentTypes: readonly { readonly needle: string; readonly weight: number }[];
}

const compile = (cue: CueSource): CompiledCue => ({
  lower: lowerPattern(cue.pattern),
  patternI: new RegExp(cue.pattern, 'gi'),
  weight: cue.weight,
  decisive: cue.decisive === true,
});

// Compiled once: the classifier never builds a regular expression per call.
const COMPILED: readonly CompiledCategory[] = CATEGORY_CUES.map((source) => ({
  id: source.id,
  body: source.body.map(compile),
  heading: source.heading.map((cue) => ({ patternI: new RegExp(cue.pattern, 'gi'), weight: cue.weight })),
  negative: (source.negative ?? []).map(compile),
  documentTypes: (source.documentTypes ?? []).map((cue) => ({ needle: cue.pattern, weight: cue.weight })),
}));

/** Scoring knobs, fixed on the development split, some recalibrated on all labels (ADR 0023). */
export const SCORING = {
  /**
   * The best category is reported when its score reaches this (2.5 until 1.4.0; 2 calibrated on all 581 labels:
   * short clauses with one clear cue were lost to `none` on every split).
   */
  minScore: 2,
  /** Further categories need this score … */
  minSecondaryScore: 4,
  /** … and this share of the best category's score (unless a decisive cue of theirs matched). */
  minShareOfBest: 0.5,
  /**
   * A broad category (see {@link BROAD_CATEGORIES}) is a further one only from this share: nearly every privacy
   * clause says what data it concerns, which does not make it a clause about collection.
   */
  broadShareOfBest: 0.9,
  /** Links into the same page (`](#…)`) from this many on make a table of contents. */
  tableOfContentsLinks: 4,
  /** Quoted terms defined ("X" means …) from this many on make a definitions section. */
  definitionsForList: 3,
  /** Weight, for \`none\`, of an effective or update date in the first lines (a document's opening). */
  openingDate: 2,
  maxCategories: 4,
  /** A category named by the heading is the main one when it scores at least this share of the best. */
  headingMainShare: 0.6,
  /** … provided its heading cue weighs at least this (weak heading cues only add to the score). */
  headingMainCue: 2.5,
  /** Heading cues count this many times their weight: a heading states the topic. */
  headingFactor: 1,
  /** Repeated matches of one cue count with diminishing weight: 1, 1.3, 1.5. */
  repeatFactors: [1, 1.3, 1.5] as readonly number[],
  /** A further category's exposure rules count only from this confidence (its references are never primary). */
  primaryConfidence: 0.6,
  /** Confidence = score / (score + halfScore). */
  halfScore: 3,
  /**
   * A further category's core articles in a framework the main category does not cite are primary only from this
   * share of the main category's score.
   */
  newFrameworkShare: 0.75,
  /** Weight, for `acceptable-use`, of a list item that opens with a conduct verb (an item of a "you will not" list). */
  conductListItem: 3,
  /** Short list items (no sentence) from this many on make an outline (a table of contents without links). */
  outlineItems: 4,
  /** Weight, for `none`, of a short text that ends on a colon: a lead-in whose list is the next provision. */
  leadIn: 6,
  /** A title with nothing under it (`none`). */
  titleOnly: 10,
} as const;

const MAX_EVIDENCE_PER_CATEGORY = 6;

/** Categories whose vocabulary every privacy clause shares: further ones only when nearly as strong as the best. */
const BROAD_CATEGORIES: ReadonlySet<CategoryId> = new Set(['personal-data-collection']);

const NONE_COMPILED = {
  heading: NONE_CUES.heading.map((cue) => ({ pattern: new RegExp(cue.pattern, 'i'), weight: cue.weight })),
  body: NONE_CUES.body.map((cue) => ({
    pattern: textPattern(new RegExp(cue.pattern, 'i')),
    weight: cue.weight,
  })),
};

/**
 * How strongly the provision reads as boilerplate, contact details or navigation. `prepared` is the text's with its
 * link targets blanked, `targets` the spans blanked: together they tell which cues cannot match the text.
 */
function noneScore(
  text: string,
  heading: string,
  prepared: PreparedText,
  targets: ReadonlyArray<readonly [number, number]>,
): number {
  let score = 0;
  if (heading !== '')
    for (const cue of NONE_COMPILED.heading) if (cue.pattern.test(heading)) score += cue.weight;
  // Outside the targets the text and the prepared one are the same; inside, the literals are looked for directly.
  const masked = targets
    .map(([start, end]) => text.slice(start, end))
    .join('\n')
    .toLowerCase();
  for (const cue of NONE_COMPILED.body)
    if (testText(cue.pattern, text, prepared, masked)) score += cue.weight;
  let links = 0;
  for (
    let at = text.indexOf('](#');
    at !== -1 && links < SCORING.tableOfContentsLinks;
    at = text.indexOf('](#', at + 3)
  )
    links++;
  if (links >= SCORING.tableOfContentsLinks && (!readsAsProse(text) || hasLinkLines(text))) score += 10;
  if (isDefinitionList(text)) score += 10;
  // An effective or update date in the first lines marks a document's opening, not one of its rules.
  if (OPENING_DATE.test(text.slice(0, 400))) score += SCORING.openingDate;
  if (isLinkList(text)) score += 6;
  if (isOutline(text)) score += 10;
  if (isLeadIn(text)) score += SCORING.leadIn;
  if (isTitleOnly(text)) score += SCORING.titleOnly;
  return score;
}

/**
 * A title and nothing under it: a heading (ATX or setext, bold or numbered) or a table-of-contents entry, on one line
 * with no sentence in it. A heading names a topic; it states, permits or reserves nothing.
 */
function isTitleOnly(text: string): boolean {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !SETEXT_UNDERLINE.test(line));
  if (lines.length !== 1) return false;
  const plain = lines[0]!
    .replace(/\[([^\]]{0,200})\]\([^)]{0,500}\)/g, '$1')
    .replace(/^#{1,6}\s+/, '')
    .replace(/[*_\\]/g, '')
    .replace(NUMBERING, '')
    .trim();
  return (
    plain.length > 0 && plain.length <= 100 && plain.split(/\s+/).length <= 12 && !/[.!?;:,]/.test(plain)
  );
}

const MAX_LEAD_IN = 600;

/** A heading with a sentence or two that announce a list ("We collect the following data:"), the list not included. */
function isLeadIn(text: string): boolean {
  const trimmed = text.trimEnd();
  return trimmed.length <= MAX_LEAD_IN && trimmed.endsWith(':');
}

const LIST_ITEM = /^[ \t]*(?:[-*+•]|\d{1,3}\\?[.)]|\(?[a-z]{1,3}\))[ \t]+/;

/**
 * An outline: at least a few list items, each a short title rather than a sentence (no full stop inside, no
 * more than a few words), as a table of contents written without links.
 */
function isOutline(text: string): boolean {
  if (text.length > MAX_OUTLINE) return false;
  let items = 0;
  let outline = 0;
  let outlined = true;
  // Items may share a line ("* 1. Who … * 2. What …" once whitespace is folded): split on the bullets too.
  forEachItem(text, (line) => {
    const item = line.trim();
    if (item === '') return true;
    items++;
    const marker = LIST_ITEM.exec(item);
    if (marker) {
      const body = item
        .slice(marker[0].length)
        .replace(/^\d{1,3}\\?\.\s*/, '')
        .replace(/[*_[\]]/g, '');
      if (body.length > 80 || /[.;:]\s|[.;:]$/.test(body.replace(/\\\./g, ''))) return (outlined = false);
      outline++;
    }
    // A second piece that is no list item already makes prose, whatever follows: the reading stops there.
    return (outlined = items - outline < 2);
  });
  return outlined && outline >= SCORING.outlineItems && outline >= items - 1;
}

const MAX_OUTLINE = 3000;

/**
 * Conduct verbs that open the items of a prohibited-conduct list ("Scrape or copy…", "Impersonate…"), read as
 * rules of use even when the list's lead-in ("you agree that you will not:") is in another provision. `access` and
 * `provide` are left out: they open the items of rights and purposes lists as well.
 */
const CONDUCT_VERB =
  /^(use|attempt|create|post|upload|publish|share|send|submit|transmit|copy|reproduce|scrape|crawl|harvest|rent|lease|loan|sell|re-?sell|sublicen[cs]e|distribute|moneti[sz]e|reverse[- ]engineer|decompile|disassemble|circumvent|bypass|override|interfere|disrupt|overload|overburden|impersonate|misrepresent|harass|threaten|bully|stalk|infringe|violate|engage|develop|frame|deep-link|solicit|facilitate|encourage|introduce|exploit|abuse|misuse|manipulate|spam|imply|falsify|defraud|evade|probe|scan|do anything|promote|display)\b/i;

/** A single list item opening with a conduct verb: an item of a list of what users must not do. */
function isConductListItem(text: string): boolean {
  const trimmed = text.trimStart();
  const marker = LIST_ITEM.exec(trimmed);
  if (!marker) return false;
  // One item, not a whole list: the rest holds no further item.
  if (/\n[ \t]*(?:[-*+•]|\d{1,3}\\?[.)])[ \t]+/.test(trimmed.slice(marker[0].length))) return false;
  return CONDUCT_VERB.test(trimmed.slice(marker[0].length).replace(/^[*_]+/, ''));
}

const OPENING_DATE =
  /\b(effective|last (updated|modified|revised)|updated)\b[^.\n]{0,20}\b(\d{1,2}|january|february|march|april|may|june|july|august|september|october|november|december)\b/i;
const DEFINITION = /["”’]\*{0,2} (means|refers to|shall mean|has the meaning|includes)\b/g;

/** A definitions section: several quoted terms, each defined ("X" means …). */
function isDefinitionList(text: string): boolean {
  DEFINITION.lastIndex = 0;
  let count = 0;
  while (count < SCORING.definitionsForList && DEFINITION.exec(text) !== null) count++;
  return count >= SCORING.definitionsForList;
}

/** A list of links with little else ("Useful resources", "Learn more"): navigation, not a rule. */
function isLinkList(text: string): boolean {
  if (text.length > MAX_LINK_LIST) return false;
  let links = 0;
  let linkChars = 0;
  for (let at = text.indexOf(']('); at !== -1 && links < 40; at = text.indexOf('](', at + 2)) {
    const open = text.lastIndexOf('[', at);
    const close = text.indexOf(')', at);
    if (open === -1 || close === -1) break;
    links++;
    linkChars += close - open + 1;
  }
  return links >= 3 && text.trim().length - linkChars < 60 * links && !readsAsProse(text);
}

const LINK_LINE = /^[ \t]*(?:[-*+][ \t]+)?\[[^\]\n]{1,200}\]\(#[^)\s]{0,300}\)[ \t]*$/gm;

/** Lines that hold nothing but an in-page link, as many as a table of contents has. */
function hasLinkLines(text: string): boolean {
  const head = text.slice(0, MAX_LINK_LIST * 4);
  LINK_LINE.lastIndex = 0;
  let count = 0;
  while (count < SCORING.tableOfContentsLinks && LINK_LINE.exec(head) !== null) count++;
  return count >= SCORING.tableOfContentsLinks;
}

/**
 * Prose that points at other sections with links ("These entities process [X](#x) … See [Y](#y).") still reads as
 * sentences once the links are taken out; a table of contents or a list of links does not.
 */
function readsAsProse(text: string): boolean {
  const sentences = text
    .slice(0, MAX_LINK_LIST)
    .replace(/\[[^\]]{0,300}\]\([^)]{0,2048}\)/g, '')
    .match(/[a-z)][.!?]["”’)]?\s+[A-Z]/g);
  return (sentences?.length ?? 0) >= 2;
}

// Link lists are short; the bound keeps the backward and forward searches above cheap on any input.
const MAX_LINK_LIST = 4000;

const LEVELS: readonly ExposureLevel[] = ['low', 'medium', 'high'];
const maxLevel = (a: ExposureLevel, b: ExposureLevel): ExposureLevel =>
  LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;

/**
 * Link targets (`](https://…)`) blanked to spaces, so URLs never count as words; offsets are unchanged. The blanked
 * spans (parentheses included) are added to `targets` when given.
 */
function maskLinks(text: string, targets?: Array<readonly [number, number]>): string {
  // One pass by hand: the regular expression /\]\([^)\s]{0,2048}\)/g rescans the window after every failed `](`,
  // which a text of repeated `](` turns into seconds.
  let out = '';
  let copied = 0;
  for (let at = text.indexOf(']('); at !== -1; at = text.indexOf('](', at)) {
    let end = at + 2;
    const limit = Math.min(text.length, at + 2 + MAX_LINK_TARGET);
    while (end < limit && text[end] !== ')' && !/\s/.test(text[end]!)) end++;
    if (end < text.length && text[end] === ')') {
      out += text.slice(copied, at + 1) + ' '.repeat(end - at);
      copied = end + 1;
      targets?.push([at + 1, end + 1]);
    }
    // Every `](` before `end` would stop at the same character: continue after it.
    at = Math.max(end, at + 2);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const MAX_LINK_TARGET = 2048;
const CONSUMER_TERMS_DOCUMENT = /\bterms\b|acceptable use|usage polic|user agreement|community guidelines/;
const NOTICE_DOCUMENT = /privacy|cookie|tracker/;

/** Consumer terms by document type; without one, a text that speaks of "terms" and of no privacy or cookie notice. */
function isConsumerTerms(documentType: string, text: string): boolean {
  if (documentType !== '')
    return CONSUMER_TERMS_DOCUMENT.test(documentType) && !NOTICE_DOCUMENT.test(documentType);
  return /\b(terms|agreement)\b/i.test(text) && !/\b(privacy (policy|notice)|cookie)/i.test(text);
}

const NOTICE_TAKEN_BACK =
  /\bwithout (prior |advance |any )?notice\b|\beffective (immediately|upon posting)\b|\bsole (and absolute )?discretion\b|\bwaive\w*\b[^.\n]{0,40}\bnotice\b|\bcourtesy\b/i;
const SECOND_PERSON_AGE_GATE = /\byou must be\b[^.\n]{0,40}\b(\d{1,2}|age|years|older)\b/i;

const PROCESSOR_DOCUMENT =
  /processor|processing (agreement|addendum)|\bdpa\b|business|commercial|enterprise|developer|\bapi\b/;
/**
 * Duties the DSA places on online platforms towards the people who post on them: in terms for business customers
 * and developers (who use the service, not a platform's audience) they are worth checking, not cited first.
 */
const PLATFORM_ONLY_REFERENCES = new Set(['dsa/art-23']);

const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const NUMBERING = /^(?:\d{1,3}(?:\\?\.\d{1,3})*\\?\.?|\(?[a-z]{1,3}\)|[a-z]\\?\.)\s+/i;
// A short opening sentence in title style ("Governing Law and Jurisdiction. These Terms…").
const TITLE_SENTENCE = /^([A-Z][^.!?:\n]{2,80}?)[.:](?=\s+[A-Z“"(])/;

/**
 * The heading the caller gave, else the one that opens the text: a Markdown heading (ATX or setext), a bold title,
 * or a short title-like first sentence. Returned with its offset in the text (-1 when it is not in the text).
 */
function headingOf(input: ClassifyInput): { heading: string; start: number } {
  if (input.heading !== undefined)
    return { heading: input.heading, start: input.text.indexOf(input.heading) };
  const text = input.text;
  let lineStart = 0;
  while (lineStart < text.length && lineStart < 2000 && /\s/.test(text[lineStart]!)) lineStart++;
  const lineEnd = text.indexOf('\n', lineStart);
  const line = text.slice(
    lineStart,
    lineEnd === -1 ? Math.min(text.length, lineStart + 300) : Math.min(lineEnd, lineStart + 300),
  );
  // The offset stays the line's: evidence in a heading is located by the cue's match inside the text anyway.
  const clean = (raw: string, at: number) => {
    const plain = raw
      .replace(/\[([^\]]{0,300})\]\([^)]{0,500}\)/g, '$1')
      .replace(/[*_\\]/g, '')
      .trim();
    const numbering = NUMBERING.exec(plain);
    return { heading: numbering ? plain.slice(numbering[0].length) : plain, start: at };
  };
  const atx = /^#{1,6}\s+(.+?)[\s#]*$/.exec(line);
  if (atx) return clean(atx[1]!, lineStart + line.indexOf(atx[1]!));
  const nextLineEnd = lineEnd === -1 ? -1 : text.indexOf('\n', lineEnd + 1);
  const next = lineEnd === -1 ? '' : text.slice(lineEnd + 1, nextLineEnd === -1 ? text.length : nextLineEnd);
  if (line.trim() !== '' && SETEXT_UNDERLINE.test(next)) return clean(line.trim(), lineStart);
  const bold =
    /^(?:[-*+]\s+)?(?:\(?[a-z0-9]{1,3}\)\s+|\d{1,3}(?:\\?\.\d{1,3})*\\?\.\s+)?\*\*([^*]{1,150})\*\*/i.exec(
      line,
    );
  if (bold) return clean(bold[1]!, lineStart + line.indexOf(bold[1]!));
  const bullet = /^(?:[-*+]\s+)?/.exec(line)![0].length;
  const numbering = NUMBERING.exec(line.slice(bullet))?.[0].length ?? 0;
  const sentence = TITLE_SENTENCE.exec(line.slice(bullet + numbering));
  if (sentence && sentence[1]!.split(' ').length <= 9)
    return clean(sentence[1]!, lineStart + bullet + numbering);
  return { heading: '', start: -1 };
}

interface Scored {
  readonly id: Exclude<CategoryId, 'none'>;
  readonly score: number;
  /** Weight of the heading cue that matched (0: the heading does not name this category). */
  readonly headingWeight: number;
  /** A body cue marked decisive (it names the category outright) matched. */
  readonly decisive: boolean;
  /** A decisive negative cue matched: this wording is explicitly not the category (the model may not add it). */
  readonly refuted: boolean;
  readonly evidence: Evidence[];
}

/** The text to scan: lower-cased when that keeps every offset, so cues can match case-sensitively. */
interface ScanText {
  readonly original: string;
  readonly scanned: string;
  readonly lowered: boolean;
  readonly prepared: PreparedText;
}

function scanTextOf(text: string): ScanText {
  const prepared = prepareText(text);
  if (prepared.lower.length === text.length)
    return { original: text, scanned: prepared.lower, lowered: true, prepared };
  // Scanned as written, case-insensitively: typographic apostrophes read as straight ones here too (same length).
  return { original: text, scanned: withStraightApostrophes(text), lowered: false, prepared };
}

interface Found {
  /** Matches counted, at most the number of repeat factors. */
  readonly count: number;
  /** Span of the first match. */
  readonly start: number;
  readonly end: number;
}

const NOTHING: Found = { count: 0, start: 0, end: 0 };

/** Matches by scanning the whole text (patterns without triggers, or texts that could not be lower-cased). */
function matchesByScan(pattern: RegExp, text: string): Found {
  pattern.lastIndex = 0;
  let count = 0;
  let first: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex++;
    first ??= m;
    if (++count >= SCORING.repeatFactors.length) break;
  }
  return first ? { count, start: first.index, end: first.index + first[0].length } : NOTHING;
}

/**
 * Matches of a cue with triggers: the pattern is tried (sticky) only where a word opening with one of its keys
 * starts, which is where every match of it must start. Same matches as a scan, at a cost that follows the number
 * of candidate words rather than the length of the text.
 */
function matchesAtWordStarts(cue: CompiledCue, scan: ScanText): Found {
  const spans = lowerSpans(cue.lower, scan.prepared, SCORING.repeatFactors.length);
  return spans.length === 0 ? NOTHING : { count: spans.length, start: spans[0]!.start, end: spans[0]!.end };
}

function scoreCategory(
  category: CompiledCategory,
  scan: ScanText,
  heading: string,
  headingStart: number,
  documentType: string,
): Scored {
  let score = 0;
  let best = 0;
  let decisive = false;
  const evidence: Evidence[] = [];
  const { scanned, original } = scan;
  for (const cue of category.body) {
    const found = scan.lowered ? matchesAtWordStarts(cue, scan) : matchesByScan(cue.patternI, scanned);
    if (found.count > 0) {
      score += cue.weight * SCORING.repeatFactors[found.count - 1]!;
      decisive ||= cue.decisive;
      const { start, end } = found;
      evidence.push({ phrase: original.slice(start, end), start, end });
    }
  }
  if (heading !== '') {
    best = 0;
    let phrase: RegExpExecArray | null = null;
    for (const cue of category.heading) {
      cue.patternI.lastIndex = 0;
      const m = cue.patternI.exec(heading);
      if (m && cue.weight > best) {
        best = cue.weight;
        phrase = m;
      }
    }
    score += best * SCORING.headingFactor;
    if (phrase && headingStart >= 0) {
      // The heading was cleaned of markup: find the matched words in the text itself.
      const wanted = phrase[0].toLowerCase();
      const at = original
        .slice(headingStart, headingStart + 400)
        .toLowerCase()
        .indexOf(wanted);
      const start = headingStart + at;
      const found = original.slice(start, start + wanted.length);
      if (at >= 0 && found.toLowerCase() === wanted)
        evidence.push({ phrase: found, start, end: start + found.length });
    }
  }
  let refuted = false;
  for (const cue of category.negative) {
    const found = scan.lowered ? matchesAtWordStarts(cue, scan) : matchesByScan(cue.patternI, scanned);
    score -= cue.weight * Math.min(found.count, 2);
    refuted ||= found.count > 0 && cue.decisive;
  }
  if (documentType !== '')
    for (const prior of category.documentTypes)
      if (documentType.includes(prior.needle)) score += prior.weight;
  evidence.sort((a, b) => a.start - b.start || b.end - a.end);
  // A heading cue and a body cue often match the same words: keep one span per place.
  const distinct = evidence.filter((e, i) => i === 0 || e.start >= evidence[i - 1]!.end);
  return {
    id: category.id,
    score,
    headingWeight: best,
    decisive,
    refuted,
    evidence: distinct.slice(0, MAX_EVIDENCE_PER_CATEGORY),
  };
}

/**
 * A heading states the provision's topic: when the best-scoring category is not named by the heading but another
 * one is, and scores close to it, the named one becomes the main category (long sections touch many topics).
 */
function headingFirst(scored: Scored[]): void {
  const top = scored[0];
  if (!top || top.headingWeight > 0) return;
  // Among the categories the heading names, the most specific cue (highest weight) wins, then the higher score.
  let named = -1;
  scored.forEach((s, i) => {
    if (s.headingWeight < SCORING.headingMainCue || s.score < top.score * SCORING.headingMainShare) return;
    if (named === -1 || s.headingWeight > scored[named]!.headingWeight) named = i;
  });
  if (named > 0) {
    const [chosen] = scored.splice(named, 1);
    scored.unshift(chosen!);
  }
}

const confidenceOf = (score: number) => Math.round((score / (score + SCORING.halfScore)) * 100) / 100;

/**
 * The references of the reported categories. The main category's primary rules give primary references, and so do
 * the further categories' primary rules within the main category's frameworks and their core rules (the article that
 * defines each) when they score close to the main one. When the text speaks to one non-EU regime only (Brazil,
 * California) and never to the EU, that regime's references become the primary ones. The frameworks so concluded
 * are then concluded whole ({@link withWholeFrameworks}); the rest is listed as worth checking.
 */
function referencesFor(
  categories: readonly CategoryResult[],
  conditions: Set<ConditionId>,
): ReferenceResult[] {
  const byId = new Map<string, ReferenceResult>();
  const mainFrameworks = new Set(
    [...(categories[0] ? mainReferenceIds(categories[0].id, conditions, 'primary') : [])].map(
      (id) => referenceById(id)?.framework,
    ),
  );
  const bestScore = scoreOf(categories[0]?.confidence ?? 0);
  categories.forEach((category, index) => {
    const definition = CATEGORIES.find((c) => c.id === category.id)!;
    // Within the frameworks the main category engages, a further category's primary articles are primary too (they
    // add an article, not a framework); outside them only its core article, and only for a clear second topic (one
    // wrong framework fails the conclusions).
    const strong = index === 0 || scoreOf(category.confidence) >= bestScore * SCORING.newFrameworkShare;
    for (const rule of definition.mapping) {
      if (rule.when && !conditions.has(rule.when)) continue;
      const reference = referenceById(rule.reference);
      if (!reference) throw new Error(`taxonomy: unknown reference ${rule.reference}`);
      // The main category's primary rules, and the core rules of every further category.
      const primary =
        rule.role === 'primary' &&
        (index === 0 || mainFrameworks.has(reference.framework) || (rule.core === true && strong));
      const known = byId.get(reference.id);
      if (known) {
        if (primary && !known.primary)
          byId.set(reference.id, { ...known, primary, rationale: rule.rationale });
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
  let all = [...byId.values()];
  if (conditions.has('processor-context'))
    all = all.map((r) => (r.primary && PLATFORM_ONLY_REFERENCES.has(r.id) ? { ...r, primary: false } : r));
  const focus = regionalFocus(conditions);
  // A text addressed to one non-EU regime only: that regime's references of the main category are what a lawyer
  // cites first (a California notice is read against the CCPA, not the GDPR), whatever their role in the rules.
  const main = categories[0] ? mainReferenceIds(categories[0].id, conditions) : new Set<string>();
  if (focus && all.some((r) => r.framework === focus && (r.primary || main.has(r.id))))
    all = all.map((r) =>
      r.framework === focus && main.has(r.id)
        ? { ...r, primary: true }
        : EU_PRIVACY.has(r.framework) && r.primary
          ? { ...r, primary: false }
          : r,
    );
  return withWholeFrameworks(all, gatedReferences(categories, conditions), conditions);
}

/**
 * References that stay secondary within a concluded framework: those a reported category's rules make primary only
 * under a condition that does not hold (the rules conclude them on that fact alone: an invitation to send feedback is
 * not notice and action), and the regime articles of categories not reported ({@link DEFINING_CATEGORIES}).
 */
function gatedReferences(categories: readonly CategoryResult[], conditions: Set<ConditionId>): Set<string> {
  const reported = new Set(categories.map((c) => c.id));
  const gated = new Set<string>();
  for (const category of categories)
    for (const rule of CATEGORIES.find((c) => c.id === category.id)!.mapping)
      if (rule.role === 'primary' && rule.when && !conditions.has(rule.when)) gated.add(rule.reference);
  for (const [reference, owners] of DEFINING_CATEGORIES)
    if (!GENERAL_CLAUSES.has(reference) && !owners.some((owner) => reported.has(owner))) gated.add(reference);
  return gated;
}

/**
 * The categories each reference defines (an unconditional core rule): elsewhere such a reference points to that
 * topic, and is concluded only when the topic itself is reported (a sub-processor clause is not a transfer). The
 * general clauses are exempt: they hold for every provision of their framework.
 */
const DEFINING_CATEGORIES: ReadonlyMap<string, readonly CategoryId[]> = (() => {
  const owners = new Map<string, CategoryId[]>();
  for (const category of CATEGORIES)
    for (const rule of category.mapping)
      if (rule.core === true && !rule.when)
        owners.set(rule.reference, [...(owners.get(rule.reference) ?? []), category.id]);
  return owners;
})();

/**
 * Once a framework is concluded, every article its rules tie to the reported categories is concluded with it: a
 * reader of a provision engaging the GDPR needs the definition and the principles it touches beside the lawful basis,
 * not half of them under "worth checking". What stays secondary are the references of frameworks the provision was
 * not found to engage, those a rule concludes only on a fact that does not hold ({@link gatedReferences}), and those a
 * condition ruled out (a processor's terms do not carry a platform's duties). The rules' own primary references come
 * first.
 */
function withWholeFrameworks(
  all: readonly ReferenceResult[],
  gated: ReadonlySet<string>,
  conditions: Set<ConditionId>,
): ReferenceResult[] {
  const concluded = new Set(all.filter((r) => r.primary).map((r) => r.framework));
  const ruledOut = (r: ReferenceResult) =>
    gated.has(r.id) || (conditions.has('processor-context') && PLATFORM_ONLY_REFERENCES.has(r.id));
  const joining = all.filter((r) => !r.primary && concluded.has(r.framework) && !ruledOut(r));
  const joined = new Set(joining);
  return [
    ...all.filter((r) => r.primary),
    ...joining.map((r) => ({ ...r, primary: true })),
    ...all.filter((r) => !r.primary && !joined.has(r)),
  ];
}

const EU_PRIVACY = new Set(['gdpr', 'eprivacy']);

/** The references the main category's rules give under the conditions that hold, whatever their role (or of one role). */
function mainReferenceIds(
  id: CategoryId,
  conditions: Set<ConditionId>,
  role?: 'primary' | 'secondary',
): Set<string> {
  const definition = CATEGORIES.find((c) => c.id === id)!;
  return new Set(
    definition.mapping
      .filter((rule) => (!rule.when || conditions.has(rule.when)) && (!role || rule.role === role))
      .map((rule) => rule.reference),
  );
}

/** The score a confidence was computed from (the inverse of {@link confidenceOf}, to its rounding). */
const scoreOf = (confidence: number) =>
  confidence >= 0.99 ? Number.MAX_SAFE_INTEGER : (confidence * SCORING.halfScore) / (1 - confidence);

function regionalFocus(conditions: Set<ConditionId>): string | null {
  if (conditions.has('eu-audience')) return null;
  if (conditions.has('brazil-audience') && !conditions.has('california')) return 'lgpd';
  if (conditions.has('california') && !conditions.has('brazil-audience')) return 'ccpa';
  return null;
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

function attributesAndConditions(
  text: string,
  scan: ScanText,
  documentType: string,
): { attributes: ProvisionAttributes; conditions: Set<ConditionId> } {
  // Link targets are blanked (same length) in `text`: attributes read the same words the cues read.
  const attributes = extractAttributes(text, scan.prepared);
  const conditions = conditionsOf(attributes);
  // In a processing agreement or business terms, the provider acts as a processor whatever the clause says.
  if (PROCESSOR_DOCUMENT.test(documentType)) conditions.add('processor-context');
  // The DSA reads a service's terms and conditions (Art. 14) and its measures for minors (Art. 28), not its privacy
  // or cookie notices nor business terms: a change notice or an age floor in consumer terms engages it.
  if (!conditions.has('processor-context') && isConsumerTerms(documentType, scan.scanned)) {
    // A notice the clause takes back (changes at the provider's sole discretion, in force on posting, notice
    // waived or a courtesy) is not the information of users Art. 14 asks for; deemed acceptance after notice is.
    if (conditions.has('notice-of-changes') && !NOTICE_TAKEN_BACK.test(scan.scanned))
      conditions.add('terms-change-notice');
    if (conditions.has('age-requirement')) conditions.add('terms-age-gate');
  }
  // Without a document type, an age floor put to the reader ("you must be at least 13 to use …") is a condition of
  // use, the wording of terms: a privacy notice says whom the service is not directed to instead.
  if (documentType === '' && conditions.has('age-requirement') && SECOND_PERSON_AGE_GATE.test(scan.scanned))
    conditions.add('terms-age-gate');
  return { attributes, conditions };
}

/**
 * The references the taxonomy maps the given categories to (main category first), with the attributes read from
 * the text: the reference-selection half of {@link classifyProvision} alone. The evaluation feeds it the labelled
 * categories to tell mapping losses from categorisation losses.
 */
export function referencesForCategories(
  input: ClassifyInput,
  categories: readonly CategoryId[],
): ReferenceResult[] {
  const text = maskLinks(input.text);
  const scan = scanTextOf(text);
  const { conditions } = attributesAndConditions(text, scan, (input.documentType ?? '').toLowerCase());
  return referencesFor(
    categories.map((id) => ({ id, confidence: 1, evidence: [] })),
    conditions,
  );
}

/**
 * Classifies one provision: categories with confidence and evidence, extracted attributes, the references the
 * taxonomy maps them to, exposure and jurisdiction flags. Pure and deterministic: the same input and versions
 * give the same output. Cost is linear in the text length (bounded patterns only).
 */
export function classifyProvision(input: ClassifyInput): Classification {
  return classify(input, { model: GOVERNANCE_MODEL, rule: WIRED_COMBINATION, info: MODEL_INFO });
}

/**
 * The classifier as shipped with other weights (and, optionally, another combination): what leave-one-service-out
 * runs with the model of each fold, so that its figures are those of the shipped pipeline, rules included.
 */
export function classifyWithModel(
  input: ClassifyInput,
  model: LinearModel,
  rule: CombinationRule = WIRED_COMBINATION,
): Classification {
  return classify(input, {
    model,
    rule,
    info: {
      version: model.version,
      trainingSetHash: model.trainingSetHash,
      trainingProvisions: model.trainingProvisions,
      combination: { add: rule.add, veto: rule.veto },
    },
  });
}

/**
 * The rules alone, as before 1.5.0 (no learned second opinion, `model: null`): what the leave-one-service-out
 * comparison sets the fold models against.
 */
export function classifyByRules(input: ClassifyInput): Classification {
  return classify(input, null);
}

interface Opinion {
  readonly model: LinearModel;
  readonly rule: CombinationRule;
  readonly info: ModelInfo;
}

function classify(input: ClassifyInput, opinion: Opinion | null): Classification {
  const targets: Array<readonly [number, number]> = [];
  const text = maskLinks(input.text, targets);
  const scan = scanTextOf(text);
  const { heading, start: headingStart } = headingOf(input);
  const documentType = (input.documentType ?? '').toLowerCase();
  const conductItem = isConductListItem(text);
  const scored = COMPILED.map((category) => {
    const s = scoreCategory(category, scan, heading, headingStart, documentType);
    return conductItem && s.id === 'acceptable-use' ? { ...s, score: s.score + SCORING.conductListItem } : s;
  }).sort((a, b) => b.score - a.score);
  headingFirst(scored);
  const best = scored[0]?.score ?? 0;
  const chosen =
    best < SCORING.minScore || noneScore(input.text, heading, scan.prepared, targets) >= best
      ? []
      : scored
          .filter(
            (s, i) =>
              i === 0 ||
              (s.score >= SCORING.minSecondaryScore &&
                // A long section may name a second topic in passing ("a review of automated decisions"): when
                // it names it outright, it counts whatever the share.
                (s.score >= best * SCORING.minShareOfBest || s.decisive) &&
                (!BROAD_CATEGORIES.has(s.id) || s.score >= best * SCORING.broadShareOfBest)),
          )
          .slice(0, SCORING.maxCategories);
  const ruleCategories: CategoryResult[] =
    chosen.length > 0
      ? chosen.map((s) => ({ id: s.id, confidence: confidenceOf(s.score), evidence: s.evidence }))
      : [
          {
            id: 'none',
            confidence: Math.round((1 - confidenceOf(Math.max(0, best))) * 100) / 100,
            evidence: [],
          },
        ];
  // The model's second opinion; everything below follows the combined categories.
  const categories =
    opinion === null
      ? ruleCategories.map((c) => ({ ...c, source: 'rules' as const }))
      : withModelOpinion(
          ruleCategories,
          text,
          opinion.model,
          opinion.rule,
          new Set(scored.filter((s) => s.refuted).map((s) => s.id)),
          scan.prepared.lower,
        );
  const { attributes, conditions } = attributesAndConditions(text, scan, documentType);
  const references = referencesFor(categories, conditions);
  return {
    categories,
    references,
    exposure: exposureFor(categories, conditions),
    jurisdictions: jurisdictionsFor(references, attributes),
    attributes: { ...attributes, heading },
    taxonomyVersion: TAXONOMY_VERSION,
    classifierVersion: CLASSIFIER_VERSION,
    model: opinion === null ? null : opinion.info,
  };
}
