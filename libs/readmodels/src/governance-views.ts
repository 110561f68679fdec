import type { GovernanceEntry, ProvisionFormView } from './governance-models';

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

export function entryView(entry: GovernanceEntry) {
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
      provisions: entry.provisions.map((p) => ({
        ...p,
        provisionKey: `${entry.documentId}:${p.provisionId}`,
      })),
    },
  };
}
export type GovernanceEntryView = ReturnType<typeof entryView>;
