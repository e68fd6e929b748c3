/**
 * Loads the WebAssembly run-off loop (runoff.as.ts, embedded in runoff.wasm.ts). Each
 * PortfolioState gets its own instance, so its book lives in that instance's memory.
 */
import { RUNOFF_ARRAYS, RUNOFF_SETTINGS, runoffLength, type RunoffArray, type RunoffF64Array, type RunoffI32Array, type RunoffSettings, type RunoffSizes } from './layout.ts';
import { RUNOFF_WASM_BASE64 } from './runoff.wasm.ts';

/** What the run-off asks of its caller: a custom model's defaults. */
export interface RunoffImports {
  customDefaults(n: number, p: number, pdSlot: number): number;
}

/** How runVintages counts a bucket's defaults (the `mode` argument). */
export const DEFAULT_COUNT = { expected: 0, binomial: 1, custom: 2 } as const;

export { RUNOFF_ARRAYS, RUNOFF_SETTINGS, RUNOFF_TOTALS, type RunoffArray, type RunoffSettings, type RunoffTotal } from './layout.ts';

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
  /** Views of an array over the instance's memory, as long as layout.ts makes it for these sizes (after init with them). */
  f64(name: RunoffF64Array, sizes: RunoffSizes): Float64Array;
  i32(name: RunoffI32Array, sizes: RunoffSizes): Int32Array;
}

const compiled = new WebAssembly.Module(Uint8Array.from(atob(RUNOFF_WASM_BASE64), (c) => c.charCodeAt(0)));

export function instantiateRunoff(imports: RunoffImports): Runoff {
  const instance = new WebAssembly.Instance(compiled, { env: { ...imports, log: Math.log, exp: Math.exp } });
  const e = instance.exports as Record<string, unknown>;
  const fn = <F>(name: string) => e[name] as F;
  const memory = e.memory as WebAssembly.Memory;
  const arrayAddress = fn<(index: number) => number>('address');
  const address = (name: RunoffArray) => arrayAddress(RUNOFF_ARRAYS.indexOf(name));
  return {
    memory,
    init: fn('init'),
    runVintages: fn('runVintages'),
    drawBinomial: fn('drawBinomial'),
    tablePower: fn('tablePower'),
    address,
    configure(settings) {
      const at = new Float64Array(memory.buffer, address('settings'), RUNOFF_SETTINGS.length);
      RUNOFF_SETTINGS.forEach((name, i) => {
        at[i] = settings[name];
      });
    },
    f64: (name, sizes) => new Float64Array(memory.buffer, address(name), runoffLength(name, sizes)),
    i32: (name, sizes) => new Int32Array(memory.buffer, address(name), runoffLength(name, sizes)),
  };
}
