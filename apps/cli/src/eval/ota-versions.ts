import { documentIdOf } from '@termline/domain';
import { VOLATILE_MASKS, versionFingerprint } from '@termline/text';
import { openNdjson } from '@termline/corpus';
import { collapseWhitespace, sameWordsIgnoringLinks } from './text-compare';

/** One version commit of Open Terms Archive's versions repository (`genai-versions-*.ndjson.br`). */
export interface OtaVersion {
  service: string;
  documentType: string;
  recordedAt: string;
  commit: string;
  kind: 'first' | 'change' | 'technical-upgrade';
  snapshotCommits: string[];
  content: string;
}

/**
 * What an OTA version is, judged from OTA's own history of the document, in this order of precedence:
 * - `first`: the first record of the document;
 * - `technical-upgrade`: a re-extraction after a change of declaration or engine (OTA says so);
 * - `flip-back`: the text equals, modulo whitespace, an earlier version of the document that was left at most
 *   `flipBackWindowMs` before (A -> B -> A within the window: the time counts from the first version after A,
 *   when A was left, not from when A was first recorded; a page that read A for months, then B for a day, then A
 *   again flipped back);
 * - `link-only`: differs from the previous version only in link targets (URLs, query strings);
 * - `other`: a substantive change.
 */
export type OtaCategory = 'first' | 'technical-upgrade' | 'flip-back' | 'link-only' | 'other';
export const OTA_CATEGORIES: readonly OtaCategory[] = [
  'first',
  'technical-upgrade',
  'flip-back',
  'link-only',
  'other',
];

export interface ClassifiedOtaVersion extends OtaVersion {
  documentId: string;
  /** 1-based position among the document's OTA versions. */
  index: number;
  category: OtaCategory;
  /** Equals, modulo whitespace, some earlier version of the document, however long before. */
  equalsAnyEarlier: boolean;
  /** Equals, modulo whitespace, the version just before it: a whitespace-only change. */
  equalsPrevious: boolean;
  /**
   * Diagnostic, not a category: the same version as the one before it under every comparison mask Termline has,
   * the optional ones included (link targets; relative times such as "5 days ago", off by default, ADR 0006).
   */
  sameUnderMasks: boolean;
  previous: OtaVersion | null;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Classifies each document's versions in the order given (commit order), see OtaCategory. */
export function classifyOtaVersions(
  versions: readonly OtaVersion[],
  flipBackWindowMs = 7 * DAY_MS,
): ClassifiedOtaVersion[] {
  const earlierByDocument = new Map<string, Array<{ version: OtaVersion; collapsed: string }>>();
  return versions.map((version) => {
    const documentId = documentIdOf(version.service, version.documentType);
    const earlier = earlierByDocument.get(documentId) ?? [];
    earlierByDocument.set(documentId, earlier);
    const collapsed = collapseWhitespace(version.content);
    const previous = earlier.at(-1)?.version ?? null;
    const at = Date.parse(version.recordedAt);
    const equal = earlier.flatMap((e, position) => (e.collapsed === collapsed ? [position] : []));
    // When the equal version was left: the next version's record (this one, for the version just before).
    const leftAt = (position: number): number =>
      Date.parse((earlier[position + 1]?.version ?? version).recordedAt);
    const withinWindow = equal.some((position) => Math.abs(at - leftAt(position)) <= flipBackWindowMs);
    let category: OtaCategory;
    if (version.kind === 'first' || previous === null) category = 'first';
    else if (version.kind === 'technical-upgrade') category = 'technical-upgrade';
    else if (withinWindow) category = 'flip-back';
    else if (sameWordsIgnoringLinks(previous.content, version.content)) category = 'link-only';
    else category = 'other';
    const classified: ClassifiedOtaVersion = {
      ...version,
      documentId,
      index: earlier.length + 1,
      category,
      equalsAnyEarlier: equal.length > 0,
      equalsPrevious: earlier.at(-1)?.collapsed === collapsed,
      sameUnderMasks:
        previous !== null &&
        versionFingerprint(previous.content, VOLATILE_MASKS) ===
          versionFingerprint(version.content, VOLATILE_MASKS),
      previous,
    };
    earlier.push({ version, collapsed });
    return classified;
  });
}

export async function readOtaVersions(file: string): Promise<OtaVersion[]> {
  const versions: OtaVersion[] = [];
  for await (const line of openNdjson(file).lines()) {
    if (line.text.trim() === '') continue;
    versions.push(JSON.parse(line.text) as OtaVersion);
  }
  return versions;
}
