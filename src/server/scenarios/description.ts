/**
 * A scenario's description as it stands against its parameters. Descriptions are free text: a
 * scenario made from a preset keeps the preset's text ("covering 80 % … 1.5 % annual fee") after
 * its coverage or fee are edited. Such a text is shown as the preset's, with what changed listed,
 * and a run of an edited preset is not listed under the preset's bare name.
 */
import type { Scenario } from '../../core/schema.ts';
import { listPresets, loadPreset } from '../../presets/index.ts';
import { unitLabel } from '../forms/kit.ts';
import { fieldByName, placedLists, scenarioToForm } from '../forms/form.ts';
import type { FormValues } from '../forms/kit.ts';
import type { Stage } from '../../core/stages.ts';
import { english, type Translate } from '../../i18n/index.ts';
import { stageNameLower } from './results.ts';

/** Fields that describe rather than parameterise a scenario. */
const NOT_PARAMETERS = new Set(['name', 'description', 'sources', 'assumptions']);

export interface PresetOrigin {
  readonly id: string;
  readonly name: string;
  /** One line per setting that differs from the preset, in form order. */
  readonly changes: readonly string[];
}

const STAGE_KEYS = new Set(['founding', 'growth', 'maturity', 'transformation']);

function label(name: string, t: Translate): string {
  const list = placedLists().find((l) => name.startsWith(`${l.name}.`));
  const spec = fieldByName(name)?.spec;
  const stage = /^stages\.(\w+)\./.exec(name)?.[1];
  const stageName = stage && STAGE_KEYS.has(stage) ? stageNameLower(t, stage as Stage) : null;
  const field = spec ? t(spec.label) : name;
  if (list) {
    const row = Number(name.slice(list.name.length + 1).split('.')[0]) + 1;
    const column = spec ? t(spec.label).toLocaleLowerCase() : '';
    return stageName === null
      ? t('{list}, row {row}, {column}', { list: t(list.spec.label), row, column })
      : t('{list} ({stage} stage), row {row}, {column}', { list: t(list.spec.label), stage: stageName, row, column });
  }
  return stageName === null ? field : t('{field} ({stage} stage)', { field, stage: stageName });
}

function shown(name: string, value: string, currency: string, t: Translate): string {
  if (value.trim() === '') return t('none');
  const spec = fieldByName(name)?.spec;
  const option = spec?.options?.find((o) => o.value === value);
  if (option) return t(option.label);
  const unit = unitLabel(spec?.unit, currency, t);
  if (!unit) return value;
  if (unit === '%') return `${value} %`;
  if (unit === '×') return `${value}×`;
  return spec?.unit === 'money' ? `${currency} ${value}` : `${value} ${unit}`;
}

/** The settings in which two scenarios differ, as the editor shows them ("Coverage ratio: 70 % (preset: 80 %)"). */
export function settingChanges(s: Scenario, base: Scenario, t: Translate = english): string[] {
  const a: FormValues = scenarioToForm(s);
  const b: FormValues = scenarioToForm(base);
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const out: string[] = [];
  for (const name of names) {
    if (NOT_PARAMETERS.has(name)) continue;
    const x = a[name] ?? '';
    const y = b[name] ?? '';
    if (x.trim() === y.trim()) continue;
    out.push(t('{setting}: {value} (preset: {preset})', { setting: label(name, t), value: shown(name, x, s.currency, t), preset: shown(name, y, base.currency, t) }));
  }
  return out;
}

/**
 * The preset whose text the scenario carries (same description, or failing that the same name),
 * when its parameters differ from that preset's; null for a preset as it is, or a text of its own.
 */
export function presetOrigin(s: Scenario, t: Translate = english): PresetOrigin | null {
  const presets = listPresets();
  const match = (s.description.trim() !== '' ? presets.find((p) => p.description === s.description) : undefined)
    ?? presets.find((p) => p.name === s.name);
  if (!match) return null;
  const preset = loadPreset(match.id);
  const changes = settingChanges(s, preset, t);
  return changes.length ? { id: match.id, name: t(preset.name), changes } : null;
}

export interface DescriptionView {
  readonly text: string;
  /** Set when the text is a preset's and the parameters have changed since. */
  readonly stale: { readonly presetName: string; readonly changes: readonly string[]; readonly more: number } | null;
}

/** At most this many changes are listed; the rest are counted. */
const LISTED = 12;

export function descriptionView(s: Scenario, t: Translate = english): DescriptionView {
  // A preset's own description is in the catalogue; any other text is the user's.
  const text = listPresets().some((p) => p.description === s.description) && s.description.trim() !== '' ? t(s.description) : s.description;
  const origin = s.description.trim() !== '' ? presetOrigin(s, t) : null;
  if (!origin || listPresets().find((p) => p.id === origin.id)?.description !== s.description) return { text, stale: null };
  return { text, stale: { presetName: origin.name, changes: origin.changes.slice(0, LISTED), more: Math.max(0, origin.changes.length - LISTED) } };
}

/** A run's scenario name for lists: an edited preset is not listed under the preset's bare name. */
export function runListName(s: Scenario, t: Translate = english): string {
  const presets = listPresets();
  const match = presets.find((p) => p.name === s.name);
  if (!match) return s.name;
  const n = settingChanges(s, loadPreset(match.id)).length;
  return n === 0 ? t(s.name) : t('{name} — edited ({count, plural, one {# setting} other {# settings}} changed)', { name: t(s.name), count: n });
}
