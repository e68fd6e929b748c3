/**
 * Reading tapes: the shipped sample through the CLI's path, a CSV with bad rows (every one
 * reported with its line and reason, nothing imported), and the same loans from an XLSX file.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calibrate } from '../../src/core/calibration/estimate.ts';
import { guessMapping, mappingProblems } from '../../src/core/calibration/fields.ts';
import { calibratedScenario } from '../../src/core/calibration/scenario.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { importTape, previewTape } from '../../src/storage/loan-tape-reader.ts';

const SAMPLE = new URL('../../samples/loan-tape-sample.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cgf-tape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loan tape files', () => {
  it('the shipped sample maps by its headers and becomes a valid scenario with every estimate sourced', async () => {
    const preview = await previewTape(SAMPLE, 'csv');
    const mapping = guessMapping(preview.headers);
    expect(mappingProblems(mapping, preview.headers)).toEqual([]);
    expect(Object.keys(mapping)).toHaveLength(18);
    const r = await importTape(SAMPLE, 'csv', mapping, null);
    expect(r.errors).toEqual([]);
    expect(r.table!.length).toBe(12_000);
    const cal = calibrate(r.table!, { fitCorrelation: false, assetCorrelation: 0.1 });
    const built = calibratedScenario(loadPreset('default'), cal, { tapeName: 'loan-tape-sample.csv' });
    expect(built.flagged).toEqual(expect.arrayContaining([expect.stringMatching(/^stages\.founding\.assetCorrelation: /)]));
    expect(built.scenario.sources[0]).toMatch(/^Loan tape “loan-tape-sample\.csv” \(12,000 loans, 2012–2023, data to 2023-12-31\): stages\.founding\.loanSize = /);
    expect(built.scenario.sources.join(' ')).toMatch(/stages\.growth\.riskGrades\.0 = grade A: share [\d.]+ %, PD [\d.]+ % \(95 % CI [\d.]+ %–[\d.]+ %; [\d,]+ loan-years at risk\), \d+ defaults/);
    expect(built.scenario.sources.every((s) => s.length <= 500)).toBe(true);
  });

  it('reports every bad row with its line and reason, and imports nothing', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 11);
    lines[3] = lines[3]!.replace(/,2012-01-0\d,/, ',2012-13-01,');
    lines[6] = lines[6]!.replace(/^([^,]*,[^,]*,)\d+,/, '$1-100,');
    lines[8] = lines[1]!; // a duplicate loan id
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await importTape(file, 'csv', guessMapping((await previewTape(file, 'csv')).headers), null);
    expect(r.table).toBeNull();
    expect(r.badRows).toBe(3);
    expect(r.errors.map((e) => [e.line, e.field, e.message])).toEqual([
      [4, 'originationDate', 'Origination date: “2012-13-01” is not a date (write YYYY-MM-DD or DD/MM/YYYY)'],
      [7, 'amount', 'Amount: must be more than 0 (found -100)'],
      [9, 'loanId', 'Loan id: “L0000001” appears on an earlier line; every loan must have its own id'],
    ]);
  });

  it('reads the same loans from an XLSX workbook, dates as spreadsheet dates', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n').slice(0, 301);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Loans');
    lines.forEach((l, i) => ws.addRow(l.split(',').map((c, k) => (i > 0 && /^\d{4}-\d\d-\d\d$/.test(c) ? new Date(`${c}T00:00:00Z`) : i > 0 && k > 1 && /^[\d.]+$/.test(c) ? Number(c) : c === '' ? null : c))));
    const xlsx = join(dir, 'tape.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const csv = join(dir, 'tape.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const fromX = await importTape(xlsx, 'xlsx', guessMapping((await previewTape(xlsx, 'xlsx')).headers), null);
    const fromC = await importTape(csv, 'csv', guessMapping((await previewTape(csv, 'csv')).headers), null);
    expect(fromX.errors).toEqual([]);
    expect(fromX.table!.length).toBe(300);
    expect(Array.from(fromX.table!.origination.slice(0, 300))).toEqual(Array.from(fromC.table!.origination.slice(0, 300)));
    expect(Array.from(fromX.table!.defaultDate.slice(0, 300))).toEqual(Array.from(fromC.table!.defaultDate.slice(0, 300)));
    expect(Array.from(fromX.table!.amount.slice(0, 300))).toEqual(Array.from(fromC.table!.amount.slice(0, 300)));
  });
});
