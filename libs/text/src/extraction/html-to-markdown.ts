import { type AnyNode, type Element, hasChildren, isCDATA, isTag, isText } from 'domhandler';

export interface MarkdownOptions {
  /** URL the page was fetched from; relative links are made absolute against it. */
  readonly baseUrl?: string | null;
  /** Deepest list/blockquote nesting that still indents; deeper content is written at that depth. */
  readonly maxNesting?: number;
}

export interface MarkdownResult {
  readonly markdown: string;
  readonly rulesFired: string[];
}

const DEFAULT_MAX_NESTING = 16;

/** Elements whose content is never text of the document. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'svg',
  'template',
  'head',
  'title',
  'iframe',
  'object',
  'embed',
  'canvas',
  'select',
  'option',
  'optgroup',
  'input',
  'textarea',
  'img',
  'picture',
  'source',
  'video',
  'audio',
  'map',
  'area',
  'track',
  'meta',
  'link',
  'base',
]);

/** Elements that start and end a block; anything else is inline. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'body',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hgroup',
  'html',
  'legend',
  'main',
  'menu',
  'nav',
  'p',
  'section',
  'summary',
  'caption',
  'tbody',
  'thead',
  'tfoot',
  'search',
]);

/** Everything that ends the current line of text. */
const STRUCTURE = new Set([
  ...BLOCKS,
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'hr',
  'table',
  'tr',
  'td',
  'th',
]);

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

type MarkKind = 'strong' | 'em' | 'code' | 'link' | 'strike';
const MARK_OF: Record<string, MarkKind> = {
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  cite: 'em',
  code: 'code',
  kbd: 'code',
  samp: 'code',
  tt: 'code',
  a: 'link',
  del: 'strike',
  s: 'strike',
  strike: 'strike',
};

interface Mark {
  readonly kind: MarkKind;
  start: number;
  readonly href?: string;
}

interface List {
  readonly ordered: boolean;
  next: number;
}

type Container = { kind: 'quote' } | { kind: 'item'; marker: string; used: boolean; list: List | null };

interface TableState {
  rows: string[][];
  row: string[] | null;
  inCell: boolean;
}

/** What entering an element did, so that leaving it can undo exactly that. */
const Action = {
  None: 0,
  Block: 1 << 0,
  Heading: 1 << 1,
  Mark: 1 << 2,
  List: 1 << 3,
  Container: 1 << 4,
  Pre: 1 << 5,
  Table: 1 << 6,
  Row: 1 << 7,
  Cell: 1 << 8,
} as const;

interface Exit {
  readonly exit: Element;
  readonly action: number;
}

/**
 * Hidden elements are not text of the document, with one exception: a collapsed disclosure panel (an
 * accordion answer, a tab) is hidden only until the reader opens it, and legal pages put whole clauses in
 * them. Such panels name their trigger (`aria-labelledby`) or their role, or use `hidden="until-found"`.
 */
export function isHiddenElement(el: Element): boolean {
  const a = el.attribs;
  const hidden =
    (a['hidden'] !== undefined && a['hidden'] !== 'until-found') ||
    a['aria-hidden'] === 'true' ||
    (a['style'] !== undefined &&
      /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(a['style']));
  if (!hidden) return false;
  const disclosure = a['aria-labelledby'] !== undefined || a['role'] === 'region' || a['role'] === 'tabpanel';
  return !disclosure;
}

function wrap(buffer: string, start: number, open: string, close: string, singleLine: boolean): string {
  const inner = buffer.slice(start);
  const lead = /^\s*/.exec(inner)![0];
  const body = inner.slice(lead.length).trimEnd();
  if (body === '') return buffer.slice(0, start) + inner;
  const trail = inner.slice(lead.length + body.length);
  const text = singleLine ? body.replace(/\s*\n\s*/g, ' ') : body;
  return buffer.slice(0, start) + lead + open + text + close + trail;
}

function codeFence(content: string): string {
  return content.includes('```') ? '~~~~' : '```';
}

class MarkdownWriter {
  private readonly lines: string[] = [];
  private inline = '';
  private readonly marks: Mark[] = [];
  private readonly markDepth: Record<MarkKind, number> = { strong: 0, em: 0, code: 0, link: 0, strike: 0 };
  private readonly containers: Container[] = [];
  private overflow = 0;
  private readonly lists: List[] = [];
  private preDepth = 0;
  private table: TableState | null = null;
  /** Outermost list and quote depth of the last block written: they decide how blocks are separated. */
  private lastRootList: List | null = null;
  private lastQuotes = 0;
  private inlineOnly = 0;
  readonly rules = new Set<string>();
  private readonly base: URL | null;

  constructor(
    baseUrl: string | null | undefined,
    private readonly maxNesting: number,
  ) {
    let base: URL | null = null;
    if (baseUrl) {
      try {
        base = new URL(baseUrl);
      } catch {
        base = null;
      }
    }
    this.base = base;
  }

  text(data: string): void {
    if (this.preDepth > 0) {
      this.inline += data;
      return;
    }
    let t = data.replace(/[ \t\n\r\f]+/g, ' ');
    if (t.charCodeAt(0) === 32) {
      const last = this.inline.charCodeAt(this.inline.length - 1);
      if (this.inline.length === 0 || last === 32 || last === 10) t = t.slice(1);
    }
    this.inline += t;
  }

  lineBreak(): void {
    // A table cell is one line in GFM: a break there is only a space.
    this.inline += this.table?.inCell && this.preDepth === 0 ? ' ' : '\n';
  }

  enter(el: Element): number {
    const name = el.name;
    const mark = MARK_OF[name];
    if (mark !== undefined) return this.openMark(el, mark);
    if (name === 'br') {
      this.lineBreak();
      return Action.None;
    }
    if (this.inlineOnly > 0 || this.preDepth > 0) {
      // Inside a heading or a table cell every block becomes a space: Markdown has no blocks there.
      if (this.preDepth === 0 && STRUCTURE.has(name)) this.inline += ' ';
      return Action.None;
    }
    const level = HEADINGS[name];
    if (level !== undefined) {
      this.flush();
      this.inlineOnly++;
      return Action.Heading;
    }
    switch (name) {
      case 'ul':
      case 'ol':
      case 'menu': {
        this.flush();
        const start = Number.parseInt(el.attribs['start'] ?? '1', 10);
        this.lists.push({ ordered: name === 'ol', next: Number.isFinite(start) ? start : 1 });
        return Action.List;
      }
      case 'li': {
        this.flush();
        const list = this.lists[this.lists.length - 1];
        let marker = '- ';
        if (list?.ordered) {
          const value = Number.parseInt(el.attribs['value'] ?? '', 10);
          if (Number.isFinite(value)) list.next = value;
          marker = `${list.next++}. `;
        }
        return this.pushContainer({ kind: 'item', marker, used: false, list: list ?? null });
      }
      case 'blockquote':
        this.flush();
        return this.pushContainer({ kind: 'quote' });
      case 'pre':
        this.flush();
        this.preDepth++;
        return Action.Pre;
      case 'hr':
        this.flush();
        this.emitBlock(['---']);
        return Action.None;
      case 'table':
        this.flush();
        if (this.table) {
          // A table directly inside a table (not in a cell) is malformed; its cells join the outer grid.
          return Action.Block;
        }
        this.table = { rows: [], row: null, inCell: false };
        return Action.Table;
      case 'tr':
        if (!this.table) break;
        this.flush();
        if (this.table.row && this.table.row.length > 0) this.table.rows.push(this.table.row);
        this.table.row = [];
        return Action.Row;
      case 'td':
      case 'th':
        if (!this.table) break;
        this.flush();
        this.table.row ??= [];
        this.table.inCell = true;
        this.inlineOnly++;
        return Action.Cell;
      default:
        break;
    }
    if (STRUCTURE.has(name)) {
      this.flush();
      return Action.Block;
    }
    return Action.None;
  }

  leave(el: Element, action: number): void {
    if (action & Action.Mark) {
      this.closeMark();
      return;
    }
    if (action & Action.Heading) {
      this.inlineOnly--;
      const text = this.takeInline()?.join(' ');
      const level = HEADINGS[el.name] ?? 6;
      if (text) this.emitBlock([`${'#'.repeat(level)} ${text}`]);
      return;
    }
    if (action & Action.Cell) {
      this.inlineOnly--;
      const text = (this.takeInline()?.join(' ') ?? '').replace(/\|/g, '\\|');
      this.table!.inCell = false;
      (this.table!.row ??= []).push(text);
      return;
    }
    if (action & Action.Row) {
      this.flush();
      const row = this.table!.row;
      if (row && row.length > 0) this.table!.rows.push(row);
      this.table!.row = null;
      return;
    }
    if (action & Action.Table) {
      this.flush();
      const table = this.table!;
      if (table.row && table.row.length > 0) table.rows.push(table.row);
      this.table = null;
      this.emitTable(table.rows);
      return;
    }
    if (action & Action.Pre) {
      this.preDepth--;
      if (this.preDepth === 0) this.flushPre();
      return;
    }
    this.flush();
    if (action & Action.List) this.lists.pop();
    if (action & Action.Container) {
      if (this.overflow > 0) this.overflow--;
      else this.containers.pop();
    }
  }

  finish(): string {
    this.flush();
    return this.lines.join('\n');
  }

  private pushContainer(container: Container): number {
    if (this.containers.length >= this.maxNesting) {
      this.overflow++;
      this.rules.add('nesting-capped');
    } else {
      this.containers.push(container);
    }
    return Action.Container;
  }

  private openMark(el: Element, kind: MarkKind): number {
    if (this.preDepth > 0 || this.markDepth[kind] > 0) return Action.None;
    let href: string | undefined;
    if (kind === 'link') {
      href = this.resolveHref(el.attribs['href']);
      if (href === undefined) return Action.None;
    }
    this.markDepth[kind]++;
    this.marks.push({ kind, start: this.inline.length, href });
    return Action.Mark;
  }

  private closeMark(): void {
    const mark = this.marks.pop()!;
    this.markDepth[mark.kind]--;
    this.inline = this.applyMark(this.inline, mark);
  }

  private applyMark(buffer: string, mark: Mark): string {
    switch (mark.kind) {
      case 'strong':
        return wrap(buffer, mark.start, '**', '**', false);
      case 'em':
        return wrap(buffer, mark.start, '*', '*', false);
      case 'strike':
        return wrap(buffer, mark.start, '~~', '~~', false);
      case 'code': {
        const fence = buffer.slice(mark.start).includes('`') ? '``' : '`';
        const pad = fence.length > 1 ? ' ' : '';
        return wrap(buffer, mark.start, fence + pad, pad + fence, true);
      }
      case 'link':
        return wrap(buffer, mark.start, '[', `](${mark.href})`, true);
    }
  }

  private resolveHref(raw: string | undefined): string | undefined {
    const href = raw?.trim();
    if (!href || /^javascript:/i.test(href)) return undefined;
    let resolved = href;
    // In-page anchors stay relative: the page's own URL would only repeat the source URL on every one.
    if (this.base && !href.startsWith('#')) {
      try {
        resolved = new URL(href, this.base).href;
      } catch {
        resolved = href;
      }
    }
    return resolved.replace(/\s/g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
  }

  /** Ends the current inline run: applies open marks to it, and reopens them for what follows. */
  private takeInline(): string[] | null {
    let buffer = this.inline;
    for (let i = this.marks.length - 1; i >= 0; i--) buffer = this.applyMark(buffer, this.marks[i]!);
    for (const mark of this.marks) mark.start = 0;
    this.inline = '';
    const lines: string[] = [];
    let blank = false;
    for (const raw of buffer.split('\n')) {
      const line = raw.replace(/ {2,}/g, ' ').trim();
      if (line === '') {
        blank = lines.length > 0;
        continue;
      }
      if (blank) lines.push('');
      blank = false;
      lines.push(line);
    }
    return lines.length > 0 ? lines : null;
  }

  private flush(): void {
    if (this.inline === '') return;
    const lines = this.takeInline();
    if (lines) this.emitBlock(lines);
  }

  private flushPre(): void {
    const raw = this.inline.replace(/^\n/, '').replace(/\s+$/, '');
    this.inline = '';
    if (raw.trim() === '') return;
    const fence = codeFence(raw);
    this.emitBlock([fence, ...raw.split('\n'), fence]);
  }

  private emitTable(rows: string[][]): void {
    const columns = rows.reduce((max, row) => Math.max(max, row.length), 0);
    if (columns === 0 || rows.every((row) => row.every((cell) => cell === ''))) return;
    const render = (row: string[]): string => {
      let line = '|';
      for (let i = 0; i < columns; i++) line += row[i] ? ` ${row[i]} |` : ' |';
      return line;
    };
    const [header, ...body] = rows;
    const lines = [render(header!), render(new Array<string>(columns).fill('---')), ...body.map(render)];
    this.emitBlock(lines);
  }

  private linePrefix(): string {
    let prefix = '';
    for (const container of this.containers) {
      if (container.kind === 'quote') prefix += '> ';
      else if (container.used) prefix += ' '.repeat(container.marker.length);
      else {
        prefix += container.marker;
        container.used = true;
      }
    }
    return prefix;
  }

  private emitBlock(blockLines: string[]): void {
    let rootList: List | null = null;
    let quotes = 0;
    for (const c of this.containers) {
      if (c.kind === 'quote') quotes++;
      else if (rootList === null) rootList = c.list ?? { ordered: false, next: 0 };
    }
    // Items of one list are tight; anything else is separated by a blank line, inside the quotes both share.
    if (this.lines.length > 0 && !(rootList !== null && rootList === this.lastRootList)) {
      this.lines.push(new Array<string>(Math.min(quotes, this.lastQuotes)).fill('>').join(' '));
    }
    for (const line of blockLines) {
      const prefix = this.linePrefix();
      this.lines.push(line === '' ? prefix.trimEnd() : prefix + line);
    }
    this.lastRootList = rootList;
    this.lastQuotes = quotes;
  }
}

/**
 * Writes the Markdown of the given nodes, in order. The walk uses an explicit stack, so a document nested
 * a hundred thousand levels deep costs memory, not the call stack; list and quote indentation stops at
 * `maxNesting` so that deep nesting cannot make the output quadratic.
 */
export function nodesToMarkdown(roots: readonly AnyNode[], options: MarkdownOptions = {}): MarkdownResult {
  const writer = new MarkdownWriter(options.baseUrl, options.maxNesting ?? DEFAULT_MAX_NESTING);
  const stack: (AnyNode | Exit)[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]!);
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if ('exit' in entry) {
      writer.leave(entry.exit, entry.action);
      continue;
    }
    if (isText(entry)) {
      writer.text(entry.data);
      continue;
    }
    if (isTag(entry)) {
      if (SKIPPED.has(entry.name) || isHiddenElement(entry)) continue;
      const action = writer.enter(entry);
      if (action !== Action.None) stack.push({ exit: entry, action });
    } else if (!hasChildren(entry) || isCDATA(entry)) {
      // Comments, directives and processing instructions carry no text of the document.
      continue;
    }
    const children = entry.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { markdown: writer.finish(), rulesFired: [...writer.rules] };
}
