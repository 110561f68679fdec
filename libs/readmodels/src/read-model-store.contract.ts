import {
  noReadModelWrites,
  type DocumentView,
  type ReadModelStore,
  type ReadModelWrites,
  type TimelineEntry,
  type VersionView,
} from './read-models';
import {
  formIdOf,
  type GovernanceEntry,
  type ProvisionFormQuery,
  type ProvisionFormView,
} from './governance-models';

const stats = { linesAdded: 1, linesRemoved: 0, wordsAdded: 3, wordsRemoved: 0 };

export const aDocument = (
  documentId: string,
  serviceSlug = 'acme',
  overrides: Partial<DocumentView> = {},
): DocumentView => ({
  documentId,
  service: 'Acme',
  serviceSlug,
  documentType: 'Terms',
  appliedVersion: 2,
  versionCount: 1,
  changeCount: 1,
  latestVersion: { version: 1, validFrom: '2026-01-01T00:00:00.000Z', textSha256: 'abc' },
  firstFetchedAt: '2026-01-01T00:00:00.000Z',
  lastFetchedAt: '2026-01-01T00:00:00.000Z',
  lastChangedAt: '2026-01-01T00:00:00.000Z',
  fetchCount: 1,
  parts: [{ sourcePart: null, sourceUrl: 'https://acme.example', lastFetchedAt: '2026-01-01T00:00:00.000Z' }],
  lastFailure: null,
  ...overrides,
});

export const aVersion = (documentId: string, version: number): VersionView => ({
  documentId,
  version,
  service: 'Acme',
  documentType: 'Terms',
  validFrom: `2026-01-0${version}T00:00:00.000Z`,
  textSha256: `sha-${version}`,
  text: `text ${version} — é`,
  snapshots: [
    {
      sourcePart: null,
      snapshotId: 's',
      sourceUrl: 'https://acme.example',
      mimeType: 'text/html',
      fetchedAt: 'x',
    },
  ],
  extractorVersion: 'x1',
  declarationHash: null,
  rulesFired: ['tracking-params-removed'],
  rulesNotApplied: [],
  fetchId: `f-${version}`,
  previousVersion: version > 1 ? version - 1 : null,
  technicalUpgrade: false,
  retracted: null,
  stats,
  materiality: { level: 'minor', reasons: ['3 words changed'] },
  provisionChanges: [
    { provisionId: 'p-1', heading: 'Data', change: 'modified', wordsAdded: 3, wordsRemoved: 0 },
  ],
  provisionIds: ['p-1'],
});

const anEntry = (documentId: string, serviceSlug: string, version: number, at: string): TimelineEntry => ({
  entryId: `${documentId}:${version}`,
  documentId,
  service: serviceSlug,
  serviceSlug,
  documentType: 'Terms',
  version,
  at,
  kind: version === 1 ? 'first' : 'change',
  retracted: false,
  stats,
  materiality: { level: 'minor', reasons: [] },
  provisionsChanged: 1,
});

const G1 = 't1+c1';

export const aProvisionForm = (
  documentId: string,
  provisionId: string,
  fromVersion: number,
  overrides: Partial<ProvisionFormView> = {},
): ProvisionFormView => {
  const generation = overrides.generation ?? G1;
  return {
    formId: formIdOf(generation, documentId, provisionId, fromVersion),
    generation,
    taxonomyVersion: generation.split('+')[0]!,
    classifierVersion: generation.split('+')[1]!,
    documentId,
    service: 'Acme',
    serviceSlug: documentId.split('__')[0]!,
    documentType: 'Terms',
    provisionId,
    heading: provisionId,
    text: `${provisionId} text, version ${fromVersion}`,
    textSha256: `sha-${provisionId}-${fromVersion}`,
    fromVersion,
    validFrom: `2026-01-0${fromVersion}T00:00:00.000Z`,
    untilVersion: null,
    validUntil: null,
    retracted: false,
    categories: [{ id: 'retention', confidence: 0.9 }],
    categoryIds: ['retention'],
    references: [
      {
        id: 'gdpr/art-5-1-e',
        framework: 'gdpr',
        article: 'Art. 5(1)(e)',
        title: 'Storage limitation',
        url: 'https://eur-lex.europa.eu',
        primary: true,
      },
    ],
    referenceIds: ['gdpr/art-5-1-e'],
    frameworks: ['gdpr'],
    exposure: { level: 'medium', reasons: ['retention period stated'] },
    jurisdictions: [{ id: 'eu', level: 'primary', reason: 'GDPR cited' }],
    ...overrides,
  };
};

export const aGovernanceEntry = (
  documentId: string,
  version: number,
  at: string,
  overrides: Partial<GovernanceEntry> = {},
): GovernanceEntry => ({
  entryId: `${documentId}:${String(version).padStart(6, '0')}`,
  generation: G1,
  taxonomyVersion: 't1',
  classifierVersion: 'c1',
  documentId,
  service: 'Acme',
  serviceSlug: documentId.split('__')[0]!,
  documentType: 'Terms',
  version,
  at,
  kind: version === 1 ? 'first' : 'change',
  retracted: false,
  stats,
  materiality: { level: 'substantive', reasons: [] },
  provisionsChanged: 1,
  provisions: [
    {
      provisionId: 'data',
      heading: 'Data',
      change: 'modified',
      before: { categoryIds: ['retention'], referenceIds: ['gdpr/art-5-1-e'], exposure: 'low' },
      after: { categoryIds: ['retention'], referenceIds: ['gdpr/art-5-1-e'], exposure: 'medium' },
    },
  ],
  categoryIds: ['retention'],
  frameworks: ['gdpr'],
  referenceIds: ['gdpr/art-5-1-e'],
  jurisdictionIds: ['eu'],
  exposureBefore: 'low',
  exposureAfter: 'medium',
  exposureDirection: 'raised',
  statedDates: [],
  effectiveAt: null,
  ...overrides,
});

/** The behaviour every read-model store adapter must show. */
export function readModelStoreContract(
  name: string,
  open: (namespace: string) => Promise<{ store: ReadModelStore; cleanup(): Promise<void> }>,
): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let store: ReadModelStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await open('rm_'));
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('keeps checkpoints per projection and stream', async () => {
      expect(await store.getCheckpoint('timeline', 'document:a')).toBe(0);
      await store.setCheckpoint('timeline', 'document:a', 3);
      await store.setCheckpoint('timeline', 'document:a', 4);
      await store.setCheckpoint('other', 'document:a', 1);
      expect(await store.getCheckpoint('timeline', 'document:a')).toBe(4);
      expect(await store.getCheckpoint('other', 'document:a')).toBe(1);
    });

    it('replaces documents by id and lists them sorted, optionally by service', async () => {
      await store.putDocument(aDocument('b__terms', 'b'));
      await store.putDocument(aDocument('a__terms', 'a'));
      await store.putDocument(aDocument('a__terms', 'a', { versionCount: 2 }));
      expect((await store.listDocuments()).map((d) => d.documentId)).toEqual(['a__terms', 'b__terms']);
      expect(await store.listDocuments('a')).toEqual([aDocument('a__terms', 'a', { versionCount: 2 })]);
      expect(await store.getDocument('missing')).toBeNull();
    });

    it('pages the catalogue in document id order, by service too', async () => {
      const ids = ['b__terms', 'a-b__terms', 'a__terms', 'a__privacy', 'c__terms'];
      for (const id of ids) await store.putDocument(aDocument(id, id.split('__')[0]));
      const pages: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listDocuments(undefined, { afterDocumentId: after, limit: 2 });
        if (page.length === 0) break;
        pages.push(page.map((d) => d.documentId));
        after = page[page.length - 1]!.documentId;
      }
      expect(pages).toEqual([['a-b__terms', 'a__privacy'], ['a__terms', 'b__terms'], ['c__terms']]);
      expect(
        (await store.listDocuments('a', { afterDocumentId: 'a__privacy', limit: 5 })).map(
          (d) => d.documentId,
        ),
      ).toEqual(['a__terms']);
      expect((await store.listDocuments('a', { limit: 1 })).map((d) => d.documentId)).toEqual(['a__privacy']);
    });

    it('pages versions without their text and returns one with its text', async () => {
      for (const n of [3, 1, 2]) await store.putVersion(aVersion('a__terms', n));
      const firstPage = await store.listVersions('a__terms', { limit: 2 });
      expect(firstPage.map((v) => v.version)).toEqual([1, 2]);
      expect(firstPage[0]).not.toHaveProperty('text');
      expect(
        (await store.listVersions('a__terms', { afterVersion: 2, limit: 2 })).map((v) => v.version),
      ).toEqual([3]);
      expect(await store.getVersion('a__terms', 2)).toEqual(aVersion('a__terms', 2));
      expect(await store.getVersion('a__terms', 9)).toBeNull();
    });

    it("removes a document's versions and timeline entries above a number, and no one else's", async () => {
      for (const n of [1, 2, 3]) {
        await store.putVersion(aVersion('a__terms', n));
        await store.putTimelineEntry(anEntry('a__terms', 'a', n, `2026-01-0${n}T00:00:00.000Z`));
      }
      await store.putVersion(aVersion('b__terms', 3));
      await store.putTimelineEntry(anEntry('b__terms', 'b', 3, '2026-01-03T00:00:00.000Z'));
      await store.removeVersionsAbove('a__terms', 1);
      expect((await store.listVersions('a__terms', { limit: 10 })).map((v) => v.version)).toEqual([1]);
      expect(
        (await store.queryTimeline({ documentId: 'a__terms', limit: 10 })).map((e) => e.version),
      ).toEqual([1]);
      expect(await store.getVersion('b__terms', 3)).not.toBeNull();
      expect(await store.queryTimeline({ documentId: 'b__terms', limit: 10 })).toHaveLength(1);
    });

    it('orders the timeline newest first, filters, and pages by cursor without overlap', async () => {
      await store.putTimelineEntry(anEntry('a__terms', 'a', 1, '2026-01-01T00:00:00.000Z'));
      await store.putTimelineEntry(anEntry('a__terms', 'a', 2, '2026-01-03T00:00:00.000Z'));
      await store.putTimelineEntry(anEntry('b__terms', 'b', 1, '2026-01-03T00:00:00.000Z'));
      await store.putTimelineEntry(anEntry('b__terms', 'b', 2, '2026-01-05T00:00:00.000Z'));
      await store.putTimelineEntry(anEntry('b__terms', 'b', 2, '2026-01-05T00:00:00.000Z'));
      const all = await store.queryTimeline({ limit: 10 });
      expect(all.map((e) => e.entryId)).toEqual(['b__terms:2', 'b__terms:1', 'a__terms:2', 'a__terms:1']);
      const page1 = await store.queryTimeline({ limit: 2 });
      const page2 = await store.queryTimeline({ limit: 2, after: page1[1]! });
      expect([...page1, ...page2].map((e) => e.entryId)).toEqual(all.map((e) => e.entryId));
      expect((await store.queryTimeline({ serviceSlug: 'a', limit: 10 })).map((e) => e.version)).toEqual([
        2, 1,
      ]);
      expect(
        (await store.queryTimeline({ documentId: 'b__terms', limit: 10 })).map((e) => e.version),
      ).toEqual([2, 1]);
      await store.putTimelineEntry({
        ...anEntry('c__terms', 'c', 1, '2026-01-04T00:00:00.000Z'),
        kind: 'technical-upgrade',
      });
      await store.putTimelineEntry({
        ...anEntry('c__terms', 'c', 2, '2026-01-04T00:00:00.000Z'),
        retracted: true,
      });
      expect(await store.queryTimeline({ documentId: 'c__terms', limit: 10 })).toEqual([]);
      expect(await store.getTimelineEntry('c__terms:2')).toMatchObject({ retracted: true, version: 2 });
      expect(await store.getTimelineEntry('nothing')).toBeNull();
      expect(
        (await store.queryTimeline({ documentId: 'c__terms', includeHidden: true, limit: 10 })).map(
          (e) => e.version,
        ),
      ).toEqual([2, 1]);
      const window = await store.queryTimeline({
        from: '2026-01-02T00:00:00.000Z',
        to: '2026-01-05T00:00:00.000Z',
        limit: 10,
      });
      expect(window.map((e) => e.entryId)).toEqual(['b__terms:1', 'a__terms:2']);
    });

    it('keeps observations per document in stream order', async () => {
      for (const streamVersion of [3, 1]) {
        await store.putObservation({
          documentId: 'a__terms',
          fetchId: `f${streamVersion}`,
          streamVersion,
          fetchedAt: '2026-01-01T00:00:00.000Z',
          sourcePart: null,
          sourceUrl: 'https://acme.example',
          snapshotId: 's',
          snapshotChanged: false,
          outcome: 'snapshot-unchanged',
          failure: null,
          textSha256: null,
          suppressedBy: null,
        });
      }
      expect((await store.listObservations('a__terms', { limit: 10 })).map((o) => o.fetchId)).toEqual([
        'f1',
        'f3',
      ]);
      expect(
        (await store.listObservations('a__terms', { afterStreamVersion: 1, limit: 10 })).map(
          (o) => o.fetchId,
        ),
      ).toEqual(['f3']);
    });

    it('keeps governance generations side by side', async () => {
      await store.putGovernanceGeneration({
        generation: 't2+c1',
        taxonomyVersion: 't2',
        classifierVersion: 'c1',
      });
      await store.putGovernanceGeneration({
        generation: 't1+c1',
        taxonomyVersion: 't1',
        classifierVersion: 'c1',
      });
      await store.putGovernanceGeneration({
        generation: 't1+c1',
        taxonomyVersion: 't1',
        classifierVersion: 'c1',
      });
      expect((await store.listGovernanceGenerations()).map((g) => g.generation)).toEqual(['t1+c1', 't2+c1']);
    });

    it('answers provision forms by document, provision, category, reference and as-of date', async () => {
      const closed = aProvisionForm('a__terms', 'data', 1, {
        untilVersion: 3,
        validUntil: '2026-01-03T00:00:00.000Z',
      });
      const current = aProvisionForm('a__terms', 'data', 3, {
        categoryIds: ['retention', 'ai-training-on-user-content'],
        referenceIds: ['gdpr/art-5-1-e', 'ai-act/art-53'],
      });
      const otherService = aProvisionForm('b__terms', 'training', 2, {
        categoryIds: ['ai-training-on-user-content'],
        referenceIds: ['ai-act/art-53'],
      });
      const retracted = aProvisionForm('b__terms', 'training', 4, { retracted: true });
      const otherGeneration = aProvisionForm('a__terms', 'data', 1, { generation: 't2+c1' });
      for (const form of [otherService, current, retracted, closed, otherGeneration]) {
        await store.putProvisionForm(form);
      }
      const ids = (forms: ProvisionFormView[]) => forms.map((f) => f.formId);
      expect(ids(await store.queryProvisionForms({ generation: G1, limit: 10 }))).toEqual(
        ids([closed, current, otherService]),
      );
      expect(ids(await store.queryProvisionForms({ generation: 't2+c1', limit: 10 }))).toEqual(
        ids([otherGeneration]),
      );
      expect(
        ids(
          await store.queryProvisionForms({
            generation: G1,
            documentId: 'a__terms',
            provisionId: 'data',
            limit: 10,
          }),
        ),
      ).toEqual(ids([closed, current]));
      // Page after page, in form id order: each page starts after the last form id of the one before.
      const after = async (afterFormId: string, scope: Partial<ProvisionFormQuery>, limit = 10) =>
        ids(await store.queryProvisionForms({ generation: G1, ...scope, afterFormId, limit }));
      const firstPage = await store.queryProvisionForms({ generation: G1, limit: 2 });
      expect(ids(firstPage)).toEqual(ids([closed, current]));
      expect(await after(firstPage[1]!.formId, {}, 2)).toEqual(ids([otherService]));
      expect(await after(closed.formId, { documentId: 'a__terms' })).toEqual(ids([current]));
      expect(await after(current.formId, { categoryId: 'ai-training-on-user-content' })).toEqual(
        ids([otherService]),
      );
      // One article's forms in force across the generation, a page at a time (GET /v1/regulations/…/provisions).
      const article = { referenceId: 'ai-act/art-53', current: true };
      const firstOfArticle = await store.queryProvisionForms({ generation: G1, ...article, limit: 1 });
      expect(ids(firstOfArticle)).toEqual(ids([current]));
      expect(await after(firstOfArticle[0]!.formId, article, 1)).toEqual(ids([otherService]));
      expect(await after(otherService.formId, article, 1)).toEqual([]);
      // A page of provisions by their ids, in form order whatever the order asked.
      for (const [provisionIds, expected] of [
        [
          ['training', 'data'],
          [closed, current, otherService],
        ],
        [
          ['data', 'missing'],
          [closed, current],
        ],
        [[], []],
      ] as const) {
        expect(ids(await store.queryProvisionForms({ generation: G1, provisionIds, limit: 10 }))).toEqual(
          ids([...expected]),
        );
      }
      expect(
        ids(
          await store.queryProvisionForms({
            generation: G1,
            documentId: 'a__terms',
            provisionIds: ['data', 'training'],
            asOf: '2026-01-03T00:00:00.000Z',
            limit: 10,
          }),
        ),
      ).toEqual(ids([current]));
      expect(
        ids(
          await store.queryProvisionForms({
            generation: G1,
            categoryId: 'ai-training-on-user-content',
            limit: 10,
          }),
        ),
      ).toEqual(ids([current, otherService]));
      expect(
        ids(await store.queryProvisionForms({ generation: G1, referenceId: 'gdpr/art-5-1-e', limit: 10 })),
      ).toEqual(ids([closed, current]));
      expect(
        ids(await store.queryProvisionForms({ generation: G1, asOf: '2026-01-02T12:00:00.000Z', limit: 10 })),
      ).toEqual(ids([closed, otherService]));
      // The bound is half-open: at the instant the next form starts, the closed one is no longer in force.
      expect(
        ids(await store.queryProvisionForms({ generation: G1, asOf: '2026-01-03T00:00:00.000Z', limit: 10 })),
      ).toEqual(ids([current, otherService]));
      expect(
        ids(await store.queryProvisionForms({ generation: G1, current: true, serviceSlug: 'a', limit: 10 })),
      ).toEqual(ids([current]));
      expect(ids(await store.queryProvisionForms({ generation: G1, limit: 1 }))).toEqual(ids([closed]));
      // One service's forms of a category, the store seeking to them: "a-b" opens like "a" but is another service.
      const prefixed = aProvisionForm('a-b__terms', 'training', 1, {
        categoryIds: ['ai-training-on-user-content'],
        referenceIds: ['ai-act/art-53'],
      });
      await store.putProvisionForm(prefixed);
      for (const [serviceSlug, expected] of [
        ['a', [current]],
        ['a-b', [prefixed]],
        ['b', [otherService]],
        ['c', []],
      ] as const) {
        expect(
          ids(
            await store.queryProvisionForms({
              generation: G1,
              categoryId: 'ai-training-on-user-content',
              serviceSlug,
              limit: 10,
            }),
          ),
        ).toEqual(ids([...expected]));
        expect(
          ids(
            await store.queryProvisionForms({
              generation: G1,
              referenceId: 'ai-act/art-53',
              serviceSlug,
              current: true,
              limit: 10,
            }),
          ),
        ).toEqual(ids([...expected]));
      }
      await store.removeGovernanceOf(G1, 'a-b__terms');
      expect(await store.getProvisionForm(retracted.formId)).toEqual(retracted);
      // A form rewritten with other categories is no longer found under the old ones.
      await store.putProvisionForm({ ...otherService, categoryIds: ['children'], referenceIds: [] });
      expect(
        ids(
          await store.queryProvisionForms({
            generation: G1,
            categoryId: 'ai-training-on-user-content',
            limit: 10,
          }),
        ),
      ).toEqual(ids([current]));
    });

    it('filters the governance timeline and pages it by cursor', async () => {
      const first = aGovernanceEntry('a__terms', 1, '2026-01-01T00:00:00.000Z', {
        exposureAfter: 'low',
        materiality: { level: 'minor', reasons: [] },
      });
      const arbitration = aGovernanceEntry('a__terms', 2, '2026-02-01T00:00:00.000Z', {
        categoryIds: ['arbitration-class-waiver'],
        frameworks: ['uctd'],
        referenceIds: ['uctd/annex-1-q'],
        exposureAfter: 'high',
      });
      const privacy = aGovernanceEntry('b__privacy', 2, '2026-02-01T00:00:00.000Z', {
        documentType: 'Privacy Policy',
        effectiveAt: '2026-06-01T00:00:00.000Z',
        statedDates: [{ kind: 'effective', date: '2026-06-01', phrase: 'Effective 1 June 2026' }],
      });
      const upgrade = aGovernanceEntry('b__privacy', 3, '2026-03-01T00:00:00.000Z', {
        kind: 'technical-upgrade',
        documentType: 'Privacy Policy',
      });
      const elsewhere = aGovernanceEntry('a__terms', 2, '2026-02-01T00:00:00.000Z', { generation: 't2+c1' });
      for (const entry of [privacy, first, upgrade, arbitration, elsewhere])
        await store.putGovernanceEntry(entry);
      const ids = (entries: GovernanceEntry[]) => entries.map((e) => e.entryId);
      const all = await store.queryGovernanceTimeline({ generation: G1, limit: 10 });
      expect(ids(all)).toEqual(ids([privacy, arbitration, first]));
      const page1 = await store.queryGovernanceTimeline({ generation: G1, limit: 2 });
      const page2 = await store.queryGovernanceTimeline({ generation: G1, limit: 2, after: page1[1]! });
      expect(ids([...page1, ...page2])).toEqual(ids(all));
      const query = (filters: Partial<Parameters<ReadModelStore['queryGovernanceTimeline']>[0]>) =>
        store.queryGovernanceTimeline({ generation: G1, limit: 10, ...filters }).then(ids);
      expect(await query({ categoryIds: ['arbitration-class-waiver', 'children'] })).toEqual(
        ids([arbitration]),
      );
      expect(await query({ frameworks: ['gdpr'] })).toEqual(ids([privacy, first]));
      expect(await query({ referenceIds: ['uctd/annex-1-q'] })).toEqual(ids([arbitration]));
      expect(await query({ exposure: ['high', 'low'] })).toEqual(ids([arbitration, first]));
      expect(await query({ materiality: ['minor'] })).toEqual(ids([first]));
      expect(await query({ serviceSlugs: ['b'] })).toEqual(ids([privacy]));
      expect(await query({ documentTypes: ['Privacy Policy'], includeHidden: true })).toEqual(
        ids([upgrade, privacy]),
      );
      expect(await query({ documentId: 'a__terms', from: '2026-01-15T00:00:00.000Z' })).toEqual(
        ids([arbitration]),
      );
      expect(await query({ to: '2026-01-15T00:00:00.000Z' })).toEqual(ids([first]));
      expect(await query({ effectiveAfter: '2026-05-01T00:00:00.000Z' })).toEqual(ids([privacy]));
      expect(await query({ effectiveAfter: '2026-07-01T00:00:00.000Z' })).toEqual([]);
      expect(await store.getGovernanceEntry('t2+c1', elsewhere.entryId)).toEqual(elsewhere);
      expect(await store.getGovernanceEntry(G1, 'missing')).toBeNull();
      // Rewriting an entry (a retraction) replaces its tags too.
      await store.putGovernanceEntry({ ...arbitration, categoryIds: ['governing-law'], retracted: true });
      expect(await query({ categoryIds: ['arbitration-class-waiver'], includeHidden: true })).toEqual([]);
      expect(await query({ categoryIds: ['governing-law'] })).toEqual([]);
    });

    it('writes the forms and the entry of one version together', async () => {
      const closed = aProvisionForm('a__terms', 'data', 1, {
        untilVersion: 2,
        validUntil: '2026-01-02T00:00:00.000Z',
      });
      const opened = aProvisionForm('a__terms', 'data', 2, { categoryIds: ['children'], referenceIds: [] });
      const entry = aGovernanceEntry('a__terms', 2, '2026-01-02T00:00:00.000Z', {
        categoryIds: ['children'],
      });
      await store.putGovernanceChanges([closed, opened], entry);
      expect(await store.getProvisionForm(closed.formId)).toEqual(closed);
      expect(
        (
          await store.queryProvisionForms({
            generation: G1,
            categoryId: 'children',
            current: true,
            limit: 10,
          })
        ).map((f) => f.formId),
      ).toEqual([opened.formId]);
      expect(await store.getGovernanceEntry(G1, entry.entryId)).toEqual(entry);
      await store.putGovernanceChanges([], { ...entry, retracted: true });
      expect(await store.queryGovernanceTimeline({ generation: G1, limit: 10 })).toEqual([]);
    });

    it("removes one generation's governance of one document, and nothing else", async () => {
      const form = aProvisionForm('a__terms', 'data', 1, { categoryIds: ['children'] });
      const other = aProvisionForm('b__terms', 'data', 1, { categoryIds: ['children'] });
      const otherGeneration = aProvisionForm('a__terms', 'data', 1, { generation: 't2+c1' });
      await store.putGovernanceChanges([form], aGovernanceEntry('a__terms', 1, '2026-01-01T00:00:00.000Z'));
      await store.putGovernanceChanges([other], aGovernanceEntry('b__terms', 1, '2026-01-01T00:00:00.000Z'));
      await store.putProvisionForm(otherGeneration);
      await store.removeGovernanceOf(G1, 'a__terms');
      expect(await store.getProvisionForm(form.formId)).toBeNull();
      expect(await store.getProvisionForm(otherGeneration.formId)).toEqual(otherGeneration);
      const children = await store.queryProvisionForms({ generation: G1, categoryId: 'children', limit: 10 });
      expect(children.map((f) => f.formId)).toEqual([other.formId]);
      const entries = await store.queryGovernanceTimeline({ generation: G1, limit: 10 });
      expect(entries.map((e) => e.documentId)).toEqual(['b__terms']);
    });

    it('dumps and clears the governance models with the others', async () => {
      await store.putGovernanceGeneration({ generation: G1, taxonomyVersion: 't1', classifierVersion: 'c1' });
      await store.putProvisionForm(aProvisionForm('a__terms', 'data', 1));
      await store.putGovernanceEntry(aGovernanceEntry('a__terms', 1, '2026-01-01T00:00:00.000Z'));
      const dump = await store.dump();
      expect(dump.provisionForms).toEqual([aProvisionForm('a__terms', 'data', 1)]);
      expect(dump.governanceTimeline).toEqual([aGovernanceEntry('a__terms', 1, '2026-01-01T00:00:00.000Z')]);
      expect(dump.governanceGenerations).toHaveLength(1);
      await store.clear();
      const empty = await store.dump();
      expect([empty.provisionForms, empty.governanceTimeline, empty.governanceGenerations]).toEqual([
        [],
        [],
        [],
      ]);
      expect(await store.queryProvisionForms({ generation: G1, categoryId: 'retention', limit: 10 })).toEqual(
        [],
      );
    });

    it('applies a batch of writes as the single puts would, later writes of a key winning, twice the same', async () => {
      const document = aDocument('a__terms', 'a', { appliedVersion: 4 });
      const form = aProvisionForm('a__terms', 'data', 2);
      const entry = aGovernanceEntry('a__terms', 2, '2026-01-02T00:00:00.000Z');
      const hidden = { ...anEntry('a__terms', 'a', 2, '2026-01-02T00:00:00.000Z'), retracted: true };
      const writes: ReadModelWrites = {
        ...noReadModelWrites(),
        governanceGenerations: [{ generation: G1, taxonomyVersion: 't1', classifierVersion: 'c1' }],
        observations: [
          {
            documentId: 'a__terms',
            fetchId: 'f-1',
            streamVersion: 1,
            fetchedAt: '2026-01-01T00:00:00.000Z',
            sourcePart: null,
            sourceUrl: 'https://acme.example',
            snapshotId: 's',
            snapshotChanged: true,
            outcome: 'new-version',
            failure: null,
            textSha256: 'abc',
            suppressedBy: null,
          },
        ],
        versions: [aVersion('a__terms', 1), aVersion('a__terms', 2)],
        timeline: [anEntry('a__terms', 'a', 1, '2026-01-01T00:00:00.000Z'), hidden],
        provisionForms: [form],
        governanceEntries: [entry],
        documents: [aDocument('a__terms', 'a'), document],
        checkpoints: [
          { projection: 'timeline', streamId: 'document:a__terms', version: 3 },
          { projection: 'timeline', streamId: 'document:a__terms', version: 4 },
        ],
      };
      await store.applyWrites(writes);
      await store.applyWrites(writes);
      await store.applyWrites(noReadModelWrites());

      const single = await open('rm_single_');
      try {
        const other = single.store;
        await other.putGovernanceGeneration(writes.governanceGenerations[0]!);
        await other.putObservation(writes.observations[0]!);
        for (const version of writes.versions) await other.putVersion(version);
        for (const timelineEntry of writes.timeline) await other.putTimelineEntry(timelineEntry);
        await other.putGovernanceChanges([form], entry);
        await other.putDocument(document);
        expect(await store.dump()).toEqual(await other.dump());
      } finally {
        await single.store.close();
        await single.cleanup();
      }
      expect(await store.getCheckpoint('timeline', 'document:a__terms')).toBe(4);
      expect(await store.getDocument('a__terms')).toEqual(document);
      // Stored with the columns they are queried by: the retracted entry is hidden, the form is current.
      expect(
        (await store.queryTimeline({ documentId: 'a__terms', limit: 10 })).map((e) => e.version),
      ).toEqual([1]);
      expect(
        (await store.queryProvisionForms({ generation: G1, documentId: 'a__terms', limit: 10 })).map(
          (f) => f.formId,
        ),
      ).toEqual([form.formId]);
    });

    it('dumps every model and keeps namespaces apart', async () => {
      await store.putDocument(aDocument('a__terms'));
      const other = await open('rm_rebuild_');
      try {
        expect((await other.store.dump()).documents).toEqual([]);
        await other.store.putDocument(aDocument('a__terms'));
        expect((await other.store.dump()).documents).toEqual((await store.dump()).documents);
        await other.store.setCheckpoint('timeline', 'document:a', 2);
        await other.store.clear();
        expect((await other.store.dump()).documents).toEqual([]);
        expect(await other.store.getCheckpoint('timeline', 'document:a')).toBe(0);
      } finally {
        await other.store.close();
        await other.cleanup();
      }
      expect((await store.dump()).documents).toHaveLength(1);
    });

    it('rebuilds beside itself without reading its own data, then swaps the rebuild in', async () => {
      await store.putDocument(aDocument('old__terms'));
      await store.setCheckpoint('timeline', 'document:old__terms', 9);
      const rebuild = await store.prepareRebuild();
      expect((await rebuild.target.dump()).documents).toEqual([]);
      await rebuild.target.putDocument(aDocument('new__terms'));
      await rebuild.target.setCheckpoint('timeline', 'document:new__terms', 2);
      // The live store is untouched until the swap.
      expect((await store.listDocuments()).map((d) => d.documentId)).toEqual(['old__terms']);

      await rebuild.swapIn();

      expect((await store.listDocuments()).map((d) => d.documentId)).toEqual(['new__terms']);
      expect(await store.getCheckpoint('timeline', 'document:new__terms')).toBe(2);
      expect(await store.getCheckpoint('timeline', 'document:old__terms')).toBe(0);
      await store.putDocument(aDocument('later__terms'));
      expect(await store.getDocument('later__terms')).toEqual(aDocument('later__terms'));
    });

    it('discards a rebuild without touching the live store', async () => {
      await store.putDocument(aDocument('kept__terms'));
      const rebuild = await store.prepareRebuild();
      await rebuild.target.putDocument(aDocument('dropped__terms'));
      await rebuild.discard();
      expect((await store.listDocuments()).map((d) => d.documentId)).toEqual(['kept__terms']);
      const again = await store.prepareRebuild();
      expect((await again.target.dump()).documents).toEqual([]);
      await again.discard();
    });
  });
}
