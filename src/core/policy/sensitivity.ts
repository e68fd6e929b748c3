/**
 * Sensitivity and search (issue 5, part 2), over the guarantee fund scenario:
 *  - tornado: each chosen parameter moved ±x % (or between a given low and high), the effect on
 *    one indicator, bars sorted by the size of the swing;
 *  - sweep: a grid of two parameters (e.g. coverage × fee) → a heat map of an indicator, with
 *    the contour where the probability of depletion crosses a target (marching squares);
 *  - search: the coverage and annual fee that maximise additional lending (or firms supported)
 *    subject to a probability of depletion at most a target and a fee at most a ceiling.
 *
 * Deterministic indicators come from project(); the probability of depletion from
 * depletionProbability with a given number of paths, and every point uses the same seed
 * (common random numbers), so differences between points are not sampling noise.
 *
 * For a worker pool, the work is a list of points (assignments of parameter values) evaluated
 * by evaluatePoints, a synchronous pure function that a worker can run on any chunk; then
 * assembleTornado / assembleSweep build the result from the values in point order. tornado()
 * and sweep() do the three steps in one thread. Progress and cancellation: `onProgress(fraction)`
 * after each point, `shouldStop()` polled before each; a stopped run returns complete = false.
 */
import { z } from 'zod';
import { DepletionEstimate } from '../montecarlo/depletion.ts';
import { depletionProbability } from '../montecarlo/run.ts';
import { DEFAULT_CONFIDENCE, intervalOfShare, verdictAgainst } from '../stats/intervals.ts';
import { project } from '../projection.ts';
import { issuesOf, parseScenario, type FieldIssue, type ParseResult, type Scenario } from '../schema.ts';
import { numberError } from '../validation.ts';
import { msg, type Translate } from '../../i18n/translate.ts';
import { englishText } from './english.ts';
import { applyAssignments, clampToParameter, overrideNote, parameterInfo, valueAt, type Assignment, type ParameterInfo } from './parameters.ts';

export const INDICATORS = ['capital', 'depletion', 'additionalLending', 'fiscalCostPerAdditionalLoan', 'firmsSupported'] as const;
export type Indicator = (typeof INDICATORS)[number];

export const INDICATOR_LABELS: Readonly<Record<Indicator, string>> = {
  capital: msg('Capital at the horizon'),
  depletion: msg('Probability of depletion'),
  additionalLending: msg('Additional lending'),
  fiscalCostPerAdditionalLoan: msg('Fiscal cost per additional loan'),
  firmsSupported: msg('Firms supported'),
};

export interface RunControl {
  readonly onProgress?: (fraction: number) => void;
  readonly shouldStop?: () => boolean;
}

export interface MonteCarloSetting {
  readonly paths: number;
  readonly seed: number;
}

export type IndicatorValues = Partial<Record<Indicator, number | null>>;

/**
 * The indicators of one scenario. Money indicators are plain numbers (cents precision is
 * kept by the projection; a chart needs numbers). Null where an indicator is undefined
 * (a fiscal cost per additional loan with no additional loan).
 */
export function evaluateIndicators(s: Scenario, indicators: readonly Indicator[], mc: MonteCarloSetting): IndicatorValues {
  const out: IndicatorValues = {};
  const deterministic = indicators.filter((i) => i !== 'depletion');
  if (deterministic.length) {
    const sum = project(s).summary;
    for (const i of deterministic) {
      out[i] = i === 'capital' ? sum.closingCapital.toNumber()
        : i === 'additionalLending' ? sum.additionalLending.toNumber()
          : i === 'firmsSupported' ? sum.firmsSupported
            : sum.fiscalCostPerAdditionalLoan?.toNumber() ?? null;
    }
  }
  if (indicators.includes('depletion')) out.depletion = depletionProbability(s, s.fund.initialCapital, mc);
  return out;
}

/** One point of a tornado or sweep: the parameter values that differ from the base scenario. */
export interface Point {
  readonly assignments: readonly Assignment[];
}

export type PointResult = { readonly ok: true; readonly values: IndicatorValues } | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/**
 * Evaluates points in order; a worker can run any slice of a point list. Stops early when
 * `shouldStop()` says so: the results then cover a prefix of the points.
 */
export function evaluatePoints(base: Scenario, points: readonly Point[], indicators: readonly Indicator[], mc: MonteCarloSetting, control: RunControl = {}): { results: PointResult[]; complete: boolean } {
  const results: PointResult[] = [];
  for (let i = 0; i < points.length; i++) {
    if (control.shouldStop?.()) return { results, complete: false };
    const parsed = applyAssignments(base, points[i]!.assignments);
    results.push(parsed.ok ? { ok: true, values: evaluateIndicators(parsed.value, indicators, mc) } : { ok: false, issues: parsed.issues });
    control.onProgress?.((i + 1) / points.length);
  }
  return { results, complete: true };
}

// ---------------------------------------------------------------------------------------------
// Specs

const indicatorField = z.enum(INDICATORS, { error: `must be one of ${INDICATORS.join(', ')}` });
const pathsField = z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(200_000, { error: 'must be at most 200,000' })
  .default(500).describe(msg('Monte Carlo paths per point for the probability of depletion'));
const seedField = z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(2 ** 32 - 1, { error: 'must be at most 4294967295' })
  .nullable().default(null).describe(msg('Random seed shared by every point (common random numbers); null = the scenario’s seed'));
const probability = (description: string) => z.number({ error: numberError }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).describe(description);

export const TornadoSpecSchema = z.object({
  indicator: indicatorField.default('capital').describe(msg('Indicator whose change the bars show')),
  parameters: z.array(z.object({
    path: z.string({ error: 'is required: a parameter path such as guarantee.coverageRatio' }).describe(msg('Parameter path in the scenario')),
    low: z.number({ error: numberError }).finite({ error: 'must be a finite number' }).optional().describe(msg('Low value; default: base × (1 − change)')),
    high: z.number({ error: numberError }).finite({ error: 'must be a finite number' }).optional().describe(msg('High value; default: base × (1 + change)')),
  }), { error: 'must be a list of parameters' }).min(1, { error: 'needs at least one parameter' }).max(40, { error: 'at most 40 parameters' }),
  change: z.number({ error: numberError }).positive({ error: 'must be more than 0' }).max(10, { error: 'must be at most 10 (1000 %)' }).default(0.2)
    .describe(msg('Relative change each way when no low and high are given (0.2 = ±20 %)')),
  paths: pathsField,
  seed: seedField,
});
export type TornadoSpec = z.output<typeof TornadoSpecSchema>;

const AxisSchema = z.object({
  path: z.string({ error: 'is required: a parameter path such as guarantee.coverageRatio' }).describe(msg('Parameter path in the scenario')),
  from: z.number({ error: numberError }).finite({ error: 'must be a finite number' }).describe(msg('First value')),
  to: z.number({ error: numberError }).finite({ error: 'must be a finite number' }).describe(msg('Last value')),
  steps: z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(2, { error: 'must be at least 2' }).max(60, { error: 'must be at most 60' }).describe(msg('Number of values, ends included')),
});

export const SweepSpecSchema = z.object({
  x: AxisSchema.describe(msg('Parameter along the columns of the heat map')),
  y: AxisSchema.describe(msg('Parameter along the rows of the heat map')),
  indicator: indicatorField.default('depletion').describe(msg('Indicator of the heat map')),
  depletionTarget: probability(msg('Probability of depletion whose contour is drawn; null = none')).nullable().default(null),
  paths: pathsField,
  seed: seedField,
}).superRefine((s, ctx) => {
  if (s.x.path === s.y.path) ctx.addIssue({ code: 'custom', path: ['y', 'path'], message: msg('must differ from x.path') });
});
export type SweepSpec = z.output<typeof SweepSpecSchema>;

export const SEARCH_OBJECTIVES = ['additionalLending', 'firmsSupported'] as const;
export type SearchObjective = (typeof SEARCH_OBJECTIVES)[number];

export const SearchSpecSchema = z.object({
  objective: z.enum(SEARCH_OBJECTIVES, { error: `must be one of ${SEARCH_OBJECTIVES.join(', ')}` }).default('additionalLending').describe(msg('What to maximise')),
  depletionTarget: probability(msg('Highest acceptable probability of depletion within the horizon')),
  feeCeiling: z.number({ error: numberError }).min(0, { error: 'must be 0 or more' }).max(0.2, { error: 'must be at most 0.2 (20 % a year)' })
    .describe(msg('Highest annual fee (flat, on the outstanding guaranteed amount) allowed')),
  feeFloor: z.number({ error: numberError }).min(0, { error: 'must be 0 or more' }).max(0.2, { error: 'must be at most 0.2' }).default(0).describe(msg('Lowest annual fee searched')),
  coverageFrom: probability(msg('Lowest coverage ratio searched')).default(0.5),
  coverageTo: probability(msg('Highest coverage ratio searched')).default(1),
  gridSteps: z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(2, { error: 'must be at least 2' }).max(30, { error: 'must be at most 30' }).default(6)
    .describe(msg('Values per axis in each round of the grid search')),
  refinements: z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(8, { error: 'must be at most 8' }).default(3)
    .describe(msg('Rounds of a finer grid around the best point')),
  paths: pathsField,
  maxPaths: z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(50_000, { error: 'must be at most 50,000' }).default(3200)
    .describe(msg('Most paths a point is given when the interval of its probability of depletion still contains the target (doubling from paths; never fewer than paths)')),
  confidence: z.number({ error: numberError }).min(0.5, { error: 'must be between 0.5 and 0.999' }).max(0.999, { error: 'must be between 0.5 and 0.999' }).default(DEFAULT_CONFIDENCE)
    .describe(msg('Confidence level of the interval that decides whether a point meets the target (0.95 = 95 %)')),
  seed: seedField,
}).superRefine((s, ctx) => {
  if (s.coverageTo < s.coverageFrom) ctx.addIssue({ code: 'custom', path: ['coverageTo'], message: msg('must not be below coverageFrom') });
  if (s.feeCeiling < s.feeFloor) ctx.addIssue({ code: 'custom', path: ['feeCeiling'], message: msg('must not be below feeFloor') });
});
export type SearchSpec = z.output<typeof SearchSpecSchema>;

const requiredError = (issue: { code?: string; input?: unknown }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

function parseWith<T>(schema: z.ZodType<T>, input: unknown, check: (value: T) => FieldIssue[]): ParseResult<T> {
  const r = schema.safeParse(input, { error: requiredError });
  if (!r.success) return { ok: false, issues: issuesOf(r.error) };
  const issues = check(r.data);
  return issues.length ? { ok: false, issues } : { ok: true, value: r.data };
}

const pathIssue = (s: Scenario, path: string, at: string): FieldIssue[] => {
  const info = parameterInfo(s, path);
  return 'error' in info ? [{ path: at, message: `${path} ${info.error}` }] : [];
};

/** Validates a tornado spec, its parameter paths against the whitelist and the scenario. */
export function parseTornadoSpec(input: unknown, s: Scenario): ParseResult<TornadoSpec> {
  return parseWith(TornadoSpecSchema, input, (spec) => spec.parameters.flatMap((p, i) => pathIssue(s, p.path, `parameters.${i}.path`)));
}

export function parseSweepSpec(input: unknown, s: Scenario): ParseResult<SweepSpec> {
  return parseWith(SweepSpecSchema, input, (spec) => [...pathIssue(s, spec.x.path, 'x.path'), ...pathIssue(s, spec.y.path, 'y.path')]);
}

export function parseSearchSpec(input: unknown): ParseResult<SearchSpec> {
  return parseWith(SearchSpecSchema, input, () => []);
}

/** Drops binary noise from computed inputs (0.8 × 1.2 = 0.96, not 0.9599999999999999): 12 significant digits. */
const tidy = (x: number): number => Number(x.toPrecision(12));

const infoOf = (s: Scenario, path: string): ParameterInfo => {
  const info = parameterInfo(s, path);
  if ('error' in info) throw new Error(`${path} ${info.error}`);
  return info;
};

// ---------------------------------------------------------------------------------------------
// Tornado

export interface TornadoPlanEntry {
  readonly info: ParameterInfo;
  readonly baseInput: number;
  readonly lowInput: number;
  readonly highInput: number;
  /** How the analysis moves a parameter that other fields override (overrideNote); null otherwise. */
  readonly override: string | null;
}

export interface TornadoPlan {
  readonly entries: readonly TornadoPlanEntry[];
  /** Point 0 is the base scenario; then low and high for each parameter in order. */
  readonly points: readonly Point[];
}

/** The points a tornado evaluates: low and high of each parameter, clamped to the bounds the schema accepts. */
export function tornadoPlan(s: Scenario, spec: TornadoSpec): TornadoPlan {
  const entries = spec.parameters.map((p) => {
    const info = infoOf(s, p.path);
    const base = valueAt(s, p.path) as number;
    return {
      info,
      baseInput: base,
      lowInput: clampToParameter(info, p.low ?? tidy(base * (1 - spec.change))),
      highInput: clampToParameter(info, p.high ?? tidy(base * (1 + spec.change))),
      override: overrideNote(s, p.path),
    };
  });
  const points: Point[] = [{ assignments: [] }];
  for (const e of entries) {
    points.push({ assignments: [{ path: e.info.path, value: e.lowInput }] });
    points.push({ assignments: [{ path: e.info.path, value: e.highInput }] });
  }
  return { entries, points };
}

export interface TornadoBar {
  readonly path: string;
  readonly label: string;
  readonly baseInput: number;
  readonly lowInput: number;
  readonly highInput: number;
  readonly atLow: number | null;
  readonly atHigh: number | null;
  /** |atHigh − atLow|; null when either end could not be evaluated. */
  readonly swing: number | null;
  readonly note: string | null;
}

export interface TornadoResult {
  readonly indicator: Indicator;
  readonly indicatorLabel: string;
  readonly baseValue: number | null;
  /** Monte Carlo paths behind each value when the indicator is the probability of depletion (null otherwise). */
  readonly paths: number | null;
  /** Sorted by swing, largest first; bars without a swing last. */
  readonly bars: readonly TornadoBar[];
  readonly complete: boolean;
}

const indicatorValue = (r: PointResult | undefined, indicator: Indicator): number | null => (r?.ok ? r.values[indicator] ?? null : null);

export function assembleTornado(spec: TornadoSpec, plan: TornadoPlan, results: readonly PointResult[], complete = results.length === plan.points.length): TornadoResult {
  const bars = plan.entries.map((e, i): TornadoBar => {
    const low = results[1 + 2 * i];
    const high = results[2 + 2 * i];
    const atLow = indicatorValue(low, spec.indicator);
    const atHigh = indicatorValue(high, spec.indicator);
    const failed = [low, high].find((r) => r && !r.ok) as Extract<PointResult, { ok: false }> | undefined;
    const note = failed ? failed.issues.map((x) => `${x.path}: ${x.message}`).join('; ')
      : e.baseInput === 0 && e.lowInput === 0 && e.highInput === 0 ? msg('the base value is 0, so a relative change moves nothing: give a low and a high')
        : e.lowInput === e.highInput ? msg('low and high are the same value') : e.override;
    return {
      path: e.info.path, label: e.info.label, baseInput: e.baseInput, lowInput: e.lowInput, highInput: e.highInput,
      atLow, atHigh, swing: atLow === null || atHigh === null ? null : Math.abs(atHigh - atLow), note,
    };
  });
  bars.sort((a, b) => (b.swing ?? -1) - (a.swing ?? -1));
  return { indicator: spec.indicator, indicatorLabel: INDICATOR_LABELS[spec.indicator], baseValue: indicatorValue(results[0], spec.indicator), paths: spec.indicator === 'depletion' ? spec.paths : null, bars, complete };
}

const mcOf = (s: Scenario, spec: { paths: number; seed: number | null }): MonteCarloSetting => ({ paths: spec.paths, seed: spec.seed ?? s.monteCarlo.seed });

export function tornado(s: Scenario, spec: TornadoSpec, control: RunControl = {}): TornadoResult {
  const plan = tornadoPlan(s, spec);
  const { results, complete } = evaluatePoints(s, plan.points, [spec.indicator], mcOf(s, spec), control);
  return assembleTornado(spec, plan, results, complete);
}

// ---------------------------------------------------------------------------------------------
// Sweep

export interface SweepAxisValues {
  readonly path: string;
  readonly label: string;
  readonly values: readonly number[];
  /** How the sweep moves a parameter that other fields override (overrideNote); null otherwise. */
  readonly override?: string | null;
}

export interface SweepPlan {
  readonly x: SweepAxisValues;
  readonly y: SweepAxisValues;
  /** Row-major: y outer, x inner; point index = row × x.values.length + column. */
  readonly points: readonly Point[];
  readonly indicators: readonly Indicator[];
}

/** Evenly spaced values, ends included, clamped to the parameter's bounds. */
export function axisValues(info: ParameterInfo, from: number, to: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => clampToParameter(info, tidy(from + ((to - from) * i) / (steps - 1))));
}

export function sweepPlan(s: Scenario, spec: SweepSpec): SweepPlan {
  const xi = infoOf(s, spec.x.path);
  const yi = infoOf(s, spec.y.path);
  const x = { path: xi.path, label: xi.label, values: axisValues(xi, spec.x.from, spec.x.to, spec.x.steps), override: overrideNote(s, xi.path) };
  const y = { path: yi.path, label: yi.label, values: axisValues(yi, spec.y.from, spec.y.to, spec.y.steps), override: overrideNote(s, yi.path) };
  const points: Point[] = [];
  for (const yv of y.values) for (const xv of x.values) points.push({ assignments: [{ path: x.path, value: xv }, { path: y.path, value: yv }] });
  const indicators: Indicator[] = spec.depletionTarget !== null && spec.indicator !== 'depletion' ? [spec.indicator, 'depletion'] : [spec.indicator];
  return { x, y, points, indicators };
}

export interface ContourPoint {
  readonly x: number;
  readonly y: number;
}

export interface Contour {
  readonly target: number;
  /**
   * feasible[row][column]: true when the whole 95 % interval of the probability of depletion is
   * at or below the target, false when it is all above; null where the interval contains the
   * target (more paths are needed to tell) or the point was not evaluated.
   */
  readonly feasible: readonly (readonly (boolean | null)[])[];
  /** Line segments of the level set, in parameter units, by marching squares with linear interpolation. */
  readonly segments: readonly (readonly [ContourPoint, ContourPoint])[];
}

export interface SweepResult {
  readonly x: SweepAxisValues;
  readonly y: SweepAxisValues;
  readonly indicator: Indicator;
  readonly indicatorLabel: string;
  /** values[row][column]: row = y value, column = x value; null where not evaluated or undefined. */
  readonly values: readonly (readonly (number | null)[])[];
  /** Probability of depletion per grid point when a target is set. */
  readonly depletion: readonly (readonly (number | null)[])[] | null;
  /** Paths per point behind every probability of depletion, and the 95 % (Wilson) interval of each; null without one. */
  readonly paths: number;
  readonly depletionIntervals: readonly (readonly ({ readonly lower: number; readonly upper: number } | null)[])[] | null;
  readonly contour: Contour | null;
  /** Points the schema rejected, with the reason. */
  readonly invalidPoints: readonly { readonly row: number; readonly column: number; readonly issues: readonly FieldIssue[] }[];
  readonly complete: boolean;
}

/**
 * Marching squares: the segments where a field on a grid crosses `level`, each cell's
 * crossings on its edges found by linear interpolation. The saddle case (opposite corners on
 * the same side) is resolved by the cell's mean. Cells with a missing corner are skipped.
 */
export function contourSegments(xs: readonly number[], ys: readonly number[], field: readonly (readonly (number | null)[])[], level: number): [ContourPoint, ContourPoint][] {
  const segments: [ContourPoint, ContourPoint][] = [];
  const lerp = (a: ContourPoint, b: ContourPoint, va: number, vb: number): ContourPoint => {
    const t = va === vb ? 0.5 : (level - va) / (vb - va);
    return { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
  };
  for (let i = 0; i + 1 < ys.length; i++) {
    for (let j = 0; j + 1 < xs.length; j++) {
      const v = [field[i]?.[j], field[i]?.[j + 1], field[i + 1]?.[j + 1], field[i + 1]?.[j]];
      if (v.some((x) => x === null || x === undefined)) continue;
      const val = v as number[];
      const corner = [{ x: xs[j]!, y: ys[i]! }, { x: xs[j + 1]!, y: ys[i]! }, { x: xs[j + 1]!, y: ys[i + 1]! }, { x: xs[j]!, y: ys[i + 1]! }];
      const above = val.map((x) => x > level);
      // Edge k joins corner k and corner k + 1: bottom, right, top, left.
      const crossing = [0, 1, 2, 3].map((k) => (above[k] !== above[(k + 1) % 4] ? lerp(corner[k]!, corner[(k + 1) % 4]!, val[k]!, val[(k + 1) % 4]!) : null));
      const hits = crossing.map((p, k) => (p ? k : -1)).filter((k) => k >= 0);
      if (hits.length === 2) segments.push([crossing[hits[0]!]!, crossing[hits[1]!]!]);
      else if (hits.length === 4) {
        const centreAbove = (val[0]! + val[1]! + val[2]! + val[3]!) / 4 > level;
        if (centreAbove === above[0]) {
          // Corners 0 and 2 connect through the centre: cut off corners 1 and 3.
          segments.push([crossing[0]!, crossing[1]!], [crossing[2]!, crossing[3]!]);
        } else {
          segments.push([crossing[3]!, crossing[0]!], [crossing[1]!, crossing[2]!]);
        }
      }
    }
  }
  return segments;
}

export function assembleSweep(spec: SweepSpec, plan: SweepPlan, results: readonly PointResult[], complete = results.length === plan.points.length): SweepResult {
  const columns = plan.x.values.length;
  const grid = (indicator: Indicator) => plan.y.values.map((_, row) => plan.x.values.map((__, col) => indicatorValue(results[row * columns + col], indicator)));
  const values = grid(spec.indicator);
  const depletion = spec.depletionTarget !== null || spec.indicator === 'depletion' ? grid('depletion') : null;
  const depletionIntervals = depletion ? depletion.map((r) => r.map((v) => (v === null ? null : (({ lower, upper }) => ({ lower, upper }))(intervalOfShare(v, spec.paths))))) : null;
  const contour = depletion && depletionIntervals && spec.depletionTarget !== null
    ? {
      target: spec.depletionTarget,
      feasible: depletionIntervals.map((r) => r.map((iv) => {
        const v = iv === null ? null : verdictAgainst(iv, spec.depletionTarget!);
        return v === 'below' ? true : v === 'above' ? false : null;
      })),
      segments: contourSegments(plan.x.values, plan.y.values, depletion, spec.depletionTarget),
    }
    : null;
  const invalidPoints = results.flatMap((r, i) => (r.ok ? [] : [{ row: Math.floor(i / columns), column: i % columns, issues: r.issues }]));
  return { x: plan.x, y: plan.y, indicator: spec.indicator, indicatorLabel: INDICATOR_LABELS[spec.indicator], values, depletion, paths: spec.paths, depletionIntervals, contour, invalidPoints, complete };
}

export function sweep(s: Scenario, spec: SweepSpec, control: RunControl = {}): SweepResult {
  const plan = sweepPlan(s, spec);
  const { results, complete } = evaluatePoints(s, plan.points, plan.indicators, mcOf(s, spec), control);
  return assembleSweep(spec, plan, results, complete);
}

// ---------------------------------------------------------------------------------------------
// Search

/**
 * The scenario with one coverage ratio for every stage (per-stage overrides removed) and a flat
 * annual fee on the outstanding guaranteed amount. Validated again.
 */
export function withCoverageAndFee(s: Scenario, coverage: number, fee: number): ParseResult<Scenario> {
  return parseScenario({ ...s, guarantee: { ...s.guarantee, coverageRatio: coverage, coverageByStage: {}, annualFee: [{ upTo: null, rate: fee }] } });
}

/** What the search concluded about one point's probability of depletion against the target. */
export type SearchVerdict = 'feasible' | 'infeasible' | 'cannotTell' | 'notSimulated';

export interface SearchEvaluation {
  readonly coverage: number;
  readonly fee: number;
  readonly objective: number;
  /** Share of the simulated paths that deplete; null when the point was not simulated (a better point of its round already met the target). */
  readonly depletion: number | null;
  /** Paths simulated at this point (the first `paths` of the seed: common random numbers), and how many depleted. */
  readonly paths: number | null;
  readonly depleted: number | null;
  /** Wilson interval of the probability of depletion at the spec's confidence. */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly verdict: SearchVerdict;
  /** True when the whole interval is at or below the target, false when it is all above; null otherwise. */
  readonly feasible: boolean | null;
  /** Why a verdict was withheld, when it was: e.g. a conflict with a lower-risk point. */
  readonly note: string | null;
}

/** The rule that orders points whose objective is equal: stated with every search result. */
export const TIE_BREAK_RULE = msg('points with the same objective (within one part in a billion) are ordered by the lower annual fee (cheaper for borrowers), then by the lower coverage (the lender keeps more of the risk)');

/** How the search treats sampling error: stated with every search result. */
export interface SearchSampling {
  readonly confidence: number;
  /** Paths per point at first, and the most a point may be given to settle its verdict. */
  readonly paths: number;
  readonly maxPaths: number;
  readonly seed: number;
}

export type SearchResult =
  | {
    readonly feasible: true;
    readonly objective: SearchObjective;
    readonly coverage: number;
    readonly fee: number;
    readonly objectiveValue: number;
    readonly depletion: number;
    readonly lower: number;
    readonly upper: number;
    readonly paths: number;
    /** Points preferred to the best whose interval straddled the target at the most paths: they might be feasible. */
    readonly cannotTell: readonly SearchEvaluation[];
    readonly sampling: SearchSampling;
    readonly tieBreak: string;
    readonly evaluations: readonly SearchEvaluation[];
    readonly complete: boolean;
  }
  | {
    readonly feasible: false;
    readonly objective: SearchObjective;
    readonly reason: string;
    /** The point with the lowest probability of depletion found. */
    readonly closest: SearchEvaluation | null;
    readonly cannotTell: readonly SearchEvaluation[];
    readonly sampling: SearchSampling;
    readonly tieBreak: string;
    readonly evaluations: readonly SearchEvaluation[];
    readonly complete: boolean;
  };

/**
 * Preference between two points, feasibility aside: higher objective; on a tie, lower fee
 * (cheaper for borrowers), then lower coverage (the lender keeps more of the risk, docs/model.md §3).
 */
export function preferred(a: { objective: number; fee: number; coverage: number }, b: { objective: number; fee: number; coverage: number }): number {
  const tol = 1e-9 * Math.max(1, Math.abs(a.objective), Math.abs(b.objective));
  if (Math.abs(a.objective - b.objective) > tol) return b.objective - a.objective;
  if (a.fee !== b.fee) return a.fee - b.fee;
  return a.coverage - b.coverage;
}

/**
 * By the model, the risk of depletion does not fall as coverage rises (the fund pays more of
 * each loss, and moral hazard raises the PD) nor as the fee falls (less income): `a` is at most
 * as risky as `b` when its coverage is no higher and its fee no lower.
 */
export function noRiskier(a: { coverage: number; fee: number }, b: { coverage: number; fee: number }): boolean {
  return a.coverage <= b.coverage && a.fee >= b.fee && (a.coverage !== b.coverage || a.fee !== b.fee);
}

const grid = (from: number, to: number, steps: number): number[] => (from === to ? [from] : Array.from({ length: steps }, (_, i) => tidy(from + ((to - from) * i) / (steps - 1))));

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

interface PointState {
  readonly coverage: number;
  readonly fee: number;
  readonly objective: number;
  readonly scenario: Scenario;
  estimate: DepletionEstimate | null;
  verdict: SearchVerdict;
  note: string | null;
}

/**
 * Grid search with refinement, deciding feasibility only as far as the sampling error allows.
 *
 * Each round takes a steps × steps grid of coverage × flat annual fee, computes the objective of
 * every point with project() (cheap), and then simulates the probability of depletion in order
 * of preference (objective, then lower fee, then lower coverage: TIE_BREAK_RULE) until the first
 * point that is feasible. A point is feasible only when the whole Wilson interval of its
 * probability of depletion is at or below the target, infeasible only when it is all above;
 * while the interval straddles the target the point's paths are doubled (the first paths kept,
 * the same seed at every point: common random numbers) up to `maxPaths`, and a point still
 * straddling is reported as "cannot tell" and passed over. A point called feasible while a
 * point of no higher risk (no higher coverage, no lower fee) is called infeasible contradicts
 * the model's monotonicity: both are given the most paths, and if they still disagree both are
 * reported as "cannot tell". The next round's grid spans one former step either side of the best
 * point so far.
 */
export function searchCoverageAndFee(s: Scenario, spec: SearchSpec, control: RunControl = {}): SearchResult {
  const mc = mcOf(s, spec);
  const maxPaths = Math.max(spec.paths, spec.maxPaths);
  const sampling: SearchSampling = { confidence: spec.confidence, paths: spec.paths, maxPaths, seed: mc.seed };
  const points = new Map<string, PointState | null>();
  /** Points in the order the search first looked at them. */
  const order: PointState[] = [];
  const rounds = spec.refinements + 1;
  const perRound = spec.gridSteps * spec.gridSteps;
  let cRange: [number, number] = [spec.coverageFrom, spec.coverageTo];
  let fRange: [number, number] = [spec.feeFloor, spec.feeCeiling];
  const key = (c: number, f: number) => `${c}|${f}`;

  const verdictOf = (e: DepletionEstimate): SearchVerdict => {
    const v = verdictAgainst(e.interval(spec.confidence), spec.depletionTarget);
    return v === 'below' ? 'feasible' : v === 'above' ? 'infeasible' : 'cannotTell';
  };
  /** Simulates a point until its interval is on one side of the target or `upTo` paths have run. */
  const settle = (p: PointState, upTo: number): void => {
    p.estimate ??= new DepletionEstimate(p.scenario, mc.seed).extend(spec.paths);
    p.verdict = verdictOf(p.estimate);
    while (p.verdict === 'cannotTell' && p.estimate.paths < upTo) {
      p.estimate.extend(Math.min(upTo, p.estimate.paths * 2));
      p.verdict = verdictOf(p.estimate);
    }
  };
  /** Feasible and infeasible verdicts that contradict monotonicity: more paths, else "cannot tell". */
  const reconcile = (p: PointState): void => {
    if (p.verdict !== 'feasible' && p.verdict !== 'infeasible') return;
    for (const q of order) {
      if (q === p || !q.estimate) continue;
      const [safer, riskier] = noRiskier(p, q) ? [p, q] : noRiskier(q, p) ? [q, p] : [null, null];
      if (!safer || !riskier || safer.verdict !== 'infeasible' || riskier.verdict !== 'feasible') continue;
      for (const x of [safer, riskier]) {
        x.estimate!.extend(maxPaths);
        x.verdict = verdictOf(x.estimate!);
      }
      if (safer.verdict === 'infeasible' && riskier.verdict === 'feasible') {
        const at = `cannot tell at ${maxPaths.toLocaleString('en')} paths`;
        safer.verdict = 'cannotTell';
        riskier.verdict = 'cannotTell';
        safer.note = `${at}: found above the target while coverage ${pct(riskier.coverage)} with a fee of ${pct(riskier.fee)}, no safer, was found below it`;
        riskier.note = `${at}: found below the target while coverage ${pct(safer.coverage)} with a fee of ${pct(safer.fee)}, no riskier, was found above it`;
      }
      if (p.verdict !== 'feasible' && p.verdict !== 'infeasible') return;
    }
  };
  const bestSoFar = (): PointState | null => order.filter((p) => p.verdict === 'feasible').sort(preferred)[0] ?? null;

  let stopped = false;
  refine: for (let round = 0; round < rounds; round++) {
    const cs = grid(cRange[0], cRange[1], spec.gridSteps);
    const fs = grid(fRange[0], fRange[1], spec.gridSteps);
    const candidates: PointState[] = [];
    for (const coverage of cs) {
      for (const fee of fs) {
        const k = key(coverage, fee);
        if (!points.has(k)) {
          const parsed = withCoverageAndFee(s, coverage, fee);
          const p: PointState | null = parsed.ok
            ? { coverage, fee, objective: evaluateIndicators(parsed.value, [spec.objective], mc)[spec.objective] ?? 0, scenario: parsed.value, estimate: null, verdict: 'notSimulated', note: null }
            : null;
          points.set(k, p);
          if (p) order.push(p);
        }
        const p = points.get(k);
        if (p) candidates.push(p);
      }
    }
    candidates.sort(preferred);
    for (let i = 0; i < candidates.length; i++) {
      if (control.shouldStop?.()) {
        stopped = true;
        break refine;
      }
      const c = candidates[i]!;
      if (c.verdict === 'notSimulated') {
        settle(c, maxPaths);
        reconcile(c);
      }
      control.onProgress?.(Math.min(1, (round * perRound + i + 1) / (rounds * perRound)));
      if (c.verdict === 'feasible') break;
    }
    const best = bestSoFar();
    if (!best) break;
    const cStep = cs.length > 1 ? cs[1]! - cs[0]! : 0;
    const fStep = fs.length > 1 ? fs[1]! - fs[0]! : 0;
    cRange = [Math.max(spec.coverageFrom, best.coverage - cStep), Math.min(spec.coverageTo, best.coverage + cStep)];
    fRange = [Math.max(spec.feeFloor, best.fee - fStep), Math.min(spec.feeCeiling, best.fee + fStep)];
  }
  if (!stopped) control.onProgress?.(1);

  const view = (p: PointState): SearchEvaluation => {
    const e = p.estimate;
    const iv = e ? e.interval(spec.confidence) : null;
    return {
      coverage: p.coverage, fee: p.fee, objective: p.objective,
      depletion: e ? e.estimate : null, paths: e ? e.paths : null, depleted: e ? e.depleted : null,
      lower: iv ? iv.lower : null, upper: iv ? iv.upper : null,
      verdict: p.verdict, feasible: p.verdict === 'feasible' ? true : p.verdict === 'infeasible' ? false : null,
      note: p.note ?? (p.verdict === 'cannotTell' ? `cannot tell at ${(e?.paths ?? maxPaths).toLocaleString('en')} paths: the interval contains the target` : null),
    };
  };
  const evaluations = order.map(view);
  const best = bestSoFar();
  const complete = !stopped;
  const tieBreak = TIE_BREAK_RULE;
  if (best) {
    const b = view(best);
    const cannotTell = order.filter((p) => p.verdict === 'cannotTell' && preferred(p, best) < 0).sort(preferred).map(view);
    return {
      feasible: true, objective: spec.objective, coverage: b.coverage, fee: b.fee, objectiveValue: b.objective,
      depletion: b.depletion!, lower: b.lower!, upper: b.upper!, paths: b.paths!, cannotTell, sampling, tieBreak, evaluations, complete,
    };
  }
  const simulated = evaluations.filter((e) => e.depletion !== null);
  const closest = simulated.reduce<SearchEvaluation | null>((a, e) => (!a || e.depletion! < a.depletion! ? e : a), null);
  const cannotTell = order.filter((p) => p.verdict === 'cannotTell').sort(preferred).map(view);
  const reason = searchReason({ spec, closest, cannotTell, maxPaths });
  return { feasible: false, objective: spec.objective, reason, closest, cannotTell, sampling, tieBreak, evaluations, complete };
}

/** What a search that found no point tells, from its closest point and the undecided ones. */
export interface SearchReasonInput {
  readonly spec: { readonly coverageFrom: number; readonly coverageTo: number; readonly feeFloor: number; readonly feeCeiling: number; readonly depletionTarget: number };
  readonly closest: SearchEvaluation | null;
  readonly cannotTell: readonly SearchEvaluation[];
  readonly maxPaths: number;
}

/** Why a search found no coverage and fee, in the language of `t` (percentages and counts as `percent` and `count` write them). */
export function searchReason(r: SearchReasonInput, t: Translate = englishText, percent: (x: number) => string = pct, count: (x: number) => string = (x) => x.toLocaleString('en')): string {
  const { spec, closest, cannotTell } = r;
  if (!closest) return t('no point could be evaluated');
  const values = {
    coverageFrom: percent(spec.coverageFrom), coverageTo: percent(spec.coverageTo), feeFloor: percent(spec.feeFloor), feeCeiling: percent(spec.feeCeiling),
    target: percent(spec.depletionTarget), lowest: percent(closest.depletion!), lowestCoverage: percent(closest.coverage), lowestFee: percent(closest.fee),
  };
  const first = cannotTell[0];
  if (!first) {
    return t('no coverage from {coverageFrom} to {coverageTo} with an annual fee from {feeFloor} to {feeCeiling} keeps the probability of depletion at or below {target}; the lowest found is {lowest} at coverage {lowestCoverage} and fee {lowestFee}', values);
  }
  return t('no coverage from {coverageFrom} to {coverageTo} with an annual fee from {feeFloor} to {feeCeiling} is shown to keep the probability of depletion at or below {target}: {count, plural, one {# point cannot} other {# points cannot}} be told apart from the target at {paths} paths (the best of them: coverage {coverage}, fee {fee}, {depletion}, interval {lower} to {upper}); the lowest found is {lowest} at coverage {lowestCoverage} and fee {lowestFee}', {
    ...values, count: cannotTell.length, paths: count(r.maxPaths), coverage: percent(first.coverage), fee: percent(first.fee),
    depletion: percent(first.depletion!), lower: percent(first.lower!), upper: percent(first.upper!),
  });
}
