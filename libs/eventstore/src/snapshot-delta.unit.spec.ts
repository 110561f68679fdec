import fc from 'fast-check';
import {
  applyDelta,
  composeDeltas,
  DeltaFormatError,
  encodeDelta,
  materializeDelta,
  parseDelta,
} from './snapshot-delta';

const page = (words: number, seed: number): Buffer =>
  Buffer.from(Array.from({ length: words }, (_, i) => `word${(i * 7 + seed) % 97}-${i}`).join(' '));

describe('snapshot delta', () => {
  it('rebuilds any target from any base (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), (base, target) => {
        const { delta } = encodeDelta(base, target);
        expect(applyDelta(base, delta).equals(Buffer.from(target))).toBe(true);
      }),
    );
  });

  it('rebuilds edited copies of a base (property: insertions, deletions, replacements)', () => {
    const base = page(2000, 1);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length), fc.nat(200), fc.uint8Array({ maxLength: 64 })), {
          maxLength: 8,
        }),
        (edits) => {
          let target = Buffer.from(base);
          for (const [at, cut, insert] of edits) {
            const start = Math.min(at, target.length);
            target = Buffer.concat([target.subarray(0, start), insert, target.subarray(start + cut)]);
          }
          const { delta } = encodeDelta(base, target);
          expect(applyDelta(base, delta).equals(target)).toBe(true);
        },
      ),
    );
  });

  it('composes a chain of deltas into one against the chain root, equal to applying them in turn (property)', () => {
    const edit = fc.array(fc.tuple(fc.nat(5000), fc.nat(300), fc.uint8Array({ maxLength: 80 })), {
      maxLength: 6,
    });
    const applyEdits = (from: Buffer, edits: Array<[number, number, Uint8Array]>): Buffer => {
      let result = from;
      for (const [at, cut, insert] of edits) {
        const start = Math.min(at, result.length);
        result = Buffer.concat([result.subarray(0, start), insert, result.subarray(start + cut)]);
      }
      return result;
    };
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (steps) => {
        const versions = [page(1500, 5)];
        for (const edits of steps) versions.push(applyEdits(versions[versions.length - 1]!, edits));
        // Deltas newest first, as a chain is walked from the snapshot asked for down to its whole copy.
        const deltas = versions
          .slice(1)
          .map((version, i) => parseDelta(encodeDelta(versions[i]!, version).delta))
          .reverse();
        const composed = deltas.slice(1).reduce((upper, lower) => composeDeltas(upper, lower), deltas[0]!);
        expect(materializeDelta(composed, versions[0]!).equals(versions[versions.length - 1]!)).toBe(true);
      }),
    );
  });

  it('carries only the changed bytes of a page edited in one place', () => {
    const base = page(20_000, 3);
    const target = Buffer.concat([
      base.subarray(0, 50_000),
      Buffer.from('NEW CLAUSE'),
      base.subarray(50_010),
    ]);
    const { delta, stats } = encodeDelta(base, target);
    expect(stats.inserted).toBeLessThan(64);
    expect(stats.copied + stats.inserted).toBe(target.length);
    expect(delta.length).toBeLessThan(150);
  });

  it('refuses to apply a delta to another base, or a cut or garbled delta, instead of producing other bytes', () => {
    const base = page(500, 1);
    const target = Buffer.concat([base, Buffer.from('tail')]);
    const { delta } = encodeDelta(base, target);
    expect(() => applyDelta(page(400, 1), delta)).toThrow(DeltaFormatError);
    expect(() => applyDelta(base, delta.subarray(0, delta.length - 2))).toThrow(DeltaFormatError);
    expect(() => applyDelta(base, Buffer.concat([delta, Buffer.from([0])]))).toThrow(/trailing/);
    expect(() => applyDelta(base, Buffer.from('not a delta'))).toThrow(/bad magic/);
  });
});
