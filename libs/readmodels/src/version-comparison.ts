import type { MaterialityView, ProvisionChangeView, VersionView } from './read-models';
import {
  diffVersions,
  provisionsWithIds,
  type Provision,
  type RecordedAlignment,
  type VersionDiff,
} from '@termline/text';

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

const segmented = new WeakMap<object, { text: string; ids: readonly string[]; provisions: Provision[] }>();

/**
 * A stored version's provisions with the ids it was given when it was recorded. Kept per version object while it
 * lives: the governance projection asks twice for the same version, and a long one takes a tenth of a second to
 * segment. The provisions are shared: callers read them, never change them.
 */
export function provisionsOf(version: Pick<VersionView, 'text' | 'provisionIds'>): Provision[] {
  const kept = segmented.get(version);
  if (kept && kept.text === version.text && kept.ids === version.provisionIds) return kept.provisions;
  const provisions = provisionsWithIds(version.text, version.provisionIds);
  segmented.set(version, { text: version.text, ids: version.provisionIds, provisions });
  return provisions;
}

/**
 * How a version compares with another. `recorded`, the ids and lineage the new version was recorded with against
 * `previous` (its ProvisionsAligned), spares aligning the provisions again; `withPatch: false` leaves the patch out
 * (the projection keeps only its line counts).
 */
export interface CompareOptions {
  readonly oldName?: string;
  readonly newName?: string;
  readonly recorded?: RecordedAlignment | null;
  readonly withPatch?: boolean;
}

export function compareVersions(
  previous: Pick<VersionView, 'text' | 'provisionIds' | 'version'> | null,
  text: string,
  options: CompareOptions = {},
): VersionDiff {
  return diffVersions(previous?.text ?? '', text, {
    ...DETERMINISTIC_BUDGETS,
    ...options,
    previousProvisions: previous ? provisionsOf(previous) : [],
  });
}

/**
 * What a version view keeps of its diff. The recorded alignment is authoritative: when the diff, which aligns
 * again with today's heuristics, gives the same ids (the usual case) its per-provision word counts are kept;
 * when it does not, the recorded ids and lineage are used, without word counts.
 */
export function summarise(
  diff: VersionDiff,
  recorded: RecordedAlignment | null = null,
): {
  materiality: MaterialityView;
  provisionChanges: ProvisionChangeView[];
  provisionIds: string[];
} {
  const materiality = { level: diff.materiality.level, reasons: [...diff.materiality.reasons] };
  const computedIds = diff.nextProvisions.map((p) => p.id);
  if (recorded && !sameIds(recorded.provisionIds, computedIds)) {
    const headingOf = new Map(
      recorded.provisionIds.map((id, i) => [id, diff.nextProvisions[i]?.heading ?? '']),
    );
    const change = (provisionId: string, kind: string): ProvisionChangeView => ({
      provisionId,
      heading: headingOf.get(provisionId) ?? '',
      change: kind,
      wordsAdded: 0,
      wordsRemoved: 0,
    });
    return {
      materiality,
      provisionChanges: recorded.lineage.flatMap((entry) => {
        if (entry.kind === 'split') return entry.into.slice(1).map((id) => change(id, 'split'));
        if (entry.kind === 'merged') return [change(entry.into, 'merged')];
        return [change(entry.id, entry.kind)];
      }),
      provisionIds: [...recorded.provisionIds],
    };
  }
  return {
    materiality,
    provisionChanges: diff.provisions
      .filter((p) => p.change !== 'unchanged')
      .map((p) => ({
        provisionId: p.provisionId,
        heading: p.heading,
        change: p.change,
        wordsAdded: p.wordsAdded,
        wordsRemoved: p.wordsRemoved,
      })),
    provisionIds: computedIds,
  };
}

const sameIds = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * The word and provision diff between two stored versions, as the API serves it (GET .../diff) and as an export
 * carries it: one shape in both places, so an auditor's copy reads like the live answer.
 */
/** What {@link versionDiffView} reads of a stored version. */
export type DiffedVersion = Pick<
  VersionView,
  'version' | 'validFrom' | 'textSha256' | 'text' | 'provisionIds'
>;

export function versionDiffView(documentId: string, older: DiffedVersion, newer: DiffedVersion) {
  const diff = compareVersions(older, newer.text, {
    oldName: `${documentId}@v${older.version}`,
    newName: `${documentId}@v${newer.version}`,
  });
  return {
    documentId,
    from: { version: older.version, validFrom: older.validFrom, textSha256: older.textSha256 },
    to: { version: newer.version, validFrom: newer.validFrom, textSha256: newer.textSha256 },
    stats: diff.stats,
    materiality: diff.materiality,
    provisions: diff.provisions.filter((p) => p.change !== 'unchanged'),
    lineage: diff.lineage,
    degraded: diff.degraded,
    patch: diff.patch,
  };
}
export type VersionDiffView = ReturnType<typeof versionDiffView>;
