import type { ChangeStats, MaterialityView, TimelineEntry } from './read-models';

/**
 * The governance read models: what each provision of each version engages (categories, articles, exposure,
 * jurisdictions) and what each change did to that. Every row belongs to one generation, the pair of taxonomy and
 * classifier versions that produced it; a new generation is built beside the old one, which stays queryable.
 */

export type ExposureLevel = 'low' | 'medium' | 'high';
export const EXPOSURE_LEVELS: readonly ExposureLevel[] = ['low', 'medium', 'high'];

export interface GovernanceGeneration {
  /** `<taxonomyVersion>+<classifierVersion>`: the key every governance row carries. */
  generation: string;
  taxonomyVersion: string;
  classifierVersion: string;
}

/**
 * The checkpoint (projection name; the stream is the generation, version 1) that says a generation is complete: a
 * backfill mapped every stream under it. Until then the API answers from the latest complete generation, not from a
 * generation half built (ADR 0037).
 */
export const GENERATION_COMPLETE = 'governance-generation-complete';
/**
 * Beside it (same stream, the count as version): how many streams the last backfill could not map under the
 * generation when it marked it complete. Each is mapped by its next event or by the repair (ADR 0037).
 */
export const GENERATION_UNMAPPED = 'governance-generation-unmapped';

export const generationOf = (taxonomyVersion: string, classifierVersion: string): string =>
  `${taxonomyVersion}+${classifierVersion}`;

export interface ReferenceView {
  id: string;
  framework: string;
  article: string;
  title: string;
  url: string;
  primary: boolean;
}

export interface JurisdictionView {
  id: string;
  level: string;
  reason: string;
}

/**
 * One form of a provision: its text from the version that gave it this form until the version that changed or
 * removed it (`untilVersion` null while it is current). As-of questions are answered by these bounds.
 */
export interface ProvisionFormView {
  formId: string;
  generation: string;
  taxonomyVersion: string;
  classifierVersion: string;
  documentId: string;
  service: string;
  serviceSlug: string;
  documentType: string;
  provisionId: string;
  heading: string;
  text: string;
  textSha256: string;
  fromVersion: number;
  validFrom: string;
  untilVersion: number | null;
  validUntil: string | null;
  /** Opened by a version that was later retracted: kept for the record, never returned by queries. */
  retracted: boolean;
  categories: Array<{ id: string; confidence: number }>;
  /** Category ids, main category first. */
  categoryIds: string[];
  references: ReferenceView[];
  referenceIds: string[];
  frameworks: string[];
  exposure: { level: ExposureLevel; reasons: string[] };
  jurisdictions: JurisdictionView[];
}

/** What a provision engaged on one side of a change. */
export interface ProvisionMappingSide {
  categoryIds: string[];
  referenceIds: string[];
  exposure: ExposureLevel;
}

export interface GovernanceProvisionChange {
  provisionId: string;
  heading: string;
  change: 'added' | 'removed' | 'modified';
  before: ProvisionMappingSide | null;
  after: ProvisionMappingSide | null;
}

export type StatedDateKind = 'effective' | 'last-updated';

/** A date the text states about itself ("Effective 1 March 2026", "Last updated: 2026-02-10"). */
export interface StatedDate {
  kind: StatedDateKind;
  /** `YYYY-MM-DD`. */
  date: string;
  /** The words it was read from, as written. */
  phrase: string;
}

/** One version of a document seen through the taxonomy: which provisions changed and what they engage. */
export interface GovernanceEntry {
  /** The timeline entry id of the same version. */
  entryId: string;
  generation: string;
  taxonomyVersion: string;
  classifierVersion: string;
  documentId: string;
  service: string;
  serviceSlug: string;
  documentType: string;
  version: number;
  /** When Termline observed the version. */
  at: string;
  kind: TimelineEntry['kind'];
  retracted: boolean;
  stats: ChangeStats;
  materiality: MaterialityView;
  /** Provisions the version's diff counts as changed (moves and renames included), as on the timeline. */
  provisionsChanged: number;
  /** Provisions whose text changed, with what they engaged before and after. */
  provisions: GovernanceProvisionChange[];
  /** Unions over the changed provisions, before and after the change. */
  categoryIds: string[];
  frameworks: string[];
  referenceIds: string[];
  jurisdictionIds: string[];
  /** Highest exposure among the changed provisions before and after (null when there were none on that side). */
  exposureBefore: ExposureLevel | null;
  exposureAfter: ExposureLevel | null;
  exposureDirection: 'raised' | 'lowered' | 'unchanged';
  statedDates: StatedDate[];
  /** The stated effective date as an instant (midnight UTC), when the text states one. */
  effectiveAt: string | null;
}

export interface GovernanceTimelineQuery {
  generation: string;
  documentId?: string;
  /** Each list matches any of its values; the lists combine with AND. */
  serviceSlugs?: string[];
  documentTypes?: string[];
  categoryIds?: string[];
  frameworks?: string[];
  referenceIds?: string[];
  exposure?: ExposureLevel[];
  materiality?: MaterialityView['level'][];
  from?: string;
  to?: string;
  /** Only entries whose stated effective date is after this instant. */
  effectiveAfter?: string;
  after?: { at: string; entryId: string };
  includeHidden?: boolean;
  limit: number;
}

export interface ProvisionFormQuery {
  generation: string;
  documentId?: string;
  provisionId?: string;
  /** Only these provisions (a page of a document's, say). */
  provisionIds?: readonly string[];
  serviceSlug?: string;
  categoryId?: string;
  referenceId?: string;
  /** Forms in force at this instant: validFrom <= asOf < validUntil. */
  asOf?: string;
  /** Only forms still in force. */
  current?: boolean;
  /** Only forms whose id comes after this one (the last form id of the page before): forms are answered in id order. */
  afterFormId?: string;
  limit: number;
}

export const isGovernanceEntryHidden = (entry: GovernanceEntry): boolean =>
  entry.retracted || entry.kind === 'technical-upgrade';

export const exposureRank = (level: ExposureLevel | null): number =>
  level === null ? -1 : EXPOSURE_LEVELS.indexOf(level);

export const formIdOf = (generation: string, documentId: string, provisionId: string, fromVersion: number) =>
  `${generation}|${documentId}|${provisionId}|${String(fromVersion).padStart(6, '0')}`;

/**
 * The opening that every form id of a query's scope shares: of one provision, one document, one service (a document
 * id opens with its service's slug and "__") or the generation. The forms of a scope are one range of ids, in form
 * order; {@link afterFormIdPrefix} is the first id past that range.
 */
export function formIdPrefixOf(scope: {
  generation: string;
  documentId?: string;
  provisionId?: string;
  serviceSlug?: string;
}): string {
  const { generation, documentId, provisionId, serviceSlug } = scope;
  if (documentId !== undefined)
    return provisionId !== undefined
      ? `${generation}|${documentId}|${provisionId}|`
      : `${generation}|${documentId}|`;
  return serviceSlug !== undefined ? `${generation}|${serviceSlug}__` : `${generation}|`;
}

/** The smallest string greater than every string opening with `prefix` (its last character, one code higher). */
export const afterFormIdPrefix = (prefix: string): string =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

export const governanceEntryKeyOf = (generation: string, entryId: string): string =>
  `${generation}|${entryId}`;

/** Form order in every store: by document, provision, then the version that opened the form. */
export function compareForms(a: ProvisionFormView, b: ProvisionFormView): number {
  return a.formId < b.formId ? -1 : a.formId > b.formId ? 1 : 0;
}
