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
  deleted_at: string | null;
}

/** Days a deleted scenario stays in the trash before it is removed for good. */
export const TRASH_DAYS = 30;

export interface TrashedScenario {
  readonly id: string;
  readonly name: string;
  readonly deletedAt: string;
  /** When it will be removed for good. */
  readonly purgeAt: string;
}

const NAME_MAX = ScenarioSchema.shape.name.maxLength ?? 120;

export class ScenarioStore {
  constructor(private readonly db: DB) {}

  private row(id: string): Row | undefined {
    return this.db.prepare('SELECT * FROM scenarios WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined;
  }

  private decode(row: Row): SavedScenario {
    const scenario = decodeScenario(`Saved scenario “${row.name}” (${row.id})`, row.json, row.schema_version);
    return { id: row.id, name: row.name, scenario, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  list(): SavedScenarioSummary[] {
    const rows = this.db.prepare('SELECT * FROM scenarios WHERE deleted_at IS NULL ORDER BY updated_at DESC, name').all() as Row[];
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

  /** Moves a scenario to the trash, where it stays TRASH_DAYS days; false when there is none to move. */
  delete(id: string, now = new Date()): boolean {
    return this.db.transaction(() => this.db.prepare('UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(now.toISOString(), id).changes > 0)();
  }

  /** Takes a scenario out of the trash; false when it is not there. */
  restore(id: string): boolean {
    return this.db.transaction(() => this.db.prepare('UPDATE scenarios SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id).changes > 0)();
  }

  /** The name of a saved scenario (readable or not), or null. */
  nameOf(id: string): string | null {
    return this.row(id)?.name ?? null;
  }

  /** The name of a scenario in the trash, or null. */
  trashedName(id: string): string | null {
    const row = this.db.prepare('SELECT name FROM scenarios WHERE id = ? AND deleted_at IS NOT NULL').get(id) as Pick<Row, 'name'> | undefined;
    return row?.name ?? null;
  }

  /** Removes for good what has been in the trash longer than TRASH_DAYS days; returns how many. */
  purge(now = new Date()): number {
    const cutoff = new Date(now.getTime() - TRASH_DAYS * 86_400_000).toISOString();
    return this.db.transaction(() => this.db.prepare('DELETE FROM scenarios WHERE deleted_at IS NOT NULL AND deleted_at < ?').run(cutoff).changes)();
  }

  /** The trash, most recently deleted first (after removing what has expired). */
  trash(now = new Date()): TrashedScenario[] {
    this.purge(now);
    const rows = this.db.prepare('SELECT id, name, deleted_at FROM scenarios WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, name').all() as Pick<Row, 'id' | 'name' | 'deleted_at'>[];
    return rows.map((r) => ({ id: r.id, name: r.name, deletedAt: r.deleted_at!, purgeAt: new Date(Date.parse(r.deleted_at!) + TRASH_DAYS * 86_400_000).toISOString() }));
  }
}
