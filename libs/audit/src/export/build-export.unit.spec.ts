import { buildExport } from './build-export';
import { fixtureSource } from './export-fixture.spec-support';
import type { DerivedRecord } from './export-source';
import { verifyExport } from './verify-export';
import { bundleOf } from './write-bundle';

describe('buildExport of a long document', () => {
  it('lets the event loop turn while it writes the derived records, and the bundle verifies', async () => {
    const base = fixtureSource({
      'long__terms-of-service': [
        { fetchedAt: '2026-01-01T00:00:00Z', snapshot: '<p>Terms.</p>', text: 'Terms.' },
      ],
    });
    // Tens of thousands of provision forms, as a document with that many sections has: many slices of work.
    const forms = (documentId: string, version: number): DerivedRecord[] =>
      Array.from({ length: 40_000 }, (_, index) => ({
        kind: 'provision-form' as const,
        documentId,
        version,
        taxonomyVersion: 'tax-1',
        classifierVersion: 'cls-1',
        data: { provisionId: `section-${index}`, categoryIds: ['retention'], text: `Section ${index}. ` },
      }));
    const source = {
      ...base,
      derived: (documentId: string, versions: readonly number[]) =>
        Promise.resolve(versions.flatMap((version) => forms(documentId, version))),
    };
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    const { bundle, manifest } = await bundleOf(
      buildExport(source, {
        request: { scope: { kind: 'collection' }, from: null, to: null, includeSnapshots: false },
        requestedBy: 'test',
        createdAt: '2026-04-01T00:00:00Z',
      }),
    ).finally(() => clearInterval(ticker));
    // Every source read resolves at once: only the slicing of the writing lets a timer run before the end.
    expect(turns).toBeGreaterThan(0);
    expect(manifest.counts.derived).toBe(40_000);
    expect(manifest.streams[0]!.derived).toHaveLength(40_000);
    expect(verifyExport(bundle).problems).toEqual([]);
  });
});
