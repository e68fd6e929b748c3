/** Random variates: standard normals, and binomials from the run-off's sampler. */

import { inverseNormalCdf } from '../math/normal.ts';
import { Runoff } from '../runoff.ts';
import type { RandomSource, Xoshiro128StarStar } from './rng.ts';

/**
 * Standard normal variate by inversion: Φ⁻¹(U) with U uniform on (0, 1).
 * Exact in distribution up to the 2^-53 granularity of U (AS 241 is accurate to
 * ~1e-16), stateless (one uniform per normal, so path streams stay aligned), and
 * monotone in U. U = 0 (probability 2^-53) is redrawn rather than mapped to -∞.
 * The extreme attainable values are Φ⁻¹(2^-53) ≈ −8.21 and Φ⁻¹(1 − 2^-53) ≈ 8.21.
 */
export function standardNormal(rng: RandomSource): number {
  let u = rng.nextFloat();
  while (u === 0) u = rng.nextFloat();
  return inverseNormalCdf(u);
}

/** A run-off instance used only for its sampler (no book: sizes of 1). */
const sampler = new Runoff({ customDefaults: () => NaN });
sampler.init(1, 1, 1, 1, false, false, false);
const samplerState = sampler.generatorState();

/**
 * Binomial(n, p) variate, exact for any safe integer n ≥ 0 and p ∈ [0, 1]: inversion for small
 * n·p, BTRD above (the methods are described in ../runoff.ts, whose sampler the Monte Carlo
 * engine draws from inside its run-off and this function draws from too). The generator's
 * state moves into that run-off's words while it draws.
 * Throws RangeError for invalid n or p.
 */
export function binomial(rng: Xoshiro128StarStar, n: number, p: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`binomial: n must be a non-negative safe integer, got ${n}`);
  }
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`binomial: p must be in [0, 1], got ${p}`);
  }
  rng.moveStateTo(samplerState);
  return sampler.drawBinomial(n, p, -1);
}
