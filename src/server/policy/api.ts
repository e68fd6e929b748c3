/**
 * The policy analyses in the JSON API, under /api/v1/policy:
 *   POST /budget[?monteCarlo=true&paths=N&seed=S]  the same budget, four ways
 *   POST /tornado, /sweep, /search                  sensitivity and search over a scenario
 *   GET  /jobs, /jobs/:id, /jobs/:id/events; DELETE /jobs/:id; PATCH /jobs/:id `{ workspace }` shares one
 *   GET  /parameters?scenario=<preset id|saved:id>  the parameters a tornado or sweep can move
 * Small requests are answered at once (200, the job with its result); larger ones return 202
 * and a job to follow, like Monte Carlo runs. Errors: `{ error, issues: [{ path, message }] }`.
 */
import express, { type Response, type Router, type Request } from 'express';
import { listParameters } from '../../core/policy/index.ts';
import type { FieldIssue, ParseResult } from '../../core/schema.ts';
import { ID_PATTERN } from '../../storage/index.ts';
import { whoOf } from '../accounts/auth.ts';
import { sharingJson, shareTarget } from '../accounts/sharing.ts';
import { streamProgress } from '../http/progress-events.ts';
import type { Context } from '../context.ts';
import { JOB_FINISHED, type JobRecord } from './jobs.ts';
import { budgetRequest, requestTitle, resolveScenario, searchRequest, sweepRequest, tornadoRequest, type PolicyRequest } from './requests.ts';
import { param, route } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { fill } from '../../core/validation.ts';
import { msg } from '../../i18n/translate.ts';

const NOT_VALID: Record<PolicyRequest['kind'], string> = {
  budget: msg('The budget comparison request is not valid.'),
  tornado: msg('The tornado request is not valid.'),
  sweep: msg('The sweep request is not valid.'),
  search: msg('The search request is not valid.'),
};

export function policyApiRouter(ctx: Context): Router {
  const r = express.Router();
  const jobs = ctx.policy;
  const limits = () => ({ maxPaths: ctx.runs.limits.maxPaths });

  const jobJson = (job: JobRecord, withResult: boolean) => {
    const live = jobs.liveState(job.id);
    return {
      id: job.id,
      kind: job.kind,
      title: job.title,
      status: live?.status ?? job.status,
      progress: live ? live.progress : job.status === 'done' ? 1 : 0,
      queuePosition: live?.queuePosition ?? null,
      engine: job.engine,
      error: job.error,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      ...sharingJson(job),
      links: { self: `/api/v1/policy/jobs/${job.id}`, events: `/api/v1/policy/jobs/${job.id}/events`, page: `/policy/jobs/${job.id}` },
      ...(withResult && job.status === 'done' ? { result: jobs.store.result(job.id)?.value ?? null } : {}),
    };
  };

  const loadJob = (id: string): JobRecord => {
    const job = ID_PATTERN.test(id) ? jobs.store.get(id) : null;
    if (!job) throw new HttpError(404, msg('There is no policy job with that id.'));
    return job;
  };

  /** Starts a valid request: small ones are answered with their result, larger ones with 202. */
  const startJob = async (res: Response, parsed: ParseResult<PolicyRequest>, kind: PolicyRequest['kind']) => {
    if (!parsed.ok) throw new HttpError(422, NOT_VALID[kind], parsed.issues);
    const request = parsed.value;
    const inline = jobs.isInline(request);
    const job = jobs.start(request, requestTitle(request));
    if (inline) {
      await jobs.wait(job.id);
      const done = jobs.store.get(job.id)!;
      res.status(done.status === 'done' ? 200 : 500).json(jobJson(done, true));
      return;
    }
    res.status(202).location(`/api/v1/policy/jobs/${job.id}`).json(jobJson(job, false));
  };

  const flag = (v: unknown) => v === 'true' || v === '1' || v === 'yes';
  const whole = (v: unknown, name: string, min: number, max: number, issues: FieldIssue[]): number | undefined => {
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      issues.push({ path: name, message: fill(msg('must be a whole number from {min} to {max}'), { min, max }) });
      return undefined;
    }
    return n;
  };

  async function startBudget(req: Request, res: Response) {
    const issues: FieldIssue[] = [];
    const paths = whole(req.query.paths, 'paths', 1, ctx.runs.limits.maxPaths, issues);
    const seed = whole(req.query.seed, 'seed', 0, 2 ** 32 - 1, issues);
    if (issues.length) throw new HttpError(422, msg('The query is not valid.'), issues);
    const run = flag(req.query.monteCarlo) || paths !== undefined || seed !== undefined;
    await startJob(res, budgetRequest(ctx.storage, req.body, { run, paths, seed }, limits()), 'budget');
  }
  r.post('/budget', route(startBudget));

  async function startTornado(req: Request, res: Response) {
    return startJob(res, tornadoRequest(ctx.storage, req.body, limits()), 'tornado');
  }
  r.post('/tornado', route(startTornado));
  async function startSweep(req: Request, res: Response) {
    return startJob(res, sweepRequest(ctx.storage, req.body, limits()), 'sweep');
  }
  r.post('/sweep', route(startSweep));
  async function startSearch(req: Request, res: Response) {
    return startJob(res, searchRequest(ctx.storage, req.body, limits()), 'search');
  }
  r.post('/search', route(startSearch));

  function listAnalysisParameters(req: Request, res: Response) {
    const resolved = resolveScenario(ctx.storage, typeof req.query.scenario === 'string' ? req.query.scenario : 'default');
    if ('issues' in resolved) throw new HttpError(404, msg('There is no such scenario.'), resolved.issues);
    res.json({ scenario: resolved.ref, parameters: listParameters(resolved.scenario) });
  }
  r.get('/parameters', route(listAnalysisParameters));

  function listJobs(_req: Request, res: Response) {
    res.json({ jobs: jobs.store.list(50).map((j) => jobJson(j, false)) });
  }
  r.get('/jobs', route(listJobs));

  function getJob(req: Request, res: Response) {
    res.json(jobJson(loadJob(param(req, 'id')), true));
  }
  r.get('/jobs/:id', route(getJob));

  function streamJobEvents(req: Request, res: Response) {
    const job = loadJob(param(req, 'id'));
    streamProgress(req, res, job.id, `/policy/jobs/${job.id}`, {
      liveState: (id) => jobs.liveState(id),
      subscribe: (id, listener) => jobs.subscribe(id, listener),
      stored: (id) => jobs.store.get(id)!,
    });
  }
  r.get('/jobs/:id/events', route(streamJobEvents));

  function cancelJob(req: Request, res: Response) {
    const job = loadJob(param(req, 'id'));
    if (JOB_FINISHED.includes(job.status) && !jobs.liveState(job.id)) throw new HttpError(409, fill(msg('The job is already over ({status}).'), { status: job.status }));
    jobs.cancel(job.id);
    res.status(202).json({ id: job.id, status: 'cancelling' });
  }
  r.delete('/jobs/:id', route(cancelJob));

  /** PATCH /jobs/:id `{ "workspace": id | null }`: who started the analysis shares it with a workspace, or makes it private. */
  function shareJob(req: Request, res: Response) {
    const job = loadJob(param(req, 'id'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!('workspace' in body) || Object.keys(body).some((k) => k !== 'workspace')) {
      throw new HttpError(422, msg('Only the workspace can be patched.'), [{ path: 'workspace', message: msg('must be the id of one of your workspaces, or null to make it private') }]);
    }
    jobs.store.share(job.id, shareTarget(ctx, whoOf(res)?.user ?? null, job, body.workspace));
    res.json(jobJson(jobs.store.get(job.id)!, false));
  }
  r.patch('/jobs/:id', route(shareJob));

  return r;
}
