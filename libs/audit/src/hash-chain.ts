import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The hash chain of a stream (ADR 0011). Every commit's hash covers its events in canonical JSON and the hash of
 * the commit before it in the same stream, so changing, dropping, inserting or reordering anything already
 * written changes every hash after it.
 */
export const CHAIN_ALGORITHM = 'termline-chain-v1';

/** What an event contributes to its commit's hash: everything stored about it. */
export interface ChainedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamVersion: number;
  data: unknown;
  metadata: unknown;
}

export interface ChainCommit {
  streamId: string;
  commitId: string;
  /** Stream version of the commit's first event. */
  firstVersion: number;
  /** Hash of the stream's previous commit; null for its first commit. */
  previousHash: string | null;
  events: readonly ChainedEvent[];
}

/** One link as stored beside the commit it hashes. */
export interface ChainLink {
  streamId: string;
  commitId: string;
  firstVersion: number;
  lastVersion: number;
  previousHash: string | null;
  hash: string;
}

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

export function commitHash(commit: ChainCommit): string {
  const body = canonicalJson({
    streamId: commit.streamId,
    commitId: commit.commitId,
    firstVersion: commit.firstVersion,
    previousHash: commit.previousHash,
    events: commit.events.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      streamVersion: event.streamVersion,
      data: event.data,
      metadata: event.metadata,
    })),
  });
  return createHash('sha256').update(`${CHAIN_ALGORITHM}\n`).update(body, 'utf8').digest('hex');
}

export function linkOf(commit: ChainCommit): ChainLink {
  return {
    streamId: commit.streamId,
    commitId: commit.commitId,
    firstVersion: commit.firstVersion,
    lastVersion: commit.firstVersion + commit.events.length - 1,
    previousHash: commit.previousHash,
    hash: commitHash(commit),
  };
}

/** Groups a stream's events (in stream order) into its commits. */
export function groupCommits<E extends { commitId: string; streamVersion: number }>(
  events: readonly E[],
): Array<{ commitId: string; firstVersion: number; events: E[] }> {
  const commits: Array<{ commitId: string; firstVersion: number; events: E[] }> = [];
  for (const event of events) {
    const last = commits[commits.length - 1];
    if (last && last.commitId === event.commitId) last.events.push(event);
    else commits.push({ commitId: event.commitId, firstVersion: event.streamVersion, events: [event] });
  }
  return commits;
}

/**
 * The links to record for a stream's commits (in stream order) that have none yet (`hash` undefined), each
 * following the commit before it, linked or not: the upgrade of a store written before the chain existed.
 */
export function missingLinks(
  streamId: string,
  commits: ReadonlyArray<{
    commitId: string;
    firstVersion: number;
    events: readonly ChainedEvent[];
    hash: string | undefined;
  }>,
): ChainLink[] {
  const links: ChainLink[] = [];
  let previousHash: string | null = null;
  for (const commit of commits) {
    if (commit.hash !== undefined) {
      previousHash = commit.hash;
      continue;
    }
    const link = linkOf({
      streamId,
      commitId: commit.commitId,
      firstVersion: commit.firstVersion,
      previousHash,
      events: commit.events,
    });
    links.push(link);
    previousHash = link.hash;
  }
  return links;
}

/** A reason a chain does not hold, naming the commit. */
export interface ChainProblem {
  check: 'commit-hash' | 'chain-link' | 'version-gap' | 'stream-mismatch';
  commitId: string;
  message: string;
}

/**
 * Checks stored links against the events they cover: each hash recomputes, each previous hash is the hash before
 * it (the first one's is `anchorHash`: null at the stream's start, the hash before an export's range otherwise),
 * and the stream versions follow on without a gap.
 */
export function verifyChain(
  streamId: string,
  links: readonly ChainLink[],
  eventsByCommit: ReadonlyMap<string, readonly ChainedEvent[]>,
  anchor: { hash: string | null; lastVersion: number },
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let previousHash = anchor.hash;
  let expectedVersion = anchor.lastVersion + 1;
  for (const link of links) {
    if (link.streamId !== streamId) {
      problems.push({
        check: 'stream-mismatch',
        commitId: link.commitId,
        message: `commit ${link.commitId} names stream ${link.streamId}, not ${streamId}`,
      });
    }
    if (link.firstVersion !== expectedVersion) {
      problems.push({
        check: 'version-gap',
        commitId: link.commitId,
        message: `${streamId}: commit ${link.commitId} starts at version ${link.firstVersion}, expected ${expectedVersion}`,
      });
    }
    if (link.previousHash !== previousHash) {
      problems.push({
        check: 'chain-link',
        commitId: link.commitId,
        message: `${streamId}: commit ${link.commitId} follows ${link.previousHash ?? 'nothing'}, but the commit before it hashes to ${previousHash ?? 'nothing (stream start)'}`,
      });
    }
    const events = eventsByCommit.get(link.commitId) ?? [];
    const recomputed = commitHash({
      streamId,
      commitId: link.commitId,
      firstVersion: link.firstVersion,
      previousHash: link.previousHash,
      events,
    });
    if (recomputed !== link.hash || events.length !== link.lastVersion - link.firstVersion + 1) {
      problems.push({
        check: 'commit-hash',
        commitId: link.commitId,
        message: `${streamId}: commit ${link.commitId} (versions ${link.firstVersion}-${link.lastVersion}, ${events.length} events) recomputes to ${recomputed}, the chain records ${link.hash}`,
      });
    }
    previousHash = link.hash;
    expectedVersion = link.lastVersion + 1;
  }
  return problems;
}
