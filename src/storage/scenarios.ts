/**
 * Saved scenarios. Every write runs in a transaction with parameterised SQL; every read goes
 * back through decodeScenario, so a bad row gives a StoredScenarioError, never a crash.
 */
import { ScenarioSchema, type Scenario } from '../core/schema.ts';
import type { DB } from './db.ts';
import { newId } from './ids.ts';
import { decodeScenario, encodeScenario, StoredScenarioError } from './scenario-json.ts';

export interface SavedScenarioSummary {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Why the stored JSON cannot be read back, when it cannot. */
  readonly problem: string | null;
}

export interface SavedScenario {
  readonly id: string;
  readonly name: string;
  readonly scenario: Scenario;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  schema_version: number;
  json: string;
  created_at: string;
  updated_at: string;
}

const NAME_MAX = ScenarioSchema.shape.name.maxLength ?? 120;

export class ScenarioStore {
  constructor(private readonly db: DB) {}

  private row(id: string): Row | undefined {
    return this.db.prepare('SELECT * FROM scenarios WHERE id = ?').get(id) as Row | undefined;
  }

  private decode(row: Row): SavedScenario {
    const scenario = decodeScenario(`Saved scenario “${row.name}” (${row.id})`, row.json, row.schema_version);
    return { id: row.id, name: row.name, scenario, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  list(): SavedScenarioSummary[] {
    const rows = this.db.prepare('SELECT * FROM scenarios ORDER BY updated_at DESC, name').all() as Row[];
    return rows.map((row) => {
      let problem: string | null = null;
      try {
        this.decode(row);
      } catch (e) {
        problem = e instanceof StoredScenarioError ? e.message : String(e);
      }
      return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at, problem };
    });
  }

  /** The saved scenario, or null when there is none with that id; throws StoredScenarioError on a bad row. */
  get(id: string): SavedScenario | null {
    const row = this.row(id);
    return row ? this.decode(row) : null;
  }

  create(scenario: Scenario): SavedScenario {
    const id = newId();
    const now = new Date().toISOString();
    const { json, schemaVersion } = encodeScenario(scenario);
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, scenario.name, schemaVersion, json, now, now);
    })();
    return { id, name: scenario.name, scenario, createdAt: now, updatedAt: now };
  }

  update(id: string, scenario: Scenario): SavedScenario | null {
    const now = new Date().toISOString();
    const { json, schemaVersion } = encodeScenario(scenario);
    return this.db.transaction(() => {
      const before = this.row(id);
      if (!before) return null;
      this.db.prepare('UPDATE scenarios SET name = ?, schema_version = ?, json = ?, updated_at = ? WHERE id = ?')
        .run(scenario.name, schemaVersion, json, now, id);
      return { id, name: scenario.name, scenario, createdAt: before.created_at, updatedAt: now };
    })();
  }

  /** Renames a readable scenario (the name lives in the JSON too); null when absent. */
  rename(id: string, name: string): SavedScenario | null {
    return this.db.transaction(() => {
      const saved = this.get(id);
      if (!saved) return null;
      return this.update(id, { ...saved.scenario, name: name.trim().slice(0, NAME_MAX) });
    })();
  }

  duplicate(id: string): SavedScenario | null {
    return this.db.transaction(() => {
      const saved = this.get(id);
      if (!saved) return null;
      return this.create({ ...saved.scenario, name: `Copy of ${saved.scenario.name}`.slice(0, NAME_MAX) });
    })();
  }

  delete(id: string): boolean {
    return this.db.transaction(() => this.db.prepare('DELETE FROM scenarios WHERE id = ?').run(id).changes > 0)();
  }
}
