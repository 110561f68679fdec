import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  describeReplay,
  parseReplayArguments,
  runReplay,
  UsageError,
  type ReplayArguments,
} from './replay.command';
import type { VersionLine } from './version-lines';

// A fictional service: three fetches of its terms, the second the same bytes again, the third a real change.
const page = (body: string) =>
  `<html><body><nav>Menu</nav><main><h1>Quillpad Terms</h1>${body}</main></body></html>`;
const RECORDS = [
  {
    commit: 'c1'.padEnd(40, '0'),
    fetchedAt: '2026-02-01T10:00:00Z',
    content: page('<p>You may write notes.</p>'),
  },
  {
    commit: 'c2'.padEnd(40, '0'),
    fetchedAt: '2026-02-02T10:00:00Z',
    content: page('<p>You may write notes.</p>'),
  },
  {
    commit: 'c3'.padEnd(40, '0'),
    fetchedAt: '2026-02-03T10:00:00Z',
    content: page('<p>You may write and share notes.</p>'),
  },
].map((r) => ({
  service: 'Quillpad',
  documentType: 'Terms of Service',
  sourcePart: null,
  sourceUrl: 'https://quillpad.example/terms',
  fetcher: 'htmlOnly',
  mimeType: 'text/html',
  ...r,
}));
const DECLARATION = {
  name: 'Quillpad',
  terms: { 'Terms of Service': { fetch: 'https://quillpad.example/terms', select: 'main' } },
};

describe('termline replay (embedded store, real versioning module)', () => {
  let dir: string;
  let args: ReplayArguments;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'termline-replay-spec-'));
    mkdirSync(join(dir, 'declarations'));
    writeFileSync(join(dir, 'declarations', 'Quillpad.json'), JSON.stringify(DECLARATION));
    const lines = [...RECORDS.map((r) => JSON.stringify(r)), '{"not": "a record"}'];
    writeFileSync(join(dir, 'records.ndjson.gz'), gzipSync(`${lines.join('\n')}\n`));
    const parsed = parseReplayArguments([
      join(dir, 'records.ndjson.gz'),
      '--declarations',
      join(dir, 'declarations'),
      '--out',
      join(dir, 'versions.ndjson'),
      '--data',
      join(dir, 'store'),
    ]);
    if (parsed === 'help') throw new Error('unexpected help');
    args = parsed;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records two versions, confirms the first by the repeat, and names the commits behind each snapshot', async () => {
    const progress: string[] = [];
    const run = await runReplay(args, { isTTY: false, write: (text) => progress.push(text) });

    expect(run.stats.records).toBe(4);
    expect(run.stats.outcomes).toEqual({ 'new-version': 2, 'snapshot-unchanged': 1 });
    expect(run.stats.rejectedCount).toBe(1);
    expect(run.stats.rejected[0]).toMatchObject({ lineNumber: 4, code: 'not-a-record' });
    expect(progress.at(-1)).toMatch(/^4 records · /);
    expect(existsSync(join(dir, 'store', 'events.sqlite'))).toBe(true);

    const lines = readFileSync(join(dir, 'versions.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as VersionLine);
    expect(lines).toHaveLength(2);
    const [first, second] = lines as [VersionLine, VersionLine];
    expect(first).toMatchObject({
      documentId: 'quillpad__terms-of-service',
      service: 'Quillpad',
      documentType: 'Terms of Service',
      version: 1,
      observedAt: '2026-02-01T10:00:00.000Z',
      lastConfirmedAt: '2026-02-02T10:00:00.000Z',
      technicalUpgrade: false,
    });
    expect(first.snapshotCommits).toEqual({
      [first.snapshotIds[0]!]: [RECORDS[0]!.commit, RECORDS[1]!.commit],
    });
    expect(first.text).toContain('You may write notes.');
    expect(first.text).not.toContain('Menu');
    expect(second).toMatchObject({ version: 2, observedAt: '2026-02-03T10:00:00.000Z' });
    expect(Object.values(second.snapshotCommits)).toEqual([[RECORDS[2]!.commit]]);
    expect(second.text).toContain('You may write and share notes.');
    expect(second.textSha256).not.toBe(first.textSha256);
    expect(Object.keys(first).slice(0, 12)).toEqual([
      'documentId',
      'service',
      'documentType',
      'version',
      'observedAt',
      'lastConfirmedAt',
      'textSha256',
      'snapshotIds',
      'snapshotCommits',
      'extractorVersion',
      'technicalUpgrade',
      'text',
    ]);
  });

  it('appends nothing when the same records are replayed into the same store', async () => {
    const run = await runReplay(args, { isTTY: false, write: () => undefined });
    expect(run.stats.duplicates).toBe(3);
    expect(run.stats.outcomes).toEqual({});
    expect(readFileSync(join(dir, 'versions.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('refuses bad arguments with a usage error', () => {
    expect(() => parseReplayArguments([])).toThrow(UsageError);
    expect(() => parseReplayArguments([join(dir, 'records.ndjson.gz'), '--out', 'x'])).toThrow(
      /--declarations/,
    );
    expect(() => parseReplayArguments(['records.json', '--declarations', dir, '--out', 'x'])).toThrow(
      /\.ndjson/,
    );
    expect(() =>
      parseReplayArguments([
        join(dir, 'records.ndjson.gz'),
        '--declarations',
        dir,
        '--out',
        'x',
        '--limit',
        '0',
      ]),
    ).toThrow(/--limit must be a positive integer/);
    expect(() => parseReplayArguments(['--bogus'])).toThrow(UsageError);
  });
});

describe('termline replay with a declarations folder holding mistakes, and a site serving an error page', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'termline-replay-problems-'));
    const declarations = join(dir, 'declarations');
    mkdirSync(declarations);
    writeFileSync(join(declarations, 'Quillpad.json'), JSON.stringify(DECLARATION));
    // The history entry misspells validUntil (as a real collection did); another has no usable date at all.
    writeFileSync(
      join(declarations, 'Quillpad.history.json'),
      JSON.stringify({
        'Terms of Service': [
          { fetch: 'https://quillpad.example/terms', select: 'main h1', ValidUntil: '2026-02-01T12:00:00Z' },
          { fetch: 'https://quillpad.example/terms', select: 'main p', validUntil: 'soon' },
        ],
      }),
    );
    writeFileSync(join(declarations, 'Broken.json'), '{"name": "Broken", "terms": ');
    writeFileSync(join(declarations, 'Quillpad.filters.js'), 'export function cleanUp() {}');
    const errorPage = {
      ...RECORDS[2]!,
      commit: 'c4'.padEnd(40, '0'),
      fetchedAt: '2026-02-04T10:00:00Z',
      content: page('<p>Something went wrong. Please try again later.</p>').replace('Quillpad Terms', 'Oops'),
    };
    const back = { ...RECORDS[2]!, commit: 'c5'.padEnd(40, '0'), fetchedAt: '2026-02-05T10:00:00Z' };
    const lines = [RECORDS[0], RECORDS[2], errorPage, back].map((r) => JSON.stringify(r));
    writeFileSync(join(dir, 'records.ndjson'), `${lines.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays every record, applies what can be applied, and lists the problems and the failed fetch', async () => {
    const args = parseReplayArguments([
      join(dir, 'records.ndjson'),
      '--declarations',
      join(dir, 'declarations'),
      '--out',
      join(dir, 'versions.ndjson'),
    ]);
    if (args === 'help') throw new Error('unexpected help');
    const run = await runReplay(args, { isTTY: false, write: () => undefined });

    expect(run.stats.records).toBe(4);
    expect(run.stats.rejectedCount).toBe(0);
    expect(run.stats.outcomes).toEqual({ 'new-version': 2, 'failed-fetch': 1, 'snapshot-unchanged': 1 });
    expect(run.stats.failedFetches).toEqual({ 'error-page': 1 });
    expect(run.stats.failedFetchSamples[0]).toMatchObject({
      lineNumber: 3,
      service: 'Quillpad',
      code: 'error-page',
      reason: expect.stringContaining('"something went wrong"'),
    });
    expect(run.declarationProblems.map((p) => [p.file, p.path, p.severity])).toEqual([
      ['Broken.json', '', 'error'],
      ['Quillpad.filters.js', '', 'warning'],
      ['Quillpad.history.json', '["Terms of Service"][0].ValidUntil', 'warning'],
      ['Quillpad.history.json', '["Terms of Service"][1].validUntil', 'error'],
    ]);

    // The misspelt entry was read as validUntil: the first fetch, in its period, kept only the heading.
    const versions = readFileSync(join(dir, 'versions.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as VersionLine);
    expect(versions.map((v) => v.text.trim())).toEqual([
      'Quillpad Terms\n==============',
      'Quillpad Terms\n==============\n\nYou may write and share notes.',
    ]);

    const summary = describeReplay(run, 'versions.ndjson');
    expect(summary).toContain('Failed fetches (pages standing in for the document): error-page 1');
    expect(summary).toContain('Declaration problems: 4');
    expect(summary).toMatch(
      /warning Quillpad\.history\.json "Terms of Service" entry 0 \(validUntil 2026-02-01T12:00:00\.000Z\)/,
    );
  });
});
