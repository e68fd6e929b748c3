/** The scenario editor's view model: every field with its value, unit, help text and errors. */
import { STAGE_LABELS, STAGES } from '../core/stages.ts';
import {
  COLLATERAL_LIST, GROUPS_AFTER_STAGES, GROUPS_BEFORE_STAGES, RISK_LIST, RISK_LOGNORMAL, RISK_MODE, STAGE_FIELDS,
  schemaInfo, type FieldSpec, type Group, type ListSpec, type Unit,
} from './fields.ts';
import { boundsText, fieldByName, formatForInput, rowsShown, type FormErrors, type FormValues } from './form.ts';
import { termForEditorField } from './glossary-links.ts';
import { LARGE_SHARE_FIELDS, unitHintForTyped } from './unit-hints.ts';

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
  readonly facts: string;
  readonly typical: string;
  readonly errors: readonly string[];
  readonly describedBy: string;
  readonly wide: boolean;
  /** The glossary entry explaining the field (linked from its help text). */
  readonly term?: string | null;
  /** Set when other fields override this one: what is in force instead, with links to edit it. */
  readonly override?: OverrideNotice | null;
  /** A field where a value of at most 1 % was probably meant as a fraction (checked as typed by the editor's script too). */
  readonly shareField?: boolean;
  readonly shareMax?: string;
  /** Set when the value looks typed in the other unit ("0.8 % — did you mean 80 %?"). */
  readonly unitHint?: string | null;
  /** The most characters the browser lets one type or paste (the schema's limit, or room for any number). */
  readonly maxlength?: number;
}

/** Characters a field takes: the schema's limits for texts, ample room for numbers and series. */
export function maxLengthOf(spec: FieldSpec): number {
  switch (spec.path) {
    case 'name': return 120;
    case 'description': return 4000;
    case 'currency': return 3;
    case 'sources': return 20 * 501;
    case 'assumptions': return 50 * 501;
  }
  if (spec.path.startsWith('origination.volumes.')) return 120 * 32;
  if (spec.path === 'costing.discountRate') return 2000;
  return spec.kind === 'number' ? 40 : 200;
}

export interface OverrideNotice {
  readonly text: string;
  readonly full: boolean;
  readonly links: readonly { readonly id: string; readonly label: string }[];
}

/**
 * Fields that other fields override, from the form as typed: the coverage ratio is not in force
 * for a stage that has its own coverage, and not at all when every stage has one.
 */
export function overrideNotices(values: FormValues): Record<string, OverrideNotice> {
  const own = STAGES.filter((st) => (values[`guarantee.coverageByStage.${st}`] ?? '').trim() !== '');
  if (!own.length) return {};
  const list = own.map((st) => `${STAGE_LABELS[st].toLowerCase()} ${values[`guarantee.coverageByStage.${st}`]!.trim()} %`).join(', ');
  const full = own.length === STAGES.length;
  const text = full
    ? `Not in force: every stage has its own coverage (${list}), which overrides this field, so changing it changes nothing. Edit the stages’ coverage, or clear them to use this field for every stage.`
    : `In force only for the ${STAGES.filter((st) => !own.includes(st)).map((st) => STAGE_LABELS[st].toLowerCase()).join(' and ')} stage${STAGES.length - own.length === 1 ? '' : 's'}: the others have their own coverage (${list}), which overrides this field.`;
  return {
    'guarantee.coverageRatio': {
      text, full,
      links: own.map((st) => ({ id: idOf(`guarantee.coverageByStage.${st}`), label: `Coverage for ${STAGE_LABELS[st].toLowerCase()}-stage firms` })),
    },
  };
}

/** A field's label as a sentence names it: a stage's field with its stage. */
export function fieldLabel(name: string): string {
  const spec = fieldByName(name)?.spec;
  if (!spec) return name;
  const stage = /^stages\.(\w+)\./.exec(name)?.[1];
  return stage && stage in STAGE_LABELS ? `${spec.label} (${STAGE_LABELS[stage as keyof typeof STAGE_LABELS].toLowerCase()} stage)` : spec.label;
}

export interface ListView {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly typical: string;
  readonly errors: readonly string[];
  readonly columns: readonly { label: string; unit: string }[];
  readonly rows: readonly { number: number; cells: readonly FieldView[] }[];
  readonly term: string | null;
}

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function unitLabel(unit: Unit | undefined, currency: string): string {
  switch (unit) {
    case 'money': return currency;
    case 'percent': return '%';
    case 'years': return 'years';
    case 'months': return 'months';
    case 'multiple': return '×';
    case 'sigma': return 'σ';
    default: return '';
  }
}

/** A description as a sentence. */
const sentence = (text: string): string => (text && !/[.!?]$/.test(text.trim()) ? `${text.trim()}.` : text.trim());

function defaultText(spec: FieldSpec, value: unknown): string {
  if (value === undefined || value === '') return '';
  if (value === null) return 'Default: none.';
  if (Array.isArray(value)) {
    if (value.length === 1 && typeof value[0] === 'object' && value[0] && 'rate' in value[0]) {
      return `Default: ${formatForInput((value[0] as { rate: number }).rate, 'percent')} % on the whole loan.`;
    }
    return value.length === 0 ? 'Default: none.' : '';
  }
  if (typeof value === 'object') return '';
  const shown = typeof value === 'number' ? formatForInput(value, spec.unit) : String(value);
  const option = spec.options?.find((o) => o.value === String(value));
  const unit = spec.unit === 'percent' ? ' %' : spec.unit === 'multiple' ? '×' : spec.unit === 'months' ? ' months' : spec.unit === 'years' ? ' years' : '';
  return `Default: ${option ? option.label.toLowerCase() : shown + unit}.`;
}

interface FieldOptions {
  readonly name: string;
  readonly schemaPath: string;
  readonly spec: FieldSpec;
  readonly label?: string;
  readonly hiddenLabel?: boolean;
  readonly compact?: boolean;
}

function fieldView(o: FieldOptions, values: FormValues, errors: FormErrors, currency: string, notices: Record<string, OverrideNotice> = {}): FieldView {
  const { spec } = o;
  const override = notices[o.name] ?? null;
  const info = schemaInfo(o.schemaPath);
  const id = idOf(o.name);
  const value = values[o.name] ?? '';
  const help = o.compact ? '' : sentence(spec.help ?? info.description ?? '');
  const facts = o.compact
    ? ''
    : [
        spec.kind === 'number' && boundsText(info.minimum, info.maximum, spec.unit) ? `Allowed: ${boundsText(info.minimum, info.maximum, spec.unit)}.` : '',
        info.required ? 'Required.' : defaultText(spec, info.default),
      ].filter(Boolean).join(' ');
  const typical = o.compact ? '' : (spec.typical ?? '');
  const fieldErrors = errors[o.name] ?? [];
  const shareField = LARGE_SHARE_FIELDS.has(o.name);
  const unitHint = shareField && !fieldErrors.length ? unitHintForTyped(o.name, value) : null;
  const describedBy = [
    fieldErrors.length ? `${id}-error` : '',
    unitHint ? `${id}-unit` : '',
    override ? `${id}-override` : '',
    help || facts || typical ? `${id}-help` : '',
  ].filter(Boolean).join(' ');
  return {
    id,
    name: o.name,
    label: o.label ?? spec.label,
    hiddenLabel: o.hiddenLabel ?? false,
    value,
    isSelect: spec.kind === 'select',
    isTextarea: spec.kind === 'textarea' || spec.kind === 'lines',
    options: (spec.options ?? []).map((opt) => ({ ...opt, selected: opt.value === value })),
    unit: unitLabel(spec.unit, currency),
    inputmode: spec.kind === 'number' ? (spec.unit === 'integer' || spec.unit === 'year' ? 'numeric' : 'decimal') : 'text',
    help,
    facts,
    typical,
    errors: fieldErrors,
    describedBy,
    wide: spec.kind === 'lines' || spec.path === 'name' || spec.path === 'description',
    term: o.compact ? null : termForEditorField(o.name),
    override,
    maxlength: maxLengthOf(spec),
    shareField,
    shareMax: shareField && info.maximum !== undefined ? String(info.maximum * 100) : '',
    unitHint,
  };
}

function listView(name: string, spec: ListSpec, values: FormValues, errors: FormErrors, currency: string, prefixLabel = ''): ListView {
  const rows = rowsShown(values, { name, spec });
  return {
    id: idOf(name),
    label: spec.label,
    help: sentence(spec.help ?? schemaInfo(name).description ?? ''),
    typical: spec.typical ?? '',
    errors: errors[name] ?? [],
    columns: spec.columns.map((c) => ({ label: c.label, unit: unitLabel(c.unit, currency) })),
    term: termForEditorField(name),
    rows: Array.from({ length: rows }, (_, r) => ({
      number: r + 1,
      cells: spec.columns.map((c) =>
        fieldView({
          name: `${name}.${r}.${c.path}`, schemaPath: `${name}.*.${c.path}`, spec: c,
          label: `${prefixLabel}${spec.label}, row ${r + 1}: ${c.label}`, hiddenLabel: true, compact: true,
        }, values, errors, currency)),
    })),
  };
}

export interface EditorModel {
  readonly groupsBefore: readonly GroupView[];
  readonly groupsAfter: readonly GroupView[];
  readonly stages: StageTableView;
  readonly otherErrors: readonly string[];
  readonly errorCount: number;
  readonly errorLinks: readonly { id: string; label: string; message: string }[];
}

export interface GroupView {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly fields: readonly FieldView[];
  readonly lists: readonly ListView[];
}

export interface StageRowView {
  readonly label: string;
  readonly unit: string;
  readonly help: string;
  readonly term: string | null;
  readonly cells: readonly FieldView[];
}

export interface StageTableView {
  readonly columns: readonly { id: string; label: string }[];
  readonly rows: readonly StageRowView[];
  readonly riskMode: StageRowView;
  readonly riskLists: readonly ListView[];
  readonly lognormalRows: readonly StageRowView[];
  readonly collateralLists: readonly ListView[];
  readonly riskHelp: string;
  readonly collateralHelp: string;
  readonly collateralTypical: string;
  readonly riskTypical: string;
}

function groupView(g: Group, values: FormValues, errors: FormErrors, currency: string): GroupView {
  const notices = overrideNotices(values);
  return {
    id: g.id,
    title: g.title,
    intro: g.intro,
    fields: g.fields.map((spec) => fieldView({ name: spec.path, schemaPath: spec.path, spec }, values, errors, currency, notices)),
    lists: g.lists.map((l) => listView(l.path, l, values, errors, currency)),
  };
}

function stageRow(spec: FieldSpec, values: FormValues, errors: FormErrors, currency: string, requiredText = 'Required.'): StageRowView {
  const info = schemaInfo(`stages.growth.${spec.path}`);
  const bounds = spec.kind === 'number' ? boundsText(info.minimum, info.maximum, spec.unit) : null;
  const help = [sentence(spec.help ?? info.description ?? ''), bounds ? `Allowed: ${bounds}.` : '', info.required ? requiredText : defaultText(spec, info.default), spec.typical ? sentence(spec.typical) : '']
    .filter(Boolean).join(' ');
  return {
    label: spec.label,
    unit: unitLabel(spec.unit, currency),
    help,
    term: termForEditorField(spec.path),
    cells: STAGES.map((stage) =>
      fieldView({
        name: `stages.${stage}.${spec.path}`, schemaPath: `stages.${stage}.${spec.path}`, spec,
        label: `${spec.label}, ${STAGE_LABELS[stage].toLowerCase()} stage`, hiddenLabel: true, compact: true,
      }, values, errors, currency)),
  };
}

export function editorModel(values: FormValues, errors: FormErrors = {}): EditorModel {
  const currency = /^[A-Z]{3}$/.test((values['currency'] ?? '').trim().toUpperCase()) ? values['currency']!.trim().toUpperCase() : 'USD';
  const stages: StageTableView = {
    columns: STAGES.map((s) => ({ id: s, label: STAGE_LABELS[s] })),
    rows: STAGE_FIELDS.map((spec) => stageRow(spec, values, errors, currency)),
    riskMode: stageRow(RISK_MODE, values, errors, currency),
    riskLists: STAGES.map((s) => listView(`stages.${s}.riskGrades`, RISK_LIST, values, errors, currency, `${STAGE_LABELS[s]} stage, `)),
    lognormalRows: RISK_LOGNORMAL.map((spec) => stageRow(spec, values, errors, currency, 'Needed for a lognormal distribution.')),
    collateralLists: STAGES.map((s) => listView(`stages.${s}.collateral`, COLLATERAL_LIST, values, errors, currency, `${STAGE_LABELS[s]} stage, `)),
    riskHelp: RISK_LIST.help ?? '',
    riskTypical: RISK_LIST.typical ?? '',
    collateralHelp: COLLATERAL_LIST.help ?? '',
    collateralTypical: COLLATERAL_LIST.typical ?? '',
  };
  const groupsBefore = GROUPS_BEFORE_STAGES.map((g) => groupView(g, values, errors, currency));
  const groupsAfter = GROUPS_AFTER_STAGES.map((g) => groupView(g, values, errors, currency));

  // A summary at the top linking to each field in error, in page order.
  const links: { id: string; label: string; message: string }[] = [];
  const collect = (f: FieldView) => f.errors.forEach((message) => links.push({ id: f.id, label: f.label, message }));
  const collectList = (l: ListView, prefix = '') => {
    l.errors.forEach((message) => links.push({ id: l.id, label: `${prefix}${l.label}`, message }));
    l.rows.forEach((r) => r.cells.forEach(collect));
  };
  groupsBefore.forEach((g) => { g.fields.forEach(collect); g.lists.forEach((l) => collectList(l)); });
  stages.rows.forEach((r) => r.cells.forEach(collect));
  stages.riskMode.cells.forEach(collect);
  stages.riskLists.forEach((l, i) => collectList(l, `${STAGE_LABELS[STAGES[i]!]} stage, `));
  stages.lognormalRows.forEach((r) => r.cells.forEach(collect));
  stages.collateralLists.forEach((l, i) => collectList(l, `${STAGE_LABELS[STAGES[i]!]} stage, `));
  groupsAfter.forEach((g) => { g.fields.forEach(collect); g.lists.forEach((l) => collectList(l)); });
  const otherErrors = errors[''] ?? [];
  return { groupsBefore, groupsAfter, stages, otherErrors, errorCount: links.length + otherErrors.length, errorLinks: links };
}
