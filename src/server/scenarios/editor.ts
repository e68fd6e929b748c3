/** The scenario editor's view model: every field with its value, unit, help text and errors. */
import { STAGES, type Stage } from '../../core/stages.ts';
import { numberMarks } from '../../i18n/format.ts';
import { english } from '../../i18n/index.ts';
import { type Localizer, msg, type Translate } from '../../i18n/translate.ts';
import {
  COLLATERAL_LIST, GROUPS_AFTER_STAGES, GROUPS_BEFORE_STAGES, RISK_LIST, RISK_LOGNORMAL, RISK_MODE, STAGE_FIELDS,
  schemaInfo, type Group, type ListSpec,
} from '../forms/fields.ts';
import { fieldByName, rowsShown } from '../forms/form.ts';
import {
  boundsText, fieldId, fieldView as kitFieldView, formatForInput, sentence, unitLabel,
  type FieldSpec, type FieldView, type FormErrors, type FormValues, type OverrideNotice,
} from '../forms/kit.ts';
import { termForEditorField, termLabel } from '../training/glossary-links.ts';
import { LARGE_SHARE_FIELDS, unitHintForTyped } from '../forms/unit-hints.ts';

/** English, for callers that write outside a request (and the tests of the form). */
export const ENGLISH_EDITOR: Localizer = { lang: 'en', locale: 'en-US', t: english };

/** The stages' names as column headings. */
export const STAGE_NAMES: Readonly<Record<Stage, string>> = {
  founding: msg('Founding'),
  growth: msg('Growth'),
  maturity: msg('Maturity'),
  transformation: msg('Transformation'),
};

/** A stage named inside a sentence, one branch per stage for the translator. */
const STAGE_IN_TEXT = msg('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}');

/** A list of items ("founding 85 %, growth 85 %") in the page's language. */
function listOf(items: readonly string[], locale: string, type: 'unit' | 'conjunction'): string {
  try {
    return new Intl.ListFormat(locale, { type, style: type === 'unit' ? 'short' : 'long' }).format(items);
  } catch {
    return items.join(type === 'unit' ? ', ' : ' and ');
  }
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

/**
 * Fields that other fields override, from the form as typed: the coverage ratio is not in force
 * for a stage that has its own coverage, and not at all when every stage has one.
 */
export function overrideNotices(values: FormValues, l: Localizer = ENGLISH_EDITOR): Record<string, OverrideNotice> {
  const { t } = l;
  const own = STAGES.filter((st) => (values[`guarantee.coverageByStage.${st}`] ?? '').trim() !== '');
  if (!own.length) return {};
  const list = listOf(own.map((st) => t('{stage} {value} %', { stage: t(STAGE_IN_TEXT, { stage: st }), value: values[`guarantee.coverageByStage.${st}`]!.trim() })), l.locale, 'unit');
  const full = own.length === STAGES.length;
  const others = STAGES.filter((st) => !own.includes(st));
  const text = full
    ? t('Not in force: every stage has its own coverage ({list}), which overrides this field, so changing it changes nothing. Edit the stages’ coverage, or clear them to use this field for every stage.', { list })
    : t('{count, plural, one {In force only for the {others} stage: the others have their own coverage ({list}), which overrides this field.} other {In force only for the {others} stages: the others have their own coverage ({list}), which overrides this field.}}', {
      count: others.length, others: listOf(others.map((st) => t(STAGE_IN_TEXT, { stage: st })), l.locale, 'conjunction'), list,
    });
  return {
    'guarantee.coverageRatio': {
      text, full,
      links: own.map((st) => ({ id: idOf(`guarantee.coverageByStage.${st}`), label: t(fieldByName(`guarantee.coverageByStage.${st}`)?.spec.label ?? st) })),
    },
  };
}

/** A field's label as a sentence names it: a stage's field with its stage. */
export function fieldLabel(name: string, t: Translate = english): string {
  const spec = fieldByName(name)?.spec;
  if (!spec) return name;
  const stage = /^stages\.(\w+)\./.exec(name)?.[1];
  return stage && (STAGES as readonly string[]).includes(stage)
    ? t('{field} ({stage, select, founding {founding stage} growth {growth stage} maturity {maturity stage} other {transformation stage}})', { field: t(spec.label), stage })
    : t(spec.label);
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
  readonly termText: string;
}

const idOf = (name: string) => fieldId('f', name);

/** A label, help text or description in the page's language ('' when there is none). */
const translated = (text: string | undefined, t: Translate): string => (text ? t(text) : '');

function defaultText(spec: FieldSpec, value: unknown, l: Localizer): string {
  const { t } = l;
  if (value === undefined || value === '') return '';
  if (value === null) return t('Default: none.');
  if (Array.isArray(value)) {
    if (value.length === 1 && typeof value[0] === 'object' && value[0] && 'rate' in value[0]) {
      return t('Default: {rate} % on the whole loan.', { rate: formatForInput((value[0] as { rate: number }).rate, 'percent', l.locale) });
    }
    return value.length === 0 ? t('Default: none.') : '';
  }
  if (typeof value === 'object') return '';
  const shown = typeof value === 'number' ? formatForInput(value, spec.unit, l.locale) : String(value);
  const option = spec.options?.find((o) => o.value === String(value));
  if (option) return t('Default: {value}.', { value: t(option.label).toLocaleLowerCase(l.locale) });
  switch (spec.unit) {
    case 'percent': return t('Default: {value} %.', { value: shown });
    case 'multiple': return t('Default: {value}×.', { value: shown });
    case 'months': return t('Default: {value} months.', { value: shown });
    case 'years': return t('Default: {value} years.', { value: shown });
    default: return t('Default: {value}.', { value: shown });
  }
}

interface FieldOptions {
  readonly name: string;
  readonly schemaPath: string;
  readonly spec: FieldSpec;
  readonly label?: string;
  readonly hiddenLabel?: boolean;
  readonly compact?: boolean;
}

/** An editor field on the kit's view model: the schema's facts, the unit hint, the override notice, the glossary entry. */
function fieldView(o: FieldOptions, values: FormValues, errors: FormErrors, currency: string, l: Localizer, notices: Record<string, OverrideNotice> = {}): FieldView {
  const { spec } = o;
  const info = schemaInfo(o.schemaPath);
  const value = values[o.name] ?? '';
  const shareField = LARGE_SHARE_FIELDS.has(o.name);
  const unitHint = shareField && !errors[o.name]?.length ? unitHintForTyped(o.name, value, l.t, 'form', l.locale) : null;
  return kitFieldView({
    name: o.name, id: idOf(o.name), spec, info, values, errors, currency, l,
    label: o.label, hiddenLabel: o.hiddenLabel, compact: o.compact,
    moreFacts: info.required ? l.t('Required.') : defaultText(spec, info.default, l),
    term: termForEditorField(o.name),
    override: notices[o.name] ?? null,
    unitHint,
    shareMax: shareField ? (info.maximum !== undefined ? String(info.maximum * 100) : '') : undefined,
    maxlength: maxLengthOf(spec),
  });
}

function listView(name: string, spec: ListSpec, values: FormValues, errors: FormErrors, currency: string, l: Localizer, stage?: Stage): ListView {
  const { t } = l;
  const rows = rowsShown(values, { name, spec });
  const listLabel = t(spec.label);
  return {
    id: idOf(name),
    label: listLabel,
    help: sentence(translated(spec.help ?? schemaInfo(name).description, t)),
    typical: translated(spec.typical, t),
    errors: errors[name] ?? [],
    columns: spec.columns.map((c) => ({ label: t(c.label), unit: unitLabel(c.unit, currency, t) })),
    term: termForEditorField(name),
    termText: termLabel(termForEditorField(name), l),
    rows: Array.from({ length: rows }, (_, r) => ({
      number: r + 1,
      cells: spec.columns.map((c) =>
        fieldView({
          name: `${name}.${r}.${c.path}`, schemaPath: `${name}.*.${c.path}`, spec: c,
          label: stage
            ? t('{stage, select, founding {Founding stage} growth {Growth stage} maturity {Maturity stage} other {Transformation stage}}, {list}, row {row}: {column}', { stage, list: listLabel, row: r + 1, column: t(c.label) })
            : t('{list}, row {row}: {column}', { list: listLabel, row: r + 1, column: t(c.label) }),
          hiddenLabel: true, compact: true,
        }, values, errors, currency, l)),
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
  /** The locale's decimal mark, for the editor's script (a value typed "0,8" in Spanish). */
  readonly decimal: string;
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
  readonly termText: string;
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

function groupView(g: Group, values: FormValues, errors: FormErrors, currency: string, l: Localizer): GroupView {
  const notices = overrideNotices(values, l);
  return {
    id: g.id,
    title: l.t(g.title),
    intro: l.t(g.intro),
    fields: g.fields.map((spec) => fieldView({ name: spec.path, schemaPath: spec.path, spec }, values, errors, currency, l, notices)),
    lists: g.lists.map((list) => listView(list.path, list, values, errors, currency, l)),
  };
}

function stageRow(spec: FieldSpec, values: FormValues, errors: FormErrors, currency: string, l: Localizer, requiredText: string = msg('Required.')): StageRowView {
  const { t } = l;
  const info = schemaInfo(`stages.growth.${spec.path}`);
  const bounds = spec.kind === 'number' ? boundsText(info.minimum, info.maximum, spec.unit, t, l.locale) : null;
  const help = [
    sentence(translated(spec.help ?? info.description, t)),
    bounds ? t('Allowed: {bounds}.', { bounds }) : '',
    info.required ? t(requiredText) : defaultText(spec, info.default, l),
    spec.typical ? sentence(t(spec.typical)) : '',
  ].filter(Boolean).join(' ');
  return {
    label: t(spec.label),
    unit: unitLabel(spec.unit, currency, t),
    help,
    term: termForEditorField(spec.path),
    termText: termLabel(termForEditorField(spec.path), l),
    cells: STAGES.map((stage) =>
      fieldView({
        name: `stages.${stage}.${spec.path}`, schemaPath: `stages.${stage}.${spec.path}`, spec,
        label: t('{field}, {stage, select, founding {founding stage} growth {growth stage} maturity {maturity stage} other {transformation stage}}', { field: t(spec.label), stage }),
        hiddenLabel: true, compact: true,
      }, values, errors, currency, l)),
  };
}

export function editorModel(values: FormValues, errors: FormErrors = {}, l: Localizer = ENGLISH_EDITOR): EditorModel {
  const { t } = l;
  const currency = /^[A-Z]{3}$/.test((values['currency'] ?? '').trim().toUpperCase()) ? values['currency']!.trim().toUpperCase() : 'USD';
  const stages: StageTableView = {
    columns: STAGES.map((s) => ({ id: s, label: t(STAGE_NAMES[s]) })),
    rows: STAGE_FIELDS.map((spec) => stageRow(spec, values, errors, currency, l)),
    riskMode: stageRow(RISK_MODE, values, errors, currency, l),
    riskLists: STAGES.map((s) => listView(`stages.${s}.riskGrades`, RISK_LIST, values, errors, currency, l, s)),
    lognormalRows: RISK_LOGNORMAL.map((spec) => stageRow(spec, values, errors, currency, l, msg('Needed for a lognormal distribution.'))),
    collateralLists: STAGES.map((s) => listView(`stages.${s}.collateral`, COLLATERAL_LIST, values, errors, currency, l, s)),
    riskHelp: translated(RISK_LIST.help, t),
    riskTypical: translated(RISK_LIST.typical, t),
    collateralHelp: translated(COLLATERAL_LIST.help, t),
    collateralTypical: translated(COLLATERAL_LIST.typical, t),
  };
  const groupsBefore = GROUPS_BEFORE_STAGES.map((g) => groupView(g, values, errors, currency, l));
  const groupsAfter = GROUPS_AFTER_STAGES.map((g) => groupView(g, values, errors, currency, l));

  // A summary at the top linking to each field in error, in page order.
  const links: { id: string; label: string; message: string }[] = [];
  const collect = (f: FieldView) => f.errors.forEach((message) => links.push({ id: f.id, label: f.label, message }));
  const collectList = (list: ListView, stage?: Stage) => {
    const label = stage
      ? t('{stage, select, founding {Founding stage} growth {Growth stage} maturity {Maturity stage} other {Transformation stage}}, {list}', { stage, list: list.label })
      : list.label;
    list.errors.forEach((message) => links.push({ id: list.id, label, message }));
    list.rows.forEach((r) => r.cells.forEach(collect));
  };
  groupsBefore.forEach((g) => { g.fields.forEach(collect); g.lists.forEach((list) => collectList(list)); });
  stages.rows.forEach((r) => r.cells.forEach(collect));
  stages.riskMode.cells.forEach(collect);
  stages.riskLists.forEach((list, i) => collectList(list, STAGES[i]));
  stages.lognormalRows.forEach((r) => r.cells.forEach(collect));
  stages.collateralLists.forEach((list, i) => collectList(list, STAGES[i]));
  groupsAfter.forEach((g) => { g.fields.forEach(collect); g.lists.forEach((list) => collectList(list)); });
  const otherErrors = errors[''] ?? [];
  const decimal = l.locale === 'en-US' ? '.' : numberMarks(l.locale).decimal;
  return { groupsBefore, groupsAfter, stages, otherErrors, errorCount: links.length + otherErrors.length, errorLinks: links, decimal };
}
