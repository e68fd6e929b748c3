/**
 * The run-off of the guaranteed book in one period: defaults, claims, amortisation and stage
 * transitions of every live (vintage, stage, grade) bucket, with the Monte Carlo's binomial
 * draws inline. This is the innermost loop of every projection and Monte Carlo path, and the one
 * place where the economics of defaults, claims, recoveries, fees accrued and the state's
 * compensation are computed: the engine (./engine.ts) runs everything else of a period and keeps
 * the book in this module's arrays (their table is ./runoff-layout.ts). Typed arrays and plain
 * numbers; nothing is allocated per call.
 *
 * It also holds the project's binomial sampler, which ./random/samplers.ts's binomial() draws
 * from: Binomial(n, p) by sequential-search inversion for a small mode and BTRD (Hörmann 1993)
 * above, with tables of powers of 1 − p for quarterly runs (binomial(), inversion(), fill() and
 * btrd() below).
 *
 * Until December 2026 this loop was AssemblyScript compiled to WebAssembly. This module gives
 * the same figures to the last bit (test/core/runoff-reference.test.ts keeps them), and measured
 * (`npm run bench`) the WebAssembly was not fast enough to be worth a second language: see
 * the README's Monte Carlo performance section.
 */
import {
  LAYOUT_STAGES,
  RUNOFF_LAYOUT,
  RUNOFF_SETTINGS,
  RUNOFF_TOTALS,
  runoffLength,
  type RunoffF64Array,
  type RunoffI32Array,
  type RunoffSettings,
  type RunoffSizes,
} from './runoff-layout.ts';
import { nextFloatOn } from './random/rng.ts';

export { RUNOFF_SETTINGS, RUNOFF_TOTALS, type RunoffArray, type RunoffSettings, type RunoffTotal } from './runoff-layout.ts';

/** How runVintages counts a bucket's defaults (the `mode` argument). */
export const DEFAULT_COUNT = { expected: 0, binomial: 1, custom: 2 } as const;

/** What the run-off asks of its caller: a custom model's defaults. */
export interface RunoffImports {
  customDefaults(n: number, p: number, pdSlot: number): number;
}

// An imported constant copied into this module's own: an imported binding may be read through
// a getter on every use, which the innermost loop should not pay.
const STAGES = LAYOUT_STAGES;
/** Entries of the inversion's table of reciprocals. */
const RECIPROCALS = 64;
/** How defaults are counted: expected n·p (the projection), binomial draws, or the model's own. */
const EXPECTED = 0;
const BINOMIAL = 1;
/** Buckets up to this size take q^n from the tables. */
const TABLE_MAX_N = 255;
/** Largest n for which q^n is taken by powering; above it, exp(n·log(q)). */
const POWER_MAX_N = 1024;

const setting = (name: (typeof RUNOFF_SETTINGS)[number]) => RUNOFF_SETTINGS.indexOf(name);
const CLAIM_LAG = setting('claimLag');
const CLAIM_LAG_FRACTION = setting('claimLagFraction');
const RECOVERY_LAG = setting('recoveryLag');
const RECOVERY_LAG_FRACTION = setting('recoveryLagFraction');
const LOCK_IN = setting('lockIn');
const RECOVERY_AFTER_LOCK_IN = setting('recoveryAfterLockIn');
const QUIET_PERIODS = setting('quietPeriods');
const SUBSIDY_PERIODS = setting('subsidyPeriods');
const SUBSIDY_BOUNDARY_WEIGHT = setting('subsidyBoundaryWeight');
const STATE_SHARE = setting('stateShare');
const FIRST_EXPOSURE = setting('firstExposure');
const DEFAULTED_EXPOSURE = setting('defaultedExposure');
const total = (name: (typeof RUNOFF_TOTALS)[number]) => RUNOFF_TOTALS.indexOf(name);
const TOTAL_END_GUARANTEED = total('endGuaranteed');
const TOTAL_END_PRINCIPAL = total('endPrincipal');
const TOTAL_CLAIMS_INCURRED = total('claimsIncurred');
const TOTAL_CLAIMS_CAPPED = total('claimsCapped');
const TOTAL_DEFAULTS = total('defaults');

/**
 * Stirling-series remainder f_c(k) = ln k! − (k + ½)ln(k + 1) + (k + 1) − ½ln(2π), tabulated
 * for k ≤ 9 (values computed with mpmath at 30 digits); above, the asymptotic series
 * 1/(12K) − 1/(360K³) + 1/(1260K⁵), K = k + 1, with error below 1e-16.
 */
const STIRLING_REMAINDER = Float64Array.of(
  // The 30-digit values, each written with the fewest digits that give the same float64.
  0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093, 0.016644691189821193,
  0.013876128823070748, 0.01189670994589177, 0.010411265261972096, 0.009255462182712733, 0.00833056343336287,
);
function stirlingCorrection(k: number): number {
  if (k < 10) return STIRLING_REMAINDER[k]!;
  const ik = 1 / (k + 1);
  const ik2 = ik * ik;
  return (1 / 12 - (1 / 360 - ik2 / 1260) * ik2) * ik;
}

/**
 * q^n for integer n ≤ POWER_MAX_N by binary powering, ~4x cheaper than exp(n·log(q)). The
 * error is the doubling of rounding errors under repeated squaring, ~n·ε/2 (4.4e-14 relative
 * for n ≤ 1024), far below anything a simulation can detect.
 */
function powerOf(q: number, n: number): number {
  let result = 1;
  let base = q;
  for (let k = n; k > 0; k >>>= 1) {
    if (k & 1) result *= base;
    base *= base;
  }
  return result;
}

const EMPTY_F64: Float64Array = new Float64Array(0);
const EMPTY_I32: Int32Array = new Int32Array(0);

/** One book's run-off: its arrays (those ./runoff-layout.ts lists), its own tables, and the step over them. */
export class Runoff {
  private grades = 0;
  private maxLife = 0;
  /** Length of the claim queues: also the stride of the per-cohort arrays. */
  private queueLength = 0;
  /** Whether q^n comes from per-slot tables (runs with several periods a year) or powering. */
  private tables = false;
  private transitions = false;
  /** Whether each vintage's claims, recoveries and exposure are kept apart (the projection's cohort costing). */
  private cohorts = false;
  private readonly arrays = new Map<string, Float64Array | Int32Array>();

  private rngState: Int32Array = new Int32Array(4);
  private totals: Float64Array = new Float64Array(RUNOFF_TOTALS.length);
  private averageGuaranteedByStage = EMPTY_F64;
  private defaultsByStage = EMPTY_F64;
  private life = EMPTY_I32;
  private loanSize = EMPTY_F64;
  private coverage = EMPTY_F64;
  private pdFull = EMPTY_F64;
  private pdFirst = EMPTY_F64;
  private balanceAtDefault = EMPTY_F64;
  private balanceEnd = EMPTY_F64;
  private balanceAverage = EMPTY_F64;
  private alive = EMPTY_F64;
  private mix = EMPTY_F64;
  private vintageClaims = EMPTY_F64;
  private vintageCap = EMPTY_F64;
  private claimsDue = EMPTY_F64;
  private recoveriesDue = EMPTY_F64;
  private stateDue = EMPTY_F64;
  private vintageStateThreshold = EMPTY_F64;
  private feeSubsidy = EMPTY_F64;
  private feesByStage = EMPTY_F64;
  private subsidisedFeesByStage = EMPTY_F64;
  private annualFee = EMPTY_F64;
  private recovery = EMPTY_F64;
  private cohortFees = EMPTY_F64;
  private cohortClaims = EMPTY_F64;
  private cohortRecoveries = EMPTY_F64;
  private cohortStateCompensation = EMPTY_F64;
  private cohortExposure = EMPTY_F64;
  private settings: Float64Array = new Float64Array(RUNOFF_SETTINGS.length);
  private trans = EMPTY_F64;
  private exitRate = EMPTY_F64;
  private gradeMap = EMPTY_I32;
  private scratch: Float64Array = new Float64Array(STAGES);
  private nextMix: Float64Array = new Float64Array(STAGES);
  /*
   * Tables of powers for the inversion's f(0) = q^n. A period's PD is shared by every vintage of
   * a (stage, grade) and, in quarterly runs, holds for a year of quarters (~60 draws), so each
   * entry of the engine's two period-PD tables (a "slot": full periods, then first periods)
   * keeps, for its p, q^k for k < 16 and (q^16)^j for j < 16, filled on demand: q^n is then
   * q^(n mod 16)·(q^16)^⌊n/16⌋, one multiplication for n ≤ 255. Built by repeated
   * multiplication, q^n carries at most ~1.07·n + 2 roundings (relative error below 4e-14), as
   * small as binary powering's. A slot's tables are rebuilt whenever its p changes. Annual runs
   * change p after ~4 draws, too few to pay for a table, and take q^n by powering. Per slot:
   * its p, p/q, how many high powers are filled, and 32 powers.
   */
  private slotP = EMPTY_F64;
  private slotRatio = EMPTY_F64;
  private highFilled = EMPTY_I32;
  private powers = EMPTY_F64;
  private readonly reciprocals: Float64Array = new Float64Array(RECIPROCALS);

  constructor(private readonly imports: RunoffImports) {
    for (let x = 1; x < RECIPROCALS; x++) this.reciprocals[x] = 1 / x;
  }

  /**
   * Lays out the arrays for a plan's sizes, zeroed. `periods` counts every period run, the
   * run-off after the horizon included; configure() writes the timing settings afterwards.
   */
  init(grades: number, maxLife: number, periods: number, queue: number, tables: boolean, transitions: boolean, cohorts: boolean): void {
    this.grades = grades;
    this.maxLife = maxLife;
    this.queueLength = queue;
    this.tables = tables;
    this.transitions = transitions;
    this.cohorts = cohorts;
    const sizes: RunoffSizes = { grades, maxLife, periods, queue, transitions, cohorts };
    const slots = 2 * STAGES * grades;
    this.arrays.clear();
    for (const spec of RUNOFF_LAYOUT) {
      const n = runoffLength(spec.name, sizes);
      this.arrays.set(spec.name, spec.type === 'i32' ? new Int32Array(n) : new Float64Array(n));
    }
    const f = (name: RunoffF64Array) => this.arrays.get(name) as Float64Array;
    const i = (name: RunoffI32Array) => this.arrays.get(name) as Int32Array;
    this.rngState = i('rngState');
    this.totals = f('totals');
    this.averageGuaranteedByStage = f('averageGuaranteedByStage');
    this.defaultsByStage = f('defaultsByStage');
    this.life = i('life');
    this.loanSize = f('loanSize');
    this.coverage = f('coverage');
    this.pdFull = f('pdFull');
    this.pdFirst = f('pdFirst');
    this.balanceAtDefault = f('balanceAtDefault');
    this.balanceEnd = f('balanceEnd');
    this.balanceAverage = f('balanceAverage');
    this.alive = f('alive');
    this.mix = f('mix');
    this.vintageClaims = f('vintageClaims');
    this.vintageCap = f('vintageCap');
    this.claimsDue = f('claimsDue');
    this.recoveriesDue = f('recoveriesDue');
    this.stateDue = f('stateDue');
    this.vintageStateThreshold = f('vintageStateThreshold');
    this.feeSubsidy = f('feeSubsidy');
    this.feesByStage = f('feesByStage');
    this.subsidisedFeesByStage = f('subsidisedFeesByStage');
    this.annualFee = f('annualFee');
    this.recovery = f('recovery');
    this.cohortFees = f('cohortFees');
    this.cohortClaims = f('cohortClaims');
    this.cohortRecoveries = f('cohortRecoveries');
    this.cohortStateCompensation = f('cohortStateCompensation');
    this.cohortExposure = f('cohortExposure');
    this.settings = f('settings');
    this.trans = f('trans');
    this.exitRate = f('exitRate');
    this.gradeMap = i('gradeMap');
    this.slotP = new Float64Array(slots).fill(Number.NaN);
    this.slotRatio = new Float64Array(slots);
    this.highFilled = new Int32Array(slots);
    this.powers = new Float64Array(32 * slots);
  }

  /** Writes the timing settings (after init). */
  configure(settings: RunoffSettings): void {
    RUNOFF_SETTINGS.forEach((name, i) => {
      this.settings[i] = settings[name];
    });
  }

  /** The array itself, for the engine to read and write (after init with these sizes). */
  f64(name: RunoffF64Array, sizes: RunoffSizes): Float64Array {
    return this.array(name, sizes) as Float64Array;
  }

  i32(name: RunoffI32Array, sizes: RunoffSizes): Int32Array {
    return this.array(name, sizes) as Int32Array;
  }

  /** The words a generator moves its state into (Xoshiro128StarStar.moveStateTo) for the run-off to draw from it. */
  generatorState(): Int32Array {
    return this.rngState;
  }

  private array(name: RunoffF64Array | RunoffI32Array, sizes: RunoffSizes): Float64Array | Int32Array {
    const a = this.arrays.get(name);
    if (!a || a.length !== runoffLength(name, sizes)) throw new Error(`run-off array ${name} is not laid out for these sizes`);
    return a;
  }

  /** Uniform on [0, 1) with 53 bits: xoshiro128** (./random/rng.ts) on the shared state. */
  private nextFloat(): number {
    return nextFloatOn(this.rngState);
  }

  /** Points the slot at p (q^0..q^15 when p changes) and fills its high powers up to (q^16)^high. */
  private fill(slot: number, p: number, high: number): void {
    const q = 1 - p;
    const powers = this.powers;
    const base = slot << 5;
    if (this.slotP[slot] !== p) {
      this.slotP[slot] = p;
      this.slotRatio[slot] = (1 - q) / q;
      powers[base] = 1;
      for (let k = 1; k < 16; k++) powers[base + k] = powers[base + k - 1]! * q;
      powers[base + 16] = 1;
      this.highFilled[slot] = 1;
    }
    const q16 = powers[base + 15]! * q;
    const filled = this.highFilled[slot]!;
    for (let j = filled; j <= high; j++) powers[base + 16 + j] = powers[base + 15 + j]! * q16;
    if (high + 1 > filled) this.highFilled[slot] = high + 1;
  }

  /**
   * Binomial(n, p) variate, exact for a whole n ≥ 1 and p in (0, 1]. With p' = min(p, 1 − p)
   * and mode m = ⌊(n + 1)p'⌋: inversion by sequential search from 0 when m < 11, BTRD above
   * (Boost.Random's switch). `slot` < 0: no table.
   */
  private binomial(n: number, p: number, slot: number): number {
    if (p === 1) return n;
    const flip = p > 0.5;
    const p1 = flip ? 1 - p : p; // exact for p > 0.5 (Sterbenz)
    const x = (n + 1) * p1 < 11 ? this.inversion(n, p1, slot) : this.btrd(n, p1);
    return flip ? n - x : x;
  }

  /**
   * Sequential-search inversion, 0 < p ≤ 0.5 and (n + 1)p < 11: the pmf walk from f(0) = q^n,
   * which is at least e^-~12 and never underflows. Its 1/x comes from a table.
   */
  private inversion(n: number, p: number, slot: number): number {
    let f: number;
    let s: number;
    if (this.tables && slot >= 0 && n <= TABLE_MAX_N) {
      const whole = n | 0;
      const high = whole >> 4;
      if (this.slotP[slot] !== p || high >= this.highFilled[slot]!) this.fill(slot, p, high);
      const base = slot << 5;
      const powers = this.powers;
      f = powers[base + (whole & 15)]! * powers[base + 16 + high]!;
      s = this.slotRatio[slot]!;
    } else {
      const q = 1 - p;
      f = n <= POWER_MAX_N ? powerOf(q, n | 0) : Math.exp(n * Math.log(q));
      s = (1 - q) / q;
    }
    // f(x) = f(x − 1)·((n + 1)/x − 1)·s, subtracted from one uniform until it falls below.
    const a = (n + 1) * s;
    const reciprocals = this.reciprocals;
    let u = this.nextFloat();
    let x = 0;
    while (u >= f) {
      u -= f;
      x++;
      // Stop at n, or if rounding has driven the pmf to underflow: both with probability ~1e-16.
      if (x === n) break;
      f *= (x < RECIPROCALS ? a * reciprocals[x]! : a / x) - s;
      if (f === 0) break;
    }
    return x;
  }

  /** BTRD (W. Hörmann, J. Statist. Comput. Simul. 46 (1993) 101-110), 0 < p ≤ 0.5 and m = ⌊(n + 1)p⌋ ≥ 11. Step numbers follow the paper. */
  private btrd(n: number, p: number): number {
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
      let v = this.nextFloat();
      let u: number;
      if (v <= urvr) {
        u = v / vr - 0.43;
        return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
      }
      // Step 2: generate (u, v) uniformly on the rest of the square.
      if (v >= vr) {
        u = this.nextFloat() - 0.5;
      } else {
        u = v / vr - 0.93;
        u = (u < 0 ? -0.5 : 0.5) - u;
        v = this.nextFloat() * vr;
      }
      // Step 3.0: candidate k; us = 0 (|u| = ½) gives k = ±∞ and is rejected here.
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (k < 0 || k > n) continue;
      v = (v * alpha) / (a / (us * us) + b);
      const km = Math.abs(k - m);
      if (km <= 15) {
        // Step 3.1: compare with f(k)/f(m) by the pmf recursion.
        let f = 1;
        if (m < k) {
          for (let i = m + 1; i <= k; i++) f *= nr / i - r;
        } else if (m > k) {
          for (let i = k + 1; i <= m; i++) v *= nr / i - r;
        }
        if (v <= f) return k;
        continue;
      }
      // Step 3.2: squeeze on the log scale (normal-approximation bounds).
      v = Math.log(v);
      const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
      const t = (-km * km) / (2 * npq);
      if (v < t - rho) return k;
      if (v > t + rho) continue;
      // Steps 3.3-3.4: exact log f(k)/f(m) with Stirling's formula.
      const nm = n - m + 1;
      const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingCorrection(m) + stirlingCorrection(n - m);
      const nk = n - k + 1;
      if (v <= h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log((nk * r) / (k + 1)) - stirlingCorrection(k) - stirlingCorrection(n - k)) {
        return k;
      }
    }
  }

  /** Defaults among n > 0 live loans at period PD p > 0, counted as the mode says. */
  private defaultsOf(mode: number, n: number, p: number, slot: number): number {
    if (mode === EXPECTED) return n * p;
    if (mode !== BINOMIAL) return this.imports.customDefaults(n, p, slot);
    // Counts are whole except after exits (an expected share): round at random, keeping the mean.
    let whole = Math.floor(n);
    if (n - whole > 0 && this.nextFloat() < n - whole) whole += 1;
    if (whole <= 0) return 0;
    return this.binomial(whole, p, slot);
  }

  /** PD of a bucket whose firms have moved across stages: the mix-weighted PD of their current stages. */
  private mixedPd(i: number, pdTable: Float64Array): number {
    const grades = this.grades;
    const mix = this.mix;
    const gradeMap = this.gradeMap;
    const g = i % grades;
    const si = ((i / grades) | 0) % STAGES;
    let p = 0;
    for (let r = 0; r < STAGES; r++) {
      const w = mix[i * STAGES + r]!;
      if (w > 0) p += w * pdTable[r * grades + gradeMap[(si * grades + g) * STAGES + r]!]!;
    }
    // Weights sum to 1 only up to rounding: keep the mix a probability.
    return Math.min(1, p);
  }

  /** Moves survivors across stages and out by exit; returns the loans still on the books. */
  private migrate(i: number, pdTable: Float64Array, survivors: number): number {
    const grades = this.grades;
    const mix = this.mix;
    const gradeMap = this.gradeMap;
    const scratch = this.scratch;
    const nextMix = this.nextMix;
    const exitRate = this.exitRate;
    const trans = this.trans;
    const g = i % grades;
    const si = ((i / grades) | 0) % STAGES;
    for (let r = 0; r < STAGES; r++) nextMix[r] = 0;
    let total = 0;
    // Survivors of defaults: each current stage keeps its expected share of them.
    for (let r = 0; r < STAGES; r++) {
      const w = mix[i * STAGES + r]! * (1 - pdTable[r * grades + gradeMap[(si * grades + g) * STAGES + r]!]!);
      scratch[r] = w;
      total += w;
    }
    if (total <= 0) return 0;
    let exited = 0;
    for (let r = 0; r < STAGES; r++) {
      const share = scratch[r]! / total;
      let moved = exitRate[r]!;
      exited += share * exitRate[r]!;
      for (let q = 0; q < STAGES; q++) {
        const tr = trans[r * STAGES + q]!;
        nextMix[q] = nextMix[q]! + share * tr;
        moved += tr;
      }
      nextMix[r] = nextMix[r]! + share * (1 - moved);
    }
    const stay = 1 - exited;
    for (let r = 0; r < STAGES; r++) mix[i * STAGES + r] = stay > 0 ? nextMix[r]! / stay : 0;
    return survivors * stay;
  }

  /**
   * Defaults, claims, amortisation and transitions of vintages [fromVintage, toVintage] in
   * period t; PortfolioState.runVintages in ./engine.ts documents the method. Writes the call's
   * totals and adds to the per-stage accumulators.
   */
  runVintages(t: number, fromVintage: number, toVintage: number, recoveryFactor: number, mode: number): void {
    const G = this.grades;
    const maxLife = this.maxLife;
    const transitions = this.transitions;
    const cohorts = this.cohorts;
    const queueLength = this.queueLength;
    const settings = this.settings;
    const alive = this.alive;
    const pdFull = this.pdFull;
    const pdFirst = this.pdFirst;
    const life = this.life;
    const loanSize = this.loanSize;
    const coverage = this.coverage;
    const balanceAtDefault = this.balanceAtDefault;
    const balanceEnd = this.balanceEnd;
    const balanceAverage = this.balanceAverage;
    const recovery = this.recovery;
    const annualFee = this.annualFee;
    const feesByStage = this.feesByStage;
    const subsidisedFeesByStage = this.subsidisedFeesByStage;
    const feeSubsidy = this.feeSubsidy;
    const vintageCap = this.vintageCap;
    const vintageClaims = this.vintageClaims;
    const vintageStateThreshold = this.vintageStateThreshold;
    const firstExposure = settings[FIRST_EXPOSURE]!;
    const defaultedExposure = settings[DEFAULTED_EXPOSURE]!;
    const quietPeriods = settings[QUIET_PERIODS]! | 0;
    const subsidyPeriods = settings[SUBSIDY_PERIODS]! | 0;
    const subsidyBoundary = settings[SUBSIDY_BOUNDARY_WEIGHT]!;
    let outstandingG = 0;
    let outstandingP = 0;
    let claimsIncurred = 0;
    let claimsCapped = 0;
    let allDefaults = 0;
    for (let si = 0; si < STAGES; si++) {
      const size = loanSize[si]!;
      const perLoanG = size * coverage[si]!;
      let stageDefaults = 0;
      let stageGBar = 0;
      let o = t - life[si]! + 1;
      if (o < fromVintage) o = fromVintage;
      for (; o <= toVintage; o++) {
        const k = t - o;
        const pdTable = k === 0 ? pdFirst : pdFull;
        const slotBase = k === 0 ? STAGES * G : 0;
        const quiet = k < quietPeriods;
        // Sums over the grades, in loans × balance fraction.
        let defaults = 0;
        let claimUnits = 0;
        let recoveryUnits = 0;
        let exposureUnits = 0;
        let feeUnits = 0;
        let endUnits = 0;
        for (let g = 0; g < G; g++) {
          const i = (o * STAGES + si) * G + g;
          const n = alive[i]!;
          if (n <= 0) continue;
          const sg = si * G + g;
          const b = sg * maxLife + k;
          const p = quiet ? 0 : transitions ? this.mixedPd(i, pdTable) : pdTable[sg]!;
          const d = p > 0 ? this.defaultsOf(mode, n, p, transitions ? -1 : slotBase + sg) : 0;
          const survivors = n - d;
          const endBalance = balanceEnd[b]!;
          let next = endBalance > 0 ? survivors : 0;
          if (transitions && next > 0) next = this.migrate(i, pdTable, next);
          alive[i] = next;
          defaults += d;
          const claimed = d * balanceAtDefault[b]!;
          claimUnits += claimed;
          // A downturn scales every grade's recovery rate, which stays within [0, 1].
          recoveryUnits += claimed * Math.min(1, Math.max(0, recovery[sg]! * recoveryFactor));
          const exposed = (survivors + d * defaultedExposure) * balanceAverage[b]!;
          exposureUnits += exposed;
          feeUnits += exposed * annualFee[b]!;
          endUnits += next * endBalance;
        }
        stageDefaults += defaults;
        const weight = k === 0 ? firstExposure : 1;
        const vintageGBar = weight * exposureUnits;
        const vintageFees = weight * feeUnits * perLoanG;
        stageGBar += vintageGBar;
        feesByStage[si] = feesByStage[si]! + vintageFees;
        // The subsidy covers the loan's first years: whole periods, then part of the boundary period.
        if (k <= subsidyPeriods) {
          const share = feeSubsidy[o * STAGES + si]! * (k < subsidyPeriods ? 1 : subsidyBoundary);
          if (share > 0) subsidisedFeesByStage[si] = subsidisedFeesByStage[si]! + share * vintageFees;
        }
        if (cohorts) {
          const at = (o * queueLength + t) * STAGES + si;
          this.cohortExposure[at] = this.cohortExposure[at]! + vintageGBar * perLoanG;
          this.cohortFees[at] = this.cohortFees[at]! + vintageFees;
        }
        outstandingG += endUnits * perLoanG;
        outstandingP += endUnits * size;
        if (defaults > 0) {
          const uncapped = claimUnits * perLoanG;
          let claim = uncapped;
          const room = vintageCap[o]! - vintageClaims[o]!;
          if (claim > room) {
            claimsCapped += claim - Math.max(0, room);
            claim = Math.max(0, room);
          }
          // Recoveries follow the claim actually paid.
          const recovered = uncapped > 0 ? recoveryUnits * perLoanG * (claim / uncapped) : 0;
          // The state's share of the part of the claim above the vintage's threshold.
          const stateShare = settings[STATE_SHARE]!;
          let compensation = 0;
          if (stateShare > 0) {
            const below = Math.max(0, vintageStateThreshold[o]! - vintageClaims[o]!);
            compensation = stateShare * Math.max(0, claim - below);
          }
          vintageClaims[o] = vintageClaims[o]! + claim;
          claimsIncurred += claim;
          this.scheduleClaim(o, t, claim, recovered, compensation);
        }
      }
      this.averageGuaranteedByStage[si] = this.averageGuaranteedByStage[si]! + stageGBar * perLoanG;
      this.defaultsByStage[si] = this.defaultsByStage[si]! + stageDefaults;
      allDefaults += stageDefaults;
    }
    const totals = this.totals;
    totals[TOTAL_END_GUARANTEED] = outstandingG;
    totals[TOTAL_END_PRINCIPAL] = outstandingP;
    totals[TOTAL_CLAIMS_INCURRED] = claimsIncurred;
    totals[TOTAL_CLAIMS_CAPPED] = claimsCapped;
    totals[TOTAL_DEFAULTS] = allDefaults;
  }

  /** Adds `amount` due in period p to a queue and, when cohorts are kept, to the vintage's row. */
  private due(queue: Float64Array, cohortQueue: Float64Array, o: number, p: number, amount: number): void {
    queue[p] = queue[p]! + amount;
    if (this.cohorts) {
      const at = o * this.queueLength + p;
      cohortQueue[at] = cohortQueue[at]! + amount;
    }
  }

  /**
   * Queues a claim of vintage o arising from the defaults of period t, with its recovery and the
   * state's compensation: a lag of L periods with a fractional part φ pays the share 1 − φ in
   * period t + ⌊L⌋ and φ in the period after; a claim waits for the vintage's lock-in to end,
   * and its recovery then follows by the recovery lag alone.
   */
  private scheduleClaim(o: number, t: number, claim: number, recovery: number, compensation: number): void {
    const settings = this.settings;
    const claimAt = t + (settings[CLAIM_LAG]! | 0);
    const lockEnd = o + (settings[LOCK_IN]! | 0);
    if (lockEnd > claimAt) {
      const recoveryAt = o + (settings[RECOVERY_AFTER_LOCK_IN]! | 0);
      this.due(this.claimsDue, this.cohortClaims, o, lockEnd, claim);
      this.due(this.stateDue, this.cohortStateCompensation, o, lockEnd, compensation);
      this.due(this.recoveriesDue, this.cohortRecoveries, o, recoveryAt, recovery);
      return;
    }
    const late = settings[CLAIM_LAG_FRACTION]!;
    this.due(this.claimsDue, this.cohortClaims, o, claimAt, claim * (1 - late));
    this.due(this.stateDue, this.cohortStateCompensation, o, claimAt, compensation * (1 - late));
    if (late > 0) {
      this.due(this.claimsDue, this.cohortClaims, o, claimAt + 1, claim * late);
      this.due(this.stateDue, this.cohortStateCompensation, o, claimAt + 1, compensation * late);
    }
    const recoveryAt = t + (settings[RECOVERY_LAG]! | 0);
    const lateRecovery = settings[RECOVERY_LAG_FRACTION]!;
    this.due(this.recoveriesDue, this.cohortRecoveries, o, recoveryAt, recovery * (1 - lateRecovery));
    if (lateRecovery > 0) this.due(this.recoveriesDue, this.cohortRecoveries, o, recoveryAt + 1, recovery * lateRecovery);
  }

  /** One binomial draw as runVintages makes it (binomial() and tests): a whole n ≥ 0, p in [0, 1], slot < 0 for no table. */
  drawBinomial(n: number, p: number, slot: number): number {
    return n > 0 && p > 0 ? this.binomial(n, p, slot) : 0;
  }

  /** q^n as the slot's tables give it (filling them as a draw would), for tests: n ≤ 255, p ≤ ½. */
  tablePower(n: number, p: number, slot: number): number {
    const high = n >> 4;
    if (this.slotP[slot] !== p || high >= this.highFilled[slot]!) this.fill(slot, p, high);
    const base = slot << 5;
    return this.powers[base + (n & 15)]! * this.powers[base + 16 + high]!;
  }
}
