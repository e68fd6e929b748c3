/** Messages between the pool and its workers. */
import type { PathOutputs } from '../core/montecarlo/paths.ts';
import type { Scenario } from '../core/schema.ts';

export type ToWorker =
  | { type: 'run'; runId: number; scenario: Scenario; seed: number; outputs: PathOutputs; cancel: SharedArrayBuffer }
  | { type: 'chunk'; runId: number; from: number; to: number };

export type FromWorker =
  | { type: 'done'; runId: number; from: number; to: number; completed: number }
  | { type: 'error'; runId: number; message: string };
