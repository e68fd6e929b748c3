/**
 * What the programme costs the government, as a budget office would cost it.
 *
 * Two views: the horizon (capital at the end of the projection) and the lifetime (every cohort
 * of guarantees issued up to the horizon run to its last claim and recovery, with no new
 * lending after it). Three measures in each:
 *   - cash fiscal cost: public money put in (initial capital, injections, capital calls, state
 *     compensation, fee subsidies) minus the capital left, undiscounted;
 *   - PV fiscal cost: the same flows discounted at the government's borrowing rate;
 *   - economic cost: the present value of the fund's net outflows (claims, costs, premiums,
 *     less recoveries and the fees borrowers and lenders pay) plus the return the government
 *     forgoes on the capital tied up in the fund, net of the fund's investment income.
 * With the capital charged at the discount rate the last two are equal (an identity the tests
 * check): discounting already charges the capital at the government's rate.
 *
 * Timing: public money paid at a period's start (initial capital, injections, capital calls)
 * is discounted from that start; every other flow of a period from its end.
 *
 * Cohorts (credit-reform costing): each year's cohort of guarantees is costed over its whole
 * life at the present value, at the start of its year of origination, of claims less
 * recoveries and the fees paid by borrowers or lenders, net of the counter-guarantor's share
 * (before any cap on the counter-guarantor's total); the subsidy rate is that cost over the
 * amount guaranteed. State compensation moves money between two public purses and leaves it out.
 */
import { discountFactor } from './discount.ts';
import type { CohortFlows } from './engine.ts';
import { cents, Decimal, type Money, ZERO } from './money.ts';
import type { Plan } from './plan.ts';
import type { PeriodResult } from './period-result.ts';
import { STAGE_COUNT, STAGES } from './stages.ts';

/** What the costing reads of the projection's summary (its totals at the horizon). */
export interface CostingSummary {
  readonly firmsSupported: number;
  readonly additionalLoans: number;
  readonly additionalLending: Money;
  readonly outstandingGuaranteedAtHorizon: Money;
  readonly pendingClaims: Money;
  readonly pendingRecoveries: Money;
}

export interface CohortCost {
  /** Year of origination (1-based). */
  readonly year: number;
  readonly loans: number;
  readonly guaranteed: Money;
  /** Over the cohort's life, undiscounted, net of the counter-guarantor's share. */
  readonly claims: Money;
  readonly recoveries: Money;
  /** Fees paid by borrowers or lenders (the government's fee subsidy excluded). */
  readonly fees: Money;
  readonly feeSubsidies: Money;
  readonly operatingCosts: Money;
  /** Present values at the start of the cohort's year. */
  readonly pvClaims: Money;
  readonly pvRecoveries: Money;
  readonly pvFees: Money;
  readonly pvOperatingCosts: Money;
  /** PV(claims − recoveries − fees): the credit-reform subsidy cost. */
  readonly subsidyCost: Money;
  readonly subsidyRate: number | null;
  /** The subsidy cost plus the PV of the cohort's operating costs and reinsurance premiums. */
  readonly costWithOperatingCosts: Money;
  /** (claims − recoveries) / amount guaranteed, undiscounted. */
  readonly expectedLifetimeLoss: number | null;
}

export interface CostView {
  readonly view: 'horizon' | 'lifetime';
  /** Years the view covers. */
  readonly years: number;
  readonly publicMoney: Money;
  readonly capitalLeft: Money;
  readonly capitalCalls: Money;
  readonly stateCompensation: Money;
  readonly feeSubsidies: Money;
  readonly cashFiscalCost: Money;
  readonly pvFiscalCost: Money;
  /** PV of investment income and of the return forgone on the capital. */
  readonly investmentIncome: Money;
  readonly forgoneReturnOnCapital: Money;
  readonly economicCost: Money;
  readonly economicCostPerFirm: Money | null;
  readonly economicCostPerAdditionalLoan: Money | null;
  readonly economicCostPerUnitAdditionalLending: number | null;
}

export interface Provision {
  /** Guarantees outstanding at the horizon. */
  readonly outstandingGuaranteed: Money;
  /** Claims on defaults before the horizon, not yet paid at the horizon (a liability). */
  readonly claimsIncurredNotPaid: Money;
  /** Recoveries still to come at the horizon on claims paid or incurred before it (an asset). */
  readonly recoveriesReceivable: Money;
  /** Expected net loss on the book outstanding at the horizon from defaults in the next twelve months, discounted to the horizon. */
  readonly twelveMonthExpectedLoss: Money;
  /** The same over the book's remaining life. */
  readonly lifetimeExpectedLoss: Money;
}

export interface Costing {
  readonly horizon: CostView;
  readonly lifetime: CostView;
  readonly cohorts: readonly CohortCost[];
  readonly programme: {
    /** Cohorts' subsidy costs discounted to the start of year 1. */
    readonly subsidyCost: Money;
    readonly costWithOperatingCosts: Money;
    /** PV of subsidy costs / PV of amounts guaranteed. */
    readonly subsidyRate: number | null;
    readonly perFirm: Money | null;
    readonly perAdditionalLoan: Money | null;
    readonly perUnitAdditionalLending: number | null;
  };
  readonly provision: Provision;
  /** Capital calls paid, lifetime. */
  readonly capitalCalls: readonly { readonly label: string; readonly amount: Money }[];
}

const dec = (x: number) => new Decimal(x);
const sum = (rows: readonly PeriodResult[], pick: (r: PeriodResult) => Money) => rows.reduce((a, r) => a.plus(pick(r)), ZERO);
const per = (amount: Money, n: number) => (n > 0 ? cents(amount.div(n)) : null);

/** The fund's net outflow to the world outside government in a period (O_t in the module comment). */
function privateNetOutflow(r: PeriodResult): Money {
  const l = r.ledger;
  const privateFees = l.upfrontFees.plus(l.annualFees).minus(l.feeSubsidies);
  return l.claimsPaid.plus(l.operatingCosts).plus(l.reinsurancePremiums).plus(l.recoveriesPassedToReinsurer)
    .minus(l.recoveries).minus(l.reinsuranceRecoveries).minus(privateFees);
}

function costView(plan: Plan, rows: readonly PeriodResult[], view: CostView['view'], summary: CostingSummary): CostView {
  const initial = cents(plan.scenario.fund.initialCapital);
  let pvFiscal: Decimal = initial;
  let economic: Decimal = ZERO;
  let income: Decimal = ZERO;
  let forgone: Decimal = ZERO;
  rows.forEach((r, t) => {
    const l = r.ledger;
    const start = dec(plan.discountStart[t]!);
    const end = dec(plan.discountEnd[t]!);
    const atStart = l.capitalInjection.plus(l.capitalCalls);
    pvFiscal = pvFiscal.plus(atStart.times(start)).plus(l.stateCompensation.plus(l.feeSubsidies).times(end));
    const capitalHeld = l.opening.plus(atStart).times(plan.capitalCharge[t]!).times(end);
    forgone = forgone.plus(capitalHeld);
    income = income.plus(l.investmentIncome.times(end));
    economic = economic.plus(privateNetOutflow(r).times(end));
  });
  const last = rows[rows.length - 1]!;
  const capitalLeft = last.ledger.closing;
  pvFiscal = pvFiscal.minus(capitalLeft.times(plan.discountEnd[rows.length - 1]!));
  economic = economic.plus(forgone).minus(income);
  const capitalCalls = sum(rows, (r) => r.ledger.capitalCalls);
  const stateCompensation = sum(rows, (r) => r.ledger.stateCompensation);
  const feeSubsidies = sum(rows, (r) => r.ledger.feeSubsidies);
  const publicMoney = initial.plus(sum(rows, (r) => r.ledger.capitalInjection)).plus(capitalCalls).plus(stateCompensation).plus(feeSubsidies);
  return {
    view,
    years: rows.length / plan.periodsPerYear,
    publicMoney,
    capitalLeft,
    capitalCalls,
    stateCompensation,
    feeSubsidies,
    cashFiscalCost: publicMoney.minus(capitalLeft),
    pvFiscalCost: cents(pvFiscal),
    investmentIncome: cents(income),
    forgoneReturnOnCapital: cents(forgone),
    economicCost: cents(economic),
    economicCostPerFirm: per(economic, summary.firmsSupported),
    economicCostPerAdditionalLoan: per(economic, summary.additionalLoans),
    economicCostPerUnitAdditionalLending: summary.additionalLending.greaterThan(0) ? economic.div(summary.additionalLending).toNumber() : null,
  };
}

/** Each year's cohort over its life, from the flows the engine kept per vintage. */
function cohortCosts(plan: Plan, rows: readonly PeriodResult[], flows: CohortFlows): CohortCost[] {
  const s = plan.scenario;
  const { dt, periodsPerYear: ppy } = plan;
  const reinsured = s.fund.counterGuarantee.share;
  const premium = s.fund.counterGuarantee.premiumRate * reinsured;
  const costShare = s.fund.operatingCosts.shareOfOutstanding;
  const { subsidyPeriods, subsidyBoundaryWeight } = plan.runoff;
  const result: CohortCost[] = [];
  for (let year = 1; year <= s.horizonYears; year++) {
    const first = (year - 1) * ppy;
    const base = plan.discountStart[first]!;
    let loans = 0;
    let guaranteed = 0;
    const nominal = { claims: 0, recoveries: 0, fees: 0, subsidies: 0, costs: 0 };
    const pv = { claims: 0, recoveries: 0, fees: 0, costs: 0 };
    for (let o = first; o < first + ppy; o++) {
      const row = rows[o]!;
      let upfront = 0;
      let upfrontSubsidy = 0;
      for (let si = 0; si < STAGE_COUNT; si++) {
        const n = row.byStage[STAGES[si]!].newLoans;
        loans += n;
        guaranteed += n * plan.loanSize[si]! * plan.coverage[si]!;
        const fee = row.upfrontFeesByStage[si]!;
        upfront += fee;
        upfrontSubsidy += fee * plan.feeSubsidyShare[o * STAGE_COUNT + si]!;
      }
      const perNew = s.fund.operatingCosts.perNewGuarantee * rows[o]!.newLoans;
      const dfOrigin = plan.discountEnd[o]! / base;
      nominal.fees += upfront - upfrontSubsidy;
      nominal.subsidies += upfrontSubsidy;
      nominal.costs += perNew;
      pv.fees += (upfront - upfrontSubsidy) * dfOrigin;
      pv.costs += perNew * dfOrigin;
      for (let p = o; p < plan.totalPeriods; p++) {
        const df = plan.discountEnd[p]! / base;
        const at = o * flows.stride + p;
        const claims = (1 - reinsured) * flows.claims[at]!;
        const recoveries = (1 - reinsured) * flows.recoveries[at]!;
        let exposure = 0;
        let fees = 0;
        let subsidy = 0;
        const adjustment = rows[p]?.feeAdjustment ?? 1;
        for (let si = 0; si < STAGE_COUNT; si++) {
          exposure += flows.exposure[at * STAGE_COUNT + si]!;
          const fee = flows.fees[at * STAGE_COUNT + si]! * dt * adjustment;
          fees += fee;
          const covered = p - o < subsidyPeriods ? 1 : p - o === subsidyPeriods ? subsidyBoundaryWeight : 0;
          subsidy += fee * plan.feeSubsidyShare[o * STAGE_COUNT + si]! * covered;
        }
        const costs = (costShare + premium) * exposure * dt;
        nominal.claims += claims;
        nominal.recoveries += recoveries;
        nominal.fees += fees - subsidy;
        nominal.subsidies += subsidy;
        nominal.costs += costs;
        pv.claims += claims * df;
        pv.recoveries += recoveries * df;
        pv.fees += (fees - subsidy) * df;
        pv.costs += costs * df;
      }
    }
    const subsidyCost = pv.claims - pv.recoveries - pv.fees;
    result.push({
      year,
      loans,
      guaranteed: cents(guaranteed),
      claims: cents(nominal.claims),
      recoveries: cents(nominal.recoveries),
      fees: cents(nominal.fees),
      feeSubsidies: cents(nominal.subsidies),
      operatingCosts: cents(nominal.costs),
      pvClaims: cents(pv.claims),
      pvRecoveries: cents(pv.recoveries),
      pvFees: cents(pv.fees),
      pvOperatingCosts: cents(pv.costs),
      subsidyCost: cents(subsidyCost),
      subsidyRate: guaranteed > 0 ? subsidyCost / guaranteed : null,
      costWithOperatingCosts: cents(subsidyCost + pv.costs),
      expectedLifetimeLoss: guaranteed > 0 ? (nominal.claims - nominal.recoveries) / guaranteed : null,
    });
  }
  return result;
}

/**
 * Expected net loss of the book outstanding at the horizon, from the run-off's defaults: each
 * claim discounted to the horizon from when it is paid (the claim lag after the end of its
 * defaults' period, as every flow is discounted from a period's end) and its recovery from when
 * that comes (the recovery lag later), net of the counter-guarantor's share.
 */
function provisionAt(plan: Plan, runoff: readonly PeriodResult[], summary: CostingSummary): Provision {
  const s = plan.scenario;
  const rate = s.costing.discountRate;
  const horizon = plan.periods * plan.dt;
  const kept = 1 - s.fund.counterGuarantee.share;
  const df = (years: number) => discountFactor(rate, years) / discountFactor(rate, horizon);
  let twelve = 0;
  let lifetime = 0;
  runoff.forEach((r, i) => {
    const paid = horizon + (i + 1) * plan.dt + s.fund.claimLagMonths / 12;
    const claims = r.claimsIncurred.toNumber() * kept;
    const loss = claims * df(paid) - claims * plan.meanRecoveryRate * df(paid + s.fund.recoveryLagMonths / 12);
    lifetime += loss;
    if (i < plan.periodsPerYear) twelve += loss;
  });
  return {
    outstandingGuaranteed: summary.outstandingGuaranteedAtHorizon,
    claimsIncurredNotPaid: summary.pendingClaims,
    recoveriesReceivable: summary.pendingRecoveries,
    twelveMonthExpectedLoss: cents(twelve),
    lifetimeExpectedLoss: cents(lifetime),
  };
}

export function costProgramme(plan: Plan, rows: readonly PeriodResult[], flows: CohortFlows, summary: CostingSummary): Costing {
  const horizonRows = rows.slice(0, plan.periods);
  const cohorts = cohortCosts(plan, rows, flows);
  let subsidyCost = 0;
  let withCosts = 0;
  let guaranteed = 0;
  for (const c of cohorts) {
    const df = plan.discountStart[(c.year - 1) * plan.periodsPerYear]!;
    subsidyCost += c.subsidyCost.toNumber() * df;
    withCosts += c.costWithOperatingCosts.toNumber() * df;
    guaranteed += c.guaranteed.toNumber() * df;
  }
  const programmeCost = dec(subsidyCost);
  return {
    horizon: costView(plan, horizonRows, 'horizon', summary),
    lifetime: costView(plan, rows, 'lifetime', summary),
    cohorts,
    programme: {
      subsidyCost: cents(subsidyCost),
      costWithOperatingCosts: cents(withCosts),
      subsidyRate: guaranteed > 0 ? subsidyCost / guaranteed : null,
      perFirm: per(programmeCost, summary.firmsSupported),
      perAdditionalLoan: per(programmeCost, summary.additionalLoans),
      perUnitAdditionalLending: summary.additionalLending.greaterThan(0) ? programmeCost.div(summary.additionalLending).toNumber() : null,
    },
    provision: provisionAt(plan, rows.slice(plan.periods), summary),
    capitalCalls: rows.filter((r) => r.ledger.capitalCalls.greaterThan(0)).map((r) => ({ label: r.label, amount: r.ledger.capitalCalls })),
  };
}
