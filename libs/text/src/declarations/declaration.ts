import { createHash } from 'node:crypto';

/**
 * Open Terms Archive declarations, read without any loader: the caller reads the JSON, this module checks
 * and types it. Vocabulary: a *service declaration* names the terms types of a service; a *terms
 * declaration* says how to fetch and extract one terms type, from one source document or several combined.
 */

/** A range of siblings between two markers, each marker a CSS selector. */
export interface RangeSelector {
  readonly startBefore?: string;
  readonly startAfter?: string;
  readonly endBefore?: string;
  readonly endAfter?: string;
}

export type Selector = string | RangeSelector;

export interface SourceDocumentDeclaration {
  readonly fetch: string;
  readonly select: readonly Selector[];
  readonly remove: readonly Selector[];
  readonly filter: readonly string[];
  readonly executeClientScripts: boolean;
}

export interface TermsDeclaration {
  /** One source document, or the parts of a combined document in their combine order. */
  readonly sources: readonly SourceDocumentDeclaration[];
  readonly combined: boolean;
}

export interface DatedTermsDeclaration extends TermsDeclaration {
  /** Last instant (inclusive, ISO 8601) the declaration was in force; absent for the current one. */
  readonly validUntil?: string;
}

export interface ServiceDeclaration {
  readonly name: string;
  readonly terms: Readonly<Record<string, TermsDeclaration>>;
}

export type DeclarationHistory = Readonly<Record<string, readonly DatedTermsDeclaration[]>>;

/** Everything known about the declarations of some services: current ones and their history. */
export interface DeclarationSet {
  readonly services: ReadonlyMap<
    string,
    { readonly current: ServiceDeclaration; readonly history: DeclarationHistory }
  >;
}

export class DeclarationError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}: ${problems.join('; ')}`);
    this.name = 'DeclarationError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const RANGE_KEYS = ['startBefore', 'startAfter', 'endBefore', 'endAfter'] as const;

function parseSelector(value: unknown, where: string, problems: string[]): Selector | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (isObject(value)) {
    const range: Record<string, string> = {};
    for (const key of RANGE_KEYS) {
      const v = value[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.trim() === '') problems.push(`${where}.${key} must be a CSS selector`);
      else range[key] = v;
    }
    const unknown = Object.keys(value).filter((k) => !(RANGE_KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) problems.push(`${where} has unknown keys ${unknown.join(', ')}`);
    const starts = Number('startBefore' in range) + Number('startAfter' in range);
    const ends = Number('endBefore' in range) + Number('endAfter' in range);
    if (starts !== 1 || ends !== 1) {
      problems.push(`${where} needs exactly one of startBefore/startAfter and one of endBefore/endAfter`);
      return null;
    }
    return range;
  }
  problems.push(`${where} must be a CSS selector or a range`);
  return null;
}

function parseSelectors(value: unknown, where: string, problems: string[]): Selector[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list
    .map((v, i) => parseSelector(v, `${where}[${i}]`, problems))
    .filter((s): s is Selector => s !== null);
}

function parseFilters(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const names = list.filter((v): v is string => typeof v === 'string' && v !== '');
  if (names.length !== list.length) problems.push(`${where} must name filters`);
  return names;
}

interface PartialSource {
  fetch?: string;
  select?: Selector[];
  remove?: Selector[];
  filter?: string[];
  executeClientScripts?: boolean;
}

function parsePartial(value: Record<string, Json>, where: string, problems: string[]): PartialSource {
  const partial: PartialSource = {};
  if (value['fetch'] !== undefined) {
    if (typeof value['fetch'] === 'string' && value['fetch'] !== '') partial.fetch = value['fetch'];
    else problems.push(`${where}.fetch must be a URL`);
  }
  partial.select = parseSelectors(value['select'], `${where}.select`, problems);
  partial.remove = parseSelectors(value['remove'], `${where}.remove`, problems);
  partial.filter = parseFilters(value['filter'], `${where}.filter`, problems);
  if (value['executeClientScripts'] !== undefined)
    partial.executeClientScripts = value['executeClientScripts'] === true;
  return partial;
}

function completeSource(
  own: PartialSource,
  shared: PartialSource,
  where: string,
  problems: string[],
): SourceDocumentDeclaration | null {
  const fetch = own.fetch ?? shared.fetch;
  if (!fetch) {
    problems.push(`${where} has no fetch URL`);
    return null;
  }
  return {
    fetch,
    select: own.select ?? shared.select ?? [],
    remove: own.remove ?? shared.remove ?? [],
    filter: own.filter ?? shared.filter ?? [],
    executeClientScripts: own.executeClientScripts ?? shared.executeClientScripts ?? false,
  };
}

function parseTerms(value: unknown, where: string, problems: string[]): TermsDeclaration | null {
  if (!isObject(value)) {
    problems.push(`${where} must be an object`);
    return null;
  }
  const shared = parsePartial(value, where, problems);
  const combine = value['combine'];
  if (combine === undefined) {
    const source = completeSource(shared, {}, where, problems);
    return source ? { sources: [source], combined: false } : null;
  }
  if (!Array.isArray(combine) || combine.length === 0) {
    problems.push(`${where}.combine must be a non-empty list`);
    return null;
  }
  const sources: SourceDocumentDeclaration[] = [];
  combine.forEach((part, i) => {
    const partWhere = `${where}.combine[${i}]`;
    if (!isObject(part)) {
      problems.push(`${partWhere} must be an object`);
      return;
    }
    const source = completeSource(
      parsePartial(part, partWhere, problems),
      { ...shared, fetch: undefined },
      partWhere,
      problems,
    );
    if (source) sources.push(source);
  });
  return { sources, combined: true };
}

/** Checks and types a service declaration (`<Service>.json`). Throws {@link DeclarationError} listing every problem. */
export function parseDeclaration(json: unknown): ServiceDeclaration {
  const problems: string[] = [];
  if (!isObject(json)) throw new DeclarationError('Invalid declaration', ['not an object']);
  const name = json['name'];
  if (typeof name !== 'string' || name === '') problems.push('name must be a non-empty string');
  const terms: Record<string, TermsDeclaration> = {};
  if (!isObject(json['terms'])) problems.push('terms must be an object');
  else {
    for (const [type, value] of Object.entries(json['terms'])) {
      const parsed = parseTerms(value, `terms["${type}"]`, problems);
      if (parsed) terms[type] = parsed;
    }
  }
  if (problems.length > 0) throw new DeclarationError('Invalid declaration', problems);
  return { name: name as string, terms };
}

/** Checks and types a declaration history (`<Service>.history.json`): each terms type's earlier declarations. */
export function parseHistory(json: unknown): DeclarationHistory {
  const problems: string[] = [];
  if (!isObject(json)) throw new DeclarationError('Invalid declaration history', ['not an object']);
  const history: Record<string, DatedTermsDeclaration[]> = {};
  for (const [type, entries] of Object.entries(json)) {
    if (!Array.isArray(entries)) {
      problems.push(`["${type}"] must be a list`);
      continue;
    }
    const dated: DatedTermsDeclaration[] = [];
    entries.forEach((entry, i) => {
      const where = `["${type}"][${i}]`;
      const validUntil = isObject(entry) ? entry['validUntil'] : undefined;
      if (typeof validUntil !== 'string' || Number.isNaN(Date.parse(validUntil))) {
        problems.push(`${where}.validUntil must be an ISO 8601 date`);
        return;
      }
      const terms = parseTerms(entry, where, problems);
      if (terms) dated.push({ ...terms, validUntil: new Date(validUntil).toISOString() });
    });
    history[type] = dated.sort((a, b) => (a.validUntil! < b.validUntil! ? -1 : 1));
  }
  if (problems.length > 0) throw new DeclarationError('Invalid declaration history', problems);
  return history;
}

/** Builds a set from parsed declarations and their histories, keyed by service name. */
export function declarationSet(
  entries: readonly { declaration: ServiceDeclaration; history?: DeclarationHistory }[],
): DeclarationSet {
  const services = new Map<string, { current: ServiceDeclaration; history: DeclarationHistory }>();
  for (const { declaration, history } of entries)
    services.set(declaration.name, { current: declaration, history: history ?? {} });
  return { services };
}

/**
 * The `sourcePart` Open Terms Archive derives from a fetch URL: its path without the outer slashes, with
 * slashes turned into dashes (`https://openai.com/policies/eu-terms-of-use/` gives `policies-eu-terms-of-use`).
 */
export function sourcePartOf(fetchUrl: string): string {
  let path: string;
  try {
    path = new URL(fetchUrl).pathname;
  } catch {
    path = fetchUrl.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  }
  return decodeURIComponent(path)
    .replace(/^\/+|\/+$/g, '')
    .replace(/\//g, '-');
}

/** URLs compared the way sources are identified: no fragment, no trailing slash, host case-insensitive. */
function comparableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href.replace(/\/+$/, '').replace(/\/(\?)/, '$1');
  } catch {
    return url.replace(/#.*$/, '').replace(/\/+$/, '');
  }
}

export interface DeclarationLookup {
  readonly service: string;
  readonly documentType: string;
  readonly fetchedAt: string;
  readonly sourceUrl?: string | null;
  readonly sourcePart?: string | null;
}

export interface DeclarationInForce {
  readonly terms: DatedTermsDeclaration;
  /** The source document the lookup designates; undefined when it is not part of the declaration. */
  readonly source: SourceDocumentDeclaration | undefined;
  /** sha256 of the canonical JSON of `terms`, naming the declaration that produced a version. */
  readonly hash: string;
}

function termsInForce(
  set: DeclarationSet,
  service: string,
  documentType: string,
  fetchedAt: string,
): DatedTermsDeclaration | undefined {
  const entry = set.services.get(service);
  if (!entry) return undefined;
  const at = Date.parse(fetchedAt);
  const history = entry.history[documentType] ?? [];
  if (!Number.isNaN(at)) {
    // History entries are sorted by validUntil: the first one still valid at fetchedAt was in force.
    const earlier = history.find((h) => Date.parse(h.validUntil!) >= at);
    if (earlier) return earlier;
  }
  return entry.current.terms[documentType];
}

export function sourceFor(
  terms: TermsDeclaration,
  sourceUrl?: string | null,
  sourcePart?: string | null,
): SourceDocumentDeclaration | undefined {
  if (sourceUrl) {
    const wanted = comparableUrl(sourceUrl);
    const byUrl = terms.sources.find((s) => comparableUrl(s.fetch) === wanted);
    if (byUrl) return byUrl;
  }
  if (sourcePart) {
    const byPart = terms.sources.find((s) => sourcePartOf(s.fetch) === sourcePart);
    if (byPart) return byPart;
  }
  if (!terms.combined) return terms.sources[0];
  return undefined;
}

/** The declaration in force at `fetchedAt` for a service's terms type, and the source document designated. */
export function declarationFor(
  set: DeclarationSet,
  lookup: DeclarationLookup,
): DeclarationInForce | undefined {
  const terms = termsInForce(set, lookup.service, lookup.documentType, lookup.fetchedAt);
  if (!terms) return undefined;
  return {
    terms,
    source: sourceFor(terms, lookup.sourceUrl, lookup.sourcePart),
    hash: declarationHash(terms),
  };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the canonical JSON (sorted keys, no spaces) of a declaration of any level. */
export function declarationHash(
  declaration: TermsDeclaration | SourceDocumentDeclaration | ServiceDeclaration,
): string {
  return createHash('sha256').update(canonicalJson(declaration), 'utf8').digest('hex');
}
