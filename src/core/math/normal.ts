/**
 * Standard normal distribution: density, distribution function and quantile.
 *
 * normalCdf follows W. J. Cody, "Rational Chebyshev approximations for the error
 * function", Math. Comp. 23 (1969) 631-637, in the form used by R's nmath
 * pnorm.c (the coefficients below are Cody's ANORM coefficients, already scaled
 * for Φ rather than erf). The tail factor exp(-x²/2) is evaluated with the
 * "split x" trick (x = xs + δ with xs a multiple of 1/16, so xs² is exact) which
 * keeps full relative accuracy far into the tails: ~1e-15 relative down to
 * Φ(-37.5) ≈ 4.6e-308 (below that the result is subnormal and loses precision
 * gradually, then underflows to 0).
 *
 * inverseNormalCdf is Wichura's algorithm AS 241 (PPND16), Applied Statistics
 * 37 (1988) 477-484, accurate to about 1 part in 1e16 for 1e-300 < p < 1.
 */

const SQRT_32 = 5.656854249492380195206754896838; // √32: Cody's middle/tail boundary
const ONE_OVER_SQRT_2PI = 0.398942280401432677939946059934; // 1/√(2π)
const SPLIT_THRESHOLD = 0.67448975; // Φ⁻¹(3/4): Cody's small/middle boundary

// Cody (1969) ANORM coefficients, |x| <= 0.67448975.
const A0 = 2.2352520354606839287;
const A1 = 161.02823106855587881;
const A2 = 1067.6894854603709582;
const A3 = 18154.981253343561249;
const A4 = 0.065682337918207449113;
const B0 = 47.20258190468824187;
const B1 = 976.09855173777669322;
const B2 = 10260.932208618978205;
const B3 = 45507.789335026729956;

// 0.67448975 < |x| <= √32.
const C0 = 0.39894151208813466764;
const C1 = 8.8831497943883759412;
const C2 = 93.506656132177855979;
const C3 = 597.27027639480026226;
const C4 = 2494.5375852903726711;
const C5 = 6848.1904505362823326;
const C6 = 11602.651437647350124;
const C7 = 9842.7148383839780218;
const C8 = 1.0765576773720192317e-8;
const D0 = 22.266688044328115691;
const D1 = 235.38790178262499861;
const D2 = 1519.377599407554805;
const D3 = 6485.558298266760755;
const D4 = 18615.571640885098091;
const D5 = 34900.952721145977266;
const D6 = 38912.003286093271411;
const D7 = 19685.429676859990727;

// |x| > √32 (asymptotic region).
const P0 = 0.21589853405795699;
const P1 = 0.1274011611602473639;
const P2 = 0.022235277870649807;
const P3 = 0.001421619193227893466;
const P4 = 2.9112874951168792e-5;
const P5 = 0.02307344176494017303;
const Q0 = 1.28426009614491121;
const Q1 = 0.468238212480865118;
const Q2 = 0.0659881378689285515;
const Q3 = 0.00378239633202758244;
const Q4 = 7.29751555083966205e-5;

/** exp(-xs²/2) for xs = k/16, k = 0 … 639; beyond, exp(-x²/2) underflows (exp(-800) = 0). */
const EXP_MINUS_HALF_SQUARE_SIXTEENTHS = Float64Array.from({ length: 640 }, (_, k) => Math.exp(-(k / 16) * (k / 16) * 0.5));

/**
 * exp(-x²/2) with full relative accuracy for large |x|: x*x rounded would carry an
 * absolute error ~x²·2⁻⁵³ into the exponent (a relative error of ~1e-13 at |x| = 38).
 * Split x = xs + δ with xs = trunc(16x)/16, whose square is exact, and
 * x² = xs² + (x - xs)(x + xs); exp(-xs²/2) comes from a table (the same values as computing it).
 */
function expMinusHalfSquare(x: number): number {
  const k = Math.trunc(x * 16);
  const xs = k / 16;
  const del = (x - xs) * (x + xs);
  const index = Math.abs(k);
  return index < EXP_MINUS_HALF_SQUARE_SIXTEENTHS.length ? EXP_MINUS_HALF_SQUARE_SIXTEENTHS[index]! * Math.exp(-del * 0.5) : 0;
}

/** Standard normal density φ(x) = exp(-x²/2)/√(2π). */
export function normalPdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return 0;
  return ONE_OVER_SQRT_2PI * expMinusHalfSquare(x);
}

/**
 * Standard normal distribution function Φ(x) = P(Z <= x).
 * Relative error ~1e-15 in both tails (for the upper tail use Φ(-x) = 1 - Φ(x),
 * which is computed to full relative precision, rather than 1 - normalCdf(x)).
 * normalCdf(-Infinity) = 0, normalCdf(+Infinity) = 1, NaN → NaN.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= SPLIT_THRESHOLD) {
    // Φ(x) = 1/2 + x R(x²), no cancellation since |x R| <= 1/4.
    const xsq = x * x;
    let xnum = A4 * xsq;
    let xden = xsq;
    xnum = (xnum + A0) * xsq;
    xden = (xden + B0) * xsq;
    xnum = (xnum + A1) * xsq;
    xden = (xden + B1) * xsq;
    xnum = (xnum + A2) * xsq;
    xden = (xden + B2) * xsq;
    return 0.5 + (x * (xnum + A3)) / (xden + B3);
  }
  let tail: number; // Φ(-|x|)
  if (y <= SQRT_32) {
    let xnum = C8 * y;
    let xden = y;
    xnum = (xnum + C0) * y;
    xden = (xden + D0) * y;
    xnum = (xnum + C1) * y;
    xden = (xden + D1) * y;
    xnum = (xnum + C2) * y;
    xden = (xden + D2) * y;
    xnum = (xnum + C3) * y;
    xden = (xden + D3) * y;
    xnum = (xnum + C4) * y;
    xden = (xden + D4) * y;
    xnum = (xnum + C5) * y;
    xden = (xden + D5) * y;
    xnum = (xnum + C6) * y;
    xden = (xden + D6) * y;
    tail = ((xnum + C7) / (xden + D7)) * expMinusHalfSquare(y);
  } else if (y === Infinity) {
    tail = 0;
  } else {
    // Φ(-y) = φ(y)/y · (1 - R(1/y²)): the asymptotic (Mills ratio) form.
    const xsq = 1 / (y * y);
    let xnum = P5 * xsq;
    let xden = xsq;
    xnum = (xnum + P0) * xsq;
    xden = (xden + Q0) * xsq;
    xnum = (xnum + P1) * xsq;
    xden = (xden + Q1) * xsq;
    xnum = (xnum + P2) * xsq;
    xden = (xden + Q2) * xsq;
    xnum = (xnum + P3) * xsq;
    xden = (xden + Q3) * xsq;
    const r = (xsq * (xnum + P4)) / (xden + Q4);
    tail = ((ONE_OVER_SQRT_2PI - r) / y) * expMinusHalfSquare(y);
  }
  return x > 0 ? 1 - tail : tail;
}

/**
 * Standard normal quantile Φ⁻¹(p), Wichura AS 241 (PPND16).
 *
 * Domain choice: p must be a number in [0, 1]; the end points return the limits
 * Φ⁻¹(0) = -Infinity and Φ⁻¹(1) = +Infinity (so that e.g. a Vasicek PD of 0 or 1
 * propagates naturally); p < 0, p > 1 or NaN throw a RangeError.
 *
 * Accuracy: relative error ~1e-16 for 1e-300 < p < 1 - 1e-16 (the result for p
 * close to 1 is limited by the spacing of doubles near 1, not by the algorithm:
 * the computation uses r = 1 - p, which is exact there by Sterbenz's lemma).
 */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`inverseNormalCdf: probability must be in [0, 1], got ${p}`);
  }
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    // Central region: rational function in r = 0.180625 - q² (AS 241 eq. for |q| <= 0.425).
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.4952788528545610 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  // Tails: rational function in r = √(-ln(min(p, 1-p))).
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}
