/**
 * The policy job types of the worker pool (sensitivity points, tasks) and the in-thread engine:
 * the same results as the core's single-threaded functions, whatever the number of workers or
 * the chunking; progress up to 1; cancellation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  budgetComparisonMonteCarlo, compareBudget, parseBudgetComparison, parseSearchSpec, parseSweepSpec, parseTornadoSpec,
  searchCoverageAndFee, sweep, sweepPlan, tornado, evaluatePoints, type BudgetComparison,
} from '../../src/core/policy/index.ts';
import { MonteCarloPool, RunCancelledError } from '../../src/pool/pool.ts';
import { runPolicyTask } from '../../src/pool/tasks.ts';
import { InlinePolicyEngine, runBudget, runSearch, runSweep, runTornado } from '../../src/server/policy/engine.ts';
import { plain } from '../../src/core/money.ts';
import { preset } from './helpers.ts';

const pools: MonteCarloPool[] = [];
const pool = (workers: number, chunkSize?: number) => {
  const p = new MonteCarloPool({ workers, chunkSize });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const s = { ...preset('default'), horizonYears: 5 };
const sweepSpec = () => {
  const r = parseSweepSpec({
    x: { path: 'guarantee.coverageRatio', from: 0.6, to: 1, steps: 3 },
    y: { path: 'guarantee.annualFee.0.rate', from: 0.005, to: 0.025, steps: 3 },
    indicator: 'capital', depletionTarget: 0.05, paths: 40, seed: 9,
  }, s);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

function foundingComparison(extra: Record<string, unknown> = {}): BudgetComparison {
  const r = parseBudgetComparison({
    name: 'Test comparison', budget: 10_000_000, horizonYears: 6, currency: 'EUR', periodsPerYear: 4,
    scenario: preset('startup-local-fund'), target: { kind: 'stage', stage: 'founding' },
    interestSubsidy: { enabled: true }, monteCarlo: { paths: 60, seed: 5 }, ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('sensitivity points on the pool', () => {
  it('gives the core’s results in point order, on 1 or 2 workers and any chunking', async () => {
    const spec = sweepSpec();
    const plan = sweepPlan(s, spec);
    const reference = evaluatePoints(s, plan.points, plan.indicators, { paths: 40, seed: 9 }).results;
    const one = await pool(1, 9).evaluatePoints(s, plan.points, plan.indicators, { paths: 40, seed: 9 });
    const two = await pool(2, 1).evaluatePoints(s, plan.points, plan.indicators, { paths: 40, seed: 9 });
    const twoOther = await pool(2, 4).evaluatePoints(s, plan.points, plan.indicators, { paths: 40, seed: 9 });
    expect(one).toEqual(reference);
    expect(two).toEqual(reference);
    expect(twoOther).toEqual(reference);
  });

  it('assembles the same sweep and tornado as the core, with progress up to 1', async () => {
    const p = pool(2);
    const seen: number[] = [];
    const spec = sweepSpec();
    expect(await runSweep(p, s, spec, { onProgress: (f) => seen.push(f) })).toEqual(sweep(s, spec));
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const t = parseTornadoSpec({ indicator: 'depletion', paths: 30, parameters: [{ path: 'guarantee.coverageRatio' }, { path: 'fund.recoveryRate', low: 0.1, high: 0.5 }] }, s);
    if (!t.ok) throw new Error('bad spec');
    expect(await runTornado(p, s, t.value)).toEqual(tornado(s, t.value));
  });

  it('can be cancelled, and the pool is free again afterwards', async () => {
    const p = pool(2, 1);
    const plan = sweepPlan(s, { ...sweepSpec(), paths: 3000 });
    const controller = new AbortController();
    const job = p.evaluatePoints(s, plan.points, ['depletion'], { paths: 3000, seed: 1 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(job).rejects.toBeInstanceOf(RunCancelledError);
    const after = await p.evaluatePoints(s, plan.points.slice(0, 2), ['capital'], { paths: 1, seed: 1 });
    expect(after).toHaveLength(2);
  });
});

describe('tasks on the pool', () => {
  it('runs a search whole on a worker, with the core’s answer', async () => {
    const spec = parseSearchSpec({ depletionTarget: 0.1, feeCeiling: 0.03, gridSteps: 3, refinements: 1, paths: 30, seed: 3 });
    if (!spec.ok) throw new Error('bad spec');
    const seen: number[] = [];
    const result = await runSearch(pool(1), s, spec.value, { onProgress: (f) => seen.push(f) });
    expect(result).toEqual(searchCoverageAndFee(s, spec.value));
    expect(seen.at(-1)).toBe(1);
    expect(runPolicyTask({ kind: 'search', scenario: s, spec: spec.value })).toEqual(result);
  });

  it('runs a budget comparison’s Monte Carlo: the guarantee fund’s paths on every worker, the rest in a task, as one thread would', async () => {
    const c = foundingComparison();
    const seen: number[] = [];
    const outcome = await runBudget(pool(2), c, { paths: 60, seed: 5 }, { onProgress: (f) => seen.push(f) });
    expect(outcome.comparison).toEqual(JSON.parse(JSON.stringify(plain(compareBudget(c)))));
    expect(outcome.monteCarlo).toEqual(budgetComparisonMonteCarlo(c, { paths: 60, seed: 5 }));
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('the in-thread policy engine', () => {
  it('gives the same results as the pool', async () => {
    const inline = new InlinePolicyEngine(8);
    const spec = sweepSpec();
    expect(await runSweep(inline, s, spec)).toEqual(sweep(s, spec));
    const c = foundingComparison();
    expect(await runBudget(inline, c, { paths: 60, seed: 5 })).toEqual(await runBudget(pool(1), c, { paths: 60, seed: 5 }));
  });

  it('stops between points when cancelled', async () => {
    const controller = new AbortController();
    const plan = sweepPlan(s, sweepSpec());
    const job = new InlinePolicyEngine().evaluatePoints(s, plan.points, ['capital'], { paths: 1, seed: 1 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(job).rejects.toThrow(/cancelled/);
  });
});
