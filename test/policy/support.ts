/** Small, fully specified inputs for the policy tests: every number the hand calculations use is explicit. */
import type { MicrofinanceTerms } from '../../src/core/policy/microfinance.ts';
import type { RevolvingFundTerms } from '../../src/core/policy/revolving.ts';

/** The revolving fund worked by hand over five years in revolving.test.ts. */
export const revolvingHandTerms: RevolvingFundTerms = {
  capital: 1_000_000,
  horizonYears: 5,
  periodsPerYear: 1,
  loanSize: 100_000,
  tenorYears: 2,
  amortisation: 'linear',
  lendingRate: 0.1,
  adminCostRate: 0.02,
  costPerLoan: 0,
  annualPd: 0.1,
  lossGivenDefault: 0.5,
  firmsPerYear: 10,
  applicantGrowthRate: 0,
};

/**
 * An MFI funded with 1,000,000 of equity, lending 1-year loans of 1,000 at a 26 % yield with a
 * 15 % operating expense ratio, 5 % default and nothing recovered; no debt; demand far above
 * what it can lend (no growth constraint from demand).
 */
export const mfiHandTerms: MicrofinanceTerms = {
  budget: 1_000_000,
  funding: 'equity',
  concessionalRate: 0.02,
  otherEquity: 0,
  horizonYears: 3,
  periodsPerYear: 1,
  portfolioYield: 0.26,
  operatingExpenseRatio: 0.15,
  costOfFunds: 0.1,
  maxDebtToEquity: 0,
  loanSize: 1000,
  tenorYears: 1,
  amortisation: 'linear',
  annualPd: 0.05,
  lossGivenDefault: 1,
  firmsPerYear: 10_000_000,
  applicantGrowthRate: 0,
};
