/**
 * A save based on an older version of a saved scenario: instead of overwriting the later
 * change, the page shows both versions, setting by setting, and lets the user choose.
 */
import type { Scenario } from '../../core/schema.ts';
import type { SavedScenario } from '../../storage/index.ts';
import { english, type Translate } from '../../i18n/index.ts';
import { fieldLabel } from './editor.ts';

export interface Difference {
  readonly path: string;
  readonly label: string;
  readonly yours: string;
  readonly theirs: string;
}

/** What a leaf shows when it holds nothing: an empty list or object, or no value. */
export const NONE = '\u0000none';
export const NOT_SET = '\u0000not set';

/** A leaf's value as shown: the value itself, or "(none)" / "(not set)" in the page's language. */
function shown(value: string | undefined, t: Translate): string {
  if (value === undefined || value === NOT_SET) return t('(not set)');
  return value === NONE ? t('(none)') : value;
}

/** Every leaf of a JSON value by its dotted path ('stages.founding.riskGrades.0.share'); empty leaves hold NONE or NOT_SET. */
export function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out.set(prefix, NONE);
    value.forEach((v, i) => leaves(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, NONE);
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value === undefined ? NOT_SET : typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** The settings on which two scenarios differ, in the order of the first. */
export function differences(yours: Scenario, theirs: Scenario, t: Translate = english): Difference[] {
  const a = leaves(yours);
  const b = leaves(theirs);
  const paths = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((path) => {
      const label = fieldLabel(path, t);
      return { path, label: label === path ? path : t('{label} ({path})', { label, path }), yours: shown(a.get(path), t), theirs: shown(b.get(path), t) };
    });
}

export function conflictModel(yours: Scenario, current: SavedScenario, basedOn: number, t: Translate = english) {
  const diffs = differences(yours, current.scenario, t);
  return {
    savedId: current.id,
    name: current.name,
    basedOn,
    currentVersion: current.version,
    changedAt: current.updatedAt.replace('T', ' ').slice(0, 16),
    differences: diffs,
    shown: diffs.slice(0, 200),
    more: Math.max(0, diffs.length - 200),
    yoursJson: JSON.stringify(yours),
    theirsJson: JSON.stringify(current.scenario, null, 2),
    yoursPretty: JSON.stringify(yours, null, 2),
  };
}
