/**
 * Tabular views of the policy analyses, shared by the CLI, CSV downloads and the API, in the
 * style of src/core/report.ts: amounts to the cent as plain decimal strings, ratios as numbers.
 */
import { msg, type Translate } from '../../i18n/translate.ts';
import type { Cell, Table } from '../report.ts';
import { englishText } from './english.ts';
import { fixed, leverageSentence, value, type Amount, type FindingsFormat, type LeverageInput } from './leverage.ts';
import type { BudgetComparisonResult, BudgetMonteCarloResult } from './budget.ts';
import type { SearchResult, SearchVerdict, SweepResult, TornadoResult } from './sensitivity.ts';

export { leverageSentence, type FindingsFormat, type LeverageInput } from './leverage.ts';

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

/**
 * The comparison in a few sentences. None ranks an option without saying what it spent (budget
 * used, PV cost) and whom it reached (distinct firms, loans, lending).
 */
export function comparisonFindings(r: FindingsInput, f: FindingsFormat, t: Translate = englishText, labelOf: (o: FindingsInput['options'][number]) => string = (o) => o.label): string[] {
  const opts = r.options;
  if (opts.length === 0) return [];
  const budget = value(r.budget) ?? 0;
  type Option = FindingsInput['options'][number];
  /** What an option reached and spent, as the values of a finding. */
  const facts = (o: Option) => {
    const used = value(o.budgetUsed);
    const pv = value(o.pvCost);
    const loans = o.loansMade ?? o.firmsReached;
    return {
      option: labelOf(o), years: r.horizonYears, firmCount: Math.round(o.firmsReached), firms: f.count(o.firmsReached),
      loans: f.count(loans), repeat: Math.abs(loans - o.firmsReached) >= 0.5 ? 'yes' : 'no',
      lending: f.money(value(o.creditVolume)), additional: f.money(value(o.additionalCredit)),
      spent: used !== null && pv !== null ? 'both' : used !== null ? 'used' : pv !== null ? 'pv' : 'none',
      used: f.money(used), budget: f.money(budget), share: f.percent(o.budgetUsedShare ?? (budget > 0 && used !== null ? used / budget : null), 0), pv: f.money(pv),
    };
  };
  const out: string[] = [];
  if (opts.length > 1) {
    // Each option's distinctions in one sentence, with what it reached and what it spent.
    const wins = new Map<Option, string[]>();
    const win = (o: Option | undefined, text: string) => {
      if (o) wins.set(o, [...(wins.get(o) ?? []), text]);
    };
    win([...opts].sort((a, b) => b.firmsReached - a.firmsReached)[0], t('reaches the most firms over {years, plural, one {# year} other {# years}}', { years: r.horizonYears }));
    const perFirm = opts.filter((o) => o.firmsReached >= 0.5 && value(o.pvCostPerFirm) !== null);
    if (perFirm.length > 1) {
      const best = [...perFirm].sort((a, b) => value(a.pvCostPerFirm)! - value(b.pvCostPerFirm)!)[0]!;
      win(best, t('consumes the least public money per firm reached ({amount} in present value)', { amount: f.money(value(best.pvCostPerFirm)) }));
    }
    const perUnit = opts.filter((o) => (value(o.additionalCredit) ?? 0) > 0.5 && value(o.pvCost) !== null);
    if (perUnit.length > 1) {
      const ratio = (o: Option) => value(o.pvCost)! / value(o.additionalCredit)!;
      const best = [...perUnit].sort((a, b) => ratio(a) - ratio(b))[0]!;
      win(best, t('consumes the least public money per unit of additional lending ({ratio} per unit)', { ratio: fixed(f, ratio(best), 3) }));
    }
    const cheapest = opts.filter((o) => o.borrowerAllInRate !== null).sort((a, b) => a.borrowerAllInRate! - b.borrowerAllInRate!)[0];
    if (cheapest) win(cheapest, t('is the cheapest for borrowers ({rate} a year all in)', { rate: f.percent(cheapest.borrowerAllInRate, 2) }));
    const keeps = [...opts].sort((a, b) => (value(b.valueLeftAtHorizon) ?? 0) - (value(a.valueLeftAtHorizon) ?? 0))[0];
    if (keeps) win(keeps, t('leaves the most money at the horizon ({left} of {budget})', { left: f.money(value(keeps.valueLeftAtHorizon)), budget: f.money(budget) }));
    for (const o of opts) {
      const titles = wins.get(o);
      if (!titles) continue;
      const list = titles.length === 1 ? titles[0]! : t('{list} and {last}', { list: titles.slice(0, -1).join(', '), last: titles[titles.length - 1]! });
      out.push(t('{option} {distinctions}: it reaches {firmCount, plural, one {{firms} firm} other {{firms} firms}}{repeat, select, yes { ({loans} loans)} other {}} with {lending} of lending, {additional} of it additional; it {spent, select, both {uses {used} of the {budget} budget at its peak ({share}) and consumes {pv} of public money in present value} used {uses {used} of the {budget} budget at its peak ({share})} pv {consumes {pv} of public money in present value} other {}}.', { ...facts(o), distinctions: list }));
    }
  } else {
    const o = opts[0]!;
    out.push(t('{option} reaches {firmCount, plural, one {{firms} firm} other {{firms} firms}}{repeat, select, yes { ({loans} loans)} other {}} with {lending} of lending, {additional} of it additional over {years, plural, one {# year} other {# years}}; it {spent, select, both {uses {used} of the {budget} budget at its peak ({share}) and consumes {pv} of public money in present value} used {uses {used} of the {budget} budget at its peak ({share})} pv {consumes {pv} of public money in present value} other {}}.', facts(o)));
  }
  if (r.leverage) out.push(leverageSentence(r.leverage, f, t));
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
  feasible: msg('yes'), infeasible: msg('no'), cannotTell: msg('cannot tell'), notSimulated: msg('not simulated'),
};
