/**
 * The JSON API under /api/v1. Errors are `{ error, issues: [{ path, message }] }` with a 4xx
 * code. Every request with a body must be `application/json`: a cross-site HTML form cannot
 * send that, and a cross-site script cannot without a CORS preflight this API never grants,
 * so the API needs no CSRF token.
 */
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseScenario, type FieldIssue } from '../../core/schema.ts';
import { FINISHED, ID_PATTERN, PER_PAGE_MAX, VersionConflictError, type RunRecord } from '../../storage/index.ts';
import { parseImport, streamExport } from '../scenarios/exchange.ts';
import { allowedMethods, nameProblem } from '../scenarios/consistency.ts';
import type { Context } from '../context.ts';
import { Lru } from '../projections.ts';
import { streamProgress } from '../http/progress-events.ts';
import { policyApiRouter } from '../policy/api.ts';
import { tapesApiRouter } from '../calibration/api.ts';
import { computeCapital, parseCapitalRequest } from '../policy/capital.ts';
import { presetCards, presetScenario } from '../scenarios/presets.ts';
import { param, route } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import { fill } from '../../core/validation.ts';
import { msg } from '../../i18n/translate.ts';
import { whoOf } from '../accounts/auth.ts';
import { mayCreateClass } from '../accounts/workspaces.ts';


/** A request that carries no body at all (no Content-Length above 0, no chunked body). */
const noBody = (req: Request) => (req.headers['content-length'] === undefined || req.headers['content-length'] === '0') && req.headers['transfer-encoding'] === undefined;

/** Whether the request may come from a page of another site (a browser says so in its headers). */
function crossSite(req: Request): boolean {
  const site = req.get('Sec-Fetch-Site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.get('Origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.get('Host');
  } catch {
    return true;
  }
}

function requireJson(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  // A request without any body (curl -X POST …/duplicate) needs no Content-Type, unless a
  // browser says it comes from another site: JSON is what keeps cross-site forms out.
  if (hasBody && noBody(req) && !crossSite(req)) {
    next();
    return;
  }
  if (hasBody && !req.is('application/json')) {
    const sent = req.get('Content-Type');
    next(new HttpError(415, msg('Send the request body as JSON with Content-Type: application/json.'), [
      { path: 'Content-Type', message: sent ? fill(msg('is “{sent}”; it must be application/json'), { sent: sent.slice(0, 100) }) : msg('is missing; it must be application/json') },
    ]));
    return;
  }
  next();
}

/** Valid JSON that is not an object (a list, a string, a number, null) is refused as such. */
function requireObject(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  if (hasBody && body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)) && !(req.path === '/scenarios/import' && Array.isArray(body))) {
    next(new HttpError(400, msg('The request body must be a JSON object.'), [{ path: '(body)', message: Array.isArray(body) ? msg('must be an object, not a list') : body === null ? msg('must be an object, not null') : fill(msg('must be an object, not a {type}'), { type: typeof body }) }]));
    return;
  }
  next();
}

/** The ETag of a saved scenario's version. */
export const etagOf = (version: number) => `"v${version}"`;

/** Whether an If-Match header accepts the version: `*`, or one of its tags (weak or strong) names it. */
export function ifMatchAccepts(header: string, version: number): boolean {
  const tags = header.split(',').map((t) => t.trim()).filter(Boolean);
  return tags.some((t) => t === '*' || t.replace(/^W\//, '') === etagOf(version));
}

function validScenario(body: unknown) {
  const parsed = parseScenario(body);
  if (!parsed.ok) throw new HttpError(422, msg('The scenario is not valid.'), parsed.issues);
  const bad = nameProblem(parsed.value.name);
  if (bad) throw new HttpError(422, msg('The scenario is not valid.'), [{ path: 'name', message: bad }]);
  return parsed.value;
}


export function apiRouter(ctx: Context): Router {
  const r = express.Router();
  const { scenarios, runs: runStore } = ctx.storage;
  r.use(requireJson, requireObject);

  const runJson = (run: RunRecord, withResult: boolean) => {
    const live = ctx.runs.liveState(run.id);
    return {
      id: run.id,
      status: live?.status ?? run.status,
      progress: live ? live.progress : run.status === 'done' ? 1 : 0,
      queuePosition: live?.queuePosition ?? null,
      scenarioName: run.scenarioName,
      scenarioId: run.scenarioId,
      paths: run.paths,
      seed: run.seed,
      error: run.error,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
      links: { self: `/api/v1/runs/${run.id}`, events: `/api/v1/runs/${run.id}/events`, page: `/runs/${run.id}` },
      ...(withResult && run.status === 'done' ? { result: runStore.result(run.id) } : {}),
    };
  };

  const loadRun = (id: string): RunRecord => {
    const run = ID_PATTERN.test(id) ? runStore.get(id) : null;
    if (!run) throw new HttpError(404, msg('There is no run with that id.'));
    return run;
  };

  // ----- Simulation ---------------------------------------------------------------------
  // A projection is a pure function of the request body: identical bodies (a preset run by
  // many users, say) are answered with the serialised response kept from the first time, and
  // identical requests that arrive together share one computation.
  const simulations = new Lru<Promise<string>>(64);
  // The document is built on the compute worker when its estimated work is above the in-thread
  // limit (Projections.simulationJson): the event loop stays free meanwhile.
  async function simulateScenario(req: Request, res: Response) {
    const withBreakEven = req.query.breakEvenFee === 'true' || req.query.breakEvenFee === '1';
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    const key = raw ? `${withBreakEven ? 'b' : 'p'}:${createHash('sha256').update(raw).digest('base64url')}` : null;
    let body = key ? simulations.get(key) : undefined;
    if (body === undefined) {
      body = ctx.projections.simulationJson(validScenario(req.body), withBreakEven);
      if (key) {
        simulations.set(key, body);
        // A failure is not kept: the next identical request tries again.
        body.catch(() => simulations.delete(key));
      }
    }
    res.type('application/json').send(await body);
  }
  r.post('/simulate', route(simulateScenario));

  async function startMonteCarlo(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body) || !('scenario' in body)) {
      throw new HttpError(422, msg('The body must be an object with a scenario, and optionally paths and seed.'), [{ path: 'scenario', message: msg('is required') }]);
    }
    const parsed = parseScenario(body.scenario);
    const issues: FieldIssue[] = parsed.ok ? [] : parsed.issues.map((i) => ({ path: `scenario.${i.path}`, message: i.message }));
    const scenario = parsed.ok ? parsed.value : null;
    const paths = body.paths ?? scenario?.monteCarlo.paths;
    const seed = body.seed ?? scenario?.monteCarlo.seed;
    const max = ctx.runs.limits.maxPaths;
    if (body.paths !== undefined && (typeof paths !== 'number' || !Number.isInteger(paths) || paths < 1)) issues.push({ path: 'paths', message: msg('must be a whole number of at least 1') });
    else if (typeof paths === 'number' && paths > max) issues.push({ path: 'paths', message: fill(msg('must be at most {max} on this server'), { max }) });
    if (body.seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)) issues.push({ path: 'seed', message: msg('must be a whole number from 0 to 4294967295') });
    if (issues.length || !scenario) throw new HttpError(422, msg('The Monte Carlo request is not valid.'), issues);
    const run = ctx.runs.start(scenario, { paths: paths as number, seed: seed as number });
    if (ctx.runs.placementOf(scenario, paths as number) === 'inline') {
      await ctx.runs.wait(run.id);
      const done = runStore.get(run.id)!;
      res.status(done.status === 'done' ? 200 : 500).json(runJson(done, true));
      return;
    }
    res.status(202).location(`/api/v1/runs/${run.id}`).json(runJson(run, false));
  }
  r.post('/simulate/montecarlo', route(startMonteCarlo));

  // The initial capital for a target probability of depletion, with its sampling error.
  function capitalForTarget(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body) || !('scenario' in body)) {
      throw new HttpError(422, msg('The body must be an object with a scenario and a target, and optionally paths, seed and confidence.'), [{ path: 'scenario', message: msg('is required') }]);
    }
    const parsed = parseScenario(body.scenario);
    const { scenario: _s, ...rest } = body;
    const spec = parseCapitalRequest(rest);
    const issues: FieldIssue[] = [
      ...(parsed.ok ? [] : parsed.issues.map((i) => ({ path: `scenario.${i.path}`, message: i.message }))),
      ...(spec.ok ? [] : spec.issues),
    ];
    if (issues.length || !parsed.ok || !spec.ok) throw new HttpError(422, msg('The request is not valid.'), issues);
    const result = computeCapital(parsed.value, spec.value);
    res.json({ ...result, scenario: { name: parsed.value.name, currency: parsed.value.currency, horizonYears: parsed.value.horizonYears } });
  }
  r.post('/simulate/capital-for-target', route(capitalForTarget));

  // ----- Runs ----------------------------------------------------------------------------
  function getRun(req: Request, res: Response) {
    res.json(runJson(loadRun(param(req, 'id')), true));
  }
  r.get('/runs/:id', route(getRun));

  function streamRunEvents(req: Request, res: Response) {
    const run = loadRun(param(req, 'id'));
    streamProgress(req, res, run.id, `/runs/${run.id}`, {
      liveState: (id) => ctx.runs.liveState(id),
      subscribe: (id, listener) => ctx.runs.subscribe(id, listener),
      stored: (id) => runStore.get(id)!,
    });
  }
  r.get('/runs/:id/events', route(streamRunEvents));

  function cancelRun(req: Request, res: Response) {
    const run = loadRun(param(req, 'id'));
    if (FINISHED.includes(run.status) && !ctx.runs.liveState(run.id)) {
      throw new HttpError(409, fill(msg('The run is already over ({status}).'), { status: run.status }));
    }
    ctx.runs.cancel(run.id);
    res.status(202).json({ id: run.id, status: 'cancelling' });
  }
  r.delete('/runs/:id', route(cancelRun));

  // ----- Saved scenarios --------------------------------------------------------------------
  // Every saved scenario has a version; its ETag is "v<version>". PUT, PATCH and DELETE honour
  // If-Match: when the scenario has changed since the tag was read, nothing is written (412).
  const savedJson = (s: { id: string; name: string; version: number; scenario: unknown; createdAt: string; updatedAt: string }) => ({
    id: s.id, name: s.name, version: s.version, createdAt: s.createdAt, updatedAt: s.updatedAt, links: { self: `/api/v1/scenarios/${s.id}`, page: `/scenarios/${s.id}` }, scenario: s.scenario,
  });
  const sendSaved = (res: Response, s: Parameters<typeof savedJson>[0], status = 200) => {
    res.status(status).set('ETag', etagOf(s.version)).json(savedJson(s));
  };
  const loadSaved = (id: string) => {
    const saved = ID_PATTERN.test(id) ? scenarios.get(id) : null;
    if (!saved) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    return saved;
  };
  /** The version If-Match asks for (the current one when it matches), or undefined without If-Match; 412 otherwise. */
  const expectedVersion = (req: Request, id: string): number | undefined => {
    const header = req.get('If-Match');
    if (header === undefined) return undefined;
    const current = ID_PATTERN.test(id) ? scenarios.versionOf(id) : null;
    if (current === null) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    if (ifMatchAccepts(header, current)) return current;
    throw stale(header.trim(), current);
  };
  const stale = (given: string, current: number) => new HttpError(412,
    fill(msg('The saved scenario has changed since you read it: it is now at version {version}. Read it again (GET), reapply your change and send it with If-Match: {etag}.'), { version: current, etag: etagOf(current) }),
    [{ path: 'If-Match', message: fill(msg('is {given}, but the scenario’s current ETag is {etag}'), { given: given || '(empty)', etag: etagOf(current) }) }]);
  const conflict = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof VersionConflictError) throw stale(etagOf(e.expected), e.current);
      throw e;
    }
  };

  function listScenarios(req: Request, res: Response) {
    const issues: FieldIssue[] = [];
    const whole = (name: string, fallback: number, max: number) => {
      const raw = req.query[name];
      if (raw === undefined) return fallback;
      const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
      if (!(n >= 1 && n <= max)) issues.push({ path: name, message: fill(msg('must be a whole number from 1 to {max}'), { max: max.toLocaleString('en') }) });
      return n;
    };
    const pageNo = whole('page', 1, 1e9);
    const perPage = whole('perPage', 50, PER_PAGE_MAX);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 120) : '';
    if (issues.length) throw new HttpError(400, msg('The list parameters are not valid.'), issues);
    const p = scenarios.page({ page: pageNo, perPage, search: q });
    const link = (n: number) => `/api/v1/scenarios?page=${n}&perPage=${p.perPage}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    res.json({
      scenarios: p.items.map((s) => ({ ...s, links: { self: `/api/v1/scenarios/${s.id}`, page: `/scenarios/${s.id}` } })),
      page: p.page, perPage: p.perPage, total: p.total, pages: p.pages,
      links: { first: link(1), prev: p.page > 1 ? link(p.page - 1) : null, next: p.page < p.pages ? link(p.page + 1) : null, last: link(p.pages) },
    });
  }
  r.get('/scenarios', route(listScenarios));

  function createScenario(req: Request, res: Response) {
    const saved = scenarios.create(validScenario(req.body));
    res.location(`/api/v1/scenarios/${saved.id}`);
    sendSaved(res, saved, 201);
  }
  r.post('/scenarios', route(createScenario));

  // Every saved scenario as one JSON document, and such a document imported (all or nothing).
  async function exportScenarios(_req: Request, res: Response) {
    res.status(200).type('application/json').set('Content-Disposition', 'attachment; filename="scenarios.json"');
    await streamExport(scenarios, res);
    res.end();
  }
  r.get('/scenarios/export', route(exportScenarios));

  function importScenarios(req: Request, res: Response) {
    const parsed = parseImport(req.body);
    if (!parsed.ok) throw new HttpError(422, msg('Nothing was imported: the file has problems.'), parsed.issues);
    const created = ctx.storage.db.transaction(() => parsed.scenarios.map((s) => scenarios.create(s)))();
    res.status(201).json({
      imported: created.length,
      scenarios: created.map((s) => ({ id: s.id, name: s.name, version: s.version, links: { self: `/api/v1/scenarios/${s.id}`, page: `/scenarios/${s.id}` } })),
    });
  }
  r.post('/scenarios/import', route(importScenarios));

  function getScenario(req: Request, res: Response) {
    sendSaved(res, loadSaved(param(req, 'id')));
  }
  r.get('/scenarios/:id', route(getScenario));

  function replaceScenario(req: Request, res: Response) {
    const id = param(req, 'id');
    if (!ID_PATTERN.test(id) || scenarios.nameOf(id) === null) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    const scenario = validScenario(req.body);
    const ifVersion = expectedVersion(req, id);
    sendSaved(res, conflict(() => scenarios.update(id, scenario, ifVersion))!);
  }
  r.put('/scenarios/:id', route(replaceScenario));

  // The name, and with whom the scenario is shared (`workspace`: an id, or null for private).
  function patchScenario(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { name, workspace } = body;
    if (name === undefined && workspace === undefined) {
      throw new HttpError(422, msg('Only the name and the workspace can be patched.'), [{ path: 'name', message: msg('must be text of 1 to 120 characters') }]);
    }
    if (name !== undefined && (typeof name !== 'string' || !name.trim() || name.trim().length > 120)) {
      throw new HttpError(422, msg('Only the name and the workspace can be patched.'), [{ path: 'name', message: msg('must be text of 1 to 120 characters') }]);
    }
    const bad = nameProblem(name);
    if (bad) throw new HttpError(422, msg('The name cannot be used.'), [{ path: 'name', message: bad }]);
    const id = param(req, 'id');
    loadSaved(id);
    if (workspace !== undefined) {
      const who = whoOf(res);
      const ws = typeof workspace === 'string' && ID_PATTERN.test(workspace) ? ctx.storage.workspaces.get(workspace) : null;
      if (workspace !== null && !ws) throw new HttpError(422, msg('There is no such workspace.'), [{ path: 'workspace', message: msg('must be the id of one of your workspaces, or null to make the scenario private') }]);
      if (ws && who && who.user.role !== 'administrator' && !ctx.storage.workspaces.isMember(ws.id, who.user.id)) {
        throw new HttpError(403, msg('You can share only with a workspace you belong to.'), [{ path: 'workspace', message: msg('is not one of your workspaces') }]);
      }
    }
    const ifVersion = expectedVersion(req, id);
    const saved = typeof name === 'string' ? conflict(() => scenarios.rename(id, name, ifVersion))! : loadSaved(id);
    if (workspace !== undefined) scenarios.share(id, (workspace as string | null));
    sendSaved(res, saved);
  }
  r.patch('/scenarios/:id', route(patchScenario));

  // ----- Workspaces (a team or a class) --------------------------------------------------------
  const wsJson = (w: { id: string; name: string; kind: string; createdAt: string }) => ({ ...w, links: { self: `/api/v1/workspaces/${w.id}` } });
  const me = (res: Response) => whoOf(res)?.user ?? null;
  const loadWorkspace = (res: Response, id: string) => {
    const ws = ID_PATTERN.test(id) ? ctx.storage.workspaces.get(id) : null;
    const user = me(res);
    if (!ws || (user && user.role !== 'administrator' && !ctx.storage.workspaces.isMember(ws.id, user.id))) throw new HttpError(404, msg('There is no workspace of yours with that id.'));
    return ws;
  };
  const mayManage = (res: Response, ws: { createdBy: string | null }) => {
    const user = me(res);
    if (user && user.role !== 'administrator' && ws.createdBy !== user.id) throw new HttpError(403, msg('Only the workspace’s creator or an administrator manages its members.'), [{ path: '(permission)', message: msg('you did not create this workspace') }]);
  };

  function listWorkspaces(_req: Request, res: Response) {
    const user = me(res);
    res.json({ workspaces: ctx.storage.workspaces.of(!user || user.role === 'administrator' ? null : user.id).map(wsJson) });
  }
  r.get('/workspaces', route(listWorkspaces));

  function createWorkspace(req: Request, res: Response) {
    const user = me(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const issues: FieldIssue[] = [];
    if (typeof body.name !== 'string' || !body.name.trim() || body.name.trim().length > 120 || nameProblem(body.name)) issues.push({ path: 'name', message: msg('must be text of 1 to 120 characters with a visible character') });
    if (body.kind !== undefined && body.kind !== 'team' && body.kind !== 'class') issues.push({ path: 'kind', message: msg('must be "team" or "class"') });
    if (issues.length) throw new HttpError(422, msg('The workspace is not valid.'), issues);
    if (user?.role === 'trainee') throw new HttpError(403, msg('Trainees join workspaces; they do not create them.'), [{ path: '(permission)', message: msg('a trainee cannot create a workspace') }]);
    const kind = (body.kind as 'team' | 'class' | undefined) ?? 'team';
    if (kind === 'class' && user && !mayCreateClass(user)) throw new HttpError(403, msg('Only trainers and administrators create classes.'), [{ path: '(permission)', message: msg('only a trainer or an administrator can create a class') }]);
    const ws = ctx.storage.workspaces.create(body.name as string, kind, user?.id ?? null);
    if (kind === 'class') ctx.storage.classes.newJoinCode(ws.id);
    res.status(201).location(`/api/v1/workspaces/${ws.id}`).json(wsJson(ws));
  }
  r.post('/workspaces', route(createWorkspace));

  function getWorkspace(req: Request, res: Response) {
    const ws = loadWorkspace(res, param(req, 'id'));
    res.json({ ...wsJson(ws), members: ctx.storage.workspaces.members(ws.id).map(({ name, role }) => ({ name, role })) });
  }
  r.get('/workspaces/:id', route(getWorkspace));

  function addWorkspaceMember(req: Request, res: Response) {
    const ws = loadWorkspace(res, param(req, 'id'));
    mayManage(res, ws);
    const name = (req.body as Record<string, unknown> | undefined)?.user;
    const user = typeof name === 'string' ? ctx.storage.users.byName(name) : null;
    if (!user) throw new HttpError(422, msg('There is no such user.'), [{ path: 'user', message: msg('must be the name of an account') }]);
    ctx.storage.workspaces.addMember(ws.id, user.id, me(res)?.id ?? null);
    res.status(201).json({ ...wsJson(ws), members: ctx.storage.workspaces.members(ws.id).map(({ name: n, role }) => ({ name: n, role })) });
  }
  r.post('/workspaces/:id/members', route(addWorkspaceMember));

  function removeWorkspaceMember(req: Request, res: Response) {
    const ws = loadWorkspace(res, param(req, 'id'));
    mayManage(res, ws);
    const user = ctx.storage.users.byName(param(req, 'user'));
    if (!user || !ctx.storage.workspaces.removeMember(ws.id, user.id, me(res)?.id ?? null)) throw new HttpError(404, msg('That user is not a member of this workspace.'));
    res.status(204).end();
  }
  r.delete('/workspaces/:id/members/:user', route(removeWorkspaceMember));

  function deleteScenario(req: Request, res: Response) {
    const id = param(req, 'id');
    const ifVersion = expectedVersion(req, id);
    if (!ID_PATTERN.test(id) || !conflict(() => scenarios.delete(id, new Date(), ifVersion))) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    res.status(204).end();
  }
  r.delete('/scenarios/:id', route(deleteScenario));

  function duplicateScenario(req: Request, res: Response) {
    const id = param(req, 'id');
    const copy = ID_PATTERN.test(id) ? scenarios.duplicate(id) : null;
    if (!copy) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    res.location(`/api/v1/scenarios/${copy.id}`);
    sendSaved(res, copy, 201);
  }
  r.post('/scenarios/:id/duplicate', route(duplicateScenario));

  // ----- Presets -----------------------------------------------------------------------------
  function listPresets(_req: Request, res: Response) {
    res.json({ presets: presetCards().map(({ id, name, description, sources }) => ({ id, name, description, sources, links: { self: `/api/v1/presets/${id}`, page: `/presets/${id}` } })) });
  }
  r.get('/presets', route(listPresets));

  function getPreset(req: Request, res: Response) {
    const id = param(req, 'id');
    const card = presetCards().find((p) => p.id === id);
    const meta = card ? { id: card.id, name: card.name, description: card.description, sources: card.sources } : undefined;
    const scenario = meta ? presetScenario(id) : null;
    if (!meta || !scenario) throw new HttpError(404, msg('There is no preset with that id.'));
    res.json({ ...meta, scenario });
  }
  r.get('/presets/:id', route(getPreset));

  // ----- Policy analyses (budget comparison, tornado, sweep, search) -------------------------
  r.use('/policy', policyApiRouter(ctx));
  r.use('/tapes', tapesApiRouter(ctx));

  r.use((req, res, next) => {
    const allow = allowedMethods([r], req.path);
    if (allow.length && !allow.includes(req.method)) {
      res.set('Allow', allow.join(', '));
      next(new HttpError(405, fill(msg('{method} is not allowed at {path}; it takes {allowed}.'), { method: req.method, path: `${req.baseUrl}${req.path}`, allowed: allow.join(', ') }), [{ path: '(method)', message: fill(msg('must be one of {options}'), { options: allow.join(', ') }) }]));
      return;
    }
    next();
  });

  r.use(() => {
    throw new HttpError(404, msg('There is no such API route. See /api/v1/presets, /api/v1/scenarios, /api/v1/simulate, /api/v1/simulate/montecarlo, /api/v1/simulate/capital-for-target, /api/v1/runs/:id and /api/v1/policy/(budget|tornado|sweep|search).'));
  });
  return r;
}
