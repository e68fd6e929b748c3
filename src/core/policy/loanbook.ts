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
 */

export type Amortisation = 'linear' | 'bullet';

export interface LoanProduct {
  /** Principal of one loan. */
  readonly loanSize: number;
  /** Periods from disbursement to the last instalment, at least 1. */
  readonly lifePeriods: number;
  /** `linear`: equal principal instalments every period; `bullet`: all principal at the end. */
  readonly amortisation: Amortisation;
}

/** Whole periods in a tenor (at least one): a 6-month loan is one period in a half-year step, 0 periods are not possible. */
export function lifePeriods(tenorYears: number, periodsPerYear: number): number {
  return Math.max(1, Math.round(tenorYears * periodsPerYear));
}

/** Balance at the start of age k (0 = the period of disbursement), per unit of principal. */
export function balanceFraction(product: LoanProduct, age: number): number {
  const n = product.lifePeriods;
  if (age < 0 || age >= n) return 0;
  return product.amortisation === 'linear' ? 1 - age / n : 1;
}

/** Principal repaid at the end of age k, per unit of principal. */
export function instalmentFraction(product: LoanProduct, age: number): number {
  const n = product.lifePeriods;
  if (age < 0 || age >= n) return 0;
  return product.amortisation === 'linear' ? 1 / n : age === n - 1 ? 1 : 0;
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
}

export const emptyRunOff = (): RunOff => ({ defaults: 0, defaultedBalance: 0, interest: 0, principalRepaid: 0 });

export class LoanBook {
  /** Live loans per vintage (the period of disbursement). */
  private readonly loans: Float64Array;

  constructor(readonly product: LoanProduct, periods: number) {
    this.loans = new Float64Array(Math.max(1, periods));
  }

  reset(): void {
    this.loans.fill(0);
  }

  /** Loans disbursed at the start of period t (added to that vintage). */
  disburse(t: number, loans: number): void {
    this.loans[t] += loans;
  }

  private firstLive(t: number): number {
    return Math.max(0, t - this.product.lifePeriods + 1);
  }

  /** Principal outstanding at the start of period t: after the previous period's run-off and this period's disbursements. */
  outstanding(t: number): number {
    const { loanSize } = this.product;
    let total = 0;
    for (let v = this.firstLive(t); v <= Math.min(t, this.loans.length - 1); v++) total += this.loans[v]! * loanSize * balanceFraction(this.product, t - v);
    return total;
  }

  /** Live loans at the start of period t. */
  liveLoans(t: number): number {
    let total = 0;
    for (let v = this.firstLive(t); v <= Math.min(t, this.loans.length - 1); v++) total += this.loans[v]!;
    return total;
  }

  /** Sum over live loans of loans × principal × remaining balance-periods from their age at period t. */
  remainingBalancePeriods(t: number): number {
    const { loanSize } = this.product;
    let total = 0;
    for (let v = this.firstLive(t); v <= Math.min(t, this.loans.length - 1); v++) {
      total += this.loans[v]! * loanSize * remainingBalancePeriods(this.product, t - v);
    }
    return total;
  }

  /**
   * End of period t: defaults at the period probability `pd` on opening balances; survivors pay
   * interest at `interestPerPeriod` (annual rate × period length) and their instalment.
   * Writes the period's totals into `out`.
   */
  runOff(t: number, pd: number, interestPerPeriod: number, out: RunOff): void {
    const { loanSize } = this.product;
    out.defaults = out.defaultedBalance = out.interest = out.principalRepaid = 0;
    for (let v = this.firstLive(t); v <= t; v++) {
      const n = this.loans[v]!;
      if (n <= 0) continue;
      const age = t - v;
      const balance = loanSize * balanceFraction(this.product, age);
      const d = n * pd;
      const survivors = n - d;
      out.defaults += d;
      out.defaultedBalance += d * balance;
      out.interest += survivors * balance * interestPerPeriod;
      out.principalRepaid += survivors * loanSize * instalmentFraction(this.product, age);
      this.loans[v] = age === this.product.lifePeriods - 1 ? 0 : survivors;
    }
  }
}
