/**
 * The scenario editor's fields: where each sits in the form, its unit, and its help text.
 * Descriptions, bounds and defaults come from the zod schema itself (through its JSON Schema),
 * so the form cannot drift from what parseScenario accepts; this file adds only what the schema
 * does not say: labels, display units and typical values in real schemes (docs/sources.md §5).
 */
import { z } from 'zod';
import { ScenarioSchema } from '../core/schema.ts';
import { STAGE_LABELS, STAGES } from '../core/stages.ts';

/**
 * How a number is shown and entered. `percent`: the schema holds a fraction, the form a
 * percentage (0.8 ↔ 80). `money`: an amount in the scenario's currency.
 */
export type Unit = 'money' | 'percent' | 'number' | 'integer' | 'years' | 'months' | 'multiple' | 'sigma' | 'year';

export interface FieldSpec {
  /** Path inside the scenario (list columns: relative to the row; stage rows: relative to the stage). */
  readonly path: string;
  readonly label: string;
  readonly kind: 'number' | 'select' | 'text' | 'textarea' | 'lines';
  readonly unit?: Unit;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Blank means "none": null in the scenario (nullable fields). */
  readonly blankIsNull?: boolean;
  /** Blank means "not set": the key is left out (optional fields and defaults). */
  readonly optional?: boolean;
  /** Typical values in real schemes, shown under the description. */
  readonly typical?: string;
  /** Help text replacing the schema's description. */
  readonly help?: string;
}

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

export const GENERAL: Group = {
  id: 'general',
  title: 'Scenario',
  intro: 'What the scenario is, where its numbers come from, and how far and in what steps it is projected.',
  fields: [
    { path: 'name', label: 'Name', kind: 'text' },
    { path: 'description', label: 'Description', kind: 'textarea' },
    num('horizonYears', 'Horizon', 'years', { typical: 'Evaluations usually look 5–10 years ahead; a fund’s claims peak 2–4 years after a cohort is lent.' }),
    select('period', 'Period', [['annual', 'Annual'], ['quarterly', 'Quarterly']]),
    { path: 'currency', label: 'Currency', kind: 'text', typical: 'USD, EUR, GBP, JPY, KRW, INR, THB…' },
    { path: 'sources', label: 'Sources', kind: 'lines', help: 'Sources of the parameters, one per line.' },
    { path: 'assumptions', label: 'Assumptions', kind: 'lines', help: 'Parameters that are assumptions rather than sourced values, one per line.' },
  ],
  lists: [],
};

export const FUND: Group = {
  id: 'fund',
  title: 'Fund',
  intro: 'The fund’s capital, its income and costs, and how claims and recoveries flow.',
  fields: [
    num('fund.initialCapital', 'Initial capital', 'money', { typical: 'Chile FOGAPE had about USD 233 m (2015); Thailand TCG equity THB 8.5 bn (2017).' }),
    num('fund.investmentYield', 'Investment yield', 'percent', { typical: 'Usually government bond yields: 1–5 % a year.' }),
    num('fund.operatingCosts.fixedPerYear', 'Fixed operating cost per year', 'money'),
    num('fund.operatingCosts.shareOfOutstanding', 'Operating cost on outstanding guarantees', 'percent', { typical: 'Roughly 0.3–1 % of outstanding guarantees a year.' }),
    num('fund.operatingCosts.perNewGuarantee', 'Cost per new guarantee', 'money'),
    num('fund.leverageCap', 'Leverage cap', 'multiple', { typical: 'Real funds run from about 5× to over 40× (Thailand TCG ≈ 41.5× in 2017).' }),
    num('fund.minCapitalRatio', 'Minimum capital ratio', 'percent', { typical: 'The inverse of the leverage cap is the natural floor: 10× ↔ 10 %.' }),
    num('fund.claimLagMonths', 'Claim lag', 'months', { typical: '3–12 months from default to payment.' }),
    num('fund.claimLockInMonths', 'Claim lock-in', 'months', { typical: 'India CGTMSE: 18 months from the guarantee’s start.' }),
    select('fund.recoveryModel', 'Recoveries come from', [['flatRate', 'A flat share of each claim'], ['collateral', 'The loan’s recoveries and pledged collateral, shared with the lender']]),
    num('fund.recoveryRate', 'Recovery rate', 'percent', { typical: 'Funds usually recover 10–40 % of claims paid.', help: 'Share of a paid claim recovered, under the flat-rate model.' }),
    select('fund.collateralSharing', 'Recoveries shared', [['pariPassu', 'Pari passu, in proportion to coverage'], ['lenderFirst', 'First to the lender’s uncovered part'], ['fundFirst', 'First to the fund']], { help: 'Under the collateral model: how a defaulted loan’s recoveries are split between the lender and the fund.' }),
    num('fund.recoveryLagMonths', 'Recovery lag', 'months', { typical: '1–4 years after the claim.' }),
    num('fund.counterGuarantee.share', 'Counter-guaranteed share of claims', 'percent', { typical: 'Japan Finance Corporation reinsures Japan’s CGCs; shares of 70–90 % of a claim are often quoted (not verified here).' }),
    num('fund.counterGuarantee.premiumRate', 'Counter-guarantee premium', 'percent'),
    num('fund.counterGuarantee.capShareOfLending', 'Counter-guarantor’s cap', 'percent', { blankIsNull: true, help: 'Cap on the counter-guarantor’s cumulative payments, as a share of the cumulative amount guaranteed; blank = no cap.', typical: 'EU COSME counter-guarantees are capped per portfolio.' }),
  ],
  lists: [
    {
      path: 'fund.capitalInjections', label: 'Capital injections', rows: 5,
      help: 'Scheduled injections by the government, paid at the start of the year.',
      columns: [num('year', 'Year', 'year'), num('amount', 'Amount', 'money')],
    },
  ],
};

const BRACKET_COLUMNS: readonly FieldSpec[] = [
  num('upTo', 'Size up to', 'money', { blankIsNull: true }),
  num('rate', 'Rate', 'percent'),
  num('above.amount', 'Slab: another rate above', 'money', { help: 'Slabs only: an amount of the fee base above which the next column’s rate applies; blank for none.' }),
  num('above.rate', 'Rate above', 'percent'),
];

export const GUARANTEE: Group = {
  id: 'guarantee',
  title: 'Guarantee product',
  intro: 'What the guarantee covers and what it costs. Fees are tiered by loan size like tax brackets: each bracket’s rate applies to the part of the loan inside it; leave the last bracket’s upper bound blank.',
  fields: [
    num('guarantee.coverageRatio', 'Coverage ratio', 'percent', { typical: 'Partial coverage is the rule: 50–85 % (KODIT 75–85 %, CGTMSE 75–85 %, SBA 7(a) 75–85 %, UK EFG 75 %); 100 % weakens screening.' }),
    ...STAGES.map((s) => num(`guarantee.coverageByStage.${s}`, `Coverage for ${STAGE_LABELS[s].toLowerCase()}-stage firms`, 'percent', { optional: true, help: `Overrides the coverage ratio for ${STAGE_LABELS[s].toLowerCase()}-stage firms; blank = the coverage ratio above.`, typical: s === 'founding' ? 'KOTEC startup guarantee and Japan’s startup programmes: 100 %.' : undefined })),
    select('guarantee.feePayer', 'Fee paid by', [['borrower', 'Borrower (on top of interest)'], ['lender', 'Lender (passed into the rate)']]),
    num('guarantee.maxGuaranteedPerLoan', 'Maximum guaranteed per loan', 'money', { blankIsNull: true, help: 'Maximum guaranteed amount per loan; blank = no maximum.' }),
    num('guarantee.portfolioLossCap', 'Portfolio loss cap', 'percent', { blankIsNull: true, help: 'Cap on a vintage’s claims as a share of the principal lent in it; blank = no cap.', typical: 'UK EFG 9.75 % (lenders claimed on up to 13 % of lending, 75 % covered); EU COSME up to 20 %; Thailand’s portfolio schemes 23.8–30 %.' }),
    num('guarantee.deadweightTakeUp', 'Take-up by loans made anyway', 'percent', { typical: 'Banco de Portugal (COVID guarantees): 0.69 of each euro guaranteed was substitution.' }),
    select('guarantee.collateralPolicy', 'Collateral on a guaranteed loan', [['uncoveredPart', 'Required on the uncovered part'], ['none', 'None (a collateral-free product)']], { typical: 'CGTMSE guarantees only collateral-free loans; UK EFG was for viable firms lacking security.' }),
    num('guarantee.collateralShareOfUncovered', 'Share of the uncovered part to secure', 'percent'),
    select('guarantee.upfrontFeeRule.method', 'Upfront fee: brackets applied', [['marginal', 'Marginally (each rate on the part inside its bracket)'], ['slab', 'As slabs (the bracket’s rate on the whole amount)']]),
    select('guarantee.upfrontFeeRule.basis', 'Upfront fee charged on', [['guaranteed', 'The guaranteed amount'], ['principal', 'The loan’s principal (outstanding)']]),
    select('guarantee.upfrontFeeRule.boundsOn', 'Upfront fee: bracket bounds are', [['loan', 'Loan sizes'], ['guaranteed', 'Guaranteed amounts']]),
    num('guarantee.upfrontFeeRule.minPerLoan', 'Upfront fee: minimum per loan', 'money', { blankIsNull: true, help: 'Smallest fee per loan; blank = none.' }),
    num('guarantee.upfrontFeeRule.maxPerLoan', 'Upfront fee: maximum per loan', 'money', { blankIsNull: true, help: 'Largest fee per loan; blank = none.' }),
    select('guarantee.annualFeeRule.method', 'Annual fee: brackets applied', [['marginal', 'Marginally (each rate on the part inside its bracket)'], ['slab', 'As slabs (the bracket’s rate on the whole amount)']]),
    select('guarantee.annualFeeRule.basis', 'Annual fee charged on', [['guaranteed', 'The guaranteed amount'], ['principal', 'The loan’s principal (outstanding)']]),
    select('guarantee.annualFeeRule.boundsOn', 'Annual fee: bracket bounds are', [['loan', 'Loan sizes'], ['guaranteed', 'Guaranteed amounts']]),
    num('guarantee.annualFeeRule.minPerLoan', 'Annual fee: minimum per loan', 'money', { blankIsNull: true, help: 'Smallest fee per loan and year; blank = none.' }),
    num('guarantee.annualFeeRule.maxPerLoan', 'Annual fee: maximum per loan', 'money', { blankIsNull: true, help: 'Largest fee per loan and year; blank = none.' }),
    select('guarantee.firstYearFeeOnGuaranteedAmount', 'First year’s annual fee', [['false', 'On the outstanding amount, like later years'], ['true', 'On the full guaranteed amount, when the loan is made']], { typical: 'CGTMSE charges the first year on the guaranteed amount and later years on the outstanding amount.' }),
  ],
  lists: [
    {
      path: 'guarantee.annualFee', label: 'Annual fee brackets', rows: 5,
      help: 'Annual fee on the outstanding guaranteed amount, tiered by loan size.',
      typical: 'Japan 0.45–1.90 %, Taiwan 0.375–1.375 %, KODIT 0.5–3 %, CGTMSE 0.37–1.35 %, US SBA 7(a) 0.55 %, Thailand 1.75 %; UK EFG 2 % of the loan balance, 2.67 % of the guaranteed amount.',
      columns: BRACKET_COLUMNS,
    },
    {
      path: 'guarantee.upfrontFee', label: 'Upfront fee brackets', rows: 5,
      help: 'Upfront fee as a share of the guaranteed amount, tiered by loan size.',
      typical: 'US SBA 7(a): 2–3.75 % of the guaranteed part; most schemes charge 0–1 %.',
      columns: BRACKET_COLUMNS,
    },
    {
      path: 'guarantee.annualFeeByPd', label: 'Risk-based annual fee by PD band', rows: 5, emptyIsNull: true,
      help: 'The annual fee by the firm’s PD band, replacing the annual fee brackets; leave every row blank for none, and the last band’s PD bound blank.',
      typical: 'Japan’s credit guarantee corporations price nine risk tiers, 0.45–1.90 % a year.',
      columns: [num('upToPd', 'PD up to', 'percent', { blankIsNull: true }), num('rate', 'Annual fee', 'percent')],
    },
    {
      path: 'guarantee.claimsRatioAdjustment', label: 'Fee adjustment by claims ratio', rows: 5, emptyIsNull: true,
      help: 'Next year’s annual fee changes by the portfolio’s claims ratio this year (claims paid ÷ guarantees outstanding); leave every row blank for none, and the last band’s bound blank.',
      typical: 'CGTMSE: from −10 % to +70 % of the fee by a lender’s claims record.',
      columns: [num('claimsRatioUpTo', 'Claims ratio up to', 'percent', { blankIsNull: true }), num('adjustment', 'Fee change', 'percent')],
    },
  ],
};

export const LENDER: Group = {
  id: 'lender',
  title: 'Lender',
  intro: 'How the lenders price loans and when they ration: a loan is made if the rate it needs stays under the cap and the collateral it wants is pledged.',
  fields: [
    num('lender.fundingCost', 'Cost of funds', 'percent', { typical: 'Policy rate plus a spread: 2–8 % a year.' }),
    num('lender.operatingCost', 'Operating cost', 'percent', { typical: '1–3 % of the loan a year for SME loans; microfinance far more.' }),
    num('lender.hurdleReturn', 'Hurdle margin', 'percent'),
    num('lender.requiredCollateralRatio', 'Required collateral', 'percent', { typical: 'World Bank Enterprise Surveys: often 150–200 % of the loan.' }),
    num('lender.collateralHaircut', 'Collateral haircut', 'percent', { typical: '20–50 % depending on the asset.' }),
    num('lender.maxLendingRate', 'Rate cap', 'percent'),
    num('lender.riskWeight', 'Risk weight, unguaranteed', 'percent', { typical: 'Basel standardised approach: 75 % for SME retail, 100 % corporate.' }),
    num('lender.guaranteedRiskWeight', 'Risk weight, guaranteed part', 'percent', { typical: '0 % for a sovereign-backed guarantee (CGTMSE); 20 % for many public schemes.' }),
    num('lender.capitalRatio', 'Capital ratio', 'percent', { typical: 'Basel III: 10.5 % including the conservation buffer.' }),
    num('lender.costOfEquity', 'Cost of equity', 'percent', { typical: '10–15 % a year.' }),
    num('lender.riskDispersion', 'Spread of firms’ risk within a segment', 'number', { typical: '0.3–0.7: a rating grade spans PDs over a factor of about 2–4; 0 makes every firm of a segment alike.' }),
    num('lender.collateralDispersion', 'Spread of firms’ collateral within a level', 'number', { typical: '0.3–0.7; 0 makes every firm of a level pledge the same.' }),
  ],
  lists: [],
};

export const TIMING: Group = {
  id: 'timing',
  title: 'Timing',
  intro: 'When things happen within a period, how loans repay, and whether volumes follow from lenders’ decisions or are given directly.',
  fields: [
    select('timing.origination', 'Loans originated at', [['start', 'Start of period'], ['middle', 'Middle of period'], ['end', 'End of period']]),
    select('timing.amortisation', 'Repayment', [['bullet', 'Bullet (all at maturity)'], ['linear', 'Linear'], ['annuity', 'Annuity']]),
    select('timing.instalmentsPerYear', 'Instalments per year', [['1', '1'], ['4', '4'], ['12', '12']]),
    select('timing.defaults', 'Defaults fall at', [['start', 'Start of period'], ['middle', 'Middle of period'], ['end', 'End of period']]),
    select('timing.investmentIncomeBasis', 'Investment income on', [['opening', 'Opening capital'], ['closing', 'Closing capital'], ['average', 'Average capital']]),
    select('timing.investmentIncomeExcludes', 'Investment income basis leaves out', [['nothing', 'Nothing'], ['claims', 'Claims (taken as paid at the period’s end)'], ['claimsAndCosts', 'Claims and costs (taken as paid at the period’s end)']]),
    select('timing.newLoanRisk', 'A new loan’s first-period risk', [['exposure', 'In proportion to its time on the books'], ['fullPeriod', 'The full period’s rate (as spreadsheets apply it)']]),
    select('timing.claimsInFirstYear', 'Defaults in a loan’s first year', [['true', 'Possible from origination'], ['false', 'None in the first twelve months']]),
    select('timing.defaultBalance', 'A default on a payment date is claimed on', [['beforeInstalment', 'The balance before that instalment'], ['afterInstalment', 'The balance after that instalment']]),
    select('origination.mode', 'Origination volumes', [['behavioural', 'From lenders’ decisions'], ['direct', 'Given directly (below)']], {
      help: 'From lenders’ decisions: volumes follow from the applicants and the lending rule. Given directly: the guaranteed principal per period and stage entered below.',
    }),
    ...STAGES.map((s, i) => ({
      path: `origination.volumes.${s}`, label: `Direct volumes, ${STAGE_LABELS[s].toLowerCase()} stage`, kind: 'textarea' as const, unit: 'money' as const,
      help: i === 0
        ? 'Guaranteed loan principal originated per period, separated by spaces, semicolons or new lines; the last value repeats for later periods. Used only when volumes are given directly.'
        : 'Same format as the founding stage.',
    })),
  ],
  lists: [],
};

/** Stage table rows: one column per lifecycle stage. Paths are relative to `stages.<stage>`. */
export const STAGE_FIELDS: readonly FieldSpec[] = [
  num('applicantsPerYear', 'Applicants in year 1', 'integer'),
  num('applicantGrowthRate', 'Applicant growth per year', 'percent'),
  num('loanSize', 'Average loan', 'money'),
  num('tenorYears', 'Tenor', 'years', { typical: 'Working-capital loans 1–3 years, investment loans 5–10.' }),
  num('lgdBeforeCollateral', 'Loss given default before collateral', 'percent', { typical: '45 % is the Basel foundation value for senior unsecured claims; small firms often lose more.' }),
  num('assetCorrelation', 'Asset correlation ρ', 'percent'),
  num('projectReturn.mean', 'Mean expected project return', 'percent', { typical: 'Firms borrow when their project earns more than the loan costs them; small firms’ returns of 15–40 % a year are common.' }),
  num('projectReturn.dispersion', 'Spread of project returns', 'percent', { typical: 'A wide spread (10–20 points) makes demand respond little to price; a narrow one, much.' }),
  num('repeatBorrowerShare', 'Loans to firms already served', 'percent', { typical: 'Repeat borrowers: a firm that borrows again counts once among firms supported.' }),
  num('transitions.founding', 'Moves to founding per year', 'percent'),
  num('transitions.growth', 'Moves to growth per year', 'percent'),
  num('transitions.maturity', 'Moves to maturity per year', 'percent'),
  num('transitions.transformation', 'Moves to transformation per year', 'percent'),
  num('transitions.exit', 'Exits without default per year', 'percent'),
];

export const RISK_MODE: FieldSpec = select('riskGrades.mode', 'Risk grades given as', [['list', 'A list of grades'], ['lognormal', 'A lognormal distribution']], {
  help: 'List the grades (share of applicants and PD for each; shares must add up to 100 %), or give a mean PD and a dispersion to be cut into equally likely grades.',
});

export const RISK_LIST: ListSpec = {
  path: 'riskGrades', label: 'Risk grades', rows: 5,
  help: 'Share of the stage’s applicants in each grade and its annual probability of default; shares must add up to 100 %.',
  typical: 'Japan prices nine risk tiers; start-up PDs of 5–10 % a year are common, mature firms 1–3 %.',
  columns: [num('share', 'Share', 'percent'), num('pd', 'PD', 'percent')],
};

export const RISK_LOGNORMAL: readonly FieldSpec[] = [
  num('riskGrades.meanPd', 'Mean PD', 'percent'),
  num('riskGrades.dispersion', 'Dispersion of log PD', 'number'),
  num('riskGrades.grades', 'Grades', 'integer'),
];

export const COLLATERAL_LIST: ListSpec = {
  path: 'collateral', label: 'Collateral levels', rows: 5,
  help: 'Share of applicants able to pledge each level of collateral (market value as % of the loan); shares must add up to 100 %.',
  typical: 'Start-ups often pledge nothing; mature firms 100 % or more.',
  columns: [num('share', 'Share', 'percent'), num('ratio', 'Collateral', 'percent')],
};

export const MORAL_HAZARD: Group = {
  id: 'moralHazard',
  title: 'Moral hazard',
  intro: 'Lenders screen less when the fund carries more of the loss.',
  fields: [
    num('moralHazard.pdUpliftAtFullCoverage', 'PD uplift at 100 % coverage', 'percent', {
      typical: 'Japan cut coverage from 100 % to 80 % in 2007 after claims rose and some banks stopped screening.',
    }),
  ],
  lists: [],
};

export const MONTE_CARLO: Group = {
  id: 'monteCarlo',
  title: 'Monte Carlo',
  intro: 'The random business cycle behind correlated defaults: how many paths, the seed, and stress overlays.',
  fields: [
    num('monteCarlo.paths', 'Paths', 'integer', { typical: '2,000 paths for a first look; 100,000 for stable 99.9 % tails.' }),
    num('monteCarlo.seed', 'Seed', 'integer'),
    num('monteCarlo.cyclePersistence', 'Cycle persistence', 'number', { typical: 'Business cycles last several years: 0.3–0.7.' }),
    num('monteCarlo.downturnLgdSensitivity', 'Downturn recovery sensitivity', 'number'),
  ],
  lists: [
    {
      path: 'monteCarlo.stress', label: 'Stress overlays', rows: 5,
      help: 'Shift of the systematic factor in standard deviations over a span of years (negative = recession).',
      typical: 'A −1.5σ to −2σ shift for 2 years is a severe recession.',
      columns: [num('fromYear', 'From year', 'year'), num('toYear', 'To year', 'year'), num('shift', 'Shift', 'sigma')],
    },
  ],
};

/** Government support rules: each is off while all its fields are blank. */
export const SUPPORT: Group = {
  id: 'support',
  title: 'Government support',
  intro: 'Rules by which the government supports the fund, each counted as public money. Leave every field of a rule blank for none.',
  fields: [
    num('support.capitalCall.triggerRatio', 'Capital call: trigger ratio', 'percent', { optional: true, typical: 'A call when capital falls under, say, 5 % of outstanding guarantees.' }),
    num('support.capitalCall.targetRatio', 'Capital call: target ratio', 'percent', { optional: true }),
    num('support.capitalCall.lagMonths', 'Capital call: lag', 'months', { optional: true }),
    num('support.stateLossSharing.share', 'State loss sharing: state’s share', 'percent', { optional: true, typical: 'Thailand’s portfolio guarantee schemes: the state compensated part of the losses.' }),
    num('support.stateLossSharing.threshold', 'State loss sharing: threshold', 'percent', { optional: true }),
    select('support.stateLossSharing.basis', 'State loss sharing: threshold applies to', [['', '—'], ['vintage', 'Each vintage’s claims'], ['year', 'Each year’s claims']], { optional: true }),
    num('support.feeSubsidy.share', 'Fee subsidy: government’s share of the fee', 'percent', { optional: true, typical: 'Thailand waived the 1.75 % fee for the first two to four years of some schemes.' }),
    num('support.feeSubsidy.loanYears', 'Fee subsidy: years of each loan', 'years', { optional: true }),
    num('support.feeSubsidy.fromYear', 'Fee subsidy: from origination year', 'year', { optional: true }),
    num('support.feeSubsidy.toYear', 'Fee subsidy: to origination year', 'year', { optional: true }),
    { path: 'support.feeSubsidy.stages', label: 'Fee subsidy: stages', kind: 'lines', optional: true, help: 'One stage per line (founding, growth, maturity, transformation); blank = every stage.' },
  ],
  lists: [],
};

/** How the programme is costed: discounting, the cost of public capital, the break-even basis. */
export const COSTING: Group = {
  id: 'costing',
  title: 'Costing',
  intro: 'How the programme’s cost is measured: the government’s borrowing rate to discount cash flows, the rate at which it values the capital tied up in the fund, and the basis of the break-even fee.',
  fields: [
    {
      path: 'costing.discountRate', label: 'Discount rate', kind: 'text', unit: 'percent',
      help: 'The government’s borrowing rate, in % a year (e.g. 4); or a zero-coupon curve as maturity: rate pairs separated by semicolons (e.g. 1: 3.5; 5: 4; 10: 4.5), linear between points and flat beyond.',
      typical: 'Government bond yields of matching maturity; US credit-reform budgeting uses Treasury rates.',
    },
    num('costing.capitalCostRate', 'Cost of public capital', 'percent', { blankIsNull: true, help: 'Rate at which the government values the capital tied up in the fund; blank = the discount rate.' }),
    select('costing.breakEvenBasis', 'Break-even fee basis', [
      ['lifetime', 'Lifetime, without investment income'], ['lifetimeWithInvestmentIncome', 'Lifetime, with investment income'], ['horizon', 'Capital at the horizon equal to capital put in'],
    ]),
    num('costing.riskCapitalConfidence', 'Capital confidence', 'percent', { typical: '99.9 % as in Basel II; 99 % or 99.5 % for a less conservative fund.' }),
  ],
  lists: [],
};

/** The groups in page order; the SME stage table sits between Lender and Moral hazard. */
export const GROUPS_BEFORE_STAGES: readonly Group[] = [GENERAL, FUND, GUARANTEE, LENDER, TIMING];
export const GROUPS_AFTER_STAGES: readonly Group[] = [MORAL_HAZARD, SUPPORT, COSTING, MONTE_CARLO];

// ---------------------------------------------------------------------------------------
// What the schema says about a path: description, bounds, default.

export interface SchemaInfo {
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly required: boolean;
}

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
