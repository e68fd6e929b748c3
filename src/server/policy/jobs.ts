/**
 * Policy-analysis jobs (budget comparisons, tornadoes, sweeps, searches): a bounded queue in
 * front of the engines (job-queue.ts), as for Monte Carlo runs. Small requests run in the
 * server's thread (the caller may wait for them), larger ones on the worker pool, with progress
 * events for server-sent events and an AbortController to cancel. Finished jobs are kept in the
 * database (table policy_jobs), so every result has a permalink.
 */
import { msg } from '../../i18n/translate.ts';
import { bindings, currentViewer, ForbiddenError, ownAs, SEE, seeAs, type Sharing, sharingJoin, sharingOf, type SharingRow } from '../../storage/access.ts';
import type { DB } from '../../storage/index.ts';
import { newId } from '../../storage/index.ts';
import type { BudgetMonteCarloResult, SearchResult, SweepResult, TornadoResult } from '../../core/policy/index.ts';
import { runBudget, runSearch, runSweep, runTornado, type BudgetOutcome, type PolicyEngine } from './engine.ts';
import type { PolicyRequest } from './requests.ts';
import { requestWork } from './requests.ts';
import { JobQueue, type JobEvent, type JobStatus, type QueueLimits } from '../runs/job-queue.ts';
import { UnavailableError } from '../runs/runs.ts';

export type { JobStatus };
export const JOB_FINISHED: readonly JobStatus[] = ['done', 'failed', 'cancelled'];
/** Why a job left unfinished when the server stopped failed (a message: the job page translates it). */
export const INTERRUPTED = msg('interrupted: the server stopped before the job finished');
export type PolicyKind = PolicyRequest['kind'];

export type PolicyResult =
  | { readonly kind: 'budget'; readonly value: BudgetOutcome }
  | { readonly kind: 'tornado'; readonly value: TornadoResult }
  | { readonly kind: 'sweep'; readonly value: SweepResult }
  | { readonly kind: 'search'; readonly value: SearchResult };

export interface JobRecord extends Sharing {
  readonly id: string;
  readonly kind: PolicyKind;
  readonly title: string;
  readonly status: JobStatus;
  readonly error: string | null;
  /** Where it ran: 'inline' (the server's thread) or 'pool'. */
  readonly engine: 'inline' | 'pool';
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

interface Row extends SharingRow {
  id: string;
  kind: PolicyKind;
  title: string;
  status: JobStatus;
  engine: 'inline' | 'pool';
  request_json: string;
  result_json: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

const record = (r: Row): JobRecord => ({
  id: r.id, kind: r.kind, title: r.title, status: r.status, error: r.error, engine: r.engine, createdAt: r.created_at, finishedAt: r.finished_at, ...sharingOf(r),
});

const SELECT = sharingJoin('policy_jobs');

/** The policy analysis jobs (table policy_jobs, storage migration 3). */
export class PolicyJobStore {
  constructor(private readonly db: DB) {}

  create(request: PolicyRequest, title: string, engine: 'inline' | 'pool'): JobRecord {
    const id = newId();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO policy_jobs (id, kind, title, status, engine, request_json, created_at, owner_id) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)`)
        .run(id, request.kind, title, engine, JSON.stringify(request), new Date().toISOString(), currentViewer()?.id ?? null);
      // Keep the latest KEEP analyses: each holds its scenario and result (tens of kilobytes).
      this.db.prepare(`DELETE FROM policy_jobs WHERE status IN ('done', 'failed', 'cancelled')
                       AND created_at < (SELECT created_at FROM policy_jobs ORDER BY created_at DESC LIMIT 1 OFFSET ?)`).run(PolicyJobStore.KEEP - 1);
    })();
    return record(this.db.prepare(`${SELECT} WHERE x.id = ?`).get(id) as Row);
  }

  /** Finished analyses kept in the database (older ones are deleted as new ones start). */
  static readonly KEEP = 1000;

  /** The job, when the viewer may see it (who started it, a workspace it is shared with, an administrator; the job manager, outside any request, sees all). */
  get(id: string): JobRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE x.id = @id AND ${seeAs('x.')}`).get({ ...bindings(), id }) as Row | undefined;
    return row ? record(row) : null;
  }

  /** Whether the viewer may share the analysis: who started it or an administrator (anyone, for one from before accounts). */
  isOwn(id: string): boolean {
    return this.db.prepare(`SELECT 1 FROM policy_jobs WHERE id = @id AND (${ownAs()} OR owner_id IS NULL)`).get({ ...bindings(), id }) !== undefined;
  }

  /**
   * Shares the analysis with a workspace, or makes it private again (null); false when the
   * viewer cannot see it, ForbiddenError when they may see it but it is not theirs.
   */
  share(id: string, workspaceId: string | null): boolean {
    return this.db.transaction(() => {
      if (!this.get(id)) return false;
      if (!this.isOwn(id)) throw new ForbiddenError('Only who started the analysis or an administrator chooses whom it is shared with.');
      this.db.prepare('UPDATE policy_jobs SET workspace_id = ? WHERE id = ?').run(workspaceId, id);
      return true;
    })();
  }

  request(id: string): PolicyRequest | null {
    const json = this.db.prepare(`SELECT request_json FROM policy_jobs WHERE id = @id AND ${SEE}`).pluck().get({ ...bindings(), id }) as string | undefined;
    return json ? (JSON.parse(json) as PolicyRequest) : null;
  }

  result(id: string): PolicyResult | null {
    const row = this.db.prepare(`SELECT kind, result_json FROM policy_jobs WHERE id = @id AND ${SEE}`).get({ ...bindings(), id }) as Pick<Row, 'kind' | 'result_json'> | undefined;
    if (!row?.result_json) return null;
    try {
      return { kind: row.kind, value: JSON.parse(row.result_json) } as PolicyResult;
    } catch {
      return null;
    }
  }

  list(limit = 20): JobRecord[] {
    return (this.db.prepare(`${SELECT} WHERE ${seeAs('x.')} ORDER BY x.created_at DESC LIMIT @limit`).all({ ...bindings(), limit }) as Row[]).map(record);
  }

  markRunning(id: string): void {
    this.db.prepare(`UPDATE policy_jobs SET status = 'running' WHERE id = ? AND status = 'queued'`).run(id);
  }

  finish(id: string, outcome: { status: 'done'; result: unknown } | { status: 'failed' | 'cancelled'; error: string }): void {
    const now = new Date().toISOString();
    if (outcome.status === 'done') {
      this.db.prepare(`UPDATE policy_jobs SET status = 'done', result_json = ?, error = NULL, finished_at = ? WHERE id = ?`).run(JSON.stringify(outcome.result), now, id);
    } else {
      this.db.prepare('UPDATE policy_jobs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(outcome.status, outcome.error, now, id);
    }
  }

  failInterrupted(): number {
    return this.db.prepare(`UPDATE policy_jobs SET status = 'failed', error = ?, finished_at = ?
                            WHERE status IN ('queued', 'running')`).run(INTERRUPTED, new Date().toISOString()).changes;
  }
}

export type { JobEvent };

export interface JobLimits extends QueueLimits {
  /** Requests of at most this much work (path-equivalents, see requestWork) run in the server's thread. */
  readonly inlineWork: number;
}

interface PolicyTask {
  readonly request: PolicyRequest;
  readonly engine: PolicyEngine;
}

export class PolicyJobManager {
  private readonly jobs: JobQueue<PolicyTask, PolicyResult['value']>;

  constructor(
    private readonly engines: { readonly pool: PolicyEngine | null; readonly small: PolicyEngine | null },
    readonly store: PolicyJobStore,
    readonly limits: JobLimits,
  ) {
    this.jobs = new JobQueue<PolicyTask, PolicyResult['value']>(limits, store, ({ request: r, engine }, hooks) =>
      r.kind === 'budget' ? runBudget(engine, r.comparison, r.monteCarlo, hooks)
        : r.kind === 'tornado' ? runTornado(engine, r.scenario, r.spec, hooks)
          : r.kind === 'sweep' ? runSweep(engine, r.scenario, r.spec, hooks)
            : runSearch(engine, r.scenario, r.spec, hooks));
  }

  get available(): boolean {
    return (this.engines.pool !== null || this.engines.small !== null) && !this.jobs.closed;
  }

  /** True when the request is small enough to run in the server's thread (and be waited for). */
  isInline(request: PolicyRequest): boolean {
    return this.engines.small !== null && (requestWork(request) <= this.limits.inlineWork || this.engines.pool === null);
  }

  /** Queues a job; throws BusyError when the queue is full, UnavailableError without an engine. */
  start(request: PolicyRequest, title: string): JobRecord {
    if (!this.available) throw new UnavailableError();
    this.jobs.admit();
    const inline = this.isInline(request);
    const engine = (inline ? this.engines.small : this.engines.pool ?? this.engines.small)!;
    const rec = this.store.create(request, title, inline ? 'inline' : 'pool');
    this.jobs.enqueue(rec.id, { request, engine });
    return rec;
  }

  liveState(id: string) {
    return this.jobs.liveState(id);
  }

  wait(id: string): Promise<void> {
    return this.jobs.wait(id);
  }

  subscribe(id: string, listener: (e: JobEvent) => void): (() => void) | null {
    return this.jobs.subscribe(id, listener);
  }

  cancel(id: string): boolean {
    return this.jobs.cancel(id);
  }

  shutdown(): Promise<void> {
    return this.jobs.shutdown();
  }
}

export type { BudgetMonteCarloResult };
