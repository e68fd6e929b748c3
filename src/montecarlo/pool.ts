/**
 * A pool of worker threads for Monte Carlo runs. Runs are queued and served one at a time,
 * each spread over every worker in chunks of paths, so a long run uses all cores and the
 * event loop stays free. Outputs live in shared memory; the summary is computed here once the
 * chunks are in. The split into chunks never changes the result: path i always draws from
 * the stream of (seed, i).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { summariseMonteCarlo } from '../core/montecarlo/aggregate.ts';
import { allocateOutputs } from '../core/montecarlo/paths.ts';
import type { MonteCarloOptions, MonteCarloResult } from '../core/montecarlo/types.ts';
import { buildPlan } from '../core/plan.ts';
import type { Scenario } from '../core/schema.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface RunHooks {
  /** Called with the fraction of paths done, from 0 to 1. */
  onProgress?: (fractionDone: number) => void;
  signal?: AbortSignal;
}

export interface PoolOptions {
  workers?: number;
  /** Paths per chunk; by default about eight chunks per worker, between 16 and 2,048 paths. */
  chunkSize?: number;
  /** The worker script; tests substitute one that fails. */
  workerUrl?: URL;
}

interface Job {
  scenario: Scenario;
  options: MonteCarloOptions;
  hooks: RunHooks;
  resolve: (r: MonteCarloResult) => void;
  reject: (e: Error) => void;
}

export class RunCancelledError extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelledError';
  }
}

const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

export class MonteCarloPool {
  private readonly size: number;
  private workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private busy = false;
  private closed = false;
  private nextRunId = 1;

  constructor(private readonly options: PoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? availableParallelism());
  }

  /** Runs waiting behind the one in progress. */
  get queued(): number {
    return this.queue.length;
  }

  get running(): boolean {
    return this.busy;
  }

  run(scenario: Scenario, options: MonteCarloOptions, hooks: RunHooks = {}): Promise<MonteCarloResult> {
    if (this.closed) return Promise.reject(new Error('the Monte Carlo pool is closed'));
    return new Promise((resolve, reject) => {
      const job: Job = { scenario, options, hooks, resolve, reject };
      if (hooks.signal?.aborted) return reject(new RunCancelledError());
      hooks.signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(job);
        if (i >= 0) {
          this.queue.splice(i, 1);
          reject(new RunCancelledError());
        }
      }, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Cancels queued runs, stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new RunCancelledError());
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }

  private pump(): void {
    if (this.busy || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.busy = true;
    this.execute(job)
      .then(job.resolve, job.reject)
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private spawn(): Worker {
    const worker = new Worker(this.options.workerUrl ?? WORKER_URL);
    worker.unref();
    return worker;
  }

  private async execute(job: Job): Promise<MonteCarloResult> {
    const { scenario, options, hooks } = job;
    const plan = buildPlan(scenario);
    const paths = options.paths;
    const outputs = allocateOutputs(paths, plan.periods, true);
    const cancel = new SharedArrayBuffer(4);
    const cancelFlag = new Int32Array(cancel);
    const runId = this.nextRunId++;
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    const workers = this.workers.slice(0, Math.min(this.size, paths));
    const chunk = this.options.chunkSize ?? Math.min(2048, Math.max(16, Math.ceil(paths / (workers.length * 8))));

    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let active = 0;
      let failed = false;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        if (failed) return;
        if (error) failed = true;
        for (const c of cleanups.splice(0)) c();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => Atomics.store(cancelFlag, 0, 1);
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => hooks.signal?.removeEventListener('abort', onAbort));
      const dispatch = (w: Worker) => {
        if (Atomics.load(cancelFlag, 0) !== 0 || next >= paths) {
          if (active === 0) finish(Atomics.load(cancelFlag, 0) !== 0 ? new RunCancelledError() : undefined);
          return;
        }
        const from = next;
        next = Math.min(paths, next + chunk);
        active++;
        w.postMessage({ type: 'chunk', runId, from, to: next } satisfies ToWorker);
      };
      for (const w of workers) {
        const onMessage = (m: FromWorker) => {
          if (m.runId !== runId) return;
          if (m.type === 'error') return finish(new Error(`a Monte Carlo worker failed: ${m.message}`));
          active--;
          done += m.completed;
          hooks.onProgress?.(done / paths);
          dispatch(w);
        };
        const onCrash = (e: Error) => {
          this.replace(w);
          finish(new Error(`a Monte Carlo worker crashed: ${e.message}`));
        };
        const onExit = (code: number) => {
          this.replace(w);
          finish(new Error(`a Monte Carlo worker stopped unexpectedly (exit code ${code})`));
        };
        w.on('message', onMessage);
        w.on('error', onCrash);
        w.on('exit', onExit);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', onCrash);
          w.off('exit', onExit);
        });
        w.postMessage({ type: 'run', runId, scenario, seed: options.seed, outputs, cancel } satisfies ToWorker);
      }
      for (const w of workers) dispatch(w);
    });
    return summariseMonteCarlo(plan, outputs, paths, options.seed, options.samplePaths);
  }

  /** Drops a dead worker; a fresh one is spawned for the next run. */
  private replace(dead: Worker): void {
    this.workers = this.workers.filter((w) => w !== dead);
    void dead.terminate();
  }
}
