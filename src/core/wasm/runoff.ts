/**
 * Loads the WebAssembly run-off loop (runoff.as.ts, embedded in runoff.wasm.ts). Each
 * PortfolioState gets its own instance, so its book lives in that instance's memory.
 */
import { RUNOFF_WASM_BASE64 } from './runoff.wasm.ts';

/** What the run-off asks of its caller: a custom model's defaults. */
export interface RunoffImports {
  customDefaults(n: number, p: number, pdSlot: number): number;
}

/** How runVintages counts a bucket's defaults (the `mode` argument). */
export const DEFAULT_COUNT = { expected: 0, binomial: 1, custom: 2 } as const;

/** Addresses of the arrays that init() lays out in the instance's memory. */
export const RUNOFF_ARRAYS = [
  'rngState', 'totals', 'averageGuaranteedByStage', 'defaultsByStage', 'pdFull', 'pdFirst', 'alive', 'mix',
  'vintageClaims', 'vintageCap', 'claimsDue', 'recoveriesDue', 'life', 'loanSize', 'coverage',
  'balanceAtDefault', 'balanceEnd', 'balanceAverage', 'trans', 'exitRate', 'gradeMap',
  'stateDue', 'vintageStateThreshold', 'feeSubsidy', 'feesByStage', 'subsidisedFeesByStage', 'annualFee', 'recovery',
  'cohortFees', 'cohortClaims', 'cohortRecoveries', 'cohortStateCompensation', 'cohortExposure', 'settings',
] as const;
export type RunoffArray = (typeof RUNOFF_ARRAYS)[number];

/**
 * The timing settings, f64 at `settings`, in the order runoff.as.ts reads them: whole periods
 * and fractional shares of the claim and recovery lags, the lock-in and the period (from
 * origination) of a recovery after it, periods without defaults after origination, whole periods
 * of fee subsidy and the subsidised share of the next, the state's share of claims above its
 * threshold, and the exposure weights of a loan's first period and of a defaulted loan.
 */
export const RUNOFF_SETTINGS = [
  'claimLag', 'claimLagFraction', 'recoveryLag', 'recoveryLagFraction', 'lockIn', 'recoveryAfterLockIn',
  'quietPeriods', 'subsidyPeriods', 'subsidyBoundaryWeight', 'stateShare', 'firstExposure', 'defaultedExposure',
] as const;
export type RunoffSettings = Record<(typeof RUNOFF_SETTINGS)[number], number>;

export interface Runoff {
  readonly memory: WebAssembly.Memory;
  init(grades: number, maxLife: number, periods: number, queue: number, tables: boolean, transitions: boolean, cohorts: boolean): number;
  runVintages(t: number, fromVintage: number, toVintage: number, recoveryFactor: number, mode: number): void;
  drawBinomial(n: number, p: number, slot: number): number;
  tablePower(n: number, p: number, slot: number): number;
  /** Byte address of an array (valid after init). */
  address(name: RunoffArray): number;
  /** Writes the timing settings (after init). */
  configure(settings: RunoffSettings): void;
}

const compiled = new WebAssembly.Module(Uint8Array.from(atob(RUNOFF_WASM_BASE64), (c) => c.charCodeAt(0)));

export function instantiateRunoff(imports: RunoffImports): Runoff {
  const instance = new WebAssembly.Instance(compiled, { env: { ...imports, log: Math.log, exp: Math.exp } });
  const e = instance.exports as Record<string, unknown>;
  const fn = <F>(name: string) => e[name] as F;
  return {
    memory: e.memory as WebAssembly.Memory,
    init: fn('init'),
    runVintages: fn('runVintages'),
    drawBinomial: fn('drawBinomial'),
    tablePower: fn('tablePower'),
    address: (name) => (e[name] as WebAssembly.Global).value as number,
    configure(settings) {
      const at = new Float64Array((e.memory as WebAssembly.Memory).buffer, (e.settings as WebAssembly.Global).value as number, RUNOFF_SETTINGS.length);
      RUNOFF_SETTINGS.forEach((name, i) => (at[i] = settings[name]));
    },
  };
}
