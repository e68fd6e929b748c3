/**
 * The deterministic projection: expected defaults at the unconditional PD, run through the
 * period engine, with the fund's ledger kept in decimal to the cent. Every ledger line is the
 * engine's float flow rounded to the cent; closing = opening + inflows − outflows is then
 * computed in decimal, so it holds exactly, and the decimal closing capital is what the next
 * period's capacity sees.
 */
import { lendingByStage, type StageLending } from './additionality.ts';
import { emptyFlows, PortfolioState, type DefaultModel, type PeriodFlows } from './engine.ts';
import { inverseNormalCdf, normalCdf } from './math/normal.ts';
import { costProgramme, type Costing } from './costing.ts';
import { cents, Decimal, type Money, ZERO } from './money.ts';
import { buildPlan, type Plan } from './plan.ts';
import type { Scenario } from './schema.ts';
import { mapStages, STAGES, type ByStage } from './stages.ts';


export const INFLOWS = ['capitalInjection', 'capitalCalls', 'stateCompensation', 'upfrontFees', 'annualFees', 'investmentIncome', 'recoveries', 'reinsuranceRecoveries'] as const;
export const OUTFLOWS = ['claimsPaid', 'operatingCosts', 'reinsurancePremiums', 'recoveriesPassedToReinsurer'] as const;



export type { CapitalStatus, Ledger, PeriodResult, StagePeriod } from './period-result.ts';
import type { CapitalStatus, Ledger, PeriodResult } from './period-result.ts';

export interface Summary {
  readonly initialCapital: Money;
  readonly totalInjections: Money;
  readonly closingCapital: Money;
  readonly minimumCapital: Money;
  /** First year whose closing capital is below zero; null when the fund never runs out. */
  readonly depletionYear: number | null;
  /** First year in which the fund had to stop or ration issuance for lack of capital. */
  readonly firstRationingYear: number | null;
  readonly totalFeeIncome: Money;
  readonly totalInvestmentIncome: Money;
  readonly totalClaimsPaid: Money;
  readonly totalRecoveries: Money;
  readonly totalOperatingCosts: Money;
  readonly totalRationed: Money;
  /** Claims and recoveries falling due after the horizon on defaults before it. */
  readonly pendingClaims: Money;
  readonly pendingRecoveries: Money;
  readonly outstandingGuaranteedAtHorizon: Money;
  /** Distinct firms: a firm that borrows again is one firm and two loans (see the stages' repeat-borrower share). */
  readonly firmsSupported: number;
  readonly firmsSupportedByStage: ByStage<number>;
  /** Guaranteed loans issued. */
  readonly loansGuaranteed: number;
  readonly loansGuaranteedByStage: ByStage<number>;
  readonly totalCapitalCalls: Money;
  readonly totalStateCompensation: Money;
  readonly totalFeeSubsidies: Money;
  readonly guaranteedLending: Money;
  readonly additionalLending: Money;
  readonly additionalLoans: number;
  readonly substitutedLending: Money;
  readonly additionalLendingByStage: ByStage<Money>;
  /**
   * Cash fiscal cost at the horizon: public money put in (initial capital, injections, capital
   * calls, state compensation, fee subsidies) − capital at the horizon (negative = the fund grew).
   */
  readonly fiscalCost: Money;
  readonly fiscalCostPerFirm: Money | null;
  readonly fiscalCostPerAdditionalLoan: Money | null;
  /** Fiscal cost per unit of additional lending (a ratio). */
  readonly fiscalCostPerUnitAdditionalLending: number | null;
  readonly peakLeverage: number | null;
  readonly leverageAtHorizon: number | null;
  readonly capitalAdequacyAtHorizon: number | null;
  readonly selfSufficiency: number | null;
  readonly lossRatio: number | null;
  readonly claimsRatio: number | null;
}

export interface Projection {
  readonly scenario: Scenario;
  /** Periods up to the horizon. */
  readonly periods: readonly PeriodResult[];
  /** Periods after the horizon: the book runs off with no new lending (the lifetime view's tail). */
  readonly runoff: readonly PeriodResult[];
  readonly summary: Summary;
  /** Horizon and lifetime costs, present values, cohorts' subsidy rates, the provision at the horizon. */
  readonly costing: Costing;
  /** One year's applicants: lending with and without the guarantee, by stage. */
  readonly lending: readonly StageLending[];
}

/**
 * Expected defaults. In a normal year the PD is the unconditional one. In a stressed year the
 * systematic factor is N(m, 1) instead of N(0, 1), and the expected default rate is then
 * E[p(Z)] = Φ(Φ⁻¹(PD) − √ρ m) (integrate the Vasicek conditional PD over Z), so the projection
 * is the mean of the Monte Carlo paths for any correlation. Recoveries move with the factor's
 * mean the same way they move with Z in Monte Carlo.
 */
export function expectedDefaults(plan: Plan): DefaultModel {
  const s = plan.scenario;
  const stressed = new Float64Array(plan.pd.length);
  return {
    annualPd: (t, out) => {
      const shift = plan.stressShift[Math.floor(t / plan.periodsPerYear)] ?? 0;
      if (shift === 0) return out.set(plan.pd);
      plan.pd.forEach((pd, i) => {
        const rho = plan.correlation[Math.floor(i / plan.grades)]!;
        stressed[i] = pd <= 0 || pd >= 1 ? pd : normalCdf(inverseNormalCdf(pd) - Math.sqrt(rho) * shift);
      });
      out.set(stressed);
    },
    issued: (n) => n,
    defaultCount: 'expected',
    recoveryFactor: (t) => 1 + s.monteCarlo.downturnLgdSensitivity * (plan.stressShift[Math.floor(t / plan.periodsPerYear)] ?? 0),
  };
}

/** Claims net of recoveries and of the counter-guarantor's share: the fund's own loss. */
function netClaimsOf(f: { claimsPaid: number; recoveries: number; reinsuranceRecoveries: number; recoveriesPassedToReinsurer: number }): number {
  return f.claimsPaid - f.recoveries - f.reinsuranceRecoveries + f.recoveriesPassedToReinsurer;
}

const ratio = (num: number, den: number): number | null => (den > 0 && Number.isFinite(num / den) ? num / den : null);

export function periodLabel(plan: Plan, t: number): string {
  const year = Math.floor(t / plan.periodsPerYear) + 1;
  return plan.periodsPerYear === 1 ? `Y${year}` : `Y${year} Q${(t % plan.periodsPerYear) + 1}`;
}

function ledgerOf(opening: Money, f: PeriodFlows): Ledger {
  const lines = {
    capitalInjection: cents(f.capitalInjection), capitalCalls: cents(f.capitalCalls), stateCompensation: cents(f.stateCompensation),
    upfrontFees: cents(f.upfrontFees), annualFees: cents(f.annualFees),
    investmentIncome: cents(f.investmentIncome), recoveries: cents(f.recoveries), reinsuranceRecoveries: cents(f.reinsuranceRecoveries),
    claimsPaid: cents(f.claimsPaid), operatingCosts: cents(f.operatingCosts), reinsurancePremiums: cents(f.reinsurancePremiums),
    recoveriesPassedToReinsurer: cents(f.recoveriesPassedToReinsurer),
  };
  const inflow = INFLOWS.reduce((a, k) => a.plus(lines[k]), ZERO);
  const outflow = OUTFLOWS.reduce((a, k) => a.plus(lines[k]), ZERO);
  return { opening, ...lines, closing: opening.plus(inflow).minus(outflow), feeSubsidies: cents(f.feeSubsidies) };
}

function capitalStatusOf(plan: Plan, E: number, G: number): CapitalStatus {
  const f = plan.scenario.fund;
  if (E <= 0 || (G > 0 && E < f.minCapitalRatio * G)) return 'exhausted';
  return G > f.leverageCap * E ? 'aboveCap' : 'normal';
}

/**
 * Runs the plan with a default model over every period (the run-off after the horizon
 * included); the deterministic projection and tests use it. Keeps each cohort's flows.
 */
export function runLedger(plan: Plan, model: DefaultModel): { periods: PeriodResult[]; state: PortfolioState } {
  const state = new PortfolioState(plan, true);
  const f = emptyFlows();
  const periods: PeriodResult[] = [];
  let capital = cents(plan.scenario.fund.initialCapital);
  for (let t = 0; t < plan.totalPeriods; t++) {
    state.step(t, capital.toNumber(), model, f);
    const ledger = ledgerOf(capital, f);
    capital = ledger.closing;
    const E = ledger.closing.toNumber();
    const G = f.outstandingGuaranteed;
    const fees = f.upfrontFees + f.annualFees;
    const netClaims = netClaimsOf(f);
    periods.push({
      period: t + 1,
      year: Math.floor(t / plan.periodsPerYear) + 1,
      label: periodLabel(plan, t),
      ledger,
      outstandingGuaranteed: cents(G),
      outstandingPrincipal: cents(f.outstandingPrincipal),
      averageOutstandingGuaranteed: cents(f.averageOutstandingGuaranteed),
      demandGuaranteed: cents(f.demandGuaranteed),
      newGuaranteed: cents(f.newGuaranteed),
      rationedGuaranteed: cents(f.rationedGuaranteed),
      claimsIncurred: cents(f.claimsIncurred),
      claimsCapped: cents(f.claimsCapped),
      newLoans: f.newLoans,
      defaults: f.defaults,
      upfrontFeesByStage: Array.from(f.upfrontFeesByStage),
      feeAdjustment: f.feeAdjustment,
      leverage: E > 0 ? G / E : null,
      capitalStatus: capitalStatusOf(plan, E, G),
      capitalAdequacyRatio: ratio(E, G),
      claimsRatio: ratio(f.claimsPaid / plan.dt, f.averageOutstandingGuaranteed),
      lossRatio: ratio(netClaims, fees),
      selfSufficiency: ratio(fees + f.investmentIncome, netClaims + f.operatingCosts + f.reinsurancePremiums),
      byStage: mapStages((_, si) => ({
        newLoans: f.newLoansByStage[si]!,
        newPrincipal: cents(f.newPrincipalByStage[si]!),
        additionalLoans: f.additionalLoansByStage[si]!,
        additionalPrincipal: cents(f.additionalLoansByStage[si]! * plan.loanSize[si]!),
        defaults: f.defaultsByStage[si]!,
      })),
    });
  }
  return { periods, state };
}

const total = (rows: readonly PeriodResult[], pick: (r: PeriodResult) => Money): Money => rows.reduce((a, r) => a.plus(pick(r)), ZERO);

export function summarise(plan: Plan, periods: readonly PeriodResult[], state: PortfolioState): Summary {
  const s = plan.scenario;
  const initialCapital = cents(s.fund.initialCapital);
  const totalInjections = total(periods, (r) => r.ledger.capitalInjection);
  const last = periods[periods.length - 1]!;
  const closingCapital = last.ledger.closing;
  const fees = total(periods, (r) => r.ledger.upfrontFees.plus(r.ledger.annualFees));
  const investment = total(periods, (r) => r.ledger.investmentIncome);
  const claims = total(periods, (r) => r.ledger.claimsPaid);
  const recoveries = total(periods, (r) => r.ledger.recoveries);
  const costs = total(periods, (r) => r.ledger.operatingCosts);
  const loansGuaranteedByStage = mapStages((st) => periods.reduce((a, r) => a + r.byStage[st].newLoans, 0));
  const loansGuaranteed = STAGES.reduce((a, st) => a + loansGuaranteedByStage[st], 0);
  // After the first year a share of each stage's loans goes to firms already served.
  const firmsSupportedByStage = mapStages((st) =>
    periods.reduce((a, r) => a + r.byStage[st].newLoans * (r.year === 1 ? 1 : 1 - s.stages[st].repeatBorrowerShare), 0));
  const firmsSupported = STAGES.reduce((a, st) => a + firmsSupportedByStage[st], 0);
  const totalCapitalCalls = total(periods, (r) => r.ledger.capitalCalls);
  const totalStateCompensation = total(periods, (r) => r.ledger.stateCompensation);
  const totalFeeSubsidies = total(periods, (r) => r.ledger.feeSubsidies);
  const additionalLendingByStage = mapStages((st) => total(periods, (r) => r.byStage[st].additionalPrincipal));
  const additionalLending = STAGES.reduce((a, st) => a.plus(additionalLendingByStage[st]), ZERO);
  const additionalLoans = periods.reduce((a, r) => a + STAGES.reduce((b, st) => b + r.byStage[st].additionalLoans, 0), 0);
  const guaranteedLending = total(periods, (r) => STAGES.reduce((a, st) => a.plus(r.byStage[st].newPrincipal), ZERO));
  const fiscalCost = initialCapital.plus(totalInjections).plus(totalCapitalCalls).plus(totalStateCompensation).plus(totalFeeSubsidies).minus(closingCapital);
  const pending = state.horizonPending;
  const net = (k: 'claimsPaid' | 'recoveries' | 'reinsuranceRecoveries' | 'recoveriesPassedToReinsurer') => total(periods, (r) => r.ledger[k]).toNumber();
  const netClaims = netClaimsOf({ claimsPaid: net('claimsPaid'), recoveries: net('recoveries'), reinsuranceRecoveries: net('reinsuranceRecoveries'), recoveriesPassedToReinsurer: net('recoveriesPassedToReinsurer') });
  const premiums = total(periods, (r) => r.ledger.reinsurancePremiums).toNumber();
  const leverages = periods.map((r) => r.leverage).filter((x): x is number => x !== null);
  const exposureYears = periods.reduce((a, r) => a + r.averageOutstandingGuaranteed.toNumber() * plan.dt, 0);
  const firstBelow = periods.find((r) => r.ledger.closing.isNegative());
  const firstRationed = periods.find((r) => r.rationedGuaranteed.greaterThan(0.005));
  return {
    initialCapital,
    totalInjections,
    closingCapital,
    minimumCapital: periods.reduce((m, r) => Decimal.min(m, r.ledger.closing), initialCapital),
    depletionYear: firstBelow ? firstBelow.year : null,
    firstRationingYear: firstRationed ? firstRationed.year : null,
    totalFeeIncome: fees,
    totalInvestmentIncome: investment,
    totalClaimsPaid: claims,
    totalRecoveries: recoveries,
    totalOperatingCosts: costs,
    totalRationed: total(periods, (r) => r.rationedGuaranteed),
    pendingClaims: cents(pending.claims),
    pendingRecoveries: cents(pending.recoveries),
    outstandingGuaranteedAtHorizon: last.outstandingGuaranteed,
    firmsSupported,
    firmsSupportedByStage,
    loansGuaranteed,
    loansGuaranteedByStage,
    totalCapitalCalls,
    totalStateCompensation,
    totalFeeSubsidies,
    guaranteedLending,
    additionalLending,
    additionalLoans,
    substitutedLending: guaranteedLending.minus(additionalLending),
    additionalLendingByStage,
    fiscalCost,
    fiscalCostPerFirm: firmsSupported > 0 ? cents(fiscalCost.div(firmsSupported)) : null,
    fiscalCostPerAdditionalLoan: additionalLoans > 0 ? cents(fiscalCost.div(additionalLoans)) : null,
    fiscalCostPerUnitAdditionalLending: additionalLending.greaterThan(0) ? fiscalCost.div(additionalLending).toNumber() : null,
    peakLeverage: leverages.length ? Math.max(...leverages) : null,
    leverageAtHorizon: last.leverage,
    capitalAdequacyAtHorizon: last.capitalAdequacyRatio,
    selfSufficiency: ratio(fees.plus(investment).toNumber(), netClaims + costs.toNumber() + premiums),
    lossRatio: ratio(netClaims, fees.toNumber()),
    claimsRatio: ratio(claims.toNumber(), exposureYears),
  };
}

export function project(scenario: Scenario): Projection {
  const plan = buildPlan(scenario);
  const { periods: all, state } = runLedger(plan, expectedDefaults(plan));
  const periods = all.slice(0, plan.periods);
  const summary = summarise(plan, periods, state);
  return {
    scenario,
    periods,
    runoff: all.slice(plan.periods),
    summary,
    costing: costProgramme(plan, all, state.cohorts!, summary),
    lending: lendingByStage(scenario, plan.decisions),
  };
}
