/**
 * The SQLite database in DATA_DIR: opened once per process, schema brought up to date by
 * numbered migrations recorded in a `migrations` table, each applied in its own transaction.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
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
  {
    version: 7,
    name: 'a version per saved scenario, its last check kept, and an index for the paged list',
    up: `
      ALTER TABLE scenarios ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE scenarios ADD COLUMN checked_schema INTEGER;
      ALTER TABLE scenarios ADD COLUMN problem TEXT;
      CREATE INDEX scenarios_live ON scenarios (updated_at DESC, name, id) WHERE deleted_at IS NULL;
      DROP INDEX scenarios_deleted;
      CREATE INDEX scenarios_trash ON scenarios (deleted_at) WHERE deleted_at IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'accounts: users, sessions kept on the server, API tokens, an audit log',
    up: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role          TEXT NOT NULL CHECK (role IN ('administrator', 'analyst', 'trainer', 'trainee')),
        password_hash TEXT,
        created_at    TEXT NOT NULL,
        disabled_at   TEXT
      );
      CREATE TABLE sessions (
        id_hash    TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE api_tokens (
        id           TEXT PRIMARY KEY,
        user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        label        TEXT NOT NULL,
        token_hash   TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at   TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id);
      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at      TEXT NOT NULL,
        user_id TEXT,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at DESC);
    `,
  },
  {
    version: 9,
    name: 'workspaces (a team or a class), their members, and who owns a saved scenario',
    up: `
      CREATE TABLE workspaces (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('team', 'class')),
        created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE workspace_members (
        workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        added_at     TEXT NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      );
      CREATE INDEX workspace_members_user ON workspace_members (user_id);
      ALTER TABLE scenarios ADD COLUMN owner_id TEXT;
      ALTER TABLE scenarios ADD COLUMN workspace_id TEXT;
      CREATE INDEX scenarios_owner ON scenarios (owner_id);
    `,
  },
  {
    version: 10,
    name: 'who started a Monte Carlo run',
    up: `ALTER TABLE runs ADD COLUMN owner_id TEXT;`,
  },
  {
    version: 11,
    name: 'classes: a join code per class, exercises assigned with a due date, trainees’ submissions',
    up: `
      ALTER TABLE workspaces ADD COLUMN join_code TEXT;
      CREATE UNIQUE INDEX workspaces_join_code ON workspaces (join_code) WHERE join_code IS NOT NULL;
      CREATE TABLE assignments (
        id           TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        exercise_id  TEXT NOT NULL,
        due_at       TEXT NOT NULL,
        created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX assignments_workspace ON assignments (workspace_id, due_at);
      CREATE TABLE submissions (
        assignment_id TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        answers_json  TEXT NOT NULL,
        explanation   TEXT NOT NULL,
        scenario_id   TEXT,
        submitted_at  TEXT NOT NULL,
        PRIMARY KEY (assignment_id, user_id)
      );
    `,
  },
  {
    version: 12,
    name: 'invitations: a link that makes an account with a given role, used once',
    up: `
      CREATE TABLE invitations (
        token_hash   TEXT PRIMARY KEY,
        role         TEXT NOT NULL CHECK (role IN ('administrator', 'analyst', 'trainer', 'trainee')),
        workspace_id TEXT REFERENCES workspaces (id) ON DELETE SET NULL,
        created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
        created_at   TEXT NOT NULL,
        expires_at   TEXT NOT NULL,
        used_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
        used_at      TEXT
      );
    `,
  },
  {
    version: 13,
    name: 'who uploaded a loan tape and who started a policy analysis, and the workspace each is shared with',
    up: `
      ALTER TABLE tapes ADD COLUMN owner_id TEXT;
      ALTER TABLE tapes ADD COLUMN workspace_id TEXT;
      ALTER TABLE policy_jobs ADD COLUMN owner_id TEXT;
      ALTER TABLE policy_jobs ADD COLUMN workspace_id TEXT;
    `,
  },
  {
    version: 14,
    name: 'the list of saved scenarios read from its index alone',
    // Who may see a row (owner_id, workspace_id) and what a list shows of it, in the index: a
    // list no longer reads each row's JSON (and the pages it overflows to) to filter and count.
    // deleted_at is always NULL in it, and named so that SQLite counts the index as covering.
    up: `
      DROP INDEX scenarios_live;
      CREATE INDEX scenarios_live ON scenarios (updated_at DESC, name, id, owner_id, workspace_id, version, created_at, checked_schema, problem, deleted_at) WHERE deleted_at IS NULL;
    `,
  },
  {
    version: 15,
    name: 'the column mapping last used per lender, remembered for each user',
    // owner_id '' holds the mappings remembered before (and those of the command line): every
    // user falls back to them.
    up: `
      CREATE TABLE tape_mappings_by_owner (
        owner_id     TEXT NOT NULL,
        lender       TEXT NOT NULL,
        mapping_json TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (owner_id, lender)
      );
      INSERT INTO tape_mappings_by_owner (owner_id, lender, mapping_json, updated_at) SELECT '', lender, mapping_json, updated_at FROM tape_mappings;
      DROP TABLE tape_mappings;
      ALTER TABLE tape_mappings_by_owner RENAME TO tape_mappings;
    `,
  },
];

/** The newest schema version this program knows. */
export const KNOWN_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * A database that cannot be opened or used, with a message that names the file and the cause
 * and says what to do (the server prints it and exits; the backup and restore commands too).
 */
export class DatabaseProblem extends Error {
  constructor(message: string, readonly code: 'readonly' | 'notadb' | 'full' | 'corrupt' | 'newer' | 'io') {
    super(message);
    this.name = 'DatabaseProblem';
  }
}

/** The SQLite error code of an error, if it is one ('SQLITE_FULL', 'SQLITE_NOTADB', …). */
export function sqliteCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** Turns an error met while opening or writing the file into a DatabaseProblem naming it. */
export function explainDatabaseError(file: string, e: unknown): Error {
  if (e instanceof DatabaseProblem) return e;
  const code = sqliteCode(e) ?? (e as { code?: string } | null)?.code ?? '';
  const detail = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new DatabaseProblem(`The disk holding ${file} is full (${detail}). Free some space, or set DATA_DIR to a folder on another disk.`, 'full');
  }
  if (code === 'SQLITE_NOTADB') {
    return new DatabaseProblem(`${file} is not a SQLite database (${detail}). Move it away, or set DATA_DIR to another folder; a backup can be installed with npm run restore.`, 'notadb');
  }
  if (code === 'SQLITE_CORRUPT') {
    return new DatabaseProblem(`${file} is damaged (${detail}). Install a backup with npm run restore, or set DATA_DIR to another folder.`, 'corrupt');
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'SQLITE_CANTOPEN') {
    return new DatabaseProblem(`${file} cannot be written: its folder or the file is read-only (${detail}). Give the server's user write access, or set DATA_DIR to a writable folder.`, 'readonly');
  }
  return new DatabaseProblem(`${file} cannot be used (${detail}).`, 'io');
}

/** Checks the folder can hold the database: exists (or can be made) and is writable. */
function checkFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'ENOSPC') throw explainDatabaseError(dir, e);
    throw new DatabaseProblem(`The data folder ${dir} cannot be created (${(e as Error).message}). Create it, give the server's user write access, or set DATA_DIR to a writable folder.`, 'readonly');
  }
  if (!statSync(dir).isDirectory()) throw new DatabaseProblem(`The data folder ${dir} is not a folder. Set DATA_DIR to a folder.`, 'io');
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new DatabaseProblem(`The data folder ${dir} is read-only: the database and its journal cannot be written there. Give the server's user write access, or set DATA_DIR to a writable folder.`, 'readonly');
  }
}

/**
 * Reads an existing file without changing anything in it: that it is a SQLite database, that
 * PRAGMA quick_check finds nothing wrong and that its schema is not newer than this program's.
 */
export function inspectDatabase(file: string, known = KNOWN_VERSION): { version: number } {
  let db: DB | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const problems = check.map((r) => r.quick_check).filter((x) => x !== 'ok');
    if (problems.length) {
      throw new DatabaseProblem(`${file} is damaged: PRAGMA quick_check reports ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}. Install a backup with npm run restore.`, 'corrupt');
    }
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get() !== undefined;
    const version = hasTable ? (db.prepare('SELECT MAX(version) FROM migrations').pluck().get() as number | null) ?? 0 : 0;
    if (version > known) {
      throw new DatabaseProblem(`${file} is at schema version ${version}, newer than this program knows (${known}). Nothing in it was changed. Upgrade the program, or set DATA_DIR to another folder.`, 'newer');
    }
    return { version };
  } catch (e) {
    throw explainDatabaseError(file, e);
  } finally {
    db?.close();
  }
}


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

export const DATABASE_FILE = 'simulator.db';

/**
 * Opens (creating if needed) `DATA_DIR/simulator.db` and migrates it; ':memory:' for tests.
 * An existing file is checked first, read-only (PRAGMA quick_check, its schema version), so a
 * database that is damaged, not a database or from a newer program is refused untouched.
 * Problems are DatabaseProblem errors naming the file and the cause.
 */
export function openDatabase(dataDir: string | ':memory:'): DB {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    const dir = resolve(dataDir);
    checkFolder(dir);
    file = join(dir, DATABASE_FILE);
    if (existsSync(file)) {
      try {
        accessSync(file, constants.R_OK | constants.W_OK);
      } catch (e) {
        throw explainDatabaseError(file, e);
      }
      inspectDatabase(file);
    }
  }
  let db: DB | null = null;
  try {
    db = new Database(file);
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db?.close();
    throw file === ':memory:' ? e : explainDatabaseError(file, e);
  }
}
