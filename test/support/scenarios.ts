/** Small, fully specified scenarios for tests: every value the hand calculations rely on is explicit. */
import type { ScenarioInput } from '../../src/core/schema.ts';
import { parseScenario, type Scenario } from '../../src/core/schema.ts';

export function stage(overrides: Record<string, unknown> = {}) {
  return {
    applicantsPerYear: 0,
    loanSize: 10_000,
    tenorYears: 2,
    riskGrades: [{ share: 1, pd: 0.1 }],
    collateral: [{ share: 1, ratio: 0 }],
    lgdBeforeCollateral: 0.6,
    ...overrides,
  };
}

/** Parses a scenario input, failing the test with the issues when it does not validate. */
export function scenario(input: ScenarioInput | Record<string, unknown>): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`test scenario invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

/**
 * The two-period example worked by hand in ledger.test.ts: 100 founding-stage loans of
 * 10,000 originated at the start of year 1, linear over 2 years with one instalment a year,
 * 10 % PD, defaults at period end, 80 % coverage.
 */
export function twoPeriodInput(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name: 'Two-period hand example',
    horizonYears: 2,
    period: 'annual',
    timing: { origination: 'start', amortisation: 'linear', instalmentsPerYear: 1, defaults: 'end', investmentIncomeBasis: 'opening' },
    origination: { mode: 'direct', volumes: { founding: [1_000_000, 0], growth: [0], maturity: [0], transformation: [0] } },
    fund: {
      initialCapital: 500_000,
      investmentYield: 0.04,
      operatingCosts: { fixedPerYear: 10_000, shareOfOutstanding: 0.005, perNewGuarantee: 50 },
      leverageCap: 10,
      minCapitalRatio: 0,
      claimLagMonths: 0,
      claimLockInMonths: 0,
      recoveryRate: 0.5,
      recoveryLagMonths: 12,
      counterGuarantee: { share: 0.5, premiumRate: 0.004 },
    },
    guarantee: {
      coverageRatio: 0.8,
      upfrontFee: [{ upTo: null, rate: 0.01 }],
      annualFee: [{ upTo: null, rate: 0.02 }],
    },
    lender: { fundingCost: 0.05 },
    stages: { founding: stage(), growth: stage(), maturity: stage(), transformation: stage() },
    monteCarlo: {},
  };
}
