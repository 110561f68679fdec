import { makePdf } from '@termline/testing';
import { extractTextAsync } from '@termline/text';
import { readPdfWithUnpdf } from './pdf-reader';

/** The PDF path of extraction on PDFs this project writes itself, through the real pdf.js. */
describe('PDF text extraction with unpdf', () => {
  const input = (content: Buffer) => ({
    content,
    mimeType: 'application/pdf',
    fetchedAt: '2026-01-01T00:00:00Z',
    service: 'Paper Co',
    documentType: 'Law Enforcement Guidelines',
  });

  it('reads the text of every page, in order', async () => {
    const pdf = makePdf([
      ['LAW ENFORCEMENT GUIDELINES', 'We disclose records only under valid legal process.'],
      ['Emergency requests are reviewed within 24 hours.'],
    ]);
    const result = await extractTextAsync(input(pdf), undefined, { readPdf: readPdfWithUnpdf });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text).toMatch(
      /We disclose records only under valid legal process\.[\s\S]*Emergency requests are reviewed within 24 hours\./,
    );
    expect(result.rulesFired).toContain('pdf-text');
  });

  it('records a PDF without text as a failure with its reason, never a crash', async () => {
    const result = await extractTextAsync(input(makePdf([[]])), undefined, { readPdf: readPdfWithUnpdf });
    expect(result).toMatchObject({ ok: false });
  });

  it('records bytes that are not a PDF as unreadable', async () => {
    const result = await extractTextAsync(
      input(Buffer.from('%PDF-1.4 this is not really a pdf')),
      undefined,
      { readPdf: readPdfWithUnpdf },
    );
    expect(result).toMatchObject({
      ok: false,
      code: expect.stringMatching(/unreadable-pdf|binary-content|empty-text/),
    });
  });
});
