/**
 * The lender's decision for each applicant segment (stage × risk grade × collateral level),
 * with and without the guarantee. All figures are per unit of loan principal per year.
 *
 * Rule (a common convention; docs/model.md §3): the lender prices at
 *   rate = funding cost + operating cost + PD × LGD_lender + capital charge + hurdle (+ fee if it bears it)
 * and lends when that rate is within the rate cap and the collateral it requires is pledged.
 * Without collateral or history, a segment fails one of the two: it is rationed (Stiglitz and
 * Weiss 1981), and the guarantee can unlock it.
 */
import { effectiveFeeRate } from './fees.ts';
import { riskGradesOf } from './grades.ts';
import type { Scenario, StageParams } from './schema.ts';
import { STAGES, type Stage } from './stages.ts';

export interface LenderTerms {
  /** Collateral still missing after what the firm pledges, per unit of loan (≥ 0). */
  readonly collateralGap: number;
  readonly pd: number;
  /** Lender's expected loss per year, per unit of loan. */
  readonly expectedLoss: number;
  readonly capitalCharge: number;
  /** Guarantee fee the lender pays and passes into the rate, per year per unit of loan. */
  readonly feeInRate: number;
  /** The rate the lender needs to reach its hurdle. */
  readonly requiredRate: number;
  /** Interest plus any fee the borrower pays directly: the borrower's all-in annual cost. */
  readonly borrowerAllInRate: number;
  /** Lender's expected return on the capital it allocates, at the required rate. */
  readonly lenderReturnOnCapital: number;
  readonly lends: boolean;
}

export interface SegmentDecision {
  readonly stage: Stage;
  readonly grade: number;
  readonly collateralLevel: number;
  /** Share of the stage's applicants in this segment. */
  readonly share: number;
  readonly without: LenderTerms;
  readonly withGuarantee: LenderTerms;
  /** Coverage after the per-loan cap on the guaranteed amount. */
  readonly effectiveCoverage: number;
  /** Fraction of the segment's applicants who get a guaranteed loan. */
  readonly guaranteedShare: number;
  /** Fraction who get a loan only because of the guarantee. */
  readonly additionalShare: number;
  /** Fraction who get a guaranteed loan they would have got anyway (deadweight). */
  readonly substitutedShare: number;
}

/** Coverage for a stage after the per-stage override and the per-loan cap on the guaranteed amount. */
export function effectiveCoverage(s: Scenario, stage: Stage, loanSize: number): number {
  const c = s.guarantee.coverageByStage[stage] ?? s.guarantee.coverageRatio;
  const cap = s.guarantee.maxGuaranteedPerLoan;
  if (cap === null || loanSize <= 0) return c;
  return Math.min(c, cap / loanSize);
}

/** Guarantee fee per year per unit of loan: annual rate plus the upfront fee spread over the tenor, on the covered part. */
export function feeEquivalent(s: Scenario, stage: StageParams, coverage: number): number {
  const annual = effectiveFeeRate(s.guarantee.annualFee, stage.loanSize);
  const upfront = effectiveFeeRate(s.guarantee.upfrontFee, stage.loanSize);
  return coverage * (annual + upfront / stage.tenorYears);
}

/** PD of a guaranteed loan: moral hazard raises it with coverage, PD × (1 + m × c), capped at 1. */
export function guaranteedPd(s: Scenario, pd: number, coverage: number): number {
  return Math.min(1, pd * (1 + s.moralHazard.pdUpliftAtFullCoverage * coverage));
}

export function lenderTerms(
  s: Scenario,
  stage: StageParams,
  pd: number,
  collateralRatio: number,
  coverage: number,
): LenderTerms {
  const L = s.lender;
  const pledged = (1 - L.collateralHaircut) * collateralRatio;
  // The guarantee stands in for collateral on the covered part: only the uncovered part needs it.
  const collateralGap = Math.max(0, L.requiredCollateralRatio * (1 - coverage) - pledged);
  // Collateral recovers up to its haircut value; the rest of the loss is shared pari passu.
  const lgdLender = Math.max(0, stage.lgdBeforeCollateral - pledged) * (1 - coverage);
  const expectedLoss = pd * lgdLender;
  const riskWeight = L.riskWeight * (1 - coverage) + L.guaranteedRiskWeight * coverage;
  const capitalPerUnit = riskWeight * L.capitalRatio;
  const capitalCharge = capitalPerUnit * L.costOfEquity;
  const fee = coverage > 0 ? feeEquivalent(s, stage, coverage) : 0;
  const feeInRate = s.guarantee.feePayer === 'lender' ? fee : 0;
  const requiredRate = L.fundingCost + L.operatingCost + expectedLoss + capitalCharge + L.hurdleReturn + feeInRate;
  const borrowerAllInRate = requiredRate + (s.guarantee.feePayer === 'borrower' ? fee : 0);
  const margin = requiredRate - L.fundingCost - L.operatingCost - expectedLoss - feeInRate;
  const lenderReturnOnCapital = capitalPerUnit > 0 ? margin / capitalPerUnit : 0;
  const lends = collateralGap <= 1e-12 && requiredRate <= L.maxLendingRate + 1e-12;
  return { collateralGap, pd, expectedLoss, capitalCharge, feeInRate, requiredRate, borrowerAllInRate, lenderReturnOnCapital, lends };
}

export function segmentDecisions(s: Scenario): SegmentDecision[] {
  const out: SegmentDecision[] = [];
  for (const stage of STAGES) {
    const params = s.stages[stage];
    const coverage = effectiveCoverage(s, stage, params.loanSize);
    riskGradesOf(params).forEach((grade, g) => {
      params.collateral.forEach((level, j) => {
        const without = lenderTerms(s, params, grade.pd, level.ratio, 0);
        const withGuarantee = lenderTerms(s, params, guaranteedPd(s, grade.pd, coverage), level.ratio, coverage);
        const additionalShare = withGuarantee.lends && !without.lends ? 1 : 0;
        const substitutedShare = withGuarantee.lends && without.lends ? s.guarantee.deadweightTakeUp : 0;
        out.push({
          stage, grade: g, collateralLevel: j, share: grade.share * level.share,
          without, withGuarantee, effectiveCoverage: coverage,
          guaranteedShare: additionalShare + substitutedShare, additionalShare, substitutedShare,
        });
      });
    });
  }
  return out;
}
