import type { StructuredPatch, StructuredPatchHunk } from 'diff';

import { type Alignment, longestIncreasing } from '../provisions/align-provisions';
import type { Provision } from '../provisions/segment-provisions';

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Lines with their terminator; the last one may have none. */
function linesOf(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function toHunks(ops: readonly Op[], context: number): StructuredPatchHunk[] {
  const changes: number[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== ' ') changes.push(i);
  });
  const hunks: StructuredPatchHunk[] = [];
  // Line numbers (1-based) of each op's position in the old and the new text.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops) {
    oldAt.push(oldLine);
    newAt.push(newLine);
    if (op.kind !== '+') oldLine++;
    if (op.kind !== '-') newLine++;
  }
  let k = 0;
  while (k < changes.length) {
    let last = k;
    // Changes closer than two contexts share a hunk.
    while (last + 1 < changes.length && changes[last + 1]! - changes[last]! <= 2 * context + 1) last++;
    const from = Math.max(0, changes[k]! - context);
    const to = Math.min(ops.length - 1, changes[last]! + context);
    const lines: string[] = [];
    let oldLines = 0;
    let newLines = 0;
    for (let i = from; i <= to; i++) {
      const op = ops[i]!;
      const ended = op.line.endsWith('\n');
      lines.push(op.kind + (ended ? op.line.slice(0, -1) : op.line));
      if (!ended) lines.push('\\ No newline at end of file');
      if (op.kind !== '+') oldLines++;
      if (op.kind !== '-') newLines++;
    }
    hunks.push({ oldStart: oldAt[from]!, oldLines, newStart: newAt[from]!, newLines, lines });
    k = last + 1;
  }
  return hunks;
}

/**
 * A patch built from the provision alignment instead of a line diff: provisions continued unchanged and in
 * order are context, everything between two of them is replaced whole. Linear in the size of the texts, so
 * it is the fallback when the line diff's budget runs out. Returns null when the provisions do not cover
 * the texts exactly (they were not segmented from them).
 */
export function provisionPatch(
  oldName: string,
  newName: string,
  oldText: string,
  newText: string,
  previous: readonly Provision[],
  alignment: Alignment,
  context: number,
): StructuredPatch | null {
  const next = alignment.provisions;
  if (previous.map((p) => p.text).join('') !== oldText || next.map((p) => p.text).join('') !== newText)
    return null;
  const anchors = next
    .map((n, j) => ({ i: alignment.previousIndex[j]!, j }))
    .filter(({ i, j }) => i !== -1 && previous[i]!.text === next[j]!.text);
  const run = longestIncreasing(anchors.map((a) => a.i));
  const kept = anchors.filter((_, k) => run.has(k));

  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const replace = (toI: number, toJ: number): void => {
    for (; i < toI; i++) for (const line of linesOf(previous[i]!.text)) ops.push({ kind: '-', line });
    for (; j < toJ; j++) for (const line of linesOf(next[j]!.text)) ops.push({ kind: '+', line });
  };
  for (const anchor of kept) {
    replace(anchor.i, anchor.j);
    for (const line of linesOf(previous[i]!.text)) ops.push({ kind: ' ', line });
    i++;
    j++;
  }
  replace(previous.length, next.length);
  // A removed line and an added line are written removals first within each run of changes.
  const ordered: Op[] = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k]!.kind === ' ') {
      ordered.push(ops[k++]!);
      continue;
    }
    const run: Op[] = [];
    while (k < ops.length && ops[k]!.kind !== ' ') run.push(ops[k++]!);
    for (const op of run) if (op.kind === '-') ordered.push(op);
    for (const op of run) if (op.kind === '+') ordered.push(op);
  }
  return {
    oldFileName: oldName,
    newFileName: newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: toHunks(ordered, context),
  };
}
