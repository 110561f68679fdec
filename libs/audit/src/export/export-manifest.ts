import type { ChainLink } from '../hash-chain';

/** The manifest of an export bundle (ADR 0012): what was asked, what is inside, and the hashes that pin it. */
export const EXPORT_FORMAT = 'termline-export';
/** 2: derived records are listed one by one in the manifest (kind, version, hash); 1 had them as a file only. */
export const EXPORT_FORMAT_VERSION = 2;
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';

export type ExportScope =
  { kind: 'document'; documentId: string } | { kind: 'service'; service: string } | { kind: 'collection' };

export interface ExportRequest {
  scope: ExportScope;
  /** ISO 8601 instants, inclusive; null: open. */
  from: string | null;
  to: string | null;
  includeSnapshots: boolean;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** A position in a chain: a commit, the stream version it ends at, and its hash. */
export interface ChainPosition {
  commitId: string;
  version: number;
  hash: string;
}

export interface ManifestStream {
  streamId: string;
  documentId: string;
  /** The link just before the exported range: the range follows it. Null when the range starts the stream. */
  anchor: ChainPosition | null;
  /** Versions covered, inclusive. */
  firstVersion: number;
  lastVersion: number;
  last: ChainPosition;
  /** The stream's head when exported (beyond the range when the range ends earlier). */
  head: ChainPosition;
  commits: number;
  events: number;
  /** One entry per line of derived.ndjson, in order (format 2; absent in format 1). */
  derived?: ManifestDerived[];
}

/** A derived record as the manifest pins it: what it is, which version it is about, its canonical JSON's sha256. */
export interface ManifestDerived {
  kind: string;
  version: number;
  sha256: string;
}

export interface ExportCounts {
  documents: number;
  commits: number;
  events: number;
  observations: number;
  versions: number;
  retractions: number;
  texts: number;
  snapshots: number;
  derived: number;
}

export const emptyCounts = (): ExportCounts => ({
  documents: 0,
  commits: 0,
  events: 0,
  observations: 0,
  versions: 0,
  retractions: 0,
  texts: 0,
  snapshots: 0,
  derived: 0,
});

export interface ManifestSignature {
  algorithm: 'Ed25519';
  /** sha256 of the public key's SPKI DER, hex. */
  keyId: string;
  /** The public key, SPKI DER in base64. */
  publicKey: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  createdAt: string;
  /** The API key name (or "cli") that asked. */
  requestedBy: string;
  request: ExportRequest;
  chainAlgorithm: string;
  counts: ExportCounts;
  streams: ManifestStream[];
  /** What produced the derived records and texts: they are only as good as these versions. */
  producers: {
    extractorVersions: string[];
    taxonomyVersion: string | null;
    classifierVersion: string | null;
    /** Which order each file follows: arrival (the chain) or observed (the timeline in force). */
    timelineOrder?: string;
    derivedNote: string;
  };
  files: ManifestFile[];
  /** sha256 of the canonical JSON of `files`: one hash over everything in the bundle but the manifest. */
  rootHash: string;
  signature: ManifestSignature | null;
}

export const positionOf = (link: ChainLink): ChainPosition => ({
  commitId: link.commitId,
  version: link.lastVersion,
  hash: link.hash,
});
