/**
 * One row of a loan tape, checked and turned into a loan; and the loans of a tape in columns
 * (typed arrays), so that a million of them fit in memory. Pure: no I/O.
 *
 * Dates are whole days since 1970-01-01 (UTC). A bad row gives one message per bad field,
 * naming the field; the caller adds the line number.
 */
import { STAGES, type Stage } from '../stages.ts';
import { FIELD_BY_NAME, stageName, stageOfAge, type LoanField } from './fields.ts';

export type Repayment = 'bullet' | 'linear' | 'annuity';
export const REPAYMENTS: readonly Repayment[] = ['bullet', 'linear', 'annuity'];

/** A raw cell: text from a CSV, or a number or date from a spreadsheet; null when empty. */
export type Cell = string | number | Date | boolean | null | undefined;

export interface Loan {
  readonly line: number;
  readonly id: string;
  readonly origination: number;
  readonly amount: number;
  readonly tenorMonths: number;
  readonly repayment: Repayment | null;
  readonly stage: Stage;
  readonly grade: string;
  readonly collateralValue: number | null;
  readonly coverage: number | null;
  readonly defaultDate: number | null;
  readonly outstandingAtDefault: number | null;
  readonly recoveryAmount: number | null;
  readonly recoveryDate: number | null;
  readonly closedDate: number | null;
  readonly stageAtEnd: Stage | null;
  readonly region: string;
  readonly sector: string;
  readonly lender: string;
}

export interface FieldError {
  readonly field: LoanField | null;
  readonly message: string;
}

export const DAY_MS = 86_400_000;
export const DAYS_PER_YEAR = 365.25;

export function dayOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

const isEmpty = (c: Cell) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

function validDay(y: number, m: number, d: number): number | null {
  if (!(y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const day = dayOf(y, m, d);
  const back = new Date(day * DAY_MS);
  return back.getUTCMonth() + 1 === m && back.getUTCDate() === d ? day : null;
}

/** A date: YYYY-MM-DD (a time after it is ignored), DD/MM/YYYY or DD.MM.YYYY, or a spreadsheet date. */
export function parseDate(c: Cell): number | null | 'bad' {
  if (isEmpty(c)) return null;
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? 'bad' : Math.floor(c.getTime() / DAY_MS);
  if (typeof c === 'number') {
    // A spreadsheet serial (days since 1899-12-30), as a cell without date format gives it.
    return Number.isFinite(c) && c > 0 && c < 120_000 ? Math.floor(c) - 25_569 : 'bad';
  }
  const t = String(c).trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t);
  if (m) return validDay(+m[1]!, +m[2]!, +m[3]!) ?? 'bad';
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) return validDay(+m[3]!, +m[2]!, +m[1]!) ?? 'bad';
  return 'bad';
}

/** A number: plain, with thousands separators (1,234.5) or a trailing %, which divides by 100 when `percent`. */
export function parseNumber(c: Cell, percent = false): number | null | 'bad' {
  if (isEmpty(c)) return null;
  if (typeof c === 'number') return Number.isFinite(c) ? c : 'bad';
  if (typeof c === 'boolean' || c instanceof Date) return 'bad';
  let t = String(c).trim().replace(/[\s\u00a0]/g, '');
  let scale = 1;
  if (t.endsWith('%')) {
    if (!percent) return 'bad';
    t = t.slice(0, -1);
    scale = 0.01;
  }
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return 'bad';
  return Number(t) * scale;
}

const text = (c: Cell): string => (isEmpty(c) ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim());

export interface RowOptions {
  /** The data's end date (day number): nothing may happen after it. */
  readonly asOf: number | null;
}

/**
 * Checks one row. `get(field)` gives the row's cell for a mapped field (undefined when the field
 * is not mapped). Returns the loan, or every problem of the row.
 */
export function parseLoan(line: number, get: (f: LoanField) => Cell, options: RowOptions): { loan: Loan } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const label = (f: LoanField) => FIELD_BY_NAME.get(f)!.label;
  const bad = (f: LoanField, message: string) => errors.push({ field: f, message: `${label(f)}: ${message}` });

  const date = (f: LoanField, required = false): number | null => {
    const raw = get(f);
    const v = parseDate(raw);
    if (v === 'bad') {
      bad(f, `“${text(raw)}” is not a date (write YYYY-MM-DD or DD/MM/YYYY)`);
      return null;
    }
    if (v === null && required) bad(f, 'is required');
    if (v !== null && options.asOf !== null && v > options.asOf) bad(f, `${isoDate(v)} is after the data’s end date ${isoDate(options.asOf)}`);
    return v;
  };
  const num = (f: LoanField, o: { required?: boolean; min?: number; max?: number; positive?: boolean; percent?: boolean } = {}): number | null => {
    const raw = get(f);
    const v = parseNumber(raw, o.percent);
    if (v === 'bad') {
      bad(f, `“${text(raw)}” is not a number`);
      return null;
    }
    if (v === null) {
      if (o.required) bad(f, 'is required');
      return null;
    }
    if (o.positive && !(v > 0)) bad(f, `must be more than 0 (found ${v})`);
    else if (o.min !== undefined && v < o.min) bad(f, `must be at least ${o.min} (found ${v})`);
    else if (o.max !== undefined && v > o.max) bad(f, `must be at most ${o.max} (found ${v})`);
    return v;
  };

  const origination = date('originationDate', true);
  const amount = num('amount', { required: true, positive: true, max: 1e13 });
  const tenor = num('tenorMonths', { required: true, positive: true, max: 360 });
  let repayment: Repayment | null = null;
  const rawRepayment = text(get('repayment')).toLowerCase();
  if (rawRepayment) {
    const r = rawRepayment === 'amortising' || rawRepayment === 'amortizing' || rawRepayment === 'french' ? 'annuity'
      : rawRepayment === 'equal principal' ? 'linear' : rawRepayment;
    if ((REPAYMENTS as readonly string[]).includes(r)) repayment = r as Repayment;
    else bad('repayment', `“${rawRepayment}” is not bullet, linear or annuity`);
  }

  let stage: Stage | null = null;
  const rawStage = text(get('stage'));
  if (rawStage) {
    stage = stageName(rawStage);
    if (!stage) bad('stage', `“${rawStage}” is not one of ${STAGES.join(', ')}`);
  } else {
    const age = num('firmAgeYears', { min: 0, max: 300 });
    if (age !== null) stage = stageOfAge(age);
    else {
      const founded = date('firmFoundedDate');
      if (founded !== null && origination !== null) {
        if (founded > origination) bad('firmFoundedDate', `${isoDate(founded)} is after the origination date`);
        else stage = stageOfAge((origination - founded) / DAYS_PER_YEAR);
      }
    }
    if (stage === null && !errors.some((e) => e.field === 'firmAgeYears' || e.field === 'firmFoundedDate' || e.field === 'originationDate')) {
      errors.push({ field: 'stage', message: 'Lifecycle stage: the row has no stage, firm age or founding date' });
    }
  }
  const grade = text(get('grade')) || 'All';
  const collateralValue = num('collateralValue', { min: 0, max: 1e13 });
  const coverage = num('coverage', { min: 0, max: 1, percent: true });

  const defaultDate = date('defaultDate');
  const ead = num('outstandingAtDefault', { min: 0, max: 1e13 });
  const recoveryAmount = num('recoveryAmount', { min: 0, max: 1e13 });
  const recoveryDate = date('recoveryDate');
  const closedDate = date('closedDate');
  let stageAtEnd: Stage | null = null;
  const rawEnd = text(get('stageAtEnd'));
  if (rawEnd) {
    stageAtEnd = stageName(rawEnd);
    if (!stageAtEnd) bad('stageAtEnd', `“${rawEnd}” is not one of ${STAGES.join(', ')}`);
  }

  if (origination !== null) {
    if (defaultDate !== null && defaultDate < origination) bad('defaultDate', `${isoDate(defaultDate)} is before the origination date ${isoDate(origination)}`);
    if (closedDate !== null && closedDate < origination) bad('closedDate', `${isoDate(closedDate)} is before the origination date ${isoDate(origination)}`);
  }
  if (defaultDate !== null) {
    if (ead === null && !errors.some((e) => e.field === 'outstandingAtDefault')) bad('outstandingAtDefault', 'is required for a defaulted loan');
    if (closedDate !== null) bad('closedDate', 'a loan that defaulted cannot also have been repaid early: leave one of the two dates empty');
    if (recoveryDate !== null && recoveryDate < defaultDate) bad('recoveryDate', `${isoDate(recoveryDate)} is before the default date ${isoDate(defaultDate)}`);
    if (recoveryAmount !== null && recoveryAmount > 0 && recoveryDate === null && !errors.some((e) => e.field === 'recoveryDate')) bad('recoveryDate', 'is required when something was recovered');
    if (recoveryAmount !== null && ead !== null && ead > 0 && recoveryAmount > ead * 1.5) bad('recoveryAmount', `${recoveryAmount} is more than 1.5 times the amount outstanding at default (${ead})`);
  } else {
    if (ead !== null) bad('outstandingAtDefault', 'is given for a loan with no default date');
    if (recoveryAmount !== null && recoveryAmount > 0) bad('recoveryAmount', 'is given for a loan with no default date');
    if (recoveryDate !== null) bad('recoveryDate', 'is given for a loan with no default date');
  }

  if (errors.length > 0 || origination === null || amount === null || tenor === null || stage === null) {
    return { errors };
  }
  return {
    loan: {
      line, id: text(get('loanId')) || `line ${line}`, origination, amount, tenorMonths: tenor, repayment, stage, grade,
      collateralValue, coverage, defaultDate, outstandingAtDefault: ead, recoveryAmount, recoveryDate: recoveryAmount === 0 ? null : recoveryDate,
      closedDate, stageAtEnd, region: text(get('region')), sector: text(get('sector')), lender: text(get('lender')),
    },
  };
}

/** Dictionary of strings to small integers. */
class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  code(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const NONE = -1;

/**
 * The loans of a tape in columns. Dates are day numbers (NONE = −1 when absent; tapes start after
 * 1970), amounts float64 (NaN when absent), stages 0–3 (STAGES order; 255 when absent), grades and
 * text columns as dictionary codes.
 */
export class LoanTable {
  length = 0;
  private capacity: number;
  line: Int32Array;
  origination: Int32Array;
  amount: Float64Array;
  tenorMonths: Float64Array;
  repayment: Uint8Array;
  stage: Uint8Array;
  grade: Uint16Array;
  collateralValue: Float64Array;
  coverage: Float64Array;
  defaultDate: Int32Array;
  outstandingAtDefault: Float64Array;
  recoveryAmount: Float64Array;
  recoveryDate: Int32Array;
  closedDate: Int32Array;
  stageAtEnd: Uint8Array;
  region: Uint32Array;
  sector: Uint32Array;
  lender: Uint32Array;
  readonly grades = new Dictionary();
  readonly regions = new Dictionary();
  readonly sectors = new Dictionary();
  readonly lenders = new Dictionary();
  private readonly ids = new Set<string>();

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.line = new Int32Array(capacity);
    this.origination = new Int32Array(capacity);
    this.amount = new Float64Array(capacity);
    this.tenorMonths = new Float64Array(capacity);
    this.repayment = new Uint8Array(capacity);
    this.stage = new Uint8Array(capacity);
    this.grade = new Uint16Array(capacity);
    this.collateralValue = new Float64Array(capacity);
    this.coverage = new Float64Array(capacity);
    this.defaultDate = new Int32Array(capacity);
    this.outstandingAtDefault = new Float64Array(capacity);
    this.recoveryAmount = new Float64Array(capacity);
    this.recoveryDate = new Int32Array(capacity);
    this.closedDate = new Int32Array(capacity);
    this.stageAtEnd = new Uint8Array(capacity);
    this.region = new Uint32Array(capacity);
    this.sector = new Uint32Array(capacity);
    this.lender = new Uint32Array(capacity);
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a as never);
      return b;
    };
    this.line = g(this.line); this.origination = g(this.origination); this.amount = g(this.amount);
    this.tenorMonths = g(this.tenorMonths); this.repayment = g(this.repayment); this.stage = g(this.stage);
    this.grade = g(this.grade); this.collateralValue = g(this.collateralValue); this.coverage = g(this.coverage);
    this.defaultDate = g(this.defaultDate); this.outstandingAtDefault = g(this.outstandingAtDefault);
    this.recoveryAmount = g(this.recoveryAmount); this.recoveryDate = g(this.recoveryDate); this.closedDate = g(this.closedDate);
    this.stageAtEnd = g(this.stageAtEnd); this.region = g(this.region); this.sector = g(this.sector); this.lender = g(this.lender);
    this.capacity = cap;
  }

  /** Adds a loan; returns a message when its id was already used by another row. */
  push(l: Loan): string | null {
    if (this.ids.has(l.id)) return `Loan id: “${l.id}” appears on an earlier line; every loan must have its own id`;
    this.ids.add(l.id);
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    const d = (x: number | null) => (x === null ? NONE : x);
    const n = (x: number | null) => (x === null ? NaN : x);
    this.line[i] = l.line;
    this.origination[i] = l.origination;
    this.amount[i] = l.amount;
    this.tenorMonths[i] = l.tenorMonths;
    this.repayment[i] = l.repayment === null ? 255 : REPAYMENTS.indexOf(l.repayment);
    this.stage[i] = STAGES.indexOf(l.stage);
    this.grade[i] = this.grades.code(l.grade);
    this.collateralValue[i] = n(l.collateralValue);
    this.coverage[i] = n(l.coverage);
    this.defaultDate[i] = d(l.defaultDate);
    this.outstandingAtDefault[i] = n(l.outstandingAtDefault);
    this.recoveryAmount[i] = n(l.recoveryAmount);
    this.recoveryDate[i] = d(l.recoveryDate);
    this.closedDate[i] = d(l.closedDate);
    this.stageAtEnd[i] = l.stageAtEnd === null ? 255 : STAGES.indexOf(l.stageAtEnd);
    this.region[i] = this.regions.code(l.region);
    this.sector[i] = this.sectors.code(l.sector);
    this.lender[i] = this.lenders.code(l.lender);
    return null;
  }

  /** Ids are needed only while loading: drop them to free memory. */
  doneLoading(): void {
    this.ids.clear();
  }

  /** Latest date anywhere in the tape (origination, default, recovery, exit). */
  latestDate(): number {
    let m = 0;
    for (let i = 0; i < this.length; i++) {
      m = Math.max(m, this.origination[i]!, this.defaultDate[i]!, this.recoveryDate[i]!, this.closedDate[i]!);
    }
    return m;
  }

  /** Maturity day of loan i (origination + tenor). */
  maturity(i: number): number {
    return this.origination[i]! + Math.round(this.tenorMonths[i]! * (DAYS_PER_YEAR / 12));
  }
}

export const NO_DATE = NONE;
