import { snapshotIdOf, type SnapshotStore } from './snapshot-store.port';

export function snapshotStoreContract(
  name: string,
  open: () => Promise<{ store: SnapshotStore; cleanup(): Promise<void> }>,
): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let store: SnapshotStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

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
      await expect(store.put(snapshotIdOf(Buffer.from('a')), Buffer.from('b'), 'text/plain')).rejects.toThrow(/does not match/);
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
}
