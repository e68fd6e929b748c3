/**
 * A save based on an older version of a saved scenario: instead of overwriting the later
 * change, the page shows both versions, setting by setting, and lets the user choose.
 */
import type { Scenario } from '../core/schema.ts';
import type { SavedScenario } from '../storage/index.ts';
import { fieldLabel } from './editor.ts';

export interface Difference {
  readonly path: string;
  readonly label: string;
  readonly yours: string;
  readonly theirs: string;
}

/** Every leaf of a JSON value by its dotted path ('stages.founding.riskGrades.0.share'). */
export function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out.set(prefix, '(none)');
    value.forEach((v, i) => leaves(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, '(none)');
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value === undefined ? '(not set)' : typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** The settings on which two scenarios differ, in the order of the first. */
export function differences(yours: Scenario, theirs: Scenario): Difference[] {
  const a = leaves(yours);
  const b = leaves(theirs);
  const paths = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((path) => {
      const label = fieldLabel(path);
      return { path, label: label === path ? path : `${label} (${path})`, yours: a.get(path) ?? '(not set)', theirs: b.get(path) ?? '(not set)' };
    });
}

export function conflictModel(yours: Scenario, current: SavedScenario, basedOn: number) {
  const diffs = differences(yours, current.scenario);
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
