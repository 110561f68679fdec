import { categoryById, type CategoryId } from '../taxonomy/categories.data';
import { FRAMEWORKS } from '../taxonomy/frameworks.data';
import {
  classifyProvision,
  type CategoryResult,
  type Classification,
  type ClassifyInput,
  type JurisdictionFlag,
  type ReferenceResult,
} from '../classifier/classify-provision';
import { conditionsOf } from '../classifier/conditions';
import type { Period, ProvisionAttributes } from '../classifier/extract-attributes';

/** Where the quoted text comes from: supplied by the caller (read models), echoed in the analysis. */
export interface QuoteSource {
  readonly service?: string;
  readonly documentType?: string;
  readonly documentId?: string;
  readonly provisionId?: string;
  readonly versionId?: string;
  /** When the version was recorded (ISO 8601). */
  readonly recordedAt?: string;
  readonly url?: string;
  readonly snapshotIds?: readonly string[];
}

/** One step of the provision's history, as the caller's timeline read model gives it. */
export interface HistoryEntry {
  readonly versionId?: string;
  readonly recordedAt: string;
  readonly change: string;
  readonly summary?: string;
  readonly [key: string]: unknown;
}

/** A provision of another service in the same category, found by the caller. */
export interface Comparable {
  readonly service: string;
  readonly documentType?: string;
  readonly provisionId?: string;
  readonly heading?: string;
  readonly excerpt?: string;
  readonly categories?: readonly string[];
  readonly exposure?: string;
  readonly [key: string]: unknown;
}

export interface AnalyseInput extends ClassifyInput {
  readonly source?: QuoteSource;
  readonly history?: readonly HistoryEntry[];
  readonly comparables?: readonly Comparable[];
  /** A classification already computed for this text (else it is computed here). */
  readonly classification?: Classification;
}

export interface ProvisionAnalysis {
  readonly statement: string;
  readonly quote: { readonly text: string; readonly truncated: boolean; readonly source: QuoteSource };
  readonly categories: ReadonlyArray<CategoryResult & { readonly label: string }>;
  readonly references: readonly ReferenceResult[];
  readonly exposure: Classification['exposure'];
  readonly jurisdictions: readonly JurisdictionFlag[];
  readonly attributes: Classification['attributes'];
  readonly implications: readonly string[];
  readonly considerations: readonly string[];
  readonly history: readonly HistoryEntry[];
  readonly comparables: readonly Comparable[];
  readonly disclaimer: string;
  readonly taxonomyVersion: string;
  readonly classifierVersion: string;
}

export const ANALYSIS_DISCLAIMER =
  'Generated automatically from the text and a fixed taxonomy: it describes what the document says and which rules ' +
  'a reviewer would look at. It is not legal advice and does not decide whether the provision is lawful, valid or ' +
  'enforceable.';

const QUOTE_LIMIT = 1500;

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

const periodText = (periods: readonly Period[]) => list([...new Set(periods.map((p) => p.text))]);

const GOVERNING_LAW =
  /\bgoverned by\b[^.\n]{0,40}?\blaws? of (?:the )?([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,3})/;
const GOVERNING_LAW_SHORT = /\bgoverned by ([A-Z][a-z]+) law\b/;

/** Sentences on what the provision states, permits or reserves, per category, from the extracted attributes. */
function categorySentences(
  id: CategoryId,
  text: string,
  attributes: ProvisionAttributes,
  held: Set<string>,
): string[] {
  const out: string[] = [];
  switch (id) {
    case 'personal-data-collection':
      out.push(
        'It describes personal data the provider collects or receives and the purposes it is used for.',
      );
      if (held.has('special-categories')) out.push('It mentions sensitive or special-category data.');
      break;
    case 'usage-telemetry':
      out.push(
        'It covers data collected automatically from use of the service (logs, device and usage data).',
      );
      if (held.has('anonymised-data'))
        out.push(
          'It treats aggregated or de-identified data separately, as data the provider may use more freely.',
        );
      if (held.has('provider-owns')) out.push("It declares such data the provider's property.");
      if (held.has('training-use')) out.push('It allows this data to be used to train or improve AI models.');
      break;
    case 'ai-training-on-user-content':
      out.push('It permits the provider to use user content or interactions to train or improve AI models.');
      out.push(
        held.has('opt-out-offered')
          ? `It describes a way to limit this (${list(attributes.optOuts.slice(0, 3))}).`
          : 'It states no way for the user to opt out of this use.',
      );
      break;
    case 'output-ownership':
      if (held.has('user-owns'))
        out.push('It states that the user owns, or is assigned rights in, inputs or outputs.');
      if (held.has('provider-owns')) out.push('It reserves ownership or exclusive rights to the provider.');
      if (!held.has('user-owns') && !held.has('provider-owns'))
        out.push('It addresses rights in inputs and outputs of the service.');
      break;
    case 'licence-to-user-content':
      out.push(
        attributes.licenceTerms.length > 0
          ? `It grants the provider a licence over user content described as ${list(attributes.licenceTerms)}.`
          : 'It grants the provider rights to use content the user submits.',
      );
      break;
    case 'retention':
      if (attributes.retentionPeriods.length > 0)
        out.push(`It states retention or deletion periods: ${periodText(attributes.retentionPeriods)}.`);
      else out.push('It describes how long data is kept by criteria rather than fixed periods.');
      if (held.has('indefinite-retention')) out.push('It allows some data to be kept without a time limit.');
      break;
    case 'international-transfers':
      out.push('It allows personal data to be transferred to or processed in other countries.');
      if (attributes.transferMechanisms.length > 0)
        out.push(`It relies on ${list(attributes.transferMechanisms.map((m) => m.replace(/-/g, ' ')))}.`);
      else out.push('It names no transfer mechanism.');
      break;
    case 'sub-processors':
      out.push(
        'It allows disclosure of data to service providers or sub-processors acting for the provider.',
      );
      break;
    case 'children':
      out.push(
        attributes.ageThresholds.length > 0
          ? `It sets age thresholds of ${list(attributes.ageThresholds.map(String))}.`
          : 'It addresses use of the service by children or minors.',
      );
      if (held.has('consent-basis')) out.push('It refers to parental or guardian consent.');
      break;
    case 'cookies-trackers':
      out.push("It describes cookies or similar tracking technologies placed on users' devices.");
      if (held.has('targeted-ads')) out.push('Some trackers serve advertising.');
      break;
    case 'profiling-advertising':
      out.push('It permits use of personal data for marketing, advertising or profiling.');
      if (held.has('opt-out-offered'))
        out.push(`It mentions ways to object (${list(attributes.optOuts.slice(0, 3))}).`);
      break;
    case 'sale-or-sharing':
      out.push(
        held.has('denies-sale')
          ? 'It states that personal data is not sold (as the law defines selling).'
          : 'It addresses selling or sharing personal data with third parties.',
      );
      break;
    case 'data-subject-rights':
      out.push('It lists rights users can exercise over their personal data and how to exercise them.');
      break;
    case 'automated-decisions':
      out.push('It addresses automated decision-making or high-stakes automated uses.');
      break;
    case 'security-breach':
      out.push('It describes security measures for personal data.');
      if (held.has('breach-notification')) out.push('It commits to notify breaches.');
      if (held.has('full-exclusion')) out.push('It disclaims that security can be guaranteed.');
      break;
    case 'law-enforcement-requests':
      out.push('It permits disclosure of data to authorities or in legal proceedings.');
      break;
    case 'acceptable-use':
      out.push('It restricts how the user may use the service.');
      break;
    case 'content-moderation-appeals':
      out.push(
        "It reserves the provider's right to review, restrict or remove content, and describes redress.",
      );
      break;
    case 'liability-limits':
      out.push(
        held.has('full-exclusion')
          ? 'It excludes warranties or liability to the fullest extent the law permits.'
          : "It limits the provider's responsibility or liability.",
      );
      if (held.has('liability-cap')) out.push("It caps the provider's total liability.");
      if (held.has('death-or-injury')) out.push('It mentions liability for death or personal injury.');
      break;
    case 'indemnity':
      out.push('It requires a party (usually the user) to indemnify the other against claims.');
      break;
    case 'arbitration-class-waiver':
      out.push('It sends disputes to arbitration or another non-court forum.');
      if (held.has('class-waiver')) out.push('It waives class or representative actions.');
      if (held.has('arbitration-opt-out')) out.push('It offers a way to opt out of arbitration.');
      break;
    case 'governing-law': {
      const law = GOVERNING_LAW.exec(text)?.[1] ?? GOVERNING_LAW_SHORT.exec(text)?.[1];
      out.push(law ? `It chooses the law of ${law} to govern the terms.` : 'It chooses the governing law.');
      if (held.has('forum-clause')) out.push('It names the courts that hear disputes.');
      break;
    }
    case 'termination':
      out.push(
        held.has('no-notice')
          ? "It reserves the provider's right to suspend or terminate at its discretion or without notice."
          : 'It sets when the provider or the user may suspend or end the service.',
      );
      break;
    case 'unilateral-changes':
      out.push("It reserves the provider's right to change the terms or the service.");
      if (attributes.noticePeriods.length > 0)
        out.push(`It announces changes with notice of ${periodText(attributes.noticePeriods)}.`);
      else if (held.has('notice-of-changes')) out.push('It promises to inform users of changes.');
      if (held.has('no-notice')) out.push('Some changes may apply without prior notice or by continued use.');
      break;
    case 'none':
      out.push(
        'It carries no commitment of the kinds this taxonomy covers (for example contact details or definitions).',
      );
      break;
  }
  return out;
}

function statementOf(input: AnalyseInput, classification: Classification, held: Set<string>): string {
  const [main, ...others] = classification.categories;
  const subject = [input.documentType, input.service ? `of ${input.service}` : undefined]
    .filter(Boolean)
    .join(' ');
  const intro =
    main && main.id !== 'none'
      ? `This provision${subject ? ` (${subject})` : ''} is mainly about ${categoryById(main.id).label.toLowerCase()}` +
        (others.length > 0
          ? `, and also about ${list(others.map((c) => categoryById(c.id).label.toLowerCase()))}.`
          : '.')
      : `This provision${subject ? ` (${subject})` : ''} has no governance category.`;
  const sentences = classification.categories.flatMap((c) =>
    categorySentences(c.id, input.text, classification.attributes, held),
  );
  if (classification.attributes.effectiveDates.length > 0)
    sentences.push(`It states the date ${list(classification.attributes.effectiveDates)}.`);
  return [intro, ...new Set(sentences)].join(' ');
}

/** Extra considerations that depend on the references concluded (application dates of the AI Act, for one). */
function referenceConsiderations(references: readonly ReferenceResult[]): string[] {
  const out: string[] = [];
  const aiAct = FRAMEWORKS.find((f) => f.id === 'ai-act')!;
  for (const reference of references) {
    if (reference.framework !== 'ai-act') continue;
    const date =
      reference.id === 'ai-act/art-5'
        ? aiAct.applicationDates[1]
        : reference.id === 'ai-act/art-53'
          ? aiAct.applicationDates[2]
          : aiAct.applicationDates[3];
    if (date) out.push(`${reference.article} AI Act applies from ${date.date} (${date.applies}).`);
  }
  return out;
}

/**
 * The whole analysis of one provision, generated deterministically from its classification, the taxonomy and the
 * context the caller passes in (source of the quote, history, comparable provisions). Pure: no I/O.
 */
export function analyseProvision(input: AnalyseInput): ProvisionAnalysis {
  const classification = input.classification ?? classifyProvision(input);
  const held = conditionsOf(classification.attributes) as Set<string>;
  const definitions = classification.categories.map((c) => categoryById(c.id));
  const trimmed = input.text.trim();
  return {
    statement: statementOf(input, classification, held),
    quote: {
      text: trimmed.length > QUOTE_LIMIT ? `${trimmed.slice(0, QUOTE_LIMIT)}…` : trimmed,
      truncated: trimmed.length > QUOTE_LIMIT,
      source: { service: input.service, documentType: input.documentType, ...input.source },
    },
    categories: classification.categories.map((c) => ({ ...c, label: categoryById(c.id).label })),
    references: classification.references,
    exposure: classification.exposure,
    jurisdictions: classification.jurisdictions,
    attributes: classification.attributes,
    implications: [...new Set(definitions.flatMap((d) => d.implications))],
    considerations: [
      ...new Set([
        ...definitions.flatMap((d) => d.considerations),
        ...referenceConsiderations(classification.references),
      ]),
    ],
    history: input.history ?? [],
    comparables: (input.comparables ?? []).filter((c) => c.service !== input.service),
    disclaimer: ANALYSIS_DISCLAIMER,
    taxonomyVersion: classification.taxonomyVersion,
    classifierVersion: classification.classifierVersion,
  };
}
