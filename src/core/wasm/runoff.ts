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
] as const;
export type RunoffArray = (typeof RUNOFF_ARRAYS)[number];

export interface Runoff {
  readonly memory: WebAssembly.Memory;
  init(grades: number, maxLife: number, periods: number, queue: number, claimLag: number, lockIn: number, recoveryLag: number,
    firstExposure: number, defaultedExposure: number, tables: boolean, transitions: boolean): number;
  runVintages(t: number, fromVintage: number, toVintage: number, recoveryRate: number, mode: number): void;
  drawBinomial(n: number, p: number, slot: number): number;
  tablePower(n: number, p: number, slot: number): number;
  /** Byte address of an array (valid after init). */
  address(name: RunoffArray): number;
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
  };
}
