/**
 * The form kit every form of the site is built on (the scenario editor and the policy forms):
 * one description of a field, one view model for the `field` and `checkbox` partials, one
 * reader of a posted value, and numbers in and out of a field in the page's locale. What a
 * field means (where it sits, which schema says its bounds, what its glossary entry is) stays
 * with the feature that places it; the kit only needs the answers.
 */
import { ENGLISH_MARKS, parseLocaleNumber, type NumberMarks } from '../../core/locale-number.ts';
import { english } from '../../i18n/index.ts';
import { numberMarks } from '../../i18n/format.ts';
import type { Localizer, Translate } from '../../i18n/translate.ts';
import { termLabel } from '../training/glossary-links.ts';

/** Form values by field name; what the page shows and what was posted. */
export type FormValues = Record<string, string>;
/** Errors by field name; `''` holds those no field claims. */
export type FormErrors = Record<string, string[]>;

/**
 * How a number is shown and entered. `percent`: the schema holds a fraction, the form a
 * percentage (0.8 ↔ 80). `money`: an amount in the currency of the page.
 */
export type Unit = 'money' | 'percent' | 'number' | 'integer' | 'years' | 'months' | 'multiple' | 'sigma' | 'year';

export interface FieldOption {
  readonly value: string;
  readonly label: string;
}

/** A field of a form: what it holds and how it is entered. Labels and help are English messages. */
export interface FieldSpec {
  /** Where the value goes in the request (list columns: relative to the row; stage rows: relative to the stage). */
  readonly path: string;
  readonly label: string;
  readonly kind: 'number' | 'select' | 'text' | 'textarea' | 'lines' | 'checkbox';
  readonly unit?: Unit;
  readonly options?: readonly FieldOption[];
  /** Blank means "none": null in the request (nullable fields). */
  readonly blankIsNull?: boolean;
  /** Blank means "not set": the key is left out (optional fields and defaults). */
  readonly optional?: boolean;
  /** Typical values in real schemes, shown under the help text. */
  readonly typical?: string;
  /** Help text replacing the schema's description. */
  readonly help?: string;
  /** Path in the schema the help text and bounds come from, when not the path. */
  readonly schemaPath?: string;
  /** Not part of the request: read by the page itself. */
  readonly local?: boolean;
  /** Shown across the whole width of the form. */
  readonly wide?: boolean;
}

/** What a schema says about a field: description, bounds, default. */
export interface SchemaInfo {
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly required: boolean;
}

/** Set when other fields override this one: what is in force instead, with links to edit it. */
export interface OverrideNotice {
  readonly text: string;
  readonly full: boolean;
  readonly links: readonly { readonly id: string; readonly label: string }[];
}

/** A field as the `field` partial (and, in a table, the `cell` partial) shows it. */
export interface FieldView {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  /** Label read by screen readers only (table cells, list cells). */
  readonly hiddenLabel: boolean;
  readonly value: string;
  readonly isSelect: boolean;
  readonly isTextarea: boolean;
  readonly options: readonly { value: string; label: string; selected: boolean }[];
  readonly unit: string;
  readonly inputmode: string;
  readonly help: string;
  /** Bounds, and whether the field is required or what its default is. */
  readonly facts: string;
  readonly typical: string;
  /** Where a documented default comes from ("Sourced: …"). */
  readonly basis: string;
  /** Whether the help paragraph (help, facts, typical or basis) is shown. */
  readonly hasHelp: boolean;
  readonly errors: readonly string[];
  readonly describedBy: string;
  readonly wide: boolean;
  /** The glossary entry explaining the field (linked from its help text). */
  readonly term: string | null;
  /** The glossary term's name in the page's language, for the link. */
  readonly termText: string;
  readonly override?: OverrideNotice | null;
  /** A field where a value of at most 1 % was probably meant as a fraction (checked as typed by the page's script too). */
  readonly shareField?: boolean;
  readonly shareMax?: string;
  /** Set when the value looks typed in the other unit ("0.8 % — did you mean 80 %?"). */
  readonly unitHint?: string | null;
  /** The most characters the browser lets one type or paste. */
  readonly maxlength?: number;
}

export interface CheckboxView {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly checked: boolean;
  readonly help: string;
}

/** A field's element id: a prefix naming the form, and its name with only safe characters. */
export const fieldId = (prefix: string, name: string): string => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A description as a sentence. */
export const sentence = (text: string): string => (text && !/[.!?]$/.test(text.trim()) ? `${text.trim()}.` : text.trim());

/** A label, help text or description in the page's language ('' when there is none). */
const translated = (text: string | undefined, t: Translate): string => (text ? t(text) : '');

/** A field's unit beside its label. */
export function unitLabel(unit: Unit | undefined, currency: string, t: Translate = english): string {
  switch (unit) {
    case 'money': return currency;
    case 'percent': return '%';
    case 'years': return t('years');
    case 'months': return t('months');
    case 'multiple': return '×';
    case 'sigma': return 'σ';
    default: return '';
  }
}

// ---------------------------------------------------------------------------------------
// Numbers in and out of a field.

const trimNumber = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(12)));
};

/**
 * A number as the form shows it, in the locale's marks (an Intl tag, "es": "1,45"):
 * percentages ×100, money with thousands separators.
 */
export function formatForInput(value: unknown, unit: Unit | undefined, locale = 'en-US'): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  const { decimal } = locale === 'en-US' ? ENGLISH_MARKS : numberMarks(locale);
  const local = (text: string) => (decimal === '.' ? text : text.replace('.', decimal));
  if (unit === 'percent') return local(trimNumber(value * 100));
  if (unit === 'money') return Math.abs(value) >= 1e21 ? String(value) : value.toLocaleString(locale, { maximumFractionDigits: 2 });
  return local(trimNumber(value));
}

/** A typed number that could mean two numbers: what was typed and both readings, in the form's units. */
export interface AmbiguousNumber {
  readonly typed: string;
  readonly readings: readonly [number, number];
  readonly percent: boolean;
}

/**
 * A typed string as a number, or the string itself when it is not one (so the schema says
 * "must be a number" and the input is kept). The locale's marks (English by default) say how
 * numbers are grouped and where the decimals start (src/core/locale-number.ts); spaces and
 * underscores group thousands anywhere, and a trailing % is accepted.
 */
export function parseFormNumber(raw: string, unit: Unit | undefined, marks: NumberMarks = ENGLISH_MARKS): number | string {
  return readFormNumber(raw, unit, marks).value;
}

/** As parseFormNumber, with the two readings of an ambiguous number. */
export function readFormNumber(raw: string, unit: Unit | undefined, marks: NumberMarks = ENGLISH_MARKS): { value: number | string; ambiguous?: AmbiguousNumber } {
  const r = parseLocaleNumber(raw, marks);
  if (!r.ok) {
    const ambiguous = r.problem.kind === 'ambiguous' ? { typed: raw.trim(), readings: r.problem.readings, percent: r.percent } : undefined;
    return { value: raw.trim(), ambiguous };
  }
  if (unit === 'percent') return { value: Number((r.value / 100).toPrecision(15)) };
  return { value: r.value };
}

/** Bounds of a field in the form's units, e.g. "0 % to 100 %"; four significant digits (a month is 0.08333 years). */
export function boundsText(lo: number | undefined, hi: number | undefined, unit: Unit | undefined, t: Translate = english, locale = 'en-US'): string | null {
  const round = (x: number | undefined) => (x === undefined ? undefined : Number(x.toPrecision(4)));
  const min = round(lo);
  const max = round(hi);
  const { decimal } = locale === 'en-US' ? ENGLISH_MARKS : numberMarks(locale);
  const local = (text: string) => (decimal === '.' ? text : text.replace('.', decimal));
  const conv = (x: number) => (unit === 'percent' ? `${local(trimNumber(x * 100))} %` : Math.abs(x) >= 10_000 ? x.toLocaleString(locale) : local(trimNumber(x)));
  const hugeMax = max !== undefined && max >= 1e9;
  if (min !== undefined && max !== undefined && !hugeMax) return t('{min} to {max}', { min: conv(min), max: conv(max) });
  if (min !== undefined) return t('{min} or more', { min: min === 0 ? '0' : conv(min) });
  if (max !== undefined && !hugeMax) return t('up to {max}', { max: conv(max) });
  return null;
}

// ---------------------------------------------------------------------------------------
// A field's view model.

export interface FieldViewInput {
  /** The name the value is posted under (a list cell's or a stage's full path). */
  readonly name: string;
  readonly id: string;
  readonly spec: FieldSpec;
  /** What the schema says about the field (bounds, description, default). */
  readonly info: SchemaInfo;
  readonly values: FormValues;
  readonly errors: FormErrors;
  readonly currency: string;
  readonly l: Localizer;
  /** A label replacing the spec's, already in the page's language. */
  readonly label?: string;
  readonly hiddenLabel?: boolean;
  /** A table cell: no help, facts or glossary link. */
  readonly compact?: boolean;
  /** Options replacing the spec's, already in the page's language. */
  readonly options?: readonly FieldOption[];
  /** Said after the bounds ("Required.", "Default: 80 %."). */
  readonly moreFacts?: string;
  readonly basis?: string;
  readonly term?: string | null;
  readonly override?: OverrideNotice | null;
  readonly unitHint?: string | null;
  readonly shareMax?: string;
  readonly maxlength?: number;
}

/** A field as the `field` partial shows it, in the page's language. */
export function fieldView(o: FieldViewInput): FieldView {
  const { spec, info, l } = o;
  const { t } = l;
  const id = o.id;
  const value = o.values[o.name] ?? '';
  const help = o.compact ? '' : sentence(translated(spec.help ?? info.description, t));
  const bounds = spec.kind === 'number' ? boundsText(info.minimum, info.maximum, spec.unit, t, l.locale) : null;
  const facts = o.compact ? '' : [bounds ? t('Allowed: {bounds}.', { bounds }) : '', o.moreFacts ?? ''].filter(Boolean).join(' ');
  const typical = o.compact ? '' : translated(spec.typical, t);
  const basis = o.compact ? '' : o.basis ?? '';
  const hasHelp = Boolean(help || facts || typical || basis);
  const fieldErrors = o.errors[o.name] ?? [];
  const override = o.override ?? null;
  const unitHint = o.unitHint ?? null;
  const term = o.compact ? null : o.term ?? null;
  const options = o.options ?? (spec.options ?? []).map((opt) => ({ value: opt.value, label: translated(opt.label, t) }));
  return {
    id,
    name: o.name,
    label: o.label ?? t(spec.label),
    hiddenLabel: o.hiddenLabel ?? false,
    value,
    isSelect: spec.kind === 'select',
    isTextarea: spec.kind === 'textarea' || spec.kind === 'lines',
    options: options.map((opt) => ({ value: opt.value, label: opt.label, selected: opt.value === value })),
    unit: unitLabel(spec.unit, o.currency, t),
    inputmode: spec.kind === 'number' ? (spec.unit === 'integer' || spec.unit === 'year' ? 'numeric' : 'decimal') : 'text',
    help,
    facts,
    typical,
    basis,
    hasHelp,
    errors: fieldErrors,
    describedBy: [
      fieldErrors.length ? `${id}-error` : '',
      unitHint ? `${id}-unit` : '',
      override ? `${id}-override` : '',
      hasHelp ? `${id}-help` : '',
    ].filter(Boolean).join(' '),
    wide: spec.wide ?? spec.kind === 'lines',
    term,
    termText: termLabel(term, l),
    override,
    maxlength: o.maxlength,
    shareField: o.shareMax !== undefined,
    shareMax: o.shareMax ?? '',
    unitHint,
  };
}

/** A checkbox as the `checkbox` partial shows it (a hidden "off" travels before it). */
export function checkboxView(prefix: string, spec: FieldSpec, values: FormValues, t: Translate): CheckboxView {
  return { id: fieldId(prefix, spec.path), name: spec.path, label: t(spec.label), checked: values[spec.path] === 'on', help: spec.help ? t(spec.help) : '' };
}

// ---------------------------------------------------------------------------------------
// A posted value.

/** Reads one typed number of a field: `unit` is the form's unit of that number. */
export type ReadNumber = (raw: string, unit: Unit | undefined) => number | string;
export const readEnglish: ReadNumber = (raw, unit) => parseFormNumber(raw, unit);

/** A select whose options are "true" and "false": a boolean in the request. */
const isYesNo = (spec: FieldSpec): boolean => spec.options?.length === 2 && spec.options.every((o) => o.value === 'true' || o.value === 'false');

/**
 * A posted value as the request takes it; `undefined` leaves the key out. Blank is null for a
 * nullable field, left out for an optional one or a number; numbers are read by `num` (in the
 * page's locale), percentages back to fractions; a checkbox is true when "on" came last.
 */
export function readValue(spec: FieldSpec, raw: string, num: ReadNumber = readEnglish): unknown {
  const text = raw.trim();
  if (spec.kind === 'checkbox') return raw === 'on';
  if (spec.kind === 'select' && isYesNo(spec)) return text === '' ? undefined : raw === 'false' ? false : raw === 'true' ? true : raw;
  if (spec.kind === 'lines') {
    const lines = raw.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
    return lines.length === 0 && spec.optional ? undefined : lines;
  }
  if (spec.kind === 'textarea') return raw;
  if (text === '') return spec.blankIsNull ? null : spec.optional || spec.kind === 'number' ? undefined : spec.kind === 'select' ? raw : '';
  return spec.kind === 'number' ? num(raw, spec.unit) : spec.kind === 'select' ? raw : text;
}

/** The last value of a posted field (a checkbox sends "off" then "on"); '' when absent. */
export function postedValue(body: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = body?.[name];
  if (Array.isArray(v)) return String(v[v.length - 1] ?? '');
  return typeof v === 'string' ? v : undefined;
}
