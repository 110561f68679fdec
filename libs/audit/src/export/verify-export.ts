import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { CHAIN_ALGORITHM, sha256Hex, verifyChain, type ChainedEvent, type ChainLink } from '../hash-chain';
import { TarFormatError } from '../tar';
import { derivedHashOf, rootHashOf } from './build-export';
import { readExportFiles } from './export-formats';
import {
  emptyCounts,
  EXPORT_FORMAT,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  type ChainPosition,
  type ExportCounts,
  type ExportManifest,
  type ManifestStream,
} from './export-manifest';
import type { DerivedRecord, ExportEvent } from './export-source';
import { timelineInForce, versionsRecorded, type EventInForce } from './timeline-in-force';

/** Every check the verifier makes; each failure names one. */
export type VerifyCheck =
  | 'archive-truncated'
  | 'archive-corrupt'
  | 'manifest-missing'
  | 'manifest-invalid'
  | 'signature-missing'
  | 'signature-invalid'
  | 'signature-key-mismatch'
  | 'file-missing'
  | 'file-unlisted'
  | 'file-hash'
  | 'root-hash'
  | 'record-invalid'
  | 'event-order'
  | 'event-unchained'
  | 'commit-hash'
  | 'chain-link'
  | 'version-gap'
  | 'stream-mismatch'
  | 'range-mismatch'
  | 'event-text-hash'
  | 'text-missing'
  | 'text-mismatch'
  | 'text-unexpected'
  | 'snapshot-hash'
  | 'snapshot-missing'
  | 'count-mismatch'
  | 'derived-hash'
  | 'derived-version'
  | 'derived-producer'
  | 'known-hash-missing';

export interface VerifyProblem {
  check: VerifyCheck;
  /** The file, and within it the record (line or commit), the problem is about. */
  where: string;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  problems: VerifyProblem[];
  manifest: ExportManifest | null;
  /** What was checked: hashes recomputed, and so on. */
  checked: {
    files: number;
    commits: number;
    events: number;
    texts: number;
    snapshots: number;
    bytes: number;
  };
}

export interface VerifyOptions {
  /** The public key the bundle must be signed with (PEM or base64 SPKI DER). Without it, a signature is checked against the key the manifest names. */
  publicKey?: string;
  /**
   * Chain hashes the auditor obtained before (a head published by GET /v1/documents/{id}/chain): each must be a
   * link of the bundle or the anchor before its range. A history rewritten before such a hash cannot contain it,
   * even when every hash in the bundle was recomputed to match.
   */
  knownHashes?: readonly string[];
}

function parseLines<T>(path: string, content: Buffer, problems: VerifyProblem[]): T[] {
  const records: T[] = [];
  const lines = content.toString('utf8').split('\n');
  lines.forEach((line, index) => {
    if (line === '' && index === lines.length - 1) return;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      problems.push({
        check: 'record-invalid',
        where: `${path}:${index + 1}`,
        message: `line ${index + 1} is not JSON`,
      });
    }
  });
  return records;
}

const samePosition = (a: ChainPosition | null, b: ChainPosition | null): boolean =>
  a === null || b === null
    ? a === b
    : a.commitId === b.commitId && a.version === b.version && a.hash === b.hash;

function publicKeyOf(raw: string) {
  const trimmed = raw.trim();
  return trimmed.startsWith('-----')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

/**
 * Verifies an export (bundle or NDJSON form) on its own: no server, no database. Recomputes every file hash and the root hash,
 * every commit hash and the chain's continuity from the link before the range, the texts against their events,
 * every snapshot's sha256, the counts, and the manifest's signature. Reports every problem, not just the first.
 */
/**
 * The files of an export, read on demand: from memory, or from disk one at a time (the CLI indexes a bundle's
 * headers and reads each file when it is checked), so a bundle larger than memory can be verified.
 */
export interface ExportFiles {
  /** Total bytes of the export. */
  bytes: number;
  paths(): string[];
  get(path: string): Buffer | undefined;
}

export function exportFilesOf(bundle: Buffer): ExportFiles {
  const files = new Map(readExportFiles(bundle).map((entry) => [entry.path, entry.content]));
  return { bytes: bundle.length, paths: () => [...files.keys()], get: (path) => files.get(path) };
}

export function verifyExport(
  bundle: Buffer | (() => ExportFiles),
  options: VerifyOptions = {},
): VerifyReport {
  const problems: VerifyProblem[] = [];
  const bytes = Buffer.isBuffer(bundle) ? bundle.length : 0;
  try {
    return checkExport(Buffer.isBuffer(bundle) ? () => exportFilesOf(bundle) : bundle, options, problems);
  } catch (error) {
    // A record or manifest of a shape no Termline export has (valid JSON, wrong fields) must fail verification
    // with a reason, not stop the verifier.
    problems.push({
      check: 'record-invalid',
      where: 'bundle',
      message: `the export holds a record of an unexpected shape (${(error as Error).message}); nothing after it was checked`,
    });
    return {
      ok: false,
      problems,
      manifest: null,
      checked: { files: 0, commits: 0, events: 0, texts: 0, snapshots: 0, bytes },
    };
  }
}

function checkExport(
  open: () => ExportFiles,
  options: VerifyOptions,
  problems: VerifyProblem[],
): VerifyReport {
  const checked = { files: 0, commits: 0, events: 0, texts: 0, snapshots: 0, bytes: 0 };
  const report = (manifest: ExportManifest | null): VerifyReport => ({
    ok: problems.length === 0,
    problems,
    manifest,
    checked,
  });
  let files: ExportFiles;
  try {
    files = open();
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
    problems.push({ check: error.check, where: 'bundle', message: error.message });
    return report(null);
  }
  checked.bytes = files.bytes;
  const manifestBytes = files.get(MANIFEST_PATH);
  if (!manifestBytes) {
    problems.push({
      check: 'manifest-missing',
      where: MANIFEST_PATH,
      message: 'the bundle holds no manifest.json',
    });
    return report(null);
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as ExportManifest;
    if (
      manifest.format !== EXPORT_FORMAT ||
      !Array.isArray(manifest.files) ||
      !Array.isArray(manifest.streams)
    )
      throw new Error('shape');
  } catch {
    problems.push({
      check: 'manifest-invalid',
      where: MANIFEST_PATH,
      message: `manifest.json is not a ${EXPORT_FORMAT} manifest`,
    });
    return report(null);
  }
  if (manifest.chainAlgorithm !== CHAIN_ALGORITHM) {
    problems.push({
      check: 'manifest-invalid',
      where: MANIFEST_PATH,
      message: `unknown chain algorithm ${manifest.chainAlgorithm}`,
    });
    return report(manifest);
  }

  checkSignature(manifest, manifestBytes, files.get(SIGNATURE_PATH), options, problems);

  // Files and root hash.
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const content = files.get(entry.path);
    if (!content) {
      problems.push({
        check: 'file-missing',
        where: entry.path,
        message: `${entry.path} is listed in the manifest but not in the bundle`,
      });
      continue;
    }
    checked.files += 1;
    const actual = sha256Hex(content);
    if (actual !== entry.sha256 || content.length !== entry.bytes) {
      problems.push({
        check: 'file-hash',
        where: entry.path,
        message: `${entry.path} hashes to ${actual} (${content.length} bytes); the manifest lists ${entry.sha256} (${entry.bytes} bytes)`,
      });
    }
  }
  for (const path of files.paths()) {
    if (path !== MANIFEST_PATH && path !== SIGNATURE_PATH && !listed.has(path)) {
      problems.push({
        check: 'file-unlisted',
        where: path,
        message: `${path} is in the bundle but not in the manifest`,
      });
    }
  }
  const root = rootHashOf(manifest.files);
  if (root !== manifest.rootHash) {
    problems.push({
      check: 'root-hash',
      where: MANIFEST_PATH,
      message: `the files listed hash to root ${root}; the manifest states ${manifest.rootHash}`,
    });
  }

  // Streams: events, chain, texts.
  const counts: ExportCounts = emptyCounts();
  const snapshotIds = new Set<string>();
  const textPaths = new Set<string>();
  const seenHashes = new Set<string>();
  for (const stream of manifest.streams) {
    const base = `documents/${stream.documentId}`;
    counts.documents += 1;
    const chainBytes = files.get(`${base}/chain.ndjson`);
    const eventBytes = files.get(`${base}/events.ndjson`);
    if (!chainBytes || !eventBytes) continue; // reported as file-missing above
    const links = parseLines<ChainLink>(`${base}/chain.ndjson`, chainBytes, problems);
    for (const link of links) seenHashes.add(link.hash);
    if (stream.anchor) seenHashes.add(stream.anchor.hash);
    const events = parseLines<ExportEvent>(`${base}/events.ndjson`, eventBytes, problems);
    counts.commits += links.length;
    counts.events += events.length;
    checked.commits += links.length;
    checked.events += events.length;
    const byCommit = new Map<string, ChainedEvent[]>();
    let previous: ExportEvent | null = null;
    events.forEach((event, index) => {
      const where = `${base}/events.ndjson:${index + 1}`;
      if (event.streamId !== stream.streamId) {
        problems.push({
          check: 'stream-mismatch',
          where,
          message: `event ${event.eventId} names stream ${event.streamId}, not ${stream.streamId}`,
        });
      }
      if (previous && event.streamVersion <= previous.streamVersion) {
        problems.push({
          check: 'event-order',
          where,
          message: `event ${event.eventId} (version ${event.streamVersion}) comes after event ${previous.eventId} (version ${previous.streamVersion}): events are out of order`,
        });
      }
      previous = event;
      const list = byCommit.get(event.commitId);
      if (list) list.push(event);
      else byCommit.set(event.commitId, [event]);
    });
    const linked = new Set(links.map((link) => link.commitId));
    for (const [commitId, list] of byCommit) {
      if (!linked.has(commitId)) {
        problems.push({
          check: 'event-unchained',
          where: `${base}/events.ndjson`,
          message: `${list.length} event(s) of commit ${commitId} have no link in chain.ndjson`,
        });
      }
    }
    for (const problem of verifyChain(stream.streamId, links, byCommit, {
      hash: stream.anchor?.hash ?? null,
      lastVersion: stream.anchor ? stream.anchor.version : 0,
    })) {
      problems.push({
        check: problem.check,
        where: `${base}/chain.ndjson (commit ${problem.commitId})`,
        message: problem.message,
      });
    }
    const first = links[0];
    const last = links[links.length - 1];
    if (
      !last ||
      !first ||
      first.firstVersion !== stream.firstVersion ||
      !samePosition({ commitId: last.commitId, version: last.lastVersion, hash: last.hash }, stream.last) ||
      last.lastVersion !== stream.lastVersion
    ) {
      problems.push({
        check: 'range-mismatch',
        where: `${base}/chain.ndjson`,
        message: `the chain covers versions ${first?.firstVersion ?? '-'}-${last?.lastVersion ?? '-'} ending at ${last?.hash ?? 'nothing'}; the manifest states ${stream.firstVersion}-${stream.lastVersion} ending at ${stream.last.hash}`,
      });
    }
    if (stream.head.version === stream.lastVersion && !samePosition(stream.head, stream.last)) {
      problems.push({
        check: 'range-mismatch',
        where: MANIFEST_PATH,
        message: `${stream.streamId}: the head is the range's last commit, yet they differ`,
      });
    }
    for (const event of events) {
      const data = event.data as Record<string, unknown>;
      if (event.type === 'FetchRecorded') {
        counts.observations += 1;
        if (typeof data.snapshotId === 'string') snapshotIds.add(data.snapshotId);
      }
    }
    // Every text an event states, a revision's included, must hash as the event says.
    for (const { data, index } of versionsRecorded(events)) {
      const text = String(data.text);
      if (sha256Hex(text) !== data.textSha256) {
        problems.push({
          check: 'event-text-hash',
          where: `${base}/events.ndjson:${index + 1}`,
          message: `version ${String(data.version)}: its text hashes to ${sha256Hex(text)}, the event states ${String(data.textSha256)}`,
        });
      }
    }
    // The texts are those of the timeline in force (ADR 0024): in observed order, revisions applied.
    let inForce: EventInForce[] = [];
    try {
      inForce = timelineInForce(events);
    } catch (error) {
      problems.push({
        check: 'record-invalid',
        where: `${base}/events.ndjson`,
        message: `the events do not fold into a timeline: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const exportedVersions = new Set<number>();
    for (const { type, data } of inForce) {
      if (type === 'VersionRetracted') {
        counts.retractions += 1;
        continue;
      }
      counts.versions += 1;
      exportedVersions.add(Number(data.version));
      const text = String(data.text);
      const path = `${base}/texts/${String(data.version)}.txt`;
      textPaths.add(path);
      const file = files.get(path);
      if (!file) {
        problems.push({
          check: 'text-missing',
          where: path,
          message: `version ${String(data.version)} of ${stream.documentId} has no text file`,
        });
        continue;
      }
      counts.texts += 1;
      checked.texts += 1;
      if (file.toString('utf8') !== text || sha256Hex(file) !== data.textSha256) {
        problems.push({
          check: 'text-mismatch',
          where: path,
          message: `the text file hashes to ${sha256Hex(file)}; version ${String(data.version)}'s event states ${String(data.textSha256)}`,
        });
      }
    }
    const derivedBytes = files.get(`${base}/derived.ndjson`);
    const derived = derivedBytes
      ? parseLines<DerivedRecord>(`${base}/derived.ndjson`, derivedBytes, problems)
      : [];
    counts.derived += derived.length;
    checkDerived(manifest, stream, derived, exportedVersions, problems);
  }
  for (const path of files.paths()) {
    if (/^documents\/[^/]+\/texts\//.test(path) && !textPaths.has(path)) {
      problems.push({
        check: 'text-unexpected',
        where: path,
        message: `${path} is the text of no VersionRecorded event in the bundle`,
      });
    }
  }

  for (const hash of options.knownHashes ?? []) {
    if (!seenHashes.has(hash)) {
      problems.push({
        check: 'known-hash-missing',
        where: 'bundle',
        message: `the known chain hash ${hash} is not a link of this export: the history was rewritten before it, or the export does not cover it`,
      });
    }
  }

  // Snapshots.
  const snapshotFiles = files.paths().filter((path) => path.startsWith('snapshots/'));
  for (const path of snapshotFiles) {
    const id = path.slice('snapshots/'.length);
    const actual = sha256Hex(files.get(path)!);
    checked.snapshots += 1;
    counts.snapshots += 1;
    if (actual !== id)
      problems.push({ check: 'snapshot-hash', where: path, message: `snapshot ${id} hashes to ${actual}` });
  }
  const present = new Set(files.paths());
  if (manifest.request.includeSnapshots) {
    for (const id of snapshotIds) {
      if (!present.has(`snapshots/${id}`))
        problems.push({
          check: 'snapshot-missing',
          where: `snapshots/${id}`,
          message: `snapshot ${id}, fetched in the range, is not in the bundle`,
        });
    }
  }

  for (const key of Object.keys(counts) as Array<keyof ExportCounts>) {
    if (manifest.counts?.[key] !== counts[key]) {
      problems.push({
        check: 'count-mismatch',
        where: MANIFEST_PATH,
        message: `counts.${key}: the bundle holds ${counts[key]}, the manifest states ${String(manifest.counts?.[key])}`,
      });
    }
  }
  return report(manifest);
}

/**
 * Derived records (format 2): each line must hash to the manifest's entry for it, in the same order, name this
 * document and a version the export holds, and name the producers the manifest states. A record edited after the
 * export fails here with its line and kind, beside the file hash that also fails.
 */
function checkDerived(
  manifest: ExportManifest,
  stream: ManifestStream,
  records: readonly DerivedRecord[],
  exportedVersions: ReadonlySet<number>,
  problems: VerifyProblem[],
): void {
  const path = `documents/${stream.documentId}/derived.ndjson`;
  const listed = stream.derived;
  if (listed === undefined) {
    if (manifest.formatVersion >= 2 && records.length > 0)
      problems.push({
        check: 'derived-hash',
        where: path,
        message: `${records.length} derived record(s) are not listed in the manifest`,
      });
    return;
  }
  if (listed.length !== records.length) {
    problems.push({
      check: 'derived-hash',
      where: path,
      message: `the file holds ${records.length} derived record(s); the manifest lists ${listed.length}`,
    });
  }
  records.forEach((record, index) => {
    const where = `${path}:${index + 1}`;
    const entry = listed[index];
    const what = `${String(record.kind)} of version ${String(record.version)}`;
    const actual = derivedHashOf(record);
    if (
      entry &&
      (actual !== entry.sha256 || entry.kind !== record.kind || entry.version !== record.version)
    ) {
      problems.push({
        check: 'derived-hash',
        where,
        message: `derived record ${index + 1} (${what}) hashes to ${actual}; the manifest lists ${entry.kind} of version ${entry.version} with ${entry.sha256}`,
      });
    }
    if (record.documentId !== stream.documentId || !exportedVersions.has(record.version)) {
      problems.push({
        check: 'derived-version',
        where,
        message: `derived record ${index + 1} (${what}) is about ${String(record.documentId)} version ${String(record.version)}, which this export does not hold`,
      });
    }
    const producers = manifest.producers;
    if (
      (record.taxonomyVersion != null && record.taxonomyVersion !== producers?.taxonomyVersion) ||
      (record.classifierVersion != null && record.classifierVersion !== producers?.classifierVersion)
    ) {
      problems.push({
        check: 'derived-producer',
        where,
        message: `derived record ${index + 1} (${what}) was made by taxonomy ${String(record.taxonomyVersion)} and classifier ${String(record.classifierVersion)}; the manifest names ${String(producers?.taxonomyVersion)} and ${String(producers?.classifierVersion)}`,
      });
    }
  });
}

function checkSignature(
  manifest: ExportManifest,
  manifestBytes: Buffer,
  signatureFile: Buffer | undefined,
  options: VerifyOptions,
  problems: VerifyProblem[],
): void {
  if (!manifest.signature) {
    if (options.publicKey)
      problems.push({
        check: 'signature-missing',
        where: MANIFEST_PATH,
        message: 'a signing key was expected, but the manifest is not signed',
      });
    else if (signatureFile)
      // The manifest was signed, but its signature block is gone or renamed (one damaged byte in its key does it):
      // without it the signature cannot be checked, and an unchecked manifest must not pass.
      problems.push({
        check: 'signature-invalid',
        where: MANIFEST_PATH,
        message:
          'the bundle holds manifest.sig, but the manifest names no signing key: the signature cannot be checked',
      });
    return;
  }
  if (!signatureFile) {
    problems.push({
      check: 'signature-missing',
      where: SIGNATURE_PATH,
      message: 'the manifest names a signature, but the bundle holds no manifest.sig',
    });
    return;
  }
  let signedBy;
  try {
    signedBy = publicKeyOf(manifest.signature.publicKey);
  } catch {
    problems.push({
      check: 'signature-invalid',
      where: MANIFEST_PATH,
      message: 'the public key in the manifest is not a key',
    });
    return;
  }
  if (options.publicKey) {
    const expected = publicKeyOf(options.publicKey).export({ type: 'spki', format: 'der' });
    if (!expected.equals(signedBy.export({ type: 'spki', format: 'der' }))) {
      problems.push({
        check: 'signature-key-mismatch',
        where: MANIFEST_PATH,
        message: `the manifest is signed by key ${manifest.signature.keyId}, not by the key given to the verifier`,
      });
    }
  }
  // Read strictly: Node's base64 decoder skips characters outside the alphabet, so a damaged file ("LBQ<=" for
  // "LBQ==") would decode to the same signature and verify while a file of the bundle had changed.
  const written = signatureFile.toString('latin1');
  const signature = Buffer.from(written.trim(), 'base64');
  if (written !== `${signature.toString('base64')}\n`) {
    problems.push({
      check: 'signature-invalid',
      where: SIGNATURE_PATH,
      message: 'manifest.sig is not one line of canonical base64, as the exporter writes it',
    });
    return;
  }
  if (!verifySignature(null, manifestBytes, signedBy, signature)) {
    problems.push({
      check: 'signature-invalid',
      where: SIGNATURE_PATH,
      message: `manifest.sig is not a valid Ed25519 signature of manifest.json by key ${manifest.signature.keyId}`,
    });
  }
}
