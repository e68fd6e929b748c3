/**
 * How much CPU a request costs, estimated before it runs, in path-equivalents of a ten-year
 * annual scenario (one simulated path of that scenario = 1). Every CPU-heavy request is routed
 * by this estimate, not by its path count: up to a limit it runs in the server's own thread,
 * beyond it on a worker thread, so no request holds the event loop for long.
 */
import type { Scenario } from '../../core/schema.ts';
import type { PolicyTask, PolicyTaskResult } from '../../pool/tasks.ts';

/** One projection costs about as much as 5–10 paths of the same scenario. */
export const PROJECTION_WORK = 10;
/** The break-even fee on every basis: a root search of a few dozen projections. */
export const BREAK_EVEN_PROJECTIONS = 40;

/** The scenario's length relative to ten annual periods (a 30-year quarterly scenario is 12). */
export function periodScale(s: Pick<Scenario, 'horizonYears' | 'period'>): number {
  return (s.horizonYears * (s.period === 'quarterly' ? 4 : 1)) / 10;
}

export function projectionWork(s: Pick<Scenario, 'horizonYears' | 'period'>): number {
  return PROJECTION_WORK * periodScale(s);
}

export function breakEvenWork(s: Pick<Scenario, 'horizonYears' | 'period'>): number {
  return BREAK_EVEN_PROJECTIONS * projectionWork(s);
}

export function monteCarloWork(s: Pick<Scenario, 'horizonYears' | 'period'>, paths: number): number {
  return paths * periodScale(s);
}

export type Placement = 'inline' | 'pool';

/**
 * Where work runs: in-thread when it is at most `inlineWork` or when there is no worker to
 * take it (and an in-thread engine exists), else on the workers.
 */
export function placement(work: number, inlineWork: number, engines: { readonly pool: boolean; readonly inline: boolean }): Placement {
  if (!engines.pool) return 'inline';
  if (!engines.inline) return 'pool';
  return work <= inlineWork ? 'inline' : 'pool';
}

/** Runs a projection or a break-even search away from the event loop (the compute pool). */
export interface ComputeEngine {
  runTask<T extends PolicyTask>(task: T): Promise<PolicyTaskResult<T>>;
}
