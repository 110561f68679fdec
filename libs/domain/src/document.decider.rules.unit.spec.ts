import {
  extractionFailedRule,
  failedFetchRule,
  FETCH_RULES,
  flipBackRule,
  initialDocumentState,
  newVersionRule,
  outOfOrderRule,
  snapshotUnchangedRule,
  textUnchangedRule,
  type CurrentVersion,
  type FetchFacts,
} from './document.decider';
import type { VersionRecorded, VersionRetracted } from './document.events';
import { extracted } from './extraction.fixture.spec-support';
import type { FetchEvent } from './fetch-event';

/** One rule at a time: given the facts the decider established, then the rule's ruling (null: not its case). */

const fetchOf = (overrides: Partial<FetchEvent> = {}): FetchEvent => ({
  fetchId: 'f-9',
  service: 'Acme Cloud',
  documentType: 'Terms of Service',
  sourceUrl: 'https://acme.example/terms',
  sourcePart: null,
  fetchedAt: '2026-03-10T10:00:00.000Z',
  fetcher: 'htmlOnly',
  mimeType: 'text/html',
  httpStatus: 200,
  ...overrides,
});

const versionOf = (
  version: number,
  text: string,
  overrides: Partial<CurrentVersion> = {},
): CurrentVersion => ({
  version,
  textSha256: `sha(${text})`,
  fingerprint: `sha(${text})`,
  validFrom: '2026-03-09T10:00:00.000Z',
  extractorVersion: 'x1',
  declarationHash: null,
  technicalUpgrade: false,
  words: 2,
  revealedBy: null,
  ...overrides,
});

/** A document whose live versions are `live` (the last one current), and a fetch reading `text`. */
function factsOf(
  live: CurrentVersion[],
  text: string | null,
  overrides: Partial<FetchFacts> = {},
): FetchFacts {
  const state = {
    ...initialDocumentState,
    documentId: 'acme-cloud__terms-of-service',
    service: 'Acme Cloud',
    documentType: 'Terms of Service',
    liveVersions: live,
    currentVersion: live[live.length - 1] ?? null,
    lastVersionNumber: live.length,
  };
  return {
    documentId: 'acme-cloud__terms-of-service',
    fetch: fetchOf(),
    snapshotId: 'snap-new',
    state,
    policy: { flipBackWindowHours: 168, roundWindowSeconds: 600 },
    extraction: text === null ? null : extracted(text),
    outOfOrder: false,
    snapshotChanged: true,
    failedFetch: null,
    upgrade: null,
    current: state.currentVersion,
    nextNumber: live.length + 1,
    ...overrides,
  };
}

describe('record-fetch rules', () => {
  it('out of order: a late fetch is archived and moves nothing', () => {
    expect(outOfOrderRule(factsOf([], null, { outOfOrder: true }))).toEqual({ outcome: 'out-of-order' });
    expect(outOfOrderRule(factsOf([], 'Text A'))).toBeNull();
  });

  it('snapshot unchanged: the same snapshot as the part has is not read again', () => {
    expect(snapshotUnchangedRule(factsOf([], null, { snapshotChanged: false }))).toEqual({
      outcome: 'snapshot-unchanged',
    });
    expect(snapshotUnchangedRule(factsOf([], 'Text A'))).toBeNull();
  });

  it('failed fetch: a page standing in for the document is recorded with its code and reason', () => {
    const failedFetch = { code: 'error-page', reason: 'HTTP 503' } as const;
    expect(failedFetchRule(factsOf([], 'Oops', { failedFetch }))).toEqual({
      outcome: 'failed-fetch',
      failure: { code: 'error-page', reason: 'HTTP 503' },
    });
    expect(failedFetchRule(factsOf([], 'Text A'))).toBeNull();
  });

  it('extraction failed: the extractor said why the snapshot has no text', () => {
    const extraction = { ok: false as const, code: 'empty-text', reason: 'no text', extractorVersion: 'x1' };
    expect(extractionFailedRule(factsOf([], null, { extraction }))).toEqual({
      outcome: 'extraction-failed',
      failure: { code: 'empty-text', reason: 'no text' },
    });
    expect(extractionFailedRule(factsOf([], 'Text A'))).toBeNull();
  });

  it('text unchanged: the same fingerprint is the same version, and different bytes name what masked them', () => {
    const current = versionOf(1, 'Text A');
    expect(textUnchangedRule(factsOf([current], 'Text A'))).toEqual({ outcome: 'text-unchanged' });
    const masked = {
      extraction: extracted('Text A2', { fingerprint: 'sha(Text A)', masks: ['link-targets-masked'] }),
    };
    expect(textUnchangedRule(factsOf([current], null, masked))).toEqual({
      outcome: 'text-unchanged',
      suppressedBy: ['link-targets-masked'],
    });
    const comparisonForm = { extraction: extracted('Text  A', { fingerprint: 'sha(Text A)' }) };
    expect(textUnchangedRule(factsOf([current], null, comparisonForm))?.suppressedBy).toEqual([
      'comparison-form',
    ]);
    expect(textUnchangedRule(factsOf([current], 'Text B'))).toBeNull();
    expect(textUnchangedRule(factsOf([], 'Text A'))).toBeNull();
  });

  it('flip-back: the text of the previous live version within the window retracts the current one', () => {
    const live = [versionOf(1, 'Text A'), versionOf(2, 'Text B')];
    const ruling = flipBackRule(factsOf(live, 'Text A'));
    expect(ruling?.outcome).toBe('flip-back');
    expect(ruling?.facts).toEqual([
      {
        type: 'VersionRetracted',
        data: {
          documentId: 'acme-cloud__terms-of-service',
          version: 2,
          restoredVersion: 1,
          reason: 'flip-back',
          fetchId: 'f-9',
          at: '2026-03-10T10:00:00.000Z',
          windowHours: 168,
        },
      },
    ]);
  });

  it('flip-back: not past the window, not to an older text, not after a technical upgrade in the same commit', () => {
    const live = [versionOf(1, 'Text A'), versionOf(2, 'Text B')];
    const late = { fetch: fetchOf({ fetchedAt: '2026-03-30T10:00:00.000Z' }) };
    expect(flipBackRule(factsOf(live, 'Text A', late))).toBeNull();
    expect(flipBackRule(factsOf(live, 'Text C'))).toBeNull();
    const upgrade = { type: 'VersionRecorded' } as VersionRecorded;
    expect(flipBackRule(factsOf(live, 'Text A', { upgrade }))).toBeNull();
  });

  it('new version: a different text is the next version, following the current one', () => {
    const ruling = newVersionRule(factsOf([versionOf(1, 'Text A')], 'Text B'));
    expect(ruling?.outcome).toBe('new-version');
    expect(ruling?.facts).toHaveLength(1);
    const recorded = ruling!.facts![0] as VersionRecorded;
    expect(recorded.data).toMatchObject({
      version: 2,
      previousVersion: 1,
      previousTextSha256: 'sha(Text A)',
      technicalUpgrade: false,
      text: 'Text B',
      snapshots: [expect.objectContaining({ snapshotId: 'snap-new' })],
    });
    expect(newVersionRule(factsOf([], null))).toBeNull();
  });

  it('new version: another part of the same round replaces the incomplete version it revealed', () => {
    const revealedBy = { part: 'privacy', fetchedAt: '2026-03-10T09:58:00.000Z' };
    const live = [versionOf(1, 'Text A'), versionOf(2, 'Text B', { revealedBy })];
    const sameRound = { fetch: fetchOf({ sourcePart: 'cookies' }) };
    const ruling = newVersionRule(factsOf(live, 'Text C', sameRound));
    expect(ruling?.outcome).toBe('new-version');
    const [retraction, recorded] = ruling!.facts! as [VersionRetracted, VersionRecorded];
    expect(retraction.data).toMatchObject({ version: 2, restoredVersion: 1, reason: 'incomplete-round' });
    expect(recorded.data).toMatchObject({ version: 3, previousVersion: 1 });

    // The complete round reads as the version before the incomplete one: that one is current again.
    const back = newVersionRule(factsOf(live, 'Text A', sameRound));
    expect(back?.outcome).toBe('flip-back');
    expect(back?.facts?.map((fact) => fact.type)).toEqual(['VersionRetracted']);

    // A fetch of the same part, or one outside the round window, is an ordinary new version.
    const samePart = { fetch: fetchOf({ sourcePart: 'privacy' }) };
    expect(newVersionRule(factsOf(live, 'Text C', samePart))?.facts).toHaveLength(1);
    const nextRound = { fetch: fetchOf({ sourcePart: 'cookies', fetchedAt: '2026-03-10T11:00:00.000Z' }) };
    expect(newVersionRule(factsOf(live, 'Text C', nextRound))?.facts).toHaveLength(1);
  });

  it('the dispatcher asks the rules in order: a late fetch is out of order whatever its text says', () => {
    const facts = factsOf([versionOf(1, 'Text A')], 'Text B', { outOfOrder: true });
    const first = FETCH_RULES.map((rule) => rule(facts)).find((ruling) => ruling !== null);
    expect(first).toEqual({ outcome: 'out-of-order' });
    expect(FETCH_RULES.at(-1)).toBe(newVersionRule);
  });
});
