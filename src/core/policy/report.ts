/**
 * Tabular views of the policy analyses, shared by the CLI, CSV downloads and the API, in the
 * style of src/core/report.ts: amounts to the cent as plain decimal strings, ratios as numbers.
 */
import type { Cell, Table } from '../report.ts';
import type { BudgetComparisonResult, BudgetMonteCarloResult } from './budget.ts';
import type { SearchResult, SearchVerdict, SweepResult, TornadoResult } from './sensitivity.ts';

const num = (x: number | null, digits = 6): Cell => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** One row per option and year: the side-by-side figures of the comparison. */
export function comparisonYearsTable(r: BudgetComparisonResult): Table {
  return {
    columns: ['option', 'year', 'firms_reached', 'loans_made', 'credit_volume', 'additional_credit', 'value_left'],
    rows: r.options.flatMap((o) => o.years.map((y) => [o.option, y.year, num(y.firmsReached, 2), num(y.loansMade, 2), y.creditVolume.toFixed(2), y.additionalCredit.toFixed(2), y.valueLeft.toFixed(2)])),
  };
}

/** One row per option: totals over the horizon on the comparison basis, with the Monte Carlo figures when given. */
export function comparisonSummaryTable(r: BudgetComparisonResult, mc?: BudgetMonteCarloResult): Table {
  const columns = [
    'option', 'firms_reached', 'loans_made', 'credit_volume', 'additional_credit', 'borrower_all_in_rate', 'budget_used', 'budget_used_share',
    'value_left_at_horizon', 'discount_rate', 'pv_cost', 'pv_cost_per_firm', 'pv_cost_per_unit_additional_credit',
    ...(mc ? ['value_left_p5', 'value_left_median', 'value_left_p95', 'probability_losing_half'] : []),
  ];
  const rows = r.options.map((o) => {
    const d = mc?.options.find((x) => x.option === o.option);
    const at = (p: number) => num(d?.percentiles.find((x) => x.percentile === p)?.value ?? null, 2);
    return [
      o.option, num(o.firmsReached, 2), num(o.loansMade, 2), o.creditVolume.toFixed(2), o.additionalCredit.toFixed(2), num(o.borrowerAllInRate),
      o.budgetUsed.toFixed(2), num(o.budgetUsedShare), o.valueLeftAtHorizon.toFixed(2), r.discountRate, o.pvCost.toFixed(2), o.pvCostPerFirm?.toFixed(2) ?? null,
      num(o.pvCostPerUnitAdditionalCredit),
      ...(mc ? [at(5), at(50), at(95), num(d?.probabilityLosingHalf ?? null, 4)] : []),
    ];
  });
  return { columns, rows };
}

/** An amount as a decimal (core results) or a number (results stored as plain JSON). */
type Amount = number | { toNumber(): number };
const value = (x: Amount | null | undefined): number | null => (x === null || x === undefined ? null : typeof x === 'number' ? x : x.toNumber());

/** What the findings read of a comparison: its core result, or the same stored as plain JSON. */
export interface FindingsInput {
  readonly budget: Amount;
  readonly horizonYears: number;
  readonly options: readonly {
    readonly label: string;
    readonly pvCostPerUnitAdditionalCredit?: number | null;
    readonly firmsReached: number;
    readonly loansMade?: number;
    readonly creditVolume: Amount;
    readonly additionalCredit: Amount;
    readonly borrowerAllInRate: number | null;
    readonly valueLeftAtHorizon: Amount;
    readonly budgetUsed?: Amount;
    readonly budgetUsedShare?: number;
    readonly pvCost?: Amount;
    readonly pvCostPerFirm?: Amount | null;
  }[];
  readonly leverage?: LeverageInput | null;
}

/** What the leverage sentence reads of a comparison's leverage effect (core or plain JSON). */
export interface LeverageInput {
  readonly shown: boolean;
  readonly cause?: 'leverage' | 'directMeetsDemand' | 'fundRationed' | 'banksLendToFewer';
  readonly budget?: Amount;
  readonly guaranteeFirms?: number;
  readonly directFirms?: number;
  readonly guaranteeLending?: Amount;
  readonly directLending?: Amount;
  readonly firmsRatio?: number | null;
  readonly leverageCap?: number;
  readonly sameLoan?: boolean;
  readonly explanation: string;
}

/** The leverage effect of the guarantee over direct lending, or why there is none, in one or two sentences. */
export function leverageSentence(l: LeverageInput, f: Pick<FindingsFormat, 'money' | 'count'>): string {
  if (l.cause === undefined || l.guaranteeFirms === undefined || l.directFirms === undefined) return l.explanation;
  const gf = f.count(l.guaranteeFirms);
  const direct = f.count(l.directFirms);
  switch (l.cause) {
    case 'leverage':
      return `With the same ${f.money(value(l.budget))}, the guarantee fund backs ${f.money(value(l.guaranteeLending))} of bank loans to ${gf} firms; lending the money directly reaches ${direct} firms with ${f.money(value(l.directLending))}${l.firmsRatio ? `: ${l.firmsRatio.toFixed(1)} times as many firms through the guarantee` : ''}. The fund may guarantee up to ${Number((l.leverageCap ?? 0).toFixed(2))}× its capital and pays only the covered part of the losses, while a direct lender puts up the whole loan.${l.sameLoan === false ? ' The two lend loans of different sizes, so compare lending as well as firms.' : ''}`;
    case 'directMeetsDemand':
      return `No leverage effect with these parameters: lending the money directly already reaches every target firm that applies (${direct}), so a guarantee’s multiple of its capital adds no firms; the guarantee fund reaches ${gf}.`;
    case 'fundRationed':
      return `No leverage effect with these parameters: the guarantee fund’s capital runs short (it rationed guarantees) and it reaches ${gf} firms against ${direct} lent to directly.`;
    case 'banksLendToFewer':
      return `No leverage effect with these parameters: the guarantee fund reaches only the firms banks will lend to with the guarantee (${gf}), fewer than the revolving fund lends to directly (${direct}).`;
  }
}

export interface FindingsFormat {
  money(x: number | null): string;
  count(x: number | null): string;
  percent(x: number | null, digits?: number): string;
}

/**
 * The comparison in a few sentences. None ranks an option without saying what it spent (budget
 * used, PV cost) and whom it reached (distinct firms, loans, lending).
 */
export function comparisonFindings(r: FindingsInput, f: FindingsFormat): string[] {
  const opts = r.options;
  if (opts.length === 0) return [];
  const budget = value(r.budget) ?? 0;
  const spent = (o: FindingsInput['options'][number]) => {
    const used = value(o.budgetUsed);
    const pv = value(o.pvCost);
    return [
      used !== null ? `uses ${f.money(used)} of the ${f.money(budget)} budget at its peak (${f.percent(o.budgetUsedShare ?? (budget > 0 ? used / budget : null), 0)})` : null,
      pv !== null ? `consumes ${f.money(pv)} of public money in present value` : null,
    ].filter(Boolean).join(' and ');
  };
  const reached = (o: FindingsInput['options'][number]) => {
    const loans = o.loansMade ?? o.firmsReached;
    const firms = `${f.count(o.firmsReached)} firm${Math.round(o.firmsReached) === 1 ? '' : 's'}`;
    return `${firms}${Math.abs(loans - o.firmsReached) >= 0.5 ? ` (${f.count(loans)} loans)` : ''} with ${f.money(value(o.creditVolume))} of lending, ${f.money(value(o.additionalCredit))} of it additional`;
  };
  const out: string[] = [];
  const over = `over ${r.horizonYears} year${r.horizonYears === 1 ? '' : 's'}`;
  if (opts.length > 1) {
    // Each option's distinctions in one sentence, with what it reached and what it spent.
    const wins = new Map<FindingsInput['options'][number], string[]>();
    const win = (o: FindingsInput['options'][number] | undefined, text: string) => {
      if (o) wins.set(o, [...(wins.get(o) ?? []), text]);
    };
    win([...opts].sort((a, b) => b.firmsReached - a.firmsReached)[0], `reaches the most firms ${over}`);
    const perFirm = opts.filter((o) => o.firmsReached >= 0.5 && value(o.pvCostPerFirm) !== null);
    if (perFirm.length > 1) {
      const best = [...perFirm].sort((a, b) => value(a.pvCostPerFirm)! - value(b.pvCostPerFirm)!)[0]!;
      win(best, `consumes the least public money per firm reached (${f.money(value(best.pvCostPerFirm))} in present value)`);
    }
    const perUnit = opts.filter((o) => (value(o.additionalCredit) ?? 0) > 0.5 && value(o.pvCost) !== null);
    if (perUnit.length > 1) {
      const ratio = (o: FindingsInput['options'][number]) => value(o.pvCost)! / value(o.additionalCredit)!;
      const best = [...perUnit].sort((a, b) => ratio(a) - ratio(b))[0]!;
      win(best, `consumes the least public money per unit of additional lending (${ratio(best).toFixed(3)} per unit)`);
    }
    const cheapest = opts.filter((o) => o.borrowerAllInRate !== null).sort((a, b) => a.borrowerAllInRate! - b.borrowerAllInRate!)[0];
    if (cheapest) win(cheapest, `is the cheapest for borrowers (${f.percent(cheapest.borrowerAllInRate, 2)} a year all in)`);
    const keeps = [...opts].sort((a, b) => (value(b.valueLeftAtHorizon) ?? 0) - (value(a.valueLeftAtHorizon) ?? 0))[0];
    if (keeps) win(keeps, `leaves the most money at the horizon (${f.money(value(keeps.valueLeftAtHorizon))} of ${f.money(budget)})`);
    for (const o of opts) {
      const titles = wins.get(o);
      if (!titles) continue;
      const list = titles.length === 1 ? titles[0]! : `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]!}`;
      out.push(`${o.label} ${list}: it reaches ${reached(o)}; it ${spent(o)}.`);
    }
  } else {
    const o = opts[0]!;
    out.push(`${o.label} reaches ${reached(o)} ${over}; it ${spent(o)}.`);
  }
  if (r.leverage) out.push(leverageSentence(r.leverage, f));
  return out;
}

export function tornadoTable(r: TornadoResult): Table {
  return {
    columns: ['parameter', 'label', 'base_input', 'low_input', 'high_input', 'indicator_at_low', 'indicator_at_high', 'swing', 'note'],
    rows: r.bars.map((b) => [b.path, b.label, b.baseInput, b.lowInput, b.highInput, num(b.atLow), num(b.atHigh), num(b.swing), b.note]),
  };
}

/** Long format: one row per grid point, with the 95 % interval of each probability of depletion. */
export function sweepTable(r: SweepResult): Table {
  const rows: Cell[][] = [];
  const extra = r.depletion !== null && r.indicator !== 'depletion';
  const intervals = r.depletionIntervals !== null;
  r.y.values.forEach((y, i) => r.x.values.forEach((x, j) => {
    const iv = r.depletionIntervals?.[i]?.[j] ?? null;
    const verdict = r.contour ? r.contour.feasible[i]?.[j] : undefined;
    rows.push([
      x, y, num(r.values[i]![j]!), ...(extra ? [num(r.depletion![i]![j]!)] : []),
      ...(intervals ? [num(iv?.lower ?? null), num(iv?.upper ?? null), r.paths] : []),
      ...(r.contour ? [verdict === true ? 'yes' : verdict === false ? 'no' : iv ? 'cannot tell' : null] : []),
    ]);
  }));
  return {
    columns: [r.x.path, r.y.path, r.indicator, ...(extra ? ['depletion'] : []), ...(intervals ? ['depletion_lower_95', 'depletion_upper_95', 'paths'] : []), ...(r.contour ? ['meets_target'] : [])],
    rows,
  };
}

export function searchTable(r: SearchResult): Table {
  return {
    columns: ['coverage_ratio', 'annual_fee', r.objective, 'probability_of_depletion', 'lower', 'upper', 'paths', 'verdict'],
    rows: r.evaluations.map((e) => [e.coverage, e.fee, num(e.objective, 2), num(e.depletion), num(e.lower), num(e.upper), e.paths, VERDICT_TEXT[e.verdict]]),
  };
}

/** Verdicts as the tables and pages word them. */
export const VERDICT_TEXT: Readonly<Record<SearchVerdict, string>> = {
  feasible: 'yes', infeasible: 'no', cannotTell: 'cannot tell', notSimulated: 'not simulated',
};
