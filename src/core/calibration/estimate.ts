/**
 * Estimates a scenario's credit parameters from a loan tape, each with its 95 % interval and the
 * number of loans (or loan-years) behind it. Pure: the loans come in as a LoanTable.
 *
 * - Annual PD by stage and grade from life tables by loan age (actuarial: a loan that leaves
 *   the book during a year without defaulting — still running at the data's end, repaid early
 *   or matured — counts for the fraction of that year it was watched; a loan that defaults
 *   counts for the whole year): PD = Σ defaults ÷ Σ loan-years at risk. The interval allows for
 *   the business cycle as well as the loans' own randomness (cycleInterval), and is never
 *   narrower than the Jeffreys one.
 * - Vintage curves: each origination year's cumulative default rate by loan age.
 * - Default rate by calendar year (defaults ÷ loan-years at risk in the year) and the asset
 *   correlation from it, by maximum likelihood (vasicek-fit.ts) and the method of moments.
 * - Recovery rate (recoveries ÷ outstanding at default) of defaults resolved long enough ago,
 *   by collateral level; LGD before collateral = 1 − mean recovery of loans without collateral;
 *   recovery lag in months.
 * - Stage transitions (from the stage at the end; the date of the move is unknown, so each
 *   loan is an interval-censored observation) and exits (repaid early, with dates).
 */
import { STAGES, type Stage } from '../stages.ts';
import { DAYS_PER_YEAR, isoDate, type LoanTable, NO_DATE, REPAYMENTS, yearOfDay, type Repayment } from './rows.ts';
import { inverseNormalCdf } from '../math/normal.ts';
import { bivariateNormalEqual, CHI2_1_95, jeffreysInterval, meanInterval, quantileSorted, type Interval } from './stats.ts';
import { fitCorrelationMl, fitCorrelationMoments, type YearCounts } from './vasicek-fit.ts';

export interface CalibrationOptions {
  /** The data's end date (day number); the latest date in the tape when absent. */
  readonly asOf?: number;
  /** Defaults younger than this are still in workout: left out of recovery estimates. */
  readonly resolutionMonths?: number;
  /** Fit the asset correlation (the slowest step); default true. */
  readonly fitCorrelation?: boolean;
  /**
   * The business cycle's year-to-year persistence φ, for the PD intervals' cycle term (the base
   * scenario's monteCarlo.cyclePersistence; 0.5 when absent). Too few years to estimate it.
   */
  readonly cyclePersistence?: number;
  /** Asset correlation for the PD intervals when it is not fitted (fitCorrelation false); 0.12 when absent. */
  readonly assetCorrelation?: number;
}

/** Least data for an estimate to replace the base scenario's value. */
export const MINIMUM = {
  pdLoanYears: 100,
  pdDefaults: 5,
  recoveries: 20,
  rateLoanYears: 100,
  correlationYears: 5,
  correlationDefaults: 20,
  /** Fewer years than this: the correlation is estimated, with a warning. */
  correlationWarnYears: 10,
} as const;

export interface Estimate extends Interval {
  /** Loans, loan-years or defaults behind the estimate, as `basis` says. */
  readonly n: number;
  readonly basis: string;
  readonly enough: boolean;
  readonly note: string;
}

export interface LifeTableRow {
  readonly age: number;
  readonly atRisk: number;
  readonly defaults: number;
  /** Of the loans at risk, the year-fractions not observed: loans that left during the year without defaulting. */
  readonly withdrawn: number;
  /** Loans at risk less the withdrawn fractions: loan-years at risk. */
  readonly effective: number;
  readonly hazard: number;
  readonly cumulative: number;
}

export interface GradeEstimate {
  readonly grade: string;
  readonly loans: number;
  readonly share: number;
  readonly defaults: number;
  readonly loanYears: number;
  readonly pd: Estimate;
  readonly jeffreys: Interval;
  readonly lifeTable: readonly LifeTableRow[];
}

export interface SeriesPoint {
  readonly year: number;
  readonly loanYears: number;
  readonly defaults: number;
  readonly rate: number;
}

export interface CorrelationEstimate {
  readonly years: number;
  readonly defaults: number;
  readonly ml: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly moments: number | null;
  readonly enough: boolean;
  readonly warning: string | null;
  readonly series: readonly SeriesPoint[];
}

export interface CollateralLevel {
  readonly label: string;
  readonly from: number;
  readonly to: number | null;
  readonly loans: number;
  readonly share: number;
  readonly meanRatio: number;
  readonly recovery: Estimate | null;
}

export interface StageEstimate {
  readonly stage: Stage;
  readonly loans: number;
  readonly amount: number;
  readonly loanSize: number;
  readonly tenorYears: number;
  readonly repayment: Readonly<Record<Repayment, number>>;
  readonly coverage: number | null;
  readonly loanYears: number;
  readonly defaults: number;
  readonly grades: readonly GradeEstimate[];
  readonly lgdBeforeCollateral: Estimate | null;
  readonly collateral: readonly CollateralLevel[];
  readonly transitions: Readonly<Record<Stage, Estimate>>;
  readonly exit: Estimate;
  readonly correlation: CorrelationEstimate;
}

export interface VintageCurve {
  readonly year: number;
  readonly loans: number;
  /** Cumulative default rate at the end of each loan-age year observed. */
  readonly cumulative: readonly number[];
}

export interface Calibration {
  readonly asOf: string;
  readonly loans: number;
  readonly firstYear: number;
  readonly lastYear: number;
  /** The last calendar year the data covers in full. */
  readonly lastFullYear: number;
  readonly resolutionMonths: number;
  readonly stages: readonly StageEstimate[];
  readonly portfolio: {
    readonly loanYears: number;
    readonly defaults: number;
    readonly pd: Estimate;
    readonly correlation: CorrelationEstimate;
    readonly exit: Estimate;
  };
  readonly recovery: {
    readonly resolved: number;
    readonly inWorkout: number;
    readonly rate: Estimate;
    readonly lagMonths: Estimate;
    readonly histogram: { readonly edges: readonly number[]; readonly counts: readonly number[] };
    readonly quantiles: { readonly p10: number; readonly p25: number; readonly p50: number; readonly p75: number; readonly p90: number } | null;
  };
  readonly vintages: readonly VintageCurve[];
  /** Originations per calendar year and stage (principal and loans), for the backtest. */
  readonly originations: readonly { readonly year: number; readonly amount: readonly number[]; readonly loans: readonly number[] }[];
  /** Observed defaults, outstanding at default (× coverage: claims) and recoveries (× coverage) per calendar year and stage. */
  readonly observed: readonly { readonly year: number; readonly defaults: readonly number[]; readonly claims: readonly number[]; readonly recoveries: readonly number[] }[];
  readonly warnings: readonly string[];
}

const MONTH_DAYS = DAYS_PER_YEAR / 12;
export const COLLATERAL_LEVELS: readonly { label: string; from: number; to: number | null }[] = [
  { label: 'none', from: 0, to: 0 },
  { label: 'under 50 %', from: 0, to: 0.5 },
  { label: '50 % to under 100 %', from: 0.5, to: 1 },
  { label: '100 % or more', from: 1, to: null },
];

function collateralLevelOf(ratio: number): number {
  if (!(ratio > 0)) return 0;
  if (ratio < 0.5) return 1;
  if (ratio < 1) return 2;
  return 3;
}

const estimate = (i: Interval, n: number, basis: string, enough: boolean, note = ''): Estimate => ({ ...i, n, basis, enough, note });

class LifeTable {
  atRisk: number[] = [];
  defaults: number[] = [];
  withdrawn: number[] = [];
  /** `unobserved`: for a withdrawal, the part of the year after the loan left (its exposure is 1 − that). */
  add(age: number, what: 'survived' | 'default' | 'withdrawn', unobserved = 0): void {
    while (this.atRisk.length <= age) { this.atRisk.push(0); this.defaults.push(0); this.withdrawn.push(0); }
    this.atRisk[age]!++;
    if (what === 'default') this.defaults[age]!++;
    else if (what === 'withdrawn') this.withdrawn[age]! += unobserved;
  }
  rows(): LifeTableRow[] {
    let survival = 1;
    return this.atRisk.map((n, age) => {
      const effective = n - this.withdrawn[age]!;
      const hazard = effective > 0 ? this.defaults[age]! / effective : 0;
      survival *= 1 - hazard;
      return { age, atRisk: n, defaults: this.defaults[age]!, withdrawn: this.withdrawn[age]!, effective, hazard, cumulative: 1 - survival };
    });
  }
  totals(): { defaults: number; effective: number } {
    let d = 0;
    let e = 0;
    this.atRisk.forEach((n, age) => { d += this.defaults[age]!; e += n - this.withdrawn[age]!; });
    return { defaults: d, effective: e };
  }
}

/**
 * A loan's life in the life table: age years k = 0, 1, … from origination; the year in which its
 * observation ends is a default, a withdrawal (exit, maturity, data end) or, when it ends exactly
 * on an anniversary, a survived year.
 */
function addToLifeTable(t: LifeTable, start: number, end: number, defaulted: boolean): void {
  const years = (end - start) / DAYS_PER_YEAR;
  const full = Math.floor(years);
  for (let k = 0; k < full; k++) t.add(k, 'survived');
  if (defaulted) t.add(Math.min(full, Math.max(0, Math.ceil(years) - 1)), 'default');
  else if (years > full) t.add(full, 'withdrawn', 1 - (years - full));
}

/**
 * The PD's interval with the business cycle: the realised default rate of the years observed
 * differs from the long-run PD by the years' factors. With yearly exposure weights w_y, the
 * estimate's variance is the binomial one, PD (1 − PD) ÷ loan-years, plus
 * Σ_y Σ_y' w_y w_y' [Φ₂(c, c; ρ φ^|y − y'|) − PD²] (c = Φ⁻¹(PD)): two firms' assets in years y and y'
 * are correlated ρ φ^|y − y'| under an AR(1) cycle. The interval is ± 1.96 standard deviations,
 * and never narrower than the Jeffreys interval.
 */
function cycleInterval(pd: number, loanYears: number, es: readonly number[], rho: number, phi: number): { lower: number; upper: number } | null {
  const E = es.reduce((s, e) => s + e, 0);
  if (!(E > 0) || !(loanYears > 0)) return null;
  const variance = (p: number) => {
    if (p <= 0 || p >= 1) return 0;
    const c = inverseNormalCdf(p);
    const byLag = es.map((_, lag) => bivariateNormalEqual(c, rho * phi ** lag) - p * p);
    let v = 0;
    for (let y = 0; y < es.length; y++) for (let x = 0; x < es.length; x++) v += (es[y]! / E) * (es[x]! / E) * byLag[Math.abs(y - x)]!;
    return Math.max(0, v) + (p * (1 - p)) / loanYears;
  };
  // A score-type interval: the p whose own standard deviation puts the estimate 1.96 of them away.
  const z = 1.959963984540054;
  const inside = (p: number) => Math.abs(pd - p) <= z * Math.sqrt(variance(p));
  const cross = (from: number, to: number) => {
    if (inside(to)) return to;
    let a = from;
    let b = to;
    for (let i = 0; i < 50; i++) { const m = (a + b) / 2; if (inside(m)) a = m; else b = m; }
    return (a + b) / 2;
  };
  return { lower: pd <= 0 ? 0 : cross(pd, 0), upper: cross(pd, Math.min(1, Math.max(pd * 20, 0.5))) };
}

/**
 * Interval-censored yearly rate: loan i was watched for T_i years and moved (m_i = 1) at some
 * unknown time, at most once. ℓ(q) = Σ m ln(1 − (1 − q)^T) + (1 − m) T ln(1 − q); ML with a
 * likelihood-ratio interval.
 */
function intervalCensoredRate(T: readonly number[], moved: readonly boolean[]): Interval {
  const events = moved.filter(Boolean).length;
  const ll = (q: number) => {
    let s = 0;
    for (let i = 0; i < T.length; i++) {
      const t = T[i]!;
      if (moved[i]) s += Math.log(Math.max(1e-300, -Math.expm1(t * Math.log1p(-q))));
      else s += t * Math.log1p(-q);
    }
    return s;
  };
  const hiQ = 0.999;
  if (events === 0) {
    // ℓ is decreasing from q = 0 (ℓ = 0): the interval is [0, q with ℓ = −χ²/2].
    let lo = 0;
    let hi = hiQ;
    for (let i = 0; i < 60; i++) { const m = (lo + hi) / 2; if (ll(m) >= -CHI2_1_95 / 2) lo = m; else hi = m; }
    return { estimate: 0, lower: 0, upper: lo };
  }
  // ℓ is concave in q: golden section for its maximum.
  let a = 1e-9;
  let b = hiQ;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 100 && b - a > 1e-10; i++) {
    const x1 = b - g * (b - a);
    const x2 = a + g * (b - a);
    if (ll(x1) < ll(x2)) a = x1; else b = x2;
  }
  const qHat = (a + b) / 2;
  const cut = ll(qHat) - CHI2_1_95 / 2;
  const cross = (inside: number, outside: number) => {
    if (ll(outside) >= cut) return outside;
    let lo = inside;
    let hi = outside;
    for (let i = 0; i < 60; i++) { const m = (lo + hi) / 2; if (ll(m) >= cut) lo = m; else hi = m; }
    return (lo + hi) / 2;
  };
  return { estimate: qHat, lower: cross(qHat, 0), upper: cross(qHat, hiQ) };
}

function correlationOf(pds: readonly number[], perYear: Map<number, { e: number[]; d: number[] }>, years: readonly number[], fit = true): CorrelationEstimate {
  const counts: YearCounts[] = [];
  const series: SeriesPoint[] = [];
  let totalD = 0;
  for (const y of years) {
    const c = perYear.get(y);
    if (!c) continue;
    const e = c.e.reduce((s, x) => s + x, 0);
    const d = c.d.reduce((s, x) => s + x, 0);
    if (!(e > 0)) continue;
    counts.push({ exposure: c.e, defaults: c.d });
    series.push({ year: y, loanYears: e, defaults: d, rate: d / e });
    totalD += d;
  }
  const T = series.length;
  const enough = T >= MINIMUM.correlationYears && totalD >= MINIMUM.correlationDefaults;
  const warning = T < MINIMUM.correlationYears
    ? `Only ${T} full year${T === 1 ? '' : 's'} of default rates: the asset correlation needs at least ${MINIMUM.correlationYears} and is not estimated.`
    : T < MINIMUM.correlationWarnYears
      ? `Only ${T} years of default rates: the asset correlation is weakly identified (its interval is wide); ${MINIMUM.correlationWarnYears} or more years are advisable.`
      : totalD < MINIMUM.correlationDefaults ? `Only ${totalD} defaults: the asset correlation needs at least ${MINIMUM.correlationDefaults}.` : null;
  if (T < 2 || totalD === 0 || !fit) return { years: T, defaults: totalD, ml: null, lower: null, upper: null, moments: null, enough: false, warning, series };
  const ml = fitCorrelationMl(pds, counts);
  const E = series.reduce((s, p) => s + p.loanYears, 0);
  const moments = fitCorrelationMoments(series.map((p) => p.rate), series.map((p) => p.loanYears), totalD / E);
  return { years: T, defaults: totalD, ml: ml.ml, lower: ml.lower, upper: ml.upper, moments, enough, warning, series };
}

/** Every estimate of a tape. */
export function calibrate(t: LoanTable, options: CalibrationOptions = {}): Calibration {
  if (t.length === 0) throw new RangeError('The tape has no loans.');
  const asOf = options.asOf ?? t.latestDate();
  const resolutionMonths = options.resolutionMonths ?? 36;
  const resolvedBy = asOf - Math.round(resolutionMonths * MONTH_DAYS);
  let firstYear = Infinity;
  for (let i = 0; i < t.length; i++) firstYear = Math.min(firstYear, yearOfDay(t.origination[i]!));
  const asOfDate = new Date(asOf * 86_400_000);
  const lastYear = asOfDate.getUTCFullYear();
  const lastFullYear = asOfDate.getUTCMonth() === 11 && asOfDate.getUTCDate() === 31 ? lastYear : lastYear - 1;
  const nYears = lastYear - firstYear + 1;
  const fullYears = Array.from({ length: Math.max(0, lastFullYear - firstYear + 1) }, (_, k) => firstYear + k);
  const G = t.grades.values.length;
  const S = STAGES.length;
  const bucket = (s: number, g: number) => s * G + g;

  const tables = Array.from({ length: S * G }, () => new LifeTable());
  const vintageTables = new Map<number, LifeTable>();
  const vintageLoans = new Map<number, number>();
  const loansB = new Float64Array(S * G);
  // Calendar-year exposure and defaults per bucket: index (year − firstYear) × S·G + bucket.
  const expY = new Float64Array(nYears * S * G);
  const defY = new Float64Array(nYears * S * G);
  const stageLoans = new Float64Array(S);
  const stageAmount = new Float64Array(S);
  const stageTenor = new Float64Array(S);
  const stageRepay = Array.from({ length: S }, () => new Float64Array(3));
  const stageCoverage = new Float64Array(S);
  const stageCoverageN = new Float64Array(S);
  const stageExposure = new Float64Array(S);
  const stageExits = new Float64Array(S);
  const moveT: number[][] = Array.from({ length: S }, () => []);
  const moveTo: number[][] = Array.from({ length: S }, () => []);
  const collLoans = Array.from({ length: S }, () => new Float64Array(4));
  const collRatio = Array.from({ length: S }, () => new Float64Array(4));
  const collRecoveries: number[][][] = Array.from({ length: S }, () => [[], [], [], []]);
  const allRecoveries: number[] = [];
  const lags: number[] = [];
  let inWorkout = 0;
  let hasCollateral = false;
  const orig = Array.from({ length: nYears }, () => ({ amount: new Float64Array(S), loans: new Float64Array(S) }));
  const obs = Array.from({ length: nYears }, () => ({ defaults: new Float64Array(S), claims: new Float64Array(S), recoveries: new Float64Array(S) }));

  for (let i = 0; i < t.length; i++) {
    const s = t.stage[i]!;
    const g = t.grade[i]!;
    const b = bucket(s, g);
    const start = t.origination[i]!;
    const dflt = t.defaultDate[i]!;
    const closed = t.closedDate[i]!;
    const maturity = t.maturity(i);
    let end = Math.min(maturity, asOf);
    let defaulted = false;
    let exited = false;
    if (dflt !== NO_DATE && dflt <= end) { end = dflt; defaulted = true; }
    if (!defaulted && closed !== NO_DATE && closed < end) { end = closed; exited = true; }
    const amount = t.amount[i]!;
    const cover = Number.isNaN(t.coverage[i]!) ? 1 : t.coverage[i]!;
    loansB[b]!++;
    stageLoans[s]!++;
    stageAmount[s]! += amount;
    stageTenor[s]! += t.tenorMonths[i]! / 12;
    if (t.repayment[i]! < 3) stageRepay[s]![t.repayment[i]!]!++;
    if (!Number.isNaN(t.coverage[i]!)) { stageCoverage[s]! += t.coverage[i]!; stageCoverageN[s]!++; }
    const vy = yearOfDay(start);
    orig[vy - firstYear]!.amount[s]! += amount;
    orig[vy - firstYear]!.loans[s]!++;

    addToLifeTable(tables[b]!, start, end, defaulted);
    let vt = vintageTables.get(vy);
    if (!vt) { vt = new LifeTable(); vintageTables.set(vy, vt); vintageLoans.set(vy, 0); }
    vintageLoans.set(vy, vintageLoans.get(vy)! + 1);
    addToLifeTable(vt, start, end, defaulted);

    // Calendar years.
    const y0 = vy;
    const y1 = yearOfDay(end);
    for (let y = y0; y <= y1; y++) {
      const ys = Math.floor(Date.UTC(y, 0, 1) / 86_400_000);
      const ye = Math.floor(Date.UTC(y + 1, 0, 1) / 86_400_000);
      const overlap = Math.max(0, Math.min(end, ye) - Math.max(start, ys)) / DAYS_PER_YEAR;
      expY[(y - firstYear) * S * G + b]! += overlap;
    }
    const years = (end - start) / DAYS_PER_YEAR;
    stageExposure[s]! += years;
    if (exited) stageExits[s]!++;
    if (t.stageAtEnd[i]! < 4) {
      moveT[s]!.push(years);
      moveTo[s]!.push(t.stageAtEnd[i]!);
    }
    const coll = t.collateralValue[i]!;
    if (!Number.isNaN(coll)) hasCollateral = true;
    const ratio = Number.isNaN(coll) ? 0 : coll / amount;
    const level = collateralLevelOf(ratio);
    collLoans[s]![level]!++;
    collRatio[s]![level]! += Math.min(ratio, 5);
    if (defaulted) {
      const dy = yearOfDay(dflt) - firstYear;
      defY[dy * S * G + b]!++;
      const ead = t.outstandingAtDefault[i]!;
      obs[dy]!.defaults[s]!++;
      obs[dy]!.claims[s]! += cover * ead;
      const rec = Number.isNaN(t.recoveryAmount[i]!) ? 0 : t.recoveryAmount[i]!;
      if (rec > 0 && t.recoveryDate[i]! !== NO_DATE) obs[yearOfDay(t.recoveryDate[i]!) - firstYear]!.recoveries[s]! += cover * rec;
      if (dflt <= resolvedBy && ead > 0) {
        const rr = Math.min(1, rec / ead);
        allRecoveries.push(rr);
        collRecoveries[s]![level]!.push(rr);
        if (rec > 0 && t.recoveryDate[i]! !== NO_DATE) lags.push((t.recoveryDate[i]! - dflt) / MONTH_DAYS);
      } else inWorkout++;
    }
  }

  const warnings: string[] = [];
  const series = (b: number) => {
    const e: number[] = [];
    const d: number[] = [];
    for (const y of fullYears) { e.push(expY[(y - firstYear) * S * G + b]!); d.push(defY[(y - firstYear) * S * G + b]!); }
    return { e, d };
  };

  // Portfolio: all buckets together.
  const liveBuckets: number[] = [];
  for (let b = 0; b < S * G; b++) if (loansB[b]! > 0) liveBuckets.push(b);
  const bucketPd = liveBuckets.map((b) => { const x = tables[b]!.totals(); return x.effective > 0 ? x.defaults / x.effective : 0; });
  const perYear = new Map<number, { e: number[]; d: number[] }>();
  for (const y of fullYears) perYear.set(y, { e: liveBuckets.map((b) => expY[(y - firstYear) * S * G + b]!), d: liveBuckets.map((b) => defY[(y - firstYear) * S * G + b]!) });
  const portfolioCorrelation = correlationOf(bucketPd, perYear, fullYears, options.fitCorrelation !== false);
  const pTot = liveBuckets.reduce((a, b) => { const x = tables[b]!.totals(); return { d: a.d + x.defaults, e: a.e + x.effective }; }, { d: 0, e: 0 });
  const rhoForPd = portfolioCorrelation.ml ?? options.assetCorrelation ?? 0.12;
  const phi = options.cyclePersistence ?? 0.5;
  const stages: StageEstimate[] = STAGES.map((stage, s) => {
    const grades: GradeEstimate[] = [];
    for (let g = 0; g < G; g++) {
      const b = bucket(s, g);
      if (loansB[b] === 0) continue;
      const tot = tables[b]!.totals();
      const jeff = tot.effective > 0 ? jeffreysInterval(tot.defaults, tot.effective) : { estimate: 0, lower: 0, upper: 1 };
      const ser = series(b);
      const cyc = cycleInterval(jeff.estimate, tot.effective, ser.e, rhoForPd, phi);
      const enough = tot.effective >= MINIMUM.pdLoanYears && tot.defaults >= MINIMUM.pdDefaults;
      const interval = cyc ? { estimate: jeff.estimate, lower: Math.min(jeff.lower, cyc.lower), upper: Math.max(jeff.upper, cyc.upper) } : jeff;
      grades.push({
        grade: t.grades.values[g]!, loans: loansB[b]!, share: loansB[b]! / stageLoans[s]!, defaults: tot.defaults, loanYears: tot.effective,
        pd: estimate(interval, tot.effective, 'loan-years at risk', enough,
          enough ? `${tot.defaults} defaults in ${Math.round(tot.effective).toLocaleString('en')} loan-years` : `too little data: ${tot.defaults} defaults in ${Math.round(tot.effective).toLocaleString('en')} loan-years (needs ${MINIMUM.pdDefaults} and ${MINIMUM.pdLoanYears})`),
        jeffreys: jeff, lifeTable: tables[b]!.rows(),
      });
    }
    grades.sort((a, b) => a.pd.estimate - b.pd.estimate || a.grade.localeCompare(b.grade));
    const loans = stageLoans[s]!;
    const loanYears = grades.reduce((a, g) => a + g.loanYears, 0);
    const defaults = grades.reduce((a, g) => a + g.defaults, 0);
    // Correlation from the stage's grades.
    const perYear = new Map<number, { e: number[]; d: number[] }>();
    const gradeIdx = grades.map((gr) => t.grades.values.indexOf(gr.grade));
    for (const y of fullYears) {
      perYear.set(y, { e: gradeIdx.map((g) => expY[(y - firstYear) * S * G + bucket(s, g)]!), d: gradeIdx.map((g) => defY[(y - firstYear) * S * G + bucket(s, g)]!) });
    }
    const correlation = loans > 0 ? correlationOf(grades.map((g) => g.pd.estimate), perYear, fullYears, options.fitCorrelation !== false)
      : { years: 0, defaults: 0, ml: null, lower: null, upper: null, moments: null, enough: false, warning: 'No loans of this stage.', series: [] };
    const collateral: CollateralLevel[] = COLLATERAL_LEVELS.map((lv, k) => {
      const rr = collRecoveries[s]![k]!;
      const m = meanInterval(rr);
      return {
        ...lv, loans: collLoans[s]![k]!, share: loans > 0 ? collLoans[s]![k]! / loans : 0, meanRatio: collLoans[s]![k]! > 0 ? collRatio[s]![k]! / collLoans[s]![k]! : 0,
        recovery: m ? estimate(m, rr.length, 'resolved defaults', rr.length >= MINIMUM.recoveries) : null,
      };
    });
    const unsecured = collRecoveries[s]![0]!;
    const mu = meanInterval(unsecured);
    const lgd = hasCollateral && mu ? estimate({ estimate: 1 - mu.estimate, lower: Math.max(0, 1 - mu.upper), upper: Math.min(1, 1 - mu.lower) }, unsecured.length, 'resolved defaults without collateral', unsecured.length >= MINIMUM.recoveries,
      unsecured.length >= MINIMUM.recoveries ? '' : `too little data: ${unsecured.length} resolved defaults without collateral (needs ${MINIMUM.recoveries})`) : null;
    const exposure = stageExposure[s]!;
    const exitI = exposure > 0 ? jeffreysInterval(Math.min(stageExits[s]!, exposure), Math.max(exposure, stageExits[s]!)) : { estimate: 0, lower: 0, upper: 1 };
    const exit = estimate(exitI, exposure, 'loan-years', exposure >= MINIMUM.rateLoanYears, `${stageExits[s]} loans repaid early in ${Math.round(exposure).toLocaleString('en')} loan-years`);
    const known = moveT[s]!.length;
    const knownYears = moveT[s]!.reduce((a, x) => a + x, 0);
    const transitions = Object.fromEntries(STAGES.map((to, r) => {
      if (r === s || known === 0) return [to, estimate({ estimate: 0, lower: 0, upper: r === s ? 0 : 1 }, knownYears, 'loan-years with the stage at the end known', false, r === s ? '' : 'no stage at the end in the data')];
      const moved = moveTo[s]!.map((x) => x === r);
      const iv = intervalCensoredRate(moveT[s]!, moved);
      const count = moved.filter(Boolean).length;
      return [to, estimate(iv, knownYears, 'loan-years with the stage at the end known', knownYears >= MINIMUM.rateLoanYears, `${count} of ${known} loans moved here`)];
    })) as Record<Stage, Estimate>;
    const repayment = Object.fromEntries(REPAYMENTS.map((r, k) => [r, stageRepay[s]![k]!])) as Record<Repayment, number>;
    return {
      stage, loans, amount: stageAmount[s]!, loanSize: loans > 0 ? stageAmount[s]! / loans : 0, tenorYears: loans > 0 ? stageTenor[s]! / loans : 0,
      repayment, coverage: stageCoverageN[s]! > 0 ? stageCoverage[s]! / stageCoverageN[s]! : null, loanYears, defaults, grades,
      lgdBeforeCollateral: lgd, collateral, transitions, exit, correlation,
    };
  });

  const totalExposure = stageExposure.reduce((a, x) => a + x, 0);
  const totalExits = stageExits.reduce((a, x) => a + x, 0);

  const rr = allRecoveries;
  const sorted = Float64Array.from(rr).sort();
  const rate = meanInterval(rr);
  const lag = meanInterval(lags);
  const edges = Array.from({ length: 11 }, (_, k) => k / 10);
  const counts = new Array<number>(10).fill(0);
  for (const x of rr) counts[Math.min(9, Math.floor(x * 10))]!++;
  if (!hasCollateral) warnings.push('The tape has no collateral values: the collateral levels and the LGD before collateral are left at the base scenario’s values.');
  if (fullYears.length === 0) warnings.push('The data cover no full calendar year: no default-rate series, correlation or backtest.');
  if (portfolioCorrelation.warning) warnings.push(`Portfolio: ${portfolioCorrelation.warning}`);

  const vintages: VintageCurve[] = [...vintageTables.entries()].sort((a, b) => a[0] - b[0])
    .map(([year, lt]) => ({ year, loans: vintageLoans.get(year)!, cumulative: lt.rows().map((r) => r.cumulative) }));

  return {
    asOf: isoDate(asOf), loans: t.length, firstYear, lastYear, lastFullYear, resolutionMonths, stages,
    portfolio: {
      loanYears: pTot.e, defaults: pTot.d,
      pd: estimate(pTot.e > 0 ? jeffreysInterval(pTot.d, pTot.e) : { estimate: 0, lower: 0, upper: 1 }, pTot.e, 'loan-years at risk', pTot.e >= MINIMUM.pdLoanYears && pTot.d >= MINIMUM.pdDefaults),
      correlation: portfolioCorrelation,
      exit: estimate(totalExposure > 0 ? jeffreysInterval(Math.min(totalExits, totalExposure), totalExposure) : { estimate: 0, lower: 0, upper: 1 }, totalExposure, 'loan-years', totalExposure >= MINIMUM.rateLoanYears),
    },
    recovery: {
      resolved: rr.length, inWorkout,
      rate: rate ? estimate(rate, rr.length, 'resolved defaults', rr.length >= MINIMUM.recoveries) : estimate({ estimate: NaN, lower: NaN, upper: NaN }, rr.length, 'resolved defaults', false, 'no resolved defaults'),
      lagMonths: lag ? estimate(lag, lags.length, 'recoveries', lags.length >= MINIMUM.recoveries) : estimate({ estimate: NaN, lower: NaN, upper: NaN }, lags.length, 'recoveries', false, 'no dated recoveries'),
      histogram: { edges, counts },
      quantiles: rr.length > 0 ? { p10: quantileSorted(sorted, 0.1), p25: quantileSorted(sorted, 0.25), p50: quantileSorted(sorted, 0.5), p75: quantileSorted(sorted, 0.75), p90: quantileSorted(sorted, 0.9) } : null,
    },
    vintages,
    originations: orig.map((o, k) => ({ year: firstYear + k, amount: Array.from(o.amount), loans: Array.from(o.loans) })),
    observed: obs.map((o, k) => ({ year: firstYear + k, defaults: Array.from(o.defaults), claims: Array.from(o.claims), recoveries: Array.from(o.recoveries) })),
    warnings,
  };
}
