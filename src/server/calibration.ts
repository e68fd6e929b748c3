/**
 * Calibration from a loan tape, in the browser: upload (streamed to the data folder), the
 * column mapping with a preview (remembered per lender), the import (every bad row listed,
 * nothing kept when any is bad), the report with its charts and backtest, CSV and JSON
 * downloads, and a saved scenario made or updated from it. Every step is a plain form.
 *
 * The upload is multipart, which the app's form parser does not read: its CSRF token is
 * checked here, from the form's fields, before a byte of the file is written. The form puts
 * the token first, and a file sent before a valid token is refused.
 */
import busboy from 'busboy';
import express, { type Request, type Response, type Router } from 'express';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { backtest, type Backtest, type BacktestSeries, type Measure } from '../core/calibration/backtest.ts';
import { calibrate, type Calibration, type Estimate } from '../core/calibration/estimate.ts';
import { FIELD_INFO, guessMapping, LIMITS, LOAN_FIELDS, mappingProblems, STAGE_RULE_TEXT, type ColumnMapping } from '../core/calibration/fields.ts';
import { calibrationCsv } from '../core/calibration/report.ts';
import { parseDate } from '../core/calibration/rows.ts';
import { calibratedScenario } from '../core/calibration/scenario.ts';
import { inverseNormalCdf, normalCdf } from '../core/math/normal.ts';
import type { Scenario } from '../core/schema.ts';
import { STAGE_LABELS, STAGES } from '../core/stages.ts';
import { formatOf, importTape, previewTape, TapeError, type RowError } from '../storage/loan-tape-reader.ts';
import { ID_PATTERN, type TapeRecord } from '../storage/index.ts';
import { viewerOf } from './auth.ts';
import type { Context } from './context.ts';
import { formatter } from '../i18n/format.ts';
import { HttpError, sendDownload } from './pages.ts';
import { DEFAULT_PRESET, presetCards, presetScenario } from './presets.ts';
import { chartCsv, chartJson, makeTable, type ChartSpec, type Dataset } from './results.ts';
import { route } from './route.ts';
import { CSRF_COOKIE, CSRF_FIELD, parseCookies } from './security.ts';
import { sendPage } from './view.ts';

/** What an import stores as the tape's report. */
export interface CalibrationReport {
  readonly calibration: Calibration;
  readonly scenario: Scenario;
  readonly baseName: string;
  readonly estimated: readonly string[];
  readonly flagged: readonly string[];
  readonly backtest: Backtest | null;
  readonly backtestProblem: string | null;
}

const BACKTEST_PATHS = 1000;
const MB = 1024 * 1024;
const LIMIT_TEXT = `CSV or XLSX, at most ${LIMITS.maxBytes / MB} MB, ${LIMITS.maxRows.toLocaleString('en')} loans and ${LIMITS.maxColumns} columns; the first ${LIMITS.maxReportedErrors.toLocaleString('en')} problems are listed.`;
const pct = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(d)} %`);
const interval = (e: { lower: number | null; upper: number | null }, f: (x: number) => string = pct) => (e.lower === null || e.upper === null ? '—' : `${f(e.lower)} – ${f(e.upper)}`);
const count = (x: number) => Math.round(x).toLocaleString('en');
const bodyField = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[v.length - 1] ?? '') : '';
};

function baseOptions(ctx: Context, selected: string) {
  const presets = presetCards().map((p) => ({ value: `preset:${p.id}`, label: `Preset: ${p.name}` }));
  const saved = ctx.storage.scenarios.choices().map((s) => ({ value: `saved:${s.id}`, label: `Saved: ${s.name}` }));
  return [...presets, ...saved].map((o) => ({ ...o, selected: o.value === selected }));
}

function baseScenario(ctx: Context, ref: string): Scenario | null {
  const [kind, id = ''] = ref.split(':');
  if (kind === 'preset') return presetScenario(id);
  if (kind === 'saved' && ID_PATTERN.test(id)) return ctx.storage.scenarios.get(id)?.scenario ?? null;
  return null;
}

// ----- Charts --------------------------------------------------------------------------------

function chart(id: string, title: string, caption: string, format: ChartSpec['format'], xTitle: string, yTitle: string, labels: string[], datasets: Dataset[], currency = ''): ChartSpec {
  const f = formatter(currency);
  return { id, title, caption, kind: 'line', format, currency, xTitle, yTitle, labels, datasets, marks: [], available: true, unavailable: '', ...makeTable(f, format, xTitle, labels, datasets) };
}

function vintageChart(cal: Calibration): ChartSpec {
  const maxAge = Math.max(1, ...cal.vintages.map((v) => v.cumulative.length));
  const labels = Array.from({ length: maxAge }, (_, k) => String(k + 1));
  const datasets: Dataset[] = cal.vintages.map((v, i) => ({
    label: `${v.year} (${count(v.loans)} loans)`, data: labels.map((_, k) => v.cumulative[k] ?? null), style: 'line', color: i,
  }));
  return chart('vintages', 'Vintage default curves', 'Cumulative default rate of each origination year’s loans by loan age, from the life table (loans still running, repaid early or matured count for the time they were watched).',
    'percent', 'Loan age (years)', 'Cumulative default rate', labels, datasets);
}

/** Quantile q of the one-factor model's yearly default rate: Φ((Φ⁻¹(PD) + √ρ Φ⁻¹(q)) / √(1 − ρ)). */
export function vasicekQuantile(pd: number, rho: number, q: number): number {
  if (pd <= 0 || pd >= 1) return pd;
  return normalCdf((inverseNormalCdf(pd) + Math.sqrt(rho) * inverseNormalCdf(q)) / Math.sqrt(1 - rho));
}

function defaultRateChart(cal: Calibration): ChartSpec | null {
  const c = cal.portfolio.correlation;
  if (c.series.length === 0) return null;
  const labels = c.series.map((p) => String(p.year));
  const pd = cal.portfolio.pd.estimate;
  const rho = c.ml ?? 0;
  const datasets: Dataset[] = [
    { label: 'Fitted: 5th percentile', data: labels.map(() => vasicekQuantile(pd, rho, 0.05)), style: 'band-low', color: 0 },
    { label: 'Fitted distribution: 5th to 95th percentile', data: labels.map(() => vasicekQuantile(pd, rho, 0.95)), style: 'band-high', color: 0, alpha: 0.25 },
    { label: 'Fitted: median', data: labels.map(() => vasicekQuantile(pd, rho, 0.5)), style: 'dashed', color: 0 },
    { label: 'Long-run PD', data: labels.map(() => pd), style: 'line', color: 5 },
    { label: 'Observed default rate', data: c.series.map((p) => p.rate), style: 'points', color: 3 },
  ];
  const fitted = c.ml === null ? 'no correlation could be fitted, so the band is the PD alone' : `asset correlation ${c.ml.toFixed(3)} by maximum likelihood`;
  return chart('default-rate', 'Default rate by year against the fitted distribution',
    `Defaults ÷ loan-years at risk in each full calendar year, against the one-factor model’s distribution of the yearly rate at the portfolio PD ${pct(pd)} and ${fitted}: the band holds 90 % of years.`,
    'percent', 'Year', 'Default rate', labels, datasets);
}

const MEASURE_TITLE: Record<Measure, string> = { defaults: 'Defaults', claims: 'Claims arising (covered outstanding at default)', recoveries: 'Recoveries (covered share)' };

function backtestChart(b: Backtest, s: BacktestSeries, currency: string): ChartSpec {
  const labels = b.years.map(String);
  const pctBand = Math.round(b.band * 100);
  const datasets: Dataset[] = [
    { label: 'Model: lower end of band', data: s.points.map((p) => p.lower), style: 'band-low', color: 0 },
    { label: `Model: ${pctBand} % of paths`, data: s.points.map((p) => p.upper), style: 'band-high', color: 0, alpha: 0.25 },
    { label: 'Model: median', data: s.points.map((p) => p.median), style: 'dashed', color: 0 },
    { label: 'Model: expected', data: s.points.map((p) => p.expected), style: 'line', color: 5 },
    { label: 'Observed', data: s.points.map((p) => p.observed), style: 'points', color: 3 },
  ];
  const format = s.measure === 'defaults' ? 'count' : 'money';
  return chart(`backtest-${s.measure}`, `Backtest: ${MEASURE_TITLE[s.measure].toLowerCase()} by year`,
    `Observed against the calibrated model run over the same years with the loans actually made (${b.paths.toLocaleString('en')} paths): observed lies inside the band in ${s.inside} of ${s.points.length} years.`,
    format, 'Year', format === 'count' ? 'Defaults' : `Amount (${currency})`, labels, datasets, format === 'money' ? currency : '');
}

function reportCharts(r: CalibrationReport): ChartSpec[] {
  const out: ChartSpec[] = [vintageChart(r.calibration)];
  const dr = defaultRateChart(r.calibration);
  if (dr) out.push(dr);
  if (r.backtest) for (const s of r.backtest.series.filter((x) => x.stage === 'all')) out.push(backtestChart(r.backtest, s, r.scenario.currency));
  return out;
}

// ----- The report's tables ---------------------------------------------------------------------

const used = (e: { enough: boolean }) => (e.enough ? 'yes' : 'no: too little data');

function reportModel(r: CalibrationReport) {
  const cal = r.calibration;
  const money = formatter(r.scenario.currency);
  const pdRows = cal.stages.flatMap((st) => st.grades.map((g) => [STAGE_LABELS[st.stage], g.grade, count(g.loans), count(g.loanYears), count(g.defaults), pct(g.pd.estimate), interval(g.pd), used(g.pd)]));
  const est = (e: Estimate | null) => (e ? `${pct(e.estimate)} (${interval(e)}; ${count(e.n)})` : '—');
  const stageRows = cal.stages.filter((st) => st.loans > 0).map((st) => {
    const c = st.correlation;
    return [STAGE_LABELS[st.stage], count(st.loans), money.money(st.loanSize), `${st.tenorYears.toFixed(2)} y`, count(st.defaults), est(st.lgdBeforeCollateral), est(st.exit),
      c.ml === null ? '—' : `${c.ml.toFixed(3)} (${interval(c, (x) => x.toFixed(3))}; ${c.years} years)`];
  });
  const transitionRows = cal.stages.filter((st) => st.loans > 0).flatMap((st) => STAGES.filter((to) => to !== st.stage && st.transitions[to].estimate > 0)
    .map((to) => [`${STAGE_LABELS[st.stage]} → ${STAGE_LABELS[to]}`, pct(st.transitions[to].estimate), interval(st.transitions[to]), count(st.transitions[to].n), used(st.transitions[to])]));
  const pc = cal.portfolio.correlation;
  const rec = cal.recovery;
  const portfolioRows = [
    ['Annual PD', pct(cal.portfolio.pd.estimate), interval(cal.portfolio.pd), `${count(cal.portfolio.loanYears)} loan-years, ${count(cal.portfolio.defaults)} defaults`],
    ['Asset correlation (maximum likelihood)', pc.ml === null ? '—' : pc.ml.toFixed(3), interval(pc, (x) => x.toFixed(3)), `${pc.years} years, ${count(pc.defaults)} defaults`],
    ['Asset correlation (method of moments, a check)', pc.moments === null ? '—' : pc.moments.toFixed(3), '—', `${pc.years} years`],
    ['Recovery rate', pct(rec.rate.estimate), interval(rec.rate), `${count(rec.resolved)} resolved defaults (${count(rec.inWorkout)} still in workout)`],
    ['Recovery lag (months)', Number.isFinite(rec.lagMonths.estimate) ? rec.lagMonths.estimate.toFixed(1) : '—', interval(rec.lagMonths, (x) => x.toFixed(1)), `${count(rec.lagMonths.n)} dated recoveries`],
    ['Exit (repaid early) per year', pct(cal.portfolio.exit.estimate), interval(cal.portfolio.exit), `${count(cal.portfolio.exit.n)} loan-years`],
  ];
  const b = r.backtest;
  const fmt = (m: Measure, x: number) => (m === 'defaults' ? count(x) : money.money(x));
  const backtestRows = b ? b.series.map((s) => {
    const outside = s.points.filter((p) => !p.inside);
    return {
      label: `${s.stage === 'all' ? 'Whole portfolio' : STAGE_LABELS[s.stage]}: ${MEASURE_TITLE[s.measure].split(' (')[0]!.toLowerCase()}`,
      inside: `${s.inside} of ${s.points.length}`, all: outside.length === 0,
      outside: outside.length === 0 ? 'none' : outside.map((p) => `${p.year} (${p.observed < p.lower ? 'below' : 'above'})`).join(', '),
    };
  }) : [];
  const stageDetail = b ? STAGES.filter((st) => b.series.some((s) => s.stage === st)).map((st) => {
    const ss = b.series.filter((s) => s.stage === st);
    return {
      title: `Backtest, ${STAGE_LABELS[st].toLowerCase()} stage, by year`,
      table: {
        columns: ['Year', ...ss.flatMap((s) => [`${s.measure}: observed`, `${s.measure}: ${Math.round(b.band * 100)} % band`])],
        rows: b.years.map((y, t) => [String(y), ...ss.flatMap((s) => {
          const p = s.points[t]!;
          return [`${fmt(s.measure, p.observed)}${p.inside ? '' : ' (outside)'}`, `${fmt(s.measure, p.lower)} – ${fmt(s.measure, p.upper)}`];
        })]),
      },
    };
  }) : [];
  return {
    summary: [
      ['Loans', count(cal.loans)], ['Origination years', `${cal.firstYear}–${cal.lastYear}`], ['Data to', cal.asOf], ['Full years of default rates', String(pc.years)],
      ['Defaults', count(cal.portfolio.defaults)], ['Loan-years at risk', count(cal.portfolio.loanYears)], ['Resolved defaults (for recoveries)', count(rec.resolved)],
    ],
    pdTable: { columns: ['Stage', 'Grade', 'Loans', 'Loan-years', 'Defaults', 'Annual PD', '95 % interval', 'Used'], rows: pdRows },
    stageTable: { columns: ['Stage', 'Loans', 'Mean loan', 'Mean tenor', 'Defaults', 'LGD before collateral (95 % interval; resolved defaults)', 'Exit per year (95 % interval; loan-years)', 'Asset correlation (95 % interval)'], rows: stageRows },
    transitionTable: transitionRows.length ? { columns: ['Move', 'Per year', '95 % interval', 'Loan-years', 'Used'], rows: transitionRows } : null,
    portfolioTable: { columns: ['Estimate', 'Value', '95 % interval', 'Behind it'], rows: portfolioRows },
    backtestRows, stageDetail,
  };
}

// ----- Pages -----------------------------------------------------------------------------------

export function calibrationRouter(ctx: Context): Router {
  const r = express.Router();
  const tapes = ctx.storage.tapes;
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, { nav: 'calibration', ...data }, status);

  const listPage = (res: Response, o: { error?: string; lender?: string; flash?: string | null }, status = 200) => {
    const list = tapes.list().map((t) => ({
      ...t, pending: t.status === 'pending', size: `${(t.sizeBytes / MB).toFixed(t.sizeBytes < MB ? 2 : 1)} MB`,
      created: t.createdAt.slice(0, 16).replace('T', ' '), rowsText: t.rows === null ? '—' : count(t.rows),
    }));
    page(res, 'calibration', { title: 'Calibrate from a loan tape', tapes: list, limits: LIMIT_TEXT, stageRule: STAGE_RULE_TEXT, fields: FIELD_INFO, ...o }, status);
  };

  const loadTape = (req: Request): TapeRecord => {
    const id = String((req.params as Record<string, string>).id ?? '');
    const t = ID_PATTERN.test(id) ? tapes.get(id) : null;
    if (!t) throw new HttpError(404, 'There is no loan tape with that id. It may have been deleted.');
    return t;
  };
  const loadReport = (t: TapeRecord): CalibrationReport => {
    const report = t.status === 'imported' ? tapes.report<CalibrationReport>(t.id) : null;
    if (!report) throw new HttpError(404, 'This tape has not been imported yet: choose its columns first.', [`Open /calibration/tapes/${t.id}`]);
    return report;
  };

  r.get('/', route((req, res) => {
    const flash = req.query.flash === 'deleted' ? 'The tape and its file were deleted.' : null;
    listPage(res, { flash });
  }));

  // The upload: the token first, then the file, streamed to the incoming folder.
  r.post('/upload', (req, res, next) => {
    const refuse = (status: number, error: string) => listPage(res, { error }, status);
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      refuse(400, 'The upload must be sent as a file from the form below.');
      return;
    }
    // Bound to the session when signed in, as every other form's token.
    const cookieId = (res.locals.who as { session?: string | null } | null)?.session || parseCookies(req.headers.cookie)[CSRF_COOKIE];
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: LIMITS.maxBytes, files: 1, fields: 5, fieldSize: 10_000, parts: 10 } });
    } catch {
      refuse(400, 'The upload could not be read. Choose the file again and send it.');
      return;
    }
    const fields: Record<string, string> = {};
    let tokenOk = false;
    let problem: { status: number; message: string } | null = null;
    let file: Promise<{ path: string; name: string; size: number; truncated: boolean }> | null = null;
    const written: string[] = [];
    bb.on('field', (name, value) => {
      fields[name] = value;
      if (name === CSRF_FIELD) tokenOk = ctx.csrf.verify(cookieId, value);
    });
    bb.on('file', (name, stream, info) => {
      if (!tokenOk) {
        problem ??= { status: 403, message: 'The form has expired or did not come from this site. Reload the page and try again.' };
        stream.resume();
        return;
      }
      if (name !== 'tape' || file) {
        stream.resume();
        return;
      }
      if (!info.filename) {
        stream.resume();
        return;
      }
      if (!formatOf(info.filename)) {
        problem ??= { status: 415, message: `“${info.filename}” is neither a .csv nor an .xlsx file. Export the loan tape as CSV (UTF-8) or as an Excel workbook (.xlsx).` };
        stream.resume();
        return;
      }
      const path = tapes.incomingPath();
      const fileName = info.filename;
      written.push(path);
      let truncated = false;
      stream.on('limit', () => { truncated = true; });
      file = pipeline(stream, createWriteStream(path)).then(() => ({ path, name: fileName, size: statSync(path).size, truncated }));
    });
    const cleanUp = () => written.forEach((p) => rmSync(p, { force: true }));
    bb.on('error', (e) => {
      cleanUp();
      req.unpipe(bb);
      next(Object.assign(new Error('The upload was interrupted or is not a valid form.'), { status: 400, expose: true, cause: e }));
    });
    bb.on('close', () => {
      void (async () => {
        let f: Awaited<NonNullable<typeof file>> | null = null;
        try {
          f = file ? await file : null;
        } catch {
          problem ??= { status: 400, message: 'The upload was interrupted. Send the file again.' };
        }
        if (problem) { cleanUp(); refuse(problem.status, problem.message); return; }
        if (!tokenOk) { cleanUp(); refuse(403, 'The form has expired or did not come from this site. Reload the page and try again.'); return; }
        if (!f || f.size === 0) { cleanUp(); refuse(422, 'Choose a loan tape (a .csv or .xlsx file) to upload.'); return; }
        if (f.truncated) {
          cleanUp();
          refuse(413, `The file is larger than ${LIMITS.maxBytes / MB} MB, the most accepted; nothing was kept. Split it (by origination year, say) or leave out columns the calibration does not use.`);
          return;
        }
        const format = formatOf(f.name)!;
        try {
          await previewTape(f.path, format);
        } catch (e) {
          cleanUp();
          if (e instanceof TapeError) { refuse(422, `${e.message} Nothing was kept.`); return; }
          throw e;
        }
        const lender = (fields.lender ?? '').trim() || 'Unnamed lender';
        const tape = tapes.add({ incomingPath: f.path, name: f.name, lender, format, sizeBytes: f.size }, viewerOf(res)?.id ?? null);
        res.redirect(303, `/calibration/tapes/${tape.id}`);
      })().catch((e) => { cleanUp(); next(e); });
    });
    req.pipe(bb);
  });

  // Every other form here is urlencoded: the app's own check.
  r.use(ctx.csrf.check());

  const mappingPage = async (res: Response, t: TapeRecord, o: { mapping?: ColumnMapping; problems?: string[]; asOf?: string; base?: string; status?: number } = {}) => {
    const preview = await previewTape(tapes.path(t), t.format);
    const remembered = tapes.mappingFor(t.lender);
    const start = o.mapping ?? (remembered ? Object.fromEntries(Object.entries(remembered).filter(([, h]) => preview.headers.includes(h))) as ColumnMapping : guessMapping(preview.headers));
    const fields = FIELD_INFO.map((f) => ({
      ...f, name: `map_${f.field}`, id: `map-${f.field}`,
      options: preview.headers.map((h) => ({ value: h, selected: start[f.field] === h })),
    }));
    page(res, 'calibration-mapping', {
      title: `Columns of ${t.name}`, tape: t, preview, fields, problems: o.problems ?? [], remembered: remembered !== null && !o.mapping,
      asOf: o.asOf ?? '', bases: baseOptions(ctx, o.base ?? `preset:${DEFAULT_PRESET}`), stageRule: STAGE_RULE_TEXT, limits: LIMIT_TEXT,
    }, o.status ?? 200);
  };

  r.get('/tapes/:id', route(async (req, res) => {
    const t = loadTape(req);
    if (t.status === 'pending') {
      await mappingPage(res, t);
      return;
    }
    const report = loadReport(t);
    const charts = reportCharts(report).map((c) => ({ ...c, csvUrl: `/calibration/tapes/${t.id}/charts/${c.id}.csv` }));
    const saved = ctx.storage.scenarios.choices();
    page(res, 'calibration-report', {
      title: `Calibration: ${t.name}`, tape: t, report, model: reportModel(report), chartData: charts.map(chartJson), saved,
      estimateCharts: charts.filter((c) => !c.id.startsWith('backtest-')), backtestCharts: charts.filter((c) => c.id.startsWith('backtest-')),
      scenarioName: report.scenario.name, warnings: report.calibration.warnings, loansText: count(report.calibration.loans),
    });
  }));

  r.post('/tapes/:id/import', route(async (req, res) => {
    const t = loadTape(req);
    if (t.status !== 'pending') { res.redirect(303, `/calibration/tapes/${t.id}`); return; }
    const mapping: ColumnMapping = {};
    for (const f of LOAN_FIELDS) {
      const h = bodyField(req, `map_${f}`);
      if (h) mapping[f] = h;
    }
    const asOfText = bodyField(req, 'asOf').trim();
    const baseRef = bodyField(req, 'base') || `preset:${DEFAULT_PRESET}`;
    const preview = await previewTape(tapes.path(t), t.format);
    const problems = mappingProblems(mapping, preview.headers);
    let asOf: number | null = null;
    if (asOfText) {
      const d = parseDate(asOfText);
      if (d === null || d === 'bad') problems.push(`Data end date: “${asOfText}” is not a date (write YYYY-MM-DD).`);
      else asOf = d;
    }
    const base = baseScenario(ctx, baseRef);
    if (!base) problems.push('Base scenario: choose a preset or a saved scenario.');
    if (problems.length > 0 || !base) {
      await mappingPage(res, t, { mapping, problems, asOf: asOfText, base: baseRef, status: 422 });
      return;
    }
    tapes.rememberMapping(t.lender, mapping);
    let result;
    try {
      result = await importTape(tapes.path(t), t.format, mapping, asOf);
    } catch (e) {
      if (!(e instanceof TapeError)) throw e;
      tapes.delete(t.id);
      page(res, 'calibration-errors', { title: 'Nothing imported', tape: t, message: e.message, errors: [], limits: LIMIT_TEXT }, 422);
      return;
    }
    if (!result.table) {
      // Nothing is kept of a tape with a bad row: its row and its file go.
      tapes.delete(t.id);
      const errors = result.errors.map((e: RowError) => ({ ...e, fieldLabel: e.field ? FIELD_INFO.find((f) => f.field === e.field)?.label ?? e.field : '' }));
      page(res, 'calibration-errors', {
        title: 'Nothing imported', tape: t, errors, errorCount: result.errorCount, badRows: result.badRows, rows: result.rows,
        more: result.errorCount - result.errors.length, limits: LIMIT_TEXT,
      }, 422);
      return;
    }
    const cal = calibrate(result.table, { asOf: asOf ?? undefined, cyclePersistence: base.monteCarlo.cyclePersistence });
    const built = calibratedScenario(base, cal, { tapeName: t.name });
    let bt: Backtest | null = null;
    let backtestProblem: string | null = null;
    try {
      bt = backtest(cal, built.scenario, { paths: BACKTEST_PATHS, seed: 1 });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      backtestProblem = e.message;
    }
    const report: CalibrationReport = { calibration: cal, scenario: built.scenario, baseName: base.name, estimated: built.estimated, flagged: built.flagged, backtest: bt, backtestProblem };
    tapes.markImported(t.id, { rows: result.rows, mapping, asOf: cal.asOf, baseRef, report });
    res.redirect(303, `/calibration/tapes/${t.id}`);
  }));

  r.get('/tapes/:id/report.json', route((req, res) => {
    const t = loadTape(req);
    const report = loadReport(t);
    sendDownload(res, `calibration-${t.id}.json`, 'application/json', `${JSON.stringify({ tape: { name: t.name, lender: t.lender, rows: t.rows, asOf: t.asOf, mapping: t.mapping }, ...report }, null, 1)}\n`);
  }));

  r.get('/tapes/:id/report.csv', route((req, res) => {
    const t = loadTape(req);
    const report = loadReport(t);
    let csv = calibrationCsv(report.calibration);
    if (report.backtest) {
      const rows = report.backtest.series.flatMap((s) => s.points.map((p) => [`backtest ${s.measure}`, s.stage === 'all' ? 'portfolio' : s.stage, String(p.year), String(p.observed), String(p.lower), String(p.upper), String(p.expected), '', p.inside ? 'inside' : 'outside', `median ${p.median}`]));
      csv += rows.map((r) => r.join(',')).join('\n') + '\n';
    }
    sendDownload(res, `calibration-${t.id}.csv`, 'text/csv', csv);
  }));

  r.get('/tapes/:id/charts/:chart.csv', route((req, res) => {
    const t = loadTape(req);
    const c = reportCharts(loadReport(t)).find((x) => x.id === String((req.params as Record<string, string>).chart));
    if (!c) throw new HttpError(404, 'There is no chart with that name.');
    sendDownload(res, `calibration-${t.id}-${c.id}.csv`, 'text/csv', chartCsv(c));
  }));

  r.post('/tapes/:id/scenario', route((req, res) => {
    const t = loadTape(req);
    const report = loadReport(t);
    const name = bodyField(req, 'name').trim().slice(0, 120);
    const target = bodyField(req, 'target');
    if (target && target !== 'new') {
      // The estimates written onto the chosen saved scenario, which keeps its other settings.
      const saved = ID_PATTERN.test(target) ? ctx.storage.scenarios.get(target) : null;
      if (!saved) throw new HttpError(404, 'There is no saved scenario with that id to update.');
      const built = calibratedScenario(saved.scenario, report.calibration, { tapeName: t.name, name: name || saved.scenario.name });
      ctx.storage.scenarios.update(saved.id, built.scenario);
      res.redirect(303, `/scenarios/${saved.id}?flash=saved`);
      return;
    }
    const saved = ctx.storage.scenarios.create({ ...report.scenario, name: name || report.scenario.name });
    res.redirect(303, `/scenarios/${saved.id}?flash=saved`);
  }));

  r.post('/tapes/:id/delete', route((req, res) => {
    const t = loadTape(req);
    tapes.delete(t.id);
    res.redirect(303, '/calibration?flash=deleted');
  }));

  return r;
}

