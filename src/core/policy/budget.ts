/**
 * "The same public budget, three ways" (issue 5, part 1; DOMAIN.md §6): with one budget, one
 * horizon and one target segment, what do (a) a guarantee fund, (b) a microfinance institution,
 * (c) a direct revolving loan fund and optionally (d) an interest subsidy on bank loans achieve?
 * Per option and year: firms reached, credit volume, additional credit, and what is left of the
 * budget; in total, the borrower's all-in annual cost, the fiscal cost (budget − value left at
 * the horizon) per firm reached and per unit of additional credit. The Monte Carlo variant gives
 * the distribution of what is left and the probability of losing more than half of it.
 *
 * Conventions shared by the options:
 *  - "firms reached" counts loans made (or guaranteed, or subsidised) to target firms; a firm
 *    that borrows again is counted again, as the projection's firmsSupported does;
 *  - demand is the target segment's firms per year, growing at its applicant growth rate; each
 *    wants one loan a year;
 *  - lending by the MFI and the revolving fund is additional for the target firms banks do not
 *    lend to (TargetSegment.unservedShare); the guarantee's and the subsidy's additionality
 *    follow the lender model (DOMAIN.md §3);
 *  - no discounting: amounts of different years are added as they are.
 */
import { z } from 'zod';
import { quantileSorted } from '../montecarlo/aggregate.ts';
import { runMonteCarlo } from '../montecarlo/run.ts';
import { PERCENTILES } from '../montecarlo/types.ts';
import { cents, type Money, ZERO } from '../money.ts';
import { streamFor } from '../random/rng.ts';
import { standardNormal } from '../random/samplers.ts';
import { conditionalDefaultProbability } from '../risk/vasicek.ts';
import { issuesOf, ScenarioSchema, type ParseResult, type Scenario } from '../schema.ts';
import { assumptionsOf, positiveMoney, rate, type Assumption } from './fields.ts';
import { guaranteeFundScenario, simulateGuaranteeFund, type GuaranteeFundLedger } from './guarantee.ts';
import { MICROFINANCE_DEFAULTS, MicrofinanceOptionSchema, microfinanceValueAtHorizon, simulateMicrofinance, type MicrofinanceLedger, type MicrofinanceTerms } from './microfinance.ts';
import { REVOLVING_FUND_DEFAULTS, RevolvingFundOptionSchema, revolvingFundValueAtHorizon, simulateRevolvingFund, type RevolvingFundLedger, type RevolvingFundTerms } from './revolving.ts';
import { INTEREST_SUBSIDY_DEFAULTS, InterestSubsidyOptionSchema, simulateInterestSubsidy, subsidisedLending, type InterestSubsidyLedger, type InterestSubsidyTerms } from './subsidy.ts';
import { resolveTarget, TargetSchema, withExplicitSegment, type TargetSegment } from './target.ts';

export const OPTION_KINDS = ['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy'] as const;
export type OptionKind = (typeof OPTION_KINDS)[number];

export const OPTION_LABELS: Readonly<Record<OptionKind, string>> = {
  guaranteeFund: 'Guarantee fund',
  microfinance: 'Microfinance institution',
  revolvingFund: 'Revolving loan fund',
  interestSubsidy: 'Interest subsidy',
};

export const MonteCarloSettingsSchema = z.object({
  paths: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(200_000, { error: 'must be at most 200,000' })
    .default(1000).describe('Number of simulated paths'),
  seed: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(2 ** 32 - 1, { error: 'must be at most 4294967295' })
    .default(42).describe('Random seed: the same seed gives the same results; every option sees the same business cycle on a path'),
  cyclePersistence: rate('AR(1) persistence of the business-cycle factor from one year to the next (0 = independent years)', -0.99, 0.99).default(0.5),
}).prefault({});

export const BudgetComparisonSchema = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, { error: 'is required' }).max(120, { error: 'at most 120 characters' }).default('Budget comparison')
    .describe('Name of the comparison'),
  description: z.string({ error: 'must be text' }).max(4000, { error: 'at most 4000 characters' }).default('').describe('What the comparison represents'),
  budget: positiveMoney('Public budget to spend, in the currency'),
  horizonYears: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number of years' }).min(1, { error: 'must be at least 1 year' }).max(30, { error: 'must be at most 30 years' })
    .describe('Horizon of the comparison in years; it replaces the base scenario’s'),
  currency: z.string({ error: 'must be text' }).regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code such as USD' }).default('USD')
    .describe('ISO 4217 currency code, used for formatting only'),
  periodsPerYear: z.union([z.literal(1), z.literal(4), z.literal(12)], { error: 'must be 1, 4 or 12' }).default(12)
    .describe('Periods per year of the MFI’s, the revolving fund’s and the subsidised loans’ books (12 = monthly); loan tenors are rounded to whole periods'),
  scenario: ScenarioSchema.optional().describe('Base scenario: the guarantee fund option, a stage target and the lender model for additionality'),
  target: TargetSchema,
  guaranteeFund: z.object({
    enabled: z.boolean({ error: 'must be true or false' }).default(true).describe('Include the guarantee fund (the base scenario, capitalised with the budget)'),
  }).prefault({}),
  microfinance: MicrofinanceOptionSchema,
  revolvingFund: RevolvingFundOptionSchema,
  interestSubsidy: InterestSubsidyOptionSchema,
  monteCarlo: MonteCarloSettingsSchema,
}, { error: 'must be a JSON object describing a budget comparison' }).superRefine((c, ctx) => {
  if (!c.scenario && c.target.kind === 'stage') {
    ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'is required when the target is a stage of the base scenario (or give the target explicitly)' });
  }
  if (!c.scenario && c.guaranteeFund.enabled) {
    ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'is required for the guarantee fund option (or set guaranteeFund.enabled to false)' });
  }
  if (!c.scenario && c.interestSubsidy.enabled && c.interestSubsidy.bankRate === null) {
    ctx.addIssue({ code: 'custom', path: ['interestSubsidy', 'bankRate'], message: 'is required without a base scenario (whose lender model gives it otherwise)' });
  }
  if (!c.guaranteeFund.enabled && !c.microfinance.enabled && !c.revolvingFund.enabled && !c.interestSubsidy.enabled) {
    ctx.addIssue({ code: 'custom', path: [], message: 'enable at least one option' });
  }
});

export type BudgetComparison = z.output<typeof BudgetComparisonSchema>;
export type BudgetComparisonInput = z.input<typeof BudgetComparisonSchema>;

const requiredError = (issue: { code?: string; input?: unknown }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** Validates unknown input (a JSON body, a file) as a budget comparison; issues name the bad fields. */
export function parseBudgetComparison(input: unknown): ParseResult<BudgetComparison> {
  if (input !== null && typeof input === 'object' && typeof (input as { scenario?: unknown }).scenario === 'string') {
    return { ok: false, issues: [{ path: 'scenario', message: 'must be a scenario object: resolve a preset id or file path to the scenario first (the CLI does)' }] };
  }
  const result = BudgetComparisonSchema.safeParse(input, { error: requiredError });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: issuesOf(result.error).map((i) => (i.path === '(scenario)' ? { ...i, path: '(comparison)' } : i)) };
}

/** One option's outcome in one year. */
export interface OptionYear {
  readonly year: number;
  readonly firmsReached: number;
  /** Principal lent (or guaranteed, or subsidised) to target firms in the year. */
  readonly creditVolume: Money;
  /** Of that, credit the firms would not have had otherwise. */
  readonly additionalCredit: Money;
  /** What is left of the budget at the year's end. */
  readonly valueLeft: Money;
}

interface OptionCommon {
  readonly label: string;
  readonly years: readonly OptionYear[];
  readonly firmsReached: number;
  readonly creditVolume: Money;
  readonly additionalCredit: Money;
  /** What a target firm pays per year, all in (interest and fees, less any subsidy); null when no loans are made. */
  readonly borrowerAllInRate: number | null;
  readonly valueLeftAtHorizon: Money;
  /** Budget − value left at the horizon (negative: the budget grew). */
  readonly fiscalCost: Money;
  readonly fiscalCostPerFirm: Money | null;
  /** Fiscal cost per unit of additional credit (a ratio). */
  readonly fiscalCostPerUnitAdditionalCredit: number | null;
  /** Every parameter of the option with its basis: sourced, illustrative, derived or set by the user. */
  readonly assumptions: readonly Assumption[];
  /** Modelling choices a reader must know to read the figures. */
  readonly notes: readonly string[];
}

export type OptionResult =
  | (OptionCommon & { readonly option: 'guaranteeFund'; readonly detail: GuaranteeFundLedger })
  | (OptionCommon & { readonly option: 'microfinance'; readonly detail: MicrofinanceLedger })
  | (OptionCommon & { readonly option: 'revolvingFund'; readonly detail: RevolvingFundLedger })
  | (OptionCommon & { readonly option: 'interestSubsidy'; readonly detail: InterestSubsidyLedger });

export interface BudgetComparisonResult {
  readonly name: string;
  readonly description: string;
  readonly budget: Money;
  readonly horizonYears: number;
  readonly currency: string;
  readonly periodsPerYear: number;
  readonly target: TargetSegment;
  readonly options: readonly OptionResult[];
}

/** The base scenario as the lender model sees the target (explicit segments put in place). */
function lenderScenario(c: BudgetComparison): Scenario | undefined {
  if (!c.scenario) return undefined;
  return c.target.kind === 'explicit' ? withExplicitSegment(c.scenario, c.target) : c.scenario;
}

export function revolvingFundTerms(c: BudgetComparison, target: TargetSegment): RevolvingFundTerms {
  const o = c.revolvingFund;
  return {
    capital: c.budget,
    horizonYears: c.horizonYears,
    periodsPerYear: c.periodsPerYear,
    loanSize: o.loanSize ?? target.loanSize,
    tenorYears: o.tenorYears ?? target.tenorYears,
    amortisation: o.amortisation,
    lendingRate: o.lendingRate,
    adminCostRate: o.adminCostRate,
    costPerLoan: o.costPerLoan,
    annualPd: o.defaultRate ?? target.annualPd,
    lossGivenDefault: o.lossGivenDefault ?? target.lossGivenDefault,
    firmsPerYear: target.firmsPerYear,
    applicantGrowthRate: target.applicantGrowthRate,
  };
}

export function microfinanceTerms(c: BudgetComparison, target: TargetSegment): MicrofinanceTerms {
  const o = c.microfinance;
  return {
    budget: c.budget,
    funding: o.funding,
    concessionalRate: o.concessionalRate,
    otherEquity: o.otherEquity,
    horizonYears: c.horizonYears,
    periodsPerYear: c.periodsPerYear,
    portfolioYield: o.portfolioYield,
    operatingExpenseRatio: o.operatingExpenseRatio,
    costOfFunds: o.costOfFunds,
    maxDebtToEquity: o.maxDebtToEquity,
    loanSize: o.loanSize ?? target.loanSize,
    tenorYears: o.tenorYears ?? target.tenorYears,
    amortisation: o.amortisation,
    annualPd: o.defaultRate ?? target.annualPd * (1 - o.groupLendingDefaultReduction),
    lossGivenDefault: o.lossGivenDefault ?? target.lossGivenDefault,
    firmsPerYear: target.firmsPerYear,
    applicantGrowthRate: target.applicantGrowthRate,
  };
}

export interface InterestSubsidySetting {
  readonly terms: InterestSubsidyTerms;
  readonly bankRate: number | null;
  readonly takeUpShare: number;
  readonly additionalShare: number;
}

export function interestSubsidySetting(c: BudgetComparison, target: TargetSegment): InterestSubsidySetting {
  const o = c.interestSubsidy;
  const s = lenderScenario(c);
  const model = s ? subsidisedLending(s, target.stage, o.subsidyRate) : null;
  const takeUpShare = o.takeUpShare ?? model?.takeUpShare ?? 1 - target.unservedShare;
  return {
    terms: {
      budget: c.budget,
      horizonYears: c.horizonYears,
      periodsPerYear: c.periodsPerYear,
      subsidyRate: o.subsidyRate,
      loanSize: target.loanSize,
      tenorYears: target.tenorYears,
      amortisation: o.amortisation,
      loansPerYear: target.firmsPerYear * takeUpShare,
      applicantGrowthRate: target.applicantGrowthRate,
    },
    bankRate: o.bankRate ?? model?.bankRate ?? null,
    takeUpShare,
    additionalShare: o.additionalShare ?? model?.additionalShare ?? 0,
  };
}

function outcome(budget: number, label: string, years: OptionYear[], borrowerAllInRate: number | null, assumptions: Assumption[], notes: string[]): OptionCommon {
  const firmsReached = years.reduce((a, y) => a + y.firmsReached, 0);
  const creditVolume = years.reduce((a, y) => a.plus(y.creditVolume), ZERO);
  const additionalCredit = years.reduce((a, y) => a.plus(y.additionalCredit), ZERO);
  const valueLeftAtHorizon = years[years.length - 1]?.valueLeft ?? cents(budget);
  const fiscalCost = cents(budget).minus(valueLeftAtHorizon);
  return {
    label,
    years,
    firmsReached,
    creditVolume,
    additionalCredit,
    borrowerAllInRate: firmsReached > 0 ? borrowerAllInRate : null,
    valueLeftAtHorizon,
    fiscalCost,
    fiscalCostPerFirm: firmsReached > 1e-9 ? cents(fiscalCost.div(firmsReached)) : null,
    fiscalCostPerUnitAdditionalCredit: additionalCredit.greaterThan(0) ? fiscalCost.div(additionalCredit).toNumber() : null,
    assumptions,
    notes,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const amount = (currency: string, x: Money) => `${currency} ${x.toNumber().toLocaleString('en', { maximumFractionDigits: 0 })}`;

function targetAssumptions(target: TargetSegment): Assumption[] {
  return [{
    parameter: 'target.unservedShare',
    value: target.unservedShare,
    basis: target.unservedShareBasis === 'input' ? 'input' : target.unservedShareBasis === 'lender model' ? 'derived' : 'illustrative',
    note: target.unservedShareBasis === 'lender model'
      ? 'share of the target firms the lender turns down without a guarantee (collateral gap or rate cap; DOMAIN.md §3)'
      : target.unservedShareBasis === 'input' ? 'set in the comparison input' : 'no base scenario: every target firm is taken to lack bank credit',
  }];
}

/**
 * The scenario of option (a): the base scenario capitalised with the budget, target stage only.
 * Null when the comparison has no base scenario. A server can run its Monte Carlo on the worker
 * pool and pass the paths' closing capital to budgetComparisonMonteCarlo.
 */
export function guaranteeFundScenarioOf(c: BudgetComparison, seed = c.monteCarlo.seed): Scenario | null {
  if (!c.scenario) return null;
  return guaranteeFundScenario(c.scenario, c.target, { budget: c.budget, horizonYears: c.horizonYears, currency: c.currency, seed, cyclePersistence: c.monteCarlo.cyclePersistence });
}

function guaranteeFundOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const s = guaranteeFundScenarioOf(c)!;
  const detail = simulateGuaranteeFund(s, target.stage);
  const years = detail.years.map((y) => ({ year: y.year, firmsReached: y.guaranteesIssued, creditVolume: y.guaranteedLending, additionalCredit: y.additionalLending, valueLeft: y.valueLeft }));
  const sum = detail.summary;
  const assumptions: Assumption[] = [
    { parameter: 'scenario.fund.initialCapital', value: c.budget, basis: 'derived', note: 'the budget capitalises the fund' },
    { parameter: 'scenario.fund.capitalInjections', value: null, basis: 'derived', note: 'removed: the budget is the only public money' },
    { parameter: `scenario.stages (other than ${target.stage})`, value: 0, basis: 'derived', note: 'applicants of other stages set to zero: the fund guarantees the target firms only' },
    ...s.assumptions.map((text, i) => ({ parameter: `scenario.assumptions.${i}`, value: null, basis: 'illustrative' as const, note: text })),
  ];
  const notes = [
    `Value left is the fund’s capital at the horizon. Guarantees of ${amount(c.currency, sum.outstandingGuaranteedAtHorizon)} are still outstanding and will bring further claims; claims of ${amount(c.currency, sum.pendingClaims)} and recoveries of ${amount(c.currency, sum.pendingRecoveries)} from defaults before the horizon fall after it and are not counted.`,
    'Firms reached are guaranteed loans to the target stage; additional credit is the part banks would not have lent without the guarantee (lender model, DOMAIN.md §3).',
    'Borrower all-in cost: the lender’s rate plus the guarantee fee the borrower pays, averaged over the guaranteed segments.',
  ];
  return { option: 'guaranteeFund', ...outcome(c.budget, OPTION_LABELS.guaranteeFund, years, detail.borrowerAllInRate, assumptions, notes), detail };
}

function microfinanceOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const terms = microfinanceTerms(c, target);
  const detail = simulateMicrofinance(terms);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.loansDisbursed, creditVolume: y.amountDisbursed, additionalCredit: cents(y.amountDisbursed.times(target.unservedShare)), valueLeft: y.valueLeft,
  }));
  const assumptions = [
    ...assumptionsOf('microfinance', c.microfinance, MICROFINANCE_DEFAULTS, { loanSize: terms.loanSize, tenorYears: terms.tenorYears, defaultRate: terms.annualPd, lossGivenDefault: terms.lossGivenDefault }),
    ...targetAssumptions(target),
  ];
  const notes = [
    terms.funding === 'equity'
      ? 'Value left is the government’s share of the MFI’s book equity (loans at face value); the MFI keeps all profits (no dividends).'
      : 'Value left is the interest the government received plus the part of its loan the MFI’s equity and the loan could repay; the loan falls due after the horizon.',
    `Default rate ${pct(terms.annualPd)} a year on every loan alike: no fall with repeat borrowing (DOMAIN.md §6 reports 22.9 % on first loans to 3.2 % by the fifth, illustrative).`,
    'Idle cash earns nothing; commercial debt is drawn only to meet demand, up to the leverage limit; the public loan is outside that limit.',
    'Borrower all-in cost: the portfolio yield.',
  ];
  return { option: 'microfinance', ...outcome(c.budget, OPTION_LABELS.microfinance, years, terms.portfolioYield, assumptions, notes), detail };
}

function revolvingFundOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const terms = revolvingFundTerms(c, target);
  const detail = simulateRevolvingFund(terms);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.loansDisbursed, creditVolume: y.amountDisbursed, additionalCredit: cents(y.amountDisbursed.times(target.unservedShare)), valueLeft: y.valueLeft,
  }));
  const assumptions = [
    ...assumptionsOf('revolvingFund', c.revolvingFund, REVOLVING_FUND_DEFAULTS, { loanSize: terms.loanSize, tenorYears: terms.tenorYears, defaultRate: terms.annualPd, lossGivenDefault: terms.lossGivenDefault }),
    ...targetAssumptions(target),
  ];
  const notes = [
    'Value left is cash plus loans outstanding at face value; losses still to come on the loans outstanding are not deducted.',
    'Lending capacity is the fund’s cash: money on loan is lent again only once repaid. Idle cash earns nothing.',
    'Borrower all-in cost: the fund’s lending rate.',
  ];
  return { option: 'revolvingFund', ...outcome(c.budget, OPTION_LABELS.revolvingFund, years, terms.lendingRate, assumptions, notes), detail };
}

function interestSubsidyOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const setting = interestSubsidySetting(c, target);
  const detail = simulateInterestSubsidy(setting.terms);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.loansSubsidised, creditVolume: y.amountLent, additionalCredit: cents(y.amountLent.times(setting.additionalShare)), valueLeft: y.valueLeft,
  }));
  const assumptions = assumptionsOf('interestSubsidy', c.interestSubsidy, INTEREST_SUBSIDY_DEFAULTS, {
    bankRate: setting.bankRate, takeUpShare: setting.takeUpShare, additionalShare: setting.additionalShare,
  });
  const notes = [
    'Subsidy is committed for a loan’s whole life when it is enrolled and paid on its scheduled balance; defaults are ignored.',
    'Value left is the budget not yet paid out nor committed to enrolled loans.',
    'Borrower all-in cost: the bank’s rate less the subsidy.',
  ];
  const borrowerRate = setting.bankRate === null ? null : setting.bankRate - setting.terms.subsidyRate;
  return { option: 'interestSubsidy', ...outcome(c.budget, OPTION_LABELS.interestSubsidy, years, borrowerRate, assumptions, notes), detail };
}

/** Runs every enabled option on the same budget, horizon and target. Pure; throws only on a scenario the core itself rejects. */
export function compareBudget(c: BudgetComparison): BudgetComparisonResult {
  const target = resolveTarget(c.target, c.scenario);
  const options: OptionResult[] = [];
  if (c.guaranteeFund.enabled && c.scenario) options.push(guaranteeFundOption(c, target));
  if (c.microfinance.enabled) options.push(microfinanceOption(c, target));
  if (c.revolvingFund.enabled) options.push(revolvingFundOption(c, target));
  if (c.interestSubsidy.enabled) options.push(interestSubsidyOption(c, target));
  return { name: c.name, description: c.description, budget: cents(c.budget), horizonYears: c.horizonYears, currency: c.currency, periodsPerYear: c.periodsPerYear, target, options };
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo

export interface BudgetMonteCarloOptions {
  /** Defaults to the comparison's monteCarlo.paths and seed. */
  readonly paths?: number;
  readonly seed?: number;
  readonly onProgress?: (fraction: number) => void;
  /** Polled between paths; a stop returns what was finished with complete = false. */
  readonly shouldStop?: () => boolean;
  /**
   * Closing capital per path of the guarantee fund, from a run made elsewhere (the worker pool)
   * on guaranteeFundScenarioOf(c, seed) with the same paths and seed; when absent, runMonteCarlo
   * runs here in this thread.
   */
  readonly guaranteeFundClosingCapital?: ArrayLike<number>;
}

export interface ValueLeftDistribution {
  readonly option: OptionKind;
  readonly label: string;
  readonly paths: number;
  readonly mean: number;
  /** Percentiles of the value left at the horizon (PERCENTILES, in percent). */
  readonly percentiles: readonly { readonly percentile: number; readonly value: number }[];
  /** Share of paths that end with less than half the budget. */
  readonly probabilityLosingHalf: number;
  /** Share of paths that end with less than the budget. */
  readonly probabilityOfLoss: number;
  /** True when the option carries no credit risk in the model (the interest subsidy): every path is the same. */
  readonly deterministic: boolean;
}

export interface BudgetMonteCarloResult {
  readonly paths: number;
  readonly seed: number;
  readonly budget: number;
  readonly options: readonly ValueLeftDistribution[];
  /** False when stopped: only the options finished are listed. */
  readonly complete: boolean;
}

function distribution(option: OptionKind, values: Float64Array, budget: number, deterministic: boolean): ValueLeftDistribution {
  const sorted = Float64Array.from(values).sort();
  let mean = 0;
  let half = 0;
  let loss = 0;
  for (const v of sorted) {
    mean += v;
    if (v < budget / 2) half++;
    if (v < budget) loss++;
  }
  const n = sorted.length;
  return {
    option,
    label: OPTION_LABELS[option],
    paths: n,
    mean: mean / n,
    percentiles: PERCENTILES.map((p) => ({ percentile: p, value: quantileSorted(sorted, p / 100) })),
    probabilityLosingHalf: half / n,
    probabilityOfLoss: loss / n,
    deterministic,
  };
}

/**
 * Yearly business-cycle factors of one path: Z₁ ~ N(0, 1), Z_y = φ Z_{y−1} + √(1 − φ²) ε_y, the
 * same AR(1) cycle as the guarantee fund's Monte Carlo (montecarlo/paths.ts), from the stream
 * (seed, path) so a path's cycle does not depend on how paths are split.
 */
export function cycleFactors(seed: number, path: number, years: number, persistence: number): Float64Array {
  const rng = streamFor(seed, path);
  const z = new Float64Array(years);
  const innovation = Math.sqrt(1 - persistence * persistence);
  for (let y = 0; y < years; y++) {
    const eps = standardNormal(rng);
    z[y] = y === 0 ? eps : persistence * z[y - 1]! + innovation * eps;
  }
  return z;
}

/**
 * The distribution of what is left of the budget at the horizon, per option. The guarantee
 * fund runs its own Monte Carlo (runMonteCarlo, binomial defaults around the one-factor model);
 * the MFI and the revolving fund draw yearly default rates from the one-factor (Vasicek) model,
 * PD_y = p(Z_y) (DOMAIN.md §4), large-portfolio limit with no idiosyncratic noise, and both see
 * the same Z path on a given path (common random numbers). The interest subsidy has no credit
 * risk in the model.
 */
export function budgetComparisonMonteCarlo(c: BudgetComparison, options: BudgetMonteCarloOptions = {}): BudgetMonteCarloResult {
  const paths = options.paths ?? c.monteCarlo.paths;
  const seed = options.seed ?? c.monteCarlo.seed;
  const stop = options.shouldStop ?? (() => false);
  const progress = options.onProgress ?? (() => {});
  const target = resolveTarget(c.target, c.scenario);
  const out: ValueLeftDistribution[] = [];
  const done = (complete: boolean): BudgetMonteCarloResult => ({ paths, seed, budget: c.budget, options: out, complete });
  const withGuarantee = c.guaranteeFund.enabled && c.scenario !== undefined;
  const withLenders = c.microfinance.enabled || c.revolvingFund.enabled;
  const units = (withGuarantee ? paths : 0) + (withLenders ? paths : 0) || 1;

  if (withGuarantee) {
    if (stop()) return done(false);
    let closing = options.guaranteeFundClosingCapital;
    if (closing && closing.length !== paths) throw new Error(`guaranteeFundClosingCapital has ${closing.length} paths, expected ${paths}`);
    if (!closing) closing = runMonteCarlo(guaranteeFundScenarioOf(c, seed)!, { paths, seed, samplePaths: 0 }).pathSummaries.map((p) => p.closingCapital);
    out.push(distribution('guaranteeFund', Float64Array.from(closing), c.budget, false));
    progress(paths / units);
  }

  if (withLenders) {
    const mfi = c.microfinance.enabled ? microfinanceTerms(c, target) : null;
    const rlf = c.revolvingFund.enabled ? revolvingFundTerms(c, target) : null;
    const mfiValues = new Float64Array(paths);
    const rlfValues = new Float64Array(paths);
    const rho = target.assetCorrelation;
    const mfiPd = new Array<number>(c.horizonYears);
    const rlfPd = new Array<number>(c.horizonYears);
    const offset = withGuarantee ? paths : 0;
    for (let p = 0; p < paths; p++) {
      if (stop()) return done(false);
      const z = cycleFactors(seed, p, c.horizonYears, c.monteCarlo.cyclePersistence);
      for (let y = 0; y < c.horizonYears; y++) {
        if (mfi) mfiPd[y] = conditionalDefaultProbability(mfi.annualPd, rho, z[y]!);
        if (rlf) rlfPd[y] = conditionalDefaultProbability(rlf.annualPd, rho, z[y]!);
      }
      if (mfi) mfiValues[p] = microfinanceValueAtHorizon(mfi, mfiPd);
      if (rlf) rlfValues[p] = revolvingFundValueAtHorizon(rlf, rlfPd);
      if ((p + 1) % 100 === 0 || p + 1 === paths) progress((offset + p + 1) / units);
    }
    if (mfi) out.push(distribution('microfinance', mfiValues, c.budget, false));
    if (rlf) out.push(distribution('revolvingFund', rlfValues, c.budget, false));
  }

  if (c.interestSubsidy.enabled) {
    const ledger = simulateInterestSubsidy(interestSubsidySetting(c, target).terms);
    const value = ledger.years[ledger.years.length - 1]!.valueLeft.toNumber();
    out.push(distribution('interestSubsidy', new Float64Array(paths).fill(value), c.budget, true));
  }
  progress(1);
  return done(true);
}
