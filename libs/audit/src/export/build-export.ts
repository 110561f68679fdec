import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import { CHAIN_ALGORITHM, sha256Hex, type ChainLink } from '../hash-chain';
import {
  emptyCounts,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  MANIFEST_PATH,
  positionOf,
  SIGNATURE_PATH,
  type ExportCounts,
  type ExportManifest,
  type ExportRequest,
  type ManifestFile,
  type ManifestSignature,
  type ManifestStream,
} from './export-manifest';
import type { ExportEvent, ExportSource } from './export-source';
import { timelineCsv, type TimelineRow } from './timeline-csv';
import { timelineInForce } from './timeline-in-force';

export interface ExportFile {
  path: string;
  content: Buffer;
}

export interface ExportOptions {
  request: ExportRequest;
  requestedBy: string;
  createdAt: string;
  /** An Ed25519 private key: the manifest is signed into manifest.sig. */
  signingKey?: KeyObject;
  taxonomyVersion?: string | null;
  classifierVersion?: string | null;
}

const DOCUMENT_PREFIX = 'document:';
const documentIdOf = (streamId: string): string => streamId.slice(DOCUMENT_PREFIX.length);

/** The instant a commit stands for: the fetch it records, else when it was recorded. */
export function commitTime(events: readonly ExportEvent[]): string {
  const fetch = events.find((event) => event.type === 'FetchRecorded');
  const fetchedAt = (fetch?.data as { fetchedAt?: unknown } | undefined)?.fetchedAt;
  return typeof fetchedAt === 'string' ? fetchedAt : events[0]!.metadata.occurredAt;
}

const within = (at: string, from: string | null, to: string | null): boolean => {
  const t = Date.parse(at);
  return (from === null || t >= Date.parse(from)) && (to === null || t <= Date.parse(to));
};

/**
 * The commits of a stream an export covers: from the first commit dated inside the range to the last one, with
 * everything between them (a fetch recorded out of order inside the span stays, or the chain would have a hole).
 */
export function selectSpan(
  links: readonly ChainLink[],
  times: ReadonlyMap<string, string>,
  from: string | null,
  to: string | null,
): { start: number; end: number } | null {
  let start = -1;
  let end = -1;
  links.forEach((link, index) => {
    if (!within(times.get(link.commitId) ?? '', from, to)) return;
    if (start === -1) start = index;
    end = index;
  });
  return start === -1 ? null : { start, end };
}

function inScope(streamId: string, request: ExportRequest): boolean {
  if (!streamId.startsWith(DOCUMENT_PREFIX)) return false;
  const documentId = documentIdOf(streamId);
  switch (request.scope.kind) {
    case 'document':
      return documentId === request.scope.documentId;
    case 'service':
      return documentId.startsWith(`${request.scope.service}__`);
    case 'collection':
      return true;
  }
}

// Work done between two turns of the event loop, and the size of the pieces a file's text is encoded in.
const SLICE_MS = 20;
const PIECE_CHARS = 1 << 20;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Records as a file of canonical JSON lines, with its sha256, built a slice of work at a time: the export of a long
 * document (tens of thousands of derived records, a hundred megabytes) leaves the event loop free every few
 * milliseconds instead of holding it for seconds. `each` sees every record's line (without its newline).
 */
async function ndjsonFile(
  records: readonly unknown[],
  each?: (line: string) => void,
): Promise<{ content: Buffer; sha256: string }> {
  const hash = createHash('sha256');
  const pieces: Buffer[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  const encode = () => {
    const piece = Buffer.from(pending.join(''), 'utf8');
    hash.update(piece);
    pieces.push(piece);
    pending = [];
    pendingChars = 0;
  };
  let sliceStarted = performance.now();
  for (let index = 0; index < records.length; index++) {
    const line = canonicalJson(records[index]);
    each?.(line);
    pending.push(line, '\n');
    pendingChars += line.length + 1;
    if (pendingChars >= PIECE_CHARS) encode();
    if (performance.now() - sliceStarted >= SLICE_MS) {
      await nextTurn();
      sliceStarted = performance.now();
    }
  }
  encode();
  return { content: await joined(pieces), sha256: hash.digest('hex') };
}

/** Pieces copied into one buffer a slice at a time (one copy of a hundred megabytes holds the loop for 0.3 s). */
async function joined(pieces: readonly Buffer[]): Promise<Buffer> {
  if (pieces.length === 1) return pieces[0]!;
  const whole = Buffer.allocUnsafe(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  let sliceStarted = performance.now();
  for (const piece of pieces) {
    at += piece.copy(whole, at);
    if (performance.now() - sliceStarted >= SLICE_MS) {
      await nextTurn();
      sliceStarted = performance.now();
    }
  }
  return whole;
}

export function signatureOf(key: KeyObject): ManifestSignature {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return {
    algorithm: 'Ed25519',
    keyId: createHash('sha256').update(der).digest('hex'),
    publicKey: der.toString('base64'),
  };
}

/**
 * Builds an export file by file, in the order a bundle holds them (every data file, then the manifest and its
 * signature), so a writer can stream it: only one document's events are in memory at a time.
 */
export async function* buildExport(
  source: ExportSource,
  options: ExportOptions,
): AsyncGenerator<ExportFile, ExportManifest> {
  const { request } = options;
  const files: ManifestFile[] = [];
  const streams: ManifestStream[] = [];
  const counts: ExportCounts = emptyCounts();
  const extractorVersions = new Set<string>();
  const taxonomyVersions = new Set<string>();
  const classifierVersions = new Set<string>();
  const snapshotIds = new Set<string>();
  const timeline: TimelineRow[] = [];
  const file = (path: string, content: Buffer, sha256 = sha256Hex(content)): ExportFile => {
    files.push({ path, sha256, bytes: content.length });
    return { path, content };
  };
  const ndjson = async (path: string, records: readonly unknown[]): Promise<ExportFile> => {
    const { content, sha256 } = await ndjsonFile(records);
    return file(path, content, sha256);
  };

  for (const streamId of (await source.streamIds()).filter((id) => inScope(id, request))) {
    const links = await source.readChain(streamId);
    if (links.length === 0) continue;
    const events = await source.readStream(streamId);
    const byCommit = new Map<string, ExportEvent[]>();
    for (const event of events) {
      const list = byCommit.get(event.commitId);
      if (list) list.push(event);
      else byCommit.set(event.commitId, [event]);
    }
    const times = new Map(
      links.map((link) => [link.commitId, commitTime(byCommit.get(link.commitId) ?? [])]),
    );
    const span = selectSpan(links, times, request.from, request.to);
    if (!span) continue;
    const covered = links.slice(span.start, span.end + 1);
    const coveredEvents = covered.flatMap((link) => byCommit.get(link.commitId) ?? []);
    const linkOfCommit = new Map(covered.map((link) => [link.commitId, link]));
    const documentId = documentIdOf(streamId);
    const base = `documents/${documentId}`;
    const anchor = span.start > 0 ? links[span.start - 1]! : null;
    const stream: ManifestStream = {
      streamId,
      documentId,
      anchor: anchor ? positionOf(anchor) : null,
      firstVersion: covered[0]!.firstVersion,
      lastVersion: covered[covered.length - 1]!.lastVersion,
      last: positionOf(covered[covered.length - 1]!),
      head: positionOf(links[links.length - 1]!),
      commits: covered.length,
      events: coveredEvents.length,
    };
    streams.push(stream);
    counts.documents += 1;
    counts.commits += covered.length;
    counts.events += coveredEvents.length;
    yield await ndjson(`${base}/chain.ndjson`, covered);
    yield await ndjson(`${base}/events.ndjson`, coveredEvents);
    const versions: number[] = [];
    for (const event of coveredEvents) {
      const data = event.data as Record<string, unknown>;
      if (event.type === 'FetchRecorded') {
        counts.observations += 1;
        if (typeof data.snapshotId === 'string') snapshotIds.add(data.snapshotId);
      }
    }
    // Versions as the timeline in force has them: in observed order, a late observation's revision applied.
    for (const { type, data, holder } of timelineInForce(coveredEvents)) {
      const row = { event: { ...holder, type, data }, link: linkOfCommit.get(holder.commitId)! };
      if (type === 'VersionRecorded') {
        counts.versions += 1;
        counts.texts += 1;
        versions.push(data.version as number);
        extractorVersions.add(String(data.extractorVersion));
        timeline.push(row);
        yield file(`${base}/texts/${String(data.version)}.txt`, Buffer.from(String(data.text), 'utf8'));
      } else {
        counts.retractions += 1;
        timeline.push(row);
      }
    }
    const derived = versions.length > 0 ? await source.derived(documentId, versions) : [];
    for (const record of derived) {
      if (record.taxonomyVersion !== null) taxonomyVersions.add(record.taxonomyVersion);
      if (record.classifierVersion !== null) classifierVersions.add(record.classifierVersion);
    }
    // Each record's hash is that of its line (derivedHashOf): written once, hashed as it is written.
    const lineHashes: string[] = [];
    const written =
      derived.length > 0 ? await ndjsonFile(derived, (line) => lineHashes.push(sha256Hex(line))) : null;
    stream.derived = derived.map((record, index) => ({
      kind: record.kind,
      version: record.version,
      sha256: lineHashes[index]!,
    }));
    if (written) {
      counts.derived += derived.length;
      yield file(`${base}/derived.ndjson`, written.content, written.sha256);
    }
  }
  if (request.includeSnapshots) {
    for (const snapshotId of [...snapshotIds].sort()) {
      const content = await source.snapshot(snapshotId);
      if (!content)
        throw new Error(`Snapshot ${snapshotId} is referenced by the history but missing from the archive`);
      counts.snapshots += 1;
      yield file(`snapshots/${snapshotId}`, content);
    }
  }
  yield file('timeline.csv', Buffer.from(timelineCsv(timeline), 'utf8'));

  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    createdAt: options.createdAt,
    requestedBy: options.requestedBy,
    request,
    chainAlgorithm: CHAIN_ALGORITHM,
    counts,
    streams,
    producers: {
      extractorVersions: [...extractorVersions].sort(),
      taxonomyVersion: options.taxonomyVersion ?? onlyOne(taxonomyVersions, 'taxonomy'),
      classifierVersion: options.classifierVersion ?? onlyOne(classifierVersions, 'classifier'),
      timelineOrder:
        'events.ndjson and chain.ndjson are in arrival order, which the chain proves; a TimelineRevised event replaces the decisions of the observations from its key on (ADR 0024), and the texts, timeline.csv and derived records follow the timeline in force, in observed order',
      derivedNote:
        'derived.ndjson records (version summaries, diffs, regulatory mappings) are computed from the chained events by the producers named here; each is pinned by its sha256 in the manifest, so they are covered by the root hash and signature, not by the chain',
    },
    files,
    rootHash: rootHashOf(files),
    signature: options.signingKey ? signatureOf(options.signingKey) : null,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  yield { path: MANIFEST_PATH, content: manifestBytes };
  if (options.signingKey) {
    yield {
      path: SIGNATURE_PATH,
      content: Buffer.from(`${sign(null, manifestBytes, options.signingKey).toString('base64')}\n`, 'ascii'),
    };
  }
  return manifest;
}

/** A derived record's hash, as the manifest lists it: sha256 of its canonical JSON (its line without the newline). */
export const derivedHashOf = (record: unknown): string => sha256Hex(canonicalJson(record));

/** One generation per export: the manifest names one taxonomy and one classifier version behind every mapping. */
function onlyOne(values: ReadonlySet<string>, what: string): string | null {
  if (values.size > 1)
    throw new Error(
      `The derived records name several ${what} versions (${[...values].join(', ')}); an export holds one`,
    );
  return values.size === 1 ? [...values][0]! : null;
}

export const rootHashOf = (files: readonly ManifestFile[]): string => sha256Hex(canonicalJson(files));
