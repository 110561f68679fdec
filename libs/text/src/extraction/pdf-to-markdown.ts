/**
 * Reads the text of each page of a PDF. Injected by the caller: the PDF libraries that work in Node
 * (pdf.js and its wrappers such as unpdf) are ES modules loaded with a dynamic `import()`, which this
 * library's CommonJS test runner cannot load, and PDF reading is asynchronous anyway.
 */
export type PdfTextReader = (bytes: Uint8Array) => Promise<readonly string[]>;

const BULLET = /^([•●▪◦‣∙·–-])\s+/;
const CLAUSE_START = /^(?:\(?[0-9a-zA-Z]{1,3}[.)]|\d+(?:\.\d+)+\.?)\s/;
const SENTENCE_END = /[.:;!?)"”]$/;

function isHeadingLine(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && line.length <= 80;
}

/**
 * Page text to paragraphs: a PDF gives one line per printed line, so wrapped lines are joined back into
 * paragraphs. A line starts a new paragraph after a blank line, after a line ending a sentence, when it
 * starts a clause or a bullet, or when it or the line before is an all-capitals heading.
 */
export function pdfPagesToMarkdown(pages: readonly string[]): string {
  const paragraphs: string[] = [];
  for (const page of pages) {
    let current: string | null = null;
    let previous = '';
    const flush = (): void => {
      if (current !== null && current.trim() !== '') paragraphs.push(current.trim());
      current = null;
    };
    for (const raw of page.split('\n')) {
      const line = raw.replace(/\s+/g, ' ').trim();
      if (line === '') {
        flush();
        previous = '';
        continue;
      }
      const bullet = BULLET.exec(line);
      const text = bullet ? `- ${line.slice(bullet[0].length)}` : line;
      const startsNew =
        current === null ||
        bullet !== null ||
        CLAUSE_START.test(line) ||
        SENTENCE_END.test(previous) ||
        isHeadingLine(line) ||
        isHeadingLine(previous);
      if (startsNew) {
        flush();
        current = text;
      } else {
        current = previous.endsWith('-') ? `${current}${text}` : `${current} ${text}`;
      }
      previous = line;
    }
    flush();
  }
  return paragraphs.join('\n\n');
}
