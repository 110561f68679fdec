import { DEFAULT_MAX_CONTENT_BYTES } from '@termline/domain';
import { selectAll } from 'css-select';
import { type AnyNode, type Document, type Element, isTag } from 'domhandler';

import { applyDeclaration } from '../declarations/apply-declaration';
import {
  type DeclarationSet,
  type SourceDocumentDeclaration,
  declarationFor,
  sourcePartOf,
} from '../declarations/declaration';
import { type NormaliseOptions, normaliseText } from '../normalisation/normalise-text';
import { decodeContent } from './decode-content';
import { nodesToMarkdown } from './html-to-markdown';
import { parseHtml } from './parse-html';
import { type PageSignals, pageSignals } from './page-signals';
import { inflatesBeyond, MAX_PDF_INFLATED_BYTES } from './pdf-stream-budget';
import { type PdfTextReader, pdfPagesToMarkdown } from './pdf-to-markdown';
import { appendAll } from '../support/append-all';

/**
 * Version of the extraction rules. Bump it whenever the text extracted from the same snapshot with the same
 * declaration can change, so that a re-extraction is recorded as a technical upgrade, not a document change.
 */
export const EXTRACTOR_VERSION = 'termline-text/2.1.0';

/**
 * Default cap on the content size: the fetch contract's, so that extraction never refuses what ingest accepted
 * (one definition, in libs/domain).
 */
export const DEFAULT_MAX_INPUT_BYTES = DEFAULT_MAX_CONTENT_BYTES;

export interface ExtractionInput {
  readonly content: string | Uint8Array;
  readonly mimeType: string;
  readonly fetchedAt: string;
  readonly service: string;
  readonly documentType: string;
  /** The part of a combined document (Open Terms Archive's `#fragment`), null for a single-source document. */
  readonly sourcePart?: string | null;
  /** The fetched URL: identifies the part more reliably than `sourcePart`, and resolves relative links. */
  readonly sourceUrl?: string | null;
}

export interface ExtractionOptions extends NormaliseOptions {
  /** Content larger than this (bytes, or UTF-16 code units for a string) is refused with `too-large`. */
  readonly maxInputBytes?: number;
  /** Deepest element nesting the HTML parser keeps (deeper elements are parsed as empty). */
  readonly maxParseDepth?: number;
  /** Deepest list/quote nesting written as indentation. */
  readonly maxNesting?: number;
}

export type ExtractionErrorCode =
  | 'too-large'
  | 'binary-content'
  | 'empty-text'
  | 'unsupported-mime-type'
  | 'selector-matched-nothing'
  | 'invalid-selector'
  | 'unreadable-pdf';

export type ExtractionResult =
  | {
      readonly ok: true;
      readonly text: string;
      readonly rulesFired: string[];
      /** Rules the declaration states that could not be applied (`filter:<name>`, `select:<selector>` …). */
      readonly rulesNotApplied: string[];
      /** What the text says about itself, for telling a page standing in for the document (see page-signals). */
      readonly page: PageSignals;
      /** sha256 of the terms declaration used, when one was. */
      readonly declarationHash?: string;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly code: ExtractionErrorCode;
      /** The signals of the whole page, when the selected region was missing or the text empty. */
      readonly page?: PageSignals;
    };

type Kind = 'html' | 'text' | 'pdf' | 'unsupported';

function kindOf(mimeType: string): Kind {
  const base = mimeType.split(';', 1)[0]!.trim().toLowerCase();
  if (base === 'text/html' || base === 'application/xhtml+xml') return 'html';
  if (base === 'application/pdf') return 'pdf';
  if (base.startsWith('text/')) return 'text';
  return 'unsupported';
}

/** `<base>` belongs in `<head>`: look only there (and in `<html>`), never through the whole tree. */
function findBase(document: Document): Element | undefined {
  const queue: Element[] = document.children.filter(isTag);
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const el = queue[i]!;
    if (el.name === 'base' && el.attribs['href']) return el;
    if (el.name === 'html' || el.name === 'head') appendAll(queue, el.children.filter(isTag));
  }
  return undefined;
}

/** The URL relative links resolve against: the page's `<base href>` when it has one, else the fetched URL. */
function baseUrlOf(document: Document, pageUrl: string | undefined | null): string | undefined {
  const href = findBase(document)?.attribs['href'];
  if (!href) return pageUrl ?? undefined;
  try {
    return new URL(href, pageUrl ?? undefined).href;
  } catch {
    return pageUrl ?? undefined;
  }
}

/**
 * Without a declaration, a page's one main region (`<main>`, or an element with `role="main"`) is the document:
 * the navigation, banners and footer around it are the site's, not the terms'. A page with none or several is
 * read whole.
 */
function soleMainRegion(document: Document): Element | null {
  const regions = selectAll<AnyNode, Element>('main, [role="main"]', document);
  return regions.length === 1 ? regions[0]! : null;
}

function fail(code: ExtractionErrorCode, reason: string, page?: PageSignals): ExtractionResult {
  return page ? { ok: false, code, reason, page } : { ok: false, code, reason };
}

interface Chosen {
  readonly source: SourceDocumentDeclaration | undefined;
  readonly hash: string | undefined;
  readonly rules: string[];
  readonly notApplied: readonly string[];
}

function chooseDeclaration(input: ExtractionInput, declarations: DeclarationSet | undefined): Chosen {
  if (!declarations) return { source: undefined, hash: undefined, rules: [], notApplied: [] };
  const found = declarationFor(declarations, input);
  if (!found) return { source: undefined, hash: undefined, rules: ['declaration-missing'], notApplied: [] };
  const notApplied = found.terms.rulesNotApplied ?? [];
  if (found.source) return { source: found.source, hash: found.hash, rules: [], notApplied };
  // A part no longer declared (an older combine list without its history): its siblings' rules are the
  // best guess, and the rule list says it was a guess.
  const first = found.terms.sources[0];
  const guessed = first && input.sourceUrl ? { ...first, fetch: input.sourceUrl } : first;
  return { source: guessed, hash: found.hash, rules: ['declaration-source-guessed'], notApplied };
}

/**
 * Extracts the canonical Markdown text of one fetched snapshot part. Operational problems (oversized,
 * binary or empty content, a selector matching nothing) come back as `{ ok: false }` with a stable code;
 * only bugs throw.
 */
export function extractText(
  input: ExtractionInput,
  declarations?: DeclarationSet,
  options: ExtractionOptions = {},
): ExtractionResult {
  const max = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (input.content.length > max) {
    return fail('too-large', `content of ${input.content.length} bytes exceeds the cap of ${max}`);
  }
  const kind = kindOf(input.mimeType);
  if (kind === 'unsupported') return fail('unsupported-mime-type', `no extractor for ${input.mimeType}`);
  if (kind === 'pdf') return fail('unsupported-mime-type', 'PDF needs extractTextAsync with a PDF reader');
  const decoded = decodeContent(input.content);
  if (!decoded.ok) return fail(decoded.code, decoded.reason);
  const rulesFired = [...decoded.rulesFired];
  const rulesNotApplied: string[] = [];

  let raw: string;
  let hash: string | undefined;
  if (kind === 'html') {
    const chosen = chooseDeclaration(input, declarations);
    hash = chosen.hash;
    rulesFired.push(...chosen.rules);
    rulesNotApplied.push(...chosen.notApplied);
    const { document, depthCapped } = parseHtml(decoded.text, options.maxParseDepth);
    if (depthCapped) rulesFired.push('html-depth-capped');
    let roots = [document] as Parameters<typeof nodesToMarkdown>[0];
    if (chosen.source) {
      const applied = applyDeclaration(document, chosen.source);
      if (!applied.ok) {
        // The page without the region the declaration selects may be an error page or a challenge: say what it reads.
        const whole =
          applied.code === 'selector-matched-nothing'
            ? pageSignals(
                normaliseText(
                  nodesToMarkdown([document], { maxNesting: options.maxNesting }).markdown,
                  options,
                ).text,
              )
            : undefined;
        return fail(applied.code, applied.reason, whole);
      }
      roots = applied.roots;
      rulesFired.push(...applied.rulesFired);
      rulesNotApplied.push(...applied.rulesNotApplied);
    }
    const toMarkdown = (from: Parameters<typeof nodesToMarkdown>[0]) =>
      nodesToMarkdown(from, {
        baseUrl: baseUrlOf(document, input.sourceUrl ?? chosen.source?.fetch),
        maxNesting: options.maxNesting,
      });
    const main = chosen.source ? null : soleMainRegion(document);
    let markdown = toMarkdown(main ? [main] : roots);
    // A main region with no text (a script fills it in the browser) says nothing of where the terms are.
    if (main && markdown.markdown.trim() === '') markdown = toMarkdown(roots);
    else if (main) rulesFired.push('main-region-only');
    raw = markdown.markdown;
    rulesFired.push(...markdown.rulesFired);
  } else {
    raw = decoded.text;
  }

  const normalised = normaliseText(raw, options);
  if (normalised.text.trim() === '')
    return fail('empty-text', 'the extracted text is empty', { words: 0, markers: [] });
  rulesFired.push(...normalised.rulesFired);
  const page = pageSignals(normalised.text);
  return hash === undefined
    ? { ok: true, text: normalised.text, rulesFired, rulesNotApplied, page }
    : { ok: true, text: normalised.text, rulesFired, rulesNotApplied, page, declarationHash: hash };
}

export interface AsyncExtractionOptions extends ExtractionOptions {
  /** Reads the text of each page of a PDF; without it PDFs are `unsupported-mime-type`. */
  readonly readPdf?: PdfTextReader;
}

/** Bytes of a PDF given as a string: each character one byte (a binary string), as in a latin1 read. */
function pdfBytes(content: string | Uint8Array): Uint8Array | null {
  if (typeof content !== 'string') return content;
  const bytes = new Uint8Array(content.length);
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (code > 0xff) return null;
    bytes[i] = code;
  }
  return bytes;
}

/**
 * {@link extractText} for every media type, PDF included (through the injected `readPdf`). A PDF's lines
 * are joined back into paragraphs, then normalised like any text; the rule `pdf-text` says it was a PDF.
 */
export async function extractTextAsync(
  input: ExtractionInput,
  declarations?: DeclarationSet,
  options: AsyncExtractionOptions = {},
): Promise<ExtractionResult> {
  if (kindOf(input.mimeType) !== 'pdf') return extractText(input, declarations, options);
  const max = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (input.content.length > max) {
    return fail('too-large', `content of ${input.content.length} bytes exceeds the cap of ${max}`);
  }
  if (!options.readPdf) return fail('unsupported-mime-type', 'no PDF reader was given');
  const bytes = pdfBytes(input.content);
  if (!bytes) return fail('unreadable-pdf', 'the PDF was given as text that is not a binary string');
  if (inflatesBeyond(bytes))
    return fail(
      'too-large',
      `the PDF's compressed streams inflate to more than ${MAX_PDF_INFLATED_BYTES / (1024 * 1024)} MiB; its text was not read`,
    );
  let pages: readonly string[];
  try {
    pages = await options.readPdf(bytes);
  } catch (error) {
    // A corrupt or encrypted file is an operational problem of the snapshot, not a bug of ours.
    return fail('unreadable-pdf', error instanceof Error ? error.message : String(error));
  }
  const normalised = normaliseText(pdfPagesToMarkdown(pages), options);
  if (normalised.text.trim() === '') return fail('empty-text', 'the PDF has no text (scanned images?)');
  return {
    ok: true,
    text: normalised.text,
    rulesFired: ['pdf-text', ...normalised.rulesFired],
    rulesNotApplied: [],
    page: pageSignals(normalised.text),
  };
}

/** Open Terms Archive's separator between the parts of a combined document: a thematic break. */
export const PART_SEPARATOR = '\n\n- - -\n\n';

/**
 * Joins the texts of a combined document's parts (with Open Terms Archive's `- - -` break between them), in the order of the declaration's combine list when one
 * is given (parts it does not list follow, in the given order), else in the given order.
 */
export function combineParts(
  parts: readonly { sourcePart: string | null; sourceUrl?: string | null; text: string }[],
  declaration?: { readonly sources: readonly SourceDocumentDeclaration[] },
): string {
  let ordered = parts;
  if (declaration) {
    const rank = (part: (typeof parts)[number]): number => {
      const i = declaration.sources.findIndex((s) => partMatches(s, part));
      return i === -1 ? declaration.sources.length : i;
    };
    ordered = parts
      .map((part, i) => ({ part, i, r: rank(part) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((e) => e.part);
  }
  const texts = ordered.map((p) => p.text.trim()).filter((t) => t !== '');
  return texts.length === 0 ? '' : `${texts.join(PART_SEPARATOR)}\n`;
}

function partMatches(
  source: SourceDocumentDeclaration,
  part: { sourcePart: string | null; sourceUrl?: string | null },
): boolean {
  if (part.sourceUrl && source.fetch === part.sourceUrl) return true;
  return part.sourcePart !== null && sourcePartOf(source.fetch) === part.sourcePart;
}
