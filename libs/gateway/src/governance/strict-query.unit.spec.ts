import { ProblemException } from '../http/problem';
import { StrictQuery } from './strict-query';

const problemOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException) return error.getResponse() as { status: number; code: string };
    throw error;
  }
  throw new Error('expected a problem');
};

describe('strict query parameters', () => {
  const vocabulary = new Set(['retention', 'children']);

  it('reads single values, lists (comma-separated or repeated) and booleans', () => {
    const query = StrictQuery.of(
      { category: ['retention,children', 'retention'], upcoming: 'true', limit: '5' },
      ['category', 'upcoming', 'limit', 'asOf'],
    );
    expect(query.known('category', vocabulary, 'category')).toEqual(['retention', 'children']);
    expect(query.boolean('upcoming')).toBe(true);
    expect(query.one('limit')).toBe('5');
    expect(query.one('asOf')).toBeUndefined();
    expect(query.boolean('asOf')).toBe(false);
  });

  it('refuses operators, nested names, unknown names and non-string values before anything runs', () => {
    expect(problemOf(() => StrictQuery.of({ 'category[$ne]': 'x' }, ['category']))).toMatchObject({
      status: 400,
      code: 'invalid-parameter',
    });
    expect(problemOf(() => StrictQuery.of({ $where: '1' }, ['category']))).toMatchObject({
      code: 'invalid-parameter',
    });
    expect(problemOf(() => StrictQuery.of({ sort: 'x' }, ['category']))).toMatchObject({
      code: 'unknown-parameter',
    });
    expect(problemOf(() => StrictQuery.of({ category: { $ne: 'x' } }, ['category']))).toMatchObject({
      code: 'invalid-parameter',
    });
  });

  it('refuses an empty value, naming the parameter', () => {
    const empty = () =>
      StrictQuery.of({ taxonomyVersion: '', category: 'retention' }, ['taxonomyVersion', 'category']);
    expect(problemOf(empty)).toMatchObject({
      code: 'invalid-parameter',
      detail: expect.stringContaining('taxonomyVersion'),
    });
  });

  it('names unknown ids, empty list items and repeated single values', () => {
    const query = StrictQuery.of({ category: 'retention,gambling', limit: ['1', '2'], exposure: 'high,' }, [
      'category',
      'limit',
      'exposure',
    ]);
    expect(problemOf(() => query.known('category', vocabulary, 'category'))).toMatchObject({
      code: 'unknown-category',
    });
    expect(problemOf(() => query.one('limit'))).toMatchObject({ code: 'invalid-parameter' });
    expect(problemOf(() => query.list('exposure'))).toMatchObject({ code: 'invalid-parameter' });
    expect(
      problemOf(() => StrictQuery.of({ upcoming: 'yes' }, ['upcoming']).boolean('upcoming')),
    ).toMatchObject({
      code: 'invalid-parameter',
    });
  });
});
