/**
 * The policy analyses (issue 5) as asynchronous operations over an engine: the worker pool
 * (src/pool/pool.ts) for large requests, the server's own thread, in short slices, for
 * small ones. Both run the same core functions with the same seeds, so a result does not
 * depend on where it was computed. Results are returned as plain JSON (amounts as numbers).
 */
import {
  assembleSweep, assembleTornado, compareBudget, guaranteeFundScenarioOf, sweepPlan, tornadoPlan,
  type BudgetComparison, type BudgetMonteCarloResult, type Indicator, type MonteCarloSetting, type Point, type PointResult,
  type SearchResult, type SearchSpec, type SweepResult, type SweepSpec, type TornadoResult, type TornadoSpec,
} from '../../core/policy/index.ts';
import type { Scenario } from '../../core/schema.ts';
import { evaluatePointChunk, runPolicyTask, type PolicyTask, type PolicyTaskResult } from '../../pool/tasks.ts';
import { InlineEngine } from '../runs/inline-engine.ts';
import { plain } from '../../core/money.ts';
import type { MonteCarloEngine } from '../runs/runs.ts';

export interface Hooks {
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
}

/** What the policy analyses need of an engine; MonteCarloPool satisfies it. */
export interface PolicyEngine extends MonteCarloEngine {
  evaluatePoints(base: Scenario, points: readonly Point[], indicators: readonly Indicator[], mc: MonteCarloSetting, hooks?: Hooks): Promise<PointResult[]>;
  runTask<T extends PolicyTask>(task: T, hooks?: Hooks): Promise<PolicyTaskResult<T>>;
}

export function isPolicyEngine(x: unknown): x is PolicyEngine {
  return typeof x === 'object' && x !== null && typeof (x as PolicyEngine).evaluatePoints === 'function' && typeof (x as PolicyEngine).runTask === 'function';
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

class Cancelled extends Error {
  constructor() {
    super('the run was cancelled');
  }
}

/** Policy work in the server's thread: one point at a time, yielding to the event loop between points. */
export class InlinePolicyEngine extends InlineEngine implements PolicyEngine {
  async evaluatePoints(base: Scenario, points: readonly Point[], indicators: readonly Indicator[], mc: MonteCarloSetting, hooks: Hooks = {}): Promise<PointResult[]> {
    const out: PointResult[] = [];
    for (let i = 0; i < points.length; i++) {
      if (hooks.signal?.aborted) throw new Cancelled();
      out.push(...evaluatePointChunk(base, points, i, i + 1, indicators, mc).results);
      hooks.onProgress?.((i + 1) / points.length);
      await nextTick();
    }
    return out;
  }

  async runTask<T extends PolicyTask>(task: T, hooks: Hooks = {}): Promise<PolicyTaskResult<T>> {
    if (hooks.signal?.aborted) throw new Cancelled();
    await nextTick();
    return runPolicyTask(task, { onProgress: hooks.onProgress, shouldStop: () => hooks.signal?.aborted ?? false });
  }
}

/** Progress of a step that is the part [from, to] of a whole. */
const part = (hooks: Hooks, from: number, to: number): Hooks => ({
  signal: hooks.signal,
  onProgress: (f) => hooks.onProgress?.(from + (to - from) * f),
});

const asPlain = <T>(x: unknown): T => JSON.parse(JSON.stringify(plain(x))) as T;

const mcOf = (s: Scenario, spec: { paths: number; seed: number | null }): MonteCarloSetting => ({ paths: spec.paths, seed: spec.seed ?? s.monteCarlo.seed });

export async function runTornado(engine: PolicyEngine, s: Scenario, spec: TornadoSpec, hooks: Hooks = {}): Promise<TornadoResult> {
  const plan = tornadoPlan(s, spec);
  const results = await engine.evaluatePoints(s, plan.points, [spec.indicator], mcOf(s, spec), hooks);
  return assembleTornado(spec, plan, results);
}

export async function runSweep(engine: PolicyEngine, s: Scenario, spec: SweepSpec, hooks: Hooks = {}): Promise<SweepResult> {
  const plan = sweepPlan(s, spec);
  const results = await engine.evaluatePoints(s, plan.points, plan.indicators, mcOf(s, spec), hooks);
  return assembleSweep(spec, plan, results);
}

export async function runSearch(engine: PolicyEngine, s: Scenario, spec: SearchSpec, hooks: Hooks = {}): Promise<SearchResult> {
  const result = await engine.runTask({ kind: 'search', scenario: s, spec }, hooks);
  if (!result.complete && hooks.signal?.aborted) throw new Cancelled();
  return result;
}

/** The comparison (plain JSON: amounts as numbers) and, when asked, its Monte Carlo. */
export interface BudgetOutcome {
  readonly comparison: PlainComparison;
  readonly monteCarlo: BudgetMonteCarloResult | null;
}

/** A BudgetComparisonResult with every amount as a number. */
export type PlainComparison = ReturnType<typeof plainComparison>;

function plainComparison(c: BudgetComparison) {
  type Numbers<T> = T extends { toNumber(): number } ? number : T extends readonly (infer U)[] ? Numbers<U>[] : T extends object ? { [K in keyof T]: Numbers<T[K]> } : T;
  return asPlain<Numbers<ReturnType<typeof compareBudget>>>(compareBudget(c));
}

/**
 * A budget comparison; with Monte Carlo, the guarantee fund's paths run on the engine (every
 * worker of the pool) and the other options' paths in one task, on the same cycles.
 */
export async function runBudget(engine: PolicyEngine, c: BudgetComparison, mc: { paths: number; seed: number } | null, hooks: Hooks = {}): Promise<BudgetOutcome> {
  await nextTick();
  const comparison = plainComparison(c);
  if (!mc) {
    hooks.onProgress?.(1);
    return { comparison, monteCarlo: null };
  }
  const gf = c.guaranteeFund.enabled ? guaranteeFundScenarioOf(c, mc.seed) : null;
  let closing: number[] | undefined;
  if (gf) {
    const run = await engine.run(gf, { paths: mc.paths, seed: mc.seed, samplePaths: 0 }, part(hooks, 0, 0.75));
    closing = run.pathSummaries.map((p) => p.closingCapital);
  }
  const monteCarlo = await engine.runTask({ kind: 'budgetMonteCarlo', comparison: c, paths: mc.paths, seed: mc.seed, guaranteeFundClosingCapital: closing }, part(hooks, gf ? 0.75 : 0, 1));
  if (!monteCarlo.complete) throw new Cancelled();
  return { comparison, monteCarlo };
}
