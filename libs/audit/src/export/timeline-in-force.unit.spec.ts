import { createHash } from 'node:crypto';
import { linkOf, type ChainLink } from '../hash-chain';
import { readTar, tarEnd, tarEntry } from '../tar';
import { buildExport } from './build-export';
import type { ExportEvent, ExportSource } from './export-source';
import { verifyExport } from './verify-export';
import { bundleOf } from './write-bundle';

/**
 * An export of a revised timeline (ADR 0024): the events stay in arrival order under the chain, the texts and the
 * timeline follow the observations' order. Given a live fetch (t=5, text B) then a late one (t=1, text A), the
 * in-force versions are 1 = A and 2 = B, though the stream's own VersionRecorded says 1 = B.
 */
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const DOC = 'acme__terms';
const STREAM = `document:${DOC}`;

const fetchRecorded = (fetchId: string, fetchedAt: string, snapshot: string, outcome: string) => ({
  type: 'FetchRecorded',
  data: { documentId: DOC, fetchId, fetchedAt, sourcePart: null, snapshotId: sha(snapshot), outcome },
});
const versionRecorded = (
  version: number,
  text: string,
  validFrom: string,
  previousVersion: number | null,
) => ({
  type: 'VersionRecorded',
  data: {
    documentId: DOC,
    service: 'acme',
    documentType: 'terms',
    version,
    validFrom,
    textSha256: sha(text),
    text,
    extractorVersion: 'test-1',
    technicalUpgrade: false,
    previousVersion,
  },
});

function revisedSource(): ExportSource {
  const commits = [
    {
      commitId: 'fetch:live',
      events: [
        fetchRecorded('live', '2026-01-05T00:00:00Z', 'B', 'new-version'),
        versionRecorded(1, 'B', '2026-01-05T00:00:00Z', null),
      ],
    },
    {
      commitId: 'fetch:old',
      events: [
        fetchRecorded('old', '2026-01-01T00:00:00Z', 'A', 'out-of-order'),
        {
          type: 'TimelineRevised',
          data: {
            documentId: DOC,
            fetchId: 'old',
            from: {
              fetchedAt: '2026-01-01T00:00:00Z',
              sourcePart: null,
              snapshotId: sha('A'),
              fetchId: 'old',
            },
            events: [
              fetchRecorded('old', '2026-01-01T00:00:00Z', 'A', 'new-version'),
              versionRecorded(1, 'A', '2026-01-01T00:00:00Z', null),
              fetchRecorded('live', '2026-01-05T00:00:00Z', 'B', 'new-version'),
              versionRecorded(2, 'B', '2026-01-05T00:00:00Z', 1),
            ],
            state: {},
          },
        },
      ],
    },
  ];
  const events: ExportEvent[] = [];
  const links: ChainLink[] = [];
  let previousHash: string | null = null;
  for (const { commitId, events: raw } of commits) {
    const firstVersion = events.length + 1;
    const stored: ExportEvent[] = raw.map((event, index) => ({
      streamId: STREAM,
      streamVersion: firstVersion + index,
      commitId,
      eventId: `${commitId}:${index}`,
      schemaVersion: 3,
      metadata: { occurredAt: '2026-02-01T00:00:00Z' },
      ...event,
    }));
    const link = linkOf({ streamId: STREAM, commitId, firstVersion, previousHash, events: stored });
    previousHash = link.hash;
    events.push(...stored);
    links.push(link);
  }
  return {
    streamIds: () => Promise.resolve([STREAM]),
    readStream: () => Promise.resolve(events),
    readChain: () => Promise.resolve(links),
    snapshot: () => Promise.resolve(null),
    derived: () => Promise.resolve([]),
  };
}

const exportOf = async () =>
  bundleOf(
    buildExport(revisedSource(), {
      request: { scope: { kind: 'collection' }, from: null, to: null, includeSnapshots: false },
      requestedBy: 'test',
      createdAt: '2026-02-01T00:00:00Z',
    }),
  );

describe('export of a revised timeline', () => {
  it('keeps the events in arrival order and writes the texts and timeline in observed order, and verifies', async () => {
    const { bundle, manifest } = await exportOf();
    const files = new Map(readTar(bundle).map((f) => [f.path, f.content.toString('utf8')]));
    expect(files.get(`documents/${DOC}/texts/1.txt`)).toBe('A');
    expect(files.get(`documents/${DOC}/texts/2.txt`)).toBe('B');
    const types = files
      .get(`documents/${DOC}/events.ndjson`)!
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toEqual(['FetchRecorded', 'VersionRecorded', 'FetchRecorded', 'TimelineRevised']);
    expect(
      files
        .get('timeline.csv')!
        .split('\r\n')
        .slice(1, 3)
        .map((row) => row.split(',')[4]),
    ).toEqual(['1', '2']);
    expect(manifest.counts).toMatchObject({ observations: 2, versions: 2, texts: 2 });
    expect(manifest.producers.timelineOrder).toMatch(/arrival order.*observed order/);
    expect(verifyExport(bundle).problems).toEqual([]);
  });

  it('refuses the texts of arrival order in place of the timeline in force', async () => {
    const { bundle } = await exportOf();
    // Version 1 as the stream first recorded it (B): a text of the stream, but not version 1 of the timeline in force.
    const files = readTar(bundle).map((f) =>
      f.path === `documents/${DOC}/texts/1.txt` ? { ...f, content: Buffer.from('B') } : f,
    );
    const repacked = Buffer.concat([...files.flatMap((f) => tarEntry(f.path, f.content)), tarEnd()]);
    const checks = verifyExport(repacked).problems.map((p) => p.check);
    expect(checks).toContain('text-mismatch');
  });

  it("checks a revision's own texts against their hashes", async () => {
    const { bundle } = await exportOf();
    const files = readTar(bundle).map((f) =>
      f.path === `documents/${DOC}/events.ndjson`
        ? { ...f, content: Buffer.from(f.content.toString('utf8').replace('"text":"A"', '"text":"a"')) }
        : f,
    );
    const repacked = Buffer.concat([...files.flatMap((f) => tarEntry(f.path, f.content)), tarEnd()]);
    const problems = verifyExport(repacked).problems;
    expect(problems.find((p) => p.check === 'event-text-hash')?.where).toBe(
      `documents/${DOC}/events.ndjson:4`,
    );
  });
});
