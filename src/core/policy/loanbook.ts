/**
 * A book of loans in vintages, for the lenders the budget comparison sets against the
 * guarantee fund (a microfinance institution, a direct revolving loan fund) and for the loans
 * an interest subsidy pays on. Float64, like the period engine: the options' ledgers round each
 * flow to the cent in decimal afterwards.
 *
 * Timing within a period (a year, quarter or month): loans are disbursed at its start; at its
 * end each live loan defaults with the period's probability on its opening balance, and the
 * survivors pay interest on that opening balance (annual rate × period length, simple interest)
 * and their instalment. A defaulted loan pays nothing in the period it defaults. Counts of
 * loans are expected values and may be fractional.
 *
 * Repayment, per unit of principal over n periods, instalment at the end of age k (0-based):
 *  - linear: principal 1/n every period; balance at the start of age k is 1 − k/n;
 *  - annuity: a constant payment at the loan's rate i per period, so the balance at the start
 *    of age k is (1 − (1 + i)^−(n−k)) / (1 − (1 + i)^−n) (linear when i = 0);
 *  - bullet: all principal at the end of the last period.
 */

export type Amortisation = 'linear' | 'annuity' | 'bullet';

export const AMORTISATIONS = ['annuity', 'linear', 'bullet'] as const satisfies readonly Amortisation[];

export interface LoanProduct {
  /** Principal of one loan. */
  readonly loanSize: number;
  /** Periods from disbursement to the last instalment, at least 1. */
  readonly lifePeriods: number;
  /** `linear`: equal principal instalments every period; `annuity`: equal payments of principal and interest; `bullet`: all principal at the end. */
  readonly amortisation: Amortisation;
  /** Interest rate per period that sets an annuity's schedule (the loan's annual rate × period length); ignored otherwise. */
  readonly ratePerPeriod?: number;
}

/** Whole periods in a tenor (at least one): a 6-month loan is one period in a half-year step, 0 periods are not possible. */
export function lifePeriods(tenorYears: number, periodsPerYear: number): number {
  return Math.max(1, Math.round(tenorYears * periodsPerYear));
}

/** Whole periods in a tenor given in months (at least one). */
export function lifePeriodsOfMonths(tenorMonths: number, periodsPerYear: number): number {
  return lifePeriods(tenorMonths / 12, periodsPerYear);
}

/** Balance at the start of age k (0 = the period of disbursement), per unit of principal. */
export function balanceFraction(product: LoanProduct, age: number): number {
  const n = product.lifePeriods;
  if (age < 0 || age >= n) return 0;
  switch (product.amortisation) {
    case 'bullet': return 1;
    case 'linear': return 1 - age / n;
    case 'annuity': {
      const i = product.ratePerPeriod ?? 0;
      if (Math.abs(i) < 1e-12) return 1 - age / n;
      return (1 - Math.pow(1 + i, -(n - age))) / (1 - Math.pow(1 + i, -n));
    }
  }
}

/** Principal repaid at the end of age k, per unit of principal. */
export function instalmentFraction(product: LoanProduct, age: number): number {
  const n = product.lifePeriods;
  if (age < 0 || age >= n) return 0;
  if (product.amortisation === 'bullet') return age === n - 1 ? 1 : 0;
  return balanceFraction(product, age) - balanceFraction(product, age + 1);
}

/** Sum of opening balances from age k to the end of the loan, per unit of principal: loan-periods still to run. */
export function remainingBalancePeriods(product: LoanProduct, age: number): number {
  let total = 0;
  for (let k = Math.max(0, age); k < product.lifePeriods; k++) total += balanceFraction(product, k);
  return total;
}

/** Period default probability from an annual one, for a period of `dt` years: 1 − (1 − PD)^dt. */
export function periodDefaultProbability(annualPd: number, dt: number): number {
  if (annualPd >= 1) return 1;
  return dt === 1 ? annualPd : 1 - Math.pow(1 - annualPd, dt);
}

/** What the book returns (or loses) at the end of a period. */
export interface RunOff {
  defaults: number;
  /** Opening balance of the loans that defaulted. */
  defaultedBalance: number;
  interest: number;
  principalRepaid: number;
  /** Loans repaid in full in the period (survivors of their last instalment). */
  matured: number;
}

export const emptyRunOff = (): RunOff => ({ defaults: 0, defaultedBalance: 0, interest: 0, principalRepaid: 0, matured: 0 });

export class LoanBook {
  /** Live loans per vintage (the period of disbursement). */
  private readonly loans: Float64Array;
  /** Balance at the start of each age and the principal repaid at its end, per unit of principal. */
  private readonly balance: Float64Array;
  private readonly instalment: Float64Array;
  private readonly remaining: Float64Array;

  /** `periods`: the periods in which loans may be disbursed or run off (a book run off past the horizon needs the horizon plus a loan's life). */
  constructor(readonly product: LoanProduct, periods: number) {
    this.loans = new Float64Array(Math.max(1, periods));
    const n = product.lifePeriods;
    this.balance = Float64Array.from({ length: n + 1 }, (_, k) => balanceFraction(product, k));
    this.instalment = Float64Array.from({ length: n }, (_, k) => instalmentFraction(product, k));
    this.remaining = Float64Array.from({ length: n + 1 }, (_, k) => remainingBalancePeriods(product, k));
  }

  get periods(): number {
    return this.loans.length;
  }

  reset(): void {
    this.loans.fill(0);
  }

  /** Loans disbursed at the start of period t (added to that vintage). */
  disburse(t: number, loans: number): void {
    this.loans[t]! += loans;
  }

  private firstLive(t: number): number {
    return Math.max(0, t - this.product.lifePeriods + 1);
  }

  private lastLive(t: number): number {
    return Math.min(t, this.loans.length - 1);
  }

  /** Principal outstanding at the start of period t: after the previous period's run-off and this period's disbursements. */
  outstanding(t: number): number {
    const { loanSize } = this.product;
    let total = 0;
    for (let v = this.firstLive(t); v <= this.lastLive(t); v++) total += this.loans[v]! * loanSize * this.balance[t - v]!;
    return total;
  }

  /** Live loans at the start of period t. */
  liveLoans(t: number): number {
    let total = 0;
    for (let v = this.firstLive(t); v <= this.lastLive(t); v++) total += this.loans[v]!;
    return total;
  }

  /** Sum over live loans of loans × principal × remaining balance-periods from their age at period t. */
  remainingBalancePeriods(t: number): number {
    const { loanSize } = this.product;
    let total = 0;
    for (let v = this.firstLive(t); v <= this.lastLive(t); v++) total += this.loans[v]! * loanSize * this.remaining[t - v]!;
    return total;
  }

  /** Loans that pay their last instalment at the end of period t if they do not default. */
  maturing(t: number): number {
    const v = t - this.product.lifePeriods + 1;
    return v >= 0 && v < this.loans.length ? this.loans[v]! : 0;
  }

  /**
   * End of period t: defaults at the period probability `pd` on opening balances; survivors pay
   * interest at `interestPerPeriod` (annual rate × period length) and their instalment.
   * Writes the period's totals into `out`.
   */
  runOff(t: number, pd: number, interestPerPeriod: number, out: RunOff): void {
    const { loanSize } = this.product;
    const last = this.product.lifePeriods - 1;
    out.defaults = out.defaultedBalance = out.interest = out.principalRepaid = out.matured = 0;
    for (let v = this.firstLive(t); v <= this.lastLive(t); v++) {
      const n = this.loans[v]!;
      if (n <= 0) continue;
      const age = t - v;
      const balance = loanSize * this.balance[age]!;
      const d = n * pd;
      const survivors = n - d;
      out.defaults += d;
      out.defaultedBalance += d * balance;
      out.interest += survivors * balance * interestPerPeriod;
      out.principalRepaid += survivors * loanSize * this.instalment[age]!;
      if (age === last) {
        out.matured += survivors;
        this.loans[v] = 0;
      } else {
        this.loans[v] = survivors;
      }
    }
  }
}
