/**
 * The asset correlation ρ of the one-factor model (docs/model.md §7) from yearly default counts.
 *
 * Maximum likelihood: in year y, bucket b (a risk grade of known PD_b) has d_yb defaults out of
 * e_yb loan-years at risk; given the year's factor Z, defaults are binomial with
 * p_b(Z) = Φ((Φ⁻¹(PD_b) − √ρ Z) / √(1 − ρ)), and Z is standard normal, independent across years:
 *
 *   ℓ(ρ) = Σ_y ln ∫ Π_b p_b(z)^d (1 − p_b(z))^(e − d) φ(z) dz.
 *
 * The integral is a trapezoid sum over z ∈ [−6, 6] in steps of 0.02, in log space. ρ̂ maximises
 * ℓ on [0, 0.7]; its 95 % interval is the profile-likelihood one, {ρ : 2 (ℓ(ρ̂) − ℓ(ρ)) ≤ χ²₁(0.95)}.
 *
 * Method of moments: the yearly default rate has mean PD and variance Var(p(Z)) = Φ₂(c, c; ρ) − PD²
 * (c = Φ⁻¹(PD)) plus the binomial noise PD(1 − PD)/e; ρ solves Φ₂(c, c; ρ) − PD² = s² − mean noise.
 */
import { inverseNormalCdf, normalCdf } from '../math/normal.ts';
import { CHI2_1_95, vasicekVariance } from './stats.ts';

export interface YearCounts {
  /** Loan-years at risk per bucket. */
  readonly exposure: readonly number[];
  /** Defaults per bucket. */
  readonly defaults: readonly number[];
}

const Z_STEP = 0.02;
const Z_GRID = Array.from({ length: Math.round(12 / Z_STEP) + 1 }, (_, i) => -6 + i * Z_STEP);
const LOG_PHI = Z_GRID.map((z) => -0.5 * z * z - 0.5 * Math.log(2 * Math.PI));
export const RHO_MAX = 0.7;

/** The log-likelihood of ρ for years of counts over buckets of the given PDs. */
export function vasicekLogLikelihood(rho: number, pds: readonly number[], years: readonly YearCounts[]): number {
  const c = pds.map((p) => inverseNormalCdf(Math.min(Math.max(p, 1e-6), 1 - 1e-6)));
  const sr = Math.sqrt(rho);
  const inv = 1 / Math.sqrt(1 - rho);
  const logP = new Float64Array(pds.length);
  const logQ = new Float64Array(pds.length);
  let total = 0;
  const terms = new Float64Array(Z_GRID.length);
  for (const y of years) {
    let max = -Infinity;
    for (let k = 0; k < Z_GRID.length; k++) {
      const z = Z_GRID[k]!;
      let s = LOG_PHI[k]!;
      for (let b = 0; b < pds.length; b++) {
        const e = y.exposure[b]!;
        if (!(e > 0)) continue;
        const x = (c[b]! - sr * z) * inv;
        const p = Math.min(Math.max(normalCdf(x), 1e-300), 1 - 1e-16);
        logP[b] = Math.log(p);
        logQ[b] = Math.log1p(-p);
        const d = y.defaults[b]!;
        s += d * logP[b]! + Math.max(e - d, 0) * logQ[b]!;
      }
      terms[k] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let k = 0; k < Z_GRID.length; k++) sum += Math.exp(terms[k]! - max) * (k === 0 || k === Z_GRID.length - 1 ? 0.5 : 1);
    total += max + Math.log(sum * Z_STEP);
  }
  return total;
}

export interface CorrelationFit {
  readonly ml: number;
  readonly lower: number;
  readonly upper: number;
  readonly logLikelihood: number;
}

/** ML estimate of ρ with its profile-likelihood interval (see above). */
export function fitCorrelationMl(pds: readonly number[], years: readonly YearCounts[]): CorrelationFit {
  const ll = (r: number) => vasicekLogLikelihood(r, pds, years);
  const step = 0.02;
  const grid: number[] = [];
  for (let r = 0; r <= RHO_MAX + 1e-12; r += step) grid.push(Math.min(r, RHO_MAX));
  const values = grid.map(ll);
  let best = 0;
  values.forEach((v, i) => { if (v > values[best]!) best = i; });
  // Golden-section refinement around the best grid point.
  let a = grid[Math.max(0, best - 1)]!;
  let b = grid[Math.min(grid.length - 1, best + 1)]!;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = ll(x1);
  let f2 = ll(x2);
  for (let i = 0; i < 30 && b - a > 1e-5; i++) {
    if (f1 < f2) { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = ll(x2); }
    else { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = ll(x1); }
  }
  let rhoHat = (a + b) / 2;
  let lMax = ll(rhoHat);
  if (values[best]! > lMax) { rhoHat = grid[best]!; lMax = values[best]!; }
  const cut = lMax - CHI2_1_95 / 2;
  const bound = (from: number, to: number): number => {
    // ℓ is above the cut at `from`; find where it crosses between from and to, or `to` if it never does.
    if (ll(to) >= cut) return to;
    let lo = from;
    let hi = to;
    for (let i = 0; i < 20 && Math.abs(hi - lo) > 1e-4; i++) {
      const mid = (lo + hi) / 2;
      if (ll(mid) >= cut) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  return { ml: rhoHat, lower: bound(rhoHat, 0), upper: bound(rhoHat, RHO_MAX), logLikelihood: lMax };
}

/**
 * Method-of-moments ρ from yearly default rates and their loan-years at risk: the ρ whose Vasicek
 * variance equals the rates' sample variance less the binomial noise; 0 when the noise explains
 * it all, RHO_MAX when even that is too little. Null with fewer than two years.
 */
export function fitCorrelationMoments(rates: readonly number[], exposures: readonly number[], pd?: number): number | null {
  const T = rates.length;
  if (T < 2) return null;
  const mean = pd ?? rates.reduce((s, r) => s + r, 0) / T;
  const s2 = rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (pd === undefined ? T - 1 : T);
  const noise = exposures.reduce((s, e) => s + (e > 0 ? (mean * (1 - mean)) / e : 0), 0) / T;
  return correlationForVariance(mean, s2 - noise);
}

/** The ρ whose Vasicek default-rate variance at this PD is `variance` (bisection). */
export function correlationForVariance(pd: number, variance: number): number {
  if (!(variance > 0) || pd <= 0 || pd >= 1) return 0;
  if (vasicekVariance(pd, RHO_MAX) <= variance) return RHO_MAX;
  let lo = 0;
  let hi = RHO_MAX;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (vasicekVariance(pd, mid) < variance) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
