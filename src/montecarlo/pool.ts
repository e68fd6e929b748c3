/**
 * A pool of worker threads for Monte Carlo runs. Runs are queued and served one at a time,
 * each spread over every worker in chunks of paths, so a long run uses all cores and the
 * event loop stays free. Outputs live in shared memory; the summary is computed here once the
 * chunks are in. The split into chunks never changes the result: path i always draws from
 * the stream of (seed, i).
 *
 * Two more job types share the queue (issue 5): sensitivity points (a tornado's or a sweep's
 * scenarios, spread over every worker in chunks of points; each point uses the same seed, so
 * the result does not depend on the chunking) and tasks run whole on one worker (the
 * coverage-and-fee search, a budget comparison's Monte Carlo).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { summariseMonteCarlo } from '../core/montecarlo/aggregate.ts';
import { allocateOutputs } from '../core/montecarlo/paths.ts';
import type { MonteCarloOptions, MonteCarloResult } from '../core/montecarlo/types.ts';
import { buildPlan } from '../core/plan.ts';
import type { Indicator, MonteCarloSetting, Point, PointResult } from '../core/policy/index.ts';
import type { Scenario } from '../core/schema.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { PolicyTask, PolicyTaskResult } from './tasks.ts';

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

type Job =
  | { kind: 'run'; scenario: Scenario; options: MonteCarloOptions; hooks: RunHooks; resolve: (r: MonteCarloResult) => void; reject: (e: Error) => void }
  | {
    kind: 'points'; base: Scenario; points: readonly Point[]; indicators: readonly Indicator[]; mc: MonteCarloSetting;
    hooks: RunHooks; resolve: (r: PointResult[]) => void; reject: (e: Error) => void;
  }
  | { kind: 'task'; task: PolicyTask; hooks: RunHooks; resolve: (r: unknown) => void; reject: (e: Error) => void };

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
    return this.enqueue<MonteCarloResult>((resolve, reject) => ({ kind: 'run', scenario, options, hooks, resolve, reject }), hooks);
  }

  /**
   * Evaluates sensitivity points (src/core/policy/sensitivity.ts) across the workers; the
   * results come back in point order, whatever the chunking. Progress is the share of points done.
   */
  evaluatePoints(base: Scenario, points: readonly Point[], indicators: readonly Indicator[], mc: MonteCarloSetting, hooks: RunHooks = {}): Promise<PointResult[]> {
    return this.enqueue<PointResult[]>((resolve, reject) => ({ kind: 'points', base, points, indicators, mc, hooks, resolve, reject }), hooks);
  }

  /** Runs a task (a search, a budget comparison's Monte Carlo) whole on one worker. */
  runTask<T extends PolicyTask>(task: T, hooks: RunHooks = {}): Promise<PolicyTaskResult<T>> {
    return this.enqueue<PolicyTaskResult<T>>((resolve, reject) => ({ kind: 'task', task, hooks, resolve: resolve as (r: unknown) => void, reject }), hooks);
  }

  private enqueue<R>(make: (resolve: (r: R) => void, reject: (e: Error) => void) => Job, hooks: RunHooks): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the Monte Carlo pool is closed'));
    return new Promise<R>((resolve, reject) => {
      const job = make(resolve, reject);
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
    const work: Promise<unknown> = job.kind === 'run' ? this.execute(job) : job.kind === 'points' ? this.executePoints(job) : this.executeTask(job);
    work
      .then((r) => (job.resolve as (x: unknown) => void)(r), job.reject)
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

  private async execute(job: Extract<Job, { kind: 'run' }>): Promise<MonteCarloResult> {
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
          if (m.type !== 'done') return;
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

  /**
   * Listens to the workers of one job until `finish` is called; the returned function sends a
   * message. Crashes and exits fail the job (the dead worker is replaced for the next one).
   */
  private attach(workers: Worker[], runId: number, onMessage: (w: Worker, m: FromWorker) => void, finish: (e?: Error) => void, cleanups: (() => void)[]): void {
    for (const w of workers) {
      const message = (m: FromWorker) => {
        if (m.runId !== runId) return;
        if (m.type === 'error') return finish(new Error(`a Monte Carlo worker failed: ${m.message}`));
        onMessage(w, m);
      };
      const crash = (e: Error) => {
        this.replace(w);
        finish(new Error(`a Monte Carlo worker crashed: ${e.message}`));
      };
      const exit = (code: number) => {
        this.replace(w);
        finish(new Error(`a Monte Carlo worker stopped unexpectedly (exit code ${code})`));
      };
      w.on('message', message);
      w.on('error', crash);
      w.on('exit', exit);
      cleanups.push(() => {
        w.off('message', message);
        w.off('error', crash);
        w.off('exit', exit);
      });
    }
  }

  private async executePoints(job: Extract<Job, { kind: 'points' }>): Promise<PointResult[]> {
    const { points, hooks } = job;
    const total = points.length;
    const results: PointResult[] = new Array<PointResult>(total);
    if (total === 0) return results;
    const cancel = new SharedArrayBuffer(4);
    const cancelFlag = new Int32Array(cancel);
    const runId = this.nextRunId++;
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    const workers = this.workers.slice(0, Math.min(this.size, total));
    // Points are costly (a Monte Carlo each): small chunks keep every worker busy to the end.
    const chunk = this.options.chunkSize ?? Math.max(1, Math.floor(total / (workers.length * 8)));

    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let active = 0;
      let over = false;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        if (over) return;
        over = true;
        for (const c of cleanups.splice(0)) c();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => Atomics.store(cancelFlag, 0, 1);
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => hooks.signal?.removeEventListener('abort', onAbort));
      const dispatch = (w: Worker) => {
        if (Atomics.load(cancelFlag, 0) !== 0 || next >= total) {
          if (active === 0) finish(Atomics.load(cancelFlag, 0) !== 0 ? new RunCancelledError() : undefined);
          return;
        }
        const from = next;
        next = Math.min(total, next + chunk);
        active++;
        w.postMessage({ type: 'pointChunk', runId, from, to: next } satisfies ToWorker);
      };
      this.attach(workers, runId, (w, m) => {
        if (m.type !== 'pointsDone') return;
        active--;
        m.results.forEach((r, i) => (results[m.from + i] = r));
        done += m.results.length;
        if (!m.complete) Atomics.store(cancelFlag, 0, 1);
        hooks.onProgress?.(done / total);
        dispatch(w);
      }, finish, cleanups);
      for (const w of workers) {
        w.postMessage({ type: 'points', runId, base: job.base, points, indicators: job.indicators, mc: job.mc, cancel } satisfies ToWorker);
      }
      for (const w of workers) dispatch(w);
    });
    return results;
  }

  private async executeTask(job: Extract<Job, { kind: 'task' }>): Promise<unknown> {
    const { hooks } = job;
    const cancel = new SharedArrayBuffer(4);
    const cancelFlag = new Int32Array(cancel);
    const runId = this.nextRunId++;
    while (this.workers.length < 1) this.workers.push(this.spawn());
    const worker = this.workers[0]!;
    let result: unknown;
    await new Promise<void>((resolve, reject) => {
      let over = false;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        if (over) return;
        over = true;
        for (const c of cleanups.splice(0)) c();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => Atomics.store(cancelFlag, 0, 1);
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => hooks.signal?.removeEventListener('abort', onAbort));
      this.attach([worker], runId, (_w, m) => {
        if (m.type === 'taskProgress') hooks.onProgress?.(m.fraction);
        else if (m.type === 'taskDone') {
          result = m.result;
          finish(Atomics.load(cancelFlag, 0) !== 0 ? new RunCancelledError() : undefined);
        }
      }, finish, cleanups);
      worker.postMessage({ type: 'task', runId, task: job.task, cancel } satisfies ToWorker);
    });
    return result;
  }

  /** Drops a dead worker; a fresh one is spawned for the next run. */
  private replace(dead: Worker): void {
    this.workers = this.workers.filter((w) => w !== dead);
    void dead.terminate();
  }
}
