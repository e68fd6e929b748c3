/** The tape store: files and rows together, deletion, leftovers of a crash swept, mappings per lender. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.ts';

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

  it('a store without a data folder keeps its files in a temporary folder removed on close', () => {
    const s = openStorage(':memory:');
    const t = upload(s);
    const dir = s.tapes.dir;
    expect(existsSync(s.tapes.path(t))).toBe(true);
    s.close();
    expect(existsSync(dir)).toBe(false);
  });
});
