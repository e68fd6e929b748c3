/** The presets (src/presets), as the home page's cards and as scenarios. */
import { DEFAULT_PRESET_ID, isPresetId, listPresets, loadPreset } from '../../presets/index.ts';
import type { Scenario } from '../../core/schema.ts';
import type { Translate } from '../../i18n/index.ts';

export interface PresetCard {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** One line on what the preset teaches. */
  readonly teaches: string;
  /** Its first source, shortened. */
  readonly source: string;
  readonly sources: readonly string[];
}

const sentences = (text: string): string[] => text.split(/(?<=[.!?])\s+(?=[A-Z])/).map((s) => s.trim()).filter(Boolean);

/** The sentence of a preset's description that says what it teaches (a message of its own). */
export function teachingLine(description: string): string {
  const all = sentences(description);
  return all.find((s) => /^(It|This) (shows|teaches|illustrates|asks|tests)/.test(s)) ?? all[1] ?? all[0] ?? '';
}

function shortSource(source: string | undefined): string {
  if (!source) return 'Illustrative parameters';
  const head = source.split(/[:;]/)[0]!.trim();
  return head.length > 110 ? `${head.slice(0, 107)}…` : head;
}

let cards: PresetCard[] | null = null;
const scenarios = new Map<string, Scenario>();

/** The presets as cards (read once: presets ship with the program). */
export function presetCards(): PresetCard[] {
  cards ??= listPresets().map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    teaches: teachingLine(p.description),
    source: shortSource(p.sources[0]),
    sources: p.sources,
  }));
  return cards;
}

/** The preset's scenario, or null when there is no preset with that id. */
export function presetScenario(id: string): Scenario | null {
  if (!isPresetId(id)) return null;
  let s = scenarios.get(id);
  if (!s) {
    s = loadPreset(id);
    scenarios.set(id, s);
  }
  return s;
}

/**
 * The cards in the page's language: name and teaching line translated (both are in the
 * catalogue, see src/cli/i18n-extract.ts); the source is a citation and stays as written.
 */
export function localPresetCards(t: Translate): PresetCard[] {
  return presetCards().map((c) => ({ ...c, name: t(c.name), description: t(c.description), teaches: c.teaches === '' ? '' : t(c.teaches) }));
}

let presetNames: Set<string> | null = null;

/**
 * A scenario's name as shown: a preset's name (a scenario saved from a preset keeps it) is in
 * the catalogue and shown translated; any other name is the user's, shown as typed.
 */
export function shownName(name: string, t: Translate): string {
  presetNames ??= new Set(presetCards().map((c) => c.name));
  return presetNames.has(name) ? t(name) : name;
}

export const DEFAULT_PRESET: string = DEFAULT_PRESET_ID;
