/**
 * The backtest: the calibrated model run over the data's own years, given the loans actually
 * originated in each year and stage, and its defaults, claims and recoveries by year and stage
 * compared with those observed, inside Monte Carlo bands. Pure.
 *
 * The model run is the scenario's own period engine (plan.ts, engine.ts), annual periods, one
 * year per calendar year of the data from the first origination to the last full year, with:
 * - origination 'direct': each year's loans of each stage (the tape's count × the scenario's
 *   loan size), in the scenario's risk-grade mix;
 * - the PD of each risk grade as the scenario states it. The lenders' selection and moral
 *   hazard that the plan applies to a future guaranteed book are not applied: the tape's loans
 *   are the book, and its PDs were measured on them;
 * - the tape's own coverage per stage (1 where it gives none, as the observed claims do) and
 *   each stage's recovery rate measured on its resolved defaults (the whole tape's where a stage
 *   has none; the scenario's recovery rate where the tape has none);
 * - no stage transitions other than exits (PDs are by the stage at origination, as observed),
 *   defaults possible from the first day, no loss cap, lock-in, rationing or stress.
 *
 * Each Monte Carlo path draws one business-cycle path Z_y (AR(1) with the scenario's
 * persistence) shared by the stages, and binomial defaults given Z per stage from its own
 * stream; the portfolio's value in a path is the sum of its stages'. Observed claims are the
 * covered outstanding at default in the year of default (claims arising, whenever paid);
 * observed recoveries are the covered amounts recovered in the year recovered.
 */
import { emptyFlows, PortfolioState, type DefaultModel } from '../engine.ts';
import { riskGradesOf } from '../grades.ts';
import { inverseNormalCdf, normalCdf } from '../math/normal.ts';
import { buildPlan, type Plan } from '../plan.ts';
import { streamFor, type Xoshiro128StarStar } from '../random/rng.ts';
import { standardNormal } from '../random/samplers.ts';
import { parseScenario, type Scenario } from '../schema.ts';
import { STAGE_COUNT, STAGES, type Stage } from '../stages.ts';
import type { Calibration } from './estimate.ts';

export const MEASURES = ['defaults', 'claims', 'recoveries'] as const;
export type Measure = (typeof MEASURES)[number];

export interface BacktestOptions {
  readonly paths?: number;
  readonly seed?: number;
  /** Central share of the paths the band holds (0.9: from the 5th to the 95th percentile). */
  readonly band?: number;
}

export interface BandPoint {
  readonly year: number;
  readonly observed: number;
  /** The model's expected value (expected defaults at the unconditional PDs). */
  readonly expected: number;
  readonly lower: number;
  readonly median: number;
  readonly upper: number;
  readonly inside: boolean;
}

export interface BacktestSeries {
  readonly measure: Measure;
  readonly stage: Stage | 'all';
  readonly points: readonly BandPoint[];
  readonly inside: number;
}

export interface Backtest {
  readonly years: readonly number[];
  readonly paths: number;
  readonly seed: number;
  readonly band: number;
  /** Defaults, claims and recoveries of the whole portfolio, then of each stage with loans. */
  readonly series: readonly BacktestSeries[];
  /** Per measure: points inside the band of every series (stages and portfolio) and their number. */
  readonly totals: Readonly<Record<Measure, { readonly inside: number; readonly points: number }>>;
  /** One sentence per measure on whether the observed series lies inside the bands. */
  readonly verdicts: readonly string[];
  readonly notes: readonly string[];
}

const DOMINANT = ['bullet', 'linear', 'annuity'] as const;

/** The years compared: the first origination year to the last full year, at most 30. */
export function backtestYears(cal: Calibration): number[] {
  const n = cal.lastFullYear - cal.firstYear + 1;
  return Array.from({ length: Math.max(0, Math.min(30, n)) }, (_, k) => cal.firstYear + k);
}

/** Recovery rate per stage: mean over the stage's resolved defaults (by collateral level), else the tape's, else null. */
function stageRecoveryRates(cal: Calibration): (number | null)[] {
  const overall = cal.recovery.rate.n > 0 && Number.isFinite(cal.recovery.rate.estimate) ? cal.recovery.rate.estimate : null;
  return cal.stages.map((st) => {
    let n = 0;
    let sum = 0;
    for (const c of st.collateral) if (c.recovery && c.recovery.n > 0) { n += c.recovery.n; sum += c.recovery.n * c.recovery.estimate; }
    return n > 0 ? sum / n : overall;
  });
}

/** The scenario the backtest runs: the calibrated one with the data's years, originations and the settings above. */
export function backtestScenario(scenario: Scenario, cal: Calibration, repayment?: Scenario['timing']['amortisation']): Scenario {
  const years = backtestYears(cal);
  if (years.length === 0) throw new RangeError('The data cover no full calendar year: there is nothing to backtest.');
  const row = new Map(cal.originations.map((o) => [o.year, o]));
  const volumes = Object.fromEntries(STAGES.map((st, si) => [st, years.map((y) => (row.get(y)?.loans[si] ?? 0) * scenario.stages[st].loanSize)])) as Record<Stage, number[]>;
  const total = STAGES.reduce((a, st) => a + volumes[st].reduce((b, v) => b + v, 0), 0);
  const repay = [0, 0, 0];
  for (const st of cal.stages) DOMINANT.forEach((r, k) => { repay[k]! += st.repayment[r]; });
  const amortisation = repayment ?? (repay.some((x) => x > 0) ? DOMINANT[repay.indexOf(Math.max(...repay))]! : scenario.timing.amortisation);
  const stages = Object.fromEntries(STAGES.map((st) => {
    const p = scenario.stages[st];
    return [st, { ...p, transitions: { founding: 0, growth: 0, maturity: 0, transformation: 0, exit: p.transitions.exit } }];
  })) as Scenario['stages'];
  const s = {
    ...scenario,
    name: `${scenario.name} — backtest`.slice(0, 120),
    period: 'annual',
    horizonYears: years.length,
    origination: { mode: 'direct', volumes },
    stages,
    timing: { ...scenario.timing, origination: 'middle', defaults: 'middle', claimsInFirstYear: true, newLoanRisk: 'exposure', amortisation },
    guarantee: { ...scenario.guarantee, portfolioLossCap: null },
    fund: {
      ...scenario.fund, initialCapital: Math.min(1e13, Math.ceil(total) + 1), capitalInjections: [], leverageCap: 100, minCapitalRatio: 0, claimLockInMonths: 0,
    },
    support: { ...scenario.support, capitalCall: null, stateLossSharing: null, feeSubsidy: null },
    monteCarlo: { ...scenario.monteCarlo, stress: [] },
  };
  const parsed = parseScenario(s);
  if (!parsed.ok) throw new RangeError(`The backtest scenario is not valid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return parsed.value;
}

/** The plan of one stage's loans of one repayment type (a share of them), with the tape's PDs, coverage and recoveries (see above). */
function backtestPlan(base: Plan, cal: Calibration, only: number, share: number): Plan {
  const { grades } = base;
  const s = base.scenario;
  const pd = new Float64Array(base.pd.length);
  STAGES.forEach((st, si) => riskGradesOf(s.stages[st]).forEach((g, k) => { pd[si * grades + k] = g.pd; }));
  const coverage = Float64Array.from(STAGES, (_, si) => cal.stages[si]?.coverage ?? 1);
  const rates = stageRecoveryRates(cal);
  const recoveryRate = new Float64Array(base.recoveryRate.length);
  for (let si = 0; si < STAGE_COUNT; si++) {
    for (let g = 0; g < grades; g++) recoveryRate[si * grades + g] = rates[si] ?? (s.fund.recoveryModel === 'flatRate' ? s.fund.recoveryRate : base.recoveryRate[si * grades + g]!);
  }
  const demand = new Float64Array(base.demand.length);
  for (let t = 0; t < base.periods; t++) {
    for (let g = 0; g < grades; g++) {
      const i = (t * STAGE_COUNT + only) * grades + g;
      demand[i] = base.demand[i]! * share;
    }
  }
  return { ...base, pd, coverage, recoveryRate, demand };
}

/** Defaults given a path's factor, drawn binomially in the engine from a stream of the path's. */
class FactorDefaults implements DefaultModel {
  z = 0;
  readonly defaultCount = 'binomial';
  private readonly threshold: Float64Array;
  private readonly sqrtRho: Float64Array;
  constructor(private readonly plan: Plan, public rng: Xoshiro128StarStar) {
    this.threshold = plan.pd.map((p) => (p <= 0 ? -Infinity : p >= 1 ? Infinity : inverseNormalCdf(p)));
    this.sqrtRho = Float64Array.from({ length: plan.pd.length }, (_, i) => Math.sqrt(plan.correlation[Math.floor(i / plan.grades)]!));
  }
  annualPd(_t: number, out: Float64Array): void {
    const pd = this.plan.pd;
    for (let i = 0; i < out.length; i++) {
      const p = pd[i]!;
      const r = this.sqrtRho[i]!;
      out[i] = p <= 0 || p >= 1 || r === 0 ? p : normalCdf((this.threshold[i]! - r * this.z) / Math.sqrt(1 - r * r));
    }
  }
  issued(n: number): number {
    const whole = Math.floor(n);
    return n - whole > 0 && this.rng.nextFloat() < n - whole ? whole + 1 : whole;
  }
  recoveryFactor(): number {
    return 1 + this.plan.scenario.monteCarlo.downturnLgdSensitivity * this.z;
  }
}

/** Expected defaults at the unconditional PDs. */
function expectedModel(plan: Plan): DefaultModel {
  return { annualPd: (_t, out) => out.set(plan.pd), issued: (n) => n, defaultCount: 'expected', recoveryFactor: () => 1 };
}

interface Flows { defaults: Float64Array; claims: Float64Array; recoveries: Float64Array }

function runOnce(state: PortfolioState, model: DefaultModel, years: number, out: Flows, offset: number, zs?: Float64Array, fm?: FactorDefaults): void {
  const f = emptyFlows();
  state.reset();
  let capital = state.plan.scenario.fund.initialCapital;
  for (let t = 0; t < years; t++) {
    if (zs && fm) fm.z = zs[t]!;
    capital = state.step(t, capital, model, f);
    out.defaults[offset + t] = f.defaults;
    out.claims[offset + t] = f.claimsIncurred;
    out.recoveries[offset + t] = f.recoveries;
  }
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

const MEASURE_TEXT: Record<Measure, string> = { defaults: 'defaults', claims: 'claims arising', recoveries: 'recoveries' };

/** The backtest of a calibration with the calibrated scenario. */
export function backtest(cal: Calibration, scenario: Scenario, options: BacktestOptions = {}): Backtest {
  const paths = options.paths ?? 1000;
  const seed = options.seed ?? 1;
  const band = options.band ?? 0.9;
  const s = backtestScenario(scenario, cal);
  const years = backtestYears(cal);
  const T = years.length;
  const live = STAGES.map((_, si) => cal.originations.some((o) => o.year <= years[T - 1]! && o.loans[si]! > 0));
  const stageIdx = STAGES.map((_, si) => si).filter((si) => live[si]);
  const phi = s.monteCarlo.cyclePersistence;
  const innovation = Math.sqrt(1 - phi * phi);

  // A run per stage and repayment type (the engine has one type per scenario), in the stage's mix of types.
  const plans = new Map<string, Plan>();
  const planFor = (type: Scenario['timing']['amortisation']) => {
    let p = plans.get(type);
    if (!p) { p = buildPlan(backtestScenario(scenario, cal, type), { lifetime: false }); plans.set(type, p); }
    return p;
  };
  const units: { k: number; plan: Plan }[] = [];
  stageIdx.forEach((si, k) => {
    const counts = DOMINANT.map((r) => cal.stages[si]!.repayment[r]);
    const n = counts.reduce((a, x) => a + x, 0);
    if (n === 0) units.push({ k, plan: backtestPlan(planFor(s.timing.amortisation), cal, si, 1) });
    else DOMINANT.forEach((r, j) => { if (counts[j]! > 0) units.push({ k, plan: backtestPlan(planFor(r), cal, si, counts[j]! / n) }); });
  });

  // Per stage: expected flows, and every path's.
  const expected = stageIdx.map(() => ({ defaults: new Float64Array(T), claims: new Float64Array(T), recoveries: new Float64Array(T) }));
  const sims = stageIdx.map(() => ({ defaults: new Float64Array(paths * T), claims: new Float64Array(paths * T), recoveries: new Float64Array(paths * T) }));
  const zs = new Float64Array(T);
  const one: Flows = { defaults: new Float64Array(T), claims: new Float64Array(T), recoveries: new Float64Array(T) };
  const addTo = (into: Flows, offset: number) => {
    for (let t = 0; t < T; t++) {
      into.defaults[offset + t]! += one.defaults[t]!;
      into.claims[offset + t]! += one.claims[t]!;
      into.recoveries[offset + t]! += one.recoveries[t]!;
    }
  };
  const runners = units.map((u) => {
    const state = new PortfolioState(u.plan);
    runOnce(state, expectedModel(u.plan), T, one, 0);
    addTo(expected[u.k]!, 0);
    return { k: u.k, state, model: new FactorDefaults(u.plan, streamFor(seed, 1)) };
  });
  const streams = runners.length + 1;
  for (let p = 0; p < paths; p++) {
    const zr = streamFor(seed, p * streams);
    for (let t = 0; t < T; t++) {
      const e = standardNormal(zr);
      zs[t] = t === 0 ? e : phi * zs[t - 1]! + innovation * e;
    }
    runners.forEach((r, j) => {
      r.model.rng = streamFor(seed, p * streams + 1 + j);
      runOnce(r.state, r.model, T, one, 0, zs, r.model);
      addTo(sims[r.k]!, p * T);
    });
  }

  const obsRow = new Map(cal.observed.map((o) => [o.year, o]));
  const lowQ = (1 - band) / 2;
  const series: BacktestSeries[] = [];
  const scratch = new Float64Array(paths);
  const make = (measure: Measure, stage: Stage | 'all', ks: number[]): BacktestSeries => {
    const points: BandPoint[] = years.map((year, t) => {
      for (let p = 0; p < paths; p++) {
        let v = 0;
        for (const k of ks) v += sims[k]![measure][p * T + t]!;
        scratch[p] = v;
      }
      const sorted = Float64Array.from(scratch).sort();
      const o = obsRow.get(year);
      const observed = ks.reduce((a, k) => a + (o ? o[measure][stageIdx[k]!]! : 0), 0);
      const lower = quantile(sorted, lowQ);
      const upper = quantile(sorted, 1 - lowQ);
      // Money is compared to the cent; counts exactly.
      const tol = measure === 'defaults' ? 1e-9 : 0.005;
      return {
        year, observed, expected: ks.reduce((a, k) => a + expected[k]![measure][t]!, 0), lower, median: quantile(sorted, 0.5), upper,
        inside: observed >= lower - tol && observed <= upper + tol,
      };
    });
    return { measure, stage, points, inside: points.filter((x) => x.inside).length };
  };
  for (const m of MEASURES) {
    series.push(make(m, 'all', stageIdx.map((_, k) => k)));
    stageIdx.forEach((si, k) => series.push(make(m, STAGES[si]!, [k])));
  }
  const pct = Math.round(band * 100);
  const totals = Object.fromEntries(MEASURES.map((m) => {
    const ss = series.filter((x) => x.measure === m);
    return [m, { inside: ss.reduce((a, x) => a + x.inside, 0), points: ss.reduce((a, x) => a + x.points.length, 0) }];
  })) as Backtest['totals'];
  const verdicts = MEASURES.map((m) => {
    const all = series.find((x) => x.measure === m && x.stage === 'all')!;
    const tot = totals[m];
    const outside = all.points.filter((x) => !x.inside).map((x) => x.year);
    const head = outside.length === 0
      ? `Observed ${MEASURE_TEXT[m]} of the whole portfolio lie inside the ${pct} % band in every year (${T} of ${T})`
      : `Observed ${MEASURE_TEXT[m]} of the whole portfolio lie inside the ${pct} % band in ${all.inside} of ${T} years, outside in ${outside.join(', ')}`;
    const share = tot.points > 0 ? tot.inside / tot.points : 0;
    return `${head}; by stage and year together ${tot.inside} of ${tot.points} points (${(share * 100).toFixed(0)} %, against ${pct} % expected if the model is right).`;
  });
  const notes = [
    `${paths.toLocaleString('en')} Monte Carlo paths (seed ${seed}); the band holds the central ${pct} % of them, from the ${(lowQ * 100).toFixed(0)}th to the ${((1 - lowQ) * 100).toFixed(0)}th percentile.`,
    `Years ${years[0]}–${years[T - 1]}: from the first origination to the last full year of data. Loans made later are left out.`,
    `Loans per year and stage as in the tape, each of the scenario’s loan size (${STAGES.filter((_, si) => live[si]).map((st) => `${st} ${Math.round(s.stages[st].loanSize).toLocaleString('en')}`).join(', ')}) and the stage’s mean tenor, in the stage’s mix of repayment types (bullet, linear, annuity).`,
    'PDs of the scenario’s risk grades as stated, without the lenders’ selection and moral hazard a future book would have; the tape’s coverage and each stage’s measured recovery rate; no stage moves other than exits.',
  ];
  return { years, paths, seed, band, series, totals, verdicts, notes };
}
