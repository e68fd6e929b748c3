/** fast-check generators of valid scenarios, covering every timing option and product feature. */
import fc from 'fast-check';
import { parseScenario, type Scenario } from '../../src/core/schema.ts';

const frac = (min = 0, max = 1) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const shares = (n: number) =>
  fc.array(frac(0.05, 1), { minLength: n, maxLength: n }).map((w) => {
    const total = w.reduce((a, b) => a + b, 0);
    const out = w.map((x) => x / total);
    out[out.length - 1] = 1 - out.slice(0, -1).reduce((a, b) => a + b, 0);
    return out;
  });

const stageArb = fc.record({
  applicantsPerYear: fc.integer({ min: 0, max: 5000 }),
  applicantGrowthRate: frac(-0.1, 0.2),
  loanSize: fc.integer({ min: 1000, max: 500_000 }),
  tenorYears: fc.constantFrom(0.5, 1, 2, 3, 5, 7),
  grades: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(shares(n), fc.array(frac(0, 0.3), { minLength: n, maxLength: n }))),
  collateral: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(shares(n), fc.array(frac(0, 2.5), { minLength: n, maxLength: n }))),
  lgdBeforeCollateral: frac(0.2, 1),
  growth: frac(0, 0.3),
  exit: frac(0, 0.2),
}).map((x) => ({
  applicantsPerYear: x.applicantsPerYear,
  applicantGrowthRate: x.applicantGrowthRate,
  loanSize: x.loanSize,
  tenorYears: x.tenorYears,
  riskGrades: x.grades[0].map((share, i) => ({ share, pd: x.grades[1][i]! })),
  collateral: x.collateral[0].map((share, i) => ({ share, ratio: x.collateral[1][i]! })),
  lgdBeforeCollateral: x.lgdBeforeCollateral,
  transitions: { growth: x.growth, exit: x.exit },
}));

export const scenarioInputArb = fc.record({
  horizonYears: fc.integer({ min: 1, max: 12 }),
  period: fc.constantFrom('annual', 'quarterly'),
  timing: fc.record({
    origination: fc.constantFrom('start', 'middle', 'end'),
    amortisation: fc.constantFrom('bullet', 'linear', 'annuity'),
    instalmentsPerYear: fc.constantFrom(1, 4, 12),
    defaults: fc.constantFrom('start', 'middle', 'end'),
    investmentIncomeBasis: fc.constantFrom('opening', 'closing', 'average'),
  }),
  direct: fc.option(fc.array(fc.integer({ min: 0, max: 20_000_000 }), { minLength: 1, maxLength: 5 }), { nil: undefined }),
  fund: fc.record({
    initialCapital: fc.integer({ min: 0, max: 100_000_000 }),
    investmentYield: frac(0, 0.08),
    operatingCosts: fc.record({ fixedPerYear: fc.integer({ min: 0, max: 500_000 }), shareOfOutstanding: frac(0, 0.02), perNewGuarantee: fc.integer({ min: 0, max: 500 }) }),
    leverageCap: frac(1, 40),
    minCapitalRatio: frac(0, 0.2),
    claimLagMonths: fc.integer({ min: 0, max: 24 }),
    claimLockInMonths: fc.integer({ min: 0, max: 24 }),
    recoveryRate: frac(0, 0.8),
    recoveryLagMonths: fc.integer({ min: 0, max: 36 }),
    counterGuarantee: fc.record({ share: frac(0, 0.8), premiumRate: frac(0, 0.01) }),
    injection: fc.option(fc.record({ year: fc.integer({ min: 1, max: 12 }), amount: fc.integer({ min: 0, max: 10_000_000 }) }), { nil: undefined }),
  }),
  guarantee: fc.record({
    coverageRatio: frac(0, 1),
    upfrontFee: frac(0, 0.03),
    annualFee: frac(0, 0.04),
    feePayer: fc.constantFrom('borrower', 'lender'),
    maxGuaranteedPerLoan: fc.option(fc.integer({ min: 1000, max: 1_000_000 }), { nil: null }),
    portfolioLossCap: fc.option(frac(0.02, 0.5), { nil: null }),
  }),
  fundingCost: frac(0, 0.1),
  moralHazard: frac(0, 1),
  stages: fc.tuple(stageArb, stageArb, stageArb, stageArb),
}).map((x) => {
  const injections = x.fund.injection && x.fund.injection.year <= x.horizonYears ? [x.fund.injection] : [];
  const { injection: _unused, ...fund } = x.fund;
  return {
    schemaVersion: 1,
    name: 'generated',
    horizonYears: x.horizonYears,
    period: x.period,
    timing: x.timing,
    origination: x.direct
      ? { mode: 'direct', volumes: { founding: x.direct, growth: x.direct.slice(1).concat([0]), maturity: [0], transformation: x.direct } }
      : { mode: 'behavioural' },
    fund: { ...fund, capitalInjections: injections },
    guarantee: {
      coverageRatio: x.guarantee.coverageRatio,
      upfrontFee: [{ upTo: 50_000, rate: x.guarantee.upfrontFee }, { upTo: null, rate: x.guarantee.upfrontFee / 2 }],
      annualFee: [{ upTo: null, rate: x.guarantee.annualFee }],
      feePayer: x.guarantee.feePayer,
      maxGuaranteedPerLoan: x.guarantee.maxGuaranteedPerLoan,
      portfolioLossCap: x.guarantee.portfolioLossCap,
    },
    lender: { fundingCost: x.fundingCost },
    stages: { founding: x.stages[0], growth: x.stages[1], maturity: x.stages[2], transformation: x.stages[3] },
    moralHazard: { pdUpliftAtFullCoverage: x.moralHazard },
    monteCarlo: {},
  };
});

export const scenarioArb: fc.Arbitrary<Scenario> = scenarioInputArb.map((input) => {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`generator produced an invalid scenario: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
});
