/**
 * Every route the app answers, in one table a reader can scan: where each router is mounted,
 * and each route's method, path and purpose. app.ts builds its routers from this table (the
 * pages in its order) and test/web/routes.test.ts checks that the routes the app really answers
 * are exactly the ones listed here.
 */
import type { Router } from 'express';
import { accountRouter } from './accounts/routes.ts';
import { workspacesRouter } from './accounts/workspaces.ts';
import { apiRouter } from './api/routes.ts';
import { calibrationRouter } from './calibration/routes.ts';
import { classesRouter } from './classes/routes.ts';
import { compareRouter } from './compare/routes.ts';
import type { AppConfig } from './config.ts';
import type { Context } from './context.ts';
import { languageRouter } from './http/language.ts';
import { languagesPageRouter } from './languages/routes.ts';
import { policyRouter } from './policy/routes.ts';
import { runsRouter } from './runs/routes.ts';
import { pageRouter } from './scenarios/routes.ts';
import { scenarioUploadRouter } from './scenarios/upload.ts';
import { trainingRouter } from './training/routes.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  readonly method: Method;
  /** The path under the mount point, as the router declares it. */
  readonly path: string;
  readonly purpose: string;
}

export interface Mount {
  /** Where the router is mounted ('' for the app itself and for page routers mounted at the root). */
  readonly at: string;
  readonly name: string;
  /**
   * 'app': routes app.ts declares itself; 'api': JSON under /api/v1; 'upload': checks its own
   * multipart tokens, so it is mounted before the CSRF check; 'pages': HTML forms and pages behind
   * the CSRF check, in the order they are mounted; 'nested': mounted by another router.
   */
  readonly kind: 'app' | 'api' | 'upload' | 'language' | 'pages' | 'nested';
  readonly build?: (ctx: Context, config: AppConfig) => Router;
  readonly routes: readonly RouteEntry[];
}

const get = (path: string, purpose: string): RouteEntry => ({ method: 'GET', path, purpose });
const post = (path: string, purpose: string): RouteEntry => ({ method: 'POST', path, purpose });
const put = (path: string, purpose: string): RouteEntry => ({ method: 'PUT', path, purpose });
const patch = (path: string, purpose: string): RouteEntry => ({ method: 'PATCH', path, purpose });
const del = (path: string, purpose: string): RouteEntry => ({ method: 'DELETE', path, purpose });

export const ROUTE_TABLE: readonly Mount[] = [
  {
    at: '', name: 'app', kind: 'app', routes: [
      get('/vendor/chart.umd.min.js', 'the chart library, from its package'),
      get('/favicon.ico', 'no icon (204)'),
    ],
  },
  {
    at: '/api/v1', name: 'api', kind: 'api', build: (ctx) => apiRouter(ctx), routes: [
      post('/simulate', 'the deterministic projection of a scenario, as JSON'),
      post('/simulate/montecarlo', 'start a Monte Carlo run (or answer it at once when small)'),
      post('/simulate/capital-for-target', 'the capital a target probability of depletion needs'),
      get('/runs/:id', 'a run: status, progress and result'),
      get('/runs/:id/events', 'a run’s progress as server-sent events'),
      del('/runs/:id', 'cancel a run'),
      get('/scenarios', 'the saved scenarios, a page at a time'),
      post('/scenarios', 'save a scenario'),
      get('/scenarios/export', 'every saved scenario the user may read, streamed'),
      post('/scenarios/import', 'import saved scenarios (all or nothing)'),
      get('/scenarios/:id', 'a saved scenario, with its version'),
      put('/scenarios/:id', 'replace a saved scenario (If-Match guards the version)'),
      patch('/scenarios/:id', 'rename a saved scenario or change whom it is shared with'),
      get('/workspaces', 'the workspaces the user belongs to'),
      post('/workspaces', 'make a workspace'),
      get('/workspaces/:id', 'a workspace and its members'),
      post('/workspaces/:id/members', 'add a member'),
      del('/workspaces/:id/members/:user', 'remove a member'),
      del('/scenarios/:id', 'move a saved scenario to the trash'),
      post('/scenarios/:id/duplicate', 'copy a saved scenario'),
      get('/presets', 'the presets'),
      get('/presets/:id', 'one preset scenario'),
    ],
  },
  {
    at: '/api/v1/policy', name: 'policy api', kind: 'nested', routes: [
      post('/budget', 'compare budget options'),
      post('/tornado', 'a tornado sensitivity'),
      post('/sweep', 'a two-parameter sweep'),
      post('/search', 'search the best coverage and fee'),
      get('/parameters', 'the parameters the analyses can vary'),
      get('/jobs', 'the policy jobs'),
      get('/jobs/:id', 'a policy job: status, progress and result'),
      get('/jobs/:id/events', 'a policy job’s progress as server-sent events'),
      del('/jobs/:id', 'cancel a policy job'),
      patch('/jobs/:id', 'share a policy job with a workspace, or make it private'),
    ],
  },
  {
    at: '/api/v1/tapes', name: 'tapes api', kind: 'nested', routes: [
      get('/', 'the loan tapes the user may see, whose each is and with whom it is shared'),
      get('/:id', 'a loan tape, with its calibration report once imported'),
      patch('/:id', 'share a loan tape with a workspace, or make it private'),
    ],
  },
  {
    at: '', name: 'language', kind: 'language', build: () => languageRouter(), routes: [
      get('/language', 'choose the page language (cookie), then go back'),
    ],
  },
  {
    at: '/calibration', name: 'calibration', kind: 'upload', build: (ctx) => calibrationRouter(ctx), routes: [
      get('/', 'the loan tapes and the upload form'),
      post('/upload', 'upload a loan tape'),
      get('/tapes/:id', 'a tape: the mapping of its columns, or its report once read'),
      post('/tapes/:id/import', 'read the tape with its mapping'),
      get('/tapes/:id/report.json', 'the calibration report as JSON'),
      get('/tapes/:id/report.csv', 'the calibration report as CSV'),
      get('/tapes/:id/charts/:chart.csv', 'one chart of the report as CSV'),
      post('/tapes/:id/scenario', 'a scenario from the estimates, opened in the editor'),
      post('/tapes/:id/share', 'share a tape with a workspace, or make it private'),
      post('/tapes/:id/delete', 'delete a tape'),
    ],
  },
  {
    at: '/import', name: 'scenario upload', kind: 'upload', build: (ctx) => scenarioUploadRouter(ctx), routes: [
      get('/', 'the form to import a scenario file'),
      post('/', 'import a scenario file'),
    ],
  },
  {
    at: '', name: 'accounts', kind: 'pages', build: (ctx, config) => accountRouter(ctx, config.auth ?? 'local', config.throttle), routes: [
      get('/signin', 'the sign-in form'),
      post('/signin', 'sign in'),
      post('/signout', 'sign out'),
      get('/account', 'the user’s account: password and API tokens'),
      post('/account/tokens', 'make an API token'),
      post('/account/tokens/:id/revoke', 'revoke an API token'),
      post('/account/password', 'change the password'),
    ],
  },
  {
    at: '', name: 'scenarios', kind: 'pages', build: (ctx) => pageRouter(ctx), routes: [
      get('/', 'home: the presets and where to start'),
      get('/scenarios/new', 'the editor for a new scenario (from a preset or a saved one)'),
      get('/scenarios/:id/edit', 'the editor for a saved scenario'),
      post('/editor', 'the editor for a scenario posted as JSON'),
      post('/simulate', 'the results of the posted editor, kept as a draft'),
      get('/drafts/:id', 'the results of an unsaved scenario'),
      get('/drafts/:id/summary', 'the printable summary of an unsaved scenario'),
      get('/drafts/:id/download/:file', 'a download of an unsaved scenario’s results'),
      get('/scenarios', 'the saved scenarios and recent runs'),
      get('/scenarios/trash', 'the trash'),
      post('/scenarios', 'save a new scenario'),
      get('/scenarios/:id', 'the results of a saved scenario'),
      post('/scenarios/:id', 'save changes (a conflict page when it changed meanwhile)'),
      post('/scenarios/:id/rename', 'rename a saved scenario'),
      post('/scenarios/:id/duplicate', 'copy a saved scenario'),
      get('/scenarios/:id/delete', 'ask before moving a scenario to the trash'),
      post('/scenarios/:id/delete', 'move a saved scenario to the trash'),
      post('/scenarios/:id/restore', 'restore a scenario from the trash'),
      get('/presets/:id', 'the results of a preset'),
      get('/presets/:id/summary', 'the printable summary of a preset'),
      get('/scenarios/:id/summary', 'the printable summary of a saved scenario'),
      get('/runs/:id/summary', 'the printable summary of a Monte Carlo run'),
      get('/presets/:id/download/:file', 'a download of a preset’s results'),
      get('/scenarios/:id/download/:file', 'a download of a saved scenario’s results'),
      get('/runs/:id/download/:file', 'a download of a run’s results'),
      post('/export', 'a download of a scenario posted as JSON'),
    ],
  },
  {
    at: '', name: 'runs', kind: 'pages', build: (ctx) => runsRouter(ctx), routes: [
      post('/runs', 'start a Monte Carlo run'),
      get('/runs/:id', 'a run’s progress, then its results'),
      post('/runs/:id/cancel', 'stop a run'),
    ],
  },
  {
    at: '', name: 'compare', kind: 'pages', build: (ctx) => compareRouter(ctx), routes: [
      get('/compare', 'two to four scenarios side by side'),
      get('/compare/charts/:chart.csv', 'one chart of the comparison as CSV'),
    ],
  },
  {
    at: '', name: 'policy', kind: 'pages', build: (ctx) => policyRouter(ctx), routes: [
      get('/policy/capital', 'the capital a target probability of depletion needs'),
      get('/policy', 'the policy analyses and recent jobs'),
      get('/policy/budget', 'the budget comparison form'),
      post('/policy/budget', 'start a budget comparison'),
      get('/policy/tornado', 'the tornado form'),
      post('/policy/tornado', 'start a tornado'),
      get('/policy/sweep', 'the sweep form'),
      post('/policy/sweep', 'start a sweep'),
      get('/policy/search', 'the search form'),
      post('/policy/search', 'start a search'),
      get('/policy/jobs/:id', 'a policy job’s progress, then its results'),
      post('/policy/jobs/:id/cancel', 'stop a policy job'),
      post('/policy/jobs/:id/share', 'share a policy job with a workspace, or make it private'),
      get('/policy/jobs/:id/download/:file', 'a download of a policy job’s results'),
    ],
  },
  {
    at: '', name: 'training', kind: 'pages', build: (ctx) => trainingRouter(ctx), routes: [
      get('/training', 'the exercises'),
      get('/training/:id', 'an exercise'),
      get('/training/:id/:variant', 'the results of one variant of an exercise'),
      get('/training/:id/:variant/edit', 'one variant of an exercise in the editor'),
      get('/training/:id/:variant/summary', 'the printable summary of a variant'),
      get('/glossary', 'the glossary'),
    ],
  },
  {
    at: '', name: 'classes', kind: 'pages', build: (ctx, config) => classesRouter(ctx, undefined, config.classSignupsPerHour), routes: [
      get('/classes', 'the trainer’s classes'),
      post('/classes', 'make a class'),
      post('/classes/join', 'join a class with its code (signed in)'),
      get('/join', 'the form to join a class as a new trainee'),
      post('/join', 'join a class as a new trainee'),
      get('/classes/:id', 'a class: its assignments and trainees'),
      post('/classes/:id/assignments', 'set an assignment'),
      post('/classes/:id/assignments/:aid/delete', 'delete an assignment'),
      post('/classes/:id/code', 'a new join code'),
      get('/classes/:id/assignments/:aid', 'an assignment: the form to submit, or the submissions'),
      post('/classes/:id/assignments/:aid', 'submit a scenario for an assignment'),
      get('/classes/:id/table.csv', 'the class’s submissions as CSV'),
    ],
  },
  {
    at: '', name: 'workspaces', kind: 'pages', build: (ctx) => workspacesRouter(ctx), routes: [
      get('/workspaces', 'the user’s workspaces'),
      post('/workspaces', 'make a workspace'),
      get('/workspaces/:id', 'a workspace: members and shared scenarios'),
      post('/workspaces/:id/members', 'add a member'),
      post('/workspaces/:id/members/:user/remove', 'remove a member'),
      post('/workspaces/:id/share', 'share a saved scenario with the workspace'),
      post('/workspaces/:id/unshare', 'stop sharing a saved scenario'),
      post('/workspaces/:id/invite', 'invite someone to the workspace'),
      get('/invite/:token', 'the form to accept an invitation'),
      post('/invite/:token', 'accept an invitation and make an account'),
      get('/admin/users', 'the users (administrators)'),
      post('/admin/users/:user/password', 'set a user’s password'),
      post('/admin/users/:user/role', 'change a user’s role'),
      post('/admin/users/:user/disable', 'disable or enable a user'),
      post('/admin/invitations', 'invite a user'),
    ],
  },
  {
    at: '', name: 'languages', kind: 'pages', build: (ctx) => languagesPageRouter(ctx), routes: [
      get('/languages', 'the languages and how complete each translation is'),
    ],
  },
];

/** Where the table mounts a router. */
export function mountPoint(name: string): string {
  const mount = ROUTE_TABLE.find((m) => m.name === name);
  if (!mount) throw new Error(`no router named ${name} in the route table`);
  return mount.at;
}

/** The router a mount of the table builds; it must have a builder. */
export function buildRouter(name: string, ctx: Context, config: AppConfig): Router {
  const mount = ROUTE_TABLE.find((m) => m.name === name);
  if (!mount?.build) throw new Error(`no router named ${name} in the route table`);
  return mount.build(ctx, config);
}

/** The page routers, in the order they are mounted (the 405 check consults them too). */
export function pageRouters(ctx: Context, config: AppConfig): Router[] {
  return ROUTE_TABLE.filter((m) => m.kind === 'pages').map((m) => m.build!(ctx, config));
}
