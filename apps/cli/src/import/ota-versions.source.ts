import { spawnSync } from 'node:child_process';
import type { HistoryFetch } from '@termline/corpus';

/**
 * What an Open Terms Archive versions commit says besides the file: the snapshots the version was extracted from
 * (URLs of snapshot commits) and the engine that recorded it (`X-engine-version` trailer). Both optional.
 */
export interface CommitNotes {
  snapshotUrls: string[];
  engineVersion: string | null;
}

const SNAPSHOT_URL = /https?:\/\/\S+\/commit\/[0-9a-f]{7,64}/g;

export function parseCommitMessage(message: string): CommitNotes {
  const engine = /^X-engine-version:\s*(\S+)\s*$/m.exec(message);
  return { snapshotUrls: message.match(SNAPSHOT_URL) ?? [], engineVersion: engine ? engine[1]! : null };
}

/**
 * The web address of the repository, for fetches whose commit names no snapshot: its origin when that is an
 * http(s) URL, else a reserved `.invalid` host (the fetch contract takes http(s) sources only, and a local path
 * or bundle has none).
 */
export function repositoryOrigin(repo: string): string {
  const result = spawnSync('git', ['config', '--get', 'remote.origin.url'], { cwd: repo, encoding: 'utf8' });
  const url = result.status === 0 ? result.stdout.trim() : '';
  return /^https?:\/\//.test(url) ? url.replace(/\.git$/, '') : 'https://local-versions-repository.invalid';
}

/** Every commit's notes, from one `git log` (messages are small: about 300 bytes per commit). */
export function readCommitNotes(repo: string, ref: string): Map<string, CommitNotes> {
  const result = spawnSync('git', ['log', '--format=%H%x00%B%x1e', ref, '--'], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`git log failed in ${repo}: ${result.stderr || result.error?.message}`);
  const notes = new Map<string, CommitNotes>();
  for (const entry of result.stdout.split('\x1e')) {
    const separator = entry.indexOf('\0');
    if (separator === -1) continue;
    notes.set(entry.slice(0, separator).trim(), parseCommitMessage(entry.slice(separator + 1)));
  }
  return notes;
}

/**
 * The fetch event of one version file at one commit: dated at the commit, its source the snapshot the version
 * was extracted from when the commit names one (else the file in the repository), its content the Markdown as
 * OTA recorded it. The fetch id is derived from commit and path, so importing twice appends nothing.
 */
export function fetchEventOfVersion(
  fetch: HistoryFetch,
  notes: CommitNotes | undefined,
  content: Buffer,
  origin: string,
): Record<string, unknown> {
  const engine = notes?.engineVersion ? `ota-engine-${notes.engineVersion}` : 'ota-versions';
  return {
    fetchId: fetch.fetchId,
    service: fetch.service,
    documentType: fetch.documentType,
    sourcePart: null,
    sourceUrl: notes?.snapshotUrls[0] ?? `${origin}/blob/${fetch.commit}/${encodeURI(fetch.path)}`,
    fetcher: `${engine} (versions import)`,
    fetchedAt: fetch.fetchedAt,
    mimeType: 'text/markdown',
    content: content.toString('utf8'),
  };
}
