/**
 * Worker thread: a thin shell over the core. Monte Carlo runs: it receives a run (the
 * scenario, the seed and shared output arrays), then chunks of path numbers to simulate, and
 * answers each chunk when done. Sensitivity points: it receives the base scenario and the
 * point list, then chunks of point indices, and answers each with the points' indicators.
 * Tasks (a search, a budget comparison's Monte Carlo) run whole, with progress messages.
 * Cancellation is a shared flag polled between paths or points.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { simulatePaths, type PathOutputs } from '../core/montecarlo/paths.ts';
import { buildPlan, type Plan } from '../core/plan.ts';
import type { Scenario } from '../core/schema.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { encodeTaskResult, evaluatePointChunk, runPolicyTask } from './tasks.ts';

// Priority 0 names the calling thread on Linux: only this worker is lowered, not the server's
// thread. Elsewhere it names the whole process, so it is left alone; where Linux refuses, the
// worker runs at the server's priority.
const niceness = (workerData as WorkerSetup | null)?.niceness ?? 0;
if (niceness > 0 && process.platform === 'linux') {
  try {
    setPriority(0, Math.min(19, getPriority(0) + niceness));
  } catch {
    // Not permitted here: no change.
  }
}

let current: { runId: number; plan: Plan; seed: number; out: PathOutputs; cancel: Int32Array } | null = null;
let points: (Extract<ToWorker, { type: 'points' }> & { flag: Int32Array }) | null = null;

const post = (m: FromWorker) => parentPort!.postMessage(m);

parentPort!.on('message', (message: ToWorker) => {
  try {
    switch (message.type) {
      case 'run':
        current = { runId: message.runId, plan: buildPlan(message.scenario as Scenario, { lifetime: message.lifetime }), seed: message.seed, out: message.outputs, cancel: new Int32Array(message.cancel) };
        return;
      case 'chunk': {
        if (!current || current.runId !== message.runId) throw new Error(`chunk for unknown run ${message.runId}`);
        const run = current;
        const done = simulatePaths(run.plan, run.seed, message.from, message.to, run.out, () => Atomics.load(run.cancel, 0) !== 0);
        post({ type: 'done', runId: message.runId, from: message.from, to: message.to, completed: done });
        return;
      }
      case 'points':
        points = { ...message, flag: new Int32Array(message.cancel) };
        return;
      case 'pointChunk': {
        if (!points || points.runId !== message.runId) throw new Error(`points for unknown job ${message.runId}`);
        const job = points;
        const { results, complete } = evaluatePointChunk(job.base, job.points, message.from, message.to, job.indicators, job.mc, () => Atomics.load(job.flag, 0) !== 0);
        post({ type: 'pointsDone', runId: message.runId, from: message.from, to: message.to, results, complete });
        return;
      }
      case 'task': {
        const flag = new Int32Array(message.cancel);
        let last = 0;
        const result = runPolicyTask(message.task, {
          shouldStop: () => Atomics.load(flag, 0) !== 0,
          onProgress: (fraction) => {
            // At most a hundred messages a task.
            if (fraction - last >= 0.01 || fraction >= 1) {
              last = fraction;
              post({ type: 'taskProgress', runId: message.runId, fraction });
            }
          },
        });
        post({ type: 'taskDone', runId: message.runId, result: encodeTaskResult(message.task, result) });
        return;
      }
    }
  } catch (e) {
    post({ type: 'error', runId: 'runId' in message ? message.runId : -1, message: (e as Error).message });
  }
});
