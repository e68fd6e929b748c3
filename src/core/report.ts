/**
 * Tabular views of a projection, shared by the CLI, the CSV downloads and the API: one row
 * per period, amounts to the cent as plain decimal strings (no separators, so spreadsheets
 * read them as numbers).
 */
import type { MonteCarloResult } from './montecarlo/types.ts';
import type { Projection } from './projection.ts';
import { STAGES } from './stages.ts';

export type Cell = string | number | null;
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const ratio = (x: number | null, digits = 4): Cell => (x === null ? null : Number(x.toFixed(digits)));

/** The ledger, one row per period: up to the horizon ('horizon'), then the run-off ('run-off'). */
export function ledgerTable(p: Projection): Table {
  const columns = [
    'period', 'view', 'year', 'opening_capital', 'capital_injection', 'capital_calls', 'state_compensation', 'upfront_fees', 'annual_fees',
    'fee_subsidies', 'investment_income',
    'recoveries', 'reinsurance_recoveries', 'claims_paid', 'operating_costs', 'reinsurance_premiums',
    'recoveries_passed_to_reinsurer', 'closing_capital', 'outstanding_guaranteed', 'new_guaranteed', 'rationed_guaranteed',
    'new_guarantees', 'defaults', 'leverage', 'capital_status', 'capital_adequacy_ratio', 'claims_ratio', 'loss_ratio', 'self_sufficiency',
    ...STAGES.flatMap((s) => [`${s}_new_guarantees`, `${s}_additional_lending`]),
  ];
  const rows = [...p.periods, ...p.runoff].map((r, i) => {
    const l = r.ledger;
    return [
      r.label, i < p.periods.length ? 'horizon' : 'run-off', r.year, l.opening.toFixed(2), l.capitalInjection.toFixed(2),
      l.capitalCalls.toFixed(2), l.stateCompensation.toFixed(2), l.upfrontFees.toFixed(2), l.annualFees.toFixed(2), l.feeSubsidies.toFixed(2),
      l.investmentIncome.toFixed(2), l.recoveries.toFixed(2), l.reinsuranceRecoveries.toFixed(2), l.claimsPaid.toFixed(2),
      l.operatingCosts.toFixed(2), l.reinsurancePremiums.toFixed(2), l.recoveriesPassedToReinsurer.toFixed(2), l.closing.toFixed(2),
      r.outstandingGuaranteed.toFixed(2), r.newGuaranteed.toFixed(2), r.rationedGuaranteed.toFixed(2),
      Number(r.newLoans.toFixed(2)), Number(r.defaults.toFixed(2)), ratio(r.leverage), r.capitalStatus, ratio(r.capitalAdequacyRatio),
      ratio(r.claimsRatio), ratio(r.lossRatio), ratio(r.selfSufficiency),
      ...STAGES.flatMap((s) => [Number(r.byStage[s].newLoans.toFixed(2)), r.byStage[s].additionalPrincipal.toFixed(2)]),
    ];
  });
  return { columns, rows };
}

/** Each year's cohort of guarantees over its life: the credit-reform subsidy rate. */
export function cohortTable(p: Projection): Table {
  const columns = [
    'cohort_year', 'loans', 'guaranteed', 'claims', 'recoveries', 'fees', 'fee_subsidies', 'operating_costs',
    'pv_claims', 'pv_recoveries', 'pv_fees', 'pv_operating_costs', 'subsidy_cost', 'subsidy_rate', 'cost_with_operating_costs', 'expected_lifetime_loss',
  ];
  const rows = p.costing.cohorts.map((c) => [
    c.year, Number(c.loans.toFixed(2)), c.guaranteed.toFixed(2), c.claims.toFixed(2), c.recoveries.toFixed(2), c.fees.toFixed(2),
    c.feeSubsidies.toFixed(2), c.operatingCosts.toFixed(2), c.pvClaims.toFixed(2), c.pvRecoveries.toFixed(2), c.pvFees.toFixed(2),
    c.pvOperatingCosts.toFixed(2), c.subsidyCost.toFixed(2), ratio(c.subsidyRate, 6), c.costWithOperatingCosts.toFixed(2), ratio(c.expectedLifetimeLoss, 6),
  ]);
  return { columns, rows };
}

/** The programme's cost on both views, one row per measure. */
export function costTable(p: Projection): Table {
  const { horizon: h, lifetime: l } = p.costing;
  const money = (pick: (v: typeof h) => { toFixed(d: number): string } | null) => [pick(h)?.toFixed(2) ?? null, pick(l)?.toFixed(2) ?? null];
  return {
    columns: ['measure', 'horizon', 'lifetime'],
    rows: [
      ['years', h.years, l.years],
      ['public_money_put_in', ...money((v) => v.publicMoney)],
      ['of_which_capital_calls', ...money((v) => v.capitalCalls)],
      ['of_which_state_compensation', ...money((v) => v.stateCompensation)],
      ['of_which_fee_subsidies', ...money((v) => v.feeSubsidies)],
      ['capital_left', ...money((v) => v.capitalLeft)],
      ['cash_fiscal_cost', ...money((v) => v.cashFiscalCost)],
      ['pv_fiscal_cost', ...money((v) => v.pvFiscalCost)],
      ['pv_investment_income', ...money((v) => v.investmentIncome)],
      ['pv_forgone_return_on_capital', ...money((v) => v.forgoneReturnOnCapital)],
      ['economic_cost', ...money((v) => v.economicCost)],
      ['economic_cost_per_firm', ...money((v) => v.economicCostPerFirm)],
      ['economic_cost_per_additional_loan', ...money((v) => v.economicCostPerAdditionalLoan)],
      ['economic_cost_per_unit_additional_lending', ratio(h.economicCostPerUnitAdditionalLending, 6), ratio(l.economicCostPerUnitAdditionalLending, 6)],
    ],
  };
}

export function lendingTable(p: Projection): Table {
  const columns = [
    'stage', 'applicants', 'loans_without_guarantee', 'lending_without_guarantee', 'loans_with_scheme', 'lending_with_scheme',
    'guaranteed_loans', 'additional_loans', 'additional_lending', 'substituted_loans', 'substituted_lending',
    'collateral_gap_without', 'collateral_gap_with', 'borrower_rate_without', 'borrower_rate_with',
  ];
  const rows = p.lending.map((x) => [
    x.stage, x.applicants, Number(x.loansWithoutGuarantee.toFixed(2)), x.lendingWithoutGuarantee.toFixed(2),
    Number(x.loansWithScheme.toFixed(2)), x.lendingWithScheme.toFixed(2), Number(x.guaranteedLoans.toFixed(2)),
    Number(x.additionalLoans.toFixed(2)), x.additionalLending.toFixed(2), Number(x.substitutedLoans.toFixed(2)),
    x.substitutedLending.toFixed(2), x.collateralGapWithout.toFixed(2), x.collateralGapWith.toFixed(2),
    ratio(x.borrowerRateWithout, 6), ratio(x.borrowerRateWith, 6),
  ]);
  return { columns, rows };
}

/** One row per Monte Carlo path. */
export function pathSummaryTable(r: MonteCarloResult): Table {
  return {
    columns: ['path', 'closing_capital', 'minimum_capital', 'cumulative_net_claims', 'depletion_year', 'firms_supported',
      'horizon_pv_fiscal_cost', 'lifetime_pv_fiscal_cost', 'lifetime_economic_cost', 'capital_calls'],
    rows: r.pathSummaries.map((p) => [
      p.path, p.closingCapital.toFixed(2), p.minimumCapital.toFixed(2), p.cumulativeNetClaims.toFixed(2), p.depletionYear, Number(p.firmsSupported.toFixed(2)),
      p.horizonPvFiscalCost.toFixed(2), p.lifetimePvFiscalCost.toFixed(2), p.lifetimeEconomicCost.toFixed(2), p.capitalCalls.toFixed(2),
    ]),
  };
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV cell. Numbers lose binary noise (0.1 + 0.2 is written 0.3; amounts are rounded to the
 * cent by the tables that hold them); a text that a spreadsheet would run as a formula (starting
 * with =, +, -, @, a tab or a carriage return, and not a plain number) gets a leading apostrophe;
 * fields with a comma, quote or line break are quoted, quotes doubled (RFC 4180).
 */
export function csvCell(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  let s: string;
  if (typeof c === 'number') s = Number.isFinite(c) ? String(Number(c.toPrecision(15))) : '';
  else s = /^[=+\-@\t\r]/.test(c) && !NUMERIC.test(c) ? `'${c}` : c;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** An amount to the cent, as a number cell. */
export const cents = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 100) / 100);

/** The one CSV writer of the command line and the web app (see csvCell). */
export function toCsv(table: Table): string {
  return [table.columns, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
