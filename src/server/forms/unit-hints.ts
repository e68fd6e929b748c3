/**
 * Values that look typed in the other unit. The forms take percentages, while the README, the
 * API and the command line take fractions (0.8 = 80 %): typed into the coverage field, 0.8 runs
 * as 0.8 %. A value of at most 1 % in a field where every scheme we know uses a large share is
 * flagged ("0.8 % — did you mean 80 %?"), never refused: a deliberate small value still runs.
 */
import { english, type Translate } from '../../i18n/index.ts';
import { numberMarks } from '../../i18n/format.ts';
import { loadPreset, PRESET_IDS } from '../../presets/index.ts';
import { schemaInfo } from './fields.ts';
import { placedFields } from './form.ts';

const getPath = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((cur, seg) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined), obj);

/** Below this, a preset's value does not make a field a "large share" field. */
const LARGE_SHARE = 0.1;

/**
 * Percent fields (by form name) whose smallest positive value in any preset is at least 10 %:
 * coverage, recovery and loss-given-default rates, risk weights and the like.
 */
export const LARGE_SHARE_FIELDS: ReadonlySet<string> = (() => {
  const presets = PRESET_IDS.map((id) => loadPreset(id));
  const out = new Set<string>();
  for (const f of placedFields()) {
    if (f.spec.unit !== 'percent' || f.spec.kind !== 'number' || /\.\d+\./.test(f.name)) continue;
    const values = presets.map((s) => getPath(s, f.name)).filter((x): x is number => typeof x === 'number' && x > 0);
    if (values.length && Math.min(...values) >= LARGE_SHARE) out.add(f.name);
  }
  return out;
})();

const trim = (x: number) => String(Number(x.toPrecision(10)));
/** An English-written number with the locale's decimal mark. */
const local = (text: string, locale: string) => (locale === 'en-US' ? text : text.replace('.', numberMarks(locale).decimal));

/** The hint for a value typed in percent into a field, or null when it looks right. */
export function unitHintForTyped(name: string, typed: string, t: Translate = english, where: 'form' | 'editor' = 'form', locale = 'en-US'): string | null {
  if (!LARGE_SHARE_FIELDS.has(name)) return null;
  // Typed the locale's way: "0,8" in Spanish.
  const { decimal } = locale === 'en-US' ? { decimal: '.' } : numberMarks(locale);
  const local = (text: string) => (decimal === '.' ? text : text.replace('.', decimal));
  const s = (decimal === '.' ? typed : typed.replace(decimal, '.')).trim().replace(/\s*%$/, '');
  if (!/^\d*\.?\d+$/.test(s)) return null;
  const percent = Number(s);
  if (!(percent > 0 && percent <= 1)) return null;
  const max = schemaInfo(name).maximum;
  if (max !== undefined && percent > max * 100 + 1e-12) return null;
  const values = { typed: local(trim(percent)), meant: local(trim(percent * 100)) };
  return where === 'form'
    ? t('{typed} % — did you mean {meant} %? This form takes percentages (80 means 80 %). If {typed} % is what you mean, leave it.', values)
    : t('{typed} % — did you mean {meant} %? The editor takes percentages (80 means 80 %). If {typed} % is what you mean, leave it.', values);
}

export interface UnitHint {
  /** Form field name (the scenario path). */
  readonly name: string;
  readonly text: string;
}

/** Hints for a scenario's values (held as fractions), in form order. */
export function unitHintsOfScenario(s: unknown, label: (name: string) => string, t: Translate = english, locale = 'en-US'): UnitHint[] {
  const out: UnitHint[] = [];
  for (const name of LARGE_SHARE_FIELDS) {
    const v = getPath(s, name);
    if (typeof v !== 'number') continue;
    const hint = unitHintForTyped(name, local(trim(v * 100), locale), t, 'editor', locale);
    if (hint) out.push({ name, text: t('{field}: {hint}', { field: label(name), hint }) });
  }
  return out;
}
