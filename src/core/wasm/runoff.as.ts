/**
 * The run-off of the guaranteed book in one period: defaults, claims, amortisation and stage
 * transitions of every live (vintage, stage, grade) bucket, with the Monte Carlo's binomial
 * draws inline. AssemblyScript, compiled to WebAssembly by `npm run build:wasm`; the engine
 * (../engine.ts) keeps the book in this module's memory and runs everything else of a period
 * in TypeScript. This is the innermost loop of every projection and Monte Carlo path: in
 * WebAssembly a Monte Carlo path takes 20–30 % less time than with the same loop in
 * TypeScript, with bit-identical results.
 *
 * Every formula mirrors the TypeScript it replaced, operation for operation, so that float
 * rounding is the same: see ../engine.ts for the order of events. It also holds the project's
 * binomial sampler, which ../random/samplers.ts's binomial() draws from. Counts and amounts are
 * float64 throughout.
 */

// The shared memory's layout, the settings' order and the totals' order: generated from
// layout.ts by `npm run build:wasm` (add or resize an array there, not here).
import {
  STAGES, RECIPROCALS,
  CLAIM_LAG, CLAIM_LAG_FRACTION, RECOVERY_LAG, RECOVERY_LAG_FRACTION, LOCK_IN, RECOVERY_AFTER_LOCK_IN,
  QUIET_PERIODS, SUBSIDY_PERIODS, SUBSIDY_BOUNDARY_WEIGHT, STATE_SHARE, FIRST_EXPOSURE, DEFAULTED_EXPOSURE,
  TOTAL_END_GUARANTEED, TOTAL_END_PRINCIPAL, TOTAL_CLAIMS_INCURRED, TOTAL_CLAIMS_CAPPED, TOTAL_DEFAULTS,
  rngState, totals, averageGuaranteedByStage, defaultsByStage, life, loanSize, coverage, pdFull, pdFirst,
  balanceAtDefault, balanceEnd, balanceAverage, alive, mix, vintageClaims, vintageCap, claimsDue, recoveriesDue,
  stateDue, vintageStateThreshold, feeSubsidy, feesByStage, subsidisedFeesByStage, annualFee, recovery,
  cohortFees, cohortClaims, cohortRecoveries, cohortStateCompensation, cohortExposure, settings,
  trans, exitRate, gradeMap, scratch, nextMix, slotP, slotRatio, highFilled, powers, reciprocals,
  layOut, address as arrayAddress,
} from './runoff-layout.as';

/** JavaScript's Math.log and Math.exp: the draws stay those the TypeScript sampler this module replaced made. */
@external("env", "log") declare function log(x: f64): f64;
@external("env", "exp") declare function exp(x: f64): f64;
/** Defaults of a bucket under a model the engine does not know (tests and benchmarks). */
@external("env", "customDefaults") declare function customDefaults(n: f64, p: f64, slot: i32): f64;

/** How defaults are counted: expected n·p (the projection), binomial draws, or the model's own. */
const EXPECTED: i32 = 0;
const BINOMIAL: i32 = 1;
/** Buckets up to this size take q^n from the tables. */
const TABLE_MAX_N: f64 = 255;
/** Largest n for which q^n is taken by powering; above it, exp(n·log(q)). */
const POWER_MAX_N: f64 = 1024;

let grades: i32 = 0;
let maxLife: i32 = 0;
/** Length of the claim queues: also the stride of the per-cohort arrays. */
let queueLength: i32 = 0;
/** Whether q^n comes from per-slot tables (runs with several periods a year) or powering. */
let tables = false;
let transitions = false;
/** Whether each vintage's claims, recoveries and exposure are kept apart (the projection's cohort costing). */
let cohorts = false;

/*
 * Tables of powers for the inversion's f(0) = q^n. A period's PD is shared by every vintage of
 * a (stage, grade) and, in quarterly runs, holds for a year of quarters (~60 draws), so each
 * entry of the engine's two period-PD tables (a "slot": full periods, then first periods)
 * keeps, for its p, q^k for k < 16 and (q^16)^j for j < 16, filled on demand: q^n is then
 * q^(n mod 16)·(q^16)^⌊n/16⌋, one multiplication for n ≤ 255. Built by repeated
 * multiplication, q^n carries at most ~1.07·n + 2 roundings (relative error below 4e-14), as
 * small as binary powering's. A slot's tables are rebuilt whenever its p changes. Annual runs
 * change p after ~4 draws, too few to pay for a table, and take q^n by powering. The tables
 * are slotP, slotRatio, highFilled and powers (laid out with the rest in runoff-layout.as.ts).
 */

@inline function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

/** Byte address of a shared array, by its index in RUNOFF_ARRAYS (layout.ts); valid after init. */
export function address(index: i32): usize {
  return arrayAddress(index);
}

/**
 * Lays out the arrays for a plan's sizes after the module's static data, growing memory as
 * needed; returns the end. `periods` counts every period run, the run-off after the horizon
 * included; the engine writes the timing settings into `settings` afterwards.
 */
export function init(gradeStride: i32, lifeMax: i32, periods: i32, queue: i32, useTables: bool, withTransitions: bool, keepCohorts: bool): usize {
  grades = gradeStride;
  maxLife = lifeMax;
  queueLength = queue;
  tables = useTables;
  transitions = withTransitions;
  cohorts = keepCohorts;
  const slots: usize = <usize>(2 * STAGES * grades);
  const start: usize = (__heap_base + 15) & ~15;
  const end = layOut(start, grades, maxLife, periods, queue, transitions, cohorts);
  const pages = <i32>((end + 0xffff) >>> 16) - memory.size();
  if (pages > 0) memory.grow(pages);
  memory.fill(start, 0, end - start);
  for (let s: usize = 0; s < slots; s++) setF64(slotP, <i32>s, NaN);
  for (let x = 1; x < RECIPROCALS; x++) setF64(reciprocals, x, 1 / <f64>x);
  return end;
}

/** Uniform on [0, 1) with 53 bits: xoshiro128**'s nextFloat (../random/rng.ts), on the shared state. */
@inline function nextFloat(): f64 {
  let s0 = load<i32>(rngState);
  let s1 = load<i32>(rngState, 4);
  let s2 = load<i32>(rngState, 8);
  let s3 = load<i32>(rngState, 12);
  let bits: f64 = 0;
  for (let step = 0; step < 2; step++) {
    const m = s1 * 5;
    const out = <u32>(rotl<i32>(m, 7) * 9);
    // 27 high bits of the first output × 2^26, plus 26 high bits of the second.
    bits = step == 0 ? <f64>(out >>> 5) * 67108864.0 : bits + <f64>(out >>> 6);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<i32>(s3, 11);
  }
  store<i32>(rngState, s0);
  store<i32>(rngState, s1, 4);
  store<i32>(rngState, s2, 8);
  store<i32>(rngState, s3, 12);
  return bits * 1.1102230246251565e-16; // 2^-53
}

/**
 * q^n for integer n ≤ POWER_MAX_N by binary powering, ~4x cheaper than exp(n·log(q)).
 * The error is the doubling of rounding errors under repeated squaring, ~n·ε/2: measured max
 * relative error 4.6e-15 for n ≤ 64 and 4.4e-14 for n ≤ 1024 against 60-digit decimal.js
 * (exp/log1p: 3.1e-15). An error of 4e-14 in q^n moves the inversion's cut points by less
 * than 4e-14 in probability, far below anything a simulation can detect.
 */
function powerOf(q: f64, n: i32): f64 {
  let result: f64 = 1;
  let base = q;
  for (let k = n; k > 0; k >>>= 1) {
    if (k & 1) result *= base;
    base *= base;
  }
  return result;
}

/** Points the slot at p (q^0..q^15 when p changes) and fills its high powers up to (q^16)^high. */
function fill(slot: i32, p: f64, high: i32): void {
  const q = 1 - p;
  const base = powers + (<usize>slot << 8);
  if (f64At(slotP, slot) != p) {
    setF64(slotP, slot, p);
    setF64(slotRatio, slot, (1 - q) / q);
    store<f64>(base, 1);
    for (let k = 1; k < 16; k++) setF64(base, k, f64At(base, k - 1) * q);
    setF64(base, 16, 1);
    store<i32>(highFilled + (<usize>slot << 2), 1);
  }
  const q16 = f64At(base, 15) * q;
  const filled = i32At(highFilled, slot);
  for (let j = filled; j <= high; j++) setF64(base, 16 + j, f64At(base, 15 + j) * q16);
  if (high + 1 > filled) store<i32>(highFilled + (<usize>slot << 2), high + 1);
}

/**
 * Binomial(n, p) variate, exact for a whole n ≥ 1 and p in (0, 1]. With p' = min(p, 1 − p)
 * (symmetry: X ~ Bin(n, p) ⇔ n − X ~ Bin(n, 1 − p)) and mode m = ⌊(n + 1)p'⌋:
 *   - m < 11: inversion by sequential search from 0 (expected n·p' + 1 ≤ ~12 steps);
 *   - m ≥ 11: BTRD, W. Hörmann, "The generation of binomial random variates",
 *     J. Statist. Comput. Simul. 46 (1993) 101-110: transformed rejection with
 *     decomposition; ~1.1 uniforms per draw on average, O(1) expected time in n.
 * The m ≥ 11 switch is the one used by Boost.Random's BTRD implementation; BTRD's constants
 * are tuned for n·p ≥ 10. `slot` < 0: no table.
 */
@inline function binomial(n: f64, p: f64, slot: i32): f64 {
  if (p == 1) return n;
  const flip = p > 0.5;
  const p1 = flip ? 1 - p : p; // exact for p > 0.5 (Sterbenz)
  const x = (n + 1) * p1 < 11 ? inversion(n, p1, slot) : btrd(n, p1);
  return flip ? n - x : x;
}

/**
 * Sequential-search inversion, 0 < p ≤ 0.5 and (n + 1)p < 11: the pmf walk from f(0) = q^n,
 * which is at least e^-~12 and never underflows. The draw is exact for p' = 1 − fl(1 − p), p
 * rounded to a multiple of 2^-53 (a change of at most 2^-54): for p' the complement q = 1 − p'
 * is exact (Sterbenz's lemma, both ways), so q^n carries no rounding of 1 − p that powering
 * would amplify n-fold. Divisions are the walk's costliest steps: its 1/x comes from a table.
 */
@inline function inversion(n: f64, p: f64, slot: i32): f64 {
  let f: f64;
  let s: f64;
  if (tables && slot >= 0 && n <= TABLE_MAX_N) {
    const whole = <i32>n;
    const high = whole >> 4;
    if (f64At(slotP, slot) != p || high >= i32At(highFilled, slot)) fill(slot, p, high);
    const base = powers + (<usize>slot << 8);
    f = f64At(base, whole & 15) * f64At(base, 16 + high);
    s = f64At(slotRatio, slot);
  } else {
    const q = 1 - p;
    f = n <= POWER_MAX_N ? powerOf(q, <i32>n) : exp(n * log(q));
    s = (1 - q) / q;
  }
  // f(x) = f(x − 1)·((n + 1)/x − 1)·s, subtracted from one uniform until it falls below.
  const a = (n + 1) * s;
  let u = nextFloat();
  let x: i32 = 0;
  while (u >= f) {
    u -= f;
    x++;
    // Stop at n, or if rounding has driven the pmf to underflow: both with probability ~1e-16.
    if (<f64>x == n) break;
    f *= (x < RECIPROCALS ? a * f64At(reciprocals, x) : a / <f64>x) - s;
    if (f == 0) break;
  }
  return <f64>x;
}

/**
 * Stirling-series remainder f_c(k) = ln k! − (k + ½)ln(k + 1) + (k + 1) − ½ln(2π), tabulated
 * for k ≤ 9 (values computed with mpmath at 30 digits); above, the asymptotic series
 * 1/(12K) − 1/(360K³) + 1/(1260K⁵), K = k + 1, with error below 1e-16.
 */
const STIRLING_REMAINDER: StaticArray<f64> = [
  0.081061466795327258, 0.041340695955409294, 0.027677925684998339, 0.020790672103765093, 0.016644691189821192,
  0.013876128823070748, 0.01189670994589177, 0.010411265261972096, 0.0092554621827127329, 0.0083305634333628713,
];
function stirlingCorrection(k: f64): f64 {
  if (k < 10) return unchecked(STIRLING_REMAINDER[<i32>k]);
  const ik = 1 / (k + 1);
  const ik2 = ik * ik;
  return (1 / 12 - (1 / 360 - ik2 / 1260) * ik2) * ik;
}

/** BTRD (Hörmann 1993), 0 < p ≤ 0.5 and m = ⌊(n + 1)p⌋ ≥ 11. Step numbers follow the paper. */
function btrd(n: f64, p: f64): f64 {
  // Step 0: set-up (cheap enough to redo per call: p changes with every systematic draw).
  const q = 1 - p;
  const m = Math.floor((n + 1) * p);
  const r = p / q;
  const nr = (n + 1) * r;
  const npq = n * p * q;
  const spq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  while (true) {
    // Step 1: immediate acceptance region (~86 % of draws for large n·p).
    let v = nextFloat();
    let u: f64;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    // Step 2: generate (u, v) uniformly on the rest of the square.
    if (v >= vr) {
      u = nextFloat() - 0.5;
    } else {
      u = v / vr - 0.93;
      u = (u < 0 ? -0.5 : 0.5) - u;
      v = nextFloat() * vr;
    }
    // Step 3.0: candidate k; us = 0 (|u| = ½) gives k = ±∞ and is rejected here.
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km <= 15) {
      // Step 3.1: compare with f(k)/f(m) by the pmf recursion.
      let f: f64 = 1;
      if (m < k) {
        for (let i = m + 1; i <= k; i++) f *= nr / i - r;
      } else if (m > k) {
        for (let i = k + 1; i <= m; i++) v *= nr / i - r;
      }
      if (v <= f) return k;
      continue;
    }
    // Step 3.2: squeeze on the log scale (normal-approximation bounds).
    v = log(v);
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    // Steps 3.3-3.4: exact log f(k)/f(m) with Stirling's formula.
    const nm = n - m + 1;
    const h = (m + 0.5) * log((m + 1) / (r * nm)) + stirlingCorrection(m) + stirlingCorrection(n - m);
    const nk = n - k + 1;
    if (v <= h + (n + 1) * log(nm / nk) + (k + 0.5) * log((nk * r) / (k + 1)) - stirlingCorrection(k) - stirlingCorrection(n - k)) {
      return k;
    }
  }
}

/** Defaults among n > 0 live loans at period PD p > 0, counted as the mode says. */
@inline function defaultsOf(mode: i32, n: f64, p: f64, slot: i32): f64 {
  if (mode == EXPECTED) return n * p;
  if (mode != BINOMIAL) return customDefaults(n, p, slot);
  // Counts are whole except after exits (an expected share): round at random, keeping the mean.
  let whole = Math.floor(n);
  if (n - whole > 0 && nextFloat() < n - whole) whole += 1;
  if (whole <= 0) return 0;
  return binomial(whole, p, slot);
}

/** PD of a bucket whose firms have moved across stages: the mix-weighted PD of their current stages. */
function mixedPd(i: i32, pdTable: usize): f64 {
  const g = i % grades;
  const si = (i / grades) % STAGES;
  let p: f64 = 0;
  for (let r = 0; r < STAGES; r++) {
    const w = f64At(mix, i * STAGES + r);
    if (w > 0) p += w * f64At(pdTable, r * grades + i32At(gradeMap, (si * grades + g) * STAGES + r));
  }
  // Weights sum to 1 only up to rounding: keep the mix a probability.
  return Math.min(1, p);
}

/** Moves survivors across stages and out by exit; returns the loans still on the books. */
function migrate(i: i32, pdTable: usize, survivors: f64): f64 {
  const g = i % grades;
  const si = (i / grades) % STAGES;
  for (let r = 0; r < STAGES; r++) setF64(nextMix, r, 0);
  let total: f64 = 0;
  // Survivors of defaults: each current stage keeps its expected share of them.
  for (let r = 0; r < STAGES; r++) {
    const w = f64At(mix, i * STAGES + r) * (1 - f64At(pdTable, r * grades + i32At(gradeMap, (si * grades + g) * STAGES + r)));
    setF64(scratch, r, w);
    total += w;
  }
  if (total <= 0) return 0;
  let exited: f64 = 0;
  for (let r = 0; r < STAGES; r++) {
    const share = f64At(scratch, r) / total;
    let moved = f64At(exitRate, r);
    exited += share * f64At(exitRate, r);
    for (let q = 0; q < STAGES; q++) {
      const tr = f64At(trans, r * STAGES + q);
      setF64(nextMix, q, f64At(nextMix, q) + share * tr);
      moved += tr;
    }
    setF64(nextMix, r, f64At(nextMix, r) + share * (1 - moved));
  }
  const stay = 1 - exited;
  for (let r = 0; r < STAGES; r++) setF64(mix, i * STAGES + r, stay > 0 ? f64At(nextMix, r) / stay : 0);
  return survivors * stay;
}

/**
 * Defaults, claims, amortisation and transitions of vintages [fromVintage, toVintage] in
 * period t; PortfolioState.runVintages in ../engine.ts documents the method. Writes the call's
 * totals and adds to the per-stage accumulators.
 */
export function runVintages(t: i32, fromVintage: i32, toVintage: i32, recoveryFactor: f64, mode: i32): void {
  const G = grades;
  const firstExposure = f64At(settings, FIRST_EXPOSURE);
  const defaultedExposure = f64At(settings, DEFAULTED_EXPOSURE);
  const quietPeriods = <i32>f64At(settings, QUIET_PERIODS);
  const subsidyPeriods = <i32>f64At(settings, SUBSIDY_PERIODS);
  const subsidyBoundary = f64At(settings, SUBSIDY_BOUNDARY_WEIGHT);
  let outstandingG: f64 = 0;
  let outstandingP: f64 = 0;
  let claimsIncurred: f64 = 0;
  let claimsCapped: f64 = 0;
  let allDefaults: f64 = 0;
  for (let si = 0; si < STAGES; si++) {
    const size = f64At(loanSize, si);
    const perLoanG = size * f64At(coverage, si);
    let stageDefaults: f64 = 0;
    let stageGBar: f64 = 0;
    let o = t - i32At(life, si) + 1;
    if (o < fromVintage) o = fromVintage;
    for (; o <= toVintage; o++) {
      const k = t - o;
      const pdTable = k == 0 ? pdFirst : pdFull;
      const slotBase = k == 0 ? STAGES * G : 0;
      const quiet = k < quietPeriods;
      // Sums over the grades, in loans × balance fraction.
      let defaults: f64 = 0;
      let claimUnits: f64 = 0;
      let recoveryUnits: f64 = 0;
      let exposureUnits: f64 = 0;
      let feeUnits: f64 = 0;
      let endUnits: f64 = 0;
      for (let g = 0; g < G; g++) {
        const i = (o * STAGES + si) * G + g;
        const n = f64At(alive, i);
        if (n <= 0) continue;
        const sg = si * G + g;
        const b = sg * maxLife + k;
        const p = quiet ? 0 : transitions ? mixedPd(i, pdTable) : f64At(pdTable, sg);
        const d = p > 0 ? defaultsOf(mode, n, p, transitions ? -1 : slotBase + sg) : 0;
        const survivors = n - d;
        const endBalance = f64At(balanceEnd, b);
        let next = endBalance > 0 ? survivors : 0;
        if (transitions && next > 0) next = migrate(i, pdTable, next);
        setF64(alive, i, next);
        defaults += d;
        const claimed = d * f64At(balanceAtDefault, b);
        claimUnits += claimed;
        // A downturn scales every grade's recovery rate, which stays within [0, 1].
        recoveryUnits += claimed * Math.min(1, Math.max(0, f64At(recovery, sg) * recoveryFactor));
        const exposed = (survivors + d * defaultedExposure) * f64At(balanceAverage, b);
        exposureUnits += exposed;
        feeUnits += exposed * f64At(annualFee, b);
        endUnits += next * endBalance;
      }
      stageDefaults += defaults;
      const weight = k == 0 ? firstExposure : 1;
      const vintageGBar = weight * exposureUnits;
      const vintageFees = weight * feeUnits * perLoanG;
      stageGBar += vintageGBar;
      setF64(feesByStage, si, f64At(feesByStage, si) + vintageFees);
      // The subsidy covers the loan's first years: whole periods, then part of the boundary period.
      if (k <= subsidyPeriods) {
        const share = f64At(feeSubsidy, o * STAGES + si) * (k < subsidyPeriods ? 1 : subsidyBoundary);
        if (share > 0) setF64(subsidisedFeesByStage, si, f64At(subsidisedFeesByStage, si) + share * vintageFees);
      }
      if (cohorts) {
        const at = (o * queueLength + t) * STAGES + si;
        setF64(cohortExposure, at, f64At(cohortExposure, at) + vintageGBar * perLoanG);
        setF64(cohortFees, at, f64At(cohortFees, at) + vintageFees);
      }
      outstandingG += endUnits * perLoanG;
      outstandingP += endUnits * size;
      if (defaults > 0) {
        const uncapped = claimUnits * perLoanG;
        let claim = uncapped;
        const room = f64At(vintageCap, o) - f64At(vintageClaims, o);
        if (claim > room) {
          claimsCapped += claim - Math.max(0, room);
          claim = Math.max(0, room);
        }
        // Recoveries follow the claim actually paid.
        const recovered = uncapped > 0 ? recoveryUnits * perLoanG * (claim / uncapped) : 0;
        // The state's share of the part of the claim above the vintage's threshold.
        const stateShare = f64At(settings, STATE_SHARE);
        let compensation: f64 = 0;
        if (stateShare > 0) {
          const below = Math.max(0, f64At(vintageStateThreshold, o) - f64At(vintageClaims, o));
          compensation = stateShare * Math.max(0, claim - below);
        }
        setF64(vintageClaims, o, f64At(vintageClaims, o) + claim);
        claimsIncurred += claim;
        scheduleClaim(o, t, claim, recovered, compensation);
      }
    }
    setF64(averageGuaranteedByStage, si, f64At(averageGuaranteedByStage, si) + stageGBar * perLoanG);
    setF64(defaultsByStage, si, f64At(defaultsByStage, si) + stageDefaults);
    allDefaults += stageDefaults;
  }
  setF64(totals, TOTAL_END_GUARANTEED, outstandingG);
  setF64(totals, TOTAL_END_PRINCIPAL, outstandingP);
  setF64(totals, TOTAL_CLAIMS_INCURRED, claimsIncurred);
  setF64(totals, TOTAL_CLAIMS_CAPPED, claimsCapped);
  setF64(totals, TOTAL_DEFAULTS, allDefaults);
}

/** Adds `amount` due in period p to a queue and, when cohorts are kept, to the vintage's row. */
@inline function due(queue: usize, cohortQueue: usize, o: i32, p: i32, amount: f64): void {
  setF64(queue, p, f64At(queue, p) + amount);
  if (cohorts) {
    const at = o * queueLength + p;
    setF64(cohortQueue, at, f64At(cohortQueue, at) + amount);
  }
}

/**
 * Queues a claim of vintage o arising from the defaults of period t, with its recovery and the
 * state's compensation. The defaults of a period are spread over it, so a lag of L periods with
 * a fractional part φ pays the share 1 − φ in period t + ⌊L⌋ and φ in the period after (the
 * plan sets φ = 0 for defaults at a period's start or end). A claim is not paid before the
 * vintage's lock-in ends: when the lock-in binds, the whole claim waits for its end and the
 * recovery follows it by the recovery lag alone (the plan gives that period from origination).
 */
function scheduleClaim(o: i32, t: i32, claim: f64, recovery: f64, compensation: f64): void {
  const claimAt = t + <i32>f64At(settings, CLAIM_LAG);
  const lockEnd = o + <i32>f64At(settings, LOCK_IN);
  if (lockEnd > claimAt) {
    const recoveryAt = o + <i32>f64At(settings, RECOVERY_AFTER_LOCK_IN);
    due(claimsDue, cohortClaims, o, lockEnd, claim);
    due(stateDue, cohortStateCompensation, o, lockEnd, compensation);
    due(recoveriesDue, cohortRecoveries, o, recoveryAt, recovery);
    return;
  }
  const late = f64At(settings, CLAIM_LAG_FRACTION);
  due(claimsDue, cohortClaims, o, claimAt, claim * (1 - late));
  due(stateDue, cohortStateCompensation, o, claimAt, compensation * (1 - late));
  if (late > 0) {
    due(claimsDue, cohortClaims, o, claimAt + 1, claim * late);
    due(stateDue, cohortStateCompensation, o, claimAt + 1, compensation * late);
  }
  const recoveryAt = t + <i32>f64At(settings, RECOVERY_LAG);
  const lateRecovery = f64At(settings, RECOVERY_LAG_FRACTION);
  due(recoveriesDue, cohortRecoveries, o, recoveryAt, recovery * (1 - lateRecovery));
  if (lateRecovery > 0) due(recoveriesDue, cohortRecoveries, o, recoveryAt + 1, recovery * lateRecovery);
}

/** One binomial draw as runVintages makes it (binomial() and tests): a whole n ≥ 0, p in [0, 1], slot < 0 for no table. */
export function drawBinomial(n: f64, p: f64, slot: i32): f64 {
  return n > 0 && p > 0 ? binomial(n, p, slot) : 0;
}

/** q^n as the slot's tables give it (filling them as a draw would), for tests: n ≤ 255, p ≤ ½. */
export function tablePower(n: i32, p: f64, slot: i32): f64 {
  const high = n >> 4;
  if (f64At(slotP, slot) != p || high >= i32At(highFilled, slot)) fill(slot, p, high);
  const base = powers + (<usize>slot << 8);
  return f64At(base, n & 15) * f64At(base, 16 + high);
}
