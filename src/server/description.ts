/**
 * A scenario's description as it stands against its parameters. Descriptions are free text: a
 * scenario made from a preset keeps the preset's text ("covering 80 % … 1.5 % annual fee") after
 * its coverage or fee are edited. Such a text is shown as the preset's, with what changed listed,
 * and a run of an edited preset is not listed under the preset's bare name.
 */
import type { Scenario } from '../core/schema.ts';
import { listPresets, loadPreset } from '../presets/index.ts';
import { unitLabel } from './editor.ts';
import { fieldByName, placedLists, scenarioToForm, type FormValues } from './form.ts';
import { STAGE_LABELS } from '../core/stages.ts';

/** Fields that describe rather than parameterise a scenario. */
const NOT_PARAMETERS = new Set(['name', 'description', 'sources', 'assumptions']);

export interface PresetOrigin {
  readonly id: string;
  readonly name: string;
  /** One line per setting that differs from the preset, in form order. */
  readonly changes: readonly string[];
}

function label(name: string): string {
  const list = placedLists().find((l) => name.startsWith(`${l.name}.`));
  const spec = fieldByName(name)?.spec;
  const stage = /^stages\.(\w+)\./.exec(name)?.[1];
  const stageText = stage && stage in STAGE_LABELS ? ` (${STAGE_LABELS[stage as keyof typeof STAGE_LABELS].toLowerCase()} stage)` : '';
  if (list) {
    const row = Number(name.slice(list.name.length + 1).split('.')[0]) + 1;
    return `${list.spec.label}${stageText}, row ${row}, ${(spec?.label ?? '').toLowerCase()}`;
  }
  return `${spec?.label ?? name}${stageText}`;
}

function shown(name: string, value: string, currency: string): string {
  if (value.trim() === '') return 'none';
  const spec = fieldByName(name)?.spec;
  const option = spec?.options?.find((o) => o.value === value);
  if (option) return option.label;
  const unit = unitLabel(spec?.unit, currency);
  if (!unit) return value;
  if (unit === '%') return `${value} %`;
  if (unit === '×') return `${value}×`;
  return spec?.unit === 'money' ? `${currency} ${value}` : `${value} ${unit}`;
}

/** The settings in which two scenarios differ, as the editor shows them ("Coverage ratio: 70 % (preset: 80 %)"). */
export function settingChanges(s: Scenario, base: Scenario): string[] {
  const a: FormValues = scenarioToForm(s);
  const b: FormValues = scenarioToForm(base);
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const out: string[] = [];
  for (const name of names) {
    if (NOT_PARAMETERS.has(name)) continue;
    const x = a[name] ?? '';
    const y = b[name] ?? '';
    if (x.trim() === y.trim()) continue;
    out.push(`${label(name)}: ${shown(name, x, s.currency)} (preset: ${shown(name, y, base.currency)})`);
  }
  return out;
}

/**
 * The preset whose text the scenario carries (same description, or failing that the same name),
 * when its parameters differ from that preset's; null for a preset as it is, or a text of its own.
 */
export function presetOrigin(s: Scenario): PresetOrigin | null {
  const presets = listPresets();
  const match = (s.description.trim() !== '' ? presets.find((p) => p.description === s.description) : undefined)
    ?? presets.find((p) => p.name === s.name);
  if (!match) return null;
  const preset = loadPreset(match.id);
  const changes = settingChanges(s, preset);
  return changes.length ? { id: match.id, name: preset.name, changes } : null;
}

export interface DescriptionView {
  readonly text: string;
  /** Set when the text is a preset's and the parameters have changed since. */
  readonly stale: { readonly presetName: string; readonly changes: readonly string[]; readonly more: number } | null;
}

/** At most this many changes are listed; the rest are counted. */
const LISTED = 12;

export function descriptionView(s: Scenario): DescriptionView {
  const origin = s.description.trim() !== '' ? presetOrigin(s) : null;
  if (!origin || listPresets().find((p) => p.id === origin.id)?.description !== s.description) return { text: s.description, stale: null };
  return { text: s.description, stale: { presetName: origin.name, changes: origin.changes.slice(0, LISTED), more: Math.max(0, origin.changes.length - LISTED) } };
}

/** A run's scenario name for lists: an edited preset is not listed under the preset's bare name. */
export function runListName(s: Scenario): string {
  const presets = listPresets();
  const match = presets.find((p) => p.name === s.name);
  if (!match) return s.name;
  const n = settingChanges(s, loadPreset(match.id)).length;
  return n === 0 ? s.name : `${s.name} — edited (${n} setting${n === 1 ? '' : 's'} changed)`;
}
