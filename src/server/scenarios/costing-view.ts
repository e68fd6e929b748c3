/**
 * The programme's cost on the results page: horizon and lifetime views side by side, each
 * year's cohort with its subsidy rate, the break-even fee on every basis (the scenario's own
 * named), the risk-based fee and prudent leverage, the provision at the horizon, the Monte
 * Carlo distribution of the PV cost, and the conventions in force. Formatting only: every
 * figure comes from the core.
 */
import type { RiskAnalytics } from '../../core/analytics.ts';
import { spotRate } from '../../core/discount.ts';
import type { CostView } from '../../core/costing.ts';
import type { MonteCarloResult } from '../../core/montecarlo/types.ts';
import { PERCENTILES } from '../../core/montecarlo/types.ts';
import { intervalOfShare } from '../../core/stats/intervals.ts';
import type { Projection } from '../../core/projection.ts';
import type { Scenario } from '../../core/schema.ts';
import { BREAK_EVEN_BASES, type BreakEvenFee } from '../../core/solvers.ts';
import { formatter } from '../../i18n/format.ts';
import type { Localizer } from '../../i18n/index.ts';
import { BASIS_NAMES, breakEvenReason, costText, ENGLISH, negativeCostNote, type Table } from './result-text.ts';

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

export function costingModel(s: Scenario, p: Projection, fees: Record<string, BreakEvenFee> | null, risk: RiskAnalytics, mc: MonteCarloResult | null, l: Localizer = ENGLISH): CostingModel {
  const { t } = l;
  const f = formatter(s.currency, l.locale);
  const { horizon: h, lifetime: lt, programme, provision } = p.costing;
  const cost = (x: number | null) => costText(f, x, t);
  const row = (label: string, pick: (v: CostView) => number | null, format: (x: number | null) => string = f.money) => [label, format(pick(h)), format(pick(lt))];
  const costs: Table = {
    columns: ['', t('Horizon ({years} years)', { years: h.years }), t('Lifetime ({years} years)', { years: lt.years })],
    rows: [
      row(t('Public money put in'), (v) => n(v.publicMoney)),
      row(t('of which capital calls'), (v) => n(v.capitalCalls)),
      row(t('of which state compensation'), (v) => n(v.stateCompensation)),
      row(t('of which fee subsidies'), (v) => n(v.feeSubsidies)),
      row(t('Capital left'), (v) => n(v.capitalLeft)),
      row(t('Cash fiscal cost (undiscounted)'), (v) => n(v.cashFiscalCost), cost),
      row(t('PV fiscal cost'), (v) => n(v.pvFiscalCost), cost),
      row(t('PV of investment income'), (v) => n(v.investmentIncome)),
      row(t('PV of the return forgone on capital'), (v) => n(v.forgoneReturnOnCapital)),
      row(t('Economic cost (PV)'), (v) => n(v.economicCost), cost),
      row(t('Economic cost per firm supported'), (v) => n(v.economicCostPerFirm), cost),
      row(t('Economic cost per additional loan'), (v) => n(v.economicCostPerAdditionalLoan), cost),
      row(t('Economic cost per unit of additional lending'), (v) => v.economicCostPerUnitAdditionalLending, (x) => f.percent(x, 2)),
    ],
  };
  const cohorts: Table = {
    columns: [t('Cohort'), t('Guaranteed'), t('Subsidy rate'), t('Subsidy cost (PV)'), t('Lifetime loss rate'), t('Loans'), t('Claims'), t('Recoveries'), t('Fees paid'), t('PV claims'), t('PV recoveries'), t('PV fees')],
    rows: p.costing.cohorts.map((c) => [
      `Y${c.year}`, f.money(n(c.guaranteed)), f.percent(c.subsidyRate, 2), f.money(n(c.subsidyCost)), f.percent(c.expectedLifetimeLoss, 2), f.count(c.loans),
      f.money(n(c.claims)), f.money(n(c.recoveries)), f.money(n(c.fees)), f.money(n(c.pvClaims)), f.money(n(c.pvRecoveries)), f.money(n(c.pvFees)),
    ]),
  };
  const anyNegative = [h, lt].some((v) => [v.cashFiscalCost, v.pvFiscalCost, v.economicCost, v.economicCostPerFirm, v.economicCostPerAdditionalLoan].some((x) => x !== null && n(x)! <= -0.5))
    || [programme.perFirm, programme.perAdditionalLoan].some((x) => x !== null && n(x)! <= -0.5);
  const programmeSentence = t('Over their whole lives the {cohorts} cohorts cost {cost} in present value at the start of year 1 (subsidy rate {rate} of the amount guaranteed), {withCosts} with operating costs and premiums: {perFirm} per firm supported and {perLoan} per additional loan.', {
    cohorts: p.costing.cohorts.length, cost: f.money(n(programme.subsidyCost)), rate: f.percent(programme.subsidyRate, 2), withCosts: f.money(n(programme.costWithOperatingCosts)),
    perFirm: cost(n(programme.perFirm)), perLoan: cost(n(programme.perAdditionalLoan)),
  }) + (anyNegative ? ` ${negativeCostNote(t)}` : '');

  const breakEven: Table | null = fees && {
    columns: [t('Basis'), t('Break-even annual fee')],
    rows: BREAK_EVEN_BASES.map((b) => {
      const fee = fees[b];
      const label = b === s.costing.breakEvenBasis ? t('{basis} (this scenario’s basis)', { basis: t(BASIS_NAMES[b]) }) : t(BASIS_NAMES[b]);
      return [label, !fee ? '—' : fee.fee === null ? t('none: {reason}', { reason: breakEvenReason(t, fee.reason) }) : f.percent(fee.fee, 2)];
    }),
  };
  const r = risk.portfolio;
  const riskTable: Table = {
    columns: [t('Measure'), t('Value')],
    rows: [
      [t('Risk-based annual fee'), f.percent(r.riskBasedFee, 2)],
      [t('One-year capital at {level}', { level: f.percent(risk.confidence, 1) }), t('{share} of guarantees', { share: f.percent(r.capitalPerUnitGuaranteed, 2) })],
      [t('Average life of a guarantee'), t('{years} years', { years: r.averageLifeYears.toLocaleString(l.locale, { maximumFractionDigits: 1 }) })],
      [t('Capital over the guarantee’s life'), t('{share} of the amount issued', { share: f.percent(r.lifetimeCapitalPerUnitGuaranteed, 2) })],
      [t('of which fee shortfall against expected loss'), f.percent(r.feeShortfallPerUnitGuaranteed, 2)],
      [t('Maximum prudent leverage (lifetime)'), f.multiple(r.maximumPrudentLeverage)],
      [t('Leverage cap in the scenario'), f.multiple(s.fund.leverageCap)],
    ],
  };
  const provisionTable: Table = {
    columns: [t('At the horizon'), t('Amount')],
    rows: [
      [t('Guarantees outstanding'), f.money(n(provision.outstandingGuaranteed))],
      [t('Claims incurred, not yet paid'), f.money(n(provision.claimsIncurredNotPaid))],
      [t('Recoveries still to come'), f.money(n(provision.recoveriesReceivable))],
      [t('Expected loss, next 12 months (PV)'), f.money(n(provision.twelveMonthExpectedLoss))],
      [t('Expected loss, remaining life (PV)'), f.money(n(provision.lifetimeExpectedLoss))],
    ],
  };
  const calls = p.costing.capitalCalls;
  const capitalCalls = calls.length > 0
    ? t('Capital calls in the expected case: {calls}.', { calls: calls.map((c) => t('{period} {amount}', { period: c.label, amount: f.money(n(c.amount)) })).join(t(', ')) })
    : null;

  let monteCarlo: Table | null = null;
  let monteCarloSentence: string | null = null;
  if (mc) {
    const d = [mc.lifetime.horizonPvFiscalCost, mc.lifetime.pvFiscalCost, mc.lifetime.economicCost];
    const percentile = (pc: number) => (pc === 1 ? t('1st percentile') : pc === 50 ? t('50th percentile') : t('{n}th percentile', { n: pc }));
    monteCarlo = {
      columns: ['', t('PV fiscal cost, horizon'), t('PV fiscal cost, lifetime'), t('Economic cost, lifetime')],
      rows: [
        [t('Mean'), ...d.map((x) => f.money(x.mean))],
        ...PERCENTILES.map((pc, i) => [percentile(pc), ...d.map((x) => f.money(x.percentiles[i]!.value))]),
        ...d[0]!.tail.map((x, i) => [t('Value at risk {level}', { level: f.percent(x.level, 1) }), ...d.map((y) => f.money(y.tail[i]!.valueAtRisk))]),
        ...d[0]!.tail.map((x, i) => [t('Expected shortfall {level}', { level: f.percent(x.level, 1) }), ...d.map((y) => f.money(y.tail[i]!.expectedShortfall))]),
      ],
    };
    const byHorizon = mc.probabilityOfDepletion[mc.probabilityOfDepletion.length - 1] ?? 0;
    // Every share of paths with its 95 % Wilson interval: a sample of paths estimates it.
    const share = (x: number) => {
      const i = intervalOfShare(x, mc.paths);
      return t('{share} (95 % interval {lower}–{upper})', { share: f.percent(x, 2), lower: f.percent(i.lower, 2), upper: f.percent(i.upper, 2) });
    };
    const v = {
      years: mc.lifetime.years, lifetime: share(mc.lifetime.probabilityOfDepletion), paths: f.count(mc.paths), horizon: share(byHorizon),
      calls: share(mc.lifetime.capitalCalls.probability), mean: f.money(mc.lifetime.capitalCalls.amount.mean),
    };
    monteCarloSentence = mc.lifetime.capitalCalls.probability > 0
      ? t('Running every path’s book off to its last claim ({years} years), capital falls below zero in {lifetime} of {paths} paths, against {horizon} by the horizon; {calls} of paths need a capital call (mean {mean} a path).', v)
      : t('Running every path’s book off to its last claim ({years} years), capital falls below zero in {lifetime} of {paths} paths, against {horizon} by the horizon; no path needs a capital call.', v);
  }
  return {
    costs, cohorts, programmeSentence, breakEven, risk: riskTable, provision: provisionTable, capitalCalls,
    monteCarlo, monteCarloSentence, conventions: conventionsText(s, l),
  };
}

/** The conventions a scenario runs under, in words (as src/core/conventions.ts states them), in the page's language. */
export function conventionsText(s: Scenario, l: Localizer = ENGLISH): string[] {
  const { t } = l;
  const pct = (x: number, digits = 2) => `${Number((x * 100).toFixed(digits)).toLocaleString(l.locale, { maximumFractionDigits: digits })} %`;
  const tm = s.timing;
  const rate = s.costing.discountRate;
  const quarterly = s.period === 'quarterly';
  const lines: string[] = [];
  const defaultsWhere = { start: 'start', middle: 'middle', end: 'end' }[tm.defaults];
  lines.push(t('Periods are {period, select, quarterly {quarterly} other {annual}}; loans are originated {origination, select, start {at the start of} middle {in the middle of} other {at the end of}} a {period, select, quarterly {quarter} other {year}}, and defaults fall {defaults, select, start {at the start of} middle {spread evenly over} other {at the end of}} it.', { period: quarterly ? 'quarterly' : 'annual', origination: tm.origination, defaults: defaultsWhere }));
  lines.push(tm.newLoanRisk === 'exposure'
    ? t('A new loan bears default risk in proportion to its time on the books in its first period.')
    : t('A new loan bears the full period’s default rate in its first period (as spreadsheet models apply the annual rate to period-end outstanding).'));
  lines.push(tm.claimsInFirstYear ? t('Loans can default from origination.') : t('No loan defaults in its first twelve months.'));
  lines.push(tm.defaultBalance === 'beforeInstalment'
    ? t('A default on a payment date is claimed on the balance before that instalment.')
    : t('A default on a payment date is claimed on the balance after that instalment.'));
  const lags = { claim: s.fund.claimLagMonths, recovery: s.fund.recoveryLagMonths };
  lines.push(tm.defaults === 'middle'
    ? t('Claims are paid {claim} months after default and recoveries {recovery} months after the claim; a lag that is not a whole number of periods splits a period’s claims between two periods in proportion.', lags)
    : t('Claims are paid {claim} months after default and recoveries {recovery} months after the claim.', lags));
  const inc = { yield: pct(s.fund.investmentYield), basis: tm.investmentIncomeBasis };
  lines.push(tm.investmentIncomeExcludes === 'nothing'
    ? t('Investment income is earned at {yield} a year on {basis, select, opening {opening} closing {closing} other {average}} capital.', inc)
    : tm.investmentIncomeExcludes === 'claims'
      ? t('Investment income is earned at {yield} a year on {basis, select, opening {opening} closing {closing} other {average}} capital, with claims taken as paid at the period’s end.', inc)
      : t('Investment income is earned at {yield} a year on {basis, select, opening {opening} closing {closing} other {average}} capital, with claims and costs taken as paid at the period’s end.', inc));
  lines.push(t('The horizon view stops at the last year of lending; the lifetime view runs every cohort issued up to then to its last claim and recovery, with no new lending; fixed operating costs go on until then.'));
  lines.push(typeof rate === 'number'
    ? t('Cash flows are discounted at {rate} a year (the government’s borrowing rate), from the start of year 1; public money paid at a period’s start is discounted from that start, every other flow from the period’s end.', { rate: pct(rate) })
    : t('Cash flows are discounted on a zero-coupon curve ({curve}; linear between points, flat beyond), from the start of year 1; public money paid at a period’s start is discounted from that start, every other flow from the period’s end.', { curve: rate.map((x) => t('{years} y {rate}', { years: x.years, rate: pct(x.rate) })).join(t(', ')) }));
  const capRate = s.costing.capitalCostRate;
  lines.push(capRate !== null
    ? t('Capital tied up in the fund is charged at {rate} a year in the economic cost.', { rate: pct(capRate) })
    : typeof rate === 'number'
      ? t('Capital tied up in the fund is charged at the discount rate in the economic cost.')
      : t('Capital tied up in the fund is charged at the discount rate in the economic cost ({rate} for one year).', { rate: pct(spotRate(rate, 1)) }));
  lines.push(t('A cohort’s subsidy rate is the present value, at the start of its year, of claims less recoveries and the fees borrowers and lenders pay, net of the counter-guarantor’s share, over the amount guaranteed.'));
  lines.push(t('The break-even fee is shown on the basis: {basis}.', { basis: t(BASIS_NAMES[s.costing.breakEvenBasis]) }));
  const sup = s.support;
  if (sup.capitalCall) {
    const v = { trigger: pct(sup.capitalCall.triggerRatio), target: pct(sup.capitalCall.targetRatio), months: sup.capitalCall.lagMonths };
    lines.push(sup.capitalCall.lagMonths > 0
      ? t('When capital falls under {trigger} of outstanding guarantees, the government restores it to {target} {months} months later.', v)
      : t('When capital falls under {trigger} of outstanding guarantees, the government restores it to {target} at the start of the next period.', v));
  }
  if (sup.stateLossSharing) {
    const v = { share: pct(sup.stateLossSharing.share), threshold: pct(sup.stateLossSharing.threshold) };
    lines.push(sup.stateLossSharing.basis === 'vintage'
      ? t('The state pays {share} of claims above {threshold} of each vintage’s principal lent.', v)
      : t('The state pays {share} of claims above {threshold} of each year’s average outstanding guarantees.', v));
  }
  if (sup.feeSubsidy) lines.push(t("The government pays {share} of the fee for the first {loanYears} year(s) of loans originated in years {from}–{to}; the fund receives the full fee, and borrowers and lenders decide at the lower price (the subsidised share of the fee over the loan's life).", { share: pct(sup.feeSubsidy.share), loanYears: sup.feeSubsidy.loanYears, from: sup.feeSubsidy.fromYear, to: Math.min(sup.feeSubsidy.toYear, s.horizonYears) }));
  if (s.fund.counterGuarantee.capShareOfLending !== null) lines.push(t('The counter-guarantor pays at most {share} of the cumulative amount guaranteed.', { share: pct(s.fund.counterGuarantee.capShareOfLending) }));
  return lines;
}
