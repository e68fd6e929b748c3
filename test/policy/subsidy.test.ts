import { describe, expect, it } from 'vitest';
import { simulateInterestSubsidy, subsidisedLending, type InterestSubsidyTerms } from '../../src/core/policy/subsidy.ts';
import { scenario, stage, twoPeriodInput } from '../support/scenarios.ts';

const terms: InterestSubsidyTerms = {
  budget: 100_000,
  horizonYears: 5,
  periodsPerYear: 1,
  subsidyRate: 0.03,
  loanSize: 10_000,
  tenorYears: 2,
  amortisation: 'linear',
  loansPerYear: 50,
  applicantGrowthRate: 0,
  bankRate: 0.1,
  discountRate: 0,
};

describe('interest subsidy worked by hand', () => {
  /*
   * 3 points on the balance at each year's start, loans of 10,000 over 2 years (balances
   * 10,000 then 5,000): 300 + 150 = 450 per loan over its life, committed when it is enrolled.
   * Y1: uncommitted 100,000 → all 50 loans (22,500 committed). Paid 50 × 300 = 15,000;
   *     cash 85,000; still owed 50 × 150 = 7,500; value left 77,500.
   * Y2: uncommitted 85,000 − 7,500 = 77,500 → 50 loans. Paid 50 × 150 + 50 × 300 = 22,500;
   *     cash 62,500; owed 7,500; value left 55,000.
   * Y3: uncommitted 55,000 → 50. Paid 22,500; cash 40,000; owed 7,500; left 32,500.
   * Y4: uncommitted 32,500 → 50. Paid 22,500; cash 17,500; owed 7,500; left 10,000.
   * Y5: uncommitted 10,000 → 10,000 / 450 = 22.222 loans. Paid 7,500 + 22.222 × 300 =
   *     14,166.67; cash 3,333.33; owed 22.222 × 150 = 3,333.33; value left 0.
   */
  const l = simulateInterestSubsidy(terms);

  it('commits 450 per loan', () => {
    expect(l.lifetimeSubsidyPerLoan.toFixed(2)).toBe('450.00');
  });

  it('enrols loans while the uncommitted budget covers their lifetime subsidy', () => {
    expect(l.years.map((y) => y.loansSubsidised)).toEqual([50, 50, 50, 50, 10_000 / 450].map((x) => expect.closeTo(x, 9)));
    expect(l.years[4]!.loansRationed).toBeCloseTo(50 - 10_000 / 450, 9);
  });

  it('pays, holds and owes what the hand calculation says', () => {
    expect(l.years.map((y) => y.subsidyPaid.toFixed(2))).toEqual(['15000.00', '22500.00', '22500.00', '22500.00', '14166.67']);
    expect(l.years.map((y) => y.closingCash.toFixed(2))).toEqual(['85000.00', '62500.00', '40000.00', '17500.00', '3333.33']);
    expect(l.years.map((y) => y.commitments.toFixed(2))).toEqual(['7500.00', '7500.00', '7500.00', '7500.00', '3333.33']);
    expect(l.years.map((y) => y.valueLeft.toFixed(2))).toEqual(['77500.00', '55000.00', '32500.00', '10000.00', '0.00']);
  });

  it('new commitments are lifetime subsidy of the loans enrolled: 22,500 a year, then 10,000', () => {
    expect(l.years.map((y) => y.newCommitments.toFixed(2))).toEqual(['22500.00', '22500.00', '22500.00', '22500.00', '10000.00']);
  });
});

describe('which bank loans a subsidy brings (lender rule, docs/model.md §3)', () => {
  /*
   * One risk grade, PD 5 %, LGD 50 %; half the firms pledge collateral worth 2 × the loan
   * (1.4 after the 30 % haircut, above the 1.2 required), half pledge nothing.
   * For the collateralised half the lender's loss given default is max(0, 0.5 − 1.4) = 0 and
   * its required rate is funding 5 % + operating 2 % + capital charge 0.75 × 0.105 × 0.12 =
   * 0.945 % + hurdle 1 % = 8.945 %. The other half has a collateral gap a subsidy cannot close.
   */
  const base = (maxLendingRate: number) => scenario({
    ...twoPeriodInput(),
    lender: { fundingCost: 0.05, maxLendingRate },
    stages: {
      founding: stage({ applicantsPerYear: 100, riskGrades: [{ share: 1, pd: 0.05 }], collateral: [{ share: 0.5, ratio: 2 }, { share: 0.5, ratio: 0 }], lgdBeforeCollateral: 0.5 }),
      growth: stage(), maturity: stage(), transformation: stage(),
    },
  });

  it('with the rate under the cap anyway, the subsidy goes to loans made anyway (no additionality)', () => {
    const r = subsidisedLending(base(0.1), 'founding', 0.03);
    expect(r.takeUpShare).toBeCloseTo(0.5, 12);
    expect(r.additionalShare).toBe(0);
    expect(r.bankRate).toBeCloseTo(0.08945, 12);
  });

  it('with a 7 % rate cap, 3 points bring the 8.945 % loans under it: they become additional', () => {
    const r = subsidisedLending(base(0.07), 'founding', 0.03);
    expect(r.takeUpShare).toBeCloseTo(0.5, 12);
    expect(r.additionalShare).toBeCloseTo(1, 12);
    // 1 point is not enough: 7.945 % is still above the cap.
    expect(subsidisedLending(base(0.07), 'founding', 0.01).takeUpShare).toBe(0);
  });
});
