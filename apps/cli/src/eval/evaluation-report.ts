import type { OtaVersionResult, TermlineVersion } from './document-match';
import { OTA_CATEGORIES, type OtaCategory } from './ota-versions';

/**
 * The numbers of the evaluation, overall and per service, from the per-version results. Pure.
 * Targets (issue "What is a version"): Termline records at most 0.4 versions per OTA version, and at least 99%
 * of the versions both record have the same text modulo whitespace and URL query strings. Recall has no target
 * of its own: every miss is listed.
 */
export const COUNT_RATIO_TARGET = 0.4;
export const TEXT_EQUALITY_TARGET = 0.99;

export interface Metrics {
  otaVersions: number;
  byCategory: Record<OtaCategory, number>;
  /** OTA versions equal (modulo whitespace) to any earlier version, whatever the delay. */
  equalsAnyEarlier: number;
  /** OTA flip-backs equal to the version just before them: whitespace-only changes. */
  whitespaceOnly: number;
  substantive: number;
  recalled: number;
  recall: number | null;
  /** Substantive OTA changes that are the same version under all of Termline's masks, the optional ones included. */
  substantiveMasked: number;
  /** Diagnostic: recall of the substantive changes the masks do not hide. */
  recalledUnmasked: number;
  recallUnmasked: number | null;
  /** Stricter: Termline recorded its version at a record that revealed OTA's (one whose snapshot is new in it). */
  recalledSameFetch: number;
  recallSameFetch: number | null;
  termlineVersions: number;
  technicalUpgrades: number;
  retracted: number;
  /** Termline versions counted against OTA's: neither technical upgrades nor retracted versions (flip-backs, incomplete rounds). */
  termlineCounted: number;
  countRatio: number | null;
  textCompared: number;
  textEqual: number;
  textEquality: number | null;
  /** Text equality per OTA category: link-only and flip-back versions are compared with a neighbouring version. */
  textByCategory: Record<OtaCategory, { compared: number; equal: number }>;
  /** Diagnostic, not the target: matched versions whose texts read the same once Markdown markup is ignored. */
  textSameWords: number;
  textSameWordsShare: number | null;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function metricsOf(
  results: readonly OtaVersionResult[],
  termline: ReadonlyArray<Pick<TermlineVersion, 'technicalUpgrade' | 'retracted'>>,
): Metrics {
  const byCategory = Object.fromEntries(OTA_CATEGORIES.map((c) => [c, 0])) as Record<OtaCategory, number>;
  for (const r of results) byCategory[r.ota.category] += 1;
  const substantive = results.filter((r) => r.ota.category === 'other');
  const recalled = substantive.filter((r) => r.match !== null).length;
  const recalledSameFetch = substantive.filter((r) => r.match?.sameFetch).length;
  const unmasked = substantive.filter((r) => !r.ota.sameUnderMasks);
  const recalledUnmasked = unmasked.filter((r) => r.match !== null).length;
  const compared = results.filter((r) => r.text !== null);
  const textEqual = compared.filter((r) => r.text!.equal).length;
  const textSameWords = compared.filter((r) => r.text!.sameWords).length;
  const textByCategory = Object.fromEntries(
    OTA_CATEGORIES.map((c) => {
      const inCategory = compared.filter((r) => r.ota.category === c);
      return [c, { compared: inCategory.length, equal: inCategory.filter((r) => r.text!.equal).length }];
    }),
  ) as Record<OtaCategory, { compared: number; equal: number }>;
  const technicalUpgrades = termline.filter((v) => v.technicalUpgrade).length;
  const retracted = termline.filter((v) => v.retracted && !v.technicalUpgrade).length;
  const termlineCounted = termline.length - technicalUpgrades - retracted;
  return {
    otaVersions: results.length,
    byCategory,
    equalsAnyEarlier: results.filter((r) => r.ota.equalsAnyEarlier && r.ota.category !== 'first').length,
    whitespaceOnly: results.filter((r) => r.ota.category === 'flip-back' && r.ota.equalsPrevious).length,
    substantive: substantive.length,
    recalled,
    recall: share(recalled, substantive.length),
    substantiveMasked: substantive.length - unmasked.length,
    recalledUnmasked,
    recallUnmasked: share(recalledUnmasked, unmasked.length),
    recalledSameFetch,
    recallSameFetch: share(recalledSameFetch, substantive.length),
    termlineVersions: termline.length,
    technicalUpgrades,
    retracted,
    termlineCounted,
    countRatio: share(termlineCounted, results.length),
    textCompared: compared.length,
    textEqual,
    textEquality: share(textEqual, compared.length),
    textByCategory,
    textSameWords,
    textSameWordsShare: share(textSameWords, compared.length),
  };
}

export interface MissEntry {
  documentId: string;
  otaVersionCommit: string;
  revealingCommit: string;
  recordedAt: string;
  reason: string;
}

export interface MismatchEntry {
  documentId: string;
  otaVersionCommit: string;
  recordedAt: string;
  category: OtaCategory;
  termlineVersion: number;
  distance: number;
  line: number | null;
  ota: string | null;
  termline: string | null;
  /** The same once rendered (Markdown markup ignored), else the first difference of words. */
  sameWords: boolean;
  wordsDistance: number;
  wordsLine: number | null;
  otaWords: string | null;
  termlineWords: string | null;
}

export function missesOf(results: readonly OtaVersionResult[]): MissEntry[] {
  return results
    .filter((r) => r.ota.category === 'other' && r.match === null)
    .map((r) => ({
      documentId: r.ota.documentId,
      otaVersionCommit: r.ota.commit,
      revealingCommit: r.revealingCommit,
      recordedAt: r.ota.recordedAt,
      reason: r.missReason ?? '',
    }));
}

/** Substantive OTA versions matched only through another record than the one that revealed them. */
export function sameFetchMissesOf(results: readonly OtaVersionResult[]): MissEntry[] {
  return results
    .filter((r) => r.ota.category === 'other' && r.match !== null && !r.match.sameFetch)
    .map((r) => ({
      documentId: r.ota.documentId,
      otaVersionCommit: r.ota.commit,
      revealingCommit: r.revealingCommit,
      recordedAt: r.ota.recordedAt,
      reason:
        `matched Termline version ${r.match!.version} (${r.match!.containsRevealing ? 'contains the revealing record' : 'shares only an unchanged part'}); ` +
        (r.sameFetchMissReason ?? ''),
    }));
}

export function worstMismatchesOf(results: readonly OtaVersionResult[], count = 10): MismatchEntry[] {
  // Worst first by words, then by Markdown: a style difference repeated on every heading is not the worst. One
  // entry per document: the same lasting difference repeated over a document's versions would fill the list.
  const seen = new Set<string>();
  return results
    .filter((r) => r.text !== null && !r.text.equal)
    .sort((a, b) => b.text!.wordsDistance - a.text!.wordsDistance || b.text!.distance - a.text!.distance)
    .filter((r) => {
      if (seen.has(r.ota.documentId)) return false;
      seen.add(r.ota.documentId);
      return true;
    })
    .slice(0, count)
    .map((r) => ({
      documentId: r.ota.documentId,
      otaVersionCommit: r.ota.commit,
      recordedAt: r.ota.recordedAt,
      category: r.ota.category,
      termlineVersion: r.match!.version,
      distance: r.text!.distance,
      line: r.text!.firstDifference?.line ?? null,
      ota: r.text!.firstDifference?.left ?? null,
      termline: r.text!.firstDifference?.right ?? null,
      sameWords: r.text!.sameWords,
      wordsDistance: r.text!.wordsDistance,
      wordsLine: r.text!.firstWordsDifference?.line ?? null,
      otaWords: r.text!.firstWordsDifference?.left ?? null,
      termlineWords: r.text!.firstWordsDifference?.right ?? null,
    }));
}

const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const verdict = (pass: boolean | null): string => (pass === null ? 'n/a' : pass ? 'PASS' : 'MISS');

export const countRatioPasses = (m: Metrics): boolean | null =>
  m.countRatio === null ? null : m.countRatio <= COUNT_RATIO_TARGET;
export const textEqualityPasses = (m: Metrics): boolean | null =>
  m.textEquality === null ? null : m.textEquality >= TEXT_EQUALITY_TARGET;

export function formatMetrics(m: Metrics, windowDays: number): string[] {
  const c = m.byCategory;
  return [
    `OTA versions: ${m.otaVersions} (first ${c.first}, technical-upgrade ${c['technical-upgrade']}, flip-back ${c['flip-back']} ` +
      `[window ${windowDays} d; ${m.whitespaceOnly} of them whitespace-only; equal to any earlier version, no window: ${m.equalsAnyEarlier}], ` +
      `link-only ${c['link-only']}, other ${c.other})`,
    `(a) Recall of OTA substantive changes: ${m.recalled}/${m.substantive} = ${percent(m.recall)} ` +
      `(recorded at a record that revealed it: ${m.recalledSameFetch}/${m.substantive} = ${percent(m.recallSameFetch)}; ` +
      `diagnostic: without the ${m.substantiveMasked} changes that all comparison masks, the optional ones included, would hide, ` +
      `${m.recalledUnmasked}/${m.substantive - m.substantiveMasked} = ${percent(m.recallUnmasked)})`,
    `(b) Version count: Termline ${m.termlineCounted} (of ${m.termlineVersions}; excluded ${m.technicalUpgrades} technical upgrades, ` +
      `${m.retracted} retracted: flip-backs and incomplete fetch rounds) / OTA ${m.otaVersions} = ${m.countRatio === null ? 'n/a' : m.countRatio.toFixed(3)} ` +
      `target <= ${COUNT_RATIO_TARGET} ${verdict(countRatioPasses(m))}`,
    `(c) Text equality: ${m.textEqual}/${m.textCompared} = ${percent(m.textEquality)} target >= ${TEXT_EQUALITY_TARGET * 100}% ` +
      `${verdict(textEqualityPasses(m))}; diagnostic: same words once Markdown markup is ignored ` +
      `${m.textSameWords}/${m.textCompared} = ${percent(m.textSameWordsShare)}`,
    `    text equality by OTA category: ${OTA_CATEGORIES.map((c) => {
      const t = m.textByCategory[c];
      return `${c} ${t.equal}/${t.compared}`;
    }).join(', ')}`,
  ];
}

export function formatServiceTable(byService: ReadonlyMap<string, Metrics>): string[] {
  const rows = [
    ['service', 'OTA', 'other', 'recall', 'same-record', 'Termline', 'ratio', 'text equal', 'same words'],
  ];
  for (const [service, m] of byService) {
    rows.push([
      service,
      String(m.otaVersions),
      String(m.substantive),
      `${m.recalled}/${m.substantive} ${percent(m.recall)}`,
      percent(m.recallSameFetch),
      String(m.termlineCounted),
      m.countRatio === null ? 'n/a' : m.countRatio.toFixed(2),
      `${m.textEqual}/${m.textCompared} ${percent(m.textEquality)}`,
      percent(m.textSameWordsShare),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
