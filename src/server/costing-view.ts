/**
 * The programme's cost on the results page: horizon and lifetime views side by side, each
 * year's cohort with its subsidy rate, the break-even fee on every basis (the scenario's own
 * named), the risk-based fee and prudent leverage, the provision at the horizon, the Monte
 * Carlo distribution of the PV cost, and the conventions in force. Formatting only: every
 * figure comes from the core.
 */
import type { RiskAnalytics } from '../core/analytics.ts';
import { conventionsInForce } from '../core/conventions.ts';
import type { CostView } from '../core/costing.ts';
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import { PERCENTILES } from '../core/montecarlo/types.ts';
import { intervalOfShare } from '../core/stats/intervals.ts';
import type { Projection } from '../core/projection.ts';
import type { Scenario } from '../core/schema.ts';
import { BREAK_EVEN_BASES, BREAK_EVEN_BASIS_LABELS, type BreakEvenFee } from '../core/solvers.ts';
import { costMoney, formatter, NEGATIVE_COST_NOTE } from '../i18n/format.ts';
import type { Table } from './results.ts';

export interface CostingModel {
  readonly costs: Table;
  readonly cohorts: Table;
  readonly programmeSentence: string;
  readonly breakEven: Table | null;
  readonly risk: Table;
  readonly provision: Table;
  readonly capitalCalls: string | null;
  readonly monteCarlo: Table | null;
  readonly monteCarloSentence: string | null;
  readonly conventions: readonly string[];
}

const n = (x: { toNumber(): number } | null) => (x === null ? null : x.toNumber());

export function costingModel(s: Scenario, p: Projection, fees: Record<string, BreakEvenFee> | null, risk: RiskAnalytics, mc: MonteCarloResult | null): CostingModel {
  const f = formatter(s.currency);
  const { horizon: h, lifetime: l, programme, provision } = p.costing;
  const cost = (x: number | null) => costMoney(f, x);
  const row = (label: string, pick: (v: CostView) => number | null, format: (x: number | null) => string = f.money) => [label, format(pick(h)), format(pick(l))];
  const costs: Table = {
    columns: ['', `Horizon (${h.years} years)`, `Lifetime (${l.years} years)`],
    rows: [
      row('Public money put in', (v) => n(v.publicMoney)),
      row('of which capital calls', (v) => n(v.capitalCalls)),
      row('of which state compensation', (v) => n(v.stateCompensation)),
      row('of which fee subsidies', (v) => n(v.feeSubsidies)),
      row('Capital left', (v) => n(v.capitalLeft)),
      row('Cash fiscal cost (undiscounted)', (v) => n(v.cashFiscalCost), cost),
      row('PV fiscal cost', (v) => n(v.pvFiscalCost), cost),
      row('PV of investment income', (v) => n(v.investmentIncome)),
      row('PV of the return forgone on capital', (v) => n(v.forgoneReturnOnCapital)),
      row('Economic cost (PV)', (v) => n(v.economicCost), cost),
      row('Economic cost per firm supported', (v) => n(v.economicCostPerFirm), cost),
      row('Economic cost per additional loan', (v) => n(v.economicCostPerAdditionalLoan), cost),
      row('Economic cost per unit of additional lending', (v) => v.economicCostPerUnitAdditionalLending, (x) => f.percent(x, 2)),
    ],
  };
  const cohorts: Table = {
    columns: ['Cohort', 'Guaranteed', 'Subsidy rate', 'Subsidy cost (PV)', 'Lifetime loss rate', 'Loans', 'Claims', 'Recoveries', 'Fees paid', 'PV claims', 'PV recoveries', 'PV fees'],
    rows: p.costing.cohorts.map((c) => [
      `Y${c.year}`, f.money(n(c.guaranteed)), f.percent(c.subsidyRate, 2), f.money(n(c.subsidyCost)), f.percent(c.expectedLifetimeLoss, 2), f.count(c.loans),
      f.money(n(c.claims)), f.money(n(c.recoveries)), f.money(n(c.fees)), f.money(n(c.pvClaims)), f.money(n(c.pvRecoveries)), f.money(n(c.pvFees)),
    ]),
  };
  const anyNegative = [h, l].some((v) => [v.cashFiscalCost, v.pvFiscalCost, v.economicCost, v.economicCostPerFirm, v.economicCostPerAdditionalLoan].some((x) => x !== null && n(x)! <= -0.5))
    || [programme.perFirm, programme.perAdditionalLoan].some((x) => x !== null && n(x)! <= -0.5);
  const programmeSentence = `Over their whole lives the ${p.costing.cohorts.length} cohorts cost ${f.money(n(programme.subsidyCost))} in present value at the start of year 1 (subsidy rate ${f.percent(programme.subsidyRate, 2)} of the amount guaranteed), ${f.money(n(programme.costWithOperatingCosts))} with operating costs and premiums: ${cost(n(programme.perFirm))} per firm supported and ${cost(n(programme.perAdditionalLoan))} per additional loan.${anyNegative ? ` ${NEGATIVE_COST_NOTE}` : ''}`;

  const breakEven: Table | null = fees && {
    columns: ['Basis', 'Break-even annual fee'],
    rows: BREAK_EVEN_BASES.map((b) => {
      const fee = fees[b];
      const label = `${BREAK_EVEN_BASIS_LABELS[b]}${b === s.costing.breakEvenBasis ? ' (this scenario’s basis)' : ''}`;
      return [label, !fee ? '—' : fee.fee === null ? `none: ${fee.reason}` : f.percent(fee.fee, 2)];
    }),
  };
  const r = risk.portfolio;
  const riskTable: Table = {
    columns: ['Measure', 'Value'],
    rows: [
      ['Risk-based annual fee', f.percent(r.riskBasedFee, 2)],
      [`One-year capital at ${f.percent(risk.confidence, 1)}`, `${f.percent(r.capitalPerUnitGuaranteed, 2)} of guarantees`],
      ['Average life of a guarantee', `${r.averageLifeYears.toLocaleString('en-US', { maximumFractionDigits: 1 })} years`],
      ['Capital over the guarantee’s life', `${f.percent(r.lifetimeCapitalPerUnitGuaranteed, 2)} of the amount issued`],
      ['of which fee shortfall against expected loss', f.percent(r.feeShortfallPerUnitGuaranteed, 2)],
      ['Maximum prudent leverage (lifetime)', f.multiple(r.maximumPrudentLeverage)],
      ['Leverage cap in the scenario', f.multiple(s.fund.leverageCap)],
    ],
  };
  const provisionTable: Table = {
    columns: ['At the horizon', 'Amount'],
    rows: [
      ['Guarantees outstanding', f.money(n(provision.outstandingGuaranteed))],
      ['Claims incurred, not yet paid', f.money(n(provision.claimsIncurredNotPaid))],
      ['Recoveries still to come', f.money(n(provision.recoveriesReceivable))],
      ['Expected loss, next 12 months (PV)', f.money(n(provision.twelveMonthExpectedLoss))],
      ['Expected loss, remaining life (PV)', f.money(n(provision.lifetimeExpectedLoss))],
    ],
  };
  const calls = p.costing.capitalCalls;
  const capitalCalls = calls.length > 0 ? `Capital calls in the expected case: ${calls.map((c) => `${c.label} ${f.money(n(c.amount))}`).join(', ')}.` : null;

  let monteCarlo: Table | null = null;
  let monteCarloSentence: string | null = null;
  if (mc) {
    const d = [mc.lifetime.horizonPvFiscalCost, mc.lifetime.pvFiscalCost, mc.lifetime.economicCost];
    monteCarlo = {
      columns: ['', 'PV fiscal cost, horizon', 'PV fiscal cost, lifetime', 'Economic cost, lifetime'],
      rows: [
        ['Mean', ...d.map((x) => f.money(x.mean))],
        ...PERCENTILES.map((pc, i) => [`${pc}th percentile`.replace('1th', '1st'), ...d.map((x) => f.money(x.percentiles[i]!.value))]),
        ...d[0]!.tail.map((t, i) => [`Value at risk ${f.percent(t.level, 1)}`, ...d.map((x) => f.money(x.tail[i]!.valueAtRisk))]),
        ...d[0]!.tail.map((t, i) => [`Expected shortfall ${f.percent(t.level, 1)}`, ...d.map((x) => f.money(x.tail[i]!.expectedShortfall))]),
      ],
    };
    const byHorizon = mc.probabilityOfDepletion[mc.probabilityOfDepletion.length - 1] ?? 0;
    // Every share of paths with its 95 % Wilson interval: a sample of paths estimates it.
    const share = (p: number) => {
      const i = intervalOfShare(p, mc.paths);
      return `${f.percent(p, 2)} (95 % interval ${f.percent(i.lower, 2)}–${f.percent(i.upper, 2)})`;
    };
    monteCarloSentence = `Running every path’s book off to its last claim (${mc.lifetime.years} years), capital falls below zero in ${share(mc.lifetime.probabilityOfDepletion)} of ${f.count(mc.paths)} paths, against ${share(byHorizon)} by the horizon; ${mc.lifetime.capitalCalls.probability > 0 ? `${share(mc.lifetime.capitalCalls.probability)} of paths need a capital call (mean ${f.money(mc.lifetime.capitalCalls.amount.mean)} a path)` : 'no path needs a capital call'}.`;
  }
  return {
    costs, cohorts, programmeSentence, breakEven, risk: riskTable, provision: provisionTable, capitalCalls,
    monteCarlo, monteCarloSentence, conventions: conventionsInForce(s),
  };
}
