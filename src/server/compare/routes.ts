/** The compare page: two to four presets or saved scenarios side by side, and its charts' CSV. */
import express, { type Request, type Response, type Router } from 'express';
import type { Scenario } from '../../core/schema.ts';
import { english, msg, type Translate } from '../../i18n/index.ts';
import type { Context } from '../context.ts';
import { sendDownload } from '../http/download.ts';
import { HttpError } from '../http/errors.ts';
import { localizerOf } from '../http/language.ts';
import { param, route } from '../http/route.ts';
import { sendPage } from '../http/view.ts';
import { presetCards, shownName } from '../scenarios/presets.ts';
import { chartCsv, chartJson } from '../scenarios/results.ts';
import { sources } from '../scenarios/sources.ts';
import { compareModel, parseCompareRefs, type CompareRef, type CompareRun } from './compare.ts';

/** Saved scenarios offered in a form's list of choices: the most recently changed. */
export const CHOICES = 100;

/** The query that names the compared scenarios, as the page's own address writes it. */
export function compareQuery(refs: readonly CompareRef[]): string {
  return refs.map((r) => `s=${encodeURIComponent(`${r.kind}:${r.id}`)}`).join('&');
}

/** The four choosers, each with the chosen scenario selected. */
export function compareSelects(refs: readonly CompareRef[], options: readonly { value: string; label: string }[]) {
  return [0, 1, 2, 3].map((i) => ({
    number: i + 1, id: `compare-${i + 1}`,
    options: options.map((o) => ({ ...o, selected: refs[i] !== undefined && `${refs[i]!.kind}:${refs[i]!.id}` === o.value })),
  }));
}

function queryAll(req: Request, name: string): string[] {
  const v = req.query[name];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
}

export function compareRouter(ctx: Context): Router {
  const r = express.Router();
  const { loadPreset, loadSaved } = sources(ctx);
  const { scenarios, runs: runStore } = ctx.storage;
  const compareRefs = (req: Request): CompareRef[] => parseCompareRefs(queryAll(req, 's'));

  function resolveRef(ref: CompareRef, t: Translate = english): { scenario: Scenario; url: string; sourceLabel: string; run?: CompareRun | null } {
    if (ref.kind === 'preset') return { scenario: loadPreset(ref.id), url: `/presets/${ref.id}`, sourceLabel: t('Preset') };
    const saved = loadSaved(ref.id);
    // The latest finished Monte Carlo run of the saved scenario, when there is one.
    const last = runStore.list(500).find((r) => r.scenarioId === saved.id && r.status === 'done');
    const result = last ? runStore.result(last.id) : null;
    return { scenario: saved.scenario, url: `/scenarios/${saved.id}`, sourceLabel: t('Saved'), run: last && result ? { result, url: `/runs/${last.id}` } : null };
  }

  /** The presets, the most recently changed saved scenarios and any chosen ones beyond those. */
  function compareOptions(refs: readonly CompareRef[] = [], t: Translate = english): { value: string; label: string }[] {
    const recent = scenarios.choices(CHOICES);
    const shown = new Set(recent.map((s) => s.id));
    const chosen = refs.filter((r) => r.kind === 'saved' && !shown.has(r.id)).flatMap((r) => {
      const name = scenarios.nameOf(r.id);
      return name === null ? [] : [{ id: r.id, name }];
    });
    return [
      ...presetCards().map((p) => ({ value: `preset:${p.id}`, label: t('Preset: {name}', { name: t(p.name) }) })),
      ...[...chosen, ...recent].map((s) => ({ value: `saved:${s.id}`, label: t('Saved: {name}', { name: shownName(s.name, t) }) })),
    ];
  }

  /** GET /compare?s=kind:id…: the choosers, and the comparison once two are chosen. */
  async function showCompare(req: Request, res: Response): Promise<void> {
    const refs = compareRefs(req);
    const l = localizerOf(res);
    const selects = compareSelects(refs, compareOptions(refs, l.t));
    if (refs.length < 2) {
      sendPage(res, ctx.views, 'compare/compare', { title: l.t('Compare scenarios'), nav: 'compare', selects, model: null, tooFew: refs.length > 0 });
      return;
    }
    const model = await compareModel(ctx, refs, (ref) => resolveRef(ref, l.t), l);
    const query = compareQuery(refs);
    const charts = model.charts.map((c) => ({ ...c, csvUrl: `/compare/charts/${c.id}.csv?${query}` }));
    sendPage(res, ctx.views, 'compare/compare', {
      title: l.t('Compare scenarios'), nav: 'compare', selects, model, charts,
      chartData: charts.map((c) => chartJson(c, l.locale)),
    });
  }

  /** GET /compare/charts/:chart.csv: one chart of the comparison as CSV. */
  async function downloadCompareChart(req: Request, res: Response): Promise<void> {
    const refs = compareRefs(req);
    if (refs.length < 2) throw new HttpError(404, msg('Choose at least two scenarios to compare.'));
    const chart = (await compareModel(ctx, refs, (ref) => resolveRef(ref))).charts.find((c) => c.id === param(req, 'chart'));
    if (!chart) throw new HttpError(404, msg('There is no chart with that name.'));
    sendDownload(res, `compare-${chart.id}.csv`, 'text/csv', chartCsv(chart));
  }

  r.get('/compare', route(showCompare));
  r.get('/compare/charts/:chart.csv', route(downloadCompareChart));
  return r;
}
