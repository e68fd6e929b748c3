/**
 * The one basis on which the budget comparison sets its options side by side, and the
 * arithmetic they share: discounting at the comparison's rate, and the public account of an
 * option (what the public puts in and gets back, in present value).
 *
 * Every option is followed to the horizon and then, in the lifetime view, wound down: no new
 * loans, guarantees or enrolments after the horizon; what is on the books runs off, and what
 * is left comes back to the public. The present value of the public money consumed is
 *   PV cost = PV(public money put in) − PV(public money coming back),
 * both discounted to the start of year 1 at one annual rate: a flow τ years after the start is
 * worth (1 + r)^−τ of its amount there.
 */
import { cents, type Money } from '../money.ts';

/** (1 + r)^−τ: the value at the start of year 1 of one unit τ years later. */
export function discountFactor(rate: number, years: number): number {
  return Math.pow(1 + rate, -years);
}

/** What an option costs the public, in present value at the comparison's discount rate. */
export interface PublicAccount {
  /** Present value of the public money put in: the budget at the start, or for a subsidy its payments as they fall due (those owed after the horizon included). */
  readonly pvPaidIn: Money;
  /** Present value of what comes back to the public: interest received, money returned as the books run off, and what is left at the end. */
  readonly pvReturned: Money;
  /** pvPaidIn − pvReturned: the present value of the public money consumed (negative: the public gains). */
  readonly pvCost: Money;
  /** Years after the horizon until the books have run off (0 when nothing is outstanding at the horizon). */
  readonly runOffYears: number;
  /** The largest part of the budget in use at any time within the horizon: lent, committed, backing guarantees, or lost. */
  readonly peakBudgetInUse: Money;
}

export function publicAccount(pvPaidIn: number | Money, pvReturned: number | Money, runOffYears: number, peakBudgetInUse: number, budget: number): PublicAccount {
  const paid = cents(pvPaidIn);
  const returned = cents(pvReturned);
  return {
    pvPaidIn: paid,
    pvReturned: returned,
    pvCost: paid.minus(returned),
    runOffYears,
    peakBudgetInUse: cents(Math.min(budget, Math.max(0, peakBudgetInUse))),
  };
}

/** Loans demanded in year y (0-based) of a series whose last value repeats. */
export function demandInYear(series: readonly number[], year: number): number {
  if (series.length === 0) return 0;
  return series[Math.min(year, series.length - 1)]!;
}
