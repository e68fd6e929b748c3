/**
 * Monte Carlo paths: the period engine driven by a one-factor (Vasicek) default model.
 *
 * Each year a systematic factor Z follows an AR(1) business cycle, Z_y = φ Z_{y−1} + √(1−φ²) ε_y
 * (stationary N(0, 1); φ = 0 gives independent years), plus any deterministic stress shift for
 * that year; high Z is a good year. Z holds for every period of its year, so quarterly runs keep
 * the annual calibration of the asset correlations. Given Z, a bucket of n live loans with PD p
 * has Binomial(n, p(Z)) defaults, p(Z) = Φ((Φ⁻¹(p) − √ρ Z)/√(1−ρ)) (docs/model.md §7): the cost of a
 * path does not grow with the number of firms.
 *
 * Path i draws only from the stream derived from (seed, i), so results do not depend on how
 * paths are split between workers or chunks. This module is pure: it writes into arrays it is given.
 */
import { emptyFlows, PortfolioState, type DefaultModel } from '../engine.ts';
import { inverseNormalCdf, normalCdf } from '../math/normal.ts';
import type { Plan } from '../plan.ts';
import { standardNormal } from '../random/samplers.ts';
import { streamFor, type Xoshiro128StarStar } from '../random/rng.ts';
import { STAGE_COUNT } from '../stages.ts';

/** The per-period series kept for every path, in this order. */
export const SERIES = ['capital', 'claims', 'leverage', 'outstandingGuaranteed'] as const;
export const SERIES_COUNT = SERIES.length;

/**
 * Where paths write their results: plain or shared typed arrays. Series are float32 to bound
 * memory (paths × periods × 4 values); per-path summaries are float64.
 * series index: (path × periods + t) × SERIES_COUNT + k.
 */
export interface PathOutputs {
  readonly series: Float32Array;
  readonly closingCapital: Float64Array;
  readonly minimumCapital: Float64Array;
  readonly cumulativeNetClaims: Float64Array;
  /** First period (0-based) whose closing capital is below zero, run-off included; −1 if none. */
  readonly depletionPeriod: Int32Array;
  /** PV fiscal cost at the horizon and over the lifetime, and the lifetime economic cost (see costing.ts). */
  readonly horizonPvCost: Float64Array;
  readonly lifetimePvCost: Float64Array;
  readonly lifetimeEconomicCost: Float64Array;
  /** Capital calls paid over the lifetime. */
  readonly capitalCalls: Float64Array;
  /** First period whose capital is under the minimum capital ratio of outstanding guarantees; −1 if none. */
  readonly belowMinimumPeriod: Int32Array;
  readonly firmsSupported: Float64Array;
}

export function allocateOutputs(paths: number, periods: number, shared = false): PathOutputs {
  const make = <T>(Ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, n: number): T =>
    new Ctor(shared ? new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT) : new ArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));
  return {
    series: make(Float32Array, paths * periods * SERIES_COUNT),
    closingCapital: make(Float64Array, paths),
    minimumCapital: make(Float64Array, paths),
    cumulativeNetClaims: make(Float64Array, paths),
    depletionPeriod: make(Int32Array, paths),
    horizonPvCost: make(Float64Array, paths),
    lifetimePvCost: make(Float64Array, paths),
    lifetimeEconomicCost: make(Float64Array, paths),
    capitalCalls: make(Float64Array, paths),
    belowMinimumPeriod: make(Int32Array, paths),
    firmsSupported: make(Float64Array, paths),
  };
}

/** The one-factor default model of one path; reset per path, re-pointed per year. */
class VasicekDefaults implements DefaultModel {
  z = 0;
  /** PDs of the last factor value: Z holds for a whole year of quarters. */
  private cachedZ = NaN;
  private readonly cached: Float64Array;
  private readonly threshold: Float64Array;
  private readonly sqrtRho: Float64Array;
  /** 1/√(1 − ρ): a product is cheaper than a quotient in the per-year PDs. */
  private readonly inverseSqrtOneMinusRho: Float64Array;
  /** Binomial draws, in the engine's run-off, from this path's generator. */
  readonly defaultCount = 'binomial';

  constructor(private readonly plan: Plan, public rng: Xoshiro128StarStar) {
    const { grades } = plan;
    this.cached = new Float64Array(plan.pd.length);
    this.threshold = plan.pd.map((p) => (p <= 0 ? -Infinity : p >= 1 ? Infinity : inverseNormalCdf(p)));
    this.sqrtRho = new Float64Array(STAGE_COUNT * grades);
    this.inverseSqrtOneMinusRho = new Float64Array(STAGE_COUNT * grades);
    for (let s = 0; s < STAGE_COUNT; s++) {
      for (let g = 0; g < grades; g++) {
        this.sqrtRho[s * grades + g] = Math.sqrt(plan.correlation[s]!);
        this.inverseSqrtOneMinusRho[s * grades + g] = 1 / Math.sqrt(1 - plan.correlation[s]!);
      }
    }
  }

  annualPd(_t: number, out: Float64Array): void {
    if (this.z === this.cachedZ) {
      out.set(this.cached);
      return;
    }
    const pd = this.plan.pd;
    for (let i = 0; i < out.length; i++) {
      const c = this.threshold[i]!;
      const p = pd[i]!;
      out[i] = p <= 0 || p >= 1 || this.sqrtRho[i] === 0 ? p : normalCdf((c - this.sqrtRho[i]! * this.z) * this.inverseSqrtOneMinusRho[i]!);
    }
    this.cached.set(out);
    this.cachedZ = this.z;
  }

  /**
   * Whole loans: an expected count (from pro-rata rationing, say) is rounded at random,
   * keeping its mean, so live counts stay whole and the draws need no rounding later.
   */
  issued(n: number): number {
    const whole = Math.floor(n);
    return n - whole > 0 && this.rng.nextFloat() < n - whole ? whole + 1 : whole;
  }

  /** Recoveries fall in bad years: rate × (1 + s × Z), clamped to [0, 1] in the run-off. */
  recoveryFactor(): number {
    return 1 + this.plan.scenario.monteCarlo.downturnLgdSensitivity * this.z;
  }
}

/**
 * Simulates paths [from, to) of a run with `seed`, writing into `out` (indexed by absolute
 * path number). Each path runs to the end of the plan's run-off: the per-period series are kept
 * up to the horizon, the costs and the depletion period over the whole run. `shouldStop` is
 * polled between paths for cancellation; returns the number of paths completed.
 */
export function simulatePaths(plan: Plan, seed: number, from: number, to: number, out: PathOutputs, shouldStop?: () => boolean): number {
  const s = plan.scenario;
  const T = plan.periods;
  const last = plan.totalPeriods;
  const phi = s.monteCarlo.cyclePersistence;
  const innovation = Math.sqrt(1 - phi * phi);
  const stress = plan.stressShift;
  const state = new PortfolioState(plan);
  const flows = emptyFlows();
  const model = new VasicekDefaults(plan, streamFor(seed, from));
  const minRatio = s.fund.minCapitalRatio;
  for (let path = from; path < to; path++) {
    if (shouldStop?.()) return path - from;
    const rng = streamFor(seed, path);
    model.rng = rng;
    state.reset();
    let cycle = 0;
    let capital = s.fund.initialCapital;
    let minimum = capital;
    let netClaims = 0;
    let firms = 0;
    let depleted = -1;
    let belowMinimum = -1;
    // PV fiscal cost (public money in, less capital left) and economic cost, as in costing.ts.
    let publicPv = capital;
    let economic = 0;
    let horizonPv = 0;
    let calls = 0;
    let closingAtHorizon = capital;
    let base = path * T * SERIES_COUNT;
    for (let t = 0; t < last; t++) {
      if (t % plan.periodsPerYear === 0) {
        const eps = standardNormal(rng);
        cycle = t === 0 ? eps : phi * cycle + innovation * eps;
        model.z = cycle + stress[t / plan.periodsPerYear]!;
      }
      const opening = capital;
      capital = state.step(t, capital, model, flows);
      const atStart = flows.capitalInjection + flows.capitalCalls;
      const atEnd = flows.stateCompensation + flows.feeSubsidies;
      const df = plan.discountEnd[t]!;
      publicPv += atStart * plan.discountStart[t]! + atEnd * df;
      const privateOutflow = atStart + atEnd + flows.investmentIncome - (capital - opening);
      economic += (privateOutflow + plan.capitalCharge[t]! * (opening + atStart) - flows.investmentIncome) * df;
      calls += flows.capitalCalls;
      if (depleted < 0 && capital < 0) depleted = t;
      if (t === T - 1) {
        horizonPv = publicPv - capital * df;
        closingAtHorizon = capital;
      }
      if (t >= T) continue;
      const G = flows.outstandingGuaranteed;
      netClaims += flows.claimsPaid - flows.recoveries;
      firms += flows.newLoans;
      if (capital < minimum) minimum = capital;
      if (belowMinimum < 0 && (capital < 0 || (G > 0 && capital < minRatio * G))) belowMinimum = t;
      out.series[base] = capital;
      out.series[base + 1] = flows.claimsPaid;
      out.series[base + 2] = capital > 0 ? G / capital : Infinity;
      out.series[base + 3] = G;
      base += SERIES_COUNT;
    }
    out.horizonPvCost[path] = horizonPv;
    out.lifetimePvCost[path] = publicPv - capital * plan.discountEnd[last - 1]!;
    out.lifetimeEconomicCost[path] = economic;
    out.capitalCalls[path] = calls;
    out.closingCapital[path] = closingAtHorizon;
    out.minimumCapital[path] = minimum;
    out.cumulativeNetClaims[path] = netClaims;
    out.depletionPeriod[path] = depleted;
    out.belowMinimumPeriod[path] = belowMinimum;
    out.firmsSupported[path] = firms;
  }
  return to - from;
}
