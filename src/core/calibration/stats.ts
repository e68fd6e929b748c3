/**
 * Statistics for calibration: intervals for a default rate (Jeffreys, Wilson), the beta and
 * Student t quantiles they need, and the Vasicek default rate's second moment. Pure.
 */
import { inverseNormalCdf, normalCdf } from '../math/normal.ts';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (modified Lentz; Numerical Recipes §6.4). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b), the Beta(a, b) distribution function at x. */
export function betaCdf(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError('betaCdf: a and b must be positive');
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Quantile of Beta(a, b) by bisection on the distribution function (to the accuracy of the incomplete beta, about 1e-9). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError('betaQuantile: p must be in [0, 1]');
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Quantile of Student's t with ν degrees of freedom (through the beta distribution). */
export function studentTQuantile(p: number, nu: number): number {
  if (p === 0.5) return 0;
  const tail = p < 0.5 ? p : 1 - p;
  // P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2).
  const x = betaQuantile(2 * tail, nu / 2, 0.5);
  const t = Math.sqrt((nu * (1 - x)) / x);
  return p < 0.5 ? -t : t;
}

export interface Interval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Jeffreys interval for a proportion: the equal-tailed interval of the Beta(d + ½, n − d + ½)
 * posterior (Brown, Cai and DasGupta, Statistical Science 16 (2001) 101-133). n may be a
 * fractional effective count (loans at risk with censored ones counted by half); d ≤ n.
 * As they recommend, the lower bound is 0 when d = 0 and the upper 1 when d = n.
 */
export function jeffreysInterval(d: number, n: number, confidence = 0.95): Interval {
  if (!(n > 0) || d < 0 || d > n + 1e-9) throw new RangeError('jeffreysInterval: need 0 ≤ d ≤ n and n > 0');
  const a = d + 0.5;
  const b = Math.max(n - d, 0) + 0.5;
  const alpha = 1 - confidence;
  return {
    estimate: d / n,
    lower: d === 0 ? 0 : betaQuantile(alpha / 2, a, b),
    upper: d >= n ? 1 : betaQuantile(1 - alpha / 2, a, b),
  };
}

/** Wilson score interval, for a fractional effective count n as well as a whole one. */
export function wilsonIntervalOf(d: number, n: number, confidence = 0.95): Interval {
  const z = inverseNormalCdf(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const centre = (d + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt(Math.max(0, (d * (n - d)) / n) + z2 / 4);
  return { estimate: d / n, lower: d === 0 ? 0 : Math.max(0, centre - half), upper: d >= n ? 1 : Math.min(1, centre + half) };
}

/** Mean with a Student t interval; null when fewer than two values. */
export function meanInterval(values: ArrayLike<number>, confidence = 0.95): (Interval & { sd: number; n: number }) | null {
  const n = values.length;
  if (n < 2) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd / Math.sqrt(n);
  return { estimate: mean, lower: mean - half, upper: mean + half, sd, n };
}

/** Quantile (type 7, linear between order statistics) of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * P(X ≤ c, Y ≤ c) for standard normals with correlation ρ ∈ [0, 1): Φ₂(c, c; ρ). From
 * Sheppard's formula, Φ₂(h, k; ρ) = Φ(h) Φ(k) + (1/2π) ∫₀^{asin ρ} exp(−(h² + k² − 2hk sin θ) / (2 cos² θ)) dθ,
 * whose integrand at h = k is exp(−c² / (1 + sin θ)): smooth, so 64-point Gauss–Legendre on
 * two halves is exact to rounding.
 */
export function bivariateNormalEqual(c: number, rho: number): number {
  if (rho <= 0) return normalCdf(c) ** 2;
  if (!Number.isFinite(c)) return c < 0 ? 0 : 1;
  const top = Math.asin(Math.min(rho, 1));
  const f = (t: number) => Math.exp((-c * c) / (1 + Math.sin(t)));
  const integral = gaussLegendre(f, 0, top / 2) + gaussLegendre(f, top / 2, top);
  return normalCdf(c) ** 2 + integral / (2 * Math.PI);
}

/** Variance of the Vasicek default rate p(Z): Φ₂(Φ⁻¹(PD), Φ⁻¹(PD); ρ) − PD². */
export function vasicekVariance(pd: number, rho: number): number {
  if (pd <= 0 || pd >= 1) return 0;
  const c = inverseNormalCdf(pd);
  return Math.max(0, bivariateNormalEqual(c, rho) - pd * pd);
}

// 32-point Gauss–Legendre nodes and weights on [−1, 1], computed once by Newton's method on P₃₂.
const GL_N = 32;
const GL_X = new Float64Array(GL_N);
const GL_W = new Float64Array(GL_N);
(() => {
  for (let i = 0; i < GL_N; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (GL_N + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= GL_N; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (GL_N * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    GL_X[i] = x;
    GL_W[i] = 2 / ((1 - x * x) * dp * dp);
  }
})();

export function gaussLegendre(f: (x: number) => number, a: number, b: number): number {
  const half = (b - a) / 2;
  const mid = (a + b) / 2;
  let s = 0;
  for (let i = 0; i < GL_N; i++) s += GL_W[i]! * f(mid + half * GL_X[i]!);
  return s * half;
}

/** 95 % point of the χ² distribution with one degree of freedom: the likelihood-ratio interval's cut. */
export const CHI2_1_95 = 3.841458820694124;
