/**
 * Query parameters that identify a visit, a campaign or a fetch rather than a resource. Removing them keeps
 * per-fetch noise out of versions. Matched case-insensitively; entries ending in `*` are prefixes.
 */
export const DEFAULT_TRACKING_PARAMS: readonly string[] = [
  'utm_*',
  'gclid',
  'gclsrc',
  'dclid',
  'fbclid',
  'msclkid',
  'yclid',
  'mc_*',
  '_hsenc',
  '_hsmi',
  '__hstc',
  '__hssc',
  '__hsfp',
  'hsctatracking',
  '_gl',
  '_ga',
  'mkt_tok',
  'igshid',
  'ref',
  'ref_src',
  'oly_enc_id',
  'oly_anon_id',
  'vero_id',
];

export interface LinkOptions {
  /** Parameters removed in addition to {@link DEFAULT_TRACKING_PARAMS} (same syntax). */
  readonly extraTrackingParams?: readonly string[];
}

interface ParamMatcher {
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

const matcherCache = new WeakMap<readonly string[], ParamMatcher>();
const defaultMatcher = buildMatcher(DEFAULT_TRACKING_PARAMS);

function buildMatcher(params: readonly string[]): ParamMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const param of params) {
    const lower = param.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return { exact, prefixes };
}

function matcherFor(options: LinkOptions): ParamMatcher[] {
  const extra = options.extraTrackingParams;
  if (!extra || extra.length === 0) return [defaultMatcher];
  let matcher = matcherCache.get(extra);
  if (!matcher) {
    matcher = buildMatcher(extra);
    matcherCache.set(extra, matcher);
  }
  return [defaultMatcher, matcher];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function isTracking(key: string, matchers: readonly ParamMatcher[]): boolean {
  const lower = safeDecode(key).toLowerCase();
  return matchers.some((m) => m.exact.has(lower) || m.prefixes.some((p) => lower.startsWith(p)));
}

export interface CanonicalUrl {
  readonly url: string;
  readonly removedParams: boolean;
  readonly sortedParams: boolean;
}

/**
 * Removes tracking parameters and sorts the others by name (stable, so repeated names keep their order).
 * Works on the text of the URL, not through `URL`, so that nothing else about it (encoding, case,
 * relative form) changes.
 */
export function canonicaliseUrl(url: string, options: LinkOptions = {}): CanonicalUrl {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return { url, removedParams: false, sortedParams: false };
  const base = beforeHash.slice(0, queryAt);
  const params = beforeHash
    .slice(queryAt + 1)
    .split('&')
    .filter((p) => p !== '');
  const matchers = matcherFor(options);
  const kept = params.filter((p) => !isTracking(p.split('=', 1)[0]!, matchers));
  const keyOf = (p: string): string => p.split('=', 1)[0]!;
  const sorted = kept
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (keyOf(a.p) < keyOf(b.p) ? -1 : keyOf(a.p) > keyOf(b.p) ? 1 : a.i - b.i))
    .map((e) => e.p);
  const removedParams = kept.length !== params.length;
  const sortedParams = sorted.some((p, i) => p !== kept[i]);
  const query = sorted.length > 0 ? `?${sorted.join('&')}` : '';
  const next = base + query + fragment;
  // An empty `?` or `&&` is also noise: report it as a removal so the rule list explains the change.
  return { url: next, removedParams: removedParams || (next !== url && !sortedParams), sortedParams };
}

// A Markdown link or image target as this engine writes it: `](target)`; targets never contain spaces.
const MARKDOWN_TARGET = /\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/g;

export function canonicaliseMarkdownLinks(
  text: string,
  options: LinkOptions = {},
): { text: string; rulesFired: string[] } {
  if (!text.includes('](')) return { text, rulesFired: [] };
  let removed = false;
  let sorted = false;
  const next = text.replace(MARKDOWN_TARGET, (whole, target: string) => {
    const canonical = canonicaliseUrl(target, options);
    if (canonical.url === target) return whole;
    removed ||= canonical.removedParams;
    sorted ||= canonical.sortedParams;
    return `](${canonical.url})`;
  });
  const rulesFired: string[] = [];
  if (removed) rulesFired.push('link-tracking-params-removed');
  if (sorted) rulesFired.push('link-query-sorted');
  return { text: next, rulesFired };
}
