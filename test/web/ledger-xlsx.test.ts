/**
 * The ledger as a spreadsheet that keeps its arithmetic: the downloaded .xlsx opened with
 * exceljs, each closing capital a formula over its row's flows whose cached result is the
 * model's closing, and the same sum done here from the row's values.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnLetter, ledgerWorkbook } from '../../src/core/ledger-workbook.ts';
import { INFLOWS, OUTFLOWS, project } from '../../src/core/projection.ts';
import { scenarioToForm } from '../../src/server/forms/form.ts';
import { XLSX_TYPE } from '../../src/server/http/xlsx.ts';
import { csrfToken, makeApp, preset, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});
afterAll(async () => {
  await t.close();
});

/** Reads a response body as a buffer (supertest leaves binary bodies unparsed otherwise). */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function open(body: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Ledger', 'About']);
  return wb.getWorksheet('Ledger')!;
}

describe('column letters', () => {
  it('A to Z, then AA', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('the ledger as .xlsx (issue 15, smaller defects)', () => {
  it('the default preset: every closing capital a formula over its row, equal to the ledger to the cent', async () => {
    const res = await request(t.web.app).get('/presets/default/download/ledger.xlsx').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_TYPE);
    expect(res.headers['content-disposition']).toMatch(/filename="default-[^"]+-ledger\.xlsx"/);
    const ws = await open(res.body as Buffer);
    const p = project(preset());
    const all = [...p.periods, ...p.runoff];
    expect(ws.rowCount).toBe(1 + all.length);
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header[0]).toBe('Period');
    expect(header[3]).toBe('Opening capital (USD)');
    expect(header[4]).toBe('+ Capital injections');
    expect(header[16]).toBe('Closing capital (USD) = opening + inflows − outflows');
    // Row 2 is Y1: its closing in column Q is D2 plus the eight inflows (E–L) less the four outflows (M–P).
    const y1 = ws.getCell('Q2');
    expect(y1.formula).toBe('D2+E2+F2+G2+H2+I2+J2+K2+L2-M2-N2-O2-P2');
    expect(y1.result).toBeCloseTo(Number(p.periods[0]!.ledger.closing.toFixed(2)), 2);
    expect(ws.getCell('A2').value).toBe('Y1');
    expect(ws.getCell('D2').value).toBe(250_000_000);
    // From the second row on, the opening is the row above's closing.
    expect(ws.getCell('D3').formula).toBe('Q2');
    for (let i = 0; i < all.length; i++) {
      const row = i + 2;
      const l = all[i]!.ledger;
      const cell = (c: string) => {
        const v = ws.getCell(`${c}${row}`);
        return typeof v.value === 'number' ? v.value : Number(v.result);
      };
      expect(ws.getCell(`Q${row}`).formula).toBe(`D${row}+E${row}+F${row}+G${row}+H${row}+I${row}+J${row}+K${row}+L${row}-M${row}-N${row}-O${row}-P${row}`);
      expect(ws.getCell(`B${row}`).value).toBe(i < p.periods.length ? 'horizon' : 'run-off');
      // Each flow is the model's, to the cent.
      INFLOWS.forEach((k, j) => expect(cell(columnLetter(5 + j))).toBe(Number(l[k].toFixed(2))));
      OUTFLOWS.forEach((k, j) => expect(cell(columnLetter(13 + j))).toBe(Number(l[k].toFixed(2))));
      // The formula's sum done here agrees with the model's closing within the rounding of its terms.
      const sum = cell('D') + 'EFGHIJKL'.split('').reduce((a, c) => a + cell(c), 0) - 'MNOP'.split('').reduce((a, c) => a + cell(c), 0);
      expect(Math.abs(sum - Number(l.closing.toFixed(2)))).toBeLessThan(0.07);
      expect(cell('Q')).toBe(Number(l.closing.toFixed(2)));
      expect(ws.getCell(`S${row}`).formula).toBe(`IF(Q${row}>0,R${row}/Q${row},"")`);
    }
  });

  it('the model is pure: the same workbook for the same projection, with an About sheet that says how it is built', () => {
    const s = preset('korea-kodit');
    const a = ledgerWorkbook(s, project(s));
    expect(a).toEqual(ledgerWorkbook(s, project(s)));
    const about = a.sheets[1]!.rows.map((r) => r.map((c) => ('value' in c ? c.value : null)));
    expect(about).toContainEqual(['Currency', 'KRW']);
    expect(about.find((r) => r[0] === 'Closing capital')![1]).toContain('opening capital + the inflows (columns E–L) − the outflows (columns M–P)');
  });

  it('an unsaved scenario’s results offer it too, posted with the scenario', async () => {
    const page = await t.agent.get('/scenarios/new');
    const res = await t.agent.post('/simulate').type('form').send({ _csrf: csrfToken(page.text), ...scenarioToForm(preset()), name: 'Spreadsheet draft' });
    expect(res.text).toContain('Download spreadsheet (.xlsx)');
    const saved = t.web.storage.scenarios.create({ ...preset(), name: 'Saved for the spreadsheet' });
    const html = (await t.agent.get(`/scenarios/${saved.id}`)).text;
    expect(html).toContain(`href="/scenarios/${saved.id}/download/ledger.xlsx" download>Download spreadsheet (.xlsx)</a>`);
    const form = await t.agent.get(`/scenarios/${saved.id}`);
    const posted = await t.agent.post('/export').type('form').send({ _csrf: csrfToken(form.text), scenarioJson: JSON.stringify(preset()), what: 'ledger.xlsx' }).buffer(true).parse(binary);
    expect(posted.status).toBe(200);
    const ws = await open(posted.body as Buffer);
    expect(ws.getCell('Q2').formula).toBe('D2+E2+F2+G2+H2+I2+J2+K2+L2-M2-N2-O2-P2');
  });
});
