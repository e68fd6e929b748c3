import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { MIGRATIONS, migrate, openDatabase, openStorage, StoredScenarioError, type Storage } from '../../src/storage/index.ts';
import { preset, smallScenario, tempDir } from './helpers.ts';

let dir: string;
let storage: Storage;

beforeEach(() => {
  dir = tempDir('cgf-storage-');
  storage = openStorage(dir);
});
afterEach(() => {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('creates DATA_DIR and the database, and records every migration once', () => {
    const fresh = join(dir, 'nested', 'data');
    const db = openDatabase(fresh);
    expect(existsSync(join(fresh, 'simulator.db'))).toBe(true);
    const rows = db.prepare('SELECT version, name FROM migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(migrate(db)).toEqual([]);
    db.close();
    // Reopening applies nothing new and keeps the data.
    const again = openDatabase(fresh);
    expect(again.prepare('SELECT COUNT(*) FROM migrations').pluck().get()).toBe(MIGRATIONS.length);
    again.close();
  });

  it('applies only the migrations not yet recorded', () => {
    const db = new Database(':memory:');
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
    expect(migrate(db)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    db.close();
  });

  it('rolls a failing migration back completely', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: 99, name: 'broken', up: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' }];
    expect(() => migrate(db, broken)).toThrow(/nowhere/);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT MAX(version) FROM migrations').pluck().get()).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    storage.db.prepare("INSERT INTO migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    expect(() => migrate(storage.db)).toThrow(/newer than this program knows/);
  });
});

describe('saved scenarios', () => {
  it('creates, reads, lists, updates, renames, duplicates and deletes', () => {
    const s = preset('japan-cgc');
    const saved = storage.scenarios.create(s);
    expect(saved.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(storage.scenarios.get(saved.id)!.scenario).toEqual(s);
    expect(storage.scenarios.list().map((x) => [x.id, x.name, x.problem])).toEqual([[saved.id, s.name, null]]);

    const updated = storage.scenarios.update(saved.id, { ...s, horizonYears: 5 })!;
    expect(updated.scenario.horizonYears).toBe(5);
    expect(storage.scenarios.get(saved.id)!.scenario.horizonYears).toBe(5);

    storage.scenarios.rename(saved.id, '  Renamed fund  ');
    const renamed = storage.scenarios.get(saved.id)!;
    expect(renamed.name).toBe('Renamed fund');
    expect(renamed.scenario.name).toBe('Renamed fund');

    const copy = storage.scenarios.duplicate(saved.id)!;
    expect(copy.id).not.toBe(saved.id);
    expect(copy.scenario.name).toBe('Copy of Renamed fund');
    expect(storage.scenarios.list()).toHaveLength(2);

    expect(storage.scenarios.delete(saved.id)).toBe(true);
    expect(storage.scenarios.delete(saved.id)).toBe(false);
    expect(storage.scenarios.get(saved.id)).toBeNull();
    expect(storage.scenarios.update('nope-nope', s)).toBeNull();
  });

  it('keeps deleted scenarios in a trash for 30 days: listed there, restorable, then removed for good', () => {
    const s = smallScenario();
    const a = storage.scenarios.create({ ...s, name: 'Trash A' });
    const b = storage.scenarios.create({ ...s, name: 'Trash B' });
    const day = 86_400_000;
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    expect(storage.scenarios.delete(a.id, t0)).toBe(true);
    expect(storage.scenarios.delete(b.id, new Date(t0.getTime() + 10 * day))).toBe(true);
    expect(storage.scenarios.list().map((x) => x.id)).not.toContain(a.id);
    expect(storage.scenarios.trashedName(a.id)).toBe('Trash A');
    const trash = storage.scenarios.trash(new Date(t0.getTime() + 20 * day)).filter((x) => x.name.startsWith('Trash '));
    expect(trash.map((x) => x.name)).toEqual(['Trash B', 'Trash A']);
    expect(trash[1]!.purgeAt).toBe('2030-01-31T00:00:00.000Z');
    // A's 30 days are over on 31 January; B's run to 10 February.
    expect(storage.scenarios.trash(new Date(t0.getTime() + 30 * day + 1)).filter((x) => x.name.startsWith('Trash ')).map((x) => x.name)).toEqual(['Trash B']);
    expect(storage.scenarios.restore(a.id)).toBe(false);
    expect(storage.scenarios.restore(b.id)).toBe(true);
    expect(storage.scenarios.get(b.id)!.scenario.name).toBe('Trash B');
    expect(storage.scenarios.restore(b.id)).toBe(false);
  });

  it('uses parameters, not string building: a name full of SQL is just a name', () => {
    const name = `x'); DROP TABLE scenarios; --`;
    const saved = storage.scenarios.create({ ...preset(), name });
    expect(storage.scenarios.get(saved.id)!.name).toBe(name);
    expect(storage.db.prepare('SELECT COUNT(*) FROM scenarios').pluck().get()).toBe(1);
  });

  it('writes in transactions: a failure inside leaves nothing behind', () => {
    const s = preset();
    const tx = storage.db.transaction(() => {
      storage.scenarios.create(s);
      storage.scenarios.create(s);
      throw new Error('abort');
    });
    expect(() => tx()).toThrow('abort');
    expect(storage.scenarios.list()).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1, "name": ', 1, /\(json\): is not valid JSON/],
    ['not an object', '[1, 2]', 1, /is not a JSON object/],
    ['an invalid scenario', JSON.stringify({ ...preset(), horizonYears: 99 }), 1, /horizonYears: must be at most 30 years/],
    ['a future schema version', JSON.stringify(preset()), 7, /schemaVersion: version 7 is not one this program can read/],
  ])('a row holding %s gives a clear error, and the list still works', (_what, json, version, message) => {
    storage.db.prepare(`INSERT INTO scenarios (id, name, schema_version, json, created_at, updated_at) VALUES ('badrow1', 'Broken', ?, ?, 'x', 'x')`).run(version, json);
    const get = () => storage.scenarios.get('badrow1');
    expect(get).toThrow(StoredScenarioError);
    expect(get).toThrow(message);
    const listed = storage.scenarios.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]!.problem).toMatch(message);
    expect(() => storage.scenarios.rename('badrow1', 'x')).toThrow(StoredScenarioError);
    expect(() => storage.scenarios.duplicate('badrow1')).toThrow(StoredScenarioError);
    expect(storage.scenarios.delete('badrow1')).toBe(true);
  });
});

describe('runs', () => {
  it('stores a run, its outcome and its result without the per-path rows', () => {
    const s = smallScenario();
    const saved = storage.scenarios.create(s);
    const run = storage.runs.create({ scenario: s, scenarioId: saved.id, paths: 50, seed: 3 });
    expect(run).toMatchObject({ status: 'queued', scenarioId: saved.id, paths: 50, seed: 3, scenarioName: s.name });
    storage.runs.markRunning(run.id);
    expect(storage.runs.get(run.id)!.status).toBe('running');
    const result = runMonteCarlo(s, { paths: 50, seed: 3 });
    storage.runs.finish(run.id, { status: 'done', result });
    const stored = storage.runs.result(run.id)!;
    expect(stored.pathSummaries).toEqual([]);
    expect(stored.capital).toEqual(JSON.parse(JSON.stringify(result.capital)));
    expect(stored.probabilityOfDepletion).toEqual(result.probabilityOfDepletion);
    expect(storage.runs.scenario(run.id)).toEqual(s);
    expect(storage.runs.get(run.id)!.finishedAt).not.toBeNull();
  });

  it('keeps a run when its scenario is deleted, and ignores an unknown scenario id', () => {
    const s = smallScenario();
    const saved = storage.scenarios.create(s);
    const run = storage.runs.create({ scenario: s, scenarioId: saved.id, paths: 10, seed: 1 });
    storage.scenarios.delete(saved.id);
    // In the trash the link is kept, so a restored scenario gets its runs back; removed for good, it goes.
    expect(storage.runs.get(run.id)!.scenarioId).toBe(saved.id);
    storage.scenarios.purge(new Date(Date.now() + 31 * 86_400_000));
    expect(storage.runs.get(run.id)!.scenarioId).toBeNull();
    expect(storage.runs.create({ scenario: s, scenarioId: 'missing-id', paths: 10, seed: 1 }).scenarioId).toBeNull();
  });

  it('marks runs a stopped server left unfinished as failed', () => {
    const s = smallScenario();
    const a = storage.runs.create({ scenario: s, scenarioId: null, paths: 10, seed: 1 });
    const b = storage.runs.create({ scenario: s, scenarioId: null, paths: 10, seed: 1 });
    storage.runs.markRunning(b.id);
    expect(storage.runs.failInterrupted()).toBe(2);
    expect(storage.runs.get(a.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
  });

  it('keeps settings such as the CSRF secret across openings', () => {
    const first = storage.settings.getOrCreate('k', () => 'one');
    expect(storage.settings.getOrCreate('k', () => 'two')).toBe(first);
  });
});
