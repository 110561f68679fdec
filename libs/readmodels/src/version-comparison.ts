import type { MaterialityView, ProvisionChangeView, VersionView } from './read-models';
import { diffVersions, segmentProvisions, type Provision, type VersionDiff } from '@termline/text';

/**
 * Budgets by edit length only, never by wall-clock time: the same two texts must always give the same result,
 * or a rebuild of the read models could differ from the live ones on a busy machine.
 */
const DETERMINISTIC_BUDGETS = {
  lineTimeoutMs: 600_000,
  wordTimeoutMs: 600_000,
  lineMaxEditLength: 4000,
  wordMaxEditLength: 1500,
};

/** A stored version's provisions with the ids it was given when it was projected. */
export function provisionsOf(version: Pick<VersionView, 'text' | 'provisionIds'>): Provision[] {
  const provisions = segmentProvisions(version.text);
  if (provisions.length !== version.provisionIds.length) return provisions;
  return provisions.map((provision, index) => ({ ...provision, id: version.provisionIds[index]! }));
}

export function compareVersions(
  previous: Pick<VersionView, 'text' | 'provisionIds' | 'version'> | null,
  text: string,
  names: { oldName?: string; newName?: string } = {},
): VersionDiff {
  return diffVersions(previous?.text ?? '', text, {
    ...DETERMINISTIC_BUDGETS,
    ...names,
    previousProvisions: previous ? provisionsOf(previous) : [],
  });
}

export function summarise(diff: VersionDiff): {
  materiality: MaterialityView;
  provisionChanges: ProvisionChangeView[];
  provisionIds: string[];
} {
  return {
    materiality: { level: diff.materiality.level, reasons: [...diff.materiality.reasons] },
    provisionChanges: diff.provisions
      .filter((p) => p.change !== 'unchanged')
      .map((p) => ({
        provisionId: p.provisionId,
        heading: p.heading,
        change: p.change,
        wordsAdded: p.wordsAdded,
        wordsRemoved: p.wordsRemoved,
      })),
    provisionIds: diff.nextProvisions.map((p) => p.id),
  };
}
