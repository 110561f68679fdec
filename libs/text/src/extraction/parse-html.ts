import { type Document, DomHandler } from 'domhandler';
import { Parser } from 'htmlparser2';

/** Deepest element nesting kept by the parser; real pages of the corpus stay well under 100. */
export const DEFAULT_MAX_PARSE_DEPTH = 512;

/**
 * htmlparser2's parser keeps its open-element stack with `unshift`/`indexOf`, so every tag costs time in
 * proportion to the nesting depth: a page nested 100,000 levels deep takes tens of seconds. Elements opened
 * beyond `maxDepth` are parsed as empty (like void elements): their content becomes their siblings'. That
 * keeps parsing linear and the tree shallow, and changes nothing for any sane page.
 */
class DepthBoundedParser extends Parser {
  private forceVoid = false;
  depthCapped = false;

  constructor(
    handler: DomHandler,
    private readonly maxDepth: number,
  ) {
    super(handler, { decodeEntities: true });
  }

  private openDepth(): number {
    return (this as unknown as { stack: readonly string[] }).stack.length;
  }

  override onopentagname(start: number, endIndex: number): void {
    this.forceVoid = this.openDepth() >= this.maxDepth;
    if (this.forceVoid) this.depthCapped = true;
    super.onopentagname(start, endIndex);
  }

  override onopentagend(endIndex: number): void {
    super.onopentagend(endIndex);
    this.forceVoid = false;
  }

  override onselfclosingtag(endIndex: number): void {
    super.onselfclosingtag(endIndex);
    this.forceVoid = false;
  }

  protected override isVoidElement(name: string): boolean {
    return this.forceVoid || super.isVoidElement(name);
  }
}

const SKIPPED_OPEN = /<(script|style|svg)(?=[\s/>])[^>]*>/gi;
const SKIPPED_CLOSE: Record<string, RegExp> = {
  script: /<\/script/gi,
  style: /<\/style/gi,
  svg: /<(\/?)svg(?=[\s/>])/gi,
};

/** Where the content of an element opened at `from` ends: the first end tag, or the matching one for `svg`. */
function contentEnd(html: string, name: string, from: number): number {
  const close = SKIPPED_CLOSE[name]!;
  close.lastIndex = from;
  if (name !== 'svg') return close.exec(html)?.index ?? html.length;
  let depth = 1;
  for (let tag = close.exec(html); tag; tag = close.exec(html)) {
    depth += tag[1] ? -1 : 1;
    if (depth === 0) return tag.index;
  }
  return html.length;
}

/**
 * Empties `<script>`, `<style>` and `<svg>` elements before parsing. Their content is never text of a
 * document, yet it is most of the bytes of the corpus's pages (scripts alone are two thirds) and the
 * tokenizer walks it character by character. Script and style end where the parser ends them (the first
 * `</script`); svg at its matching end tag.
 */
export function emptySkippedElements(html: string): string {
  const parts: string[] = [];
  let copied = 0;
  SKIPPED_OPEN.lastIndex = 0;
  for (let open = SKIPPED_OPEN.exec(html); open; open = SKIPPED_OPEN.exec(html)) {
    const start = open.index + open[0].length;
    if (open[0].endsWith('/>')) continue;
    const end = contentEnd(html, open[1]!.toLowerCase(), start);
    if (end > start) {
      parts.push(html.slice(copied, start));
      copied = end;
    }
    SKIPPED_OPEN.lastIndex = end;
  }
  if (copied === 0) return html;
  parts.push(html.slice(copied));
  return parts.join('');
}

export function parseHtml(
  html: string,
  maxDepth = DEFAULT_MAX_PARSE_DEPTH,
): { document: Document; depthCapped: boolean } {
  const handler = new DomHandler();
  const parser = new DepthBoundedParser(handler, maxDepth);
  parser.end(emptySkippedElements(html));
  return { document: handler.root, depthCapped: parser.depthCapped };
}
