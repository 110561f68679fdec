import {
  exposureRank,
  formIdOf,
  provisionsOf,
  type ExposureLevel,
  type GovernanceEntry,
  type GovernanceProvisionChange,
  type ProvisionFormView,
  type ProvisionMappingSide,
  type VersionView,
} from '@termline/readmodels';
import { extractStatedDates, statedEffectiveAt } from './stated-dates';
import type { ProvisionClassifier } from './provision-classifier';
import { timelineEntryIdOf } from '../timeline.projection';

/**
 * The governance projection as pure functions: (the forms in force before a version, the version) -> the forms
 * it closes and opens, and its governance entry. A provision is classified only when its text changes, so a
 * version that touches two provisions costs two classifications, whatever the length of the document.
 */

/** The provisions of a document in force, by provision id. */
export type OpenForms = ReadonlyMap<string, ProvisionFormView>;

const sideOf = (form: ProvisionFormView): ProvisionMappingSide => ({
  categoryIds: form.categoryIds,
  referenceIds: form.referenceIds,
  exposure: form.exposure.level,
});

const highest = (levels: readonly ExposureLevel[]): ExposureLevel | null =>
  levels.reduce<ExposureLevel | null>(
    (top, level) => (exposureRank(level) > exposureRank(top) ? level : top),
    null,
  );

const union = (lists: ReadonlyArray<readonly string[]>, drop = new Set<string>()): string[] =>
  [...new Set(lists.flat())].filter((id) => !drop.has(id)).sort();

/** 'none' says a provision engages nothing: it is kept on the form but is no subject of a change. */
const NOT_A_SUBJECT = new Set(['none']);

export function classifyForm(
  classifier: ProvisionClassifier,
  version: Pick<VersionView, 'documentId' | 'service' | 'documentType' | 'version' | 'validFrom'>,
  serviceSlug: string,
  provision: { id: string; heading: string; text: string; hash: string },
): ProvisionFormView {
  const { generation, taxonomyVersion, classifierVersion } = classifier.generation;
  const classification = classifier.classify({
    text: provision.text,
    heading: provision.heading,
    service: version.service,
    documentType: version.documentType,
  });
  const references = classification.references.map((r) => ({
    id: r.id,
    framework: r.framework,
    article: r.article,
    title: r.title,
    url: r.url,
    primary: r.primary,
  }));
  return {
    formId: formIdOf(generation, version.documentId, provision.id, version.version),
    generation,
    taxonomyVersion,
    classifierVersion,
    documentId: version.documentId,
    service: version.service,
    serviceSlug,
    documentType: version.documentType,
    provisionId: provision.id,
    heading: provision.heading,
    text: provision.text,
    textSha256: provision.hash,
    fromVersion: version.version,
    validFrom: version.validFrom,
    untilVersion: null,
    validUntil: null,
    retracted: false,
    categories: classification.categories.map((c) => ({ id: c.id, confidence: c.confidence })),
    categoryIds: classification.categories.map((c) => c.id),
    references,
    // A provision engages what the classifier concluded (primary references); the others are leads to check.
    referenceIds: references.filter((r) => r.primary).map((r) => r.id),
    frameworks: [...new Set(references.filter((r) => r.primary).map((r) => r.framework))].sort(),
    exposure: { level: classification.exposure.level, reasons: [...classification.exposure.reasons] },
    jurisdictions: classification.jurisdictions.map((j) => ({ id: j.id, level: j.level, reason: j.reason })),
  };
}

export interface VersionMapping {
  /** Forms to write: the ones this version closed, then the ones it opened. */
  written: ProvisionFormView[];
  open: Map<string, ProvisionFormView>;
  entry: GovernanceEntry;
}

export function mapVersion(
  version: VersionView,
  serviceSlug: string,
  before: OpenForms,
  classifier: ProvisionClassifier,
): VersionMapping {
  const open = new Map(before);
  const closed: ProvisionFormView[] = [];
  const opened: ProvisionFormView[] = [];
  const changes: GovernanceProvisionChange[] = [];
  const close = (form: ProvisionFormView) => {
    const done = { ...form, untilVersion: version.version, validUntil: version.validFrom };
    closed.push(done);
    open.delete(form.provisionId);
  };
  const provisions = provisionsOf(version);
  const present = new Set(provisions.map((p) => p.id));
  for (const provision of provisions) {
    const current = open.get(provision.id);
    if (current?.textSha256 === provision.hash) continue;
    if (current) close(current);
    const form = classifyForm(classifier, version, serviceSlug, provision);
    opened.push(form);
    open.set(provision.id, form);
    changes.push({
      provisionId: provision.id,
      heading: provision.heading,
      change: current ? 'modified' : 'added',
      before: current ? sideOf(current) : null,
      after: sideOf(form),
    });
  }
  for (const form of before.values()) {
    if (present.has(form.provisionId)) continue;
    close(form);
    changes.push({
      provisionId: form.provisionId,
      heading: form.heading,
      change: 'removed',
      before: sideOf(form),
      after: null,
    });
  }
  const statedDates = extractStatedDates(version.text);
  const exposureBefore = highest(changes.flatMap((c) => (c.before ? [c.before.exposure] : [])));
  const exposureAfter = highest(changes.flatMap((c) => (c.after ? [c.after.exposure] : [])));
  const first = version.previousVersion === null;
  const { generation, taxonomyVersion, classifierVersion } = classifier.generation;
  const changedForms = [...closed, ...opened];
  const entry: GovernanceEntry = {
    entryId: timelineEntryIdOf(version.documentId, version.version),
    generation,
    taxonomyVersion,
    classifierVersion,
    documentId: version.documentId,
    service: version.service,
    serviceSlug,
    documentType: version.documentType,
    version: version.version,
    at: version.validFrom,
    kind: version.technicalUpgrade ? 'technical-upgrade' : first ? 'first' : 'change',
    // A retraction is applied by its own event, whatever the version view says by the time it is read.
    retracted: false,
    stats: { ...version.stats },
    materiality: { level: version.materiality.level, reasons: [...version.materiality.reasons] },
    provisionsChanged: version.provisionChanges.length,
    provisions: changes,
    categoryIds: union(
      changes.flatMap((c) => [c.before?.categoryIds ?? [], c.after?.categoryIds ?? []]),
      NOT_A_SUBJECT,
    ),
    frameworks: union(changedForms.map((f) => f.frameworks)),
    referenceIds: union(changedForms.map((f) => f.referenceIds)),
    jurisdictionIds: union(changedForms.map((f) => f.jurisdictions.map((j) => j.id))),
    exposureBefore,
    exposureAfter,
    exposureDirection:
      first || exposureRank(exposureAfter) === exposureRank(exposureBefore)
        ? 'unchanged'
        : exposureRank(exposureAfter) > exposureRank(exposureBefore)
          ? 'raised'
          : 'lowered',
    statedDates,
    effectiveAt: statedEffectiveAt(statedDates),
  };
  return { written: [...closed, ...opened], open, entry };
}

/**
 * The forms in force just before `version`, from every form of the document: those opened earlier and not
 * closed before it, retracted ones left out. Deterministic whatever was written of `version` itself before a
 * crash, which makes re-applying a version safe.
 */
export function formsInForceBefore(
  forms: readonly ProvisionFormView[],
  version: number,
): Map<string, ProvisionFormView> {
  const open = new Map<string, ProvisionFormView>();
  for (const form of forms) {
    if (form.retracted || form.fromVersion >= version) continue;
    if (form.untilVersion !== null && form.untilVersion < version) continue;
    const reopened = form.untilVersion === null ? form : { ...form, untilVersion: null, validUntil: null };
    const existing = open.get(form.provisionId);
    if (!existing || existing.fromVersion < form.fromVersion) open.set(form.provisionId, reopened);
  }
  return open;
}

/**
 * A retracted version: its entry is marked, the forms it opened are retracted and the forms it closed are in
 * force again (the restored version's).
 */
export function retractVersion(
  entry: GovernanceEntry,
  documentForms: readonly ProvisionFormView[],
  version: number,
): { entry: GovernanceEntry; written: ProvisionFormView[] } {
  const written: ProvisionFormView[] = [];
  for (const form of documentForms) {
    if (form.fromVersion === version && !form.retracted) written.push({ ...form, retracted: true });
    else if (form.untilVersion === version && !form.retracted) {
      written.push({ ...form, untilVersion: null, validUntil: null });
    }
  }
  return { entry: { ...entry, retracted: true }, written };
}
