/**
 * Break-even annual fee: the flat annual fee rate on outstanding guarantees that leaves the
 * fund's capital at the horizon where it started (initial capital plus any injections: a zero
 * fiscal cost). Found by bisection on a bracket, to 0.01 percentage point.
 */
import { project } from './projection.ts';
import type { Scenario } from './schema.ts';

export const FEE_SEARCH_RANGE = { low: 0, high: 0.2 } as const;
/** 0.01 percentage point. */
export const FEE_TOLERANCE = 1e-4;

export type BreakEvenFee =
  | { readonly fee: number; readonly iterations: number }
  | { readonly fee: null; readonly reason: string };

/** Closing capital minus capital put in, with a flat annual fee `fee`. */
export function capitalSurplus(s: Scenario, fee: number): number {
  const withFee: Scenario = { ...s, guarantee: { ...s.guarantee, annualFee: [{ upTo: null, rate: fee }] } };
  const summary = project(withFee).summary;
  return summary.closingCapital.minus(summary.initialCapital).minus(summary.totalInjections).toNumber();
}

export function breakEvenFee(s: Scenario, range: { low: number; high: number } = FEE_SEARCH_RANGE): BreakEvenFee {
  let low = range.low;
  let high = range.high;
  const atLow = capitalSurplus(s, low);
  if (atLow >= 0) {
    return low === 0
      ? { fee: 0, iterations: 0 }
      : { fee: null, reason: `even the lowest fee searched (${pct(low)}) leaves capital above what was put in` };
  }
  const atHigh = capitalSurplus(s, high);
  if (atHigh < 0) {
    return { fee: null, reason: `no annual fee up to ${pct(high)} preserves the fund’s capital (at ${pct(high)} it still loses ${Math.round(-atHigh).toLocaleString('en')})` };
  }
  let iterations = 0;
  // Invariant: surplus(low) < 0 ≤ surplus(high). Lenders' decisions react to the fee, so the
  // surplus need not be monotone; bisection still lands on a crossing inside the bracket.
  while (high - low > FEE_TOLERANCE / 2) {
    const mid = (low + high) / 2;
    if (capitalSurplus(s, mid) >= 0) high = mid;
    else low = mid;
    iterations++;
  }
  return { fee: high, iterations };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
