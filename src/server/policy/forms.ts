/**
 * The forms of the policy pages (budget comparison, tornado, sweep, search): field definitions
 * with units and help texts (descriptions and bounds from the core's zod schemas, sources from
 * the documented defaults), form values ⇄ request inputs, and validation issues placed beside
 * the field they concern. Percentages are entered as percentages, money with separators,
 * blank means "the default" (or "none" where the schema takes null). Works without JavaScript:
 * every form is plain HTML; a checkbox travels with a hidden "off" before it.
 */
import { z } from 'zod';
import {
  BudgetComparisonSchema, INDICATOR_LABELS, INDICATORS, INTEREST_SUBSIDY_DEFAULTS, listParameters, MICROFINANCE_DEFAULTS, parameterInfo,
  parameterLabel, REVOLVING_FUND_DEFAULTS, SEARCH_OBJECTIVES, SearchSpecSchema, SweepSpecSchema, TornadoSpecSchema,
  type DocumentedDefault, type ParameterUnit,
} from '../../core/policy/index.ts';
import type { FieldIssue, Scenario } from '../../core/schema.ts';
import { STAGES } from '../../core/stages.ts';
import { schemaInfoIn, type JsonNode } from '../forms/fields.ts';
import { fieldByName, inPercentTerms, plainNumbers } from '../forms/form.ts';
import {
  checkboxView, fieldId, fieldView as kitFieldView, formatForInput, parseFormNumber, postedValue, readValue,
  type CheckboxView, type FieldSpec, type FieldView, type FormErrors, type FormValues, type SchemaInfo, type Unit,
} from '../forms/kit.ts';
import { termForPolicyField } from '../training/glossary-links.ts';
import { msg, type Localizer, type Translate } from '../../i18n/translate.ts';
import { english } from '../../i18n/index.ts';
import { translateMessage } from '../../i18n/issues.ts';
import { numberMarks } from '../../i18n/format.ts';
import { ENGLISH_MARKS, parseLocaleNumber } from '../../core/locale-number.ts';

/** Issues placed without a page (the API's callers): in English. */
const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: english };

const capital = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);

const num = (path: string, label: string, unit: Unit, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, label, kind: 'number', unit, ...extra });
const select = (path: string, label: string, options: readonly (readonly [string, string])[], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  path, label, kind: 'select', options: options.map(([value, l]) => ({ value, label: l })), ...extra,
});
const check = (path: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, label, kind: 'checkbox', ...extra });
const text = (path: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, label, kind: 'text', blankIsNull: true, ...extra });

const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
const BUDGET_JSON = toJson(BudgetComparisonSchema);
const TORNADO_JSON = toJson(TornadoSpecSchema);
const SWEEP_JSON = toJson(SweepSpecSchema);
const SEARCH_JSON = toJson(SearchSpecSchema);

/** How a documented default reads under a field: its value and where it comes from. */
function basisText(d: DocumentedDefault | undefined, t: Translate): string {
  if (!d) return '';
  const note = t(d.note);
  switch (d.basis) {
    case 'sourced': return t('Sourced: {note}.', { note });
    case 'illustrative': return t('Illustrative (an assumption): {note}.', { note });
    case 'derived': return t('Derived: {note}.', { note });
  }
}

// ---------------------------------------------------------------------------------------------
// Budget comparison

/** The stages as options, labelled for translation (STAGE_LABELS words them in English). */
const STAGE_NAMES: Readonly<Record<(typeof STAGES)[number], string>> = { founding: msg('Founding'), growth: msg('Growth'), maturity: msg('Maturity'), transformation: msg('Transformation') };
const STAGE_OPTIONS = STAGES.map((s) => [s, STAGE_NAMES[s]] as const);
const AMORTISATION = [['annuity', msg('Equal payments (annuity)')], ['linear', msg('Equal principal instalments (linear)')], ['bullet', msg('All at the end (bullet)')]] as const;

export interface FieldGroup {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  /** The checkbox that includes the group's option in the comparison. */
  readonly toggle?: FieldSpec;
  readonly fields: readonly FieldSpec[];
}

export const BUDGET_GROUPS: readonly FieldGroup[] = [
  {
    id: 'budget', title: msg('Budget and horizon'), intro: msg('The public money to spend and how long to follow it. Every option gets the same budget, horizon and target firms.'),
    fields: [
      { path: 'name', label: msg('Name of the comparison'), kind: 'text' },
      num('budget', msg('Budget'), 'money'),
      num('horizonYears', msg('Horizon'), 'years'),
      { path: 'currency', label: msg('Currency'), kind: 'text', help: msg('ISO 4217 code for formatting; blank = the base scenario’s currency.') },
      select('periodsPerYear', msg('Periods per year of the loan books'), [['12', msg('Monthly (12)')], ['4', msg('Quarterly (4)')], ['1', msg('Annual (1)')]]),
      num('discountRate', msg('Discount rate'), 'percent', { help: msg('One rate for every option: the present value of the public money each consumes is discounted at it (a government borrowing rate).') }),
    ],
  },
  {
    id: 'target', title: msg('Target firms'), intro: msg('The firms every option serves: a lifecycle stage of a base scenario, or firms you describe. The base scenario is also the guarantee fund of option (a) and the lender model that says which firms banks would serve anyway.'),
    fields: [
      select('scenario', msg('Base scenario'), [], { local: true, help: msg('A preset or a saved scenario: the guarantee fund, capitalised with the budget, and the banks’ lending rule.') }),
      select('target.kind', msg('Target given as'), [['stage', msg('A stage of the base scenario')], ['explicit', msg('Firms described below')]], { help: msg('A stage takes the firms, loan size, tenor, PD and LGD from the base scenario; “described below” uses the numbers under “Firms described”, which are used only then.') }),
      select('target.stage', msg('Stage'), STAGE_OPTIONS, { schemaPath: 'target.stage' }),
      num('target.firmsPerYear', msg('Target firms per year'), 'integer', { help: msg('Firms applying for a loan in year 1.') }),
      num('target.applicantGrowthRate', msg('Growth of the number of firms'), 'percent'),
      num('target.loanSize', msg('Loan size'), 'money'),
      num('target.tenorYears', msg('Loan tenor'), 'years'),
      num('target.annualPd', msg('Annual probability of default (PD)'), 'percent'),
      num('target.lossGivenDefault', msg('Loss given default (LGD)'), 'percent'),
      num('target.assetCorrelation', msg('Asset correlation'), 'percent'),
      num('target.unservedShare', msg('Share not served by banks'), 'percent', { blankIsNull: true, help: msg('Share of the target firms banks do not lend to without support: lending to them is additional. Blank = from the base scenario’s lender model.') }),
    ],
  },
  {
    id: 'guaranteeFund', title: msg('(a) Guarantee fund'), intro: msg('The budget capitalises the base scenario’s guarantee fund, which guarantees loans to the target firms only (coverage, fees, leverage and costs as in the base scenario).'),
    toggle: check('guaranteeFund.enabled', msg('Include the guarantee fund')),
    fields: [],
  },
  {
    id: 'microfinance', title: msg('(b) Microfinance institution'), intro: msg('The budget funds a microfinance institution (MFI) as equity or as a concessional loan. The MFI lends its own product — small loans over months, repaid in frequent instalments, at a high yield that covers its high costs — screens applicants, lends again to clients who repay, borrows up to a multiple of its equity and grows from retained earnings. Its defaults come from microfinance benchmarks (see each field’s source).'),
    toggle: check('microfinance.enabled', msg('Include the microfinance institution')),
    fields: [
      select('microfinance.funding', msg('Budget given as'), [['equity', msg('Equity')], ['loan', msg('A concessional loan')]]),
      num('microfinance.concessionalRate', msg('Rate on the concessional loan'), 'percent'),
      num('microfinance.otherEquity', msg('Equity from other owners'), 'money'),
      num('microfinance.loanSize', msg('Loan size'), 'money', { blankIsNull: true, help: msg('Principal of one microloan. Blank = the target’s loan size.') }),
      num('microfinance.tenorMonths', msg('Loan tenor'), 'months'),
      select('microfinance.amortisation', msg('Repayment'), AMORTISATION),
      num('microfinance.portfolioYield', msg('Portfolio yield'), 'percent'),
      num('microfinance.operatingCostPerLoan', msg('Operating cost per loan'), 'money'),
      num('microfinance.operatingExpenseRatio', msg('Operating cost per unit lent'), 'percent', { help: msg('Operating expenses per year as a share of the loan portfolio, on top of the cost per loan.') }),
      num('microfinance.costOfFunds', msg('Cost of commercial funds'), 'percent'),
      num('microfinance.maxDebtToEquity', msg('Leverage limit (debt ÷ equity)'), 'multiple'),
      num('microfinance.idleCashRate', msg('Interest on idle cash'), 'percent', { blankIsNull: true, help: msg('Blank = the base scenario’s investment yield.') }),
      num('microfinance.applicantsPerYear', msg('Applicants per year'), 'integer', { blankIsNull: true, help: msg('Target firms applying to the MFI in year 1. Blank = the target firms per year.') }),
      num('microfinance.rejectionRate', msg('Applicants turned away at screening'), 'percent'),
      num('microfinance.retentionRate', msg('Clients who borrow again'), 'percent', { help: msg('Share of clients who repay a loan in full and take another.') }),
      select('microfinance.lendingMethod', msg('Lending method'), [['individual', msg('Individual loans')], ['group', msg('Group lending (joint liability)')]]),
      num('microfinance.groupLendingDefaultReduction', msg('Fall in defaults from group lending'), 'percent', { help: msg('How much lower the default rates are with group lending and joint liability (30 = 30 % lower). Applies only to group lending.') }),
      num('microfinance.defaultRate', msg('Annual default rate, first loans'), 'percent', { blankIsNull: true, help: msg('Annual probability that a new client defaults. Blank = the target’s PD.') }),
      num('microfinance.repeatDefaultRate', msg('Annual default rate, repeat loans'), 'percent'),
      num('microfinance.lossGivenDefault', msg('Loss given default'), 'percent', { blankIsNull: true, help: msg('Blank = the target’s LGD.') }),
    ],
  },
  {
    id: 'revolvingFund', title: msg('(c) Revolving loan fund'), intro: msg('The budget is lent directly to the firms at a set rate; repayments and interest are lent again. Money out on loan is not available until it is repaid, so lending is limited by the fund’s cash — checked every period, or set once a year from the cash at the start of the year.'),
    toggle: check('revolvingFund.enabled', msg('Include the revolving loan fund')),
    fields: [
      num('revolvingFund.lendingRate', msg('Lending rate'), 'percent'),
      select('revolvingFund.capacity', msg('Lending capacity'), [['continuous', msg('From the cash held each period')], ['annual', msg('A budget set once a year from the cash at its start')]]),
      text('revolvingFund.demandByYear', msg('Loans demanded, year by year'), { help: msg('Numbers of loans separated by commas (no thousands separators), one per year from year 1; the last repeats. Blank = the target firms per year.') }),
      num('revolvingFund.adminCostRate', msg('Administrative cost on loans outstanding'), 'percent'),
      num('revolvingFund.adminCostFixedPerYear', msg('Fixed administrative budget per year'), 'money'),
      num('revolvingFund.costPerLoan', msg('Cost per loan made'), 'money'),
      num('revolvingFund.idleCashRate', msg('Interest on idle cash'), 'percent', { blankIsNull: true, help: msg('Blank = the base scenario’s investment yield.') }),
      num('revolvingFund.loanSize', msg('Loan size'), 'money', { blankIsNull: true, help: msg('Blank = the target’s loan size.') }),
      num('revolvingFund.tenorYears', msg('Loan tenor'), 'years', { blankIsNull: true, help: msg('Blank = the target’s tenor.') }),
      select('revolvingFund.amortisation', msg('Repayment'), AMORTISATION),
      num('revolvingFund.defaultRate', msg('Annual default rate'), 'percent', { blankIsNull: true, help: msg('Blank = the target’s PD.') }),
      num('revolvingFund.lossGivenDefault', msg('Loss given default'), 'percent', { blankIsNull: true, help: msg('Blank = the target’s LGD (the fund takes no collateral).') }),
    ],
  },
  {
    id: 'interestSubsidy', title: msg('(d) Interest subsidy'), intro: msg('The budget pays part of the interest on bank loans to the target firms for the life of each loan. A subsidy lowers the rate; it does not close a collateral gap.'),
    toggle: check('interestSubsidy.enabled', msg('Include the interest subsidy')),
    fields: [
      num('interestSubsidy.subsidyRate', msg('Subsidy'), 'percent', { help: msg('Percentage points of interest paid per year on a subsidised loan’s balance.') }),
      num('interestSubsidy.bankRate', msg('Bank’s rate before the subsidy'), 'percent', { blankIsNull: true, help: msg('Blank = from the base scenario’s lender model.') }),
      num('interestSubsidy.takeUpShare', msg('Share of firms with a subsidised loan'), 'percent', { blankIsNull: true, help: msg('Blank = from the lender model.') }),
      num('interestSubsidy.additionalShare', msg('Share of subsidised loans that are additional'), 'percent', { blankIsNull: true, help: msg('Blank = from the lender model.') }),
      select('interestSubsidy.amortisation', msg('Repayment'), AMORTISATION),
    ],
  },
  {
    id: 'monteCarlo', title: msg('Monte Carlo'), intro: msg('Simulates many business cycles: every option sees the same cycle on a path (common random numbers). Gives the spread of what is left of the budget and the probability of losing more than half of it.'),
    toggle: check('_monteCarlo', msg('Simulate the spread of outcomes'), { local: true }),
    fields: [
      num('monteCarlo.paths', msg('Paths'), 'integer'),
      num('monteCarlo.seed', msg('Seed'), 'integer'),
      num('monteCarlo.cyclePersistence', msg('Cycle persistence'), 'number'),
    ],
  },
];

const BUDGET_FIELDS: readonly FieldSpec[] = BUDGET_GROUPS.flatMap((g) => [...(g.toggle ? [g.toggle] : []), ...g.fields]);
const EXPLICIT_TARGET = ['firmsPerYear', 'applicantGrowthRate', 'loanSize', 'tenorYears', 'annualPd', 'lossGivenDefault', 'assetCorrelation'];
/** The target fields in force only when the target is described in the form. */
export const EXPLICIT_TARGET_NAMES: readonly string[] = EXPLICIT_TARGET.map((k) => `target.${k}`);
const isExplicitTarget = (name: string) => EXPLICIT_TARGET_NAMES.includes(name);

const DOCUMENTED: Record<string, DocumentedDefault> = Object.fromEntries([
  ...Object.entries(MICROFINANCE_DEFAULTS).map(([k, v]) => [`microfinance.${k}`, v]),
  ...Object.entries(REVOLVING_FUND_DEFAULTS).map(([k, v]) => [`revolvingFund.${k}`, v]),
  ...Object.entries(INTEREST_SUBSIDY_DEFAULTS).map(([k, v]) => [`interestSubsidy.${k}`, v]),
]);

/** The form's starting values: EUR 10 million for the founding-stage firms of the small local fund, every option, Monte Carlo on. */
export const BUDGET_DEFAULTS: FormValues = {
  name: msg('The same budget, four ways'),
  budget: '10,000,000',
  horizonYears: '10',
  currency: '',
  periodsPerYear: '12',
  discountRate: '4',
  scenario: 'preset:startup-local-fund',
  'target.kind': 'stage',
  'target.stage': 'founding',
  'target.firmsPerYear': '500',
  'target.applicantGrowthRate': '0',
  'target.loanSize': '30,000',
  'target.tenorYears': '4',
  'target.annualPd': '9',
  'target.lossGivenDefault': '80',
  'target.assetCorrelation': '12',
  'target.unservedShare': '',
  'guaranteeFund.enabled': 'on',
  'microfinance.enabled': 'on',
  'revolvingFund.enabled': 'on',
  'interestSubsidy.enabled': 'on',
  _monteCarlo: 'on',
  'monteCarlo.paths': '1,000',
  'monteCarlo.seed': '42',
  'monteCarlo.cyclePersistence': '0.5',
  ...Object.fromEntries(BUDGET_FIELDS.filter((f) => f.kind !== 'checkbox' && /^(microfinance|revolvingFund|interestSubsidy)\./.test(f.path)).map((f) => {
    const d = schemaInfoIn(BUDGET_JSON, f.path).default;
    return [f.path, d === null || d === undefined ? '' : formatForInput(d, f.unit)];
  })),
};

// ---------------------------------------------------------------------------------------------
// Views

/**
 * A policy field on the kit's view model, in the page's language: bounds from the form's schema,
 * the documented default's basis, the glossary entry. Options passed in are shown as given (the
 * caller words them); the field's own options are translated by the kit.
 */
export function fieldView(prefix: string, f: FieldSpec, root: JsonNode | null, values: FormValues, errors: FormErrors, currency: string, options: readonly (readonly [string, string])[] | undefined, l: Localizer): FieldView {
  const info: SchemaInfo = root ? schemaInfoIn(root, f.schemaPath ?? f.path) : { required: false };
  return kitFieldView({
    name: f.path, id: fieldId(prefix, f.path), spec: f, info, values, errors, currency, l,
    options: options?.map(([value, label]) => ({ value, label })),
    basis: basisText(DOCUMENTED[f.path], l.t),
    term: termForPolicyField(f.path),
  });
}

export interface GroupView {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly toggle: CheckboxView | null;
  readonly fields: readonly ReturnType<typeof fieldView>[];
  readonly errors: readonly string[];
  /** The target group's firms described in the form: in force only when the target says so. */
  readonly explicit?: ExplicitTargetView;
}

/** The base scenario's stage a stage target takes, as the form shows it. */
export interface StageInForce {
  /** The scenario and stage it was read from (the page's script fills the fields from it only while both are still chosen). */
  readonly scenarioRef: string;
  readonly stage: string;
  /** "Founding stage of “…”: 500 firms a year, loans of €30,000 over 4 years, PD 9 %, LGD 80 %". */
  readonly text: string;
  /** Its values as typed in the fields, by field name. */
  readonly values: Readonly<Record<string, string>>;
}

export interface ExplicitTargetView {
  readonly inForce: boolean;
  readonly stageText: string;
  readonly scenarioRef: string;
  readonly stage: string;
  readonly fields: readonly (ReturnType<typeof fieldView> & { fill: string })[];
}

export function budgetFormModel(values: FormValues, errors: FormErrors, scenarioOptions: readonly (readonly [string, string])[], currency: string, stage: StageInForce | null, l: Localizer): { groups: GroupView[]; otherErrors: string[]; errorCount: number; errorLinks: { id: string; label: string; message: string }[] } {
  const { t } = l;
  const explicit = values['target.kind'] === 'explicit';
  const groups: GroupView[] = BUDGET_GROUPS.map((g) => {
    const view = (f: FieldSpec, v: FormValues = values) => fieldView('b', f, BUDGET_JSON, v, errors, currency, f.path === 'scenario' ? scenarioOptions : undefined, l);
    const base = {
      id: g.id, title: t(g.title), intro: t(g.intro),
      toggle: g.toggle ? checkboxView('b', g.toggle, values, l.t) : null,
      fields: g.fields.filter((f) => !isExplicitTarget(f.path)).map((f) => view(f)),
      errors: g.toggle ? errors[g.toggle.path] ?? [] : [],
    };
    if (g.id !== 'target') return base;
    // Not in force: shown blank (what was typed is kept beside its error), so nothing looks used that is not.
    const shown: FormValues = explicit ? values : { ...values, ...Object.fromEntries(EXPLICIT_TARGET_NAMES.map((n) => [n, errors[n]?.length ? values[n] ?? '' : ''])) };
    return {
      ...base,
      explicit: {
        inForce: explicit,
        stageText: stage?.text ?? '',
        scenarioRef: stage?.scenarioRef ?? '',
        stage: stage?.stage ?? '',
        fields: g.fields.filter((f) => isExplicitTarget(f.path)).map((f) => ({ ...view(f, shown), fill: stage?.values[f.path] ?? BUDGET_DEFAULTS[f.path] ?? '' })),
      },
    };
  });
  const links = groups.flatMap((g) => [...g.fields, ...(g.explicit?.fields ?? [])].flatMap((f) => f.errors.map((message) => ({ id: f.id, label: f.label, message }))));
  const otherErrors = errors[''] ?? [];
  return { groups, otherErrors, errorCount: links.length + otherErrors.length, errorLinks: links };
}

/** A stage target's firms as the form shows them: a sentence and the fields' values. */
export function stageInForce(scenarioRef: string, scenarioName: string, stage: string, target: { firmsPerYear: number; applicantGrowthRate: number; loanSize: number; tenorYears: number; annualPd: number; lossGivenDefault: number; assetCorrelation: number }, money: (x: number) => string, l: Localizer): StageInForce {
  const { t } = l;
  const pct = (x: number) => `${Number((x * 100).toPrecision(4)).toLocaleString(l.locale)} %`;
  const values = {
    stage, scenario: scenarioName, firms: Math.round(target.firmsPerYear).toLocaleString(l.locale), growth: target.applicantGrowthRate ? pct(target.applicantGrowthRate) : '',
    loan: money(target.loanSize), years: Number(target.tenorYears.toPrecision(4)), pd: pct(target.annualPd), lgd: pct(target.lossGivenDefault), correlation: pct(target.assetCorrelation),
  };
  const text = target.applicantGrowthRate
    ? t('{stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}} stage of “{scenario}”: {firms} firms a year, growing {growth} a year, loans of {loan} over {years, plural, one {# year} other {# years}}, PD {pd}, LGD {lgd}, asset correlation {correlation}', values)
    : t('{stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}} stage of “{scenario}”: {firms} firms a year, loans of {loan} over {years, plural, one {# year} other {# years}}, PD {pd}, LGD {lgd}, asset correlation {correlation}', values);
  const unit = (n: string) => BUDGET_FIELDS.find((f) => f.path === n)?.unit;
  const fields = Object.fromEntries(EXPLICIT_TARGET.map((k) => [`target.${k}`, formatForInput(target[k as keyof typeof target], unit(`target.${k}`))]));
  return { scenarioRef, stage, text, values: fields };
}

/**
 * Firms described in the form while the target is a stage: the server does not use them, and
 * says so beside each one typed rather than ignore it (a page without its script sends them).
 */
export function ignoredTargetErrors(values: FormValues, t: Translate): FormErrors {
  if (values['target.kind'] === 'explicit') return {};
  const errors: FormErrors = {};
  for (const name of EXPLICIT_TARGET_NAMES) {
    if ((values[name] ?? '').trim() === '') continue;
    errors[name] = [t('Not used while the target is a stage of the base scenario: choose “Firms described below” under “Target given as” to use it, or clear it')];
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Form values → request input

type Body = Record<string, unknown>;

/** Form values from a posted body or a query, over defaults. */
export function valuesFrom(body: Body | undefined, names: readonly string[], defaults: FormValues): FormValues {
  const out: FormValues = { ...defaults };
  for (const name of names) {
    const v = postedValue(body, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export const BUDGET_NAMES: readonly string[] = BUDGET_FIELDS.map((f) => f.path);

function setPath(obj: Body, path: string, value: unknown): void {
  const segs = path.split('.');
  let cur = obj;
  for (const seg of segs.slice(0, -1)) {
    if (typeof cur[seg] !== 'object' || cur[seg] === null) cur[seg] = {};
    cur = cur[seg] as Body;
  }
  cur[segs[segs.length - 1]!] = value;
}

/** Fields that hold a list of numbers, typed as numbers separated by commas or spaces. */
const LIST_FIELDS = new Set(['revolvingFund.demandByYear']);

/** A posted policy value: blank takes the default (or null where the schema takes it); a list of numbers and the periods per year are read here, the rest by the kit. */
function readField(f: FieldSpec, raw: string | undefined): { skip: true } | { skip: false; value: unknown } {
  const text = (raw ?? '').trim();
  let value: unknown;
  if (text !== '' && LIST_FIELDS.has(f.path)) value = text.split(/[,;\s]+/).filter(Boolean).map((x) => parseFormNumber(x, 'number'));
  else if (text !== '' && f.path === 'periodsPerYear') value = Number(text);
  else value = readValue({ ...f, optional: true }, f.kind === 'checkbox' ? raw ?? '' : text);
  return value === undefined ? { skip: true } : { skip: false, value };
}

/** The comparison input of a budget form (the base scenario is resolved by the caller). */
export function budgetFormToInput(values: FormValues): { input: Body; scenarioRef: string; monteCarlo: boolean } {
  const input: Body = {};
  const explicit = values['target.kind'] === 'explicit';
  for (const f of BUDGET_FIELDS) {
    if (f.local) continue;
    const m = /^target\.(.+)$/.exec(f.path);
    if (m && !explicit && m[1] !== 'kind' && m[1] !== 'stage' && m[1] !== 'unservedShare') continue;
    const read = readField(f, values[f.path]);
    if (!read.skip) setPath(input, f.path, read.value);
  }
  if (typeof input.name !== 'string' || !input.name.trim()) delete input.name;
  return { input, scenarioRef: values['scenario'] ?? '', monteCarlo: values['_monteCarlo'] === 'on' };
}

/** A comparison back in the form (for "change the inputs"). */
export function budgetToForm(comparison: Body, scenarioRef: string | null, monteCarlo: boolean): FormValues {
  const values: FormValues = { ...BUDGET_DEFAULTS, scenario: scenarioRef ?? BUDGET_DEFAULTS['scenario']!, _monteCarlo: monteCarlo ? 'on' : 'off' };
  const get = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Body)[k] : undefined), comparison);
  for (const f of BUDGET_FIELDS) {
    if (f.local) continue;
    const v = get(f.path);
    if (v === undefined) continue;
    values[f.path] = f.kind === 'checkbox' ? (v ? 'on' : 'off') : v === null ? '' : Array.isArray(v) ? v.join(', ') : f.kind === 'number' ? formatForInput(v, f.unit) : String(v);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Issues beside their fields

/** A core message in the form's terms: fractions as percentages. */
export function formMessageFor(message: string, unit: Unit | ParameterUnit | undefined, info: SchemaInfo): string {
  let m = plainNumbers(message);
  // A blank field says so on every form, whichever schema it comes from.
  if (/expected (number|int), received undefined/.test(m)) m = 'is required';
  else if (/expected number, received/.test(m)) m = 'must be a number';
  else if (/^Invalid option/.test(m)) m = 'is not one of the options';
  const pct = unit === 'percent' || unit === 'share' || unit === 'rate';
  if (!pct) return m;
  const conv = (x: number) => `${Number((x * 100).toPrecision(10))} %`;
  const { minimum: lo, maximum: hi } = info;
  m = inPercentTerms(m);
  if (m.startsWith('must be between') && lo !== undefined && hi !== undefined) return `must be between ${conv(lo)} and ${conv(hi)}`;
  const least = /^must be at least (-?[\d.e+-]+)/.exec(m);
  if (least) return `must be at least ${conv(Number(least[1]))}`;
  const most = /^must be at most (-?[\d.e+-]+)/.exec(m);
  if (most) return `must be at most ${conv(Number(most[1]))}`;
  return m;
}

/** Places issues on the fields named like their paths (or the nearest enclosing one); the rest under ''. */
export function placeIssues(issues: readonly FieldIssue[], fields: readonly FieldSpec[], root: JsonNode | null, rename: (path: string) => string = (p) => p, l: Localizer = ENGLISH): FormErrors {
  const tr = (m: string) => translateMessage(l, m);
  const byName = new Map(fields.map((f) => [f.path, f]));
  const errors: FormErrors = {};
  const add = (name: string, message: string): void => {
    errors[name] ??= [];
    errors[name].push(capital(tr(message)));
  };
  for (const issue of issues) {
    const path = rename(issue.path);
    const segs = path.split('.');
    let placed = false;
    for (let n = segs.length; n > 0 && !placed; n--) {
      const name = segs.slice(0, n).join('.');
      const f = byName.get(name);
      if (!f) continue;
      const info = root ? schemaInfoIn(root, f.schemaPath ?? name) : { required: false };
      add(name, formMessageFor(issue.message, f.unit, info));
      placed = true;
    }
    if (!placed) {
      errors[''] ??= [];
      errors[''].push(path === '' || path.startsWith('(') ? capital(tr(issue.message)) : `${path}: ${tr(issue.message)}`);
    }
  }
  return errors;
}

export function budgetErrors(issues: readonly FieldIssue[], l: Localizer = ENGLISH): FormErrors {
  return placeIssues(issues, BUDGET_FIELDS, BUDGET_JSON, (p) => (p === '(comparison)' ? '' : p), l);
}

// ---------------------------------------------------------------------------------------------
// Sensitivity: tornado, sweep, search

const INDICATOR_OPTIONS = INDICATORS.map((i) => [i, INDICATOR_LABELS[i]] as const);

/**
 * How a parameter's values are entered and shown: as in the scenario editor (percentages for
 * coverage, fees, PDs, collateral ratios…), else from the parameter's unit.
 */
export function parameterUnit(s: Scenario | null, path: string): Unit {
  const editor = fieldByName(path)?.spec.unit;
  if (editor) return editor;
  const info = s ? parameterInfo(s, path) : null;
  if (!info || 'error' in info) return 'number';
  switch (info.unit) {
    case 'share':
    case 'rate': return 'percent';
    case 'money': return 'money';
    case 'count': return 'integer';
    case 'years': return 'years';
    case 'months': return 'months';
    default: return 'number';
  }
}

export function parameterOptions(s: Scenario, t: Translate): [string, string][] {
  return listParameters(s).map((p) => [p.path, parameterLabel(p.path, t)]);
}

export const TORNADO_ROWS = 8;

export const TORNADO_FIELDS: readonly FieldSpec[] = [
  select('scenario', msg('Scenario'), [], { local: true }),
  select('indicator', msg('Indicator'), INDICATOR_OPTIONS),
  num('change', msg('Change each way'), 'percent', { help: msg('How far each parameter moves either side of its value when no low and high are given (20 = ±20 %).') }),
  num('paths', msg('Paths per point'), 'integer', { help: msg('Monte Carlo paths for the probability of depletion at each point (only that indicator needs them).') }),
  num('seed', msg('Seed'), 'integer', { blankIsNull: true, help: msg('The same seed at every point (common random numbers); blank = the scenario’s.') }),
];

export const TORNADO_DEFAULTS: FormValues = {
  scenario: 'preset:default', indicator: 'capital', change: '20', paths: '200', seed: '',
  'parameters.0.path': 'guarantee.coverageRatio',
  'parameters.1.path': 'guarantee.annualFee.0.rate',
  'parameters.2.path': 'fund.recoveryRate',
  'parameters.3.path': 'fund.investmentYield',
  'parameters.4.path': 'lender.requiredCollateralRatio',
  'parameters.5.path': 'guarantee.deadweightTakeUp',
};

export const TORNADO_NAMES: readonly string[] = [
  ...TORNADO_FIELDS.map((f) => f.path),
  ...Array.from({ length: TORNADO_ROWS }, (_, i) => [`parameters.${i}.path`, `parameters.${i}.low`, `parameters.${i}.high`]).flat(),
];

/** A parameter's typed value in the schema's units (percentages back to fractions). */
function parameterValue(s: Scenario | null, path: string, raw: string | undefined): number | string | undefined {
  const text = (raw ?? '').trim();
  if (text === '') return undefined;
  return parseFormNumber(text, parameterUnit(s, path));
}

export function tornadoFormToInput(values: FormValues, s: Scenario | null): { input: Body; rowMap: number[] } {
  const parameters: Body[] = [];
  const rowMap: number[] = [];
  for (let i = 0; i < TORNADO_ROWS; i++) {
    const path = (values[`parameters.${i}.path`] ?? '').trim();
    if (!path) continue;
    const p: Body = { path };
    const low = parameterValue(s, path, values[`parameters.${i}.low`]);
    const high = parameterValue(s, path, values[`parameters.${i}.high`]);
    if (low !== undefined) p.low = low;
    if (high !== undefined) p.high = high;
    parameters.push(p);
    rowMap.push(i);
  }
  const input: Body = { parameters };
  for (const f of TORNADO_FIELDS) {
    if (f.local) continue;
    const read = readField(f, values[f.path]);
    if (!read.skip) input[f.path] = read.value;
  }
  return { input, rowMap };
}

export function tornadoErrors(issues: readonly FieldIssue[], rowMap: readonly number[], l: Localizer = ENGLISH): FormErrors {
  const rows: FieldSpec[] = Array.from({ length: TORNADO_ROWS }, (_, i) => [
    select(`parameters.${i}.path`, `Parameter ${i + 1}`, []),
    num(`parameters.${i}.low`, `Low ${i + 1}`, 'number'),
    num(`parameters.${i}.high`, `High ${i + 1}`, 'number'),
  ]).flat();
  return placeIssues(issues, [...TORNADO_FIELDS, ...rows, select('parameters', msg('Parameters'), [])], TORNADO_JSON, (p) => {
    const m = /^parameters\.(\d+)(\..*)?$/.exec(p);
    if (m && rowMap[Number(m[1])] !== undefined) return `parameters.${rowMap[Number(m[1])]}${m[2] ?? '.path'}`;
    return p;
  }, l);
}

export function tornadoToForm(spec: Body, scenarioRef: string | null, s: Scenario): FormValues {
  const values: FormValues = { scenario: scenarioRef ?? TORNADO_DEFAULTS['scenario']! };
  values['indicator'] = String(spec.indicator);
  values['change'] = formatForInput(spec.change, 'percent');
  values['paths'] = formatForInput(spec.paths, 'integer');
  values['seed'] = spec.seed === null || spec.seed === undefined ? '' : String(spec.seed);
  (spec.parameters as { path: string; low?: number; high?: number }[]).forEach((p, i) => {
    const unit = parameterUnit(s, p.path);
    values[`parameters.${i}.path`] = p.path;
    values[`parameters.${i}.low`] = p.low === undefined ? '' : formatForInput(p.low, unit);
    values[`parameters.${i}.high`] = p.high === undefined ? '' : formatForInput(p.high, unit);
  });
  return values;
}

export const SWEEP_FIELDS: readonly FieldSpec[] = [
  select('scenario', msg('Scenario'), [], { local: true }),
  select('x.path', msg('Parameter across (columns)'), [], { schemaPath: 'x.path', help: msg('The parameter along the horizontal axis of the heat map.') }),
  num('x.from', msg('From'), 'number', { help: msg('In the parameter’s unit: percentages for rates and shares.') }),
  num('x.to', msg('To'), 'number'),
  num('x.steps', msg('Values'), 'integer', { help: msg('Number of values, both ends included.') }),
  select('y.path', msg('Parameter down (rows)'), [], { schemaPath: 'y.path', help: msg('The parameter along the vertical axis.') }),
  num('y.from', msg('From'), 'number', { help: msg('In the parameter’s unit: percentages for rates and shares.') }),
  num('y.to', msg('To'), 'number'),
  num('y.steps', msg('Values'), 'integer', { help: msg('Number of values, both ends included.') }),
  select('indicator', msg('Indicator shown'), INDICATOR_OPTIONS),
  num('depletionTarget', msg('Target probability of depletion'), 'percent', { blankIsNull: true, help: msg('Draws the boundary where the probability of depletion crosses this value; blank = no boundary.') }),
  num('paths', msg('Paths per point'), 'integer', { help: msg('Monte Carlo paths at each grid point for the probability of depletion.') }),
  num('seed', msg('Seed'), 'integer', { blankIsNull: true, help: msg('The same seed at every point (common random numbers); blank = the scenario’s.') }),
];

export const SWEEP_DEFAULTS: FormValues = {
  scenario: 'preset:default',
  'x.path': 'guarantee.coverageRatio', 'x.from': '50', 'x.to': '100', 'x.steps': '6',
  'y.path': 'guarantee.annualFee.0.rate', 'y.from': '0.5', 'y.to': '3', 'y.steps': '6',
  indicator: 'depletion', depletionTarget: '5', paths: '200', seed: '',
};

export const SWEEP_NAMES: readonly string[] = SWEEP_FIELDS.map((f) => f.path);

export function sweepFormToInput(values: FormValues, s: Scenario | null): Body {
  const axis = (a: 'x' | 'y') => {
    const path = (values[`${a}.path`] ?? '').trim();
    const steps = readField(num(`${a}.steps`, '', 'integer'), values[`${a}.steps`]);
    return {
      path: path || undefined,
      from: parameterValue(s, path, values[`${a}.from`]),
      to: parameterValue(s, path, values[`${a}.to`]),
      steps: steps.skip ? undefined : steps.value,
    };
  };
  const input: Body = { x: axis('x'), y: axis('y') };
  for (const f of SWEEP_FIELDS) {
    if (f.local || /^[xy]\./.test(f.path)) continue;
    const read = readField(f, values[f.path]);
    if (!read.skip) input[f.path] = read.value;
  }
  return input;
}

export function sweepErrors(issues: readonly FieldIssue[], l: Localizer = ENGLISH): FormErrors {
  return placeIssues(issues, SWEEP_FIELDS, SWEEP_JSON, (p) => (p === 'x' || p === 'y' ? `${p}.path` : p), l);
}

export function sweepToForm(spec: Body, scenarioRef: string | null, s: Scenario): FormValues {
  const values: FormValues = { scenario: scenarioRef ?? SWEEP_DEFAULTS['scenario']! };
  for (const a of ['x', 'y'] as const) {
    const axis = spec[a] as { path: string; from: number; to: number; steps: number };
    const unit = parameterUnit(s, axis.path);
    values[`${a}.path`] = axis.path;
    values[`${a}.from`] = formatForInput(axis.from, unit);
    values[`${a}.to`] = formatForInput(axis.to, unit);
    values[`${a}.steps`] = String(axis.steps);
  }
  values['indicator'] = String(spec.indicator);
  values['depletionTarget'] = spec.depletionTarget === null ? '' : formatForInput(spec.depletionTarget, 'percent');
  values['paths'] = formatForInput(spec.paths, 'integer');
  values['seed'] = spec.seed === null || spec.seed === undefined ? '' : String(spec.seed);
  return values;
}

export const SEARCH_FIELDS: readonly FieldSpec[] = [
  select('scenario', msg('Scenario'), [], { local: true }),
  select('objective', msg('Maximise'), SEARCH_OBJECTIVES.map((o) => [o, INDICATOR_LABELS[o]] as const)),
  num('depletionTarget', msg('Highest probability of depletion'), 'percent'),
  num('feeCeiling', msg('Highest annual fee'), 'percent'),
  num('feeFloor', msg('Lowest annual fee searched'), 'percent'),
  num('coverageFrom', msg('Lowest coverage searched'), 'percent'),
  num('coverageTo', msg('Highest coverage searched'), 'percent'),
  num('gridSteps', msg('Values per axis in each round'), 'integer'),
  num('refinements', msg('Rounds of refinement'), 'integer'),
  num('paths', msg('Paths per point'), 'integer', { help: msg('Monte Carlo paths for the probability of depletion at each point simulated, at first.') }),
  num('maxPaths', msg('Most paths per point'), 'integer', { help: msg('While the interval of a point’s probability of depletion contains the target, its paths are doubled up to this number (the first paths kept); a point still undecided is reported as “cannot tell”.') }),
  num('confidence', msg('Confidence of the interval'), 'percent', { help: msg('A point meets the target only when the whole interval at this confidence is at or below it (95 = a 95 % Wilson interval).') }),
  num('seed', msg('Seed'), 'integer', { blankIsNull: true, help: msg('The same seed at every point (common random numbers); blank = the scenario’s.') }),
];

export const SEARCH_DEFAULTS: FormValues = {
  scenario: 'preset:default', objective: 'additionalLending', depletionTarget: '5', feeCeiling: '3', feeFloor: '0.5',
  coverageFrom: '50', coverageTo: '100', gridSteps: '5', refinements: '2', paths: '200', maxPaths: '3200', confidence: '95', seed: '',
};

export const SEARCH_NAMES: readonly string[] = SEARCH_FIELDS.map((f) => f.path);

export function searchFormToInput(values: FormValues): Body {
  const input: Body = {};
  for (const f of SEARCH_FIELDS) {
    if (f.local) continue;
    const read = readField(f, values[f.path]);
    if (!read.skip) input[f.path] = read.value;
  }
  return input;
}

export function searchErrors(issues: readonly FieldIssue[], l: Localizer = ENGLISH): FormErrors {
  return placeIssues(issues, SEARCH_FIELDS, SEARCH_JSON, undefined, l);
}

export function searchToForm(spec: Body, scenarioRef: string | null): FormValues {
  const values: FormValues = { scenario: scenarioRef ?? SEARCH_DEFAULTS['scenario']! };
  for (const f of SEARCH_FIELDS) {
    if (f.local) continue;
    const v = spec[f.path];
    values[f.path] = v === null || v === undefined ? '' : f.kind === 'number' ? formatForInput(v, f.unit) : String(v);
  }
  return values;
}

export const SCHEMAS = { tornado: TORNADO_JSON, sweep: SWEEP_JSON, search: SEARCH_JSON, budget: BUDGET_JSON } as const;

// ---------------------------------------------------------------------------------------------
// Numbers in the page's locale

/** The fields of a form that hold one number (a list of numbers is left as typed). */
function numberFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.filter((f) => f.kind === 'number' && !LIST_FIELDS.has(f.path));
}

/** Every number field of the policy forms, tornado rows included. */
const NUMBER_FIELDS: readonly FieldSpec[] = numberFields([
  ...BUDGET_FIELDS, ...TORNADO_FIELDS, ...SWEEP_FIELDS, ...SEARCH_FIELDS,
  ...Array.from({ length: TORNADO_ROWS }, (_, i) => [num(`parameters.${i}.low`, '', 'number'), num(`parameters.${i}.high`, '', 'number')]).flat(),
]);

/** A number typed with one locale's marks, written with another's; text that is not one number is kept as it is. */
function convertNumber(raw: string, unit: Unit | undefined, from: string, to: string): string {
  const text = raw.trim();
  if (text === '') return raw;
  const r = parseLocaleNumber(text, from === 'en-US' ? ENGLISH_MARKS : numberMarks(from));
  if (!r.ok) return raw;
  const written = formatForInput(r.value, unit === 'money' || unit === 'integer' ? 'money' : 'number', to);
  return r.percent ? `${written} %` : written;
}

/**
 * Form values as the page shows them, numbers in the locale's marks ("10.000.000" and "0,5" in
 * Spanish). The forms keep their values in English marks; this is the way out.
 */
export function valuesForLocale(values: FormValues, locale: string): FormValues {
  if (locale === 'en-US') return values;
  const out: FormValues = { ...values };
  for (const f of NUMBER_FIELDS) {
    const v = out[f.path];
    if (v !== undefined) out[f.path] = convertNumber(v, f.unit, 'en-US', locale);
  }
  return out;
}

/** Numbers typed in the locale's marks, back to the English marks the forms read; the way in. */
export function valuesFromLocale(values: FormValues, locale: string): FormValues {
  if (locale === 'en-US') return values;
  const out: FormValues = { ...values };
  for (const f of NUMBER_FIELDS) {
    const v = out[f.path];
    if (v !== undefined) out[f.path] = convertNumber(v, f.unit, locale, 'en-US');
  }
  return out;
}
