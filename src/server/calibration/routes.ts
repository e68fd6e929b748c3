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
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { backtest, type Backtest, type BacktestSeries, type Measure } from '../../core/calibration/backtest.ts';
import { calibrate, type Calibration, type Estimate } from '../../core/calibration/estimate.ts';
import { FIELD_INFO, guessMapping, LIMITS, LOAN_FIELDS, mappingProblems, STAGE_RULE_TEXT, type ColumnMapping } from '../../core/calibration/fields.ts';
import { calibrationCsv } from '../../core/calibration/report.ts';
import { parseDate } from '../../core/calibration/rows.ts';
import { calibratedScenario } from '../../core/calibration/scenario.ts';
import { inverseNormalCdf, normalCdf } from '../../core/math/normal.ts';
import type { Scenario } from '../../core/schema.ts';
import { localizeCalibrationText } from '../../core/calibration/messages.ts';
import { STAGES, type Stage } from '../../core/stages.ts';
import { languages, msg, type Localizer, type Translate } from '../../i18n/index.ts';
import { formatOf, importTape, previewTape, TapeError, type RowError } from '../../storage/loan-tape-reader.ts';
import { ID_PATTERN, type TapeRecord } from '../../storage/index.ts';
import { viewerOf, whoOf } from '../accounts/auth.ts';
import { mayShare, sharedFlash, shareForm, shareTarget, sharingColumns } from '../accounts/sharing.ts';
import type { Context } from '../context.ts';
import { formatter } from '../../i18n/format.ts';
import { localizerOf } from '../http/language.ts';
import { sendDownload } from '../http/download.ts';
import { HttpError } from '../http/errors.ts';
import { DEFAULT_PRESET, presetCards, presetScenario } from '../scenarios/presets.ts';
import { chartCsv, chartJson, makeTable, type ChartSpec, type Dataset } from '../scenarios/results.ts';
import { route } from '../http/route.ts';
import { CSRF_COOKIE, CSRF_FIELD, parseCookies } from '../http/security.ts';
import { sendPage } from '../http/view.ts';

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
const bodyField = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[v.length - 1] ?? '') : '';
};

/** Downloads (chart CSV files) keep English headers, whatever the page's language. */
const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: (key, values) => languages().translator('en')(key, values) };

/** The lifecycle stages as the report names them. */
const STAGE_NAMES: Record<Stage, string> = { founding: msg('Founding'), growth: msg('Growth'), maturity: msg('Maturity'), transformation: msg('Transformation') };

/** Numbers of the report in the reader's locale: percentages and decimals to a fixed number of places. */
function numbers(locale: string) {
  const fixed = (x: number, d: number) => x.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  const pct = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${fixed(x * 100, d)} %`);
  const count = (x: number) => formatter('', locale).count(x);
  /** A whole number without grouping, as the error page has always written its counts. */
  const plain = (x: number) => x.toLocaleString(locale, { useGrouping: false, maximumFractionDigits: 0 });
  const interval = (e: { lower: number | null; upper: number | null }, f: (x: number) => string = pct) => (e.lower === null || e.upper === null ? '—' : `${f(e.lower)} – ${f(e.upper)}`);
  return { fixed, pct, count, plain, interval };
}

/** The limits of an upload, in words. */
function limitText(l: Localizer): string {
  const n = numbers(l.locale);
  const { t } = l;
  return t('CSV or XLSX, at most {mb} MB, {rows} loans and {columns} columns; the first {errors} problems are listed.', {
    mb: n.count(LIMITS.maxBytes / MB), rows: n.count(LIMITS.maxRows), columns: n.count(LIMITS.maxColumns), errors: n.count(LIMITS.maxReportedErrors),
  });
}

/** Sentences from the file reader, as messages (the calibration's own are in src/core/calibration/messages.ts). */
const READER_MESSAGES = [
  msg('The file cannot be read as CSV: {detail}'),
  msg('The file cannot be read as XLSX: {detail}'),
  msg('the line has {cells} cells but there are {headers} headers'),
];
const localize = (text: string, l: Localizer) => localizeCalibrationText(text, l.t, READER_MESSAGES, l.locale);

/** The lender of a tape uploaded without one: stored in English, shown in the reader's language. */
const UNNAMED_LENDER = msg('Unnamed lender');
const shownTape = (tape: TapeRecord, t: Translate) => (tape.lender === UNNAMED_LENDER ? { ...tape, lender: t(UNNAMED_LENDER) } : tape);

/** The fields of a loan tape, their names and help in the reader's language. */
const fieldInfo = (t: Translate) => FIELD_INFO.map((f) => ({ ...f, label: t(f.label), help: t(f.help) }));

function baseOptions(ctx: Context, selected: string, t: Translate) {
  const presets = presetCards().map((p) => ({ value: `preset:${p.id}`, label: t('Preset: {name}', { name: t(p.name) }) }));
  const saved = ctx.storage.scenarios.choices().map((s) => ({ value: `saved:${s.id}`, label: t('Saved: {name}', { name: s.name }) }));
  return [...presets, ...saved].map((o) => ({ ...o, selected: o.value === selected }));
}

function baseScenario(ctx: Context, ref: string): Scenario | null {
  const [kind, id = ''] = ref.split(':');
  if (kind === 'preset') return presetScenario(id);
  if (kind === 'saved' && ID_PATTERN.test(id)) return ctx.storage.scenarios.get(id)?.scenario ?? null;
  return null;
}

// ----- Charts --------------------------------------------------------------------------------

function chart(l: Localizer, id: string, title: string, caption: string, format: ChartSpec['format'], xTitle: string, yTitle: string, labels: string[], datasets: Dataset[], currency = ''): ChartSpec {
  const f = formatter(currency, l.locale);
  return { id, title, caption, kind: 'line', format, currency, xTitle, yTitle, labels, datasets, marks: [], available: true, unavailable: '', ...makeTable(f, format, xTitle, labels, datasets) };
}

function vintageChart(cal: Calibration, l: Localizer): ChartSpec {
  const { t } = l;
  const n = numbers(l.locale);
  const maxAge = Math.max(1, ...cal.vintages.map((v) => v.cumulative.length));
  const labels = Array.from({ length: maxAge }, (_, k) => String(k + 1));
  const datasets: Dataset[] = cal.vintages.map((v, i) => ({
    label: t('{year} ({loans} loans)', { year: String(v.year), loans: n.count(v.loans) }), data: labels.map((_, k) => v.cumulative[k] ?? null), style: 'line', color: i,
  }));
  return chart(l, 'vintages', t('Vintage default curves'), t('Cumulative default rate of each origination year’s loans by loan age, from the life table (loans still running, repaid early or matured count for the time they were watched).'),
    'percent', t('Loan age (years)'), t('Cumulative default rate'), labels, datasets);
}

/** Quantile q of the one-factor model's yearly default rate: Φ((Φ⁻¹(PD) + √ρ Φ⁻¹(q)) / √(1 − ρ)). */
export function vasicekQuantile(pd: number, rho: number, q: number): number {
  if (pd <= 0 || pd >= 1) return pd;
  return normalCdf((inverseNormalCdf(pd) + Math.sqrt(rho) * inverseNormalCdf(q)) / Math.sqrt(1 - rho));
}

function defaultRateChart(cal: Calibration, l: Localizer): ChartSpec | null {
  const { t } = l;
  const n = numbers(l.locale);
  const c = cal.portfolio.correlation;
  if (c.series.length === 0) return null;
  const labels = c.series.map((p) => String(p.year));
  const pd = cal.portfolio.pd.estimate;
  const rho = c.ml ?? 0;
  const datasets: Dataset[] = [
    { label: t('Fitted: 5th percentile'), data: labels.map(() => vasicekQuantile(pd, rho, 0.05)), style: 'band-low', color: 0 },
    { label: t('Fitted distribution: 5th to 95th percentile'), data: labels.map(() => vasicekQuantile(pd, rho, 0.95)), style: 'band-high', color: 0, alpha: 0.25 },
    { label: t('Fitted: median'), data: labels.map(() => vasicekQuantile(pd, rho, 0.5)), style: 'dashed', color: 0 },
    { label: t('Long-run PD'), data: labels.map(() => pd), style: 'line', color: 5 },
    { label: t('Observed default rate'), data: c.series.map((p) => p.rate), style: 'points', color: 3 },
  ];
  const caption = c.ml === null
    ? t('Defaults ÷ loan-years at risk in each full calendar year, against the one-factor model’s distribution of the yearly rate at the portfolio PD {pd} and no correlation could be fitted, so the band is the PD alone: the band holds 90 % of years.', { pd: n.pct(pd) })
    : t('Defaults ÷ loan-years at risk in each full calendar year, against the one-factor model’s distribution of the yearly rate at the portfolio PD {pd} and asset correlation {rho} by maximum likelihood: the band holds 90 % of years.', { pd: n.pct(pd), rho: n.fixed(c.ml, 3) });
  return chart(l, 'default-rate', t('Default rate by year against the fitted distribution'), caption, 'percent', t('Year'), t('Default rate'), labels, datasets);
}

const BACKTEST_TITLE: Record<Measure, string> = { defaults: msg('Backtest: defaults by year'), claims: msg('Backtest: claims arising (covered outstanding at default) by year'), recoveries: msg('Backtest: recoveries (covered share) by year') };

function backtestChart(b: Backtest, s: BacktestSeries, currency: string, l: Localizer): ChartSpec {
  const { t } = l;
  const n = numbers(l.locale);
  const labels = b.years.map(String);
  const pctBand = Math.round(b.band * 100);
  const datasets: Dataset[] = [
    { label: t('Model: lower end of band'), data: s.points.map((p) => p.lower), style: 'band-low', color: 0 },
    { label: t('Model: {band} % of paths', { band: n.count(pctBand) }), data: s.points.map((p) => p.upper), style: 'band-high', color: 0, alpha: 0.25 },
    { label: t('Model: median'), data: s.points.map((p) => p.median), style: 'dashed', color: 0 },
    { label: t('Model: expected'), data: s.points.map((p) => p.expected), style: 'line', color: 5 },
    { label: t('Observed'), data: s.points.map((p) => p.observed), style: 'points', color: 3 },
  ];
  const format = s.measure === 'defaults' ? 'count' : 'money';
  return chart(l, `backtest-${s.measure}`, t(BACKTEST_TITLE[s.measure]),
    t('Observed against the calibrated model run over the same years with the loans actually made ({paths} paths): observed lies inside the band in {inside} of {years} years.', { paths: n.count(b.paths), inside: n.count(s.inside), years: n.count(s.points.length) }),
    format, t('Year'), format === 'count' ? t('Defaults') : t('Amount ({currency})', { currency }), labels, datasets, format === 'money' ? currency : '');
}

function reportCharts(r: CalibrationReport, l: Localizer): ChartSpec[] {
  const out: ChartSpec[] = [vintageChart(r.calibration, l)];
  const dr = defaultRateChart(r.calibration, l);
  if (dr) out.push(dr);
  if (r.backtest) for (const s of r.backtest.series.filter((x) => x.stage === 'all')) out.push(backtestChart(r.backtest, s, r.scenario.currency, l));
  return out;
}

// ----- The report's tables ---------------------------------------------------------------------

function reportModel(r: CalibrationReport, l: Localizer) {
  const { t } = l;
  const { pct, count, fixed, interval } = numbers(l.locale);
  const stage = (st: Stage) => t(STAGE_NAMES[st]);
  const used = (e: { enough: boolean }) => (e.enough ? t('yes') : t('no: too little data'));
  const cal = r.calibration;
  const money = formatter(r.scenario.currency, l.locale);
  const pdRows = cal.stages.flatMap((st) => st.grades.map((g) => [stage(st.stage), g.grade, count(g.loans), count(g.loanYears), count(g.defaults), pct(g.pd.estimate), interval(g.pd), used(g.pd)]));
  const est = (e: Estimate | null) => (e ? t('{estimate} ({interval}; {n})', { estimate: pct(e.estimate), interval: interval(e), n: count(e.n) }) : '—');
  const stageRows = cal.stages.filter((st) => st.loans > 0).map((st) => {
    const c = st.correlation;
    return [stage(st.stage), count(st.loans), money.money(st.loanSize), t('{years} y', { years: fixed(st.tenorYears, 2) }), count(st.defaults), est(st.lgdBeforeCollateral), est(st.exit),
      c.ml === null ? '—' : t('{estimate} ({interval}; {years, plural, one {# year} other {# years}})', { estimate: fixed(c.ml, 3), interval: interval(c, (x) => fixed(x, 3)), years: c.years })];
  });
  const transitionRows = cal.stages.filter((st) => st.loans > 0).flatMap((st) => STAGES.filter((to) => to !== st.stage && st.transitions[to].estimate > 0)
    .map((to) => [t('{from} → {to}', { from: stage(st.stage), to: stage(to) }), pct(st.transitions[to].estimate), interval(st.transitions[to]), count(st.transitions[to].n), used(st.transitions[to])]));
  const pc = cal.portfolio.correlation;
  const rec = cal.recovery;
  const portfolioRows = [
    [t('Annual PD'), pct(cal.portfolio.pd.estimate), interval(cal.portfolio.pd), t('{loanYears} loan-years, {defaults} defaults', { loanYears: count(cal.portfolio.loanYears), defaults: count(cal.portfolio.defaults) })],
    [t('Asset correlation (maximum likelihood)'), pc.ml === null ? '—' : fixed(pc.ml, 3), interval(pc, (x) => fixed(x, 3)), t('{years, plural, one {# year} other {# years}}, {defaults} defaults', { years: pc.years, defaults: count(pc.defaults) })],
    [t('Asset correlation (method of moments, a check)'), pc.moments === null ? '—' : fixed(pc.moments, 3), '—', t('{years, plural, one {# year} other {# years}}', { years: pc.years })],
    [t('Recovery rate'), pct(rec.rate.estimate), interval(rec.rate), t('{resolved} resolved defaults ({workout} still in workout)', { resolved: count(rec.resolved), workout: count(rec.inWorkout) })],
    [t('Recovery lag (months)'), Number.isFinite(rec.lagMonths.estimate) ? fixed(rec.lagMonths.estimate, 1) : '—', interval(rec.lagMonths, (x) => fixed(x, 1)), t('{count} dated recoveries', { count: count(rec.lagMonths.n) })],
    [t('Exit (repaid early) per year'), pct(cal.portfolio.exit.estimate), interval(cal.portfolio.exit), t('{count} loan-years', { count: count(cal.portfolio.exit.n) })],
  ];
  const b = r.backtest;
  const fmt = (m: Measure, x: number) => (m === 'defaults' ? count(x) : money.money(x));
  const measureName: Record<Measure, string> = { defaults: t('defaults'), claims: t('claims arising'), recoveries: t('recoveries') };
  const measureCode: Record<Measure, string> = { defaults: t('defaults'), claims: t('claims'), recoveries: t('recoveries') };
  const bandText = b ? count(Math.round(b.band * 100)) : '';
  const backtestRows = b ? b.series.map((s) => {
    const outside = s.points.filter((p) => !p.inside);
    return {
      label: t('{series}: {measure}', { series: s.stage === 'all' ? t('Whole portfolio') : stage(s.stage), measure: measureName[s.measure] }),
      inside: t('{inside} of {total}', { inside: count(s.inside), total: count(s.points.length) }), all: outside.length === 0,
      outside: outside.length === 0 ? t('none') : outside.map((p) => (p.observed < p.lower ? t('{year} (below)', { year: String(p.year) }) : t('{year} (above)', { year: String(p.year) }))).join(', '),
    };
  }) : [];
  const stageDetail = b ? STAGES.filter((st) => b.series.some((s) => s.stage === st)).map((st) => {
    const ss = b.series.filter((s) => s.stage === st);
    return {
      title: t('Backtest, {stage} stage, by year', { stage: t(STAGE_NAMES[st]).toLowerCase() }),
      table: {
        columns: [t('Year'), ...ss.flatMap((s) => [t('{measure}: observed', { measure: measureCode[s.measure] }), t('{measure}: {band} % band', { measure: measureCode[s.measure], band: bandText })])],
        rows: b.years.map((y, i) => [String(y), ...ss.flatMap((s) => {
          const p = s.points[i]!;
          return [p.inside ? fmt(s.measure, p.observed) : t('{value} (outside)', { value: fmt(s.measure, p.observed) }), `${fmt(s.measure, p.lower)} – ${fmt(s.measure, p.upper)}`];
        })]),
      },
    };
  }) : [];
  return {
    summary: [
      [t('Loans'), count(cal.loans)], [t('Origination years'), `${cal.firstYear}–${cal.lastYear}`], [t('Data to'), cal.asOf], [t('Full years of default rates'), count(pc.years)],
      [t('Defaults'), count(cal.portfolio.defaults)], [t('Loan-years at risk'), count(cal.portfolio.loanYears)], [t('Resolved defaults (for recoveries)'), count(rec.resolved)],
    ],
    pdTable: { columns: [t('Stage'), t('Grade'), t('Loans'), t('Loan-years'), t('Defaults'), t('Annual PD'), t('95 % interval'), t('Used')], rows: pdRows },
    stageTable: { columns: [t('Stage'), t('Loans'), t('Mean loan'), t('Mean tenor'), t('Defaults'), t('LGD before collateral (95 % interval; resolved defaults)'), t('Exit per year (95 % interval; loan-years)'), t('Asset correlation (95 % interval)')], rows: stageRows },
    transitionTable: transitionRows.length ? { columns: [t('Move'), t('Per year'), t('95 % interval'), t('Loan-years'), t('Used')], rows: transitionRows } : null,
    portfolioTable: { columns: [t('Estimate'), t('Value'), t('95 % interval'), t('Behind it')], rows: portfolioRows },
    backtestRows, stageDetail,
  };
}

// ----- Pages -----------------------------------------------------------------------------------

export function calibrationRouter(ctx: Context): Router {
  const r = express.Router();
  const tapes = ctx.storage.tapes;
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, { nav: 'calibration', ...data }, status);

  const listPage = (res: Response, o: { error?: string; lender?: string; flash?: string | null }, status = 200) => {
    const l = localizerOf(res);
    const { t } = l;
    const n = numbers(l.locale);
    const user = whoOf(res)?.user ?? null;
    const list = tapes.list().map((tape) => ({
      ...shownTape(tape, t), ...sharingColumns(tape, t), own: mayShare(user, tape), pending: tape.status === 'pending', size: t('{size} MB', { size: n.fixed(tape.sizeBytes / MB, tape.sizeBytes < MB ? 2 : 1) }),
      created: tape.createdAt.slice(0, 16).replace('T', ' '), rowsText: tape.rows === null ? '—' : n.count(tape.rows),
    }));
    page(res, 'calibration/upload', { title: t('Calibrate from a loan tape'), tapes: list, limits: limitText(l), stageRule: t(STAGE_RULE_TEXT), fields: fieldInfo(t), ...o }, status);
  };

  const loadTape = (req: Request, res: Response): TapeRecord => {
    const id = String((req.params as Record<string, string>).id ?? '');
    const tape = ID_PATTERN.test(id) ? tapes.get(id) : null;
    const { t } = localizerOf(res);
    if (!tape) throw new HttpError(404, t('There is no loan tape with that id. It may have been deleted.'));
    return tape;
  };
  const loadReport = (tape: TapeRecord, res: Response): CalibrationReport => {
    const report = tape.status === 'imported' ? tapes.report<CalibrationReport>(tape.id) : null;
    const { t } = localizerOf(res);
    if (!report) throw new HttpError(404, t('This tape has not been imported yet: choose its columns first.'), [t('Open {path}', { path: `/calibration/tapes/${tape.id}` })]);
    return report;
  };

  function showTapes(req: Request, res: Response) {
    const { t } = localizerOf(res);
    const flash = req.query.flash === 'deleted' ? t('The tape and its file were deleted.') : null;
    listPage(res, { flash });
  }
  r.get('/', route(showTapes));

  // The upload: the token first, then the file, streamed to the incoming folder.
  /** POST /calibration/upload: reads the multipart upload itself (its token too), then maps the tape or says what is wrong. */
  function uploadTape(req: Request, res: Response, next: NextFunction) {
    const refuse = (status: number, error: string) => listPage(res, { error }, status);
    const { t } = localizerOf(res);
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      refuse(400, t('The upload must be sent as a file from the form below.'));
      return;
    }
    // Bound to the session when signed in, as every other form's token.
    const cookieId = (res.locals.who as { session?: string | null } | null)?.session || parseCookies(req.headers.cookie)[CSRF_COOKIE];
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: LIMITS.maxBytes, files: 1, fields: 5, fieldSize: 10_000, parts: 10 } });
    } catch {
      refuse(400, t('The upload could not be read. Choose the file again and send it.'));
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
        problem ??= { status: 403, message: t('The form has expired or did not come from this site. Reload the page and try again.') };
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
        problem ??= { status: 415, message: t('“{file}” is neither a .csv nor an .xlsx file. Export the loan tape as CSV (UTF-8) or as an Excel workbook (.xlsx).', { file: info.filename }) };
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
      next(Object.assign(new Error(t('The upload was interrupted or is not a valid form.')), { status: 400, expose: true, cause: e }));
    });
    bb.on('close', () => {
      void (async () => {
        let f: Awaited<NonNullable<typeof file>> | null = null;
        try {
          f = file ? await file : null;
        } catch {
          problem ??= { status: 400, message: t('The upload was interrupted. Send the file again.') };
        }
        if (problem) { cleanUp(); refuse(problem.status, problem.message); return; }
        if (!tokenOk) { cleanUp(); refuse(403, t('The form has expired or did not come from this site. Reload the page and try again.')); return; }
        if (!f || f.size === 0) { cleanUp(); refuse(422, t('Choose a loan tape (a .csv or .xlsx file) to upload.')); return; }
        if (f.truncated) {
          cleanUp();
          refuse(413, t('The file is larger than {mb} MB, the most accepted; nothing was kept. Split it (by origination year, say) or leave out columns the calibration does not use.', { mb: numbers(localizerOf(res).locale).count(LIMITS.maxBytes / MB) }));
          return;
        }
        const format = formatOf(f.name)!;
        try {
          await previewTape(f.path, format);
        } catch (e) {
          cleanUp();
          if (e instanceof TapeError) { refuse(422, t('{problem} Nothing was kept.', { problem: localize(e.message, localizerOf(res)) })); return; }
          throw e;
        }
        const lender = (fields.lender ?? '').trim() || UNNAMED_LENDER;
        const tape = tapes.add({ incomingPath: f.path, name: f.name, lender, format, sizeBytes: f.size }, viewerOf(res)?.id ?? null);
        res.redirect(303, `/calibration/tapes/${tape.id}`);
      })().catch((e) => { cleanUp(); next(e); });
    });
    req.pipe(bb);
  }
  r.post('/upload', uploadTape);

  // Every other form here is urlencoded: the app's own check.
  r.use(ctx.csrf.check());

  /** The tape page's "Share with" form, with the flash of a change just made. */
  const sharing = (req: Request, res: Response, tape: TapeRecord) => {
    const { t } = localizerOf(res);
    return { ...shareForm(ctx, whoOf(res)?.user ?? null, tape, `/calibration/tapes/${tape.id}/share`, t), flash: req.query.flash === 'shared' ? sharedFlash(tape, t) : null };
  };

  const mappingPage = async (res: Response, tape: TapeRecord, o: { mapping?: ColumnMapping; problems?: string[]; asOf?: string; base?: string; status?: number; sharing?: unknown } = {}) => {
    const preview = await previewTape(tapes.path(tape), tape.format);
    const remembered = tapes.mappingFor(tape.lender);
    const l = localizerOf(res);
    const { t } = l;
    const start = o.mapping ?? (remembered ? Object.fromEntries(Object.entries(remembered).filter(([, h]) => preview.headers.includes(h))) as ColumnMapping : guessMapping(preview.headers));
    const fields = fieldInfo(t).map((f) => ({
      ...f, name: `map_${f.field}`, id: `map-${f.field}`,
      options: preview.headers.map((h) => ({ value: h, selected: start[f.field] === h })),
    }));
    page(res, 'calibration/mapping', {
      title: t('Columns of {name}', { name: tape.name }), tape: shownTape(tape, t), preview, previewCount: numbers(l.locale).count(preview.rows.length), fields, problems: (o.problems ?? []).map((x) => localize(x, l)), remembered: remembered !== null && !o.mapping,
      asOf: o.asOf ?? '', bases: baseOptions(ctx, o.base ?? `preset:${DEFAULT_PRESET}`, t), stageRule: t(STAGE_RULE_TEXT), limits: limitText(l),
      sharing: o.sharing ?? shareForm(ctx, whoOf(res)?.user ?? null, tape, `/calibration/tapes/${tape.id}/share`, t),
    }, o.status ?? 200);
  };

  async function showTape(req: Request, res: Response) {
    const tape = loadTape(req, res);
    if (tape.status === 'pending') {
      await mappingPage(res, tape, { sharing: sharing(req, res, tape) });
      return;
    }
    const report = loadReport(tape, res);
    const l = localizerOf(res);
    const { t } = l;
    const charts = reportCharts(report, l).map((c) => ({ ...c, csvUrl: `/calibration/tapes/${tape.id}/charts/${c.id}.csv` }));
    const saved = ctx.storage.scenarios.choices();
    page(res, 'calibration/report', {
      title: t('Calibration: {name}', { name: tape.name }), tape: shownTape(tape, t), report, model: reportModel(report, l), chartData: charts.map((c) => chartJson(c, l.locale)), saved,
      estimateCharts: charts.filter((c) => !c.id.startsWith('backtest-')), backtestCharts: charts.filter((c) => c.id.startsWith('backtest-')),
      scenarioName: report.scenario.name, loansText: numbers(l.locale).count(report.calibration.loans),
      warnings: report.calibration.warnings.map((w) => localize(w, l)), flagged: report.flagged.map((f) => localize(f, l)),
      verdicts: report.backtest?.verdicts.map((v) => localize(v, l)) ?? [], notes: report.backtest?.notes.map((x) => localize(x, l)) ?? [],
      backtestProblem: report.backtestProblem === null ? null : localize(report.backtestProblem, l), sharing: sharing(req, res, tape),
    });
  }
  r.get('/tapes/:id', route(showTape));

  async function readMappedTape(req: Request, res: Response) {
    const tape = loadTape(req, res);
    const l = localizerOf(res);
    const { t } = l;
    if (tape.status !== 'pending') { res.redirect(303, `/calibration/tapes/${tape.id}`); return; }
    const mapping: ColumnMapping = {};
    for (const f of LOAN_FIELDS) {
      const h = bodyField(req, `map_${f}`);
      if (h) mapping[f] = h;
    }
    const asOfText = bodyField(req, 'asOf').trim();
    const baseRef = bodyField(req, 'base') || `preset:${DEFAULT_PRESET}`;
    const preview = await previewTape(tapes.path(tape), tape.format);
    const problems = mappingProblems(mapping, preview.headers);
    let asOf: number | null = null;
    if (asOfText) {
      const d = parseDate(asOfText);
      if (d === null || d === 'bad') problems.push(t('Data end date: “{value}” is not a date (write YYYY-MM-DD).', { value: asOfText }));
      else asOf = d;
    }
    const base = baseScenario(ctx, baseRef);
    if (!base) problems.push(t('Base scenario: choose a preset or a saved scenario.'));
    if (problems.length > 0 || !base) {
      await mappingPage(res, tape, { mapping, problems, asOf: asOfText, base: baseRef, status: 422 });
      return;
    }
    tapes.rememberMapping(tape.lender, mapping);
    let result;
    try {
      result = await importTape(tapes.path(tape), tape.format, mapping, asOf);
    } catch (e) {
      if (!(e instanceof TapeError)) throw e;
      tapes.delete(tape.id);
      page(res, 'calibration/errors', { title: t('Nothing imported'), tape: shownTape(tape, t), message: localize(e.message, l), errors: [], limits: limitText(l) }, 422);
      return;
    }
    if (!result.table) {
      // Nothing is kept of a tape with a bad row: its row and its file go.
      tapes.delete(tape.id);
      const n = numbers(l.locale);
      const errors = result.errors.map((e: RowError) => ({ ...e, message: localize(e.message, l), fieldLabel: e.field ? t(FIELD_INFO.find((f) => f.field === e.field)?.label ?? e.field) : '' }));
      const more = result.errorCount - result.errors.length;
      page(res, 'calibration/errors', {
        title: t('Nothing imported'), tape: shownTape(tape, t), errors, errorCount: n.plain(result.errorCount), badRows: n.plain(result.badRows), rows: n.plain(result.rows),
        more: more > 0 ? n.plain(more) : null, listed: n.plain(result.errors.length), limits: limitText(l),
      }, 422);
      return;
    }
    const cal = calibrate(result.table, { asOf: asOf ?? undefined, cyclePersistence: base.monteCarlo.cyclePersistence });
    const built = calibratedScenario(base, cal, { tapeName: tape.name });
    let bt: Backtest | null = null;
    let backtestProblem: string | null = null;
    try {
      bt = backtest(cal, built.scenario, { paths: BACKTEST_PATHS, seed: 1 });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      backtestProblem = e.message;
    }
    const report: CalibrationReport = { calibration: cal, scenario: built.scenario, baseName: base.name, estimated: built.estimated, flagged: built.flagged, backtest: bt, backtestProblem };
    tapes.markImported(tape.id, { rows: result.rows, mapping, asOf: cal.asOf, baseRef, report });
    res.redirect(303, `/calibration/tapes/${tape.id}`);
  }
  r.post('/tapes/:id/import', route(readMappedTape));

  function downloadReportJson(req: Request, res: Response) {
    const tape = loadTape(req, res);
    const report = loadReport(tape, res);
    sendDownload(res, `calibration-${tape.id}.json`, 'application/json', `${JSON.stringify({ tape: { name: tape.name, lender: tape.lender, rows: tape.rows, asOf: tape.asOf, mapping: tape.mapping }, ...report }, null, 1)}\n`);
  }
  r.get('/tapes/:id/report.json', route(downloadReportJson));

  function downloadReportCsv(req: Request, res: Response) {
    const tape = loadTape(req, res);
    const report = loadReport(tape, res);
    let csv = calibrationCsv(report.calibration);
    if (report.backtest) {
      const rows = report.backtest.series.flatMap((s) => s.points.map((p) => [`backtest ${s.measure}`, s.stage === 'all' ? 'portfolio' : s.stage, String(p.year), String(p.observed), String(p.lower), String(p.upper), String(p.expected), '', p.inside ? 'inside' : 'outside', `median ${p.median}`]));
      csv += rows.map((r) => r.join(',')).join('\n') + '\n';
    }
    sendDownload(res, `calibration-${tape.id}.csv`, 'text/csv', csv);
  }
  r.get('/tapes/:id/report.csv', route(downloadReportCsv));

  function downloadChartCsv(req: Request, res: Response) {
    const tape = loadTape(req, res);
    const c = reportCharts(loadReport(tape, res), ENGLISH).find((x) => x.id === String((req.params as Record<string, string>).chart));
    if (!c) {
      const { t } = localizerOf(res);
      throw new HttpError(404, t('There is no chart with that name.'));
    }
    sendDownload(res, `calibration-${tape.id}-${c.id}.csv`, 'text/csv', chartCsv(c));
  }
  r.get('/tapes/:id/charts/:chart.csv', route(downloadChartCsv));

  function openScenario(req: Request, res: Response) {
    const tape = loadTape(req, res);
    const report = loadReport(tape, res);
    const name = bodyField(req, 'name').trim().slice(0, 120);
    const target = bodyField(req, 'target');
    if (target && target !== 'new') {
      // The estimates written onto the chosen saved scenario, which keeps its other settings.
      const saved = ID_PATTERN.test(target) ? ctx.storage.scenarios.get(target) : null;
      if (!saved) {
        const { t } = localizerOf(res);
        throw new HttpError(404, t('There is no saved scenario with that id to update.'));
      }
      const built = calibratedScenario(saved.scenario, report.calibration, { tapeName: tape.name, name: name || saved.scenario.name });
      ctx.storage.scenarios.update(saved.id, built.scenario);
      res.redirect(303, `/scenarios/${saved.id}?flash=saved`);
      return;
    }
    const saved = ctx.storage.scenarios.create({ ...report.scenario, name: name || report.scenario.name });
    res.redirect(303, `/scenarios/${saved.id}?flash=saved`);
  }
  r.post('/tapes/:id/scenario', route(openScenario));

  /** POST /calibration/tapes/:id/share: its owner shares the tape with one of their workspaces, or makes it private. */
  function shareTape(req: Request, res: Response) {
    const tape = loadTape(req, res);
    tapes.share(tape.id, shareTarget(ctx, whoOf(res)?.user ?? null, tape, bodyField(req, 'workspace')));
    res.redirect(303, `/calibration/tapes/${tape.id}?flash=shared#sharing`);
  }
  r.post('/tapes/:id/share', route(shareTape));

  function deleteTape(req: Request, res: Response) {
    const tape = loadTape(req, res);
    if (!mayShare(whoOf(res)?.user ?? null, tape)) throw new HttpError(403, localizerOf(res).t('Only the tape’s owner or an administrator can delete it.'));
    tapes.delete(tape.id);
    res.redirect(303, '/calibration?flash=deleted');
  }
  r.post('/tapes/:id/delete', route(deleteTape));

  return r;
}

