import type { DocumentEvent } from './document.events';
import { effectiveEvents } from './observed-order';

/**
 * The versions of one document as an auditor reads them, folded from its events: when each text was first
 * observed, the last fetch that still confirmed it, and what it was built from, in observed order (revisions
 * in force, see observed-order.ts). Pure; used by exports and the replay CLI.
 */
export interface VersionRecord {
  documentId: string;
  service: string;
  documentType: string;
  version: number;
  observedAt: string;
  lastConfirmedAt: string;
  textSha256: string;
  text: string;
  snapshotIds: string[];
  /** Fetch ids of the snapshots the text was built from (one per part). */
  fetchId: string;
  extractorVersion: string;
  declarationHash: string | null;
  /** The extraction, normalisation and comparison rules that fired (see VersionRecorded.rulesFired). */
  rulesFired: string[];
  technicalUpgrade: boolean;
  /** Retracted as a flip-back: the text went back to the version before it within the window. */
  retracted: boolean;
}

export function versionHistoryOf(events: readonly DocumentEvent[]): VersionRecord[] {
  const versions: VersionRecord[] = [];
  let current: VersionRecord | null = null;
  for (const event of effectiveEvents(events)) {
    switch (event.type) {
      case 'VersionRecorded': {
        const { data } = event;
        current = {
          documentId: data.documentId,
          service: data.service,
          documentType: data.documentType,
          version: data.version,
          observedAt: data.validFrom,
          lastConfirmedAt: data.validFrom,
          textSha256: data.textSha256,
          text: data.text,
          snapshotIds: data.snapshots.map((s) => s.snapshotId),
          fetchId: data.fetchId,
          extractorVersion: data.extractorVersion,
          rulesFired: data.rulesFired,
          declarationHash: data.declarationHash,
          technicalUpgrade: data.technicalUpgrade,
          retracted: false,
        };
        versions.push(current);
        break;
      }
      case 'VersionRetracted': {
        const retracted = versions.find((v) => v.version === event.data.version);
        if (retracted) retracted.retracted = true;
        current = versions.find((v) => v.version === event.data.restoredVersion) ?? current;
        // The fetch that flipped back shows the restored text: it confirms that version. (An incomplete
        // version's replacement follows in the same commit and is current from then on.)
        if (event.data.reason === 'flip-back' && current && event.data.at > current.lastConfirmedAt) {
          current.lastConfirmedAt = event.data.at;
        }
        break;
      }
      case 'FetchRecorded': {
        const { data } = event;
        const confirms = data.outcome === 'text-unchanged' || data.outcome === 'snapshot-unchanged';
        if (current && confirms && data.fetchedAt > current.lastConfirmedAt)
          current.lastConfirmedAt = data.fetchedAt;
        break;
      }
      // A version's provisions are not part of its history line.
      case 'ProvisionsAligned':
        break;
    }
  }
  return versions;
}
