import { extractTextAsync } from './extract-text';
import { pdfPagesToMarkdown } from './pdf-to-markdown';

const PAGE_ONE = `GOVERNMENT DATA REQUEST POLICY
Effective 1 January 2026
This policy applies to requests from law enforcement
agencies about users of our services. It does not apply to civil
litigants.
(a) pursuant to valid legal process;
(b) in an emergency involving
danger of death.
• Requests must be in writing.`;

const pdfInput = (content: string | Uint8Array) => ({
  content,
  mimeType: 'application/pdf',
  fetchedAt: '2026-02-18T00:00:00Z',
  service: 'Example',
  documentType: 'Law Enforcement Guidelines',
});

describe('pdfPagesToMarkdown', () => {
  it('joins wrapped lines into paragraphs and keeps clauses, bullets and headings apart', () => {
    expect(pdfPagesToMarkdown([PAGE_ONE, 'Page two text.'])).toBe(
      [
        'GOVERNMENT DATA REQUEST POLICY',
        'Effective 1 January 2026 This policy applies to requests from law enforcement agencies about users of our services. It does not apply to civil litigants.',
        '(a) pursuant to valid legal process;',
        '(b) in an emergency involving danger of death.',
        '- Requests must be in writing.',
        'Page two text.',
      ].join('\n\n'),
    );
  });
});

describe('extractTextAsync', () => {
  const bytes = new TextEncoder().encode('%PDF-1.7 fake');

  it('reads PDFs through the injected reader', async () => {
    const seen: Uint8Array[] = [];
    const result = await extractTextAsync(pdfInput(bytes), undefined, {
      readPdf: (pdf) => {
        seen.push(pdf);
        return Promise.resolve(['Hello\u00a0PDF.']);
      },
    });
    expect(result).toMatchObject({
      ok: true,
      text: 'Hello PDF.\n',
      rulesFired: ['pdf-text', 'whitespace-canonical'],
      rulesNotApplied: [],
      page: { words: 2, markers: [] },
    });
    expect(seen[0]).toBe(bytes);
  });

  it('refuses PDFs without a reader, and reports unreadable and empty ones', async () => {
    await expect(extractTextAsync(pdfInput(bytes))).resolves.toMatchObject({
      ok: false,
      code: 'unsupported-mime-type',
    });
    await expect(
      extractTextAsync(pdfInput(bytes), undefined, {
        readPdf: () => Promise.reject(new Error('Invalid PDF structure')),
      }),
    ).resolves.toMatchObject({ ok: false, code: 'unreadable-pdf', reason: 'Invalid PDF structure' });
    await expect(
      extractTextAsync(pdfInput(bytes), undefined, { readPdf: () => Promise.resolve([' ', '']) }),
    ).resolves.toMatchObject({ ok: false, code: 'empty-text' });
  });

  it('delegates every other media type to extractText', async () => {
    await expect(
      extractTextAsync({ ...pdfInput('<p>hi</p>'), mimeType: 'text/html' }),
    ).resolves.toMatchObject({
      ok: true,
      text: 'hi\n',
    });
  });
});
