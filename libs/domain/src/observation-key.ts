import type { ObservationKey } from './document.events';

/** The key of an observation: what a fetch or its FetchRecorded says of when and what it observed. */
export const observationKeyOf = (
  fetch: { fetchedAt: string; sourcePart: string | null; fetchId: string },
  snapshotId: string,
): ObservationKey => ({
  fetchedAt: fetch.fetchedAt,
  sourcePart: fetch.sourcePart,
  snapshotId,
  fetchId: fetch.fetchId,
});

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Observed order: the instant observed (fetchedAt may carry any offset, so it is compared as a time, not as a
 * string), then the part ('' for a single page), the snapshot id and the fetch id, by UTF-16 code units. A total
 * order on distinct fetches, so that any arrival order of the same observations sorts to one sequence.
 */
export function compareObservations(a: ObservationKey, b: ObservationKey): number {
  const time = Date.parse(a.fetchedAt) - Date.parse(b.fetchedAt);
  if (time !== 0) return time < 0 ? -1 : 1;
  return (
    byCodeUnits(a.sourcePart ?? '', b.sourcePart ?? '') ||
    byCodeUnits(a.snapshotId, b.snapshotId) ||
    byCodeUnits(a.fetchId, b.fetchId)
  );
}
