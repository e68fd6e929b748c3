/** The Monte Carlo run pages: start a run, follow it while it waits and runs, stop it. */
import express, { type Request, type Response, type Router } from 'express';
import type { Scenario } from '../../core/schema.ts';
import { fill } from '../../core/validation.ts';
import { formatter } from '../../i18n/format.ts';
import { msg, type Localizer } from '../../i18n/index.ts';
import { FINISHED, ID_PATTERN, type RunRecord } from '../../storage/index.ts';
import type { Context } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { localizerOf } from '../http/language.ts';
import { param, route } from '../http/route.ts';
import { sendPage } from '../http/view.ts';
import { shownName } from '../scenarios/presets.ts';
import { bodyField, readEditor, renderResultsPage, scenarioFromJsonField } from '../scenarios/routes.ts';
import { sources } from '../scenarios/sources.ts';

/** What a run still waiting or running shows: its scenario, paths, seed and progress. */
export function runPageModel(run: RunRecord, live: { readonly progress?: number; readonly queuePosition?: number | null } | null | undefined, l: Localizer): Record<string, unknown> {
  const progress = Math.round((live?.progress ?? 0) * 100);
  return {
    title: l.t('Monte Carlo run: {name}', { name: shownName(run.scenarioName, l.t) }), nav: 'runs', run: { ...run, scenarioName: shownName(run.scenarioName, l.t) }, progress,
    queuePosition: live?.queuePosition ?? null, pathsText: formatter('USD', l.locale).count(run.paths), seedText: String(run.seed),
    refresh: true,
  };
}

/** Why a finished run shows only the expected case, or null when it is done. */
export function runNotice(run: RunRecord, l: Localizer): string | null {
  const { t } = l;
  if (run.status === 'done') return null;
  return run.status === 'cancelled'
    ? t('This run was cancelled. The expected-case results are below; start a new run to see the spread of outcomes.')
    : t('This run failed: {error}. The expected-case results are below; start a new run to see the spread of outcomes.', { error: run.error ?? t('unknown error') });
}

export function runsRouter(ctx: Context): Router {
  const r = express.Router();
  const { loadRun, source } = sources(ctx);

  /** POST /runs: a run of the posted editor, or of the scenario a results page sends as JSON. */
  function startRun(req: Request, res: Response): void {
    let scenario: Scenario | null;
    let paths: number;
    let seed: number;
    if (bodyField(req, 'scenarioJson')) {
      // From a results page: the scenario travels as JSON, paths and seed as fields.
      scenario = scenarioFromJsonField(req);
      paths = Number(bodyField(req, 'paths').replace(/[, _]/g, '') || scenario.monteCarlo.paths);
      seed = Number(bodyField(req, 'seed') || scenario.monteCarlo.seed);
      const problems: string[] = [];
      if (!Number.isInteger(paths) || paths < 1) problems.push(msg('Paths must be a whole number of at least 1.'));
      if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) problems.push(msg('The seed must be a whole number from 0 to 4,294,967,295.'));
      if (problems.length) throw new HttpError(422, msg('The Monte Carlo settings are not valid.'), problems);
    } else {
      scenario = readEditor(ctx, req, res);
      if (!scenario) return;
      paths = scenario.monteCarlo.paths;
      seed = scenario.monteCarlo.seed;
    }
    const max = ctx.runs.limits.maxPaths;
    if (paths > max) throw new HttpError(422, fill(msg('This server runs at most {max} paths.'), { max: formatter('USD').count(max) }), [fill(msg('Choose {max} paths or fewer.'), { max: formatter('USD').count(max) })]);
    const scenarioId = bodyField(req, '_scenarioId');
    const run = ctx.runs.start(scenario, { paths, seed }, ID_PATTERN.test(scenarioId) ? scenarioId : null);
    res.redirect(303, `/runs/${run.id}`);
  }

  /** GET /runs/:id: the progress while it waits or runs (the page refreshes itself), then the results. */
  async function showRun(req: Request, res: Response): Promise<void> {
    const s = source('run', param(req, 'id'));
    const run = s.run!;
    const l = localizerOf(res);
    if (!FINISHED.includes(run.status)) {
      sendPage(res, ctx.views, 'runs/run', runPageModel(run, ctx.runs.liveState(run.id), l));
      return;
    }
    await renderResultsPage(ctx, res, s, { notice: runNotice(run, l), flash: null });
  }

  /** POST /runs/:id/cancel: stops a run; its page then says so. */
  function cancelRun(req: Request, res: Response): void {
    const run = loadRun(param(req, 'id'));
    ctx.runs.cancel(run.id);
    res.redirect(303, `/runs/${run.id}`);
  }

  r.post('/runs', route(startRun));
  r.get('/runs/:id', route(showRun));
  r.post('/runs/:id/cancel', route(cancelRun));
  return r;
}
