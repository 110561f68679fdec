import {
  GENERATION_COMPLETE,
  type GovernanceEntry,
  type GovernanceGeneration,
  type GovernanceProvisionChange,
  type ProvisionFormView,
} from './governance-models';
import type { ReadModelStore } from './read-models';

/**
 * How a governance row reads outside the store (the governance routes, the audit exports): one definition, so an
 * exported mapping reads exactly like the API's answer.
 */

/** A provision across the API: `<documentId>:<provisionId>`, both parts as the catalogue spells them. */
export const provisionKeyOf = (form: { documentId: string; provisionId: string }) =>
  `${form.documentId}:${form.provisionId}`;

export function formView(form: ProvisionFormView) {
  return {
    provisionKey: provisionKeyOf(form),
    documentId: form.documentId,
    provisionId: form.provisionId,
    service: form.service,
    serviceSlug: form.serviceSlug,
    documentType: form.documentType,
    heading: form.heading,
    text: form.text,
    textSha256: form.textSha256,
    /** The version that gave the provision this form, and when Termline observed it. */
    fromVersion: form.fromVersion,
    since: form.validFrom,
    untilVersion: form.untilVersion,
    until: form.validUntil,
    categories: form.categories,
    references: form.references,
    exposure: form.exposure,
    jurisdictions: form.jurisdictions,
    taxonomyVersion: form.taxonomyVersion,
    classifierVersion: form.classifierVersion,
  };
}
export type FormView = ReturnType<typeof formView>;

/**
 * Provision changes a list answer names per entry or version. A version of a long document can change thousands of
 * provisions (every section of a 12,000-section text reworded: 5 MB in one entry): a list names the first ones and
 * counts the rest, and each entry's or version's own route answers them all.
 */
export const LISTED_PROVISION_CHANGES = 50;

/** How a list names an entry's provision changes: how many, and which come first (the ones its filters asked for). */
export interface ProvisionListing {
  readonly limit: number;
  readonly first?: (change: GovernanceProvisionChange) => boolean;
}

/** The changes named, in document order within each group (asked-for ones first), and how many were left out. */
export function listedChanges<T>(
  changes: readonly T[],
  limit: number,
  first?: (change: T) => boolean,
): { listed: T[]; omitted: number } {
  if (changes.length <= limit) return { listed: [...changes], omitted: 0 };
  const ordered = first ? [...changes.filter(first), ...changes.filter((c) => !first(c))] : changes;
  return { listed: ordered.slice(0, limit), omitted: changes.length - limit };
}

export const provisionChangeView = (documentId: string, change: GovernanceProvisionChange) => ({
  ...change,
  provisionKey: `${documentId}:${change.provisionId}`,
});

/** An entry as the API and the exports read it; a listing names only some of its provision changes. */
export function entryView(entry: GovernanceEntry, listing?: ProvisionListing) {
  const { listed, omitted } = listing
    ? listedChanges(entry.provisions, listing.limit, listing.first)
    : { listed: entry.provisions, omitted: 0 };
  return {
    entryId: entry.entryId,
    documentId: entry.documentId,
    service: entry.service,
    serviceSlug: entry.serviceSlug,
    documentType: entry.documentType,
    version: entry.version,
    at: entry.at,
    kind: entry.kind,
    retracted: entry.retracted,
    stats: entry.stats,
    materiality: entry.materiality,
    provisionsChanged: entry.provisionsChanged,
    /** The dates the text states about itself, beside `at`, the date Termline observed it. */
    statedDates: entry.statedDates,
    effectiveAt: entry.effectiveAt,
    governance: {
      taxonomyVersion: entry.taxonomyVersion,
      classifierVersion: entry.classifierVersion,
      categories: entry.categoryIds,
      frameworks: entry.frameworks,
      references: entry.referenceIds,
      jurisdictions: entry.jurisdictionIds,
      exposure: {
        before: entry.exposureBefore,
        after: entry.exposureAfter,
        direction: entry.exposureDirection,
      },
      /** Changed provisions, all of them unless the answer is a list (then see `provisionsOmitted`). */
      provisions: listed.map((p) => provisionChangeView(entry.documentId, p)),
      /** Changed provisions this answer leaves out: `GET /v1/timeline/{entryId}/provisions` pages them all. */
      provisionsOmitted: omitted,
    },
  };
}
export type GovernanceEntryView = ReturnType<typeof entryView>;

/** Older first: by taxonomy version, then classifier version, each compared number by number. */
const byVersions = (a: GovernanceGeneration, b: GovernanceGeneration): number =>
  a.taxonomyVersion.localeCompare(b.taxonomyVersion, undefined, { numeric: true }) ||
  a.classifierVersion.localeCompare(b.classifierVersion, undefined, { numeric: true });

/**
 * The generation the API and the exports answer from by default (ADR 0037): the running code's (`own`) once a
 * backfill has mapped every stream under it; until then (after an upgrade of the taxonomy or the classifier) the
 * latest complete one, never a generation half built. With none complete (a first start), the running code's. One
 * key read when `own` is complete: asked every time, since a repair swaps in read models of its own.
 */
export async function defaultGenerationOf(
  store: Pick<ReadModelStore, 'getCheckpoint' | 'listGovernanceGenerations'>,
  own: GovernanceGeneration,
): Promise<GovernanceGeneration> {
  const complete = async (g: GovernanceGeneration) =>
    (await store.getCheckpoint(GENERATION_COMPLETE, g.generation)) > 0;
  if (await complete(own)) return own;
  const earlier: GovernanceGeneration[] = [];
  for (const g of await store.listGovernanceGenerations())
    if (g.generation !== own.generation && (await complete(g))) earlier.push(g);
  return earlier.sort(byVersions).at(-1) ?? own;
}
