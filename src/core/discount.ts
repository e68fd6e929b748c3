/**
 * Discounting at the government's borrowing rate: one annual rate, or a zero-coupon curve of
 * spot rates by maturity (linear between points, flat beyond the first and last). A cash flow
 * τ years from the start of year 1 is worth (1 + r(τ))^−τ of its amount there.
 */
import type { DiscountRate } from './schema.ts';

/** Spot rate for maturity `years` on the curve. */
export function spotRate(rate: DiscountRate, years: number): number {
  if (typeof rate === 'number') return rate;
  const first = rate[0]!;
  if (years <= first.years) return first.rate;
  for (let i = 1; i < rate.length; i++) {
    const a = rate[i - 1]!;
    const b = rate[i]!;
    if (years <= b.years) return a.rate + ((years - a.years) / (b.years - a.years)) * (b.rate - a.rate);
  }
  return rate[rate.length - 1]!.rate;
}

export function discountFactor(rate: DiscountRate, years: number): number {
  return Math.pow(1 + spotRate(rate, years), -years);
}
