import { describe, expect, it } from 'vitest';
import { project, type Projection } from '../../src/core/projection.ts';
import { breakEvenFee, breakEvenFees, FEE_TOLERANCE } from '../../src/core/solvers.ts';
import { scenario, stage, twoPeriodInput } from '../support/scenarios.ts';

/** Amounts as the ledger and the costing report them: decimals to the cent. */
const money = (x: { toFixed(dp: number): string }) => x.toFixed(2);

/**
 * Two cohorts worked by hand, at a discount rate of 25 % so that every discount factor is an
 * exact decimal: DF(1) = 0.8, DF(2) = 0.64, DF(3) = 0.512, DF(4) = 0.4096.
 *
 * Year 1: 100 founding-stage loans of 10,000 (PD 10 %); year 2: 100 growth-stage loans of 5,000
 * (PD 20 %). Both linear over two years with one instalment a year, originated at the start of
 * the year, defaults at its end, 80 % coverage, claims paid at once, half of each claim
 * recovered a year later. Upfront fee 1 %, annual fee 2 % of outstanding guarantees, operating
 * costs 0.5 % of outstanding guarantees, no investment income, no counter-guarantee.
 */
function twoCohortInput(overrides: { discountRate?: number; capitalCostRate?: number | null; investmentYield?: number } = {}) {
  return {
    schemaVersion: 1,
    name: 'Two cohorts to maturity',
    horizonYears: 2,
    period: 'annual',
    timing: { origination: 'start', amortisation: 'linear', instalmentsPerYear: 1, defaults: 'end', investmentIncomeBasis: 'opening' },
    origination: { mode: 'direct', volumes: { founding: [1_000_000, 0], growth: [0, 500_000], maturity: [0], transformation: [0] } },
    fund: {
      initialCapital: 500_000,
      investmentYield: overrides.investmentYield ?? 0,
      operatingCosts: { fixedPerYear: 0, shareOfOutstanding: 0.005, perNewGuarantee: 0 },
      leverageCap: 10,
      minCapitalRatio: 0,
      claimLagMonths: 0,
      claimLockInMonths: 0,
      recoveryRate: 0.5,
      recoveryLagMonths: 12,
      counterGuarantee: { share: 0, premiumRate: 0 },
    },
    guarantee: { coverageRatio: 0.8, upfrontFee: [{ upTo: null, rate: 0.01 }], annualFee: [{ upTo: null, rate: 0.02 }] },
    lender: { fundingCost: 0.05 },
    stages: {
      founding: stage({ loanSize: 10_000, tenorYears: 2, riskGrades: [{ share: 1, pd: 0.1 }] }),
      growth: stage({ loanSize: 5_000, tenorYears: 2, riskGrades: [{ share: 1, pd: 0.2 }] }),
      maturity: stage(),
      transformation: stage(),
    },
    costing: { discountRate: overrides.discountRate ?? 0.25, capitalCostRate: overrides.capitalCostRate ?? null },
    monteCarlo: {},
  };
}

/*
 * Cash flows, by hand.
 *
 * Cohort 1 (founding, originated at the start of year 1): guaranteed 100 × 10,000 × 0.8 = 800,000.
 *   Y1: 10 defaults on the full balance: claims 10 × 10,000 × 0.8 = 80,000, recovery 40,000 in Y2.
 *       Average outstanding guaranteed 800,000 (defaults at the year's end): annual fee 16,000,
 *       upfront fee 8,000, costs 4,000. After the instalment 90 loans × 5,000.
 *   Y2: 9 defaults on 5,000: claims 9 × 5,000 × 0.8 = 36,000, recovery 18,000 in Y3.
 *       Average outstanding 90 × 5,000 × 0.8 = 360,000: fee 7,200, costs 1,800. Then repaid.
 * Cohort 2 (growth, originated at the start of year 2): guaranteed 100 × 5,000 × 0.8 = 400,000.
 *   Y2: 20 defaults: claims 20 × 5,000 × 0.8 = 80,000, recovery 40,000 in Y3. Fee 8,000,
 *       upfront 4,000, costs 2,000. After the instalment 80 loans × 2,500 = 200,000 (160,000 guaranteed).
 *   Y3: 16 defaults on 2,500: claims 32,000, recovery 16,000 in Y4. Average outstanding
 *       80 × 2,500 × 0.8 = 160,000: fee 3,200, costs 800.
 *
 * Ledger (capital 500,000 at the start):
 *   Y1: 500,000 + 8,000 + 16,000 − 80,000 − 4,000                          = 440,000
 *   Y2: 440,000 + 4,000 + 15,200 + 40,000 − 116,000 − 3,800                = 379,400  (horizon)
 *   Y3: 379,400 + 3,200 + 58,000 − 32,000 − 800                             = 407,800
 *   Y4: 407,800 + 16,000                                                    = 423,800  (last payment)
 * Cash fiscal cost: horizon 500,000 − 379,400 = 120,600; lifetime 500,000 − 423,800 = 76,200
 * (= claims 228,000 − recoveries 114,000 − fees 46,400 + costs 8,600).
 */
describe('two cohorts to maturity, worked by hand', () => {
  const p: Projection = project(scenario(twoCohortInput()));

  it('runs the book off to the last recovery and no further', () => {
    expect(p.periods.map((r) => r.label)).toEqual(['Y1', 'Y2']);
    expect(p.runoff.map((r) => r.label)).toEqual(['Y3', 'Y4']);
    expect(p.costing.horizon.years).toBe(2);
    expect(p.costing.lifetime.years).toBe(4);
  });

  it('cash flows of every year, horizon and run-off', () => {
    const rows = [...p.periods, ...p.runoff].map((r) => r.ledger);
    const line = (k: 'upfrontFees' | 'annualFees' | 'claimsPaid' | 'recoveries' | 'operatingCosts' | 'closing') => rows.map((l) => money(l[k]));
    expect(line('upfrontFees')).toEqual(['8000.00', '4000.00', '0.00', '0.00']);
    expect(line('annualFees')).toEqual(['16000.00', '15200.00', '3200.00', '0.00']);
    expect(line('claimsPaid')).toEqual(['80000.00', '116000.00', '32000.00', '0.00']);
    expect(line('recoveries')).toEqual(['0.00', '40000.00', '58000.00', '16000.00']);
    expect(line('operatingCosts')).toEqual(['4000.00', '3800.00', '800.00', '0.00']);
    expect(line('closing')).toEqual(['440000.00', '379400.00', '407800.00', '423800.00']);
    expect(p.runoff.every((r) => r.newGuaranteed.isZero() && r.newLoans === 0)).toBe(true);
    expect(money(p.periods[1]!.outstandingGuaranteed)).toBe('160000.00');
    expect(money(p.runoff[1]!.outstandingGuaranteed)).toBe('0.00');
  });

  /*
   * Cohort PVs at the start of the cohort's year (flows at period ends).
   * Cohort 1 (base 1):
   *   claims      80,000 × 0.8 + 36,000 × 0.64            = 64,000 + 23,040 = 87,040
   *   recoveries  40,000 × 0.64 + 18,000 × 0.512          = 25,600 +  9,216 = 34,816
   *   fees        (8,000 + 16,000) × 0.8 + 7,200 × 0.64   = 19,200 +  4,608 = 23,808
   *   costs       4,000 × 0.8 + 1,800 × 0.64              =  3,200 +  1,152 =  4,352
   *   subsidy cost 87,040 − 34,816 − 23,808 = 28,416; rate 28,416 / 800,000 = 3.552 %
   *   expected lifetime loss (116,000 − 58,000) / 800,000 = 7.25 %
   * Cohort 2 (base DF 0.8: one year later, the same factors 0.8, 0.64, 0.512):
   *   claims      80,000 × 0.8 + 32,000 × 0.64            = 64,000 + 20,480 = 84,480
   *   recoveries  40,000 × 0.64 + 16,000 × 0.512          = 25,600 +  8,192 = 33,792
   *   fees        (4,000 + 8,000) × 0.8 + 3,200 × 0.64    =  9,600 +  2,048 = 11,648
   *   costs       2,000 × 0.8 + 800 × 0.64                =  1,600 +    512 =  2,112
   *   subsidy cost 84,480 − 33,792 − 11,648 = 39,040; rate 39,040 / 400,000 = 9.76 %
   *   expected lifetime loss (112,000 − 56,000) / 400,000 = 14 %
   */
  it('each cohort over its life: nominal flows, present values, subsidy rate', () => {
    const [c1, c2] = p.costing.cohorts;
    expect(p.costing.cohorts).toHaveLength(2);

    expect(c1!.year).toBe(1);
    expect(c1!.loans).toBeCloseTo(100, 9);
    expect(money(c1!.guaranteed)).toBe('800000.00');
    expect(money(c1!.claims)).toBe('116000.00');
    expect(money(c1!.recoveries)).toBe('58000.00');
    expect(money(c1!.fees)).toBe('31200.00');
    expect(money(c1!.feeSubsidies)).toBe('0.00');
    expect(money(c1!.operatingCosts)).toBe('5800.00');
    expect(money(c1!.pvClaims)).toBe('87040.00');
    expect(money(c1!.pvRecoveries)).toBe('34816.00');
    expect(money(c1!.pvFees)).toBe('23808.00');
    expect(money(c1!.pvOperatingCosts)).toBe('4352.00');
    expect(money(c1!.subsidyCost)).toBe('28416.00');
    expect(c1!.subsidyRate).toBeCloseTo(0.03552, 12);
    expect(money(c1!.costWithOperatingCosts)).toBe('32768.00');
    expect(c1!.expectedLifetimeLoss).toBeCloseTo(0.0725, 12);

    expect(c2!.year).toBe(2);
    expect(c2!.loans).toBeCloseTo(100, 9);
    expect(money(c2!.guaranteed)).toBe('400000.00');
    expect(money(c2!.claims)).toBe('112000.00');
    expect(money(c2!.recoveries)).toBe('56000.00');
    expect(money(c2!.fees)).toBe('15200.00');
    expect(money(c2!.operatingCosts)).toBe('2800.00');
    expect(money(c2!.pvClaims)).toBe('84480.00');
    expect(money(c2!.pvRecoveries)).toBe('33792.00');
    expect(money(c2!.pvFees)).toBe('11648.00');
    expect(money(c2!.pvOperatingCosts)).toBe('2112.00');
    expect(money(c2!.subsidyCost)).toBe('39040.00');
    expect(c2!.subsidyRate).toBeCloseTo(0.0976, 12);
    expect(money(c2!.costWithOperatingCosts)).toBe('41152.00');
    expect(c2!.expectedLifetimeLoss).toBeCloseTo(0.14, 12);
  });

  /*
   * Programme, at the start of year 1: subsidy cost 28,416 + 0.8 × 39,040 = 59,648 on a PV of
   * amounts guaranteed 800,000 + 0.8 × 400,000 = 1,120,000: rate 5.3257 %. With operating costs
   * 32,768 + 0.8 × 41,152 = 65,689.60. Per firm (200 firms, none borrowing twice): 298.24.
   */
  it('programme totals', () => {
    const g = p.costing.programme;
    expect(money(g.subsidyCost)).toBe('59648.00');
    expect(g.subsidyRate).toBeCloseTo(59_648 / 1_120_000, 12);
    expect(money(g.costWithOperatingCosts)).toBe('65689.60');
    expect(p.summary.firmsSupported).toBeCloseTo(200, 9);
    expect(money(g.perFirm!)).toBe('298.24');
  });

  /*
   * Horizon view (capital charged at the discount rate, 25 % a year):
   *   PV fiscal cost = 500,000 − 379,400 × 0.64 = 500,000 − 242,816 = 257,184.
   *   Economic cost = PV(private net outflows) + PV(capital charge) − PV(investment income):
   *     outflows Y1 80,000 + 4,000 − 24,000 = 60,000 (× 0.8 = 48,000);
   *              Y2 116,000 + 3,800 − 40,000 − 19,200 = 60,600 (× 0.64 = 38,784);
   *     capital charge Y1 500,000 × 0.25 × 0.8 = 100,000; Y2 440,000 × 0.25 × 0.64 = 70,400;
   *     48,000 + 38,784 + 170,400 = 257,184, the PV fiscal cost, as it must be.
   * Lifetime view:
   *   PV fiscal cost = 500,000 − 423,800 × 0.4096 = 500,000 − 173,588.48 = 326,411.52.
   *   Economic: outflows Y3 32,000 + 800 − 58,000 − 3,200 = −28,400 (× 0.512 = −14,540.80);
   *     Y4 −16,000 (× 0.4096 = −6,553.60); capital charge Y3 379,400 × 0.25 × 0.512 = 48,563.20,
   *     Y4 407,800 × 0.25 × 0.4096 = 41,758.72, in all 260,721.92;
   *     48,000 + 38,784 − 14,540.80 − 6,553.60 + 260,721.92 = 326,411.52.
   */
  it('horizon and lifetime views: cash, PV and economic cost', () => {
    const h = p.costing.horizon;
    expect(money(h.publicMoney)).toBe('500000.00');
    expect(money(h.capitalLeft)).toBe('379400.00');
    expect(money(h.cashFiscalCost)).toBe('120600.00');
    expect(money(p.summary.fiscalCost)).toBe('120600.00');
    expect(money(h.pvFiscalCost)).toBe('257184.00');
    expect(money(h.forgoneReturnOnCapital)).toBe('170400.00');
    expect(money(h.investmentIncome)).toBe('0.00');
    expect(money(h.economicCost)).toBe('257184.00');

    const l = p.costing.lifetime;
    expect(money(l.capitalLeft)).toBe('423800.00');
    expect(money(l.cashFiscalCost)).toBe('76200.00');
    expect(money(l.pvFiscalCost)).toBe('326411.52');
    expect(money(l.forgoneReturnOnCapital)).toBe('260721.92');
    expect(money(l.economicCost)).toBe('326411.52');
    // 326,411.52 / 200 firms.
    expect(money(l.economicCostPerFirm!)).toBe('1632.06');
    expect(l.capitalCalls.isZero() && l.stateCompensation.isZero() && l.feeSubsidies.isZero()).toBe(true);
  });

  /*
   * At the horizon: 160,000 still guaranteed (cohort 2's second year); every claim on defaults
   * so far is paid; recoveries still to come 18,000 (cohort 1, Y2) + 40,000 (cohort 2, Y2) = 58,000.
   */
  it('what is left on the books at the horizon', () => {
    const v = p.costing.provision;
    expect(money(v.outstandingGuaranteed)).toBe('160000.00');
    expect(money(v.claimsIncurredNotPaid)).toBe('0.00');
    expect(money(v.recoveriesReceivable)).toBe('58000.00');
  });

  it('the expected loss on the book at the horizon, undiscounted: 32,000 of claims less half recovered', () => {
    // At a zero rate timing does not matter: Y3's defaults cost 32,000 × (1 − 0.5) = 16,000,
    // all of it within twelve months of the horizon.
    const v = project(scenario(twoCohortInput({ discountRate: 0 }))).costing.provision;
    expect(money(v.lifetimeExpectedLoss)).toBe('16000.00');
    expect(money(v.twelveMonthExpectedLoss)).toBe('16000.00');
  });

  /*
   * Capital valued at 10 % a year instead of the discount rate: the charge is 10 % of the
   * capital held through each year, discounted at 25 % from the year's end.
   *   Horizon: 0.1 × (500,000 × 0.8 + 440,000 × 0.64) = 0.1 × 681,600 = 68,160;
   *            economic cost 48,000 + 38,784 + 68,160 = 154,944.
   *   Lifetime: + 0.1 × (379,400 × 0.512 + 407,800 × 0.4096) = 0.1 × 361,287.68 = 36,128.768;
   *             forgone 104,288.768 → 104,288.77;
   *             economic 48,000 + 38,784 − 14,540.80 − 6,553.60 + 104,288.768 = 169,978.368 → 169,978.37.
   * The PV fiscal cost does not depend on the capital charge: still 257,184 and 326,411.52.
   */
  it('capital charged at its own rate', () => {
    const c = project(scenario(twoCohortInput({ capitalCostRate: 0.1 }))).costing;
    expect(money(c.horizon.forgoneReturnOnCapital)).toBe('68160.00');
    expect(money(c.horizon.economicCost)).toBe('154944.00');
    expect(money(c.horizon.pvFiscalCost)).toBe('257184.00');
    expect(money(c.lifetime.forgoneReturnOnCapital)).toBe('104288.77');
    expect(money(c.lifetime.economicCost)).toBe('169978.37');
    expect(money(c.lifetime.pvFiscalCost)).toBe('326411.52');
  });

  /*
   * With 4 % investment income on opening capital (and capital still charged at 10 %):
   *   Y1 income 20,000:    closing 440,000 + 20,000                                   = 460,000
   *   Y2 income 18,400:    460,000 + 4,000 + 15,200 + 40,000 − 116,000 − 3,800 + 18,400 = 417,800
   *   Y3 income 16,712:    417,800 + 3,200 + 58,000 − 32,000 − 800 + 16,712          = 462,912
   *   Y4 income 18,516.48: 462,912 + 16,000 + 18,516.48                              = 497,428.48
   * Lifetime cash cost 500,000 − 497,428.48 = 2,571.52; PV fiscal cost
   * 500,000 − 497,428.48 × 0.4096 = 500,000 − 203,746.705408 = 296,253.29.
   * PV of income 20,000 × 0.8 + 18,400 × 0.64 + 16,712 × 0.512 + 18,516.48 × 0.4096
   *   = 16,000 + 11,776 + 8,556.544 + 7,584.350208 = 43,916.894208 → 43,916.89.
   * Capital charge 0.1 × (500,000 × 0.8 + 460,000 × 0.64 + 417,800 × 0.512 + 462,912 × 0.4096)
   *   = 0.1 × (400,000 + 294,400 + 213,913.6 + 189,608.7552) = 109,792.23552 → 109,792.24.
   * Economic cost 65,689.60 + 109,792.23552 − 43,916.894208 = 131,564.941312 → 131,564.94.
   * The cohorts' subsidy rates ignore investment income: unchanged.
   */
  it('investment income is netted against the charge on capital', () => {
    const q = project(scenario(twoCohortInput({ capitalCostRate: 0.1, investmentYield: 0.04 })));
    const closings = [...q.periods, ...q.runoff].map((r) => money(r.ledger.closing));
    expect(closings).toEqual(['460000.00', '417800.00', '462912.00', '497428.48']);
    const l = q.costing.lifetime;
    expect(money(l.cashFiscalCost)).toBe('2571.52');
    expect(money(l.pvFiscalCost)).toBe('296253.29');
    expect(money(l.investmentIncome)).toBe('43916.89');
    expect(money(l.forgoneReturnOnCapital)).toBe('109792.24');
    expect(money(l.economicCost)).toBe('131564.94');
    expect(money(q.costing.cohorts[0]!.subsidyCost)).toBe('28416.00');
    expect(money(q.costing.cohorts[1]!.subsidyCost)).toBe('39040.00');
  });
});

/*
 * Lifetime cost is not always above the horizon's, even with no fees or investment income:
 * recoveries on claims paid before the horizon come after it. The two cohorts without fees:
 *   Y1: 500,000 − 80,000 − 4,000 = 416,000; Y2: 416,000 + 40,000 − 116,000 − 3,800 = 336,200;
 *   Y3: 336,200 + 58,000 − 32,000 − 800 = 361,400; Y4: 361,400 + 16,000 = 377,400.
 * Horizon cash cost 163,800; lifetime 122,600 (the property test therefore has recoveries
 * arrive with their claims).
 */
describe('recoveries after the horizon', () => {
  it('can make the lifetime cash cost lower than the horizon\'s', () => {
    const input = twoCohortInput();
    input.guarantee = { coverageRatio: 0.8, upfrontFee: [{ upTo: null, rate: 0 }], annualFee: [{ upTo: null, rate: 0 }] };
    const c = project(scenario(input)).costing;
    expect(money(c.horizon.cashFiscalCost)).toBe('163800.00');
    expect(money(c.lifetime.cashFiscalCost)).toBe('122600.00');
  });
});

/*
 * A scheduled injection of 100,000 in year 2 is paid at the year's start: it changes no cash
 * cost (it stays in the fund) but costs its time in the fund in PV.
 *   Capital: Y2 379,400 + 100,000 = 479,400; Y4 523,800.
 *   Horizon PV 500,000 + 100,000 × 0.8 − 479,400 × 0.64 = 580,000 − 306,816 = 273,184.
 *   Lifetime PV 580,000 − 523,800 × 0.4096 = 580,000 − 214,548.48 = 365,451.52.
 */
describe('a scheduled injection', () => {
  it('is discounted from the start of its year', () => {
    const input = twoCohortInput();
    (input.fund as Record<string, unknown>).capitalInjections = [{ year: 2, amount: 100_000 }];
    const c = project(scenario(input)).costing;
    expect(money(c.horizon.capitalLeft)).toBe('479400.00');
    expect(money(c.horizon.cashFiscalCost)).toBe('120600.00');
    expect(money(c.horizon.pvFiscalCost)).toBe('273184.00');
    expect(money(c.horizon.economicCost)).toBe('273184.00');
    expect(money(c.lifetime.cashFiscalCost)).toBe('76200.00');
    expect(money(c.lifetime.pvFiscalCost)).toBe('365451.52');
    expect(money(c.lifetime.economicCost)).toBe('365451.52');
  });
});

/*
 * Expected loss of the book at the horizon: one vintage of 100 three-year bullet loans of
 * 10,000 (80 % covered, PD 10 %), claims and recoveries (half) at once, horizon one year.
 * 90 loans are left at the horizon. Y2: 9 defaults, claims 72,000, net loss 36,000; Y3: 8.1
 * defaults, claims 64,800, net loss 32,400. Discounted to the horizon (the end of Y1) at 25 %:
 * 36,000 × 0.8 = 28,800 within twelve months; + 32,400 × 0.64 = 20,736 over the life: 49,536.
 */
describe('expected loss of the book outstanding at the horizon', () => {
  const provision = (discountRate: number) => {
    const input = twoCohortInput({ discountRate });
    input.horizonYears = 1;
    input.timing.amortisation = 'bullet';
    input.origination.volumes.founding = [1_000_000];
    input.origination.volumes.growth = [0];
    input.fund.recoveryLagMonths = 0;
    input.stages.founding = stage({ loanSize: 10_000, tenorYears: 3, riskGrades: [{ share: 1, pd: 0.1 }] });
    return project(scenario(input)).costing.provision;
  };

  it('undiscounted: 36,000 within twelve months, 68,400 over the life', () => {
    const v = provision(0);
    expect(money(v.outstandingGuaranteed)).toBe('720000.00');
    expect(money(v.twelveMonthExpectedLoss)).toBe('36000.00');
    expect(money(v.lifetimeExpectedLoss)).toBe('68400.00');
  });

  it('at 25 %: 28,800 and 49,536', () => {
    const v = provision(0.25);
    expect(money(v.twelveMonthExpectedLoss)).toBe('28800.00');
    expect(money(v.lifetimeExpectedLoss)).toBe('49536.00');
  });
});

/*
 * Capital that only sits in the fund still costs the government its time value: with no
 * lending at all, PV fiscal cost = K (1 − (1 + r)^−H). It rises with the discount rate, so the
 * PV fiscal cost is not monotone in the rate in general (see the properties for when it is).
 */
describe('idle capital', () => {
  it.each([0, 0.03, 0.1])('K = 1,000,000 held three years at %f', (r) => {
    const input = twoCohortInput({ discountRate: r });
    input.horizonYears = 3;
    input.origination.volumes.founding = [0];
    input.origination.volumes.growth = [0];
    input.fund.initialCapital = 1_000_000;
    const c = project(scenario(input)).costing;
    const expected = 1_000_000 * (1 - Math.pow(1 + r, -3));
    expect(c.horizon.cashFiscalCost.toNumber()).toBe(0);
    expect(Math.abs(c.horizon.pvFiscalCost.toNumber() - expected)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(c.horizon.economicCost.toNumber() - expected)).toBeLessThanOrEqual(0.005);
  });
});

/**
 * Steady state of one-year bullet loans: every year 100 founding-stage loans of 10,000 start on
 * 1 January and default (PD) or repay on 31 December; 80 % coverage, so G = 800,000 a year.
 * The counter-guarantor takes a share s of every claim and of its recovery for a premium p a
 * year on its share of outstanding guarantees.
 */
interface Steady {
  pd: number; recovery: number; share: number; premium: number; upfront: number; fee: number; costs: number;
  claimLagMonths: number; recoveryLagMonths: number; investmentYield: number;
  discountRate: number | { years: number; rate: number }[];
}

function steadyState(v: Steady) {
  return scenario({
    schemaVersion: 1,
    name: 'one-year loans, steady state',
    horizonYears: 5,
    timing: { origination: 'start', amortisation: 'bullet', defaults: 'end', investmentIncomeBasis: 'opening' },
    origination: { mode: 'direct', volumes: { founding: [1_000_000], growth: [0], maturity: [0], transformation: [0] } },
    fund: {
      initialCapital: 200_000, investmentYield: v.investmentYield, leverageCap: 100, minCapitalRatio: 0,
      operatingCosts: { fixedPerYear: 0, shareOfOutstanding: v.costs, perNewGuarantee: 0 },
      claimLagMonths: v.claimLagMonths, recoveryRate: v.recovery, recoveryLagMonths: v.recoveryLagMonths,
      counterGuarantee: { share: v.share, premiumRate: v.premium },
    },
    guarantee: { coverageRatio: 0.8, upfrontFee: [{ upTo: null, rate: v.upfront }], annualFee: [{ upTo: null, rate: v.fee }] },
    lender: { fundingCost: 0.05 },
    stages: { founding: stage({ tenorYears: 1, riskGrades: [{ share: 1, pd: v.pd }] }), growth: stage(), maturity: stage(), transformation: stage() },
    costing: { discountRate: v.discountRate },
    monteCarlo: {},
  });
}

/** The curve below, by its own definition: 2 % to one year, 6 % from five, linear between. */
const CURVE = [{ years: 1, rate: 0.02 }, { years: 5, rate: 0.06 }];
const curveDf = (tau: number) => {
  const spot = tau <= 1 ? 0.02 : tau >= 5 ? 0.06 : 0.02 + ((tau - 1) / 4) * 0.04;
  return Math.pow(1 + spot, -tau);
};

describe('steady-state identities', () => {
  const base: Steady = {
    pd: 0.05, recovery: 0.4, share: 0.3, premium: 0.01, upfront: 0.005, fee: 0.015, costs: 0.004,
    claimLagMonths: 12, recoveryLagMonths: 12, investmentYield: 0, discountRate: CURVE,
  };

  /*
   * A cohort originated at the start of year y (τ = y − 1) pays, per unit guaranteed, its fees
   * u + f at τ = y; the claims PD, less the counter-guarantor's share, one year later (τ = y + 1);
   * their recovery R two years later (τ = y + 2). At the start of its year:
   *   subsidy rate = [(1 − s) PD (DF(y + 1) − R DF(y + 2)) − (u + f) DF(y)] / DF(y − 1),
   * and with operating costs and premiums (o + p s) DF(y) / DF(y − 1) more.
   */
  it('the subsidy rate of every cohort is the PV of its expected claims less recoveries and fees', () => {
    const { pd, recovery: R, share: s, premium: p, upfront: u, fee: f, costs: o } = base;
    const c = project(steadyState(base)).costing;
    expect(c.cohorts).toHaveLength(5);
    let pvCost = 0;
    let pvGuaranteed = 0;
    for (const cohort of c.cohorts) {
      const y = cohort.year;
      const rate = ((1 - s) * pd * (curveDf(y + 1) - R * curveDf(y + 2)) - (u + f) * curveDf(y)) / curveDf(y - 1);
      const withCosts = rate + ((o + p * s) * curveDf(y)) / curveDf(y - 1);
      expect(cohort.subsidyRate!).toBeCloseTo(rate, 10);
      expect(Math.abs(cohort.costWithOperatingCosts.toNumber() - withCosts * 800_000)).toBeLessThanOrEqual(0.005);
      expect(cohort.expectedLifetimeLoss!).toBeCloseTo((1 - s) * pd * (1 - R), 12);
      pvCost += rate * 800_000 * curveDf(y - 1);
      pvGuaranteed += 800_000 * curveDf(y - 1);
    }
    // The programme adds the cohorts' costs as reported, to the cent: a cent a cohort at most.
    expect(Math.abs(c.programme.subsidyCost.toNumber() - pvCost)).toBeLessThanOrEqual(0.025);
    expect(Math.abs(c.programme.subsidyRate! - pvCost / pvGuaranteed)).toBeLessThanOrEqual(0.025 / pvGuaranteed);
  });

  /*
   * Quarterly: each quarter 100 loans of 10,000 for one quarter (G = 800,000 a quarter), PD a
   * quarter p = 1 − (1 − PD)^¼, fee f/4 a quarter, claims and recoveries at once. A year's
   * cohort is its four quarters, each paying at its end, q/4 of a year after the cohort's start:
   *   subsidy rate = [(1 − s) p (1 − R) − u − f/4] × Σ_q (1 + r)^(−q/4) / 4.
   */
  it('quarterly: a year\'s cohort gathers its four quarters, each discounted from its own end', () => {
    const v: Steady = { ...base, claimLagMonths: 0, recoveryLagMonths: 0, discountRate: 0.05 };
    const s = { ...steadyState(v), period: 'quarterly' as const, horizonYears: 2 };
    s.stages = { ...s.stages, founding: { ...s.stages.founding, tenorYears: 0.25 } };
    const c = project(s).costing;
    const p = 1 - Math.pow(1 - v.pd, 0.25);
    const perQuarter = (1 - v.share) * p * (1 - v.recovery) - v.upfront - v.fee / 4;
    let annuity = 0;
    for (let q = 1; q <= 4; q++) annuity += Math.pow(1.05, -q / 4);
    expect(c.cohorts).toHaveLength(2);
    for (const cohort of c.cohorts) {
      expect(money(cohort.guaranteed)).toBe('3200000.00');
      expect(cohort.subsidyRate!).toBeCloseTo((perQuarter * annuity) / 4, 12);
    }
  });

  it('with claims and recoveries at once and a flat rate, every cohort costs (1 − s) PD (1 − R) − u − f, discounted one year', () => {
    const v: Steady = { ...base, claimLagMonths: 0, recoveryLagMonths: 0, discountRate: 0.05 };
    const c = project(steadyState(v)).costing;
    const rate = ((1 - v.share) * v.pd * (1 - v.recovery) - v.upfront - v.fee) / 1.05;
    for (const cohort of c.cohorts) expect(cohort.subsidyRate!).toBeCloseTo(rate, 12);
    // Cohorts' costs (761.90 each) are added as reported, to the cent.
    expect(Math.abs(c.programme.subsidyRate! - rate)).toBeLessThanOrEqual(0.005 / 800_000);
  });
});

/*
 * Break-even annual fee of the same steady state, lifetime basis (no investment income). Per
 * cohort and unit guaranteed, with d = 1/(1 + r): fees (u + f) d = costs and premiums (o + p s) d
 * + claims kept (1 − s) PD d² − their recovery (1 − s) R PD d³, so
 *   f* = o + p s − u + (1 − s) PD (d − R d²),
 * the same for every cohort, so for the programme. Claims and recoveries at once (d → 1 in the
 * bracket): f* = (1 − s) PD (1 − R) + o + p s − u, whatever the rate; counting investment income
 * y on capital E = 200,000 that the fee keeps constant, y E / G = y / 4 less.
 */
describe('break-even fee, lifetime bases, in closed form', () => {
  const base: Steady = {
    pd: 0.05, recovery: 0.4, share: 0.3, premium: 0.01, upfront: 0.005, fee: 0.015, costs: 0.004,
    claimLagMonths: 12, recoveryLagMonths: 12, investmentYield: 0, discountRate: 0.05,
  };

  it('claims a year after the fee and recoveries two: f* = o + p s − u + (1 − s) PD (d − R d²)', () => {
    const d = 1 / 1.05;
    const expected = base.costs + base.premium * base.share - base.upfront + (1 - base.share) * base.pd * (d - base.recovery * d * d);
    const result = breakEvenFee(steadyState(base), 'lifetime');
    expect(result.basis).toBe('lifetime');
    expect(result.fee).not.toBeNull();
    expect(Math.abs(result.fee! - expected)).toBeLessThanOrEqual(FEE_TOLERANCE);
    // At f* the cohorts' cost with operating costs is nil.
    const atFee = project(steadyState({ ...base, fee: expected })).costing;
    for (const c of atFee.cohorts) expect(Math.abs(c.costWithOperatingCosts.toNumber())).toBeLessThanOrEqual(0.01);
  });

  it('claims and recoveries at once: f* = (1 − s) PD (1 − R) + o + p s − u, less y/4 with investment income', () => {
    const v: Steady = { ...base, claimLagMonths: 0, recoveryLagMonths: 0, investmentYield: 0.03 };
    const expected = (1 - v.share) * v.pd * (1 - v.recovery) + v.costs + v.premium * v.share - v.upfront;
    const fees = breakEvenFees(steadyState(v));
    expect(Math.abs(fees.lifetime.fee! - expected)).toBeLessThanOrEqual(FEE_TOLERANCE);
    expect(Math.abs(fees.lifetimeWithInvestmentIncome.fee! - (expected - 0.03 / 4))).toBeLessThanOrEqual(FEE_TOLERANCE);
  });
});

/*
 * The lifetime view runs "until every claim and recovery of a loan issued before the horizon is
 * paid" (plan.ts). In the two-period example of ledger.test.ts the only vintage is year 1's
 * (year 2 lends nothing): its last payment is the 18,000 recovery in Y3. Y3 by hand:
 *   499,416 + recoveries 18,000 − passed to the reinsurer 9,000 − fixed costs 10,000
 *   + investment income 4 % × 499,416 = 19,976.64 → 518,392.64.
 * The run-off should stop there (lifetime cash cost 500,000 − 518,392.64 = −18,392.64). The plan
 * sizes the run-off from the horizon's last period whether or not it lent, so it also runs an
 * idle Y4 that adds 10,000 of fixed costs and 20,735.71 of investment income (capital left
 * 529,128.35), and discounts the capital left from a year later.
 */
describe('the lifetime view when the last years lend nothing', () => {
  it('ends with the last payment of the last vintage that lent', () => {
    const p = project(scenario(twoPeriodInput()));
    expect(p.runoff.map((r) => r.label)).toEqual(['Y3']);
    expect(p.costing.lifetime.years).toBe(3);
    expect(money(p.costing.lifetime.capitalLeft)).toBe('518392.64');
    expect(money(p.costing.lifetime.cashFiscalCost)).toBe('-18392.64');
  });
});
