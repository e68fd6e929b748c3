/**
 * End to end in real headless Chromium: home, a preset, a validation error, a Monte Carlo run
 * watched to completion, every chart drawn, save, permalink, compare, a CSV download; axe-core
 * on every page. Fails (does not skip) when /usr/bin/chromium is missing.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonteCarloPool } from '../../src/pool/pool.ts';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible as checkAccessible, watchProblems } from './e2e-support.ts';

// Injected by evaluation: the strict Content-Security-Policy (rightly) blocks addScriptTag's
// inline script, and bypassing the CSP would hide the very violations this test looks for.

let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let pool: MonteCarloPool;
let page: Page;
let problems: string[] = [];
/** Console messages a step expects (a 4xx page logs its own status). */
let allowedConsole: RegExp | null = null;
/** Every progress value the run page's script shows, reported by the page as it changes. */
const progressEvents: number[] = [];

beforeAll(async () => {
  pool = new MonteCarloPool({ workers: 2 });
  app = await startApp({ pool, inlinePaths: 200 });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.exposeFunction('reportProgress', (v: number) => progressEvents.push(v));
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const el = document.getElementById('run');
      if (!el) return;
      const report = (window as unknown as { reportProgress: (v: number) => void }).reportProgress;
      new MutationObserver(() => {
        const v = Number(el.getAttribute('data-progress'));
        if (Number.isFinite(v)) report(v);
      }).observe(el, { attributes: true, attributeFilter: ['data-progress'] });
    });
  });
  problems = watchProblems(page, () => allowedConsole);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await pool?.close();
});

const expectAccessible = (label: string) => checkAccessible(page, label);

/** Every canvas on the page holds a Chart.js chart with data; returns their ids. */
async function chartsDrawn(expected: number): Promise<string[]> {
  await page.waitForSelector('html[data-charts-ready]');
  const drawn = (await page.evaluate(
    `Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => { const ch = Chart.getChart(c); return { id: c.dataset.chart, ok: !!ch && ch.data.datasets.length > 0 && ch.data.datasets.some((d) => d.data.some((x) => x !== null)) && c.width > 0 }; })`,
  )) as { id: string; ok: boolean }[];
  expect(drawn.filter((d) => !d.ok)).toEqual([]);
  expect(drawn).toHaveLength(expected);
  return drawn.map((d) => d.id);
}

function noProblems(): void {
  expect(problems).toEqual([]);
}

describe('the simulator in a browser', () => {
  it('opens the home page and a preset', async () => {
    await page.goto(app.url);
    expect(await page.locator('h1').textContent()).toBe('What does a credit guarantee fund buy, and what can it lose?');
    expect(await page.locator('.card').count()).toBeGreaterThanOrEqual(10);
    await expectAccessible('home');

    await page.click('.card >> nth=0 >> a >> nth=0');
    await page.waitForURL('**/presets/default');
    expect(await chartsDrawn(7)).toEqual(['capital', 'leverage', 'rationing', 'flows', 'lending', 'collateralGap', 'cohortCost']);
    expect(await page.locator('#indicator-breakEvenFee .value').textContent()).toMatch(/^\d+(\.\d+)? %$/);
    await expectAccessible('preset results');
    noProblems();
  });

  it('shows a validation error beside the field and keeps the input', async () => {
    await page.click('text=Edit a copy');
    await page.waitForURL('**/scenarios/new?from=preset:default');
    await expectAccessible('editor');
    await page.fill('#f-guarantee-coverageRatio', '150');
    allowedConsole = /status of 422/;
    await page.click('button[value="simulate"]');
    await page.waitForSelector('#f-guarantee-coverageRatio-error');
    expect(await page.locator('#f-guarantee-coverageRatio-error').textContent()).toContain('Must be between 0 % and 100 %');
    expect(await page.inputValue('#f-guarantee-coverageRatio')).toBe('150');
    expect(await page.getAttribute('#f-guarantee-coverageRatio', 'aria-invalid')).toBe('true');
    // The error summary takes the focus and links to the field.
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
    await expectAccessible('editor with errors');
    allowedConsole = null;
    noProblems();
  });

  it('runs a Monte Carlo simulation with a live progress bar, then draws every chart', async () => {
    await page.fill('#f-guarantee-coverageRatio', '80');
    await page.fill('#f-name', 'Browser fund');
    await page.fill('#f-monteCarlo-paths', '12,000');
    await page.fill('#f-monteCarlo-seed', '7');
    // Counted before the run starts, so a run that ends during the checks below loses no value.
    const start = progressEvents.length;
    await page.click('button[value="montecarlo"]');
    await page.waitForURL(/\/runs\/[A-Za-z0-9_-]+$/);
    const runUrl = page.url();
    expect(await page.locator('#cancel-run').isVisible()).toBe(true);
    await expectAccessible('run in progress');
    // The bar's values, as the page reports each change (no polling): they rise to 100, then the
    // page turns into the results.
    await page.waitForSelector('#run-progress', { state: 'detached', timeout: 90_000 });
    const seen = progressEvents.slice(start);
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((v) => v > 0 && v < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await page.waitForURL(runUrl);
    expect(await chartsDrawn(9)).toEqual(['capital', 'leverage', 'rationing', 'flows', 'lending', 'collateralGap', 'depletion', 'netClaims', 'cohortCost']);
    expect(await page.locator('#indicator-depletion .value').textContent()).toMatch(/^\d+(\.\d+)? %$/);
    expect(await page.locator('.results-head .kind').textContent()).toContain('12,000 paths, seed 7');
    await expectAccessible('run results');
    noProblems();
  }, 90_000);

  it('saves the scenario and reloads it by its permalink', async () => {
    await page.click('button:has-text("Save the scenario")');
    await page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+\?flash=saved$/);
    expect(await page.locator('.flash').textContent()).toBe('Saved.');
    const permalink = page.url().replace(/\?.*$/, '');
    await page.goto(permalink);
    expect(await page.locator('h1').textContent()).toBe('Browser fund');
    await chartsDrawn(7);
    await expectAccessible('saved results');
    noProblems();
  });

  it('compares two saved scenarios', async () => {
    // A second saved scenario, from another preset's page.
    await page.goto(`${app.url}/presets/japan-cgc`);
    await page.click('button:has-text("Save")');
    await page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+\?flash=saved$/);
    await page.goto(`${app.url}/scenarios`);
    await expectAccessible('saved list');
    const boxes = page.locator('input[type="checkbox"][name="s"]');
    expect(await boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.click('button:has-text("Compare the ticked scenarios")');
    await page.waitForURL(/\/compare\?s=saved/);
    expect(await page.locator('.compare-table thead').textContent()).toContain('Browser fund');
    expect(await chartsDrawn(4)).toEqual(['capital', 'leverage', 'netClaims', 'additional']);
    await expectAccessible('compare');
    noProblems();
  });

  it('downloads a chart as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#chart-capital >> text=Download CSV'),
    ]);
    expect(download.suggestedFilename()).toBe('compare-capital.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    const [header, first] = text.split('\r\n');
    expect(header).toMatch(/^year,1\. .+,2\. .+$/);
    expect(first).toMatch(/^Y1,\d+(\.\d+)?,\d+(\.\d+)?$/);
    noProblems();
  });

  it('has a friendly, accessible 404 page and works at 390 px without horizontal overflow', async () => {
    allowedConsole = /status of 404/;
    await page.goto(`${app.url}/no-such-page`);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    await expectAccessible('404');
    allowedConsole = null;
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/', '/scenarios/new', '/presets/uk-efg', '/scenarios', '/compare?s=preset:default&s=preset:uk-efg']) {
      await page.goto(`${app.url}${path}`);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, path).toBe(0);
    }
    noProblems();
  });
});
