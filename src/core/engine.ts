/**
 * The period engine: the mechanics of the guaranteed portfolio and the fund, one period at a
 * time, in float64. The deterministic projection and the Monte Carlo paths both run it; they
 * differ only in the default model they pass in (expected defaults at the unconditional PD,
 * or binomial draws at a PD conditional on the business cycle). This is the hot loop: typed
 * arrays, no allocation per period, no decimal arithmetic; its innermost part, the run-off of
 * every live bucket (step 3 below, with the binomial draws), is ./runoff.ts. Money crosses into
 * decimal.js in the projection's ledger.
 *
 * Order of events within period t, numbered as in step(), and where each runs today:
 *   1. scheduled capital injection and any capital call falling due (step());
 *   2. the period's default probabilities, recomputed only when the model's annual PDs change
 *      (step(); written into the run-off's pdFull and pdFirst);
 *   3. the existing book runs off: defaults on every live vintage (claims = coverage × balance
 *      at default, within the vintage's loss cap), paid after the claim lag and not before the
 *      vintage's lock-in ends, recoveries after their lag, the state's compensation of claims
 *      above its threshold; amortisation, stage transitions, exits, annual fees accrued per
 *      stage (runVintages() in ./runoff.ts, with the binomial draws; the economics of
 *      defaults, claims and recoveries are changed there);
 *   4. capacity (up to the horizon only; after it the book runs off with no new lending): new
 *      guarantees may bring outstanding guarantees at the period's end up to the leverage cap on
 *      capital; issuing stops when capital is gone or under the minimum capital ratio of the
 *      opening book; demand above capacity is rationed pro rata; originations and their upfront
 *      fee (step()); then the new vintage's own first period of run-off (./runoff.ts, as in 3);
 *   5. annual fee, operating costs and reinsurance premium on the period's average outstanding
 *      guarantees; claims, recoveries and compensation falling due (read from the run-off's
 *      queues); investment income (step(), reinsure(), adjustFees(), yearlyCompensation());
 *   6. a capital call is scheduled when closing capital is under its trigger ratio (step()).
 * The arrays the engine and the run-off share, the timing settings and the totals the run-off
 * returns are listed in one table, ./runoff-layout.ts.
 */
import type { Plan } from './plan.ts';
import type { Xoshiro128StarStar } from './random/rng.ts';
import { STAGE_COUNT } from './stages.ts';
import { DEFAULT_COUNT, Runoff } from './runoff.ts';
import { RUNOFF_TOTALS, type RunoffF64Array, type RunoffI32Array, type RunoffSizes, type RunoffTotal } from './runoff-layout.ts';

/** Index of each of the run-off's totals in its `totals` array. */
const TOTAL = Object.fromEntries(RUNOFF_TOTALS.map((name, i) => [name, i])) as Record<RunoffTotal, number>;

/** How defaults happen in a period: the deterministic projection and Monte Carlo each give one. */
export interface DefaultModel {
  /** Annual PD of a guaranteed loan per (stage, grade) for period t, written into `out`. */
  annualPd(t: number, out: Float64Array): void;
  /** Loans issued in a bucket whose expected count is `n`. */
  issued(n: number): number;
  /**
   * How defaults among `n` live loans with period default probability `p` are counted:
   * 'expected', n·p; 'binomial', Binomial(n, p) drawn from `rng` (a fractional n, left by
   * exits, rounded at random to a whole count first, keeping its mean); 'custom', `defaults`.
   */
  readonly defaultCount: keyof typeof DEFAULT_COUNT;
  /** The generator of 'binomial' draws. */
  readonly rng?: Xoshiro128StarStar;
  /**
   * A 'custom' model's defaults. `pdSlot` names the entry of the period's PD tables that `p`
   * comes from, the same for every vintage and period until the PDs change; −1 when `p`
   * belongs to this bucket alone (a stage mix).
   */
  defaults?(n: number, p: number, pdSlot: number): number;
  /** Multiplier of every recovery rate for claims arising in period t: 1 normally, lower in a downturn. */
  recoveryFactor(t: number): number;
}

/**
 * One cohort's flows kept apart (index o × stride + period; exposure × 4 stages more): claims and
 * recoveries as paid, the state's compensation, and the average outstanding guarantees per stage.
 */
export interface CohortFlows {
  readonly stride: number;
  /** Annual fees per year of the cohort's book by stage (as exposure), before the claims-ratio adjustment. */
  readonly fees: Float64Array;
  readonly claims: Float64Array;
  readonly recoveries: Float64Array;
  readonly stateCompensation: Float64Array;
  readonly exposure: Float64Array;
}

/** Everything that flows in one period. Amounts in money, counts in loans. */
export interface PeriodFlows {
  capitalInjection: number;
  /** Government top-ups under the capital-call rule, paid at the period's start. */
  capitalCalls: number;
  /** The state's share of claims above its loss-sharing threshold. */
  stateCompensation: number;
  /** Of the fees, the part the government pays in the borrower's place (a memo line: fees include it). */
  feeSubsidies: number;
  /** Multiplier of the annual fee from the portfolio's claims ratio in the previous year (1 = none). */
  feeAdjustment: number;
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
  upfrontFeesByStage: Float64Array;
  newPrincipalByStage: Float64Array;
  additionalLoansByStage: Float64Array;
  defaultsByStage: Float64Array;
}

export function emptyFlows(): PeriodFlows {
  return {
    capitalInjection: 0, capitalCalls: 0, stateCompensation: 0, feeSubsidies: 0, feeAdjustment: 1, upfrontFees: 0, annualFees: 0, investmentIncome: 0, claimsPaid: 0, recoveries: 0,
    operatingCosts: 0, reinsuranceRecoveries: 0, reinsurancePremiums: 0, recoveriesPassedToReinsurer: 0,
    claimsIncurred: 0, claimsCapped: 0, demandGuaranteed: 0, newGuaranteed: 0, rationedGuaranteed: 0,
    newLoans: 0, newPrincipal: 0, defaults: 0, averageOutstandingGuaranteed: 0, outstandingGuaranteed: 0,
    outstandingPrincipal: 0,
    newLoansByStage: new Float64Array(STAGE_COUNT), upfrontFeesByStage: new Float64Array(STAGE_COUNT), newPrincipalByStage: new Float64Array(STAGE_COUNT),
    additionalLoansByStage: new Float64Array(STAGE_COUNT), defaultsByStage: new Float64Array(STAGE_COUNT),
  };
}

function resetFlows(f: PeriodFlows): void {
  f.capitalInjection = f.capitalCalls = f.stateCompensation = f.feeSubsidies = 0;
  f.feeAdjustment = 1;
  f.upfrontFees = f.annualFees = f.investmentIncome = f.claimsPaid = f.recoveries = 0;
  f.operatingCosts = f.reinsuranceRecoveries = f.reinsurancePremiums = f.recoveriesPassedToReinsurer = 0;
  f.claimsIncurred = f.claimsCapped = f.demandGuaranteed = f.newGuaranteed = f.rationedGuaranteed = 0;
  f.newLoans = f.newPrincipal = f.defaults = f.averageOutstandingGuaranteed = 0;
  f.outstandingGuaranteed = f.outstandingPrincipal = 0;
  f.newLoansByStage.fill(0);
  f.upfrontFeesByStage.fill(0);
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
    f.capitalInjection + f.capitalCalls + f.stateCompensation + f.upfrontFees + f.annualFees + f.investmentIncome + f.recoveries + f.reinsuranceRecoveries
    - f.claimsPaid - f.operatingCosts - f.reinsurancePremiums - f.recoveriesPassedToReinsurer
  );
}

/**
 * The live state of one path: the book of loans and the queues of claims and recoveries. The
 * book's arrays belong to its run-off (./runoff.ts), which reads and writes them in place.
 */
export class PortfolioState {
  /** Live loans per (vintage, stage, grade). */
  readonly alive: Float64Array;
  /** Current-stage mix per (vintage, stage, grade), 4 weights each; only with transitions. */
  readonly mix: Float64Array | null;
  readonly vintageClaims: Float64Array;
  readonly vintageCap: Float64Array;
  readonly vintageStateThreshold: Float64Array;
  /** Claims and recoveries (the fund's gross share) due per period; past the horizon they are pending. */
  readonly claimsDue: Float64Array;
  readonly recoveriesDue: Float64Array;
  readonly stateDue: Float64Array;
  /** Per (vintage, period), and per stage for exposure: each cohort's own flows, when kept (see CohortFlows). */
  readonly cohorts: CohortFlows | null;
  outstandingGuaranteed = 0;
  /** Claims and recoveries falling due after the horizon on defaults before it, as they stood at the horizon. */
  horizonPending = { claims: 0, recoveries: 0 };
  /** A capital call scheduled and not yet paid: its amount and the period whose start receives it. */
  private callAmount = 0;
  private callPeriod = -1;
  /** The year's claims and exposure, for the state's loss sharing per year. */
  private yearClaims = 0;
  private yearExposure = 0;
  /**
   * The counter-guarantor's payments so far after its cap, the amount guaranteed so far, the
   * recoveries it is entitled to on what it paid, and those passed to it.
   */
  private reinsuredPaid = 0;
  private guaranteedToDate = 0;
  private reinsurerEntitled = 0;
  private reinsurerReceived = 0;
  /** Recoveries the counter-guarantor becomes entitled to per period, on the claims it paid a recovery lag earlier. */
  private readonly reinsurerDue: Float64Array;
  /** Outstanding at the end of the period being stepped, accumulated vintage by vintage. */
  private endGuaranteed = 0;
  private endPrincipal = 0;
  private readonly pdAnnual: Float64Array;
  private readonly pdScratch: Float64Array;
  private readonly pdFull: Float64Array;
  private readonly pdFirst: Float64Array;
  /** Average outstanding guarantees and defaults of the period per stage, summed by the run-off. */
  private readonly gBar: Float64Array;
  private readonly feesByStage: Float64Array;
  private readonly subsidisedFees: Float64Array;
  /** The annual fee's claims-ratio multiplier for the current year, and the current year's claims and exposure. */
  private feeAdjustment = 1;
  private feeYearClaims = 0;
  private feeYearExposure = 0;
  private readonly defaultsByStage: Float64Array;
  /** The run-off's totals of its last call. */
  private readonly totals: Float64Array;
  /** Where a 'binomial' model's generator keeps its state while this book draws from it. */
  private readonly rngState: Int32Array;
  private readonly runoff: Runoff;
  /** The model of the period being stepped, for the run-off's calls back into JavaScript. */
  private model: DefaultModel | null = null;

  /** `keepCohorts`: keep each vintage's flows apart, for costing by cohort (the projection does; Monte Carlo does not). */
  constructor(readonly plan: Plan, keepCohorts = false) {
    const { grades, maxLife } = plan;
    const periods = plan.totalPeriods;
    const queue = plan.queueLength;
    const runoff = new Runoff({ customDefaults: (n, p, slot) => this.model!.defaults!(n, p, slot) });
    runoff.init(grades, maxLife, periods, queue, plan.periodsPerYear > 1, plan.transitions !== null, keepCohorts);
    runoff.configure(plan.runoff);
    this.runoff = runoff;
    const sg = STAGE_COUNT * grades;
    // The run-off's arrays, as long as runoff-layout.ts makes them for this plan.
    const sizes: RunoffSizes = { grades, maxLife, periods, queue, transitions: plan.transitions !== null, cohorts: keepCohorts };
    const f64 = (name: RunoffF64Array) => runoff.f64(name, sizes);
    const i32 = (name: RunoffI32Array) => runoff.i32(name, sizes);
    this.alive = f64('alive');
    this.mix = plan.transitions ? f64('mix') : null;
    this.vintageClaims = f64('vintageClaims');
    this.vintageCap = f64('vintageCap');
    this.vintageStateThreshold = f64('vintageStateThreshold');
    this.claimsDue = f64('claimsDue');
    this.recoveriesDue = f64('recoveriesDue');
    this.stateDue = f64('stateDue');
    this.reinsurerDue = new Float64Array(queue + 2);
    this.cohorts = keepCohorts
      ? {
        stride: queue,
        fees: f64('cohortFees'),
        claims: f64('cohortClaims'),
        recoveries: f64('cohortRecoveries'),
        stateCompensation: f64('cohortStateCompensation'),
        exposure: f64('cohortExposure'),
      }
      : null;
    this.pdAnnual = new Float64Array(sg);
    this.pdScratch = new Float64Array(sg);
    this.pdFull = f64('pdFull');
    this.pdFirst = f64('pdFirst');
    this.gBar = f64('averageGuaranteedByStage');
    this.feesByStage = f64('feesByStage');
    this.subsidisedFees = f64('subsidisedFeesByStage');
    f64('annualFee').set(plan.annualFeeByAge);
    f64('recovery').set(plan.recoveryRate);
    f64('feeSubsidy').set(plan.feeSubsidyShare);
    this.defaultsByStage = f64('defaultsByStage');
    this.totals = f64('totals');
    this.rngState = i32('rngState');
    i32('life').set(plan.life);
    f64('loanSize').set(plan.loanSize);
    f64('coverage').set(plan.coverage);
    f64('balanceAtDefault').set(plan.balanceAtDefault);
    f64('balanceEnd').set(plan.balanceEnd);
    f64('balanceAverage').set(plan.balanceAverage);
    if (plan.transitions) {
      f64('trans').set(plan.transitions.trans);
      f64('exitRate').set(plan.transitions.exit);
      i32('gradeMap').set(plan.transitions.gradeMap);
    }
  }

  reset(): void {
    this.alive.fill(0);
    this.mix?.fill(0);
    this.vintageClaims.fill(0);
    this.vintageCap.fill(0);
    this.claimsDue.fill(0);
    this.recoveriesDue.fill(0);
    this.stateDue.fill(0);
    if (this.cohorts) {
      this.cohorts.fees.fill(0);
      this.cohorts.claims.fill(0);
      this.cohorts.recoveries.fill(0);
      this.cohorts.stateCompensation.fill(0);
      this.cohorts.exposure.fill(0);
    }
    this.outstandingGuaranteed = 0;
    this.horizonPending = { claims: 0, recoveries: 0 };
    this.callAmount = 0;
    this.callPeriod = -1;
    this.yearClaims = this.yearExposure = 0;
    this.reinsuredPaid = this.guaranteedToDate = this.reinsurerEntitled = this.reinsurerReceived = 0;
    this.reinsurerDue.fill(0);
    this.feeAdjustment = 1;
    this.feeYearClaims = this.feeYearExposure = 0;
  }

  /** Claims and recoveries scheduled after period t: the fund's open liabilities and assets then. */
  private pendingAfter(t: number): { claims: number; recoveries: number } {
    let claims = 0;
    let recoveries = 0;
    for (let i = t + 1; i < this.claimsDue.length; i++) {
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

    // 1. Injection and any capital call due at the start of the period.
    f.capitalInjection = plan.injections[t]!;
    if (this.callPeriod === t) {
      f.capitalCalls = this.callAmount;
      this.callPeriod = -1;
    }
    const capital = openingCapital + f.capitalInjection + f.capitalCalls;

    // 2. Default probabilities of the period. The model's PDs change at most once a year (with
    // the business cycle), so the period PDs are only recomputed when they do.
    model.annualPd(t, this.pdScratch);
    if (t === 0 || !sameValues(this.pdScratch, this.pdAnnual)) {
      this.pdAnnual.set(this.pdScratch);
      for (let i = 0; i < this.pdAnnual.length; i++) {
        const p = this.pdAnnual[i]!;
        this.pdFull[i] = periodPd(p, dt);
        this.pdFirst[i] = periodPd(p, dt * plan.firstRisk);
      }
    }
    const recoveryFactor = model.recoveryFactor(t);
    const mode = DEFAULT_COUNT[model.defaultCount];
    this.model = model;
    // The generator's state moves into this book's run-off, which draws from it.
    if (mode === DEFAULT_COUNT.binomial) model.rng!.moveStateTo(this.rngState);
    this.gBar.fill(0);
    this.feesByStage.fill(0);
    this.subsidisedFees.fill(0);
    this.defaultsByStage.fill(0);
    this.endGuaranteed = 0;
    this.endPrincipal = 0;

    // 3. The existing book runs off: defaults, claims, amortisation, transitions (./runoff.ts).
    this.runVintages(t, Math.max(0, t - maxLife + 1), t - 1, mode, recoveryFactor, f);

    // 4. Capacity and originations. New guarantees may take outstanding guarantees at the end
    // of the period up to the leverage cap on this period's capital; issuing stops when capital
    // is gone or under the minimum capital ratio of the opening book. Demand above capacity is
    // rationed pro rata.
    const G0 = this.outstandingGuaranteed;
    const issuing = t < plan.periods;
    let demandG = 0;
    for (let si = 0; si < STAGE_COUNT && issuing; si++) {
      const perLoan = plan.loanSize[si]! * plan.coverage[si]!;
      for (let g = 0; g < grades; g++) demandG += plan.demand[(t * STAGE_COUNT + si) * grades + g]! * perLoan;
    }
    const stopped = capital <= 0 || (G0 > 0 && capital < s.fund.minCapitalRatio * G0);
    const capacity = stopped ? 0 : Math.max(0, s.fund.leverageCap * capital - this.endGuaranteed);
    const issueRatio = demandG > 0 ? Math.min(1, capacity / demandG) : 1;
    f.demandGuaranteed = demandG;
    for (let si = 0; si < STAGE_COUNT && issuing; si++) {
      const size = plan.loanSize[si]!;
      const perLoan = size * plan.coverage[si]!;
      let stageLoans = 0;
      let upfront = 0;
      for (let g = 0; g < grades; g++) {
        const i = (t * STAGE_COUNT + si) * grades + g;
        const n = model.issued(plan.demand[i]! * issueRatio);
        this.alive[i] = n;
        stageLoans += n;
        upfront += n * perLoan * plan.upfrontFeeRate[si * grades + g]!;
        if (this.mix && n > 0) this.mix[i * STAGE_COUNT + si] = 1;
      }
      f.newLoansByStage[si] = stageLoans;
      f.newPrincipalByStage[si] = stageLoans * size;
      f.additionalLoansByStage[si] = plan.additionalDemand[t * STAGE_COUNT + si]! * issueRatio;
      f.newLoans += stageLoans;
      f.newPrincipal += stageLoans * size;
      f.newGuaranteed += stageLoans * perLoan;
      f.upfrontFees += upfront;
      f.upfrontFeesByStage[si] = upfront;
      f.feeSubsidies += upfront * plan.feeSubsidyShare[t * STAGE_COUNT + si]!;
    }
    f.rationedGuaranteed = issueRatio < 1 ? demandG * (1 - issueRatio) : 0;
    const cap = s.guarantee.portfolioLossCap;
    this.vintageCap[t] = cap === null ? Infinity : cap * f.newPrincipal;
    const sharing = s.support.stateLossSharing;
    this.vintageStateThreshold[t] = sharing?.basis === 'vintage' ? sharing.threshold * f.newPrincipal : Infinity;

    // The new vintage's own first period.
    this.runVintages(t, t, t, mode, recoveryFactor, f);
    f.defaultsByStage.set(this.defaultsByStage);
    const counterShare = s.fund.counterGuarantee.share;
    const outstandingG = this.endGuaranteed;
    const outstandingP = this.endPrincipal;

    // 5. Fees, costs, claims, recoveries, reinsurance, investment income.
    f.feeAdjustment = this.feeAdjustment;
    for (let si = 0; si < STAGE_COUNT; si++) {
      f.averageOutstandingGuaranteed += this.gBar[si]!;
      f.annualFees += this.feesByStage[si]! * dt * this.feeAdjustment;
      f.feeSubsidies += this.subsidisedFees[si]! * dt * this.feeAdjustment;
    }
    const gBar = f.averageOutstandingGuaranteed;
    const oc = s.fund.operatingCosts;
    f.operatingCosts = oc.fixedPerYear * dt + oc.shareOfOutstanding * gBar * dt + oc.perNewGuarantee * f.newLoans;
    f.claimsPaid = this.claimsDue[t]!;
    f.recoveries = this.recoveriesDue[t]!;
    f.stateCompensation = this.stateDue[t]! + this.yearlyCompensation(t, f.claimsPaid, gBar * dt);
    this.reinsure(t, f, counterShare, plan.meanRecoveryRate * recoveryFactor);
    this.adjustFees(t, f.claimsPaid, gBar * dt);
    f.reinsurancePremiums = s.fund.counterGuarantee.premiumRate * counterShare * gBar * dt;
    f.outstandingGuaranteed = outstandingG;
    f.outstandingPrincipal = outstandingP;
    this.outstandingGuaranteed = outstandingG;

    const beforeIncome = openingCapital + netFlow(f);
    const y = s.fund.investmentYield * dt;
    const basis = s.timing.investmentIncomeBasis;
    const excludes = s.timing.investmentIncomeExcludes;
    // Flows taken as paid at the period's end earn nothing: they are added back to the closing basis.
    const closingBasis = beforeIncome + (excludes === 'nothing' ? 0 : f.claimsPaid) + (excludes === 'claimsAndCosts' ? f.operatingCosts : 0);
    f.investmentIncome = y * (basis === 'opening' ? openingCapital : basis === 'closing' ? closingBasis : 0.5 * (openingCapital + closingBasis));
    const closing = beforeIncome + f.investmentIncome;

    // 6. Capital-call rule: a closing capital under the trigger ratio calls a top-up to the target.
    const call = s.support.capitalCall;
    if (call && this.callPeriod < 0 && closing < call.triggerRatio * outstandingG && t + plan.capitalCallDelay < plan.totalPeriods) {
      this.callAmount = call.targetRatio * outstandingG - closing;
      this.callPeriod = t + plan.capitalCallDelay;
    }
    if (t === plan.periods - 1) this.horizonPending = this.pendingAfter(t);
    return closing;
  }

  /** At a year's end, the next year's fee multiplier from this year's claims ratio (claims paid ÷ average outstanding guarantees). */
  private adjustFees(t: number, claims: number, exposureYears: number): void {
    const bands = this.plan.scenario.guarantee.claimsRatioAdjustment;
    if (!bands) return;
    this.feeYearClaims += claims;
    this.feeYearExposure += exposureYears;
    if ((t + 1) % this.plan.periodsPerYear !== 0) return;
    const ratio = this.feeYearExposure > 0 ? this.feeYearClaims / this.feeYearExposure : 0;
    const band = bands.find((b) => b.claimsRatioUpTo === null || ratio <= b.claimsRatioUpTo) ?? bands[bands.length - 1]!;
    this.feeAdjustment = 1 + band.adjustment;
    this.feeYearClaims = this.feeYearExposure = 0;
  }

  /** The state's share of a year's claims above its threshold of the year's average outstanding guarantees, paid in the year's last period. */
  private yearlyCompensation(t: number, claims: number, exposureYears: number): number {
    const sharing = this.plan.scenario.support.stateLossSharing;
    if (sharing?.basis !== 'year') return 0;
    this.yearClaims += claims;
    this.yearExposure += exposureYears;
    if ((t + 1) % this.plan.periodsPerYear !== 0) return 0;
    const compensation = sharing.share * Math.max(0, this.yearClaims - sharing.threshold * this.yearExposure);
    this.yearClaims = this.yearExposure = 0;
    return compensation;
  }

  /**
   * The counter-guarantor pays its share of claims until its cumulative payments reach its cap
   * (a share of the amount guaranteed so far). It takes back its share of recoveries pari passu;
   * under a cap, never more than the recoveries due on the claims it actually paid, which become
   * due a recovery lag after it paid them (at the recovery rate of that period).
   */
  private reinsure(t: number, f: PeriodFlows, share: number, recoveryRate: number): void {
    const capShare = this.plan.scenario.fund.counterGuarantee.capShareOfLending;
    this.guaranteedToDate += f.newGuaranteed;
    const nominal = share * f.claimsPaid;
    const paid = capShare === null ? nominal : Math.max(0, Math.min(nominal, capShare * this.guaranteedToDate - this.reinsuredPaid));
    this.reinsuredPaid += paid;
    f.reinsuranceRecoveries = paid;
    if (capShare === null) {
      f.recoveriesPassedToReinsurer = share * f.recoveries;
      return;
    }
    const lag = this.plan.reinsurerRecoveryLag;
    const entitled = paid * recoveryRate;
    this.reinsurerDue[t + lag.periods]! += entitled * (1 - lag.fraction);
    this.reinsurerDue[t + lag.periods + 1]! += entitled * lag.fraction;
    this.reinsurerEntitled += this.reinsurerDue[t]!;
    const passed = Math.max(0, Math.min(share * f.recoveries, this.reinsurerEntitled - this.reinsurerReceived));
    this.reinsurerReceived += passed;
    f.recoveriesPassedToReinsurer = passed;
  }

  /**
   * Defaults, claims, amortisation and transitions of vintages [fromVintage, toVintage] in
   * period t. The work is runVintages() in ./runoff.ts; this method only calls it and adds its
   * totals to the flows, the period's average outstanding guarantees and defaults per stage, and
   * the outstanding amounts at its end.
   *
   * That loop runs over (stage, vintage) and, innermost, the grades: a bucket only counts its
   * defaults and updates its live count, while claims, the loss cap, the claim queues and the
   * outstanding amounts are settled once per (stage, vintage) from balance-weighted sums over
   * the grades. The loss cap is order-free: what it lets through in total is the smaller of
   * the claims and the room left, however the claims are grouped.
   */
  private runVintages(t: number, fromVintage: number, toVintage: number, mode: number, recoveryFactor: number, f: PeriodFlows): void {
    this.runoff.runVintages(t, fromVintage, toVintage, recoveryFactor, mode);
    const totals = this.totals;
    this.endGuaranteed += totals[TOTAL.endGuaranteed]!;
    this.endPrincipal += totals[TOTAL.endPrincipal]!;
    f.claimsIncurred += totals[TOTAL.claimsIncurred]!;
    f.claimsCapped += totals[TOTAL.claimsCapped]!;
    f.defaults += totals[TOTAL.defaults]!;
  }
}
