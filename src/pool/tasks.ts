/**
 * Work that a worker thread (or the server's own thread) can run: chunks of sensitivity
 * points, the coverage-and-fee search, the Monte Carlo of a budget comparison, and a long
 * projection or break-even search that would otherwise hold the server's event loop.
 * Pure: each is one call into src/core/policy with progress and a stop flag, so the worker stays
 * a thin shell and the same function runs in-thread for small requests.
 */
import {
  budgetComparisonMonteCarlo, evaluatePoints, searchCoverageAndFee,
  type BudgetComparison, type BudgetMonteCarloResult, type Indicator, type MonteCarloSetting, type Point, type PointResult,
  type SearchResult, type SearchSpec,
} from '../core/policy/index.ts';
import { summariseMonteCarlo } from '../core/montecarlo/aggregate.ts';
import type { PathOutputs } from '../core/montecarlo/paths.ts';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { Decimal } from '../core/money.ts';
import { buildPlan } from '../core/plan.ts';
import { project, type Projection } from '../core/projection.ts';
import type { Scenario } from '../core/schema.ts';
import { simulationDocument } from '../core/simulation-document.ts';
import { breakEvenFees, type BreakEvenBasis, type BreakEvenFee } from '../core/solvers.ts';

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
  }
  /** A deterministic projection (the result is plain data, copied back whole). */
  | { readonly kind: 'project'; readonly scenario: Scenario }
  /** The break-even annual fee on every basis. */
  | { readonly kind: 'breakEvenFees'; readonly scenario: Scenario }
  /** The projection (and the break-even fees) as the API's JSON document, one string to copy back. */
  | { readonly kind: 'simulationJson'; readonly scenario: Scenario; readonly withBreakEven: boolean }
  /** The summary of a pooled Monte Carlo run, read from its shared output arrays. */
  | {
    readonly kind: 'summarise'; readonly scenario: Scenario; readonly lifetime: boolean; readonly outputs: PathOutputs;
    readonly paths: number; readonly seed: number; readonly samplePaths?: number;
  };

export type PolicyTaskResult<T extends PolicyTask> =
  T extends { kind: 'search' } ? SearchResult
    : T extends { kind: 'project' } ? Projection
      : T extends { kind: 'breakEvenFees' } ? Record<BreakEvenBasis, BreakEvenFee>
        : T extends { kind: 'simulationJson' } ? string
        : T extends { kind: 'summarise' } ? MonteCarloResult
        : BudgetMonteCarloResult;

export interface TaskControl {
  readonly onProgress?: (fraction: number) => void;
  readonly shouldStop?: () => boolean;
}

/** Runs a task; a stopped task returns its partial result (complete = false). */
export function runPolicyTask<T extends PolicyTask>(task: T, control: TaskControl = {}): PolicyTaskResult<T> {
  if (task.kind === 'search') {
    return searchCoverageAndFee(task.scenario, task.spec, control) as PolicyTaskResult<T>;
  }
  if (task.kind === 'project') return project(task.scenario) as PolicyTaskResult<T>;
  if (task.kind === 'breakEvenFees') return breakEvenFees(task.scenario) as PolicyTaskResult<T>;
  if (task.kind === 'simulationJson') {
    const s = task.scenario;
    return JSON.stringify(simulationDocument(s, project(s), task.withBreakEven ? breakEvenFees(s) : undefined)) as PolicyTaskResult<T>;
  }
  if (task.kind === 'summarise') {
    const plan = buildPlan(task.scenario, { lifetime: task.lifetime });
    return summariseMonteCarlo(plan, task.outputs, task.paths, task.seed, task.samplePaths) as PolicyTaskResult<T>;
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

/**
 * A projection's amounts are decimal.js values, which cannot cross to another thread: the
 * worker sends them as tagged strings (exact, every digit) and the pool turns them back.
 */
const DECIMAL_TAG = '$decimal';

function encodeDecimals(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Decimal.isDecimal(v)) return { [DECIMAL_TAG]: (v as InstanceType<typeof Decimal>).toString() };
  if (Array.isArray(v)) return v.map(encodeDecimals);
  if (ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = encodeDecimals(x);
  return out;
}

function decodeDecimals(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decodeDecimals);
  if (ArrayBuffer.isView(v)) return v;
  const tagged = (v as Record<string, unknown>)[DECIMAL_TAG];
  if (typeof tagged === 'string' && Object.keys(v).length === 1) return new Decimal(tagged);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decodeDecimals(x);
  return out;
}

const carriesDecimals = (task: PolicyTask) => task.kind === 'project' || task.kind === 'breakEvenFees' || task.kind === 'summarise';

/** A task's result made ready to post from a worker. */
export function encodeTaskResult(task: PolicyTask, result: unknown): unknown {
  return carriesDecimals(task) ? encodeDecimals(result) : result;
}

/** A result posted by a worker, as `runPolicyTask` returned it there. */
export function decodeTaskResult(task: PolicyTask, result: unknown): unknown {
  return carriesDecimals(task) ? decodeDecimals(result) : result;
}
