import { parseFeed } from 'feedsmith';
import { buildAtomFeed, type AtomFeed } from './atom-feed';
import { expectValidAtom } from './atom-validity.spec-support';

const aFeed = (overrides: Partial<AtomFeed> = {}): AtomFeed => ({
  id: 'tag:termline.dev,2026:feeds/services/nimbus-notes',
  title: 'Nimbus Notes — governance changes',
  selfUrl: 'http://localhost:3000/v1/feeds/services/nimbus-notes',
  fallbackUpdated: '2026-01-01T00:00:00.000Z',
  entries: [
    {
      id: 'tag:termline.dev,2026:nimbus-notes__terms-of-service:000002',
      title: 'Terms of Service v2: arbitration & class waiver added <high>',
      updated: '2026-03-16T09:00:00.000Z',
      link: 'http://localhost:3000/v1/documents/nimbus-notes__terms-of-service/versions/2?x=1&y=2',
      summary: 'Disputes: "courts" → binding arbitration\u0007',
      categories: ['arbitration-class-waiver', 'uctd/annex-1-q'],
    },
    {
      id: 'tag:termline.dev,2026:nimbus-notes__terms-of-service:000001',
      title: 'Terms of Service v1',
      updated: '2026-01-05T09:00:00.000Z',
      link: 'http://localhost:3000/v1/documents/nimbus-notes__terms-of-service/versions/1',
      summary: 'First version',
      categories: [],
    },
  ],
  ...overrides,
});

describe('Atom feed', () => {
  it('is a valid Atom document whose entries read back as written', () => {
    const xml = buildAtomFeed(aFeed());
    expectValidAtom(xml);
    const { feed } = parseFeed(xml) as {
      feed: {
        updated: string;
        entries: Array<{
          title: { value: string };
          categories?: Array<{ term: string }>;
          summary?: { value: string };
        }>;
      };
    };
    expect(feed.updated).toBe('2026-03-16T09:00:00.000Z');
    expect(feed.entries[0]!.title.value).toBe('Terms of Service v2: arbitration & class waiver added <high>');
    expect(feed.entries[0]!.categories!.map((c) => c.term)).toEqual([
      'arbitration-class-waiver',
      'uctd/annex-1-q',
    ]);
    // A control character XML cannot carry is dropped, not passed through.
    expect(feed.entries[0]!.summary!.value).toBe('Disputes: "courts" → binding arbitration');
  });

  it('stays valid with no entry, dated by the fallback instant', () => {
    const xml = buildAtomFeed(aFeed({ entries: [] }));
    expectValidAtom(xml);
    expect(xml).toContain('<updated>2026-01-01T00:00:00.000Z</updated>');
  });
});
