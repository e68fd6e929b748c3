/**
 * The SQLite database in DATA_DIR: opened once per process, schema brought up to date by
 * numbered migrations recorded in a `migrations` table, each applied in its own transaction.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type DB = Database.Database;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/** Append only: a released migration is never edited, a change is a new migration. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'scenarios and runs',
    up: `
      CREATE TABLE scenarios (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        json           TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      );
      CREATE INDEX scenarios_updated ON scenarios (updated_at DESC);
      CREATE TABLE runs (
        id             TEXT PRIMARY KEY,
        scenario_id    TEXT REFERENCES scenarios (id) ON DELETE SET NULL,
        scenario_name  TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        scenario_json  TEXT NOT NULL,
        paths          INTEGER NOT NULL,
        seed           INTEGER NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        result_json    TEXT,
        error          TEXT,
        created_at     TEXT NOT NULL,
        finished_at    TEXT
      );
      CREATE INDEX runs_created ON runs (created_at DESC);
      CREATE INDEX runs_scenario ON runs (scenario_id);
    `,
  },
  {
    version: 2,
    name: 'settings',
    up: `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
  {
    version: 3,
    name: 'policy analysis jobs',
    up: `
      CREATE TABLE IF NOT EXISTS policy_jobs (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('budget', 'tornado', 'sweep', 'search')),
        title        TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        engine       TEXT NOT NULL,
        request_json TEXT NOT NULL,
        result_json  TEXT,
        error        TEXT,
        created_at   TEXT NOT NULL,
        finished_at  TEXT
      );
      CREATE INDEX IF NOT EXISTS policy_jobs_created ON policy_jobs (created_at DESC);
    `,
  },
  {
    version: 4,
    name: 'drafts: results of unsaved scenarios, by the hash of their scenario',
    up: `
      CREATE TABLE drafts (
        id             TEXT PRIMARY KEY,
        schema_version INTEGER NOT NULL,
        json           TEXT NOT NULL,
        created_at     TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'trash: deleted scenarios kept for some days',
    up: `
      ALTER TABLE scenarios ADD COLUMN deleted_at TEXT;
      CREATE INDEX scenarios_deleted ON scenarios (deleted_at);
    `,
  },
  {
    version: 6,
    name: 'loan tapes and the column mapping last used per lender',
    up: `
      CREATE TABLE tapes (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        lender       TEXT NOT NULL,
        format       TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
        size_bytes   INTEGER NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'imported')),
        rows         INTEGER,
        mapping_json TEXT,
        as_of        TEXT,
        base_ref     TEXT,
        report_json  TEXT,
        created_at   TEXT NOT NULL,
        imported_at  TEXT
      );
      CREATE INDEX tapes_created ON tapes (created_at DESC);
      CREATE TABLE tape_mappings (lender TEXT PRIMARY KEY, mapping_json TEXT NOT NULL, updated_at TEXT NOT NULL);
    `,
  },
];

/** Applies the migrations not yet recorded; returns the versions applied now. */
export function migrate(db: DB, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(db.prepare('SELECT version FROM migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(`The database is at schema version ${newest}, newer than this program knows (${known}). Upgrade the program or use another DATA_DIR.`);
  }
  const done: number[] = [];
  const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.up);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}

/** Opens (creating if needed) `DATA_DIR/simulator.db` and migrates it; ':memory:' for tests. */
export function openDatabase(dataDir: string | ':memory:'): DB {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(resolve(dataDir), { recursive: true });
    file = join(resolve(dataDir), 'simulator.db');
  }
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
