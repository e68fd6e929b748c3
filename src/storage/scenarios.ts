/**
 * Saved scenarios. Every write runs in a transaction with parameterised SQL; every read goes
 * back through decodeScenario, so a bad row gives a StoredScenarioError, never a crash.
 *
 * Each scenario has a version, 1 when created and one more at each change: a write may name
 * the version it was based on and is refused (VersionConflictError) when the scenario has
 * changed since. Lists are paged over an index and do not decode every row: a row is checked
 * once (when written, or when first listed if written otherwise) and the outcome kept with it.
 */
import { SCHEMA_VERSION, ScenarioSchema, type Scenario } from '../core/schema.ts';
import type { DB } from './db.ts';
import { newId } from './ids.ts';
import { bindings, CHANGE, currentViewer, ForbiddenError, SEE, seeAs } from './access.ts';
import { decodeScenario, encodeScenario, StoredScenarioError } from './scenario-json.ts';

export interface SavedScenarioSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Why the stored JSON cannot be read back, when it cannot. */
  readonly problem: string | null;
}

export interface SavedScenario {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly scenario: Scenario;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A page of the list of saved scenarios. */
export interface ScenarioPage {
  readonly items: readonly SavedScenarioSummary[];
  /** 1-based. */
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
  readonly pages: number;
}

/** A write based on a version that is no longer the current one. */
export class VersionConflictError extends Error {
  constructor(readonly id: string, readonly expected: number, readonly current: number) {
    super(`The saved scenario ${id} is at version ${current}, not ${expected}: it has changed since it was read.`);
    this.name = 'VersionConflictError';
  }
}

interface Row {
  id: string;
  name: string;
  schema_version: number;
  json: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
  checked_schema: number | null;
  problem: string | null;
}

type ListRow = Pick<Row, 'id' | 'name' | 'version' | 'created_at' | 'updated_at' | 'checked_schema' | 'problem'>;

export const PER_PAGE_MAX = 200;

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
    return this.db.prepare(`SELECT * FROM scenarios WHERE id = ? AND deleted_at IS NULL AND ${SEE}`).get(id, bindings()) as Row | undefined;
  }

  private decode(row: Row): SavedScenario {
    const scenario = decodeScenario(`Saved scenario “${row.name}” (${row.id})`, row.json, row.schema_version);
    return { id: row.id, name: row.name, version: row.version, scenario, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  /**
   * The problem of listed rows, from what was kept when they were checked; rows not yet checked
   * under this schema (written by hand or by an older program) are decoded now, once, and the
   * outcome kept (a failure to keep it is harmless: they are checked again next time).
   */
  private summaries(rows: readonly ListRow[]): SavedScenarioSummary[] {
    const stale = rows.filter((r) => r.checked_schema !== SCHEMA_VERSION);
    const found = new Map<string, string | null>();
    if (stale.length) {
      const full = this.db.prepare('SELECT * FROM scenarios WHERE id = ?');
      const keep = this.db.prepare('UPDATE scenarios SET checked_schema = ?, problem = ? WHERE id = ? AND version = ?');
      for (const r of stale) {
        const row = full.get(r.id) as Row | undefined;
        if (!row) continue;
        let problem: string | null = null;
        try {
          this.decode(row);
        } catch (e) {
          problem = e instanceof StoredScenarioError ? e.message : String(e);
        }
        found.set(r.id, problem);
        try {
          keep.run(SCHEMA_VERSION, problem, row.id, row.version);
        } catch {
          // A read-only or full database: the check is simply made again next time.
        }
      }
    }
    return rows.map((r) => ({
      id: r.id, name: r.name, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
      problem: found.has(r.id) ? found.get(r.id)! : r.problem,
    }));
  }

  private static readonly LIST_COLUMNS = 'id, name, version, created_at, updated_at, checked_schema, problem';

  /** Every saved scenario, most recently changed first (for tools and tests; pages use page()). */
  list(): SavedScenarioSummary[] {
    const rows = this.db.prepare(`SELECT ${ScenarioStore.LIST_COLUMNS} FROM scenarios WHERE deleted_at IS NULL AND ${SEE} ORDER BY updated_at DESC, name, id`).all(bindings()) as ListRow[];
    return this.summaries(rows);
  }

  /** One page of the list, most recently changed first, optionally of the names containing `search`. */
  page(options: { page?: number; perPage?: number; search?: string } = {}): ScenarioPage {
    const perPage = Math.min(PER_PAGE_MAX, Math.max(1, Math.floor(options.perPage ?? 50)));
    const search = options.search?.trim() ?? '';
    const where = `${search ? "deleted_at IS NULL AND name LIKE ? ESCAPE '\\'" : 'deleted_at IS NULL'} AND ${SEE}`;
    const args = search ? [`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`] : [];
    const total = this.db.prepare(`SELECT COUNT(*) FROM scenarios WHERE ${where}`).pluck().get(...args, bindings()) as number;
    const pages = Math.max(1, Math.ceil(total / perPage));
    const page = Math.min(pages, Math.max(1, Math.floor(options.page ?? 1)));
    const rows = this.db.prepare(`SELECT ${ScenarioStore.LIST_COLUMNS} FROM scenarios WHERE ${where} ORDER BY updated_at DESC, name, id LIMIT ? OFFSET ?`)
      .all(...args, perPage, (page - 1) * perPage, bindings()) as ListRow[];
    return { items: this.summaries(rows), page, perPage, total, pages };
  }

  /** The most recently changed readable scenarios, for the lists of choices in forms. */
  choices(limit = 100): { id: string; name: string }[] {
    return this.page({ perPage: limit }).items.filter((s) => !s.problem).map((s) => ({ id: s.id, name: s.name }));
  }

  /**
   * A batch of saved scenarios in the order they were written, after the row `after` (0 to
   * start): the stored JSON as it is when it was checked under this schema and found readable,
   * otherwise decoded now (or its problem given). For exports that must not hold the server up.
   */
  exportBatch(after: number, limit: number): { next: number; rows: ({ name: string; createdAt: string; updatedAt: string; json: string } | { id: string; name: string; problem: string })[] } {
    const rows = this.db.prepare(`SELECT rowid AS rid, * FROM scenarios WHERE deleted_at IS NULL AND rowid > ? AND ${SEE} ORDER BY rowid LIMIT ?`).all(after, limit, bindings()) as (Row & { rid: number })[];
    return {
      next: rows.length ? rows[rows.length - 1]!.rid : after,
      rows: rows.map((row) => {
        if (row.checked_schema === SCHEMA_VERSION && row.problem === null && row.schema_version === SCHEMA_VERSION) {
          return { name: row.name, createdAt: row.created_at, updatedAt: row.updated_at, json: row.json };
        }
        try {
          const saved = this.decode(row);
          return { name: saved.name, createdAt: saved.createdAt, updatedAt: saved.updatedAt, json: JSON.stringify(saved.scenario) };
        } catch (e) {
          return { id: row.id, name: row.name, problem: e instanceof Error ? e.message : String(e) };
        }
      }),
    };
  }

  /** How many scenarios are saved (not counting the trash). */
  count(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM scenarios WHERE deleted_at IS NULL AND ${SEE}`).pluck().get(bindings()) as number;
  }

  /** Throws ForbiddenError when the viewer may read the scenario but not change it. */
  private mayChange(id: string): void {
    const ok = this.db.prepare(`SELECT 1 FROM scenarios WHERE id = ? AND ${CHANGE}`).get(id, bindings()) !== undefined;
    if (!ok) throw new ForbiddenError('You may read this scenario but not change or delete it: it belongs to another user, shared with your workspace for reading. Save a copy to change it.');
  }

  /** Whether the viewer may change the scenario (false when there is none to see). */
  canChange(id: string): boolean {
    return this.db.prepare(`SELECT 1 FROM scenarios WHERE id = ? AND deleted_at IS NULL AND ${SEE} AND ${CHANGE}`).get(id, bindings()) !== undefined;
  }

  /** Shares a scenario with a workspace (or makes it private again with null); only who may change it. */
  share(id: string, workspaceId: string | null): boolean {
    return this.db.transaction(() => {
      if (this.versionOf(id) === null) return false;
      this.mayChange(id);
      this.db.prepare('UPDATE scenarios SET workspace_id = ? WHERE id = ?').run(workspaceId, id);
      return true;
    })();
  }

  /** The version of a saved scenario (readable or not), or null when there is none. */
  versionOf(id: string): number | null {
    const v = this.db.prepare(`SELECT version FROM scenarios WHERE id = ? AND deleted_at IS NULL AND ${SEE}`).pluck().get(id, bindings()) as number | undefined;
    return v ?? null;
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
      this.db.prepare('INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at, version, checked_schema, owner_id) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)')
        .run(id, scenario.name, schemaVersion, json, now, now, SCHEMA_VERSION, currentViewer()?.id ?? null);
    })();
    return { id, name: scenario.name, version: 1, scenario, createdAt: now, updatedAt: now };
  }

  /**
   * Replaces a scenario; null when there is none. With `ifVersion`, only when the scenario is
   * still at that version (else VersionConflictError, and nothing is written).
   */
  update(id: string, scenario: Scenario, ifVersion?: number): SavedScenario | null {
    const now = new Date().toISOString();
    const { json, schemaVersion } = encodeScenario(scenario);
    return this.db.transaction(() => {
      const before = this.row(id);
      if (!before) return null;
      this.mayChange(id);
      if (ifVersion !== undefined && before.version !== ifVersion) throw new VersionConflictError(id, ifVersion, before.version);
      const version = before.version + 1;
      this.db.prepare('UPDATE scenarios SET name = ?, schema_version = ?, json = ?, updated_at = ?, version = ?, checked_schema = ?, problem = NULL WHERE id = ?')
        .run(scenario.name, schemaVersion, json, now, version, SCHEMA_VERSION, id);
      return { id, name: scenario.name, version, scenario, createdAt: before.created_at, updatedAt: now };
    })();
  }

  /** Renames a readable scenario (the name lives in the JSON too); null when absent. */
  rename(id: string, name: string, ifVersion?: number): SavedScenario | null {
    return this.db.transaction(() => {
      const saved = this.get(id);
      if (!saved) return null;
      return this.update(id, { ...saved.scenario, name: name.trim().slice(0, NAME_MAX) }, ifVersion);
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
  delete(id: string, now = new Date(), ifVersion?: number): boolean {
    return this.db.transaction(() => {
      if (this.versionOf(id) !== null) this.mayChange(id);
      if (ifVersion !== undefined) {
        const current = this.versionOf(id);
        if (current !== null && current !== ifVersion) throw new VersionConflictError(id, ifVersion, current);
      }
      return this.db.prepare(`UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL AND ${SEE}`).run(now.toISOString(), id, bindings()).changes > 0;
    })();
  }

  /** How many scenarios are in the trash and not yet expired (a read only: the trash page purges). */
  trashCount(now = new Date()): number {
    const cutoff = new Date(now.getTime() - TRASH_DAYS * 86_400_000).toISOString();
    return this.db.prepare(`SELECT COUNT(*) FROM scenarios WHERE deleted_at IS NOT NULL AND deleted_at >= ? AND ${CHANGE}`).pluck().get(cutoff, bindings()) as number;
  }

  /** Takes a scenario out of the trash; false when it is not there. */
  restore(id: string): boolean {
    return this.db.transaction(() => this.db.prepare(`UPDATE scenarios SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL AND ${CHANGE}`).run(id, bindings()).changes > 0)();
  }

  /** The scenarios shared with a workspace that the viewer may read (at most 200, newest first), and whether they may change each. */
  sharedWith(workspaceId: string): { id: string; name: string; owner: string | null; canChange: boolean }[] {
    const rows = this.db.prepare(`SELECT s.id, s.name, u.name AS owner, (CASE WHEN ${CHANGE.replaceAll('owner_id', 's.owner_id').replaceAll('workspace_id IN', 's.workspace_id IN')} THEN 1 ELSE 0 END) AS can
      FROM scenarios s LEFT JOIN users u ON u.id = s.owner_id WHERE s.workspace_id = @ws AND s.deleted_at IS NULL AND ${seeAs('s.')} ORDER BY s.updated_at DESC LIMIT 200`)
      .all({ ...bindings(), ws: workspaceId }) as { id: string; name: string; owner: string | null; can: number }[];
    return rows.map((r) => ({ id: r.id, name: r.name, owner: r.owner, canChange: r.can === 1 }));
  }

  /** The name of a saved scenario (readable or not), or null. */
  nameOf(id: string): string | null {
    return this.row(id)?.name ?? null;
  }

  /** The name of a scenario in the trash, or null. */
  trashedName(id: string): string | null {
    const row = this.db.prepare(`SELECT name FROM scenarios WHERE id = ? AND deleted_at IS NOT NULL AND ${CHANGE}`).get(id, bindings()) as Pick<Row, 'name'> | undefined;
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
    const rows = this.db.prepare(`SELECT id, name, deleted_at FROM scenarios WHERE deleted_at IS NOT NULL AND ${CHANGE} ORDER BY deleted_at DESC, name`).all(bindings()) as Pick<Row, 'id' | 'name' | 'deleted_at'>[];
    return rows.map((r) => ({ id: r.id, name: r.name, deletedAt: r.deleted_at!, purgeAt: new Date(Date.parse(r.deleted_at!) + TRASH_DAYS * 86_400_000).toISOString() }));
  }
}
