/**
 * Start-up checks of the database, each failure with a message naming the file and the cause
 * (the server exits with it), a database from a newer version refused untouched, and backup
 * and restore (a consistent copy while the database is written, checks before installing).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/storage/backup.ts';
import { DatabaseProblem, explainDatabaseError, KNOWN_VERSION, openDatabase, openStorage } from '../../src/storage/index.ts';
import { preset, tempDir } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url);
let dir: string;
beforeEach(() => {
  dir = tempDir('cgf-startup-');
  // Readable by the unprivileged user the read-only case runs as.
  chmodSync(dir, 0o755);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Starts the server on DATA_DIR and waits for it to exit (every case here fails at start-up). */
function startServer(dataDir: string, asUnprivileged = false): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const root = process.getuid?.() === 0;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MC_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // root writes anywhere: the read-only case runs as an unprivileged user.
    ...(asUnprivileged && root ? { uid: 65534, gid: 65534 } : {}),
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    // A server that started is not what these cases expect: stop it.
    if (stdout.includes('http://')) child.kill('SIGTERM');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, stdout })));
}

describe('start-up checks', () => {
  it('a read-only data folder: the server exits naming the folder and the cause', async () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const r = await startServer(ro, true);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The data folder ${ro} is read-only`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a file that is not a database: refused, named, and left as it was', async () => {
    const file = join(dir, 'simulator.db');
    writeFileSync(file, 'name,amount\nthis is a spreadsheet, not a database\n'.repeat(100));
    const before = sha(file);
    const r = await startServer(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} is not a SQLite database`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sha(file)).toBe(before);
  });

  it('a database from a newer version: refused before anything in the file is changed', async () => {
    const file = join(dir, 'simulator.db');
    const db = new Database(file);
    db.exec("CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO migrations VALUES (999, 'future', 'x')");
    db.close();
    const before = sha(file);
    const r = await startServer(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} is at schema version 999, newer than this program knows (${KNOWN_VERSION}). Nothing in it was changed.`);
    expect(sha(file)).toBe(before);
    // Still in its own journal mode, with no write-ahead log or shared memory created beside it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('a damaged database: PRAGMA quick_check finds it before anything is written', () => {
    const file = join(dir, 'simulator.db');
    const db = new Database(file);
    db.pragma('page_size = 4096');
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX tx ON t (x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'z'.repeat(50)}`);
    db.close();
    // Overwrite a page in the middle of the file with garbage.
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 4096 * 10, 4096 * 11);
    writeFileSync(file, bytes);
    const before = sha(file);
    expect(() => openDatabase(dir)).toThrow(DatabaseProblem);
    expect(() => openDatabase(dir)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged`));
    expect(sha(file)).toBe(before);
  });

  it.each([
    ['SQLITE_FULL', 'database or disk is full', 'full', /The disk holding \/x\/simulator\.db is full/],
    ['ENOSPC', 'no space left on device', 'full', /is full/],
    ['SQLITE_NOTADB', 'file is not a database', 'notadb', /\/x\/simulator\.db is not a SQLite database/],
    ['SQLITE_READONLY', 'attempt to write a readonly database', 'readonly', /cannot be written: its folder or the file is read-only/],
    ['EACCES', 'permission denied', 'readonly', /read-only/],
    ['SQLITE_CORRUPT', 'database disk image is malformed', 'corrupt', /is damaged/],
    ['SQLITE_IOERR', 'disk I/O error', 'io', /cannot be used \(disk I\/O error\)/],
  ])('%s is explained naming the file', (code, message, kind, text) => {
    const e = explainDatabaseError('/x/simulator.db', Object.assign(new Error(message), { code })) as DatabaseProblem;
    expect(e.code).toBe(kind);
    expect(e.message).toMatch(text);
  });
});

describe('backup and restore', () => {
  it('backs up a consistent copy while the database is being written, and restores it', async () => {
    const storage = openStorage(dir);
    for (let i = 0; i < 50; i++) storage.scenarios.create({ ...preset(), name: `Before ${i}` });
    // Keep writing while the backup runs: the copy is a consistent state, whichever it is.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        storage.scenarios.create({ ...preset(), name: `During ${written++}` });
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = join(dir, 'copy.db');
    const info = await backupDatabase(dir, out);
    writing = false;
    await writer;
    expect(info.file).toBe(out);
    expect(info.schemaVersion).toBe(KNOWN_VERSION);
    expect(info.scenarios).toBeGreaterThanOrEqual(50);
    const copy = new Database(out, { readonly: true });
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    const names = copy.prepare('SELECT name FROM scenarios').pluck().all() as string[];
    copy.close();
    expect(names.length).toBe(info.scenarios);
    // Every row in the copy is whole.
    expect(names.filter((n) => n.startsWith('Before')).length).toBe(50);

    // Changes after the backup are undone by the restore; the replaced database is kept.
    storage.scenarios.create({ ...preset(), name: 'After the backup' });
    const total = storage.scenarios.count();
    storage.close();
    const restored = await restoreDatabase(dir, out);
    expect(restored.restored.scenarios).toBe(info.scenarios);
    expect(restored.previous).toMatch(/backups\/before-restore-.*\.db$/);
    const again = openStorage(dir);
    expect(again.scenarios.count()).toBe(info.scenarios);
    again.close();
    const previous = new Database(restored.previous!, { readonly: true });
    expect(previous.prepare('SELECT COUNT(*) FROM scenarios WHERE deleted_at IS NULL').pluck().get()).toBe(total);
    previous.close();
  });

  it.each([
    ['a file that is not a database', (f: string) => writeFileSync(f, 'hello'), /is not a SQLite database/],
    ['another SQLite database', (f: string) => { const d = new Database(f); d.exec('CREATE TABLE x (y)'); d.close(); }, /not one of this simulator/],
    ['a database from a newer version', (f: string) => {
      const d = new Database(f);
      d.exec("CREATE TABLE scenarios (id TEXT); CREATE TABLE migrations (version INTEGER, name TEXT, applied_at TEXT); INSERT INTO migrations VALUES (999, 'future', 'x')");
      d.close();
    }, /newer than this program knows/],
  ])('refuses to restore %s and changes nothing', async (_what, make, message) => {
    const storage = openStorage(dir);
    storage.scenarios.create(preset());
    storage.close();
    const live = join(dir, 'simulator.db');
    const before = sha(live);
    const bad = join(dir, 'bad.db');
    make(bad);
    await expect(restoreDatabase(dir, bad)).rejects.toThrow(message);
    expect(sha(live)).toBe(before);
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });

  it('the backup command writes to DATA_DIR/backups and says what it wrote', async () => {
    openStorage(dir).close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/backup.ts'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out).toMatch(/^Backup written to .*\/backups\/simulator-\d{8}-\d{6}Z\.db: 0 saved scenarios, schema version \d+/);
  });
});
