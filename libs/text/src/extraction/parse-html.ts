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

export function parseHtml(html: string, maxDepth = DEFAULT_MAX_PARSE_DEPTH): { document: Document; depthCapped: boolean } {
  const handler = new DomHandler();
  const parser = new DepthBoundedParser(handler, maxDepth);
  parser.end(html);
  return { document: handler.root, depthCapped: parser.depthCapped };
}
