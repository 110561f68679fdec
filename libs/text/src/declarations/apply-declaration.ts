import { compile, selectAll, selectOne } from 'css-select';
import { type AnyNode, type Document, type Element, type ParentNode, hasChildren } from 'domhandler';

import type { RangeSelector, Selector, SourceDocumentDeclaration } from './declaration';
import { applyFilter, isKnownFilter } from './filters';
import { appendAll } from '../support/append-all';

export type ApplyResult =
  | { ok: true; roots: AnyNode[]; rulesFired: string[]; rulesNotApplied: string[] }
  | { ok: false; code: 'selector-matched-nothing' | 'invalid-selector'; reason: string };

/** The nodes of a document in document order, each with the index of its last descendant. */
interface Ordered {
  readonly nodes: AnyNode[];
  readonly last: number[];
  readonly index: Map<AnyNode, number>;
}

function order(root: Document): Ordered {
  const nodes: AnyNode[] = [];
  const last: number[] = [];
  const index = new Map<AnyNode, number>();
  // Iterative pre-order walk; a number on the stack marks the end of that node's subtree.
  const stack: (AnyNode | number)[] = [root];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (typeof entry === 'number') {
      last[entry] = nodes.length - 1;
      continue;
    }
    const i = nodes.length;
    nodes.push(entry);
    index.set(entry, i);
    stack.push(i);
    if (hasChildren(entry))
      for (let c = entry.children.length - 1; c >= 0; c--) stack.push(entry.children[c]!);
  }
  return { nodes, last, index };
}

/** The top-most nodes lying wholly in a range, or null when a marker matches nothing. */
function rangeNodes(root: Document, range: RangeSelector): AnyNode[] | null {
  const startSelector = range.startBefore ?? range.startAfter!;
  const endSelector = range.endBefore ?? range.endAfter!;
  const start = selectOne<AnyNode, Element>(startSelector, root);
  const end = selectOne<AnyNode, Element>(endSelector, root);
  if (!start || !end) return null;
  const ordered = order(root);
  const s = range.startBefore ? ordered.index.get(start)! : ordered.last[ordered.index.get(start)!]! + 1;
  const e = range.endBefore ? ordered.index.get(end)! : ordered.last[ordered.index.get(end)!]! + 1;
  const result: AnyNode[] = [];
  let i = s;
  while (i < e) {
    if (ordered.last[i]! < e) {
      result.push(ordered.nodes[i]!);
      i = ordered.last[i]! + 1;
    } else i++;
  }
  return result.length > 0 ? result : null;
}

function describe(selector: Selector): string {
  return typeof selector === 'string' ? selector : JSON.stringify(selector);
}

function matches(root: Document, selector: Selector): AnyNode[] | null {
  if (typeof selector === 'string') {
    const found = selectAll<AnyNode, Element>(selector, root);
    return found.length > 0 ? found : null;
  }
  return rangeNodes(root, selector);
}

/**
 * Detaches nodes from the tree, one pass per parent. domutils' removeElement splices each node out of its
 * parent's children on its own, which is quadratic when a selector matches thousands of siblings.
 */
function removeNodes(nodes: readonly AnyNode[]): void {
  const doomed = new Set(nodes);
  const parents = new Set<ParentNode>();
  for (const node of nodes) if (node.parent) parents.add(node.parent);
  for (const parent of parents) {
    const kept = parent.children.filter((child) => !doomed.has(child));
    kept.forEach((child, i) => {
      child.prev = kept[i - 1] ?? null;
      child.next = kept[i + 1] ?? null;
    });
    parent.children = kept;
  }
  for (const node of nodes) {
    node.parent = null;
    node.prev = null;
    node.next = null;
  }
}

/** Keeps the earliest of nested matches: a node inside an already selected node adds nothing. */
function withoutDescendants(nodes: AnyNode[]): AnyNode[] {
  const chosen = new Set(nodes);
  return nodes.filter((node) => {
    for (let p = node.parent; p; p = p.parent) if (chosen.has(p)) return false;
    return true;
  });
}

/**
 * Applies a source document declaration to a parsed page, in Open Terms Archive's order: filters, then
 * `remove`, then `select`. Removal changes the document; selection only chooses the roots to write.
 */
export function applyDeclaration(root: Document, source: SourceDocumentDeclaration): ApplyResult {
  const invalid = invalidSelector([...source.remove, ...source.select]);
  if (invalid) return { ok: false, code: 'invalid-selector', reason: invalid };
  const rulesFired: string[] = [];
  const rulesNotApplied: string[] = [];
  for (const name of source.filter) {
    // A collection's own filter function cannot run here: the version says it was not applied.
    if (!isKnownFilter(name)) {
      rulesNotApplied.push(`filter:${name}`);
      continue;
    }
    if (applyFilter(name, root, source.fetch)) rulesFired.push(`filter:${name}`);
  }
  for (const selector of source.remove) {
    const found = matches(root, selector);
    if (!found) continue;
    removeNodes(found);
    rulesFired.push(`remove:${describe(selector)}`);
  }
  if (source.select.length === 0) return { ok: true, roots: [root], rulesFired, rulesNotApplied };
  const selected: AnyNode[] = [];
  const missing: string[] = [];
  for (const selector of source.select) {
    const found = matches(root, selector);
    if (found) appendAll(selected, found);
    else missing.push(describe(selector));
  }
  if (selected.length === 0) {
    return {
      ok: false,
      code: 'selector-matched-nothing',
      reason: `no element matches ${missing.join(', ')}`,
    };
  }
  return { ok: true, roots: withoutDescendants(selected), rulesFired, rulesNotApplied };
}

/** css-select throws on syntax it does not understand: an operational problem of the declaration, not a bug. */
function invalidSelector(selectors: readonly Selector[]): string | null {
  const css = selectors.flatMap((s) =>
    typeof s === 'string'
      ? [s]
      : [s.startBefore, s.startAfter, s.endBefore, s.endAfter].filter((v): v is string => !!v),
  );
  for (const selector of css) {
    try {
      compile(selector);
    } catch (error) {
      return `${selector}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return null;
}
