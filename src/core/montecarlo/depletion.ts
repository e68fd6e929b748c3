/**
 * The probability of depletion estimated path by path, so that more paths can be added to an
 * estimate later. Path i always draws from the stream of (seed, i): the first n paths of a
 * larger run are the n paths of the smaller one, and every scenario simulated with the same seed
 * sees the same draws (common random numbers). Pure: no I/O.
 */
import { buildPlan, type Plan } from '../plan.ts';
import type { Scenario } from '../schema.ts';
import { DEFAULT_CONFIDENCE, wilsonInterval, type ProportionInterval } from '../stats/intervals.ts';
import { allocateOutputs, simulatePaths } from './paths.ts';

/** Number of paths in [from, to) whose capital falls below zero within the horizon. */
export function depletedPaths(plan: Plan, seed: number, from: number, to: number): number {
  if (to <= from) return 0;
  const out = allocateOutputs(to, plan.periods);
  simulatePaths(plan, seed, from, to, out);
  let depleted = 0;
  for (let p = from; p < to; p++) if (out.depletionPeriod[p]! >= 0 && out.depletionPeriod[p]! < plan.periods) depleted++;
  return depleted;
}

/**
 * A running estimate of one scenario's probability of depletion within the horizon (run-off not
 * simulated): extend() adds paths n, n + 1, … with the same seed, keeping those already run.
 */
export class DepletionEstimate {
  private readonly plan: Plan;
  private count = 0;
  private ran = 0;

  constructor(scenario: Scenario, readonly seed: number) {
    this.plan = buildPlan(scenario, { lifetime: false });
  }

  get paths(): number {
    return this.ran;
  }

  get depleted(): number {
    return this.count;
  }

  get estimate(): number {
    return this.ran ? this.count / this.ran : NaN;
  }

  /** Runs paths up to `paths` in all (nothing when that many have run). */
  extend(paths: number): this {
    if (paths > this.ran) {
      this.count += depletedPaths(this.plan, this.seed, this.ran, paths);
      this.ran = paths;
    }
    return this;
  }

  interval(confidence = DEFAULT_CONFIDENCE): ProportionInterval {
    return wilsonInterval(this.count, this.ran, confidence);
  }
}
