import type { ExportManifest, VerifyReport } from '@termline/audit';
import { highlightPatch, htmlReport } from './html-report';

const manifest = {
  createdAt: '2026-04-01T00:00:00Z',
  requestedBy: 'auditor',
  request: {
    scope: { kind: 'document', documentId: 'acme__terms' },
    from: null,
    to: null,
    includeSnapshots: false,
  },
  counts: {
    documents: 1,
    commits: 2,
    events: 4,
    observations: 2,
    versions: 2,
    retractions: 0,
    texts: 2,
    snapshots: 0,
    derived: 0,
  },
  streams: [
    {
      streamId: 'document:acme__terms',
      documentId: 'acme__terms',
      anchor: null,
      firstVersion: 1,
      lastVersion: 4,
      last: { commitId: 'c2', version: 4, hash: 'b'.repeat(64) },
      head: { commitId: 'c2', version: 4, hash: 'b'.repeat(64) },
      commits: 2,
      events: 4,
    },
  ],
  rootHash: 'r'.repeat(64),
  signature: null,
} as unknown as ExportManifest;

const versions = [
  {
    version: 1,
    validFrom: '2026-01-01T00:00:00Z',
    textSha256: 'a'.repeat(64),
    text: '# Terms\n\nWe keep data for 30 days.\n\nWe use <cookies> & more.\n',
    technicalUpgrade: false,
    commitHash: 'c'.repeat(64),
  },
  {
    version: 2,
    validFrom: '2026-02-01T00:00:00Z',
    textSha256: 'd'.repeat(64),
    text: '# Terms\n\nWe keep data for 90 days.\n\nWe use <cookies> & more.\n',
    technicalUpgrade: false,
    commitHash: 'e'.repeat(64),
  },
];

describe('HTML report', () => {
  it('highlights the words that changed inside a changed line, and escapes the text', () => {
    const html = highlightPatch('@@ -1,1 +1,1 @@\n-keep <b> for 30 days\n+keep <b> for 90 days\n');
    expect(html).toContain('<span class="line del">-keep &lt;b&gt; for <del>30</del> days</span>');
    expect(html).toContain('<span class="line ins">+keep &lt;b&gt; for <ins>90</ins> days</span>');
  });

  it('is one self-contained page: verification first, then versions and highlighted changes', () => {
    const ok: VerifyReport = {
      ok: true,
      problems: [],
      manifest,
      checked: { files: 4, commits: 2, events: 4, texts: 2, snapshots: 0, bytes: 1 },
    };
    const html = htmlReport(manifest, ok, [{ documentId: 'acme__terms', versions }], 'export.tar');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link |src=|https?:\/\//);
    expect(html).toContain('<strong>Verified.</strong>');
    expect(html).toContain('Version 1 → 2');
    expect(html).toContain('<del>30</del>');
    expect(html).toContain('<ins>90</ins>');
    expect(html).toContain('@media print');
  });

  it('says at the top when the export failed verification, with each problem', () => {
    const failed: VerifyReport = {
      ok: false,
      problems: [
        {
          check: 'text-mismatch',
          where: 'documents/acme__terms/texts/2.txt',
          message: 'the text <file> differs',
        },
      ],
      manifest,
      checked: { files: 4, commits: 2, events: 4, texts: 2, snapshots: 0, bytes: 1 },
    };
    const html = htmlReport(manifest, failed, [{ documentId: 'acme__terms', versions }], 'export.tar');
    expect(html).toContain('Verification FAILED (1 problems)');
    expect(html).toContain(
      '<code>text-mismatch</code> documents/acme__terms/texts/2.txt: the text &lt;file&gt; differs',
    );
    expect(html).not.toContain('<strong>Verified.</strong>');
  });
});
