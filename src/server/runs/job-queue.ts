/**
 * A bounded queue of long computations (Monte Carlo runs, policy analyses): at most
 * `maxConcurrent` execute at once and at most `maxQueued` wait; beyond that a new one is refused
 * with BusyError (the caller answers 503 with Retry-After). Each job has an AbortController
 * (cancel, shutdown) and an event emitter feeding server-sent events with its progress; its
 * record in the database follows it from queued to done, failed or cancelled.
 */
import { EventEmitter } from 'node:events';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export class BusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('The simulator is busy with other long computations. Try again in a little while.');
    this.name = 'BusyError';
  }
}

export interface JobEvent {
  readonly type: 'progress' | 'status' | 'end';
  readonly status: JobStatus;
  readonly progress: number;
  readonly error?: string | null;
}

export interface QueueLimits {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

/** Where a job's record lives: the queue marks it running and records how it ended. */
export interface JobRecords<R> {
  markRunning(id: string): void;
  finish(id: string, outcome: { status: 'done'; result: R } | { status: 'failed' | 'cancelled'; error: string }): void;
}

export interface ProgressHooks {
  readonly signal: AbortSignal;
  readonly onProgress: (fractionDone: number) => void;
}

interface LiveJob<T> {
  readonly id: string;
  readonly task: T;
  status: JobStatus;
  progress: number;
  lastEmit: number;
  readonly controller: AbortController;
  readonly events: EventEmitter;
  readonly finished: Promise<void>;
  resolveFinished: () => void;
}

export class JobQueue<T, R> {
  private readonly live = new Map<string, LiveJob<T>>();
  private readonly queue: LiveJob<T>[] = [];
  private running = 0;
  closed = false;

  constructor(
    private readonly limits: QueueLimits,
    private readonly records: JobRecords<R>,
    private readonly execute: (task: T, hooks: ProgressHooks) => Promise<R>,
  ) {}

  /** Jobs executing and waiting. */
  load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /** Throws BusyError when no job can be admitted; call before creating the job's record. */
  admit(): void {
    if (this.running >= this.limits.maxConcurrent && this.queue.length >= this.limits.maxQueued) {
      throw new BusyError(this.running > 0 ? 10 : 2);
    }
  }

  enqueue(id: string, task: T): void {
    let resolveFinished = () => {};
    const finished = new Promise<void>((r) => (resolveFinished = r));
    const job: LiveJob<T> = {
      id, task, status: 'queued', progress: 0, lastEmit: 0, controller: new AbortController(), events: new EventEmitter(), finished, resolveFinished,
    };
    job.events.setMaxListeners(100);
    this.live.set(id, job);
    this.queue.push(job);
    this.pump();
  }

  /** The live state of a job in this process (null once it is over and forgotten). */
  liveState(id: string): { status: JobStatus; progress: number; queuePosition: number | null } | null {
    const job = this.live.get(id);
    if (!job) return null;
    const pos = this.queue.indexOf(job);
    return { status: job.status, progress: job.progress, queuePosition: pos >= 0 ? pos + 1 : null };
  }

  /** Resolves when the job is over (at once when it is not live). */
  async wait(id: string): Promise<void> {
    await this.live.get(id)?.finished;
  }

  /** Listens to a live job's events; returns the function that stops listening, or null when not live. */
  subscribe(id: string, listener: (e: JobEvent) => void): (() => void) | null {
    const job = this.live.get(id);
    if (!job) return null;
    job.events.on('event', listener);
    return () => job.events.off('event', listener);
  }

  /** Cancels a queued or running job; false when it is not live. */
  cancel(id: string): boolean {
    const job = this.live.get(id);
    if (!job) return false;
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.end(job, 'cancelled', 'cancelled before it started');
      return true;
    }
    job.controller.abort();
    return true;
  }

  /** Cancels every job and waits for them to stop. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const job of [...this.queue]) this.cancel(job.id);
    const running = [...this.live.values()];
    running.forEach((j) => j.controller.abort());
    await Promise.all(running.map((j) => j.finished));
  }

  private emit(job: LiveJob<T>, type: JobEvent['type'], error?: string | null): void {
    job.events.emit('event', { type, status: job.status, progress: job.progress, error } satisfies JobEvent);
  }

  private end(job: LiveJob<T>, status: 'done' | 'failed' | 'cancelled', error: string | null, result?: R): void {
    try {
      if (status === 'done') this.records.finish(job.id, { status: 'done', result: result as R });
      else this.records.finish(job.id, { status, error: error ?? 'no result' });
    } catch {
      // The database may already be closed at shutdown; the job is over either way.
    }
    job.status = status;
    if (status === 'done') job.progress = 1;
    this.emit(job, 'end', error);
    this.live.delete(job.id);
    job.resolveFinished();
  }

  private pump(): void {
    while (this.running < this.limits.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(job: LiveJob<T>): Promise<void> {
    job.status = 'running';
    try {
      this.records.markRunning(job.id);
    } catch {
      /* see end() */
    }
    this.emit(job, 'status');
    try {
      const result = await this.execute(job.task, {
        signal: job.controller.signal,
        onProgress: (fraction) => {
          job.progress = Math.max(job.progress, Math.min(1, fraction));
          const now = Date.now();
          // At most ten events a second reach the browsers.
          if (now - job.lastEmit >= 100 || fraction >= 1) {
            job.lastEmit = now;
            this.emit(job, 'progress');
          }
        },
      });
      if (job.controller.signal.aborted) this.end(job, 'cancelled', 'cancelled');
      else this.end(job, 'done', null, result);
    } catch (e) {
      if (job.controller.signal.aborted) this.end(job, 'cancelled', 'cancelled');
      else this.end(job, 'failed', e instanceof Error ? e.message : String(e));
    }
  }
}
