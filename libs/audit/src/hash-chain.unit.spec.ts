import { commitHash, groupCommits, linkOf, verifyChain, type ChainedEvent } from './hash-chain';

const event = (streamVersion: number, data: unknown = { n: streamVersion }): ChainedEvent => ({
  eventId: `e${streamVersion}`,
  type: 'Something',
  schemaVersion: 1,
  streamVersion,
  data,
  metadata: { occurredAt: '2026-01-01T00:00:00.000Z' },
});

/** Given commits of 1, 2 and 1 events, the links a store would record. */
function chainOf(sizes: number[]) {
  const links = [];
  const byCommit = new Map<string, ChainedEvent[]>();
  let previousHash: string | null = null;
  let version = 1;
  for (const [index, size] of sizes.entries()) {
    const events = Array.from({ length: size }, (_, i) => event(version + i));
    const link = linkOf({
      streamId: 'document:a',
      commitId: `c${index + 1}`,
      firstVersion: version,
      previousHash,
      events,
    });
    links.push(link);
    byCommit.set(link.commitId, events);
    previousHash = link.hash;
    version += size;
  }
  return { links, byCommit };
}

const start = { hash: null, lastVersion: 0 };

describe('hash chain', () => {
  it('accepts an intact chain', () => {
    const { links, byCommit } = chainOf([1, 2, 1]);
    expect(verifyChain('document:a', links, byCommit, start)).toEqual([]);
  });

  it('changes the hash when the predecessor, an event or the order changes', () => {
    const events = [event(1), event(2)];
    const base = { streamId: 'document:a', commitId: 'c', firstVersion: 1, previousHash: null, events };
    const hash = commitHash(base);
    expect(commitHash({ ...base, previousHash: '0'.repeat(64) })).not.toBe(hash);
    expect(commitHash({ ...base, events: [event(1), event(2, { n: 3 })] })).not.toBe(hash);
    expect(commitHash({ ...base, events: [events[1]!, events[0]!] })).not.toBe(hash);
    expect(commitHash({ ...base, events: [{ ...events[0]!, data: { n: 1 } }, events[1]!] })).toBe(hash);
  });

  it('names the commit whose events were changed', () => {
    const { links, byCommit } = chainOf([1, 2, 1]);
    byCommit.set('c2', [event(2), event(3, { n: 'edited' })]);
    expect(verifyChain('document:a', links, byCommit, start)).toEqual([
      expect.objectContaining({ check: 'commit-hash', commitId: 'c2' }),
    ]);
  });

  it('names a dropped commit as a gap in versions and in the chain', () => {
    const { links, byCommit } = chainOf([1, 2, 1]);
    const problems = verifyChain('document:a', [links[0]!, links[2]!], byCommit, start);
    expect(problems.map((p) => [p.check, p.commitId])).toEqual([
      ['version-gap', 'c3'],
      ['chain-link', 'c3'],
    ]);
  });

  it('checks a range against the link before it', () => {
    const { links, byCommit } = chainOf([1, 2, 1]);
    expect(
      verifyChain('document:a', links.slice(1), byCommit, { hash: links[0]!.hash, lastVersion: 1 }),
    ).toEqual([]);
    expect(
      verifyChain('document:a', links.slice(1), byCommit, { hash: 'f'.repeat(64), lastVersion: 1 })[0],
    ).toMatchObject({ check: 'chain-link' });
  });

  it('groups a stream into its commits', () => {
    const events = [1, 2, 3].map((v) => ({ commitId: v < 3 ? 'a' : 'b', streamVersion: v }));
    expect(groupCommits(events).map((c) => [c.commitId, c.firstVersion, c.events.length])).toEqual([
      ['a', 1, 2],
      ['b', 3, 1],
    ]);
  });
});
