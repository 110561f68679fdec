import { EXPOSURE_LEVELS, type ExposureLevel, type MaterialityView } from '@termline/readmodels';
import { ProblemException } from '../http/problem';

/**
 * Query parameters as the governance routes accept them: only the names a route declares, each a plain string
 * (or the same name repeated). Anything else, `category[$ne]=x` included, is answered 400 before any store is
 * asked: a filter that is silently dropped would answer a different question than the one asked.
 */
export class StrictQuery {
  private constructor(private readonly values: ReadonlyMap<string, readonly string[]>) {}

  static of(raw: Record<string, unknown>, allowed: readonly string[]): StrictQuery {
    const values = new Map<string, string[]>();
    for (const [name, value] of Object.entries(raw)) {
      if (/[$[\].]/.test(name)) {
        throw new ProblemException(
          400,
          'invalid-parameter',
          `Query parameter "${name}": operators and nested names are not accepted`,
        );
      }
      if (!allowed.includes(name)) {
        throw new ProblemException(
          400,
          'unknown-parameter',
          `Unknown query parameter "${name}"; this route accepts ${allowed.join(', ')}`,
        );
      }
      const list = Array.isArray(value) ? (value as unknown[]) : [value];
      if (!list.every((item): item is string => typeof item === 'string')) {
        throw new ProblemException(
          400,
          'invalid-parameter',
          `Query parameter "${name}" must be a plain value`,
        );
      }
      // An empty value is refused like any malformed one: the OpenAPI document gives every parameter a minimum length.
      if (list.some((item) => item === '')) {
        throw new ProblemException(
          400,
          'invalid-parameter',
          `Query parameter "${name}" is empty; leave it out instead`,
        );
      }
      values.set(name, list);
    }
    return new StrictQuery(values);
  }

  /** One value; repeating the parameter is an error. */
  one(name: string): string | undefined {
    const list = this.values.get(name);
    if (list === undefined) return undefined;
    if (list.length !== 1)
      throw new ProblemException(
        400,
        'invalid-parameter',
        `Query parameter "${name}" is given ${list.length} times; give it once`,
      );
    return list[0];
  }

  /** Comma-separated values, or the parameter repeated: any of them matches. */
  list(name: string): string[] | undefined {
    const list = this.values.get(name);
    if (list === undefined) return undefined;
    const items = [...new Set(list.flatMap((v) => v.split(',')).map((v) => v.trim()))];
    if (items.some((item) => item === ''))
      throw new ProblemException(400, 'invalid-parameter', `Query parameter "${name}" has an empty value`);
    return items;
  }

  /** Values checked against a vocabulary; the problem lists what was not known. */
  known(name: string, vocabulary: ReadonlySet<string>, what: string): string[] | undefined {
    const items = this.list(name);
    const unknown = items?.filter((item) => !vocabulary.has(item)) ?? [];
    if (unknown.length > 0)
      throw new ProblemException(
        400,
        `unknown-${what.replace(/ /g, '-')}`,
        `Unknown ${what} ${unknown.map((u) => `"${u}"`).join(', ')}`,
      );
    return items;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  boolean(name: string): boolean {
    const value = this.one(name);
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    throw new ProblemException(400, 'invalid-parameter', `Query parameter "${name}" must be true or false`);
  }
}

export const MATERIALITY_LEVELS: readonly MaterialityView['level'][] = [
  'none',
  'cosmetic',
  'minor',
  'substantive',
];
const MATERIALITY: ReadonlySet<string> = new Set(MATERIALITY_LEVELS);
const EXPOSURE: ReadonlySet<string> = new Set(EXPOSURE_LEVELS);

export const parseExposure = (query: StrictQuery): ExposureLevel[] | undefined =>
  query.known('exposure', EXPOSURE, 'exposure level') as ExposureLevel[] | undefined;

export const parseMateriality = (query: StrictQuery): Array<MaterialityView['level']> | undefined =>
  query.known('materiality', MATERIALITY, 'materiality level') as Array<MaterialityView['level']> | undefined;
