import { decide, foldDocument, type RecordFetch } from './document.decider';
import type { DocumentEvent, FetchRecorded, VersionRecorded } from './document.events';
import { extracted } from './extraction.fixture.spec-support';
import { classifyFailedFetch, wordCount, type FailedFetchInput, type PageSignals } from './failed-fetch';
import type { FetchEvent } from './fetch-event';

const words = (n: number, word = 'clause'): string => Array.from({ length: n }, () => word).join(' ');
const page = (n: number, ...markers: [string, string][]): PageSignals => ({
  words: n,
  markers: markers.map(([kind, marker]) => ({ kind, marker })),
});
const ok = (overrides: Partial<FailedFetchInput> = {}): FailedFetchInput => ({
  httpStatus: 200,
  extraction: { ok: true },
  page: page(500),
  words: 500,
  currentWords: 500,
  ...overrides,
});
const ERROR = ['error-page', 'an unexpected error has occurred'] as [string, string];
const CHALLENGE = ['bot-challenge', 'just a moment...'] as [string, string];
const LOGIN = ['login-wall', 'sign in to continue'] as [string, string];

describe('classifyFailedFetch', () => {
  it('accepts an ordinary page', () => {
    expect(classifyFailedFetch(ok())).toBeNull();
  });

  it('fails a fetch answered with an HTTP error status whatever the text', () => {
    expect(classifyFailedFetch(ok({ httpStatus: 503 }))).toEqual({
      code: 'error-page',
      reason: 'HTTP status 503',
    });
    expect(classifyFailedFetch(ok({ httpStatus: 403, page: page(8, CHALLENGE), words: 8 }))?.code).toBe(
      'bot-challenge',
    );
    expect(classifyFailedFetch(ok({ httpStatus: null }))).toBeNull();
  });

  it('fails a short page with a marker, even without a version to compare with (no version 1 from an error page)', () => {
    const first = ok({ page: page(12, ERROR), words: 12, currentWords: null });
    expect(classifyFailedFetch(first)).toEqual({
      code: 'error-page',
      reason: 'markers "an unexpected error has occurred" (error-page); 12 words',
    });
    expect(classifyFailedFetch(ok({ page: page(30, LOGIN), words: 30, currentWords: null }))?.code).toBe(
      'login-wall',
    );
  });

  it('names the strongest marker: a challenge page that also says something went wrong is a challenge', () => {
    expect(classifyFailedFetch(ok({ page: page(20, ERROR, CHALLENGE), words: 20 }))?.code).toBe(
      'bot-challenge',
    );
  });

  it('fails a page with a marker that shrank below a fifth of the current version', () => {
    const shrunk = ok({ page: page(300, ERROR), words: 300, currentWords: 4000 });
    expect(classifyFailedFetch(shrunk)).toEqual({
      code: 'error-page',
      reason:
        'markers "an unexpected error has occurred" (error-page); 300 words, 8% of the current version\'s 4000',
    });
  });

  it('accepts a real short document, and a short first version, when no marker says otherwise', () => {
    expect(classifyFailedFetch(ok({ page: page(140), words: 140, currentWords: null }))).toBeNull();
    expect(classifyFailedFetch(ok({ page: page(140), words: 140, currentWords: 150 }))).toBeNull();
    // A marker in a page of ordinary size, about as long as the current version: a policy quoting the phrase.
    expect(
      classifyFailedFetch(ok({ page: page(900, CHALLENGE), words: 900, currentWords: 1000 })),
    ).toBeNull();
  });

  it('fails an empty shell: a few words where the current version had hundreds, without any marker', () => {
    expect(classifyFailedFetch(ok({ page: page(12), words: 12, currentWords: 3000 }))).toEqual({
      code: 'empty-shell',
      reason: "12 words, 0% of the current version's 3000",
    });
    // Not when the current version is itself short.
    expect(classifyFailedFetch(ok({ page: page(12), words: 12, currentWords: 150 }))).toBeNull();
  });

  it('fails a page without the declared region when it reads as a stand-in, not when it looks like a redesign', () => {
    const missing = { ok: false as const, code: 'selector-matched-nothing' };
    expect(classifyFailedFetch(ok({ extraction: missing, page: page(15, ERROR), words: null }))).toEqual({
      code: 'error-page',
      reason:
        'markers "an unexpected error has occurred" (error-page); the declared region is missing; the page reads 15 words',
    });
    expect(classifyFailedFetch(ok({ extraction: missing, page: page(20), words: null }))?.code).toBe(
      'empty-shell',
    );
    expect(classifyFailedFetch(ok({ extraction: missing, page: page(2500), words: null }))).toBeNull();
    expect(
      classifyFailedFetch(ok({ extraction: missing, page: page(300), words: null, currentWords: 5000 })),
    ).toEqual({
      code: 'region-missing',
      reason:
        "the declared region is missing; the page reads 300 words; 6% of the current version's 5000 words",
    });
    // One part of a combined document (another article now, say) is not measured against the whole version.
    expect(
      classifyFailedFetch(
        ok({ extraction: missing, page: page(300), words: null, currentWords: 5000, combined: true }),
      ),
    ).toBeNull();
  });

  it('fails a page without text as an empty shell; leaves our own extraction failures alone', () => {
    expect(
      classifyFailedFetch(ok({ extraction: { ok: false, code: 'empty-text' }, page: page(0), words: null })),
    ).toEqual({
      code: 'empty-shell',
      reason: 'no text on the page',
    });
    expect(
      classifyFailedFetch(ok({ extraction: { ok: false, code: 'unreadable-pdf' }, page: null, words: null })),
    ).toBeNull();
  });

  it('counts words as runs of letters or digits', () => {
    expect(wordCount("Section 2.1 — the user's data")).toBe(7);
  });

  it('counts as the expression /[\\p{L}\\p{N}]+/u does, across scripts, astral letters and lone surrogates', () => {
    const byExpression = (text: string) => text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    const pieces = [
      'a',
      'Z',
      '9',
      ' ',
      '-',
      'é',
      'ß',
      'Ж',
      '中',
      '٣',
      '\u00a0',
      '𝐀',
      '😀',
      '\ud800',
      '\udc00',
      '\n',
      '_',
    ];
    // A fixed pseudo-random walk (no Math.random): the same strings every run.
    let seed = 7;
    for (let run = 0; run < 500; run += 1) {
      let text = '';
      for (let i = 0; i < run % 40; i += 1) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += pieces[seed % pieces.length];
      }
      expect([text, wordCount(text)]).toEqual([text, byExpression(text)]);
    }
    expect(wordCount('日本語の規約 2024年')).toBe(byExpression('日本語の規約 2024年'));
  });
});

describe('document decider: failed fetches', () => {
  const fetchOf = (id: string, fetchedAt: string, overrides: Partial<FetchEvent> = {}): FetchEvent => ({
    fetchId: id,
    service: 'Acme Cloud',
    documentType: 'Privacy Policy',
    sourceUrl: 'https://acme.example/privacy',
    sourcePart: null,
    fetchedAt,
    fetcher: 'fullDom',
    mimeType: 'text/html',
    httpStatus: null,
    ...overrides,
  });
  const policy = words(800, 'policy');
  const errorText = "This page isn't available. An unexpected error has occurred.";
  const errorPage = page(wordCount(errorText), ['error-page', "this page isn't available"], ERROR);
  const command = (
    fetch: FetchEvent,
    snapshotId: string,
    text: string,
    signals?: PageSignals,
  ): RecordFetch => ({
    type: 'RecordFetch',
    data: {
      fetch,
      snapshotId,
      contentBytes: 100,
      policy: { flipBackWindowHours: 168, roundWindowSeconds: 600 },
      extraction: extracted(text, { pages: { [fetch.sourcePart ?? '']: signals ?? page(wordCount(text)) } }),
    },
    metadata: {
      commandId: `fetch:${fetch.fetchId}`,
      now: '2026-05-01T00:00:00.000Z',
      correlationId: 'c',
      causationId: 'k',
    },
  });
  const run = (commands: RecordFetch[]): DocumentEvent[] =>
    commands.reduce<DocumentEvent[]>((events, c) => [...events, ...decide(c, foldDocument(events))], []);
  const fetches = (events: DocumentEvent[]) =>
    events.filter((e): e is FetchRecorded => e.type === 'FetchRecorded').map((e) => e.data);

  it('records an error page alternating with the policy as failed fetches: no version, no flip-back', () => {
    const events = run([
      command(fetchOf('f1', '2026-03-01T00:00:00Z'), 'snap-policy', policy),
      command(fetchOf('f2', '2026-03-02T00:00:00Z'), 'snap-error', errorText, errorPage),
      command(fetchOf('f3', '2026-03-03T00:00:00Z'), 'snap-policy', policy),
      command(fetchOf('f4', '2026-03-04T00:00:00Z'), 'snap-error', errorText, errorPage),
      command(fetchOf('f5', '2026-03-05T00:00:00Z'), 'snap-policy', policy),
    ]);
    expect(fetches(events).map((f) => f.outcome)).toEqual([
      'new-version',
      'failed-fetch',
      // The policy's bytes are still the part's latest snapshot: the error page never replaced it.
      'snapshot-unchanged',
      'failed-fetch',
      'snapshot-unchanged',
    ]);
    expect(events.filter((e) => e.type === 'VersionRecorded')).toHaveLength(1);
    expect(events.some((e) => e.type === 'VersionRetracted')).toBe(false);
    expect(fetches(events)[1]).toMatchObject({
      snapshotId: 'snap-error',
      failure: { code: 'error-page', reason: expect.stringContaining('"this page isn\'t available"') },
      textSha256: expect.any(String),
    });
    const state = foldDocument(events);
    // The failed fetch is counted but is no snapshot of the document: the part keeps the policy.
    expect(state.fetchCount).toBe(5);
    expect(state.parts['']?.snapshotId).toBe('snap-policy');
  });

  it('never makes version 1 of an error page; the first real page is version 1', () => {
    const events = run([
      command(fetchOf('f1', '2026-03-01T00:00:00Z'), 'snap-error', errorText, errorPage),
      command(fetchOf('f2', '2026-03-02T00:00:00Z'), 'snap-policy', policy),
    ]);
    expect(fetches(events).map((f) => f.outcome)).toEqual(['failed-fetch', 'new-version']);
    expect((events.find((e) => e.type === 'VersionRecorded') as VersionRecorded).data.version).toBe(1);
  });

  it('keeps a legitimately short first version and a real shortening of the document', () => {
    const short = words(90, 'rule');
    const events = run([
      command(fetchOf('f1', '2026-03-01T00:00:00Z'), 'snap-short', short),
      command(fetchOf('f2', '2026-03-02T00:00:00Z'), 'snap-shorter', words(60, 'rule')),
    ]);
    expect(fetches(events).map((f) => f.outcome)).toEqual(['new-version', 'new-version']);
  });

  it('combines the next part with the last real snapshot of a part that served an error page', () => {
    const part = (name: string, id: string, at: string) =>
      fetchOf(id, at, { sourcePart: name, sourceUrl: `https://acme.example/${name}` });
    const events = run([
      command(part('a', 'f1', '2026-03-01T00:00:00Z'), 'snap-a', policy),
      command(
        part('b', 'f2', '2026-03-02T00:00:00Z'),
        'snap-b-error',
        `${policy}\n\n${errorText}`,
        errorPage,
      ),
    ]);
    expect(fetches(events).map((f) => f.outcome)).toEqual(['new-version', 'failed-fetch']);
    expect(Object.keys(foldDocument(events).parts)).toEqual(['a']);
  });

  it('records the rules a declaration states that could not be applied on the version', () => {
    const c = command(fetchOf('f1', '2026-03-01T00:00:00Z'), 'snap', policy);
    c.data.extraction = extracted(policy, { rulesNotApplied: ['filter:cleanUp', 'key:selector'] });
    const version = decide(c, foldDocument([])).find((e) => e.type === 'VersionRecorded') as VersionRecorded;
    expect(version.data.rulesNotApplied).toEqual(['filter:cleanUp', 'key:selector']);
  });
});
