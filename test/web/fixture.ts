/** A small, complete scenario for the web tests (independent of the presets). */
import type { ScenarioInput } from '../../src/core/schema.ts';

const stage = (applicants: number, loanSize: number, pd: number, collateral: number) => ({
  applicantsPerYear: applicants,
  loanSize,
  tenorYears: 4,
  riskGrades: [
    { share: 0.5, pd: pd * 0.6 },
    { share: 0.5, pd: pd * 1.4 },
  ],
  collateral: [
    { share: 0.5, ratio: 0 },
    { share: 0.5, ratio: collateral },
  ],
  lgdBeforeCollateral: 0.6,
});

export const FIXTURE: ScenarioInput = {
  schemaVersion: 1,
  name: 'Web test fund',
  description: 'A fund for the web tests',
  horizonYears: 8,
  currency: 'EUR',
  fund: { initialCapital: 50_000_000, leverageCap: 10 },
  guarantee: { coverageRatio: 0.7 },
  lender: { fundingCost: 0.04 },
  stages: {
    founding: stage(400, 50_000, 0.06, 0.5),
    growth: stage(600, 120_000, 0.04, 0.8),
    maturity: stage(500, 200_000, 0.02, 1.2),
    transformation: stage(200, 150_000, 0.05, 0.9),
  },
  monteCarlo: { paths: 500, seed: 7 },
};
