/**
 * The calibration pages over HTTP: the upload's CSRF check (read from the multipart fields before
 * the file), the mapping step remembered per lender, an import with bad rows that keeps nothing,
 * the report with its backtest and downloads, and the scenario made from it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTape, SAMPLE_PARAMETERS, tapeCsv } from '../../src/core/calibration/synthetic.ts';
import { csrfToken, makeApp, type TestApp } from '../web/helpers.ts';

let t: TestApp;
beforeEach(() => { t = makeApp(); });
afterEach(async () => { await t.close(); });

const small = tapeCsv(generateTape({ ...SAMPLE_PARAMETERS, loansPerYear: 150, years: 8 }).loans);

async function token(): Promise<string> {
  return csrfToken((await t.agent.get('/calibration')).text);
}

async function upload(csv: string, lender = 'Sample Bank', name = 'loans.csv') {
  const tok = await token();
  return t.agent.post('/calibration/upload').field('_csrf', tok).field('lender', lender).attach('tape', Buffer.from(csv), name);
}

const tapeFiles = () => readdirSync(join(t.dataDir, 'tapes')).filter((f) => f !== 'incoming');

describe('calibration pages', () => {
  it('refuses an upload without a valid token, before keeping any of the file', async () => {
    await t.agent.get('/calibration');
    const res = await t.agent.post('/calibration/upload').field('_csrf', 'forged-token-forged-token').attach('tape', Buffer.from(small), 'loans.csv');
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form has expired');
    // A file sent before the token is refused too.
    const tok = await token();
    const early = await t.agent.post('/calibration/upload').attach('tape', Buffer.from(small), 'loans.csv').field('_csrf', tok);
    expect(early.status).toBe(403);
    expect(tapeFiles()).toEqual([]);
    expect(readdirSync(join(t.dataDir, 'tapes', 'incoming'))).toEqual([]);
    expect(t.web.storage.tapes.list()).toEqual([]);
  });

  it('refuses files of another type and empty files with a clear message', async () => {
    const res = await upload('hello', 'X', 'loans.pdf');
    expect(res.status).toBe(415);
    expect(res.text).toContain('is neither a .csv nor an .xlsx file');
    const empty = await upload('\n', 'X', 'loans.csv');
    expect(empty.status).toBe(422);
    expect(tapeFiles()).toEqual([]);
  });

  it('upload → mapping → report → scenario, the mapping remembered for the lender', async () => {
    const up = await upload(small);
    expect(up.status).toBe(303);
    const url = up.headers.location as string;
    const mapping = await t.agent.get(url);
    expect(mapping.status).toBe(200);
    expect(mapping.text).toContain('The file’s headers and first 5 rows');
    expect(mapping.text).toMatch(/<option value="Disbursement date" selected>/);
    const tok = csrfToken(mapping.text);
    const form: Record<string, string> = { _csrf: tok, base: 'preset:default', asOf: '2019-12-31' };
    for (const m of mapping.text.matchAll(/<select id="map-(\w+)" name="(map_\w+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const sel = /<option value="([^"]*)" selected>/.exec(m[3]!);
      if (sel) form[m[2]!] = sel[1]!.replace(/&#x27;/g, "'");
    }
    // Leave out the origination date: the mapping is refused beside it, nothing imported.
    const missing = await t.agent.post(`${url}/import`).type('form').send({ ...form, map_originationDate: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Origination date: is required');
    const imported = await t.agent.post(`${url}/import`).type('form').send(form);
    expect(imported.status).toBe(303);
    const report = await t.agent.get(url);
    expect(report.status).toBe(200);
    expect(report.text).toContain('Annual PD by stage and risk grade');
    expect(report.text).toMatch(/Observed defaults of the whole portfolio lie inside the 90 % band in/);
    expect(report.text).toContain('id="chart-vintages"');
    expect(report.text).toContain('id="chart-default-rate"');
    expect(report.text).toContain('id="chart-backtest-claims"');
    const json = await t.agent.get(`${url}/report.json`);
    expect(json.headers['content-disposition']).toMatch(/attachment/);
    const body = JSON.parse(json.text);
    expect(body.calibration.loans).toBe(1200);
    expect(body.backtest.years).toHaveLength(8);
    const csv = await t.agent.get(`${url}/report.csv`);
    expect(csv.text.split('\n')[0]).toBe('parameter,stage,grade,estimate,lower,upper,n,basis,enough data,note');
    expect(csv.text).toMatch(/^backtest defaults,portfolio,2012,/m);
    const chartCsv = await t.agent.get(`${url}/charts/vintages.csv`);
    expect(chartCsv.status).toBe(200);

    // The scenario opens in the results page, its sources citing the tape.
    const made = await t.agent.post(`${url}/scenario`).type('form').send({ _csrf: tok, name: 'From the tape', target: 'new' });
    expect(made.status).toBe(303);
    expect(made.headers.location).toMatch(/^\/scenarios\/[A-Za-z0-9_-]+\?flash=saved$/);
    const id = (made.headers.location as string).split('/')[2]!.split('?')[0]!;
    const saved = t.web.storage.scenarios.get(id)!;
    expect(saved.scenario.name).toBe('From the tape');
    expect(saved.scenario.sources[0]).toMatch(/^Loan tape “loans.csv” \(1,200 loans/);
    expect((await t.agent.get(made.headers.location as string)).status).toBe(200);
    // Updating a chosen saved scenario writes the estimates onto it.
    const again = await t.agent.post(`${url}/scenario`).type('form').send({ _csrf: tok, name: '', target: id });
    expect(again.headers.location).toBe(`/scenarios/${id}?flash=saved`);

    // The next tape of the same lender starts from the columns chosen.
    const up2 = await upload(small.replace('Disbursement date', 'Opened'));
    const mapping2 = await t.agent.get(up2.headers.location as string);
    expect(mapping2.text).toContain('The columns chosen last time for Sample Bank are filled in.');
    expect(mapping2.text).toMatch(/<option value="Principal" selected>/);

    // Deleting removes the row and the file.
    const tape = t.web.storage.tapes.get(url.split('/').pop()!)!;
    const file = t.web.storage.tapes.path(tape);
    expect(existsSync(file)).toBe(true);
    const del = await t.agent.post(`${url}/delete`).type('form').send({ _csrf: tok });
    expect(del.status).toBe(303);
    expect(existsSync(file)).toBe(false);
    expect((await t.agent.get(url)).status).toBe(404);
  }, 60_000);

  it('lists every bad row with its line and reason, and keeps nothing', async () => {
    const lines = small.split('\n');
    lines[3] = lines[3]!.replace(/,20\d\d-\d\d-\d\d,/, ',2013-13-01,');
    lines[6] = lines[6]!.replace(/^([^,]+),([^,]+),\d+,/, '$1,$2,-5,');
    const up = await upload(lines.join('\n'));
    const url = up.headers.location as string;
    const mapping = await t.agent.get(url);
    const tok = csrfToken(mapping.text);
    const form: Record<string, string> = { _csrf: tok, base: 'preset:default' };
    for (const m of mapping.text.matchAll(/<select id="map-(\w+)" name="(map_\w+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const sel = /<option value="([^"]*)" selected>/.exec(m[3]!);
      if (sel) form[m[2]!] = sel[1]!;
    }
    const res = await t.agent.post(`${url}/import`).type('form').send(form);
    expect(res.status).toBe(422);
    expect(res.text).toContain('2 of 1200 rows are bad');
    expect(res.text).toMatch(/<th scope="row">4<\/th><td>Origination date<\/td><td>Origination date: “2013-13-01” is not a date/);
    expect(res.text).toMatch(/<th scope="row">7<\/th><td>Amount<\/td><td>Amount: must be more than 0 \(found -5\)/);
    expect(t.web.storage.tapes.list()).toEqual([]);
    expect(tapeFiles()).toEqual([]);
  }, 30_000);
});
