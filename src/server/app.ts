/**
 * The web application: builds the express app and its services; never listens (server.ts
 * does, tests use supertest). `close()` cancels runs, closes the pool and the database.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ForbiddenError, openStorage, sqliteCode, StoredScenarioError, VersionConflictError, withViewer, type Storage } from '../storage/index.ts';
import { HttpError } from './http/errors.ts';
import { DEFAULTS, type AppConfig } from './config.ts';
import type { Context } from './context.ts';
import { Projections } from './projections.ts';
import { InlineEngine } from './runs/inline-engine.ts';
import { chooseLanguage, localizerOf } from './http/language.ts';
import { buildRouter, mountPoint, pageRouters as buildPageRouters } from './routes.ts';
import { fill } from '../core/validation.ts';
import { ISSUE_FRAMES, translateIssues, translateMessage } from '../i18n/issues.ts';
import { msg } from '../i18n/translate.ts';
import { InlinePolicyEngine, isPolicyEngine } from './policy/engine.ts';
import { PolicyJobManager, PolicyJobStore } from './policy/jobs.ts';
import { BusyError, RunManager, UnavailableError } from './runs/runs.ts';
import { Csrf, securityHeaders } from './http/security.ts';
import { checkHost, LOOPBACK_NAMES } from './http/hosts.ts';
import { authenticate, whoOf } from './accounts/auth.ts';
import { allowedMethods, defaultIssue } from './scenarios/consistency.ts';
import { loadViews, sendPage } from './http/view.ts';

export interface WebApp {
  readonly app: Express;
  readonly storage: Storage;
  readonly runs: RunManager;
  readonly policy: PolicyJobManager;
  /** Cancels runs, closes the pool and the database. Idempotent. */
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
const CHART_JS_DIR = dirname(createRequire(import.meta.url).resolve('chart.js'));
/** The model's documentation and its sources (docs/model.md, docs/sources.md), which presets and pages cite. */
const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

export function createApp(config: AppConfig): WebApp {
  const storage = openStorage(config.dataDir);
  storage.runs.failInterrupted();
  const secret = config.secret ?? storage.settings.getOrCreate('csrfSecret', () => randomBytes(32).toString('base64url'));
  const csrf = new Csrf(secret);
  const runs = new RunManager(
    { pool: config.pool ?? null, small: config.smallEngine === undefined ? new InlineEngine() : config.smallEngine },
    storage.runs,
    {
      maxConcurrent: config.maxConcurrentRuns ?? DEFAULTS.maxConcurrentRuns,
      maxQueued: config.maxQueuedRuns ?? DEFAULTS.maxQueuedRuns,
      maxPaths: config.maxPaths ?? DEFAULTS.maxPaths,
      inlinePaths: config.inlinePaths ?? DEFAULTS.inlinePaths,
    },
  );
  const policyStore = new PolicyJobStore(storage.db);
  policyStore.failInterrupted();
  const policyPool = config.policyEngine !== undefined ? config.policyEngine : isPolicyEngine(config.pool) ? config.pool : null;
  const policy = new PolicyJobManager(
    { pool: policyPool, small: new InlinePolicyEngine() },
    policyStore,
    {
      maxConcurrent: config.maxConcurrentRuns ?? DEFAULTS.maxConcurrentRuns,
      maxQueued: config.maxQueuedRuns ?? DEFAULTS.maxQueuedRuns,
      inlineWork: config.inlinePolicyWork ?? config.inlinePaths ?? DEFAULTS.inlinePaths,
    },
  );
  const views = loadViews();
  const projections = new Projections({
    engine: config.computeEngine ?? null,
    inlineWork: config.inlineComputeWork ?? DEFAULTS.inlineComputeWork,
  });
  const ctx: Context = { config, storage, runs, policy, views, csrf, projections };
  const limit = config.bodyLimit ?? DEFAULTS.bodyLimit;
  const logErrors = config.logErrors ?? true;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(checkHost(config.allowedHosts ?? LOOPBACK_NAMES));
  app.use(securityHeaders());

  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false, fallthrough: true }));
  app.get('/vendor/chart.umd.min.js', (_req, res) => {
    res.sendFile('chart.umd.min.js', { root: CHART_JS_DIR, maxAge: '1d' });
  });
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  // Served as plain text, readable in any browser and offline.
  app.use('/docs', express.static(DOCS_DIR, {
    index: false, fallthrough: true, maxAge: '1h',
    setHeaders: (res) => res.setHeader('Content-Type', 'text/plain; charset=utf-8'),
  }));

  // Who is asking: the local user on loopback, else a session or an API token (or nobody yet).
  const authMode = config.auth ?? 'local';
  app.use(authenticate(storage.users, authMode));
  app.use('/api', chooseLanguage({ cookie: false }));

  // The raw body is kept (a reference, not a copy) so a repeated simulation is answered from cache.
  const keepRawBody = (req: Request, _res: Response, buf: Buffer) => {
    (req as Request & { rawBody?: Buffer }).rawBody = buf;
  };
  // An import carries many scenarios: its own, larger limit (the general parser then skips it).
  app.use('/api/v1/scenarios/import', express.json({ limit: config.importBodyLimit ?? DEFAULTS.importBodyLimit, strict: true }));
  // Each request then runs as its user: the saved scenarios show and change only what they may.
  const asViewer = (_req: Request, res: Response, next: NextFunction) => {
    const who = whoOf(res);
    withViewer(who ? { id: who.user.id, role: who.user.role } : null, next);
  };
  app.use(mountPoint('api'), express.json({ limit, strict: true, verify: keepRawBody }), asViewer, buildRouter('api', ctx, config));
  app.use('/api', () => {
    throw new HttpError(404, 'There is no such API route: the API lives under /api/v1.');
  });

  app.use(csrf.issue());
  app.use(chooseLanguage({ cookie: true }));
  app.use(buildRouter('language', ctx, config));
  app.use((req, res, next) => {
    res.locals.path = req.path;
    res.set('Cache-Control', 'no-store');
    next();
  });
  const formLimit = config.formBodyLimit ?? DEFAULTS.formBodyLimit;
  app.use(express.urlencoded({ extended: false, limit: formLimit, parameterLimit: 5000 }));
  app.use(asViewer);
  // Check their multipart uploads' tokens themselves, then every other form's with csrf.check().
  app.use(mountPoint('calibration'), buildRouter('calibration', ctx, config));
  app.use(mountPoint('scenario upload'), buildRouter('scenario upload', ctx, config));
  // The page routers of the route table (routes.ts), in its order.
  const pageRouters = buildPageRouters(ctx, config);
  // A known page asked with a method it does not take: 405 with the methods it takes.
  app.use((req, res, next) => {
    const allow = allowedMethods(pageRouters, req.path);
    if (!allow.length || allow.includes(req.method)) {
      next();
      return;
    }
    res.set('Allow', allow.join(', '));
    const { t } = localizerOf(res);
    sendPage(res, views, 'error', {
      title: t('Method not allowed'), status: 405, heading: t('Method not allowed'),
      message: t('{path} does not take {method}; it takes {allowed}.', { path: req.path, method: req.method, allowed: allow.join(', ') }), detail: [],
    }, 405);
  });

  app.use(csrf.check());
  for (const router of pageRouters) app.use(router);

  app.use((req, res) => {
    const { t } = localizerOf(res);
    sendPage(res, views, 'error', {
      title: t('Page not found'), status: 404, heading: t('Page not found'),
      message: t('There is no page at {path}.', { path: req.path }), detail: [],
    }, 404);
  });

  // The one place errors are answered: JSON under /api, a page elsewhere; never a stack trace.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const api = req.originalUrl.startsWith('/api/');
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string; expose?: boolean };
    let status = 500;
    let message: string = msg('Something went wrong on the server. The error has been logged; please try again.');
    let issues: { path: string; message: string }[] = [];
    let detail: string[] = [];
    if (err instanceof HttpError) {
      status = err.status;
      message = err.message;
      issues = err.issues;
      detail = err.detail;
    } else if (err instanceof BusyError) {
      status = 503;
      message = err.message;
      res.set('Retry-After', String(err.retryAfterSeconds));
    } else if (err instanceof UnavailableError) {
      status = 503;
      message = err.message;
    } else if (err instanceof StoredScenarioError) {
      status = 422;
      message = fill(msg('{what} cannot be read. It may have been written by another version of the simulator or edited by hand.'), { what: err.what });
      issues = [...err.issues];
      detail = err.issues.map((i) => `${i.path}: ${i.message}`);
    } else if (err instanceof ForbiddenError) {
      status = 403;
      message = err.message;
      issues = [{ path: '(permission)', message: msg('your role or workspace does not allow this change') }];
    } else if (err instanceof VersionConflictError) {
      status = 412;
      message = fill(msg('The saved scenario has changed since it was read (it is now at version {current}); nothing was written. Read it again and reapply the change.'), { current: err.current });
      issues = [{ path: 'version', message: fill(msg('is {expected}, the current version is {current}'), { expected: err.expected, current: err.current }) }];
    } else if (sqliteCode(err) === 'SQLITE_FULL') {
      status = 507;
      message = msg('The data could not be saved: the disk holding the database is full. Nothing was changed; free some space on the server and try again.');
      issues = [{ path: '(storage)', message: msg('the disk is full') }];
      detail = [msg('Go back with your browser: it keeps what you typed.')];
    } else if (sqliteCode(err)?.startsWith('SQLITE_READONLY') || sqliteCode(err)?.startsWith('SQLITE_IOERR') || sqliteCode(err) === 'SQLITE_CANTOPEN') {
      status = 503;
      message = msg('The data could not be saved: the database cannot be written (its folder or file is read-only, or the disk failed). Nothing was changed; the administrator has been told in the server log.');
      issues = [{ path: '(storage)', message: msg('the database cannot be written') }];
      detail = [msg('Go back with your browser: it keeps what you typed.')];
    } else if (e?.type === 'entity.too.large') {
      status = 413;
      message = api
        ? fill(msg('The request is too large: at most {limit} is accepted.'), { limit })
        : fill(msg('The form is too large: at most {limit} is accepted, and nothing was saved or run. Go back with your browser: it keeps what you typed; shorten the longest field (a description takes at most 4,000 characters).'), { limit: formLimit });
    } else if (e?.type === 'entity.parse.failed') {
      status = 400;
      message = msg('The request body is not valid JSON.');
      // Valid JSON that is not an object or a list ("text", 3, true) is refused as such.
      const raw = (e as { body?: unknown }).body;
      let parsed: unknown;
      let valid = false;
      try {
        parsed = typeof raw === 'string' ? JSON.parse(raw) : undefined;
        valid = typeof raw === 'string';
      } catch {
        valid = false;
      }
      if (valid) {
        message = msg('The request body must be a JSON object.');
        issues = [{ path: '(body)', message: parsed === null ? msg('must be an object, not null') : fill(msg('must be an object, not a {type}'), { type: typeof parsed }) }];
      } else {
        issues = [{ path: '(body)', message: e.message ? fill(msg('is not valid JSON ({reason})'), { reason: e.message.slice(0, 200) }) : msg('is not valid JSON') }];
      }
    } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      status = e.status;
      message = e.expose && e.message ? e.message : msg('The request could not be understood.');
    }
    if (status >= 500 && !(err instanceof BusyError) && !(err instanceof UnavailableError) && logErrors) {
      if (sqliteCode(err)) console.error(`[${new Date().toISOString()}] ${req.method} ${req.originalUrl}: the database in ${config.dataDir} could not be written: ${(err as Error).message}`);
      else console.error(`[${new Date().toISOString()}] ${req.method} ${req.originalUrl}:`, err);
    }
    // In the language of the request (field names and paths stay as they are).
    const l = localizerOf(res);
    message = translateMessage(l, message);
    if (api) {
      // Every refusal names at least one thing to fix.
      if (!issues.length && status >= 400 && status < 600) issues = [defaultIssue(status, message)];
      res.status(status).json({ error: message, issues: translateIssues(l, issues) });
      return;
    }
    detail = err instanceof StoredScenarioError
      ? err.issues.map((i) => l.t(ISSUE_FRAMES.labelled, { label: i.path, message: translateMessage(l, i.message) }))
      : detail.map((d) => translateMessage(l, d));
    const heading = l.t(({ 400: msg('Bad request'), 403: err instanceof ForbiddenError ? msg('Not allowed') : msg('Form expired'), 404: msg('Not found'), 412: msg('Changed meanwhile'), 413: msg('Too large'), 422: msg('Cannot use that'), 503: sqliteCode(err) ? msg('Not saved') : msg('Busy'), 507: msg('Not saved: the disk is full') } as Record<number, string>)[status]
      ?? (status >= 500 ? msg('Server error') : msg('Request refused')));
    sendPage(res, views, 'error', { title: heading, status, heading, message, detail, retry: status === 503 && !sqliteCode(err) }, status);
  });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await runs.shutdown();
      await policy.shutdown();
      await config.pool?.close();
      if (config.policyEngine && config.policyEngine !== config.pool) await config.policyEngine.close();
      await config.smallEngine?.close();
      await config.computeEngine?.close();
      storage.close();
    })();
    return closing;
  };
  return { app, storage, runs, policy, close };
}
