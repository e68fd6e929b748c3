/**
 * What the lenders do with and without the guarantee, by stage, for one year's applicants:
 * outreach, additionality and substitution (deadweight), collateral gaps, rates.
 */
import type { SegmentDecision } from './lender.ts';
import type { Scenario } from './schema.ts';
import { STAGES, type Stage } from './stages.ts';

export interface StageLending {
  readonly stage: Stage;
  readonly applicants: number;
  readonly loansWithoutGuarantee: number;
  readonly lendingWithoutGuarantee: number;
  /** Loans made when the scheme exists, guaranteed or not. */
  readonly loansWithScheme: number;
  readonly lendingWithScheme: number;
  readonly guaranteedLoans: number;
  readonly additionalLoans: number;
  readonly additionalLending: number;
  readonly substitutedLoans: number;
  readonly substitutedLending: number;
  /** Average collateral gap per applicant, in money, before and after the guarantee. */
  readonly collateralGapWithout: number;
  readonly collateralGapWith: number;
  /** Average borrower all-in rate of the loans made, with and without the guarantee (null when none). */
  readonly borrowerRateWithout: number | null;
  readonly borrowerRateWith: number | null;
  readonly lenderReturnWithout: number | null;
  readonly lenderReturnWith: number | null;
}

const weightedMean = (pairs: [number, number][]): number | null => {
  const w = pairs.reduce((a, [weight]) => a + weight, 0);
  return w > 0 ? pairs.reduce((a, [weight, x]) => a + weight * x, 0) / w : null;
};

export function lendingByStage(s: Scenario, decisions: readonly SegmentDecision[]): StageLending[] {
  return STAGES.map((stage) => {
    const params = s.stages[stage];
    const firms = params.applicantsPerYear;
    const size = params.loanSize;
    const segs = decisions.filter((d) => d.stage === stage);
    const n = (pick: (d: SegmentDecision) => number) => segs.reduce((a, d) => a + firms * d.share * pick(d), 0);
    const perApplicant = (pick: (d: SegmentDecision) => number) => segs.reduce((a, d) => a + d.share * pick(d), 0);
    const loansWithoutGuarantee = n((d) => d.without.takeUp);
    const additionalLoans = n((d) => d.additionalShare);
    const substitutedLoans = n((d) => d.substitutedShare);
    const loansWithScheme = loansWithoutGuarantee + additionalLoans;
    return {
      stage,
      applicants: firms,
      loansWithoutGuarantee,
      lendingWithoutGuarantee: loansWithoutGuarantee * size,
      loansWithScheme,
      lendingWithScheme: loansWithScheme * size,
      guaranteedLoans: additionalLoans + substitutedLoans,
      additionalLoans,
      additionalLending: additionalLoans * size,
      substitutedLoans,
      substitutedLending: substitutedLoans * size,
      collateralGapWithout: perApplicant((d) => d.without.collateralGap * size),
      collateralGapWith: perApplicant((d) => d.withGuarantee.collateralGap * size),
      borrowerRateWithout: weightedMean(segs.filter((d) => d.without.takeUp > 0).map((d) => [d.share * d.without.takeUp, d.without.borrowerAllInRate])),
      borrowerRateWith: weightedMean(segs.filter((d) => d.guaranteedShare > 0).map((d) => [d.share * d.guaranteedShare, d.withGuarantee.borrowerAllInRate])),
      lenderReturnWithout: weightedMean(segs.filter((d) => d.without.takeUp > 0).map((d) => [d.share * d.without.takeUp, d.without.lenderReturnOnCapital])),
      lenderReturnWith: weightedMean(segs.filter((d) => d.guaranteedShare > 0).map((d) => [d.share * d.guaranteedShare, d.withGuarantee.lenderReturnOnCapital])),
    };
  });
}
