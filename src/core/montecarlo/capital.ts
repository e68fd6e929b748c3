/**
 * The initial capital for a target probability of depletion, with its sampling error. Pure.
 *
 * The probability at a given capital is estimated from `paths` simulated paths, so the capital
 * found carries sampling error too. Two capitals are found by bisection on the same paths
 * (common random numbers: every capital sees the same draws):
 *  - the central estimate: the smallest capital whose share of depleted paths is at most the target;
 *  - the prudent capital: the smallest whose whole Wilson interval (at `confidence`) is at most
 *    the target, i.e. enough capital even if the true probability is at the top of the interval.
 * The gap between the two is the price of the sampling error; more paths narrow it.
 */
import { buildPlan } from '../plan.ts';
import type { Scenario } from '../schema.ts';
import { DEFAULT_CONFIDENCE, wilsonInterval, type ProportionInterval } from '../stats/intervals.ts';
import { depletedPaths } from './depletion.ts';

export interface CapitalForTargetOptions {
  readonly paths: number;
  readonly seed: number;
  readonly confidence?: number;
  /** Highest capital tried; default 64 × the scenario's capital (or 1e9 when it has none). */
  readonly maxCapital?: number;
}

export interface CapitalEstimate {
  readonly capital: number;
  /** The probability of depletion at that capital, with its interval. */
  readonly interval: ProportionInterval;
}

export type CapitalForTargetResult =
  | {
    readonly ok: true;
    readonly target: number;
    readonly paths: number;
    readonly seed: number;
    readonly confidence: number;
    readonly central: CapitalEstimate;
    /** Null when even the highest capital tried cannot bring the interval's top under the target. */
    readonly prudent: CapitalEstimate | null;
    /** The scenario's own capital and its probability, for comparison. */
    readonly current: CapitalEstimate;
  }
  | { readonly ok: false; readonly reason: string };

/**
 * Bisection to 0.1 % of the top of the bracket on a predicate that holds at the top: the smallest
 * capital found where it holds, next to one where it does not.
 */
function smallest(holds: (capital: number) => boolean, top: number): number {
  if (holds(0)) return 0;
  let low = 0;
  let high = top;
  while (high - low > top * 1e-3) {
    const mid = (low + high) / 2;
    if (holds(mid)) high = mid;
    else low = mid;
  }
  return Math.ceil(high);
}

export function capitalForTarget(scenario: Scenario, target: number, options: CapitalForTargetOptions): CapitalForTargetResult {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const top = options.maxCapital ?? (scenario.fund.initialCapital * 64 || 1e9);
  const memo = new Map<number, ProportionInterval>();
  const at = (capital: number): ProportionInterval => {
    let iv = memo.get(capital);
    if (!iv) {
      const plan = buildPlan({ ...scenario, fund: { ...scenario.fund, initialCapital: capital } }, { lifetime: false });
      iv = wilsonInterval(depletedPaths(plan, options.seed, 0, options.paths), options.paths, confidence);
      memo.set(capital, iv);
    }
    return iv;
  };
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const atTop = at(top);
  if (atTop.estimate > target) {
    return { ok: false, reason: `even ${Math.round(top).toLocaleString('en')} of capital leaves a probability of depletion of ${pct(atTop.estimate)} (${options.paths.toLocaleString('en')} paths), above the target of ${pct(target)}` };
  }
  const central = smallest((c) => at(c).estimate <= target, top);
  const prudentHolds = atTop.upper <= target;
  const prudent = prudentHolds ? smallest((c) => at(c).upper <= target, top) : null;
  return {
    ok: true, target, paths: options.paths, seed: options.seed, confidence,
    central: { capital: central, interval: at(central) },
    prudent: prudent === null ? null : { capital: prudent, interval: at(prudent) },
    current: { capital: scenario.fund.initialCapital, interval: at(scenario.fund.initialCapital) },
  };
}
