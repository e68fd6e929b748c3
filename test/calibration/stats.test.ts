/**
 * The calibration's statistics against closed forms: beta quantiles where the distribution has
 * one (Beta(a, 1), the arcsine law), Student t with 1 and 2 degrees of freedom, Sheppard's
 * closed form of the bivariate normal at the origin, and the Vasicek variance against a direct
 * numerical integral of p(Z)².
 */
import { describe, expect, it } from 'vitest';
import { normalCdf, inverseNormalCdf } from '../../src/core/math/normal.ts';
import { betaCdf, betaQuantile, bivariateNormalEqual, jeffreysInterval, meanInterval, studentTQuantile, vasicekVariance, wilsonIntervalOf } from '../../src/core/calibration/stats.ts';

/** E[g(Z)] for standard normal Z by the midpoint rule on [−10, 10], 20,000 cells: independent of the code under test. */
function normalExpectation(g: (z: number) => number): number {
  const n = 20_000;
  const h = 20 / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const z = -10 + (i + 0.5) * h;
    s += g(z) * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * h;
  }
  return s;
}

describe('beta and t quantiles', () => {
  it('Beta(a, 1) has the quantile p^(1/a)', () => {
    for (const a of [0.5, 2.5, 7]) for (const p of [0.025, 0.5, 0.975]) expect(betaQuantile(p, a, 1)).toBeCloseTo(p ** (1 / a), 8);
  });
  it('Beta(½, ½) is the arcsine law: quantile sin²(πp/2)', () => {
    for (const p of [0.01, 0.3, 0.9]) expect(betaQuantile(p, 0.5, 0.5)).toBeCloseTo(Math.sin(Math.PI * p / 2) ** 2, 8);
    expect(betaCdf(0.25, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(0.5), 8);
  });
  it('t with one degree of freedom is Cauchy, with two has a closed form', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 6);
    const p = 0.975;
    expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 6);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });
});

describe('intervals for a default rate', () => {
  it('Jeffreys with d + ½ and n − d + ½ = 1 has closed-form bounds', () => {
    // d = 2, n = 2.5: Beta(2.5, 1).
    const j = jeffreysInterval(2, 2.5);
    expect(j.lower).toBeCloseTo(0.025 ** (1 / 2.5), 8);
    expect(j.upper).toBeCloseTo(0.975 ** (1 / 2.5), 8);
  });
  it('Jeffreys starts at 0 with no defaults and Wilson matches its textbook formula', () => {
    expect(jeffreysInterval(0, 100).lower).toBe(0);
    expect(jeffreysInterval(0, 100).upper).toBeGreaterThan(0.01);
    const w = wilsonIntervalOf(10, 100);
    const z = 1.959963984540054;
    const centre = (0.1 + z * z / 200) / (1 + z * z / 100);
    const half = (z / (1 + z * z / 100)) * Math.sqrt(0.1 * 0.9 / 100 + z * z / 40000);
    expect(w.lower).toBeCloseTo(centre - half, 12);
    expect(w.upper).toBeCloseTo(centre + half, 12);
  });
  it('the mean interval is the t interval', () => {
    const m = meanInterval([1, 2, 3, 4])!;
    expect(m.estimate).toBe(2.5);
    expect(m.upper - m.estimate).toBeCloseTo(3.182446305 * Math.sqrt(5 / 3) / 2, 6);
  });
});

describe('bivariate normal and the Vasicek variance', () => {
  it('Φ₂(0, 0; ρ) = ¼ + asin(ρ)/(2π)', () => {
    for (const rho of [0.05, 0.3, 0.9]) expect(bivariateNormalEqual(0, rho)).toBeCloseTo(0.25 + Math.asin(rho) / (2 * Math.PI), 13);
  });
  it('Φ₂(c, c; ρ) against E[Φ((c − √ρ Z)/√(1 − ρ))²] integrated directly', () => {
    for (const [pd, rho] of [[0.02, 0.1], [0.1, 0.24], [0.005, 0.03], [0.3, 0.5]] as const) {
      const c = inverseNormalCdf(pd);
      const direct = normalExpectation((z) => normalCdf((c - Math.sqrt(rho) * z) / Math.sqrt(1 - rho)) ** 2);
      expect(bivariateNormalEqual(c, rho)).toBeCloseTo(direct, 10);
      expect(vasicekVariance(pd, rho)).toBeCloseTo(direct - pd * pd, 10);
    }
  });
  it('the variance is 0 without correlation and PD(1 − PD) in the limit ρ → 1', () => {
    expect(vasicekVariance(0.05, 0)).toBeCloseTo(0, 15);
    expect(vasicekVariance(0.05, 0.999999)).toBeCloseTo(0.05 * 0.95, 3);
  });
});
