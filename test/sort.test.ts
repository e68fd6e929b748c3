import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat32 } from '../src/core/math/sort.ts';

/** The reference: the engine's own comparison sort for typed arrays. */
const sortedByBuiltin = (values: number[]) => Float32Array.from(values).sort();

/** Bitwise equality, so that −0 and +0 are told apart. */
const sameBits = (a: Float32Array, b: Float32Array) =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)).join() === Array.from(new Uint32Array(b.buffer, b.byteOffset, b.length)).join();

describe('sortFloat32', () => {
  it('orders signs, zeros, subnormals and infinities as Float32Array.prototype.sort does', () => {
    const values = [3, -0, 0, -1e-45, 1e-45, Infinity, -Infinity, -3.5, 2 ** 100, -(2 ** -100), 1, -1, 0, -0];
    expect(sameBits(sortFloat32(Float32Array.from(values)), sortedByBuiltin(values))).toBe(true);
  });

  it('handles empty and single-element arrays', () => {
    expect(sortFloat32(new Float32Array(0)).length).toBe(0);
    expect(Array.from(sortFloat32(Float32Array.of(-2)))).toEqual([-2]);
  });

  it('sorts a subarray in place without touching the rest of its buffer', () => {
    const all = Float32Array.from([9, 3, 1, 2, -9]);
    sortFloat32(all.subarray(1, 4));
    expect(Array.from(all)).toEqual([9, 1, 2, 3, -9]);
  });

  it('rejects a scratch array of the wrong length', () => {
    expect(() => sortFloat32(new Float32Array(3), new Uint32Array(2))).toThrow(RangeError);
  });

  it('agrees with the built-in sort on any float32 data (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 3000 }), (values) => {
        expect(sameBits(sortFloat32(Float32Array.from(values)), sortedByBuiltin(values))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
