/**
 * Scenarios are stored as JSON tagged with the schema version they were written under. On
 * read they are upgraded step by step to the current version, then validated by
 * parseScenario, the same schema that guards the form and the API.
 */
import { parseScenario, SCHEMA_VERSION, type FieldIssue, type Scenario } from '../core/schema.ts';

/** Upgraders from version v to v + 1, keyed by v. None yet: version 1 is the first. */
export const UPGRADERS: Readonly<Record<number, (old: Record<string, unknown>) => Record<string, unknown>>> = {};

/** A stored scenario that cannot be read back: says which record and why. */
export class StoredScenarioError extends Error {
  constructor(
    readonly what: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(`${what} cannot be read: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'StoredScenarioError';
  }
}

export function decodeScenario(what: string, json: string, schemaVersion: number): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new StoredScenarioError(what, [{ path: '(json)', message: `is not valid JSON (${(e as Error).message})` }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoredScenarioError(what, [{ path: '(json)', message: 'is not a JSON object' }]);
  }
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > SCHEMA_VERSION) {
    throw new StoredScenarioError(what, [{ path: 'schemaVersion', message: `version ${schemaVersion} is not one this program can read (1 to ${SCHEMA_VERSION})` }]);
  }
  let record = value as Record<string, unknown>;
  for (let v = schemaVersion; v < SCHEMA_VERSION; v++) {
    const up = UPGRADERS[v];
    if (!up) throw new StoredScenarioError(what, [{ path: 'schemaVersion', message: `no upgrade from version ${v}` }]);
    record = { ...up(record), schemaVersion: v + 1 };
  }
  const parsed = parseScenario({ ...record, schemaVersion: SCHEMA_VERSION });
  if (!parsed.ok) throw new StoredScenarioError(what, parsed.issues);
  return parsed.value;
}

export function encodeScenario(s: Scenario): { json: string; schemaVersion: number } {
  return { json: JSON.stringify(s), schemaVersion: s.schemaVersion };
}
