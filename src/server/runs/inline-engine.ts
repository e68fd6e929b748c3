/**
 * Small Monte Carlo runs in the server's own thread, in short slices: between slices the
 * event loop answers other requests. Same core functions as the worker pool, so the results
 * are identical to a pooled run with the same seed.
 */
import { summariseMonteCarlo } from '../../core/montecarlo/aggregate.ts';
import { allocateOutputs, simulatePaths } from '../../core/montecarlo/paths.ts';
import type { MonteCarloOptions, MonteCarloResult } from '../../core/montecarlo/types.ts';
import { buildPlan } from '../../core/plan.ts';
import type { Scenario } from '../../core/schema.ts';
import type { MonteCarloEngine } from './runs.ts';

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InlineEngine implements MonteCarloEngine {
  /** @param slicePaths paths simulated between two yields to the event loop */
  constructor(private readonly slicePaths = 16) {}

  async run(
    scenario: Scenario,
    options: MonteCarloOptions,
    hooks: { onProgress?: (fractionDone: number) => void; signal?: AbortSignal } = {},
  ): Promise<MonteCarloResult> {
    const plan = buildPlan(scenario);
    const out = allocateOutputs(options.paths, plan.periods);
    for (let from = 0; from < options.paths; from += this.slicePaths) {
      if (hooks.signal?.aborted) throw new Error('the run was cancelled');
      const to = Math.min(options.paths, from + this.slicePaths);
      simulatePaths(plan, options.seed, from, to, out);
      hooks.onProgress?.(to / options.paths);
      await nextTick();
    }
    return summariseMonteCarlo(plan, out, options.paths, options.seed, options.samplePaths);
  }

  async close(): Promise<void> {}
}
