/**
 * The results of a scenario, made readable: headline indicators with a sentence each, chart
 * specifications (drawn by public/js/charts.js; each with a table and a CSV), and the whole
 * result as JSON and CSV. Everything here is computed from the core's outputs; nothing is
 * modelled here.
 */
import { riskAnalytics } from '../core/analytics.ts';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { intervalOfShare } from '../core/stats/intervals.ts';
import { PERCENTILES, TAIL_LEVELS } from '../core/montecarlo/types.ts';
import { INFLOWS, OUTFLOWS, type Projection } from '../core/projection.ts';
import type { Scenario } from '../core/schema.ts';
import { STAGE_LABELS, STAGES } from '../core/stages.ts';
import { Decimal } from '../core/money.ts';
import { BREAK_EVEN_BASIS_LABELS, type BreakEvenBasis, type BreakEvenFee } from '../core/solvers.ts';
import { conventionsInForce } from '../core/conventions.ts';
import { cents, ledgerTable as coreLedgerTable, toCsv } from '../core/report.ts';
import { costingModel, type CostingModel } from './costing-view.ts';
import { costMoney, formatter, type Formatter } from '../i18n/format.ts';

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
}

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
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

const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;

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

const MC_MISSING = 'This chart needs a Monte Carlo run: use “Run Monte Carlo” below the indicators.';

/** Non-finite values (leverage with no capital) become gaps. */
const clean = (xs: readonly number[]): (number | null)[] => xs.map((x) => (Number.isFinite(x) ? x : null));

function fanDatasets(fan: { bands: readonly (readonly number[])[] }, baseLabel: string): Dataset[] {
  const at = (p: number) => clean(fan.bands[PERCENTILES.indexOf(p as (typeof PERCENTILES)[number])] ?? []);
  return [
    { label: `${baseLabel}: 1st percentile`, data: at(1), style: 'band-low', color: 0 },
    { label: `${baseLabel}: 99th percentile`, data: at(99), style: 'band-high', color: 0, alpha: 0.12 },
    { label: `${baseLabel}: 5th percentile`, data: at(5), style: 'band-low', color: 0 },
    { label: `${baseLabel}: 95th percentile`, data: at(95), style: 'band-high', color: 0, alpha: 0.2 },
    { label: `${baseLabel}: 25th percentile`, data: at(25), style: 'band-low', color: 0 },
    { label: `${baseLabel}: 75th percentile`, data: at(75), style: 'band-high', color: 0, alpha: 0.3 },
    { label: `${baseLabel}: median`, data: at(50), style: 'dashed', color: 0 },
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

function annualFeeText(s: Scenario, f: Formatter): string {
  const b = s.guarantee.annualFee;
  if (b.length === 1) return f.percent(b[0]!.rate);
  return `${f.percent(Math.min(...b.map((x) => x.rate)))}–${f.percent(Math.max(...b.map((x) => x.rate)))} by loan size`;
}

export function indicators({ scenario: s, projection: p, monteCarlo: mc, breakEven }: ResultInput): Indicator[] {
  const f = formatter(s.currency);
  const sum = p.summary;
  const H = s.horizonYears;
  const closing = num(sum.closingCapital)!;
  // Capital put in: initial capital, injections, and the government's capital calls and loss compensation.
  const topUps = num(sum.totalInjections)! + num(sum.totalCapitalCalls)! + num(sum.totalStateCompensation)!;
  const putIn = num(sum.initialCapital)! + topUps;
  const change = putIn > 0 ? (closing - putIn) / putIn : null;
  const out: Indicator[] = [];

  let capitalSentence = `After ${years(H)} the fund holds ${f.money(closing)}, ${closing >= putIn ? 'up' : 'down'} ${f.percent(change === null ? null : Math.abs(change), 1)} on the ${f.money(putIn)} put in${topUps > 0 ? ' (initial capital plus injections, capital calls and state compensation)' : ''}, in the expected case.`;
  if (mc) {
    const last = mc.capital.bands[0]!.length - 1;
    const p5 = mc.capital.bands[PERCENTILES.indexOf(5)]![last]!;
    const p50 = mc.capital.bands[PERCENTILES.indexOf(50)]![last]!;
    capitalSentence += ` Across ${f.count(mc.paths)} simulated paths the median is ${f.money(p50)}, and one path in twenty ends below ${f.money(p5)}.`;
  }
  out.push({ id: 'capital', label: 'Capital at horizon', value: f.moneyShort(closing), detail: f.money(closing), sentence: capitalSentence, tone: closing >= putIn ? 'good' : closing < 0 ? 'bad' : 'neutral' });

  if (mc) {
    const pd = mc.probabilityOfDepletion[mc.probabilityOfDepletion.length - 1] ?? 0;
    const iv = intervalOfShare(pd, mc.paths);
    out.push({
      id: 'depletion', label: 'Probability of depletion', value: f.percent(pd, 2), detail: `95 % interval ${f.percent(iv.lower, 2)} to ${f.percent(iv.upper, 2)}; ${f.count(mc.paths)} paths, seed ${mc.seed}`,
      sentence: `In ${f.percent(pd, 2)} of ${f.count(mc.paths)} simulated business cycles the fund’s capital falls below zero within ${years(H)}. With ${f.count(mc.paths)} paths that share is an estimate: the true probability lies between ${f.percent(iv.lower, 2)} and ${f.percent(iv.upper, 2)} with 95 % confidence (Wilson interval); more paths narrow it.`,
      tone: pd > 0.05 ? 'bad' : pd > 0.01 ? 'neutral' : 'good',
    });
  } else {
    out.push({
      id: 'depletion', label: 'Probability of depletion', value: 'Not run', detail: 'needs a Monte Carlo run',
      sentence: sum.depletionYear === null
        ? `In the expected case the fund never runs out of capital; run a Monte Carlo simulation to see how likely a bad cycle is to exhaust it.`
        : `Even in the expected case the fund runs out of capital in year ${sum.depletionYear}; a Monte Carlo run shows how likely that is.`,
      tone: sum.depletionYear === null ? 'neutral' : 'bad',
    });
  }

  if (breakEven) {
    const basis = BREAK_EVEN_BASIS_LABELS[breakEven.basis];
    const meaning = {
      lifetime: 'would make the present value of fees cover the present value of net claims, operating costs and premiums of every cohort to its last claim, without counting investment income',
      lifetimeWithInvestmentIncome: 'would make the present value of fees and investment income cover the present value of net claims, operating costs and premiums of every cohort to its last claim',
      horizon: `would leave the fund with exactly the capital put in after ${years(H)} (it counts investment income and ignores the guarantees still outstanding then)`,
    }[breakEven.basis];
    out.push(breakEven.fee === null
      ? { id: 'breakEvenFee', label: 'Break-even fee', value: 'None', detail: `basis: ${basis}`, sentence: `No flat annual fee works on this basis (${basis}): ${breakEven.reason}.`, tone: 'bad' }
      : {
          id: 'breakEvenFee', label: 'Break-even fee', value: f.percent(breakEven.fee, 2), detail: `a year; basis: ${basis}`,
          sentence: `An annual fee of ${f.percent(breakEven.fee, 2)} on outstanding guarantees ${meaning}; the scenario charges ${annualFeeText(s, f)}.`,
          tone: 'neutral',
        });
  }

  const cap = s.fund.leverageCap;
  const L = sum.leverageAtHorizon;
  const status = p.periods[p.periods.length - 1]!.capitalStatus;
  const firstExhausted = p.periods.find((r) => r.capitalStatus === 'exhausted');
  out.push(status === 'exhausted'
    ? {
        id: 'leverage', label: 'Leverage', value: 'Capital exhausted', detail: `cap ${f.multiple(cap)}; since ${firstExhausted?.label ?? 'the horizon'}`,
        sentence: `At the horizon the fund’s capital is ${closing <= 0 ? 'gone' : `under its minimum capital ratio of ${f.percent(s.fund.minCapitalRatio, 1)} of outstanding guarantees`}, so it can issue no new guarantees and leverage is no longer a meaningful multiple.`,
        tone: 'bad',
      }
    : {
        id: 'leverage', label: 'Leverage', value: f.multiple(L), detail: `cap ${f.multiple(cap)}, peak ${f.multiple(sum.peakLeverage)}`,
        sentence: status === 'aboveCap'
          ? `Outstanding guarantees are ${f.multiple(L)} the fund’s capital at the horizon, above the cap of ${f.multiple(cap)}: claims ate capital after the guarantees were issued, so new issuance is rationed until leverage falls back under the cap.`
          : `Outstanding guarantees are ${f.multiple(L)} the fund’s capital at the horizon (peak ${f.multiple(sum.peakLeverage)}), against a cap of ${f.multiple(cap)}; real funds run from about 5× to 40×.`,
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
        ? `Across the simulated paths, one in twenty ends with leverage above ${f.multiple(p95)}.`
        : 'More than one simulated path in twenty ends with its capital exhausted: those paths issue no new guarantees and have no finite leverage.'}`,
    };
  }
  out.push(rationingIndicator(s, p, f));

  const byStage = STAGES.filter((st) => sum.firmsSupportedByStage[st] > 0)
    .map((st) => `${f.count(sum.firmsSupportedByStage[st])} ${STAGE_LABELS[st].toLowerCase()}`).join(', ');
  out.push({
    id: 'firms', label: 'Firms supported', value: f.count(sum.firmsSupported), detail: `distinct firms over ${years(H)}; ${f.count(sum.loansGuaranteed)} loans`,
    sentence: sum.firmsSupported > 0
      ? `${f.count(sum.firmsSupported)} distinct firms get ${f.count(sum.loansGuaranteed)} guaranteed loans over ${years(H)} (firms by stage: ${byStage}); a firm that borrows again counts once.`
      : 'No guaranteed loan is made: lenders find no segment worth lending to, even with the guarantee.',
    tone: sum.firmsSupported > 0 ? 'good' : 'bad',
  });

  const additional = num(sum.additionalLending)!;
  const guaranteed = num(sum.guaranteedLending)!;
  out.push({
    id: 'additional', label: 'Additional lending', value: f.moneyShort(additional), detail: f.money(additional),
    sentence: guaranteed > 0
      ? `${f.money(additional)} of the ${f.money(guaranteed)} lent under guarantee (${f.percent(additional / guaranteed, 0)}) would not have been lent without it; the rest (${f.money(guaranteed - additional)}) is substitution.`
      : 'No lending happens under the guarantee.',
    tone: additional > 0 ? 'good' : 'neutral',
  });

  const perLoan = num(sum.fiscalCostPerAdditionalLoan);
  out.push({
    id: 'fiscalCost', label: 'Cash fiscal cost per additional loan', value: f.money(perLoan),
    detail: perLoan !== null && perLoan <= -0.5 ? `negative: a gain at the horizon, not a cost; total ${f.money(num(sum.fiscalCost))}` : `at the horizon; total ${f.money(num(sum.fiscalCost))}`,
    sentence: perLoan === null
      ? 'No additional loans are made, so there is no cost per additional loan.'
      : perLoan <= 0
        ? `At the horizon the fund holds more than the public money put in: in cash, each of the ${f.count(sum.additionalLoans)} additional loans costs the budget nothing (the fund gains ${f.money(-perLoan)} per loan) — before the guarantees still outstanding have run off and before the cost of the capital; see the economic cost.`
        : `The public money consumed by the horizon (${f.money(num(sum.fiscalCost))}: what was put in minus what is left, undiscounted) spread over ${f.count(sum.additionalLoans)} additional loans; it leaves out the guarantees still outstanding and the cost of the capital.`,
    tone: perLoan !== null && perLoan > 0 ? 'neutral' : 'good',
  });

  const life = p.costing.lifetime;
  const economic = num(life.economicCost)!;
  const perAdditional = num(life.economicCostPerAdditionalLoan);
  out.push({
    id: 'economicCost', label: 'Economic cost, lifetime', value: f.moneyShort(economic), detail: `PV; ${costMoney(f, perAdditional)} per additional loan`,
    sentence: `Counting every guarantee to its last claim (${life.years} years), discounting at the government’s rate and charging the capital tied up in the fund at ${s.costing.capitalCostRate === null ? 'that rate' : f.percent(s.costing.capitalCostRate, 2)} net of its investment income, the programme costs ${f.money(economic)} in present value, against a cash cost of ${f.money(num(sum.fiscalCost))} at the horizon.`,
    tone: economic > 0 ? 'neutral' : 'good',
  });
  return out;
}

/** Guarantees demanded that the fund could not issue, in the expected case. */
export function rationingIndicator(s: Scenario, p: Projection, f: Formatter): Indicator {
  const total = num(p.summary.totalRationed)!;
  const H = s.horizonYears;
  if (!(total > 0.005)) {
    return {
      id: 'rationing', label: 'Guarantees rationed', value: 'None', detail: `cap ${f.multiple(s.fund.leverageCap)} never binds`,
      sentence: `In the expected case the fund’s capital supports every guarantee lenders ask for over ${years(H)}: leverage stays within the cap of ${f.multiple(s.fund.leverageCap)} and capital above its minimum ratio, so no loan is refused a guarantee for lack of capacity.`,
      tone: 'good',
    };
  }
  const issued = p.periods.reduce((a, r) => a + num(r.newGuaranteed)!, 0);
  const share = total / (issued + total);
  const first = p.periods.find((r) => num(r.rationedGuaranteed)! > 0.005)!;
  const exhausted = p.periods.some((r) => r.capitalStatus === 'exhausted');
  const peak = p.periods.reduce((a, r) => (r.newLoans > a.newLoans ? r : a), p.periods[0]!);
  const last = p.periods[p.periods.length - 1]!;
  const why = exhausted
    ? 'the capital runs out or falls under the minimum capital ratio, and from then the fund issues no new guarantee'
    : `leverage reaches the cap of ${f.multiple(s.fund.leverageCap)}, so the fund issues only what its capital allows`;
  return {
    id: 'rationing', label: 'Guarantees rationed', value: f.moneyShort(total), detail: `${f.percent(share, 1)} of demand; from ${first.label}`,
    sentence: `From ${first.label} ${why}: ${f.money(total)} of the guarantees lenders asked for over ${years(H)} (${f.percent(share, 1)}) could not be issued. New guaranteed loans fall from ${f.count(peak.newLoans)} in ${peak.label} to ${f.count(last.newLoans)} in ${last.label}. Figures for the expected case; see the chart “Guarantees issued and rationed”.`,
    tone: 'bad',
  };
}

export function charts({ scenario: s, projection: p, monteCarlo: mc }: ResultInput): ChartSpec[] {
  const f = formatter(s.currency);
  const labels = p.periods.map((r) => r.label);
  const currency = s.currency;
  const out: ChartSpec[] = [];
  const base = { currency, marks: [] as { label: string; position: number }[], available: true, unavailable: '' };

  // 1. Capital over time.
  {
    const deterministic: Dataset = { label: 'Expected case', data: p.periods.map((r) => num(r.ledger.closing)), style: 'line', color: 1 };
    const datasets = mc ? [...fanDatasets(mc.capital, 'Simulated capital'), deterministic] : [deterministic];
    out.push({
      ...base, id: 'capital', title: 'Fund capital over time', kind: 'line', format: 'money', xTitle: 'Period', yTitle: `Capital (${currency})`,
      caption: mc
        ? 'Closing capital per period: the shaded bands hold 50 %, 90 % and 98 % of the simulated paths, the dashed line is their median and the solid line the expected case.'
        : 'Closing capital per period in the expected case. A Monte Carlo run adds the spread of outcomes around it.',
      labels, datasets, ...makeTable(f, 'money', 'Period', labels, datasets),
    });
  }

  // 2. Leverage against the cap, and 2b. guarantees rationed.
  out.push(leverageChart(s, p, mc));
  out.push(rationingChart(s, p));

  // 3. Fees, claims and recoveries per year.
  {
    const yearLabels = Array.from({ length: s.horizonYears }, (_, i) => `Y${i + 1}`);
    const perYear = (pick: (r: (typeof p.periods)[number]) => Decimal) =>
      yearLabels.map((_, y) => p.periods.filter((r) => r.year === y + 1).reduce((a, r) => a + pick(r).toNumber(), 0));
    const datasets: Dataset[] = [
      { label: 'Fee income', data: perYear((r) => r.ledger.upfrontFees.plus(r.ledger.annualFees)), style: 'bar', color: 2 },
      { label: 'Claims paid', data: perYear((r) => r.ledger.claimsPaid), style: 'bar', color: 3 },
      { label: 'Recoveries', data: perYear((r) => r.ledger.recoveries), style: 'bar', color: 4 },
    ];
    out.push({
      ...base, id: 'flows', title: 'Fee income, claims and recoveries per year', kind: 'bar', format: 'money', xTitle: 'Year', yTitle: currency,
      caption: 'What flows into and out of the fund each year in the expected case. Claims follow defaults after the claim lag; recoveries follow claims after the recovery lag.',
      labels: yearLabels, datasets, ...makeTable(f, 'money', 'Year', yearLabels, datasets),
    });
  }

  // 4. Lending by stage, with and without the guarantee.
  const stageLabels = STAGES.map((st) => STAGE_LABELS[st]);
  {
    const datasets: Dataset[] = [
      { label: 'Without the guarantee', data: p.lending.map((l) => l.lendingWithoutGuarantee), style: 'bar', color: 5 },
      { label: 'With the guarantee scheme', data: p.lending.map((l) => l.lendingWithScheme), style: 'bar', color: 1 },
      { label: 'Of which additional', data: p.lending.map((l) => l.additionalLending), style: 'bar', color: 2 },
    ];
    out.push({
      ...base, id: 'lending', title: 'Lending by stage, with and without the guarantee', kind: 'bar', format: 'money', xTitle: 'Lifecycle stage', yTitle: `Lending in year 1 (${currency})`,
      caption: 'One year’s applicants: what lenders lend without any guarantee and when the scheme exists. The difference is the additional lending: credit that happens only because of the guarantee.',
      labels: stageLabels, datasets, ...makeTable(f, 'money', 'Stage', stageLabels, datasets),
    });
  }

  // 5. Collateral gap by stage.
  {
    const datasets: Dataset[] = [
      { label: 'Without the guarantee', data: p.lending.map((l) => l.collateralGapWithout), style: 'bar', color: 5 },
      { label: 'With the guarantee', data: p.lending.map((l) => l.collateralGapWith), style: 'bar', color: 1 },
    ];
    out.push({
      ...base, id: 'collateralGap', title: 'Collateral gap by stage', kind: 'bar', format: 'money', xTitle: 'Lifecycle stage', yTitle: `Average gap per applicant (${currency})`,
      caption: 'Collateral the lender requires that the average applicant cannot pledge. The guarantee stands in for collateral on the covered part of the loan.',
      labels: stageLabels, datasets, ...makeTable(f, 'money', 'Stage', stageLabels, datasets),
    });
  }

  // 6. Probability of depletion by year.
  {
    const yearLabels = Array.from({ length: s.horizonYears }, (_, i) => `Y${i + 1}`);
    const datasets: Dataset[] = mc
      ? [
          { label: 'Capital below zero: 95 % interval, lower bound', data: mc.probabilityOfDepletion.map((p) => intervalOfShare(p, mc.paths).lower), style: 'band-low', color: 3 },
          { label: 'Capital below zero: 95 % interval (sampling error)', data: mc.probabilityOfDepletion.map((p) => intervalOfShare(p, mc.paths).upper), style: 'band-high', color: 3, alpha: 0.18 },
          { label: 'Capital below zero', data: [...mc.probabilityOfDepletion], style: 'line', color: 3 },
          { label: 'Capital ratio below the minimum', data: [...mc.probabilityBelowMinimumCapital], style: 'dashed', color: 6 },
        ]
      : [];
    out.push({
      ...base, id: 'depletion', title: 'Probability of depletion by year', kind: 'line', format: 'percent', xTitle: 'Year', yTitle: 'Share of simulated paths',
      caption: `Share of simulated paths in which the fund has run out of capital (or fallen under its minimum capital ratio) by the end of each year. The shaded band is the 95 % (Wilson) interval of the share of paths with capital below zero${mc ? ` at ${f.count(mc.paths)} paths` : ''}: the sampling error of the estimate.`,
      labels: yearLabels, datasets, ...makeTable(f, 'percent', 'Year', yearLabels, datasets),
      available: mc !== null, unavailable: MC_MISSING,
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
    const datasets: Dataset[] = mc ? [{ label: 'Share of paths', data: counts.map((c) => c / total), style: 'bar', color: 0 }] : [];
    const marks = (mc?.netClaims.tail ?? []).filter((t) => t.level === 0.95 || t.level === 0.99 || t.level === 0.999).map((t) => {
      const i = Math.max(0, edges.findIndex((e, k) => k < edges.length - 1 && t.valueAtRisk >= e && t.valueAtRisk <= edges[k + 1]!));
      const lo = edges[i] ?? 0;
      const hi = edges[i + 1] ?? lo + 1;
      return { label: `VaR ${f.percent(t.level, 1)}`, position: i - 0.5 + (hi > lo ? (t.valueAtRisk - lo) / (hi - lo) : 0.5) };
    });
    const tableRows = counts.map((c, i) => [f.money(edges[i]), f.money(edges[i + 1]), f.count(c), f.percent(c / total, 2)]);
    out.push({
      ...base, id: 'netClaims', title: 'Cumulative net claims: distribution', kind: 'bar', format: 'percent', xTitle: `Net claims over the horizon (${currency})`, yTitle: 'Share of paths',
      caption: mc
        ? `Claims paid minus recoveries over ${years(s.horizonYears)}, across simulated paths. Vertical lines mark the value at risk: the amount net claims stay under in 95 %, 99 % and 99.9 % of paths.`
        : 'Claims paid minus recoveries over the horizon, across simulated paths, with value-at-risk marks.',
      labels: binLabels, datasets, marks,
      table: { columns: ['From', 'To', 'Paths', 'Share'], rows: tableRows },
      csv: { header: ['from', 'to', 'paths', 'share'], rows: counts.map((c, i) => [edges[i] ?? null, edges[i + 1] ?? null, c, c / total]) },
      available: mc !== null, unavailable: MC_MISSING,
    });
  }

  // 8. Present value of each cohort's cost over its life.
  {
    const cohortLabels = p.costing.cohorts.map((c) => `Y${c.year}`);
    const datasets: Dataset[] = [
      { label: 'PV of claims less recoveries', data: p.costing.cohorts.map((c) => num(c.pvClaims.minus(c.pvRecoveries))), style: 'bar', color: 3 },
      { label: 'PV of fees paid', data: p.costing.cohorts.map((c) => num(c.pvFees)), style: 'bar', color: 2 },
      { label: 'Subsidy cost (PV)', data: p.costing.cohorts.map((c) => num(c.subsidyCost)), style: 'bar', color: 1 },
    ];
    out.push({
      ...base, id: 'cohortCost', title: 'Cost of each year’s cohort over its life', kind: 'bar', format: 'money', xTitle: 'Cohort (year of origination)', yTitle: `PV at the cohort’s start (${currency})`,
      caption: 'Each year’s guarantees followed to their last claim and recovery, discounted at the government’s rate: the subsidy cost is claims less recoveries less the fees borrowers and lenders pay, as credit-reform budgeting costs a cohort.',
      labels: cohortLabels, datasets, ...makeTable(f, 'money', 'Cohort', cohortLabels, datasets),
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

const EXHAUSTED = 'capital exhausted';

function leverageChart(s: Scenario, p: Projection, mc: MonteCarloResult | null): ChartSpec {
  const f = formatter(s.currency);
  const labels = p.periods.map((r) => r.label);
  const cap = s.fund.leverageCap;
  // Raw values: null (expected case) and Infinity (simulated) mean no capital left.
  const expected = p.periods.map((r) => (r.leverage === null ? Infinity : r.leverage));
  const series: { label: string; raw: readonly number[]; style: Dataset['style']; color: number; clip: boolean }[] = [
    { label: 'Leverage, expected case', raw: expected, style: 'line', color: 1, clip: true },
    { label: 'Leverage cap', raw: p.periods.map(() => cap), style: 'dashed', color: 3, clip: false },
  ];
  if (mc) {
    series.push({ label: 'Leverage, simulated median', raw: [...(mc.leverage.bands[PERCENTILES.indexOf(50)] ?? [])], style: 'dashed', color: 0, clip: true });
    series.push({ label: 'Leverage, simulated 95th percentile', raw: [...(mc.leverage.bands[PERCENTILES.indexOf(95)] ?? [])], style: 'line', color: 6, clip: true });
  }
  const top = leverageCeiling(cap, p.periods.map((r) => r.leverage));
  const drawn = (x: number) => (Number.isFinite(x) ? Math.min(x, top) : top);
  const datasets: Dataset[] = series.map((d) => ({ label: d.label, data: d.raw.map((x) => (d.clip ? drawn(x) : x)), style: d.style, color: d.color }));
  const shown = (x: number | undefined) => (x === undefined ? '' : Number.isFinite(x) ? f.multiple(x) : EXHAUSTED);
  const clipped = series.some((d) => d.clip && d.raw.some((x) => !Number.isFinite(x) || x > top));
  return {
    currency: s.currency, marks: [], available: true, unavailable: '',
    id: 'leverage', title: 'Leverage against the cap', kind: 'line', format: 'multiple', xTitle: 'Period', yTitle: 'Guarantees / capital',
    caption: 'Outstanding guarantees as a multiple of the fund’s capital. Above the cap the fund must ration new guarantees until claims and repayments bring leverage back under it; '
      + 'when the capital is exhausted (gone, or under the minimum capital ratio) the fund issues no new guarantees at all and leverage has no finite value. '
      + `Every series is drawn whole: a value above ${f.multiple(top)}, or none because the capital is exhausted, is drawn at the top of the chart (${f.multiple(top)})${clipped ? ', as some are here' : ''}; the table gives the values${mc ? ', and “capital exhausted” where a percentile of the simulated paths has no capital left' : ''}.`,
    labels, datasets, yMax: top,
    table: { columns: ['Period', ...series.map((d) => d.label)], rows: labels.map((l, t) => [l, ...series.map((d) => shown(d.raw[t]))]) },
    csv: { header: ['Period', ...series.map((d) => d.label)], rows: labels.map((l, t) => [l, ...series.map((d) => { const x = d.raw[t]; return x === undefined ? null : Number.isFinite(x) ? x : EXHAUSTED; })]) },
  };
}

/** What the fund issued against what was demanded, period by period, in the expected case. */
function rationingChart(s: Scenario, p: Projection): ChartSpec {
  const f = formatter(s.currency);
  const labels = p.periods.map((r) => r.label);
  const issued = p.periods.map((r) => num(r.newGuaranteed));
  const rationed = p.periods.map((r) => num(r.rationedGuaranteed));
  const datasets: Dataset[] = [
    { label: 'Guarantees issued', data: issued, style: 'bar', color: 1 },
    { label: 'Guarantees demanded but rationed', data: rationed, style: 'bar', color: 3 },
  ];
  const share = (t: number) => {
    const demand = (issued[t] ?? 0) + (rationed[t] ?? 0);
    return demand > 0 ? (rationed[t] ?? 0) / demand : 0;
  };
  const any = p.summary.totalRationed.greaterThan(0.005);
  return {
    currency: s.currency, marks: [], available: true, unavailable: '',
    id: 'rationing', title: 'Guarantees issued and rationed', kind: 'bar', format: 'money', xTitle: 'Period', yTitle: `New guarantees (${s.currency})`, stacked: true,
    caption: `The guarantees lenders asked for each period in the expected case: the part the fund issued, and on top the part it had to refuse because its leverage reached the cap of ${f.multiple(s.fund.leverageCap)} or its capital was exhausted. `
      + (any ? 'Refused guarantees are loans that are not made (or made without a guarantee).' : 'Here the fund’s capacity never binds: every guarantee demanded is issued.'),
    labels, datasets,
    table: {
      columns: ['Period', 'Guarantees issued', 'Guarantees rationed', 'Share of demand rationed', 'New guaranteed loans'],
      rows: p.periods.map((r, t) => [r.label, f.money(issued[t]), f.money(rationed[t]), f.percent(share(t), 1), f.count(r.newLoans)]),
    },
    csv: {
      header: ['Period', 'Guarantees issued', 'Guarantees rationed', 'Share of demand rationed', 'New guaranteed loans'],
      rows: p.periods.map((r, t) => [r.label, issued[t] ?? null, rationed[t] ?? null, share(t), r.newLoans]),
    },
  };
}

/** What the client needs to draw a chart (public/js/charts.js). */
export function chartJson(c: ChartSpec): Record<string, unknown> {
  return {
    id: c.id, kind: c.kind, format: c.format, currency: c.currency, labels: c.labels, datasets: c.datasets, marks: c.marks, xTitle: c.xTitle, yTitle: c.yTitle,
    ...(typeof c.yMax === 'number' ? { yMax: c.yMax, tableRows: c.table.rows } : {}),
    ...(c.stacked ? { stacked: true } : {}),
  };
}

/** Value at risk and expected shortfall of cumulative net claims, for the results page. */
export function tailTable(s: Scenario, mc: MonteCarloResult | null): Table | null {
  if (!mc) return null;
  const f = formatter(s.currency);
  return {
    columns: ['Confidence', 'Value at risk', 'Expected shortfall'],
    rows: TAIL_LEVELS.map((level) => {
      const t = mc.netClaims.tail.find((x) => x.level === level);
      return [f.percent(level, 1), f.money(t?.valueAtRisk), f.money(t?.expectedShortfall)];
    }),
  };
}

const LEDGER_LABELS: Record<(typeof INFLOWS)[number] | (typeof OUTFLOWS)[number], string> = {
  capitalInjection: 'Capital injections', capitalCalls: 'Capital calls', stateCompensation: 'State compensation', upfrontFees: 'Upfront fees', annualFees: 'Annual fees', investmentIncome: 'Investment income',
  recoveries: 'Recoveries', reinsuranceRecoveries: 'Reinsurance recoveries', claimsPaid: 'Claims paid', operatingCosts: 'Operating costs',
  reinsurancePremiums: 'Reinsurance premiums', recoveriesPassedToReinsurer: 'Recoveries passed to the reinsurer',
};

/** The per-period ledger, run-off included: rows of raw numbers (header first). */
function ledgerTable(s: Scenario, p: Projection): Table {
  const f = formatter(s.currency);
  const all = [...p.periods, ...p.runoff];
  const used = [...INFLOWS, ...OUTFLOWS].filter((k) => all.some((r) => !r.ledger[k].isZero()));
  return {
    columns: ['Period', 'Opening', ...used.map((k) => LEDGER_LABELS[k]), 'Closing', 'Outstanding guarantees', 'New loans', 'Defaults'],
    rows: all.map((r, i) => [
      i < p.periods.length ? r.label : `${r.label} (run-off)`, f.money(num(r.ledger.opening)), ...used.map((k) => f.money(num(r.ledger[k]))), f.money(num(r.ledger.closing)),
      f.money(num(r.outstandingGuaranteed)), f.count(r.newLoans), f.count(r.defaults),
    ]),
  };
}

function lendingTable(s: Scenario, p: Projection): Table {
  const f = formatter(s.currency);
  return {
    columns: ['Stage', 'Applicants', 'Loans without guarantee', 'Loans with the scheme', 'Additional loans', 'Substituted loans', 'Borrower rate with guarantee', 'Collateral gap without → with'],
    rows: p.lending.map((l) => [
      STAGE_LABELS[l.stage], f.count(l.applicants), f.count(l.loansWithoutGuarantee), f.count(l.loansWithScheme), f.count(l.additionalLoans), f.count(l.substitutedLoans),
      f.percent(l.borrowerRateWith), `${f.money(l.collateralGapWithout)} → ${f.money(l.collateralGapWith)}`,
    ]),
  };
}

export function resultsModel(input: ResultInput): ResultsModel {
  return {
    indicators: indicators(input).map((i) => ({ ...i, term: INDICATOR_TERMS[i.id] ?? null })),
    charts: charts(input),
    ledger: ledgerTable(input.scenario, input.projection),
    lending: lendingTable(input.scenario, input.projection),
    costing: costingModel(input.scenario, input.projection, input.breakEvenFees ?? null, riskAnalytics(input.scenario), input.monteCarlo),
    hasMonteCarlo: input.monteCarlo !== null,
  };
}

// ---------------------------------------------------------------------------------------
// Exports.

/** Replaces decimal amounts by numbers (they are rounded to the cent already). */
export function plain(value: unknown): unknown {
  if (Decimal.isDecimal(value)) return (value as Decimal).toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

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
