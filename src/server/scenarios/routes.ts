/** The scenario pages: home, editor, results, saved scenarios and their trash, presets, summaries, downloads. */
import express, { type Request, type Response, type Router } from 'express';
import { parseScenario, type Scenario } from '../../core/schema.ts';
import { STAGE_LABELS, STAGES } from '../../core/stages.ts';
import { ID_PATTERN, sqliteCode, StoredScenarioError, TRASH_DAYS, VersionConflictError } from '../../storage/index.ts';
import { conflictModel } from './conflict.ts';
import { nameProblem } from './consistency.ts';
import type { Context } from '../context.ts';
import { editorModel } from './editor.ts';
import { formatter } from '../../i18n/format.ts';
import { formErrors, formToInput, scenarioToForm } from '../forms/form.ts';
import type { FormErrors, FormValues } from '../forms/kit.ts';
import { DEFAULT_PRESET, localPresetCards, presetCards, shownName } from './presets.ts';
import { fieldLabel } from './editor.ts';
import { unitHintsOfScenario } from '../forms/unit-hints.ts';
import { descriptionView, runListName } from './description.ts';
import { chartCsv, chartJson, resultCsv, resultJson, resultsModel, stageName, tailTable } from './results.ts';
import { english, msg, type Localizer, type Translate } from '../../i18n/index.ts';
import { fill } from '../../core/validation.ts';
import { BusyError, UnavailableError } from '../runs/runs.ts';
import { renderSummaryPage } from './summary.ts';
import { ledgerWorkbook } from '../../core/ledger-workbook.ts';
import { sendWorkbook } from '../http/xlsx.ts';
import { sendPage } from '../http/view.ts';
import { route } from '../http/route.ts';
import { sendDownload } from '../http/download.ts';
import { draftSource, sources, type ResultSource } from './sources.ts';
import { HttpError } from '../http/errors.ts';
import { localizerOf } from '../http/language.ts';

function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | undefined>)[name];
  return typeof v === 'string' ? v : '';
}

/** A posted form field ('' when absent; the last value when repeated). */
export function bodyField(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) return String(v[v.length - 1] ?? '');
  return typeof v === 'string' ? v : '';
}

/** Rows of a page of the saved scenarios. */
export const SAVED_PER_PAGE = 50;

/** The version a posted editor form was opened at (its `_version` field), or null. */
function postedVersion(req: Request): number | null {
  const v = bodyField(req, '_version');
  return /^\d{1,9}$/.test(v) ? Number(v) : null;
}

export function pageRouter(ctx: Context): Router {
  const r = express.Router();
  const views = ctx.views;
  const { scenarios, runs: runStore } = ctx.storage;

  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, views, name, data, status);

  const { loadPreset, loadSaved, loadDraft, source } = sources(ctx);

  // ----- Home -------------------------------------------------------------------------
  function showHome(_req: Request, res: Response) {
    const { t } = localizerOf(res);
    page(res, 'scenarios/home', { title: t('SME credit guarantee fund simulator'), nav: 'home', presets: localPresetCards(t) });
  }
  r.get('/', route(showHome));

  // ----- Editor -----------------------------------------------------------------------
  const renderEditor = (res: Response, o: EditorOptions) => renderEditorPage(ctx, res, o);

  function newScenario(req: Request, res: Response) {
    const from = typeof req.query.from === 'string' ? req.query.from : `preset:${DEFAULT_PRESET}`;
    const [kind, id = ''] = from.split(':');
    let scenario: Scenario;
    const { t } = localizerOf(res);
    let heading = t('New scenario');
    if (kind === 'saved') {
      scenario = loadSaved(id).scenario;
      heading = t('New scenario from “{name}”', { name: scenario.name });
      scenario = { ...scenario, name: t('Copy of {name}', { name: scenario.name }).slice(0, 120) };
    } else {
      scenario = loadPreset(kind === 'preset' ? id : DEFAULT_PRESET);
      if (kind === 'preset' && id !== DEFAULT_PRESET) heading = t('New scenario from the preset “{name}”', { name: t(scenario.name) });
    }
    renderEditor(res, { values: scenarioToForm(scenario, localizerOf(res).locale), heading, from });
  }
  r.get('/scenarios/new', route(newScenario));

  function editSaved(req: Request, res: Response) {
    const saved = loadSaved(param(req, 'id'));
    renderEditor(res, { values: scenarioToForm(saved.scenario, localizerOf(res).locale), savedId: saved.id, version: saved.version });
  }
  r.get('/scenarios/:id/edit', route(editSaved));

  /**
   * Saves through `write`; when the disk is full or the database cannot be written, the editor
   * comes back with what was typed and says nothing was saved (507, or 503 when read-only).
   */
  const saveOrKeepForm = <T>(req: Request, res: Response, scenario: Scenario, write: () => T): T | null => {
    try {
      return write();
    } catch (e) {
      const code = sqliteCode(e);
      if (!code || !(code === 'SQLITE_FULL' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR'))) throw e;
      if (ctx.config.logErrors ?? true) console.error(`[${new Date().toISOString()}] ${req.method} ${req.originalUrl}: the database in ${ctx.config.dataDir} could not be written: ${(e as Error).message}`);
      const full = code === 'SQLITE_FULL';
      const savedId = bodyField(req, '_scenarioId');
      const values = bodyField(req, 'scenarioJson') ? scenarioToForm(scenario, localizerOf(res).locale) : formToInput(req.body as Record<string, unknown>, localizerOf(res)).values;
      renderEditor(res, {
        values, status: full ? 507 : 503,
        errors: { '': [full
          ? 'The scenario was not saved: the disk holding the database is full. Nothing was changed, and everything you typed is still in this form; free some space on the server and press Save again.'
          : 'The scenario was not saved: the database cannot be written (read-only or a disk error). Nothing was changed, and everything you typed is still in this form; try again once the server is fixed.'] },
        savedId: ID_PATTERN.test(savedId) ? savedId : null, version: postedVersion(req),
      });
      return null;
    }
  };

  // The editor for a scenario posted as JSON (from the results of a run or of an unsaved scenario).
  function editPosted(req: Request, res: Response) {
    const scenario = scenarioFromJsonField(req);
    const savedId = bodyField(req, '_scenarioId');
    const saved = ID_PATTERN.test(savedId) ? scenarios.get(savedId) : null;
    const { t } = localizerOf(res);
    renderEditor(res, { values: scenarioToForm(scenario, localizerOf(res).locale), savedId: saved ? saved.id : null, version: saved ? postedVersion(req) : null, heading: saved ? undefined : t('Edit “{name}”', { name: scenario.name }) });
  }
  r.post('/editor', route(editPosted));

  // Run the projection of the posted form (unsaved).
  // Every result gets an address: the scenario is kept as a draft named by its hash.
  async function simulatePosted(req: Request, res: Response) {
    const scenario = readEditor(ctx, req, res);
    if (!scenario) return;
    const savedId = bodyField(req, '_scenarioId');
    await renderResults(res, draftSource(ctx.storage.drafts.put(scenario), scenario, ID_PATTERN.test(savedId) ? savedId : null, postedVersion(req)));
  }
  r.post('/simulate', route(simulatePosted));

  function showDraft(req: Request, res: Response) {
    return renderResults(res, draftSource(param(req, 'id'), loadDraft(param(req, 'id'))));
  }
  r.get('/drafts/:id', route(showDraft));
  async function showDraftSummary(req: Request, res: Response) {
    const id = param(req, 'id');
    await renderSummaryPage(ctx, res, draftSource(id, loadDraft(id)), { resultsUrl: `/drafts/${id}` });
  }
  r.get('/drafts/:id/summary', route(showDraftSummary));
  async function downloadDraft(req: Request, res: Response) {
    const id = param(req, 'id');
    await sendExport(res, draftSource(id, loadDraft(id)), param(req, 'file'));
  }
  r.get('/drafts/:id/download/:file', route(downloadDraft));

  // ----- Saved scenarios ---------------------------------------------------------------
  /** A run's name in lists: its scenario's, marked when it is an edited preset. */
  const runName = (id: string, stored: string, t: Translate): string => {
    try {
      const sc = runStore.scenario(id);
      return sc ? runListName(sc, t) : stored;
    } catch {
      return stored;
    }
  };
  function listSaved(req: Request, res: Response) {
    const pageNo = typeof req.query.page === 'string' && /^\d{1,9}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const search = typeof req.query.q === 'string' ? req.query.q.slice(0, 120) : '';
    const listed = scenarios.page({ page: pageNo, perPage: SAVED_PER_PAGE, search });
    const { t } = localizerOf(res);
    const list = listed.items.map((s) => ({ ...s, shownName: shownName(s.name, t), updated: s.updatedAt.replace('T', ' ').slice(0, 16) }));
    const pageLink = (n: number) => `/scenarios?page=${n}${search ? `&q=${encodeURIComponent(search)}` : ''}`;
    const paging = {
      page: listed.page, pages: listed.pages, total: listed.total, search, many: listed.total > SAVED_PER_PAGE || search !== '',
      first: listed.page > 1 ? pageLink(1) : null, prev: listed.page > 1 ? pageLink(listed.page - 1) : null,
      next: listed.page < listed.pages ? pageLink(listed.page + 1) : null, last: listed.page < listed.pages ? pageLink(listed.pages) : null,
      from: listed.total ? (listed.page - 1) * listed.perPage + 1 : 0, to: (listed.page - 1) * listed.perPage + listed.items.length,
    };
    const l = localizerOf(res);
    const runList = runStore.list(20).map((run) => ({
      ...run, scenarioName: runName(run.id, run.scenarioName, l.t), created: run.createdAt.replace('T', ' ').slice(0, 16), paths: formatter('USD', l.locale).count(run.paths),
      status: runStatusText(run.status, l.t),
    }));
    const flash = typeof req.query.flash === 'string' ? req.query.flash : '';
    const deletedId = typeof req.query.id === 'string' && ID_PATTERN.test(req.query.id) ? req.query.id : null;
    const deletedName = flash === 'deleted' && deletedId ? scenarios.trashedName(deletedId) : null;
    page(res, 'scenarios/saved', {
      title: l.t('Saved scenarios'), nav: 'saved', scenarios: list, paging, runs: runList, presets: presetCards(),
      flash: deletedName === null ? flashText(flash, l.t) : null,
      undo: deletedName === null ? null : { id: deletedId, name: deletedName, days: TRASH_DAYS },
      trashCount: scenarios.trashCount(),
    });
  }
  r.get('/scenarios', route(listSaved));

  function showTrash(_req: Request, res: Response) {
    const day = (iso: string) => iso.replace('T', ' ').slice(0, 16);
    const { t } = localizerOf(res);
    const items = scenarios.trash().map((x) => ({ ...x, name: shownName(x.name, t), deleted: day(x.deletedAt), purge: x.purgeAt.slice(0, 10) }));
    page(res, 'scenarios/trash', { title: t('Trash'), nav: 'saved', items, days: TRASH_DAYS });
  }
  r.get('/scenarios/trash', route(showTrash));

  function saveNew(req: Request, res: Response) {
    const scenario = bodyField(req, 'scenarioJson') ? scenarioFromJsonField(req) : readEditor(ctx, req, res);
    if (!scenario) return;
    const saved = saveOrKeepForm(req, res, scenario, () => scenarios.create(scenario));
    if (saved) res.redirect(303, `/scenarios/${saved.id}?flash=saved`);
  }
  r.post('/scenarios', route(saveNew));

  async function showSaved(req: Request, res: Response) {
    const s = source('saved', param(req, 'id'));
    await renderResults(res, s, null, typeof req.query.flash === 'string' ? flashText(req.query.flash, localizerOf(res).t) : null);
  }
  r.get('/scenarios/:id', route(showSaved));

  function saveChanges(req: Request, res: Response) {
    const id = param(req, 'id');
    loadSaved(id);
    const scenario = bodyField(req, 'scenarioJson') ? scenarioFromJsonField(req) : readEditor(ctx, req, res);
    if (!scenario) return;
    // A form that names the version it was opened at is not saved over a later change:
    // both versions are shown instead, and the user chooses.
    const version = postedVersion(req) ?? undefined;
    try {
      if (saveOrKeepForm(req, res, scenario, () => scenarios.update(id, scenario, version)) === null) return;
    } catch (e) {
      if (!(e instanceof VersionConflictError)) throw e;
      const current = loadSaved(id);
      const { t } = localizerOf(res);
      page(res, 'scenarios/conflict', { title: t('Changed meanwhile: {name}', { name: current.name }), nav: 'saved', ...conflictModel(scenario, current, version!, t) }, 409);
      return;
    }
    res.redirect(303, `/scenarios/${id}?flash=saved`);
  }
  r.post('/scenarios/:id', route(saveChanges));

  function renameSaved(req: Request, res: Response) {
    const id = param(req, 'id');
    const name = bodyField(req, 'name').trim();
    if (!name) throw new HttpError(422, msg('A scenario needs a name.'), [msg('Type a name (up to 120 characters) and try again.')]);
    if (nameProblem(name)) throw new HttpError(422, msg('That name cannot be used.'), [msg('A name must contain a visible character, not only control characters or spaces. Type a name (up to 120 characters) and try again.')]);
    if (!ID_PATTERN.test(id) || !scenarios.rename(id, name)) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    res.redirect(303, '/scenarios?flash=renamed');
  }
  r.post('/scenarios/:id/rename', route(renameSaved));

  function duplicateSaved(req: Request, res: Response) {
    const id = param(req, 'id');
    const copy = ID_PATTERN.test(id) ? scenarios.duplicate(id) : null;
    if (!copy) throw new HttpError(404, msg('There is no saved scenario with that id.'));
    res.redirect(303, '/scenarios?flash=duplicated');
  }
  r.post('/scenarios/:id/duplicate', route(duplicateSaved));

  // Deleting asks first (a page of its own: no script needed), then moves the scenario to the trash.
  function confirmDelete(req: Request, res: Response) {
    const id = param(req, 'id');
    const name = ID_PATTERN.test(id) ? scenarios.nameOf(id) : null;
    if (name === null) loadSaved(id);
    const { t } = localizerOf(res);
    page(res, 'scenarios/confirm-delete', { title: t('Delete “{name}”?', { name }), nav: 'saved', saved: { id, name }, days: TRASH_DAYS });
  }
  r.get('/scenarios/:id/delete', route(confirmDelete));

  function deleteSaved(req: Request, res: Response) {
    const id = param(req, 'id');
    if (!ID_PATTERN.test(id) || !scenarios.delete(id)) throw new HttpError(404, 'There is no saved scenario with that id.');
    res.redirect(303, `/scenarios?flash=deleted&id=${id}`);
  }
  r.post('/scenarios/:id/delete', route(deleteSaved));

  function restoreSaved(req: Request, res: Response) {
    const id = param(req, 'id');
    if (!ID_PATTERN.test(id) || !scenarios.restore(id)) throw new HttpError(404, msg('There is no scenario with that id in the trash.'), [fill(msg('Deleted scenarios stay in the trash for {days} days.'), { days: TRASH_DAYS })]);
    res.redirect(303, `/scenarios/${id}?flash=restored`);
  }
  r.post('/scenarios/:id/restore', route(restoreSaved));

  // ----- Presets ------------------------------------------------------------------------
  function showPreset(req: Request, res: Response) {
    return renderResults(res, source('preset', param(req, 'id')));
  }
  r.get('/presets/:id', route(showPreset));

  // ----- Printable one-page summaries ----------------------------------------------------------
  /** The printable summary of a preset, saved scenario or run (GET <prefix>/:id/summary). */
  const showSummary = (prefix: string, kind: 'preset' | 'saved' | 'run') => async function showSummary(req: Request, res: Response) {
    const s = source(kind, param(req, 'id'));
    await renderSummaryPage(ctx, res, s, { resultsUrl: `${prefix}/${s.id}` });
  };
  for (const [prefix, kind] of [['/presets', 'preset'], ['/scenarios', 'saved'], ['/runs', 'run']] as const) {
    r.get(`${prefix}/:id/summary`, route(showSummary(prefix, kind)));
  }

  // ----- Downloads ---------------------------------------------------------------------------
  /** A download of a preset's, saved scenario's or run's results (GET <prefix>/:id/download/:file). */
  const download = (kind: 'preset' | 'saved' | 'run') => async function download(req: Request, res: Response) {
    const s = source(kind, param(req, 'id'));
    const what = param(req, 'file');
    await sendExport(res, s, what);
  };
  for (const [prefix, kind] of [['/presets', 'preset'], ['/scenarios', 'saved'], ['/runs', 'run']] as const) {
    r.get(`${prefix}/:id/download/:file`, route(download(kind)));
  }

  async function exportPosted(req: Request, res: Response) {
    await sendExport(res, { kind: 'unsaved', id: null, scenario: scenarioFromJsonField(req), base: null, monteCarlo: null, run: null }, bodyField(req, 'what'));
  }
  r.post('/export', route(exportPosted));

  async function sendExport(res: Response, s: ResultSource, what: string): Promise<void> {
    await ctx.projections.prepare(s.scenario);
    const input = ctx.projections.resultInput(s.scenario, s.monteCarlo);
    const stem = fileStem(s);
    if (what === 'result.json') return sendDownload(res, `${stem}.json`, 'application/json', JSON.stringify(resultJson(input), null, 2));
    if (what === 'result.csv') return sendDownload(res, `${stem}.csv`, 'text/csv', resultCsv(input));
    if (what === 'ledger.xlsx') return sendWorkbook(res, `${stem}-ledger.xlsx`, ledgerWorkbook(s.scenario, input.projection));
    if (what === 'scenario.json') return sendDownload(res, `${stem}-scenario.json`, 'application/json', JSON.stringify(s.scenario, null, 2));
    const m = /^chart-([A-Za-z]+)\.csv$/.exec(what);
    const chart = m ? resultsModel(input).charts.find((c) => c.id === m[1] && c.available) : undefined;
    if (!chart) throw new HttpError(404, msg('There is no download with that name.'));
    sendDownload(res, `${stem}-${chart.id}.csv`, 'text/csv', chartCsv(chart));
  }

  function renderResults(res: Response, s: ResultSource, notice: string | null = null, flash: string | null = null): Promise<void> {
    return renderResultsPage(ctx, res, s, { notice, flash });
  }

  return r;
}

/** Reads the posted editor; on errors renders the editor again (422) and returns null. */
export function readEditor(ctx: Context, req: Request, res: Response): Scenario | null {
  const form = formToInput(req.body as Record<string, unknown>, localizerOf(res));
  const parsed = parseScenario(form.input);
  const savedId = bodyField(req, '_scenarioId');
  const badName = parsed.ok ? nameProblem(parsed.value.name) : null;
  if (!parsed.ok || badName) {
    const issues = parsed.ok ? [{ path: 'name', message: badName! }] : parsed.issues;
    renderEditorPage(ctx, res, {
      values: form.values, errors: formErrors(issues, form.rowMaps, localizerOf(res), form.ambiguous), status: 422,
      savedId: ID_PATTERN.test(savedId) ? savedId : null, version: postedVersion(req),
    });
    return null;
  }
  return parsed.value;
}

export interface EditorOptions {
  readonly values: FormValues;
  readonly errors?: FormErrors;
  readonly savedId?: string | null;
  /** The version of the saved scenario the form was opened at (sent back with a save). */
  readonly version?: number | null;
  readonly status?: number;
  readonly heading?: string;
  readonly from?: string;
  /** A line above the form (a training exercise's instructions). */
  readonly banner?: { readonly text: string; readonly link: string; readonly linkText: string } | null;
}

/** The scenario editor page. */
export function renderEditorPage(ctx: Context, res: Response, o: EditorOptions): void {
  const page = (r: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(r, ctx.views, name, data, status);
  const l = localizerOf(res);
  const { t } = l;
  const model = editorModel(o.values, o.errors ?? {}, l);
  const name = o.values['name']?.trim() || t('New scenario');
  page(res, 'scenarios/editor', {
    title: o.errors && Object.keys(o.errors).length ? t('{count, plural, one {Fix # error: {name}} other {Fix # errors: {name}}}', { count: model.errorCount, name }) : t('Edit: {name}', { name }),
    nav: 'editor',
    heading: o.heading ?? (o.savedId ? t('Edit “{name}”', { name }) : t('New scenario')),
    from: o.from ?? '',
    editor: model,
    hasErrors: model.errorCount > 0,
    savedId: o.savedId ?? null,
    version: o.savedId ? o.version ?? null : null,
    saveAction: o.savedId ? `/scenarios/${o.savedId}` : '/scenarios',
    stageLabels: STAGES.map((s) => STAGE_LABELS[s]),
    banner: o.banner ?? null,
  }, o.status ?? 200);
}

export interface ResultsOptions {
  readonly notice?: string | null;
  readonly flash?: string | null;
  /** A line above the results (a training exercise's instructions). */
  readonly banner?: { readonly text: string; readonly link: string; readonly linkText: string } | null;
  /** The printable summary's address, when the source has one. */
  readonly summaryUrl?: string | null;
}

/** The results page of a preset, saved scenario, run or unsaved scenario. */
export async function renderResultsPage(ctx: Context, res: Response, s: ResultSource, o: ResultsOptions = {}): Promise<void> {
  // A long projection and break-even search run on the compute worker (Projections.prepare).
  await ctx.projections.prepare(s.scenario);
  const notice = o.notice ?? null;
  const flash = o.flash ?? null;
  const runStore = ctx.storage.runs;
  const page = (r: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(r, ctx.views, name, data, status);
  const input = ctx.projections.resultInput(s.scenario, s.monteCarlo);
  const l = localizerOf(res);
  const { t } = l;
  const model = resultsModel(input, l);
  const f = formatter(s.scenario.currency, l.locale);
  const savedId = s.kind === 'saved' ? s.id : s.kind === 'run' ? s.run?.scenarioId ?? null : s.kind === 'unsaved' ? s.id : null;
  const downloads = s.base
    ? { json: `${s.base}/download/result.json`, csv: `${s.base}/download/result.csv`, xlsx: `${s.base}/download/ledger.xlsx`, scenario: `${s.base}/download/scenario.json` }
    : null;
  const charts = model.charts.map((c) => ({ ...c, csvUrl: s.base ? `${s.base}/download/chart-${c.id}.csv` : null, exportWhat: `chart-${c.id}.csv` }));
  const relatedRuns = s.kind === 'saved' && s.id ? runStore.list(200).filter((r) => r.scenarioId === s.id).slice(0, 10) : [];
  const editUrl = s.kind === 'saved' ? `/scenarios/${s.id}/edit` : s.kind === 'preset' ? `/scenarios/new?from=preset:${s.id}` : null;
  const name = shownName(s.scenario.name, t);
  page(res, 'scenarios/results', {
    title: t('{name}: results', { name }),
    nav: s.kind === 'saved' ? 'saved' : s.kind === 'run' ? 'runs' : 'presets',
    source: s,
    kindLabel: t({ preset: msg('Preset'), saved: msg('Saved scenario'), run: msg('Monte Carlo run'), unsaved: msg('Unsaved scenario') }[s.kind]),
    scenario: s.scenario,
    name,
    notice,
    flash,
    unitHints: unitHintsOfScenario(s.scenario, (n) => fieldLabel(n, t), t),
    description: descriptionView(s.scenario, t),
    address: s.address ?? null,
    model,
    charts,
    chartData: charts.filter((c) => c.available).map((c) => chartJson(c, l.locale)),
    tail: tailTable(s.scenario, s.monteCarlo, l),
    downloads,
    scenarioJson: JSON.stringify(s.scenario),
    editUrl,
    savedId,
    canSave: s.kind !== 'saved',
    saveChangesId: s.kind === 'unsaved' && savedId ? savedId : null,
    saveChangesVersion: s.kind === 'unsaved' && savedId ? s.version ?? null : null,
    mc: {
      paths: s.monteCarlo?.paths ?? s.run?.paths ?? s.scenario.monteCarlo.paths,
      seed: s.monteCarlo?.seed ?? s.run?.seed ?? s.scenario.monteCarlo.seed,
      max: f.count(ctx.runs.limits.maxPaths),
      available: ctx.runs.available,
    },
    run: s.run ? { ...s.run, pathsText: f.count(s.run.paths), seedText: String(s.run.seed), created: s.run.createdAt.replace('T', ' ').slice(0, 16) } : null,
    relatedRuns: relatedRuns.map((run) => ({ ...run, pathsText: f.count(run.paths), seedText: String(run.seed), created: run.createdAt.replace('T', ' ').slice(0, 16), status: runStatusText(run.status, t) })),
    stageTable: stageInputTable(s.scenario, l),
    banner: o.banner ?? null,
    summaryUrl: o.summaryUrl !== undefined ? o.summaryUrl : s.base ? `${s.base}/summary` : null,
  });
}

/** The stage inputs at a glance, for the results page. */
function stageInputTable(s: Scenario, l: Localizer) {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const row = (label: string, pick: (st: (typeof STAGES)[number]) => string) => [label, ...STAGES.map(pick)];
  return {
    columns: ['', ...STAGES.map((st) => stageName(t, st))],
    rows: [
      row(t('Applicants in year 1'), (st) => f.count(s.stages[st].applicantsPerYear)),
      row(t('Average loan'), (st) => f.money(s.stages[st].loanSize)),
      row(t('Tenor'), (st) => t('{years} years', { years: s.stages[st].tenorYears.toLocaleString(l.locale, { maximumFractionDigits: 6 }) })),
      row(t('Coverage'), (st) => f.percent(s.guarantee.coverageByStage[st] ?? s.guarantee.coverageRatio)),
    ],
  };
}

/** A scenario posted as JSON in the hidden `scenarioJson` field of a results page. */
export function scenarioFromJsonField(req: Request): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(bodyField(req, 'scenarioJson'));
  } catch {
    throw new HttpError(400, msg('The scenario sent with the form is not valid JSON.'));
  }
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new HttpError(422, msg('The scenario sent with the form is not valid.'), parsed.issues.map((i) => `${i.path}: ${i.message}`));
  return parsed.value;
}

function fileStem(s: ResultSource): string {
  const slug = s.scenario.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'scenario';
  return s.kind === 'run' ? `${slug}-run-${s.id}` : slug;
}

const FLASHES: Readonly<Record<string, string>> = {
  saved: msg('Saved.'), renamed: msg('Renamed.'), duplicated: msg('Duplicated.'), deleted: msg('Moved to the trash.'), restored: msg('Restored from the trash.'),
};

function flashText(key: string, t: Translate = english): string | null {
  const text = FLASHES[key];
  return text === undefined ? null : t(text);
}

const RUN_STATUSES: Readonly<Record<string, string>> = {
  queued: msg('queued'), running: msg('running'), done: msg('done'), failed: msg('failed'), cancelled: msg('cancelled'),
};

/** A run's status in words. */
export function runStatusText(status: string, t: Translate): string {
  const text = RUN_STATUSES[status];
  return text === undefined ? status : t(text);
}

export { BusyError, StoredScenarioError, UnavailableError };
