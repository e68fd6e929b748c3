import { describe, expect, it } from 'vitest';
import { normalCdf, inverseNormalCdf } from '../src/core/math/normal.ts';
import { createRng, streamFor, type RandomSource, type Xoshiro128StarStar } from '../src/core/random/rng.ts';
import { Decimal } from 'decimal.js';
import { binomial, standardNormal } from '../src/core/random/samplers.ts';
import { Runoff } from '../src/core/runoff.ts';

// ---------------------------------------------------------------------------
// Independent reference: the binomial pmf from log-gamma (Stirling series with
// upward shift), not from the ratio recursion or the BTRD hat used by the sampler.
// Validated below against scipy.stats.binom.pmf values (scipy 1.17.1).
// ---------------------------------------------------------------------------
function logGamma(x: number): number {
  // ln Γ(x) for x > 0: shift to x ≥ 15, then Stirling with 1/(12x) … 1/(1188x⁹) terms.
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const ix = 1 / x;
  const ix2 = ix * ix;
  const series =
    ix * (1 / 12 - ix2 * (1 / 360 - ix2 * (1 / 1260 - ix2 * (1 / 1680 - ix2 * (1 / 1188)))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p),
  );
}

/** Upper 99.9 % point of χ²(df), Wilson–Hilferty (relative error < 1 % for df ≥ 5). */
function chiSquareCritical999(df: number): number {
  const z = 3.090232306167813; // Φ⁻¹(0.999)
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/**
 * Pearson χ² of `draws` samples against the exact pmf. Cells are single values of k
 * with expected count ≥ 20 in the bulk, and the two tails pooled into one cell each.
 */
function chiSquareBinomial(draw: () => number, n: number, p: number, draws: number): { chi2: number; df: number } {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(mean - 12 * sd - 20));
  const hi = Math.min(n, Math.ceil(mean + 12 * sd + 20));
  const probs: number[] = [];
  for (let k = lo; k <= hi; k++) probs.push(binomialPmf(k, n, p));
  // Cells: [0, a) pooled, a..b single values, (b, n] pooled, where a, b bound the
  // region with expected count ≥ 20.
  let a = lo;
  while (a <= hi && probs[a - lo]! * draws < 20) a++;
  let b = hi;
  while (b >= a && probs[b - lo]! * draws < 20) b--;
  const expected: number[] = [];
  let below = 0;
  for (let k = lo; k < a; k++) below += probs[k - lo]!;
  let above = 0;
  for (let k = b + 1; k <= hi; k++) above += probs[k - lo]!;
  const total = probs.reduce((s, v) => s + v, 0);
  // Mass outside [lo, hi] (< 1e-30) goes to the tail cells.
  below += lo > 0 ? (1 - total) / 2 : 0;
  above += hi < n ? (1 - total) / 2 : 0;
  const counts = new Array<number>(b - a + 3).fill(0);
  let invalid = 0;
  for (let i = 0; i < draws; i++) {
    const x = draw();
    if (!(Number.isInteger(x) && x >= 0 && x <= n)) invalid++;
    const cell = x < a ? 0 : x > b ? b - a + 2 : x - a + 1;
    counts[cell]!++;
  }
  expect(invalid).toBe(0);
  expected.push(below * draws);
  for (let k = a; k <= b; k++) expected.push(probs[k - lo]! * draws);
  expected.push(above * draws);
  let chi2 = 0;
  let cells = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = expected[i]!;
    if (e > 0) {
      chi2 += (counts[i]! - e) ** 2 / e;
      cells++;
    } else {
      expect(counts[i]).toBe(0);
    }
  }
  return { chi2, df: cells - 1 };
}

describe('reference binomial pmf used by these tests', () => {
  it.each([
    // k, n, p, scipy.stats.binom.pmf (scipy 1.17.1)
    [30000, 1_000_000, 0.03, 0.002338634562701913],
    [29500, 1_000_000, 0.03, 3.13939391778954e-5],
    [20, 1000, 0.02, 0.08973706929554061],
    [0, 10_000, 1e-4, 0.36786104643292983],
    [6, 20, 0.3, 0.19163898275344254],
    [5_000_000, 10_000_000, 0.5, 0.0002523132458941848],
  ])('pmf(%s; %s, %s) matches scipy', (k, n, p, expected) => {
    expect(Math.abs(binomialPmf(k, n, p) / expected - 1)).toBeLessThan(1e-7);
  });
});

describe('binomial: goodness of fit against the exact pmf (fixed seeds)', () => {
  it.each([
    // n, p, draws, branch exercised
    [20, 0.3, 200_000, 'inversion, q^n by powering'],
    [5, 0.7, 200_000, 'inversion via symmetry'],
    [10_000, 2e-4, 200_000, 'inversion, q^n by exp/log1p'],
    [50, 0.22, 300_000, 'BTRD just above the switch (m = 11)'],
    [1000, 0.02, 300_000, 'BTRD, |k − m| ≤ 15 mostly'],
    [100, 0.6, 300_000, 'BTRD via symmetry'],
    [1_000_000, 0.03, 300_000, 'BTRD, squeeze and Stirling steps'],
  ] as ReadonlyArray<readonly [number, number, number, string]>)('Bin(%s, %s), %s draws [%s]', (n, p, draws) => {
    const rng = streamFor(20240601, n);
    const { chi2, df } = chiSquareBinomial(() => binomial(rng, n, p), n, p, draws);
    expect(df).toBeGreaterThan(2);
    expect(chi2).toBeLessThan(chiSquareCritical999(df));
  });
});

describe('binomial: mean and variance', () => {
  it.each([
    [5, 0.3],
    [20, 0.02],
    [1000, 0.01],
    [1_000_000, 0.03],
    [10_000_000, 0.5],
    [0, 0.3],
    [10, 0],
    [10, 1],
  ])('Bin(%s, %s)', (n, p) => {
    const rng = createRng(n * 1000 + Math.round(p * 100));
    const draws = 200_000;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < draws; i++) {
      const x = binomial(rng, n, p);
      s += x;
      ss += x * x;
    }
    const mean = s / draws;
    const variance = ss / draws - mean * mean;
    const v = n * p * (1 - p);
    if (v === 0) {
      expect(mean).toBe(n * p);
      expect(variance).toBe(0);
      return;
    }
    // Standard errors: mean √(v/N); sample variance √((μ₄ − v²)/N), μ₄ = 3v² + v(1 − 6pq).
    const mu4 = 3 * v * v + v * (1 - 6 * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(v / draws));
    expect(Math.abs(variance - v)).toBeLessThan(5 * Math.sqrt((mu4 - v * v) / draws));
  });
});

describe('binomial: edge cases and determinism', () => {
  it('degenerate parameters', () => {
    const rng = createRng(1);
    expect(binomial(rng, 0, 0.3)).toBe(0);
    expect(binomial(rng, 0, 1)).toBe(0);
    expect(binomial(rng, 10, 0)).toBe(0);
    expect(binomial(rng, 10, 1)).toBe(10);
    expect(binomial(rng, 2 ** 53 - 1, 0)).toBe(0);
  });

  it('inverts the exact cdf: X is the smallest x with U < F(x), U from a twin of the stream', () => {
    // F in 40-digit decimal arithmetic; p > ½ goes through n − Bin(n, 1 − p) with the same U.
    const Precise = Decimal.clone({ precision: 40 });
    const cdf = (n: number, p: number): Decimal[] => {
      const pd = new Precise(p.toPrecision(25));
      const qd = new Precise(1).minus(pd);
      let pmf = qd.pow(n);
      let total = pmf;
      const out = [total];
      for (let x = 1; x <= n; x++) {
        pmf = pmf.times(n - x + 1).div(x).times(pd).div(qd);
        total = total.plus(pmf);
        out.push(total);
      }
      return out;
    };
    for (const [n, p] of [[1, 0.3], [1, 0.8], [3, 0.1], [20, 0.05], [200, 0.01], [12, 0.9]] as const) {
      const flip = p > 0.5;
      const F = cdf(n, flip ? 1 - p : p);
      const a = streamFor(31, n);
      const b = streamFor(31, n);
      let checked = 0;
      for (let i = 0; i < 2000; i++) {
        const u = b.nextFloat();
        const x = binomial(a, n, p);
        // Uniforms within 1e-12 of a cut point are left out: rounding may put them either side.
        if (F.some((f) => f.minus(u).abs().lt(1e-12))) continue;
        const y = F.findIndex((f) => f.gt(u));
        expect(x).toBe(flip ? n - y : y);
        checked++;
      }
      expect(checked).toBeGreaterThan(1990);
    }
  });

  it('huge n stays within a few standard deviations of n·p', () => {
    const rng = createRng(5);
    const n = 2 ** 52;
    for (const p of [1e-12, 0.5, 0.999]) {
      const sd = Math.sqrt(n * p * (1 - p));
      for (let i = 0; i < 100; i++) {
        const x = binomial(rng, n, p);
        expect(Number.isInteger(x)).toBe(true);
        expect(Math.abs(x - n * p)).toBeLessThan(7 * sd + 1);
      }
    }
  });

  it('is reproducible for a given stream', () => {
    const a = streamFor(9, 3);
    const b = streamFor(9, 3);
    for (let i = 0; i < 1000; i++) {
      const n = 1 + (i % 500) * 37;
      const p = ((i % 13) + 1) / 27;
      expect(binomial(a, n, p)).toBe(binomial(b, n, p));
    }
  });

  it('rejects invalid arguments', () => {
    const rng = createRng(1);
    expect(() => binomial(rng, -1, 0.5)).toThrow(RangeError);
    expect(() => binomial(rng, 1.5, 0.5)).toThrow(RangeError);
    expect(() => binomial(rng, NaN, 0.5)).toThrow(RangeError);
    expect(() => binomial(rng, 2 ** 53, 0.5)).toThrow(RangeError);
    expect(() => binomial(rng, 10, -0.1)).toThrow(RangeError);
    expect(() => binomial(rng, 10, 1.1)).toThrow(RangeError);
    expect(() => binomial(rng, 10, NaN)).toThrow(RangeError);
  });
});

describe('the run-off\'s binomial draws (with per-slot tables of powers)', () => {
  /** A run-off instance drawing from `rng`: 8 slots with tables, as a quarterly run has. */
  function runoffDrawing(rng: Xoshiro128StarStar) {
    const runoff = new Runoff({ customDefaults: () => NaN });
    runoff.init(1, 1, 1, 1, true, false, false);
    rng.moveStateTo(runoff.generatorState());
    return runoff;
  }

  it.each([
    // n, p, alternating p of the same slot, branch exercised
    [20, 0.3, 0.05, 'inversion, q^n from the tables'],
    [200, 0.01, 0.04, 'inversion, both tables used (n ≥ 16)'],
    [5, 0.7, 0.2, 'inversion via symmetry'],
    [10_000, 2e-4, 5e-4, 'inversion above the tables (n > 255)'],
    [100, 0.6, 0.3, 'BTRD via symmetry'],
  ] as ReadonlyArray<readonly [number, number, number, string]>)(
    'Bin(%s, %s), its slot switching to p = %s between draws, fits the exact pmf [%s]',
    (n, p, other, _branch) => {
      const runoff = runoffDrawing(streamFor(20261128, n));
      // Every other draw on the slot is at another p, so the slot's tables are rebuilt each time.
      const draw = () => {
        runoff.drawBinomial(n, other, 1);
        return runoff.drawBinomial(n, p, 1);
      };
      const { chi2, df } = chiSquareBinomial(draw, n, p, 200_000);
      expect(df).toBeGreaterThan(2);
      expect(chi2).toBeLessThan(chiSquareCritical999(df));
    },
  );

  const Precise = Decimal.clone({ precision: 40 });

  it('takes q^n from its tables to 4e-14, q^n in 40-digit decimal arithmetic, for every n ≤ 255', () => {
    const runoff = runoffDrawing(streamFor(1, 1));
    for (const [slot, p] of [[0, 0.003], [1, 0.04], [2, 0.011], [3, 0.5]] as const) {
      for (let n = 1; n <= 255; n++) {
        // q = 1 − p exactly as the run-off forms it (every digit of the double), then q^n.
        const qn = new Precise((1 - p).toPrecision(60)).pow(n);
        const relativeError = new Precise(runoff.tablePower(n, p, slot)).minus(qn).div(qn).abs().toNumber();
        expect(relativeError).toBeLessThan(4e-14);
      }
    }
  });

  it('makes with its tables the draws binomial() makes without them, from the same stream', () => {
    // The two differ only in how q^n is rounded (~1e-14), so a uniform would have to fall that
    // close to a cut point for the draws to differ: probability ~1e-8 over these draws.
    const runoff = runoffDrawing(streamFor(7, 1));
    const b = streamFor(7, 1);
    for (let i = 0; i < 100_000; i++) {
      const slot = i % 8;
      const n = [0, 1, 7, 16, 17, 120, 255, 256, 3000][i % 9]!;
      const p = [0, 0.002, 0.01, 0.03, 0.2, 0.5, 0.97, 1][(i >> 3) % 8]!;
      expect(runoff.drawBinomial(n, p, slot)).toBe(binomial(b, n, p));
    }
  });
});

describe('standardNormal', () => {
  it('is Φ⁻¹ of one uniform (so path streams stay aligned)', () => {
    const a = createRng(11);
    const b = createRng(11);
    for (let i = 0; i < 1000; i++) expect(standardNormal(a)).toBe(inverseNormalCdf(b.nextFloat()));
  });

  it('redraws U = 0 instead of returning −∞', () => {
    const seq = [0, 0, 0.975];
    let i = 0;
    const src: RandomSource = { nextFloat: () => seq[i++]! };
    expect(standardNormal(src)).toBeCloseTo(1.959963984540054, 14);
  });

  it('mean 0, variance 1, kurtosis 3 and χ² of Φ(Z) on 100 bins (fixed seed)', () => {
    const rng = createRng(2718);
    const n = 1_000_000;
    const bins = new Array<number>(100).fill(0);
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    let beyond3 = 0;
    for (let i = 0; i < n; i++) {
      const z = standardNormal(rng);
      s1 += z;
      s2 += z * z;
      s4 += z * z * z * z;
      if (Math.abs(z) > 3) beyond3++;
      bins[Math.min(99, Math.floor(normalCdf(z) * 100))]!++;
    }
    const mean = s1 / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n)); // Var(Z⁴) = 105 − 9 = 96
    // P(|Z| > 3) = 2Φ(−3) = 0.0026997960632601891 (mpmath).
    const pTail = 0.0026997960632601891;
    expect(Math.abs(beyond3 / n - pTail)).toBeLessThan(5 * Math.sqrt((pTail * (1 - pTail)) / n));
    const e = n / 100;
    const chi2 = bins.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(148.23); // χ²(99) 99.9 % point (scipy.stats.chi2.ppf)
  });
});
