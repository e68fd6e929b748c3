import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lenderTerms, lossShedBy, recoveryShares, segmentDecisions } from '../../src/core/lender.ts';
import { buildPlan } from '../../src/core/plan.ts';
import { project } from '../../src/core/projection.ts';
import { parseTornadoSpec, tornado } from '../../src/core/policy/sensitivity.ts';
import { loadPreset, PRESET_IDS } from '../../src/presets/index.ts';
import { scenario, stage, twoPeriodInput } from '../support/scenarios.ts';

/*
 * One founding-stage segment worked with mpmath (30 digits): PD 4 %, collateral worth 50 % of the
 * loan (0.35 after the 30 % haircut), LGD before collateral 0.6, so 0.25 after it. Lender: funds
 * at 5 %, costs 2 %, hurdle 1 %, rate cap 9.5 %, risk weights 75 % / 20 %, capital 10.5 % at a
 * 12 % cost; collateral required 1.2 × the uncovered part. Firms' assessed PDs and pledges are
 * lognormal with log-deviation 0.5 (so σ²/2 = 0.125); project returns normal, mean 15 %, sd 5 %.
 * The borrower pays a flat annual fee f on the guaranteed amount (no upfront fee).
 *
 * At coverage c:
 *   collateral test  1 − Φ((ln(1.2 (1 − c) / 0.35) + 0.125) / 0.5)
 *   lender's loss    0.25 (1 − c); capital charge (0.75 (1 − c) + 0.2 c) × 0.105 × 0.12
 *   rate test        θ = (0.095 − fixed) / (0.25 (1 − c)), Φ((ln(θ / 0.04) + 0.125) / 0.5)
 *   demand           1 − Φ((rate + c f − 0.15) / 0.05), rate = fixed + 0.04 × 0.25 (1 − c)
 *
 *   c     f      collateral      rate test       demand          take-up
 *   0.5   1.5 %  0.0920902095    0.9234840702    0.8485654005    0.0721652614
 *   0.5   3 %    0.0920902095    0.9234840702    0.8106515937    0.0689409256
 *   0.8   1.5 %  0.6930760424    0.9998817788    0.8512663411    0.5899225571
 *   0.8   3 %    0.6930760424    0.9998817788    0.7886888119    0.5465566982
 *   no guarantee: 0.0033209262 × 0.1768142091 × 0.8439917851 = 0.0004955810
 * The firms the lender accepts at c = 0.5 have a mean PD of 4 % × Φ((ln θ/PD − 0.125)/0.5) / rate test
 * = 0.0356705904.
 */
function segmentCase(coverage: number, fee: number) {
  const input = twoPeriodInput();
  input.guarantee = { coverageRatio: coverage, upfrontFee: [{ upTo: null, rate: 0 }], annualFee: [{ upTo: null, rate: fee }] };
  input.lender = {
    fundingCost: 0.05, operatingCost: 0.02, hurdleReturn: 0.01, requiredCollateralRatio: 1.2, collateralHaircut: 0.3, maxLendingRate: 0.095,
    riskWeight: 0.75, guaranteedRiskWeight: 0.2, capitalRatio: 0.105, costOfEquity: 0.12, riskDispersion: 0.5, collateralDispersion: 0.5,
  };
  input.stages = {
    founding: stage({ applicantsPerYear: 1000, tenorYears: 5, riskGrades: [{ share: 1, pd: 0.04 }], collateral: [{ share: 1, ratio: 0.5 }], projectReturn: { mean: 0.15, dispersion: 0.05 } }),
    growth: stage(), maturity: stage(), transformation: stage(),
  };
  return scenario(input);
}

describe('take-up is a share of a segment, worked with mpmath', () => {
  it.each([
    [0.5, 0.015, 0.0920902095, 0.9234840702, 0.8485654005, 0.0721652614],
    [0.5, 0.03, 0.0920902095, 0.9234840702, 0.8106515937, 0.0689409256],
    [0.8, 0.015, 0.6930760424, 0.9998817788, 0.8512663411, 0.5899225571],
    [0.8, 0.03, 0.6930760424, 0.9998817788, 0.7886888119, 0.5465566982],
  ])('coverage %f, fee %f', (c, f, collateral, rate, demand, takeUp) => {
    const s = segmentCase(c, f);
    const t = lenderTerms(s, s.stages.founding, 0.04, 0.5, c);
    expect(t.collateralPass).toBeCloseTo(collateral, 9);
    expect(t.ratePass).toBeCloseTo(rate, 9);
    expect(t.demand).toBeCloseTo(demand, 9);
    expect(t.takeUp).toBeCloseTo(takeUp, 9);
  });

  it('without a guarantee almost nobody in the segment borrows, and the accepted firms are the safer ones', () => {
    const s = segmentCase(0.5, 0.015);
    expect(lenderTerms(s, s.stages.founding, 0.04, 0.5, 0).takeUp).toBeCloseTo(0.000495581, 9);
    expect(lenderTerms(s, s.stages.founding, 0.04, 0.5, 0.5).poolPd).toBeCloseTo(0.0356705904, 9);
  });

  it('additional lending is the take-up the guarantee adds; substitution what would be lent anyway', () => {
    const [d] = segmentDecisions(segmentCase(0.8, 0.015)).filter((x) => x.stage === 'founding');
    expect(d!.additionalShare).toBeCloseTo(0.5899225571 - 0.000495581, 9);
    expect(d!.substitutedShare).toBeCloseTo(0.000495581, 9);
  });
});

describe('the fund\'s recovery on a collateralised default, by sharing rule', () => {
  /*
   * Balance 1, coverage 0.8, LGD before collateral 0.6, collateral 0.35 after its haircut: the loan
   * recovers ρ = 1 − (0.6 − 0.35) = 0.75; the loss to share is 0.25.
   *   pari passu: fund recovers 0.8 × 0.75 = 0.6, 75 % of its claim of 0.8, losing 0.2; the lender loses 0.05.
   *   lender first: the lender takes its 0.2 back in full, loses 0; the fund gets 0.55, 68.75 %, loses 0.25.
   *   fund first: the fund takes 0.75 of its 0.8, 93.75 %, loses 0.05; the lender gets nothing, loses 0.2.
   */
  it.each([
    ['pariPassu', 0.75, 0.05],
    ['lenderFirst', 0.6875, 0],
    ['fundFirst', 0.9375, 0.2],
  ] as const)('%s', (rule, fundRecovery, lenderLoss) => {
    const r = recoveryShares(rule, 0.75, 0.8);
    expect(r.fundRecovery).toBeCloseTo(fundRecovery, 12);
    expect(r.lenderLoss).toBeCloseTo(lenderLoss, 12);
  });

  it('the lender\'s and the fund\'s losses add up to the loan\'s loss, to the cent on any amount', () => {
    fc.assert(fc.property(
      fc.constantFrom('pariPassu', 'lenderFirst', 'fundFirst' as const),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 1, max: 10_000_000 }),
      (rule, rho, c, balance) => {
        const r = recoveryShares(rule, rho, c);
        const fundLoss = balance * c * (1 - r.fundRecovery);
        const lenderLoss = balance * r.lenderLoss;
        expect(Math.abs(fundLoss + lenderLoss - balance * (1 - rho))).toBeLessThan(0.005);
        expect(r.fundRecovery).toBeGreaterThanOrEqual(-1e-12);
        expect(r.lenderLoss).toBeGreaterThanOrEqual(-1e-12);
      },
    ));
  });

  it('the collateral model gives each stage the fund\'s share of its firms\' collateral', () => {
    const input = twoPeriodInput();
    (input.fund as Record<string, unknown>).recoveryModel = 'collateral';
    input.stages = { founding: stage({ collateral: [{ share: 1, ratio: 0.5 }], lgdBeforeCollateral: 0.6 }), growth: stage(), maturity: stage(), transformation: stage() };
    // Two-period example: 10 defaults at year end claim 80,000; pari passu at 80 % the fund recovers
    // 1 − (0.6 − 0.35) = 75 % of it, 60,000, a year later (instead of the flat 50 %).
    const p = project(scenario(input));
    expect(p.periods[1]!.ledger.recoveries.toFixed(2)).toBe('60000.00');
  });
});

describe('products as schemes define them', () => {
  it('a collateral-free product serves firms with nothing to pledge whenever the rate clears the cap', () => {
    fc.assert(fc.property(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true }), (c, pd) => {
      const input = twoPeriodInput();
      input.guarantee = { coverageRatio: c, collateralPolicy: 'none' };
      const s = scenario(input);
      const t = lenderTerms(s, s.stages.founding, pd, 0, c);
      expect(t.collateralPass).toBe(1);
      if (t.requiredRate <= s.lender.maxLendingRate) expect(t.takeUp).toBeGreaterThan(0);
    }));
  });

  it('the CGTMSE and EFG presets serve firms that pledge nothing', () => {
    for (const id of ['india-cgtmse', 'uk-efg']) {
      const s = loadPreset(id);
      const bare = segmentDecisions(s).filter((d) => s.stages[d.stage].collateral[d.collateralLevel]!.ratio === 0);
      expect(bare.length, id).toBeGreaterThan(0);
      for (const d of bare) expect(d.guaranteedShare, `${id} ${d.stage}`).toBeGreaterThan(0.1);
    }
  });

  it('a binding loss cap sheds less of the lender\'s loss, and so does a fee the lender pays', () => {
    const s = segmentCase(0.8, 0.015);
    // Expected claims of 10 % per unit lent against a 4 % cap: the fund takes at most 0.04 / 0.1 = 40 %.
    const capped = { ...s, guarantee: { ...s.guarantee, portfolioLossCap: 0.04 } };
    expect(lossShedBy(capped, s.stages.founding, 0.04, 0.35, 0.8, 0.1)).toBeCloseTo(0.4, 12);
    expect(lossShedBy(s, s.stages.founding, 0.04, 0.35, 0.8, 0.1)).toBeCloseTo(0.8, 12);
    // Lender pays 0.8 × 1.5 % = 1.2 % a year against an expected loss of 0.04 × 0.25 = 1 % a year: sheds nothing.
    const lenderPays = { ...s, guarantee: { ...s.guarantee, feePayer: 'lender' as const } };
    expect(lossShedBy(lenderPays, s.stages.founding, 0.04, 0.35, 0.8, 0.1)).toBe(0);
  });
});

describe('lending answers coverage and price', () => {
  const lending = (c: number, f: number, payer: 'borrower' | 'lender' = 'borrower') => {
    const s = segmentCase(c, f);
    const t = { ...s, guarantee: { ...s.guarantee, feePayer: payer } };
    return project(t).lending.find((l) => l.stage === 'founding')!.lendingWithScheme;
  };

  it('never falls when coverage rises with no fee and no moral hazard', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 0.95, noNaN: true }), fc.double({ min: 0.001, max: 0.05, noNaN: true }), (c, dc) => {
      expect(lending(c + dc, 0)).toBeGreaterThanOrEqual(lending(c, 0) - 1e-6);
    }), { numRuns: 60 });
  });

  it('never rises when the fee rises, whoever pays it', () => {
    fc.assert(fc.property(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.05, noNaN: true }), fc.double({ min: 0.0005, max: 0.02, noNaN: true }), fc.constantFrom('borrower', 'lender' as const), (c, f, df, payer) => {
      expect(lending(c, f + df, payer)).toBeLessThanOrEqual(lending(c, f, payer) + 1e-6);
    }), { numRuns: 60 });
  });

  it('moves with coverage and with the fee on the default preset (no step stands still)', () => {
    const s = loadPreset('default');
    const additional = (c: number, f: number) => project({ ...s, guarantee: { ...s.guarantee, coverageRatio: c, annualFee: [{ upTo: null, rate: f }] } }).summary.additionalLending.toNumber();
    expect(additional(0.96, 0.015)).toBeGreaterThan(additional(0.64, 0.015));
    expect(additional(0.8, 0.018)).toBeLessThan(additional(0.8, 0.012));
  });
});

describe('fees charged as schemes charge them, in the ledger', () => {
  /*
   * The two-period example (100 loans of 10,000 at the start of year 1, 80 % covered, linear over
   * two years, 10 defaults at each year's end) with a 2 % annual fee charged on the full
   * guaranteed amount in the first year: 2 % × 800,000 = 16,000 upfront (on top of the 1 % upfront
   * fee, 8,000), no annual fee in year 1, and in year 2 the fee on the outstanding guaranteed
   * amount as before, 2 % × 360,000 = 7,200.
   */
  it('the first year on the full guaranteed amount, the rest on the outstanding amount', () => {
    const input = twoPeriodInput();
    (input.guarantee as Record<string, unknown>).firstYearFeeOnGuaranteedAmount = true;
    const [y1, y2] = project(scenario(input)).periods;
    expect(y1!.ledger.upfrontFees.toFixed(2)).toBe('24000.00');
    expect(y1!.ledger.annualFees.toFixed(2)).toBe('0.00');
    expect(y2!.ledger.annualFees.toFixed(2)).toBe('7200.00');
  });

  /*
   * Risk-based fees: PD 10 % falls in the band above 5 %, charged 3 %: year 1's fee is
   * 3 % × 800,000 = 24,000 (2 % in the schedule is replaced).
   */
  it('a risk-based fee by PD band replaces the schedule', () => {
    const input = twoPeriodInput();
    (input.guarantee as Record<string, unknown>).annualFeeByPd = [{ upToPd: 0.05, rate: 0.01 }, { upToPd: null, rate: 0.03 }];
    expect(project(scenario(input)).periods[0]!.ledger.annualFees.toFixed(2)).toBe('24000.00');
  });

  /*
   * A claims-ratio adjustment: in year 1 claims of 80,000 on 800,000 of guarantees outstanding,
   * a claims ratio of 10 %, in the band "above 5 %: +50 %"; year 2's annual fee rises by half:
   * 1.5 × 7,200 = 10,800.
   */
  it('next year\'s fee follows this year\'s claims ratio', () => {
    const input = twoPeriodInput();
    (input.guarantee as Record<string, unknown>).claimsRatioAdjustment = [{ claimsRatioUpTo: 0.05, adjustment: -0.1 }, { claimsRatioUpTo: null, adjustment: 0.5 }];
    const [y1, y2] = project(scenario(input)).periods;
    expect(y1!.ledger.annualFees.toFixed(2)).toBe('16000.00');
    expect(y2!.ledger.annualFees.toFixed(2)).toBe('10800.00');
  });
});

describe('every preset answers coverage and the fee', () => {
  it.each(PRESET_IDS)('%s: the tornado of additional lending shows a swing for coverage and for the annual fee', (id) => {
    const s = loadPreset(id);
    const spec = parseTornadoSpec({ indicator: 'additionalLending', parameters: [{ path: 'guarantee.coverageRatio' }, { path: 'guarantee.annualFee.0.rate' }] }, s);
    if (!spec.ok) throw new Error(JSON.stringify(spec.issues));
    const bars = tornado(s, spec.value).bars;
    for (const path of ['guarantee.coverageRatio', 'guarantee.annualFee.0.rate']) {
      // Where risk-based fees by PD band override the schedule, the analysis moves the bands.
      expect(Math.abs(bars.find((b) => b.path === path)!.swing ?? 0), `${id} ${path}`).toBeGreaterThan(0);
    }
  });
});

describe('a fee subsidy lowers the price borrowers see', () => {
  /*
   * The segment above at coverage 0.5 and a 3 % fee, 1,000 applicants a year. The government pays
   * half the fee for 5 loan-years of the 5-year loans originated in year 1: borrowers see 1.5 %,
   * so year 1's take-up is the 1.5 % case's, 0.0721652614 (1,000 × that = 72.17 guaranteed loans),
   * and year 2's the 3 % case's, 0.0689409256.
   */
  it('loans originated in the subsidy\'s years are taken up at the lower price', () => {
    const s = segmentCase(0.5, 0.03);
    const subsidised = scenario({ ...s, origination: { mode: 'behavioural' }, support: { feeSubsidy: { share: 0.5, loanYears: 5, fromYear: 1, toYear: 1 } } });
    const plan = buildPlan(subsidised);
    const founding = (t: number) => plan.demand[(t * 4 + 0) * plan.grades]!;
    expect(founding(0)).toBeCloseTo(1000 * 0.0721652614, 6);
    expect(founding(1)).toBeCloseTo(1000 * 0.0689409256, 6);
  });
});
