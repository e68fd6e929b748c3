/** Messages between the pool and its workers. */
import type { Indicator, MonteCarloSetting, Point, PointResult } from '../core/policy/index.ts';
import type { PathOutputs } from '../core/montecarlo/paths.ts';
import type { Scenario } from '../core/schema.ts';
import type { PolicyTask } from './tasks.ts';

export type ToWorker =
  | { type: 'run'; runId: number; scenario: Scenario; seed: number; lifetime: boolean; outputs: PathOutputs; cancel: SharedArrayBuffer }
  | { type: 'chunk'; runId: number; from: number; to: number }
  /** Sensitivity points: the base scenario and every point once, then chunks of point indices. */
  | { type: 'points'; runId: number; base: Scenario; points: readonly Point[]; indicators: readonly Indicator[]; mc: MonteCarloSetting; cancel: SharedArrayBuffer }
  | { type: 'pointChunk'; runId: number; from: number; to: number }
  /** A task run whole on this worker. */
  | { type: 'task'; runId: number; task: PolicyTask; cancel: SharedArrayBuffer };

export type FromWorker =
  | { type: 'done'; runId: number; from: number; to: number; completed: number }
  | { type: 'pointsDone'; runId: number; from: number; to: number; results: PointResult[]; complete: boolean }
  | { type: 'taskProgress'; runId: number; fraction: number }
  | { type: 'taskDone'; runId: number; result: unknown }
  | { type: 'error'; runId: number; message: string };

/** What a worker is started with (its workerData). */
export interface WorkerSetup {
  /** The nice increment the worker applies to its own thread (PoolOptions.niceness). */
  readonly niceness: number;
}
