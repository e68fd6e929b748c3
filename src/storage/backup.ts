/**
 * Backup and restore of the database. A backup is made with SQLite's online backup API, so it
 * is a consistent copy even while the server runs and writes; it is checked (PRAGMA
 * quick_check) before it is given its name. A restore checks the file first (a SQLite
 * database, undamaged, from this program or an older one), keeps a backup of the database it
 * replaces, installs the copy through the same backup API (so a running server never reads a
 * half-copied file) and brings its schema up to date.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DATABASE_FILE, DatabaseProblem, explainDatabaseError, inspectDatabase, openDatabase } from './db.ts';

export interface BackupInfo {
  readonly file: string;
  readonly bytes: number;
  readonly schemaVersion: number;
  readonly scenarios: number;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');

/** The database file of a data folder. */
export const databaseFile = (dataDir: string) => join(resolve(dataDir), DATABASE_FILE);

function describe(file: string): BackupInfo {
  const { version } = inspectDatabase(file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasScenarios = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scenarios'").get() !== undefined;
    if (!hasScenarios || version === 0) throw new DatabaseProblem(`${file} is a SQLite database, but not one of this simulator (it has no saved scenarios table or no migrations).`, 'notadb');
    const hasTrash = db.prepare("SELECT 1 FROM pragma_table_info('scenarios') WHERE name = 'deleted_at'").get() !== undefined;
    const scenarios = db.prepare(`SELECT COUNT(*) FROM scenarios${hasTrash ? ' WHERE deleted_at IS NULL' : ''}`).pluck().get() as number;
    return { file, bytes: statSync(file).size, schemaVersion: version, scenarios };
  } finally {
    db.close();
  }
}

/** Copies `from` (a live database, possibly being written) to `to` with the online backup API, then checks the copy. */
async function copyDatabase(from: string, to: string): Promise<void> {
  const source = new Database(from, { readonly: true, fileMustExist: true });
  source.pragma('busy_timeout = 5000');
  try {
    // After the first step, everything left in one step: a step reads one consistent snapshot,
    // whereas many small steps start over each time another connection writes in between.
    await source.backup(to, { progress: () => 2 ** 30 });
  } catch (e) {
    throw explainDatabaseError(to, e);
  } finally {
    source.close();
  }
}

/**
 * Writes a consistent copy of DATA_DIR's database to `out` (by default
 * DATA_DIR/backups/simulator-<UTC time>.db) and returns what it holds.
 */
export async function backupDatabase(dataDir: string, out?: string, now = new Date()): Promise<BackupInfo> {
  const live = databaseFile(dataDir);
  if (!existsSync(live)) throw new DatabaseProblem(`There is no database to back up at ${live}. Set DATA_DIR to the server's data folder.`, 'io');
  const target = resolve(out ?? join(resolve(dataDir), 'backups', `simulator-${stamp(now)}.db`));
  if (target === live) throw new DatabaseProblem(`The backup cannot be written over the database itself (${live}).`, 'io');
  if (existsSync(target)) throw new DatabaseProblem(`${target} already exists; choose another name or remove it first.`, 'io');
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (e) {
    throw explainDatabaseError(dirname(target), e);
  }
  // Written under a temporary name, checked, then renamed: a backup file is always whole.
  const partial = join(dirname(target), `.${basename(target)}.partial`);
  rmSync(partial, { force: true });
  try {
    await copyDatabase(live, partial);
    describe(partial);
    renameSync(partial, target);
  } catch (e) {
    rmSync(partial, { force: true });
    throw explainDatabaseError(target, e);
  }
  return describe(target);
}

export interface RestoreInfo {
  readonly restored: BackupInfo;
  /** The backup of the database that was replaced, or null when there was none. */
  readonly previous: string | null;
}

/** Checks a backup and installs it as DATA_DIR's database (keeping a backup of the one it replaces). */
export async function restoreDatabase(dataDir: string, backup: string, now = new Date()): Promise<RestoreInfo> {
  const file = resolve(backup);
  if (!existsSync(file)) throw new DatabaseProblem(`There is no file ${file}.`, 'io');
  describe(file); // throws unless the file is a backup of this simulator's database
  const live = databaseFile(dataDir);
  if (file === live) throw new DatabaseProblem(`${file} is the database itself; name a backup file.`, 'io');
  let previous: string | null = null;
  if (existsSync(live)) {
    previous = (await backupDatabase(dataDir, join(resolve(dataDir), 'backups', `before-restore-${stamp(now)}.db`), now)).file;
  } else {
    mkdirSync(resolve(dataDir), { recursive: true });
  }
  await copyDatabase(file, live);
  // Bring an older backup's schema up to date now, and check the result as the server will.
  openDatabase(dataDir).close();
  return { restored: { ...describe(live), file }, previous };
}
