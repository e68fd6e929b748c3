/**
 * Reads a loan tape, CSV or XLSX, as a stream: the headers and a preview for the mapping step,
 * then every row checked (calibration/rows.ts) into a LoanTable. Every bad row is reported with
 * its line number and reason; a tape with any bad row gives no table (nothing is imported
 * half-way). XLSX: the first worksheet, headers in its first row.
 */
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { createReadStream, statSync } from 'node:fs';
import { FIELD_INFO, LIMITS, type ColumnMapping, type LoanField } from '../core/calibration/fields.ts';
import { LoanTable, parseLoan, type Cell } from '../core/calibration/rows.ts';

export type TapeFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): TapeFormat | null {
  const n = fileName.toLowerCase();
  if (n.endsWith('.csv') || n.endsWith('.txt')) return 'csv';
  if (n.endsWith('.xlsx')) return 'xlsx';
  return null;
}

export class TapeError extends Error {}

/** Rows of a file with their line numbers (1 = the header line). */
async function* rowsOf(path: string, format: TapeFormat): AsyncGenerator<{ line: number; cells: Cell[] }> {
  const size = statSync(path).size;
  if (size > LIMITS.maxBytes) throw new TapeError(`The file is ${(size / 1e6).toFixed(0)} MB: at most ${LIMITS.maxBytes / 1024 / 1024} MB is accepted.`);
  if (format === 'csv') {
    const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: true, trim: true }));
    try {
      for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { line: r.info.lines, cells: r.record };
    } catch (e) {
      throw new TapeError(`The file cannot be read as CSV: ${(e as Error).message}`);
    }
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) {
          let v = values[i];
          if (v && typeof v === 'object' && !(v instanceof Date)) {
            const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
            v = o.result ?? o.text ?? (o.richText ? o.richText.map((r) => r.text).join('') : null);
          }
          cells.push(v === undefined ? null : (v as Cell));
        }
        yield { line: row.number, cells };
      }
      return; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof TapeError) throw e;
    throw new TapeError(`The file cannot be read as XLSX: ${(e as Error).message}`);
  }
}

export interface TapePreview {
  readonly headers: string[];
  readonly rows: string[][];
}

/** The headers and the first rows, for the mapping step. */
export async function previewTape(path: string, format: TapeFormat, rows = 5): Promise<TapePreview> {
  let headers: string[] | null = null;
  const preview: string[][] = [];
  for await (const r of rowsOf(path, format)) {
    const cells = r.cells.map((c) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c)));
    if (!headers) headers = cells;
    else preview.push(cells);
    if (preview.length >= rows) break;
  }
  if (!headers || headers.every((h) => h === '')) throw new TapeError('The file is empty: its first line should hold the column headers.');
  if (headers.length > LIMITS.maxColumns) throw new TapeError(`The file has ${headers.length} columns: at most ${LIMITS.maxColumns} are accepted.`);
  const dup = headers.find((h, i) => h !== '' && headers!.indexOf(h) !== i);
  if (dup !== undefined) throw new TapeError(`The header “${dup}” appears twice: every column needs its own header.`);
  return { headers, rows: preview };
}

export interface RowError {
  readonly line: number;
  readonly field: LoanField | null;
  readonly message: string;
}

export interface ImportResult {
  /** Null when any row is bad: nothing is imported. */
  readonly table: LoanTable | null;
  readonly rows: number;
  /** Every bad row's problems, up to LIMITS.maxReportedErrors. */
  readonly errors: readonly RowError[];
  readonly errorCount: number;
  readonly badRows: number;
}

/** Reads and checks every row under the mapping; `asOf` (a day number) bounds every date when given. */
export async function importTape(path: string, format: TapeFormat, mapping: ColumnMapping, asOf: number | null): Promise<ImportResult> {
  let headers: string[] | null = null;
  let index: Partial<Record<LoanField, number>> = {};
  const table = new LoanTable(4096);
  const errors: RowError[] = [];
  let errorCount = 0;
  let badRows = 0;
  let rows = 0;
  const report = (e: RowError) => {
    errorCount++;
    if (errors.length < LIMITS.maxReportedErrors) errors.push(e);
  };
  for await (const r of rowsOf(path, format)) {
    if (!headers) {
      headers = r.cells.map((c) => (c === null || c === undefined ? '' : String(c)));
      index = {};
      for (const info of FIELD_INFO) {
        const h = mapping[info.field];
        if (h === undefined) continue;
        const k = headers.indexOf(h);
        if (k < 0) throw new TapeError(`The file has no column “${h}” (mapped to ${info.label}).`);
        index[info.field] = k;
      }
      continue;
    }
    if (r.cells.every((c) => c === null || c === undefined || c === '')) continue;
    rows++;
    if (rows > LIMITS.maxRows) throw new TapeError(`The file has more than ${LIMITS.maxRows.toLocaleString('en')} loans: split it, or keep the vintages you need.`);
    if (r.cells.length > headers.length) {
      badRows++;
      report({ line: r.line, field: null, message: `the line has ${r.cells.length} cells but there are ${headers.length} headers` });
      continue;
    }
    const cells = r.cells;
    const parsed = parseLoan(r.line, (f) => { const k = index[f]; return k === undefined ? undefined : cells[k]; }, { asOf });
    if ('errors' in parsed) {
      badRows++;
      for (const e of parsed.errors) report({ line: r.line, field: e.field, message: e.message });
      continue;
    }
    const dup = table.push(parsed.loan);
    if (dup) {
      badRows++;
      report({ line: r.line, field: 'loanId', message: dup });
    }
  }
  if (!headers) throw new TapeError('The file is empty: its first line should hold the column headers.');
  if (rows === 0) throw new TapeError('The file has headers but no loans.');
  table.doneLoading();
  return { table: badRows > 0 ? null : table, rows, errors, errorCount, badRows };
}

/** The bad rows as CSV: line, field, message. */
export function errorsCsv(errors: readonly RowError[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `line,field,message\n${errors.map((e) => `${e.line},${e.field ?? ''},${q(e.message)}`).join('\n')}\n`;
}
