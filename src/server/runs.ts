/**
 * Monte Carlo runs: a bounded queue in front of the worker pool. At most `maxConcurrent` runs
 * execute at once and at most `maxQueued` wait; beyond that a new run is refused (the caller
 * answers 503 with Retry-After). Each run has an AbortController (cancel, shutdown) and an
 * event emitter feeding server-sent events with its progress.
 */
import { EventEmitter } from 'node:events';
import type { MonteCarloOptions, MonteCarloResult } from '../core/montecarlo/types.ts';
import type { Scenario } from '../core/schema.ts';
import type { RunRecord, RunStatus, RunStore } from '../storage/index.ts';

/** What the server needs of the worker pool (src/montecarlo/pool.ts satisfies it). */
export interface MonteCarloEngine {
  run(
    scenario: Scenario,
    options: MonteCarloOptions,
    hooks?: { onProgress?: (fractionDone: number) => void; signal?: AbortSignal },
  ): Promise<MonteCarloResult>;
  close(): Promise<void>;
}

export class BusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('The simulator is busy with other Monte Carlo runs. Try again in a little while.');
    this.name = 'BusyError';
  }
}

export class UnavailableError extends Error {
  constructor() {
    super('Monte Carlo runs are not available on this server.');
    this.name = 'UnavailableError';
  }
}

export interface RunEvent {
  readonly type: 'progress' | 'status' | 'end';
  readonly status: RunStatus;
  readonly progress: number;
  readonly error?: string | null;
}

interface LiveRun {
  readonly id: string;
  readonly scenario: Scenario;
  readonly options: MonteCarloOptions;
  status: RunStatus;
  progress: number;
  lastEmit: number;
  readonly controller: AbortController;
  readonly events: EventEmitter;
  readonly finished: Promise<void>;
  resolveFinished: () => void;
}

export interface RunLimits {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  readonly maxPaths: number;
  /** Runs of at most this many paths use the small-run engine (in-thread), larger ones the pool. */
  readonly inlinePaths: number;
}

export interface Engines {
  /** The worker pool, for long runs. */
  readonly pool: MonteCarloEngine | null;
  /** For small runs (the in-thread engine). */
  readonly small: MonteCarloEngine | null;
}

export class RunManager {
  private readonly live = new Map<string, LiveRun>();
  private readonly queue: LiveRun[] = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly engines: Engines,
    private readonly store: RunStore,
    readonly limits: RunLimits,
  ) {}

  get available(): boolean {
    return (this.engines.pool !== null || this.engines.small !== null) && !this.closed;
  }

  private engineFor(paths: number): MonteCarloEngine {
    const { pool, small } = this.engines;
    return ((paths <= this.limits.inlinePaths ? small : pool) ?? small ?? pool)!;
  }

  /** Runs executing and waiting. */
  load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /** Queues a run; throws BusyError when the queue is full, UnavailableError without a pool. */
  start(scenario: Scenario, options: { paths: number; seed: number }, scenarioId: string | null = null): RunRecord {
    if (!this.available) throw new UnavailableError();
    if (this.running >= this.limits.maxConcurrent && this.queue.length >= this.limits.maxQueued) {
      throw new BusyError(this.running > 0 ? 10 : 2);
    }
    const record = this.store.create({ scenario, scenarioId, paths: options.paths, seed: options.seed });
    let resolveFinished = () => {};
    const finished = new Promise<void>((r) => (resolveFinished = r));
    const run: LiveRun = {
      id: record.id, scenario, options: { paths: options.paths, seed: options.seed, samplePaths: 20 },
      status: 'queued', progress: 0, lastEmit: 0, controller: new AbortController(), events: new EventEmitter(),
      finished, resolveFinished,
    };
    run.events.setMaxListeners(100);
    this.live.set(run.id, run);
    this.queue.push(run);
    this.pump();
    return record;
  }

  /** The live state of a run in this process (null once it is over and forgotten). */
  liveState(id: string): { status: RunStatus; progress: number; queuePosition: number | null } | null {
    const run = this.live.get(id);
    if (!run) return null;
    const pos = this.queue.indexOf(run);
    return { status: run.status, progress: run.progress, queuePosition: pos >= 0 ? pos + 1 : null };
  }

  /** Resolves when the run is over (at once when it is not live). */
  async wait(id: string): Promise<void> {
    await this.live.get(id)?.finished;
  }

  /** Listens to a live run's events; returns the function that stops listening, or null when not live. */
  subscribe(id: string, listener: (e: RunEvent) => void): (() => void) | null {
    const run = this.live.get(id);
    if (!run) return null;
    run.events.on('event', listener);
    return () => run.events.off('event', listener);
  }

  /** Cancels a queued or running run; false when it is not live. */
  cancel(id: string): boolean {
    const run = this.live.get(id);
    if (!run) return false;
    const q = this.queue.indexOf(run);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.end(run, 'cancelled', 'cancelled before it started');
      return true;
    }
    run.controller.abort();
    return true;
  }

  /** Cancels every run and waits for them to stop. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const run of [...this.queue]) this.cancel(run.id);
    const running = [...this.live.values()];
    running.forEach((r) => r.controller.abort());
    await Promise.all(running.map((r) => r.finished));
  }

  private emit(run: LiveRun, type: RunEvent['type'], error?: string | null): void {
    run.events.emit('event', { type, status: run.status, progress: run.progress, error } satisfies RunEvent);
  }

  private end(run: LiveRun, status: 'done' | 'failed' | 'cancelled', error: string | null, result?: MonteCarloResult): void {
    try {
      if (status === 'done' && result) this.store.finish(run.id, { status: 'done', result });
      else this.store.finish(run.id, { status: status === 'done' ? 'failed' : status, error: error ?? 'no result' });
    } catch (e) {
      // The database may already be closed at shutdown; the run is over either way.
      void e;
    }
    run.status = status;
    if (status === 'done') run.progress = 1;
    this.emit(run, 'end', error);
    this.live.delete(run.id);
    run.resolveFinished();
  }

  private pump(): void {
    while (this.running < this.limits.maxConcurrent && this.queue.length > 0) {
      const run = this.queue.shift()!;
      this.running++;
      void this.execute(run).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async execute(run: LiveRun): Promise<void> {
    run.status = 'running';
    try {
      this.store.markRunning(run.id);
    } catch {
      /* see end() */
    }
    this.emit(run, 'status');
    try {
      const result = await this.engineFor(run.options.paths).run(run.scenario, run.options, {
        signal: run.controller.signal,
        onProgress: (fraction) => {
          run.progress = Math.max(run.progress, Math.min(1, fraction));
          const now = Date.now();
          // At most ten events a second reach the browsers.
          if (now - run.lastEmit >= 100 || fraction >= 1) {
            run.lastEmit = now;
            this.emit(run, 'progress');
          }
        },
      });
      if (run.controller.signal.aborted) this.end(run, 'cancelled', 'cancelled');
      else this.end(run, 'done', null, result);
    } catch (e) {
      if (run.controller.signal.aborted) this.end(run, 'cancelled', 'cancelled');
      else this.end(run, 'failed', e instanceof Error ? e.message : String(e));
    }
  }
}
