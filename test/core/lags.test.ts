import { describe, expect, it } from 'vitest';
import { splitLag } from '../../src/core/plan.ts';
import { project, type PeriodResult } from '../../src/core/projection.ts';
import { scenario, stage } from '../support/scenarios.ts';

const money = (x: { toFixed(dp: number): string }) => x.toFixed(2);

/**
 * One vintage: 100 founding loans of 10,000 at the start of year 1, bullet over two years,
 * PD 10 % a year, 80 % coverage, half of each claim recovered. No fees but an annual fee of 2 %,
 * no costs, no investment income, no counter-guarantee.
 */
function lagInput(v: { defaults: 'start' | 'middle' | 'end'; claimLagMonths: number; recoveryLagMonths: number; period?: 'annual' | 'quarterly'; tenorYears?: number; lockInMonths?: number }) {
  return {
    schemaVersion: 1,
    name: 'exact lags',
    horizonYears: 1,
    period: v.period ?? 'annual',
    timing: { origination: 'start', amortisation: 'bullet', defaults: v.defaults, investmentIncomeBasis: 'opening' },
    origination: { mode: 'direct', volumes: { founding: [1_000_000, 0], growth: [0], maturity: [0], transformation: [0] } },
    fund: {
      initialCapital: 1_000_000, investmentYield: 0, leverageCap: 10, minCapitalRatio: 0,
      operatingCosts: { fixedPerYear: 0, shareOfOutstanding: 0, perNewGuarantee: 0 },
      claimLagMonths: v.claimLagMonths, claimLockInMonths: v.lockInMonths ?? 0, recoveryRate: 0.5, recoveryLagMonths: v.recoveryLagMonths,
      counterGuarantee: { share: 0, premiumRate: 0 },
    },
    guarantee: { coverageRatio: 0.8, upfrontFee: [{ upTo: null, rate: 0 }], annualFee: [{ upTo: null, rate: 0.02 }] },
    lender: { fundingCost: 0.05 },
    stages: { founding: stage({ tenorYears: v.tenorYears ?? 2 }), growth: stage(), maturity: stage(), transformation: stage() },
    monteCarlo: {},
  };
}

const all = (v: Parameters<typeof lagInput>[0]): PeriodResult[] => {
  const p = project(scenario(lagInput(v)));
  return [...p.periods, ...p.runoff];
};
const line = (rows: PeriodResult[], k: 'claimsPaid' | 'recoveries' | 'annualFees') => rows.map((r) => money(r.ledger[k]));

describe('splitLag: a lag in months as whole periods and the share paid a period later', () => {
  it.each([
    // months, months a period, defaults → periods, fraction
    [0, 12, 'middle', 0, 0],
    [6, 12, 'middle', 0, 0.5],
    [12, 12, 'middle', 1, 0],
    [18, 12, 'middle', 1, 0.5],
    [4, 3, 'middle', 1, 1 / 3],
    [9, 12, 'middle', 0, 0.75],
    [6, 12, 'start', 0, 0],
    [18, 12, 'start', 1, 0],
    [6, 12, 'end', 1, 0],
    [12, 12, 'end', 1, 0],
    [13, 12, 'end', 2, 0],
    [0, 12, 'end', 0, 0],
  ] as const)('%i months in %i-month periods, defaults at %s: %i periods, %f later', (months, per, at, periods, fraction) => {
    const s = splitLag(months, per, at);
    expect(s.periods).toBe(periods);
    expect(s.fraction).toBeCloseTo(fraction, 12);
  });
});

describe('exact claim and recovery lags, worked by hand', () => {
  /*
   * Defaults spread over the year ('middle'), claim lag 6 months, recovery 12 months after the
   * claim (18 months after the default).
   *   Y1: 10 defaults on 10,000: claims 80,000, half paid in Y1 and half in Y2;
   *       recoveries 40,000, 18 months on: half in Y2, half in Y3.
   *   Y2: 9 defaults: claims 72,000, 36,000 in Y2 and 36,000 in Y3; recoveries 36,000: 18,000 in Y3 and Y4.
   *   Claims paid: Y1 40,000; Y2 40,000 + 36,000 = 76,000; Y3 36,000.
   *   Recoveries:  Y2 20,000; Y3 20,000 + 18,000 = 38,000; Y4 18,000.
   * A defaulted loan is outstanding half its year: average guaranteed Y1 (90 + 10/2) × 8,000 = 760,000
   * (fee 15,200), Y2 (81 + 9/2) × 8,000 = 684,000 (fee 13,680).
   */
  it('a 6-month claim lag with defaults spread over the year pays half the year\'s claims the next year', () => {
    const rows = all({ defaults: 'middle', claimLagMonths: 6, recoveryLagMonths: 12 });
    expect(rows.map((r) => r.label)).toEqual(['Y1', 'Y2', 'Y3', 'Y4']);
    expect(line(rows, 'claimsPaid')).toEqual(['40000.00', '76000.00', '36000.00', '0.00']);
    expect(line(rows, 'recoveries')).toEqual(['0.00', '20000.00', '38000.00', '18000.00']);
    expect(line(rows, 'annualFees')).toEqual(['15200.00', '13680.00', '0.00', '0.00']);
    expect(money(rows[0]!.claimsIncurred)).toBe('80000.00');
  });

  it('at the horizon, the unpaid half is a pending claim', () => {
    const p = project(scenario(lagInput({ defaults: 'middle', claimLagMonths: 6, recoveryLagMonths: 12 })));
    expect(money(p.summary.pendingClaims)).toBe('40000.00');
    expect(money(p.summary.pendingRecoveries)).toBe('40000.00');
    expect(money(p.costing.provision.claimsIncurredNotPaid)).toBe('40000.00');
  });

  it('18 months: half a year later again (Y2 and Y3 for Y1\'s defaults)', () => {
    // Y1's claims 80,000 → 40,000 in Y2 and Y3; Y2's 72,000 → 36,000 in Y3 and Y4.
    // Recoveries 30 months on: Y1's 40,000 → 20,000 in Y3 and Y4; Y2's 36,000 → 18,000 in Y4 and Y5.
    const rows = all({ defaults: 'middle', claimLagMonths: 18, recoveryLagMonths: 12 });
    expect(line(rows, 'claimsPaid')).toEqual(['0.00', '40000.00', '76000.00', '36000.00', '0.00']);
    expect(line(rows, 'recoveries')).toEqual(['0.00', '0.00', '20000.00', '38000.00', '18000.00']);
  });

  /*
   * Defaults at the year's end are a point in time: a 6-month lag falls in the next year
   * (Y1's 80,000 in Y2, Y2's 72,000 in Y3), an 18-month total lag two years on (Y1's recovery
   * 40,000 in Y3, Y2's 36,000 in Y4). A defaulted loan is outstanding all year: fees 16,000, 14,400.
   */
  it('defaults at the year\'s end: the whole claim the next year', () => {
    const rows = all({ defaults: 'end', claimLagMonths: 6, recoveryLagMonths: 12 });
    expect(line(rows, 'claimsPaid')).toEqual(['0.00', '80000.00', '72000.00', '0.00']);
    expect(line(rows, 'recoveries')).toEqual(['0.00', '0.00', '40000.00', '36000.00']);
    expect(line(rows, 'annualFees')).toEqual(['16000.00', '14400.00', '0.00', '0.00']);
  });

  /*
   * Defaults at the year's start: a 6-month lag stays within the year; 18 months reach the
   * next. A loan that defaults at the start is not outstanding that year: Y1 fee 90 × 8,000 × 2 % = 14,400;
   * Y2 81 × 8,000 × 2 % = 12,960.
   */
  it('defaults at the year\'s start: the whole claim the same year', () => {
    const rows = all({ defaults: 'start', claimLagMonths: 6, recoveryLagMonths: 12 });
    expect(line(rows, 'claimsPaid').slice(0, 3)).toEqual(['80000.00', '72000.00', '0.00']);
    expect(line(rows, 'recoveries').slice(0, 3)).toEqual(['0.00', '40000.00', '36000.00']);
    expect(line(rows, 'annualFees').slice(0, 2)).toEqual(['14400.00', '12960.00']);
  });

  /*
   * Quarterly, one-quarter bullet loans originated at the start of Q1: 100 loans, quarterly
   * PD q = 1 − 0.9^¼, claims 100 q × 8,000 from defaults spread over Q1. A 4-month lag is one
   * quarter and a third: two thirds of the claims in Q2, one third in Q3.
   */
  it('quarterly: a 4-month lag pays two thirds a quarter later and a third two quarters later', () => {
    const rows = all({ defaults: 'middle', claimLagMonths: 4, recoveryLagMonths: 0, period: 'quarterly', tenorYears: 0.25 });
    const claims = 100 * (1 - Math.pow(0.9, 0.25)) * 8_000;
    const paid = rows.map((r) => r.ledger.claimsPaid.toNumber());
    expect(paid[0]).toBe(0);
    expect(Math.abs(paid[1]! - (2 / 3) * claims)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(paid[2]! - claims / 3)).toBeLessThanOrEqual(0.005);
    expect(paid.slice(3).every((x) => x === 0)).toBe(true);
    // No recovery lag: each part of the claim is half recovered when it is paid.
    const recovered = rows.map((r) => r.ledger.recoveries.toNumber());
    expect(Math.abs(recovered[1]! - claims / 3)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(recovered[2]! - claims / 6)).toBeLessThanOrEqual(0.005);
  });
});

describe('a claim lock-in', () => {
  /*
   * Lock-in 12 months from a start-of-year origination: claims on Y1's defaults (80,000) wait
   * until the lock-in ends at the start of Y2 and are paid then; Y2's defaults (72,000) are past
   * it and are paid at once.
   */
  it('defers the first year\'s claims to its end', () => {
    // Everything is paid by the end of Y2, where the run-off ends.
    const rows = all({ defaults: 'middle', claimLagMonths: 0, recoveryLagMonths: 0, lockInMonths: 12 });
    expect(line(rows, 'claimsPaid')).toEqual(['0.00', '152000.00']);
    expect(line(rows, 'recoveries')).toEqual(['0.00', '76000.00']);
  });

  /*
   * The same with a 6-month recovery lag. Y1's claims are paid when the lock-in ends, at month 12;
   * their recovery (40,000) comes 6 months later, at month 18: in Y2. Y2's defaults, spread over
   * the year, are recovered 6 months on: half (18,000) in Y2, half in Y3 (the exact lag).
   * Recoveries: Y2 40,000 + 18,000 = 58,000; Y3 18,000.
   * After a binding lock-in the engine rounds the recovery lag to whole periods
   * (Math.round(6 / 12) = 1) and pays the 40,000 in Y3: Y2 18,000, Y3 58,000.
   */
  it('the recovery after a lock-in follows by the exact lag in months', () => {
    const rows = all({ defaults: 'middle', claimLagMonths: 0, recoveryLagMonths: 6, lockInMonths: 12 });
    expect(line(rows, 'claimsPaid').slice(0, 3)).toEqual(['0.00', '152000.00', '0.00']);
    expect(line(rows, 'recoveries').slice(0, 3)).toEqual(['0.00', '58000.00', '18000.00']);
  });
});

describe('spreadsheet timing conventions', () => {
  /*
   * Loans originated mid-year: by default a new loan bears half a year of risk in its first
   * year, PD 1 − 0.9^½; with newLoanRisk 'fullPeriod' the full 10 %. Defaults at the year's end,
   * claims at once: claims 100 × p × 10,000 × 0.8.
   */
  it('newLoanRisk: the full year\'s rate on new loans', () => {
    const at = (newLoanRisk: 'exposure' | 'fullPeriod') => {
      const input = lagInput({ defaults: 'end', claimLagMonths: 0, recoveryLagMonths: 0 });
      const s = scenario({ ...input, timing: { ...input.timing, origination: 'middle', newLoanRisk } });
      return project(s).periods[0]!.ledger.claimsPaid.toNumber();
    };
    expect(Math.abs(at('exposure') - 800_000 * (1 - Math.sqrt(0.9)))).toBeLessThanOrEqual(0.005);
    expect(Math.abs(at('fullPeriod') - 80_000)).toBeLessThanOrEqual(0.005);
  });

  it('claimsInFirstYear false: no defaults in a loan\'s first twelve months', () => {
    // Y1 none; Y2 10 % of the 100 loans still there: 10 × 10,000 × 0.8 = 80,000.
    const input = lagInput({ defaults: 'end', claimLagMonths: 0, recoveryLagMonths: 0 });
    const rows = (() => {
      const p = project(scenario({ ...input, timing: { ...input.timing, claimsInFirstYear: false } }));
      return [...p.periods, ...p.runoff];
    })();
    expect(line(rows, 'claimsPaid').slice(0, 2)).toEqual(['0.00', '80000.00']);
  });

  /*
   * Investment income on closing capital, with claims taken as paid at the year's end (they
   * earn nothing in the basis): 5 % yield, Y1 fee 16,000 (defaults at the end), claims 80,000,
   * recovery 40,000 at once. Closing before income 1,000,000 + 16,000 + 40,000 − 80,000 = 976,000.
   *   'nothing' excluded: income 5 % × 976,000 = 48,800;
   *   'claims' excluded: 5 % × (976,000 + 80,000) = 52,800.
   */
  it('investment income on closing capital, with or without the claims in the basis', () => {
    const at = (investmentIncomeExcludes: 'nothing' | 'claims') => {
      const input = lagInput({ defaults: 'end', claimLagMonths: 0, recoveryLagMonths: 0 });
      const s = scenario({
        ...input,
        timing: { ...input.timing, investmentIncomeBasis: 'closing', investmentIncomeExcludes },
        fund: { ...input.fund, investmentYield: 0.05 },
      });
      return money(project(s).periods[0]!.ledger.investmentIncome);
    };
    expect(at('nothing')).toBe('48800.00');
    expect(at('claims')).toBe('52800.00');
  });
});
