/**
 * A run-off's fingerprint on one preset and period, run off to the last claim: for the
 * deterministic projection, each flow's sum over the periods and its period-weighted sum (so an
 * amount moved from one period to another shows); for Monte Carlo, each path's closing capital,
 * lifetime cost, net claims and depletion period. runoff-reference.json keeps the fingerprints
 * the WebAssembly run-off gave before the TypeScript one replaced it (runoff-reference.test.ts).
 */
import { emptyFlows, PortfolioState } from '../../src/core/engine.ts';
import { allocateOutputs, simulatePaths } from '../../src/core/montecarlo/paths.ts';
import { buildPlan } from '../../src/core/plan.ts';
import { expectedDefaults } from '../../src/core/projection.ts';
import { loadPreset, PRESET_IDS } from '../../src/presets/index.ts';

export interface Fingerprint {
  readonly preset: string;
  readonly period: 'annual' | 'quarterly';
  readonly projection: Record<string, [number, number]>;
  readonly paths: Record<'closingCapital' | 'lifetimePvCost' | 'cumulativeNetClaims' | 'depletionPeriod', number[]>;
}

export const FINGERPRINT_CASES = PRESET_IDS.flatMap((preset) => (['annual', 'quarterly'] as const).map((period) => [preset, period] as const));
export const FINGERPRINT_PATHS = 12;
export const FINGERPRINT_SEED = 7;

export function fingerprint(preset: (typeof PRESET_IDS)[number], period: 'annual' | 'quarterly'): Fingerprint {
  const plan = buildPlan({ ...loadPreset(preset), period }, { lifetime: true });
  const state = new PortfolioState(plan, true);
  const model = expectedDefaults(plan);
  const f = emptyFlows();
  const projection: Record<string, [number, number]> = {};
  const add = (key: string, t: number, x: number) => {
    projection[key] ??= [0, 0];
    const sums = projection[key];
    sums[0] += x;
    sums[1] += (t + 1) * x;
  };
  let capital = plan.scenario.fund.initialCapital;
  for (let t = 0; t < plan.totalPeriods; t++) {
    capital = state.step(t, capital, model, f);
    add('closingCapital', t, capital);
    for (const [key, value] of Object.entries(f)) {
      if (typeof value === 'number') add(key, t, value);
      else (value as Float64Array).forEach((x, si) => add(`${key}.${si}`, t, x));
    }
  }
  const c = state.cohorts!;
  for (const [key, values] of Object.entries({ fees: c.fees, claims: c.claims, recoveries: c.recoveries, stateCompensation: c.stateCompensation, exposure: c.exposure })) {
    values.forEach((x, i) => add(`cohorts.${key}`, i, x));
  }
  const out = allocateOutputs(FINGERPRINT_PATHS, plan.periods);
  simulatePaths(plan, FINGERPRINT_SEED, 0, FINGERPRINT_PATHS, out);
  return {
    preset,
    period,
    projection,
    paths: {
      closingCapital: [...out.closingCapital],
      lifetimePvCost: [...out.lifetimePvCost],
      cumulativeNetClaims: [...out.cumulativeNetClaims],
      depletionPeriod: [...out.depletionPeriod],
    },
  };
}
