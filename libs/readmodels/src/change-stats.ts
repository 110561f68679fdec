import type { ChangeStats } from './read-models';
import { diffLines } from 'diff';

const words = (text: string): number => (text.match(/\S+/g) ?? []).length;

/**
 * Lines and words added and removed between two versions, from a line diff. Bounded: past the time limit the
 * whole texts count as replaced rather than blocking the projection.
 */
export function changeStats(previous: string, next: string): ChangeStats {
  const changes = diffLines(previous, next, { timeout: 2_000 });
  if (!changes) {
    return { linesAdded: lineCount(next), linesRemoved: lineCount(previous), wordsAdded: words(next), wordsRemoved: words(previous) };
  }
  const stats = { linesAdded: 0, linesRemoved: 0, wordsAdded: 0, wordsRemoved: 0 };
  for (const change of changes) {
    if (change.added) {
      stats.linesAdded += change.count ?? lineCount(change.value);
      stats.wordsAdded += words(change.value);
    } else if (change.removed) {
      stats.linesRemoved += change.count ?? lineCount(change.value);
      stats.wordsRemoved += words(change.value);
    }
  }
  return stats;
}

const lineCount = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
