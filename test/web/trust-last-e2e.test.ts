/**
 * The last of issue 15 in headless Chromium: the budget form's target fields switched off while
 * not in force. Fails on any page or console error. Waits for elements and navigations, never
 * for a length of time. Screenshots of the changed pages go to screenshots/ at 1280 and 390 px.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/presets/index.ts';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible as checkAccessible, watchProblems } from './e2e-support.ts';

let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let problems: string[] = [];
/** The browser reports a page answered with an error status (a form sent back with its errors, 422) on the console: expected where a test says so. */
let allowedConsole: RegExp | null = null;
const SHOTS = join(process.cwd(), 'screenshots');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startApp({ inlinePaths: 2000 });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = watchProblems(page, () => allowedConsole);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const expectAccessible = (label: string) => checkAccessible(page, label);

/** Screenshots of one element at both widths. */
async function shoot(name: string, selector: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.locator(selector).first().screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('budget comparison: target fields not in force (issue 15, item 4)', () => {
  it('disabled while a stage is the target, filled from that stage when switched on, and a switch back sends nothing typed', async () => {
    await page.goto(`${app.url}/policy/budget`);
    await page.waitForSelector('#b-target-explicit[disabled]');
    await expect(page.isDisabled('#b-target-firmsPerYear')).resolves.toBe(true);
    await expect(page.textContent('#b-target-explicit-status')).resolves.toMatch(/^Not in force: the target is a stage of the base scenario — Founding stage of “Startup-focused local fund”: 500 firms a year/);
    await shoot('issue15-budget-target-stage', '#group-target');
    await expectAccessible('budget form, stage target');

    await page.selectOption('#b-target-kind', 'explicit');
    await page.waitForSelector('#b-target-explicit:not([disabled])');
    await expect(page.inputValue('#b-target-firmsPerYear')).resolves.toBe('500');
    await expect(page.inputValue('#b-target-loanSize')).resolves.toBe('30,000');
    await expect(page.inputValue('#b-target-tenorYears')).resolves.toBe('4');
    await expect(page.inputValue('#b-target-lossGivenDefault')).resolves.toBe('80');
    await expect(page.textContent('#b-target-explicit-status')).resolves.toBe('In force: these numbers are the target firms.');
    await shoot('issue15-budget-target-explicit', '#group-target');

    // Typed, then the stage chosen again: the fields go off and what was typed is not sent.
    await page.fill('#b-target-firmsPerYear', '2000');
    await page.fill('#b-target-annualPd', 'lots');
    await page.selectOption('#b-target-kind', 'stage');
    await page.waitForSelector('#b-target-explicit[disabled]');
    await page.uncheck('#b-_monteCarlo');
    await Promise.all([page.waitForURL(/\/policy\/jobs\/[A-Za-z0-9_-]+$/), page.click('button:has-text("Compare")')]);
    const body = (await page.textContent('main'))!.replace(/\s+/g, ' ');
    expect(body).toContain('founding-stage firms of the base scenario');
    expect(body).not.toContain('2,000 a year');

    // Described firms in force: the numbers typed are the target.
    await page.goto(`${app.url}/policy/budget`);
    await page.selectOption('#b-target-kind', 'explicit');
    await page.waitForSelector('#b-target-explicit:not([disabled])');
    await page.fill('#b-target-firmsPerYear', '200');
    await page.uncheck('#b-_monteCarlo');
    await Promise.all([page.waitForURL(/\/policy\/jobs\/[A-Za-z0-9_-]+$/), page.click('button:has-text("Compare")')]);
    expect((await page.textContent('main'))!.replace(/\s+/g, ' ')).toMatch(/founding-stage firms \(described in the comparison\): 200 a year, growing 3 % a year, loans of €30,000 over 4 years, PD 9 %, LGD 80 %/);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('the handout’s charts (issue 15, smaller defects)', () => {
  it('“Lending by stage” labels every stage on screen at both widths and in print', async () => {
    const ticks = () => page.evaluate(`(() => {
      const c = Chart.getChart(document.querySelector('canvas[data-chart="summary-lending"]'));
      c.resize();
      return { labels: c.data.labels, ticks: c.scales.x.ticks.map((t) => c.scales.x.getLabelForValue(t.value)) };
    })()`) as Promise<{ labels: string[]; ticks: string[] }>;
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${app.url}/presets/default/summary`);
      await page.waitForSelector('html[data-charts-ready]');
      await expect(ticks()).resolves.toEqual({ labels: ['Founding', 'Growth', 'Maturity', 'Transformation'], ticks: ['Founding', 'Growth', 'Maturity', 'Transformation'] });
      await page.locator('.sheet-charts').screenshot({ path: join(SHOTS, `issue15-handout-charts-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'print' });
    // The printed chart box: half an A4 page's width, as the handout prints it.
    await page.setViewportSize({ width: 794, height: 1123 });
    await expect(ticks()).resolves.toEqual({ labels: ['Founding', 'Growth', 'Maturity', 'Transformation'], ticks: ['Founding', 'Growth', 'Maturity', 'Transformation'] });
    await page.locator('.sheet-charts').screenshot({ path: join(SHOTS, 'issue15-handout-charts-print.png') });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('the editor on a phone (issue 15, smaller defects)', () => {
  it('at 390 px the stage table’s row labels stay in view while the stages scroll, and the button bar is one slim row', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/scenarios/new`);
    const region = page.locator('#group-stages .table-scroll');
    await region.waitFor();
    await region.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
    const box = async (sel: string) => (await page.locator(sel).first().boundingBox())!;
    const scroller = await box('#group-stages .table-scroll');
    const label = await box('#group-stages .stage-table tbody tr th');
    expect(await region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
    // The label is pinned to the left edge of the scrolling region, not scrolled out of it.
    expect(Math.abs(label.x - scroller.x)).toBeLessThan(2);
    expect(label.width).toBeLessThan(150);
    // The last stage's column is visible beside it.
    const lastCell = await box('#group-stages .stage-table tbody tr td:last-child');
    expect(lastCell.x).toBeGreaterThanOrEqual(label.x + label.width - 1);
    expect(lastCell.x + lastCell.width).toBeLessThanOrEqual(scroller.x + scroller.width + 1);
    const bar = await box('.form-actions');
    expect(bar.height).toBeLessThanOrEqual(50);
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    await page.locator('#group-stages').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'issue15-editor-stages-390.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/scenarios/new`);
    await page.locator('#group-stages').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'issue15-editor-stages-1280.png') });
    await expectAccessible('editor');
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('import of a scenario file (issue 15, smaller defects)', () => {
  it('from the home page: a valid file opens as a saved scenario; a bad one lists each field to fix and saves nothing', async () => {
    await page.goto(`${app.url}/`);
    await page.waitForSelector('#scenario-file');
    await shoot('issue15-home-import', '.home-import');
    const good = { ...loadPreset('japan-cgc'), name: 'Imported from a file' };
    await page.setInputFiles('#scenario-file', { name: 'japan.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await Promise.all([page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+\?flash=saved$/), page.click('.home-import button:has-text("Import")')]);
    await expect(page.textContent('h1')).resolves.toBe('Imported from a file');

    const before = app.web.storage.scenarios.list().length;
    await page.goto(`${app.url}/`);
    const bad = { ...good, name: 'Bad', guarantee: { ...good.guarantee, coverageRatio: 1.5 }, horizonYears: 0 };
    await page.setInputFiles('#scenario-file', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    allowedConsole = /status of 422/;
    await Promise.all([page.waitForURL(/\/import$/), page.click('.home-import button:has-text("Import")')]);
    await page.waitForSelector('.import-problems li');
    allowedConsole = null;
    const items = await page.locator('.import-problems li').allTextContents();
    expect(items).toEqual(expect.arrayContaining([
      'guarantee.coverageRatio: must be between 0 and 1 (a fraction: 0.8 = 80 %)',
      expect.stringMatching(/^horizonYears: must be at least 1/),
    ]));
    await expect(page.textContent('#import-problems-title')).resolves.toBe(`${items.length} problems in “bad.json”: nothing was saved`);
    expect(app.web.storage.scenarios.list().length).toBe(before);
    await expectAccessible('import errors');
    await shoot('issue15-import-errors', 'main');
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('the ledger spreadsheet and a negative cost on the results page (issue 15, smaller defects)', () => {
  it('the toolbar downloads the .xlsx; a profitable fund’s cost reads as a gain, with its note', async () => {
    const s = loadPreset('default');
    const saved = app.web.storage.scenarios.create({ ...s, name: 'Profitable fund', guarantee: { ...s.guarantee, annualFee: [{ upTo: null, rate: 0.06 }] } });
    await page.goto(`${app.url}/scenarios/${saved.id}`);
    await page.waitForSelector('html[data-charts-ready]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download spreadsheet (.xlsx)")')]);
    expect(download.suggestedFilename()).toMatch(/-ledger\.xlsx$/);
    await expect(page.textContent('#indicator-fiscalCost')).resolves.toContain('negative: a gain at the horizon, not a cost');
    await shoot('issue15-results-toolbar', '.toolbar');
    await shoot('issue15-results-indicators', '#indicator-fiscalCost');
    expect(problems).toEqual([]);
  }, 60_000);
});
