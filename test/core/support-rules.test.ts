import { describe, expect, it } from 'vitest';
import { project } from '../../src/core/projection.ts';
import { scenario, stage, twoPeriodInput } from '../support/scenarios.ts';

const money = (x: { toFixed(dp: number): string }) => x.toFixed(2);
interface Input {
  [key: string]: unknown;
  fund: Record<string, unknown>;
  timing: Record<string, unknown>;
  origination: { volumes: Record<string, number[]> };
  stages: Record<string, unknown>;
}

/**
 * The two-period example of ledger.test.ts (100 founding loans of 10,000, linear over two
 * years, PD 10 %, 80 % coverage, defaults at year end, claims at once, half recovered a year
 * later, upfront fee 1 %, annual fee 2 %, costs 0.5 % of outstanding + 50 per new guarantee)
 * without the counter-guarantor, investment income or fixed costs, discounted at 25 %
 * (DF 0.8, 0.64, 0.512). By hand:
 *   Y1: fees 8,000 + 16,000; claims 80,000; costs 4,000 + 5,000: closing 500,000 + 24,000 − 89,000 = 435,000.
 *   Y2: fee 7,200; recoveries 40,000; claims 36,000 (9 × 5,000 × 0.8); costs 1,800:
 *       closing 435,000 + 7,200 + 40,000 − 36,000 − 1,800 = 444,400.
 *   Y3 (run-off): recovery 18,000: closing 462,400.
 * Horizon cash fiscal cost 55,600; PV 500,000 − 444,400 × 0.64 = 215,584. Cohort subsidy cost
 * (as in costing.test.ts) 87,040 − 34,816 − 23,808 = 28,416.
 */
function baseInput(support: Record<string, unknown> = {}): Input {
  const input = twoPeriodInput() as unknown as Input;
  input.fund = { ...input.fund, investmentYield: 0, counterGuarantee: { share: 0, premiumRate: 0 } };
  input.fund.operatingCosts = { fixedPerYear: 0, shareOfOutstanding: 0.005, perNewGuarantee: 50 };
  input.costing = { discountRate: 0.25 };
  input.support = support;
  return input;
}

describe('the base example', () => {
  it('is as worked by hand', () => {
    const p = project(scenario(baseInput()));
    expect([...p.periods, ...p.runoff].map((r) => money(r.ledger.closing)).slice(0, 3)).toEqual(['435000.00', '444400.00', '462400.00']);
    expect(money(p.summary.fiscalCost)).toBe('55600.00');
    expect(money(p.costing.horizon.pvFiscalCost)).toBe('215584.00');
    expect(money(p.costing.cohorts[0]!.subsidyCost)).toBe('28416.00');
  });
});

describe('fee subsidy', () => {
  /*
   * The government pays half the fee for each loan's first year. The fund still receives
   * 8,000 + 16,000 in Y1 and 7,200 in Y2, so its ledger does not change; the subsidy is
   * 0.5 × 24,000 = 12,000 in Y1 and nothing in Y2 (the loans' second year).
   * Horizon cash fiscal cost 55,600 + 12,000 = 67,600; PV 215,584 + 12,000 × 0.8 = 225,184.
   * Cohort: fees paid by borrowers 31,200 − 12,000 = 19,200 (PV 12,000 × 0.8 + 7,200 × 0.64 = 14,208);
   * subsidy cost 87,040 − 34,816 − 14,208 = 38,016 (28,416 + 9,600), rate 4.752 %.
   */
  it('half the fee for one loan-year', () => {
    const p = project(scenario(baseInput({ feeSubsidy: { share: 0.5, loanYears: 1 } })));
    const [y1, y2] = p.periods;
    expect(money(y1!.ledger.upfrontFees)).toBe('8000.00');
    expect(money(y1!.ledger.annualFees)).toBe('16000.00');
    expect(money(y1!.ledger.feeSubsidies)).toBe('12000.00');
    expect(money(y1!.ledger.closing)).toBe('435000.00');
    expect(money(y2!.ledger.annualFees)).toBe('7200.00');
    expect(money(y2!.ledger.feeSubsidies)).toBe('0.00');
    expect(money(y2!.ledger.closing)).toBe('444400.00');
    expect(money(p.summary.totalFeeSubsidies)).toBe('12000.00');
    expect(money(p.summary.fiscalCost)).toBe('67600.00');
    expect(money(p.costing.horizon.cashFiscalCost)).toBe('67600.00');
    expect(money(p.costing.horizon.pvFiscalCost)).toBe('225184.00');
    const c = p.costing.cohorts[0]!;
    expect(money(c.fees)).toBe('19200.00');
    expect(money(c.feeSubsidies)).toBe('12000.00');
    expect(money(c.pvFees)).toBe('14208.00');
    expect(money(c.subsidyCost)).toBe('38016.00');
    expect(c.subsidyRate).toBeCloseTo(0.04752, 12);
  });

  it('two loan-years cover the second year\'s fee too: 0.5 × 7,200 = 3,600 more', () => {
    const p = project(scenario(baseInput({ feeSubsidy: { share: 0.5, loanYears: 2 } })));
    expect(money(p.periods[1]!.ledger.feeSubsidies)).toBe('3600.00');
    expect(money(p.summary.fiscalCost)).toBe('71200.00');
    // Cohort subsidy cost 38,016 + 3,600 × 0.64 = 40,320.
    expect(money(p.costing.cohorts[0]!.subsidyCost)).toBe('40320.00');
  });

  it('only the stages and years of origination named', () => {
    const otherStage = project(scenario(baseInput({ feeSubsidy: { share: 0.5, loanYears: 1, stages: ['growth'] } })));
    expect(otherStage.summary.totalFeeSubsidies.isZero()).toBe(true);
    const laterYears = project(scenario(baseInput({ feeSubsidy: { share: 0.5, loanYears: 1, fromYear: 2 } })));
    expect(laterYears.summary.totalFeeSubsidies.isZero()).toBe(true);
    expect(money(laterYears.summary.fiscalCost)).toBe('55600.00');
  });
});

describe('state loss sharing', () => {
  /*
   * Per vintage, threshold 5 % of the 1,000,000 lent (50,000), share 50 %:
   *   Y1 claims 80,000: 30,000 above the threshold → the state pays 15,000;
   *   Y2 claims 36,000, all above → 18,000. In all 33,000.
   * Capital: Y1 435,000 + 15,000 = 450,000; Y2 444,400 + 33,000 = 477,400; the cash fiscal cost
   * is unchanged (public money 533,000 − 477,400 = 55,600): compensation moves money from one
   * public purse to another. In PV it costs the time it sits in the fund: 500,000 + 15,000 × 0.8
   * + 18,000 × 0.64 − 477,400 × 0.64 = 217,984 (2,400 = 15,000 × (0.8 − 0.64) more). The cohort's
   * subsidy cost leaves it out: still 28,416.
   */
  it('per vintage, by hand', () => {
    const p = project(scenario(baseInput({ stateLossSharing: { share: 0.5, threshold: 0.05, basis: 'vintage' } })));
    const [y1, y2] = p.periods;
    expect(money(y1!.ledger.stateCompensation)).toBe('15000.00');
    expect(money(y2!.ledger.stateCompensation)).toBe('18000.00');
    expect(money(y2!.ledger.closing)).toBe('477400.00');
    expect(money(p.summary.totalStateCompensation)).toBe('33000.00');
    expect(money(p.summary.fiscalCost)).toBe('55600.00');
    expect(money(p.costing.horizon.pvFiscalCost)).toBe('217984.00');
    expect(money(p.costing.cohorts[0]!.subsidyCost)).toBe('28416.00');
    expect(p.runoff.every((r) => r.ledger.stateCompensation.isZero())).toBe(true);
  });

  it('per vintage: each vintage has its own threshold', () => {
    // A second, identical vintage in Y2: its own 50,000 threshold, so 15,000 on its Y2 claims
    // of 80,000 and 18,000 on its Y3 claims of 36,000; the first vintage as before.
    const input = baseInput({ stateLossSharing: { share: 0.5, threshold: 0.05, basis: 'vintage' } });
    input.origination.volumes.founding = [1_000_000, 1_000_000];
    const p = project(scenario(input));
    const paid = [...p.periods, ...p.runoff].map((r) => money(r.ledger.stateCompensation));
    expect(paid.slice(0, 3)).toEqual(['15000.00', '33000.00', '18000.00']);
  });

  it('per vintage: paid with the claim, after the claim lag', () => {
    const input = baseInput({ stateLossSharing: { share: 0.5, threshold: 0.05, basis: 'vintage' } });
    input.fund.claimLagMonths = 12;
    const p = project(scenario(input));
    const rows = [...p.periods, ...p.runoff];
    expect(rows.slice(0, 3).map((r) => money(r.ledger.stateCompensation))).toEqual(['0.00', '15000.00', '18000.00']);
  });

  /*
   * Per year, threshold 5 % of the year's average outstanding guarantees, share 50 %:
   *   Y1: claims 80,000 against 5 % × 800,000 = 40,000 → 20,000;
   *   Y2: claims 36,000 against 5 % × 360,000 = 18,000 → 9,000.
   */
  it('per year, by hand', () => {
    const p = project(scenario(baseInput({ stateLossSharing: { share: 0.5, threshold: 0.05, basis: 'year' } })));
    expect(p.periods.map((r) => money(r.ledger.stateCompensation))).toEqual(['20000.00', '9000.00']);
    expect(p.runoff.every((r) => r.ledger.stateCompensation.isZero())).toBe(true);
    expect(money(p.summary.fiscalCost)).toBe('55600.00');
  });

  it('per year in a quarterly run: the year\'s claims against the year\'s exposure, paid in its last quarter', () => {
    // Quarterly, one-year bullet loans originated at the start of Q1, defaults at quarter ends,
    // claims at once: 100 loans, quarterly PD q = 1 − 0.9^¼, so the year's defaults are
    // 100 × (1 − 0.9) = 10 and its claims 80,000. Average outstanding guarantees over the year
    // (loans leave at default, at quarter ends): 8,000 × Σ_k 100 (1 − q)^k × ¼ for k = 0..3.
    const input = baseInput({ stateLossSharing: { share: 0.5, threshold: 0.05, basis: 'year' } });
    input.period = 'quarterly';
    input.horizonYears = 1;
    input.timing = { ...input.timing, amortisation: 'bullet' };
    input.origination.volumes.founding = [1_000_000, 0];
    input.stages.founding = stage({ tenorYears: 1 });
    const p = project(scenario(input));
    const q = 1 - Math.pow(0.9, 0.25);
    let exposureYears = 0;
    for (let k = 0; k < 4; k++) exposureYears += 8_000 * 100 * Math.pow(1 - q, k) * 0.25;
    const expected = 0.5 * (80_000 - 0.05 * exposureYears);
    const paid = p.periods.map((r) => r.ledger.stateCompensation.toNumber());
    expect(paid.slice(0, 3)).toEqual([0, 0, 0]);
    expect(Math.abs(paid[3]! - expected)).toBeLessThanOrEqual(0.005);
  });
});

describe('counter-guarantee cap', () => {
  /*
   * One-year bullet loans: 100 × 10,000 in Y1 and 50 × 10,000 in Y2; 80 % coverage, PD 10 %;
   * claims at once (Y1 80,000, Y2 40,000), half recovered a year later (Y2 40,000, Y3 20,000).
   * The counter-guarantor takes 50 % of claims up to 4 % of the amount guaranteed so far:
   *   Y1: its share 40,000, cap 4 % × 800,000 = 32,000 → pays 32,000 (80 % of its share);
   *   Y2: its share 20,000, cap 4 % × 1,200,000 = 48,000, 16,000 left → pays 16,000 (80 % again).
   * Recoveries go back in the share it actually carried, 50 % × 80 % = 40 %:
   *   Y2 0.4 × 40,000 = 16,000; Y3 0.4 × 20,000 = 8,000.
   */
  function capped(cap: number | null) {
    const input = baseInput();
    input.fund.counterGuarantee = { share: 0.5, premiumRate: 0, capShareOfLending: cap };
    input.timing = { ...input.timing, amortisation: 'bullet' };
    input.origination.volumes.founding = [1_000_000, 500_000];
    input.stages.founding = stage({ tenorYears: 1 });
    const p = project(scenario(input));
    return [...p.periods, ...p.runoff].slice(0, 3);
  }

  it('pays up to its cap and takes recoveries in the share it paid', () => {
    const rows = capped(0.04);
    expect(rows.map((r) => money(r.ledger.claimsPaid))).toEqual(['80000.00', '40000.00', '0.00']);
    expect(rows.map((r) => money(r.ledger.reinsuranceRecoveries))).toEqual(['32000.00', '16000.00', '0.00']);
    expect(rows.map((r) => money(r.ledger.recoveries))).toEqual(['0.00', '40000.00', '20000.00']);
    expect(rows.map((r) => money(r.ledger.recoveriesPassedToReinsurer))).toEqual(['0.00', '16000.00', '8000.00']);
  });

  it('without a cap: half of every claim and of every recovery', () => {
    const rows = capped(null);
    expect(rows.map((r) => money(r.ledger.reinsuranceRecoveries))).toEqual(['40000.00', '20000.00', '0.00']);
    expect(rows.map((r) => money(r.ledger.recoveriesPassedToReinsurer))).toEqual(['0.00', '20000.00', '10000.00']);
  });

  /*
   * Pari passu per claim: a recovery is shared in the proportion the counter-guarantor paid of
   * the claim it comes from. In the base example (two-year loans) with a 50 % counter-guarantee
   * capped at 4 % of the 800,000 guaranteed:
   *   Y1: claims 80,000, its share 40,000, paid 32,000 (80 %); Y2: claims 36,000, its share 18,000,
   *   cap used up → paid 0.
   *   Y2 recoveries 40,000 come from Y1's claims: it gets back 50 % × 80 % × 40,000 = 16,000.
   *   Y3 recoveries 18,000 come from Y2's claims, on which it paid nothing: 0.
   * The engine instead applies its cumulative paid ratio at the time of the recovery, 32,000 /
   * 58,000, which already counts Y2's unpaid share: 11,034.48 in Y2 and 4,965.52 in Y3. The
   * lifetime totals agree (16,000); the horizon view understates what goes back to the
   * counter-guarantor by 4,965.52 and so overstates capital at the horizon.
   */
  it('recoveries go back in the proportion paid of the claims they come from', () => {
    const input = baseInput();
    input.fund.counterGuarantee = { share: 0.5, premiumRate: 0, capShareOfLending: 0.04 };
    const p = project(scenario(input));
    const rows = [...p.periods, ...p.runoff].slice(0, 3);
    expect(rows.map((r) => money(r.ledger.reinsuranceRecoveries))).toEqual(['32000.00', '0.00', '0.00']);
    expect(rows.map((r) => money(r.ledger.recoveriesPassedToReinsurer))).toEqual(['0.00', '16000.00', '0.00']);
  });
});

describe('capital calls', () => {
  /*
   * The base example with 100,000 of capital. Y1 closing 100,000 + 24,000 − 89,000 = 35,000
   * against 360,000 outstanding: 9.7 %, under a 20 % trigger. The government tops the fund up
   * to 25 %: 0.25 × 360,000 − 35,000 = 55,000, paid at the start of Y2.
   *   Y2: 35,000 + 55,000 + 7,200 + 40,000 − 36,000 − 1,800 = 99,400; nothing outstanding, no call.
   * Horizon cash fiscal cost 155,000 − 99,400 = 55,600, as without the call (the call stays in
   * the fund); PV 100,000 + 55,000 × 0.8 − 99,400 × 0.64 = 80,384, against 100,000 − 44,400 × 0.64
   * = 71,584 without it.
   */
  function called(lagMonths: number) {
    const input = baseInput({ capitalCall: { triggerRatio: 0.2, targetRatio: 0.25, lagMonths } });
    input.fund.initialCapital = 100_000;
    return project(scenario(input));
  }

  it('tops capital up to the target at the next period\'s start', () => {
    const p = called(0);
    const [y1, y2] = p.periods;
    expect(money(y1!.ledger.closing)).toBe('35000.00');
    expect(money(y1!.ledger.capitalCalls)).toBe('0.00');
    expect(money(y2!.ledger.capitalCalls)).toBe('55000.00');
    expect(money(y2!.ledger.opening.plus(y2!.ledger.capitalCalls))).toBe('90000.00');
    expect(money(y2!.ledger.closing)).toBe('99400.00');
    expect(p.runoff.every((r) => r.ledger.capitalCalls.isZero())).toBe(true);
    expect(money(p.summary.totalCapitalCalls)).toBe('55000.00');
    expect(money(p.summary.fiscalCost)).toBe('55600.00');
    expect(money(p.costing.horizon.pvFiscalCost)).toBe('80384.00');
    expect(p.costing.capitalCalls.map((c) => [c.label, money(c.amount)])).toEqual([['Y2', '55000.00']]);
  });

  it('without a call the PV fiscal cost is 71,584', () => {
    const input = baseInput();
    input.fund.initialCapital = 100_000;
    expect(money(project(scenario(input)).costing.horizon.pvFiscalCost)).toBe('71584.00');
  });

  it('a twelve-month lag pays the call a year later', () => {
    // Set when Y1 closes under the trigger, paid at the start of Y3 (a run-off year).
    const p = called(12);
    const rows = [...p.periods, ...p.runoff];
    expect(rows.map((r) => money(r.ledger.capitalCalls)).slice(0, 3)).toEqual(['0.00', '0.00', '55000.00']);
    expect(money(p.periods[1]!.ledger.closing)).toBe('44400.00');
    expect(money(p.costing.lifetime.capitalCalls)).toBe('55000.00');
    expect(money(p.costing.horizon.capitalCalls)).toBe('0.00');
  });
});
