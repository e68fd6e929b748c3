import { describe, expect, it } from 'vitest';
import { breakEvenFee, capitalSurplus, FEE_TOLERANCE } from '../../src/core/solvers.ts';
import { scenario, stage } from '../support/scenarios.ts';

/**
 * Single-stage steady state: every year 100 one-year bullet loans of 10,000 start on 1 January
 * and default (PD) or repay on 31 December; claims and recoveries settle at once; investment
 * income on opening capital. Outstanding guarantees G = 800,000 all year, capital E = 200,000,
 * so L = 4. The fund keeps its capital when f·G + y·E = PD(1 − R)·G + o·G, that is
 * f* = PD(1 − R) + o − y/L.
 */
function steadyState(pd: number, recovery: number, costShare: number, yieldRate: number) {
  return scenario({
    schemaVersion: 1,
    name: 'steady state',
    horizonYears: 10,
    timing: { origination: 'start', amortisation: 'bullet', defaults: 'end', investmentIncomeBasis: 'opening' },
    origination: { mode: 'direct', volumes: { founding: [1_000_000], growth: [0], maturity: [0], transformation: [0] } },
    fund: {
      initialCapital: 200_000, investmentYield: yieldRate, leverageCap: 100, minCapitalRatio: 0,
      operatingCosts: { fixedPerYear: 0, shareOfOutstanding: costShare, perNewGuarantee: 0 },
      claimLagMonths: 0, recoveryRate: recovery, recoveryLagMonths: 0,
    },
    guarantee: { coverageRatio: 0.8, upfrontFee: [{ upTo: null, rate: 0 }] },
    lender: { fundingCost: 0.05 },
    stages: { founding: stage({ tenorYears: 1, riskGrades: [{ share: 1, pd }] }), growth: stage(), maturity: stage(), transformation: stage() },
    monteCarlo: {},
  });
}

describe('break-even annual fee on the horizon basis', () => {
  it.each([
    // pd, R, o, y, f* = PD(1 − R) + o − y/4
    [0.05, 0.4, 0.01, 0.03, 0.05 * 0.6 + 0.01 - 0.03 / 4],
    [0.02, 0.3, 0.005, 0.04, 0.02 * 0.7 + 0.005 - 0.04 / 4],
    [0.1, 0.5, 0.008, 0.0, 0.1 * 0.5 + 0.008],
  ])('pd %f, recovery %f, cost %f, yield %f → f* = %f', (pd, r, o, y, expected) => {
    const s = steadyState(pd, r, o, y);
    const result = breakEvenFee(s, 'horizon');
    expect(result.fee).not.toBeNull();
    expect(Math.abs(result.fee! - expected)).toBeLessThanOrEqual(FEE_TOLERANCE);
    // At the closed-form fee itself the capital is preserved to within rounding cents.
    expect(Math.abs(capitalSurplus(s, expected))).toBeLessThan(0.05);
  });

  it('reports when no fee in range preserves capital', () => {
    const result = breakEvenFee(steadyState(0.6, 0, 0.01, 0), 'horizon');
    expect(result.fee).toBeNull();
    expect(result).toHaveProperty('reason', expect.stringContaining('no annual fee up to 20.00 %'));
  });

  it('reports a zero fee when investment income alone covers losses', () => {
    expect(breakEvenFee(steadyState(0, 0, 0, 0.05), 'horizon').fee).toBe(0);
  });
});

describe('break-even annual fee over the cohorts\' lifetimes', () => {
  /*
   * Same steady state. Each cohort of one-year bullet loans pays its fee f·G and its net claims
   * PD(1 − R)·G and costs o·G at the end of its only year, so without investment income every
   * cohort breaks even at f* = PD(1 − R) + o, whatever the discount rate.
   */
  it.each([
    [0.05, 0.4, 0.01, 0.03],
    [0.02, 0.3, 0.005, 0.04],
  ])('pd %f, recovery %f, cost %f (yield %f ignored) → f* = PD(1 − R) + o', (pd, r, o, y) => {
    const result = breakEvenFee(steadyState(pd, r, o, y), 'lifetime');
    expect(result.fee).not.toBeNull();
    expect(Math.abs(result.fee! - (pd * (1 - r) + o))).toBeLessThanOrEqual(FEE_TOLERANCE);
  });

  it('counting investment income lowers the fee by y·E/G in the steady state', () => {
    // With income on 200,000 of opening capital at 3 % and G = 800,000, income is y/L = 0.75 %
    // of G a year while capital stays at 200,000 (at f*, every year breaks even). The horizon
    // basis gives the same fee: the capital is preserved every year.
    const s = steadyState(0.05, 0.4, 0.01, 0.03);
    const withIncome = breakEvenFee(s, 'lifetimeWithInvestmentIncome');
    expect(Math.abs(withIncome.fee! - (0.05 * 0.6 + 0.01 - 0.03 / 4))).toBeLessThanOrEqual(FEE_TOLERANCE);
    expect(withIncome.basis).toBe('lifetimeWithInvestmentIncome');
  });
});
