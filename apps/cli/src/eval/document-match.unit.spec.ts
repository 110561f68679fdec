import { evaluateDocument, type FetchTrace, type TermlineVersion } from './document-match';
import { metricsOf, missesOf, sameFetchMissesOf, worstMismatchesOf } from './evaluation-report';
import { classifyOtaVersions, type OtaVersion } from './ota-versions';

// One combined document with two parts: records p1..p4 fetch part "one", q1 part "two".
const ota = (
  commit: string,
  recordedAt: string,
  snapshotCommits: string[],
  content: string,
  kind: OtaVersion['kind'] = 'change',
): OtaVersion => ({
  service: 'Nimbus Notes',
  documentType: 'Terms',
  recordedAt,
  commit,
  kind,
  snapshotCommits,
  content,
});
const trace = (
  commit: string,
  fetchedAt: string,
  outcome: string,
  versionAfter: number | null,
  failure: FetchTrace['failure'] = null,
): FetchTrace => ({
  commit,
  fetchedAt,
  sourcePart: commit.startsWith('q') ? 'two' : 'one',
  position: Number(commit.slice(1)) + (commit.startsWith('q') ? 0.5 : 0),
  outcome,
  failure,
  versionAfter,
});
const version = (n: number, fetchCommit: string, commits: string[], text: string): TermlineVersion => ({
  version: n,
  observedAt: '2026-01-01T00:00:00Z',
  commits: new Set(commits),
  fetchCommit,
  text,
  technicalUpgrade: false,
  retracted: false,
});

const otaVersions = classifyOtaVersions([
  ota('v1', '2026-01-01T00:00:01Z', ['p1', 'q1'], '# Terms\n\nOne. Two.', 'first'),
  ota('v2', '2026-01-10T00:00:00Z', ['p2', 'q1'], '# Terms\n\nOne changed. Two.'),
  ota('v3', '2026-01-20T00:00:00Z', ['p3', 'q1'], '# Terms\n\nOne changed again. Two.'),
  ota('v4', '2026-01-30T00:00:00Z', ['p4', 'q1'], '# Terms\n\nOne changed thrice. Two.'),
]);
const traces = new Map(
  [
    trace('p1', '2026-01-01T00:00:00Z', 'new-version', 1),
    trace('q1', '2026-01-01T00:00:00Z', 'new-version', 2),
    trace('p2', '2026-01-10T00:00:00Z', 'new-version', 3),
    trace('p3', '2026-01-20T00:00:00Z', 'text-unchanged', 3),
    trace('p4', '2026-01-30T00:00:00Z', 'extraction-failed', 3, {
      code: 'selector-matched-nothing',
      reason: 'main matched nothing',
    }),
  ].map((t) => [t.commit, t]),
);
const termline = [
  version(1, 'p1', ['p1'], 'Terms\n=====\n\nOne.'),
  version(2, 'q1', ['p1', 'q1'], 'Terms\n=====\n\nOne. Two.'),
  version(3, 'p2', ['p2', 'q1'], 'Terms\n=====\n\nOne changed. Two.'),
];

describe('matching a document', () => {
  const results = evaluateDocument({ ota: otaVersions, termline, traces, refused: new Map() });

  it('matches by shared snapshot commits and prefers the version recorded at the revealing record', () => {
    expect(
      results.map((r) => [
        r.ota.commit,
        r.revealingCommit,
        r.match?.version ?? null,
        r.match?.sameFetch ?? null,
      ]),
    ).toEqual([
      ['v1', 'q1', 2, true],
      ['v2', 'p2', 3, true],
      // Only the unchanged part q1 is shared: matched under the brief's rule, not at the same record.
      ['v3', 'p3', 2, false],
      ['v4', 'p4', 2, false],
    ]);
  });

  it("counts a version recorded at any record of the fetch round that revealed OTA's version as the same record", () => {
    // Both parts fetched anew in one round; the change was in part one, fetched first.
    const round = classifyOtaVersions([
      ota('r1', '2026-02-01T00:00:00Z', ['p7', 'q7'], '# Terms\n\nOne. Two.', 'first'),
      ota('r2', '2026-02-02T00:00:00Z', ['p8', 'q8'], '# Terms\n\nOne new. Two.'),
    ]);
    const roundTraces = new Map(
      [
        trace('p7', '2026-02-01T00:00:00Z', 'new-version', 1),
        trace('q7', '2026-02-01T00:00:00Z', 'new-version', 2),
        trace('p8', '2026-02-02T00:00:00Z', 'new-version', 3),
        trace('q8', '2026-02-02T00:00:00Z', 'text-unchanged', 3),
      ].map((t) => [t.commit, t]),
    );
    const versions = [
      version(2, 'q7', ['p7', 'q7'], '# Terms\n\nOne. Two.'),
      version(3, 'p8', ['p8', 'q7'], '# Terms\n\nOne new. Two.'),
    ];
    const [, changed] = evaluateDocument({
      ota: round,
      termline: versions,
      traces: roundTraces,
      refused: new Map(),
    });
    expect(changed!.revealingCommit).toBe('q8');
    expect(changed!.match).toMatchObject({ version: 3, sameFetch: true });
  });

  it('explains why the revealing record gave no version', () => {
    expect(results[2]!.sameFetchMissReason).toMatch(
      /saw no text change \(still version 3\); its text reads as OTA's previous text/,
    );
    expect(results[2]!.sameFetchMissReason).toContain(
      'word 3: "Terms One changed. Two.…" -> "Terms One changed again. Two.…"',
    );
    expect(results[3]!.sameFetchMissReason).toBe(
      'extraction failed with code selector-matched-nothing: main matched nothing',
    );
  });

  it('computes recall, the version count and text equality (Markdown style aside)', () => {
    const metrics = metricsOf(results, termline);
    expect(metrics).toMatchObject({
      otaVersions: 4,
      substantive: 3,
      recalled: 3,
      substantiveMasked: 0,
      recalledUnmasked: 3,
      recallUnmasked: 1,
      recalledSameFetch: 1,
      termlineCounted: 3,
      countRatio: 0.75,
      textCompared: 4,
      textEqual: 0,
      textSameWords: 2,
    });
    expect(metrics.textByCategory).toMatchObject({
      first: { compared: 1, equal: 0 },
      other: { compared: 3, equal: 0 },
    });
    expect(sameFetchMissesOf(results).map((m) => m.revealingCommit)).toEqual(['p3', 'p4']);
    expect(worstMismatchesOf(results, 1)[0]).toMatchObject({ otaVersionCommit: 'v3', sameWords: false });
  });

  it("looks for OTA's change itself when the engines' texts differ elsewhere", () => {
    const lasting = 'Header Termline keeps.\n\n';
    const withOld = [version(1, 'p1', ['p1'], `${lasting}Terms One. Two.`)];
    const [, second] = evaluateDocument({
      ota: otaVersions.slice(0, 2),
      termline: withOld,
      traces: new Map([...traces].map(([c, t]) => [c, { ...t, outcome: 'text-unchanged', versionAfter: 1 }])),
      refused: new Map(),
    });
    expect(second!.missReason).toMatch(/still has OTA's old wording: the change was lost in extraction/);
    const elsewhere = [version(1, 'p1', ['p1'], 'Something else entirely.')];
    const [, third] = evaluateDocument({
      ota: otaVersions.slice(0, 2),
      termline: elsewhere,
      traces: new Map([...traces].map(([c, t]) => [c, { ...t, outcome: 'text-unchanged', versionAfter: 1 }])),
      refused: new Map(),
    });
    expect(third!.missReason).toMatch(/has neither OTA's old nor its new wording/);
  });

  it('lists a miss with its reason when no Termline version shares a commit', () => {
    const alone = evaluateDocument({
      ota: otaVersions,
      termline: [],
      traces: new Map(),
      refused: new Map([['p2', { code: 'invalid-fetch', reason: 'sourceUrl must be an http(s) URL' }]]),
    });
    expect(missesOf(alone).map((m) => [m.otaVersionCommit, m.reason])).toEqual([
      [
        'v2',
        'the record was refused by the fetch contract (invalid-fetch: sourceUrl must be an http(s) URL)',
      ],
      ['v3', 'the record was not replayed (not in the records read)'],
      ['v4', 'the record was not replayed (not in the records read)'],
    ]);
    expect(metricsOf(alone, []).recall).toBe(0);
  });
});
