import { compile } from 'css-select';
import { createHash } from 'node:crypto';

import { BUILT_IN_FILTERS, isKnownFilter } from './filters';

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
  /**
   * Rules the declaration states that Termline leaves out because they are unusable (a misspelt key, a selector
   * css-select refuses, a value of the wrong type), each as `<kind>:<what>`. Absent when every rule is usable, so
   * the hash of a sound declaration does not depend on this field.
   */
  readonly rulesNotApplied?: readonly string[];
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

/**
 * One thing wrong in a declarations folder, and what Termline does about it. `error`: something was left out
 * (an entry, a terms type, a selector, a file); `warning`: read anyway, in a way the problem says.
 */
export interface DeclarationProblem {
  readonly file: string;
  readonly service: string | null;
  readonly documentType: string | null;
  /** The history entry concerned (its index in the file's list, and its validUntil when readable). */
  readonly entry: { readonly index: number; readonly validUntil: string | null } | null;
  /** Where in the file, as a JSON path (`["Terms of Service"][2].ValidUntil`). */
  readonly path: string;
  readonly problem: string;
  readonly consequence: string;
  readonly severity: 'error' | 'warning';
}

/** Everything known about the declarations of some services: current ones and their history. */
export interface DeclarationSet {
  readonly services: ReadonlyMap<
    string,
    { readonly current: ServiceDeclaration; readonly history: DeclarationHistory }
  >;
  /** What could not be read as written; everything else is in `services`. */
  readonly problems: readonly DeclarationProblem[];
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
const SOURCE_KEYS = ['fetch', 'select', 'remove', 'filter', 'executeClientScripts'] as const;
const TERMS_KEYS = [...SOURCE_KEYS, 'combine'] as const;
const ENTRY_KEYS = [...TERMS_KEYS, 'validUntil'] as const;

/** Receives the problems of one terms declaration (or history entry), at paths relative to the file. */
type Report = (path: string, problem: string, consequence: string, severity?: 'error' | 'warning') => void;

/** Records the problems of one terms declaration and the rules it states that cannot be applied. */
interface TermsContext {
  readonly report: Report;
  readonly notApplied: string[];
}

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Levenshtein distance, capped: only small distances matter for "did you mean". */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The object's keys under their known spelling. A key that differs from a known one only by case is read as
 * that key (a warning); any other unknown key is ignored (an error, with the nearest known key as a hint) and
 * listed among the rules not applied.
 */
function normaliseKeys(
  value: Record<string, Json>,
  known: readonly string[],
  where: string,
  context: TermsContext,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    if (known.includes(key)) {
      out[key] = v;
      continue;
    }
    const sameLetters = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (sameLetters && !(sameLetters in value)) {
      out[sameLetters] = v;
      context.report(`${where}.${key}`, `misspelt key "${key}"`, `read as "${sameLetters}"`, 'warning');
      continue;
    }
    const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
    context.report(
      `${where}.${key}`,
      near ? `unknown key "${key}" (did you mean "${near}"?)` : `unknown key "${key}"`,
      'ignored: the rule it states is not applied',
    );
    context.notApplied.push(`key:${key}`);
  }
  return out;
}

/** The CSS selectors a selector is made of (one, or a range's markers). */
const cssOf = (selector: Selector): string[] =>
  typeof selector === 'string'
    ? [selector]
    : [selector.startBefore, selector.startAfter, selector.endBefore, selector.endAfter].filter(
        (v): v is string => !!v,
      );

function parseSelector(value: unknown, where: string, context: TermsContext): Selector | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (isObject(value)) {
    const range: Record<string, string> = {};
    let broken = false;
    for (const key of RANGE_KEYS) {
      const v = value[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || v.trim() === '') {
        context.report(`${where}.${key}`, 'must be a CSS selector', 'the range is left out');
        broken = true;
      } else range[key] = v;
    }
    const unknown = Object.keys(value).filter((k) => !(RANGE_KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) {
      context.report(where, `has unknown keys ${unknown.join(', ')}`, 'the range is left out');
      broken = true;
    }
    const starts = Number('startBefore' in range) + Number('startAfter' in range);
    const ends = Number('endBefore' in range) + Number('endAfter' in range);
    if (!broken && (starts !== 1 || ends !== 1)) {
      context.report(
        where,
        'needs exactly one of startBefore/startAfter and one of endBefore/endAfter',
        'the range is left out',
      );
      broken = true;
    }
    return broken ? null : range;
  }
  context.report(where, 'must be a CSS selector or a range', 'left out');
  return null;
}

/**
 * A list of selectors; the unusable ones (wrong type, or CSS that css-select refuses) are left out and listed
 * among the rules not applied. When every `select` selector is unusable the invalid ones are kept: extracting
 * the whole page instead would record the page's chrome as a new text, so extraction fails visibly instead.
 */
function parseSelectors(
  value: unknown,
  where: string,
  kind: 'select' | 'remove',
  context: TermsContext,
): Selector[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const parsed: { selector: Selector; invalid: string | null }[] = [];
  list.forEach((v, i) => {
    const selector = parseSelector(v, `${where}[${i}]`, context);
    if (selector === null) context.notApplied.push(`${kind}:${show(v)}`);
    else parsed.push({ selector, invalid: invalidCss(cssOf(selector)) });
  });
  const valid = parsed.filter((p) => p.invalid === null).map((p) => p.selector);
  const keepInvalid = kind === 'select' && valid.length === 0;
  for (const { selector, invalid } of parsed) {
    if (invalid === null) continue;
    context.report(
      `${where}[${list.indexOf(selector)}]`,
      `invalid CSS selector: ${invalid}`,
      keepInvalid
        ? 'kept: no other selector chooses the text, so extracting this document fails (invalid-selector) until it is fixed'
        : `left out: ${kind === 'remove' ? 'what it matches stays in the text' : 'the other selectors choose the text'}`,
    );
    if (!keepInvalid) context.notApplied.push(`${kind}:${show(selector)}`);
  }
  return keepInvalid ? parsed.map((p) => p.selector) : valid;
}

/** What css-select says about the first selector it cannot compile, or null when all compile. */
function invalidCss(selectors: readonly string[]): string | null {
  for (const selector of selectors) {
    try {
      compile(selector);
    } catch (error) {
      return `${selector}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return null;
}

function parseFilters(value: unknown, where: string, context: TermsContext): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  list.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') {
      context.report(`${where}[${i}]`, `must name a filter, got ${show(v)}`, 'left out');
      context.notApplied.push(`filter:${show(v)}`);
      return;
    }
    // Kept in the declaration (it is part of what the declaration says); applying it reports it not applied.
    if (!isKnownFilter(v))
      context.report(
        `${where}[${i}]`,
        `filter "${v}" is not available (custom filters cannot run here; built in: ${BUILT_IN_FILTERS.join(', ')})`,
        `not applied: versions extracted with it list "filter:${v}" in rulesNotApplied`,
        'warning',
      );
    names.push(v);
  });
  return names;
}

interface PartialSource {
  fetch?: string;
  select?: Selector[];
  remove?: Selector[];
  filter?: string[];
  executeClientScripts?: boolean;
}

function parsePartial(value: Record<string, Json>, where: string, context: TermsContext): PartialSource {
  const partial: PartialSource = {};
  if (value['fetch'] !== undefined) {
    if (typeof value['fetch'] === 'string' && value['fetch'] !== '') partial.fetch = value['fetch'];
    else context.report(`${where}.fetch`, `must be a URL, got ${show(value['fetch'])}`, 'left out');
  }
  partial.select = parseSelectors(value['select'], `${where}.select`, 'select', context);
  partial.remove = parseSelectors(value['remove'], `${where}.remove`, 'remove', context);
  partial.filter = parseFilters(value['filter'], `${where}.filter`, context);
  const scripts = value['executeClientScripts'];
  if (scripts !== undefined) {
    partial.executeClientScripts = scripts === true;
    if (typeof scripts !== 'boolean')
      context.report(
        `${where}.executeClientScripts`,
        `must be true or false, got ${show(scripts)}`,
        'read as false',
        'warning',
      );
  }
  return partial;
}

function completeSource(
  own: PartialSource,
  shared: PartialSource,
  where: string,
  context: TermsContext,
): SourceDocumentDeclaration | null {
  const fetch = own.fetch ?? shared.fetch;
  if (!fetch) {
    context.report(where, 'has no fetch URL', 'left out');
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

function parseTerms(
  raw: unknown,
  where: string,
  report: Report,
  known: readonly string[] = TERMS_KEYS,
): TermsDeclaration | null {
  if (!isObject(raw)) {
    report(where, 'must be an object', 'left out');
    return null;
  }
  const context: TermsContext = { report, notApplied: [] };
  const value = normaliseKeys(raw, known, where, context);
  const shared = parsePartial(value, where, context);
  const combine = value['combine'];
  const withRules = (terms: TermsDeclaration): TermsDeclaration =>
    context.notApplied.length > 0 ? { ...terms, rulesNotApplied: context.notApplied } : terms;
  if (combine === undefined) {
    const source = completeSource(shared, {}, where, context);
    return source ? withRules({ sources: [source], combined: false }) : null;
  }
  if (!Array.isArray(combine) || combine.length === 0) {
    report(`${where}.combine`, 'must be a non-empty list', 'left out');
    return null;
  }
  const sources: SourceDocumentDeclaration[] = [];
  combine.forEach((part, i) => {
    const partWhere = `${where}.combine[${i}]`;
    if (!isObject(part)) {
      report(partWhere, 'must be an object', 'this part is left out');
      context.notApplied.push(`combine:${i}`);
      return;
    }
    const source = completeSource(
      parsePartial(normaliseKeys(part, SOURCE_KEYS, partWhere, context), partWhere, context),
      { ...shared, fetch: undefined },
      partWhere,
      context,
    );
    if (source) sources.push(source);
    else context.notApplied.push(`combine:${i}`);
  });
  if (sources.length === 0) return null;
  return withRules({ sources, combined: true });
}

/** A problem of a strict parse, as one line: its path and what is wrong. */
const line = (path: string, problem: string): string => (path ? `${path} ${problem}` : problem);

/** Receives the problems of a service declaration with the terms type each concerns. */
type ServiceReport = (
  documentType: string | null,
  path: string,
  problem: string,
  consequence: string,
  severity?: 'error' | 'warning',
) => void;

/** Receives the problems of a history with the terms type and the entry (index, readable date) each concerns. */
type HistoryReport = (
  documentType: string | null,
  index: number | null,
  validUntil: string | null,
  path: string,
  problem: string,
  consequence: string,
  severity?: 'error' | 'warning',
) => void;

/**
 * Reads a service declaration (`<Service>.json`), keeping every usable terms type. `report` receives each problem
 * with the terms type it concerns. Returns null only when nothing usable is left (not an object, no terms).
 */
function readServiceDeclaration(
  json: unknown,
  fallbackName: string | null,
  report: ServiceReport,
): ServiceDeclaration | null {
  if (!isObject(json)) {
    report(
      null,
      '',
      'not an object',
      'the service has no declaration: its documents are extracted from the whole page',
    );
    return null;
  }
  let name = json['name'];
  if (typeof name !== 'string' || name === '') {
    report(
      null,
      'name',
      'must be a non-empty string',
      fallbackName ? `the file name "${fallbackName}" names the service` : 'the service has no declaration',
      fallbackName ? 'warning' : 'error',
    );
    name = fallbackName ?? '';
  }
  const terms: Record<string, TermsDeclaration> = {};
  if (!isObject(json['terms'])) {
    report(
      null,
      'terms',
      'must be an object',
      'the service has no declaration: its documents are extracted from the whole page',
    );
    return null;
  }
  for (const key of Object.keys(json).filter((k) => !['name', 'terms', '$schema'].includes(k)))
    report(null, key, `unknown key "${key}"`, 'ignored', 'warning');
  for (const [type, value] of Object.entries(json['terms'])) {
    const parsed = parseTerms(value, `terms["${type}"]`, (path, problem, consequence, severity) => {
      report(type, path, problem, consequence, severity);
    });
    if (parsed) terms[type] = parsed;
    else
      report(
        type,
        `terms["${type}"]`,
        'is unusable',
        'no declaration for this terms type: its documents are extracted from the whole page (rule declaration-missing)',
      );
  }
  return name === '' ? null : { name, terms };
}

/** Reads a declaration history, keeping every usable entry; entries of one terms type sorted by validUntil. */
function readHistory(json: unknown, report: HistoryReport): DeclarationHistory | null {
  if (!isObject(json)) {
    report(
      null,
      null,
      null,
      '',
      'not an object',
      'the history is ignored: the current declaration applies to every date',
    );
    return null;
  }
  const history: Record<string, DatedTermsDeclaration[]> = {};
  for (const [type, entries] of Object.entries(json)) {
    if (!Array.isArray(entries)) {
      report(
        type,
        null,
        null,
        `["${type}"]`,
        'must be a list',
        'the history of this terms type is ignored: the current declaration applies to every date',
      );
      continue;
    }
    const dated: { terms: DatedTermsDeclaration; index: number }[] = [];
    entries.forEach((entry, index) => {
      const where = `["${type}"][${index}]`;
      const raw = isObject(entry) ? entry : null;
      // The date is looked for first, under any case, so that every other problem of the entry can name it.
      const dateKey = raw ? Object.keys(raw).find((k) => k.toLowerCase() === 'validuntil') : undefined;
      const rawDate = dateKey !== undefined ? raw![dateKey] : undefined;
      const date = typeof rawDate === 'string' && isIsoDate(rawDate) ? new Date(rawDate).toISOString() : null;
      const entryReport: Report = (path, problem, consequence, severity) =>
        report(type, index, date, path, problem, consequence, severity);
      if (!raw) {
        entryReport(where, 'must be an object', 'entry ignored');
        return;
      }
      if (date === null) {
        entryReport(
          `${where}.${dateKey ?? 'validUntil'}`,
          rawDate === undefined ? missingDate(raw) : `must be an ISO 8601 date, got ${show(rawDate)}`,
          'entry ignored: fetches of its period are extracted with the next later entry, or the current declaration',
        );
        return;
      }
      const terms = parseTerms(entry, where, entryReport, ENTRY_KEYS);
      if (!terms) {
        entryReport(
          where,
          'is unusable',
          'entry ignored: fetches of its period are extracted with the next later entry, or the current declaration',
        );
        return;
      }
      dated.push({ terms: { ...terms, validUntil: date }, index });
    });
    for (let i = 1; i < dated.length; i++) {
      if (dated[i]!.terms.validUntil! < dated[i - 1]!.terms.validUntil!) {
        report(
          type,
          dated[i]!.index,
          dated[i]!.terms.validUntil!,
          `["${type}"][${dated[i]!.index}]`,
          'entries are not in validUntil order',
          'read in validUntil order',
          'warning',
        );
        break;
      }
    }
    dated.sort((a, b) =>
      a.terms.validUntil! < b.terms.validUntil!
        ? -1
        : a.terms.validUntil! > b.terms.validUntil!
          ? 1
          : a.index - b.index,
    );
    const kept: DatedTermsDeclaration[] = [];
    for (const { terms, index } of dated) {
      if (kept.length > 0 && kept[kept.length - 1]!.validUntil === terms.validUntil) {
        report(
          type,
          index,
          terms.validUntil!,
          `["${type}"][${index}].validUntil`,
          'overlaps an earlier entry with the same validUntil',
          'entry ignored: the entry listed first applies',
        );
        continue;
      }
      kept.push(terms);
    }
    history[type] = kept;
  }
  return history;
}

/** "is missing", with the key that was probably meant for it when there is one. */
function missingDate(entry: Record<string, Json>): string {
  const near = Object.keys(entry).find((k) => editDistance(k.toLowerCase(), 'validuntil') <= 2);
  return near ? `is missing (did you mean "validUntil" for "${near}"?)` : 'is missing';
}

/** A full date (with time, or a date alone) that Date can read; "yesterday" or "2025-13-01" are not. */
const isIsoDate = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
  !Number.isNaN(Date.parse(value));

/** Checks and types a service declaration (`<Service>.json`). Throws {@link DeclarationError} listing every error. */
export function parseDeclaration(json: unknown): ServiceDeclaration {
  const errors: string[] = [];
  const read = readServiceDeclaration(json, null, (_type, path, problem, _consequence, severity) => {
    if (severity !== 'warning' && problem !== 'is unusable') errors.push(line(path, problem));
  });
  if (errors.length > 0 || !read) throw new DeclarationError('Invalid declaration', errors);
  return read;
}

/** Checks and types a declaration history (`<Service>.history.json`): each terms type's earlier declarations. */
export function parseHistory(json: unknown): DeclarationHistory {
  const errors: string[] = [];
  const history = readHistory(json, (_type, _index, _date, path, problem, _consequence, severity) => {
    if (severity !== 'warning' && problem !== 'is unusable') errors.push(line(path, problem));
  });
  if (errors.length > 0 || !history) throw new DeclarationError('Invalid declaration history', errors);
  return history;
}

/** One file of a declarations folder, as read by the caller. */
export interface DeclarationFile {
  readonly name: string;
  readonly content: string;
  /** Why the file could not be read, when it could not (its content is then ignored). */
  readonly readError?: string;
}

const SERVICE_FILE = /^(.+?)(\.history)?\.json$/;
const FILTERS_FILE = /^(.+?)\.filters\.(?:js|mjs|cjs|ts)$/;

/**
 * Reads a folder of Open Terms Archive declarations without stopping at the first mistake: every file, terms
 * type and history entry that can be used is used, and each problem says where it is and what Termline does
 * instead. `<Service>.filters.js` files are reported: their functions cannot run here.
 */
export function readDeclarationFiles(files: readonly DeclarationFile[]): DeclarationSet {
  const problems: DeclarationProblem[] = [];
  const byService = new Map<string, { declaration?: DeclarationFile; history?: DeclarationFile }>();
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const filters = FILTERS_FILE.exec(file.name);
    if (filters) {
      problems.push({
        file: file.name,
        service: filters[1]!,
        documentType: null,
        entry: null,
        path: '',
        problem: 'custom filter functions cannot run in Termline',
        consequence: `not run: only the built-in filters (${BUILT_IN_FILTERS.join(', ')}) are applied; versions list the others in rulesNotApplied`,
        severity: 'warning',
      });
      continue;
    }
    const match = SERVICE_FILE.exec(file.name);
    if (!match) continue;
    const entry = byService.get(match[1]!) ?? {};
    if (match[2]) entry.history = file;
    else entry.declaration = file;
    byService.set(match[1]!, entry);
  }
  const services = new Map<string, { current: ServiceDeclaration; history: DeclarationHistory }>();
  for (const [service, { declaration, history }] of byService) {
    const problem = (
      file: string,
      documentType: string | null,
      entry: DeclarationProblem['entry'],
      path: string,
      text: string,
      consequence: string,
      severity: 'error' | 'warning' = 'error',
    ): void => {
      problems.push({ file, service, documentType, entry, path, problem: text, consequence, severity });
    };
    if (!declaration) {
      problem(history!.name, null, null, '', `no ${service}.json beside it`, 'ignored');
      continue;
    }
    const json = parseJson(declaration);
    if (!json.ok) {
      problem(
        declaration.name,
        null,
        null,
        '',
        `unreadable: ${json.error}`,
        'the service has no declaration: its documents are extracted from the whole page',
      );
      if (history) problem(history.name, null, null, '', `${declaration.name} is unreadable`, 'ignored');
      continue;
    }
    const read = readServiceDeclaration(json.value, service, (type, path, text, consequence, severity) =>
      problem(declaration.name, type, null, path, text, consequence, severity),
    );
    if (!read) {
      if (history) problem(history.name, null, null, '', `${declaration.name} is unusable`, 'ignored');
      continue;
    }
    let dated: DeclarationHistory = {};
    if (history) {
      const historyJson = parseJson(history);
      if (!historyJson.ok)
        problem(
          history.name,
          null,
          null,
          '',
          `unreadable: ${historyJson.error}`,
          'the history is ignored: the current declaration applies to every date',
        );
      else
        dated =
          readHistory(historyJson.value, (type, index, validUntil, path, text, consequence, severity) =>
            problem(
              history.name,
              type,
              index === null ? null : { index, validUntil },
              path,
              text,
              consequence,
              severity,
            ),
          ) ?? {};
    }
    // Open Terms Archive names a service by its file: that is the name snapshots carry.
    services.set(service, { current: read, history: dated });
  }
  // In file order (a stable sort keeps each file's problems in the order met).
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { services, problems };
}

function parseJson(file: DeclarationFile): { ok: true; value: unknown } | { ok: false; error: string } {
  if (file.readError !== undefined) return { ok: false, error: `cannot read the file (${file.readError})` };
  try {
    return { ok: true, value: JSON.parse(file.content) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Builds a set from parsed declarations and their histories, keyed by service name. */
export function declarationSet(
  entries: readonly { declaration: ServiceDeclaration; history?: DeclarationHistory }[],
): DeclarationSet {
  const services = new Map<string, { current: ServiceDeclaration; history: DeclarationHistory }>();
  for (const { declaration, history } of entries)
    services.set(declaration.name, { current: declaration, history: history ?? {} });
  return { services, problems: [] };
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
