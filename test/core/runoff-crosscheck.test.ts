/**
 * The two run-offs, WebAssembly and TypeScript, checked against each other: the same plan, the
 * same default model and the same seed give the same flows, period by period, within 1e-9
 * relative, for every preset, annual and quarterly, each run off to its last claim.
 */
import { describe, expect, it } from 'vitest';
import { emptyFlows, engineOptions, PortfolioState, type DefaultModel, type RunoffKind } from '../../src/core/engine.ts';
import { allocateOutputs, simulatePaths, type PathOutputs } from '../../src/core/montecarlo/paths.ts';
import { buildPlan, type Plan } from '../../src/core/plan.ts';
import { expectedDefaults } from '../../src/core/projection.ts';
import { TsRunoff } from '../../src/core/runoff-ts.ts';
import { streamFor } from '../../src/core/random/rng.ts';
import { instantiateRunoff } from '../../src/core/wasm/runoff.ts';
import { loadPreset, PRESET_IDS } from '../../src/presets/index.ts';

const RELATIVE = 1e-9;

/** Index of the first pair of numbers further apart than 1e-9 relative, or −1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Object.is(x, y)) continue;
    if (!(Math.abs(x - y) <= RELATIVE * Math.max(Math.abs(x), Math.abs(y)))) return i;
  }
  return -1;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  const at = firstDifference(a, b);
  expect(at, `${what}: first difference at ${at} (${a[at]} vs ${b[at]})`).toBe(-1);
}

/** Every number of every period's flows, and the cohorts' arrays at the end, for the deterministic projection. */
function projectionNumbers(plan: Plan, model: DefaultModel, kind: RunoffKind): { flows: number[]; cohorts: number[] } {
  const state = new PortfolioState(plan, true, kind);
  const f = emptyFlows();
  const flows: number[] = [];
  let capital = plan.scenario.fund.initialCapital;
  for (let t = 0; t < plan.totalPeriods; t++) {
    capital = state.step(t, capital, model, f);
    flows.push(capital);
    for (const value of Object.values(f)) {
      if (typeof value === 'number') flows.push(value);
      else flows.push(...(value as Float64Array));
    }
  }
  const c = state.cohorts!;
  return { flows, cohorts: [...c.fees, ...c.claims, ...c.recoveries, ...c.stateCompensation, ...c.exposure] };
}

/** Monte Carlo paths with the engine's default run-off set to `kind`. */
function paths(plan: Plan, kind: RunoffKind, count: number): PathOutputs {
  const before = engineOptions.runoff;
  engineOptions.runoff = kind;
  try {
    const out = allocateOutputs(count, plan.periods);
    simulatePaths(plan, 7, 0, count, out);
    return out;
  } finally {
    engineOptions.runoff = before;
  }
}

const cases = PRESET_IDS.flatMap((id) => (['annual', 'quarterly'] as const).map((period) => [id, period] as const));

describe('the TypeScript run-off against the WebAssembly one', () => {
  it.each(cases)('gives the same projection, flows and cohorts, for %s (%s, lifetime)', (id, period) => {
    const plan = buildPlan({ ...loadPreset(id), period }, { lifetime: true });
    expect(plan.runoffPeriods).toBeGreaterThan(0);
    const wasm = projectionNumbers(plan, expectedDefaults(plan), 'wasm');
    const ts = projectionNumbers(plan, expectedDefaults(plan), 'ts');
    expectClose(ts.flows, wasm.flows, 'flows');
    expectClose(ts.cohorts, wasm.cohorts, 'cohorts');
  });

  it.each(cases)('gives the same Monte Carlo paths, binomial draws included, for %s (%s, lifetime)', (id, period) => {
    const plan = buildPlan({ ...loadPreset(id), period }, { lifetime: true });
    const count = period === 'annual' ? 40 : 12;
    const wasm = paths(plan, 'wasm', count);
    const ts = paths(plan, 'ts', count);
    for (const key of Object.keys(wasm) as (keyof PathOutputs)[]) expectClose(ts[key], wasm[key], key);
    // The paths are not all alike: the draws did something.
    expect(new Set(ts.closingCapital).size).toBeGreaterThan(1);
  });

  it('gives the same custom-model defaults: the call-back sees the same buckets in the same order', () => {
    const plan = buildPlan(loadPreset('chile-fogape'), { lifetime: true });
    const seen: Record<RunoffKind, number[]> = { wasm: [], ts: [] };
    for (const kind of ['wasm', 'ts'] as const) {
      const model: DefaultModel = {
        ...expectedDefaults(plan),
        defaultCount: 'custom',
        defaults: (n, p, slot) => {
          seen[kind].push(n, p, slot);
          return n * p * 0.9;
        },
      };
      projectionNumbers(plan, model, kind);
    }
    expect(seen.ts.length).toBeGreaterThan(0);
    expectClose(seen.ts, seen.wasm, 'custom calls');
  });

  it('draws the same binomial variates from the same generator state, with and without tables', () => {
    const wasm = instantiateRunoff({ customDefaults: () => Number.NaN });
    const ts = new TsRunoff({ customDefaults: () => Number.NaN });
    const sizes = { grades: 5, maxLife: 1, periods: 1, queue: 1, transitions: false, cohorts: false };
    for (const r of [wasm, ts]) r.init(sizes.grades, sizes.maxLife, sizes.periods, sizes.queue, true, false, false);
    const draws: Record<RunoffKind, number[]> = { wasm: [], ts: [] };
    for (const [kind, r] of [['wasm', wasm], ['ts', ts]] as const) {
      streamFor(3, 0).moveStateTo(r.i32('rngState', sizes));
      for (const n of [1, 2, 7, 16, 100, 255, 256, 1000, 5000, 1e6, 2 ** 40]) {
        for (const p of [1e-6, 0.001, 0.01, 0.05, 0.2, 0.5, 0.7, 0.999, 1]) {
          for (const slot of [-1, 3]) draws[kind].push(r.drawBinomial(n, p, slot), r.drawBinomial(n, p, slot));
        }
      }
      for (const n of [0, 5, 17, 200, 255]) draws[kind].push(r.tablePower(n, 0.013, 7));
    }
    expectClose(draws.ts, draws.wasm, 'draws');
  });
});
