import { SnapshotCorruptError, type SnapshotEncoding } from './snapshot-archive';
import { snapshotIdOf, type SnapshotStore } from './snapshot-store.port';

/** Reaches under the port to look at and to damage stored records, as a disk fault or a bad copy would. */
export interface SnapshotArchiveProbe {
  storedAs(snapshotId: string): Promise<{ encoding: SnapshotEncoding; baseId: string | null; depth: number }>;
  remove(snapshotId: string): Promise<void>;
  /** Replaces the stored bytes by a well-formed whole copy of other content. */
  replaceWithOther(snapshotId: string, other: Buffer): Promise<void>;
  /** Cuts the stored bytes in half. */
  truncate(snapshotId: string): Promise<void>;
  linkBase(snapshotId: string, baseId: string): Promise<void>;
}

/** The chain bounds a contract case opens its store with (small ones, to see a chain restart). */
export interface ChainBounds {
  maxChainDepth?: number;
  maxChainBytes?: number;
  maxChainOps?: number;
}

export interface OpenedSnapshotStore {
  store: SnapshotStore;
  probe: SnapshotArchiveProbe;
  /** Opens the same archive again, as after a restart (nothing held in memory). */
  reopen(): Promise<SnapshotStore>;
  cleanup(): Promise<void>;
}

/** A page as successive fetches see it: the same text with a date and a counter that move. */
function pageVersion(revision: number): Buffer {
  const paragraphs = Array.from(
    { length: 400 },
    (_, i) => `<p id="s${i}">Section ${i}: the service may change these terms with notice ${i * 31}.</p>`,
  );
  paragraphs[revision % paragraphs.length] = `<p>Changed in revision ${revision}</p>`;
  return Buffer.from(`<html><body><p>Updated ${revision}</p>${paragraphs.join('\n')}</body></html>`);
}

export function snapshotStoreContract(
  name: string,
  open: (options?: ChainBounds) => Promise<OpenedSnapshotStore>,
): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let store: SnapshotStore;
    let probe: SnapshotArchiveProbe;
    let reopen: () => Promise<SnapshotStore>;
    let cleanup: () => Promise<void>;
    const opened: SnapshotStore[] = [];
    const start = async (options?: ChainBounds): Promise<void> => {
      ({ store, probe, reopen, cleanup } = await open(options));
    };
    afterEach(async () => {
      for (const other of opened.splice(0)) await other.close();
      await store.close();
      await cleanup();
    });

    /** Stores revisions 0..count-1 of one source; returns their ids and bytes. */
    const storeRevisions = async (count: number, source = 'acme/terms#') => {
      const revisions = Array.from({ length: count }, (_, i) => pageVersion(i));
      for (const content of revisions)
        await store.put(snapshotIdOf(content), content, 'text/html', { source });
      return revisions.map((content) => ({ id: snapshotIdOf(content), content }));
    };

    const reopened = async (): Promise<SnapshotStore> => {
      const fresh = await reopen();
      opened.push(fresh);
      return fresh;
    };

    describe('basics', () => {
      beforeEach(() => start());

      it('stores bytes under their sha256 once and returns them intact', async () => {
        const content = Buffer.from('<html><body>Terms é</body></html>');
        const id = snapshotIdOf(content);
        expect(await store.put(id, content, 'text/html')).toEqual({ created: true });
        expect(await store.put(id, Buffer.from(content), 'text/html')).toEqual({ created: false });
        const stored = await store.get(id);
        expect(stored?.content.equals(content)).toBe(true);
        expect(stored).toMatchObject({ snapshotId: id, mimeType: 'text/html', bytes: content.length });
      });

      it('refuses bytes that do not hash to the given id', async () => {
        await expect(
          store.put(snapshotIdOf(Buffer.from('a')), Buffer.from('b'), 'text/plain'),
        ).rejects.toThrow(/does not match/);
        expect(await store.get(snapshotIdOf(Buffer.from('a')))).toBeNull();
      });

      it('keeps binary content (a PDF) byte for byte', async () => {
        const content = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
        const id = snapshotIdOf(content);
        await store.put(id, content, 'application/pdf');
        expect((await store.get(id))?.content.equals(content)).toBe(true);
      });

      it('stores content whose compressed form is over one document (incompressible 12 MB)', async () => {
        let seed = 42;
        const content = Buffer.alloc(12 * 1024 * 1024);
        for (let i = 0; i < content.length; i += 1) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          content[i] = seed >> 16;
        }
        const id = snapshotIdOf(content);
        await store.put(id, content, 'application/pdf');
        expect((await store.get(id))?.content.equals(content)).toBe(true);
      });
    });

    describe('dense storage', () => {
      it('keeps successive snapshots of a source as deltas and reads each back byte for byte, also after a restart', async () => {
        await start();
        const revisions = await storeRevisions(6);
        expect(await probe.storedAs(revisions[0]!.id)).toEqual({ encoding: 'br', baseId: null, depth: 0 });
        expect(await probe.storedAs(revisions[5]!.id)).toEqual({
          encoding: 'delta-br',
          baseId: revisions[4]!.id,
          depth: 5,
        });
        const fresh = await reopened();
        for (const { id, content } of revisions) {
          expect((await store.get(id))?.content.equals(content)).toBe(true);
          expect((await fresh.get(id))?.content.equals(content)).toBe(true);
        }
        // After a restart the chain goes on from the stored head.
        const next = pageVersion(6);
        await fresh.put(snapshotIdOf(next), next, 'text/html', { source: 'acme/terms#' });
        expect(await probe.storedAs(snapshotIdOf(next))).toMatchObject({ encoding: 'delta-br', depth: 6 });
      });

      it('puts a batch as deltas along its order, answers a stored or repeated snapshot as not created, and goes on after it', async () => {
        await start();
        const [first, second, third, fourth] = [0, 1, 2, 3].map((revision) => pageVersion(revision));
        const put = (content: Buffer, source = 'acme/batch#') => ({
          snapshotId: snapshotIdOf(content),
          content,
          mimeType: 'text/html',
          options: { source },
        });
        // The second is stored already: the batch goes on after it, and the third is a delta on it.
        await store.put(snapshotIdOf(first!), first!, 'text/html', { source: 'acme/batch#' });
        await store.put(snapshotIdOf(second!), second!, 'text/html', { source: 'acme/batch#' });
        const other = Buffer.from('<html><body>Another source</body></html>');
        expect(
          await store.putMany([
            put(second!),
            put(third!),
            put(other, 'acme/other#'),
            put(fourth!),
            put(third!),
          ]),
        ).toEqual([
          { created: false },
          { created: true },
          { created: true },
          { created: true },
          { created: false },
        ]);
        expect(await probe.storedAs(snapshotIdOf(third!))).toEqual({
          encoding: 'delta-br',
          baseId: snapshotIdOf(second!),
          depth: 2,
        });
        expect(await probe.storedAs(snapshotIdOf(fourth!))).toMatchObject({
          baseId: snapshotIdOf(third!),
          depth: 3,
        });
        expect(await store.putMany([put(third!), put(fourth!)])).toEqual([
          { created: false },
          { created: false },
        ]);
        expect(await store.putMany([])).toEqual([]);
        // The source's head moved to the batch's newest: a restart goes on from there.
        const fresh = await reopened();
        for (const content of [first!, second!, third!, fourth!, other])
          expect((await fresh.get(snapshotIdOf(content)))?.content.equals(content)).toBe(true);
        const next = pageVersion(4);
        await fresh.put(snapshotIdOf(next), next, 'text/html', { source: 'acme/batch#' });
        expect(await probe.storedAs(snapshotIdOf(next))).toMatchObject({
          baseId: snapshotIdOf(fourth!),
          depth: 4,
        });
        // A stored snapshot that is not the head stops nothing: the one after it is inserted all the same.
        const last = pageVersion(5);
        expect(await fresh.putMany([put(first!), put(last)])).toEqual([
          { created: false },
          { created: true },
        ]);
        expect((await fresh.get(snapshotIdOf(last)))?.content.equals(last)).toBe(true);
      });

      it('bounds a chain: after the bound the next snapshot is kept whole', async () => {
        await start({ maxChainDepth: 3 });
        const revisions = await storeRevisions(9);
        const depths = [];
        for (const { id } of revisions) depths.push((await probe.storedAs(id)).depth);
        expect(depths).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0]);
      });

      it('bounds a chain by the bytes a read decodes, also across a restart', async () => {
        // 10 KB that stay and 6 KB that change every time: each delta carries about 6 KB, so a 32 KB budget
        // (twice the page) holds the whole copy and two deltas.
        const stay = Array.from({ length: 1200 }, (_, i) => `clause ${i} `)
          .join('')
          .slice(0, 10_000);
        const churn = (revision: number): Buffer => {
          let seed = revision + 1;
          let noise = '';
          while (noise.length < 6_000) {
            seed = (seed * 1103515245 + 12345) & 0x7fffffff;
            noise += seed.toString(36);
          }
          return Buffer.from(`${stay}${noise.slice(0, 6_000)}`);
        };
        await start({ maxChainBytes: 32_000 });
        const pages = Array.from({ length: 6 }, (_, i) => churn(i));
        for (const content of pages.slice(0, 2))
          await store.put(snapshotIdOf(content), content, 'text/plain', { source: 'acme/churn#' });
        // A restart in the middle: the stored head's cost is rebuilt from its chain.
        const fresh = await reopened();
        for (const content of pages.slice(2))
          await fresh.put(snapshotIdOf(content), content, 'text/plain', { source: 'acme/churn#' });
        const depths = [];
        for (const content of pages) depths.push((await probe.storedAs(snapshotIdOf(content))).depth);
        expect(depths).toEqual([0, 1, 2, 0, 1, 2]);
        for (const content of pages)
          expect((await fresh.get(snapshotIdOf(content)))?.content.equals(content)).toBe(true);
      });

      it('bounds a chain by the delta operations a read composes', async () => {
        // 50 bytes spread over the page change at every fetch: about 100 operations per delta (50 inserts and the
        // copies between them), so a budget of 250 holds two deltas on a whole copy, not three.
        const page = Buffer.from(Array.from({ length: 2_000 }, (_, i) => `term ${i} `).join(''));
        const scattered = (revision: number): Buffer => {
          const content = Buffer.from(page);
          for (let e = 0; e < 50; e += 1) content[e * 400 + 7] = 65 + (revision % 26);
          return content;
        };
        await start({ maxChainOps: 250 });
        const pages = Array.from({ length: 6 }, (_, i) => scattered(i));
        for (const content of pages)
          await store.put(snapshotIdOf(content), content, 'text/plain', { source: 'acme/scattered#' });
        const depths = [];
        for (const content of pages) depths.push((await probe.storedAs(snapshotIdOf(content))).depth);
        expect(depths).toEqual([0, 1, 2, 0, 1, 2]);
        for (const content of pages)
          expect((await store.get(snapshotIdOf(content)))?.content.equals(content)).toBe(true);
      });

      it('keeps unrelated content whole, and snapshots without a source whole', async () => {
        await start();
        await storeRevisions(1);
        const other = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
        await store.put(snapshotIdOf(other), other, 'application/pdf', { source: 'acme/terms#' });
        expect(await probe.storedAs(snapshotIdOf(other))).toMatchObject({ encoding: 'br', depth: 0 });
        const loose = pageVersion(1);
        await store.put(snapshotIdOf(loose), loose, 'text/html');
        expect(await probe.storedAs(snapshotIdOf(loose))).toMatchObject({ encoding: 'br' });
      });
    });

    describe('damage', () => {
      const readFailure = async (reader: SnapshotStore, id: string): Promise<SnapshotCorruptError> => {
        const failure = await reader.get(id).then(
          () => null,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(SnapshotCorruptError);
        return failure as SnapshotCorruptError;
      };

      it('a missing delta base: a clear error naming the snapshot and its base, nothing served', async () => {
        await start();
        const revisions = await storeRevisions(3);
        await probe.remove(revisions[1]!.id);
        const error = await readFailure(await reopened(), revisions[2]!.id);
        expect(error.damage).toBe('missing-base');
        expect(error.culpritId).toBe(revisions[1]!.id);
        expect(error.message).toContain(revisions[2]!.id);
        expect(error.message).toContain(revisions[1]!.id);
      });

      it('a corrupt delta base: the error names the damaged base; a repair from a verified copy heals the chain', async () => {
        await start();
        const revisions = await storeRevisions(4);
        await probe.replaceWithOther(revisions[1]!.id, Buffer.from('something else entirely'));
        const reader = await reopened();
        const error = await readFailure(reader, revisions[3]!.id);
        expect(error.damage).toBe('corrupt');
        expect(error.culpritId).toBe(revisions[1]!.id);
        expect(error.message).toContain(`delta base ${revisions[1]!.id} is corrupt`);

        await expect(reader.repair(revisions[1]!.id, revisions[0]!.content, 'text/html')).rejects.toThrow(
          /does not match/,
        );
        expect(await reader.repair(revisions[1]!.id, revisions[1]!.content, 'text/html')).toBe('repaired');
        expect(await reader.repair(revisions[1]!.id, revisions[1]!.content, 'text/html')).toBe('intact');
        for (const { id, content } of revisions)
          expect((await reader.get(id))?.content.equals(content)).toBe(true);
      });

      it('truncated stored bytes: a clear error naming the snapshot', async () => {
        await start();
        const revisions = await storeRevisions(2);
        await probe.truncate(revisions[1]!.id);
        const error = await readFailure(await reopened(), revisions[1]!.id);
        expect(error.damage).toBe('truncated');
        expect(error.message).toContain(revisions[1]!.id);
      });

      it('a chain longer than the read bound (a base link loop) ends in an error, not a hang', async () => {
        await start();
        const revisions = await storeRevisions(3);
        await probe.linkBase(revisions[1]!.id, revisions[2]!.id);
        const error = await readFailure(await reopened(), revisions[2]!.id);
        expect(error.damage).toBe('chain-too-long');
      });

      it('a missing snapshot is restored from an export; a new fetch over a damaged head is kept whole', async () => {
        await start();
        const revisions = await storeRevisions(2);
        await probe.remove(revisions[1]!.id);
        const writer = await reopened();
        const next = pageVersion(2);
        await writer.put(snapshotIdOf(next), next, 'text/html', { source: 'acme/terms#' });
        expect(await probe.storedAs(snapshotIdOf(next))).toMatchObject({ encoding: 'br', depth: 0 });
        expect(await writer.get(revisions[1]!.id)).toBeNull();
        expect(await writer.repair(revisions[1]!.id, revisions[1]!.content, 'text/html')).toBe('restored');
        expect((await writer.get(revisions[1]!.id))?.content.equals(revisions[1]!.content)).toBe(true);
      });

      it('lists every stored snapshot id', async () => {
        await start();
        const revisions = await storeRevisions(3);
        const ids: string[] = [];
        for await (const id of store.snapshotIds()) ids.push(id);
        expect(ids.sort()).toEqual(revisions.map(({ id }) => id).sort());
      });
    });
  });
}
