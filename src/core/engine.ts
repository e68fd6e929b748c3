/**
 * The period engine: the mechanics of the guaranteed portfolio and the fund, one period at a
 * time, in float64. The deterministic projection and the Monte Carlo paths both run it; they
 * differ only in the default model they pass in (expected defaults at the unconditional PD,
 * or binomial draws at a PD conditional on the business cycle). This is the hot loop: typed
 * arrays, no allocation per period, no decimal arithmetic. Money crosses into decimal.js in
 * the projection's ledger.
 *
 * Order of events within period t:
 *   1. scheduled capital injection;
 *   2. the existing book runs off: defaults on every live vintage (claims = coverage × balance
 *      at default, within the vintage's loss cap), paid after the claim lag and not before the
 *      vintage's lock-in ends, recoveries after their lag; amortisation, stage transitions, exits;
 *   3. capacity: new guarantees may bring outstanding guarantees at the period's end up to the
 *      leverage cap on capital; issuing stops when capital is gone or under the minimum capital
 *      ratio of the opening book; demand above capacity is rationed pro rata;
 *   4. originations (upfront fee) and the new vintage's own first period of run-off;
 *   5. annual fee, operating costs and reinsurance premium on the period's average outstanding
 *      guarantees; claims and recoveries falling due; investment income.
 */
import type { Plan } from './plan.ts';
import { STAGE_COUNT } from './stages.ts';

/** How defaults happen in a period: the deterministic projection and Monte Carlo each give one. */
export interface DefaultModel {
  /** Annual PD of a guaranteed loan per (stage, grade) for period t, written into `out`. */
  annualPd(t: number, out: Float64Array): void;
  /** Loans issued in a bucket whose expected count is `n`. */
  issued(n: number): number;
  /**
   * Defaults among `n` live loans with period default probability `p`. `pdSlot` names the
   * entry of the period's PD tables that `p` comes from, the same for every vintage and
   * period until the PDs change; −1 when `p` belongs to this bucket alone (a stage mix).
   */
  defaults(n: number, p: number, pdSlot: number): number;
  /** Share of a claim arising in period t that will be recovered. */
  recoveryRate(t: number): number;
}

/** Everything that flows in one period. Amounts in money, counts in loans. */
export interface PeriodFlows {
  capitalInjection: number;
  upfrontFees: number;
  annualFees: number;
  investmentIncome: number;
  claimsPaid: number;
  recoveries: number;
  operatingCosts: number;
  reinsuranceRecoveries: number;
  reinsurancePremiums: number;
  recoveriesPassedToReinsurer: number;
  /** Claims arising from this period's defaults (paid now or later). */
  claimsIncurred: number;
  /** Claims refused because a vintage reached its portfolio loss cap. */
  claimsCapped: number;
  demandGuaranteed: number;
  newGuaranteed: number;
  rationedGuaranteed: number;
  newLoans: number;
  newPrincipal: number;
  defaults: number;
  averageOutstandingGuaranteed: number;
  outstandingGuaranteed: number;
  outstandingPrincipal: number;
  /** Per stage (by the stage at origination). */
  newLoansByStage: Float64Array;
  newPrincipalByStage: Float64Array;
  additionalLoansByStage: Float64Array;
  defaultsByStage: Float64Array;
}

export function emptyFlows(): PeriodFlows {
  return {
    capitalInjection: 0, upfrontFees: 0, annualFees: 0, investmentIncome: 0, claimsPaid: 0, recoveries: 0,
    operatingCosts: 0, reinsuranceRecoveries: 0, reinsurancePremiums: 0, recoveriesPassedToReinsurer: 0,
    claimsIncurred: 0, claimsCapped: 0, demandGuaranteed: 0, newGuaranteed: 0, rationedGuaranteed: 0,
    newLoans: 0, newPrincipal: 0, defaults: 0, averageOutstandingGuaranteed: 0, outstandingGuaranteed: 0,
    outstandingPrincipal: 0,
    newLoansByStage: new Float64Array(STAGE_COUNT), newPrincipalByStage: new Float64Array(STAGE_COUNT),
    additionalLoansByStage: new Float64Array(STAGE_COUNT), defaultsByStage: new Float64Array(STAGE_COUNT),
  };
}

function resetFlows(f: PeriodFlows): void {
  f.capitalInjection = f.upfrontFees = f.annualFees = f.investmentIncome = f.claimsPaid = f.recoveries = 0;
  f.operatingCosts = f.reinsuranceRecoveries = f.reinsurancePremiums = f.recoveriesPassedToReinsurer = 0;
  f.claimsIncurred = f.claimsCapped = f.demandGuaranteed = f.newGuaranteed = f.rationedGuaranteed = 0;
  f.newLoans = f.newPrincipal = f.defaults = f.averageOutstandingGuaranteed = 0;
  f.outstandingGuaranteed = f.outstandingPrincipal = 0;
  f.newLoansByStage.fill(0);
  f.newPrincipalByStage.fill(0);
  f.additionalLoansByStage.fill(0);
  f.defaultsByStage.fill(0);
}

/**
 * Probability of default within a fraction `years` of a year, from the annual PD:
 * 1 − (1 − PD)^years. Halves, quarters and eighths (the periods and first periods of annual
 * and quarterly runs) take square roots, which are correctly rounded and cheaper than pow.
 */
function periodPd(annualPd: number, years: number): number {
  const survival = 1 - annualPd;
  if (years === 1) return annualPd;
  if (years === 0.5) return 1 - Math.sqrt(survival);
  if (years === 0.25) return 1 - Math.sqrt(Math.sqrt(survival));
  if (years === 0.125) return 1 - Math.sqrt(Math.sqrt(Math.sqrt(survival)));
  return 1 - Math.pow(survival, years);
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Net change of capital from a period's flows. Sign convention: inflows positive. */
export function netFlow(f: PeriodFlows): number {
  return (
    f.capitalInjection + f.upfrontFees + f.annualFees + f.investmentIncome + f.recoveries + f.reinsuranceRecoveries
    - f.claimsPaid - f.operatingCosts - f.reinsurancePremiums - f.recoveriesPassedToReinsurer
  );
}

/** The live state of one path: the book of loans and the queues of claims and recoveries. */
export class PortfolioState {
  /** Live loans per (vintage, stage, grade). */
  readonly alive: Float64Array;
  /** Current-stage mix per (vintage, stage, grade), 4 weights each; only with transitions. */
  readonly mix: Float64Array | null;
  readonly vintageClaims: Float64Array;
  readonly vintageCap: Float64Array;
  /** Claims and recoveries (the fund's gross share) due per period; past the horizon they are pending. */
  readonly claimsDue: Float64Array;
  readonly recoveriesDue: Float64Array;
  outstandingGuaranteed = 0;
  /** Outstanding at the end of the period being stepped, accumulated vintage by vintage. */
  private endGuaranteed = 0;
  private endPrincipal = 0;
  private readonly pdAnnual: Float64Array;
  private readonly pdScratch: Float64Array;
  private readonly pdFull: Float64Array;
  private readonly pdFirst: Float64Array;
  private readonly gBar: Float64Array;
  private readonly scratch = new Float64Array(STAGE_COUNT);
  private readonly nextMix = new Float64Array(STAGE_COUNT);

  constructor(readonly plan: Plan) {
    const { periods, grades } = plan;
    const queue = periods + plan.claimLagPeriods + plan.lockInPeriods + plan.recoveryLagPeriods + 2;
    this.alive = new Float64Array(periods * STAGE_COUNT * grades);
    this.mix = plan.transitions ? new Float64Array(periods * STAGE_COUNT * grades * STAGE_COUNT) : null;
    this.vintageClaims = new Float64Array(periods);
    this.vintageCap = new Float64Array(periods);
    this.claimsDue = new Float64Array(queue);
    this.recoveriesDue = new Float64Array(queue);
    this.pdAnnual = new Float64Array(STAGE_COUNT * grades);
    this.pdScratch = new Float64Array(STAGE_COUNT * grades);
    this.pdFull = new Float64Array(STAGE_COUNT * grades);
    this.pdFirst = new Float64Array(STAGE_COUNT * grades);
    this.gBar = new Float64Array(STAGE_COUNT);
  }

  reset(): void {
    this.alive.fill(0);
    this.mix?.fill(0);
    this.vintageClaims.fill(0);
    this.vintageCap.fill(0);
    this.claimsDue.fill(0);
    this.recoveriesDue.fill(0);
    this.outstandingGuaranteed = 0;
  }

  /** Claims and recoveries scheduled after the horizon: the fund's open liabilities and assets. */
  pending(): { claims: number; recoveries: number } {
    const T = this.plan.periods;
    let claims = 0;
    let recoveries = 0;
    for (let i = T; i < this.claimsDue.length; i++) {
      claims += this.claimsDue[i]!;
      recoveries += this.recoveriesDue[i]!;
    }
    return { claims, recoveries };
  }

  /**
   * Runs period t from the opening capital and writes its flows into `f`. Returns the closing
   * capital in float (the projection keeps its own decimal ledger from the flows).
   */
  step(t: number, openingCapital: number, model: DefaultModel, f: PeriodFlows): number {
    const plan = this.plan;
    const s = plan.scenario;
    const { grades, dt, maxLife } = plan;
    resetFlows(f);

    // 1. Injection at the start of the period.
    f.capitalInjection = plan.injections[t]!;
    const capital = openingCapital + f.capitalInjection;

    // 2. Default probabilities of the period. The model's PDs change at most once a year (with
    // the business cycle), so the period PDs are only recomputed when they do.
    model.annualPd(t, this.pdScratch);
    if (t === 0 || !sameValues(this.pdScratch, this.pdAnnual)) {
      this.pdAnnual.set(this.pdScratch);
      for (let i = 0; i < this.pdAnnual.length; i++) {
        const p = this.pdAnnual[i]!;
        this.pdFull[i] = periodPd(p, dt);
        this.pdFirst[i] = periodPd(p, dt * plan.firstExposure);
      }
    }
    const recoveryRate = model.recoveryRate(t);
    this.gBar.fill(0);
    this.endGuaranteed = 0;
    this.endPrincipal = 0;

    // 3. The existing book runs off: defaults, claims, amortisation, transitions.
    this.runVintages(t, Math.max(0, t - maxLife + 1), t - 1, model, recoveryRate, f);

    // 4. Capacity and originations. New guarantees may take outstanding guarantees at the end
    // of the period up to the leverage cap on this period's capital; issuing stops when capital
    // is gone or under the minimum capital ratio of the opening book. Demand above capacity is
    // rationed pro rata.
    const G0 = this.outstandingGuaranteed;
    let demandG = 0;
    for (let si = 0; si < STAGE_COUNT; si++) {
      const perLoan = plan.loanSize[si]! * plan.coverage[si]!;
      for (let g = 0; g < grades; g++) demandG += plan.demand[(t * STAGE_COUNT + si) * grades + g]! * perLoan;
    }
    const stopped = capital <= 0 || (G0 > 0 && capital < s.fund.minCapitalRatio * G0);
    const capacity = stopped ? 0 : Math.max(0, s.fund.leverageCap * capital - this.endGuaranteed);
    const issueRatio = demandG > 0 ? Math.min(1, capacity / demandG) : 1;
    f.demandGuaranteed = demandG;
    for (let si = 0; si < STAGE_COUNT; si++) {
      const size = plan.loanSize[si]!;
      const perLoan = size * plan.coverage[si]!;
      let stageLoans = 0;
      for (let g = 0; g < grades; g++) {
        const i = (t * STAGE_COUNT + si) * grades + g;
        const n = model.issued(plan.demand[i]! * issueRatio);
        this.alive[i] = n;
        stageLoans += n;
        if (this.mix && n > 0) this.mix[i * STAGE_COUNT + si] = 1;
      }
      f.newLoansByStage[si] = stageLoans;
      f.newPrincipalByStage[si] = stageLoans * size;
      f.additionalLoansByStage[si] = plan.additionalDemand[t * STAGE_COUNT + si]! * issueRatio;
      f.newLoans += stageLoans;
      f.newPrincipal += stageLoans * size;
      f.newGuaranteed += stageLoans * perLoan;
      f.upfrontFees += stageLoans * perLoan * plan.upfrontFeeRate[si]!;
    }
    f.rationedGuaranteed = issueRatio < 1 ? demandG * (1 - issueRatio) : 0;
    const cap = s.guarantee.portfolioLossCap;
    this.vintageCap[t] = cap === null ? Infinity : cap * f.newPrincipal;

    // The new vintage's own first period.
    this.runVintages(t, t, t, model, recoveryRate, f);
    const counterShare = s.fund.counterGuarantee.share;
    const outstandingG = this.endGuaranteed;
    const outstandingP = this.endPrincipal;

    // 5. Fees, costs, claims, recoveries, reinsurance, investment income.
    for (let si = 0; si < STAGE_COUNT; si++) {
      f.averageOutstandingGuaranteed += this.gBar[si]!;
      f.annualFees += this.gBar[si]! * plan.annualFeeRate[si]! * dt;
    }
    const gBar = f.averageOutstandingGuaranteed;
    const oc = s.fund.operatingCosts;
    f.operatingCosts = oc.fixedPerYear * dt + oc.shareOfOutstanding * gBar * dt + oc.perNewGuarantee * f.newLoans;
    f.claimsPaid = this.claimsDue[t]!;
    f.recoveries = this.recoveriesDue[t]!;
    f.reinsuranceRecoveries = counterShare * f.claimsPaid;
    f.recoveriesPassedToReinsurer = counterShare * f.recoveries;
    f.reinsurancePremiums = s.fund.counterGuarantee.premiumRate * counterShare * gBar * dt;
    f.outstandingGuaranteed = outstandingG;
    f.outstandingPrincipal = outstandingP;
    this.outstandingGuaranteed = outstandingG;

    const beforeIncome = openingCapital + netFlow(f);
    const y = s.fund.investmentYield * dt;
    const basis = s.timing.investmentIncomeBasis;
    f.investmentIncome = y * (basis === 'opening' ? openingCapital : basis === 'closing' ? beforeIncome : 0.5 * (openingCapital + beforeIncome));
    return beforeIncome + f.investmentIncome;
  }

  /**
   * Defaults, claims, amortisation and transitions of vintages [fromVintage, toVintage] in
   * period t. Adds to the flows, the period's average outstanding guarantees and the
   * outstanding amounts at the period's end.
   *
   * The loop runs over (stage, vintage) and, innermost, the grades: a bucket only draws its
   * defaults and updates its live count, while claims, the loss cap, the claim queues and the
   * outstanding amounts are settled once per (stage, vintage) from balance-weighted sums over
   * the grades. The loss cap is order-free: what it lets through in total is the smaller of
   * the claims and the room left, however the claims are grouped.
   */
  private runVintages(t: number, fromVintage: number, toVintage: number, model: DefaultModel, recoveryRate: number, f: PeriodFlows): void {
    const plan = this.plan;
    const { grades, maxLife, balanceAtDefault, balanceEnd, balanceAverage, firstExposure, defaultedExposure, claimLagPeriods, lockInPeriods, recoveryLagPeriods } = plan;
    const alive = this.alive;
    const mix = this.mix;
    let outstandingG = 0;
    let outstandingP = 0;
    let claimsIncurred = 0;
    let claimsCapped = 0;
    let allDefaults = 0;
    for (let si = 0; si < STAGE_COUNT; si++) {
      const size = plan.loanSize[si]!;
      const perLoanG = size * plan.coverage[si]!;
      let stageDefaults = 0;
      let stageGBar = 0;
      for (let o = Math.max(fromVintage, t - plan.life[si]! + 1); o <= toVintage; o++) {
        const k = t - o;
        const pdTable = k === 0 ? this.pdFirst : this.pdFull;
        const slotBase = k === 0 ? STAGE_COUNT * grades : 0;
        // Sums over the grades, in loans × balance fraction.
        let defaults = 0;
        let claimUnits = 0;
        let exposureUnits = 0;
        let endUnits = 0;
        for (let g = 0; g < grades; g++) {
          const i = (o * STAGE_COUNT + si) * grades + g;
          const n = alive[i]!;
          if (n <= 0) continue;
          const sg = si * grades + g;
          const b = sg * maxLife + k;
          const p = mix ? this.mixedPd(i, pdTable) : pdTable[sg]!;
          const d = p > 0 ? model.defaults(n, p, mix ? -1 : slotBase + sg) : 0;
          const survivors = n - d;
          const endBalance = balanceEnd[b]!;
          let next = endBalance > 0 ? survivors : 0;
          if (mix && next > 0) next = this.migrate(i, pdTable, next);
          alive[i] = next;
          defaults += d;
          claimUnits += d * balanceAtDefault[b]!;
          exposureUnits += (survivors + d * defaultedExposure) * balanceAverage[b]!;
          endUnits += next * endBalance;
        }
        stageDefaults += defaults;
        stageGBar += (k === 0 ? firstExposure : 1) * exposureUnits;
        outstandingG += endUnits * perLoanG;
        outstandingP += endUnits * size;
        if (defaults > 0) {
          let claim = claimUnits * perLoanG;
          const room = this.vintageCap[o]! - this.vintageClaims[o]!;
          if (claim > room) {
            claimsCapped += claim - Math.max(0, room);
            claim = Math.max(0, room);
          }
          const payPeriod = Math.max(t + claimLagPeriods, o + lockInPeriods);
          this.vintageClaims[o] += claim;
          claimsIncurred += claim;
          this.claimsDue[payPeriod] += claim;
          this.recoveriesDue[payPeriod + recoveryLagPeriods] += claim * recoveryRate;
        }
      }
      this.gBar[si] += stageGBar * perLoanG;
      f.defaultsByStage[si] += stageDefaults;
      allDefaults += stageDefaults;
    }
    f.defaults += allDefaults;
    f.claimsIncurred += claimsIncurred;
    f.claimsCapped += claimsCapped;
    this.endGuaranteed += outstandingG;
    this.endPrincipal += outstandingP;
  }

  /** PD of a bucket whose firms have moved across stages: the mix-weighted PD of their current stages. */
  private mixedPd(i: number, pdTable: Float64Array): number {
    const { grades } = this.plan;
    const map = this.plan.transitions!.gradeMap;
    const mix = this.mix!;
    const g = i % grades;
    const si = Math.floor(i / grades) % STAGE_COUNT;
    let p = 0;
    for (let r = 0; r < STAGE_COUNT; r++) {
      const w = mix[i * STAGE_COUNT + r]!;
      if (w > 0) p += w * pdTable[r * grades + map[(si * grades + g) * STAGE_COUNT + r]!]!;
    }
    // Weights sum to 1 only up to rounding: keep the mix a probability.
    return Math.min(1, p);
  }

  /** Moves survivors across stages and out by exit; returns the loans still on the books. */
  private migrate(i: number, pdTable: Float64Array, survivors: number): number {
    const { grades } = this.plan;
    const { trans, exit, gradeMap } = this.plan.transitions!;
    const mix = this.mix!;
    const g = i % grades;
    const si = Math.floor(i / grades) % STAGE_COUNT;
    const w = this.scratch;
    const next = this.nextMix.fill(0);
    let total = 0;
    // Survivors of defaults: each current stage keeps its expected share of them.
    for (let r = 0; r < STAGE_COUNT; r++) {
      const m = mix[i * STAGE_COUNT + r]!;
      w[r] = m * (1 - pdTable[r * grades + gradeMap[(si * grades + g) * STAGE_COUNT + r]!]!);
      total += w[r]!;
    }
    if (total <= 0) return 0;
    let exited = 0;
    for (let r = 0; r < STAGE_COUNT; r++) {
      const share = w[r]! / total;
      let moved = exit[r]!;
      exited += share * exit[r]!;
      for (let q = 0; q < STAGE_COUNT; q++) {
        const tr = trans[r * STAGE_COUNT + q]!;
        next[q] += share * tr;
        moved += tr;
      }
      next[r] += share * (1 - moved);
    }
    const stay = 1 - exited;
    for (let r = 0; r < STAGE_COUNT; r++) mix[i * STAGE_COUNT + r] = stay > 0 ? next[r]! / stay : 0;
    return survivors * stay;
  }
}
