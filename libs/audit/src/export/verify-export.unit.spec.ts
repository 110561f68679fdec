import fc from 'fast-check';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readTar, tarEnd, tarEntry, type TarFile } from '../tar';
import { buildExport, type ExportOptions } from './build-export';
import type { ExportManifest, ExportRequest } from './export-manifest';
import { fixtureSource, type FixtureCommit } from './export-fixture.spec-support';
import { writeExport, type ExportFormat } from './export-formats';
import { verifyExport, type VerifyCheck } from './verify-export';
import { bundleOf } from './write-bundle';

const history: Record<string, FixtureCommit[]> = {
  'acme__terms-of-service': [
    {
      fetchedAt: '2026-01-01T00:00:00Z',
      snapshot: '<p>We keep data 30 days.</p>',
      text: 'We keep data 30 days.',
    },
    { fetchedAt: '2026-01-02T00:00:00Z', snapshot: '<p>We keep data 30 days.</p>' },
    {
      fetchedAt: '2026-02-01T00:00:00Z',
      snapshot: '<p>We keep data 90 days.</p>',
      text: 'We keep data 90 days.',
    },
    {
      fetchedAt: '2026-03-01T00:00:00Z',
      snapshot: '<p>We keep data 90 days. Irish law.</p>',
      text: 'We keep data 90 days. Irish law.',
    },
  ],
  'acme__privacy-policy': [
    { fetchedAt: '2026-01-05T00:00:00Z', snapshot: '<p>Privacy é€𝄞</p>', text: 'Privacy é€𝄞' },
  ],
};

const keys = () => generateKeyPairSync('ed25519');
const signer = keys();
const publicPem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

const collection: ExportRequest = {
  scope: { kind: 'collection' },
  from: null,
  to: null,
  includeSnapshots: true,
};

async function exportOf(request: ExportRequest = collection, extra: Partial<ExportOptions> = {}) {
  return bundleOf(
    buildExport(fixtureSource(history), {
      request,
      requestedBy: 'test',
      createdAt: '2026-04-01T00:00:00Z',
      signingKey: signer.privateKey,
      ...extra,
    }),
  );
}

/** Unpacks, lets a test change the files, packs again in the same order. */
function tamper(bundle: Buffer, change: (files: TarFile[]) => TarFile[] | void): Buffer {
  const files = readTar(bundle);
  const changed = change(files) ?? files;
  return Buffer.concat([...changed.flatMap((file) => tarEntry(file.path, file.content)), tarEnd()]);
}

const file = (files: TarFile[], path: string): TarFile => {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return found;
};
const lines = (f: TarFile) => f.content.toString('utf8').trimEnd().split('\n');
const setLines = (f: TarFile, next: string[]) => {
  f.content = Buffer.from(`${next.join('\n')}\n`, 'utf8');
};
const flipByte = (content: Buffer, at: number) => {
  const copy = Buffer.from(content);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

const TOS = 'documents/acme__terms-of-service';

function checksOf(bundle: Buffer, publicKey = publicPem(signer.publicKey)): VerifyCheck[] {
  return verifyExport(bundle, { publicKey }).problems.map((p) => p.check);
}

function problem(bundle: Buffer, check: VerifyCheck) {
  const found = verifyExport(bundle, { publicKey: publicPem(signer.publicKey) }).problems.find(
    (p) => p.check === check,
  );
  if (!found) throw new Error(`expected a ${check} problem, got ${checksOf(bundle).join(', ') || 'none'}`);
  return found;
}

describe('export bundle and offline verifier', () => {
  let bundle: Buffer;
  let manifest: ExportManifest;
  beforeAll(async () => {
    ({ bundle, manifest } = await exportOf());
  });

  it('holds a manifest, the chain, events, texts, derived records, snapshots and the timeline, and verifies', () => {
    const paths = readTar(bundle).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        `${TOS}/chain.ndjson`,
        `${TOS}/events.ndjson`,
        `${TOS}/texts/1.txt`,
        `${TOS}/texts/3.txt`,
        `${TOS}/derived.ndjson`,
        'timeline.csv',
        'manifest.json',
        'manifest.sig',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('snapshots/'))).toHaveLength(4);
    expect(manifest.counts).toEqual({
      documents: 2,
      commits: 5,
      events: 9,
      observations: 5,
      versions: 4,
      retractions: 0,
      texts: 4,
      snapshots: 4,
      derived: 8,
    });
    expect(manifest.producers).toMatchObject({
      extractorVersions: ['test-1'],
      taxonomyVersion: 'tax-1',
      classifierVersion: 'cls-1',
    });
    expect(manifest.streams.find((s) => s.documentId === 'acme__terms-of-service')?.derived).toEqual([
      { kind: 'version-summary', version: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { kind: 'governance-entry', version: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { kind: 'version-summary', version: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { kind: 'governance-entry', version: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { kind: 'version-summary', version: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { kind: 'governance-entry', version: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const report = verifyExport(bundle, { publicKey: publicPem(signer.publicKey) });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked).toMatchObject({ commits: 5, events: 9, texts: 4, snapshots: 4 });
  });

  it('writes the same bytes for the same history and request', async () => {
    expect((await exportOf()).bundle.equals(bundle)).toBe(true);
  });

  it('catches one flipped byte of a text', () => {
    const tampered = tamper(bundle, (files) => {
      const text = file(files, `${TOS}/texts/2.txt`);
      text.content = flipByte(text.content, 3);
    });
    expect(problem(tampered, 'text-mismatch').where).toBe(`${TOS}/texts/2.txt`);
    expect(problem(tampered, 'file-hash').where).toBe(`${TOS}/texts/2.txt`);
  });

  it('catches an edited derived record, naming its line and kind', () => {
    const tampered = tamper(bundle, (files) => {
      const derived = file(files, `${TOS}/derived.ndjson`);
      derived.content = Buffer.from(
        derived.content.toString('utf8').replace('"exposure":"medium"', '"exposure":"low"'),
      );
    });
    const found = problem(tampered, 'derived-hash');
    expect(found.where).toBe(`${TOS}/derived.ndjson:2`);
    expect(found.message).toMatch(
      /^derived record 2 \(governance-entry of version 1\) hashes to [0-9a-f]{64}; the manifest lists governance-entry of version 1 with [0-9a-f]{64}$/,
    );
    expect(problem(tampered, 'file-hash').where).toBe(`${TOS}/derived.ndjson`);
  });

  it('catches a dropped derived record', () => {
    const tampered = tamper(bundle, (files) => {
      const derived = file(files, `${TOS}/derived.ndjson`);
      setLines(derived, lines(derived).slice(1));
    });
    expect(problem(tampered, 'derived-hash').message).toMatch(
      /^the file holds 5 derived record\(s\); the manifest lists 6$/,
    );
  });

  it('catches a derived record about a version the export does not hold, even when re-listed consistently', async () => {
    const source = fixtureSource(history);
    const { bundle: stray } = await bundleOf(
      buildExport(
        {
          ...source,
          derived: async (documentId, versions) => [
            ...(await source.derived(documentId, versions)),
            { ...(await source.derived(documentId, [1]))[0]!, version: 9 },
          ],
        },
        {
          request: collection,
          requestedBy: 'test',
          createdAt: '2026-04-01T00:00:00Z',
          signingKey: signer.privateKey,
        },
      ),
    );
    const found = problem(stray, 'derived-version');
    expect(found.message).toMatch(
      /\(version-summary of version 9\) is about acme__.* version 9, which this export does not hold/,
    );
    expect(checksOf(stray).every((check) => check === 'derived-version')).toBe(true);
  });

  it('catches a derived record whose producers are not the ones the manifest names', async () => {
    const source = fixtureSource(history);
    const { bundle: mixed } = await bundleOf(
      buildExport(source, {
        request: collection,
        requestedBy: 'test',
        createdAt: '2026-04-01T00:00:00Z',
        signingKey: signer.privateKey,
        taxonomyVersion: 'tax-2',
      }),
    );
    expect(problem(mixed, 'derived-producer').message).toMatch(
      /made by taxonomy tax-1 and classifier cls-1; the manifest names tax-2 and cls-1$/,
    );
  });

  it('refuses to export derived records of two generations under one manifest', async () => {
    const source = fixtureSource(history);
    const files = buildExport(
      {
        ...source,
        derived: async (documentId, versions) =>
          (await source.derived(documentId, versions)).map((record, index) =>
            record.taxonomyVersion && index > 2 ? { ...record, taxonomyVersion: 'tax-0' } : record,
          ),
      },
      { request: collection, requestedBy: 'test', createdAt: '2026-04-01T00:00:00Z' },
    );
    await expect(bundleOf(files)).rejects.toThrow(/several taxonomy versions \(tax-1, tax-0\)/);
  });

  it('catches one flipped byte of a snapshot', () => {
    const tampered = tamper(bundle, (files) => {
      const snapshot = files.find((f) => f.path.startsWith('snapshots/'))!;
      snapshot.content = flipByte(snapshot.content, 0);
    });
    expect(problem(tampered, 'snapshot-hash').message).toMatch(
      /^snapshot [0-9a-f]{64} hashes to [0-9a-f]{64}$/,
    );
  });

  it('catches one flipped byte of an event, naming its commit', () => {
    const tampered = tamper(bundle, (files) => {
      const events = file(files, `${TOS}/events.ndjson`);
      events.content = Buffer.from(
        events.content
          .toString('utf8')
          .replace('"outcome":"snapshot-unchanged"', '"outcome":"snapshot-unchangeD"'),
      );
    });
    expect(problem(tampered, 'commit-hash').where).toBe(
      `${TOS}/chain.ndjson (commit fetch:acme__terms-of-service-2)`,
    );
  });

  it('catches a dropped version: the commit after it no longer follows', () => {
    const tampered = tamper(bundle, (files) => {
      const drop = 'fetch:acme__terms-of-service-3';
      for (const name of ['events', 'chain']) {
        const f = file(files, `${TOS}/${name}.ndjson`);
        setLines(
          f,
          lines(f).filter((line) => !line.includes(`"commitId":"${drop}"`)),
        );
      }
      return files.filter((f) => f.path !== `${TOS}/texts/2.txt`);
    });
    expect(problem(tampered, 'chain-link').where).toBe(
      `${TOS}/chain.ndjson (commit fetch:acme__terms-of-service-4)`,
    );
    expect(problem(tampered, 'version-gap').message).toMatch(/starts at version 6, expected 4/);
    expect(problem(tampered, 'file-missing').where).toBe(`${TOS}/texts/2.txt`);
  });

  it('catches a dropped "checked, unchanged" observation', () => {
    const tampered = tamper(bundle, (files) => {
      for (const name of ['events', 'chain']) {
        const f = file(files, `${TOS}/${name}.ndjson`);
        setLines(
          f,
          lines(f).filter((line) => !line.includes('"commitId":"fetch:acme__terms-of-service-2"')),
        );
      }
    });
    expect(problem(tampered, 'chain-link').message).toMatch(/commit fetch:acme__terms-of-service-3 follows/);
    expect(verifyExport(tampered).problems.map((p) => p.message)).toContain(
      'counts.observations: the bundle holds 4, the manifest states 5',
    );
  });

  it('catches two events swapped', () => {
    const tampered = tamper(bundle, (files) => {
      const f = file(files, `${TOS}/events.ndjson`);
      const all = lines(f);
      [all[3], all[4]] = [all[4]!, all[3]!];
      setLines(f, all);
    });
    expect(problem(tampered, 'event-order')).toMatchObject({ where: `${TOS}/events.ndjson:5` });
  });

  it('catches a snapshot swapped for another', () => {
    const tampered = tamper(bundle, (files) => {
      const [a, b] = files.filter((f) => f.path.startsWith('snapshots/'));
      a!.content = b!.content;
    });
    expect(problem(tampered, 'snapshot-hash')).toBeDefined();
  });

  it('catches an edited manifest', () => {
    const tampered = tamper(bundle, (files) => {
      const m = file(files, 'manifest.json');
      m.content = Buffer.from(m.content.toString('utf8').replace('"versions": 4', '"versions": 3'));
    });
    expect(problem(tampered, 'signature-invalid').where).toBe('manifest.sig');
    expect(problem(tampered, 'count-mismatch').message).toBe(
      'counts.versions: the bundle holds 4, the manifest states 3',
    );
  });

  it('catches a truncated file', () => {
    expect(checksOf(bundle.subarray(0, bundle.length - 700))).toEqual(['archive-truncated']);
    expect(checksOf(bundle.subarray(0, 1000))).toEqual(['archive-truncated']);
  });

  it('catches a manifest signed with another key', () => {
    const other = keys();
    const forged = tamper(bundle, (files) => {
      const sig = file(files, 'manifest.sig');
      sig.content = Buffer.from(
        `${sign(null, file(files, 'manifest.json').content, other.privateKey).toString('base64')}\n`,
      );
    });
    expect(problem(forged, 'signature-invalid').message).toMatch(/not a valid Ed25519 signature/);
  });

  it('catches a signature file changed in a way the base64 decoder would skip over', () => {
    // Found by the byte-flip property below: "LBQ==" read as "LBQ<=" decodes to the same bytes.
    for (const change of [
      (sig: string) => sig.replace(/=\n$/, '<\n'),
      (sig: string) => `${sig.trimEnd()} \n`,
      (sig: string) => sig.trimEnd(),
      (sig: string) => `!${sig}`,
    ]) {
      const damaged = tamper(bundle, (files) => {
        const sig = file(files, 'manifest.sig');
        sig.content = Buffer.from(change(sig.content.toString('latin1')), 'latin1');
      });
      expect(problem(damaged, 'signature-invalid').message).toMatch(/canonical base64/);
    }
  });

  it('catches a bundle re-signed, manifest and all, by a key other than the expected one', async () => {
    const other = keys();
    const { bundle: resigned } = await exportOf(collection, { signingKey: other.privateKey });
    expect(checksOf(resigned)).toEqual(['signature-key-mismatch']);
    expect(verifyExport(resigned).ok).toBe(true);
  });

  it('catches a missing signature when one was expected', async () => {
    const { bundle: unsigned } = await exportOf(collection, { signingKey: undefined });
    expect(checksOf(unsigned)).toEqual(['signature-missing']);
  });

  it('fails a signed bundle whose manifest lost its signature block (one damaged byte in its key hides it)', () => {
    const damaged = tamper(bundle, (files) => {
      const f = file(files, 'manifest.json');
      f.content = Buffer.from(f.content.toString('utf8').replace('"signature":', '"shgnature":'));
    });
    expect(checksOf(damaged)).toEqual(['signature-missing']);
    expect(verifyExport(damaged).problems).toEqual([
      expect.objectContaining({
        check: 'signature-invalid',
        message: expect.stringContaining('names no signing key'),
      }),
    ]);
  });

  it('fails on a damaged byte in any key of a signed manifest (a renamed key must not hide what it holds)', () => {
    const manifestBytes = file(readTar(bundle), 'manifest.json').content;
    const keyBytes = [...manifestBytes.toString('latin1').matchAll(/"([^"\\]+)":/g)].flatMap((m) =>
      Array.from({ length: m[1]!.length }, (_, i) => m.index + 1 + i),
    );
    expect(keyBytes.length).toBeGreaterThan(100);
    const passed = keyBytes.filter((at) => {
      const damaged = tamper(bundle, (copy) => {
        const flipped = Buffer.from(manifestBytes);
        flipped[at] = flipped[at]! ^ (1 << (at % 8));
        file(copy, 'manifest.json').content = flipped;
      });
      return verifyExport(damaged).ok;
    });
    expect(passed).toEqual([]);
  });

  it('checks chain hashes known beforehand (a published head): a consistently rewritten history lacks them', async () => {
    const head = manifest.streams.find((s) => s.documentId === 'acme__terms-of-service')!.head.hash;
    expect(verifyExport(bundle, { knownHashes: [head] }).problems).toEqual([]);
    const rewritten = {
      ...history,
      'acme__terms-of-service': history['acme__terms-of-service']!.filter((_, i) => i !== 1),
    };
    const { bundle: forged } = await bundleOf(
      buildExport(fixtureSource(rewritten), {
        request: collection,
        requestedBy: 'test',
        createdAt: '2026-04-01T00:00:00Z',
      }),
    );
    expect(verifyExport(forged).problems).toEqual([]);
    expect(verifyExport(forged, { knownHashes: [head] }).problems).toEqual([
      expect.objectContaining({ check: 'known-hash-missing', message: expect.stringContaining(head) }),
    ]);
  });

  it('never stops on a damaged bundle: any byte flipped either fails verification or changed no file', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bundle.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, mask) => {
          const damaged = Buffer.from(bundle);
          damaged[at] = damaged[at]! ^ mask;
          const report = verifyExport(damaged);
          if (report.ok) {
            const before = readTar(bundle);
            expect(readTar(damaged).map((f) => [f.path, f.content.toString('hex')])).toEqual(
              before.map((f) => [f.path, f.content.toString('hex')]),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails, with a reason, on records of an unexpected shape', () => {
    const tampered = tamper(bundle, (files) => {
      const f = file(files, 'manifest.json');
      const m = JSON.parse(f.content.toString('utf8')) as { streams: unknown[] };
      m.streams = [null];
      f.content = Buffer.from(JSON.stringify(m));
    });
    expect(verifyExport(tampered)).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([expect.objectContaining({ check: 'record-invalid' })]),
    });
  });

  it('exports a date range with the link before it, and proves it continues from there', async () => {
    const { bundle: ranged, manifest: m } = await exportOf({
      ...collection,
      from: '2026-01-15T00:00:00Z',
      to: '2026-02-15T00:00:00Z',
    });
    expect(m.streams).toHaveLength(1);
    const [stream] = m.streams;
    expect(stream).toMatchObject({
      firstVersion: 4,
      lastVersion: 5,
      commits: 1,
      anchor: { version: 3 },
      head: { version: 7 },
    });
    expect(verifyExport(ranged).problems).toEqual([]);
    const rebased = tamper(ranged, (files) => {
      const m2 = file(files, 'manifest.json');
      m2.content = Buffer.from(m2.content.toString('utf8').replace(stream!.anchor!.hash, 'f'.repeat(64)));
      return files.filter((f) => f.path !== 'manifest.sig');
    });
    expect(verifyExport(rebased).problems.map((p) => p.check)).toEqual(['signature-missing', 'chain-link']);
  });

  it('exports one document or one service only', async () => {
    const { manifest: one } = await exportOf({
      ...collection,
      scope: { kind: 'document', documentId: 'acme__privacy-policy' },
    });
    expect(one.streams.map((s) => s.documentId)).toEqual(['acme__privacy-policy']);
    const { manifest: service } = await exportOf({
      ...collection,
      scope: { kind: 'service', service: 'acme' },
      includeSnapshots: false,
    });
    expect(service.counts).toMatchObject({ documents: 2, snapshots: 0 });
  });
});

describe('export formats', () => {
  const collect = async (format: ExportFormat) => {
    const chunks: Buffer[] = [];
    await writeExport(
      format,
      buildExport(fixtureSource(history), {
        request: collection,
        requestedBy: 'test',
        createdAt: '2026-04-01T00:00:00Z',
        signingKey: signer.privateKey,
      }),
      (chunk) => {
        chunks.push(chunk);
      },
    );
    return Buffer.concat(chunks);
  };

  it('writes NDJSON, one file per line, that verifies like the bundle and catches the same tampering', async () => {
    const ndjson = await collect('ndjson');
    expect(
      ndjson
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { path: string }).path),
    ).toContain('manifest.json');
    expect(verifyExport(ndjson, { publicKey: publicPem(signer.publicKey) }).problems).toEqual([]);
    const edited = Buffer.from(
      ndjson.toString('utf8').replace('We keep data 90 days.', 'We keep data 91 days.'),
    );
    expect(verifyExport(edited).problems.map((p) => p.check)).toContain('text-mismatch');
    expect(verifyExport(ndjson.subarray(0, ndjson.length - 10)).problems.map((p) => p.check)).toEqual([
      'archive-truncated',
    ]);
    // A character the base64 decoder would skip: the snapshot decodes to the same bytes, yet the line changed.
    const lines = ndjson.toString('utf8').split('\n');
    const at = lines.findIndex((line) => line.includes('"encoding":"base64"'));
    expect(at).toBeGreaterThanOrEqual(0);
    lines[at] = lines[at]!.replace('"content":"', '"content":"!');
    expect(verifyExport(Buffer.from(lines.join('\n'))).problems).toEqual([
      expect.objectContaining({
        check: 'archive-corrupt',
        message: expect.stringMatching(/canonical base64/),
      }),
    ]);
  });

  it('writes the timeline as CSV: one row per version, with its commit hash', async () => {
    const csv = (await collect('csv')).toString('utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe(
      'document_id,service,document_type,event,version,at,technical_upgrade,text_sha256,retracted_reason,stream_version,commit_hash',
    );
    expect(csv).toHaveLength(5);
    expect(csv[1]).toMatch(
      /^acme__privacy-policy,acme,privacy-policy,VersionRecorded,1,2026-01-05T00:00:00Z,false,[0-9a-f]{64},,2,[0-9a-f]{64}$/,
    );
  });
});
