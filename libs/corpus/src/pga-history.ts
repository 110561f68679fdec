import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The history of `OpenTermsArchive/pga-versions` as a list of fetches: each commit of a Markdown file is one fetch
 * of the document the file holds. Only blob ids are kept in memory (the contents are 280 MB); the bytes are read on
 * demand through one `git cat-file --batch` process.
 */

export interface HistoryFetch {
  fetchId: string;
  service: string;
  documentType: string;
  /** Path of the file in the repository, `<service>/<documentType>.md`. */
  path: string;
  commit: string;
  /** Commit author date, ISO 8601 UTC. */
  fetchedAt: string;
  /** Git blob id of the file at this commit: two fetches have the same content exactly when these are equal. */
  blob: string;
}

export const BUNDLE_NAME = 'pga-versions.bundle';

/** The corpus folder: TERMLINE_CORPUS_DIR, else `../shared/corpus` beside the repository root. */
export function corpusDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.TERMLINE_CORPUS_DIR
    ? resolve(env.TERMLINE_CORPUS_DIR)
    : resolve(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(join(dir, BUNDLE_NAME))) {
    throw new Error(`No ${BUNDLE_NAME} in ${dir}; set TERMLINE_CORPUS_DIR to the folder that holds it`);
  }
  return dir;
}

/** The repository root: the nearest folder above `from` with a package.json (works from bench/ and dist/bench/). */
export function repoRootFrom(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.build.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No repository root above ${from}`);
  }
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

/**
 * A bare clone of the bundle under `cacheDir`, made once and reused while the bundle is unchanged (its size and
 * mtime are part of the folder name). Cloned into a scratch folder first, so an interrupted clone is never reused.
 */
export function cloneBundle(bundle: string, cacheDir: string): string {
  const stat = statSync(bundle);
  const target = join(cacheDir, `pga-versions-${stat.size}-${Math.floor(stat.mtimeMs)}.git`);
  if (existsSync(join(target, 'HEAD'))) return target;
  mkdirSync(cacheDir, { recursive: true });
  const scratch = `${target}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  git(cacheDir, ['clone', '--quiet', '--bare', bundle, scratch]);
  renameSync(scratch, target);
  return target;
}

/** `<service>/<documentType>.md`, exactly one folder deep; the repository's own README and LICENSE are not documents. */
export function documentOfPath(path: string): { service: string; documentType: string } | null {
  const match = /^([^/]+)\/([^/]+)\.md$/.exec(path);
  return match ? { service: match[1]!, documentType: match[2]! } : null;
}

/**
 * `pga:<commit>:<path>`, with every character the fetch contract refuses in an id (spaces, above all) written
 * as `_`. Ids stay unique: parseRawLog refuses two files of one commit that would share one.
 */
export const fetchIdOf = (commit: string, path: string): string =>
  `pga:${commit}:${path.replace(/[^A-Za-z0-9._:@\-/]/g, '_')}`;

const toIsoUtc = (unixSeconds: number): string =>
  new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Parses `git log --reverse --raw --no-abbrev --no-renames --format=C %H %at` into fetches, in commit order.
 * Deletions are skipped; merges show no raw lines without `-m`, so each change is counted once, on its own commit.
 */
export function parseRawLog(log: string): HistoryFetch[] {
  const fetches: HistoryFetch[] = [];
  const ids = new Set<string>();
  let commit = '';
  let fetchedAt = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('C ')) {
      const [, hash, seconds] = line.split(' ');
      commit = hash!;
      fetchedAt = toIsoUtc(Number(seconds));
      continue;
    }
    if (!line.startsWith(':')) continue;
    const tab = line.indexOf('\t');
    const [, , , blob, status] = line.slice(0, tab).split(' ');
    const path = line.slice(tab + 1);
    if (status === 'D') continue;
    const document = documentOfPath(path);
    if (!document) continue;
    const fetchId = fetchIdOf(commit, path);
    if (ids.has(fetchId)) throw new Error(`Two files of commit ${commit} give the fetch id ${fetchId}`);
    ids.add(fetchId);
    fetches.push({ fetchId, ...document, path, commit, fetchedAt, blob: blob! });
  }
  return fetches;
}

export function listFetches(repo: string, ref = 'main'): HistoryFetch[] {
  // core.quotePath=false keeps non-ASCII paths as they are instead of octal escapes in quotes.
  const log = git(repo, [
    '-c',
    'core.quotePath=false',
    'log',
    '--reverse',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    '--format=C %H %at',
    ref,
    '--',
  ]);
  return parseRawLog(log);
}

/**
 * Reads blobs through one `git cat-file --batch` process. Requests are answered in the order they are written,
 * so a FIFO of pending reads pairs each answer with its caller.
 */
export class BlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Array<{
    blob: string;
    resolve: (content: Buffer) => void;
    reject: (error: Error) => void;
  }> = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failure: Error | null = null;

  constructor(repo: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd: repo });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    this.child.on('error', (error) => this.fail(error));
    this.child.on('exit', (code) => {
      if (this.pending.length > 0)
        this.fail(new Error(`git cat-file exited (${code}) with ${this.pending.length} reads pending`));
    });
  }

  read(blob: string): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ blob, resolve, reject });
      this.child.stdin.write(`${blob}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  private drain(): void {
    for (;;) {
      const head = this.pending[0];
      if (!head) return;
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      const [id, type, size] = header.split(' ');
      if (type === 'missing' || id !== head.blob || type !== 'blob') {
        this.fail(new Error(`git cat-file answered "${header}" for ${head.blob}`));
        return;
      }
      const bytes = Number(size);
      // Header, content, and the newline git writes after the content.
      if (this.buffer.length < newline + 1 + bytes + 1) return;
      const content = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + bytes));
      this.buffer = this.buffer.subarray(newline + 1 + bytes + 1);
      this.pending.shift();
      head.resolve(content);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.pending.splice(0)) request.reject(this.failure);
    this.child.kill();
  }
}
