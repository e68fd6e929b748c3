/** The tape store: files and rows together, deletion, leftovers of a crash swept, mappings per lender. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openDatabase, openStorage, type Storage, withViewer } from '../../src/storage/index.ts';

const dirs: string[] = [];
const stores: Storage[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function open(dir?: string): Storage {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'cgf-tape-store-'));
  if (!dir) dirs.push(d);
  const s = openStorage(d);
  stores.push(s);
  return s;
}

function upload(s: Storage, text = 'a,b\n1,2\n') {
  const incomingPath = s.tapes.incomingPath();
  writeFileSync(incomingPath, text);
  return s.tapes.add({ incomingPath, name: 'loans.csv', lender: 'Sample Bank', format: 'csv', sizeBytes: text.length });
}

describe('tape store', () => {
  it('keeps a tape as a file and a row, and deletes both', () => {
    const s = open();
    const t = upload(s);
    expect(t.status).toBe('pending');
    expect(existsSync(s.tapes.path(t))).toBe(true);
    expect(readdirSync(join(s.tapes.dir, 'incoming'))).toEqual([]);
    s.tapes.markImported(t.id, { rows: 1, mapping: { amount: 'a' }, asOf: '2020-12-31', baseRef: 'preset:default', report: { x: 1 } });
    expect(s.tapes.get(t.id)).toMatchObject({ status: 'imported', rows: 1, mapping: { amount: 'a' }, asOf: '2020-12-31' });
    expect(s.tapes.report(t.id)).toEqual({ x: 1 });
    expect(s.tapes.list().map((x) => x.id)).toEqual([t.id]);
    expect(s.tapes.delete(t.id)).toBe(true);
    expect(s.tapes.get(t.id)).toBeNull();
    expect(existsSync(s.tapes.path(t))).toBe(false);
    expect(s.tapes.delete(t.id)).toBe(false);
  });

  it('sweeps incoming files and files without a row when it opens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgf-tape-store-'));
    dirs.push(dir);
    const s = open(dir);
    const kept = upload(s);
    writeFileSync(s.tapes.incomingPath(), 'half an upload');
    writeFileSync(join(s.tapes.dir, 'orphan123.csv'), 'x');
    s.close();
    const again = open(dir);
    expect(readdirSync(join(again.tapes.dir, 'incoming'))).toEqual([]);
    expect(readdirSync(again.tapes.dir).sort()).toEqual([`${kept.id}.csv`, 'incoming'].sort());
  });

  it('remembers the mapping per lender, whatever the case and spacing of its name', () => {
    const s = open();
    expect(s.tapes.mappingFor('Sample Bank')).toBeNull();
    s.tapes.rememberMapping('Sample  Bank ', { amount: 'Principal' });
    expect(s.tapes.mappingFor('sample bank')).toEqual({ amount: 'Principal' });
    s.tapes.rememberMapping('SAMPLE BANK', { amount: 'Loan amount' });
    expect(s.tapes.mappingFor('Sample Bank')).toEqual({ amount: 'Loan amount' });
    expect(s.tapes.mappingFor('Other Bank')).toBeNull();
  });

  it('remembers each user’s own mapping, falling back to one remembered for everyone; reads back only a valid mapping', () => {
    const s = open();
    const ana = { id: 'user-ana', role: 'analyst' as const };
    const ben = { id: 'user-ben', role: 'analyst' as const };
    // Outside a request (the command line, or before mappings were per user): for everyone.
    s.tapes.rememberMapping('Sample Bank', { amount: 'Principal' });
    withViewer(ana, () => s.tapes.rememberMapping('Sample Bank', { amount: 'Ana’s amount' }));
    expect(withViewer(ana, () => s.tapes.mappingFor('sample bank'))).toEqual({ amount: 'Ana’s amount' });
    expect(withViewer(ben, () => s.tapes.mappingFor('sample bank'))).toEqual({ amount: 'Principal' });
    withViewer(ben, () => s.tapes.rememberMapping('Sample Bank', { amount: 'Ben’s amount' }));
    expect(withViewer(ben, () => s.tapes.mappingFor('Sample Bank'))).toEqual({ amount: 'Ben’s amount' });
    expect(withViewer(ana, () => s.tapes.mappingFor('Sample Bank'))).toEqual({ amount: 'Ana’s amount' });
    expect(s.tapes.mappingFor('Sample Bank')).toEqual({ amount: 'Principal' });
    // A row changed by hand into something that is not a mapping is not offered.
    s.db.prepare("UPDATE tape_mappings SET mapping_json = ? WHERE owner_id = 'user-ana'").run(JSON.stringify({ amount: 7, notAField: 'x' }));
    expect(withViewer(ana, () => s.tapes.mappingFor('Sample Bank'))).toBeNull();
    s.db.prepare("UPDATE tape_mappings SET mapping_json = '{broken' WHERE owner_id = 'user-ben'").run();
    expect(withViewer(ben, () => s.tapes.mappingFor('Sample Bank'))).toBeNull();
  });

  it('keeps the mappings remembered before they were per user, for everyone (migration 15)', () => {
    const db = openDatabase(':memory:');
    db.exec('DROP TABLE tape_mappings');
    db.prepare('DELETE FROM migrations WHERE version >= 15').run();
    db.exec('CREATE TABLE tape_mappings (lender TEXT PRIMARY KEY, mapping_json TEXT NOT NULL, updated_at TEXT NOT NULL)');
    db.prepare('INSERT INTO tape_mappings VALUES (?, ?, ?)').run('sample bank', JSON.stringify({ amount: 'Principal' }), '2026-01-01T00:00:00.000Z');
    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 15).map((m) => m.version));
    expect(db.prepare('SELECT owner_id, lender, mapping_json FROM tape_mappings').all()).toEqual([{ owner_id: '', lender: 'sample bank', mapping_json: '{"amount":"Principal"}' }]);
    db.close();
  });

  it('a store without a data folder keeps its files in a temporary folder removed on close', () => {
    const s = openStorage(':memory:');
    const t = upload(s);
    const dir = s.tapes.dir;
    expect(existsSync(s.tapes.path(t))).toBe(true);
    s.close();
    expect(existsSync(dir)).toBe(false);
  });
});
