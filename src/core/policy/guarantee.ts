/**
 * Option (a) of the budget comparison: the budget capitalises a guarantee fund, modelled by the
 * existing projection (src/core/projection.ts). The base scenario is reused with the budget as
 * its initial capital, no other capital injections, the comparison's horizon, and only the
 * target stage's applicants (every other stage's applicants or direct volumes set to zero), so
 * the fund guarantees loans to the target firms only.
 *
 * The budget is the only public money: the base scenario's capital injections and support rules
 * (capital calls, state loss sharing, fee subsidies) are removed.
 *
 * Public account (basis.ts): the projection's lifetime view (costing.ts), with the scenario's
 * discount rate set to the comparison's: the budget goes in at the start; the guarantees issued
 * up to the horizon run off to their last claim and recovery with no new issuance; the capital
 * left at the end comes back to the public. The budget in use at a period's end is the capital
 * that backs the guarantees outstanding at the leverage cap plus the capital consumed:
 * outstanding ÷ leverage cap + max(0, budget − capital), at most the budget. Distinct firms are the
 * projection's: loans less the stage's repeat borrowers after the first year.
 */
import { INFLOWS, OUTFLOWS, project, type Ledger, type Summary } from '../projection.ts';
import { discountFactor, publicAccount, type PublicAccount } from './basis.ts';
import { cents, type Money, ZERO } from '../money.ts';
import { parseScenario, type Scenario } from '../schema.ts';
import { mapStages, STAGES, type Stage } from '../stages.ts';
import { withExplicitSegment, type TargetInput } from './target.ts';

export interface GuaranteeFundSetting {
  readonly budget: number;
  readonly horizonYears: number;
  readonly currency: string;
  readonly seed: number;
  readonly cyclePersistence: number;
  /** The comparison's discount rate: the scenario's costing uses it. */
  readonly discountRate: number;
}

/** The base scenario turned into the option: budget as capital, target stage only, the comparison's horizon and random settings. */
export function guaranteeFundScenario(base: Scenario, target: TargetInput, setting: GuaranteeFundSetting): Scenario {
  const s = target.kind === 'explicit' ? withExplicitSegment(base, target) : base;
  const stages = Object.fromEntries(STAGES.map((st) => [st, st === target.stage ? s.stages[st] : { ...s.stages[st], applicantsPerYear: 0 }])) as Scenario['stages'];
  let origination = s.origination;
  if (origination.mode === 'direct') {
    const volumes = origination.volumes;
    origination = { mode: 'direct', volumes: mapStages((st) => (st === target.stage ? volumes[st] : [0])) };
  }
  const candidate: Scenario = {
    ...s,
    horizonYears: setting.horizonYears,
    currency: setting.currency,
    origination,
    fund: { ...s.fund, initialCapital: setting.budget, capitalInjections: [] },
    costing: { ...s.costing, discountRate: setting.discountRate, capitalCostRate: null },
    support: { ...s.support, capitalCall: null, stateLossSharing: null, feeSubsidy: null },
    stages,
    monteCarlo: { ...s.monteCarlo, seed: setting.seed, cyclePersistence: setting.cyclePersistence },
  };
  const parsed = parseScenario(candidate);
  if (!parsed.ok) throw new Error(`the guarantee fund scenario is not valid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return parsed.value;
}

export interface GuaranteeFundYear {
  readonly year: number;
  /** The fund's ledger lines summed over the year's periods (opening of the first, closing of the last). */
  readonly ledger: Ledger;
  readonly guaranteesIssued: number;
  /** Distinct firms reached for the first time in the year (guarantees less repeat borrowers). */
  readonly firmsReached: number;
  readonly guaranteedLending: Money;
  readonly additionalLoans: number;
  readonly additionalLending: Money;
  readonly outstandingGuaranteed: Money;
  /** The fund's capital at the year's end. */
  readonly valueLeft: Money;
}

export interface GuaranteeFundLedger {
  readonly scenario: Scenario;
  readonly stage: Stage;
  readonly years: readonly GuaranteeFundYear[];
  readonly summary: Summary;
  /** Interest plus guarantee fee of the target stage's guaranteed loans; null when none are made. */
  readonly borrowerAllInRate: number | null;
  readonly account: PublicAccount;
  /** Guarantees demanded that the fund had no capital for, in loans (rationed amount ÷ average guaranteed amount per loan). */
  readonly loansRationed: number;
}

export function simulateGuaranteeFund(s: Scenario, stage: Stage): GuaranteeFundLedger {
  const p = project(s);
  const budget = s.fund.initialCapital;
  let peakInUse = 0;
  for (const r of p.periods) {
    const inUse = r.outstandingGuaranteed.toNumber() / s.fund.leverageCap + Math.max(0, budget - r.ledger.closing.toNumber());
    peakInUse = Math.max(peakInUse, inUse);
  }
  const years: GuaranteeFundYear[] = [];
  for (let y = 1; y <= s.horizonYears; y++) {
    const rows = p.periods.filter((r) => r.year === y);
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const lines = Object.fromEntries([...INFLOWS, ...OUTFLOWS].map((k) => [k, rows.reduce((a, r) => a.plus(r.ledger[k]), ZERO)])) as Record<(typeof INFLOWS)[number] | (typeof OUTFLOWS)[number], Money>;
    years.push({
      year: y,
      ledger: { opening: first.ledger.opening, ...lines, closing: last.ledger.closing, feeSubsidies: rows.reduce((a, r) => a.plus(r.ledger.feeSubsidies), ZERO) },
      guaranteesIssued: rows.reduce((a, r) => a + r.byStage[stage].newLoans, 0),
      firmsReached: rows.reduce((a, r) => a + r.byStage[stage].newLoans, 0) * (y === 1 ? 1 : 1 - s.stages[stage].repeatBorrowerShare),
      guaranteedLending: rows.reduce((a, r) => a.plus(r.byStage[stage].newPrincipal), ZERO),
      additionalLoans: rows.reduce((a, r) => a + r.byStage[stage].additionalLoans, 0),
      additionalLending: rows.reduce((a, r) => a.plus(r.byStage[stage].additionalPrincipal), ZERO),
      outstandingGuaranteed: last.outstandingGuaranteed,
      valueLeft: cents(last.ledger.closing),
    });
  }
  const lending = p.lending.find((l) => l.stage === stage);
  const issued = p.periods.reduce((a, r) => a + r.newLoans, 0);
  const guaranteed = p.periods.reduce((a, r) => a + r.newGuaranteed.toNumber(), 0);
  const rationed = p.summary.totalRationed.toNumber();
  const lifetime = p.costing.lifetime;
  const rate = typeof s.costing.discountRate === 'number' ? s.costing.discountRate : 0;
  const pvReturned = lifetime.capitalLeft.toNumber() * discountFactor(rate, lifetime.years);
  return {
    scenario: s, stage, years, summary: p.summary, borrowerAllInRate: lending?.borrowerRateWith ?? null,
    account: publicAccount(lifetime.pvFiscalCost.plus(cents(pvReturned)), cents(pvReturned), Math.max(0, lifetime.years - s.horizonYears), peakInUse, budget),
    loansRationed: rationed > 0 ? rationed / (issued > 0 && guaranteed > 0 ? guaranteed / issued : Math.max(1e-9, s.stages[stage].loanSize * s.guarantee.coverageRatio)) : 0,
  };
}
