/**
 * The plan: a scenario turned into the plain numbers and typed arrays the period engine runs
 * on. Built once per scenario, shared by the deterministic projection and every Monte Carlo
 * path, so both run the same mechanics.
 */
import { averageBalanceFraction, balanceFraction, PRE_INSTALMENT } from './amortisation.ts';
import { effectiveFeeRate } from './fees.ts';
import { riskGradesOf } from './grades.ts';
import { segmentDecisions, type SegmentDecision } from './lender.ts';
import type { Scenario } from './schema.ts';
import { STAGES, STAGE_COUNT } from './stages.ts';

/** Position of origination, defaults within a period, as a fraction of the period. */
const POSITION = { start: 0, middle: 0.5, end: 1 } as const;

export interface Plan {
  readonly scenario: Scenario;
  readonly periodsPerYear: number;
  /** Period length in years. */
  readonly dt: number;
  readonly periods: number;
  /** Largest number of risk grades of any stage: the stride of (stage, grade) arrays. */
  readonly grades: number;
  readonly gradeCount: Int32Array;
  readonly decisions: readonly SegmentDecision[];
  /** Per stage. */
  readonly loanSize: Float64Array;
  readonly coverage: Float64Array;
  readonly upfrontFeeRate: Float64Array;
  readonly annualFeeRate: Float64Array;
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
  /**
   * Weight of the defaulted loans in the period's average live count: defaults at the start
   * were never live (0), at the middle half the period (0.5), at the end all of it (1).
   */
  readonly defaultedExposure: number;
  /** Fraction of the period of origination during which a new loan is exposed. */
  readonly firstExposure: number;
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
  readonly claimLagPeriods: number;
  /** Claims of vintage o are paid no earlier than period o + lockInPeriods: the period in which the lock-in ends. */
  readonly lockInPeriods: number;
  readonly recoveryLagPeriods: number;
  readonly injections: Float64Array;
  /** Deterministic shift of the systematic factor per year (0-based), from the stress overlays. */
  readonly stressShift: Float64Array;
}

export function buildPlan(s: Scenario): Plan {
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
  const upfrontFeeRate = new Float64Array(STAGE_COUNT);
  const annualFeeRate = new Float64Array(STAGE_COUNT);
  const life = new Int32Array(STAGE_COUNT);
  const correlation = new Float64Array(STAGE_COUNT);
  STAGES.forEach((st, i) => {
    const p = s.stages[st];
    loanSize[i] = p.loanSize;
    coverage[i] = decisions.find((x) => x.stage === st)?.effectiveCoverage ?? 0;
    upfrontFeeRate[i] = effectiveFeeRate(s.guarantee.upfrontFee, p.loanSize);
    annualFeeRate[i] = effectiveFeeRate(s.guarantee.annualFee, p.loanSize);
    // Age at the end of period k is (k + 1 − u) × dt; the loan is gone once that reaches the tenor.
    life[i] = Math.ceil(p.tenorYears / dt + u - 1e-9);
    correlation[i] = p.assetCorrelation;
  });
  const maxLife = Math.max(1, ...life);

  const pd = new Float64Array(STAGE_COUNT * grades);
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
      for (const seg of segs) {
        guaranteed += seg.share * seg.guaranteedShare;
        rateWeighted += seg.share * seg.guaranteedShare * seg.withGuarantee.requiredRate;
        additionalShare[si] += seg.share * seg.additionalShare;
        counterfactualShare[si] += seg.without.lends ? seg.share : 0;
      }
      demandShare[idx] = guaranteed;
      pd[idx] = segs[0]?.withGuarantee.pd ?? 0;
      // Annuity instalments are at the loan rate: the guaranteed loans' average required rate.
      const annualRate = guaranteed > 0 ? rateWeighted / guaranteed : s.lender.fundingCost;
      const terms = { amortisation: s.timing.amortisation, tenorYears: params.tenorYears, instalmentsPerYear: s.timing.instalmentsPerYear, annualRate };
      for (let k = 0; k < maxLife; k++) {
        const x0 = k === 0 ? u : 0;
        const age = (x: number) => (k + x - u) * dt;
        const at = idx * maxLife + k;
        // A loan that defaults at an instalment date defaults on the balance before that instalment.
        balanceAtDefault[at] = balanceFraction(terms, age(x0 + d * (1 - x0)) - PRE_INSTALMENT);
        balanceEnd[at] = balanceFraction(terms, age(1));
        balanceAverage[at] = averageBalanceFraction(terms, age(x0), age(1));
      }
    });
  });

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
      const guaranteedShare = demandShare.subarray(si * grades, si * grades + gradeCount[si]!).reduce((a, b) => a + b, 0);
      let stageLoans = firms * guaranteedShare;
      let gradeWeights = Array.from(demandShare.subarray(si * grades, si * grades + grades));
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
      const additionalRate = guaranteedShare > 0 ? additionalShare[si]! / guaranteedShare : 0;
      additionalDemand[t * STAGE_COUNT + si] = stageLoans * additionalRate;
    });
  }

  const injections = new Float64Array(periods);
  for (const inj of s.fund.capitalInjections) injections[(inj.year - 1) * periodsPerYear] += inj.amount;

  const stressShift = new Float64Array(s.horizonYears);
  for (const st of s.monteCarlo.stress) {
    for (let y = st.fromYear; y <= Math.min(st.toYear, s.horizonYears); y++) stressShift[y - 1] += st.shift;
  }

  const monthsPerPeriod = 12 / periodsPerYear;
  return {
    scenario: s, periodsPerYear, dt, periods, grades, gradeCount, decisions,
    loanSize, coverage, upfrontFeeRate, annualFeeRate, life, pd, correlation,
    maxLife, balanceAtDefault, balanceEnd, balanceAverage, defaultedExposure: d, firstExposure,
    demand, additionalDemand, counterfactualLoans, applicants,
    transitions: buildTransitions(s, dt, stageGrades.map((g) => g.length), grades),
    claimLagPeriods: Math.round(s.fund.claimLagMonths / monthsPerPeriod),
    lockInPeriods: Math.floor(u + s.fund.claimLockInMonths / monthsPerPeriod + 1e-9),
    recoveryLagPeriods: Math.round(s.fund.recoveryLagMonths / monthsPerPeriod),
    injections,
    stressShift,
  };
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
