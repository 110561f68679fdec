import { createHash } from 'node:crypto';
import { linkOf, type ChainLink } from '../hash-chain';
import type { ExportEvent, ExportSource } from './export-source';

/** A small history in memory, shaped like the versioning service's: fetches, versions, an unchanged re-fetch. */
export interface FixtureCommit {
  fetchedAt: string;
  snapshot: string;
  /** The version's text when the fetch revealed one. */
  text?: string;
}

const sha = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');

export function fixtureSource(
  documents: Record<string, FixtureCommit[]>,
): ExportSource & { snapshots: Map<string, Buffer> } {
  const streams = new Map<string, { events: ExportEvent[]; links: ChainLink[] }>();
  const snapshots = new Map<string, Buffer>();
  for (const [documentId, commits] of Object.entries(documents)) {
    const streamId = `document:${documentId}`;
    const events: ExportEvent[] = [];
    const links: ChainLink[] = [];
    let version = 0;
    let previousHash: string | null = null;
    commits.forEach((commit, index) => {
      const content = Buffer.from(commit.snapshot, 'utf8');
      const snapshotId = sha(content);
      snapshots.set(snapshotId, content);
      const commitId = `fetch:${documentId}-${index + 1}`;
      const metadata = { correlationId: commitId, causationId: commitId, occurredAt: commit.fetchedAt };
      const firstVersion = events.length + 1;
      const commitEvents: ExportEvent[] = [
        {
          streamId,
          streamVersion: firstVersion,
          commitId,
          eventId: `${commitId}:fetch`,
          type: 'FetchRecorded',
          schemaVersion: 2,
          data: {
            documentId,
            fetchId: commitId,
            fetchedAt: commit.fetchedAt,
            snapshotId,
            outcome: commit.text ? 'new-version' : 'snapshot-unchanged',
          },
          metadata,
        },
      ];
      if (commit.text !== undefined) {
        version += 1;
        commitEvents.push({
          streamId,
          streamVersion: firstVersion + 1,
          commitId,
          eventId: `${commitId}:version`,
          type: 'VersionRecorded',
          schemaVersion: 2,
          data: {
            documentId,
            service: documentId.split('__')[0],
            documentType: documentId.split('__')[1],
            version,
            validFrom: commit.fetchedAt,
            textSha256: sha(commit.text),
            text: commit.text,
            extractorVersion: 'test-1',
            technicalUpgrade: false,
          },
          metadata,
        });
      }
      const link = linkOf({ streamId, commitId, firstVersion, previousHash, events: commitEvents });
      previousHash = link.hash;
      events.push(...commitEvents);
      links.push(link);
    });
    streams.set(streamId, { events, links });
  }
  return {
    snapshots,
    streamIds: () => Promise.resolve([...streams.keys()].sort()),
    readStream: (streamId) => Promise.resolve(streams.get(streamId)?.events ?? []),
    readChain: (streamId) => Promise.resolve(streams.get(streamId)?.links ?? []),
    snapshot: (snapshotId) => Promise.resolve(snapshots.get(snapshotId) ?? null),
    derived: (documentId, versions) =>
      Promise.resolve(
        versions.flatMap((version) => [
          {
            kind: 'version-summary' as const,
            documentId,
            version,
            taxonomyVersion: null,
            classifierVersion: null,
            data: { stats: { wordsAdded: version } },
          },
          {
            kind: 'governance-entry' as const,
            documentId,
            version,
            taxonomyVersion: 'tax-1',
            classifierVersion: 'cls-1',
            data: { categories: ['data-retention'], exposure: 'medium' },
          },
        ]),
      ),
  };
}
