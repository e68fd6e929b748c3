/**
 * Worker thread: a thin shell over the core's path simulation. It receives a run (the
 * scenario, the seed and shared output arrays), then chunks of path numbers to simulate,
 * and answers each chunk when done. Cancellation is a shared flag polled between paths.
 */
import { parentPort } from 'node:worker_threads';
import { simulatePaths, type PathOutputs } from '../core/montecarlo/paths.ts';
import { buildPlan, type Plan } from '../core/plan.ts';
import type { Scenario } from '../core/schema.ts';
import type { ToWorker } from './protocol.ts';

let current: { runId: number; plan: Plan; seed: number; out: PathOutputs; cancel: Int32Array } | null = null;

parentPort!.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'run') {
      current = { runId: message.runId, plan: buildPlan(message.scenario as Scenario), seed: message.seed, out: message.outputs, cancel: new Int32Array(message.cancel) };
      return;
    }
    if (!current || current.runId !== message.runId) throw new Error(`chunk for unknown run ${message.runId}`);
    const run = current;
    const done = simulatePaths(run.plan, run.seed, message.from, message.to, run.out, () => Atomics.load(run.cancel, 0) !== 0);
    parentPort!.postMessage({ type: 'done', runId: message.runId, from: message.from, to: message.to, completed: done });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', runId: 'runId' in message ? message.runId : -1, message: (e as Error).message });
  }
});
