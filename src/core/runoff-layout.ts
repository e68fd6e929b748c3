/**
 * The memory of a book's run-off (./runoff.ts), in one table: the arrays it keeps, with their
 * element type and length, the order of the timing settings and the order of a call's totals.
 * The engine (./engine.ts) views the arrays by name, with the lengths this table gives for its
 * plan, so an array or a setting is added, resized or reordered here and nowhere else.
 */

/** Stages of a firm (../stages.ts): the stride of every per-stage array. */
export const LAYOUT_STAGES = 4;

/** The sizes init() makes the arrays for. */
export interface RunoffSizes {
  readonly grades: number;
  readonly maxLife: number;
  /** Every period run, the run-off after the horizon included. */
  readonly periods: number;
  /** Length of the claim queues: also the stride of the per-cohort arrays. */
  readonly queue: number;
  readonly transitions: boolean;
  readonly cohorts: boolean;
}

/** A factor of an array's length: a size, `sg` (stages × grades), a constant of this file, or a number. */
type Factor = 'STAGES' | 'grades' | 'sg' | 'maxLife' | 'periods' | 'queue' | 'SETTINGS' | 'TOTALS' | number;

interface ArraySpec {
  readonly name: string;
  readonly type: 'f64' | 'i32';
  /** The length is the product of these. */
  readonly length: readonly Factor[];
  /** Of length 0 unless the run keeps this. */
  readonly when?: 'transitions' | 'cohorts';
}

/**
 * The timing settings, f64 at `settings`: whole periods and fractional shares of the claim and
 * recovery lags, the lock-in and the period (from origination) of a recovery after it, periods
 * without defaults after origination, whole periods of fee subsidy and the subsidised share of
 * the next, the state's share of claims above its threshold, and the exposure weights of a
 * loan's first period and of a defaulted loan.
 */
export const RUNOFF_SETTINGS = [
  'claimLag', 'claimLagFraction', 'recoveryLag', 'recoveryLagFraction', 'lockIn', 'recoveryAfterLockIn',
  'quietPeriods', 'subsidyPeriods', 'subsidyBoundaryWeight', 'stateShare', 'firstExposure', 'defaultedExposure',
] as const;
export type RunoffSettings = Record<(typeof RUNOFF_SETTINGS)[number], number>;

/** A call's totals, f64 at `totals`: outstanding guarantees and principal at the period's end, claims incurred and capped, defaults. */
export const RUNOFF_TOTALS = ['endGuaranteed', 'endPrincipal', 'claimsIncurred', 'claimsCapped', 'defaults'] as const;
export type RunoffTotal = (typeof RUNOFF_TOTALS)[number];

const f64 = <N extends string>(name: N, length: readonly Factor[], when?: ArraySpec['when']) => ({ name, type: 'f64' as const, length, ...(when ? { when } : {}) });
const i32 = <N extends string>(name: N, length: readonly Factor[]) => ({ name, type: 'i32' as const, length });

/** The arrays the engine and the run-off share. */
export const RUNOFF_LAYOUT = [
  /** xoshiro128** state: the path's generator keeps its state here while the run-off draws from it. */
  i32('rngState', [4]),
  f64('totals', ['TOTALS']),
  /** Per stage, accumulated across calls (the engine clears them each period). */
  f64('averageGuaranteedByStage', ['STAGES']),
  f64('defaultsByStage', ['STAGES']),
  /** Inputs from the plan. */
  i32('life', ['STAGES']),
  f64('loanSize', ['STAGES']),
  f64('coverage', ['STAGES']),
  f64('pdFull', ['sg']),
  f64('pdFirst', ['sg']),
  f64('balanceAtDefault', ['sg', 'maxLife']),
  f64('balanceEnd', ['sg', 'maxLife']),
  f64('balanceAverage', ['sg', 'maxLife']),
  /** The book: loans alive per (vintage, stage, grade) and, with transitions, their mix of stages. */
  f64('alive', ['periods', 'sg']),
  f64('mix', ['periods', 'sg', 'STAGES'], 'transitions'),
  f64('vintageClaims', ['periods']),
  f64('vintageCap', ['periods']),
  f64('claimsDue', ['queue']),
  f64('recoveriesDue', ['queue']),
  /** State compensation due per period (claims above the vintage's threshold × the state's share). */
  f64('stateDue', ['queue']),
  /** Per vintage: the claims above which the state compensates. */
  f64('vintageStateThreshold', ['periods']),
  /** Per (vintage, stage): share of the fee the government pays. Per stage: annual fees (money per year) and their subsidised part. */
  f64('feeSubsidy', ['periods', 'STAGES']),
  f64('feesByStage', ['STAGES']),
  f64('subsidisedFeesByStage', ['STAGES']),
  /** The annual fee rate per (stage, grade, age) and the fund's recovery rate per (stage, grade). */
  f64('annualFee', ['sg', 'maxLife']),
  f64('recovery', ['sg']),
  /** Per (vintage, period) and, for fees and exposure, stage: the cohort's flows (only when cohorts are kept). */
  f64('cohortFees', ['periods', 'queue', 'STAGES'], 'cohorts'),
  f64('cohortClaims', ['periods', 'queue'], 'cohorts'),
  f64('cohortRecoveries', ['periods', 'queue'], 'cohorts'),
  f64('cohortStateCompensation', ['periods', 'queue'], 'cohorts'),
  f64('cohortExposure', ['periods', 'queue', 'STAGES'], 'cohorts'),
  f64('settings', ['SETTINGS']),
  /** Stage transitions: the matrix, exits, and the grade a firm takes in each stage. */
  f64('trans', ['STAGES', 'STAGES']),
  f64('exitRate', ['STAGES']),
  i32('gradeMap', ['sg', 'STAGES']),
] as const satisfies readonly ArraySpec[];

type Spec = (typeof RUNOFF_LAYOUT)[number];
/** The arrays, by element type. */
export type RunoffF64Array = Extract<Spec, { type: 'f64' }>['name'];
export type RunoffI32Array = Extract<Spec, { type: 'i32' }>['name'];
export type RunoffArray = RunoffF64Array | RunoffI32Array;

/** Number of elements of `name` for these sizes. */
export function runoffLength(name: RunoffArray, sizes: RunoffSizes): number {
  const spec: ArraySpec | undefined = RUNOFF_LAYOUT.find((a) => a.name === name);
  if (!spec) throw new Error(`no run-off array ${name}`);
  if (spec.when && !sizes[spec.when]) return 0;
  const sg = LAYOUT_STAGES * sizes.grades;
  const value = (f: Factor): number => {
    switch (f) {
      case 'STAGES': return LAYOUT_STAGES;
      case 'sg': return sg;
      case 'SETTINGS': return RUNOFF_SETTINGS.length;
      case 'TOTALS': return RUNOFF_TOTALS.length;
      case 'grades': case 'maxLife': case 'periods': case 'queue': return sizes[f];
      default: return f;
    }
  };
  return spec.length.reduce((n: number, f) => n * value(f), 1);
}
