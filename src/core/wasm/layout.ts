/**
 * The one description of the memory the run-off (runoff.as.ts) shares with the engine: the
 * arrays init() lays out, in order, with their element type and length; the order of the timing
 * settings; the order of a call's totals. `npm run build:wasm` writes runoff-layout.as.ts from
 * this table (the AssemblyScript side imports its addresses, settings and totals from there) and
 * runoff.ts derives the engine's typed-array views from it, so an array or a setting is added,
 * resized or reordered here and nowhere else. A test fails while the generated file is stale.
 */

/** Stages of a firm (../stages.ts): the stride of every per-stage array. */
export const LAYOUT_STAGES = 4;
/** Entries of the inversion's table of reciprocals. */
export const RECIPROCALS = 64;

/** The sizes init() lays the arrays out for. */
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

/**
 * A factor of an array's length: a size, `sg` (stages × grades), `slots` (2 × sg: the two
 * period-PD tables), a constant of this file, or a number.
 */
type Factor = 'STAGES' | 'grades' | 'sg' | 'slots' | 'maxLife' | 'periods' | 'queue' | 'SETTINGS' | 'TOTALS' | 'RECIPROCALS' | number;

interface ArraySpec {
  readonly name: string;
  readonly type: 'f64' | 'i32';
  /** The length is the product of these. */
  readonly length: readonly Factor[];
  /** Laid out with length 0 unless the run keeps this. */
  readonly when?: 'transitions' | 'cohorts';
  /** Whether the engine views it (otherwise only the run-off's own scratch and tables). */
  readonly shared: boolean;
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

const f64 = <N extends string>(name: N, length: readonly Factor[], when?: ArraySpec['when']) => ({ name, type: 'f64' as const, length, shared: true as const, ...(when ? { when } : {}) });
const i32 = <N extends string>(name: N, length: readonly Factor[]) => ({ name, type: 'i32' as const, length, shared: true as const });
/** The run-off's own arrays, which the engine does not view. */
const ownF64 = <N extends string>(name: N, length: readonly Factor[]) => ({ name, type: 'f64' as const, length, shared: false as const });
const ownI32 = <N extends string>(name: N, length: readonly Factor[]) => ({ name, type: 'i32' as const, length, shared: false as const });

/** The arrays, in the order init() lays them out. */
export const RUNOFF_LAYOUT = [
  /** xoshiro128** state: the path's generator, shared with TypeScript. */
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
  /** The run-off's own working space and tables of powers (see runoff.as.ts). */
  ownF64('scratch', ['STAGES']),
  ownF64('nextMix', ['STAGES']),
  ownF64('slotP', ['slots']),
  ownF64('slotRatio', ['slots']),
  ownI32('highFilled', ['slots']),
  ownF64('powers', [32, 'slots']),
  ownF64('reciprocals', ['RECIPROCALS']),
] as const satisfies readonly ArraySpec[];

type Spec = (typeof RUNOFF_LAYOUT)[number];
/** The arrays the engine views, by element type. */
export type RunoffF64Array = Extract<Spec, { type: 'f64'; shared: true }>['name'];
export type RunoffI32Array = Extract<Spec, { type: 'i32'; shared: true }>['name'];
export type RunoffArray = RunoffF64Array | RunoffI32Array;

/** The shared arrays, in the order of their index in the run-off's address(). */
export const RUNOFF_ARRAYS: readonly RunoffArray[] = RUNOFF_LAYOUT.filter((a) => a.shared).map((a) => a.name as RunoffArray);

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
      case 'slots': return 2 * sg;
      case 'SETTINGS': return RUNOFF_SETTINGS.length;
      case 'TOTALS': return RUNOFF_TOTALS.length;
      case 'RECIPROCALS': return RECIPROCALS;
      case 'grades': case 'maxLife': case 'periods': case 'queue': return sizes[f];
      default: return f;
    }
  };
  return spec.length.reduce((n: number, f) => n * value(f), 1);
}

/** `claimLagFraction` → `CLAIM_LAG_FRACTION`. */
const constant = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** The AssemblyScript module runoff.as.ts imports: addresses, layOut(), address(), settings and totals. */
export function runoffLayoutSource(): string {
  const asFactor = (f: Factor): string => {
    switch (f) {
      case 'sg': return 'sg';
      case 'slots': return '2 * sg';
      case 'STAGES': case 'SETTINGS': case 'TOTALS': case 'RECIPROCALS': return `<usize>${f}`;
      case 'grades': return '<usize>gradeCount';
      case 'maxLife': case 'periods': case 'queue': return `<usize>${f}`;
      default: return `${f}`;
    }
  };
  const lines = [
    '// Generated by `npm run build:wasm` from layout.ts: do not edit.',
    '',
    `export const STAGES: i32 = ${LAYOUT_STAGES};`,
    `export const RECIPROCALS: i32 = ${RECIPROCALS};`,
    '',
    '/** Indices of the timing settings at `settings`. */',
    ...RUNOFF_SETTINGS.map((s, i) => `export const ${constant(s)}: i32 = ${i};`),
    `export const SETTINGS: i32 = ${RUNOFF_SETTINGS.length};`,
    '',
    '/** Indices of a call\'s totals at `totals`. */',
    ...RUNOFF_TOTALS.map((s, i) => `export const TOTAL_${constant(s)}: i32 = ${i};`),
    `export const TOTALS: i32 = ${RUNOFF_TOTALS.length};`,
    '',
    '/** Byte addresses of the arrays (valid after layOut). */',
    ...RUNOFF_LAYOUT.map((a) => `export let ${a.name}: usize = 0;`),
    '',
    '/** Lays the arrays out from `start`, each 8-aligned; returns the end. */',
    'export function layOut(start: usize, gradeCount: i32, maxLife: i32, periods: i32, queue: i32, transitions: bool, cohorts: bool): usize {',
    '  const sg = <usize>(STAGES * gradeCount);',
    '  let at = start;',
    ...RUNOFF_LAYOUT.flatMap((a: ArraySpec) => {
      const bytes = [a.type === 'f64' ? '8' : '4', ...a.length.map(asFactor)].join(' * ');
      return [`  ${a.name} = at;`, `  at += ${a.when ? `${a.when} ? ((${bytes}) + 7) & ~7 : 0` : `((${bytes}) + 7) & ~7`};`];
    }),
    '  return at;',
    '}',
    '',
    '/** Byte address of the shared array at `index` (the order of RUNOFF_ARRAYS in layout.ts). */',
    'export function address(index: i32): usize {',
    '  switch (index) {',
    ...RUNOFF_ARRAYS.map((name, i) => `    case ${i}: return ${name};`),
    '    default: return 0;',
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}
