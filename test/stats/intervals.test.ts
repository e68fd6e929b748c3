/**
 * Sampling intervals of Monte Carlo probabilities: the Wilson score interval against published
 * values and against its defining equation, and the running depletion estimate that adds paths.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DepletionEstimate, depletedPaths } from '../../src/core/montecarlo/depletion.ts';
import { depletionProbability } from '../../src/core/montecarlo/run.ts';
import { buildPlan } from '../../src/core/plan.ts';
import { parseScenario, type Scenario } from '../../src/core/schema.ts';
import { intervalOfShare, verdictAgainst, wilsonInterval } from '../../src/core/stats/intervals.ts';

describe('Wilson score interval', () => {
  /*
   * Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
   * methods", Statistics in Medicine 17 (1998) 857-872, Table II, method 3 (score, no continuity
   * correction), 95 %: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611;
   * 1/29 → 0.0061–0.1718; 29/29 → 0.8830–1.
   */
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('%i of %i: Newcombe (1998) Table II gives %f to %f', (k, n, lo, hi) => {
    const r = wilsonInterval(k, n);
    expect(r.lower).toBeCloseTo(lo, 4);
    expect(r.upper).toBeCloseTo(hi, 4);
  });

  /*
   * By hand, 10 depleted paths of 200 (the 5 %), z = 1.959964, z² = 3.841459:
   * centre = (10 + 1.920730) / 203.841459 = 0.058480; half-width = 1.959964 / 203.841459 ×
   * √(10 × 190 / 200 + 0.960365) = 0.0096152 × 3.234249 = 0.031098 → 2.738 % to 8.958 %.
   */
  it('10 of 200 (5 %) runs from 2.74 % to 8.96 %: 5 % at 200 paths cannot be told from a 5 % target', () => {
    const r = wilsonInterval(10, 200);
    expect(r.lower).toBeCloseTo(0.027382, 5);
    expect(r.upper).toBeCloseTo(0.089578, 5);
    expect(verdictAgainst(r, 0.05)).toBe('unclear');
  });

  it('other confidence levels: 90 % uses z = 1.644854, so 10 of 200 gives 3.01 % to 8.19 %', () => {
    // centre = (10 + 1.352776) / 202.705552 = 0.056007; half = 1.644854 / 202.705552 × √(9.5 + 0.676388) = 0.0081145 × 3.190045 = 0.025886.
    const r = wilsonInterval(10, 200, 0.9);
    expect(r.lower).toBeCloseTo(0.056007 - 0.025886, 5);
    expect(r.upper).toBeCloseTo(0.056007 + 0.025886, 5);
  });

  const kn = fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('its bounds solve the score equation |p̂ − p| = z √(p (1 − p) / n), and contain p̂', () => {
    fc.assert(fc.property(kn, ([k, n]) => {
      const r = wilsonInterval(k, n);
      const z = 1.959963984540054;
      const phat = k / n;
      expect(r.lower).toBeLessThanOrEqual(phat + 1e-12);
      expect(r.upper).toBeGreaterThanOrEqual(phat - 1e-12);
      expect(r.lower).toBeGreaterThanOrEqual(0);
      expect(r.upper).toBeLessThanOrEqual(1);
      for (const p of [r.lower, r.upper]) {
        if (p === 0 || p === 1) continue; // the boundary cases k = 0 and k = n
        expect(Math.abs(phat - p)).toBeCloseTo(z * Math.sqrt((p * (1 - p)) / n), 9);
      }
    }));
  });

  it('is symmetric: k of n mirrors n − k of n', () => {
    fc.assert(fc.property(kn, ([k, n]) => {
      const a = wilsonInterval(k, n);
      const b = wilsonInterval(n - k, n);
      expect(a.lower).toBeCloseTo(1 - b.upper, 12);
      expect(a.upper).toBeCloseTo(1 - b.lower, 12);
    }));
  });

  it('narrows as paths are added at the same share', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 5000 }), (k, n) => {
      const a = wilsonInterval(k, n);
      const b = wilsonInterval(2 * k, 2 * n);
      expect(b.upper - b.lower).toBeLessThan(a.upper - a.lower);
    }));
  });

  it('recovers the count from a share: intervalOfShare(k / n, n) = wilsonInterval(k, n)', () => {
    fc.assert(fc.property(kn, ([k, n]) => {
      expect(intervalOfShare(k / n, n)).toEqual(wilsonInterval(k, n));
    }));
  });

  it('decides only when the whole interval is on one side of the target', () => {
    expect(verdictAgainst({ lower: 0.01, upper: 0.05 }, 0.05)).toBe('below');
    expect(verdictAgainst({ lower: 0.0501, upper: 0.07 }, 0.05)).toBe('above');
    expect(verdictAgainst({ lower: 0.05, upper: 0.07 }, 0.05)).toBe('unclear');
    expect(verdictAgainst(wilsonInterval(0, 1000), 0)).toBe('unclear');
  });

  it('refuses counts outside 0..n', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
  });
});

describe('running estimate of the probability of depletion', () => {
  const preset = (): Scenario => {
    const r = parseScenario(JSON.parse(readFileSync(new URL('../../src/presets/startup-local-fund.json', import.meta.url), 'utf8')));
    if (!r.ok) throw new Error('preset does not parse');
    return r.value;
  };
  const s = preset();

  it('adding paths keeps the first ones: 200 then 400 paths equal one run of 400 (common random numbers)', () => {
    const plan = buildPlan(s, { lifetime: false });
    const whole = depletedPaths(plan, 11, 0, 400);
    expect(depletedPaths(plan, 11, 0, 200) + depletedPaths(plan, 11, 200, 400)).toBe(whole);
    const e = new DepletionEstimate(s, 11).extend(200).extend(400);
    expect(e.paths).toBe(400);
    expect(e.depleted).toBe(whole);
    expect(e.estimate).toBe(depletionProbability(s, s.fund.initialCapital, { paths: 400, seed: 11 }));
    expect(e.interval()).toEqual(wilsonInterval(whole, 400));
  });
});
