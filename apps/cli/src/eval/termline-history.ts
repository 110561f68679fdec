import { effectiveEvents, type DocumentEvent, type VersionRecord } from '@termline/domain';
import { commitOfFetchId } from '../replay/snapshot-record';
import type { FetchTrace, TermlineVersion } from './document-match';

/** Termline's versions of a document, with the record commits behind each snapshot. */
export function termlineVersionsOf(
  versions: readonly VersionRecord[],
  commitsBySnapshot: ReadonlyMap<string, readonly string[]>,
): TermlineVersion[] {
  return versions.map((record) => ({
    version: record.version,
    observedAt: record.observedAt,
    commits: new Set(record.snapshotIds.flatMap((id) => commitsBySnapshot.get(id) ?? [])),
    fetchCommit: commitOfFetchId(record.fetchId),
    text: record.text,
    technicalUpgrade: record.technicalUpgrade,
    // Older builds of the domain have no retraction: read it when it is there.
    retracted: (record as { retracted?: boolean }).retracted === true,
  }));
}

/** What Termline made of each record of the document, and which version was in force after it. */
export function fetchTracesOf(events: readonly DocumentEvent[]): Map<string, FetchTrace> {
  const traces = new Map<string, FetchTrace>();
  let current: number | null = null;
  let last: FetchTrace | null = null;
  // In observed order, revisions in force (ADR 0024): a round's parts that arrived out of order are read sorted.
  for (const event of effectiveEvents(events)) {
    const type: string = event.type;
    if (type === 'FetchRecorded' && event.type === 'FetchRecorded') {
      const { data } = event;
      const commit = commitOfFetchId(data.fetchId);
      last = {
        commit: commit ?? data.fetchId,
        fetchedAt: data.fetchedAt,
        sourcePart: data.sourcePart,
        position: traces.size,
        outcome: data.outcome,
        failure: data.failure,
        versionAfter: current,
      };
      if (commit !== null) traces.set(commit, last);
    } else if (type === 'VersionRecorded' && event.type === 'VersionRecorded') {
      current = event.data.version;
      if (last) last.versionAfter = current;
    } else if (type === 'VersionRetracted') {
      const restored = (event.data as { restoredVersion?: number }).restoredVersion;
      if (typeof restored === 'number') current = restored;
      if (last) last.versionAfter = current;
    }
  }
  return traces;
}
