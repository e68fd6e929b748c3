import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalPdf } from '../src/core/math/normal.ts';
import {
  conditionalDefaultProbability,
  maximumPrudentLeverage,
  vasicekCapitalPerUnit,
  vasicekDefaultRateCdf,
  worstCaseDefaultRate,
} from '../src/core/risk/vasicek.ts';

/*
 * Reference values computed independently with mpmath 1.3.0 (40 digits) from the
 * closed forms of docs/model.md §7: Φ(x) = erfc(−x/√2)/2, Φ⁻¹(p) = −√2·erfinv(1−2p),
 * WCDR = Φ((Φ⁻¹(PD) + √ρ Φ⁻¹(q))/√(1−ρ)), then rounded to 17 digits.
 * Hand check of the first row: Φ⁻¹(0.01) = −2.326348, Φ⁻¹(0.999) = 3.090232,
 * √0.12 = 0.346410 → (−2.326348 + 1.070488)/√0.88 = −1.338762 → Φ = 0.090326.
 * (Note: 0.1342 is the WCDR for PD 1 %, ρ 0.12 at q = 99.99 %, not 99.9 %.)
 */
const WCDR_REFERENCE: ReadonlyArray<readonly [number, number, number, number]> = [
  // pd, rho, q, WCDR
  [0.01, 0.12, 0.5, 0.0065710507724943523],
  [0.01, 0.12, 0.9, 0.022393424435294686],
  [0.01, 0.12, 0.99, 0.052526592128814561],
  [0.01, 0.12, 0.999, 0.090325831326065256],
  [0.01, 0.12, 0.9999, 0.13424268571178627],
  [0.01, 0.2, 0.999, 0.14552526613107131],
  [0.02, 0.15, 0.99, 0.10558734327232083],
  [0.05, 0.1, 0.9999, 0.31059807705850417],
  [0.001, 0.24, 0.999, 0.035289329001568912],
  [0.1, 0.3, 0.95, 0.32457705469250093],
];

const TOL = 1e-13; // relative; the inputs are O(1) and Φ, Φ⁻¹ are good to ~1e-15

function relErr(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}

describe('worstCaseDefaultRate', () => {
  it.each(WCDR_REFERENCE)('PD %s, ρ %s, q %s → %s', (pd, rho, q, expected) => {
    expect(relErr(worstCaseDefaultRate(pd, rho, q), expected)).toBeLessThan(TOL);
  });

  it("reproduces Hull's textbook example (PD 2 %, ρ 0.1, 99.9 % → WCDR 12.8 %)", () => {
    // J. Hull, Risk Management and Financial Institutions, ch. "Credit risk / Vasicek model":
    // WCDR = 0.128 (3 decimals). mpmath: 0.12823710729942311.
    const w = worstCaseDefaultRate(0.02, 0.1, 0.999);
    expect(w).toBeCloseTo(0.128, 3);
    expect(relErr(w, 0.12823710729942311)).toBeLessThan(TOL);
  });

  it('is the quantile of the default-rate distribution: cdf(WCDR(q)) = q', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        fc.double({ min: 0.01, max: 0.9999, noNaN: true }),
        (pd, rho, q) => {
          const w = worstCaseDefaultRate(pd, rho, q);
          // Within 1e-9 of a default rate of 1, Φ⁻¹(w) is ill-conditioned (w itself carries only
          // ~1e-16 absolute precision), so the round trip cannot be checked there.
          fc.pre(w < 1 - 1e-9);
          // The round trip Φ⁻¹ then Φ loses a few digits where the density is flat; 1e-8 is still tight.
          expect(Math.abs(vasicekDefaultRateCdf(w, pd, rho) - q)).toBeLessThan(1e-8);
        },
      ),
    );
  });

  it('is increasing in confidence and rejects confidence outside (0, 1)', () => {
    expect(worstCaseDefaultRate(0.01, 0.12, 0.999)).toBeGreaterThan(worstCaseDefaultRate(0.01, 0.12, 0.99));
    expect(() => worstCaseDefaultRate(0.01, 0.12, 1)).toThrow(RangeError);
    expect(() => worstCaseDefaultRate(0.01, 0.12, 0)).toThrow(RangeError);
    expect(() => worstCaseDefaultRate(0.01, 1.2, 0.99)).toThrow(RangeError);
    expect(() => worstCaseDefaultRate(-0.01, 0.12, 0.99)).toThrow(RangeError);
  });
});

describe('conditionalDefaultProbability', () => {
  it.each([
    // pd, rho, z, p(z) — mpmath references
    [0.01, 0.12, 0.0, 0.0065710507724943523],
    [0.01, 0.12, -2.0, 0.040811454481587747],
    [0.01, 0.12, 3.0, 0.00016679202327901888],
    [0.05, 0.3, -3.090232306167813, 0.52274963101205408],
    [0.2, 0.5, 1.5, 0.0035701162857753779],
  ])('p(z) for PD %s, ρ %s, z %s', (pd, rho, z, expected) => {
    expect(relErr(conditionalDefaultProbability(pd, rho, z), expected)).toBeLessThan(TOL);
  });

  // Closed forms (Vasicek 2002; Open Risk portfolioAnalytics "Vasicek distribution"):
  // E[p(Z)] = PD and Var[p(Z)] = Φ₂(c, c; ρ) − PD², c = Φ⁻¹(PD).
  // Φ₂ was evaluated in mpmath by Φ₂(h,h;ρ) = Φ(h)² + (1/2π)∫₀^ρ exp(−h²/(1+s))/√(1−s²) ds.
  it.each([
    [0.01, 0.12, 0.00011709607968929032],
    [0.05, 0.2, 0.0027454497158263035],
  ])('E[p(Z)] = PD and Var[p(Z)] = Φ₂(c,c;ρ) − PD² for PD %s, ρ %s', (pd, rho, variance) => {
    // Composite Simpson rule over z ∈ [−12, 12] (tail mass < 1e-32).
    const n = 4000;
    const h = 24 / n;
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i <= n; i++) {
      const z = -12 + i * h;
      const w = (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * normalPdf(z);
      const p = conditionalDefaultProbability(pd, rho, z);
      m1 += w * p;
      m2 += w * p * p;
    }
    m1 *= h / 3;
    m2 *= h / 3;
    expect(relErr(m1, pd)).toBeLessThan(1e-10);
    expect(relErr(m2 - m1 * m1, variance)).toBeLessThan(1e-8);
  });

  it('handles the degenerate parameters as limits', () => {
    expect(conditionalDefaultProbability(0, 0.2, -3)).toBe(0);
    expect(conditionalDefaultProbability(1, 0.2, 3)).toBe(1);
    expect(conditionalDefaultProbability(0.03, 0, -3)).toBe(0.03);
    expect(conditionalDefaultProbability(0.03, 1, -3)).toBe(1); // −3 < Φ⁻¹(0.03) = −1.88
    expect(conditionalDefaultProbability(0.03, 1, 0)).toBe(0);
    expect(conditionalDefaultProbability(0.03, 0.2, -Infinity)).toBe(1);
    expect(conditionalDefaultProbability(0.03, 0.2, Infinity)).toBe(0);
    expect(() => conditionalDefaultProbability(0.03, 0.2, NaN)).toThrow(RangeError);
  });

  it('is decreasing in z', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(conditionalDefaultProbability(0.02, 0.15, z + 0.01)).toBeLessThanOrEqual(
          conditionalDefaultProbability(0.02, 0.15, z),
        );
      }),
    );
  });
});

describe('vasicekDefaultRateCdf', () => {
  it.each([
    // x, pd, rho, P(DR ≤ x) — mpmath references
    [0.05, 0.01, 0.12, 0.98812975521045066],
    [0.001, 0.01, 0.12, 0.049185706804238511],
    [0.2, 0.05, 0.2, 0.9769655811972254],
    [0.5, 0.3, 0.4, 0.79649023683131929],
  ])('P(DR ≤ %s) for PD %s, ρ %s', (x, pd, rho, expected) => {
    expect(relErr(vasicekDefaultRateCdf(x, pd, rho), expected)).toBeLessThan(TOL);
  });

  it('handles boundaries and degenerate parameters', () => {
    expect(vasicekDefaultRateCdf(-0.1, 0.01, 0.12)).toBe(0);
    expect(vasicekDefaultRateCdf(0, 0.01, 0.12)).toBe(0);
    expect(vasicekDefaultRateCdf(1, 0.01, 0.12)).toBe(1);
    expect(vasicekDefaultRateCdf(0, 0, 0.12)).toBe(1); // DR ≡ 0
    expect(vasicekDefaultRateCdf(0.99, 1, 0.12)).toBe(0); // DR ≡ 1
    expect(vasicekDefaultRateCdf(0.0299, 0.03, 0)).toBe(0); // DR ≡ PD
    expect(vasicekDefaultRateCdf(0.03, 0.03, 0)).toBe(1);
    expect(vasicekDefaultRateCdf(0.5, 0.03, 1)).toBeCloseTo(0.97, 15); // DR ∈ {0, 1}
  });
});

describe('capital and leverage', () => {
  it('capital per unit = LGD × (WCDR − PD)', () => {
    // mpmath: 0.45 × (0.090325831326065256 − 0.01)
    expect(relErr(vasicekCapitalPerUnit(0.01, 0.12, 0.45, 0.999), 0.036146624096729365)).toBeLessThan(TOL);
    // mpmath: 0.45 × (0.035289329001568912 − 0.001)
    expect(relErr(vasicekCapitalPerUnit(0.001, 0.24, 0.45, 0.999), 0.01543019805070601)).toBeLessThan(TOL);
    // Below the mean the "capital" is negative and is returned as such.
    expect(vasicekCapitalPerUnit(0.01, 0.12, 0.45, 0.5)).toBeLessThan(0);
  });

  it('maximum prudent leverage = 1 / capital, Infinity when no capital is needed', () => {
    // mpmath: 1 / (0.45 × (0.090325831326065256 − 0.01)) = 27.665100821696996
    expect(relErr(maximumPrudentLeverage(0.01, 0.12, 0.45, 0.999), 27.665100821696996)).toBeLessThan(TOL);
    expect(relErr(maximumPrudentLeverage(0.01, 0.12, 0.45, 0.9999), 17.886141220234515)).toBeLessThan(TOL);
    expect(maximumPrudentLeverage(0, 0.12, 0.45, 0.999)).toBe(Infinity);
    expect(maximumPrudentLeverage(0.01, 0, 0.45, 0.999)).toBe(Infinity);
    expect(maximumPrudentLeverage(0.01, 0.12, 0, 0.999)).toBe(Infinity);
    expect(maximumPrudentLeverage(0.01, 0.12, 0.45, 0.5)).toBe(Infinity);
    expect(() => maximumPrudentLeverage(0.01, 0.12, 1.5, 0.999)).toThrow(RangeError);
  });

  it('pd = 1 needs no unexpected-loss capital (the loss is certain)', () => {
    expect(vasicekCapitalPerUnit(1, 0.12, 0.45, 0.999)).toBe(0);
  });
});
