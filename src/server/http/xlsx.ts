/** Writes a workbook model (src/core/ledger-workbook.ts) as an .xlsx file with exceljs. */
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import type { WorkbookModel } from '../../core/ledger-workbook.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function workbookBuffer(model: WorkbookModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = model.title;
  wb.creator = 'SME credit guarantee fund simulator';
  for (const sheet of model.sheets) {
    const ws = wb.addWorksheet(sheet.name, sheet.freeze ? { views: [{ state: 'frozen', xSplit: sheet.freeze.columns, ySplit: sheet.freeze.rows }] } : {});
    ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).alignment = { wrapText: true, vertical: 'bottom' };
    for (const row of sheet.rows) {
      ws.addRow(row.map((c) => ('formula' in c ? { formula: c.formula, result: c.result ?? undefined } : c.value)));
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sends a workbook as a download; a failure to write it is a 500 through express. */
export function sendWorkbook(res: Response, filename: string, model: WorkbookModel): void {
  workbookBuffer(model).then((body) => {
    res.status(200).type(XLSX_TYPE)
      .set('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .send(body);
  }, (e: unknown) => res.req.next?.(e));
}
