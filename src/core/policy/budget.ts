/**
 * The same public budget, four ways: with one budget, one horizon and one target segment, what
 * do (a) a guarantee fund, (b) a microfinance institution, (c) a direct revolving loan fund and
 * (d) an interest subsidy on bank loans achieve? Each option lends its own product (the MFI its
 * microloans, the others the target's bank loan) and is measured on one basis (basis.ts):
 * distinct firms reached and loans made, lending and additional lending, the present value of
 * the public money consumed at one discount rate in the lifetime view, the money left at the
 * horizon and the share of the budget in use at its peak. The Monte Carlo variant gives the
 * distribution of the money left and the probability of losing more than half of it.
 *
 * Conventions shared by the options:
 *  - demand is the target segment's firms per year, growing at its applicant growth rate (the
 *    revolving fund can take a series year by year); each applicant is a new firm;
 *  - lending by the MFI and the revolving fund is additional for the target firms banks do not
 *    lend to (TargetSegment.unservedShare); the guarantee's and the subsidy's additionality
 *    follow the lender model (docs/model.md §3);
 *  - the leverage effect of a guarantee over direct lending is reported when, and only when,
 *    the guarantee fund reaches more firms than the revolving fund with the same money.
 * docs/budget-comparison.md describes the options and the basis for users.
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
import type { PublicAccount } from './basis.ts';
import { leverageSentence } from './leverage.ts';
import { msg, type Translate } from '../../i18n/translate.ts';
import { englishText } from './english.ts';
import { assumptionsOf, positiveMoney, rate, type Assumption } from './fields.ts';
import { numberError } from '../validation.ts';
import { guaranteeFundScenario, simulateGuaranteeFund, type GuaranteeFundLedger } from './guarantee.ts';
import { MICROFINANCE_DEFAULTS, MicrofinanceOptionSchema, microfinanceValueAtHorizon, simulateMicrofinance, type MicrofinanceLedger, type MicrofinanceTerms } from './microfinance.ts';
import { REVOLVING_FUND_DEFAULTS, RevolvingFundOptionSchema, revolvingFundValueAtHorizon, simulateRevolvingFund, type RevolvingFundLedger, type RevolvingFundTerms } from './revolving.ts';
import { INTEREST_SUBSIDY_DEFAULTS, InterestSubsidyOptionSchema, simulateInterestSubsidy, subsidisedLending, type InterestSubsidyLedger, type InterestSubsidyTerms } from './subsidy.ts';
import { resolveTarget, TargetSchema, withExplicitSegment, type TargetSegment } from './target.ts';

export const OPTION_KINDS = ['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy'] as const;
export type OptionKind = (typeof OPTION_KINDS)[number];

export const OPTION_LABELS: Readonly<Record<OptionKind, string>> = {
  guaranteeFund: msg('Guarantee fund'),
  microfinance: msg('Microfinance institution'),
  revolvingFund: msg('Revolving loan fund'),
  interestSubsidy: msg('Interest subsidy'),
};

/** The comparison's discount rate when none is given: 4 % a year, as the guarantee fund's costing takes by default. */
export const DEFAULT_DISCOUNT_RATE = 0.04;

export const MonteCarloSettingsSchema = z.object({
  paths: z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(200_000, { error: 'must be at most 200,000' })
    .default(1000).describe(msg('Number of simulated paths')),
  seed: z.number({ error: numberError }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(2 ** 32 - 1, { error: 'must be at most 4294967295' })
    .default(42).describe(msg('Random seed: the same seed gives the same results; every option sees the same business cycle on a path')),
  cyclePersistence: rate(msg('AR(1) persistence of the business-cycle factor from one year to the next (0 = independent years)'), -0.99, 0.99).default(0.5),
}).prefault({});

export const BudgetComparisonSchema = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, { error: 'is required' }).max(120, { error: 'at most 120 characters' }).default('Budget comparison')
    .describe(msg('Name of the comparison')),
  description: z.string({ error: 'must be text' }).max(4000, { error: 'at most 4000 characters' }).default('').describe(msg('What the comparison represents')),
  budget: positiveMoney(msg('Public budget to spend, in the currency')),
  horizonYears: z.number({ error: numberError }).int({ error: 'must be a whole number of years' }).min(1, { error: 'must be at least 1 year' }).max(30, { error: 'must be at most 30 years' })
    .describe(msg('Horizon of the comparison in years; it replaces the base scenario’s')),
  currency: z.string({ error: 'must be text' }).regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code such as USD' }).default('USD')
    .describe(msg('ISO 4217 currency code, used for formatting only')),
  periodsPerYear: z.union([z.literal(1), z.literal(4), z.literal(12)], { error: 'must be 1, 4 or 12' }).default(12)
    .describe(msg('Periods per year of the MFI’s, the revolving fund’s and the subsidised loans’ books (12 = monthly); loan tenors are rounded to whole periods')),
  discountRate: rate(msg('Discount rate per year for the present value of the public money every option consumes (a government borrowing rate)'), -0.05, 0.5).default(DEFAULT_DISCOUNT_RATE),
  scenario: ScenarioSchema.optional().describe(msg('Base scenario: the guarantee fund option, a stage target and the lender model for additionality')),
  target: TargetSchema,
  guaranteeFund: z.object({
    enabled: z.boolean({ error: 'must be true or false' }).default(true).describe(msg('Include the guarantee fund (the base scenario, capitalised with the budget)')),
  }).prefault({}),
  microfinance: MicrofinanceOptionSchema,
  revolvingFund: RevolvingFundOptionSchema,
  interestSubsidy: InterestSubsidyOptionSchema,
  monteCarlo: MonteCarloSettingsSchema,
}, { error: 'must be a JSON object describing a budget comparison' }).superRefine((c, ctx) => {
  if (!c.scenario && c.target.kind === 'stage') {
    ctx.addIssue({ code: 'custom', path: ['scenario'], message: msg('is required when the target is a stage of the base scenario (or give the target explicitly)') });
  }
  if (!c.scenario && c.guaranteeFund.enabled) {
    ctx.addIssue({ code: 'custom', path: ['scenario'], message: msg('is required for the guarantee fund option (or set guaranteeFund.enabled to false)') });
  }
  if (!c.scenario && c.interestSubsidy.enabled && c.interestSubsidy.bankRate === null) {
    ctx.addIssue({ code: 'custom', path: ['interestSubsidy', 'bankRate'], message: msg('is required without a base scenario (whose lender model gives it otherwise)') });
  }
  if (!c.guaranteeFund.enabled && !c.microfinance.enabled && !c.revolvingFund.enabled && !c.interestSubsidy.enabled) {
    ctx.addIssue({ code: 'custom', path: [], message: msg('enable at least one option') });
  }
});

export type BudgetComparison = z.output<typeof BudgetComparisonSchema>;
export type BudgetComparisonInput = z.input<typeof BudgetComparisonSchema>;

const requiredError = (issue: { code?: string; input?: unknown }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** Validates unknown input (a JSON body, a file) as a budget comparison; issues name the bad fields. */
export function parseBudgetComparison(input: unknown): ParseResult<BudgetComparison> {
  if (input !== null && typeof input === 'object' && typeof (input as { scenario?: unknown }).scenario === 'string') {
    return { ok: false, issues: [{ path: 'scenario', message: msg('must be a scenario object: resolve a preset id or file path to the scenario first (the CLI does)') }] };
  }
  const result = BudgetComparisonSchema.safeParse(input, { error: requiredError });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: issuesOf(result.error).map((i) => (i.path === '(scenario)' ? { ...i, path: '(comparison)' } : i)) };
}

/** One option's outcome in one year. */
export interface OptionYear {
  readonly year: number;
  /** Distinct target firms reached for the first time in the year. */
  readonly firmsReached: number;
  /** Loans made (or guaranteed, or subsidised) to target firms in the year, repeat loans included. */
  readonly loansMade: number;
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
  /** Distinct target firms reached over the horizon: a firm that borrows again counts once. */
  readonly firmsReached: number;
  /** Every loan made, guaranteed or subsidised over the horizon. */
  readonly loansMade: number;
  /** Loans the target firms asked for that the option had no money (or capacity) for. */
  readonly loansRationed: number;
  readonly creditVolume: Money;
  readonly additionalCredit: Money;
  /** What a target firm pays per year, all in (interest and fees, less any subsidy); null when no loans are made. */
  readonly borrowerAllInRate: number | null;
  /** Money left at the horizon: what the public holds then (see each option's notes). */
  readonly valueLeftAtHorizon: Money;
  /** Budget − money left at the horizon, undiscounted (negative: the budget grew). */
  readonly fiscalCost: Money;
  /** The largest part of the budget in use at any time within the horizon, and its share of the budget. */
  readonly budgetUsed: Money;
  readonly budgetUsedShare: number;
  /** Present value of the public money put in, of what comes back, and the difference: the public money consumed (lifetime view). */
  readonly pvPaidIn: Money;
  readonly pvReturned: Money;
  readonly pvCost: Money;
  /** Years after the horizon the lifetime view follows the books for. */
  readonly runOffYears: number;
  readonly pvCostPerFirm: Money | null;
  /** PV cost per unit of additional credit (a ratio). */
  readonly pvCostPerUnitAdditionalCredit: number | null;
  /** Every parameter of the option with its basis: sourced, illustrative, derived or set by the user. */
  readonly assumptions: readonly Assumption[];
  /** Modelling choices a reader must know to read the figures. */
  readonly notes: readonly string[];
  /** The figures the notes quote, to word them again in another language (optionNotes). */
  readonly noteFacts: NoteFacts;
}

/** The figures an option's notes quote. */
export type NoteFacts =
  | { readonly option: 'guaranteeFund'; readonly outstandingAtHorizon: number; readonly runOffYears: number; readonly leverageCap: number }
  | {
    readonly option: 'microfinance'; readonly loanSize: number; readonly tenorMonths: number; readonly portfolioYield: number; readonly targetLoanSize: number;
    readonly rejectionRate: number; readonly retentionRate: number; readonly annualPd: number; readonly repeatAnnualPd: number; readonly group: boolean;
    readonly groupReduction: number; readonly opexMin: number | null; readonly opexMax: number | null; readonly funding: 'equity' | 'loan'; readonly idleCashRate: number;
  }
  | { readonly option: 'revolvingFund'; readonly capacity: 'continuous' | 'annual'; readonly idleCashRate: number }
  | { readonly option: 'interestSubsidy'; readonly takeUpShare: number; readonly additionalShare: number };

/** How the notes write amounts and percentages. */
export interface NotesFormat {
  amount(x: number): string;
  percent(x: number, digits: number): string;
}

export type OptionResult =
  | (OptionCommon & { readonly option: 'guaranteeFund'; readonly detail: GuaranteeFundLedger })
  | (OptionCommon & { readonly option: 'microfinance'; readonly detail: MicrofinanceLedger })
  | (OptionCommon & { readonly option: 'revolvingFund'; readonly detail: RevolvingFundLedger })
  | (OptionCommon & { readonly option: 'interestSubsidy'; readonly detail: InterestSubsidyLedger });

/**
 * The leverage effect of a guarantee over direct lending: with the same money, a guarantee fund
 * backs bank loans up to a multiple of its capital, a direct lender lends its cash once. Shown
 * only when the figures of this comparison show it: the guarantee fund reaches more firms than
 * the revolving fund.
 */
export interface LeverageEffect {
  /** True when the guarantee fund reaches more distinct firms than the revolving fund. */
  readonly shown: boolean;
  readonly guaranteeFirms: number;
  readonly directFirms: number;
  readonly guaranteeLending: Money;
  readonly directLending: Money;
  /** Guarantee fund's firms ÷ revolving fund's firms; null when the revolving fund reaches none. */
  readonly firmsRatio: number | null;
  /** The leverage cap of the fund: the most it may guarantee per unit of capital. */
  readonly leverageCap: number;
  /** Both lend the same loan (the revolving fund's loan size is the target's). */
  readonly sameLoan: boolean;
  /** Why: the guarantee's leverage, or what stops it showing. */
  readonly cause: 'leverage' | 'directMeetsDemand' | 'fundRationed' | 'banksLendToFewer';
  readonly budget: Money;
  /** In plain words, amounts with the currency code (leverageSentence words it with any formatter). */
  readonly explanation: string;
}

export interface BudgetComparisonResult {
  readonly name: string;
  readonly description: string;
  readonly budget: Money;
  readonly horizonYears: number;
  readonly currency: string;
  readonly periodsPerYear: number;
  readonly discountRate: number;
  readonly target: TargetSegment;
  readonly options: readonly OptionResult[];
  /** The basis on which every option is measured, in sentences for a page or a report. */
  readonly basis: readonly string[];
  /** Null unless both the guarantee fund and the revolving fund are compared. */
  readonly leverage: LeverageEffect | null;
}

/** The base scenario as the lender model sees the target (explicit segments put in place). */
function lenderScenario(c: BudgetComparison): Scenario | undefined {
  if (!c.scenario) return undefined;
  return c.target.kind === 'explicit' ? withExplicitSegment(c.scenario, c.target) : c.scenario;
}

/** Target firms per year over the horizon, growing at their rate. */
function targetDemand(target: TargetSegment, years: number): number[] {
  return Array.from({ length: years }, (_, y) => target.firmsPerYear * Math.pow(1 + target.applicantGrowthRate, y));
}

/** Interest on idle cash: as set, else what the base scenario's guarantee fund earns on its capital. */
const idleRateOf = (c: BudgetComparison, given: number | null) => given ?? c.scenario?.fund.investmentYield ?? 0;

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
    adminCostFixedPerYear: o.adminCostFixedPerYear,
    costPerLoan: o.costPerLoan,
    idleCashRate: idleRateOf(c, o.idleCashRate),
    capacity: o.capacity,
    annualPd: o.defaultRate ?? target.annualPd,
    lossGivenDefault: o.lossGivenDefault ?? target.lossGivenDefault,
    demandByYear: o.demandByYear ?? targetDemand(target, c.horizonYears),
    discountRate: c.discountRate,
  };
}

export function microfinanceTerms(c: BudgetComparison, target: TargetSegment): MicrofinanceTerms {
  const o = c.microfinance;
  const group = o.lendingMethod === 'group' ? 1 - o.groupLendingDefaultReduction : 1;
  return {
    budget: c.budget,
    funding: o.funding,
    concessionalRate: o.concessionalRate,
    otherEquity: o.otherEquity,
    horizonYears: c.horizonYears,
    periodsPerYear: c.periodsPerYear,
    loanSize: o.loanSize ?? target.loanSize,
    tenorMonths: o.tenorMonths,
    amortisation: o.amortisation,
    portfolioYield: o.portfolioYield,
    operatingCostPerLoan: o.operatingCostPerLoan,
    operatingExpenseRatio: o.operatingExpenseRatio,
    costOfFunds: o.costOfFunds,
    maxDebtToEquity: o.maxDebtToEquity,
    idleCashRate: idleRateOf(c, o.idleCashRate),
    applicantsPerYear: o.applicantsPerYear ?? target.firmsPerYear,
    applicantGrowthRate: target.applicantGrowthRate,
    rejectionRate: o.rejectionRate,
    retentionRate: o.retentionRate,
    annualPd: (o.defaultRate ?? target.annualPd) * group,
    repeatAnnualPd: o.repeatDefaultRate * group,
    lossGivenDefault: o.lossGivenDefault ?? target.lossGivenDefault,
    discountRate: c.discountRate,
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
  const bankRate = o.bankRate ?? model?.bankRate ?? null;
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
      bankRate: bankRate ?? 0,
      discountRate: c.discountRate,
    },
    bankRate,
    takeUpShare,
    additionalShare: o.additionalShare ?? model?.additionalShare ?? 0,
  };
}

interface Measured {
  readonly years: OptionYear[];
  readonly loansRationed: number;
  readonly borrowerAllInRate: number | null;
  readonly account: PublicAccount;
}

function outcome(budget: number, label: string, m: Measured, assumptions: Assumption[], noteFacts: NoteFacts, currency: string): OptionCommon {
  const { years, account } = m;
  const firmsReached = years.reduce((a, y) => a + y.firmsReached, 0);
  const loansMade = years.reduce((a, y) => a + y.loansMade, 0);
  const creditVolume = years.reduce((a, y) => a.plus(y.creditVolume), ZERO);
  const additionalCredit = years.reduce((a, y) => a.plus(y.additionalCredit), ZERO);
  const valueLeftAtHorizon = years[years.length - 1]?.valueLeft ?? cents(budget);
  return {
    label,
    years,
    firmsReached,
    loansMade,
    loansRationed: m.loansRationed,
    creditVolume,
    additionalCredit,
    borrowerAllInRate: loansMade > 0 ? m.borrowerAllInRate : null,
    valueLeftAtHorizon,
    fiscalCost: cents(budget).minus(valueLeftAtHorizon),
    budgetUsed: account.peakBudgetInUse,
    budgetUsedShare: budget > 0 ? account.peakBudgetInUse.toNumber() / budget : 0,
    pvPaidIn: account.pvPaidIn,
    pvReturned: account.pvReturned,
    pvCost: account.pvCost,
    runOffYears: account.runOffYears,
    pvCostPerFirm: firmsReached > 1e-9 ? cents(account.pvCost.div(firmsReached)) : null,
    pvCostPerUnitAdditionalCredit: additionalCredit.greaterThan(0) ? account.pvCost.div(additionalCredit).toNumber() : null,
    assumptions,
    notes: optionNotes(noteFacts, englishFormat(currency)),
    noteFacts,
  };
}

const pct = (x: number, digits = 2) => `${Number((x * 100).toFixed(digits))} %`;

/** The notes' English figures: amounts with the currency code, percentages rounded. */
function englishFormat(currency: string): NotesFormat {
  return { amount: (x) => `${currency} ${x.toLocaleString('en', { maximumFractionDigits: 0 })}`, percent: (x, digits) => pct(x, digits) };
}

/** Modelling choices a reader must know to read an option's figures, in the language of `t`. */
export function optionNotes(n: NoteFacts, f: NotesFormat, t: Translate = englishText): string[] {
  switch (n.option) {
    case 'guaranteeFund': return [
      t('Money left is the fund’s capital at the horizon. Guarantees of {amount} are then still outstanding; the lifetime view runs them off ({years, plural, one {# year} other {# years}} more) with their claims, recoveries and fees, and the capital left at the end comes back to the public.', { amount: f.amount(n.outstandingAtHorizon), years: Number(n.runOffYears.toFixed(2)) }),
      t('Firms reached are distinct firms: the guaranteed loans to the target stage less the stage’s repeat borrowers. Additional credit is the part banks would not have lent without the guarantee (lender model: docs/model.md §3).'),
      t('Budget used is the capital consumed plus the capital that backs the guarantees outstanding at the leverage cap of {cap}×, at its peak.', { cap: Number(n.leverageCap.toFixed(2)) }),
      t('Borrower all-in cost: the lender’s rate plus the guarantee fee the borrower pays, averaged over the guaranteed segments.'),
    ];
    case 'microfinance': return [
      t('The MFI’s own product: loans of {loan} over {months, plural, one {# month} other {# months}} at a {yield} portfolio yield, not the target’s {targetLoan} bank loan. It turns away {rejected} of applicants at screening; {retained} of clients who repay take another loan.', {
        loan: f.amount(n.loanSize), months: n.tenorMonths, yield: f.percent(n.portfolioYield, 1), targetLoan: f.amount(n.targetLoanSize),
        rejected: f.percent(n.rejectionRate, 0), retained: f.percent(n.retentionRate, 0),
      }),
      t('Firms reached are new clients, counted once however many loans they take; loans made count repeat loans too.'),
      n.group
        ? t('Default rates a year: {first} on first loans, {repeat} on repeat loans (group lending: {reduction} below individual lending).', { first: f.percent(n.annualPd, 2), repeat: f.percent(n.repeatAnnualPd, 2), reduction: f.percent(n.groupReduction, 0) })
        : t('Default rates a year: {first} on first loans, {repeat} on repeat loans (individual lending: no group-lending reduction).', { first: f.percent(n.annualPd, 2), repeat: f.percent(n.repeatAnnualPd, 2) }),
      ...(n.opexMin !== null && n.opexMax !== null
        ? [t('Operating expenses come to {low}–{high} of the average portfolio a year (cost per loan and per unit lent together).', { low: f.percent(n.opexMin, 1), high: f.percent(n.opexMax, 1) })]
        : []),
      n.funding === 'equity'
        ? t('Money left is the government’s share of the MFI’s book equity (loans at face value); the MFI keeps all profits (no dividends). The lifetime view winds the MFI down: its loans run off, its commercial debt is repaid, and the public gets its share of the equity left.')
        : t('Money left is the interest the government received plus the part of its loan the MFI’s equity and the loan could repay; the loan falls due after the horizon. The lifetime view winds the MFI down and repays the loan as far as its equity allows.'),
      t('Idle cash earns {rate} a year; commercial debt is drawn only to meet demand, up to the leverage limit; the public loan is outside that limit.', { rate: f.percent(n.idleCashRate, 2) }),
      t('Borrower all-in cost: the portfolio yield.'),
    ];
    case 'revolvingFund': return [
      t('Money left is cash plus loans outstanding at face value. The lifetime view runs the loans off with their defaults and costs; the cash left at the end comes back to the public.'),
      t('Firms reached are distinct firms: each loan goes to a different target firm (the applicants are new firms each year).'),
      n.capacity === 'annual'
        ? t('Lending capacity is set once a year from the cash at the start of the year, less the year’s fixed administrative budget: money repaid during a year waits for the next year’s budget.')
        : t('Lending capacity is the cash at the start of each period: money on loan is lent again only once repaid.'),
      t('Idle cash earns {rate} a year.', { rate: f.percent(n.idleCashRate, 2) }),
      t('Borrower all-in cost: the fund’s lending rate.'),
    ];
    case 'interestSubsidy': return [
      t('Only the target firms a bank lends to with the subsidy get it: {takeUp} of them, of whom {additional} would not have had the loan without it. A subsidy lowers the rate; it closes no collateral gap.', { takeUp: f.percent(n.takeUpShare, 0), additional: f.percent(n.additionalShare, 0) }),
      t('Subsidy is committed for a loan’s whole life when it is enrolled and paid on its scheduled balance; defaults are ignored.'),
      t('Money left is the budget not yet paid out nor committed to enrolled loans. The subsidy is paid from the budget as it falls due, so money never committed stays with the government; the PV cost is the subsidy paid, within the horizon and after it on the loans enrolled.'),
      t('Firms reached are distinct firms: each subsidised loan goes to a different target firm.'),
      t('Borrower all-in cost: the bank’s rate less the subsidy.'),
    ];
  }
}

function targetAssumptions(target: TargetSegment): Assumption[] {
  return [{
    parameter: 'target.unservedShare',
    value: target.unservedShare,
    basis: target.unservedShareBasis === 'input' ? 'input' : target.unservedShareBasis === 'lender model' ? 'derived' : 'illustrative',
    note: target.unservedShareBasis === 'lender model'
      ? msg('share of the target firms the lender turns down without a guarantee (collateral gap or rate cap; docs/model.md §3)')
      : target.unservedShareBasis === 'input' ? msg('set in the comparison input') : msg('no base scenario: every target firm is taken to lack bank credit'),
  }];
}

function comparisonAssumptions(c: BudgetComparison): Assumption[] {
  return [{
    parameter: 'discountRate',
    value: c.discountRate,
    basis: c.discountRate === DEFAULT_DISCOUNT_RATE ? 'illustrative' : 'input',
    note: c.discountRate === DEFAULT_DISCOUNT_RATE
      ? msg('a government’s long-term borrowing rate, the rate budget offices discount public lending and guarantees at (docs/model.md §9.2); set your treasury’s rate')
      : msg('set in the comparison input'),
  }];
}

/**
 * The scenario of option (a): the base scenario capitalised with the budget, target stage only.
 * Null when the comparison has no base scenario. A server can run its Monte Carlo on the worker
 * pool and pass the paths' closing capital to budgetComparisonMonteCarlo.
 */
export function guaranteeFundScenarioOf(c: BudgetComparison, seed = c.monteCarlo.seed): Scenario | null {
  if (!c.scenario) return null;
  return guaranteeFundScenario(c.scenario, c.target, {
    budget: c.budget, horizonYears: c.horizonYears, currency: c.currency, seed, cyclePersistence: c.monteCarlo.cyclePersistence, discountRate: c.discountRate,
  });
}

function guaranteeFundOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const s = guaranteeFundScenarioOf(c)!;
  const detail = simulateGuaranteeFund(s, target.stage);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.firmsReached, loansMade: y.guaranteesIssued, creditVolume: y.guaranteedLending, additionalCredit: y.additionalLending, valueLeft: y.valueLeft,
  }));
  const sum = detail.summary;
  const base = c.scenario!;
  const removedSupport = base.support.capitalCall !== null || base.support.stateLossSharing !== null || base.support.feeSubsidy !== null;
  const assumptions: Assumption[] = [
    { parameter: 'scenario.fund.initialCapital', value: c.budget, basis: 'derived', note: msg('the budget capitalises the fund') },
    { parameter: 'scenario.fund.capitalInjections', value: null, basis: 'derived', note: msg('removed: the budget is the only public money') },
    ...(removedSupport ? [{ parameter: 'scenario.support', value: null, basis: 'derived' as const, note: msg('capital calls, state loss sharing and fee subsidies removed: the budget is the only public money') }] : []),
    { parameter: `scenario.stages (other than ${target.stage})`, value: 0, basis: 'derived', note: msg('applicants of other stages set to zero: the fund guarantees the target firms only') },
    ...comparisonAssumptions(c),
    ...s.assumptions.map((text, i) => ({ parameter: `scenario.assumptions.${i}`, value: null, basis: 'illustrative' as const, note: text })),
  ];
  const noteFacts: NoteFacts = { option: 'guaranteeFund', outstandingAtHorizon: sum.outstandingGuaranteedAtHorizon.toNumber(), runOffYears: detail.account.runOffYears, leverageCap: s.fund.leverageCap };
  return { option: 'guaranteeFund', ...outcome(c.budget, OPTION_LABELS.guaranteeFund, { years, loansRationed: detail.loansRationed, borrowerAllInRate: detail.borrowerAllInRate, account: detail.account }, assumptions, noteFacts, c.currency), detail };
}

function microfinanceOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const terms = microfinanceTerms(c, target);
  const detail = simulateMicrofinance(terms);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.newClients, loansMade: y.loansDisbursed, creditVolume: y.amountDisbursed,
    additionalCredit: cents(y.amountDisbursed.times(target.unservedShare)), valueLeft: y.valueLeft,
  }));
  const o = c.microfinance;
  const assumptions = [
    ...assumptionsOf('microfinance', o, MICROFINANCE_DEFAULTS, {
      loanSize: terms.loanSize, idleCashRate: terms.idleCashRate, applicantsPerYear: terms.applicantsPerYear,
      defaultRate: o.defaultRate ?? target.annualPd, lossGivenDefault: terms.lossGivenDefault,
    }),
    ...targetAssumptions(target),
    ...comparisonAssumptions(c),
  ];
  const opexRatios = detail.years.map((y) => y.operatingExpenseRatio).filter((x): x is number => x !== null);
  const group = o.lendingMethod === 'group';
  const noteFacts: NoteFacts = {
    option: 'microfinance', loanSize: terms.loanSize, tenorMonths: terms.tenorMonths, portfolioYield: terms.portfolioYield, targetLoanSize: target.loanSize,
    rejectionRate: terms.rejectionRate, retentionRate: terms.retentionRate, annualPd: terms.annualPd, repeatAnnualPd: terms.repeatAnnualPd, group,
    groupReduction: o.groupLendingDefaultReduction, opexMin: opexRatios.length ? Math.min(...opexRatios) : null, opexMax: opexRatios.length ? Math.max(...opexRatios) : null,
    funding: terms.funding, idleCashRate: terms.idleCashRate,
  };
  const rationed = detail.years.reduce((a, y) => a + y.loansRationed, 0);
  return { option: 'microfinance', ...outcome(c.budget, OPTION_LABELS.microfinance, { years, loansRationed: rationed, borrowerAllInRate: terms.portfolioYield, account: detail.account }, assumptions, noteFacts, c.currency), detail };
}

function revolvingFundOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const terms = revolvingFundTerms(c, target);
  const detail = simulateRevolvingFund(terms);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.loansDisbursed, loansMade: y.loansDisbursed, creditVolume: y.amountDisbursed,
    additionalCredit: cents(y.amountDisbursed.times(target.unservedShare)), valueLeft: y.valueLeft,
  }));
  const o = c.revolvingFund;
  const assumptions = [
    ...assumptionsOf('revolvingFund', o, REVOLVING_FUND_DEFAULTS, {
      loanSize: terms.loanSize, tenorYears: terms.tenorYears, defaultRate: terms.annualPd, lossGivenDefault: terms.lossGivenDefault, idleCashRate: terms.idleCashRate,
      demandByYear: o.demandByYear ? o.demandByYear.join(', ') : null,
    }),
    ...targetAssumptions(target),
    ...comparisonAssumptions(c),
  ];
  const noteFacts: NoteFacts = { option: 'revolvingFund', capacity: terms.capacity, idleCashRate: terms.idleCashRate };
  const rationed = detail.years.reduce((a, y) => a + y.loansRationed, 0);
  return { option: 'revolvingFund', ...outcome(c.budget, OPTION_LABELS.revolvingFund, { years, loansRationed: rationed, borrowerAllInRate: terms.lendingRate, account: detail.account }, assumptions, noteFacts, c.currency), detail };
}

function interestSubsidyOption(c: BudgetComparison, target: TargetSegment): OptionResult {
  const setting = interestSubsidySetting(c, target);
  const detail = simulateInterestSubsidy(setting.terms);
  const years = detail.years.map((y) => ({
    year: y.year, firmsReached: y.loansSubsidised, loansMade: y.loansSubsidised, creditVolume: y.amountLent,
    additionalCredit: cents(y.amountLent.times(setting.additionalShare)), valueLeft: y.valueLeft,
  }));
  const assumptions = [
    ...assumptionsOf('interestSubsidy', c.interestSubsidy, INTEREST_SUBSIDY_DEFAULTS, {
      bankRate: setting.bankRate, takeUpShare: setting.takeUpShare, additionalShare: setting.additionalShare,
    }),
    ...comparisonAssumptions(c),
  ];
  const noteFacts: NoteFacts = { option: 'interestSubsidy', takeUpShare: setting.takeUpShare, additionalShare: setting.additionalShare };
  const borrowerRate = setting.bankRate === null ? null : setting.bankRate - setting.terms.subsidyRate;
  const rationed = detail.years.reduce((a, y) => a + y.loansRationed, 0);
  return { option: 'interestSubsidy', ...outcome(c.budget, OPTION_LABELS.interestSubsidy, { years, loansRationed: rationed, borrowerAllInRate: borrowerRate, account: detail.account }, assumptions, noteFacts, c.currency), detail };
}

/** The basis every option is measured on, in sentences, in the language of `t`. */
export function comparisonBasis(c: { horizonYears: number; discountRate: number }, percent: (x: number, digits: number) => string = pct, t: Translate = englishText): string[] {
  return [
    t('Every option gets the same budget at the start of year 1, serves the same target firms and is followed for {years, plural, one {# year} other {# years}}.', { years: c.horizonYears }),
    t('Firms reached are distinct firms: a firm that borrows again counts once. Loans made count every loan, repeat loans included.'),
    t('Lending is the principal lent, guaranteed or subsidised to target firms within the horizon; additional lending is the part the firms would not have had otherwise.'),
    t('PV cost is the present value of the public money consumed: the public money put in less what comes back, discounted at {rate} a year to the start of year 1, in the lifetime view: after year {years} no new loans, guarantees or subsidies; what is on the books runs off, and what is left at the end comes back to the public.', { rate: percent(c.discountRate, 2), years: c.horizonYears }),
    t('Money left is what the public holds at the horizon, before that run-off; budget used is the largest share of the budget in use at any time in the horizon: lent, committed, backing guarantees, or lost.'),
  ];
}

function leverageOf(c: BudgetComparison, options: readonly OptionResult[], target: TargetSegment): LeverageEffect | null {
  const gf = options.find((o) => o.option === 'guaranteeFund');
  const rlf = options.find((o) => o.option === 'revolvingFund');
  if (!gf || !rlf || gf.option !== 'guaranteeFund' || rlf.option !== 'revolvingFund') return null;
  const cap = gf.detail.scenario.fund.leverageCap;
  const sameLoan = Math.abs(rlf.detail.terms.loanSize - target.loanSize) < 0.005;
  const shown = gf.firmsReached > rlf.firmsReached + 0.5;
  const ratio = rlf.firmsReached > 1e-9 ? gf.firmsReached / rlf.firmsReached : null;
  const cause: LeverageEffect['cause'] = shown ? 'leverage' : rlf.loansRationed < 0.5 ? 'directMeetsDemand' : gf.loansRationed >= 0.5 ? 'fundRationed' : 'banksLendToFewer';
  const fields = {
    shown, cause, budget: cents(c.budget), guaranteeFirms: gf.firmsReached, directFirms: rlf.firmsReached, guaranteeLending: gf.creditVolume, directLending: rlf.creditVolume,
    firmsRatio: ratio, leverageCap: cap, sameLoan,
  };
  const code = (x: number | null) => (x === null ? '—' : `${c.currency} ${Math.round(x).toLocaleString('en')}`);
  return { ...fields, explanation: leverageSentence({ ...fields, explanation: '' }, { money: code, count: (x) => (x === null ? '—' : Math.round(x).toLocaleString('en')) }) };
}

/** Runs every enabled option on the same budget, horizon and target. Pure; throws only on a scenario the core itself rejects. */
export function compareBudget(c: BudgetComparison): BudgetComparisonResult {
  const target = resolveTarget(c.target, c.scenario);
  const options: OptionResult[] = [];
  if (c.guaranteeFund.enabled && c.scenario) options.push(guaranteeFundOption(c, target));
  if (c.microfinance.enabled) options.push(microfinanceOption(c, target));
  if (c.revolvingFund.enabled) options.push(revolvingFundOption(c, target));
  if (c.interestSubsidy.enabled) options.push(interestSubsidyOption(c, target));
  return {
    name: c.name, description: c.description, budget: cents(c.budget), horizonYears: c.horizonYears, currency: c.currency, periodsPerYear: c.periodsPerYear,
    discountRate: c.discountRate, target, options, basis: comparisonBasis(c), leverage: leverageOf(c, options, target),
  };
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
 * PD_y = p(Z_y) (docs/model.md §10), large-portfolio limit with no idiosyncratic noise, and both see
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
    const mfiPd = { first: new Array<number>(c.horizonYears), repeat: new Array<number>(c.horizonYears) };
    const rlfPd = new Array<number>(c.horizonYears);
    const offset = withGuarantee ? paths : 0;
    for (let p = 0; p < paths; p++) {
      if (stop()) return done(false);
      const z = cycleFactors(seed, p, c.horizonYears, c.monteCarlo.cyclePersistence);
      for (let y = 0; y < c.horizonYears; y++) {
        if (mfi) {
          mfiPd.first[y] = conditionalDefaultProbability(mfi.annualPd, rho, z[y]!);
          mfiPd.repeat[y] = conditionalDefaultProbability(mfi.repeatAnnualPd, rho, z[y]!);
        }
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
