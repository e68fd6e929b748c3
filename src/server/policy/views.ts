/**
 * The policy results, made readable: side-by-side tables, chart specifications (drawn by
 * public/js/charts.js, each with a table and a CSV) and sentences, from the plain results of
 * src/core/policy. Nothing is modelled here.
 */
import {
  comparisonBasis, comparisonFindings, INDICATOR_LABELS, OPTION_LABELS, optionNotes, overrideNote, parameterLabel, searchReason, TIE_BREAK_RULE, VERDICT_TEXT,
  type Indicator as PolicyIndicator, type NoteFacts, type OptionKind, type SearchEvaluation, type SearchResult, type SweepResult, type TornadoResult,
} from '../../core/policy/index.ts';
import { msg, type Localizer, type Translate } from '../../i18n/translate.ts';
import { translateMessage } from '../../i18n/issues.ts';
import type { Scenario } from '../../core/schema.ts';
import { intervalOfShare } from '../../core/stats/intervals.ts';
import { stagesWithOwnCoverage } from '../../core/policy/parameters.ts';
import { formatter, type Formatter } from '../../i18n/format.ts';
import type { BudgetOutcome } from './engine.ts';
import { BUDGET_GROUPS, parameterUnit } from './forms.ts';
import { formatValue, makeTable, type ChartSpec, type Dataset, type ValueFormat } from '../scenarios/results.ts';

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

export interface SummaryRow {
  readonly label: string;
  readonly term: string | null;
  readonly cells: readonly string[];
}

/** An amount per unit of currency: "€0.066 per €1". */
function perUnit(x: number | null, currency: string, l: Localizer): string {
  const { t } = l;
  if (x === null || !Number.isFinite(x)) return '—';
  let nf: Intl.NumberFormat;
  try {
    nf = new Intl.NumberFormat(l.locale, { style: 'currency', currency, minimumFractionDigits: 3, maximumFractionDigits: 3 });
  } catch {
    nf = new Intl.NumberFormat(l.locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  }
  return t('{amount} per {unit}', { amount: nf.format(x), unit: formatter(currency, l.locale).money(1) });
}

/** A percentile as an axis label: "Median", "5th". */
const percentileShort = (p: number, t: Translate) => (p === 50 ? t('Median') : t('{p, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}', { p }));

// ---------------------------------------------------------------------------------------------
// Budget comparison

const FIELD_LABELS = new Map(BUDGET_GROUPS.flatMap((g) => g.fields.map((f) => [f.path, { label: f.label, unit: f.unit }] as const)));

export interface AssumptionView {
  readonly parameter: string;
  /** One of the base scenario's own stated assumptions (a sentence, no value). */
  readonly stated: boolean;
  readonly label: string;
  readonly value: string;
  readonly basis: string;
  readonly basisLabel: string;
  readonly note: string;
  /** The note's language when it is not the page's (a preset's own assumptions are in English). */
  readonly noteLang: string | null;
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

const BASIS_LABELS: Record<string, string> = { sourced: msg('Sourced'), illustrative: msg('Assumption'), derived: msg('Derived'), input: msg('Your input') };

/** Values of an assumption that are words, not numbers. */
const VALUE_WORDS: Record<string, string> = {
  equity: msg('Equity'), loan: msg('A concessional loan'), annuity: msg('Equal payments (annuity)'), linear: msg('Equal principal instalments (linear)'),
  bullet: msg('All at the end (bullet)'), individual: msg('Individual loans'), group: msg('Group lending (joint liability)'),
  continuous: msg('From the cash held each period'), annual: msg('A budget set once a year from the cash at its start'),
};

function assumptionValue(f: Formatter, parameter: string, value: unknown, l: Localizer): string {
  const { t } = l;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') {
    const word = VALUE_WORDS[value];
    return word ? t(word) : value;
  }
  const meta = FIELD_LABELS.get(parameter);
  const unit = meta?.unit ?? (/(Share|Rate|Pd|Ratio)$/.test(parameter) ? 'percent' : undefined);
  if (typeof value !== 'number') return String(value);
  const plain = Number(value.toPrecision(6));
  if (/Capital$|capitalInjections$/.test(parameter) || unit === 'money') return f.money(value);
  if (unit === 'percent') return f.percent(value, 2);
  if (unit === 'years') return t('{years, plural, one {# year} other {# years}}', { years: plain });
  if (unit === 'multiple') return `${plain.toLocaleString(l.locale, { maximumFractionDigits: 6 })}×`;
  return plain.toLocaleString(l.locale, { maximumFractionDigits: 6 });
}

function assumptionLabel(parameter: string, t: Translate): string {
  const meta = FIELD_LABELS.get(parameter);
  if (meta) return t(meta.label);
  if (parameter === 'target.unservedShare') return t('Share of target firms not served by banks');
  if (parameter === 'scenario.fund.initialCapital') return t('Fund capital');
  if (parameter === 'scenario.fund.capitalInjections') return t('Capital injections');
  if (parameter === 'scenario.support') return t('Public support');
  if (parameter.startsWith('scenario.stages')) return t('Other stages');
  if (parameter.startsWith('scenario.assumptions')) return t('Stated in the base scenario');
  return parameter;
}

/** The stage's firms of a target: "founding-stage firms of the base scenario". */
function targetText(tg: BudgetOutcome['comparison']['target'], f: Formatter, l: Localizer): string {
  const { t } = l;
  const values = {
    stage: tg.stage, firms: f.count(tg.firmsPerYear), growth: tg.applicantGrowthRate ? f.percent(tg.applicantGrowthRate, 1) : '', loan: f.money(tg.loanSize),
    years: tg.tenorYears, pd: f.percent(tg.annualPd, 2), lgd: f.percent(tg.lossGivenDefault, 0), unserved: f.percent(tg.unservedShare, 0),
    basis: t(UNSERVED_BASIS[tg.unservedShareBasis] ?? tg.unservedShareBasis),
  };
  const explicit = tg.source === 'explicit';
  if (explicit) {
    return tg.applicantGrowthRate
      ? t('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}-stage firms (described in the comparison): {firms} a year, growing {growth} a year, loans of {loan} over {years, plural, one {# year} other {# years}}, PD {pd}, LGD {lgd}; {unserved} of them are not served by banks without support ({basis}).', values)
      : t('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}-stage firms (described in the comparison): {firms} a year, loans of {loan} over {years, plural, one {# year} other {# years}}, PD {pd}, LGD {lgd}; {unserved} of them are not served by banks without support ({basis}).', values);
  }
  return tg.applicantGrowthRate
    ? t('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}-stage firms of the base scenario: {firms} a year, growing {growth} a year, loans of {loan} over {years, plural, one {# year} other {# years}}, PD {pd}, LGD {lgd}; {unserved} of them are not served by banks without support ({basis}).', values)
    : t('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}-stage firms of the base scenario: {firms} a year, loans of {loan} over {years, plural, one {# year} other {# years}}, PD {pd}, LGD {lgd}; {unserved} of them are not served by banks without support ({basis}).', values);
}

/** Where the share of target firms banks do not serve comes from. */
const UNSERVED_BASIS: Record<string, string> = { input: msg('input'), 'lender model': msg('lender model'), 'assumed: no scenario': msg('assumed: no scenario') };

export function budgetModel(o: BudgetOutcome, l: Localizer, scenarioRef: string | null = null): BudgetModel {
  const { t } = l;
  const r = o.comparison;
  const c = r.currency;
  const f = formatter(c, l.locale);
  const opts = r.options;
  const target = r.target;
  const labelOf = (x: { option: string; label: string }) => (OPTION_LABELS[x.option as OptionKind] ? t(OPTION_LABELS[x.option as OptionKind]) : x.label);
  const columns = opts.map(labelOf);
  const row = (label: string, term: string | null, pick: (x: (typeof opts)[number]) => string): SummaryRow => ({ label, term, cells: opts.map(pick) });
  const loansOf = (x: (typeof opts)[number]) => x.loansMade ?? x.firmsReached;
  const summary: SummaryRow[] = [
    row(t('Firms reached (distinct firms)'), null, (x) => f.count(x.firmsReached)),
    row(t('Loans made'), null, (x) => f.count(loansOf(x))),
    row(t('Lending'), null, (x) => f.money(x.creditVolume)),
    row(t('Additional lending'), 'additionality', (x) => f.money(x.additionalCredit)),
    row(t('Borrower’s all-in annual cost'), 'borrower-all-in-cost', (x) => f.percent(x.borrowerAllInRate, 2)),
    row(t('Budget used (at its peak)'), null, (x) => (x.budgetUsed === undefined ? '—' : t('{amount} ({share})', { amount: f.money(x.budgetUsed), share: f.percent(x.budgetUsedShare, 0) }))),
    row(t('Money left at the horizon'), null, (x) => f.money(x.valueLeftAtHorizon)),
    row(t('PV of the public money consumed (lifetime, at {rate})', { rate: f.percent(r.discountRate ?? null, 1) }), 'fiscal-cost', (x) => f.money(x.pvCost ?? null)),
    row(t('PV cost per firm reached'), 'fiscal-cost-per-additional-loan', (x) => f.money(x.pvCostPerFirm ?? null)),
    row(t('PV cost per unit of additional lending'), 'fiscal-cost-per-additional-loan', (x) => perUnit(x.pvCostPerUnitAdditionalCredit ?? null, c, l)),
  ];
  const mc = o.monteCarlo;
  const dist = (option: string) => mc?.options.find((d) => d.option === option);
  const at = (option: string, p: number) => dist(option)?.percentiles.find((x) => x.percentile === p)?.value ?? null;
  const monteCarlo: SummaryRow[] | null = mc
    ? [
      row(t('Left at the horizon: 5th percentile'), 'percentile', (x) => f.money(at(x.option, 5))),
      row(t('Left at the horizon: median'), 'percentile', (x) => f.money(at(x.option, 50))),
      row(t('Left at the horizon: 95th percentile'), 'percentile', (x) => f.money(at(x.option, 95))),
      row(t('Probability of losing more than half'), 'monte-carlo', (x) => f.percent(dist(x.option)?.probabilityLosingHalf ?? null, 1)),
      row(t('Probability of losing anything'), 'monte-carlo', (x) => f.percent(dist(x.option)?.probabilityOfLoss ?? null, 1)),
    ]
    : null;

  const yearLabels = Array.from({ length: r.horizonYears }, (_, i) => t('Y{year}', { year: i + 1 }));
  const charts: PolicyChart[] = [];
  const base = { currency: c, marks: [], available: true, unavailable: '' };
  const year = t('Year');
  const half = t('Half the budget');
  {
    const labels = [t('Start'), ...yearLabels];
    const datasets: Dataset[] = [
      ...opts.map((x, i): Dataset => ({ label: labelOf(x), data: [r.budget, ...x.years.map((y) => y.valueLeft)], style: 'line', color: i })),
      { label: half, data: labels.map(() => r.budget / 2), style: 'dashed', color: 5 },
    ];
    charts.push({
      ...base, id: 'valueLeft', title: t('What is left of the budget, year by year'), kind: 'line', format: 'money', xTitle: year, yTitle: t('Value left ({currency})', { currency: c }),
      caption: t('The money left at each year’s end in the expected case: the fund’s capital, the government’s share of the MFI’s equity, the revolving fund’s cash and loans at face value, the subsidy budget not yet paid or committed.'),
      labels, datasets, ...makeTable(f, 'money', year, labels, datasets),
    });
  }
  {
    const datasets: Dataset[] = opts.map((x, i) => ({ label: labelOf(x), data: x.years.map((y) => y.firmsReached), style: 'bar', color: i }));
    charts.push({
      ...base, id: 'firms', title: t('Firms reached per year'), kind: 'bar', format: 'count', xTitle: year, yTitle: t('Target firms reached for the first time'),
      caption: t('Distinct target firms reached for the first time each year: a firm that borrows again is not counted again (the MFI’s repeat loans are in the loans made).'),
      labels: yearLabels, datasets, ...makeTable(f, 'count', year, yearLabels, datasets),
    });
  }
  {
    const datasets: Dataset[] = opts.map((x, i) => ({ label: labelOf(x), data: x.years.map((y) => y.creditVolume), style: 'bar', color: i }));
    charts.push({
      ...base, id: 'credit', title: t('Credit per year'), kind: 'bar', format: 'money', xTitle: year, yTitle: t('Principal lent ({currency})', { currency: c }),
      caption: t('Principal lent, guaranteed or subsidised to target firms each year. The MFI lends its own, smaller loans.'),
      labels: yearLabels, datasets, ...makeTable(f, 'money', year, yearLabels, datasets),
    });
  }
  if (mc) {
    const labels = mc.options[0]?.percentiles.map((p) => percentileShort(p.percentile, t)) ?? [];
    const datasets: Dataset[] = [
      ...opts.map((x, i): Dataset => ({ label: labelOf(x), data: dist(x.option)?.percentiles.map((p) => p.value) ?? [], style: 'line', color: i })),
      { label: half, data: labels.map(() => r.budget / 2), style: 'dashed', color: 5 },
    ];
    charts.push({
      ...base, id: 'distribution', title: t('What is left at the horizon: spread across paths'), kind: 'line', format: 'money', xTitle: t('Percentile of simulated paths'), yTitle: t('Value left ({currency})', { currency: c }),
      caption: t('Each line shows, for one option, the value left at the horizon at each percentile of {paths} simulated business cycles (seed {seed}): the 5th percentile is what one path in twenty ends below. Where a line is under the dashed line, more than half the budget is lost.', { paths: f.count(mc.paths), seed: String(mc.seed) }),
      labels, datasets, ...makeTable(f, 'money', t('Percentile'), labels, datasets),
    });
  }

  const notesFormat = { amount: (x: number) => `${c} ${f.count(x)}`, percent: (x: number, digits: number) => f.percent(x, digits) };
  const presetNotes = scenarioRef?.startsWith('preset:') ?? false;
  const options = opts.map((x) => ({
    label: labelOf(x),
    notes: 'noteFacts' in x && x.noteFacts ? optionNotes(x.noteFacts as NoteFacts, notesFormat, t) : x.notes,
    assumptions: x.assumptions.map((a) => {
      const stated = a.parameter.startsWith('scenario.assumptions');
      return {
        parameter: a.parameter.startsWith('scenario.stages') ? 'scenario.stages' : a.parameter,
        stated,
        label: assumptionLabel(a.parameter, t),
        value: assumptionValue(f, a.parameter, a.value, l),
        basis: a.basis,
        basisLabel: t(BASIS_LABELS[a.basis] ?? a.basis),
        // A scenario's own assumptions are its text, shown as written.
        note: stated ? a.note : t(a.note),
        noteLang: stated && presetNotes ? 'en' : null,
      };
    }),
  }));

  // Plain findings: none ranks an option without what it spent and whom it reached.
  const decimal = (x: number, digits: number) => x.toLocaleString(l.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const findings = comparisonFindings(r, { money: (x) => f.money(x), count: (x) => f.count(x), percent: (x, d) => f.percent(x, d), decimal }, t, (x) => labelOf(x as unknown as { option: string; label: string }));
  if (mc && opts.length > 1) {
    const risky = [...mc.options].sort((a, b) => b.probabilityLosingHalf - a.probabilityLosingHalf)[0];
    const which = risky ? opts.find((x) => x.option === risky.option) : undefined;
    if (risky && which && risky.probabilityLosingHalf > 0) {
      findings.push(t('{option} is the most likely to lose more than half the budget: in {probability} of simulated cycles, for {firms} firms reached and {share} of the budget used at its peak in the expected case.', {
        option: t(OPTION_LABELS[risky.option]), probability: f.percent(risky.probabilityLosingHalf, 1), firms: f.count(which.firmsReached), share: f.percent(which.budgetUsedShare ?? null, 0),
      }));
    }
  }

  return {
    title: r.name,
    description: r.description,
    currency: c,
    budgetText: f.money(r.budget),
    targetText: targetText(target, f, l),
    columns,
    summary,
    monteCarlo,
    mcText: mc
      ? (mc.complete
        ? t('{paths} simulated business cycles, seed {seed}; every option sees the same cycle on a path.', { paths: f.count(mc.paths), seed: String(mc.seed) })
        : t('{paths} simulated business cycles, seed {seed} (stopped early); every option sees the same cycle on a path.', { paths: f.count(mc.paths), seed: String(mc.seed) }))
      : null,
    charts,
    options,
    findings,
    basis: r.basis ? comparisonBasis(r, (x, d) => f.percent(x, d), t) : [],
  };
}

// ---------------------------------------------------------------------------------------------
// Sensitivity

export const INDICATOR_FORMATS: Readonly<Record<PolicyIndicator, ValueFormat>> = {
  capital: 'money', depletion: 'percent', additionalLending: 'money', fiscalCostPerAdditionalLoan: 'money', firmsSupported: 'count',
};

/** A parameter's value for people, in the unit the editor uses for it: percentages, money, years… */
export function parameterText(f: Formatter, s: Scenario, path: string, x: number | null, l: Localizer): string {
  const { t } = l;
  if (x === null) return '—';
  const plain = Number(x.toPrecision(6));
  switch (parameterUnit(s, path)) {
    case 'percent': return f.percent(x, 3);
    case 'money': return f.money(x);
    case 'integer': return f.count(x);
    case 'years': return t('{years, plural, one {# year} other {# years}}', { years: plain });
    case 'months': return t('{months, plural, one {# month} other {# months}}', { months: plain });
    case 'multiple': return `${plain.toLocaleString(l.locale, { maximumFractionDigits: 6 })}×`;
    default: return plain.toLocaleString(l.locale, { maximumFractionDigits: 6 });
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

/** A bar's note in the page's language: the core's fixed notes and override notes are worded again; validation messages are shown as they are. */
function barNote(note: string, s: Scenario, path: string, l: Localizer): string {
  const override = overrideNote(s, path);
  if (override !== null && note === override) return overrideNote(s, path, l.t) ?? note;
  // Issues of a point the schema rejected: "path: message; path: message".
  const issues = note.split('; ').map((part) => /^([\w.]+): (.+)$/.exec(part));
  if (issues.every((m) => m !== null)) return issues.map((m) => `${m![1]}: ${translateMessage(l, m![2]!)}`).join('; ');
  return l.t(note);
}

export function tornadoModel(r: TornadoResult, s: Scenario, change: number, l: Localizer): TornadoModel {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const format = INDICATOR_FORMATS[r.indicator];
  const fmt = (x: number | null) => formatValue(f, format, x);
  const pText = (path: string, x: number | null) => parameterText(f, s, path, x, l);
  const indicator = t(INDICATOR_LABELS[r.indicator]);
  const barLabel = (b: { path: string; label: string }) => parameterLabel(b.path, t);
  const labels = r.bars.map(barLabel);
  const datasets: PolicyDataset[] = [
    { label: t('Parameter at its low value'), data: r.bars.map((b) => b.atLow), style: 'bar', color: 0 },
    { label: t('Parameter at its high value'), data: r.bars.map((b) => b.atHigh), style: 'bar', color: 1 },
  ];
  // A probability of depletion carries its sampling error: k of n paths, a 95 % Wilson interval.
  const paths = r.indicator === 'depletion' ? r.paths ?? null : null;
  const withInterval = (x: number | null) => {
    if (x === null || paths === null) return fmt(x);
    const iv = intervalOfShare(x, paths);
    return `${fmt(x)} (${f.percent(iv.lower, 1)}–${f.percent(iv.upper, 1)})`;
  };
  const rows = r.bars.map((b) => [barLabel(b), `${pText(b.path, b.lowInput)} → ${pText(b.path, b.highInput)}`, withInterval(b.atLow), withInterval(b.atHigh), fmt(b.swing)]);
  const top = r.bars[0];
  const headline = top && top.swing !== null
    ? t('{indicator} is {base} with the scenario as it is. It moves most with the {parameter}: from {atLow} to {atHigh} as it goes from {low} to {high}.', {
      indicator, base: fmt(r.baseValue), parameter: barLabel(top).toLowerCase(), atLow: fmt(top.atLow), atHigh: fmt(top.atHigh), low: pText(top.path, top.lowInput), high: pText(top.path, top.highInput),
    })
    : t('{indicator} is {base} with the scenario as it is.', { indicator, base: fmt(r.baseValue) });
  const chart: PolicyChart = {
    id: 'tornado', title: t('Tornado: {indicator, select, capital {capital at the horizon} depletion {probability of depletion} additionalLending {additional lending} fiscalCostPerAdditionalLoan {fiscal cost per additional loan} other {firms supported}}', { indicator: r.indicator }),
    kind: 'tornado', format, currency: s.currency,
    xTitle: format === 'money' ? t('{indicator} ({currency})', { indicator, currency: s.currency }) : indicator, yTitle: t('Parameter'),
    caption: t('Each bar shows {indicator, select, capital {capital at the horizon} depletion {probability of depletion} additionalLending {additional lending} fiscalCostPerAdditionalLoan {fiscal cost per additional loan} other {firms supported}} when one parameter moves to its low value (one colour) or its high value (the other), everything else as in the scenario (±{change} unless a low and high were given). Sorted by the size of the swing; the vertical line is the base value.', { indicator: r.indicator, change: f.percent(change, 0) }),
    labels, datasets, marks: [], available: true, unavailable: '',
    table: { columns: [t('Parameter'), t('Low → high'), t('At low'), t('At high'), t('Swing')], rows },
    csv: {
      header: ['parameter', 'label', 'base_input', 'low_input', 'high_input', 'indicator_at_low', 'indicator_at_high', 'swing', 'note'],
      rows: r.bars.map((b) => [b.path, b.label, b.baseInput, b.lowInput, b.highInput, b.atLow, b.atHigh, b.swing, b.note]),
    },
    extra: { base: r.baseValue, baseLabel: t('Base {value}', { value: fmt(r.baseValue) }) },
  };
  const notes = r.bars.filter((b) => b.note).map((b) => t('{parameter}: {note}', { parameter: barLabel(b), note: barNote(b.note!, s, b.path, l) }));
  if (paths !== null) {
    const base = r.baseValue === null ? null : intervalOfShare(r.baseValue, paths);
    notes.unshift(base
      ? t('Each probability of depletion comes from {paths} simulated paths (the same seed at every point); the table gives its 95 % (Wilson) interval — {lower} to {upper} for the base value. A swing smaller than the intervals may be noise.', { paths: f.count(paths), lower: f.percent(base.lower, 1), upper: f.percent(base.upper, 1) })
      : t('Each probability of depletion comes from {paths} simulated paths (the same seed at every point); the table gives its 95 % (Wilson) interval. A swing smaller than the intervals may be noise.', { paths: f.count(paths) }));
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

export function sweepModel(r: SweepResult, s: Scenario, l: Localizer): SweepModel {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const format = INDICATOR_FORMATS[r.indicator];
  const fmt = (x: number | null) => formatValue(f, format, x);
  const flat = r.values.flat().filter((v): v is number => v !== null);
  const min = flat.length ? Math.min(...flat) : 0;
  const max = flat.length ? Math.max(...flat) : 0;
  const heat = (v: number | null) => (v === null ? -1 : max > min ? Math.min(HEAT_COLOURS.length - 1, Math.floor(((v - min) / (max - min)) * HEAT_COLOURS.length)) : 0);
  const xText = (x: number) => parameterText(f, s, r.x.path, x, l);
  const yText = (y: number) => parameterText(f, s, r.y.path, y, l);
  const xLabel = parameterLabel(r.x.path, t);
  const yLabel = parameterLabel(r.y.path, t);
  const indicator = t(INDICATOR_LABELS[r.indicator]);
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
    columns: [`${yLabel} ↓ / ${xLabel} →`, ...r.x.values.map(xText)],
    rows: r.y.values.map((y, i) => ({
      label: yText(y),
      cells: r.x.values.map((_, j) => ({
        text: fmt(r.values[i]?.[j] ?? null), interval: r.indicator === 'depletion' ? intervalText(i, j) : null,
        heat: heat(r.values[i]?.[j] ?? null), above: above(i, j), unclear: unclear(i, j),
      })),
    })),
  };
  const pathsText = f.count(paths ?? 0);
  const samplingText = r.depletion && paths
    ? [
      r.indicator === 'depletion'
        ? t('Every probability of depletion comes from {paths} simulated paths (the same seed at every point), so it carries sampling error: each cell shows its 95 % (Wilson) interval under the estimate.', { paths: pathsText })
        : t('Every probability of depletion comes from {paths} simulated paths (the same seed at every point), so it carries sampling error: the table’s CSV gives each point’s 95 % (Wilson) interval.', { paths: pathsText }),
      ...(r.contour ? [t('A point counts as above the target (✕) only when its whole interval is above it, and as meeting it only when its whole interval is at or below; ? marks a point whose interval contains the target: cannot tell at {paths} paths.', { paths: pathsText })] : []),
      t('Differences between neighbouring cells smaller than their intervals are noise, not a trend.'),
    ].join(' ')
    : null;
  const legend = HEAT_COLOURS.map((_, k) => ({ heat: k, text: max > min ? `${fmt(min + ((max - min) * k) / HEAT_COLOURS.length)} – ${fmt(min + ((max - min) * (k + 1)) / HEAT_COLOURS.length)}` : fmt(min) })).slice(0, max > min ? HEAT_COLOURS.length : 1);
  const feasibleCount = r.contour ? r.contour.feasible.flat().filter((x) => x === true).length : 0;
  const unclearCount = r.contour ? r.y.values.flatMap((_, i) => r.x.values.map((__, j) => unclear(i, j))).filter(Boolean).length : 0;
  const contourValues = { target: r.contour ? f.percent(r.contour.target, 2) : '', feasible: f.count(feasibleCount), points: f.count(r.x.values.length * r.y.values.length), unclear: unclearCount, paths: pathsText };
  const contourText = r.contour
    ? (unclearCount
      ? t('The black line is where the estimated probability of depletion crosses {target}. {feasible} of {points} grid points are shown to keep it at or below the target; the cells marked ✕ in the table are above it, and {unclear} marked ? cannot be told apart from it at {paths} paths.', contourValues)
      : t('The black line is where the estimated probability of depletion crosses {target}. {feasible} of {points} grid points are shown to keep it at or below the target; the cells marked ✕ in the table are above it.', contourValues))
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
    id: 'heatmap', title: t('{indicator} over {x} × {y}', { indicator, x: xLabel.toLowerCase(), y: yLabel.toLowerCase() }), kind: 'heatmap', format, currency: s.currency,
    xTitle: xLabel, yTitle: yLabel,
    caption: r.contour
      ? t('Each cell is one combination of the two parameters, everything else as in the scenario; darker is higher. The black line marks where the probability of depletion crosses {target}.', { target: f.percent(r.contour.target, 2) })
      : t('Each cell is one combination of the two parameters, everything else as in the scenario; darker is higher.'),
    labels: [], datasets: [{ label: indicator, data: flat, style: 'points', color: 0 }], marks: [], available: true, unavailable: '',
    table: { columns: grid.columns, rows: grid.rows.map((row) => [row.label, ...row.cells.map((c) => `${c.text}${c.interval ? ` (${c.interval})` : ''}${c.above ? ' ✕' : c.unclear ? ' ?' : ''}`)]) },
    csv: {
      header: [r.x.path, r.y.path, r.indicator, ...(extraDepletion ? ['depletion'] : []), ...(r.depletionIntervals ? ['depletion_lower_95', 'depletion_upper_95', 'paths'] : []), ...(r.contour ? ['meets_target'] : [])],
      rows: csvRows,
    },
    extra: {
      x: { label: xLabel, values: r.x.values, format: axisFormat(s, r.x.path) },
      y: { label: yLabel, values: r.y.values, format: axisFormat(s, r.y.path) },
      grid: r.values, min, max, colours: HEAT_COLOURS,
      notes: r.depletionIntervals
        ? r.y.values.map((_, i) => r.x.values.map((__, j) => {
          const iv = intervalAt(i, j);
          const d = r.depletion?.[i]?.[j] ?? null;
          if (!iv || d === null) return null;
          const values = { depletion: f.percent(d, 2), lower: f.percent(iv.lower, 2), upper: f.percent(iv.upper, 2), paths: pathsText };
          return above(i, j) ? t('probability of depletion {depletion}, 95 % interval {lower} to {upper} ({paths} paths), above the target', values)
            : unclear(i, j) ? t('probability of depletion {depletion}, 95 % interval {lower} to {upper} ({paths} paths), cannot tell against the target', values)
              : t('probability of depletion {depletion}, 95 % interval {lower} to {upper} ({paths} paths)', values);
        }))
        : null,
      contour: r.contour ? { target: r.contour.target, segments: r.contour.segments, label: t('Probability of depletion = {target}', { target: f.percent(r.contour.target, 2) }) } : null,
    },
  };
  const best = flat.length ? (r.indicator === 'depletion' || r.indicator === 'fiscalCostPerAdditionalLoan' ? min : max) : null;
  const headline = best === null ? t('No grid point could be evaluated.')
    : t('{indicator} ranges from {min} to {max} over the {columns} × {rows} grid.', { indicator, min: fmt(min), max: fmt(max), columns: f.count(r.x.values.length), rows: f.count(r.y.values.length) });
  const overrideText = (a: { path: string; override?: string | null }) => (a.override ? (overrideNote(s, a.path, t) ?? a.override) : null);
  return {
    headline, chart, grid, legend, contourText, samplingText,
    overrides: [r.x, r.y].filter((a) => a.override).map((a) => t('{parameter}: {note}.', { parameter: parameterLabel(a.path, t), note: overrideText(a) ?? '' })),
    invalid: r.invalidPoints.map((p) => t('{x}, {y}: {issues}', {
      x: xText(r.x.values[p.column]!), y: yText(r.y.values[p.row]!), issues: p.issues.map((i) => `${i.path}: ${translateMessage(l, i.message)}`).join('; '),
    })),
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

/** "4.03 % (95 % interval 3.40 % to 4.77 %, 3,200 paths)": a Monte Carlo probability with its interval. */
export function probabilityText(f: Formatter, p: number | null, lower: number | null, upper: number | null, paths: number | null, confidence: number, t: Translate): string {
  if (p === null || lower === null || upper === null || paths === null) return '—';
  return t('{probability} ({level} interval {lower} to {upper}, {paths} paths)', { probability: f.percent(p, 2), level: f.percent(confidence, 0), lower: f.percent(lower, 2), upper: f.percent(upper, 2), paths: f.count(paths) });
}

export function searchModel(r: SearchResult, s: Scenario, spec: { depletionTarget: number; feeCeiling: number; feeFloor?: number; coverageFrom?: number; coverageTo?: number }, l: Localizer): SearchModel {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const format = INDICATOR_FORMATS[r.objective];
  const fmt = (x: number | null) => formatValue(f, format, x);
  // Results stored before intervals existed have no sampling block: read them as they were.
  const sampling = r.sampling ?? { confidence: 0.95, paths: null, maxPaths: null, seed: null };
  const level = f.percent(sampling.confidence, 0);
  const ev = r.evaluations.map((e) => ({ ...e, verdict: e.verdict ?? (e.feasible === true ? 'feasible' : e.feasible === false ? 'infeasible' : 'notSimulated') }));
  const probability = (e: SearchEvaluation) => probabilityText(f, e.depletion, e.lower ?? null, e.upper ?? null, e.paths ?? null, sampling.confidence, t);
  const pt = (e: SearchEvaluation) => ({ x: e.coverage, y: e.fee, note: e.depletion === null ? t('not simulated') : t('depletion {probability}', { probability: probability(e) }) });
  const target = f.percent(spec.depletionTarget, 2);
  const datasets: PolicyDataset[] = [
    { label: t('Depletion at most {target} (whole interval)', { target }), data: ev.filter((e) => e.verdict === 'feasible').map(pt), style: 'points', color: 2 },
    { label: t('Depletion above {target} (whole interval)', { target }), data: ev.filter((e) => e.verdict === 'infeasible').map(pt), style: 'points', color: 3 },
    { label: sampling.maxPaths === null ? t('Cannot tell at the paths run') : t('Cannot tell at {paths} paths', { paths: f.count(sampling.maxPaths) }), data: ev.filter((e) => e.verdict === 'cannotTell').map(pt), style: 'points', color: 4 },
    { label: t('Not simulated (a better point already met the target)'), data: ev.filter((e) => e.verdict === 'notSimulated').map(pt), style: 'points', color: 5 },
  ];
  if (r.feasible) datasets.unshift({ label: t('Best'), data: [pt({ ...r, objective: r.objectiveValue, depleted: null, verdict: 'feasible', feasible: true, note: null } as SearchEvaluation)], style: 'points', color: 0 });
  const sorted = [...ev].sort((a, b) => b.objective - a.objective || a.fee - b.fee || a.coverage - b.coverage);
  const verdictText = (e: SearchEvaluation) => (e.verdict === 'cannotTell' ? t('cannot tell at {paths} paths', { paths: f.count(e.paths ?? 0) }) : t(VERDICT_TEXT[e.verdict]));
  const chart: PolicyChart = {
    id: 'search', title: t('Points the search looked at'), kind: 'scatter', format: 'percent', currency: s.currency,
    xTitle: t('Coverage ratio'), yTitle: t('Annual fee'),
    caption: t('Every coverage and annual fee the search considered, marked by whether the {level} interval of its probability of depletion lies below the target, above it, or still contains it at the most paths allowed. The search refines the grid around the best point in each round; every point uses the same seed.', { level }),
    labels: [], datasets, marks: [], available: true, unavailable: '',
    table: {
      columns: [t('Coverage'), t('Annual fee'), t(INDICATOR_LABELS[r.objective]), t('Probability of depletion'), t('{level} interval', { level }), t('Paths'), t('Meets the target')],
      rows: sorted.map((e) => [
        f.percent(e.coverage, 2), f.percent(e.fee, 3), fmt(e.objective),
        e.depletion === null ? t('not simulated') : f.percent(e.depletion, 2),
        e.lower === null || e.lower === undefined || e.upper === null || e.upper === undefined ? '—' : t('{from} to {to}', { from: f.percent(e.lower, 2), to: f.percent(e.upper, 2) }),
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
  const countValues = { considered: ev.length, simulated: f.count(simulated) };
  const counts = r.complete
    ? t('{considered, plural, one {# point considered} other {# points considered}}, {simulated} simulated.', countValues)
    : t('{considered, plural, one {# point considered} other {# points considered}}, {simulated} simulated; stopped early.', countValues);
  const tieBreak = r.tieBreak ?? TIE_BREAK_RULE;
  const method = sampling.paths === null
    ? t('This result was computed before the search reported sampling error.')
    : t('A point meets the target only when the whole {level} (Wilson) interval of its probability of depletion is at or below {target}, and fails it only when the whole interval is above. While the interval contains the target, the point’s paths are doubled from {paths} up to {most} (the first paths kept; seed {seed} at every point, so points are compared on the same random numbers); a point still undecided is reported as “cannot tell” and passed over. A point found feasible while a point of no higher risk (no higher coverage, no lower fee) is found infeasible contradicts the model; both get the most paths and, if they still disagree, both count as “cannot tell”. Ties: {ties}.', {
      level, target, paths: f.count(sampling.paths), most: f.count(sampling.maxPaths!), seed: String(sampling.seed), ties: t(tieBreak),
    });
  const own = stagesWithOwnCoverage(s);
  const coverageNote = own.length
    ? t('This scenario gives {list} of cover, overriding its coverage ratio; the search tries one coverage for every stage, replacing those.', {
      list: own.map((st) => t('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}-stage firms {coverage}', { stage: st, coverage: f.percent(s.guarantee.coverageByStage[st]!, 0) })).join(', '),
    })
    : null;
  const cannotTell = (r.cannotTell ?? []).map((e) => t('Coverage {coverage}, fee {fee}: {value}, probability of depletion {probability}.', { coverage: f.percent(e.coverage, 2), fee: f.percent(e.fee, 3), value: fmt(e.objective), probability: probability(e) }));
  if (r.feasible) {
    return {
      feasible: true,
      headline: t('Best: coverage {coverage} and an annual fee of {fee}.', { coverage: f.percent(r.coverage, 2), fee: f.percent(r.fee, 3) }),
      detail: t('This gives {objective, select, capital {capital at the horizon} depletion {probability of depletion} additionalLending {additional lending} fiscalCostPerAdditionalLoan {fiscal cost per additional loan} other {firms supported}} of {value} with a probability of depletion of {probability} (target: at most {target}; fee ceiling {ceiling}). No other point shown to meet both limits gives more{undecided, plural, =0 {} one {; # point that would give more or equal at a lower fee cannot be told apart from the target (listed below)} other {; # points that would give more or equal at a lower fee cannot be told apart from the target (listed below)}}.', {
        objective: r.objective, value: fmt(r.objectiveValue), probability: probabilityText(f, r.depletion, r.lower ?? null, r.upper ?? null, r.paths ?? null, sampling.confidence, t),
        target, ceiling: f.percent(spec.feeCeiling, 2), undecided: cannotTell.length,
      }),
      method, cannotTell, coverageNote, chart, counts,
    };
  }
  const canWordAgain = sampling.maxPaths !== null && spec.feeFloor !== undefined && spec.coverageFrom !== undefined && spec.coverageTo !== undefined;
  const reason = canWordAgain
    ? searchReason({
      spec: { coverageFrom: spec.coverageFrom!, coverageTo: spec.coverageTo!, feeFloor: spec.feeFloor!, feeCeiling: spec.feeCeiling, depletionTarget: spec.depletionTarget },
      closest: r.closest, cannotTell: r.cannotTell ?? [], maxPaths: sampling.maxPaths!,
    }, t, (x) => f.percent(x, 2), (x) => f.count(x))
    : r.reason;
  const because = `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
  return {
    feasible: false,
    headline: cannotTell.length ? t('No coverage and fee are shown to meet the limits.') : t('No coverage and fee meet the limits.'),
    detail: cannotTell.length
      ? t('{reason} Allow more paths per point to settle the undecided points, or raise the fee ceiling, accept a higher probability of depletion, or give the fund more capital.', { reason: because })
      : t('{reason} Raise the fee ceiling, accept a higher probability of depletion, or give the fund more capital.', { reason: because }),
    method, cannotTell, coverageNote, chart, counts,
  };
}
