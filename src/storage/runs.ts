/**
 * Monte Carlo runs, kept so that a run has a permalink that outlives the process. The result
 * is stored without the per-path summaries (one row per path would make a 100,000-path run
 * weigh megabytes); every chart and indicator is built from the aggregates.
 */
import type { MonteCarloResult } from '../core/montecarlo/types.ts';
import type { Scenario } from '../core/schema.ts';
import type { DB } from './db.ts';
import { newId } from './ids.ts';
import { bindings, currentViewer, seeAs } from './access.ts';
import { decodeScenario, encodeScenario } from './scenario-json.ts';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export const FINISHED: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

export interface RunRecord {
  readonly id: string;
  readonly scenarioId: string | null;
  readonly scenarioName: string;
  readonly paths: number;
  readonly seed: number;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

interface Row {
  id: string;
  scenario_id: string | null;
  scenario_name: string;
  schema_version: number;
  scenario_json: string;
  paths: number;
  seed: number;
  status: RunStatus;
  result_json: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

const record = (r: Row): RunRecord => ({
  id: r.id,
  scenarioId: r.scenario_id,
  scenarioName: r.scenario_name,
  paths: r.paths,
  seed: r.seed,
  status: r.status,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** The stored form of a result: everything but the per-path summaries. */
export function storableResult(result: MonteCarloResult): MonteCarloResult {
  return { ...result, pathSummaries: [] };
}

export class RunStore {
  constructor(private readonly db: DB) {}

  create(input: { scenario: Scenario; scenarioId: string | null; paths: number; seed: number }): RunRecord {
    const id = newId();
    const now = new Date().toISOString();
    const { json, schemaVersion } = encodeScenario(input.scenario);
    this.db.transaction(() => {
      const scenarioId = input.scenarioId && this.db.prepare('SELECT 1 FROM scenarios WHERE id = ?').get(input.scenarioId) ? input.scenarioId : null;
      this.db.prepare(`INSERT INTO runs (id, scenario_id, scenario_name, schema_version, scenario_json, paths, seed, status, created_at, owner_id)
                       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`)
        .run(id, scenarioId, input.scenario.name, schemaVersion, json, input.paths, input.seed, now, currentViewer()?.id ?? null);
    })();
    return this.get(id)!;
  }

  get(id: string): RunRecord | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? record(row) : null;
  }

  /** The scenario the run was made with; throws StoredScenarioError on a bad row. */
  scenario(id: string): Scenario | null {
    const row = this.db.prepare('SELECT id, scenario_json, schema_version FROM runs WHERE id = ?').get(id) as Pick<Row, 'id' | 'scenario_json' | 'schema_version'> | undefined;
    return row ? decodeScenario(`The scenario of run ${row.id}`, row.scenario_json, row.schema_version) : null;
  }

  result(id: string): MonteCarloResult | null {
    const json = this.db.prepare('SELECT result_json FROM runs WHERE id = ?').pluck().get(id) as string | null | undefined;
    if (!json) return null;
    try {
      return JSON.parse(json) as MonteCarloResult;
    } catch {
      return null;
    }
  }

  list(limit = 50): RunRecord[] {
    // Runs the viewer started, and runs of scenarios the viewer may read.
    return (this.db.prepare(`SELECT r.* FROM runs r LEFT JOIN scenarios s ON s.id = r.scenario_id
      WHERE (@all = 1 OR r.owner_id IS NULL OR r.owner_id = @viewer OR (s.id IS NOT NULL AND ${seeAs('s.')}))
      ORDER BY r.created_at DESC LIMIT ?`).all(limit, bindings()) as Row[]).map(record);
  }

  markRunning(id: string): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'`).run(id);
    })();
  }

  finish(id: string, outcome: { status: 'done'; result: MonteCarloResult } | { status: 'failed' | 'cancelled'; error: string }): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      if (outcome.status === 'done') {
        this.db.prepare(`UPDATE runs SET status = 'done', result_json = ?, error = NULL, finished_at = ? WHERE id = ?`)
          .run(JSON.stringify(storableResult(outcome.result)), now, id);
      } else {
        this.db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(outcome.status, outcome.error, now, id);
      }
    })();
  }

  /** Runs a previous process left unfinished can never finish: says so. Returns how many. */
  failInterrupted(): number {
    const now = new Date().toISOString();
    return this.db.transaction(() =>
      this.db.prepare(`UPDATE runs SET status = 'failed', error = 'interrupted: the server stopped before the run finished', finished_at = ?
                       WHERE status IN ('queued', 'running')`).run(now).changes,
    )();
  }
}

export class SettingsStore {
  constructor(private readonly db: DB) {}

  /** The value under `key`, created by `make` and stored on first use. */
  getOrCreate(key: string, make: () => string): string {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
      if (existing !== undefined) return existing;
      const value = make();
      this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(key, value);
      return value;
    })();
  }
}
