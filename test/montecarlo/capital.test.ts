/**
 * Capital for a target probability of depletion with its sampling error: the central estimate
 * agrees with the command line's capitalForDepletionTarget (a separate bisection), the prudent
 * capital is the smallest whose whole Wilson interval meets the target, and both bracket.
 */
import { describe, expect, it } from 'vitest';
import { capitalForTarget } from '../../src/core/montecarlo/capital.ts';
import { depletionProbability, capitalForDepletionTarget } from '../../src/core/montecarlo/run.ts';
import { wilsonInterval } from '../../src/core/stats/intervals.ts';
import { loadPreset } from '../../src/presets/index.ts';

describe('capital for a 1 % probability of depletion (startup local fund, 600 paths)', () => {
  const s = loadPreset('startup-local-fund');
  const options = { paths: 600, seed: 5 };
  const r = capitalForTarget(s, 0.01, options);
  const top = s.fund.initialCapital * 64;

  it('the central estimate is the command line’s answer', () => {
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const cli = capitalForDepletionTarget(s, 0.01, options);
    expect(cli.capital).toBe(r.central.capital);
    expect(r.central.interval.estimate).toBe(depletionProbability(s, r.central.capital, options));
  });

  it('each probability carries the Wilson interval of its count of depleted paths', () => {
    if (!r.ok) throw new Error('expected a capital');
    for (const e of [r.central, r.prudent!, r.current]) {
      const k = Math.round(depletionProbability(s, e.capital, options) * 600);
      expect(e.interval).toEqual(wilsonInterval(k, 600));
    }
  });

  it('the prudent capital meets the target with its whole interval, a step below it does not, and it is at least the central one', () => {
    if (!r.ok || !r.prudent) throw new Error('expected a prudent capital');
    expect(r.prudent.interval.upper).toBeLessThanOrEqual(0.01);
    expect(r.prudent.capital).toBeGreaterThanOrEqual(r.central.capital);
    const below = r.prudent.capital - top * 1e-3;
    const k = Math.round(depletionProbability(s, below, options) * 600);
    expect(wilsonInterval(k, 600).upper).toBeGreaterThan(0.01);
    // By hand at n = 600: 1 depleted path gives an upper bound of (1 + 1.9207) / 603.8415 +
    // 1.96 / 603.8415 × √(599/600 + 0.9604) = 0.48 % + 0.45 % = 0.94 %; 2 give 0.65 % + 0.56 % = 1.21 %.
    // So the prudent capital leaves at most one depleted path of 600.
    expect(r.prudent.interval.events).toBeLessThanOrEqual(1);
  });

  it('says so when no capital in the bracket is enough', () => {
    const none = capitalForTarget(s, 0.01, { ...options, maxCapital: 1_000 });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.reason).toMatch(/^even 1,000 of capital leaves a probability of depletion of/);
  });
});
