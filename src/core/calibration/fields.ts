/**
 * The fields of a loan tape (one row per loan), the headers each is recognised by, the rule that
 * derives a firm's lifecycle stage from its age, and the limits of an import. Pure: no I/O.
 */
import { z } from 'zod';
import { msg } from '../../i18n/translate.ts';
import { STAGES, type Stage } from '../stages.ts';

export const LOAN_FIELDS = [
  'loanId', 'originationDate', 'amount', 'tenorMonths', 'repayment',
  'stage', 'firmAgeYears', 'firmFoundedDate', 'grade', 'collateralValue', 'coverage',
  'defaultDate', 'outstandingAtDefault', 'recoveryAmount', 'recoveryDate', 'closedDate', 'stageAtEnd',
  'region', 'sector', 'lender',
] as const;
export type LoanField = (typeof LOAN_FIELDS)[number];

export interface FieldInfo {
  readonly field: LoanField;
  readonly label: string;
  readonly help: string;
  readonly required: boolean;
  /** Lower-case headers (spaces, dashes and underscores removed) that map to the field without asking. */
  readonly aliases: readonly string[];
}

export const FIELD_INFO: readonly FieldInfo[] = [
  { field: 'loanId', label: msg('Loan id'), required: false, help: msg('A unique id per loan; the line number when absent.'), aliases: ['loanid', 'id', 'loan', 'loanno', 'loannumber', 'contract', 'contractid', 'reference'] },
  { field: 'originationDate', label: msg('Origination date'), required: true, help: msg('Date the loan was disbursed (YYYY-MM-DD, DD/MM/YYYY or an Excel date).'), aliases: ['originationdate', 'origination', 'disbursementdate', 'disbursed', 'startdate', 'opendate', 'dateoforigination', 'loandate'] },
  { field: 'amount', label: msg('Amount'), required: true, help: msg('Principal lent, in the scenario’s currency.'), aliases: ['amount', 'principal', 'loanamount', 'disbursedamount', 'loansize'] },
  { field: 'tenorMonths', label: msg('Tenor (months)'), required: true, help: msg('Contractual term in months (1–360).'), aliases: ['tenormonths', 'tenor', 'termmonths', 'term', 'maturitymonths', 'durationmonths'] },
  { field: 'repayment', label: msg('Repayment type'), required: false, help: msg('bullet, linear or annuity.'), aliases: ['repayment', 'repaymenttype', 'amortisation', 'amortization', 'amortisationtype'] },
  { field: 'stage', label: msg('Lifecycle stage'), required: false, help: msg('founding, growth, maturity or transformation. Or give the firm’s age or founding date instead.'), aliases: ['stage', 'lifecyclestage', 'firmstage', 'stageatorigination'] },
  { field: 'firmAgeYears', label: msg('Firm age (years)'), required: false, help: msg('Age of the firm at origination, in years; the stage follows the stated rule.'), aliases: ['firmageyears', 'firmage', 'ageyears', 'age', 'yearsinbusiness'] },
  { field: 'firmFoundedDate', label: msg('Firm founding date'), required: false, help: msg('Date the firm was founded; its age at origination gives the stage by the stated rule.'), aliases: ['firmfounded', 'foundingdate', 'founded', 'incorporationdate', 'firmfoundeddate', 'dateoffounding'] },
  { field: 'grade', label: msg('Risk grade'), required: false, help: msg('The lender’s risk grade or score band (at most 10 per stage).'), aliases: ['grade', 'riskgrade', 'rating', 'score', 'scoreband', 'riskclass'] },
  { field: 'collateralValue', label: msg('Collateral value'), required: false, help: msg('Market value of the collateral pledged, in money.'), aliases: ['collateralvalue', 'collateral', 'security', 'securityvalue'] },
  { field: 'coverage', label: msg('Guarantee coverage'), required: false, help: msg('Share of the loan guaranteed: 0.8 or 80 %.'), aliases: ['coverage', 'guaranteecover', 'guaranteecoverage', 'coverageratio', 'guaranteedshare'] },
  { field: 'defaultDate', label: msg('Default date'), required: false, help: msg('Date of default; empty for a loan that has not defaulted.'), aliases: ['defaultdate', 'dateofdefault', 'defaulted', 'defaultedon'] },
  { field: 'outstandingAtDefault', label: msg('Outstanding at default'), required: false, help: msg('Balance at default (exposure at default); required for a defaulted loan.'), aliases: ['outstandingatdefault', 'exposureatdefault', 'ead', 'balanceatdefault'] },
  { field: 'recoveryAmount', label: msg('Recoveries'), required: false, help: msg('Total recovered on a defaulted loan, in money.'), aliases: ['recoveryamount', 'recovered', 'recoveries', 'amountrecovered'] },
  { field: 'recoveryDate', label: msg('Recovery date'), required: false, help: msg('Date of the (last) recovery; required when something was recovered.'), aliases: ['recoverydate', 'dateofrecovery', 'recoveredon'] },
  { field: 'closedDate', label: msg('Repaid early / exit date'), required: false, help: msg('Date the loan left the book before maturity without default (prepayment, sale).'), aliases: ['closeddate', 'repaidearlyon', 'prepaymentdate', 'prepaiddate', 'exitdate', 'earlyrepaymentdate'] },
  { field: 'stageAtEnd', label: msg('Stage at end'), required: false, help: msg('The firm’s stage when the loan ended or at the data’s end date (for stage transitions).'), aliases: ['stageatend', 'currentstage', 'laststage', 'finalstage'] },
  { field: 'region', label: msg('Region'), required: false, help: msg('Optional.'), aliases: ['region', 'province', 'state'] },
  { field: 'sector', label: msg('Sector'), required: false, help: msg('Optional.'), aliases: ['sector', 'industry', 'isic', 'naics'] },
  { field: 'lender', label: msg('Lender'), required: false, help: msg('Optional.'), aliases: ['lender', 'bank', 'institution'] },
];

export const FIELD_BY_NAME: ReadonlyMap<LoanField, FieldInfo> = new Map(FIELD_INFO.map((f) => [f.field, f]));

/** Column of the file for each field (its header), or absent when the file has none. */
export type ColumnMapping = Partial<Record<LoanField, string>>;

/** A mapping as stored or sent: known fields only, each to a header's name. */
export const ColumnMappingSchema = z.partialRecord(z.enum(LOAN_FIELDS), z.string().min(1).max(500));

const normaliseHeader = (h: string) => h.toLowerCase().replace(/\([^)]*\)/g, '').replace(/[^a-z0-9]/g, '');

/** A first guess at the mapping from the file's headers: exact alias matches only, each header used once. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  for (const info of FIELD_INFO) {
    const header = headers.find((h) => !used.has(h) && info.aliases.includes(normaliseHeader(h)));
    if (header !== undefined) {
      mapping[info.field] = header;
      used.add(header);
    }
  }
  return mapping;
}

/** Problems of a mapping as a whole (not of a row): missing required fields, a header used twice, no way to tell the stage. */
export function mappingProblems(mapping: ColumnMapping, headers: readonly string[]): string[] {
  const problems: string[] = [];
  for (const info of FIELD_INFO) {
    const h = mapping[info.field];
    if (h !== undefined && !headers.includes(h)) problems.push(`${info.label}: the file has no column “${h}”.`);
    if (info.required && h === undefined) problems.push(`${info.label}: is required; choose the column that holds it.`);
  }
  if (mapping.stage === undefined && mapping.firmAgeYears === undefined && mapping.firmFoundedDate === undefined) {
    problems.push('Lifecycle stage: choose the column of the stage, of the firm’s age or of its founding date.');
  }
  const seen = new Map<string, LoanField>();
  for (const [field, h] of Object.entries(mapping) as [LoanField, string][]) {
    const other = seen.get(h);
    if (other) problems.push(`${FIELD_BY_NAME.get(field)!.label}: column “${h}” is already used for ${FIELD_BY_NAME.get(other)!.label}.`);
    else seen.set(h, field);
  }
  return problems;
}

/**
 * The stated rule from a firm's age at origination to its lifecycle stage: founding under 3
 * years, growth from 3 to under 8, maturity from 8 to under 20, transformation from 20 years.
 */
export const STAGE_AGE_BOUNDS: readonly { readonly stage: Stage; readonly fromYears: number }[] = [
  { stage: 'founding', fromYears: 0 },
  { stage: 'growth', fromYears: 3 },
  { stage: 'maturity', fromYears: 8 },
  { stage: 'transformation', fromYears: 20 },
];

export function stageOfAge(ageYears: number): Stage {
  let stage: Stage = 'founding';
  for (const b of STAGE_AGE_BOUNDS) if (ageYears >= b.fromYears) stage = b.stage;
  return stage;
}

export const STAGE_RULE_TEXT = msg('A firm’s stage follows its age at origination: founding under 3 years, growth from 3 to under 8, maturity from 8 to under 20, transformation from 20 years.');

/** Limits of an import, stated on the upload page and in the README. */
export const LIMITS = {
  /** Largest file accepted, in bytes. */
  maxBytes: 300 * 1024 * 1024,
  /** Most loans (rows) accepted. */
  maxRows: 2_000_000,
  /** Most bad rows listed; beyond, the count goes on but the lines are not kept. */
  maxReportedErrors: 10_000,
  /** Most columns in a file. */
  maxColumns: 200,
} as const;

export function stageName(text: string): Stage | null {
  const t = text.trim().toLowerCase();
  const byNumber: Record<string, Stage> = { '1': 'founding', '2': 'growth', '3': 'maturity', '4': 'transformation' };
  if (byNumber[t]) return byNumber[t]!;
  const found = STAGES.find((s) => s === t || (t.length >= 3 && s.startsWith(t)));
  if (found) return found;
  if (t === 'startup' || t === 'start-up' || t === 'start up' || t === 'seed') return 'founding';
  if (t === 'mature') return 'maturity';
  return null;
}
