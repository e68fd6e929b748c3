/**
 * Tabular views of the policy analyses, shared by the CLI, CSV downloads and the API, in the
 * style of src/core/report.ts: amounts to the cent as plain decimal strings, ratios as numbers.
 */
import type { Cell, Table } from '../report.ts';
import type { BudgetComparisonResult, BudgetMonteCarloResult } from './budget.ts';
import type { SearchResult, SweepResult, TornadoResult } from './sensitivity.ts';

const num = (x: number | null, digits = 6): Cell => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** One row per option and year: the side-by-side figures of the comparison. */
export function comparisonYearsTable(r: BudgetComparisonResult): Table {
  return {
    columns: ['option', 'year', 'firms_reached', 'credit_volume', 'additional_credit', 'value_left'],
    rows: r.options.flatMap((o) => o.years.map((y) => [o.option, y.year, num(y.firmsReached, 2), y.creditVolume.toFixed(2), y.additionalCredit.toFixed(2), y.valueLeft.toFixed(2)])),
  };
}

/** One row per option: totals over the horizon, with the Monte Carlo figures when given. */
export function comparisonSummaryTable(r: BudgetComparisonResult, mc?: BudgetMonteCarloResult): Table {
  const columns = [
    'option', 'firms_reached', 'credit_volume', 'additional_credit', 'borrower_all_in_rate', 'value_left_at_horizon', 'fiscal_cost',
    'fiscal_cost_per_firm', 'fiscal_cost_per_unit_additional_credit',
    ...(mc ? ['value_left_p5', 'value_left_median', 'value_left_p95', 'probability_losing_half'] : []),
  ];
  const rows = r.options.map((o) => {
    const d = mc?.options.find((x) => x.option === o.option);
    const at = (p: number) => num(d?.percentiles.find((x) => x.percentile === p)?.value ?? null, 2);
    return [
      o.option, num(o.firmsReached, 2), o.creditVolume.toFixed(2), o.additionalCredit.toFixed(2), num(o.borrowerAllInRate), o.valueLeftAtHorizon.toFixed(2),
      o.fiscalCost.toFixed(2), o.fiscalCostPerFirm?.toFixed(2) ?? null, num(o.fiscalCostPerUnitAdditionalCredit),
      ...(mc ? [at(5), at(50), at(95), num(d?.probabilityLosingHalf ?? null, 4)] : []),
    ];
  });
  return { columns, rows };
}

export function tornadoTable(r: TornadoResult): Table {
  return {
    columns: ['parameter', 'label', 'base_input', 'low_input', 'high_input', 'indicator_at_low', 'indicator_at_high', 'swing', 'note'],
    rows: r.bars.map((b) => [b.path, b.label, b.baseInput, b.lowInput, b.highInput, num(b.atLow), num(b.atHigh), num(b.swing), b.note]),
  };
}

/** Long format: one row per grid point. */
export function sweepTable(r: SweepResult): Table {
  const rows: Cell[][] = [];
  r.y.values.forEach((y, i) => r.x.values.forEach((x, j) => {
    rows.push([x, y, num(r.values[i]![j]!), ...(r.depletion ? [num(r.depletion[i]![j]!)] : [])]);
  }));
  return { columns: [r.x.path, r.y.path, r.indicator, ...(r.depletion ? ['depletion'] : [])], rows };
}

export function searchTable(r: SearchResult): Table {
  return {
    columns: ['coverage_ratio', 'annual_fee', r.objective, 'probability_of_depletion', 'feasible'],
    rows: r.evaluations.map((e) => [e.coverage, e.fee, num(e.objective, 2), num(e.depletion), e.feasible === null ? null : e.feasible ? 'yes' : 'no']),
  };
}
