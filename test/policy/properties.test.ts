/**
 * Properties of every ledger of the policy options, for any valid input: each balances to the
 * cent (opening + inflows − outflows = closing), one year's closing is the next one's opening,
 * the MFI's balance sheet holds (cash + loans = public loan + commercial debt + equity), and no
 * figure is NaN or infinite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBudget, parseBudgetComparison } from '../../src/core/policy/budget.ts';
import { guaranteeFundScenario, simulateGuaranteeFund } from '../../src/core/policy/guarantee.ts';
import {
  MFI_CASH_INFLOWS, MFI_CASH_OUTFLOWS, MFI_EQUITY_INFLOWS, MFI_EQUITY_OUTFLOWS, microfinanceValueAtHorizon, simulateMicrofinance, type MicrofinanceTerms,
} from '../../src/core/policy/microfinance.ts';
import { REVOLVING_CASH_INFLOWS, REVOLVING_CASH_OUTFLOWS, revolvingFundValueAtHorizon, simulateRevolvingFund, type RevolvingFundTerms } from '../../src/core/policy/revolving.ts';
import { simulateInterestSubsidy, type InterestSubsidyTerms } from '../../src/core/policy/subsidy.ts';
import { Decimal, type Money } from '../../src/core/money.ts';
import { INFLOWS, OUTFLOWS } from '../../src/core/projection.ts';
import { scenarioArb } from '../support/arbitraries.ts';

const frac = (min = 0, max = 1) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const ppy = fc.constantFrom(1, 4, 12);
const tenor = fc.constantFrom(1 / 12, 0.25, 0.5, 1, 1.5, 2, 3, 5);
const amortisation = fc.constantFrom('linear' as const, 'bullet' as const);

const sum = <T extends object>(row: T, keys: readonly (keyof T & string)[]): Money => keys.reduce((a, k) => a.plus(row[k] as unknown as Money), new Decimal(0));

/** Every Money field is a finite amount in whole cents; every number is finite. */
function expectClean(row: object): void {
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Decimal) {
      expect(v.isFinite(), k).toBe(true);
      expect(v.decimalPlaces(), k).toBeLessThanOrEqual(2);
    } else if (typeof v === 'number') expect(Number.isFinite(v), k).toBe(true);
  }
}

const pdPath = (years: number) => fc.option(fc.array(frac(), { minLength: years, maxLength: years }), { nil: undefined });

const revolvingArb = fc.record({
  capital: fc.integer({ min: 0, max: 100_000_000 }),
  horizonYears: fc.integer({ min: 1, max: 8 }),
  periodsPerYear: ppy,
  loanSize: fc.integer({ min: 100, max: 500_000 }),
  tenorYears: tenor,
  amortisation,
  lendingRate: frac(0, 0.3),
  adminCostRate: frac(0, 0.2),
  costPerLoan: fc.integer({ min: 0, max: 2000 }),
  annualPd: frac(),
  lossGivenDefault: frac(),
  firmsPerYear: fc.integer({ min: 0, max: 5000 }),
  applicantGrowthRate: frac(-0.5, 1),
}).chain((t: RevolvingFundTerms) => fc.tuple(fc.constant(t), pdPath(t.horizonYears)));

describe('revolving fund ledger properties', () => {
  it('cash and loan ledgers balance to the cent; nothing is NaN', () => {
    fc.assert(fc.property(revolvingArb, ([terms, pds]) => {
      const l = simulateRevolvingFund(terms, pds);
      let opening = new Decimal(terms.capital).toDecimalPlaces(2);
      for (const y of l.years) {
        expectClean(y);
        expect(y.openingCash.equals(opening)).toBe(true);
        expect(y.openingCash.plus(sum(y, REVOLVING_CASH_INFLOWS)).minus(sum(y, REVOLVING_CASH_OUTFLOWS)).equals(y.closingCash)).toBe(true);
        expect(y.openingOutstanding.plus(y.amountDisbursed).minus(y.principalRepaid).minus(y.writeOffs).minus(y.recoveries).equals(y.outstandingPrincipal)).toBe(true);
        expect(y.valueLeft.equals(y.closingCash.plus(y.outstandingPrincipal))).toBe(true);
        expect(y.loansDisbursed).toBeLessThanOrEqual(y.loansDemanded * (1 + 1e-12) + 1e-9);
        expect(y.writeOffs.isNegative()).toBe(false);
        opening = y.closingCash;
      }
      // The float path of the Monte Carlo agrees with the decimal ledger to within rounding.
      const value = revolvingFundValueAtHorizon(terms, pds);
      const last = l.years[l.years.length - 1]!.valueLeft.toNumber();
      expect(Math.abs(value - last)).toBeLessThanOrEqual(1e-6 * Math.max(terms.capital, Math.abs(last)) + 0.05 * terms.horizonYears * terms.periodsPerYear);
    }), { numRuns: 200 });
  });
});

const mfiArb = fc.record({
  budget: fc.integer({ min: 0, max: 100_000_000 }),
  funding: fc.constantFrom('equity' as const, 'loan' as const),
  concessionalRate: frac(0, 0.1),
  otherEquity: fc.integer({ min: 0, max: 10_000_000 }),
  horizonYears: fc.integer({ min: 1, max: 8 }),
  periodsPerYear: ppy,
  portfolioYield: frac(0, 1),
  operatingExpenseRatio: frac(0, 0.5),
  costOfFunds: frac(0, 0.3),
  maxDebtToEquity: frac(0, 10),
  loanSize: fc.integer({ min: 50, max: 100_000 }),
  tenorYears: tenor,
  amortisation,
  annualPd: frac(),
  lossGivenDefault: frac(),
  firmsPerYear: fc.integer({ min: 0, max: 200_000 }),
  applicantGrowthRate: frac(-0.5, 1),
}).chain((t: MicrofinanceTerms) => fc.tuple(fc.constant(t), pdPath(t.horizonYears)));

describe('microfinance ledger properties', () => {
  it('cash, equity, portfolio and debt ledgers balance to the cent; the balance sheet holds; nothing is NaN', () => {
    fc.assert(fc.property(mfiArb, ([terms, pds]) => {
      const l = simulateMicrofinance(terms, pds);
      let prev: (typeof l.years)[number] | null = null;
      for (const y of l.years) {
        expectClean(y);
        if (prev) {
          expect(y.openingCash.equals(prev.closingCash)).toBe(true);
          expect(y.openingEquity.equals(prev.closingEquity)).toBe(true);
          expect(y.openingPortfolio.equals(prev.grossLoanPortfolio)).toBe(true);
        }
        expect(y.openingCash.plus(sum(y, MFI_CASH_INFLOWS)).minus(sum(y, MFI_CASH_OUTFLOWS)).equals(y.closingCash)).toBe(true);
        expect(y.openingEquity.plus(sum(y, MFI_EQUITY_INFLOWS)).minus(sum(y, MFI_EQUITY_OUTFLOWS)).equals(y.closingEquity)).toBe(true);
        expect(y.openingPortfolio.plus(y.amountDisbursed).minus(y.principalRepaid).minus(y.writeOffs).minus(y.recoveries).equals(y.grossLoanPortfolio)).toBe(true);
        expect(y.openingCommercialDebt.plus(y.commercialDebtDrawn).minus(y.commercialDebtRepaid).equals(y.commercialDebt)).toBe(true);
        expect(y.openingPublicLoan.plus(y.publicLoanDrawn).equals(y.publicLoan)).toBe(true);
        expect(y.closingCash.plus(y.grossLoanPortfolio).equals(y.publicLoan.plus(y.commercialDebt).plus(y.closingEquity))).toBe(true);
        expect(y.profit.equals(y.closingEquity.minus(y.openingEquity).minus(y.equityInjected))).toBe(true);
        expect(y.commercialDebt.isNegative()).toBe(false);
        expect(y.valueLeft.isNegative()).toBe(false);
        prev = y;
      }
      expect(Number.isFinite(microfinanceValueAtHorizon(terms, pds))).toBe(true);
    }), { numRuns: 200 });
  });
});

const subsidyArb = fc.record({
  budget: fc.integer({ min: 0, max: 100_000_000 }),
  horizonYears: fc.integer({ min: 1, max: 8 }),
  periodsPerYear: ppy,
  subsidyRate: frac(0, 0.5),
  loanSize: fc.integer({ min: 100, max: 1_000_000 }),
  tenorYears: tenor,
  amortisation,
  loansPerYear: frac(0, 10_000),
  applicantGrowthRate: frac(-0.5, 1),
}) as fc.Arbitrary<InterestSubsidyTerms>;

describe('interest subsidy ledger properties', () => {
  it('cash and commitment ledgers balance to the cent; enrolment never commits more than the budget; nothing is NaN', () => {
    fc.assert(fc.property(subsidyArb, (terms) => {
      const l = simulateInterestSubsidy(terms);
      let opening = new Decimal(terms.budget).toDecimalPlaces(2);
      let commitments = new Decimal(0);
      for (const y of l.years) {
        expectClean(y);
        expect(y.openingCash.equals(opening)).toBe(true);
        expect(y.openingCommitments.equals(commitments)).toBe(true);
        expect(y.openingCash.minus(y.subsidyPaid).equals(y.closingCash)).toBe(true);
        expect(y.openingCommitments.plus(y.newCommitments).minus(y.subsidyPaid).equals(y.commitments)).toBe(true);
        expect(y.valueLeft.equals(y.closingCash.minus(y.commitments))).toBe(true);
        // Each period's two roundings may leave the budget a cent short at most.
        expect(y.valueLeft.toNumber()).toBeGreaterThanOrEqual(-0.01 * terms.periodsPerYear * y.year);
        opening = y.closingCash;
        commitments = y.commitments;
      }
    }), { numRuns: 200 });
  });
});

describe('guarantee fund option ledger properties', () => {
  it('the yearly ledger of the fund balances to the cent for any scenario', () => {
    fc.assert(fc.property(scenarioArb, fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: 10 }), (s, budget, years) => {
      const g = guaranteeFundScenario(s, { kind: 'stage', stage: 'founding', unservedShare: null }, { budget, horizonYears: years, currency: 'EUR', seed: 1, cyclePersistence: 0.5 });
      const l = simulateGuaranteeFund(g, 'founding');
      expect(l.years).toHaveLength(years);
      expect(l.summary.firmsSupportedByStage.growth + l.summary.firmsSupportedByStage.maturity + l.summary.firmsSupportedByStage.transformation).toBe(0);
      let opening = new Decimal(budget).toDecimalPlaces(2);
      for (const y of l.years) {
        expectClean(y);
        expect(y.ledger.opening.equals(opening)).toBe(true);
        expect(y.ledger.opening.plus(sum(y.ledger, INFLOWS)).minus(sum(y.ledger, OUTFLOWS)).equals(y.ledger.closing)).toBe(true);
        opening = y.ledger.closing;
      }
    }), { numRuns: 25 });
  });
});

describe('budget comparison properties', () => {
  const explicitArb = fc.record({
    budget: fc.integer({ min: 1, max: 50_000_000 }),
    horizonYears: fc.integer({ min: 1, max: 6 }),
    periodsPerYear: ppy,
    target: fc.record({
      kind: fc.constant('explicit'),
      firmsPerYear: fc.integer({ min: 0, max: 5000 }),
      loanSize: fc.integer({ min: 100, max: 200_000 }),
      tenorYears: tenor,
      annualPd: frac(),
      lossGivenDefault: frac(),
      unservedShare: frac(),
    }),
    guaranteeFund: fc.constant({ enabled: false }),
    interestSubsidy: fc.record({ enabled: fc.constant(true), bankRate: frac(0, 0.3), subsidyRate: frac(0, 0.1) }),
    microfinance: fc.record({ funding: fc.constantFrom('equity', 'loan'), maxDebtToEquity: frac(0, 5) }),
  });

  it('every figure of every option is finite, and fiscal cost = budget − value left', () => {
    fc.assert(fc.property(explicitArb, (input) => {
      const parsed = parseBudgetComparison(input);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const r = compareBudget(parsed.value);
      expect(r.options.map((o) => o.option)).toEqual(['microfinance', 'revolvingFund', 'interestSubsidy']);
      for (const o of r.options) {
        const { years, assumptions: _a, notes: _n, detail: _d, ...totals } = o;
        expectClean(totals);
        years.forEach(expectClean);
        expect(o.fiscalCost.equals(r.budget.minus(o.valueLeftAtHorizon))).toBe(true);
        expect(o.additionalCredit.lessThanOrEqualTo(o.creditVolume.plus(0.01 * years.length))).toBe(true);
      }
    }), { numRuns: 100 });
  });
});
