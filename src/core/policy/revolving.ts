/**
 * Option (c) of the budget comparison: a direct revolving loan fund. The budget is lent to the
 * target firms at a set rate; repayments, interest and recoveries come back as cash and are lent
 * again. Money out on loan is not available until it is repaid.
 *
 * Lending capacity, set either way:
 *  - continuously: in each period the fund lends from the cash it holds at the period's start
 *    (less that period's share of the fixed administrative budget), so with monthly periods
 *    money repaid in March is lent again in April;
 *  - once a year: at the start of each year the fund sets the year's lending budget to the cash
 *    it holds then, less the year's fixed administrative budget, and lends no more than that in
 *    the year; money repaid during the year waits for the next year's budget (as spreadsheet
 *    models of revolving funds do).
 * Demand is a number of loans per year (the target firms, or a series given year by year); the
 * fund makes no more loans than its capacity pays the principal and the per-loan cost of.
 *
 * Ledger per period (money, rounded to the cent in decimal):
 *   cash' = cash + principal repaid + interest + recoveries + interest on idle cash
 *           − disbursed − administrative costs
 *   outstanding' = outstanding + disbursed − principal repaid − write-offs − recoveries
 * Administrative costs = rate × period length × outstanding after the period's disbursements
 * + cost per new loan + fixed yearly budget × period length. Idle cash (cash after the period's
 * lending) earns the idle-cash rate × period length. The fund may overdraw its cash to pay its
 * costs: the shortfall is public money too, and shows as a negative balance.
 *
 * Lifetime view (basis.ts): after the horizon the fund makes no new loans; its loans run off,
 * with their administrative costs (the rate, and the fixed budget while loans are outstanding)
 * and interest on its idle cash, and the cash left at the end goes back to the public, as the
 * guarantee fund's capital does.
 */
import { msg } from '../../i18n/translate.ts';
import { z } from 'zod';
import { cents, type Money, ZERO } from '../money.ts';
import { demandInYear, discountFactor, publicAccount, type PublicAccount } from './basis.ts';
import { count, money, positiveMoney, rate, share, tenor, type DocumentedDefault } from './fields.ts';
import { AMORTISATIONS, emptyRunOff, LoanBook, lifePeriods, periodDefaultProbability, type Amortisation } from './loanbook.ts';

export const CAPACITY_MODES = ['continuous', 'annual'] as const;
export type CapacityMode = (typeof CAPACITY_MODES)[number];

export const RevolvingFundOptionSchema = z.object({
  enabled: z.boolean({ error: 'must be true or false' }).default(true).describe(msg('Include the direct revolving loan fund in the comparison')),
  lendingRate: rate(msg('Interest rate the fund charges the firms, per year on the outstanding balance'), 0, 1).default(0.08),
  adminCostRate: rate(msg('Administrative cost per year as a fraction of the loans outstanding'), 0, 0.5).default(0.03),
  adminCostFixedPerYear: money(msg('Fixed administrative budget per year (staff, premises), paid whatever the fund lends')).default(0),
  costPerLoan: money(msg('Administrative cost of making one loan (appraisal, processing)')).default(0),
  idleCashRate: rate(msg('Interest per year earned on cash the fund holds and has not lent; null = the base scenario’s investment yield (0 without one)'), -0.05, 0.3).nullable().default(null),
  capacity: z.enum(CAPACITY_MODES, { error: 'must be continuous or annual' }).default('continuous')
    .describe(msg('Lending capacity: from the cash held at the start of each period (continuous), or a budget set once a year from the cash at the start of the year (annual)')),
  demandByYear: z.array(count(msg('Loans demanded in a year'), 1e8), { error: 'must be a list of numbers of loans, one per year' }).min(1, { error: 'needs at least one year' }).max(30, { error: 'at most 30 years' })
    .nullable().default(null).describe(msg('Loans demanded year by year (the last value repeats); null = the target firms per year, growing at their rate')),
  loanSize: positiveMoney(msg('Principal of one loan; null = the target segment’s loan size')).nullable().default(null),
  tenorYears: tenor(msg('Loan tenor in years (rounded to whole periods); null = the target segment’s tenor')).nullable().default(null),
  amortisation: z.enum(AMORTISATIONS, { error: 'must be annuity, linear or bullet' }).default('annuity')
    .describe(msg('Repayment: equal payments of principal and interest (annuity), equal principal instalments (linear), or all at the end (bullet)')),
  defaultRate: share(msg('Annual probability that a borrower defaults; null = the target segment’s PD')).nullable().default(null),
  lossGivenDefault: share(msg('Share of a defaulted balance lost (the rest is recovered); null = the target segment’s LGD')).nullable().default(null),
}).prefault({});

export type RevolvingFundOption = z.output<typeof RevolvingFundOptionSchema>;

/** Where each default of the option comes from (sources in docs/sources.md). */
export const REVOLVING_FUND_DEFAULTS: Readonly<Record<string, DocumentedDefault>> = {
  lendingRate: { value: 0.08, basis: 'illustrative', note: msg('a concessional public lending rate; no primary source') },
  adminCostRate: { value: 0.03, basis: 'illustrative', note: msg('administrative cost of a public body lending directly; no primary source') },
  adminCostFixedPerYear: { value: 0, basis: 'illustrative', note: msg('no fixed budget beyond the rate on outstanding; set one to model a fund with its own staff') },
  costPerLoan: { value: 0, basis: 'illustrative', note: msg('no per-loan cost beyond the rate on outstanding') },
  idleCashRate: { value: null, basis: 'derived', note: msg('the base scenario’s investment yield: idle cash earns what the guarantee fund’s capital earns') },
  capacity: { value: 'continuous', basis: 'illustrative', note: msg('money repaid is lent again in the next period; “annual” sets a lending budget once a year from the cash at its start') },
  demandByYear: { value: null, basis: 'derived', note: msg('the target firms per year, one loan each: the same firms as the other options') },
  loanSize: { value: null, basis: 'derived', note: msg('the target segment’s loan size: the same loan as the guarantee fund’s') },
  tenorYears: { value: null, basis: 'derived', note: msg('the target segment’s tenor') },
  amortisation: { value: 'annuity', basis: 'illustrative', note: msg('equal monthly payments, the usual schedule of a term loan') },
  defaultRate: { value: null, basis: 'derived', note: msg('the target segment’s PD: the same default assumptions as the guarantee fund') },
  lossGivenDefault: { value: null, basis: 'derived', note: msg('the target segment’s LGD before collateral: the fund takes no collateral') },
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
  readonly adminCostFixedPerYear: number;
  readonly costPerLoan: number;
  readonly idleCashRate: number;
  readonly capacity: CapacityMode;
  readonly annualPd: number;
  readonly lossGivenDefault: number;
  /** Loans demanded in each year of the horizon (the last value repeats if the series is shorter). */
  readonly demandByYear: readonly number[];
  /** Discount rate of the comparison, per year. */
  readonly discountRate: number;
}

export interface RevolvingFundYear {
  readonly year: number;
  readonly openingCash: Money;
  /** Continuous: cash at the year's start less the fixed budget of its first period (cash repaid during the year is lent again in its later periods). Annual: the year's lending budget. */
  readonly lendingCapacity: Money;
  readonly loansDemanded: number;
  readonly loansDisbursed: number;
  /** Loans demanded that the fund had no capacity for. */
  readonly loansRationed: number;
  readonly amountDisbursed: Money;
  readonly principalRepaid: Money;
  readonly interestReceived: Money;
  readonly recoveries: Money;
  readonly idleCashInterest: Money;
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
export const REVOLVING_CASH_INFLOWS = ['principalRepaid', 'interestReceived', 'recoveries', 'idleCashInterest'] as const;
export const REVOLVING_CASH_OUTFLOWS = ['amountDisbursed', 'adminCosts'] as const;

/** The books run off after the horizon (the lifetime view). */
export interface RevolvingRunOff {
  readonly years: number;
  readonly principalRepaid: Money;
  readonly interestReceived: Money;
  readonly recoveries: Money;
  readonly writeOffs: Money;
  readonly idleCashInterest: Money;
  readonly adminCosts: Money;
  /** Cash at the end of the run-off: what goes back to the public. */
  readonly cashAtEnd: Money;
}

export interface RevolvingFundLedger {
  readonly terms: RevolvingFundTerms;
  readonly years: readonly RevolvingFundYear[];
  readonly runOff: RevolvingRunOff;
  readonly account: PublicAccount;
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
  idleInterest: number;
  adminCosts: number;
  defaults: number;
  outstandingEnd: number;
  /** Budget in use after the period's lending: the loans outstanding, or the budget less the cash left idle when more (money lost counts as used). */
  inUse: number;
}

/** The fund's float state and one period's mechanics; the ledger and Monte Carlo both run it. */
class RevolvingFund {
  readonly book: LoanBook;
  readonly dt: number;
  readonly periods: number;
  readonly runOffPeriods: number;
  cash: number;
  /** What is left of the year's lending budget (annual capacity). */
  private yearBudget = 0;
  private readonly runOff = emptyRunOff();

  constructor(readonly terms: RevolvingFundTerms) {
    this.dt = 1 / terms.periodsPerYear;
    this.periods = terms.horizonYears * terms.periodsPerYear;
    const life = lifePeriods(terms.tenorYears, terms.periodsPerYear);
    this.runOffPeriods = life - 1;
    this.book = new LoanBook({ loanSize: terms.loanSize, lifePeriods: life, amortisation: terms.amortisation, ratePerPeriod: terms.lendingRate * this.dt }, this.periods + life);
    this.cash = terms.capital;
  }

  /** One period; after the horizon (t ≥ periods) no new loans are made. */
  step(t: number, annualPd: number, f: Flows): void {
    const T = this.terms;
    const inHorizon = t < this.periods;
    const fixed = T.adminCostFixedPerYear * this.dt;
    const perLoan = T.loanSize + T.costPerLoan;
    if (inHorizon && T.capacity === 'annual' && t % T.periodsPerYear === 0) this.yearBudget = Math.max(0, this.cash - T.adminCostFixedPerYear);
    const available = Math.max(0, this.cash - fixed);
    f.capacity = !inHorizon ? 0 : T.capacity === 'annual' ? Math.min(this.yearBudget, available) : available;
    f.demanded = inHorizon ? demandInYear(T.demandByYear, Math.floor(t / T.periodsPerYear)) * this.dt : 0;
    // A loan costs its principal plus its processing cost: the fund commits no more than its capacity to both.
    f.loans = perLoan > 0 ? Math.min(f.demanded, f.capacity / perLoan) : 0;
    f.disbursed = f.loans * T.loanSize;
    if (T.capacity === 'annual') this.yearBudget = Math.max(0, this.yearBudget - f.loans * perLoan);
    if (f.loans > 0) this.book.disburse(t, f.loans);
    const outstanding = this.book.outstanding(t);
    const booksOpen = inHorizon || outstanding > 0;
    f.adminCosts = T.adminCostRate * this.dt * outstanding + T.costPerLoan * f.loans + (booksOpen ? fixed : 0);
    const idle = Math.max(0, this.cash - f.disbursed - T.costPerLoan * f.loans);
    // In use: on loan, or lost (the budget less what the fund still holds, when that is more).
    f.inUse = Math.max(outstanding, T.capital - idle);
    f.idleInterest = T.idleCashRate * this.dt * idle;
    const r = this.runOff;
    this.book.runOff(t, periodDefaultProbability(annualPd, this.dt), T.lendingRate * this.dt, r);
    f.interest = r.interest;
    f.principal = r.principalRepaid;
    f.defaultedBalance = r.defaultedBalance;
    f.recoveries = r.defaultedBalance * (1 - T.lossGivenDefault);
    f.defaults = r.defaults;
    f.outstandingEnd = this.book.outstanding(t + 1);
    this.cash += f.principal + f.interest + f.recoveries + f.idleInterest - f.disbursed - f.adminCosts;
  }
}

const emptyFlows = (): Flows => ({
  capacity: 0, demanded: 0, loans: 0, disbursed: 0, interest: 0, principal: 0, defaultedBalance: 0, recoveries: 0, idleInterest: 0, adminCosts: 0, defaults: 0, outstandingEnd: 0, inUse: 0,
});

const pdOf = (terms: RevolvingFundTerms, pdByYear: readonly number[] | undefined, year: number) => pdByYear?.[Math.min(year, pdByYear.length - 1)] ?? terms.annualPd;

/**
 * The fund's yearly ledger in decimal, its run-off after the horizon and its public account.
 * `pdByYear` (one annual PD per year) replaces the constant PD, as the Monte Carlo does with
 * PDs conditional on the business cycle; its last value holds in the run-off.
 */
export function simulateRevolvingFund(terms: RevolvingFundTerms, pdByYear?: readonly number[]): RevolvingFundLedger {
  const fund = new RevolvingFund(terms);
  const f = emptyFlows();
  const years: RevolvingFundYear[] = [];
  let cash = cents(terms.capital);
  let outstanding: Money = ZERO;
  let peakInUse = 0;
  for (let y = 0; y < terms.horizonYears; y++) {
    const openingCash = cash;
    const openingOutstanding = outstanding;
    const sum = { disbursed: ZERO, principal: ZERO, interest: ZERO, recoveries: ZERO, idle: ZERO, writeOffs: ZERO, admin: ZERO };
    let demanded = 0;
    let loans = 0;
    let defaults = 0;
    let capacity = 0;
    for (let p = 0; p < terms.periodsPerYear; p++) {
      const t = y * terms.periodsPerYear + p;
      fund.cash = cash.toNumber();
      fund.step(t, pdOf(terms, pdByYear, y), f);
      if (p === 0) capacity = f.capacity;
      peakInUse = Math.max(peakInUse, f.inUse);
      const disbursed = cents(f.disbursed);
      const recoveries = cents(f.recoveries);
      const writeOffs = cents(f.defaultedBalance).minus(recoveries);
      const closingOutstanding = cents(f.outstandingEnd);
      // Principal repaid is what closes the book to its balance: the loan ledger then holds to the cent.
      const principal = outstanding.plus(disbursed).minus(writeOffs).minus(recoveries).minus(closingOutstanding);
      const interest = cents(f.interest);
      const idle = cents(f.idleInterest);
      const admin = cents(f.adminCosts);
      cash = cash.plus(principal).plus(interest).plus(recoveries).plus(idle).minus(disbursed).minus(admin);
      outstanding = closingOutstanding;
      sum.disbursed = sum.disbursed.plus(disbursed);
      sum.principal = sum.principal.plus(principal);
      sum.interest = sum.interest.plus(interest);
      sum.recoveries = sum.recoveries.plus(recoveries);
      sum.idle = sum.idle.plus(idle);
      sum.writeOffs = sum.writeOffs.plus(writeOffs);
      sum.admin = sum.admin.plus(admin);
      demanded += f.demanded;
      loans += f.loans;
      defaults += f.defaults;
    }
    years.push({
      year: y + 1,
      openingCash,
      lendingCapacity: cents(capacity),
      loansDemanded: demanded,
      loansDisbursed: loans,
      loansRationed: Math.max(0, demanded - loans),
      amountDisbursed: sum.disbursed,
      principalRepaid: sum.principal,
      interestReceived: sum.interest,
      recoveries: sum.recoveries,
      idleCashInterest: sum.idle,
      writeOffs: sum.writeOffs,
      adminCosts: sum.admin,
      closingCash: cash,
      openingOutstanding,
      outstandingPrincipal: outstanding,
      defaults,
      valueLeft: cash.plus(outstanding),
    });
  }

  // Lifetime view: the loans run off with no new lending; the cash left at the end goes back to the public.
  const H = terms.horizonYears;
  const last = { principal: ZERO, interest: ZERO, recoveries: ZERO, idle: ZERO, writeOffs: ZERO, admin: ZERO };
  let runOffEnd = fund.periods;
  for (let t = fund.periods; t < fund.periods + fund.runOffPeriods && outstanding.greaterThan(0); t++) {
    fund.cash = cash.toNumber();
    fund.step(t, pdOf(terms, pdByYear, H - 1), f);
    const recoveries = cents(f.recoveries);
    const writeOffs = cents(f.defaultedBalance).minus(recoveries);
    const closingOutstanding = cents(f.outstandingEnd);
    const principal = outstanding.minus(writeOffs).minus(recoveries).minus(closingOutstanding);
    const interest = cents(f.interest);
    const idle = cents(f.idleInterest);
    const admin = cents(f.adminCosts);
    cash = cash.plus(principal).plus(interest).plus(recoveries).plus(idle).minus(admin);
    last.principal = last.principal.plus(principal);
    last.interest = last.interest.plus(interest);
    last.recoveries = last.recoveries.plus(recoveries);
    last.idle = last.idle.plus(idle);
    last.writeOffs = last.writeOffs.plus(writeOffs);
    last.admin = last.admin.plus(admin);
    outstanding = closingOutstanding;
    runOffEnd = t + 1;
  }
  const pvReturned = cash.toNumber() * discountFactor(terms.discountRate, runOffEnd / terms.periodsPerYear);
  const runOffYears = (runOffEnd - fund.periods) / terms.periodsPerYear;
  return {
    terms,
    years,
    runOff: {
      years: runOffYears,
      principalRepaid: last.principal,
      interestReceived: last.interest,
      recoveries: last.recoveries,
      writeOffs: last.writeOffs,
      idleCashInterest: last.idle,
      adminCosts: last.admin,
      cashAtEnd: cash,
    },
    account: publicAccount(terms.capital, pvReturned, runOffYears, peakInUse, terms.capital),
  };
}

/** Cash plus loans outstanding at the horizon, in float: the Monte Carlo's measure of what is left. */
export function revolvingFundValueAtHorizon(terms: RevolvingFundTerms, pdByYear?: readonly number[]): number {
  const fund = new RevolvingFund(terms);
  const f = emptyFlows();
  for (let t = 0; t < fund.periods; t++) fund.step(t, pdOf(terms, pdByYear, Math.floor(t / terms.periodsPerYear)), f);
  return fund.cash + f.outstandingEnd;
}
