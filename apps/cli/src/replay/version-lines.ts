import {
  upcastDocumentEvent,
  versionHistoryOf,
  type DocumentEvent,
  type VersionRecord,
} from '@termline/domain';
import type { EventStore } from '@termline/eventstore';
import { commitOfFetchId } from './snapshot-record';

/**
 * The replay's output: one line per version, as versionHistoryOf folds it, plus the record commits behind each
 * snapshot. Snapshots are content-addressed, so one snapshot id can stand for several commits that fetched the
 * same bytes (a page that flipped back): all of them are listed.
 */
export interface VersionLine {
  documentId: string;
  service: string;
  documentType: string;
  version: number;
  observedAt: string;
  lastConfirmedAt: string;
  textSha256: string;
  snapshotIds: string[];
  snapshotCommits: Record<string, string[]>;
  extractorVersion: string;
  technicalUpgrade: boolean;
  text: string;
  [more: string]: unknown;
}

/** Snapshot id -> commits of the records that had those bytes, from a document's FetchRecorded events. */
export function commitsBySnapshot(events: readonly DocumentEvent[]): Map<string, string[]> {
  const commits = new Map<string, string[]>();
  for (const event of events) {
    if (event.type !== 'FetchRecorded') continue;
    const commit = commitOfFetchId(event.data.fetchId);
    if (commit === null) continue;
    const list = commits.get(event.data.snapshotId);
    if (!list) commits.set(event.data.snapshotId, [commit]);
    else if (!list.includes(commit)) list.push(commit);
  }
  return commits;
}

// Fields of VersionRecord the line leaves out: the fetch id is in snapshotCommits, the declaration hash is internal.
const OMITTED = new Set(['fetchId', 'declarationHash']);

export function versionLine(
  record: VersionRecord,
  commits: ReadonlyMap<string, readonly string[]>,
): VersionLine {
  const line: VersionLine = {
    documentId: record.documentId,
    service: record.service,
    documentType: record.documentType,
    version: record.version,
    observedAt: record.observedAt,
    lastConfirmedAt: record.lastConfirmedAt,
    textSha256: record.textSha256,
    snapshotIds: record.snapshotIds,
    snapshotCommits: Object.fromEntries(record.snapshotIds.map((id) => [id, [...(commits.get(id) ?? [])]])),
    extractorVersion: record.extractorVersion,
    technicalUpgrade: record.technicalUpgrade,
    text: record.text,
  };
  // Fields the domain adds later (a retraction, say) pass through rather than being dropped silently.
  for (const [key, value] of Object.entries(record)) {
    if (!(key in line) && !OMITTED.has(key)) line[key] = value;
  }
  return line;
}

export interface DocumentHistory {
  streamId: string;
  events: DocumentEvent[];
  versions: VersionRecord[];
  commits: Map<string, string[]>;
}

/** Every document of the store, one at a time, so that only one document's events are in memory. */
export async function* documentHistories(eventStore: EventStore): AsyncGenerator<DocumentHistory> {
  for (const streamId of await eventStore.streamIds()) {
    if (!streamId.startsWith('document:')) continue;
    const events = (await eventStore.readStream(streamId)).map(upcastDocumentEvent);
    yield { streamId, events, versions: versionHistoryOf(events), commits: commitsBySnapshot(events) };
  }
}

export async function* versionLines(eventStore: EventStore): AsyncGenerator<VersionLine> {
  for await (const history of documentHistories(eventStore)) {
    for (const record of history.versions) yield versionLine(record, history.commits);
  }
}
