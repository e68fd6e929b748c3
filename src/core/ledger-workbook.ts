/**
 * The fund's ledger as a spreadsheet that keeps its arithmetic: one row per period (run-off
 * included), each flow as a value to the cent, and each period's closing capital a formula over
 * that row's flows (opening + inflows − outflows), each opening a formula on the period before,
 * and leverage a formula over the row's outstanding guarantees and closing capital — so an
 * auditor can trace every figure. Pure: builds a plain model that a writer turns into a file;
 * each formula carries the value the model computed, so a reader that does not recalculate shows
 * the same figures.
 */
import { INFLOWS, OUTFLOWS, type Projection } from './projection.ts';
import type { Scenario } from './schema.ts';
import { STAGE_LABELS } from './stages.ts';

export type WorkbookCell =
  | { readonly value: number | string | null }
  | { readonly formula: string; readonly result: number | string | null };

export interface WorksheetColumn {
  readonly header: string;
  readonly width: number;
  /** Excel number format, e.g. '#,##0.00'. */
  readonly numFmt?: string;
}

export interface WorksheetModel {
  readonly name: string;
  readonly columns: readonly WorksheetColumn[];
  /** Rows under the header row. */
  readonly rows: readonly (readonly WorkbookCell[])[];
  /** Header row and first column kept in view. */
  readonly freeze?: { readonly rows: number; readonly columns: number };
}

export interface WorkbookModel {
  readonly title: string;
  readonly sheets: readonly WorksheetModel[];
}

const LABELS: Record<(typeof INFLOWS)[number] | (typeof OUTFLOWS)[number], string> = {
  capitalInjection: 'Capital injections', capitalCalls: 'Capital calls', stateCompensation: 'State compensation', upfrontFees: 'Upfront fees',
  annualFees: 'Annual fees', investmentIncome: 'Investment income', recoveries: 'Recoveries', reinsuranceRecoveries: 'Reinsurance recoveries',
  claimsPaid: 'Claims paid', operatingCosts: 'Operating costs', reinsurancePremiums: 'Reinsurance premiums', recoveriesPassedToReinsurer: 'Recoveries passed to the reinsurer',
};

/** Column letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

const MONEY = '#,##0.00;-#,##0.00';
const cents = (x: { toFixed(d: number): string }): number => Number(x.toFixed(2));
const value = (v: number | string | null): WorkbookCell => ({ value: v });

/** The ledger workbook of a projection: a Ledger sheet with formulas, and an About sheet. */
export function ledgerWorkbook(s: Scenario, p: Projection): WorkbookModel {
  const all = [...p.periods, ...p.runoff];
  // Columns: Period, View, Year, Opening, inflows…, outflows…, Closing, Outstanding, Leverage.
  const first = 5; // column of the first inflow (E)
  const inCols = INFLOWS.map((_, i) => columnLetter(first + i));
  const outCols = OUTFLOWS.map((_, i) => columnLetter(first + INFLOWS.length + i));
  const closingCol = columnLetter(first + INFLOWS.length + OUTFLOWS.length);
  const outstandingCol = columnLetter(first + INFLOWS.length + OUTFLOWS.length + 1);
  const columns: WorksheetColumn[] = [
    { header: 'Period', width: 10 }, { header: 'View', width: 9 }, { header: 'Year', width: 6 },
    { header: `Opening capital (${s.currency})`, width: 18, numFmt: MONEY },
    ...INFLOWS.map((k) => ({ header: `+ ${LABELS[k]}`, width: 16, numFmt: MONEY })),
    ...OUTFLOWS.map((k) => ({ header: `− ${LABELS[k]}`, width: 16, numFmt: MONEY })),
    { header: `Closing capital (${s.currency}) = opening + inflows − outflows`, width: 22, numFmt: MONEY },
    { header: `Outstanding guarantees (${s.currency})`, width: 18, numFmt: MONEY },
    { header: 'Leverage = outstanding ÷ closing capital', width: 14, numFmt: '0.00' },
  ];
  const rows = all.map((r, i): WorkbookCell[] => {
    const row = i + 2; // the header is row 1
    const l = r.ledger;
    const opening = cents(l.opening);
    const previousClosing = i > 0 ? cents(all[i - 1]!.ledger.closing) : null;
    const closing = cents(l.closing);
    const outstanding = cents(r.outstandingGuaranteed);
    return [
      value(r.label), value(i < p.periods.length ? 'horizon' : 'run-off'), value(r.year),
      // An opening that is the previous closing points at it; otherwise it is the model's value.
      previousClosing !== null && previousClosing === opening ? { formula: `${closingCol}${row - 1}`, result: opening } : value(opening),
      ...INFLOWS.map((k) => value(cents(l[k]))),
      ...OUTFLOWS.map((k) => value(cents(l[k]))),
      { formula: `D${row}+${inCols.map((c) => `${c}${row}`).join('+')}-${outCols.map((c) => `${c}${row}`).join('-')}`, result: closing },
      value(outstanding),
      { formula: `IF(${closingCol}${row}>0,${outstandingCol}${row}/${closingCol}${row},"")`, result: closing > 0 ? outstanding / closing : '' },
    ];
  });
  const about: WorksheetModel = {
    name: 'About',
    columns: [{ header: 'Item', width: 28 }, { header: 'Value', width: 90 }],
    rows: [
      ['Scenario', s.name],
      ['Currency', s.currency],
      ['Horizon', `${s.horizonYears} ${s.horizonYears === 1 ? 'year' : 'years'} of lending, then the run-off of the guarantees outstanding (rows marked run-off)`],
      ['Stages', Object.values(STAGE_LABELS).join(', ')],
      ['Closing capital', `A formula in every row of the Ledger sheet: opening capital + the inflows (columns ${inCols[0]}–${inCols[inCols.length - 1]}) − the outflows (columns ${outCols[0]}–${outCols[outCols.length - 1]}).`],
      ['Opening capital', 'From the second period on, a formula: the closing capital of the row above.'],
      ['Amounts', 'Flows to the cent, as the model keeps its ledger in decimal to the cent.'],
    ].map(([k, v]) => [value(k!), value(v!)]),
  };
  return {
    title: `${s.name}: fund ledger`,
    sheets: [{ name: 'Ledger', columns, rows, freeze: { rows: 1, columns: 1 } }, about],
  };
}
