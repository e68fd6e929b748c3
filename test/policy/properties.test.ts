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
const amortisation = fc.constantFrom('annuity' as const, 'linear' as const, 'bullet' as const);

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
  adminCostFixedPerYear: fc.integer({ min: 0, max: 500_000 }),
  costPerLoan: fc.integer({ min: 0, max: 2000 }),
  idleCashRate: frac(-0.05, 0.3),
  capacity: fc.constantFrom('continuous' as const, 'annual' as const),
  annualPd: frac(),
  lossGivenDefault: frac(),
  demandByYear: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 8 }),
  discountRate: frac(-0.05, 0.5),
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
      // The run-off's cash closes its own ledger from the horizon's cash.
      const horizon = l.years[l.years.length - 1]!;
      const ro = l.runOff;
      expectClean(ro);
      expect(horizon.closingCash.plus(ro.principalRepaid).plus(ro.interestReceived).plus(ro.recoveries).plus(ro.idleCashInterest).minus(ro.adminCosts).equals(ro.cashAtEnd)).toBe(true);
      expect(horizon.outstandingPrincipal.minus(ro.principalRepaid).minus(ro.writeOffs).minus(ro.recoveries).isZero()).toBe(true);
      expectClean(l.account);
      expect(l.account.pvCost.equals(l.account.pvPaidIn.minus(l.account.pvReturned))).toBe(true);
      expect(l.account.peakBudgetInUse.lessThanOrEqualTo(terms.capital)).toBe(true);
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
  loanSize: fc.integer({ min: 50, max: 100_000 }),
  tenorMonths: fc.integer({ min: 1, max: 36 }),
  amortisation,
  portfolioYield: frac(0, 1),
  operatingCostPerLoan: fc.integer({ min: 0, max: 500 }),
  operatingExpenseRatio: frac(0, 0.5),
  costOfFunds: frac(0, 0.3),
  maxDebtToEquity: frac(0, 10),
  idleCashRate: frac(-0.05, 0.3),
  applicantsPerYear: fc.integer({ min: 0, max: 200_000 }),
  applicantGrowthRate: frac(-0.5, 1),
  rejectionRate: frac(),
  retentionRate: frac(),
  annualPd: frac(),
  repeatAnnualPd: frac(),
  lossGivenDefault: frac(),
  discountRate: frac(-0.05, 0.5),
}).chain((t: MicrofinanceTerms) => fc.tuple(
  fc.constant(t),
  fc.option(fc.record({ first: fc.array(frac(), { minLength: t.horizonYears, maxLength: t.horizonYears }), repeat: fc.array(frac(), { minLength: t.horizonYears, maxLength: t.horizonYears }) }), { nil: undefined }),
));

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
        expect(y.newClients).toBeLessThanOrEqual(y.loansDisbursed + 1e-9);
        expect(y.newClients).toBeLessThanOrEqual(y.applicants - y.rejected + 1e-6 * (1 + y.applicants));
        prev = y;
      }
      expectClean(l.runOff);
      expectClean(l.account);
      expect(l.account.pvCost.equals(l.account.pvPaidIn.minus(l.account.pvReturned))).toBe(true);
      expect(l.account.peakBudgetInUse.lessThanOrEqualTo(terms.budget)).toBe(true);
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
  bankRate: frac(0, 0.3),
  discountRate: frac(-0.05, 0.5),
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
      // What is committed at the horizon is what is paid after it (each period's payment rounds to the cent).
      expect(Math.abs(l.paidAfterHorizon.minus(commitments).toNumber())).toBeLessThanOrEqual(0.01 * terms.periodsPerYear * 31);
      expectClean(l.account);
      expect(l.account.pvReturned.isZero()).toBe(true);
    }), { numRuns: 200 });
  });
});

describe('guarantee fund option ledger properties', () => {
  it('the yearly ledger of the fund balances to the cent for any scenario', () => {
    fc.assert(fc.property(scenarioArb, fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: 10 }), (s, budget, years) => {
      const g = guaranteeFundScenario(s, { kind: 'stage', stage: 'founding', unservedShare: null }, { budget, horizonYears: years, currency: 'EUR', seed: 1, cyclePersistence: 0.5, discountRate: 0.04 });
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
        expect(o.firmsReached).toBeLessThanOrEqual(o.loansMade * (1 + 1e-12) + 1e-9);
        for (const y of years) expect(y.firmsReached).toBeLessThanOrEqual(y.loansMade * (1 + 1e-12) + 1e-9);
        expect(o.budgetUsedShare).toBeGreaterThanOrEqual(0);
        expect(o.budgetUsedShare).toBeLessThanOrEqual(1);
        expect(o.pvCost.equals(o.pvPaidIn.minus(o.pvReturned))).toBe(true);
      }
    }), { numRuns: 100 });
  });
});

/**
 * More budget never reaches fewer firms, where that must hold: an interest subsidy always (each
 * loan's lifetime subsidy is committed from the budget); a revolving fund and an MFI whose loans
 * lose nothing and earn at least their running costs (every loan returns at least its principal,
 * so more money out now never means less to lend later).
 */
describe('more budget never reaches fewer firms', () => {
  const twoBudgets = fc.tuple(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 20_000_000 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const firms = (years: readonly { loansDisbursed?: number; loansSubsidised?: number; newClients?: number }[], key: 'loansDisbursed' | 'loansSubsidised' | 'newClients') =>
    years.reduce((a, y) => a + (y[key] ?? 0), 0);

  it('interest subsidy', () => {
    fc.assert(fc.property(subsidyArb, twoBudgets, (terms, [small, large]) => {
      const a = firms(simulateInterestSubsidy({ ...terms, budget: small }).years, 'loansSubsidised');
      const b = firms(simulateInterestSubsidy({ ...terms, budget: large }).years, 'loansSubsidised');
      expect(b).toBeGreaterThanOrEqual(a - 1e-6 * (1 + a));
    }), { numRuns: 150 });
  });

  it('revolving fund whose loans lose nothing and earn their running costs', () => {
    const arb = revolvingArb.map(([t]) => ({ ...t, annualPd: 0, costPerLoan: 0, adminCostFixedPerYear: 0, adminCostRate: Math.min(t.adminCostRate, t.lendingRate), idleCashRate: Math.max(0, t.idleCashRate) }));
    fc.assert(fc.property(arb, twoBudgets, (terms, [small, large]) => {
      const a = firms(simulateRevolvingFund({ ...terms, capital: small }).years, 'loansDisbursed');
      const b = firms(simulateRevolvingFund({ ...terms, capital: large }).years, 'loansDisbursed');
      expect(b).toBeGreaterThanOrEqual(a - 1e-6 * (1 + a));
    }), { numRuns: 150 });
  });

  it('MFI whose loans lose nothing and earn their running costs', () => {
    const arb = mfiArb.map(([t]) => ({
      ...t, funding: 'equity' as const, otherEquity: 0, annualPd: 0, repeatAnnualPd: 0, operatingCostPerLoan: 0, maxDebtToEquity: 0,
      operatingExpenseRatio: Math.min(t.operatingExpenseRatio, t.portfolioYield), idleCashRate: Math.max(0, t.idleCashRate),
    }));
    fc.assert(fc.property(arb, twoBudgets, (terms, [small, large]) => {
      const a = firms(simulateMicrofinance({ ...terms, budget: small }).years, 'newClients');
      const b = firms(simulateMicrofinance({ ...terms, budget: large }).years, 'newClients');
      expect(b).toBeGreaterThanOrEqual(a - 1e-6 * (1 + a));
    }), { numRuns: 150 });
  });
});
