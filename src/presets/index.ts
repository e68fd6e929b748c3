/**
 * Scenario presets: one JSON file per preset in this folder, each a complete scenario. This
 * module lists them and loads one by id (the file name without `.json`). It reads the files
 * at call time, so it lives here rather than in src/core, which does no I/O.
 */
import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '../core/schema.ts';

export interface PresetInfo {
  /** File name without `.json`, e.g. `korea-kodit`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly sources: readonly string[];
}

/** Every preset, in display order: the default first, then real schemes, then teaching cases. */
export const PRESET_IDS = [
  'default',
  'korea-kodit',
  'japan-cgc',
  'india-cgtmse',
  'us-sba-7a',
  'uk-efg',
  'thailand-tcg',
  'chile-fogape',
  'taiwan-smeg',
  'startup-local-fund',
  'recession-stress',
] as const;

export type PresetId = (typeof PRESET_IDS)[number];

/** The preset the home page and `npm start` begin with. */
export const DEFAULT_PRESET_ID: PresetId = 'default';

export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

function readPreset(id: PresetId): unknown {
  const url = new URL(`./${id}.json`, import.meta.url);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (error) {
    throw new Error(`Preset "${id}" could not be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`Preset "${id}" is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Loads and validates a preset. Only ids in PRESET_IDS are accepted, so no caller-supplied
 * text ever becomes part of a file path.
 */
export function loadPreset(id: string): Scenario {
  if (!isPresetId(id)) {
    throw new Error(`Unknown preset "${id}"; known presets: ${PRESET_IDS.join(', ')}`);
  }
  const result = parseScenario(readPreset(id));
  if (!result.ok) {
    const issues = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new Error(`Preset "${id}" is not a valid scenario: ${issues}`);
  }
  return result.value;
}

/** Id, name, description and sources of every preset, read from the files. */
export function listPresets(): PresetInfo[] {
  return PRESET_IDS.map((id) => {
    const s = loadPreset(id);
    return { id, name: s.name, description: s.description, sources: s.sources };
  });
}
