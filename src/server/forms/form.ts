/**
 * The scenario editor form: a scenario shown as form values (strings), and posted form
 * values turned back into a scenario input for parseScenario. Percentages are entered as %,
 * money may carry thousands separators, blank list rows are ignored. Issues from
 * parseScenario are mapped back to the form field that caused them.
 */
import type { FieldIssue, ScenarioInput } from '../../core/schema.ts';
import { SCHEMA_VERSION } from '../../core/schema.ts';
import { english } from '../../i18n/index.ts';
import { ENGLISH_MARKS } from '../../core/locale-number.ts';
import { fill } from '../../core/validation.ts';
import { numberMarks, plainNumber } from '../../i18n/format.ts';
import { translateMessage } from '../../i18n/issues.ts';
import { msg, type Localizer } from '../../i18n/translate.ts';
import { STAGES } from '../../core/stages.ts';
import {
  COLLATERAL_LIST, GROUPS_AFTER_STAGES, GROUPS_BEFORE_STAGES, RISK_LIST, RISK_LOGNORMAL, RISK_MODE, STAGE_FIELDS,
  schemaInfo, type ListSpec,
} from './fields.ts';
import {
  formatForInput, postedValue, readEnglish, readFormNumber, readValue,
  type AmbiguousNumber, type FieldSpec, type FormErrors, type FormValues, type ReadNumber,
} from './kit.ts';

export interface PlacedField {
  readonly name: string;
  /** Path for schema facts: list indices as `*`. */
  readonly schemaPath: string;
  readonly spec: FieldSpec;
}

export interface PlacedList {
  readonly name: string;
  readonly spec: ListSpec;
}

const ALL_GROUPS = [...GROUPS_BEFORE_STAGES, ...GROUPS_AFTER_STAGES];

/** Every list instance of the form, by full path. */
export function placedLists(): PlacedList[] {
  const lists: PlacedList[] = ALL_GROUPS.flatMap((g) => g.lists.map((spec) => ({ name: spec.path, spec })));
  for (const stage of STAGES) {
    lists.push({ name: `stages.${stage}.${RISK_LIST.path}`, spec: RISK_LIST });
    lists.push({ name: `stages.${stage}.${COLLATERAL_LIST.path}`, spec: COLLATERAL_LIST });
  }
  return lists;
}

/** Every scalar field of the form, list cells included. */
export function placedFields(): PlacedField[] {
  const out: PlacedField[] = ALL_GROUPS.flatMap((g) => g.fields.map((spec) => ({ name: spec.path, schemaPath: spec.path, spec })));
  for (const stage of STAGES) {
    const base = `stages.${stage}`;
    for (const spec of [...STAGE_FIELDS, RISK_MODE, ...RISK_LOGNORMAL]) out.push({ name: `${base}.${spec.path}`, schemaPath: `${base}.${spec.path}`, spec });
  }
  for (const list of placedLists()) {
    for (let row = 0; row < list.spec.rows; row++) {
      for (const col of list.spec.columns) {
        out.push({ name: `${list.name}.${row}.${col.path}`, schemaPath: `${list.name}.*.${col.path}`, spec: col });
      }
    }
  }
  return out;
}

const FIELDS = placedFields();
const FIELD_BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));
const LISTS = placedLists();

// ---------------------------------------------------------------------------------------
// Numbers in and out of the form.

// ---------------------------------------------------------------------------------------
// Scenario → form values.

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split('.');
  let cur = obj;
  segs.slice(0, -1).forEach((seg) => {
    if (typeof cur[seg] !== 'object' || cur[seg] === null) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  });
  cur[segs[segs.length - 1]!] = value;
}

const SERIES_SEPARATOR = /[\s;]+/;

/** A discount rate as typed: one rate in %, or a curve of "years: rate %" pairs. */
function discountToString(value: unknown, locale: string): string {
  if (Array.isArray(value)) {
    return value.map((p) => `${formatForInput(getPath(p, 'years'), 'number', locale)}: ${formatForInput(getPath(p, 'rate'), 'percent', locale)}`).join('; ');
  }
  return formatForInput(value, 'percent', locale);
}

function discountValue(raw: string, num: ReadNumber): unknown {
  const s = raw.trim();
  if (s === '') return undefined;
  if (!s.includes(':')) return num(s, 'percent');
  return s.split(/[;\n]+/).map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const [years = '', rate = ''] = pair.split(':');
    return { years: num(years, 'number'), rate: num(rate, 'percent') };
  });
}

function fieldToString(spec: FieldSpec, value: unknown, locale = 'en-US'): string {
  if (spec.path === 'costing.discountRate') return discountToString(value, locale);
  if (spec.kind === 'lines') return Array.isArray(value) ? value.join('\n') : '';
  if (spec.path.startsWith('origination.volumes.')) {
    return Array.isArray(value) ? value.map((v) => formatForInput(v, 'money', locale)).join(' ') : '';
  }
  if (spec.kind === 'number') return formatForInput(value, spec.unit, locale);
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The form values showing a scenario (or a partial input: missing fields stay blank), numbers
 * in the locale's format (an Intl tag; English by default).
 */
export function scenarioToForm(s: ScenarioInput | Record<string, unknown>, locale = 'en-US'): FormValues {
  const values: FormValues = {};
  for (const f of FIELDS) {
    if (f.spec === RISK_MODE || f.name.includes('.riskGrades.') || LISTS.some((l) => f.name.startsWith(`${l.name}.`))) continue;
    values[f.name] = fieldToString(f.spec, getPath(s, f.name), locale);
  }
  for (const list of LISTS) {
    const rows = getPath(s, list.name);
    if (!Array.isArray(rows)) continue;
    rows.slice(0, Math.max(list.spec.rows, rows.length)).forEach((row, i) => {
      for (const col of list.spec.columns) values[`${list.name}.${i}.${col.path}`] = fieldToString(col, getPath(row, col.path), locale);
    });
  }
  for (const stage of STAGES) {
    const grades = getPath(s, `stages.${stage}.riskGrades`);
    const base = `stages.${stage}.riskGrades`;
    if (grades && !Array.isArray(grades) && typeof grades === 'object') {
      values[`${base}.mode`] = 'lognormal';
      for (const spec of RISK_LOGNORMAL) values[`stages.${stage}.${spec.path}`] = fieldToString(spec, getPath(s, `stages.${stage}.${spec.path}`), locale);
    } else {
      values[`${base}.mode`] = 'list';
    }
  }
  return values;
}

/** How many rows a list shows: its fixed number, or more when a scenario already has more. */
export function rowsShown(values: FormValues, list: PlacedList): number {
  let rows = list.spec.rows;
  while (list.spec.columns.some((c) => `${list.name}.${rows}.${c.path}` in values)) rows++;
  return Math.min(rows, 12);
}

// ---------------------------------------------------------------------------------------
// Form values → scenario input.

export interface ParsedForm {
  readonly input: Record<string, unknown>;
  /** Kept exactly as typed, to show back with the errors. */
  readonly values: FormValues;
  /** For each list, the displayed row of each kept (non-blank) row. */
  readonly rowMaps: Record<string, number[]>;
  /** Numbers that could mean two numbers, by field name (for formErrors to name both readings). */
  readonly ambiguous: Record<string, AmbiguousNumber>;
}

type Body = Record<string, unknown>;

const str = (body: Body, name: string): string => postedValue(body, name) ?? '';

/** A posted editor value: the editor's own readings (the discount curve, the direct volumes, the currency's code, a count of instalments), else the kit's. */
function fieldValue(spec: FieldSpec, raw: string, num: ReadNumber = readEnglish): unknown {
  if (spec.path === 'costing.discountRate') return discountValue(raw, num);
  if (spec.path.startsWith('origination.volumes.')) return raw.trim() === '' ? [] : raw.trim().split(SERIES_SEPARATOR).map((v) => num(v, 'money'));
  if (spec.path === 'currency') return raw.trim().toUpperCase();
  if (spec.path === 'timing.instalmentsPerYear' && /^\d+$/.test(raw)) return Number(raw);
  return readValue(spec, raw, num);
}

/**
 * Reads a posted editor form; the result goes to parseScenario. Numbers are read in the
 * language of the page (`l`, English by default): "1.500,5" in Spanish.
 */
export function formToInput(body: Body, l?: Pick<Localizer, 'locale'>): ParsedForm {
  const marks = l ? numberMarks(l.locale) : ENGLISH_MARKS;
  const ambiguous: Record<string, AmbiguousNumber> = {};
  /** A reader of the numbers of one field, noting a number that could mean two. */
  const reader = (name: string): ReadNumber => (raw, unit) => {
    const r = readFormNumber(raw, unit, marks);
    if (r.ambiguous) ambiguous[name] ??= r.ambiguous;
    return r.value;
  };
  const values: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('_') || k.startsWith('action')) continue;
    values[k] = Array.isArray(v) ? String(v[v.length - 1] ?? '') : String(v ?? '');
  }
  const input: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION };
  const rowMaps: Record<string, number[]> = {};
  const inList = (name: string) => LISTS.some((l) => name.startsWith(`${l.name}.`));

  for (const f of FIELDS) {
    if (inList(f.name) || f.spec === RISK_MODE || f.name.includes('.riskGrades.') || f.name.startsWith('origination.')) continue;
    const v = fieldValue(f.spec, str(body, f.name), reader(f.name));
    if (v === undefined) continue;
    setPath(input, f.name, v);
  }

  // Origination: the direct volumes only count when chosen.
  const mode = str(body, 'origination.mode') || 'behavioural';
  if (mode === 'direct') {
    const volumes: Record<string, unknown> = {};
    for (const stage of STAGES) {
      const spec = FIELD_BY_NAME.get(`origination.volumes.${stage}`)!.spec;
      volumes[stage] = fieldValue(spec, str(body, `origination.volumes.${stage}`), reader(`origination.volumes.${stage}`));
    }
    input.origination = { mode, volumes };
  } else {
    input.origination = { mode };
  }

  for (const list of LISTS) {
    if (list.name.endsWith('.riskGrades')) continue;
    const { rows, map } = readList(body, list, reader);
    rowMaps[list.name] = map;
    setPath(input, list.name, rows.length === 0 && list.spec.emptyIsNull ? null : rows);
  }

  for (const stage of STAGES) {
    const base = `stages.${stage}.riskGrades`;
    if (str(body, `${base}.mode`) === 'lognormal') {
      const g: Record<string, unknown> = { distribution: 'lognormal' };
      for (const spec of RISK_LOGNORMAL) {
        const v = fieldValue(spec, str(body, `stages.${stage}.${spec.path}`), reader(`stages.${stage}.${spec.path}`));
        if (v !== undefined) g[spec.path.split('.').pop()!] = v;
      }
      setPath(input, base, g);
    } else {
      const list = LISTS.find((l) => l.name === base)!;
      const { rows, map } = readList(body, list, reader);
      rowMaps[list.name] = map;
      setPath(input, base, rows);
    }
  }
  return { input, values, rowMaps, ambiguous };
}

function readList(body: Body, list: PlacedList, reader: (name: string) => ReadNumber = () => readEnglish): { rows: Record<string, unknown>[]; map: number[] } {
  const rows: Record<string, unknown>[] = [];
  const map: number[] = [];
  for (let r = 0; r < 12; r++) {
    const raw = list.spec.columns.map((c) => str(body, `${list.name}.${r}.${c.path}`));
    if (raw.every((x) => x.trim() === '')) continue;
    const row: Record<string, unknown> = {};
    list.spec.columns.forEach((c, i) => {
      const v = fieldValue(c, raw[i]!, reader(`${list.name}.${r}.${c.path}`));
      if (v !== undefined) setPath(row, c.path, v);
    });
    rows.push(row);
    map.push(r);
  }
  return { rows, map };
}

// ---------------------------------------------------------------------------------------
// Issues → errors beside fields.

const fmt = (x: number) => String(Number(x.toPrecision(12)));

/** Numbers in exponent notation (1e+13) written out (10,000,000,000,000). */
export function plainNumbers(message: string): string {
  return message.replace(/-?\d+(?:\.\d+)?e\+\d+/gi, (x) => Number(x).toLocaleString('en-US'));
}

/**
 * A message about shares on a form that takes percentages: "must sum to 1" becomes "must sum to
 * 100 %", and fraction hints ("a fraction: 0.8 = 80 %") go.
 */
/** The schema's share messages as inPercentTerms writes them, for the catalogue. */
export const PERCENT_TERMS = [
  msg('the risk grade shares must sum to 100 %'),
  msg('the collateral level shares must sum to 100 %'),
  msg('the transition probabilities out of a stage must sum to at most 100 %'),
  msg('must be between 0 and 1'),
] as const;

export function inPercentTerms(message: string): string {
  return message
    .replace(/\bsum to (at most |at least )?1\b(?!\s*%)/g, 'sum to $1100 %')
    .replace(/\s*\(a fraction[^)]*\)/g, '');
}

/** A schema message in the form's terms (percentages as %, zod's generic texts in plain words). */
export function formMessage(message: string, field: PlacedField | undefined): string {
  let m = plainNumbers(message);
  // A blank field says so on every form, whichever schema it comes from.
  if (/expected (number|int), received undefined/.test(m)) m = msg('is required');
  else if (/expected number, received/.test(m) || /expected int, received/.test(m) && /NaN|string/.test(m)) m = msg('must be a number');
  else if (/expected int, received number/.test(m)) m = msg('must be a whole number');
  else if (/^Invalid option/.test(m)) m = msg('is not one of the options');
  if (!field) return m;
  const info = schemaInfo(field.schemaPath);
  const unit = field.spec.unit;
  const conv = (x: number) => (unit === 'percent' ? `${fmt(x * 100)} %` : fmt(x));
  const tooBig = /^Too big: expected number to be <=?\s*(-?[\d.e+-]+)/.exec(m);
  const tooSmall = /^Too small: expected number to be >=?\s*(-?[\d.e+-]+)/.exec(m);
  if (tooBig) m = fill(msg('must be at most {max}'), { max: conv(Number(tooBig[1])) });
  else if (tooSmall) m = fill(msg('must be at least {min}'), { min: conv(Number(tooSmall[1])) });
  else if (unit === 'percent' && /^must be (between|at least|at most)/.test(m)) {
    const { minimum: lo, maximum: hi } = info;
    if (m.startsWith('must be between') && lo !== undefined && hi !== undefined) m = fill(msg('must be between {min} and {max}'), { min: conv(lo), max: conv(hi) });
    else if (m.startsWith('must be at least') && lo !== undefined) m = fill(msg('must be at least {min}'), { min: conv(lo) });
    else if (m.startsWith('must be at most') && hi !== undefined) m = fill(msg('must be at most {max}'), { max: conv(hi) });
  }
  return unit === 'percent' ? inPercentTerms(m) : m;
}

const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);

const ENGLISH: Localizer = { lang: 'en', locale: 'en-US', t: (key, values) => english(key, values) };

/** What the form says about a number that could mean two, naming the field and both readings. */
export function ambiguousMessage(l: Localizer, label: string, a: AmbiguousNumber): string {
  const { t } = l;
  const reading = (x: number) => `${plainNumber(x, l.locale)}${a.percent ? ' %' : ''}`;
  return t('{field}: “{typed}” could mean {first} or {second}. Type it again as one of the two.', {
    field: t(label), typed: a.typed, first: reading(a.readings[0]), second: reading(a.readings[1]),
  });
}

/**
 * Places each issue beside the field it concerns; what no field claims goes under `''`. The
 * messages are in the language of `l` (English by default); a number that could mean two
 * (from formToInput's `ambiguous`) is named with both readings instead of "must be a number".
 */
export function formErrors(issues: readonly FieldIssue[], rowMaps: Record<string, number[]>, l: Localizer = ENGLISH, ambiguous: Record<string, AmbiguousNumber> = {}): FormErrors {
  const tr = (m: string) => translateMessage(l, m);
  const { t } = l;
  const errors: FormErrors = {};
  const add = (name: string, message: string): void => {
    errors[name] ??= [];
    errors[name].push(message);
  };
  const listNames = new Set(LISTS.map((l) => l.name));
  for (const issue of issues) {
    let path = issue.path;
    // Kept list rows back to displayed rows.
    for (const list of LISTS) {
      const prefix = `${list.name}.`;
      if (!path.startsWith(prefix)) continue;
      const [idx, ...rest] = path.slice(prefix.length).split('.');
      const map = rowMaps[list.name];
      if (idx !== undefined && /^\d+$/.test(idx) && map && map[Number(idx)] !== undefined) {
        path = [list.name, String(map[Number(idx)]), ...rest].join('.');
      }
    }
    const field = FIELD_BY_NAME.get(path);
    if (field) {
      add(path, tr(formMessage(issue.message, field)));
      continue;
    }
    // The nearest enclosing field or list.
    const segs = path.split('.');
    let placed = false;
    for (let n = segs.length; n > 0 && !placed; n--) {
      const prefix = segs.slice(0, n).join('.');
      const rest = segs.slice(n);
      if (listNames.has(prefix)) {
        const row = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest[0]) + 1 : null;
        // A list's own messages (shares that must sum to 1) in the units of its columns.
        const percent = LISTS.find((x) => x.name === prefix)?.spec.columns.some((c) => c.unit === 'percent');
        const message = tr(percent ? inPercentTerms(plainNumbers(issue.message)) : plainNumbers(issue.message));
        add(prefix, row === null ? message : t('Row {row}: {message}', { row, message }));
        placed = true;
      } else if (FIELD_BY_NAME.has(prefix)) {
        const n = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest[0]) + 1 : null;
        const message = tr(formMessage(issue.message, FIELD_BY_NAME.get(prefix)));
        add(prefix, n === null ? message : t('value {n} {message}', { n, message }));
        placed = true;
      }
    }
    if (!placed) {
      const message = tr(inPercentTerms(plainNumbers(issue.message)));
      add('', path === '(scenario)' ? t('Scenario: {message}', { message }) : t('{label}: {message}', { label: path, message }));
    }
  }
  // A number that could mean two says so, instead of "must be a number".
  for (const [name, a] of Object.entries(ambiguous)) errors[name] = [ambiguousMessage(l, FIELD_BY_NAME.get(name)?.spec.label ?? name, a)];
  for (const k of Object.keys(errors)) errors[k] = errors[k]!.map(sentence);
  return errors;
}

export function fieldByName(name: string): PlacedField | undefined {
  return FIELD_BY_NAME.get(name);
}
