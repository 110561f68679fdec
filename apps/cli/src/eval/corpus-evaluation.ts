import type { EventStore } from '@termline/eventstore';
import type { RejectedRecord } from '../replay/replay-records';
import { documentHistories } from '../replay/version-lines';
import {
  evaluateDocument,
  type OtaVersionResult,
  type Refusal,
  type TermlineVersion,
} from './document-match';
import type { ClassifiedOtaVersion } from './ota-versions';
import { fetchTracesOf, termlineVersionsOf } from './termline-history';

export type VersionFlags = Pick<TermlineVersion, 'technicalUpgrade' | 'retracted'> & { service: string };

export interface StoreEvaluation {
  results: OtaVersionResult[];
  /** Termline's versions, without their text: counting needs only what they are. */
  termline: VersionFlags[];
  /** OTA versions left out because some of their snapshots were not replayed (a --limit run). */
  outOfScope: number;
}

/**
 * Walks the store one document at a time (only that document's events in memory) and matches its versions
 * with OTA's. OTA versions whose snapshots were not all replayed are out of scope: a --limit run measures only
 * what it replayed.
 */
export async function evaluateStore(
  eventStore: EventStore,
  ota: readonly ClassifiedOtaVersion[],
  rejected: readonly RejectedRecord[],
): Promise<StoreEvaluation> {
  const refused = new Map<string, Refusal>(
    rejected.filter((r) => r.commit !== null).map((r) => [r.commit!, { code: r.code, reason: r.reason }]),
  );
  const otaByDocument = new Map<string, ClassifiedOtaVersion[]>();
  for (const version of ota) {
    const list = otaByDocument.get(version.documentId) ?? [];
    list.push(version);
    otaByDocument.set(version.documentId, list);
  }
  const replayed = new Set<string>(refused.keys());
  const evaluated: Array<{ results: OtaVersionResult[] }> = [];
  const termline: VersionFlags[] = [];

  for await (const history of documentHistories(eventStore)) {
    const traces = fetchTracesOf(history.events);
    for (const commit of traces.keys()) replayed.add(commit);
    const versions = termlineVersionsOf(history.versions, history.commits);
    for (const record of history.versions) {
      const flags = versions.find((v) => v.version === record.version)!;
      termline.push({
        service: record.service,
        technicalUpgrade: flags.technicalUpgrade,
        retracted: flags.retracted,
      });
    }
    const documentId = history.streamId.slice('document:'.length);
    const otaVersions = otaByDocument.get(documentId) ?? [];
    otaByDocument.delete(documentId);
    evaluated.push({ results: evaluateDocument({ ota: otaVersions, termline: versions, traces, refused }) });
  }
  // Documents Termline never saw: every one of their OTA versions is a miss (when its records were read).
  for (const otaVersions of otaByDocument.values()) {
    evaluated.push({
      results: evaluateDocument({ ota: otaVersions, termline: [], traces: new Map(), refused }),
    });
  }
  const all = evaluated.flatMap((e) => e.results);
  const inScope = all.filter((r) => r.ota.snapshotCommits.every((commit) => replayed.has(commit)));
  return { results: inScope, termline, outOfScope: all.length - inScope.length };
}
