/**
 * Monte Carlo in one thread: simulate every path, then summarise. The worker pool runs the
 * same two steps with the paths split across threads; results are bit-identical.
 */
import { buildPlan, type Plan } from '../plan.ts';
import type { Scenario } from '../schema.ts';
import { summariseMonteCarlo } from './aggregate.ts';
import { allocateOutputs, simulatePaths } from './paths.ts';
import type { MonteCarloOptions, MonteCarloResult } from './types.ts';

export function runMonteCarlo(scenario: Scenario, options: MonteCarloOptions, plan: Plan = buildPlan(scenario, { lifetime: options.lifetime !== false })): MonteCarloResult {
  const out = allocateOutputs(options.paths, plan.periods);
  simulatePaths(plan, options.seed, 0, options.paths, out);
  return summariseMonteCarlo(plan, out, options.paths, options.seed, options.samplePaths);
}

/** Share of paths whose capital falls below zero within the horizon, with a given initial capital (the run-off is not simulated). */
export function depletionProbability(scenario: Scenario, initialCapital: number, options: MonteCarloOptions): number {
  const s: Scenario = { ...scenario, fund: { ...scenario.fund, initialCapital } };
  const plan = buildPlan(s, { lifetime: false });
  const out = allocateOutputs(options.paths, plan.periods);
  simulatePaths(plan, options.seed, 0, options.paths, out);
  let depleted = 0;
  for (let p = 0; p < options.paths; p++) if (out.depletionPeriod[p]! >= 0 && out.depletionPeriod[p]! < plan.periods) depleted++;
  return depleted / options.paths;
}

export type CapitalForTarget =
  | { readonly capital: number; readonly probability: number }
  | { readonly capital: null; readonly reason: string };

/**
 * The smallest initial capital (to 0.1 % of the bracket's top) whose probability of depletion
 * is at most `target`. Every evaluation reuses the same seed (common random numbers), so the
 * comparison between capitals is not blurred by sampling noise. More capital can also mean more
 * guarantees where the leverage cap binds, so the probability need not fall monotonically; the
 * bisection returns a capital that meets the target next to one that does not.
 */
export function capitalForDepletionTarget(scenario: Scenario, target: number, options: MonteCarloOptions, maxCapital = scenario.fund.initialCapital * 64 || 1e9): CapitalForTarget {
  const p = (c: number) => depletionProbability(scenario, c, options);
  const atMax = p(maxCapital);
  if (atMax > target) return { capital: null, reason: `even ${Math.round(maxCapital).toLocaleString('en')} leaves a probability of depletion of ${(atMax * 100).toFixed(2)} %` };
  let low = 0;
  let high = maxCapital;
  let atHigh = atMax;
  if (p(low) <= target) return { capital: 0, probability: p(0) };
  while (high - low > maxCapital * 1e-3) {
    const mid = (low + high) / 2;
    const pm = p(mid);
    if (pm <= target) {
      high = mid;
      atHigh = pm;
    } else low = mid;
  }
  return { capital: Math.ceil(high), probability: atHigh };
}
