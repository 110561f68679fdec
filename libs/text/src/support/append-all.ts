/**
 * Appends every item of `items` to `target`. `target.push(...items)` passes each item as an argument on the
 * call stack, so an array of a few hundred thousand words (one large document) throws "Maximum call stack size
 * exceeded"; a loop costs the same and has no limit.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
