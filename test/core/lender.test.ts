import { describe, expect, it } from 'vitest';
import { lendingByStage } from '../../src/core/additionality.ts';
import { lenderTerms, segmentDecisions } from '../../src/core/lender.ts';
import { scenario, stage, twoPeriodInput } from '../support/scenarios.ts';

const base = () => {
  const input = twoPeriodInput();
  input.guarantee = { coverageRatio: 0.75, annualFee: [{ upTo: null, rate: 0.015 }] };
  input.lender = {
    fundingCost: 0.05, operatingCost: 0.02, hurdleReturn: 0.01, requiredCollateralRatio: 1.2, collateralHaircut: 0.3,
    maxLendingRate: 0.2, riskWeight: 0.75, guaranteedRiskWeight: 0.2, capitalRatio: 0.105, costOfEquity: 0.12,
    // A representative firm per segment: lending is the switch these hand calculations work.
    riskDispersion: 0, collateralDispersion: 0,
  };
  input.stages = {
    founding: stage({ applicantsPerYear: 1000, tenorYears: 5, riskGrades: [{ share: 1, pd: 0.04 }], collateral: [{ share: 0.4, ratio: 0.5 }, { share: 0.6, ratio: 2 }], projectReturn: { mean: 0.5, dispersion: 0 } }),
    growth: stage(), maturity: stage(), transformation: stage(),
  };
  return input;
};

describe('lender decision, worked by hand', () => {
  const s = scenario(base());
  const params = s.stages.founding;

  it('without the guarantee, collateral of 50 % leaves a gap and no loan', () => {
    // Pledged after the 30 % haircut: 0.35; required 1.2: gap 0.85 of the loan.
    const t = lenderTerms(s, params, 0.04, 0.5, 0);
    expect(t.collateralGap).toBeCloseTo(0.85, 12);
    expect(t.lends).toBe(false);
    // LGD after collateral 0.6 − 0.35 = 0.25; EL 0.04 × 0.25 = 0.01; capital charge 0.75 × 0.105 × 0.12.
    expect(t.expectedLoss).toBeCloseTo(0.01, 12);
    expect(t.requiredRate).toBeCloseTo(0.05 + 0.02 + 0.01 + 0.00945 + 0.01, 12);
  });

  it('with 75 % coverage only the uncovered quarter needs collateral: the gap closes', () => {
    const t = lenderTerms(s, params, 0.04, 0.5, 0.75);
    // 1.2 × 0.25 = 0.30 required against 0.35 pledged.
    expect(t.collateralGap).toBe(0);
    // Lender's LGD 0.25 × (1 − 0.75) = 0.0625; EL = 0.0025.
    expect(t.expectedLoss).toBeCloseTo(0.0025, 12);
    // Risk weight 0.75 × 0.25 + 0.2 × 0.75 = 0.3375; charge 0.3375 × 0.105 × 0.12 = 0.0042525.
    expect(t.capitalCharge).toBeCloseTo(0.0042525, 12);
    expect(t.requiredRate).toBeCloseTo(0.0867525, 12);
    // The borrower pays the fee on top: 0.75 × 1.5 % = 1.125 %.
    expect(t.borrowerAllInRate).toBeCloseTo(0.0980025, 12);
    expect(t.lends).toBe(true);
  });

  it('a rate cap below the required rate rations the segment', () => {
    const input = base();
    (input.lender as Record<string, number>).maxLendingRate = 0.08;
    const capped = scenario(input);
    expect(lenderTerms(capped, capped.stages.founding, 0.04, 2, 0).lends).toBe(false);
  });

  it('additionality and substitution by stage', () => {
    // 40 % of applicants pledge 50 % (lent only with the guarantee), 60 % pledge 200 %
    // (1.4 after haircut ≥ 1.2: lent anyway, guaranteed all the same: deadweight).
    const [founding] = lendingByStage(s, segmentDecisions(s));
    expect(founding!.loansWithoutGuarantee).toBeCloseTo(600, 9);
    expect(founding!.additionalLoans).toBeCloseTo(400, 9);
    expect(founding!.substitutedLoans).toBeCloseTo(600, 9);
    expect(founding!.loansWithScheme).toBeCloseTo(1000, 9);
    expect(founding!.additionalLending).toBeCloseTo(400 * 10_000, 6);
    // Average gap per applicant without: 0.4 × 0.85 × 10,000 = 3,400.
    expect(founding!.collateralGapWithout).toBeCloseTo(3400, 6);
  });

  it('deadweight take-up scales substitution only', () => {
    const input = base();
    (input.guarantee as Record<string, unknown>).deadweightTakeUp = 0.5;
    const s2 = scenario(input);
    const [founding] = lendingByStage(s2, segmentDecisions(s2));
    expect(founding!.substitutedLoans).toBeCloseTo(300, 9);
    expect(founding!.additionalLoans).toBeCloseTo(400, 9);
  });

  it('moral hazard raises the PD of guaranteed loans: PD × (1 + m × c)', () => {
    const input = base();
    input.moralHazard = { pdUpliftAtFullCoverage: 0.5 };
    const s2 = scenario(input);
    const seg = segmentDecisions(s2).find((d) => d.stage === 'founding')!;
    expect(seg.withGuarantee.pd).toBeCloseTo(0.04 * (1 + 0.5 * 0.75), 14);
    expect(seg.without.pd).toBe(0.04);
  });
});
