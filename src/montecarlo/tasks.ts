/**
 * Policy-analysis work that a worker thread (or the server's own thread) can run: chunks of
 * sensitivity points, the coverage-and-fee search, and the Monte Carlo of a budget comparison.
 * Pure: each is one call into src/core/policy with progress and a stop flag, so the worker stays
 * a thin shell and the same function runs in-thread for small requests.
 */
import {
  budgetComparisonMonteCarlo, evaluatePoints, searchCoverageAndFee,
  type BudgetComparison, type BudgetMonteCarloResult, type Indicator, type MonteCarloSetting, type Point, type PointResult,
  type SearchResult, type SearchSpec,
} from '../core/policy/index.ts';
import type { Scenario } from '../core/schema.ts';

/** Work that runs whole on one thread. */
export type PolicyTask =
  | { readonly kind: 'search'; readonly scenario: Scenario; readonly spec: SearchSpec }
  | {
    readonly kind: 'budgetMonteCarlo';
    readonly comparison: BudgetComparison;
    readonly paths: number;
    readonly seed: number;
    /** The guarantee fund's closing capital per path, from a pooled run (optional). */
    readonly guaranteeFundClosingCapital?: readonly number[];
  };

export type PolicyTaskResult<T extends PolicyTask> = T extends { kind: 'search' } ? SearchResult : BudgetMonteCarloResult;

export interface TaskControl {
  readonly onProgress?: (fraction: number) => void;
  readonly shouldStop?: () => boolean;
}

/** Runs a task; a stopped task returns its partial result (complete = false). */
export function runPolicyTask<T extends PolicyTask>(task: T, control: TaskControl = {}): PolicyTaskResult<T> {
  if (task.kind === 'search') {
    return searchCoverageAndFee(task.scenario, task.spec, control) as PolicyTaskResult<T>;
  }
  return budgetComparisonMonteCarlo(task.comparison, {
    paths: task.paths,
    seed: task.seed,
    guaranteeFundClosingCapital: task.guaranteeFundClosingCapital,
    onProgress: control.onProgress,
    shouldStop: control.shouldStop,
  }) as PolicyTaskResult<T>;
}

/** The points from..to of a point list, evaluated (the worker's chunk). */
export function evaluatePointChunk(
  base: Scenario, points: readonly Point[], from: number, to: number, indicators: readonly Indicator[], mc: MonteCarloSetting,
  shouldStop?: () => boolean,
): { results: PointResult[]; complete: boolean } {
  return evaluatePoints(base, points.slice(from, to), indicators, mc, { shouldStop });
}
