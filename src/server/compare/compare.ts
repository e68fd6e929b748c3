/** Two to four scenarios side by side: an indicator table with differences, overlaid charts. */
import type { MonteCarloResult } from '../../core/montecarlo/types.ts';
import { PERCENTILES } from '../../core/montecarlo/types.ts';
import type { Projection } from '../../core/projection.ts';
import { intervalOfShare } from '../../core/stats/intervals.ts';
import type { Scenario } from '../../core/schema.ts';
import { STAGES } from '../../core/stages.ts';
import type { Context } from '../context.ts';
import { shownName } from '../scenarios/presets.ts';
import { formatter } from '../../i18n/format.ts';
import { english, msg, type Localizer, type Translate } from '../../i18n/index.ts';
import { costText, ENGLISH, negativeCostNote, stageName, type BreakEven, type ChartSpec, type Dataset, type ValueFormat } from '../scenarios/results.ts';

export interface CompareRef {
  readonly kind: 'preset' | 'saved';
  readonly id: string;
}

export function parseCompareRefs(values: readonly string[]): CompareRef[] {
  const refs: CompareRef[] = [];
  for (const v of values) {
    const m = /^(preset|saved):([A-Za-z0-9_-]{1,64})$/.exec(v.trim());
    if (m && refs.length < 4) refs.push({ kind: m[1] as CompareRef['kind'], id: m[2]! });
  }
  return refs;
}

interface Metric {
  readonly label: string;
  readonly format: ValueFormat;
  /** Which way is better, for the highlight; null when neither is. */
  readonly better: 'higher' | 'lower' | null;
  readonly pick: (s: Scenario, p: Projection, be: BreakEven | null) => number | null;
}

const n = (x: { toNumber(): number } | number | null): number | null => (x === null ? null : typeof x === 'number' ? x : x.toNumber());

const METRICS: readonly Metric[] = [
  { label: msg('Capital at horizon'), format: 'money', better: 'higher', pick: (_s, p) => n(p.summary.closingCapital) },
  { label: msg('Capital put in (initial + injections)'), format: 'money', better: null, pick: (_s, p) => n(p.summary.initialCapital)! + n(p.summary.totalInjections)! },
  { label: msg('Cash fiscal cost at the horizon'), format: 'money', better: 'lower', pick: (_s, p) => n(p.summary.fiscalCost) },
  { label: msg('Cash fiscal cost per additional loan'), format: 'money', better: 'lower', pick: (_s, p) => n(p.summary.fiscalCostPerAdditionalLoan) },
  { label: msg('Economic cost, lifetime (PV)'), format: 'money', better: 'lower', pick: (_s, p) => n(p.costing.lifetime.economicCost) },
  { label: msg('Economic cost per additional loan, lifetime'), format: 'money', better: 'lower', pick: (_s, p) => n(p.costing.lifetime.economicCostPerAdditionalLoan) },
  { label: msg('Subsidy rate of the cohorts (PV)'), format: 'percent', better: 'lower', pick: (_s, p) => p.costing.programme.subsidyRate },
  { label: msg('Firms supported (distinct firms)'), format: 'count', better: 'higher', pick: (_s, p) => p.summary.firmsSupported },
  { label: msg('Loans guaranteed'), format: 'count', better: 'higher', pick: (_s, p) => p.summary.loansGuaranteed },
  { label: msg('Guaranteed lending'), format: 'money', better: 'higher', pick: (_s, p) => n(p.summary.guaranteedLending) },
  { label: msg('Additional lending'), format: 'money', better: 'higher', pick: (_s, p) => n(p.summary.additionalLending) },
  { label: msg('Additionality (additional / guaranteed)'), format: 'percent', better: 'higher', pick: (_s, p) => (p.summary.guaranteedLending.isZero() ? null : p.summary.additionalLending.div(p.summary.guaranteedLending).toNumber()) },
  { label: msg('Leverage at horizon'), format: 'multiple', better: null, pick: (_s, p) => p.summary.leverageAtHorizon },
  { label: msg('Peak leverage'), format: 'multiple', better: null, pick: (_s, p) => p.summary.peakLeverage },
  { label: msg('Break-even annual fee (each scenario’s basis)'), format: 'percent', better: 'lower', pick: (_s, _p, be) => be?.fee ?? null },
  { label: msg('Fee income'), format: 'money', better: null, pick: (_s, p) => n(p.summary.totalFeeIncome) },
  { label: msg('Claims paid'), format: 'money', better: 'lower', pick: (_s, p) => n(p.summary.totalClaimsPaid) },
  { label: msg('Recoveries'), format: 'money', better: 'higher', pick: (_s, p) => n(p.summary.totalRecoveries) },
  { label: msg('Self-sufficiency (income / costs)'), format: 'percent', better: 'higher', pick: (_s, p) => p.summary.selfSufficiency },
  { label: msg('Year capital runs out (expected case)'), format: 'count', better: null, pick: (_s, p) => p.summary.depletionYear },
];

export interface CompareRow { readonly label: string; readonly cells: readonly { value: string; diff: string; tone: string }[] }

export interface CompareModel {
  readonly columns: readonly { name: string; url: string; sourceLabel: string; currency: string; horizon: number }[];
  readonly rows: readonly CompareRow[];
  /** Monte Carlo figures side by side, when at least one scenario has a finished run. */
  readonly monteCarloRows: readonly CompareRow[];
  readonly charts: readonly ChartSpec[];
  readonly mixedCurrencies: boolean;
  /** What a negative cost means, when some cost is negative. */
  readonly negativeCostNote: string | null;
}

/** A scenario's latest finished Monte Carlo run. */
export interface CompareRun { readonly result: MonteCarloResult; readonly url: string }

type Resolve = (ref: CompareRef) => { scenario: Scenario; url: string; sourceLabel: string; run?: CompareRun | null };

/**
 * The difference of a value from the reference. A percentage change only between two positive
 * values: across a sign change (or from a negative base) it reads as nonsense ("−102.4 %"), so the
 * difference itself is shown, in the value's unit.
 */
export function differenceText(format: ValueFormat, base: number, v: number, f: ReturnType<typeof formatter>, l: Localizer = ENGLISH): string {
  const delta = v - base;
  const sign = delta > 0 ? '+' : '−';
  if (format === 'percent') return l.t('{sign}{points} points', { sign, points: Math.abs(delta * 100).toLocaleString(l.locale, { maximumFractionDigits: 2 }) });
  if (base > 0 && v > 0) return `${sign}${Math.abs((delta / base) * 100).toLocaleString(l.locale, { maximumFractionDigits: 1 })} %`;
  return `${sign}${formatCell(f, format, Math.abs(delta), '', l.t)}`;
}

/** Year-end values of a per-period series: the last period of each year. */
function yearEnd(p: Projection, years: number, pick: (r: Projection['periods'][number]) => number | null): (number | null)[] {
  return Array.from({ length: years }, (_, y) => {
    const rows = p.periods.filter((r) => r.year === y + 1);
    const last = rows[rows.length - 1];
    return last ? pick(last) : null;
  });
}

function perYear(p: Projection, years: number, pick: (r: Projection['periods'][number]) => number): (number | null)[] {
  return Array.from({ length: years }, (_, y) => {
    const rows = p.periods.filter((r) => r.year === y + 1);
    return rows.length ? rows.reduce((a, r) => a + pick(r), 0) : null;
  });
}

export async function compareModel(ctx: Context, refs: readonly CompareRef[], resolve: Resolve, l: Localizer = ENGLISH): Promise<CompareModel> {
  const { t } = l;
  const resolved = refs.map((ref) => resolve(ref));
  // Long projections run on the compute worker (Projections.prepare), then come from the memo.
  await Promise.all(resolved.map((r) => ctx.projections.prepare(r.scenario)));
  const items = resolved.map(({ scenario, url, sourceLabel, run = null }) => {
    const { projection, breakEven } = ctx.projections.computed(scenario);
    return { scenario, url, sourceLabel, projection, breakEven, run };
  });
  const currencies = new Set(items.map((i) => i.scenario.currency));
  const mixed = currencies.size > 1;
  const rows = METRICS.map((m) => {
    const values = items.map((i) => m.pick(i.scenario, i.projection, i.breakEven));
    const base = values[0] ?? null;
    return {
      label: t(m.label),
      cost: /cost/i.test(m.label),
      cells: values.map((v, k) => {
        const f = formatter(items[k]!.scenario.currency, l.locale);
        const value = formatCell(f, m.format, v, m.label, t);
        // Amounts in different currencies are not compared.
        if (mixed && m.format === 'money') return { value, diff: '', tone: '' };
        if (k === 0 || v === null || base === null || Math.abs(v - base) < 1e-9 * Math.max(1, Math.abs(base))) {
          return { value, diff: k === 0 ? '' : v === base ? t('same') : '', tone: '' };
        }
        const delta = v - base;
        const diff = differenceText(m.format, base, v, f, l);
        const tone = m.better === null ? 'changed' : (delta > 0) === (m.better === 'higher') ? 'better' : 'worse';
        return { value, diff, tone };
      }).map((c, k) => {
        const v = values[k];
        return { ...c, gain: m.format === 'money' && typeof v === 'number' && Number.isFinite(v) && v <= -0.5 };
      }),
    };
  });

  // Monte Carlo figures side by side for the scenarios that have a finished run.
  const monteCarloRows: CompareRow[] = items.some((i) => i.run) ? [
    {
      label: t('Probability of depletion within the horizon (Monte Carlo)'),
      cells: items.map((i) => {
        if (!i.run) return { value: t('not run'), diff: '', tone: '' };
        const r = i.run.result;
        const p = r.probabilityOfDepletion[r.probabilityOfDepletion.length - 1] ?? 0;
        const iv = intervalOfShare(p, r.paths);
        const f = formatter(i.scenario.currency, l.locale);
        return { value: t('{share} (95 % interval {lower} to {upper}; {paths} paths)', { share: f.percent(p, 2), lower: f.percent(iv.lower, 2), upper: f.percent(iv.upper, 2), paths: f.count(r.paths) }), diff: '', tone: '' };
      }),
    },
    {
      label: t('Capital at horizon, 5th percentile (Monte Carlo)'),
      cells: items.map((i) => {
        if (!i.run) return { value: t('not run'), diff: '', tone: '' };
        const band = i.run.result.capital.bands[PERCENTILES.indexOf(5)]!;
        return { value: formatter(i.scenario.currency, l.locale).money(band[band.length - 1] ?? null), diff: '', tone: '' };
      }),
    },
  ] : [];

  const years = Math.max(...items.map((i) => i.scenario.horizonYears));
  const yearLabels = Array.from({ length: years }, (_, i) => `Y${i + 1}`);
  // Amounts in different currencies are never drawn on one axis: with mixed currencies the money
  // charts show each amount as a share of that scenario's own capital put in (no conversion).
  const currency = mixed ? '' : items[0]!.scenario.currency;
  const unit = mixed ? t('% of each scenario’s capital put in') : currency;
  const putIn = items.map((i) => n(i.projection.summary.initialCapital)! + n(i.projection.summary.totalInjections)!);
  const norm = (k: number, xs: (number | null)[]) => (mixed ? xs.map((x) => (x === null || !(putIn[k]! > 0) ? null : x / putIn[k]!)) : xs);
  const moneyFormat: ValueFormat = mixed ? 'percent' : 'money';
  const normNote = mixed ? ` ${t('The scenarios use different currencies, so amounts are shown as a share of each scenario’s capital put in (initial capital plus injections), never converted.')}` : '';
  const line = (label: string, data: (number | null)[], color: number): Dataset => ({ label, data, style: 'line', color });
  // A preset's name is in the catalogue; a name of the user's own is shown as typed.
  const nameOf = (k: number) => shownName(items[k]!.scenario.name, t);
  const names = items.map((_i, k) => `${k + 1}. ${nameOf(k)}`);
  const chart = (id: string, title: string, caption: string, format: ValueFormat, yTitle: string, datasets: Dataset[], labels = yearLabels, kind: 'line' | 'bar' = 'line'): ChartSpec => ({
    id, title, caption, kind, format, currency, xTitle: labels === yearLabels ? t('Year') : t('Lifecycle stage'), yTitle, labels, datasets, marks: [], available: true, unavailable: '',
    table: { columns: [labels === yearLabels ? t('Year') : t('Stage'), ...datasets.map((d) => d.label)], rows: labels.map((x, i) => [x, ...datasets.map((d) => formatCell(formatter(currency, l.locale), format, d.data[i] ?? null, '', t))]) },
    csv: { header: [labels === yearLabels ? 'year' : 'stage', ...datasets.map((d) => d.label)], rows: labels.map((x, i) => [x, ...datasets.map((d) => d.data[i] ?? null)]) },
  });
  const charts: ChartSpec[] = [
    chart('capital', t('Fund capital at each year end'), `${t('Closing capital in the expected case, one line per scenario.')}${normNote}`, moneyFormat, t('Capital ({unit})', { unit }),
      items.map((i, k) => line(names[k]!, norm(k, yearEnd(i.projection, years, (r) => r.ledger.closing.toNumber())), k))),
    chart('leverage', t('Leverage at each year end'), t('Outstanding guarantees as a multiple of capital.'), 'multiple', t('Leverage'),
      items.map((i, k) => line(names[k]!, yearEnd(i.projection, years, (r) => r.leverage), k))),
    chart('netClaims', t('Net claims per year'), `${t('Claims paid minus recoveries, per year, in the expected case.')}${normNote}`, moneyFormat, t('Net claims ({unit})', { unit }),
      items.map((i, k) => line(names[k]!, norm(k, perYear(i.projection, years, (r) => r.ledger.claimsPaid.minus(r.ledger.recoveries).toNumber())), k))),
    chart('additional', t('Additional lending by stage (year 1)'), `${t('Lending that happens only because of the guarantee, for one year’s applicants.')}${normNote}`, moneyFormat, t('Additional lending ({unit})', { unit }),
      items.map((i, k) => ({ label: names[k]!, data: norm(k, i.projection.lending.map((x) => x.additionalLending)), style: 'bar' as const, color: k })),
      STAGES.map((st) => stageName(t, st)), 'bar'),
  ];
  return {
    columns: items.map((i, k) => ({ name: nameOf(k), url: i.url, sourceLabel: i.sourceLabel, currency: i.scenario.currency, horizon: i.scenario.horizonYears })),
    rows,
    monteCarloRows,
    charts,
    mixedCurrencies: mixed,
    negativeCostNote: rows.some((r) => r.cost && r.cells.some((c) => c.gain)) ? negativeCostNote(t) : null,
  };
}

function formatCell(f: ReturnType<typeof formatter>, format: ValueFormat, v: number | null, label: string, t: Translate = english): string {
  if (label.startsWith('Year capital runs out')) return v === null ? t('never') : t('year {year}', { year: String(v) });
  switch (format) {
    case 'money': return /cost/i.test(label) ? costText(f, v, t) : f.money(v);
    case 'percent': return f.percent(v);
    case 'multiple': return f.multiple(v);
    case 'count': return f.count(v);
  }
}
