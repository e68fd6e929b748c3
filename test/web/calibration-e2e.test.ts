/**
 * Calibration in headless Chromium: the shipped sample tape uploaded, its columns chosen,
 * imported into a report with charts and a backtest, and saved as a scenario that opens in the
 * results page; then a tape with bad rows, whose every bad row is listed and nothing kept.
 * Screenshots of each page at 1280 and 390 px go to screenshots/ (not committed). Fails on any
 * page or console error; waits for elements and navigations, never for a length of time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible as checkAccessible, watchProblems } from './e2e-support.ts';

const SAMPLE = join(process.cwd(), 'samples', 'loan-tape-sample.csv');
const SHOTS = join(process.cwd(), 'screenshots');
let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let work: string;
let problems: string[] = [];
/** The status the browser logs for a page answered as expected with an error status (the bad rows' 422). */
let allowedConsole: RegExp | null = null;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'cgf-cal-e2e-'));
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = watchProblems(page, () => allowedConsole);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Both widths of the page as it stands; `reload` for pages with charts (they are drawn for the width). */
async function shoot(name: string, reload: boolean): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    if (reload) {
      await page.reload();
      if (await page.locator('#chart-data').count()) await page.waitForSelector('html[data-charts-ready]');
    }
    await page.screenshot({ path: join(SHOTS, `calibration-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const expectAccessible = (label: string) => checkAccessible(page, label);

describe('calibration journey', () => {
  it('sample tape → columns → report with backtest → saved scenario in the results page', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/`);
    await page.click('nav >> text=Calibrate');
    await page.waitForSelector('h1:has-text("Calibrate from a loan tape")');
    await expectAccessible('upload page');
    await shoot('upload', true);
    await page.fill('#lender', 'Sample Bank');
    await page.setInputFiles('#tape', SAMPLE);
    await page.click('button:has-text("Upload and choose columns")');
    await page.waitForSelector('h1:has-text("Choose the columns of loan-tape-sample.csv")');
    // The headers were recognised; the preview shows the first loan.
    await expect(page.inputValue('#map-originationDate')).resolves.toBe('Disbursement date');
    await expect(page.inputValue('#map-grade')).resolves.toBe('Rating');
    await expect(page.textContent('.preview-table tbody tr:first-child')).resolves.toContain('L0000001');
    await expectAccessible('mapping page');
    await shoot('mapping', true);
    await page.fill('#asOf', '2023-12-31');
    await page.click('button:has-text("Import and calibrate")');
    await page.waitForSelector('h1:has-text("loan-tape-sample.csv")');
    await page.waitForSelector('#backtest-verdicts');
    await page.waitForSelector('html[data-charts-ready="5"]');
    const verdicts = (await page.textContent('#backtest-verdicts'))!;
    expect(verdicts).toMatch(/Observed defaults of the whole portfolio lie inside the 90 % band in \d+ of 12 years/);
    const pdTable = (await page.textContent('main'))!;
    expect(pdTable).toContain('Annual PD by stage and risk grade');
    expect(await page.locator('canvas[data-chart="vintages"]').count()).toBe(1);
    expect(await page.locator('canvas[data-chart="default-rate"]').count()).toBe(1);
    await expectAccessible('report page');
    await shoot('report', true);
    // Downloads.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download CSV") >> nth=0')]);
    expect(readFileSync((await csv.path())!, 'utf8').split('\n')[0]).toBe('parameter,stage,grade,estimate,lower,upper,n,basis,enough data,note');
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download JSON")')]);
    expect(JSON.parse(readFileSync((await json.path())!, 'utf8')).calibration.loans).toBe(12000);
    // The scenario.
    await page.fill('#scenario-name', 'Sample Bank, calibrated');
    await page.click('button:has-text("Save and open the results")');
    await page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+\?flash=saved$/);
    await page.waitForSelector('h1:has-text("Sample Bank, calibrated")');
    expect(problems).toEqual([]);
  }, 120_000);

  it('a tape with bad rows: every bad row listed with its line and reason, nothing kept', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 301);
    lines[4] = lines[4]!.replace(/,20\d\d-\d\d-\d\d,/, ',2012-02-30,');
    lines[9] = lines[9]!.replace(/^([^,]+),([^,]+),\d+,/, '$1,$2,lots,');
    lines[20] = lines[20]!.replace(/,(founding|growth|maturity|transformation),/, ',teenage,');
    const file = join(work, 'bad-rows.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.goto(`${app.url}/calibration`);
    await page.fill('#lender', 'Sample Bank');
    await page.setInputFiles('#tape', file);
    await page.click('button:has-text("Upload and choose columns")');
    await page.waitForSelector('#mapping-form');
    // The columns chosen for the lender before are filled in.
    await page.waitForSelector('text=The columns chosen last time for Sample Bank are filled in.');
    allowedConsole = /status of 422/;
    await page.click('button:has-text("Import and calibrate")');
    await page.waitForSelector('h1:has-text("Nothing imported from bad-rows.csv")');
    allowedConsole = null;
    const rows = await page.locator('#row-errors tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent!.trim())));
    expect(rows).toEqual([
      ['5', 'Origination date', 'Origination date: “2012-02-30” is not a date (write YYYY-MM-DD or DD/MM/YYYY)'],
      ['10', 'Amount', 'Amount: “lots” is not a number'],
      ['21', 'Lifecycle stage', 'Lifecycle stage: “teenage” is not one of founding, growth, maturity, transformation'],
    ]);
    await expect(page.textContent('#import-errors')).resolves.toContain('3 of 300 rows are bad');
    await expectAccessible('errors page');
    await shoot('errors', false);
    // Only the sample tape of the first test is kept.
    expect(app.web.storage.tapes.list().map((t) => t.name)).toEqual(['loan-tape-sample.csv']);
    expect(problems).toEqual([]);
  }, 60_000);
});
