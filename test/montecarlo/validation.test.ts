import { describe, expect, it } from 'vitest';
import { normalPdf } from '../../src/core/math/normal.ts';
import { quantileSorted } from '../../src/core/montecarlo/aggregate.ts';
import { allocateOutputs, simulatePaths } from '../../src/core/montecarlo/paths.ts';
import { buildPlan } from '../../src/core/plan.ts';
import { expectedDefaults, project } from '../../src/core/projection.ts';
import { conditionalDefaultProbability, vasicekDefaultRateCdf, worstCaseDefaultRate } from '../../src/core/risk/vasicek.ts';
import type { Scenario } from '../../src/core/schema.ts';
import { scenario, stage } from '../support/scenarios.ts';

/** One year, one stage, n one-unit loans fully covered, no recoveries: the fund's claims are the number of defaults. */
function onePeriod(n: number, pd: number, rho: number): Scenario {
  return scenario({
    schemaVersion: 1,
    name: 'single period',
    horizonYears: 1,
    timing: { origination: 'start', amortisation: 'bullet', defaults: 'end' },
    origination: { mode: 'direct', volumes: { founding: [n], growth: [0], maturity: [0], transformation: [0] } },
    fund: { initialCapital: 1e12, leverageCap: 100, minCapitalRatio: 0, claimLagMonths: 0, recoveryRate: 0 },
    guarantee: { coverageRatio: 1, upfrontFee: [{ upTo: null, rate: 0 }], annualFee: [{ upTo: null, rate: 0 }] },
    lender: { fundingCost: 0.05 },
    stages: { founding: stage({ loanSize: 1, tenorYears: 1, riskGrades: [{ share: 1, pd }], assetCorrelation: rho }), growth: stage(), maturity: stage(), transformation: stage() },
    monteCarlo: { cyclePersistence: 0 },
  });
}

function defaultsPerPath(s: Scenario, paths: number, seed: number): Float64Array {
  const plan = buildPlan(s);
  const out = allocateOutputs(paths, plan.periods);
  simulatePaths(plan, seed, 0, paths, out);
  return Float64Array.from(out.cumulativeNetClaims);
}

/** ∫ f(z) φ(z) dz over the real line by the trapezoid rule on [−9, 9]. */
function integrateOverZ(f: (z: number) => number, steps = 6000): number {
  const h = 18 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const z = -9 + i * h;
    sum += (i === 0 || i === steps ? 0.5 : 1) * f(z) * normalPdf(z);
  }
  return sum * h;
}

describe('Monte Carlo against closed forms', () => {
  it('large portfolio: default-rate quantiles match the Vasicek distribution within sampling error', () => {
    const n = 10_000_000;
    const pd = 0.02;
    const rho = 0.12;
    const paths = 20_000;
    const rates = defaultsPerPath(onePeriod(n, pd, rho), paths, 2024).map((d) => d / n).sort();
    for (const q of [0.95, 0.99, 0.999]) {
      const empirical = quantileSorted(rates, q);
      // The closed form's CDF at the empirical quantile must be q within 4 binomial standard errors of a quantile estimate.
      const band = 4 * Math.sqrt((q * (1 - q)) / paths);
      expect(Math.abs(vasicekDefaultRateCdf(empirical, pd, rho) - q)).toBeLessThan(band);
      // And the quantile itself is near the worst-case default rate.
      expect(empirical / worstCaseDefaultRate(pd, rho, q)).toBeGreaterThan(0.85);
      expect(empirical / worstCaseDefaultRate(pd, rho, q)).toBeLessThan(1.15);
    }
  });

  it('small portfolio: the number of defaults follows the exact binomial mixture (chi-square)', () => {
    const n = 20;
    const pd = 0.05;
    const rho = 0.2;
    const paths = 40_000;
    const counts = new Array<number>(n + 1).fill(0);
    for (const d of defaultsPerPath(onePeriod(n, pd, rho), paths, 7)) counts[d]! += 1;
    // P(D = k) = ∫ C(n,k) p(z)^k (1 − p(z))^(n−k) φ(z) dz, computed independently by quadrature.
    const choose = (k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
    const pmf = counts.map((_, k) => integrateOverZ((z) => {
      const p = conditionalDefaultProbability(pd, rho, z);
      return choose(k) * p ** k * (1 - p) ** (n - k);
    }));
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 8);
    // Pool the tail into one cell so every expected count is at least 5.
    let chi = 0;
    let cells = 0;
    let tailObserved = 0;
    let tailExpected = 0;
    for (let k = 0; k <= n; k++) {
      const expected = pmf[k]! * paths;
      if (expected >= 20 && tailExpected === 0) {
        chi += (counts[k]! - expected) ** 2 / expected;
        cells++;
      } else {
        tailObserved += counts[k]!;
        tailExpected += expected;
      }
    }
    chi += (tailObserved - tailExpected) ** 2 / tailExpected;
    cells++;
    // 99.9 % point of chi-square with up to ~12 degrees of freedom is below 33; a fixed seed keeps this deterministic.
    expect(cells).toBeGreaterThan(5);
    expect(chi).toBeLessThan(33);
  });

  it('the deterministic stressed PD is the mean of the conditional PD over Z ~ N(m, 1)', () => {
    const s = scenario({ ...onePeriod(1000, 0.03, 0.15), monteCarlo: { stress: [{ fromYear: 1, toYear: 1, shift: -2 }] } } as never);
    const plan = buildPlan(s);
    const out = new Float64Array(plan.pd.length);
    expectedDefaults(plan).annualPd(0, out);
    const byQuadrature = integrateOverZ((z) => conditionalDefaultProbability(0.03, 0.15, z - 2));
    expect(out[0]).toBeCloseTo(byQuadrature, 9);
  });
});

describe('Monte Carlo against the deterministic projection', () => {
  it('with zero correlation the mean of every series converges to the projection (within 4 standard errors)', () => {
    const s = scenario({
      schemaVersion: 1,
      name: 'convergence',
      horizonYears: 6,
      origination: { mode: 'direct', volumes: { founding: [2_000_000, 3_000_000], growth: [5_000_000], maturity: [0], transformation: [1_000_000] } },
      fund: { initialCapital: 5_000_000, leverageCap: 40, minCapitalRatio: 0, recoveryRate: 0.4, claimLagMonths: 6, recoveryLagMonths: 12 },
      guarantee: { coverageRatio: 0.8, annualFee: [{ upTo: null, rate: 0.02 }] },
      lender: { fundingCost: 0.05 },
      stages: {
        founding: stage({ loanSize: 20_000, tenorYears: 3, riskGrades: [{ share: 0.5, pd: 0.04 }, { share: 0.5, pd: 0.12 }], assetCorrelation: 0 }),
        growth: stage({ loanSize: 50_000, tenorYears: 4, riskGrades: [{ share: 1, pd: 0.05 }], assetCorrelation: 0, transitions: { maturity: 0.2, exit: 0.05 } }),
        maturity: stage({ loanSize: 50_000, tenorYears: 4, riskGrades: [{ share: 1, pd: 0.02 }], assetCorrelation: 0 }),
        transformation: stage({ loanSize: 80_000, tenorYears: 2, riskGrades: [{ share: 1, pd: 0.06 }], assetCorrelation: 0 }),
      },
      monteCarlo: { cyclePersistence: 0.3 },
    });
    const paths = 4000;
    const det = project(s);
    // Means and standard errors from the paths themselves.
    const plan = buildPlan(s);
    const out = allocateOutputs(paths, plan.periods);
    simulatePaths(plan, 99, 0, paths, out);
    const T = plan.periods;
    const series = (k: number, t: number) => Array.from({ length: paths }, (_, p) => out.series[(p * T + t) * 4 + k]!);
    const check = (k: number, t: number, expected: number) => {
      const xs = series(k, t);
      const mean = xs.reduce((a, b) => a + b, 0) / paths;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (paths - 1));
      // Float32 storage adds at most a relative 6e-8 per value.
      expect(Math.abs(mean - expected)).toBeLessThanOrEqual(4 * (sd / Math.sqrt(paths)) + Math.abs(expected) * 1e-6 + 0.01);
    };
    det.periods.forEach((r, t) => {
      check(0, t, r.ledger.closing.toNumber());
      check(1, t, r.ledger.claimsPaid.toNumber());
      check(3, t, r.outstandingGuaranteed.toNumber());
    });
  });
});
