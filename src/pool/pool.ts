/**
 * A pool of worker threads for Monte Carlo runs. Runs are queued and served one at a time,
 * each spread over every worker in chunks of paths, so a long run uses all cores and the
 * event loop stays free. Outputs live in shared memory; once the chunks are in, the summary is
 * computed from them on a worker too. The split into chunks never changes the result: path i
 * always draws from the stream of (seed, i).
 *
 * More job types share the queue (issue 5): sensitivity points (a tornado's or a sweep's
 * scenarios, spread over every worker in chunks of points; each point uses the same seed, so
 * the result does not depend on the chunking) and tasks run whole on one worker (the
 * coverage-and-fee search, a budget comparison's Monte Carlo; and, in the server's one-worker
 * compute pool, long projections and break-even searches).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { allocateOutputs } from '../core/montecarlo/paths.ts';
import type { MonteCarloOptions, MonteCarloResult } from '../core/montecarlo/types.ts';
import { buildPlan } from '../core/plan.ts';
import type { Indicator, MonteCarloSetting, Point, PointResult } from '../core/policy/index.ts';
import type { Scenario } from '../core/schema.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.ts';
import { decodeTaskResult, type PolicyTask, type PolicyTaskResult } from './tasks.ts';

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
  /**
   * How much lower than the server's thread the workers run, as a nice increment (0–19; Linux
   * schedules threads by their own nice value, elsewhere it is ignored). Computations then yield
   * the CPU to the thread that answers requests when both want it, and use it whole otherwise.
   */
  niceness?: number;
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
    const worker = new Worker(this.options.workerUrl ?? WORKER_URL, { workerData: { niceness: this.options.niceness ?? 0 } satisfies WorkerSetup });
    worker.unref();
    return worker;
  }

  private async execute(job: Extract<Job, { kind: 'run' }>): Promise<MonteCarloResult> {
    const { scenario, options } = job;
    const lifetime = options.lifetime !== false;
    const plan = buildPlan(scenario, { lifetime });
    const outputs = allocateOutputs(options.paths, plan.periods, true);
    await this.inChunks(job.hooks, options.paths, (workers) => Math.min(2048, Math.max(16, Math.ceil(options.paths / (workers * 8)))), {
      start: (runId, cancel) => ({ type: 'run', runId, scenario, seed: options.seed, lifetime, outputs, cancel }),
      chunk: (runId, from, to) => ({ type: 'chunk', runId, from, to }),
      reply: (m) => (m.type === 'done' ? { done: m.completed } : null),
    });
    // The summary sorts every path's outcome (a quarter of a second at 100,000 paths): on a
    // worker too, reading the shared outputs, so the event loop stays free.
    const task = { kind: 'summarise', scenario, lifetime, outputs, paths: options.paths, seed: options.seed, samplePaths: options.samplePaths } as const;
    return (await this.executeTask({ kind: 'task', task, hooks: { signal: job.hooks.signal }, resolve: () => {}, reject: () => {} })) as MonteCarloResult;
  }

  private async executePoints(job: Extract<Job, { kind: 'points' }>): Promise<PointResult[]> {
    const { points } = job;
    const results: PointResult[] = new Array<PointResult>(points.length);
    if (points.length === 0) return results;
    // Points are costly (a Monte Carlo each): small chunks keep every worker busy to the end.
    await this.inChunks(job.hooks, points.length, (workers) => Math.max(1, Math.floor(points.length / (workers * 8))), {
      start: (runId, cancel) => ({ type: 'points', runId, base: job.base, points, indicators: job.indicators, mc: job.mc, cancel }),
      chunk: (runId, from, to) => ({ type: 'pointChunk', runId, from, to }),
      reply: (m) => {
        if (m.type !== 'pointsDone') return null;
        m.results.forEach((r, i) => (results[m.from + i] = r));
        return { done: m.results.length, stop: !m.complete };
      },
    });
    return results;
  }

  private async executeTask(job: Extract<Job, { kind: 'task' }>): Promise<unknown> {
    const { hooks } = job;
    while (this.workers.length < 1) this.workers.push(this.spawn());
    const worker = this.workers[0]!;
    let result: unknown;
    await this.listen([worker], hooks, (runId, cancel, finish) => {
      worker.postMessage({ type: 'task', runId, task: job.task, cancel: cancel.buffer } satisfies ToWorker);
      return (_w, m) => {
        if (m.type === 'taskProgress') hooks.onProgress?.(m.fraction);
        else if (m.type === 'taskDone') {
          result = decodeTaskResult(job.task, m.result);
          finish(Atomics.load(cancel.flag, 0) !== 0 ? new RunCancelledError() : undefined);
        }
      };
    });
    return result;
  }

  /**
   * Spreads items [0, total) over the workers in chunks: each worker is given the job once,
   * then a chunk at a time, a new one as each reply comes in, until all are done or the job is
   * cancelled. The split never changes the result; the chunk size only balances the load.
   */
  private async inChunks(
    hooks: RunHooks,
    total: number,
    chunkFor: (workers: number) => number,
    messages: {
      start: (runId: number, cancel: SharedArrayBuffer) => ToWorker;
      chunk: (runId: number, from: number, to: number) => ToWorker;
      /** A worker's reply: how many items it finished (and whether to stop), or null to ignore it. */
      reply: (m: FromWorker) => { done: number; stop?: boolean } | null;
    },
  ): Promise<void> {
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    const workers = this.workers.slice(0, Math.min(this.size, total));
    const chunk = this.options.chunkSize ?? chunkFor(workers.length);
    let next = 0;
    let done = 0;
    let active = 0;
    await this.listen(workers, hooks, (runId, cancel, finish) => {
      const cancelled = () => Atomics.load(cancel.flag, 0) !== 0;
      const dispatch = (w: Worker) => {
        if (cancelled() || next >= total) {
          if (active === 0) finish(cancelled() ? new RunCancelledError() : undefined);
          return;
        }
        const from = next;
        next = Math.min(total, next + chunk);
        active++;
        w.postMessage(messages.chunk(runId, from, next));
      };
      for (const w of workers) w.postMessage(messages.start(runId, cancel.buffer));
      for (const w of workers) dispatch(w);
      return (w, m) => {
        const r = messages.reply(m);
        if (!r) return;
        active--;
        done += r.done;
        if (r.stop) Atomics.store(cancel.flag, 0, 1);
        hooks.onProgress?.(done / total);
        dispatch(w);
      };
    });
  }

  /**
   * One job's conversation with its workers: a fresh job id and cancel flag (set when the
   * caller aborts), the replies for this job handed to `begin`'s handler, and a worker's error,
   * crash or exit failing the job (a dead worker is replaced for the next job). Resolves or
   * rejects once `finish` is called, with every listener removed.
   */
  private listen(
    workers: Worker[],
    hooks: RunHooks,
    begin: (runId: number, cancel: { buffer: SharedArrayBuffer; flag: Int32Array }, finish: (e?: Error) => void) => (w: Worker, m: FromWorker) => void,
  ): Promise<void> {
    const runId = this.nextRunId++;
    const buffer = new SharedArrayBuffer(4);
    const cancel = { buffer, flag: new Int32Array(buffer) };
    return new Promise<void>((resolve, reject) => {
      let over = false;
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        if (over) return;
        over = true;
        for (const c of cleanups.splice(0)) c();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => Atomics.store(cancel.flag, 0, 1);
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => hooks.signal?.removeEventListener('abort', onAbort));
      let handle: (w: Worker, m: FromWorker) => void = () => {};
      for (const w of workers) {
        const message = (m: FromWorker) => {
          if (m.runId !== runId) return;
          if (m.type === 'error') return finish(new Error(`a Monte Carlo worker failed: ${m.message}`));
          handle(w, m);
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
      handle = begin(runId, cancel, finish);
    });
  }

  /** Drops a dead worker; a fresh one is spawned for the next run. */
  private replace(dead: Worker): void {
    this.workers = this.workers.filter((w) => w !== dead);
    void dead.terminate();
  }
}
