/**
 * Sampling error of a probability estimated by Monte Carlo: k of n paths show the event.
 *
 * The Wilson score interval (E. B. Wilson, "Probable inference, the law of succession, and
 * statistical inference", JASA 22 (1927) 209-212) is the set of p for which the observed share
 * k / n lies within z standard errors √(p (1 − p) / n) of p:
 *
 *   centre = (k + z²/2) / (n + z²),  half-width = z / (n + z²) · √(k (n − k) / n + z²/4).
 *
 * Unlike the normal approximation k/n ± z √(p̂(1 − p̂)/n), it never leaves [0, 1] and does not
 * collapse to a point when no path (or every path) shows the event, which matters for a
 * probability of depletion that is often a few per cent. Newcombe (1998, Statistics in
 * Medicine 17, 857-872) found its coverage close to the nominal level for all n and p.
 */
import { inverseNormalCdf } from '../math/normal.ts';

/** Confidence level used wherever the app shows a sampling interval. */
export const DEFAULT_CONFIDENCE = 0.95;

export interface ProportionInterval {
  /** Number of paths with the event. */
  readonly events: number;
  readonly paths: number;
  /** events / paths. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
}

/** Two-sided Wilson score interval for k events in n trials at the given confidence (0.95 = 95 %). */
export function wilsonInterval(events: number, paths: number, confidence = DEFAULT_CONFIDENCE): ProportionInterval {
  if (!Number.isInteger(paths) || paths < 1) throw new RangeError('paths must be a whole number of at least 1');
  if (!Number.isInteger(events) || events < 0 || events > paths) throw new RangeError('events must be a whole number from 0 to paths');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be between 0 and 1');
  const z = inverseNormalCdf(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const n = paths;
  const k = events;
  const centre = (k + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt((k * (n - k)) / n + z2 / 4);
  // At k = 0 (k = n) the lower (upper) bound is exactly 0 (1); clamp rounding either side.
  const lower = k === 0 ? 0 : Math.max(0, centre - half);
  const upper = k === n ? 1 : Math.min(1, centre + half);
  return { events: k, paths: n, estimate: k / n, lower, upper, confidence };
}

/**
 * The interval of a share already computed as k / n (a Monte Carlo result stores shares):
 * k is recovered as the nearest whole number, exact for any n up to 2⁵².
 */
export function intervalOfShare(share: number, paths: number, confidence = DEFAULT_CONFIDENCE): ProportionInterval {
  const k = Math.min(paths, Math.max(0, Math.round(share * paths)));
  return wilsonInterval(k, paths, confidence);
}

export type Verdict = 'below' | 'above' | 'unclear';

/**
 * Where a probability stands against a target, given its interval: 'below' (at or under the
 * target) only when the whole interval is, 'above' only when the whole interval is over it,
 * else 'unclear': more paths are needed to tell.
 */
export function verdictAgainst(interval: Pick<ProportionInterval, 'lower' | 'upper'>, target: number): Verdict {
  if (interval.upper <= target) return 'below';
  if (interval.lower > target) return 'above';
  return 'unclear';
}
