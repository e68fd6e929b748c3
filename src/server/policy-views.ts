/**
 * The policy results, made readable: side-by-side tables, chart specifications (drawn by
 * public/js/charts.js, each with a table and a CSV) and sentences, from the plain results of
 * src/core/policy. Nothing is modelled here.
 */
import {
  comparisonFindings, INDICATOR_LABELS, OPTION_LABELS, TIE_BREAK_RULE, VERDICT_TEXT, type Indicator as PolicyIndicator,
  type SearchEvaluation, type SearchResult, type SweepResult, type TornadoResult,
} from '../core/policy/index.ts';
import type { Scenario } from '../core/schema.ts';
import { intervalOfShare } from '../core/stats/intervals.ts';
import { stagesWithOwnCoverage } from '../core/policy/parameters.ts';
import { STAGE_LABELS } from '../core/stages.ts';
import { formatter, type Formatter } from '../i18n/format.ts';
import type { BudgetOutcome } from './policy-engine.ts';
import { BUDGET_GROUPS, parameterUnit } from './policy-forms.ts';
import { formatValue, makeTable, type ChartSpec, type Dataset, type ValueFormat } from './results.ts';

export interface PolicyDataset {
  readonly label: string;
  readonly data: readonly unknown[];
  readonly style: Dataset['style'];
  readonly color: number;
}

/** A results chart with the policy pages' kinds and datasets (a sweep's values are not plain numbers). */
export interface PolicyChart extends Omit<ChartSpec, 'kind' | 'datasets'> {
  readonly kind: 'line' | 'bar' | 'tornado' | 'heatmap' | 'scatter';
  readonly datasets: readonly PolicyDataset[];
  readonly extra?: Record<string, unknown>;
}

/** What the client needs to draw a chart. */
export function chartData(c: PolicyChart): Record<string, unknown> {
  return { id: c.id, kind: c.kind, format: c.format, currency: c.currency, labels: c.labels, datasets: c.datasets, marks: c.marks, xTitle: c.xTitle, yTitle: c.yTitle, extra: c.extra ?? null };
}

export interface SummaryRow {
  readonly label: string;
  readonly term: string | null;
  readonly cells: readonly string[];
}

const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;

/** An amount per unit of currency: "€0.066 per €1". */
function perUnit(x: number | null, currency: string): string {
  if (x === null || !Number.isFinite(x)) return '—';
  let nf: Intl.NumberFormat;
  try {
    nf = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 3, maximumFractionDigits: 3 });
  } catch {
    nf = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  }
  const one = formatter(currency).money(1);
  return `${nf.format(x)} per ${one}`;
}

const ordinal = (p: number) => (p === 50 ? 'Median' : `${p}${p === 1 ? 'st' : p === 2 ? 'nd' : p === 3 ? 'rd' : 'th'} percentile`);

// ---------------------------------------------------------------------------------------------
// Budget comparison

const FIELD_LABELS = new Map(BUDGET_GROUPS.flatMap((g) => g.fields.map((f) => [f.name, { label: f.label, unit: f.unit }] as const)));

export interface AssumptionView {
  readonly parameter: string;
  /** One of the base scenario's own stated assumptions (a sentence, no value). */
  readonly stated: boolean;
  readonly label: string;
  readonly value: string;
  readonly basis: string;
  readonly basisLabel: string;
  readonly note: string;
}

export interface BudgetModel {
  readonly title: string;
  readonly description: string;
  readonly targetText: string;
  readonly currency: string;
  readonly budgetText: string;
  readonly columns: readonly string[];
  readonly summary: readonly SummaryRow[];
  readonly monteCarlo: readonly SummaryRow[] | null;
  readonly mcText: string | null;
  readonly charts: readonly PolicyChart[];
  readonly options: readonly { label: string; notes: readonly string[]; assumptions: readonly AssumptionView[] }[];
  readonly findings: readonly string[];
  /** The basis every option is measured on. */
  readonly basis: readonly string[];
}

const BASIS_LABELS: Record<string, string> = { sourced: 'Sourced', illustrative: 'Assumption', derived: 'Derived', input: 'Your input' };

function assumptionValue(f: Formatter, parameter: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  const meta = FIELD_LABELS.get(parameter);
  const unit = meta?.unit ?? (/(Share|Rate|Pd|Ratio)$/.test(parameter) ? 'percent' : undefined);
  if (typeof value !== 'number') return String(value);
  if (/Capital$|capitalInjections$/.test(parameter) || unit === 'money') return f.money(value);
  if (unit === 'percent') return f.percent(value, 2);
  if (unit === 'years') return `${Number(value.toPrecision(6))} years`;
  if (unit === 'multiple') return `${Number(value.toPrecision(6))}×`;
  return Number(value.toPrecision(6)).toLocaleString('en-US');
}

function assumptionLabel(parameter: string): string {
  const meta = FIELD_LABELS.get(parameter);
  if (meta) return meta.label;
  if (parameter === 'target.unservedShare') return 'Share of target firms not served by banks';
  if (parameter === 'scenario.fund.initialCapital') return 'Fund capital';
  if (parameter === 'scenario.fund.capitalInjections') return 'Capital injections';
  if (parameter.startsWith('scenario.stages')) return 'Other stages';
  if (parameter.startsWith('scenario.assumptions')) return 'Stated in the base scenario';
  return parameter;
}

export function budgetModel(o: BudgetOutcome): BudgetModel {
  const r = o.comparison;
  const c = r.currency;
  const f = formatter(c);
  const opts = r.options;
  const t = r.target;
  const columns = opts.map((x) => x.label);
  const row = (label: string, term: string | null, pick: (x: (typeof opts)[number]) => string): SummaryRow => ({ label, term, cells: opts.map(pick) });
  const loansOf = (x: (typeof opts)[number]) => x.loansMade ?? x.firmsReached;
  const summary: SummaryRow[] = [
    row('Firms reached (distinct firms)', null, (x) => f.count(x.firmsReached)),
    row('Loans made', null, (x) => f.count(loansOf(x))),
    row('Lending', null, (x) => f.money(x.creditVolume)),
    row('Additional lending', 'additionality', (x) => f.money(x.additionalCredit)),
    row('Borrower’s all-in annual cost', 'borrower-all-in-cost', (x) => f.percent(x.borrowerAllInRate, 2)),
    row('Budget used (at its peak)', null, (x) => (x.budgetUsed === undefined ? '—' : `${f.money(x.budgetUsed)} (${f.percent(x.budgetUsedShare, 0)})`)),
    row('Money left at the horizon', null, (x) => f.money(x.valueLeftAtHorizon)),
    row(`PV of the public money consumed (lifetime, at ${f.percent(r.discountRate ?? null, 1)})`, 'fiscal-cost', (x) => f.money(x.pvCost ?? null)),
    row('PV cost per firm reached', 'fiscal-cost-per-additional-loan', (x) => f.money(x.pvCostPerFirm ?? null)),
    row('PV cost per unit of additional lending', 'fiscal-cost-per-additional-loan', (x) => perUnit(x.pvCostPerUnitAdditionalCredit ?? null, c)),
  ];
  const mc = o.monteCarlo;
  const dist = (option: string) => mc?.options.find((d) => d.option === option);
  const at = (option: string, p: number) => dist(option)?.percentiles.find((x) => x.percentile === p)?.value ?? null;
  const monteCarlo: SummaryRow[] | null = mc
    ? [
      row('Left at the horizon: 5th percentile', 'percentile', (x) => f.money(at(x.option, 5))),
      row('Left at the horizon: median', 'percentile', (x) => f.money(at(x.option, 50))),
      row('Left at the horizon: 95th percentile', 'percentile', (x) => f.money(at(x.option, 95))),
      row('Probability of losing more than half', 'monte-carlo', (x) => f.percent(dist(x.option)?.probabilityLosingHalf ?? null, 1)),
      row('Probability of losing anything', 'monte-carlo', (x) => f.percent(dist(x.option)?.probabilityOfLoss ?? null, 1)),
    ]
    : null;

  const yearLabels = Array.from({ length: r.horizonYears }, (_, i) => `Y${i + 1}`);
  const charts: PolicyChart[] = [];
  const base = { currency: c, marks: [], available: true, unavailable: '' };
  {
    const labels = ['Start', ...yearLabels];
    const datasets: Dataset[] = [
      ...opts.map((x, i): Dataset => ({ label: x.label, data: [r.budget, ...x.years.map((y) => y.valueLeft)], style: 'line', color: i })),
      { label: 'Half the budget', data: labels.map(() => r.budget / 2), style: 'dashed', color: 5 },
    ];
    charts.push({
      ...base, id: 'valueLeft', title: 'What is left of the budget, year by year', kind: 'line', format: 'money', xTitle: 'Year', yTitle: `Value left (${c})`,
      caption: 'The money left at each year’s end in the expected case: the fund’s capital, the government’s share of the MFI’s equity, the revolving fund’s cash and loans at face value, the subsidy budget not yet paid or committed.',
      labels, datasets, ...makeTable(f, 'money', 'Year', labels, datasets),
    });
  }
  {
    const datasets: Dataset[] = opts.map((x, i) => ({ label: x.label, data: x.years.map((y) => y.firmsReached), style: 'bar', color: i }));
    charts.push({
      ...base, id: 'firms', title: 'Firms reached per year', kind: 'bar', format: 'count', xTitle: 'Year', yTitle: 'Target firms reached for the first time',
      caption: 'Distinct target firms reached for the first time each year: a firm that borrows again is not counted again (the MFI’s repeat loans are in the loans made).',
      labels: yearLabels, datasets, ...makeTable(f, 'count', 'Year', yearLabels, datasets),
    });
  }
  {
    const datasets: Dataset[] = opts.map((x, i) => ({ label: x.label, data: x.years.map((y) => y.creditVolume), style: 'bar', color: i }));
    charts.push({
      ...base, id: 'credit', title: 'Credit per year', kind: 'bar', format: 'money', xTitle: 'Year', yTitle: `Principal lent (${c})`,
      caption: 'Principal lent, guaranteed or subsidised to target firms each year. The MFI lends its own, smaller loans.',
      labels: yearLabels, datasets, ...makeTable(f, 'money', 'Year', yearLabels, datasets),
    });
  }
  if (mc) {
    const labels = mc.options[0]?.percentiles.map((p) => ordinal(p.percentile).replace(' percentile', '')) ?? [];
    const datasets: Dataset[] = [
      ...opts.map((x, i): Dataset => ({ label: x.label, data: dist(x.option)?.percentiles.map((p) => p.value) ?? [], style: 'line', color: i })),
      { label: 'Half the budget', data: labels.map(() => r.budget / 2), style: 'dashed', color: 5 },
    ];
    charts.push({
      ...base, id: 'distribution', title: 'What is left at the horizon: spread across paths', kind: 'line', format: 'money', xTitle: 'Percentile of simulated paths', yTitle: `Value left (${c})`,
      caption: `Each line shows, for one option, the value left at the horizon at each percentile of ${f.count(mc.paths)} simulated business cycles (seed ${mc.seed}): the 5th percentile is what one path in twenty ends below. Where a line is under the dashed line, more than half the budget is lost.`,
      labels, datasets, ...makeTable(f, 'money', 'Percentile', labels, datasets),
    });
  }

  const options = opts.map((x) => ({
    label: x.label,
    notes: x.notes,
    assumptions: x.assumptions.map((a) => ({
      parameter: a.parameter,
      stated: a.parameter.startsWith('scenario.assumptions'),
      label: assumptionLabel(a.parameter),
      value: assumptionValue(f, a.parameter, a.value),
      basis: a.basis,
      basisLabel: BASIS_LABELS[a.basis] ?? a.basis,
      note: a.note,
    })),
  }));

  // Plain findings: none ranks an option without what it spent and whom it reached.
  const findings = comparisonFindings(r, { money: (x) => f.money(x), count: (x) => f.count(x), percent: (x, d) => f.percent(x, d) });
  if (mc && opts.length > 1) {
    const risky = [...mc.options].sort((a, b) => b.probabilityLosingHalf - a.probabilityLosingHalf)[0];
    const which = risky ? opts.find((x) => x.option === risky.option) : undefined;
    if (risky && which && risky.probabilityLosingHalf > 0) {
      findings.push(`${OPTION_LABELS[risky.option]} is the most likely to lose more than half the budget: in ${f.percent(risky.probabilityLosingHalf, 1)} of simulated cycles, for ${f.count(which.firmsReached)} firms reached and ${f.percent(which.budgetUsedShare ?? null, 0)} of the budget used at its peak in the expected case.`);
    }
  }

  return {
    title: r.name,
    description: r.description,
    currency: c,
    budgetText: f.money(r.budget),
    targetText: `${STAGE_LABELS[t.stage].toLowerCase()}-stage firms${t.source === 'explicit' ? ' (described in the comparison)' : ' of the base scenario'}: ${f.count(t.firmsPerYear)} a year${t.applicantGrowthRate ? `, growing ${f.percent(t.applicantGrowthRate, 1)} a year` : ''}, loans of ${f.money(t.loanSize)} over ${years(t.tenorYears)}, PD ${f.percent(t.annualPd, 2)}, LGD ${f.percent(t.lossGivenDefault, 0)}; ${f.percent(t.unservedShare, 0)} of them are not served by banks without support (${t.unservedShareBasis}).`,
    columns,
    summary,
    monteCarlo,
    mcText: mc ? `${f.count(mc.paths)} simulated business cycles, seed ${mc.seed}${mc.complete ? '' : ' (stopped early)'}; every option sees the same cycle on a path.` : null,
    charts,
    options,
    findings,
    basis: r.basis ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Sensitivity

export const INDICATOR_FORMATS: Readonly<Record<PolicyIndicator, ValueFormat>> = {
  capital: 'money', depletion: 'percent', additionalLending: 'money', fiscalCostPerAdditionalLoan: 'money', firmsSupported: 'count',
};

/** A parameter's value for people, in the unit the editor uses for it: percentages, money, years… */
export function parameterText(f: Formatter, s: Scenario, path: string, x: number | null): string {
  if (x === null) return '—';
  switch (parameterUnit(s, path)) {
    case 'percent': return f.percent(x, 3);
    case 'money': return f.money(x);
    case 'integer': return f.count(x);
    case 'years': return `${Number(x.toPrecision(6))} years`;
    case 'months': return `${Number(x.toPrecision(6))} months`;
    case 'multiple': return `${Number(x.toPrecision(6))}×`;
    default: return Number(x.toPrecision(6)).toLocaleString('en-US');
  }
}

/** How the chart formats a parameter's axis. */
function axisFormat(s: Scenario, path: string): ValueFormat {
  const unit = parameterUnit(s, path);
  return unit === 'percent' ? 'percent' : unit === 'money' ? 'money' : unit === 'multiple' ? 'multiple' : 'count';
}

export interface TornadoModel {
  readonly headline: string;
  readonly chart: PolicyChart;
  readonly notes: readonly string[];
}

export function tornadoModel(r: TornadoResult, s: Scenario, change: number): TornadoModel {
  const f = formatter(s.currency);
  const format = INDICATOR_FORMATS[r.indicator];
  const fmt = (x: number | null) => formatValue(f, format, x);
  const labels = r.bars.map((b) => b.label);
  const datasets: PolicyDataset[] = [
    { label: 'Parameter at its low value', data: r.bars.map((b) => b.atLow), style: 'bar', color: 0 },
    { label: 'Parameter at its high value', data: r.bars.map((b) => b.atHigh), style: 'bar', color: 1 },
  ];
  // A probability of depletion carries its sampling error: k of n paths, a 95 % Wilson interval.
  const paths = r.indicator === 'depletion' ? r.paths ?? null : null;
  const withInterval = (x: number | null) => {
    if (x === null || paths === null) return fmt(x);
    const iv = intervalOfShare(x, paths);
    return `${fmt(x)} (${f.percent(iv.lower, 1)}–${f.percent(iv.upper, 1)})`;
  };
  const rows = r.bars.map((b) => [b.label, `${parameterText(f, s, b.path, b.lowInput)} → ${parameterText(f, s, b.path, b.highInput)}`, withInterval(b.atLow), withInterval(b.atHigh), fmt(b.swing)]);
  const top = r.bars[0];
  const headline = top && top.swing !== null
    ? `${INDICATOR_LABELS[r.indicator]} is ${fmt(r.baseValue)} with the scenario as it is. It moves most with the ${top.label.toLowerCase()}: from ${fmt(top.atLow)} to ${fmt(top.atHigh)} as it goes from ${parameterText(f, s, top.path, top.lowInput)} to ${parameterText(f, s, top.path, top.highInput)}.`
    : `${INDICATOR_LABELS[r.indicator]} is ${fmt(r.baseValue)} with the scenario as it is.`;
  const chart: PolicyChart = {
    id: 'tornado', title: `Tornado: ${INDICATOR_LABELS[r.indicator].toLowerCase()}`, kind: 'tornado', format, currency: s.currency,
    xTitle: INDICATOR_LABELS[r.indicator] + (format === 'money' ? ` (${s.currency})` : ''), yTitle: 'Parameter',
    caption: `Each bar shows ${INDICATOR_LABELS[r.indicator].toLowerCase()} when one parameter moves to its low value (one colour) or its high value (the other), everything else as in the scenario (±${f.percent(change, 0)} unless a low and high were given). Sorted by the size of the swing; the vertical line is the base value.`,
    labels, datasets, marks: [], available: true, unavailable: '',
    table: { columns: ['Parameter', 'Low → high', 'At low', 'At high', 'Swing'], rows },
    csv: {
      header: ['parameter', 'label', 'base_input', 'low_input', 'high_input', 'indicator_at_low', 'indicator_at_high', 'swing', 'note'],
      rows: r.bars.map((b) => [b.path, b.label, b.baseInput, b.lowInput, b.highInput, b.atLow, b.atHigh, b.swing, b.note]),
    },
    extra: { base: r.baseValue, baseLabel: `Base ${fmt(r.baseValue)}` },
  };
  const notes = r.bars.filter((b) => b.note).map((b) => `${b.label}: ${b.note}`);
  if (paths !== null) {
    const base = r.baseValue === null ? null : intervalOfShare(r.baseValue, paths);
    notes.unshift(`Each probability of depletion comes from ${f.count(paths)} simulated paths (the same seed at every point); the table gives its 95 % (Wilson) interval${base ? ` — ${f.percent(base.lower, 1)} to ${f.percent(base.upper, 1)} for the base value` : ''}. A swing smaller than the intervals may be noise.`);
  }
  return { headline, chart, notes };
}

/** Sequential colours of the heat map, light to dark (the client interpolates between them). */
export const HEAT_COLOURS = ['#ffffd9', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'] as const;

export interface SweepModel {
  readonly headline: string;
  readonly chart: PolicyChart;
  readonly grid: { readonly columns: readonly string[]; readonly rows: readonly { label: string; cells: readonly { text: string; interval: string | null; heat: number; above: boolean; unclear: boolean }[] }[] };
  /** How many paths stand behind each probability of depletion and what the interval means. */
  readonly samplingText: string | null;
  /** How the sweep moves a parameter that other fields override. */
  readonly overrides: readonly string[];
  readonly legend: readonly { heat: number; text: string }[];
  readonly contourText: string | null;
  readonly invalid: readonly string[];
}

export function sweepModel(r: SweepResult, s: Scenario): SweepModel {
  const f = formatter(s.currency);
  const format = INDICATOR_FORMATS[r.indicator];
  const fmt = (x: number | null) => formatValue(f, format, x);
  const flat = r.values.flat().filter((v): v is number => v !== null);
  const min = flat.length ? Math.min(...flat) : 0;
  const max = flat.length ? Math.max(...flat) : 0;
  const heat = (v: number | null) => (v === null ? -1 : max > min ? Math.min(HEAT_COLOURS.length - 1, Math.floor(((v - min) / (max - min)) * HEAT_COLOURS.length)) : 0);
  const xText = (x: number) => parameterText(f, s, r.x.path, x);
  const yText = (y: number) => parameterText(f, s, r.y.path, y);
  const above = (i: number, j: number) => r.contour?.feasible[i]?.[j] === false;
  const unclear = (i: number, j: number) => r.contour !== null && r.contour.feasible[i]?.[j] === null && (r.depletion?.[i]?.[j] ?? null) !== null;
  // Sweeps stored before intervals were kept: compute them from the share and the paths.
  const paths = r.paths ?? null;
  const intervalAt = (i: number, j: number) => r.depletionIntervals?.[i]?.[j] ?? null;
  const intervalText = (i: number, j: number) => {
    const iv = intervalAt(i, j);
    return iv ? `${f.percent(iv.lower, 1)}–${f.percent(iv.upper, 1)}` : null;
  };
  const grid = {
    columns: [`${r.y.label} ↓ / ${r.x.label} →`, ...r.x.values.map(xText)],
    rows: r.y.values.map((y, i) => ({
      label: yText(y),
      cells: r.x.values.map((_, j) => ({
        text: fmt(r.values[i]?.[j] ?? null), interval: r.indicator === 'depletion' ? intervalText(i, j) : null,
        heat: heat(r.values[i]?.[j] ?? null), above: above(i, j), unclear: unclear(i, j),
      })),
    })),
  };
  const samplingText = r.depletion && paths
    ? `Every probability of depletion comes from ${f.count(paths)} simulated paths (the same seed at every point), so it carries sampling error: ${r.indicator === 'depletion' ? 'each cell shows its 95 % (Wilson) interval under the estimate' : 'the table’s CSV gives each point’s 95 % (Wilson) interval'}. ${r.contour ? `A point counts as above the target (✕) only when its whole interval is above it, and as meeting it only when its whole interval is at or below; ? marks a point whose interval contains the target: cannot tell at ${f.count(paths)} paths.` : ''} Differences between neighbouring cells smaller than their intervals are noise, not a trend.`.replace(/\s+/g, ' ').trim()
    : null;
  const legend = HEAT_COLOURS.map((_, k) => ({ heat: k, text: max > min ? `${fmt(min + ((max - min) * k) / HEAT_COLOURS.length)} – ${fmt(min + ((max - min) * (k + 1)) / HEAT_COLOURS.length)}` : fmt(min) })).slice(0, max > min ? HEAT_COLOURS.length : 1);
  const feasibleCount = r.contour ? r.contour.feasible.flat().filter((x) => x === true).length : 0;
  const unclearCount = r.contour ? r.y.values.flatMap((_, i) => r.x.values.map((__, j) => unclear(i, j))).filter(Boolean).length : 0;
  const contourText = r.contour
    ? `The black line is where the estimated probability of depletion crosses ${f.percent(r.contour.target, 2)}. ${feasibleCount} of ${r.x.values.length * r.y.values.length} grid points are shown to keep it at or below the target; the cells marked ✕ in the table are above it${unclearCount ? `, and ${unclearCount} marked ? cannot be told apart from it at ${f.count(paths ?? 0)} paths` : ''}.`
    : null;
  const extraDepletion = r.depletion !== null && r.indicator !== 'depletion';
  const csvRows: (number | string | null)[][] = [];
  r.y.values.forEach((y, i) => r.x.values.forEach((x, j) => {
    const iv = intervalAt(i, j);
    const verdict = r.contour ? r.contour.feasible[i]?.[j] : undefined;
    csvRows.push([
      x, y, r.values[i]?.[j] ?? null, ...(extraDepletion ? [r.depletion![i]?.[j] ?? null] : []),
      ...(r.depletionIntervals ? [iv?.lower ?? null, iv?.upper ?? null, paths] : []),
      ...(r.contour ? [verdict === true ? 'yes' : verdict === false ? 'no' : iv ? 'cannot tell' : null] : []),
    ]);
  }));
  const chart: PolicyChart = {
    id: 'heatmap', title: `${INDICATOR_LABELS[r.indicator]} over ${r.x.label.toLowerCase()} × ${r.y.label.toLowerCase()}`, kind: 'heatmap', format, currency: s.currency,
    xTitle: r.x.label, yTitle: r.y.label,
    caption: `Each cell is one combination of the two parameters, everything else as in the scenario; darker is higher. ${r.contour ? `The black line marks where the probability of depletion crosses ${f.percent(r.contour.target, 2)}.` : ''}`.trim(),
    labels: [], datasets: [{ label: INDICATOR_LABELS[r.indicator], data: flat, style: 'points', color: 0 }], marks: [], available: true, unavailable: '',
    table: { columns: grid.columns, rows: grid.rows.map((row) => [row.label, ...row.cells.map((c) => `${c.text}${c.interval ? ` (${c.interval})` : ''}${c.above ? ' ✕' : c.unclear ? ' ?' : ''}`)]) },
    csv: {
      header: [r.x.path, r.y.path, r.indicator, ...(extraDepletion ? ['depletion'] : []), ...(r.depletionIntervals ? ['depletion_lower_95', 'depletion_upper_95', 'paths'] : []), ...(r.contour ? ['meets_target'] : [])],
      rows: csvRows,
    },
    extra: {
      x: { label: r.x.label, values: r.x.values, format: axisFormat(s, r.x.path) },
      y: { label: r.y.label, values: r.y.values, format: axisFormat(s, r.y.path) },
      grid: r.values, min, max, colours: HEAT_COLOURS,
      notes: r.depletionIntervals
        ? r.y.values.map((_, i) => r.x.values.map((__, j) => {
          const iv = intervalAt(i, j);
          const d = r.depletion?.[i]?.[j] ?? null;
          return iv && d !== null ? `probability of depletion ${f.percent(d, 2)}, 95 % interval ${f.percent(iv.lower, 2)} to ${f.percent(iv.upper, 2)} (${f.count(paths ?? 0)} paths)${above(i, j) ? ', above the target' : unclear(i, j) ? ', cannot tell against the target' : ''}` : null;
        }))
        : null,
      contour: r.contour ? { target: r.contour.target, segments: r.contour.segments, label: `Probability of depletion = ${f.percent(r.contour.target, 2)}` } : null,
    },
  };
  const best = flat.length ? (r.indicator === 'depletion' || r.indicator === 'fiscalCostPerAdditionalLoan' ? min : max) : null;
  const headline = best === null ? 'No grid point could be evaluated.'
    : `${INDICATOR_LABELS[r.indicator]} ranges from ${fmt(min)} to ${fmt(max)} over the ${r.x.values.length} × ${r.y.values.length} grid.`;
  return {
    headline, chart, grid, legend, contourText, samplingText,
    overrides: [r.x, r.y].filter((a) => a.override).map((a) => `${a.label}: ${a.override}.`),
    invalid: r.invalidPoints.map((p) => `${xText(r.x.values[p.column]!)}, ${yText(r.y.values[p.row]!)}: ${p.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`),
  };
}

export interface SearchModel {
  readonly feasible: boolean;
  readonly headline: string;
  readonly detail: string;
  /** How sampling error and ties were handled, in words. */
  readonly method: string;
  /** Points that would do better but whose interval still contains the target. */
  readonly cannotTell: readonly string[];
  /** Set when the scenario's stages carry their own coverage, which the search replaces. */
  readonly coverageNote: string | null;
  readonly chart: PolicyChart;
  readonly counts: string;
}

/** "4.03 % (95 %: 3.40 % to 4.77 %, 3,200 paths)": a Monte Carlo probability with its interval. */
export function probabilityText(f: Formatter, p: number | null, lower: number | null, upper: number | null, paths: number | null, confidence = 0.95): string {
  if (p === null || lower === null || upper === null || paths === null) return '—';
  return `${f.percent(p, 2)} (${f.percent(confidence, 0)} interval ${f.percent(lower, 2)} to ${f.percent(upper, 2)}, ${f.count(paths)} paths)`;
}

export function searchModel(r: SearchResult, s: Scenario, spec: { depletionTarget: number; feeCeiling: number }): SearchModel {
  const f = formatter(s.currency);
  const format = INDICATOR_FORMATS[r.objective];
  const fmt = (x: number | null) => formatValue(f, format, x);
  const label = INDICATOR_LABELS[r.objective].toLowerCase();
  // Results stored before intervals existed have no sampling block: read them as they were.
  const sampling = r.sampling ?? { confidence: 0.95, paths: null, maxPaths: null, seed: null };
  const level = f.percent(sampling.confidence, 0);
  const ev = r.evaluations.map((e) => ({ ...e, verdict: e.verdict ?? (e.feasible === true ? 'feasible' : e.feasible === false ? 'infeasible' : 'notSimulated') }));
  const probability = (e: SearchEvaluation) => probabilityText(f, e.depletion, e.lower ?? null, e.upper ?? null, e.paths ?? null, sampling.confidence);
  const pt = (e: SearchEvaluation) => ({ x: e.coverage, y: e.fee, note: e.depletion === null ? 'not simulated' : `depletion ${probability(e)}` });
  const target = f.percent(spec.depletionTarget, 2);
  const datasets: PolicyDataset[] = [
    { label: `Depletion at most ${target} (whole interval)`, data: ev.filter((e) => e.verdict === 'feasible').map(pt), style: 'points', color: 2 },
    { label: `Depletion above ${target} (whole interval)`, data: ev.filter((e) => e.verdict === 'infeasible').map(pt), style: 'points', color: 3 },
    { label: `Cannot tell at ${sampling.maxPaths === null ? 'the paths run' : `${f.count(sampling.maxPaths)} paths`}`, data: ev.filter((e) => e.verdict === 'cannotTell').map(pt), style: 'points', color: 4 },
    { label: 'Not simulated (a better point already met the target)', data: ev.filter((e) => e.verdict === 'notSimulated').map(pt), style: 'points', color: 5 },
  ];
  if (r.feasible) datasets.unshift({ label: 'Best', data: [pt({ ...r, objective: r.objectiveValue, depleted: null, verdict: 'feasible', feasible: true, note: null } as SearchEvaluation)], style: 'points', color: 0 });
  const sorted = [...ev].sort((a, b) => b.objective - a.objective || a.fee - b.fee || a.coverage - b.coverage);
  const verdictText = (e: SearchEvaluation) => (e.verdict === 'cannotTell' ? `cannot tell at ${f.count(e.paths ?? 0)} paths` : VERDICT_TEXT[e.verdict]);
  const chart: PolicyChart = {
    id: 'search', title: 'Points the search looked at', kind: 'scatter', format: 'percent', currency: s.currency,
    xTitle: 'Coverage ratio', yTitle: 'Annual fee',
    caption: `Every coverage and annual fee the search considered, marked by whether the ${level} interval of its probability of depletion lies below the target, above it, or still contains it at the most paths allowed. The search refines the grid around the best point in each round; every point uses the same seed.`,
    labels: [], datasets, marks: [], available: true, unavailable: '',
    table: {
      columns: ['Coverage', 'Annual fee', INDICATOR_LABELS[r.objective], 'Probability of depletion', `${level} interval`, 'Paths', 'Meets the target'],
      rows: sorted.map((e) => [
        f.percent(e.coverage, 2), f.percent(e.fee, 3), fmt(e.objective),
        e.depletion === null ? 'not simulated' : f.percent(e.depletion, 2),
        e.lower === null || e.lower === undefined || e.upper === null || e.upper === undefined ? '—' : `${f.percent(e.lower, 2)} to ${f.percent(e.upper, 2)}`,
        e.paths === null || e.paths === undefined ? '—' : f.count(e.paths),
        verdictText(e),
      ]),
    },
    csv: {
      header: ['coverage_ratio', 'annual_fee', r.objective, 'probability_of_depletion', 'lower', 'upper', 'paths', 'verdict'],
      rows: sorted.map((e) => [e.coverage, e.fee, e.objective, e.depletion, e.lower ?? null, e.upper ?? null, e.paths ?? null, VERDICT_TEXT[e.verdict]]),
    },
    extra: { objectiveFormat: format, xFormat: 'percent', yFormat: 'percent' },
  };
  const simulated = ev.filter((e) => e.depletion !== null).length;
  const counts = `${ev.length} points considered, ${simulated} simulated${r.complete ? '' : '; stopped early'}.`;
  const method = sampling.paths === null
    ? 'This result was computed before the search reported sampling error.'
    : `A point meets the target only when the whole ${level} (Wilson) interval of its probability of depletion is at or below ${target}, and fails it only when the whole interval is above. While the interval contains the target, the point's paths are doubled from ${f.count(sampling.paths)} up to ${f.count(sampling.maxPaths!)} (the first paths kept; seed ${sampling.seed} at every point, so points are compared on the same random numbers); a point still undecided is reported as "cannot tell" and passed over. A point found feasible while a point of no higher risk (no higher coverage, no lower fee) is found infeasible contradicts the model; both get the most paths and, if they still disagree, both count as "cannot tell". Ties: ${r.tieBreak ?? TIE_BREAK_RULE}.`;
  const own = stagesWithOwnCoverage(s);
  const coverageNote = own.length
    ? `This scenario gives ${own.map((st) => `${STAGE_LABELS[st].toLowerCase()}-stage firms ${f.percent(s.guarantee.coverageByStage[st]!, 0)}`).join(', ')} of cover, overriding its coverage ratio; the search tries one coverage for every stage, replacing those.`
    : null;
  const cannotTell = (r.cannotTell ?? []).map((e) => `Coverage ${f.percent(e.coverage, 2)}, fee ${f.percent(e.fee, 3)}: ${fmt(e.objective)}, probability of depletion ${probability(e)}.`);
  if (r.feasible) {
    return {
      feasible: true,
      headline: `Best: coverage ${f.percent(r.coverage, 2)} and an annual fee of ${f.percent(r.fee, 3)}.`,
      detail: `This gives ${label} of ${fmt(r.objectiveValue)} with a probability of depletion of ${probabilityText(f, r.depletion, r.lower ?? null, r.upper ?? null, r.paths ?? null, sampling.confidence)} (target: at most ${target}; fee ceiling ${f.percent(spec.feeCeiling, 2)}). No other point shown to meet both limits gives more${cannotTell.length ? `; ${cannotTell.length} point${cannotTell.length === 1 ? '' : 's'} that would give more or equal at a lower fee cannot be told apart from the target (listed below)` : ''}.`,
      method, cannotTell, coverageNote, chart, counts,
    };
  }
  return {
    feasible: false,
    headline: cannotTell.length ? 'No coverage and fee are shown to meet the limits.' : 'No coverage and fee meet the limits.',
    detail: `${r.reason.charAt(0).toUpperCase()}${r.reason.slice(1)}. ${cannotTell.length ? 'Allow more paths per point to settle the undecided points, or ' : ''}Raise the fee ceiling, accept a higher probability of depletion, or give the fund more capital.`,
    method, cannotTell, coverageNote, chart, counts,
  };
}
