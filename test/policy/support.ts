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
  adminCostFixedPerYear: 0,
  costPerLoan: 0,
  idleCashRate: 0,
  capacity: 'continuous',
  annualPd: 0.1,
  lossGivenDefault: 0.5,
  demandByYear: [10],
  discountRate: 0,
};

/**
 * An MFI funded with 1,000,000 of equity, lending 1-year loans of 1,000 at a 26 % yield with a
 * 15 % operating expense ratio and no cost per loan, 5 % default on first and repeat loans alike
 * and nothing recovered; no debt; every applicant accepted and every client who repays returns;
 * demand far above what it can lend (no growth constraint from demand); idle cash earns nothing.
 */
export const mfiHandTerms: MicrofinanceTerms = {
  budget: 1_000_000,
  funding: 'equity',
  concessionalRate: 0.02,
  otherEquity: 0,
  horizonYears: 3,
  periodsPerYear: 1,
  loanSize: 1000,
  tenorMonths: 12,
  amortisation: 'linear',
  portfolioYield: 0.26,
  operatingCostPerLoan: 0,
  operatingExpenseRatio: 0.15,
  costOfFunds: 0.1,
  maxDebtToEquity: 0,
  idleCashRate: 0,
  applicantsPerYear: 10_000_000,
  applicantGrowthRate: 0,
  rejectionRate: 0,
  retentionRate: 1,
  annualPd: 0.05,
  repeatAnnualPd: 0.05,
  lossGivenDefault: 1,
  discountRate: 0,
};
