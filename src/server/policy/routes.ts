/**
 * The policy pages: /policy (an index), /policy/budget (the same budget, four ways),
 * /policy/tornado, /policy/sweep, /policy/search, and /policy/jobs/:id (progress while a job
 * runs, its results when done, downloads). Forms work without JavaScript and post with a CSRF
 * token; a valid form starts a job and redirects to its page (small jobs are finished first).
 * GET on a form page takes the same field names as query parameters, to open it pre-filled.
 */
import express, { type Request, type Response, type Router } from 'express';
import { comparisonSummaryTable, comparisonYearsTable, INDICATOR_LABELS, resolveTarget, searchTable, sweepTable, tornadoTable, type BudgetComparisonResult } from '../../core/policy/index.ts';
import { STAGES, type Stage } from '../../core/stages.ts';
import { toCsv as coreCsv } from '../../core/report.ts';
import type { FieldIssue, Scenario } from '../../core/schema.ts';
import { ID_PATTERN, StoredScenarioError } from '../../storage/index.ts';
import type { Context } from '../context.ts';
import { formatter } from '../../i18n/format.ts';
import { english, msg, type Localizer, type Translate } from '../../i18n/index.ts';
import { localizerOf } from '../http/language.ts';
import { translateMessage } from '../../i18n/issues.ts';
import { checkboxView, type FieldSpec, type FormErrors, type FormValues } from '../forms/kit.ts';
import { sendDownload } from '../http/download.ts';
import { HttpError } from '../http/errors.ts';
import {
  BUDGET_DEFAULTS, BUDGET_NAMES, budgetErrors, budgetFormModel, budgetFormToInput, budgetToForm, EXPLICIT_TARGET_NAMES, fieldView, ignoredTargetErrors, parameterOptions, stageInForce,
  SCHEMAS, SEARCH_DEFAULTS, SEARCH_FIELDS, SEARCH_NAMES, searchErrors, searchFormToInput, searchToForm, SWEEP_DEFAULTS, SWEEP_FIELDS, SWEEP_NAMES,
  sweepErrors, sweepFormToInput, sweepToForm, TORNADO_DEFAULTS, TORNADO_FIELDS, TORNADO_NAMES, TORNADO_ROWS, tornadoErrors, tornadoFormToInput, valuesForLocale, valuesFromLocale,
  tornadoToForm, valuesFrom,
} from './forms.ts';
import { JOB_FINISHED, type JobRecord, type PolicyResult } from './jobs.ts';
import { whoOf } from '../accounts/auth.ts';
import { sharedFlash, shareForm, shareTarget, sharingColumns } from '../accounts/sharing.ts';
import { budgetRequest, requestTitle, resolveScenario, searchRequest, sweepRequest, tornadoRequest, type PolicyRequest } from './requests.ts';
import { budgetModel, searchModel, sweepModel, tornadoModel, type PolicyChart } from './views.ts';
import { presetCards, presetScenario } from '../scenarios/presets.ts';
import { chartCsv, chartJson } from '../scenarios/results.ts';
import { capitalView, computeCapital, MAX_CAPITAL_PATHS, parseCapitalRequest, type CapitalView } from './capital.ts';
import { sendPage } from '../http/view.ts';
import { param, route } from '../http/route.ts';

type Body = Record<string, unknown>;

const KIND_LABELS: Record<PolicyRequest['kind'], string> = { budget: msg('Budget comparison'), tornado: msg('Tornado'), sweep: msg('Sweep'), search: msg('Search') };
const STATUS_LABELS: Record<string, string> = { queued: msg('queued'), running: msg('running'), done: msg('done'), failed: msg('failed'), cancelled: msg('cancelled') };
/** Downloads (CSV headers, chart tables) are written in English whatever the page's language. */
const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: english };

export function policyRouter(ctx: Context): Router {
  const r = express.Router();
  const jobs = ctx.policy;
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, { nav: 'policy', ...data }, status);
  const limits = () => ({ maxPaths: ctx.runs.limits.maxPaths });

  const scenarioOptions = (l: Localizer): [string, string][] => {
    const { t } = l;
    let saved: [string, string][] = [];
    try {
      saved = ctx.storage.scenarios.choices().map((s) => [`saved:${s.id}`, t('Saved: {name}', { name: s.name })]);
    } catch {
      saved = [];
    }
    return [...presetCards().map((p): [string, string] => [`preset:${p.id}`, t('Preset: {name}', { name: t(p.name) })]), ...saved];
  };

  /** The scenario a form names, or null (its select then shows the error). */
  const formScenario = (values: FormValues): Scenario | null => {
    const resolved = resolveScenario(ctx.storage, values['scenario'] ?? '');
    return 'issues' in resolved ? null : resolved.scenario;
  };

  const loadJob = (id: string, { t }: Localizer): JobRecord => {
    const job = ID_PATTERN.test(id) ? jobs.store.get(id) : null;
    if (!job) throw new HttpError(404, t('There is no analysis with that id. It may have been made on another server.'));
    return job;
  };

  /** A job's title in the page's language (a comparison keeps its own name). */
  const titleOf = (job: JobRecord, l: Localizer): string => {
    const request = jobs.store.request(job.id);
    return request ? requestTitle(request, l.t) : job.title;
  };

  // ----- Capital for a target probability of depletion (computed at once, bounded paths) -----
  function showCapital(req: Request, res: Response) {
    const l = localizerOf(res);
    const { t } = l;
    const q = req.query as Record<string, unknown>;
    const text = (k: string, d: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 200) : d);
    const values = { scenario: text('scenario', 'preset:default'), target: text('target', '1'), paths: text('paths', '1000'), seed: text('seed', '') };
    const errors: Record<string, string[]> = {};
    const submitted = typeof q.target === 'string';
    let view: CapitalView | null = null;
    let scenarioName = '';
    let currency = 'USD';
    const resolved = resolveScenario(ctx.storage, values.scenario);
    if ('issues' in resolved) errors.scenario = resolved.issues.map((i) => i.message);
    else {
      scenarioName = resolved.scenario.name;
      currency = resolved.scenario.currency;
    }
    const num = (k: keyof typeof values, unit: 'percent' | 'integer', blankIsNull = false): number | null | undefined => {
      const v = values[k].trim().replace(/,/g, '');
      if (v === '') {
        if (!blankIsNull) errors[k] = [t('Is required')];
        return blankIsNull ? null : undefined;
      }
      const x = Number(v.replace(/\s*%$/, ''));
      if (!Number.isFinite(x)) {
        errors[k] = [t('Must be a number')];
        return undefined;
      }
      return unit === 'percent' ? x / 100 : x;
    };
    if (submitted) {
      const input = { target: num('target', 'percent'), paths: num('paths', 'integer'), seed: num('seed', 'integer', true) };
      const spec = parseCapitalRequest(input);
      if (!spec.ok) {
        for (const i of spec.issues) {
          if (errors[i.path]) continue;
          errors[i.path] = [i.path === 'target' ? t('Must be more than 0 % and less than 100 %') : i.message.charAt(0).toUpperCase() + i.message.slice(1)];
        }
      }
      if (spec.ok && !('issues' in resolved) && !Object.keys(errors).length) view = capitalView(resolved.scenario, computeCapital(resolved.scenario, spec.value));
    }
    const field = (name: keyof typeof values, label: string, unit: string, help: string, options?: [string, string][]) => ({
      id: `capital-${name}`, name, label, unit, help, value: values[name], errors: errors[name] ?? [],
      options: options?.map(([value, l]) => ({ value, label: l, selected: value === values[name] })) ?? null,
    });
    page(res, 'policy/capital', {
      title: t('Capital for a target risk of depletion'),
      fields: [
        field('scenario', t('Scenario'), '', t('A preset or a saved scenario; its own initial capital is shown for comparison.'), scenarioOptions(l)),
        field('target', t('Target probability of depletion'), '%', t('Within the horizon: 1 = a 1 % chance that capital falls below zero. In percent: 0.01 would mean one in ten thousand.')),
        field('paths', t('Paths'), '', t('Simulated paths at each capital tried, 100 to {most}; more paths narrow the sampling error.', { most: MAX_CAPITAL_PATHS.toLocaleString(l.locale) })),
        field('seed', t('Seed'), '', t('The same random numbers at every capital tried; blank = the scenario’s seed.')),
      ],
      view, scenarioName, currency, levelText: '95 %',
    }, submitted && Object.keys(errors).length ? 422 : 200);
  }
  r.get('/policy/capital', route(showCapital));

  /** Starts a job; small ones are waited for. Redirects to the job's page. */
  const startAndRedirect = async (res: Response, request: PolicyRequest) => {
    const inline = jobs.isInline(request);
    const job = jobs.start(request, requestTitle(request));
    if (inline) await jobs.wait(job.id);
    res.redirect(303, `/policy/jobs/${job.id}`);
  };

  /** A stored job's request, for "change the inputs". */
  const fromJob = (req: Request, kind: PolicyRequest['kind']): PolicyRequest | null => {
    const from = typeof req.query.from === 'string' ? /^job:([A-Za-z0-9_-]{6,32})$/.exec(req.query.from) : null;
    if (!from) return null;
    const request = jobs.store.request(from[1]!);
    return request && request.kind === kind ? request : null;
  };

  const errorSummary = (errors: FormErrors, fields: { id: string; label: string; errors: readonly string[] }[]) => {
    const links = fields.flatMap((f) => f.errors.map((message) => ({ id: f.id, label: f.label, message })));
    const other = errors[''] ?? [];
    return { errorLinks: links, otherErrors: other, errorCount: links.length + other.length };
  };

  // ----- Index ------------------------------------------------------------------------------
  function showPolicy(_req: Request, res: Response) {
    const l = localizerOf(res);
    const { t } = l;
    const recent = jobs.store.list(12).map((j) => ({
      ...j, title: titleOf(j, l), kindLabel: t(KIND_LABELS[j.kind]), statusLabel: t(STATUS_LABELS[j.status] ?? j.status), created: j.createdAt.replace('T', ' ').slice(0, 16), ...sharingColumns(j, t),
    }));
    page(res, 'policy/policy', { title: t('Policy analysis'), recent });
  }
  r.get('/policy', route(showPolicy));

  // ----- Budget comparison ------------------------------------------------------------------
  const renderBudgetForm = (res: Response, values: FormValues, errors: FormErrors = {}, status = 200) => {
    const l = localizerOf(res);
    const { t } = l;
    const s = formScenario(values);
    const currency = (values['currency'] ?? '').trim().toUpperCase() || s?.currency || 'USD';
    const code = /^[A-Z]{3}$/.test(currency) ? currency : 'USD';
    const stage = (values['target.stage'] ?? '') as Stage;
    const inForce = s && (STAGES as readonly string[]).includes(stage)
      ? stageInForce(values['scenario'] ?? '', (values['scenario'] ?? '').startsWith('preset:') ? t(s.name) : s.name, stage, resolveTarget({ kind: 'stage', stage, unservedShare: null }, s), formatter(code, l.locale).money, l)
      : null;
    const model = budgetFormModel(valuesForLocale(values, l.locale), errors, scenarioOptions(l), code, inForce && { ...inForce, values: valuesForLocale(inForce.values, l.locale) }, l);
    page(res, 'policy/budget', {
      budgetForm: true,
      title: model.errorCount
        ? t('{count, plural, one {Fix # error: the same budget, four ways} other {Fix # errors: the same budget, four ways}}', { count: model.errorCount })
        : t('The same budget, four ways'),
      form: model, hasErrors: model.errorCount > 0, inlinePaths: formatter('', l.locale).count(jobs.limits.inlineWork),
    }, status);
  };

  function showBudgetForm(req: Request, res: Response) {
    const stored = fromJob(req, 'budget');
    if (stored && stored.kind === 'budget') {
      const values = budgetToForm(stored.comparison as unknown as Body, stored.scenarioRef, stored.monteCarlo !== null);
      if (stored.monteCarlo) values['monteCarlo.paths'] = String(stored.monteCarlo.paths);
      if (stored.monteCarlo) values['monteCarlo.seed'] = String(stored.monteCarlo.seed);
      renderBudgetForm(res, values);
      return;
    }
    // The default name is a message: a new comparison is named in the page's language.
    const { t } = localizerOf(res);
    renderBudgetForm(res, valuesFrom(req.query as Body, BUDGET_NAMES, { ...BUDGET_DEFAULTS, name: t(BUDGET_DEFAULTS['name'] ?? '') }));
  }
  r.get('/policy/budget', route(showBudgetForm));

  async function startBudget(req: Request, res: Response) {
    const values = valuesFromLocale(valuesFrom(req.body as Body, BUDGET_NAMES, BUDGET_DEFAULTS), localizerOf(res).locale);
    const { input, scenarioRef, monteCarlo } = budgetFormToInput(values);
    const s = formScenario(values);
    if (input.currency === undefined && s) input.currency = s.currency;
    const parsed = budgetRequest(ctx.storage, { ...input, scenario: scenarioRef }, { run: monteCarlo }, limits());
    const ignored = ignoredTargetErrors(valuesFrom(req.body as Body, ['target.kind', ...EXPLICIT_TARGET_NAMES], {}), localizerOf(res).t);
    if (!parsed.ok || Object.keys(ignored).length) {
      renderBudgetForm(res, values, { ...(parsed.ok ? {} : budgetErrors(parsed.issues, localizerOf(res))), ...ignored }, 422);
      return;
    }
    await startAndRedirect(res, parsed.value);
  }
  r.post('/policy/budget', route(startBudget));

  // ----- Tornado, sweep, search -------------------------------------------------------------
  interface Kind {
    readonly kind: 'tornado' | 'sweep' | 'search';
    readonly view: string;
    readonly heading: string;
    readonly names: readonly string[];
    readonly defaults: FormValues;
    readonly fields: readonly FieldSpec[];
    parse(values: FormValues, s: Scenario | null, l: Localizer): { parsed: { ok: true; value: PolicyRequest } | { ok: false; issues: readonly FieldIssue[] }; errors: (issues: readonly FieldIssue[]) => FormErrors };
    toForm(request: PolicyRequest): FormValues;
  }

  const KINDS: readonly Kind[] = [
    {
      kind: 'tornado', view: 'policy/tornado', heading: msg('Tornado: which assumption matters most'), names: TORNADO_NAMES, defaults: TORNADO_DEFAULTS, fields: TORNADO_FIELDS,
      parse(values, s, l) {
        const { input, rowMap } = tornadoFormToInput(values, s);
        return { parsed: tornadoRequest(ctx.storage, { ...input, scenario: values['scenario'] }, limits()), errors: (issues) => tornadoErrors(issues, rowMap, l) };
      },
      toForm: (q) => (q.kind === 'tornado' ? tornadoToForm(q.spec as unknown as Body, q.scenarioRef, q.scenario) : TORNADO_DEFAULTS),
    },
    {
      kind: 'sweep', view: 'policy/sweep', heading: msg('Sweep: two parameters as a heat map'), names: SWEEP_NAMES, defaults: SWEEP_DEFAULTS, fields: SWEEP_FIELDS,
      parse(values, s, l) {
        return { parsed: sweepRequest(ctx.storage, { ...sweepFormToInput(values, s), scenario: values['scenario'] }, limits()), errors: (issues) => sweepErrors(issues, l) };
      },
      toForm: (q) => (q.kind === 'sweep' ? sweepToForm(q.spec as unknown as Body, q.scenarioRef, q.scenario) : SWEEP_DEFAULTS),
    },
    {
      kind: 'search', view: 'policy/search', heading: msg('Search: the best coverage and fee'), names: SEARCH_NAMES, defaults: SEARCH_DEFAULTS, fields: SEARCH_FIELDS,
      parse(values, _s, l) {
        return { parsed: searchRequest(ctx.storage, { ...searchFormToInput(values), scenario: values['scenario'] }, limits()), errors: (issues) => searchErrors(issues, l) };
      },
      toForm: (q) => (q.kind === 'search' ? searchToForm(q.spec as unknown as Body, q.scenarioRef) : SEARCH_DEFAULTS),
    },
  ];

  const renderSensitivityForm = (res: Response, k: Kind, values: FormValues, errors: FormErrors = {}, status = 200) => {
    const l = localizerOf(res);
    const { t } = l;
    const s = formScenario(values) ?? presetScenario('default')!;
    const currency = s.currency;
    const params = parameterOptions(s, t);
    const schema = SCHEMAS[k.kind];
    const shown = valuesForLocale(values, l.locale);
    const view = (f: FieldSpec) => fieldView(k.kind, f, schema, shown, errors, currency,
      f.path === 'scenario' ? scenarioOptions(l) : /^[xy]\.path$/.test(f.path) ? params : undefined, l);
    const fields = k.fields.map(view);
    const byName = Object.fromEntries(fields.map((f) => [f.name.replace(/\./g, '_'), f]));
    const rows = k.kind === 'tornado'
      ? Array.from({ length: TORNADO_ROWS }, (_, i) => {
        const path = { ...view({ path: `parameters.${i}.path`, label: '', kind: 'select' }), label: t('Parameter {n}', { n: i + 1 }) };
        const low = { ...view({ path: `parameters.${i}.low`, label: '', kind: 'number' }), label: t('Low value of parameter {n}', { n: i + 1 }) };
        const high = { ...view({ path: `parameters.${i}.high`, label: '', kind: 'number' }), label: t('High value of parameter {n}', { n: i + 1 }) };
        return {
          number: i + 1,
          path: { ...path, options: [{ value: '', label: t('(none)'), selected: !path.value }, ...params.map(([v, label]) => ({ value: v, label, selected: v === path.value }))] },
          low, high,
          errors: [...path.errors, ...low.errors, ...high.errors],
        };
      })
      : [];
    const all = [...fields, ...rows.flatMap((row) => [row.path, row.low, row.high])];
    const summary = errorSummary(errors, all);
    const heading = t(k.heading);
    const plain = formatter('', l.locale);
    page(res, k.view, {
      title: summary.errorCount ? t('{count, plural, one {Fix # error: {heading}} other {Fix # errors: {heading}}}', { count: summary.errorCount, heading }) : heading,
      heading, f: byName, rows, parametersErrors: errors['parameters'] ?? [],
      hasErrors: summary.errorCount > 0, ...summary, inlineWork: plain.count(jobs.limits.inlineWork),
      example: { steps: plain.count(6), paths: plain.count(200), cycles: plain.count(7200) },
    }, status);
  };

  /** GET /policy/tornado, sweep or search: the form, blank or filled from a job (?from=). */
  const showSensitivityForm = (k: Kind) => function showSensitivityForm(req: Request, res: Response) {
    const stored = fromJob(req, k.kind);
    renderSensitivityForm(res, k, stored ? k.toForm(stored) : valuesFrom(req.query as Body, k.names, k.defaults));
  };
  /** POST /policy/tornado, sweep or search: the form again with its errors, or the job started. */
  const startSensitivity = (k: Kind) => async function startSensitivity(req: Request, res: Response) {
    const values = valuesFromLocale(valuesFrom(req.body as Body, k.names, k.defaults), localizerOf(res).locale);
    const s = formScenario(values);
    const { parsed, errors } = k.parse(values, s, localizerOf(res));
    if (!parsed.ok) {
      renderSensitivityForm(res, k, values, errors(parsed.issues), 422);
      return;
    }
    await startAndRedirect(res, parsed.value);
  };
  for (const k of KINDS) {
    r.get(`/policy/${k.kind}`, route(showSensitivityForm(k)));
    r.post(`/policy/${k.kind}`, route(startSensitivity(k)));
  }

  // ----- Jobs -------------------------------------------------------------------------------
  function showJob(req: Request, res: Response) {
    const l = localizerOf(res);
    const { t } = l;
    const job = loadJob(param(req, 'id'), l);
    const kindLabel = t(KIND_LABELS[job.kind]);
    const title = titleOf(job, l);
    const live = jobs.liveState(job.id);
    if (live || !JOB_FINISHED.includes(job.status)) {
      const progress = Math.round((live?.progress ?? 0) * 100);
      page(res, 'policy/job', {
        title: t('{kind}: {title}', { kind: kindLabel, title }), job: { ...job, title }, kindLabel, progress,
        queuePosition: live?.queuePosition ?? null, refresh: true,
        run: { id: job.id, events: `/api/v1/policy/jobs/${job.id}/events`, page: `/policy/jobs/${job.id}` },
      });
      return;
    }
    const request = jobs.store.request(job.id);
    if (!request) throw new HttpError(404, t('There is no analysis with that id.'));
    if (job.status !== 'done') {
      page(res, 'policy/job-over', {
        title: t('{kind}: {title}', { kind: kindLabel, title }), job: { ...job, title }, kindLabel,
        message: job.status === 'cancelled' ? t('This analysis was cancelled before it finished.') : t('This analysis failed: {error}.', { error: job.error ? translateMessage(l, job.error) : t('unknown error') }),
      });
      return;
    }
    const result = jobs.store.result(job.id);
    if (!result) throw new HttpError(404, t('The result of this analysis cannot be read.'));
    renderResult(res, { ...job, title }, request, result, l);
  }
  r.get('/policy/jobs/:id', route(showJob));

  function cancelJob(req: Request, res: Response) {
    const job = loadJob(param(req, 'id'), localizerOf(res));
    jobs.cancel(job.id);
    res.redirect(303, `/policy/jobs/${job.id}`);
  }
  r.post('/policy/jobs/:id/cancel', route(cancelJob));

  /** POST /policy/jobs/:id/share: who started the analysis shares it with one of their workspaces, or makes it private. */
  function shareJob(req: Request, res: Response) {
    const job = loadJob(param(req, 'id'), localizerOf(res));
    const workspace = (req.body as Record<string, unknown> | undefined)?.workspace;
    jobs.store.share(job.id, shareTarget(ctx, whoOf(res)?.user ?? null, job, typeof workspace === 'string' ? workspace : ''));
    res.redirect(303, `/policy/jobs/${job.id}?flash=shared#sharing`);
  }
  r.post('/policy/jobs/:id/share', route(shareJob));

  function downloadJob(req: Request, res: Response) {
    const l = localizerOf(res);
    const { t } = l;
    const job = loadJob(param(req, 'id'), l);
    const request = jobs.store.request(job.id);
    const result = job.status === 'done' ? jobs.store.result(job.id) : null;
    if (!request || !result) throw new HttpError(404, t('This analysis has no result to download.'));
    const what = param(req, 'file');
    const stem = `${job.kind}-${job.id}`;
    if (what === 'result.json') return sendDownload(res, `${stem}.json`, 'application/json', JSON.stringify({ request: storableRequest(request), result: result.value }, null, 2));
    if (what === 'table.csv') return sendDownload(res, `${stem}.csv`, 'text/csv', coreCsv(coreTable(result)));
    if (what === 'years.csv' && result.kind === 'budget') {
      return sendDownload(res, `${stem}-years.csv`, 'text/csv', coreCsv(comparisonYearsTable(result.value.comparison as unknown as BudgetComparisonResult)));
    }
    const m = /^chart-([A-Za-z]+)\.csv$/.exec(what);
    const chart = m ? charts(request, result, ENGLISH).find((c) => c.id === m[1]) : undefined;
    if (!chart) throw new HttpError(404, t('There is no download with that name.'));
    sendDownload(res, `${stem}-${chart.id}.csv`, 'text/csv', chartCsv(chart));
  }
  r.get('/policy/jobs/:id/download/:file', route(downloadJob));

  function coreTable(result: PolicyResult) {
    switch (result.kind) {
      case 'budget': return comparisonSummaryTable(result.value.comparison as unknown as BudgetComparisonResult, result.value.monteCarlo ?? undefined);
      case 'tornado': return tornadoTable(result.value);
      case 'sweep': return sweepTable(result.value);
      case 'search': return searchTable(result.value);
    }
  }

  function charts(request: PolicyRequest, result: PolicyResult, l: Localizer): PolicyChart[] {
    if (result.kind === 'budget') return [...budgetModel(result.value, l).charts];
    if (request.kind === 'budget') return [];
    const s = request.scenario;
    if (result.kind === 'tornado' && request.kind === 'tornado') return [tornadoModel(result.value, s, request.spec.change, l).chart];
    if (result.kind === 'sweep') return [sweepModel(result.value, s, l).chart];
    if (result.kind === 'search' && request.kind === 'search') return [searchModel(result.value, s, request.spec, l).chart];
    return [];
  }

  function renderResult(res: Response, job: JobRecord, request: PolicyRequest, result: PolicyResult, l: Localizer): void {
    const { t } = l;
    const base = `/policy/jobs/${job.id}`;
    const withCsv = (c: PolicyChart) => ({ ...c, csvUrl: `${base}/download/chart-${c.id}.csv` });
    const common = {
      title: job.title, job, kindLabel: t(KIND_LABELS[job.kind]), created: job.createdAt.replace('T', ' ').slice(0, 16),
      changeUrl: `/policy/${job.kind}?from=job:${job.id}`,
      downloads: { json: `${base}/download/result.json`, csv: `${base}/download/table.csv`, years: `${base}/download/years.csv` },
      engineText: job.engine === 'pool' ? t('computed on the worker pool') : t('computed in the server at once'),
      sharing: { ...shareForm(ctx, whoOf(res)?.user ?? null, job, `${base}/share`, t), flash: res.req.query.flash === 'shared' ? sharedFlash(job, t) : null },
    };
    if (result.kind === 'budget' && request.kind === 'budget') {
      const model = budgetModel(result.value, l, request.scenarioRef);
      const chartList = model.charts.map(withCsv);
      page(res, 'policy/budget-results', {
        ...common, model, charts: chartList, chartData: chartList.map((c) => chartJson(c, l.locale)),
        summaryRows: model.summary,
        mcRows: model.monteCarlo,
        scenarioLink: scenarioLink(request.scenarioRef),
      });
      return;
    }
    if (request.kind === 'budget') throw new HttpError(500, t('The stored analysis does not match its request.'));
    const s = request.scenario;
    const f = formatter(s.currency, l.locale);
    const settings = sensitivitySettings(request, f, l.t);
    const scenario = { name: request.scenarioRef?.startsWith('preset:') ? t(s.name) : s.name, link: scenarioLink(request.scenarioRef) };
    if (result.kind === 'tornado' && request.kind === 'tornado') {
      const model = tornadoModel(result.value, s, request.spec.change, l);
      const chart = withCsv(model.chart);
      page(res, 'policy/tornado-results', { ...common, model, charts: [chart], chartData: [chartJson(chart, l.locale)], settings, scenario });
    } else if (result.kind === 'sweep' && request.kind === 'sweep') {
      const model = sweepModel(result.value, s, l);
      const chart = withCsv(model.chart);
      page(res, 'policy/sweep-results', { ...common, model, charts: [chart], chartData: [chartJson(chart, l.locale)], settings, scenario });
    } else if (result.kind === 'search' && request.kind === 'search') {
      const model = searchModel(result.value, s, request.spec, l);
      const chart = withCsv(model.chart);
      page(res, 'policy/search-results', { ...common, model, charts: [chart], chartData: [chartJson(chart, l.locale)], settings, scenario });
    } else {
      throw new HttpError(500, t('The stored analysis does not match its request.'));
    }
  }

  return r;
}

/** The request as downloaded: the scenario kept (it is part of what was computed). */
function storableRequest(request: PolicyRequest): unknown {
  return request;
}

function scenarioLink(ref: string | null): { url: string; kind: 'preset' | 'saved' } | null {
  if (!ref) return null;
  const [kind, id] = ref.split(':');
  if (kind === 'preset') return { url: `/presets/${id}`, kind };
  if (kind === 'saved') return { url: `/scenarios/${id}`, kind };
  return null;
}

function sensitivitySettings(request: Exclude<PolicyRequest, { kind: 'budget' }>, f: ReturnType<typeof formatter>, t: Translate): { label: string; value: string }[] {
  const seed = request.spec.seed ?? request.scenario.monteCarlo.seed;
  const mc = { label: t('Monte Carlo'), value: t('{paths} paths per point, seed {seed} at every point', { paths: f.count(request.spec.paths), seed: String(seed) }) };
  if (request.kind === 'tornado') {
    return [
      { label: t('Indicator'), value: t(INDICATOR_LABELS[request.spec.indicator]) },
      { label: t('Change each way'), value: t('±{change} (unless a low and high were given)', { change: f.percent(request.spec.change, 0) }) },
      ...(request.spec.indicator === 'depletion' ? [mc] : []),
    ];
  }
  if (request.kind === 'sweep') {
    return [
      { label: t('Indicator'), value: t(INDICATOR_LABELS[request.spec.indicator]) },
      { label: t('Grid'), value: t('{x} × {y} points', { x: f.count(request.spec.x.steps), y: f.count(request.spec.y.steps) }) },
      { label: t('Target probability of depletion'), value: request.spec.depletionTarget === null ? t('none') : f.percent(request.spec.depletionTarget, 2) },
      ...(request.spec.indicator === 'depletion' || request.spec.depletionTarget !== null ? [mc] : []),
    ];
  }
  return [
    { label: t('Maximise'), value: t(INDICATOR_LABELS[request.spec.objective]) },
    { label: t('Probability of depletion at most'), value: f.percent(request.spec.depletionTarget, 2) },
    { label: t('Annual fee'), value: t('{from} to {to}', { from: f.percent(request.spec.feeFloor, 2), to: f.percent(request.spec.feeCeiling, 2) }) },
    { label: t('Coverage'), value: t('{from} to {to}', { from: f.percent(request.spec.coverageFrom, 0), to: f.percent(request.spec.coverageTo, 0) }) },
    { label: t('Grid'), value: t('{steps} × {steps} points, {rounds, plural, one {# round} other {# rounds}} of refinement', { steps: f.count(request.spec.gridSteps), rounds: request.spec.refinements }) },
    request.spec.maxPaths === undefined
      ? mc
      : {
        label: t('Monte Carlo'),
        value: t('{paths} paths per point, doubled up to {most} while the {level} interval contains the target; seed {seed} at every point', {
          paths: f.count(request.spec.paths), most: f.count(Math.max(request.spec.paths, request.spec.maxPaths)), level: f.percent(request.spec.confidence, 0), seed: String(seed),
        }),
      },
  ];
}

export { StoredScenarioError, checkboxView };
