/**
 * The results of a scenario, made readable: headline indicators with a sentence each, chart
 * specifications (drawn by public/js/charts.js; each with a table and a CSV), and the whole
 * result as JSON and CSV. Everything here is computed from the core's outputs; nothing is
 * modelled here.
 */
import { riskAnalytics } from '../../core/analytics.ts';
import type { MonteCarloResult } from '../../core/montecarlo/types.ts';
import { intervalOfShare } from '../../core/stats/intervals.ts';
import { PERCENTILES, TAIL_LEVELS } from '../../core/montecarlo/types.ts';
import { INFLOWS, OUTFLOWS, type Projection } from '../../core/projection.ts';
import type { Scenario } from '../../core/schema.ts';
import { STAGES, type Stage } from '../../core/stages.ts';
import { type Decimal, plain } from '../../core/money.ts';
import type { BreakEvenBasis, BreakEvenFee } from '../../core/solvers.ts';
import { conventionsInForce } from '../../core/conventions.ts';
import { cents, ledgerTable as coreLedgerTable, toCsv } from '../../core/report.ts';
import { costingModel, type CostingModel } from './costing-view.ts';
import { BASIS_NAMES, breakEvenReason, costText, ENGLISH, type Table } from './result-text.ts';

export { BASIS_NAMES, breakEvenReason, costText, ENGLISH, negativeCostNote, type Table } from './result-text.ts';
import { formatter, type Formatter } from '../../i18n/format.ts';
import { msg, type Localizer, type Translate } from '../../i18n/index.ts';

export type BreakEven = BreakEvenFee;

export interface Indicator {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly detail: string;
  readonly sentence: string;
  readonly tone: 'good' | 'bad' | 'neutral';
  /** The glossary entry explaining it. */
  readonly term?: string | null;
}

/** The glossary entry behind each headline indicator. */
const INDICATOR_TERMS: Readonly<Record<string, string>> = {
  capital: 'expected-case', rationing: 'leverage', depletion: 'depletion', breakEvenFee: 'break-even-fee', leverage: 'leverage',
  firms: 'lifecycle-stage', additional: 'additionality', fiscalCost: 'fiscal-cost-per-additional-loan', economicCost: 'economic-cost',
};

export type ValueFormat = 'money' | 'percent' | 'multiple' | 'count';

export interface Dataset {
  readonly label: string;
  readonly data: readonly (number | null)[];
  /** How the client draws it. */
  readonly style: 'line' | 'bar' | 'dashed' | 'band-low' | 'band-high' | 'points';
  /** Palette index (the client owns the colours). */
  readonly color: number;
  /** For band-high: opacity of the fill. */
  readonly alpha?: number;
  /** For band-high: the legend's name of the band, when it is not the label. */
  readonly legend?: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly kind: 'line' | 'bar';
  readonly format: ValueFormat;
  readonly currency: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly labels: readonly string[];
  readonly datasets: readonly Dataset[];
  /** Vertical marks at fractional category positions (histogram VaR). */
  readonly marks: readonly { label: string; position: number }[];
  readonly table: Table;
  readonly csv: { readonly header: readonly string[]; readonly rows: readonly (readonly (string | number | null)[])[] };
  /** False when the chart needs a Monte Carlo run that has not been made. */
  readonly available: boolean;
  readonly unavailable: string;
  /** The top of the value axis, when the chart draws larger values (and no value) at it. */
  readonly yMax?: number | null;
  /** Bars stacked on each other (parts of one whole). */
  readonly stacked?: boolean;
}

export interface ResultsModel {
  readonly indicators: readonly Indicator[];
  readonly charts: readonly ChartSpec[];
  readonly ledger: Table;
  readonly lending: Table;
  readonly costing: CostingModel;
  readonly hasMonteCarlo: boolean;
}

const num = (x: Decimal | number | null | undefined): number | null => {
  if (x === null || x === undefined) return null;
  const n = typeof x === 'number' ? x : x.toNumber();
  return Number.isFinite(n) ? n : null;
};

/** The lifecycle stages' names, translated where shown. */
export const STAGE_NAMES: Readonly<Record<Stage, string>> = {
  founding: msg('Founding'), growth: msg('Growth'), maturity: msg('Maturity'), transformation: msg('Transformation'),
};
/** A stage's name in lower case within a sentence. */
const STAGE_NAMES_LOWER: Readonly<Record<Stage, string>> = {
  founding: msg('founding'), growth: msg('growth'), maturity: msg('maturity'), transformation: msg('transformation'),
};
export const stageName = (t: Translate, st: Stage): string => t(STAGE_NAMES[st]);
export const stageNameLower = (t: Translate, st: Stage): string => t(STAGE_NAMES_LOWER[st]);

export function formatValue(f: Formatter, format: ValueFormat, x: number | null): string {
  switch (format) {
    case 'money': return f.money(x);
    case 'percent': return f.percent(x);
    case 'multiple': return f.multiple(x);
    case 'count': return f.count(x);
  }
}

export function makeTable(f: Formatter, format: ValueFormat, firstColumn: string, labels: readonly string[], datasets: readonly Dataset[]): Pick<ChartSpec, 'table' | 'csv'> {
  const shown = datasets;
  return {
    table: {
      columns: [firstColumn, ...shown.map((d) => d.label)],
      rows: labels.map((l, i) => [l, ...shown.map((d) => formatValue(f, format, d.data[i] ?? null))]),
    },
    csv: {
      header: [firstColumn, ...shown.map((d) => d.label)],
      rows: labels.map((l, i) => [l, ...shown.map((d) => d.data[i] ?? null)]),
    },
  };
}

const mcMissing = (t: Translate) => t('This chart needs a Monte Carlo run: use “Run Monte Carlo” below the indicators.');

/** Non-finite values (leverage with no capital) become gaps. */
const clean = (xs: readonly number[]): (number | null)[] => xs.map((x) => (Number.isFinite(x) ? x : null));

function fanDatasets(fan: { bands: readonly (readonly number[])[] }, series: string, t: Translate): Dataset[] {
  const at = (p: number) => clean(fan.bands[PERCENTILES.indexOf(p as (typeof PERCENTILES)[number])] ?? []);
  return [
    { label: t('{series}: 1st percentile', { series }), data: at(1), style: 'band-low', color: 0 },
    { label: t('{series}: 99th percentile', { series }), data: at(99), style: 'band-high', color: 0, alpha: 0.12, legend: t('Middle 98 % of paths') },
    { label: t('{series}: 5th percentile', { series }), data: at(5), style: 'band-low', color: 0 },
    { label: t('{series}: 95th percentile', { series }), data: at(95), style: 'band-high', color: 0, alpha: 0.2, legend: t('Middle 90 % of paths') },
    { label: t('{series}: 25th percentile', { series }), data: at(25), style: 'band-low', color: 0 },
    { label: t('{series}: 75th percentile', { series }), data: at(75), style: 'band-high', color: 0, alpha: 0.3, legend: t('Middle 50 % of paths') },
    { label: t('{series}: median', { series }), data: at(50), style: 'dashed', color: 0 },
  ];
}

export interface ResultInput {
  readonly scenario: Scenario;
  readonly projection: Projection;
  readonly monteCarlo: MonteCarloResult | null;
  /** On the scenario's basis, and on every basis. */
  readonly breakEven: BreakEven | null;
  readonly breakEvenFees?: Record<BreakEvenBasis, BreakEvenFee> | null;
}

function annualFeeText(s: Scenario, f: Formatter, t: Translate): string {
  const b = s.guarantee.annualFee;
  if (b.length === 1) return f.percent(b[0]!.rate);
  return t('{low}–{high} by loan size', { low: f.percent(Math.min(...b.map((x) => x.rate))), high: f.percent(Math.max(...b.map((x) => x.rate))) });
}

export function indicators({ scenario: s, projection: p, monteCarlo: mc, breakEven }: ResultInput, l: Localizer = ENGLISH): Indicator[] {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const sum = p.summary;
  const H = s.horizonYears;
  const closing = num(sum.closingCapital)!;
  // Capital put in: initial capital, injections, and the government's capital calls and loss compensation.
  const topUps = num(sum.totalInjections)! + num(sum.totalCapitalCalls)! + num(sum.totalStateCompensation)!;
  const putIn = num(sum.initialCapital)! + topUps;
  const change = putIn > 0 ? (closing - putIn) / putIn : null;
  const out: Indicator[] = [];

  const capitalValues = { years: H, closing: f.money(closing), change: f.percent(change === null ? null : Math.abs(change), 1), putIn: f.money(putIn) };
  let capitalSentence = closing >= putIn
    ? topUps > 0
      ? t('After {years, plural, one {# year} other {# years}} the fund holds {closing}, up {change} on the {putIn} put in (initial capital plus injections, capital calls and state compensation), in the expected case.', capitalValues)
      : t('After {years, plural, one {# year} other {# years}} the fund holds {closing}, up {change} on the {putIn} put in, in the expected case.', capitalValues)
    : topUps > 0
      ? t('After {years, plural, one {# year} other {# years}} the fund holds {closing}, down {change} on the {putIn} put in (initial capital plus injections, capital calls and state compensation), in the expected case.', capitalValues)
      : t('After {years, plural, one {# year} other {# years}} the fund holds {closing}, down {change} on the {putIn} put in, in the expected case.', capitalValues);
  if (mc) {
    const last = mc.capital.bands[0]!.length - 1;
    const p5 = mc.capital.bands[PERCENTILES.indexOf(5)]![last]!;
    const p50 = mc.capital.bands[PERCENTILES.indexOf(50)]![last]!;
    capitalSentence += ` ${t('Across {paths} simulated paths the median is {median}, and one path in twenty ends below {p5}.', { paths: f.count(mc.paths), median: f.money(p50), p5: f.money(p5) })}`;
  }
  out.push({ id: 'capital', label: t('Capital at horizon'), value: f.moneyShort(closing), detail: f.money(closing), sentence: capitalSentence, tone: closing >= putIn ? 'good' : closing < 0 ? 'bad' : 'neutral' });

  if (mc) {
    const pd = mc.probabilityOfDepletion[mc.probabilityOfDepletion.length - 1] ?? 0;
    const iv = intervalOfShare(pd, mc.paths);
    const v = { share: f.percent(pd, 2), lower: f.percent(iv.lower, 2), upper: f.percent(iv.upper, 2), paths: f.count(mc.paths), seed: String(mc.seed), years: H };
    out.push({
      id: 'depletion', label: t('Probability of depletion'), value: f.percent(pd, 2), detail: t('95 % interval {lower} to {upper}; {paths} paths, seed {seed}', v),
      sentence: t('In {share} of {paths} simulated business cycles the fund’s capital falls below zero within {years, plural, one {# year} other {# years}}. With {paths} paths that share is an estimate: the true probability lies between {lower} and {upper} with 95 % confidence (Wilson interval); more paths narrow it.', v),
      tone: pd > 0.05 ? 'bad' : pd > 0.01 ? 'neutral' : 'good',
    });
  } else {
    out.push({
      id: 'depletion', label: t('Probability of depletion'), value: t('Not run'), detail: t('needs a Monte Carlo run'),
      sentence: sum.depletionYear === null
        ? t('In the expected case the fund never runs out of capital; run a Monte Carlo simulation to see how likely a bad cycle is to exhaust it.')
        : t('Even in the expected case the fund runs out of capital in year {year}; a Monte Carlo run shows how likely that is.', { year: sum.depletionYear }),
      tone: sum.depletionYear === null ? 'neutral' : 'bad',
    });
  }

  if (breakEven) {
    const basis = t(BASIS_NAMES[breakEven.basis]);
    if (breakEven.fee === null) {
      out.push({ id: 'breakEvenFee', label: t('Break-even fee'), value: t('None'), detail: t('basis: {basis}', { basis }), sentence: t('No flat annual fee works on this basis ({basis}): {reason}.', { basis, reason: breakEvenReason(t, breakEven.reason) }), tone: 'bad' });
    } else {
      const v = { fee: f.percent(breakEven.fee, 2), charged: annualFeeText(s, f, t), years: H };
      const sentence = {
        lifetime: t('An annual fee of {fee} on outstanding guarantees would make the present value of fees cover the present value of net claims, operating costs and premiums of every cohort to its last claim, without counting investment income; the scenario charges {charged}.', v),
        lifetimeWithInvestmentIncome: t('An annual fee of {fee} on outstanding guarantees would make the present value of fees and investment income cover the present value of net claims, operating costs and premiums of every cohort to its last claim; the scenario charges {charged}.', v),
        horizon: t('An annual fee of {fee} on outstanding guarantees would leave the fund with exactly the capital put in after {years, plural, one {# year} other {# years}} (it counts investment income and ignores the guarantees still outstanding then); the scenario charges {charged}.', v),
      }[breakEven.basis];
      out.push({ id: 'breakEvenFee', label: t('Break-even fee'), value: f.percent(breakEven.fee, 2), detail: t('a year; basis: {basis}', { basis }), sentence, tone: 'neutral' });
    }
  }

  const cap = s.fund.leverageCap;
  const L = sum.leverageAtHorizon;
  const status = p.periods[p.periods.length - 1]!.capitalStatus;
  const firstExhausted = p.periods.find((r) => r.capitalStatus === 'exhausted');
  out.push(status === 'exhausted'
    ? {
        id: 'leverage', label: t('Leverage'), value: t('Capital exhausted'),
        detail: firstExhausted ? t('cap {cap}; since {period}', { cap: f.multiple(cap), period: firstExhausted.label }) : t('cap {cap}; since the horizon', { cap: f.multiple(cap) }),
        sentence: closing <= 0
          ? t('At the horizon the fund’s capital is gone, so it can issue no new guarantees and leverage is no longer a meaningful multiple.')
          : t('At the horizon the fund’s capital is under its minimum capital ratio of {ratio} of outstanding guarantees, so it can issue no new guarantees and leverage is no longer a meaningful multiple.', { ratio: f.percent(s.fund.minCapitalRatio, 1) }),
        tone: 'bad',
      }
    : {
        id: 'leverage', label: t('Leverage'), value: f.multiple(L), detail: t('cap {cap}, peak {peak}', { cap: f.multiple(cap), peak: f.multiple(sum.peakLeverage) }),
        sentence: status === 'aboveCap'
          ? t('Outstanding guarantees are {leverage} the fund’s capital at the horizon, above the cap of {cap}: claims ate capital after the guarantees were issued, so new issuance is rationed until leverage falls back under the cap.', { leverage: f.multiple(L), cap: f.multiple(cap) })
          : t('Outstanding guarantees are {leverage} the fund’s capital at the horizon (peak {peak}), against a cap of {cap}; real funds run from about 5× to 40×.', { leverage: f.multiple(L), peak: f.multiple(sum.peakLeverage), cap: f.multiple(cap) }),
        tone: status === 'aboveCap' ? 'bad' : 'neutral',
      });

  if (mc) {
    // The 95th percentile of simulated leverage at the horizon, and what it means when a path has no capital left.
    const last = mc.leverage.bands[0]!.length - 1;
    const p95 = mc.leverage.bands[PERCENTILES.indexOf(95)]![last]!;
    const leverageIndicator = out[out.length - 1]!;
    out[out.length - 1] = {
      ...leverageIndicator,
      sentence: `${leverageIndicator.sentence} ${Number.isFinite(p95)
        ? t('Across the simulated paths, one in twenty ends with leverage above {p95}.', { p95: f.multiple(p95) })
        : t('More than one simulated path in twenty ends with its capital exhausted: those paths issue no new guarantees and have no finite leverage.')}`,
    };
  }
  out.push(rationingIndicator(s, p, f, l));

  const byStage = STAGES.filter((st) => sum.firmsSupportedByStage[st] > 0)
    .map((st) => t('{count} {stage}', { count: f.count(sum.firmsSupportedByStage[st]), stage: stageNameLower(t, st) })).join(t(', '));
  const firmValues = { firms: f.count(sum.firmsSupported), loans: f.count(sum.loansGuaranteed), years: H, byStage };
  out.push({
    id: 'firms', label: t('Firms supported'), value: f.count(sum.firmsSupported), detail: t('distinct firms over {years, plural, one {# year} other {# years}}; {loans} loans', firmValues),
    sentence: sum.firmsSupported > 0
      ? t('{firms} distinct firms get {loans} guaranteed loans over {years, plural, one {# year} other {# years}} (firms by stage: {byStage}); a firm that borrows again counts once.', firmValues)
      : t('No guaranteed loan is made: lenders find no segment worth lending to, even with the guarantee.'),
    tone: sum.firmsSupported > 0 ? 'good' : 'bad',
  });

  const additional = num(sum.additionalLending)!;
  const guaranteed = num(sum.guaranteedLending)!;
  out.push({
    id: 'additional', label: t('Additional lending'), value: f.moneyShort(additional), detail: f.money(additional),
    sentence: guaranteed > 0
      ? t('{additional} of the {guaranteed} lent under guarantee ({share}) would not have been lent without it; the rest ({rest}) is substitution.', { additional: f.money(additional), guaranteed: f.money(guaranteed), share: f.percent(additional / guaranteed, 0), rest: f.money(guaranteed - additional) })
      : t('No lending happens under the guarantee.'),
    tone: additional > 0 ? 'good' : 'neutral',
  });

  const perLoan = num(sum.fiscalCostPerAdditionalLoan);
  const total = f.money(num(sum.fiscalCost));
  out.push({
    id: 'fiscalCost', label: t('Cash fiscal cost per additional loan'), value: f.money(perLoan),
    detail: perLoan !== null && perLoan <= -0.5 ? t('negative: a gain at the horizon, not a cost; total {total}', { total }) : t('at the horizon; total {total}', { total }),
    sentence: perLoan === null
      ? t('No additional loans are made, so there is no cost per additional loan.')
      : perLoan <= 0
        ? t('At the horizon the fund holds more than the public money put in: in cash, each of the {loans} additional loans costs the budget nothing (the fund gains {gain} per loan) — before the guarantees still outstanding have run off and before the cost of the capital; see the economic cost.', { loans: f.count(sum.additionalLoans), gain: f.money(-perLoan) })
        : t('The public money consumed by the horizon ({total}: what was put in minus what is left, undiscounted) spread over {loans} additional loans; it leaves out the guarantees still outstanding and the cost of the capital.', { total, loans: f.count(sum.additionalLoans) }),
    tone: perLoan !== null && perLoan > 0 ? 'neutral' : 'good',
  });

  const life = p.costing.lifetime;
  const economic = num(life.economicCost)!;
  const perAdditional = num(life.economicCostPerAdditionalLoan);
  const ev = { years: life.years, rate: s.costing.capitalCostRate === null ? '' : f.percent(s.costing.capitalCostRate, 2), economic: f.money(economic), cash: total };
  out.push({
    id: 'economicCost', label: t('Economic cost, lifetime'), value: f.moneyShort(economic), detail: t('PV; {cost} per additional loan', { cost: costText(f, perAdditional, t) }),
    sentence: s.costing.capitalCostRate === null
      ? t('Counting every guarantee to its last claim ({years} years), discounting at the government’s rate and charging the capital tied up in the fund at that rate net of its investment income, the programme costs {economic} in present value, against a cash cost of {cash} at the horizon.', ev)
      : t('Counting every guarantee to its last claim ({years} years), discounting at the government’s rate and charging the capital tied up in the fund at {rate} net of its investment income, the programme costs {economic} in present value, against a cash cost of {cash} at the horizon.', ev),
    tone: economic > 0 ? 'neutral' : 'good',
  });
  return out;
}

/** Guarantees demanded that the fund could not issue, in the expected case. */
export function rationingIndicator(s: Scenario, p: Projection, f: Formatter, l: Localizer = ENGLISH): Indicator {
  const { t } = l;
  const total = num(p.summary.totalRationed)!;
  const H = s.horizonYears;
  if (!(total > 0.005)) {
    return {
      id: 'rationing', label: t('Guarantees rationed'), value: t('None'), detail: t('cap {cap} never binds', { cap: f.multiple(s.fund.leverageCap) }),
      sentence: t('In the expected case the fund’s capital supports every guarantee lenders ask for over {years, plural, one {# year} other {# years}}: leverage stays within the cap of {cap} and capital above its minimum ratio, so no loan is refused a guarantee for lack of capacity.', { years: H, cap: f.multiple(s.fund.leverageCap) }),
      tone: 'good',
    };
  }
  const issued = p.periods.reduce((a, r) => a + num(r.newGuaranteed)!, 0);
  const share = total / (issued + total);
  const first = p.periods.find((r) => num(r.rationedGuaranteed)! > 0.005)!;
  const exhausted = p.periods.some((r) => r.capitalStatus === 'exhausted');
  const peak = p.periods.reduce((a, r) => (r.newLoans > a.newLoans ? r : a), p.periods[0]!);
  const last = p.periods[p.periods.length - 1]!;
  const v = {
    from: first.label, cap: f.multiple(s.fund.leverageCap), total: f.money(total), years: H, share: f.percent(share, 1),
    peakLoans: f.count(peak.newLoans), peakPeriod: peak.label, lastLoans: f.count(last.newLoans), lastPeriod: last.label,
  };
  return {
    id: 'rationing', label: t('Guarantees rationed'), value: f.moneyShort(total), detail: t('{share} of demand; from {from}', v),
    sentence: exhausted
      ? t('From {from} the capital runs out or falls under the minimum capital ratio, and from then the fund issues no new guarantee: {total} of the guarantees lenders asked for over {years, plural, one {# year} other {# years}} ({share}) could not be issued. New guaranteed loans fall from {peakLoans} in {peakPeriod} to {lastLoans} in {lastPeriod}. Figures for the expected case; see the chart “Guarantees issued and rationed”.', v)
      : t('From {from} leverage reaches the cap of {cap}, so the fund issues only what its capital allows: {total} of the guarantees lenders asked for over {years, plural, one {# year} other {# years}} ({share}) could not be issued. New guaranteed loans fall from {peakLoans} in {peakPeriod} to {lastLoans} in {lastPeriod}. Figures for the expected case; see the chart “Guarantees issued and rationed”.', v),
    tone: 'bad',
  };
}

export function charts({ scenario: s, projection: p, monteCarlo: mc }: ResultInput, l: Localizer = ENGLISH): ChartSpec[] {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const labels = p.periods.map((r) => r.label);
  const currency = s.currency;
  const out: ChartSpec[] = [];
  const base = { currency, marks: [] as { label: string; position: number }[], available: true, unavailable: '' };
  const period = t('Period');
  const year = t('Year');

  // 1. Capital over time.
  {
    const deterministic: Dataset = { label: t('Expected case'), data: p.periods.map((r) => num(r.ledger.closing)), style: 'line', color: 1 };
    const datasets = mc ? [...fanDatasets(mc.capital, t('Simulated capital'), t), deterministic] : [deterministic];
    out.push({
      ...base, id: 'capital', title: t('Fund capital over time'), kind: 'line', format: 'money', xTitle: period, yTitle: t('Capital ({currency})', { currency }),
      caption: mc
        ? t('Closing capital per period: the shaded bands hold 50 %, 90 % and 98 % of the simulated paths, the dashed line is their median and the solid line the expected case.')
        : t('Closing capital per period in the expected case. A Monte Carlo run adds the spread of outcomes around it.'),
      labels, datasets, ...makeTable(f, 'money', period, labels, datasets),
    });
  }

  // 2. Leverage against the cap, and 2b. guarantees rationed.
  out.push(leverageChart(s, p, mc, l));
  out.push(rationingChart(s, p, l));

  // 3. Fees, claims and recoveries per year.
  {
    const yearLabels = Array.from({ length: s.horizonYears }, (_, i) => `Y${i + 1}`);
    const perYear = (pick: (r: (typeof p.periods)[number]) => Decimal) =>
      yearLabels.map((_, y) => p.periods.filter((r) => r.year === y + 1).reduce((a, r) => a + pick(r).toNumber(), 0));
    const datasets: Dataset[] = [
      { label: t('Fee income'), data: perYear((r) => r.ledger.upfrontFees.plus(r.ledger.annualFees)), style: 'bar', color: 2 },
      { label: t('Claims paid'), data: perYear((r) => r.ledger.claimsPaid), style: 'bar', color: 3 },
      { label: t('Recoveries'), data: perYear((r) => r.ledger.recoveries), style: 'bar', color: 4 },
    ];
    out.push({
      ...base, id: 'flows', title: t('Fee income, claims and recoveries per year'), kind: 'bar', format: 'money', xTitle: year, yTitle: currency,
      caption: t('What flows into and out of the fund each year in the expected case. Claims follow defaults after the claim lag; recoveries follow claims after the recovery lag.'),
      labels: yearLabels, datasets, ...makeTable(f, 'money', year, yearLabels, datasets),
    });
  }

  // 4. Lending by stage, with and without the guarantee.
  const stageLabels = STAGES.map((st) => stageName(t, st));
  const stage = t('Stage');
  const lifecycle = t('Lifecycle stage');
  {
    const datasets: Dataset[] = [
      { label: t('Without the guarantee'), data: p.lending.map((x) => x.lendingWithoutGuarantee), style: 'bar', color: 5 },
      { label: t('With the guarantee scheme'), data: p.lending.map((x) => x.lendingWithScheme), style: 'bar', color: 1 },
      { label: t('Of which additional'), data: p.lending.map((x) => x.additionalLending), style: 'bar', color: 2 },
    ];
    out.push({
      ...base, id: 'lending', title: t('Lending by stage, with and without the guarantee'), kind: 'bar', format: 'money', xTitle: lifecycle, yTitle: t('Lending in year 1 ({currency})', { currency }),
      caption: t('One year’s applicants: what lenders lend without any guarantee and when the scheme exists. The difference is the additional lending: credit that happens only because of the guarantee.'),
      labels: stageLabels, datasets, ...makeTable(f, 'money', stage, stageLabels, datasets),
    });
  }

  // 5. Collateral gap by stage.
  {
    const datasets: Dataset[] = [
      { label: t('Without the guarantee'), data: p.lending.map((x) => x.collateralGapWithout), style: 'bar', color: 5 },
      { label: t('With the guarantee'), data: p.lending.map((x) => x.collateralGapWith), style: 'bar', color: 1 },
    ];
    out.push({
      ...base, id: 'collateralGap', title: t('Collateral gap by stage'), kind: 'bar', format: 'money', xTitle: lifecycle, yTitle: t('Average gap per applicant ({currency})', { currency }),
      caption: t('Collateral the lender requires that the average applicant cannot pledge. The guarantee stands in for collateral on the covered part of the loan.'),
      labels: stageLabels, datasets, ...makeTable(f, 'money', stage, stageLabels, datasets),
    });
  }

  // 6. Probability of depletion by year.
  {
    const yearLabels = Array.from({ length: s.horizonYears }, (_, i) => `Y${i + 1}`);
    const datasets: Dataset[] = mc
      ? [
          { label: t('Capital below zero: 95 % interval, lower bound'), data: mc.probabilityOfDepletion.map((x) => intervalOfShare(x, mc.paths).lower), style: 'band-low', color: 3 },
          { label: t('Capital below zero: 95 % interval (sampling error)'), data: mc.probabilityOfDepletion.map((x) => intervalOfShare(x, mc.paths).upper), style: 'band-high', color: 3, alpha: 0.18 },
          { label: t('Capital below zero'), data: [...mc.probabilityOfDepletion], style: 'line', color: 3 },
          { label: t('Capital ratio below the minimum'), data: [...mc.probabilityBelowMinimumCapital], style: 'dashed', color: 6 },
        ]
      : [];
    out.push({
      ...base, id: 'depletion', title: t('Probability of depletion by year'), kind: 'line', format: 'percent', xTitle: year, yTitle: t('Share of simulated paths'),
      caption: mc
        ? t('Share of simulated paths in which the fund has run out of capital (or fallen under its minimum capital ratio) by the end of each year. The shaded band is the 95 % (Wilson) interval of the share of paths with capital below zero at {paths} paths: the sampling error of the estimate.', { paths: f.count(mc.paths) })
        : t('Share of simulated paths in which the fund has run out of capital (or fallen under its minimum capital ratio) by the end of each year. The shaded band is the 95 % (Wilson) interval of the share of paths with capital below zero: the sampling error of the estimate.'),
      labels: yearLabels, datasets, ...makeTable(f, 'percent', year, yearLabels, datasets),
      available: mc !== null, unavailable: mcMissing(t),
    });
  }

  // 7. Histogram of cumulative net claims, with value-at-risk marks.
  {
    const h = mc?.netClaims.histogram;
    const edges = h?.edges ?? [];
    const counts = h?.counts ?? [];
    const total = counts.reduce((a, c) => a + c, 0) || 1;
    // Each bar is labelled by the middle of its bin; the table gives the exact bounds.
    const binLabels = counts.map((_, i) => f.moneyShort(((edges[i] ?? 0) + (edges[i + 1] ?? 0)) / 2));
    const datasets: Dataset[] = mc ? [{ label: t('Share of paths'), data: counts.map((c) => c / total), style: 'bar', color: 0 }] : [];
    const marks = (mc?.netClaims.tail ?? []).filter((x) => x.level === 0.95 || x.level === 0.99 || x.level === 0.999).map((x) => {
      const i = Math.max(0, edges.findIndex((e, k) => k < edges.length - 1 && x.valueAtRisk >= e && x.valueAtRisk <= edges[k + 1]!));
      const lo = edges[i] ?? 0;
      const hi = edges[i + 1] ?? lo + 1;
      return { label: t('VaR {level}', { level: f.percent(x.level, 1) }), position: i - 0.5 + (hi > lo ? (x.valueAtRisk - lo) / (hi - lo) : 0.5) };
    });
    const tableRows = counts.map((c, i) => [f.money(edges[i]), f.money(edges[i + 1]), f.count(c), f.percent(c / total, 2)]);
    out.push({
      ...base, id: 'netClaims', title: t('Cumulative net claims: distribution'), kind: 'bar', format: 'percent', xTitle: t('Net claims over the horizon ({currency})', { currency }), yTitle: t('Share of paths'),
      caption: mc
        ? t('Claims paid minus recoveries over {years, plural, one {# year} other {# years}}, across simulated paths. Vertical lines mark the value at risk: the amount net claims stay under in 95 %, 99 % and 99.9 % of paths.', { years: s.horizonYears })
        : t('Claims paid minus recoveries over the horizon, across simulated paths, with value-at-risk marks.'),
      labels: binLabels, datasets, marks,
      table: { columns: [t('From'), t('To'), t('Paths'), t('Share of paths')], rows: tableRows },
      csv: { header: ['from', 'to', 'paths', 'share'], rows: counts.map((c, i) => [edges[i] ?? null, edges[i + 1] ?? null, c, c / total]) },
      available: mc !== null, unavailable: mcMissing(t),
    });
  }

  // 8. Present value of each cohort's cost over its life.
  {
    const cohortLabels = p.costing.cohorts.map((c) => `Y${c.year}`);
    const datasets: Dataset[] = [
      { label: t('PV of claims less recoveries'), data: p.costing.cohorts.map((c) => num(c.pvClaims.minus(c.pvRecoveries))), style: 'bar', color: 3 },
      { label: t('PV of fees paid'), data: p.costing.cohorts.map((c) => num(c.pvFees)), style: 'bar', color: 2 },
      { label: t('Subsidy cost (PV)'), data: p.costing.cohorts.map((c) => num(c.subsidyCost)), style: 'bar', color: 1 },
    ];
    out.push({
      ...base, id: 'cohortCost', title: t('Cost of each year’s cohort over its life'), kind: 'bar', format: 'money', xTitle: t('Cohort (year of origination)'), yTitle: t('PV at the cohort’s start ({currency})', { currency }),
      caption: t('Each year’s guarantees followed to their last claim and recovery, discounted at the government’s rate: the subsidy cost is claims less recoveries less the fees borrowers and lenders pay, as credit-reform budgeting costs a cohort.'),
      labels: cohortLabels, datasets, ...makeTable(f, 'money', t('Cohort'), cohortLabels, datasets),
    });
  }
  return out;
}

/**
 * The top of the leverage chart: twice the cap, or the expected case's highest finite leverage
 * under three times the cap when that is higher. A leverage above it, or none at all because the
 * capital is exhausted (a path with no capital has no finite leverage), is drawn at it, so every
 * series is drawn whole; the table gives the true values.
 */
export function leverageCeiling(cap: number, expected: readonly (number | null)[]): number {
  const finite = expected.filter((x): x is number => x !== null && Number.isFinite(x) && x <= 3 * cap);
  return Math.ceil(Math.max(2 * cap, ...finite.map((x) => x * 1.1)));
}

function leverageChart(s: Scenario, p: Projection, mc: MonteCarloResult | null, l: Localizer): ChartSpec {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const exhausted = t('capital exhausted');
  const labels = p.periods.map((r) => r.label);
  const cap = s.fund.leverageCap;
  // Raw values: null (expected case) and Infinity (simulated) mean no capital left.
  const expected = p.periods.map((r) => (r.leverage === null ? Infinity : r.leverage));
  const series: { label: string; raw: readonly number[]; style: Dataset['style']; color: number; clip: boolean }[] = [
    { label: t('Leverage, expected case'), raw: expected, style: 'line', color: 1, clip: true },
    { label: t('Leverage cap'), raw: p.periods.map(() => cap), style: 'dashed', color: 3, clip: false },
  ];
  if (mc) {
    series.push({ label: t('Leverage, simulated median'), raw: [...(mc.leverage.bands[PERCENTILES.indexOf(50)] ?? [])], style: 'dashed', color: 0, clip: true });
    series.push({ label: t('Leverage, simulated 95th percentile'), raw: [...(mc.leverage.bands[PERCENTILES.indexOf(95)] ?? [])], style: 'line', color: 6, clip: true });
  }
  const top = leverageCeiling(cap, p.periods.map((r) => r.leverage));
  const drawn = (x: number) => (Number.isFinite(x) ? Math.min(x, top) : top);
  const datasets: Dataset[] = series.map((d) => ({ label: d.label, data: d.raw.map((x) => (d.clip ? drawn(x) : x)), style: d.style, color: d.color }));
  const shown = (x: number | undefined) => (x === undefined ? '' : Number.isFinite(x) ? f.multiple(x) : exhausted);
  const clipped = series.some((d) => d.clip && d.raw.some((x) => !Number.isFinite(x) || x > top));
  const v = { top: f.multiple(top) };
  const drawing = mc
    ? clipped
      ? t('Every series is drawn whole: a value above {top}, or none because the capital is exhausted, is drawn at the top of the chart ({top}), as some are here; the table gives the values, and “capital exhausted” where a percentile of the simulated paths has no capital left.', v)
      : t('Every series is drawn whole: a value above {top}, or none because the capital is exhausted, is drawn at the top of the chart ({top}); the table gives the values, and “capital exhausted” where a percentile of the simulated paths has no capital left.', v)
    : clipped
      ? t('Every series is drawn whole: a value above {top}, or none because the capital is exhausted, is drawn at the top of the chart ({top}), as some are here; the table gives the values.', v)
      : t('Every series is drawn whole: a value above {top}, or none because the capital is exhausted, is drawn at the top of the chart ({top}); the table gives the values.', v);
  return {
    currency: s.currency, marks: [], available: true, unavailable: '',
    id: 'leverage', title: t('Leverage against the cap'), kind: 'line', format: 'multiple', xTitle: t('Period'), yTitle: t('Guarantees / capital'),
    caption: `${t('Outstanding guarantees as a multiple of the fund’s capital. Above the cap the fund must ration new guarantees until claims and repayments bring leverage back under it; when the capital is exhausted (gone, or under the minimum capital ratio) the fund issues no new guarantees at all and leverage has no finite value.')} ${drawing}`,
    labels, datasets, yMax: top,
    table: { columns: [t('Period'), ...series.map((d) => d.label)], rows: labels.map((x, i) => [x, ...series.map((d) => shown(d.raw[i]))]) },
    csv: { header: [t('Period'), ...series.map((d) => d.label)], rows: labels.map((x, i) => [x, ...series.map((d) => { const y = d.raw[i]; return y === undefined ? null : Number.isFinite(y) ? y : exhausted; })]) },
  };
}

/** What the fund issued against what was demanded, period by period, in the expected case. */
function rationingChart(s: Scenario, p: Projection, l: Localizer): ChartSpec {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const labels = p.periods.map((r) => r.label);
  const issued = p.periods.map((r) => num(r.newGuaranteed));
  const rationed = p.periods.map((r) => num(r.rationedGuaranteed));
  const datasets: Dataset[] = [
    { label: t('Guarantees issued'), data: issued, style: 'bar', color: 1 },
    { label: t('Guarantees demanded but rationed'), data: rationed, style: 'bar', color: 3 },
  ];
  const share = (i: number) => {
    const demand = (issued[i] ?? 0) + (rationed[i] ?? 0);
    return demand > 0 ? (rationed[i] ?? 0) / demand : 0;
  };
  const any = p.summary.totalRationed.greaterThan(0.005);
  const columns = [t('Period'), t('Guarantees issued'), t('Guarantees rationed'), t('Share of demand rationed'), t('New guaranteed loans')];
  return {
    currency: s.currency, marks: [], available: true, unavailable: '',
    id: 'rationing', title: t('Guarantees issued and rationed'), kind: 'bar', format: 'money', xTitle: t('Period'), yTitle: t('New guarantees ({currency})', { currency: s.currency }), stacked: true,
    caption: `${t('The guarantees lenders asked for each period in the expected case: the part the fund issued, and on top the part it had to refuse because its leverage reached the cap of {cap} or its capital was exhausted.', { cap: f.multiple(s.fund.leverageCap) })} `
      + (any ? t('Refused guarantees are loans that are not made (or made without a guarantee).') : t('Here the fund’s capacity never binds: every guarantee demanded is issued.')),
    labels, datasets,
    table: {
      columns,
      rows: p.periods.map((r, i) => [r.label, f.money(issued[i]), f.money(rationed[i]), f.percent(share(i), 1), f.count(r.newLoans)]),
    },
    csv: {
      header: columns,
      rows: p.periods.map((r, i) => [r.label, issued[i] ?? null, rationed[i] ?? null, share(i), r.newLoans]),
    },
  };
}

/** A chart of any page: a results chart, or a policy chart with its own kinds and `extra` settings. */
export type DrawnChart = Omit<ChartSpec, 'kind' | 'datasets'> & {
  readonly kind: string;
  readonly datasets: readonly unknown[];
  readonly extra?: Record<string, unknown>;
};

/**
 * What the client needs to draw a chart (public/js/charts.js), for every page's charts;
 * `locale` (the page's Intl locale) formats its axes and tooltips.
 */
export function chartJson(c: DrawnChart, locale: string): Record<string, unknown> {
  return {
    id: c.id, kind: c.kind, format: c.format, currency: c.currency, labels: c.labels, datasets: c.datasets, marks: c.marks, xTitle: c.xTitle, yTitle: c.yTitle,
    ...(typeof c.yMax === 'number' ? { yMax: c.yMax, tableRows: c.table.rows } : {}),
    ...(c.stacked ? { stacked: true } : {}),
    ...(c.extra !== undefined ? { extra: c.extra } : {}),
    locale,
  };
}

/** Value at risk and expected shortfall of cumulative net claims, for the results page. */
export function tailTable(s: Scenario, mc: MonteCarloResult | null, l: Localizer = ENGLISH): Table | null {
  if (!mc) return null;
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  return {
    columns: [t('Confidence'), t('Value at risk'), t('Expected shortfall')],
    rows: TAIL_LEVELS.map((level) => {
      const x = mc.netClaims.tail.find((y) => y.level === level);
      return [f.percent(level, 1), f.money(x?.valueAtRisk), f.money(x?.expectedShortfall)];
    }),
  };
}

const LEDGER_LABELS: Record<(typeof INFLOWS)[number] | (typeof OUTFLOWS)[number], string> = {
  capitalInjection: msg('Capital injections'), capitalCalls: msg('Capital calls'), stateCompensation: msg('State compensation'), upfrontFees: msg('Upfront fees'), annualFees: msg('Annual fees'), investmentIncome: msg('Investment income'),
  recoveries: msg('Recoveries'), reinsuranceRecoveries: msg('Reinsurance recoveries'), claimsPaid: msg('Claims paid'), operatingCosts: msg('Operating costs'),
  reinsurancePremiums: msg('Reinsurance premiums'), recoveriesPassedToReinsurer: msg('Recoveries passed to the reinsurer'),
};

/** The per-period ledger, run-off included: rows of raw numbers (header first). */
function ledgerTable(s: Scenario, p: Projection, l: Localizer): Table {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const all = [...p.periods, ...p.runoff];
  const used = [...INFLOWS, ...OUTFLOWS].filter((k) => all.some((r) => !r.ledger[k].isZero()));
  return {
    columns: [t('Period'), t('Opening'), ...used.map((k) => t(LEDGER_LABELS[k])), t('Closing'), t('Outstanding guarantees'), t('New loans'), t('Defaults')],
    rows: all.map((r, i) => [
      i < p.periods.length ? r.label : t('{period} (run-off)', { period: r.label }), f.money(num(r.ledger.opening)), ...used.map((k) => f.money(num(r.ledger[k]))), f.money(num(r.ledger.closing)),
      f.money(num(r.outstandingGuaranteed)), f.count(r.newLoans), f.count(r.defaults),
    ]),
  };
}

function lendingTable(s: Scenario, p: Projection, l: Localizer): Table {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  return {
    columns: [t('Stage'), t('Applicants'), t('Loans without guarantee'), t('Loans with the scheme'), t('Additional loans'), t('Substituted loans'), t('Borrower rate with guarantee'), t('Collateral gap without → with')],
    rows: p.lending.map((x) => [
      stageName(t, x.stage), f.count(x.applicants), f.count(x.loansWithoutGuarantee), f.count(x.loansWithScheme), f.count(x.additionalLoans), f.count(x.substitutedLoans),
      f.percent(x.borrowerRateWith), `${f.money(x.collateralGapWithout)} → ${f.money(x.collateralGapWith)}`,
    ]),
  };
}

export function resultsModel(input: ResultInput, l: Localizer = ENGLISH): ResultsModel {
  return {
    indicators: indicators(input, l).map((i) => ({ ...i, term: INDICATOR_TERMS[i.id] ?? null })),
    charts: charts(input, l),
    ledger: ledgerTable(input.scenario, input.projection, l),
    lending: lendingTable(input.scenario, input.projection, l),
    costing: costingModel(input.scenario, input.projection, input.breakEvenFees ?? null, riskAnalytics(input.scenario), input.monteCarlo, l),
    hasMonteCarlo: input.monteCarlo !== null,
  };
}

// ---------------------------------------------------------------------------------------
// Exports.


/** The whole result as one JSON document. */
export function resultJson(input: ResultInput): unknown {
  return {
    scenario: input.scenario,
    summary: plain(input.projection.summary),
    costing: plain(input.projection.costing),
    conventions: conventionsInForce(input.scenario),
    periods: plain(input.projection.periods),
    runoff: plain(input.projection.runoff),
    lending: input.projection.lending,
    breakEvenFee: input.breakEven,
    breakEvenFees: input.breakEvenFees ?? null,
    monteCarlo: input.monteCarlo ? { ...input.monteCarlo, pathSummaries: undefined } : null,
  };
}

/** The whole result as CSV: the ledger as the command line writes it, with the Monte Carlo capital percentiles when run. */
export function resultCsv(input: ResultInput): string {
  const table = coreLedgerTable(input.projection);
  const mc = input.monteCarlo;
  if (!mc) return toCsv(table);
  return toCsv({
    columns: [...table.columns, ...PERCENTILES.map((q) => `capital_p${q}`)],
    rows: table.rows.map((r, t) => [...r, ...PERCENTILES.map((_, i) => cents(mc.capital.bands[i]?.[t] ?? null))]),
  });
}

/** A chart's data as CSV; money to the cent. */
export function chartCsv(chart: Pick<ChartSpec, 'format' | 'csv'>): string {
  const round = chart.format === 'money' ? (c: string | number | null) => (typeof c === 'number' ? cents(c) : c) : (c: string | number | null) => c;
  return toCsv({ columns: chart.csv.header, rows: chart.csv.rows.map((r) => r.map(round)) });
}
