/**
 * The scenario editor's fields: where each sits in the form, its unit, and its help text.
 * Descriptions, bounds and defaults come from the zod schema itself (through its JSON Schema),
 * so the form cannot drift from what parseScenario accepts; this file adds only what the schema
 * does not say: labels, display units and typical values in real schemes (docs/sources.md §5).
 */
import { z } from 'zod';
import { ScenarioSchema } from '../../core/schema.ts';
import { STAGES, type Stage } from '../../core/stages.ts';
import { msg } from '../../i18n/translate.ts';
import type { FieldSpec, SchemaInfo, Unit } from './kit.ts';

export interface ListSpec {
  readonly path: string;
  readonly label: string;
  /** A list with no rows means "none": null in the scenario (nullable lists). */
  readonly emptyIsNull?: boolean;
  /** Rows shown (blank rows are ignored). */
  readonly rows: number;
  readonly columns: readonly FieldSpec[];
  readonly typical?: string;
  readonly help?: string;
}

export interface Group {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly fields: readonly FieldSpec[];
  readonly lists: readonly ListSpec[];
}

const num = (path: string, label: string, unit: Unit, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, label, kind: 'number', unit, ...extra });
const select = (path: string, label: string, options: readonly [string, string][], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  path, label, kind: 'select', options: options.map(([value, l]) => ({ value, label: l })), ...extra,
});

/** Labels naming a stage, one message each (a stage's name is not glued into a sentence). */
const COVERAGE_BY_STAGE: Readonly<Record<Stage, { readonly label: string; readonly help: string }>> = {
  founding: { label: msg('Coverage for founding-stage firms'), help: msg('Overrides the coverage ratio for founding-stage firms; blank = the coverage ratio above.') },
  growth: { label: msg('Coverage for growth-stage firms'), help: msg('Overrides the coverage ratio for growth-stage firms; blank = the coverage ratio above.') },
  maturity: { label: msg('Coverage for maturity-stage firms'), help: msg('Overrides the coverage ratio for maturity-stage firms; blank = the coverage ratio above.') },
  transformation: { label: msg('Coverage for transformation-stage firms'), help: msg('Overrides the coverage ratio for transformation-stage firms; blank = the coverage ratio above.') },
};

const DIRECT_VOLUMES_LABEL: Readonly<Record<Stage, string>> = {
  founding: msg('Direct volumes, founding stage'),
  growth: msg('Direct volumes, growth stage'),
  maturity: msg('Direct volumes, maturity stage'),
  transformation: msg('Direct volumes, transformation stage'),
};

export const GENERAL: Group = {
  id: 'general',
  title: msg('Scenario'),
  intro: msg('What the scenario is, where its numbers come from, and how far and in what steps it is projected.'),
  fields: [
    { path: 'name', label: msg('Name'), kind: 'text', wide: true },
    { path: 'description', label: msg('Description'), kind: 'textarea', wide: true },
    num('horizonYears', msg('Horizon'), 'years', { typical: msg('Evaluations usually look 5–10 years ahead; a fund’s claims peak 2–4 years after a cohort is lent.') }),
    select('period', msg('Period'), [['annual', msg('Annual')], ['quarterly', msg('Quarterly')]]),
    { path: 'currency', label: msg('Currency'), kind: 'text', typical: msg('USD, EUR, GBP, JPY, KRW, INR, THB…') },
    { path: 'sources', label: msg('Sources'), kind: 'lines', help: msg('Sources of the parameters, one per line.') },
    { path: 'assumptions', label: msg('Assumptions'), kind: 'lines', help: msg('Parameters that are assumptions rather than sourced values, one per line.') },
  ],
  lists: [],
};

export const FUND: Group = {
  id: 'fund',
  title: msg('Fund'),
  intro: msg('The fund’s capital, its income and costs, and how claims and recoveries flow.'),
  fields: [
    num('fund.initialCapital', msg('Initial capital'), 'money', { typical: msg('Chile FOGAPE had about USD 233 m (2015); Thailand TCG equity THB 8.5 bn (2017).') }),
    num('fund.investmentYield', msg('Investment yield'), 'percent', { typical: msg('Usually government bond yields: 1–5 % a year.') }),
    num('fund.operatingCosts.fixedPerYear', msg('Fixed operating cost per year'), 'money'),
    num('fund.operatingCosts.shareOfOutstanding', msg('Operating cost on outstanding guarantees'), 'percent', { typical: msg('Roughly 0.3–1 % of outstanding guarantees a year.') }),
    num('fund.operatingCosts.perNewGuarantee', msg('Cost per new guarantee'), 'money'),
    num('fund.leverageCap', msg('Leverage cap'), 'multiple', { typical: msg('Real funds run from about 5× to over 40× (Thailand TCG ≈ 41.5× in 2017).') }),
    num('fund.minCapitalRatio', msg('Minimum capital ratio'), 'percent', { typical: msg('The inverse of the leverage cap is the natural floor: 10× ↔ 10 %.') }),
    num('fund.claimLagMonths', msg('Claim lag'), 'months', { typical: msg('3–12 months from default to payment.') }),
    num('fund.claimLockInMonths', msg('Claim lock-in'), 'months', { typical: msg('India CGTMSE: 18 months from the guarantee’s start.') }),
    select('fund.recoveryModel', msg('Recoveries come from'), [['flatRate', msg('A flat share of each claim')], ['collateral', msg('The loan’s recoveries and pledged collateral, shared with the lender')]]),
    num('fund.recoveryRate', msg('Recovery rate'), 'percent', { typical: msg('Funds usually recover 10–40 % of claims paid.'), help: msg('Share of a paid claim recovered, under the flat-rate model.') }),
    select('fund.collateralSharing', msg('Recoveries shared'), [['pariPassu', msg('Pari passu, in proportion to coverage')], ['lenderFirst', msg('First to the lender’s uncovered part')], ['fundFirst', msg('First to the fund')]], { help: msg('Under the collateral model: how a defaulted loan’s recoveries are split between the lender and the fund.') }),
    num('fund.recoveryLagMonths', msg('Recovery lag'), 'months', { typical: msg('1–4 years after the claim.') }),
    num('fund.counterGuarantee.share', msg('Counter-guaranteed share of claims'), 'percent', { typical: msg('Japan Finance Corporation reinsures Japan’s CGCs; shares of 70–90 % of a claim are often quoted (not verified here).') }),
    num('fund.counterGuarantee.premiumRate', msg('Counter-guarantee premium'), 'percent'),
    num('fund.counterGuarantee.capShareOfLending', msg('Counter-guarantor’s cap'), 'percent', { blankIsNull: true, help: msg('Cap on the counter-guarantor’s cumulative payments, as a share of the cumulative amount guaranteed; blank = no cap.'), typical: msg('EU COSME counter-guarantees are capped per portfolio.') }),
  ],
  lists: [
    {
      path: 'fund.capitalInjections', label: msg('Capital injections'), rows: 5,
      help: msg('Scheduled injections by the government, paid at the start of the year.'),
      columns: [num('year', msg('Year'), 'year'), num('amount', msg('Amount'), 'money')],
    },
  ],
};

const BRACKET_COLUMNS: readonly FieldSpec[] = [
  num('upTo', msg('Size up to'), 'money', { blankIsNull: true }),
  num('rate', msg('Rate'), 'percent'),
  num('above.amount', msg('Slab: another rate above'), 'money', { help: msg('Slabs only: an amount of the fee base above which the next column’s rate applies; blank for none.') }),
  num('above.rate', msg('Rate above'), 'percent'),
];

export const GUARANTEE: Group = {
  id: 'guarantee',
  title: msg('Guarantee product'),
  intro: msg('What the guarantee covers and what it costs. Fees are tiered by loan size like tax brackets: each bracket’s rate applies to the part of the loan inside it; leave the last bracket’s upper bound blank.'),
  fields: [
    num('guarantee.coverageRatio', msg('Coverage ratio'), 'percent', { typical: msg('Partial coverage is the rule: 50–85 % (KODIT 75–85 %, CGTMSE 75–85 %, SBA 7(a) 75–85 %, UK EFG 75 %); 100 % weakens screening.') }),
    ...STAGES.map((s) => num(`guarantee.coverageByStage.${s}`, COVERAGE_BY_STAGE[s].label, 'percent', { optional: true, help: COVERAGE_BY_STAGE[s].help, typical: s === 'founding' ? msg('KOTEC startup guarantee and Japan’s startup programmes: 100 %.') : undefined })),
    select('guarantee.feePayer', msg('Fee paid by'), [['borrower', msg('Borrower (on top of interest)')], ['lender', msg('Lender (passed into the rate)')]]),
    num('guarantee.maxGuaranteedPerLoan', msg('Maximum guaranteed per loan'), 'money', { blankIsNull: true, help: msg('Maximum guaranteed amount per loan; blank = no maximum.') }),
    num('guarantee.portfolioLossCap', msg('Portfolio loss cap'), 'percent', { blankIsNull: true, help: msg('Cap on a vintage’s claims as a share of the principal lent in it; blank = no cap.'), typical: msg('UK EFG 9.75 % (lenders claimed on up to 13 % of lending, 75 % covered); EU COSME up to 20 %; Thailand’s portfolio schemes 23.8–30 %.') }),
    num('guarantee.deadweightTakeUp', msg('Take-up by loans made anyway'), 'percent', { typical: msg('Banco de Portugal (COVID guarantees): 0.69 of each euro guaranteed was substitution.') }),
    select('guarantee.collateralPolicy', msg('Collateral on a guaranteed loan'), [['uncoveredPart', msg('Required on the uncovered part')], ['none', msg('None (a collateral-free product)')]], { typical: msg('CGTMSE guarantees only collateral-free loans; UK EFG was for viable firms lacking security.') }),
    num('guarantee.collateralShareOfUncovered', msg('Share of the uncovered part to secure'), 'percent'),
    select('guarantee.upfrontFeeRule.method', msg('Upfront fee: brackets applied'), [['marginal', msg('Marginally (each rate on the part inside its bracket)')], ['slab', msg('As slabs (the bracket’s rate on the whole amount)')]]),
    select('guarantee.upfrontFeeRule.basis', msg('Upfront fee charged on'), [['guaranteed', msg('The guaranteed amount')], ['principal', msg('The loan’s principal (outstanding)')]]),
    select('guarantee.upfrontFeeRule.boundsOn', msg('Upfront fee: bracket bounds are'), [['loan', msg('Loan sizes')], ['guaranteed', msg('Guaranteed amounts')]]),
    num('guarantee.upfrontFeeRule.minPerLoan', msg('Upfront fee: minimum per loan'), 'money', { blankIsNull: true, help: msg('Smallest fee per loan; blank = none.') }),
    num('guarantee.upfrontFeeRule.maxPerLoan', msg('Upfront fee: maximum per loan'), 'money', { blankIsNull: true, help: msg('Largest fee per loan; blank = none.') }),
    select('guarantee.annualFeeRule.method', msg('Annual fee: brackets applied'), [['marginal', msg('Marginally (each rate on the part inside its bracket)')], ['slab', msg('As slabs (the bracket’s rate on the whole amount)')]]),
    select('guarantee.annualFeeRule.basis', msg('Annual fee charged on'), [['guaranteed', msg('The guaranteed amount')], ['principal', msg('The loan’s principal (outstanding)')]]),
    select('guarantee.annualFeeRule.boundsOn', msg('Annual fee: bracket bounds are'), [['loan', msg('Loan sizes')], ['guaranteed', msg('Guaranteed amounts')]]),
    num('guarantee.annualFeeRule.minPerLoan', msg('Annual fee: minimum per loan'), 'money', { blankIsNull: true, help: msg('Smallest fee per loan and year; blank = none.') }),
    num('guarantee.annualFeeRule.maxPerLoan', msg('Annual fee: maximum per loan'), 'money', { blankIsNull: true, help: msg('Largest fee per loan and year; blank = none.') }),
    select('guarantee.firstYearFeeOnGuaranteedAmount', msg('First year’s annual fee'), [['false', msg('On the outstanding amount, like later years')], ['true', msg('On the full guaranteed amount, when the loan is made')]], { typical: msg('CGTMSE charges the first year on the guaranteed amount and later years on the outstanding amount.') }),
  ],
  lists: [
    {
      path: 'guarantee.annualFee', label: msg('Annual fee brackets'), rows: 5,
      help: msg('Annual fee on the outstanding guaranteed amount, tiered by loan size.'),
      typical: msg('Japan 0.45–1.90 %, Taiwan 0.375–1.375 %, KODIT 0.5–3 %, CGTMSE 0.37–1.35 %, US SBA 7(a) 0.55 %, Thailand 1.75 %; UK EFG 2 % of the loan balance, 2.67 % of the guaranteed amount.'),
      columns: BRACKET_COLUMNS,
    },
    {
      path: 'guarantee.upfrontFee', label: msg('Upfront fee brackets'), rows: 5,
      help: msg('Upfront fee as a share of the guaranteed amount, tiered by loan size.'),
      typical: msg('US SBA 7(a): 2–3.75 % of the guaranteed part; most schemes charge 0–1 %.'),
      columns: BRACKET_COLUMNS,
    },
    {
      path: 'guarantee.annualFeeByPd', label: msg('Risk-based annual fee by PD band'), rows: 5, emptyIsNull: true,
      help: msg('The annual fee by the firm’s PD band, replacing the annual fee brackets; leave every row blank for none, and the last band’s PD bound blank.'),
      typical: msg('Japan’s credit guarantee corporations price nine risk tiers, 0.45–1.90 % a year.'),
      columns: [num('upToPd', msg('PD up to'), 'percent', { blankIsNull: true }), num('rate', msg('Annual fee'), 'percent')],
    },
    {
      path: 'guarantee.claimsRatioAdjustment', label: msg('Fee adjustment by claims ratio'), rows: 5, emptyIsNull: true,
      help: msg('Next year’s annual fee changes by the portfolio’s claims ratio this year (claims paid ÷ guarantees outstanding); leave every row blank for none, and the last band’s bound blank.'),
      typical: msg('CGTMSE: from −10 % to +70 % of the fee by a lender’s claims record.'),
      columns: [num('claimsRatioUpTo', msg('Claims ratio up to'), 'percent', { blankIsNull: true }), num('adjustment', msg('Fee change'), 'percent')],
    },
  ],
};

export const LENDER: Group = {
  id: 'lender',
  title: msg('Lender'),
  intro: msg('How the lenders price loans and when they ration: a loan is made if the rate it needs stays under the cap and the collateral it wants is pledged.'),
  fields: [
    num('lender.fundingCost', msg('Cost of funds'), 'percent', { typical: msg('Policy rate plus a spread: 2–8 % a year.') }),
    num('lender.operatingCost', msg('Operating cost'), 'percent', { typical: msg('1–3 % of the loan a year for SME loans; microfinance far more.') }),
    num('lender.hurdleReturn', msg('Hurdle margin'), 'percent'),
    num('lender.requiredCollateralRatio', msg('Required collateral'), 'percent', { typical: msg('World Bank Enterprise Surveys: often 150–200 % of the loan.') }),
    num('lender.collateralHaircut', msg('Collateral haircut'), 'percent', { typical: msg('20–50 % depending on the asset.') }),
    num('lender.maxLendingRate', msg('Rate cap'), 'percent'),
    num('lender.riskWeight', msg('Risk weight, unguaranteed'), 'percent', { typical: msg('Basel standardised approach: 75 % for SME retail, 100 % corporate.') }),
    num('lender.guaranteedRiskWeight', msg('Risk weight, guaranteed part'), 'percent', { typical: msg('0 % for a sovereign-backed guarantee (CGTMSE); 20 % for many public schemes.') }),
    num('lender.capitalRatio', msg('Capital ratio'), 'percent', { typical: msg('Basel III: 10.5 % including the conservation buffer.') }),
    num('lender.costOfEquity', msg('Cost of equity'), 'percent', { typical: msg('10–15 % a year.') }),
    num('lender.riskDispersion', msg('Spread of firms’ risk within a segment'), 'number', { typical: msg('0.3–0.7: a rating grade spans PDs over a factor of about 2–4; 0 makes every firm of a segment alike.') }),
    num('lender.collateralDispersion', msg('Spread of firms’ collateral within a level'), 'number', { typical: msg('0.3–0.7; 0 makes every firm of a level pledge the same.') }),
  ],
  lists: [],
};

export const TIMING: Group = {
  id: 'timing',
  title: msg('Timing'),
  intro: msg('When things happen within a period, how loans repay, and whether volumes follow from lenders’ decisions or are given directly.'),
  fields: [
    select('timing.origination', msg('Loans originated at'), [['start', msg('Start of period')], ['middle', msg('Middle of period')], ['end', msg('End of period')]]),
    select('timing.amortisation', msg('Repayment'), [['bullet', msg('Bullet (all at maturity)')], ['linear', msg('Linear')], ['annuity', msg('Annuity')]]),
    select('timing.instalmentsPerYear', msg('Instalments per year'), [['1', '1'], ['4', '4'], ['12', '12']]),
    select('timing.defaults', msg('Defaults fall at'), [['start', msg('Start of period')], ['middle', msg('Middle of period')], ['end', msg('End of period')]]),
    select('timing.investmentIncomeBasis', msg('Investment income on'), [['opening', msg('Opening capital')], ['closing', msg('Closing capital')], ['average', msg('Average capital')]]),
    select('timing.investmentIncomeExcludes', msg('Investment income basis leaves out'), [['nothing', msg('Nothing')], ['claims', msg('Claims (taken as paid at the period’s end)')], ['claimsAndCosts', msg('Claims and costs (taken as paid at the period’s end)')]]),
    select('timing.newLoanRisk', msg('A new loan’s first-period risk'), [['exposure', msg('In proportion to its time on the books')], ['fullPeriod', msg('The full period’s rate (as spreadsheets apply it)')]]),
    select('timing.claimsInFirstYear', msg('Defaults in a loan’s first year'), [['true', msg('Possible from origination')], ['false', msg('None in the first twelve months')]]),
    select('timing.defaultBalance', msg('A default on a payment date is claimed on'), [['beforeInstalment', msg('The balance before that instalment')], ['afterInstalment', msg('The balance after that instalment')]]),
    select('origination.mode', msg('Origination volumes'), [['behavioural', msg('From lenders’ decisions')], ['direct', msg('Given directly (below)')]], {
      help: msg('From lenders’ decisions: volumes follow from the applicants and the lending rule. Given directly: the guaranteed principal per period and stage entered below.'),
    }),
    ...STAGES.map((s, i) => ({
      path: `origination.volumes.${s}`, label: DIRECT_VOLUMES_LABEL[s], kind: 'textarea' as const, unit: 'money' as const,
      help: i === 0
        ? msg('Guaranteed loan principal originated per period, separated by spaces, semicolons or new lines; the last value repeats for later periods. Used only when volumes are given directly.')
        : msg('Same format as the founding stage.'),
    })),
  ],
  lists: [],
};

/** Stage table rows: one column per lifecycle stage. Paths are relative to `stages.<stage>`. */
export const STAGE_FIELDS: readonly FieldSpec[] = [
  num('applicantsPerYear', msg('Applicants in year 1'), 'integer'),
  num('applicantGrowthRate', msg('Applicant growth per year'), 'percent'),
  num('loanSize', msg('Average loan'), 'money'),
  num('tenorYears', msg('Tenor'), 'years', { typical: msg('Working-capital loans 1–3 years, investment loans 5–10.') }),
  num('lgdBeforeCollateral', msg('Loss given default before collateral'), 'percent', { typical: msg('45 % is the Basel foundation value for senior unsecured claims; small firms often lose more.') }),
  num('assetCorrelation', msg('Asset correlation ρ'), 'percent'),
  num('projectReturn.mean', msg('Mean expected project return'), 'percent', { typical: msg('Firms borrow when their project earns more than the loan costs them; small firms’ returns of 15–40 % a year are common.') }),
  num('projectReturn.dispersion', msg('Spread of project returns'), 'percent', { typical: msg('A wide spread (10–20 points) makes demand respond little to price; a narrow one, much.') }),
  num('repeatBorrowerShare', msg('Loans to firms already served'), 'percent', { typical: msg('Repeat borrowers: a firm that borrows again counts once among firms supported.') }),
  num('transitions.founding', msg('Moves to founding per year'), 'percent'),
  num('transitions.growth', msg('Moves to growth per year'), 'percent'),
  num('transitions.maturity', msg('Moves to maturity per year'), 'percent'),
  num('transitions.transformation', msg('Moves to transformation per year'), 'percent'),
  num('transitions.exit', msg('Exits without default per year'), 'percent'),
];

export const RISK_MODE: FieldSpec = select('riskGrades.mode', msg('Risk grades given as'), [['list', msg('A list of grades')], ['lognormal', msg('A lognormal distribution')]], {
  help: msg('List the grades (share of applicants and PD for each; shares must add up to 100 %), or give a mean PD and a dispersion to be cut into equally likely grades.'),
});

export const RISK_LIST: ListSpec = {
  path: 'riskGrades', label: msg('Risk grades'), rows: 5,
  help: msg('Share of the stage’s applicants in each grade and its annual probability of default; shares must add up to 100 %.'),
  typical: msg('Japan prices nine risk tiers; start-up PDs of 5–10 % a year are common, mature firms 1–3 %.'),
  columns: [num('share', msg('Share'), 'percent'), num('pd', msg('PD'), 'percent')],
};

export const RISK_LOGNORMAL: readonly FieldSpec[] = [
  num('riskGrades.meanPd', msg('Mean PD'), 'percent'),
  num('riskGrades.dispersion', msg('Dispersion of log PD'), 'number'),
  num('riskGrades.grades', msg('Grades'), 'integer'),
];

export const COLLATERAL_LIST: ListSpec = {
  path: 'collateral', label: msg('Collateral levels'), rows: 5,
  help: msg('Share of applicants able to pledge each level of collateral (market value as % of the loan); shares must add up to 100 %.'),
  typical: msg('Start-ups often pledge nothing; mature firms 100 % or more.'),
  columns: [num('share', msg('Share'), 'percent'), num('ratio', msg('Collateral'), 'percent')],
};

export const MORAL_HAZARD: Group = {
  id: 'moralHazard',
  title: msg('Moral hazard'),
  intro: msg('Lenders screen less when the fund carries more of the loss.'),
  fields: [
    num('moralHazard.pdUpliftAtFullCoverage', msg('PD uplift at 100 % coverage'), 'percent', {
      typical: msg('Japan cut coverage from 100 % to 80 % in 2007 after claims rose and some banks stopped screening.'),
    }),
  ],
  lists: [],
};

export const MONTE_CARLO: Group = {
  id: 'monteCarlo',
  title: msg('Monte Carlo'),
  intro: msg('The random business cycle behind correlated defaults: how many paths, the seed, and stress overlays.'),
  fields: [
    num('monteCarlo.paths', msg('Paths'), 'integer', { typical: msg('2,000 paths for a first look; 100,000 for stable 99.9 % tails.') }),
    num('monteCarlo.seed', msg('Seed'), 'integer'),
    num('monteCarlo.cyclePersistence', msg('Cycle persistence'), 'number', { typical: msg('Business cycles last several years: 0.3–0.7.') }),
    num('monteCarlo.downturnLgdSensitivity', msg('Downturn recovery sensitivity'), 'number'),
  ],
  lists: [
    {
      path: 'monteCarlo.stress', label: msg('Stress overlays'), rows: 5,
      help: msg('Shift of the systematic factor in standard deviations over a span of years (negative = recession).'),
      typical: msg('A −1.5σ to −2σ shift for 2 years is a severe recession.'),
      columns: [num('fromYear', msg('From year'), 'year'), num('toYear', msg('To year'), 'year'), num('shift', msg('Shift'), 'sigma')],
    },
  ],
};

/** Government support rules: each is off while all its fields are blank. */
export const SUPPORT: Group = {
  id: 'support',
  title: msg('Government support'),
  intro: msg('Rules by which the government supports the fund, each counted as public money. Leave every field of a rule blank for none.'),
  fields: [
    num('support.capitalCall.triggerRatio', msg('Capital call: trigger ratio'), 'percent', { optional: true, typical: msg('A call when capital falls under, say, 5 % of outstanding guarantees.') }),
    num('support.capitalCall.targetRatio', msg('Capital call: target ratio'), 'percent', { optional: true }),
    num('support.capitalCall.lagMonths', msg('Capital call: lag'), 'months', { optional: true }),
    num('support.stateLossSharing.share', msg('State loss sharing: state’s share'), 'percent', { optional: true, typical: msg('Thailand’s portfolio guarantee schemes: the state compensated part of the losses.') }),
    num('support.stateLossSharing.threshold', msg('State loss sharing: threshold'), 'percent', { optional: true }),
    select('support.stateLossSharing.basis', msg('State loss sharing: threshold applies to'), [['', '—'], ['vintage', msg('Each vintage’s claims')], ['year', msg('Each year’s claims')]], { optional: true }),
    num('support.feeSubsidy.share', msg('Fee subsidy: government’s share of the fee'), 'percent', { optional: true, typical: msg('Thailand waived the 1.75 % fee for the first two to four years of some schemes.') }),
    num('support.feeSubsidy.loanYears', msg('Fee subsidy: years of each loan'), 'years', { optional: true }),
    num('support.feeSubsidy.fromYear', msg('Fee subsidy: from origination year'), 'year', { optional: true }),
    num('support.feeSubsidy.toYear', msg('Fee subsidy: to origination year'), 'year', { optional: true }),
    { path: 'support.feeSubsidy.stages', label: msg('Fee subsidy: stages'), kind: 'lines', optional: true, help: msg('One stage per line (founding, growth, maturity, transformation); blank = every stage.') },
  ],
  lists: [],
};

/** How the programme is costed: discounting, the cost of public capital, the break-even basis. */
export const COSTING: Group = {
  id: 'costing',
  title: msg('Costing'),
  intro: msg('How the programme’s cost is measured: the government’s borrowing rate to discount cash flows, the rate at which it values the capital tied up in the fund, and the basis of the break-even fee.'),
  fields: [
    {
      path: 'costing.discountRate', label: msg('Discount rate'), kind: 'text', unit: 'percent',
      help: msg('The government’s borrowing rate, in % a year (e.g. 4); or a zero-coupon curve as maturity: rate pairs separated by semicolons (e.g. 1: 3.5; 5: 4; 10: 4.5), linear between points and flat beyond.'),
      typical: msg('Government bond yields of matching maturity; US credit-reform budgeting uses Treasury rates.'),
    },
    num('costing.capitalCostRate', msg('Cost of public capital'), 'percent', { blankIsNull: true, help: msg('Rate at which the government values the capital tied up in the fund; blank = the discount rate.') }),
    select('costing.breakEvenBasis', msg('Break-even fee basis'), [
      ['lifetime', msg('Lifetime, without investment income')], ['lifetimeWithInvestmentIncome', msg('Lifetime, with investment income')], ['horizon', msg('Capital at the horizon equal to capital put in')],
    ]),
    num('costing.riskCapitalConfidence', msg('Capital confidence'), 'percent', { typical: msg('99.9 % as in Basel II; 99 % or 99.5 % for a less conservative fund.') }),
  ],
  lists: [],
};

/** The groups in page order; the SME stage table sits between Lender and Moral hazard. */
export const GROUPS_BEFORE_STAGES: readonly Group[] = [GENERAL, FUND, GUARANTEE, LENDER, TIMING];
export const GROUPS_AFTER_STAGES: readonly Group[] = [MORAL_HAZARD, SUPPORT, COSTING, MONTE_CARLO];

/**
 * The schema's descriptions the form shows as help texts, listed so the catalogue holds them:
 * the form translates a description where it shows it (t(description)). A test checks that
 * every description the editor shows is listed here.
 */
export const SCHEMA_HELP: readonly string[] = [
  msg('Scenario name'),
  msg('What the scenario represents'),
  msg('Projection horizon in years'),
  msg('Length of a projection period'),
  msg('ISO 4217 currency code, used for formatting only'),
  msg('Capital the fund starts with'),
  msg('Yield earned on the fund’s capital'),
  msg('Fixed operating cost per year'),
  msg('Operating cost per year as a fraction of outstanding guarantees'),
  msg('Cost of issuing one new guarantee (appraisal, processing)'),
  msg('Maximum outstanding guarantees as a multiple of capital (leverage L = G / E); real funds run 5–40×'),
  msg('Capital / outstanding guarantees below which the fund stops issuing new guarantees'),
  msg('Months between a default and the payment of the claim; a lag that is not a whole number of periods splits a period’s claims between two periods'),
  msg('Months after origination before a claim can be paid (CGTMSE uses a lock-in); claims are deferred, not refused'),
  msg('Where the fund’s recoveries come from: a flat share of each claim, or the loan’s recoveries (unsecured recovery and pledged collateral after its haircut) shared with the lender by the sharing rule'),
  msg('Months between paying a claim and receiving its recovery'),
  msg('Share of every claim reinsured by a counter-guarantor (Japan Finance Corporation reinsures Japan’s CGCs)'),
  msg('Premium per year on the reinsured part of outstanding guarantees'),
  msg('Share of the loss on a loan the fund covers (coverage ratio c)'),
  msg('Who bears the fee: the borrower on top of interest, or the lender, who passes it into the interest rate (so the rate cap limits it)'),
  msg('Share of loans the lender would make anyway that it still puts under guarantee (substitution)'),
  msg('Collateral the lender requires on a guaranteed loan: on the uncovered part, or none (a collateral-free product such as CGTMSE’s)'),
  msg('Share of the uncovered part on which the lender requires collateral (1 = all of it)'),
  msg('Marginal: each bracket’s rate applies to the part of the amount inside it (like tax brackets); slab: the rate of the bracket the amount falls in applies to the whole amount'),
  msg('What the rate is charged on: the guaranteed amount, or the loan’s principal (for the annual fee: the outstanding balance of either)'),
  msg('Whether bracket bounds are loan sizes or guaranteed amounts'),
  msg('Charge the first year’s annual fee on the full guaranteed amount when the loan is made, and the fee on the outstanding amount from the second year (as CGTMSE does)'),
  msg('Lender’s cost of funds'),
  msg('Lender’s operating cost per year as a fraction of the loan'),
  msg('Margin per year the lender requires above all costs and the capital charge'),
  msg('Collateral the lender requires, as a fraction of the uncovered loan (World Bank Enterprise Surveys: often above 1)'),
  msg('Fraction of pledged collateral’s market value the lender disregards'),
  msg('Highest interest rate the lender may or will charge (rate cap)'),
  msg('Risk weight of an unguaranteed SME loan (0.75 = 75 %)'),
  msg('Risk weight of the guaranteed part (0 for a sovereign-backed guarantee, as CGTMSE)'),
  msg('Capital the lender holds per unit of risk-weighted assets'),
  msg('Lender’s cost of equity'),
  msg('Spread of the lender’s assessment of firms within a segment: standard deviation of log PD around the grade’s PD (0 = every firm alike, so a segment is lent to entirely or not at all)'),
  msg('Spread of what firms within a collateral level can pledge: standard deviation of log collateral (0 = every firm pledges exactly its level)'),
  msg('When loans are originated within a period'),
  msg('How loan principal is repaid'),
  msg('Instalments per year for linear and annuity repayment (at the loan rate for annuities)'),
  msg('When defaults (and so the exposure claimed) fall within a period'),
  msg('Capital on which investment income is earned: opening, closing (before that income) or their average'),
  msg('Flows left out of the closing capital on which investment income is earned (spreadsheet models often take claims and costs as paid at the period’s end)'),
  msg('Default risk of a loan in its period of origination: in proportion to its time on the books, or the full period’s rate (the annual rate applied to period-end outstanding, as spreadsheet models do)'),
  msg('Whether a loan can default in its first twelve months; false follows models that apply the default rate from the second year'),
  msg('When a default falls on a payment date, whether the claim is on the balance before that instalment or after it'),
  msg('Relative rise of PD on guaranteed loans when the lender bears none of the loss, from weaker screening: PD × (1 + m × e), e the share of its expected loss the lender sheds (coverage after the loss cap, less any fee it pays); 0 = none'),
  msg('Capital / outstanding guarantees below which the government tops the fund up'),
  msg('Capital / outstanding guarantees the top-up restores'),
  msg('Months from the period in which capital falls under the trigger to the payment (0 = at the start of the next period)'),
  msg('Share of the claims above the threshold that the state pays'),
  msg('Claims, as a fraction of the vintage’s principal lent (per vintage) or of the year’s average outstanding guarantees (per year), above which the state pays'),
  msg('Whether the threshold applies to each vintage’s cumulative claims or to each year’s claims'),
  msg('Share of the guarantee fee the government pays in the borrower’s place'),
  msg('Years of each loan’s life for which the fee is subsidised (the upfront fee is in its first year)'),
  msg('First year of origination whose loans get the subsidy'),
  msg('Last year of origination whose loans get the subsidy'),
  msg('Basis of the break-even fee: every cohort to maturity without investment income, with it, or capital at the horizon equal to capital put in'),
  msg('Confidence at which the fund holds capital against unexpected loss (risk-based fee, prudent leverage)'),
  msg('Number of simulated paths'),
  msg('Random seed: the same seed gives the same results'),
  msg('AR(1) persistence of the systematic factor from one year to the next (0 = independent years)'),
  msg('How much recoveries fall in downturns: recovery × (1 + s × Z) clamped to [0, 1]; 0 = none'),
  msg('Firms of this stage applying for a loan in the first year'),
  msg('Yearly growth of the number of applicants'),
  msg('Average loan principal'),
  msg('Loan tenor in years'),
  msg('Loss given default before collateral: the share of the balance lost when the firm defaults and nothing is pledged'),
  msg('Asset correlation with the business cycle (Vasicek ρ); Basel uses 0.12–0.24 for corporates, 0.03–0.16 for retail'),
  msg('Mean expected return per year on the projects the stage’s firms want to finance'),
  msg('Standard deviation of project returns across the stage’s applicants (normal); 0 = every firm borrows below the mean return and none above it'),
  msg('Share of the stage’s guaranteed loans after the first year that go to firms the fund has already served (one firm, two loans)'),
  msg('Yearly probability of moving to the founding stage'),
  msg('Yearly probability of moving to the growth stage'),
  msg('Yearly probability of moving to the maturity stage'),
  msg('Yearly probability of moving to the transformation stage'),
  msg('Yearly probability that the firm leaves the portfolio without default (repays early, is sold or closes solvent)'),
  msg('Mean annual probability of default of the stage’s firms'),
  msg('Standard deviation of log PD (0 = every firm alike; 1 = PDs spread over a factor of about 7 between the 16th and 84th percentiles)'),
  msg('Number of equally likely grades the distribution is cut into'),
  msg('Year of the injection (1 = first year); paid at the start of its first period'),
  msg('Capital injected by the government'),
  msg('Upper bound of this bracket (loan principal, or guaranteed amount where the rule says so); null for the last bracket'),
  msg('Fee rate of this bracket'),
  msg('Rate on the part of the fee base above that amount'),
  msg('Highest annual PD of this band; the last band has no bound (null)'),
  msg('Annual fee rate for firms in this band'),
  msg('Highest claims ratio (claims paid in the year ÷ amount guaranteed outstanding) of this band; null for the last'),
  msg('Relative change of the annual fee for the next year (−0.1 = 10 % discount, 0.7 = 70 % surcharge)'),
  msg('First year of the stress'),
  msg('Last year of the stress'),
  msg('Shift of the systematic factor Z in standard deviations (negative = recession)'),
  msg('Share of the stage’s applicants in this risk grade'),
  msg('Annual probability of default of a firm in this grade'),
  msg('Share of the stage’s applicants who can pledge this much collateral'),
  msg('Collateral the firm can pledge, market value as a fraction of the loan (1 = 100 %)'),
];

// ---------------------------------------------------------------------------------------
// What the schema says about a path: description, bounds, default.

export type JsonNode = {
  properties?: Record<string, JsonNode>;
  items?: JsonNode;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  required?: string[];
  description?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  type?: string;
};

const JSON_SCHEMA = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as JsonNode;

function descend(node: JsonNode, segs: readonly string[], required: boolean): { node: JsonNode; required: boolean } | null {
  if (segs.length === 0) return { node, required };
  const [head, ...rest] = segs as [string, ...string[]];
  const prop = node.properties?.[head];
  if (prop) return descend(prop, rest, required && (node.required ?? []).includes(head));
  if (node.items && (head === '*' || /^\d+$/.test(head))) return descend(node.items, rest, required);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    const found = descend(branch, segs, required);
    if (found) return found;
  }
  return null;
}

/** Schema facts for a full scenario path (stage names and list indices may be concrete or `*`). */
export function schemaInfo(path: string): SchemaInfo {
  return schemaInfoIn(JSON_SCHEMA, path);
}

/** Schema facts for a path of any JSON Schema (made by z.toJSONSchema with io: 'input'). */
export function schemaInfoIn(root: JsonNode, path: string): SchemaInfo {
  const found = descend(root, path.split('.'), true);
  if (!found) return { required: false };
  const { node } = found;
  const inner = [...(node.anyOf ?? []), ...(node.oneOf ?? [])].find((b) => b.type !== 'null') ?? node;
  return {
    description: node.description ?? inner.description,
    minimum: node.minimum ?? inner.minimum,
    maximum: node.maximum ?? inner.maximum,
    default: node.default,
    required: found.required && node.default === undefined,
  };
}
