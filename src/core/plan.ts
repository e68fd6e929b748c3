/**
 * The plan: a scenario turned into the plain numbers and typed arrays the period engine runs
 * on. Built once per scenario, shared by the deterministic projection and every Monte Carlo
 * path, so both run the same mechanics.
 */
import { averageBalanceFraction, balanceFraction, PRE_INSTALMENT } from './amortisation.ts';
import { discountFactor } from './discount.ts';
import { riskGradesOf } from './grades.ts';
import { annualFeeRateOf, fundRecoveryRate, segmentDecisions, upfrontFeeRateOf, type SegmentDecision } from './lender.ts';
import type { Scenario } from './schema.ts';
import { STAGES, STAGE_COUNT } from './stages.ts';
import type { RunoffSettings } from './runoff-layout.ts';

/** Position of origination, defaults within a period, as a fraction of the period. */
const POSITION = { start: 0, middle: 0.5, end: 1 } as const;

export interface Plan {
  readonly scenario: Scenario;
  readonly periodsPerYear: number;
  /** Period length in years. */
  readonly dt: number;
  /** Periods up to the horizon: the periods in which guarantees are issued. */
  readonly periods: number;
  /**
   * Periods after the horizon in which the book runs off with no new lending, until every
   * claim and recovery of a loan issued before the horizon is paid (0 when not asked for).
   */
  readonly runoffPeriods: number;
  /** periods + runoffPeriods: every period the engine runs. */
  readonly totalPeriods: number;
  /** Largest number of risk grades of any stage: the stride of (stage, grade) arrays. */
  readonly grades: number;
  readonly gradeCount: Int32Array;
  readonly decisions: readonly SegmentDecision[];
  /** Per stage. */
  readonly loanSize: Float64Array;
  readonly coverage: Float64Array;
  /** Upfront fee per (stage, grade), a rate on the guaranteed amount (with the first year's annual fee where charged upfront). */
  readonly upfrontFeeRate: Float64Array;
  /** Annual fee per (stage, grade), a rate on the outstanding guaranteed amount. */
  readonly annualFeeRate: Float64Array;
  /** The annual fee charged in each period of a loan's life, per (stage, grade, age): the rate, zero while the first year is paid upfront. */
  readonly annualFeeByAge: Float64Array;
  /** The fund's recovery on a claim, per (stage, grade): the flat rate or its share of the collateral (before any downturn). */
  readonly recoveryRate: Float64Array;
  /** The recovery rate averaged over the guaranteed book's expected defaults. */
  readonly meanRecoveryRate: number;
  /** Periods a loan of the stage can be on the books, age index 0 = the period of origination. */
  readonly life: Int32Array;
  /** Annual PD of a guaranteed loan, per (stage, grade), moral hazard included. */
  readonly pd: Float64Array;
  /** Asset correlation per stage. */
  readonly correlation: Float64Array;
  /**
   * Balance fractions of principal per (stage, grade, age): at the default point and at the
   * period's end. Index ((s × grades) + g) × maxLife + k.
   */
  readonly maxLife: number;
  readonly balanceAtDefault: Float64Array;
  readonly balanceEnd: Float64Array;
  /** Time-average balance fraction over the period's exposure, for fees and costs on outstanding guarantees. */
  readonly balanceAverage: Float64Array;
  /** The run-off's timing settings: lags in whole periods and fractions, exposure weights (see RUNOFF_SETTINGS). */
  readonly runoff: RunoffSettings;
  /** Fraction of a full period's default risk a loan bears in its period of origination. */
  readonly firstRisk: number;
  /** Share of the fee the government pays, per (vintage, stage); vintages up to the horizon. */
  readonly feeSubsidyShare: Float64Array;
  /**
   * Discount factors from the start of year 1 to the start and the end of each period, and the
   * charge for holding capital through each period (a rate for the period's length).
   */
  readonly discountStart: Float64Array;
  readonly discountEnd: Float64Array;
  readonly capitalCharge: Float64Array;
  /** Periods from the one in which capital falls under the trigger to the one whose start receives the call. */
  readonly capitalCallDelay: number;
  /** The recovery lag after a claim is paid, in periods: for the counter-guarantor's share of recoveries under its cap. */
  readonly reinsurerRecoveryLag: { readonly periods: number; readonly fraction: number };
  /** Loans demanded per (period, stage, grade): firms that would take a guaranteed loan. */
  readonly demand: Float64Array;
  /** Of the demand, the loans that are additional (would not be made without the guarantee), per (period, stage). */
  readonly additionalDemand: Float64Array;
  /** Loans made without any guarantee by the lender in the counterfactual, per (period, stage). */
  readonly counterfactualLoans: Float64Array;
  /** Applicants per (period, stage). */
  readonly applicants: Float64Array;
  /** Stage transitions per period: trans[s × 4 + r] (diagonal zero), exit[s]; null when none. */
  readonly transitions: { readonly trans: Float64Array; readonly exit: Float64Array; readonly gradeMap: Int32Array } | null;
  /** Claim queue length: every period run plus the longest lag, so nothing falls off its end. */
  readonly queueLength: number;
  /** Scheduled injections per period (every period run). */
  readonly injections: Float64Array;
  /** Deterministic shift of the systematic factor per year (0-based) of every period run, from the stress overlays. */
  readonly stressShift: Float64Array;
}

export interface PlanOptions {
  /** Run every cohort to its end after the horizon (the lifetime view). Default true. */
  readonly lifetime?: boolean;
}

/**
 * A lag of `months` in periods of `monthsPerPeriod`, as whole periods and the share paid one
 * period later. Defaults spread over a period ('middle') spread their claims the same way, so
 * a fractional lag splits them between two periods; a default at a period's start or end is a
 * point in time, paid in the period its lag reaches.
 */
export function splitLag(months: number, monthsPerPeriod: number, defaults: 'start' | 'middle' | 'end'): { periods: number; fraction: number } {
  const x = months / monthsPerPeriod;
  const whole = Math.floor(x + 1e-9);
  if (defaults === 'middle') return { periods: whole, fraction: Math.max(0, x - whole) < 1e-9 ? 0 : x - whole };
  if (defaults === 'start') return { periods: whole, fraction: 0 };
  // A default at the very end of a period is paid in the period its lag ends in (ends count as inside).
  return { periods: Math.max(0, Math.ceil(x - 1e-9)), fraction: 0 };
}

export function buildPlan(s: Scenario, options: PlanOptions = {}): Plan {
  const periodsPerYear = s.period === 'quarterly' ? 4 : 1;
  const dt = 1 / periodsPerYear;
  const periods = s.horizonYears * periodsPerYear;
  const stageGrades = STAGES.map((st) => riskGradesOf(s.stages[st]));
  const grades = Math.max(...stageGrades.map((g) => g.length));
  const gradeCount = Int32Array.from(stageGrades.map((g) => g.length));
  const decisions = segmentDecisions(s);

  const u = POSITION[s.timing.origination];
  const d = POSITION[s.timing.defaults];
  const firstExposure = 1 - u;

  const loanSize = new Float64Array(STAGE_COUNT);
  const coverage = new Float64Array(STAGE_COUNT);
  const life = new Int32Array(STAGE_COUNT);
  const correlation = new Float64Array(STAGE_COUNT);
  STAGES.forEach((st, i) => {
    const p = s.stages[st];
    loanSize[i] = p.loanSize;
    coverage[i] = decisions.find((x) => x.stage === st)?.effectiveCoverage ?? 0;
    // Age at the end of period k is (k + 1 − u) × dt; the loan is gone once that reaches the tenor.
    life[i] = Math.ceil(p.tenorYears / dt + u - 1e-9);
    correlation[i] = p.assetCorrelation;
  });
  const maxLife = Math.max(1, ...life);

  const pd = new Float64Array(STAGE_COUNT * grades);
  const upfrontFeeRate = new Float64Array(STAGE_COUNT * grades);
  const annualFeeRate = new Float64Array(STAGE_COUNT * grades);
  const annualFeeByAge = new Float64Array(STAGE_COUNT * grades * maxLife);
  const recoveryRate = new Float64Array(STAGE_COUNT * grades);
  const firstYearUpfront = s.guarantee.firstYearFeeOnGuaranteedAmount;
  const balanceAtDefault = new Float64Array(STAGE_COUNT * grades * maxLife);
  const balanceEnd = new Float64Array(STAGE_COUNT * grades * maxLife);
  const balanceAverage = new Float64Array(STAGE_COUNT * grades * maxLife);
  const demandShare = new Float64Array(STAGE_COUNT * grades);
  const additionalShare = new Float64Array(STAGE_COUNT);
  const counterfactualShare = new Float64Array(STAGE_COUNT);

  STAGES.forEach((st, si) => {
    const params = s.stages[st];
    stageGrades[si]!.forEach((_, g) => {
      const segs = decisions.filter((x) => x.stage === st && x.grade === g);
      const idx = si * grades + g;
      let guaranteed = 0;
      let rateWeighted = 0;
      let pdWeighted = 0;
      let recoveryWeighted = 0;
      const given = s.origination.mode === 'direct';
      let weight = 0;
      // Recoveries are weighted by expected defaults relative to the grade's largest pool PD, so
      // that a tiny (even denormal) PD does not underflow the weights to 0 and lose the recovery.
      const pdScale = Math.max(0, ...segs.map((seg) => (given ? seg.withGuarantee.pd : seg.withGuarantee.poolPd)));
      let recoveryWeight = 0;
      for (const seg of segs) {
        const w = seg.share * seg.guaranteedShare;
        guaranteed += w;
        rateWeighted += w * seg.withGuarantee.requiredRate;
        // The guaranteed pool is the firms the lender accepts: their mean PD, and (for the fund's
        // recoveries) weights by their expected defaults. Volumes given directly replace the
        // lender's decisions: the pool is then the grade's applicants as they are.
        const ww = given ? seg.share : w;
        const poolPd = given ? seg.withGuarantee.pd : seg.withGuarantee.poolPd;
        weight += ww;
        pdWeighted += ww * poolPd;
        const defaults = pdScale > 0 ? ww * (poolPd / pdScale) : 0;
        recoveryWeight += defaults;
        recoveryWeighted += defaults * fundRecoveryRate(s, params, params.collateral[seg.collateralLevel]!.ratio, seg.effectiveCoverage);
        additionalShare[si]! += seg.share * seg.additionalShare;
        counterfactualShare[si]! += seg.share * seg.without.takeUp;
      }
      demandShare[idx] = guaranteed;
      pd[idx] = weight > 0 ? pdWeighted / weight : segs[0]?.withGuarantee.pd ?? 0;
      recoveryRate[idx] = recoveryWeight > 0 ? recoveryWeighted / recoveryWeight : fundRecoveryRate(s, params, params.collateral[0]!.ratio, coverage[si]!);
      const annual = annualFeeRateOf(s, params.loanSize, coverage[si]!, stageGrades[si]![g]!.pd);
      annualFeeRate[idx] = annual;
      upfrontFeeRate[idx] = upfrontFeeRateOf(s, params.loanSize, coverage[si]!) + (firstYearUpfront ? annual : 0);
      // Annuity instalments are at the loan rate: the guaranteed loans' average required rate.
      const annualRate = guaranteed > 0 ? rateWeighted / guaranteed : s.lender.fundingCost;
      const terms = { amortisation: s.timing.amortisation, tenorYears: params.tenorYears, instalmentsPerYear: s.timing.instalmentsPerYear, annualRate };
      for (let k = 0; k < maxLife; k++) {
        const x0 = k === 0 ? u : 0;
        const age = (x: number) => (k + x - u) * dt;
        const at = idx * maxLife + k;
        // A loan that defaults at an instalment date defaults on the balance before that
        // instalment, or after it where the scenario's convention says so.
        const shift = s.timing.defaultBalance === 'beforeInstalment' ? -PRE_INSTALMENT : 0;
        balanceAtDefault[at] = balanceFraction(terms, age(x0 + d * (1 - x0)) + shift);
        balanceEnd[at] = balanceFraction(terms, age(1));
        balanceAverage[at] = averageBalanceFraction(terms, age(x0), age(1));
        // With the first year's fee paid upfront, the annual fee runs from the loan's first anniversary.
        const from = age(x0);
        const to = age(1);
        const paidUpfront = firstYearUpfront && to > from ? Math.max(0, Math.min(to, 1) - from) / (to - from) : 0;
        annualFeeByAge[at] = annual * (1 - paidUpfront);
      }
    });
  });

  // Loans originated in a fee subsidy's years are taken up at the lower price borrowers see then.
  const subsidised = s.support.feeSubsidy ? takeUpShares(segmentDecisions(s, true), grades) : null;
  const subsidisedYear = (year: number) => s.support.feeSubsidy !== null && year >= s.support.feeSubsidy.fromYear && year <= s.support.feeSubsidy.toYear;

  const demand = new Float64Array(periods * STAGE_COUNT * grades);
  const additionalDemand = new Float64Array(periods * STAGE_COUNT);
  const counterfactualLoans = new Float64Array(periods * STAGE_COUNT);
  const applicants = new Float64Array(periods * STAGE_COUNT);
  for (let t = 0; t < periods; t++) {
    const year = Math.floor(t / periodsPerYear);
    STAGES.forEach((st, si) => {
      const params = s.stages[st];
      const firms = params.applicantsPerYear * Math.pow(1 + params.applicantGrowthRate, year) * dt;
      applicants[t * STAGE_COUNT + si] = firms;
      counterfactualLoans[t * STAGE_COUNT + si] = firms * counterfactualShare[si]!;
      const shares = subsidised && subsidisedYear(year + 1) ? subsidised : { demand: demandShare, additional: additionalShare };
      const guaranteedShare = shares.demand.subarray(si * grades, si * grades + gradeCount[si]!).reduce((a, b) => a + b, 0);
      let stageLoans = firms * guaranteedShare;
      let gradeWeights = Array.from(shares.demand.subarray(si * grades, si * grades + grades));
      if (s.origination.mode === 'direct') {
        // Given volumes replace the lenders' decisions; the grade mix is the applicants' mix.
        const series = s.origination.volumes[st];
        const volume = series[Math.min(t, series.length - 1)]!;
        stageLoans = params.loanSize > 0 ? volume / params.loanSize : 0;
        gradeWeights = stageGrades[si]!.map((x) => x.share);
      }
      const weightSum = gradeWeights.reduce((a, b) => a + b, 0);
      for (let g = 0; g < gradeCount[si]!; g++) {
        demand[(t * STAGE_COUNT + si) * grades + g] = weightSum > 0 ? (stageLoans * gradeWeights[g]!) / weightSum : 0;
      }
      // Additionality of given volumes is taken at the lenders' decisions' rate for the stage.
      const additionalRate = guaranteedShare > 0 ? shares.additional[si]! / guaranteedShare : 0;
      additionalDemand[t * STAGE_COUNT + si] = stageLoans * additionalRate;
    });
  }

  const monthsPerPeriod = 12 / periodsPerYear;
  const claimLag = splitLag(s.fund.claimLagMonths, monthsPerPeriod, s.timing.defaults);
  const recoveryLag = splitLag(s.fund.claimLagMonths + s.fund.recoveryLagMonths, monthsPerPeriod, s.timing.defaults);
  const lockIn = Math.floor(u + s.fund.claimLockInMonths / monthsPerPeriod + 1e-9);
  // A claim held back by the lock-in is paid when it ends; its recovery follows by the exact lag.
  const recoveryAfterLockIn = Math.floor(u + (s.fund.claimLockInMonths + s.fund.recoveryLagMonths) / monthsPerPeriod + 1e-9);
  const subsidy = s.support.feeSubsidy;
  // A loan's first `loanYears` years run from its origination point u into the period: whole
  // periods, then the covered part of the next.
  const subsidyEnd = subsidy ? subsidy.loanYears * periodsPerYear + u : 0;
  const runoff: RunoffSettings = {
    claimLag: claimLag.periods, claimLagFraction: claimLag.fraction,
    recoveryLag: recoveryLag.periods, recoveryLagFraction: recoveryLag.fraction,
    lockIn, recoveryAfterLockIn,
    // With no defaults in a loan's first year, the period of origination and those up to twelve months count.
    quietPeriods: s.timing.claimsInFirstYear ? 0 : periodsPerYear,
    subsidyPeriods: Math.floor(subsidyEnd + 1e-9),
    subsidyBoundaryWeight: subsidyEnd - Math.floor(subsidyEnd + 1e-9) > 1e-9 ? subsidyEnd - Math.floor(subsidyEnd + 1e-9) : 0,
    stateShare: s.support.stateLossSharing?.basis === 'vintage' ? s.support.stateLossSharing.share : 0,
    firstExposure, defaultedExposure: d,
  };
  // Periods from a default to the last payment it causes (a split lag reaches one period further).
  const lastPayment = Math.max(
    claimLag.periods + (claimLag.fraction > 0 ? 1 : 0),
    recoveryLag.periods + (recoveryLag.fraction > 0 ? 1 : 0),
  );
  // The last period with any payment: each lending vintage defaults until its life ends, and
  // pays its last claim or recovery lastPayment periods later (or after its lock-in).
  let lastActive = periods - 1;
  for (let t = 0; t < periods; t++) {
    for (let si = 0; si < STAGE_COUNT; si++) {
      let lends = false;
      for (let g = 0; g < gradeCount[si]! && !lends; g++) lends = demand[(t * STAGE_COUNT + si) * grades + g]! > 0;
      if (lends) lastActive = Math.max(lastActive, t + life[si]! - 1 + lastPayment, lockIn > 0 ? t + recoveryAfterLockIn : 0);
    }
  }
  const runoffPeriods = options.lifetime === false ? 0 : lastActive - (periods - 1);
  const totalPeriods = periods + runoffPeriods;

  const feeSubsidyShare = new Float64Array(periods * STAGE_COUNT);
  if (subsidy) {
    for (let t = 0; t < periods; t++) {
      const year = Math.floor(t / periodsPerYear) + 1;
      if (year < subsidy.fromYear || year > subsidy.toYear) continue;
      STAGES.forEach((st, si) => (feeSubsidyShare[t * STAGE_COUNT + si] = subsidy.stages.includes(st) ? subsidy.share : 0));
    }
  }

  const discountStart = new Float64Array(totalPeriods);
  const discountEnd = new Float64Array(totalPeriods);
  const capitalCharge = new Float64Array(totalPeriods);
  const capitalCost = s.costing.capitalCostRate;
  for (let t = 0; t < totalPeriods; t++) {
    discountStart[t] = discountFactor(s.costing.discountRate, t * dt);
    discountEnd[t] = discountFactor(s.costing.discountRate, (t + 1) * dt);
    // Without a rate of its own, capital is charged at the curve's forward rate for the period.
    capitalCharge[t] = capitalCost === null ? discountStart[t]! / discountEnd[t]! - 1 : Math.pow(1 + capitalCost, dt) - 1;
  }

  const injections = new Float64Array(totalPeriods);
  for (const inj of s.fund.capitalInjections) injections[(inj.year - 1) * periodsPerYear]! += inj.amount;

  let defaultsWeight = 0;
  let recoveryWeighted = 0;
  for (let i = 0; i < recoveryRate.length; i++) {
    defaultsWeight += demandShare[i]! * pd[i]!;
    recoveryWeighted += demandShare[i]! * pd[i]! * recoveryRate[i]!;
  }
  const meanRecoveryRate = defaultsWeight > 0 ? recoveryWeighted / defaultsWeight : s.fund.recoveryModel === 'flatRate' ? s.fund.recoveryRate : recoveryRate[0] ?? 0;

  const stressShift = new Float64Array(Math.ceil(totalPeriods / periodsPerYear));
  for (const st of s.monteCarlo.stress) {
    for (let y = st.fromYear; y <= Math.min(st.toYear, s.horizonYears); y++) stressShift[y - 1]! += st.shift;
  }

  const call = s.support.capitalCall;
  return {
    scenario: s, periodsPerYear, dt, periods, runoffPeriods, totalPeriods, grades, gradeCount, decisions,
    loanSize, coverage, upfrontFeeRate, annualFeeRate, annualFeeByAge, recoveryRate, meanRecoveryRate, life, pd, correlation,
    maxLife, balanceAtDefault, balanceEnd, balanceAverage, runoff,
    firstRisk: s.timing.newLoanRisk === 'fullPeriod' ? 1 : firstExposure,
    feeSubsidyShare, discountStart, discountEnd, capitalCharge,
    capitalCallDelay: call ? 1 + Math.round(call.lagMonths / monthsPerPeriod) : 0,
    reinsurerRecoveryLag: splitLag(s.fund.recoveryLagMonths, monthsPerPeriod, s.timing.defaults),
    demand, additionalDemand, counterfactualLoans, applicants,
    transitions: buildTransitions(s, dt, stageGrades.map((g) => g.length), grades),
    queueLength: Math.max(totalPeriods, periods + maxLife + lastPayment + recoveryAfterLockIn) + 2,
    injections,
    stressShift,
  };
}

/** Guaranteed take-up per (stage, grade) and additional take-up per stage, as shares of applicants. */
function takeUpShares(decisions: readonly SegmentDecision[], grades: number): { demand: Float64Array; additional: Float64Array } {
  const demand = new Float64Array(STAGE_COUNT * grades);
  const additional = new Float64Array(STAGE_COUNT);
  for (const d of decisions) {
    const si = STAGES.indexOf(d.stage);
    demand[si * grades + d.grade]! += d.share * d.guaranteedShare;
    additional[si]! += d.share * d.additionalShare;
  }
  return { demand, additional };
}

/**
 * Yearly transition probabilities scaled to the period (probability × period length, a
 * first-order approximation that is exact for annual periods). Grades map across stages by
 * relative position: the riskiest grade of one stage goes to the riskiest of the next.
 */
function buildTransitions(s: Scenario, dt: number, gradeCounts: number[], grades: number): Plan['transitions'] {
  const trans = new Float64Array(STAGE_COUNT * STAGE_COUNT);
  const exit = new Float64Array(STAGE_COUNT);
  let any = false;
  STAGES.forEach((from, i) => {
    const t = s.stages[from].transitions;
    STAGES.forEach((to, j) => {
      if (i !== j) trans[i * STAGE_COUNT + j] = t[to] * dt;
    });
    exit[i] = t.exit * dt;
    any ||= exit[i]! > 0 || STAGES.some((_, j) => trans[i * STAGE_COUNT + j]! > 0);
  });
  if (!any) return null;
  const gradeMap = new Int32Array(STAGE_COUNT * grades * STAGE_COUNT);
  for (let si = 0; si < STAGE_COUNT; si++) {
    for (let g = 0; g < gradeCounts[si]!; g++) {
      for (let r = 0; r < STAGE_COUNT; r++) {
        gradeMap[(si * grades + g) * STAGE_COUNT + r] = Math.min(gradeCounts[r]! - 1, Math.floor(((g + 0.5) * gradeCounts[r]!) / gradeCounts[si]!));
      }
    }
  }
  return { trans, exit, gradeMap };
}
