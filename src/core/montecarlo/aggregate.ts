/**
 * From the paths' raw outputs to the reported distribution: percentiles per period, probability
 * of depletion by year, tail measures of cumulative net claims. Everything is computed in path
 * order from the stored values, so it does not depend on how the paths were split up.
 */
import { sortFloat32 } from '../math/sort.ts';
import { periodLabel } from '../projection.ts';
import type { Plan } from '../plan.ts';
import { SERIES_COUNT, type PathOutputs } from './paths.ts';
import { PERCENTILES, TAIL_LEVELS, type CostDistribution, type Fan, type LifetimeMonteCarlo, type MonteCarloResult, type PathSummary, type TailMeasure } from './types.ts';

/** Quantile of sorted data by linear interpolation between order statistics (Hyndman–Fan type 7, R's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a === b ? a : a + (h - lo) * (b - a);
}

/** Value at risk (type-7 quantile) and expected shortfall (mean of the worst ⌈(1 − q)·n⌉ outcomes) of losses. */
export function tailMeasure(sortedLosses: ArrayLike<number>, level: number): TailMeasure {
  const n = sortedLosses.length;
  const tail = Math.max(1, Math.ceil((1 - level) * n - 1e-9));
  let sum = 0;
  for (let i = n - tail; i < n; i++) sum += sortedLosses[i]!;
  return { level, valueAtRisk: quantileSorted(sortedLosses, level), expectedShortfall: sum / tail };
}

/**
 * The percentile bands and mean of every series, period by period. A path's four values of a
 * period sit side by side, so one pass per period gathers the four columns.
 */
function fans(out: PathOutputs, paths: number, periods: number): Fan[] {
  const result = Array.from({ length: SERIES_COUNT }, () => ({
    bands: PERCENTILES.map(() => new Array<number>(periods)),
    mean: new Array<number>(periods),
  }));
  // The series are float32: their columns sort in linear time.
  const columns = Array.from({ length: SERIES_COUNT }, () => new Float32Array(paths));
  const scratch = new Uint32Array(paths);
  const sums = new Float64Array(SERIES_COUNT);
  for (let t = 0; t < periods; t++) {
    sums.fill(0);
    for (let p = 0; p < paths; p++) {
      const base = (p * periods + t) * SERIES_COUNT;
      for (let k = 0; k < SERIES_COUNT; k++) {
        const v = out.series[base + k]!;
        columns[k]![p] = v;
        sums[k]! += v;
      }
    }
    for (let k = 0; k < SERIES_COUNT; k++) {
      const column = sortFloat32(columns[k]!, scratch);
      PERCENTILES.forEach((pc, i) => (result[k]!.bands[i]![t] = quantileSorted(column, pc / 100)));
      result[k]!.mean[t] = sums[k]! / paths;
    }
  }
  return result;
}

function histogram(sorted: Float64Array, bins: number): { edges: number[]; counts: number[] } {
  const lo = sorted[0] ?? 0;
  const hi = sorted[sorted.length - 1] ?? 0;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
  return { edges, counts };
}

/** Share of paths whose event period falls in or before each of the first `years` years. */
function cumulativeByYear(periodOfEvent: Int32Array, paths: number, plan: Plan, years = plan.scenario.horizonYears): number[] {
  const counts = new Array<number>(years).fill(0);
  for (let p = 0; p < paths; p++) {
    const t = periodOfEvent[p]!;
    const year = Math.floor(t / plan.periodsPerYear);
    if (t >= 0 && year < years) counts[year]! += 1;
  }
  let running = 0;
  return counts.map((c) => {
    running += c;
    return running / paths;
  });
}

/** Mean, percentiles and tail measures of one per-path amount (a cost: high is bad). */
function distribution(values: Float64Array, paths: number): CostDistribution {
  const sorted = Float64Array.from(values.subarray(0, paths)).sort();
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= paths;
  return {
    mean,
    percentiles: PERCENTILES.map((pc) => ({ percentile: pc, value: quantileSorted(sorted, pc / 100) })),
    tail: TAIL_LEVELS.map((level) => tailMeasure(sorted, level)),
    histogram: histogram(sorted, 30),
  };
}

function lifetimeSummary(plan: Plan, out: PathOutputs, paths: number): LifetimeMonteCarlo {
  let called = 0;
  for (let p = 0; p < paths; p++) if (out.capitalCalls[p]! > 0) called++;
  const years = Math.ceil(plan.totalPeriods / plan.periodsPerYear);
  const byYear = cumulativeByYear(out.depletionPeriod, paths, plan, years);
  return {
    years,
    probabilityOfDepletion: byYear[years - 1] ?? 0,
    probabilityOfDepletionByYear: byYear,
    horizonPvFiscalCost: distribution(out.horizonPvCost, paths),
    pvFiscalCost: distribution(out.lifetimePvCost, paths),
    economicCost: distribution(out.lifetimeEconomicCost, paths),
    capitalCalls: { probability: called / paths, amount: distribution(out.capitalCalls, paths) },
  };
}

export function summariseMonteCarlo(plan: Plan, out: PathOutputs, paths: number, seed: number, samplePaths = 20): MonteCarloResult {
  const T = plan.periods;
  const net = Float64Array.from(out.cumulativeNetClaims.subarray(0, paths)).sort();
  let mean = 0;
  for (const v of net) mean += v;
  mean /= paths;
  let ss = 0;
  for (const v of net) ss += (v - mean) ** 2;
  const pathSummaries: PathSummary[] = Array.from({ length: paths }, (_, p) => ({
    path: p,
    closingCapital: out.closingCapital[p]!,
    minimumCapital: out.minimumCapital[p]!,
    cumulativeNetClaims: out.cumulativeNetClaims[p]!,
    depletionYear: out.depletionPeriod[p]! >= 0 && out.depletionPeriod[p]! < T ? Math.floor(out.depletionPeriod[p]! / plan.periodsPerYear) + 1 : null,
    firmsSupported: out.firmsSupported[p]!,
    horizonPvFiscalCost: out.horizonPvCost[p]!,
    lifetimePvFiscalCost: out.lifetimePvCost[p]!,
    lifetimeEconomicCost: out.lifetimeEconomicCost[p]!,
    capitalCalls: out.capitalCalls[p]!,
  }));
  // In SERIES order.
  const [capital, claims, leverage, outstandingGuaranteed] = fans(out, paths, T) as [Fan, Fan, Fan, Fan];
  return {
    paths,
    seed,
    periodLabels: Array.from({ length: T }, (_, t) => periodLabel(plan, t)),
    capital,
    claims,
    leverage,
    outstandingGuaranteed,
    probabilityOfDepletion: cumulativeByYear(out.depletionPeriod, paths, plan),
    probabilityBelowMinimumCapital: cumulativeByYear(out.belowMinimumPeriod, paths, plan),
    netClaims: {
      mean,
      standardDeviation: paths > 1 ? Math.sqrt(ss / (paths - 1)) : 0,
      tail: TAIL_LEVELS.map((level) => tailMeasure(net, level)),
      histogram: histogram(net, 30),
    },
    lifetime: lifetimeSummary(plan, out, paths),
    samplePaths: Array.from({ length: Math.min(samplePaths, paths) }, (_, p) =>
      Array.from({ length: T }, (_, t) => out.series[(p * T + t) * SERIES_COUNT]!)),
    pathSummaries,
  };
}
