/**
 * A printable one-page summary of a scenario or a run, for a workshop handout: the headline
 * indicators, two small charts, the key parameters and three sentences. Its print stylesheet
 * (public/css/summary-print.css) sets an A4 page; the layout is sized to fit on one.
 */
import type { Response } from 'express';
import { STAGES } from '../../core/stages.ts';
import type { Context } from '../context.ts';
import { formatter } from '../../i18n/format.ts';
import type { ResultSource } from './sources.ts';
import { chartJson, resultsModel, stageName, stageNameLower, type ChartSpec } from './results.ts';
import type { Translate } from '../../i18n/index.ts';
import { localizerOf } from '../http/language.ts';
import { shownName } from './presets.ts';
import { sendPage } from '../http/view.ts';

export interface SummaryOptions {
  /** The full results page. */
  readonly resultsUrl: string;
  /** A line naming where the scenario comes from (a training exercise…). */
  readonly origin?: string | null;
}

function feeText(brackets: readonly { upTo: number | null; rate: number }[], f: ReturnType<typeof formatter>, t: Translate): string {
  if (brackets.length === 0) return t('none');
  if (brackets.length === 1) return f.percent(brackets[0]!.rate, 2);
  const rates = brackets.map((b) => b.rate);
  return t('{low}–{high} by loan size', { low: f.percent(Math.min(...rates), 2), high: f.percent(Math.max(...rates), 2) });
}

export async function renderSummaryPage(ctx: Context, res: Response, s: ResultSource, o: SummaryOptions): Promise<void> {
  await ctx.projections.prepare(s.scenario);
  const sc = s.scenario;
  const l = localizerOf(res);
  const { t } = l;
  const f = formatter(sc.currency, l.locale);
  const input = ctx.projections.resultInput(sc, s.monteCarlo);
  const model = resultsModel(input, l);
  const byId = new Map(model.charts.map((c) => [c.id, c]));
  const picked: ChartSpec[] = [byId.get('capital')!, (s.monteCarlo ? byId.get('depletion') : byId.get('lending'))!].filter(Boolean);
  const charts = picked.map((c) => ({ ...c, id: `summary-${c.id}` }));
  const p = input.projection.summary;
  const coverage = STAGES.some((st) => sc.guarantee.coverageByStage[st] !== undefined)
    ? STAGES.map((st) => t('{stage} {share}', { stage: stageName(t, st), share: f.percent(sc.guarantee.coverageByStage[st] ?? sc.guarantee.coverageRatio, 0) })).join(t(', '))
    : f.percent(sc.guarantee.coverageRatio, 0);
  const injections = sc.fund.capitalInjections.reduce((a, x) => a + x.amount, 0);
  const applicants = STAGES.reduce((a, st) => a + sc.stages[st].applicantsPerYear, 0);
  const parameters: [string, string][] = [
    [t('Horizon'), sc.period === 'quarterly'
      ? t('{years, plural, one {# year} other {# years}}, quarterly periods', { years: sc.horizonYears })
      : t('{years, plural, one {# year} other {# years}}, annual periods', { years: sc.horizonYears })],
    [t('Initial capital'), injections > 0 ? t('{capital} (+ {injected} injected later)', { capital: f.money(sc.fund.initialCapital), injected: f.money(injections) }) : f.money(sc.fund.initialCapital)],
    [t('Coverage'), coverage],
    [t('Annual fee'), feeText(sc.guarantee.annualFee, f, t)],
    [t('Upfront fee'), feeText(sc.guarantee.upfrontFee, f, t)],
    [t('Leverage cap'), f.multiple(sc.fund.leverageCap)],
    [t('Portfolio loss cap'), sc.guarantee.portfolioLossCap === null ? t('none') : f.percent(sc.guarantee.portfolioLossCap, 2)],
    [t('Recovery rate'), f.percent(sc.fund.recoveryRate, 0)],
    [t('Applicants in year 1'), t('{total} ({byStage})', { total: f.count(applicants), byStage: STAGES.map((st) => t('{stage} {count}', { stage: stageNameLower(t, st), count: f.count(sc.stages[st].applicantsPerYear) })).join(t(', ')) })],
    [t('Counter-guarantee'), sc.fund.counterGuarantee.share > 0 ? t('{share} of claims', { share: f.percent(sc.fund.counterGuarantee.share, 0) }) : t('none')],
  ];
  if (s.monteCarlo) parameters.push([t('Monte Carlo'), t('{paths} paths, seed {seed}', { paths: f.count(s.monteCarlo.paths), seed: String(s.monteCarlo.seed) })]);
  const sentences = model.indicators.filter((i) => ['capital', 'additional', 'fiscalCost'].includes(i.id) || (i.id === 'depletion' && s.monteCarlo)).map((i) => i.sentence);
  const kindLabel = { preset: t('Preset'), saved: t('Saved scenario'), run: t('Monte Carlo run'), unsaved: t('Scenario') }[s.kind];
  const name = shownName(sc.name, t);
  sendPage(res, ctx.views, 'scenarios/summary', {
    title: t('Summary: {name}', { name }),
    name,
    nav: s.kind === 'saved' ? 'saved' : s.kind === 'unsaved' ? 'training' : 'presets',
    summaryPrint: true,
    scenario: sc,
    kindLabel,
    origin: o.origin ?? null,
    resultsUrl: o.resultsUrl,
    printedOn: new Date().toISOString().slice(0, 10),
    indicators: model.indicators,
    charts,
    chartData: charts.map((c) => chartJson(c, l.locale)),
    parameters: parameters.map(([label, value]) => ({ label, value })),
    sentences,
    firmsText: t('{firms} firms supported', { firms: f.count(p.firmsSupported) }),
  });
}
