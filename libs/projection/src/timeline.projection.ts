import {
  slug,
  type FetchRecorded,
  type ProvisionsAligned,
  type VersionRecorded,
  type VersionRetracted,
} from '@termline/domain';
import {
  summarise,
  type DocumentView,
  type ObservationView,
  type TimelineEntry,
  type VersionView,
} from '@termline/readmodels';
import type { VersionDiff } from '@termline/text';

/**
 * The timeline projection as pure functions of (current view, event) -> new views. The projector feeds them
 * events in stream order; a rebuild feeds them the same events, so it yields the same views.
 */

export function onFetchRecorded(
  current: DocumentView | null,
  event: FetchRecorded['data'],
  streamVersion: number,
): { document: DocumentView; observation: ObservationView } {
  const base: DocumentView = current ?? {
    documentId: event.documentId,
    service: event.service,
    serviceSlug: slug(event.service),
    documentType: event.documentType,
    appliedVersion: 0,
    versionCount: 0,
    changeCount: 0,
    latestVersion: null,
    firstFetchedAt: event.fetchedAt,
    lastFetchedAt: event.fetchedAt,
    lastChangedAt: null,
    fetchCount: 0,
    parts: [],
    lastFailure: null,
  };
  const parts = base.parts.some((p) => p.sourcePart === event.sourcePart)
    ? base.parts.map((p) =>
        p.sourcePart === event.sourcePart && event.fetchedAt >= p.lastFetchedAt
          ? { ...p, sourceUrl: event.sourceUrl, lastFetchedAt: event.fetchedAt }
          : p,
      )
    : [
        ...base.parts,
        { sourcePart: event.sourcePart, sourceUrl: event.sourceUrl, lastFetchedAt: event.fetchedAt },
      ];
  const document: DocumentView = {
    ...base,
    appliedVersion: streamVersion,
    fetchCount: base.fetchCount + 1,
    firstFetchedAt: event.fetchedAt < base.firstFetchedAt ? event.fetchedAt : base.firstFetchedAt,
    lastFetchedAt: event.fetchedAt > base.lastFetchedAt ? event.fetchedAt : base.lastFetchedAt,
    parts,
    lastFailure: event.failure
      ? {
          fetchId: event.fetchId,
          fetchedAt: event.fetchedAt,
          code: event.failure.code,
          reason: event.failure.reason,
        }
      : event.outcome === 'new-version' || event.outcome === 'text-unchanged'
        ? null
        : base.lastFailure,
  };
  const observation: ObservationView = {
    documentId: event.documentId,
    fetchId: event.fetchId,
    streamVersion,
    fetchedAt: event.fetchedAt,
    sourcePart: event.sourcePart,
    sourceUrl: event.sourceUrl,
    snapshotId: event.snapshotId,
    snapshotChanged: event.snapshotChanged,
    outcome: event.outcome,
    failure: event.failure,
    textSha256: event.textSha256,
    suppressedBy: event.suppressedBy,
  };
  return { document, observation };
}

export function onVersionRecorded(
  current: DocumentView,
  event: VersionRecorded['data'],
  streamVersion: number,
  diff: VersionDiff,
  aligned: ProvisionsAligned['data'] | null = null,
): { document: DocumentView; version: VersionView; entry: TimelineEntry } {
  const stats = { ...diff.stats };
  const summary = summarise(diff, aligned);
  const document: DocumentView = {
    ...current,
    appliedVersion: streamVersion,
    versionCount: Math.max(current.versionCount, event.version),
    changeCount: current.changeCount + (event.technicalUpgrade ? 0 : 1),
    latestVersion: { version: event.version, validFrom: event.validFrom, textSha256: event.textSha256 },
    lastChangedAt: event.technicalUpgrade ? current.lastChangedAt : event.validFrom,
  };
  const version: VersionView = {
    documentId: event.documentId,
    version: event.version,
    service: event.service,
    documentType: event.documentType,
    validFrom: event.validFrom,
    textSha256: event.textSha256,
    text: event.text,
    snapshots: event.snapshots,
    extractorVersion: event.extractorVersion,
    declarationHash: event.declarationHash,
    rulesFired: event.rulesFired,
    rulesNotApplied: event.rulesNotApplied,
    fetchId: event.fetchId,
    previousVersion: event.previousVersion,
    technicalUpgrade: event.technicalUpgrade,
    retracted: null,
    stats,
    ...summary,
  };
  const entry: TimelineEntry = {
    entryId: timelineEntryIdOf(event.documentId, event.version),
    documentId: event.documentId,
    service: event.service,
    serviceSlug: slug(event.service),
    documentType: event.documentType,
    version: event.version,
    at: event.validFrom,
    kind: event.technicalUpgrade ? 'technical-upgrade' : event.previousVersion === null ? 'first' : 'change',
    retracted: false,
    stats,
    materiality: summary.materiality,
    provisionsChanged: summary.provisionChanges.length,
  };
  return { document, version, entry };
}

export const timelineEntryIdOf = (documentId: string, version: number): string =>
  `${documentId}:${String(version).padStart(6, '0')}`;

/** A flip-back: the short-lived version is marked retracted and the restored one is current again. */
export function onVersionRetracted(
  current: DocumentView,
  retractedVersion: VersionView,
  restored: VersionView | null,
  entry: TimelineEntry,
  event: VersionRetracted['data'],
  streamVersion: number,
): { document: DocumentView; version: VersionView; entry: TimelineEntry } {
  return {
    document: {
      ...current,
      appliedVersion: streamVersion,
      changeCount: current.changeCount - (retractedVersion.technicalUpgrade ? 0 : 1),
      // None when the first version was incomplete: its replacement follows in the same commit.
      latestVersion: restored
        ? { version: restored.version, validFrom: restored.validFrom, textSha256: restored.textSha256 }
        : null,
    },
    version: {
      ...retractedVersion,
      retracted: { at: event.at, reason: event.reason, restoredVersion: event.restoredVersion },
    },
    entry: { ...entry, retracted: true },
  };
}
