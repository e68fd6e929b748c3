/**
 * A printable one-page summary of a scenario or a run, for a workshop handout: the headline
 * indicators, two small charts, the key parameters and three sentences. Its print stylesheet
 * (public/css/summary-print.css) sets an A4 page; the layout is sized to fit on one.
 */
import type { Response } from 'express';
import { STAGE_LABELS, STAGES } from '../core/stages.ts';
import type { Context } from './context.ts';
import { formatter } from '../i18n/format.ts';
import type { ResultSource } from './pages.ts';
import { chartJson, resultsModel, type ChartSpec } from './results.ts';
import { sendPage } from './view.ts';

export interface SummaryOptions {
  /** The full results page. */
  readonly resultsUrl: string;
  /** A line naming where the scenario comes from (a training exercise…). */
  readonly origin?: string | null;
}

function feeText(brackets: readonly { upTo: number | null; rate: number }[], f: ReturnType<typeof formatter>): string {
  if (brackets.length === 0) return 'none';
  if (brackets.length === 1) return f.percent(brackets[0]!.rate, 2);
  const rates = brackets.map((b) => b.rate);
  return `${f.percent(Math.min(...rates), 2)}–${f.percent(Math.max(...rates), 2)} by loan size`;
}

export async function renderSummaryPage(ctx: Context, res: Response, s: ResultSource, o: SummaryOptions): Promise<void> {
  await ctx.prepare(s.scenario);
  const sc = s.scenario;
  const f = formatter(sc.currency);
  const input = ctx.resultInput(sc, s.monteCarlo);
  const model = resultsModel(input);
  const byId = new Map(model.charts.map((c) => [c.id, c]));
  const picked: ChartSpec[] = [byId.get('capital')!, (s.monteCarlo ? byId.get('depletion') : byId.get('lending'))!].filter(Boolean);
  const charts = picked.map((c) => ({ ...c, id: `summary-${c.id}` }));
  const p = input.projection.summary;
  const coverage = STAGES.some((st) => sc.guarantee.coverageByStage[st] !== undefined)
    ? STAGES.map((st) => `${STAGE_LABELS[st]} ${f.percent(sc.guarantee.coverageByStage[st] ?? sc.guarantee.coverageRatio, 0)}`).join(', ')
    : f.percent(sc.guarantee.coverageRatio, 0);
  const injections = sc.fund.capitalInjections.reduce((a, x) => a + x.amount, 0);
  const applicants = STAGES.reduce((a, st) => a + sc.stages[st].applicantsPerYear, 0);
  const parameters: [string, string][] = [
    ['Horizon', `${sc.horizonYears} years, ${sc.period} periods`],
    ['Initial capital', `${f.money(sc.fund.initialCapital)}${injections > 0 ? ` (+ ${f.money(injections)} injected later)` : ''}`],
    ['Coverage', coverage],
    ['Annual fee', feeText(sc.guarantee.annualFee, f)],
    ['Upfront fee', feeText(sc.guarantee.upfrontFee, f)],
    ['Leverage cap', f.multiple(sc.fund.leverageCap)],
    ['Portfolio loss cap', sc.guarantee.portfolioLossCap === null ? 'none' : f.percent(sc.guarantee.portfolioLossCap, 2)],
    ['Recovery rate', f.percent(sc.fund.recoveryRate, 0)],
    ['Applicants in year 1', `${f.count(applicants)} (${STAGES.map((st) => `${STAGE_LABELS[st].toLowerCase()} ${f.count(sc.stages[st].applicantsPerYear)}`).join(', ')})`],
    ['Counter-guarantee', sc.fund.counterGuarantee.share > 0 ? `${f.percent(sc.fund.counterGuarantee.share, 0)} of claims` : 'none'],
  ];
  if (s.monteCarlo) parameters.push(['Monte Carlo', `${f.count(s.monteCarlo.paths)} paths, seed ${s.monteCarlo.seed}`]);
  const sentences = model.indicators.filter((i) => ['capital', 'additional', 'fiscalCost'].includes(i.id) || (i.id === 'depletion' && s.monteCarlo)).map((i) => i.sentence);
  const kindLabel = { preset: 'Preset', saved: 'Saved scenario', run: 'Monte Carlo run', unsaved: 'Scenario' }[s.kind];
  sendPage(res, ctx.views, 'summary', {
    title: `Summary: ${sc.name}`,
    nav: s.kind === 'saved' ? 'saved' : s.kind === 'unsaved' ? 'training' : 'presets',
    summaryPrint: true,
    scenario: sc,
    kindLabel,
    origin: o.origin ?? null,
    resultsUrl: o.resultsUrl,
    printedOn: new Date().toISOString().slice(0, 10),
    indicators: model.indicators,
    charts,
    chartData: charts.map(chartJson),
    parameters: parameters.map(([label, value]) => ({ label, value })),
    sentences,
    firmsText: `${f.count(p.firmsSupported)} firms supported`,
  });
}
