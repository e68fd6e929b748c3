/**
 * Monte Carlo runs: a bounded job queue (job-queue.ts) in front of the engines. Small runs use
 * the in-thread engine, larger ones the worker pool.
 */
import type { MonteCarloOptions, MonteCarloResult } from '../../core/montecarlo/types.ts';
import { msg } from '../../i18n/translate.ts';
import type { Scenario } from '../../core/schema.ts';
import type { RunRecord, RunStore } from '../../storage/index.ts';
import { BusyError, JobQueue, type JobEvent, type QueueLimits } from './job-queue.ts';
import { monteCarloWork, type Placement } from './work.ts';

export { BusyError };

/** What the server needs of the worker pool (src/pool/pool.ts satisfies it). */
export interface MonteCarloEngine {
  run(
    scenario: Scenario,
    options: MonteCarloOptions,
    hooks?: { onProgress?: (fractionDone: number) => void; signal?: AbortSignal },
  ): Promise<MonteCarloResult>;
  close(): Promise<void>;
}

export class UnavailableError extends Error {
  constructor() {
    super(msg('Monte Carlo runs are not available on this server.'));
    this.name = 'UnavailableError';
  }
}

export type RunEvent = JobEvent;

export interface RunLimits extends QueueLimits {
  readonly maxPaths: number;
  /**
   * Runs of at most this much work use the small-run engine (in-thread), larger ones the pool:
   * work in path-equivalents of a ten-year annual scenario (./work.ts), so 1,000 paths of a
   * ten-year annual scenario stay in-thread but 1,000 of a 30-year quarterly one (12 times the
   * periods) go to the pool.
   */
  readonly inlinePaths: number;
}

export interface Engines {
  /** The worker pool, for long runs. */
  readonly pool: MonteCarloEngine | null;
  /** For small runs (the in-thread engine). */
  readonly small: MonteCarloEngine | null;
}

interface RunTask {
  readonly scenario: Scenario;
  readonly options: MonteCarloOptions;
}

export class RunManager {
  private readonly jobs: JobQueue<RunTask, MonteCarloResult>;

  constructor(
    private readonly engines: Engines,
    private readonly store: RunStore,
    readonly limits: RunLimits,
  ) {
    this.jobs = new JobQueue<RunTask, MonteCarloResult>(limits, store, (task, hooks) => this.engineFor(task.scenario, task.options.paths).run(task.scenario, task.options, hooks));
  }

  get available(): boolean {
    return (this.engines.pool !== null || this.engines.small !== null) && !this.jobs.closed;
  }

  /** Where a run belongs by its estimated work (whichever engine exists runs it if the other is missing). */
  placementOf(scenario: Scenario, paths: number): Placement {
    return monteCarloWork(scenario, paths) <= this.limits.inlinePaths ? 'inline' : 'pool';
  }

  private engineFor(scenario: Scenario, paths: number): MonteCarloEngine {
    const { pool, small } = this.engines;
    return ((this.placementOf(scenario, paths) === 'inline' ? small : pool) ?? small ?? pool)!;
  }

  /** Runs executing and waiting. */
  load(): { running: number; queued: number } {
    return this.jobs.load();
  }

  /** Queues a run; throws BusyError when the queue is full, UnavailableError without a pool. */
  start(scenario: Scenario, options: { paths: number; seed: number }, scenarioId: string | null = null): RunRecord {
    if (!this.available) throw new UnavailableError();
    this.jobs.admit();
    const record = this.store.create({ scenario, scenarioId, paths: options.paths, seed: options.seed });
    this.jobs.enqueue(record.id, { scenario, options: { paths: options.paths, seed: options.seed, samplePaths: 20 } });
    return record;
  }

  liveState(id: string) {
    return this.jobs.liveState(id);
  }

  wait(id: string): Promise<void> {
    return this.jobs.wait(id);
  }

  subscribe(id: string, listener: (e: RunEvent) => void): (() => void) | null {
    return this.jobs.subscribe(id, listener);
  }

  cancel(id: string): boolean {
    return this.jobs.cancel(id);
  }

  shutdown(): Promise<void> {
    return this.jobs.shutdown();
  }
}
