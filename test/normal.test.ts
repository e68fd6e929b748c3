import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inverseNormalCdf, normalCdf, normalPdf } from '../src/core/math/normal.ts';

/**
 * Reference values: computed independently with mpmath 1.3.0 at 60 significant
 * digits (Φ(x) = erfc(-x/√2)/2; Φ⁻¹(p) by solving log Φ(x) = log p with
 * mpmath.findroot to 1e-55), evaluated at the exact binary64 value of each
 * argument, then rounded to 17 significant digits. Cross-checks against
 * published tables: Φ(-1.96) = 0.0249979 (every z-table), Φ(3) = 0.99865,
 * Φ⁻¹(0.975) = 1.959964, Φ⁻¹(0.999) = 3.090232 (Abramowitz & Stegun Table 26.5).
 */
const CDF_REFERENCE: ReadonlyArray<readonly [number, number]> = [
  [-37.5, 4.6053530095819548e-308],
  [-30.0, 4.9067139271481871e-198],
  [-20.0, 2.7536241186062337e-89],
  [-10.0, 7.6198530241605261e-24],
  [-8.0, 6.2209605742717841e-16],
  [-6.0, 9.8658764503769814e-10],
  [-5.0, 2.8665157187919391e-7],
  [-3.0, 1.3498980316300945e-3],
  [-1.96, 2.4997895148220436e-2],
  [-1.0, 1.5865525393145705e-1],
  [-0.6744, 2.5002852137294061e-1],
  [-0.5, 3.085375387259869e-1],
  [-1e-10, 4.9999999996010577e-1],
  [0.0, 0.5],
  [0.3, 6.1791142218895263e-1],
  [0.6744, 7.4997147862705939e-1],
  [0.7, 7.5803634777692697e-1],
  [1.0, 8.4134474606854295e-1],
  [1.96, 9.7500210485177956e-1],
  [3.0, 9.9865010196836991e-1],
  [5.0, 9.9999971334842812e-1],
  [5.7, 9.999999940096286e-1],
  [8.0, 9.9999999999999938e-1],
];

const QUANTILE_REFERENCE: ReadonlyArray<readonly [number, number]> = [
  [1e-300, -3.7047096299361199e1],
  [1e-200, -3.0205594179579643e1],
  [1e-100, -2.1273453560965324e1],
  [1e-50, -1.4933337534788489e1],
  [1e-20, -9.2623400897984076],
  [1e-15, -7.9413453261709968],
  [1.3e-11, -6.6676114565107408], // just below AS 241's r = 5 switch (p = e^-25)
  [1e-10, -6.3613409024040562],
  [1e-8, -5.6120012441747887],
  [1e-6, -4.753424308822899],
  [1e-4, -3.7190164854556806],
  [1e-3, -3.0902323061678135],
  [0.01, -2.3263478740408411],
  [0.025, -1.9599639845400542],
  [0.05, -1.6448536269514727],
  [0.074, -1.4466320671589785], // either side of the |p - 0.5| = 0.425 switch
  [0.076, -1.4325027208258116],
  [0.1, -1.2815515655446004],
  [0.3, -5.2440051270804082e-1],
  [0.6, 2.5334710313579974e-1],
  [0.9, 1.2815515655446006],
  [0.924, 1.4325027208258119],
  [0.926, 1.4466320671589788],
  [0.975, 1.9599639845400539],
  [0.99, 2.3263478740408408],
  [0.999, 3.0902323061678133],
  // The double nearest 1 - 1e-6 is not 1 - 1e-6: its exact quantile is
  // 4.7534243088170878, not 4.753424308822899 = -Φ⁻¹(1e-6).
  [1 - 1e-6, 4.7534243088170878],
  [1 - 1e-10, 6.3613408896974219],
  [1 - 1e-12, 7.0344869100478352],
  [1 - 1e-15, 7.9414444874159788],
  [1 - 2 ** -53, 8.2095361516013869],
];

function relErr(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual / expected - 1);
}

describe('normalCdf', () => {
  it.each(CDF_REFERENCE)('Φ(%s) matches the mpmath reference to 1e-15 relative', (x, expected) => {
    expect(relErr(normalCdf(x), expected)).toBeLessThan(1e-15);
  });

  it('keeps full relative accuracy in the lower tail where 1 - Φ(x) would cancel', () => {
    // Upper tail through the symmetry Φ(-x) = 1 - Φ(x): Φ(-8) ≈ 6.22e-16 to 1e-15 relative.
    expect(relErr(normalCdf(-8), 6.2209605742717841e-16)).toBeLessThan(1e-15);
  });

  it('handles infinities, NaN and underflow', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalCdf(-40)).toBe(0); // true value 3.7e-350 is below the smallest double
    expect(normalCdf(9)).toBe(1);
  });

  it('satisfies Φ(x) + Φ(-x) = 1 and is monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), (x) => {
        expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThan(4e-16);
        expect(normalCdf(x + 1e-3)).toBeGreaterThanOrEqual(normalCdf(x));
      }),
    );
  });
});

describe('normalPdf', () => {
  it('matches closed-form values (mpmath, 17 digits)', () => {
    expect(relErr(normalPdf(0), 0.39894228040143268)).toBeLessThan(1e-16);
    expect(relErr(normalPdf(1), 0.24197072451914335)).toBeLessThan(1e-15);
    expect(relErr(normalPdf(-1), 0.24197072451914335)).toBeLessThan(1e-15);
    expect(relErr(normalPdf(8), 5.0522710835368923e-15)).toBeLessThan(1e-15);
    expect(relErr(normalPdf(30), 1.4736461348785475e-196)).toBeLessThan(1e-15);
    expect(relErr(normalPdf(-37), 2.1200065515246056e-298)).toBeLessThan(1e-15);
    expect(normalPdf(Infinity)).toBe(0);
    expect(normalPdf(NaN)).toBeNaN();
  });
});

describe('inverseNormalCdf', () => {
  it('Φ⁻¹(0.5) = 0 exactly', () => {
    expect(inverseNormalCdf(0.5)).toBe(0);
  });

  it.each(QUANTILE_REFERENCE)('Φ⁻¹(%s) matches the mpmath reference to 1e-14 relative', (p, expected) => {
    expect(relErr(inverseNormalCdf(p), expected)).toBeLessThan(1e-14);
  });

  it('reproduces the values quoted in the brief', () => {
    expect(inverseNormalCdf(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    expect(inverseNormalCdf(1e-6)).toBeCloseTo(-4.753424308822899, 13);
  });

  it('returns the limits at 0 and 1 and throws RangeError outside [0, 1]', () => {
    expect(inverseNormalCdf(0)).toBe(-Infinity);
    expect(inverseNormalCdf(1)).toBe(Infinity);
    expect(() => inverseNormalCdf(-1e-300)).toThrow(RangeError);
    expect(() => inverseNormalCdf(1.0000000000000002)).toThrow(RangeError);
    expect(() => inverseNormalCdf(NaN)).toThrow(/\[0, 1\]/);
  });

  it('is the inverse of normalCdf on p in the lower half', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        const x = inverseNormalCdf(p);
        // d ln Φ / d ln|x| ≈ x² in the tail, so a quantile relative error δ shows up
        // as ≈ x²·δ in Φ(Φ⁻¹(p)); allow δ = 1e-15 (a few ulp).
        expect(relErr(normalCdf(x), p)).toBeLessThan((1 + x * x) * 1e-15);
      }),
      { numRuns: 2000 },
    );
  });

  it('is antisymmetric: Φ⁻¹(1 - p) = -Φ⁻¹(p) where 1 - p is exact', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.25, max: 0.5, noNaN: true }), (p) => {
        // For p in [0.25, 0.5], 1 - p is computed exactly (Sterbenz).
        expect(Math.abs(inverseNormalCdf(1 - p) + inverseNormalCdf(p))).toBeLessThan(1e-15);
      }),
    );
  });
});
