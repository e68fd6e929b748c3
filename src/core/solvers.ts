/**
 * Break-even annual fee: the flat annual fee rate on outstanding guarantees at which the fund
 * pays its way, on one of three stated bases:
 *   - 'lifetime': every cohort issued up to the horizon run to its end; the present value of
 *     fees covers the present value of claims net of recoveries and the counter-guarantor's
 *     share, operating costs and reinsurance premiums. Investment income is left out, and so
 *     is any state compensation: the fee must carry the risk on its own;
 *   - 'lifetimeWithInvestmentIncome': the same, with the PV of investment income counted;
 *   - 'horizon': capital at the horizon equals the public money put in (a zero cash fiscal
 *     cost at the horizon; it counts investment income and ignores the book still outstanding).
 * Found by bisection on a bracket, to 0.01 percentage point. Lenders' decisions can react to the
 * fee, so a margin need not be monotone in it; bisection still lands on a crossing.
 */
import { emptyFlows, netFlow, PortfolioState } from './engine.ts';
import { buildPlan } from './plan.ts';
import { expectedDefaults } from './projection.ts';
import type { Scenario } from './schema.ts';

export const FEE_SEARCH_RANGE = { low: 0, high: 0.2 } as const;
/** 0.01 percentage point. */
export const FEE_TOLERANCE = 1e-4;

export type BreakEvenBasis = Scenario['costing']['breakEvenBasis'];
export const BREAK_EVEN_BASES: readonly BreakEvenBasis[] = ['lifetime', 'lifetimeWithInvestmentIncome', 'horizon'];

/** How each basis is named wherever a break-even fee is shown. */
export const BREAK_EVEN_BASIS_LABELS: Readonly<Record<BreakEvenBasis, string>> = {
  lifetime: 'lifetime, without investment income',
  lifetimeWithInvestmentIncome: 'lifetime, with investment income',
  horizon: 'capital at the horizon equal to capital put in',
};

export type BreakEvenFee =
  | { readonly basis: BreakEvenBasis; readonly fee: number; readonly iterations: number }
  | { readonly basis: BreakEvenBasis; readonly fee: null; readonly reason: string };

/** The scenario with a flat annual fee on the outstanding guaranteed amount in place of its own fee rules. */
const withFlatFee = (s: Scenario, fee: number): Scenario => ({
  ...s,
  guarantee: {
    ...s.guarantee,
    annualFee: [{ upTo: null, rate: fee }],
    annualFeeRule: { method: 'marginal', basis: 'guaranteed', boundsOn: 'loan', minPerLoan: null, maxPerLoan: null },
    annualFeeByPd: null,
    claimsRatioAdjustment: null,
  },
});

/**
 * The fund's surplus with a flat annual fee `fee` on a basis: ≥ 0 when the fee pays its way.
 * In money: PV of fees less PV of costs (lifetime bases), or capital at the horizon less the
 * public money put in (horizon).
 */
export function feeMargin(s: Scenario, fee: number, basis: BreakEvenBasis): number {
  const plan = buildPlan(withFlatFee(s, fee), { lifetime: basis !== 'horizon' });
  const state = new PortfolioState(plan);
  const model = expectedDefaults(plan);
  const f = emptyFlows();
  let capital = s.fund.initialCapital;
  let publicMoney = s.fund.initialCapital;
  let margin = 0;
  for (let t = 0; t < plan.totalPeriods; t++) {
    capital = state.step(t, capital, model, f);
    publicMoney += f.capitalInjection + f.capitalCalls + f.stateCompensation + f.feeSubsidies;
    // Fees less the fund's own net costs: everything but public money and investment income.
    const operating = netFlow(f) - f.capitalInjection - f.capitalCalls - f.stateCompensation - f.investmentIncome;
    const income = basis === 'lifetimeWithInvestmentIncome' ? f.investmentIncome : 0;
    margin += (operating + income) * plan.discountEnd[t]!;
  }
  return basis === 'horizon' ? capital - publicMoney : margin;
}

/** Kept for the horizon basis's tests and callers: closing capital minus capital put in. */
export function capitalSurplus(s: Scenario, fee: number): number {
  return feeMargin(s, fee, 'horizon');
}

export function breakEvenFee(s: Scenario, basis: BreakEvenBasis = s.costing.breakEvenBasis, range: { low: number; high: number } = FEE_SEARCH_RANGE): BreakEvenFee {
  const margin = (fee: number) => feeMargin(s, fee, basis);
  let low = range.low;
  let high = range.high;
  const atLow = margin(low);
  if (atLow >= 0) {
    return low === 0
      ? { basis, fee: 0, iterations: 0 }
      : { basis, fee: null, reason: `even the lowest fee searched (${pct(low)}) covers the fund’s costs` };
  }
  const atHigh = margin(high);
  if (atHigh < 0) {
    return { basis, fee: null, reason: `no annual fee up to ${pct(high)} covers the fund’s costs on this basis (at ${pct(high)} it still falls short by ${Math.round(-atHigh).toLocaleString('en')})` };
  }
  let iterations = 0;
  // Invariant: margin(low) < 0 ≤ margin(high).
  while (high - low > FEE_TOLERANCE / 2) {
    const mid = (low + high) / 2;
    if (margin(mid) >= 0) high = mid;
    else low = mid;
    iterations++;
  }
  return { basis, fee: high, iterations };
}

/** The break-even fee on every basis. */
export function breakEvenFees(s: Scenario): Record<BreakEvenBasis, BreakEvenFee> {
  return {
    lifetime: breakEvenFee(s, 'lifetime'),
    lifetimeWithInvestmentIncome: breakEvenFee(s, 'lifetimeWithInvestmentIncome'),
    horizon: breakEvenFee(s, 'horizon'),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
