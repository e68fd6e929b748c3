/**
 * The scenario: every input of a projection, in one zod schema. The same schema guards the
 * web form, the JSON API, the CLI and rows read back from the database.
 *
 * Units: rates and shares are fractions (0.02 = 2 %); rates are per year unless a field
 * says otherwise; money is in the scenario's currency; durations in years or months as named.
 */
import { z } from 'zod';
import { STAGES } from './stages.ts';
import { count, fill, money, numberError, rate, share } from './validation.ts';
import { msg } from '../i18n/translate.ts';

export const SCHEMA_VERSION = 1 as const;

export { MAX_MONEY } from './validation.ts';

/**
 * A fee schedule by size: brackets with an upper bound each (none for the last), applied as the
 * schedule's rule says (FeeRuleSchema): marginally or as slabs. A slab may charge a different
 * rate on the part of the amount above a threshold (SBA 7(a): 3.5 % of the guaranteed portion
 * up to USD 1 million and 3.75 % above).
 */
export const FeeBracketsSchema = z
  .array(
    z.object({
      upTo: money('Upper bound of this bracket (loan principal, or guaranteed amount where the rule says so); null for the last bracket').nullable(),
      rate: rate('Fee rate of this bracket', 0, 0.2),
      above: z.object({
        amount: money('Amount of the fee base above which another rate applies'),
        rate: rate('Rate on the part of the fee base above that amount', 0, 0.2),
      }).optional().describe('Slabs only: a different rate on the part of the fee base above an amount'),
    }),
  )
  .min(1, { error: msg('needs at least one bracket') })
  .max(12, { error: msg('at most 12 brackets') })
  .superRefine((brackets, ctx) => {
    brackets.forEach((b, i) => {
      const last = i === brackets.length - 1;
      if (last && b.upTo !== null) {
        ctx.addIssue({ code: 'custom', path: [i, 'upTo'], message: msg('the last bracket must have no upper bound (null)') });
      }
      if (!last && b.upTo === null) {
        ctx.addIssue({ code: 'custom', path: [i, 'upTo'], message: msg('only the last bracket may have no upper bound') });
      }
      const prev = brackets[i - 1];
      if (i > 0 && b.upTo !== null && prev && prev.upTo !== null && b.upTo <= prev.upTo) {
        ctx.addIssue({ code: 'custom', path: [i, 'upTo'], message: msg('bracket bounds must increase') });
      }
    });
  });

const flatFee = (r: number) => [{ upTo: null, rate: r }];

/**
 * How a fee schedule is applied, as schemes publish it: marginally like tax brackets or the
 * slab's rate on the whole amount; on the guaranteed amount or the loan's principal (for the
 * annual fee: outstanding); with the slabs' bounds on the loan or on the guaranteed amount.
 */
export const FeeRuleSchema = z.object({
  method: z.enum(['marginal', 'slab']).default('marginal')
    .describe('Marginal: each bracket’s rate applies to the part of the amount inside it (like tax brackets); slab: the rate of the bracket the amount falls in applies to the whole amount'),
  basis: z.enum(['guaranteed', 'principal']).default('guaranteed')
    .describe('What the rate is charged on: the guaranteed amount, or the loan’s principal (for the annual fee: the outstanding balance of either)'),
  boundsOn: z.enum(['loan', 'guaranteed']).default('loan').describe('Whether bracket bounds are loan sizes or guaranteed amounts'),
  minPerLoan: money('Smallest fee per loan (upfront) or per loan and year (annual); empty for none').nullable().default(null),
  maxPerLoan: money('Largest fee per loan (upfront) or per loan and year (annual); empty for none').nullable().default(null),
}).refine((r) => r.minPerLoan === null || r.maxPerLoan === null || r.minPerLoan <= r.maxPerLoan, { error: msg('the minimum fee must not exceed the maximum'), path: ['maxPerLoan'] });

/** Project returns of a stage's applicants: a firm borrows when its project earns at least the loan's all-in rate. */
export const ProjectReturnSchema = z.object({
  mean: rate('Mean expected return per year on the projects the stage’s firms want to finance', -0.5, 3).default(0.3),
  dispersion: z.number({ error: numberError }).min(0, { error: msg('must be 0 or more') }).max(2, { error: msg('must be at most 2') }).default(0.12)
    .describe('Standard deviation of project returns across the stage’s applicants (normal); 0 = every firm borrows below the mean return and none above it'),
}).prefault({});

export const RiskGradeSchema = z.object({
  share: share('Share of the stage’s applicants in this risk grade'),
  pd: share('Annual probability of default of a firm in this grade'),
});

export const CollateralLevelSchema = z.object({
  share: share('Share of the stage’s applicants who can pledge this much collateral'),
  ratio: z.number().min(0, { error: msg('must be 0 or more') }).max(5, { error: msg('must be at most 5 (500 % of the loan)') })
    .describe('Collateral the firm can pledge, market value as a fraction of the loan (1 = 100 %)'),
});

/** PD heterogeneity as a lognormal distribution, discretised into equally likely grades. */
export const PdDistributionSchema = z.object({
  distribution: z.literal('lognormal'),
  meanPd: share('Mean annual probability of default of the stage’s firms'),
  dispersion: z.number().min(0).max(3).describe('Standard deviation of log PD (0 = every firm alike; 1 = PDs spread over a factor of about 7 between the 16th and 84th percentiles)'),
  grades: z.number().int().min(1).max(10).default(5).describe('Number of equally likely grades the distribution is cut into'),
});

const sumsToOne = (items: readonly { share: number }[]) => Math.abs(items.reduce((s, x) => s + x.share, 0) - 1) < 1e-6;

export const TransitionsSchema = z
  .object({
    founding: share('Yearly probability of moving to the founding stage').default(0),
    growth: share('Yearly probability of moving to the growth stage').default(0),
    maturity: share('Yearly probability of moving to the maturity stage').default(0),
    transformation: share('Yearly probability of moving to the transformation stage').default(0),
    exit: share('Yearly probability that the firm leaves the portfolio without default (repays early, is sold or closes solvent)').default(0),
  })
  .refine((t) => t.founding + t.growth + t.maturity + t.transformation + t.exit <= 1 + 1e-9, {
    error: msg('the transition probabilities out of a stage must sum to at most 1'),
  });

export const StageSchema = z.object({
  applicantsPerYear: count('Firms of this stage applying for a loan in the first year', 1e8),
  applicantGrowthRate: rate('Yearly growth of the number of applicants', -0.5, 1).default(0),
  loanSize: money('Average loan principal'),
  tenorYears: z.number().min(0.25, { error: msg('must be at least 0.25 (three months)') }).max(30, { error: msg('must be at most 30 years') })
    .describe('Loan tenor in years'),
  riskGrades: z.union([
    z.array(RiskGradeSchema).min(1, { error: msg('needs at least one risk grade') }).max(10, { error: msg('at most 10 risk grades') })
      .refine(sumsToOne, { error: msg('the risk grade shares must sum to 1') }),
    PdDistributionSchema,
  ], { error: msg('must be a list of risk grades (each with share and pd) or a lognormal distribution (with distribution, meanPd and dispersion)') }).describe('Risk grades (the heterogeneity of default probabilities among the stage’s firms), listed or as a distribution discretised into grades'),
  collateral: z.array(CollateralLevelSchema).min(1, { error: msg('needs at least one collateral level') }).max(10, { error: msg('at most 10 collateral levels') })
    .refine(sumsToOne, { error: msg('the collateral level shares must sum to 1') })
    .describe('Distribution of the collateral firms can pledge, as a fraction of the loan'),
  lgdBeforeCollateral: share('Loss given default before collateral: the share of the balance lost when the firm defaults and nothing is pledged'),
  assetCorrelation: rate('Asset correlation with the business cycle (Vasicek ρ); Basel uses 0.12–0.24 for corporates, 0.03–0.16 for retail', 0, 0.99).default(0.12),
  repeatBorrowerShare: share('Share of the stage’s guaranteed loans after the first year that go to firms the fund has already served (one firm, two loans)').default(0),
  projectReturn: ProjectReturnSchema.describe('What the stage’s firms expect to earn on the projects they borrow for: how demand answers the all-in rate'),
  transitions: TransitionsSchema.default({ founding: 0, growth: 0, maturity: 0, transformation: 0, exit: 0 })
    .describe('Yearly probabilities that a firm with a loan moves to another stage or exits'),
});

const stageShape = Object.fromEntries(STAGES.map((s) => [s, StageSchema])) as Record<(typeof STAGES)[number], typeof StageSchema>;

const perStageSeries = z.array(money('Loan principal originated in the period')).min(1, { error: msg('needs at least one value') }).max(120, { error: msg('at most 120 values') });

export const OriginationSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('behavioural') }).describe('Volumes follow from the lenders’ decisions for each applicant segment'),
  z.object({
    mode: z.literal('direct'),
    volumes: z.object(Object.fromEntries(STAGES.map((s) => [s, perStageSeries])) as Record<(typeof STAGES)[number], typeof perStageSeries>)
      .describe('Guaranteed loan principal originated per period and stage; the last value repeats for later periods'),
  }),
], { error: msg('must be "behavioural" (from lenders’ decisions) or "direct" (volumes given)') });

export const TimingSchema = z.object({
  origination: z.enum(['start', 'middle', 'end']).default('middle').describe('When loans are originated within a period'),
  amortisation: z.enum(['bullet', 'linear', 'annuity']).default('annuity').describe('How loan principal is repaid'),
  instalmentsPerYear: z.union([z.literal(1), z.literal(4), z.literal(12)]).default(12)
    .describe('Instalments per year for linear and annuity repayment (at the loan rate for annuities)'),
  defaults: z.enum(['start', 'middle', 'end']).default('middle')
    .describe('When defaults (and so the exposure claimed) fall within a period'),
  investmentIncomeBasis: z.enum(['opening', 'closing', 'average']).default('average')
    .describe('Capital on which investment income is earned: opening, closing (before that income) or their average'),
  investmentIncomeExcludes: z.enum(['nothing', 'claims', 'claimsAndCosts']).default('nothing')
    .describe('Flows left out of the closing capital on which investment income is earned (spreadsheet models often take claims and costs as paid at the period’s end)'),
  newLoanRisk: z.enum(['exposure', 'fullPeriod']).default('exposure')
    .describe('Default risk of a loan in its period of origination: in proportion to its time on the books, or the full period’s rate (the annual rate applied to period-end outstanding, as spreadsheet models do)'),
  claimsInFirstYear: z.boolean().default(true)
    .describe('Whether a loan can default in its first twelve months; false follows models that apply the default rate from the second year'),
  defaultBalance: z.enum(['beforeInstalment', 'afterInstalment']).default('beforeInstalment')
    .describe('When a default falls on a payment date, whether the claim is on the balance before that instalment or after it'),
});

/** A zero-coupon curve: spot rates by maturity in years, linear between points and flat beyond them. */
export const DiscountCurveSchema = z.array(z.object({
  years: z.number({ error: numberError }).min(0, { error: msg('must be 0 or more') }).max(60, { error: msg('must be at most 60 years') }).describe('Maturity in years'),
  rate: rate('Spot rate for that maturity', -0.05, 0.5),
})).min(1, { error: msg('needs at least one point') }).max(30, { error: msg('at most 30 points') })
  .refine((c) => c.every((p, i) => i === 0 || p.years > c[i - 1]!.years), { error: msg('maturities must increase') });

export const CostingSchema = z.object({
  discountRate: z.union([rate('Government borrowing rate per year, used to discount every cash flow', -0.05, 0.5), DiscountCurveSchema], {
    error: msg('must be a rate (0.04 = 4 %) or a curve of points, each with years and rate'),
  }).default(0.04).describe('Discount rate: one rate, or the government’s zero-coupon curve by maturity'),
  capitalCostRate: rate('Rate at which the government values the capital tied up in the fund; empty = the discount rate', -0.05, 0.5)
    .nullable().default(null),
  breakEvenBasis: z.enum(['lifetime', 'lifetimeWithInvestmentIncome', 'horizon']).default('lifetime')
    .describe('Basis of the break-even fee: every cohort to maturity without investment income, with it, or capital at the horizon equal to capital put in'),
  riskCapitalConfidence: z.number({ error: numberError }).min(0.5, { error: msg('must be at least 0.5') }).max(0.9999, { error: msg('must be at most 0.9999') }).default(0.999)
    .describe('Confidence at which the fund holds capital against unexpected loss (risk-based fee, prudent leverage)'),
}).prefault({});

export const SupportSchema = z.object({
  capitalCall: z.object({
    triggerRatio: share('Capital / outstanding guarantees below which the government tops the fund up'),
    targetRatio: share('Capital / outstanding guarantees the top-up restores'),
    lagMonths: z.number({ error: numberError }).min(0, { error: msg('must be 0 or more') }).max(36, { error: msg('must be at most 36 months') }).default(0)
      .describe('Months from the period in which capital falls under the trigger to the payment (0 = at the start of the next period)'),
  }).refine((c) => c.targetRatio >= c.triggerRatio, { error: msg('the target ratio must be at least the trigger ratio'), path: ['targetRatio'] })
    .nullable().default(null).describe('Capital calls by rule; empty for none'),
  stateLossSharing: z.object({
    share: share('Share of the claims above the threshold that the state pays'),
    threshold: share('Claims, as a fraction of the vintage’s principal lent (per vintage) or of the year’s average outstanding guarantees (per year), above which the state pays'),
    basis: z.enum(['vintage', 'year']).default('vintage').describe('Whether the threshold applies to each vintage’s cumulative claims or to each year’s claims'),
  }).nullable().default(null).describe('State compensation of losses above a threshold; empty for none'),
  feeSubsidy: z.object({
    share: share('Share of the guarantee fee the government pays in the borrower’s place'),
    loanYears: z.number({ error: numberError }).int({ error: msg('must be a whole number of years') }).min(1, { error: msg('must be at least 1 year') }).max(30, { error: msg('must be at most 30 years') })
      .describe('Years of each loan’s life for which the fee is subsidised (the upfront fee is in its first year)'),
    fromYear: z.number().int().min(1).max(30).default(1).describe('First year of origination whose loans get the subsidy'),
    toYear: z.number().int().min(1).max(30).default(30).describe('Last year of origination whose loans get the subsidy'),
    stages: z.array(z.enum(STAGES)).min(1, { error: msg('needs at least one stage') }).default([...STAGES]).describe('Stages whose loans get the subsidy'),
  }).nullable().default(null).describe('Fee subsidy: the fund receives the full fee, the government pays part of it; empty for none'),
}).prefault({});

export const CapitalInjectionSchema = z.object({
  year: z.number().int({ error: msg('must be a whole year') }).min(1, { error: msg('must be year 1 or later') }).max(30, { error: msg('must be year 30 or earlier') })
    .describe('Year of the injection (1 = first year); paid at the start of its first period'),
  amount: money('Capital injected by the government'),
});

export const FundSchema = z.object({
  initialCapital: money('Capital the fund starts with'),
  capitalInjections: z.array(CapitalInjectionSchema).max(30).default([]).describe('Scheduled capital injections'),
  investmentYield: rate('Yield earned on the fund’s capital', -0.05, 0.3).default(0.03),
  operatingCosts: z.object({
    fixedPerYear: money('Fixed operating cost per year').default(0),
    shareOfOutstanding: rate('Operating cost per year as a fraction of outstanding guarantees', 0, 0.2).default(0.005),
    perNewGuarantee: money('Cost of issuing one new guarantee (appraisal, processing)').default(0),
  }).prefault({}),
  leverageCap: z.number().min(0.1, { error: msg('must be at least 0.1') }).max(100, { error: msg('must be at most 100') })
    .describe('Maximum outstanding guarantees as a multiple of capital (leverage L = G / E); real funds run 5–40×').default(10),
  minCapitalRatio: share('Capital / outstanding guarantees below which the fund stops issuing new guarantees').default(0.05),
  claimLagMonths: z.number().min(0).max(60).default(6).describe('Months between a default and the payment of the claim; a lag that is not a whole number of periods splits a period’s claims between two periods'),
  claimLockInMonths: z.number().min(0).max(60).default(0)
    .describe('Months after origination before a claim can be paid (CGTMSE uses a lock-in); claims are deferred, not refused'),
  recoveryRate: share('Share of a paid claim that flows back to the fund from recoveries (the flat-rate recovery model)').default(0.3),
  recoveryModel: z.enum(['flatRate', 'collateral']).default('flatRate')
    .describe('Where the fund’s recoveries come from: a flat share of each claim, or the loan’s recoveries (unsecured recovery and pledged collateral after its haircut) shared with the lender by the sharing rule'),
  collateralSharing: z.enum(['pariPassu', 'lenderFirst', 'fundFirst']).default('pariPassu')
    .describe('How a defaulted loan’s recoveries are shared under the collateral model: in proportion to coverage, first to the lender’s uncovered part, or first to the fund'),
  recoveryLagMonths: z.number().min(0).max(120).default(24).describe('Months between paying a claim and receiving its recovery'),
  counterGuarantee: z.object({
    share: share('Share of every claim reinsured by a counter-guarantor (Japan Finance Corporation reinsures Japan’s CGCs)').default(0),
    premiumRate: rate('Premium per year on the reinsured part of outstanding guarantees', 0, 0.2).default(0),
    capShareOfLending: share('Cap on the counter-guarantor’s cumulative payments, as a fraction of the cumulative amount guaranteed; empty for none').nullable().default(null),
  }).prefault({}),
});

export const GuaranteeSchema = z.object({
  coverageRatio: share('Share of the loss on a loan the fund covers (coverage ratio c)'),
  coverageByStage: z.object(Object.fromEntries(STAGES.map((s) => [s, share(`Coverage ratio for ${s}-stage firms`).optional()])) as Record<(typeof STAGES)[number], z.ZodOptional<z.ZodNumber>>)
    .prefault({}).describe('Coverage ratio per stage, overriding the overall one'),
  upfrontFee: FeeBracketsSchema.default(flatFee(0)).describe('Upfront fee, a fraction of the guaranteed amount, tiered by loan size'),
  annualFee: FeeBracketsSchema.default(flatFee(0.015)).describe('Annual fee on the outstanding guaranteed amount, tiered by loan size'),
  feePayer: z.enum(['borrower', 'lender']).default('borrower')
    .describe('Who bears the fee: the borrower on top of interest, or the lender, who passes it into the interest rate (so the rate cap limits it)'),
  maxGuaranteedPerLoan: money('Maximum guaranteed amount per loan').nullable().default(null),
  portfolioLossCap: share('Cap on a vintage’s claims as a fraction of the principal lent in it (UK EFG: 0.0975, lenders’ claims capped at 13 % of lending × 75 % cover); null for none').nullable().default(null),
  deadweightTakeUp: share('Share of loans the lender would make anyway that it still puts under guarantee (substitution)').default(1),
  upfrontFeeRule: FeeRuleSchema.prefault({}).describe('How the upfront fee schedule is applied'),
  annualFeeRule: FeeRuleSchema.prefault({}).describe('How the annual fee schedule is applied'),
  firstYearFeeOnGuaranteedAmount: z.boolean().default(false)
    .describe('Charge the first year’s annual fee on the full guaranteed amount when the loan is made, and the fee on the outstanding amount from the second year (as CGTMSE does)'),
  annualFeeByPd: z.array(z.object({
    upToPd: share('Highest annual PD of this band; the last band has no bound (null)').nullable(),
    rate: rate('Annual fee rate for firms in this band', 0, 0.2),
  })).min(1).max(12).nullable().default(null)
    .describe('Risk-based annual fee: the rate by the firm’s PD band, replacing the annual fee schedule; empty for none (Japan’s CGCs price nine risk tiers)'),
  claimsRatioAdjustment: z.array(z.object({
    claimsRatioUpTo: z.number().min(0).max(10).nullable().describe('Highest claims ratio (claims paid in the year ÷ amount guaranteed outstanding) of this band; null for the last'),
    adjustment: z.number().min(-1).max(5).describe('Relative change of the annual fee for the next year (−0.1 = 10 % discount, 0.7 = 70 % surcharge)'),
  })).min(1).max(12).nullable().default(null)
    .describe('Annual fee surcharge or discount by the portfolio’s claims ratio in the previous year (CGTMSE: −10 % to +70 %); empty for none'),
  collateralPolicy: z.enum(['uncoveredPart', 'none']).default('uncoveredPart')
    .describe('Collateral the lender requires on a guaranteed loan: on the uncovered part, or none (a collateral-free product such as CGTMSE’s)'),
  collateralShareOfUncovered: share('Share of the uncovered part on which the lender requires collateral (1 = all of it)').default(1),
});

export const LenderSchema = z.object({
  fundingCost: rate('Lender’s cost of funds', 0, 0.5),
  operatingCost: rate('Lender’s operating cost per year as a fraction of the loan', 0, 0.5).default(0.02),
  hurdleReturn: rate('Margin per year the lender requires above all costs and the capital charge', 0, 0.5).default(0.01),
  requiredCollateralRatio: z.number().min(0).max(5).default(1.2)
    .describe('Collateral the lender requires, as a fraction of the uncovered loan (World Bank Enterprise Surveys: often above 1)'),
  collateralHaircut: share('Fraction of pledged collateral’s market value the lender disregards').default(0.3),
  maxLendingRate: rate('Highest interest rate the lender may or will charge (rate cap)', 0, 2).default(0.2),
  riskWeight: z.number().min(0).max(2.5).default(0.75).describe('Risk weight of an unguaranteed SME loan (0.75 = 75 %)'),
  guaranteedRiskWeight: z.number().min(0).max(2.5).default(0.2).describe('Risk weight of the guaranteed part (0 for a sovereign-backed guarantee, as CGTMSE)'),
  capitalRatio: share('Capital the lender holds per unit of risk-weighted assets').default(0.105),
  costOfEquity: rate('Lender’s cost of equity', 0, 1).default(0.12),
  riskDispersion: z.number().min(0).max(2).default(0.5)
    .describe('Spread of the lender’s assessment of firms within a segment: standard deviation of log PD around the grade’s PD (0 = every firm alike, so a segment is lent to entirely or not at all)'),
  collateralDispersion: z.number().min(0).max(2).default(0.5)
    .describe('Spread of what firms within a collateral level can pledge: standard deviation of log collateral (0 = every firm pledges exactly its level)'),
});

export const MoralHazardSchema = z.object({
  pdUpliftAtFullCoverage: z.number().min(0).max(5).default(0)
    .describe('Relative rise of PD on guaranteed loans when the lender bears none of the loss, from weaker screening: PD × (1 + m × e), e the share of its expected loss the lender sheds (coverage after the loss cap, less any fee it pays); 0 = none'),
});

export const MonteCarloSchema = z.object({
  paths: z.number().int().min(1).max(1_000_000).default(2000).describe('Number of simulated paths'),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).describe('Random seed: the same seed gives the same results'),
  cyclePersistence: rate('AR(1) persistence of the systematic factor from one year to the next (0 = independent years)', -0.99, 0.99).default(0.5),
  stress: z.array(z.object({
    fromYear: z.number().int().min(1).max(30).describe('First year of the stress'),
    toYear: z.number().int().min(1).max(30).describe('Last year of the stress'),
    shift: z.number().min(-5).max(5).describe('Shift of the systematic factor Z in standard deviations (negative = recession)'),
  })).max(10).default([]).describe('Deterministic stress overlays on the business cycle'),
  downturnLgdSensitivity: z.number().min(0).max(1).default(0)
    .describe('How much recoveries fall in downturns: recovery × (1 + s × Z) clamped to [0, 1]; 0 = none'),
}).prefault({});

export const ScenarioSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION, { error: (i) => (i.input === undefined ? msg('is required') : fill(msg('must be {version}'), { version: SCHEMA_VERSION })) }).describe('Version of the scenario format'),
  name: z.string().trim().min(1, { error: msg('is required') }).max(120, { error: msg('at most 120 characters') }).describe('Scenario name'),
  description: z.string().max(4000).default('').describe('What the scenario represents'),
  sources: z.array(z.string().max(500)).max(20).default([]).describe('Sources of the parameters'),
  assumptions: z.array(z.string().max(500)).max(50).default([]).describe('Parameters that are assumptions rather than sourced values'),
  horizonYears: z.number().int({ error: msg('must be a whole number of years') }).min(1, { error: msg('must be at least 1 year') }).max(30, { error: msg('must be at most 30 years') })
    .describe('Projection horizon in years'),
  period: z.enum(['annual', 'quarterly']).default('annual').describe('Length of a projection period'),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: msg('must be a three-letter ISO 4217 code such as USD') }).default('USD')
    .describe('ISO 4217 currency code, used for formatting only'),
  timing: TimingSchema.prefault({}),
  origination: OriginationSchema.default({ mode: 'behavioural' }),
  fund: FundSchema,
  guarantee: GuaranteeSchema,
  lender: LenderSchema,
  stages: z.object(stageShape),
  moralHazard: MoralHazardSchema.prefault({}),
  costing: CostingSchema,
  support: SupportSchema,
  monteCarlo: MonteCarloSchema,
}).superRefine((s, ctx) => {
  s.fund.capitalInjections.forEach((inj, i) => {
    if (inj.year > s.horizonYears) {
      ctx.addIssue({ code: 'custom', path: ['fund', 'capitalInjections', i, 'year'], message: fill(msg('falls after the horizon ({years} years)'), { years: s.horizonYears }) });
    }
  });
  s.monteCarlo.stress.forEach((st, i) => {
    if (st.toYear < st.fromYear) {
      ctx.addIssue({ code: 'custom', path: ['monteCarlo', 'stress', i, 'toYear'], message: msg('must not be before fromYear') });
    }
  });
});

/** A scenario after validation, with every default filled in. */
export type Scenario = z.output<typeof ScenarioSchema>;
/** What a user may write: defaults may be left out. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type StageParams = z.output<typeof StageSchema>;
export type FeeBrackets = z.output<typeof FeeBracketsSchema>;
export type DiscountRate = z.output<typeof CostingSchema>['discountRate'];
export type FeeRule = z.output<typeof FeeRuleSchema>;

export interface FieldIssue {
  /** Dotted path of the bad field, e.g. `stages.growth.riskGrades.0.pd`. */
  readonly path: string;
  readonly message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Parse-level messages, in the same plain words, for issues no field-level message covers. */
const requiredError = (issue: z.core.$ZodRawIssue): string | undefined => {
  const i = issue as z.core.$ZodRawIssue & { minimum?: number | bigint; maximum?: number | bigint; origin?: string; inclusive?: boolean; expected?: string; values?: unknown[] };
  if (i.code === 'invalid_type') {
    if (i.input === undefined) return msg('is required');
    if (i.expected === 'number') return msg('must be a number');
    if (i.expected === 'array') return msg('must be a list');
    return fill(/^[aeiou]/.test(String(i.expected)) ? msg('must be an {type}') : msg('must be a {type}'), { type: String(i.expected) });
  }
  const bound = (x: number | bigint | undefined) => Number(x).toLocaleString('en');
  if (i.code === 'too_small') {
    const min = bound(i.minimum);
    if (i.origin === 'array') return fill(i.inclusive === false ? msg('must be more than {min} items') : msg('must be at least {min} items'), { min });
    if (i.origin === 'string') return fill(i.inclusive === false ? msg('must be more than {min} characters') : msg('must be at least {min} characters'), { min });
    return fill(i.inclusive === false ? msg('must be more than {min}') : msg('must be at least {min}'), { min });
  }
  if (i.code === 'too_big') {
    const max = bound(i.maximum);
    if (i.origin === 'array') return fill(i.inclusive === false ? msg('must be less than {max} items') : msg('must be at most {max} items'), { max });
    if (i.origin === 'string') return fill(i.inclusive === false ? msg('must be less than {max} characters') : msg('must be at most {max} characters'), { max });
    return fill(i.inclusive === false ? msg('must be less than {max}') : msg('must be at most {max}'), { max });
  }
  if (i.code === 'invalid_value' && i.values) return fill(msg('must be one of {options}'), { options: i.values.map((v) => JSON.stringify(v)).join(', ') });
  if (i.code === 'unrecognized_keys') return undefined;
  return undefined;
};

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(scenario)',
    message: issue.message,
  }));
}

/** Validates unknown input (a form, a JSON body, a file, a database row) as a scenario. */
export function parseScenario(input: unknown): ParseResult<Scenario> {
  const result = ScenarioSchema.safeParse(input, { error: requiredError });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) };
}
