/**
 * Drafts: the scenarios of results that were not saved, kept so that every result has an
 * address. A draft's id is the hash of its scenario, so the same scenario always gets the same
 * address and running it again stores nothing new.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../core/schema.ts';
import type { DB } from './db.ts';
import { decodeScenario, encodeScenario } from './scenario-json.ts';

interface Row {
  id: string;
  schema_version: number;
  json: string;
  created_at: string;
}

export class DraftStore {
  constructor(private readonly db: DB) {}

  /** Keeps the scenario (once) and returns its id: 22 URL-safe characters of its SHA-256. */
  put(scenario: Scenario): string {
    const { json, schemaVersion } = encodeScenario(scenario);
    const id = createHash('sha256').update(`${schemaVersion}\n${json}`).digest('base64url').slice(0, 22);
    this.db.prepare('INSERT OR IGNORE INTO drafts (id, schema_version, json, created_at) VALUES (?, ?, ?, ?)')
      .run(id, schemaVersion, json, new Date().toISOString());
    return id;
  }

  /** The draft's scenario, or null; throws StoredScenarioError on a bad row. */
  get(id: string): Scenario | null {
    const row = this.db.prepare('SELECT * FROM drafts WHERE id = ?').get(id) as Row | undefined;
    return row ? decodeScenario(`Draft ${row.id}`, row.json, row.schema_version) : null;
  }
}
