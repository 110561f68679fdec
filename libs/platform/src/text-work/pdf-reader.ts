import type { PdfTextReader } from '@termline/text';

/**
 * Reads the text of each page of a PDF with unpdf (a maintained, dependency-free build of Mozilla's pdf.js).
 * unpdf is an ES module: it is loaded on first use, so a service that never meets a PDF never loads it.
 */
type Unpdf = typeof import('unpdf');
let loading: Promise<Unpdf> | null = null;

export const readPdfWithUnpdf: PdfTextReader = async (bytes) => {
  loading ??= import('unpdf');
  const { extractText, getDocumentProxy } = await loading;
  // pdf.js takes ownership of the buffer it is given: hand it a copy so the caller's bytes stay intact.
  const document = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(document, { mergePages: false });
  return text;
};
