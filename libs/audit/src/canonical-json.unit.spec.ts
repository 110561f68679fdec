import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('leaves strings as they are: no Unicode normalisation, JSON escapes only', () => {
    const decomposed = 'e\u0301';
    expect(canonicalJson({ s: decomposed })).toBe(`{"s":"${decomposed}"}`);
    expect(canonicalJson('é')).not.toBe(canonicalJson(decomposed));
    expect(canonicalJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
  });

  it('writes numbers as JSON numbers and refuses what JSON cannot hold', () => {
    expect(canonicalJson([1, 1.5, -0, 1e21, 0.1])).toBe('[1,1.5,0,1e+21,0.1]');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/no form/);
    expect(() => canonicalJson(Infinity)).toThrow(/no form/);
    expect(() => canonicalJson(BigInt(1))).toThrow(/no form/);
  });

  it('drops undefined members and writes undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00Z') })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
  });

  it('gives a value and its JSON round trip the same form, and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonical);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
