import { createHash } from 'node:crypto';
import { wordCount } from '@termline/domain';
import { maskRelativeTimes, textFingerprint, type VolatileMask } from './normalise-text';

const LINK_TARGET = /\]\((?:[^()\s]|\([^()\s]*\))*\)/g;

/**
 * What makes two texts the same version: their normalised form with link targets masked, and the volatile
 * fragments of the masks switched on. A link whose target alone changed (a per-fetch token, a new tracking id, a
 * moved page) is archived and observed, and shows in the next real change's diff, but does not make a version by
 * itself. Link texts, absolute dates and every word still count.
 */
export function versionFingerprint(text: string, volatile: readonly VolatileMask[] = []): string {
  return versionComparison(text, volatile).fingerprint;
}

/** The fingerprint, and the masks that matched something in the text (recorded as rules fired). */
export function versionComparison(
  text: string,
  volatile: readonly VolatileMask[] = [],
): { fingerprint: string; masks: string[] } {
  const masks: string[] = [];
  const mask = (input: string, apply: (text: string) => string, rule: string): string => {
    const output = apply(input);
    if (output !== input) masks.push(rule);
    return output;
  };
  let masked = mask(text, (t) => t.replace(LINK_TARGET, ']()'), 'link-targets-masked');
  if (volatile.includes('relative-times')) {
    masked = mask(masked, (t) => maskRelativeTimes(t, '<relative time>'), 'relative-times-masked');
  }
  return { fingerprint: textFingerprint(masked), masks };
}

/** Everything the versioning rules read off a document's whole text, besides the text itself. */
export interface VersionIdentity {
  /** sha256 (hex) of the text's UTF-8 bytes. */
  textSha256: string;
  fingerprint: string;
  masks: string[];
  /** Words of the text, as wordCount counts them (the failed-fetch rule compares them with the version's). */
  words: number;
}

/**
 * The hash, fingerprint and word count of a document's text, in one call: each reads the whole text, so for a
 * long document they are worth computing off the event loop together (a text-work task) rather than one by one.
 */
export function versionIdentity(text: string, volatile: readonly VolatileMask[] = []): VersionIdentity {
  return {
    textSha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    ...versionComparison(text, volatile),
    words: wordCount(text),
  };
}
