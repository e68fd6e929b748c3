/**
 * Option (c) of the budget comparison: a direct revolving loan fund. The budget is lent to the
 * target firms at a set rate; repayments, interest and recoveries come back as cash and are lent
 * again. Money out on loan is not available until it is repaid, so what the fund can lend in a
 * period is the cash it holds at the period's start (DOMAIN.md §6 asks what the same public
 * budget buys; the fund's lending capacity is its cash, not a multiple of it as for a guarantee).
 *
 * Ledger per period (money, rounded to the cent in decimal):
 *   cash' = cash + principal repaid + interest + recoveries − disbursed − administrative costs
 *   outstanding' = outstanding + disbursed − principal repaid − write-offs − recoveries
 * Administrative costs = rate × period length × outstanding after the period's disbursements
 * + cost per new loan; the fund makes no more loans than its cash pays the principal and the
 * per-loan cost of. Idle cash earns nothing.
 */
import { z } from 'zod';
import { cents, Decimal, type Money, ZERO } from '../money.ts';
import { money, positiveMoney, rate, share, tenor, type DocumentedDefault } from './fields.ts';
import { emptyRunOff, LoanBook, lifePeriods, periodDefaultProbability, type Amortisation } from './loanbook.ts';

export const RevolvingFundOptionSchema = z.object({
  enabled: z.boolean({ error: 'must be true or false' }).default(true).describe('Include the direct revolving loan fund in the comparison'),
  lendingRate: rate('Interest rate the fund charges the firms, per year on the outstanding balance', 0, 1).default(0.08),
  adminCostRate: rate('Administrative cost per year as a fraction of the loans outstanding', 0, 0.5).default(0.03),
  costPerLoan: money('Administrative cost of making one loan (appraisal, processing)').default(0),
  loanSize: positiveMoney('Principal of one loan; null = the target segment’s loan size').nullable().default(null),
  tenorYears: tenor('Loan tenor in years (rounded to whole periods); null = the target segment’s tenor').nullable().default(null),
  amortisation: z.enum(['linear', 'bullet'], { error: 'must be linear or bullet' }).default('linear')
    .describe('Repayment: equal principal instalments every period (linear) or all at the end (bullet)'),
  defaultRate: share('Annual probability that a borrower defaults; null = the target segment’s PD').nullable().default(null),
  lossGivenDefault: share('Share of a defaulted balance lost (the rest is recovered); null = the target segment’s LGD').nullable().default(null),
}).prefault({});

export type RevolvingFundOption = z.output<typeof RevolvingFundOptionSchema>;

/** Where each default of the option comes from (DOMAIN.md sections cited). */
export const REVOLVING_FUND_DEFAULTS: Readonly<Record<string, DocumentedDefault>> = {
  lendingRate: { value: 0.08, basis: 'illustrative', note: 'a concessional public lending rate; no primary source' },
  adminCostRate: { value: 0.03, basis: 'illustrative', note: 'administrative cost of a public body lending directly; no primary source' },
  costPerLoan: { value: 0, basis: 'illustrative', note: 'no per-loan cost beyond the rate on outstanding' },
  loanSize: { value: null, basis: 'derived', note: 'the target segment’s loan size: the same firms as the other options (DOMAIN.md §6)' },
  tenorYears: { value: null, basis: 'derived', note: 'the target segment’s tenor' },
  amortisation: { value: 'linear', basis: 'illustrative', note: 'equal principal instalments' },
  defaultRate: { value: null, basis: 'derived', note: 'the target segment’s PD: the same default assumptions as the guarantee fund where they apply (issue 5; DOMAIN.md §6)' },
  lossGivenDefault: { value: null, basis: 'derived', note: 'the target segment’s LGD before collateral: the fund takes no collateral' },
};

/** Every input of the revolving fund, resolved to numbers. */
export interface RevolvingFundTerms {
  /** Cash the fund starts with: the budget. */
  readonly capital: number;
  readonly horizonYears: number;
  readonly periodsPerYear: number;
  readonly loanSize: number;
  readonly tenorYears: number;
  readonly amortisation: Amortisation;
  readonly lendingRate: number;
  readonly adminCostRate: number;
  readonly costPerLoan: number;
  readonly annualPd: number;
  readonly lossGivenDefault: number;
  /** Target firms applying in year 1; one loan each. */
  readonly firmsPerYear: number;
  readonly applicantGrowthRate: number;
}

export interface RevolvingFundYear {
  readonly year: number;
  readonly openingCash: Money;
  /** Cash available to lend at the start of the year; with sub-annual periods, cash that comes back during the year is lent again in its later periods. */
  readonly lendingCapacity: Money;
  readonly loansDemanded: number;
  readonly loansDisbursed: number;
  /** Loans demanded that the fund had no cash for. */
  readonly loansRationed: number;
  readonly amountDisbursed: Money;
  readonly principalRepaid: Money;
  readonly interestReceived: Money;
  readonly recoveries: Money;
  readonly writeOffs: Money;
  readonly adminCosts: Money;
  readonly closingCash: Money;
  readonly openingOutstanding: Money;
  readonly outstandingPrincipal: Money;
  readonly defaults: number;
  /** Cash plus loans outstanding at face value: what the public still holds. */
  readonly valueLeft: Money;
}

/** Cash ledger lines: openingCash + Σ inflows − Σ outflows = closingCash. */
export const REVOLVING_CASH_INFLOWS = ['principalRepaid', 'interestReceived', 'recoveries'] as const;
export const REVOLVING_CASH_OUTFLOWS = ['amountDisbursed', 'adminCosts'] as const;

export interface RevolvingFundLedger {
  readonly terms: RevolvingFundTerms;
  readonly years: readonly RevolvingFundYear[];
}

interface Flows {
  capacity: number;
  demanded: number;
  loans: number;
  disbursed: number;
  interest: number;
  principal: number;
  defaultedBalance: number;
  recoveries: number;
  adminCosts: number;
  defaults: number;
  outstandingEnd: number;
}

/** The fund's float state and one period's mechanics; the ledger and Monte Carlo both run it. */
class RevolvingFund {
  readonly book: LoanBook;
  readonly dt: number;
  readonly periods: number;
  cash: number;
  private readonly runOff = emptyRunOff();

  constructor(readonly terms: RevolvingFundTerms) {
    this.dt = 1 / terms.periodsPerYear;
    this.periods = terms.horizonYears * terms.periodsPerYear;
    this.book = new LoanBook({ loanSize: terms.loanSize, lifePeriods: lifePeriods(terms.tenorYears, terms.periodsPerYear), amortisation: terms.amortisation }, this.periods);
    this.cash = terms.capital;
  }

  step(t: number, annualPd: number, f: Flows): void {
    const T = this.terms;
    const year = Math.floor(t / T.periodsPerYear);
    f.capacity = Math.max(0, this.cash);
    f.demanded = T.firmsPerYear * Math.pow(1 + T.applicantGrowthRate, year) * this.dt;
    // A loan costs its principal plus its processing cost: the fund commits no more than its cash to both.
    f.loans = T.loanSize > 0 ? Math.min(f.demanded, f.capacity / (T.loanSize + T.costPerLoan)) : 0;
    f.disbursed = f.loans * T.loanSize;
    this.book.disburse(t, f.loans);
    f.adminCosts = T.adminCostRate * this.dt * this.book.outstanding(t) + T.costPerLoan * f.loans;
    const r = this.runOff;
    this.book.runOff(t, periodDefaultProbability(annualPd, this.dt), T.lendingRate * this.dt, r);
    f.interest = r.interest;
    f.principal = r.principalRepaid;
    f.defaultedBalance = r.defaultedBalance;
    f.recoveries = r.defaultedBalance * (1 - T.lossGivenDefault);
    f.defaults = r.defaults;
    f.outstandingEnd = this.book.outstanding(t + 1);
    this.cash += f.principal + f.interest + f.recoveries - f.disbursed - f.adminCosts;
  }
}

const emptyFlows = (): Flows => ({ capacity: 0, demanded: 0, loans: 0, disbursed: 0, interest: 0, principal: 0, defaultedBalance: 0, recoveries: 0, adminCosts: 0, defaults: 0, outstandingEnd: 0 });

const pdOf = (terms: RevolvingFundTerms, pdByYear: readonly number[] | undefined, year: number) => pdByYear?.[year] ?? terms.annualPd;

/**
 * The fund's yearly ledger in decimal. `pdByYear` (one annual PD per year) replaces the
 * constant PD, as the Monte Carlo does with PDs conditional on the business cycle.
 */
export function simulateRevolvingFund(terms: RevolvingFundTerms, pdByYear?: readonly number[]): RevolvingFundLedger {
  const fund = new RevolvingFund(terms);
  const f = emptyFlows();
  const years: RevolvingFundYear[] = [];
  let cash = cents(terms.capital);
  let outstanding: Money = ZERO;
  for (let y = 0; y < terms.horizonYears; y++) {
    const openingCash = cash;
    const openingOutstanding = outstanding;
    const sum = { disbursed: ZERO, principal: ZERO, interest: ZERO, recoveries: ZERO, writeOffs: ZERO, admin: ZERO };
    let demanded = 0;
    let loans = 0;
    let defaults = 0;
    for (let p = 0; p < terms.periodsPerYear; p++) {
      const t = y * terms.periodsPerYear + p;
      fund.cash = cash.toNumber();
      fund.step(t, pdOf(terms, pdByYear, y), f);
      const disbursed = cents(f.disbursed);
      const recoveries = cents(f.recoveries);
      const writeOffs = cents(f.defaultedBalance).minus(recoveries);
      const closingOutstanding = cents(f.outstandingEnd);
      // Principal repaid is what closes the book to its balance: the loan ledger then holds to the cent.
      const principal = outstanding.plus(disbursed).minus(writeOffs).minus(recoveries).minus(closingOutstanding);
      const interest = cents(f.interest);
      const admin = cents(f.adminCosts);
      cash = cash.plus(principal).plus(interest).plus(recoveries).minus(disbursed).minus(admin);
      outstanding = closingOutstanding;
      sum.disbursed = sum.disbursed.plus(disbursed);
      sum.principal = sum.principal.plus(principal);
      sum.interest = sum.interest.plus(interest);
      sum.recoveries = sum.recoveries.plus(recoveries);
      sum.writeOffs = sum.writeOffs.plus(writeOffs);
      sum.admin = sum.admin.plus(admin);
      demanded += f.demanded;
      loans += f.loans;
      defaults += f.defaults;
    }
    years.push({
      year: y + 1,
      openingCash,
      lendingCapacity: Decimal.max(openingCash, ZERO),
      loansDemanded: demanded,
      loansDisbursed: loans,
      loansRationed: Math.max(0, demanded - loans),
      amountDisbursed: sum.disbursed,
      principalRepaid: sum.principal,
      interestReceived: sum.interest,
      recoveries: sum.recoveries,
      writeOffs: sum.writeOffs,
      adminCosts: sum.admin,
      closingCash: cash,
      openingOutstanding,
      outstandingPrincipal: outstanding,
      defaults,
      valueLeft: cash.plus(outstanding),
    });
  }
  return { terms, years };
}

/** Cash plus loans outstanding at the horizon, in float: the Monte Carlo's measure of what is left. */
export function revolvingFundValueAtHorizon(terms: RevolvingFundTerms, pdByYear?: readonly number[]): number {
  const fund = new RevolvingFund(terms);
  const f = emptyFlows();
  for (let t = 0; t < fund.periods; t++) fund.step(t, pdOf(terms, pdByYear, Math.floor(t / terms.periodsPerYear)), f);
  return fund.cash + f.outstandingEnd;
}
