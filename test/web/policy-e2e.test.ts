/**
 * End to end in real headless Chromium, for the policy, training, glossary and summary pages:
 * a budget comparison with Monte Carlo on the worker pool, a tornado, a sweep (progress bar,
 * heat map with its boundary), a cancelled sweep, a search, an exercise opening its scenario
 * and revealing its answer, glossary anchors, the printable summary as a one-page A4 PDF.
 * Fails on any page error or console error; axe-core on every new page.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonteCarloPool } from '../../src/pool/pool.ts';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible as checkAccessible, watchProblems } from './e2e-support.ts';


let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let pool: MonteCarloPool;
let page: Page;
let problems: string[] = [];
/** Every progress value the page's script shows, reported by the page itself as it changes. */
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
  problems = watchProblems(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await pool?.close();
});

const expectAccessible = (label: string) => checkAccessible(page, label);

/** Every canvas holds a Chart.js chart with data; returns their ids. */
async function chartsDrawn(): Promise<string[]> {
  await page.waitForSelector('html[data-charts-ready]');
  const drawn = (await page.evaluate(
    `Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => { const ch = Chart.getChart(c); return { id: c.dataset.chart, ok: !!ch && ch.data.datasets.length > 0 && ch.data.datasets.some((d) => d.data.some((x) => x !== null)) && c.width > 0 }; })`,
  )) as { id: string; ok: boolean }[];
  expect(drawn.filter((d) => !d.ok)).toEqual([]);
  return drawn.map((d) => d.id);
}

/**
 * The progress values shown while a job runs, until its result replaces the progress page. They
 * are reported by the page as the script sets them (every event, the end included), so nothing is
 * missed however slowly or quickly the machine runs: no polling, no clock. `start` is the count of
 * values seen before the job was submitted, so a job that ends while the test is still checking its
 * progress page loses none of them.
 */
async function watchProgress(start: number): Promise<number[]> {
  await page.waitForSelector('#run-progress', { state: 'detached', timeout: 120_000 });
  await page.waitForLoadState();
  return progressEvents.slice(start);
}

function noProblems(): void {
  expect(problems).toEqual([]);
}

describe('policy analysis in a browser', () => {
  it('compares one budget four ways, with Monte Carlo on the worker pool', async () => {
    await page.goto(`${app.url}/policy`);
    await expectAccessible('policy index');
    await page.click('a[href="/policy/budget"]');
    await page.waitForURL('**/policy/budget');
    await expectAccessible('budget form');
    await page.fill('#b-monteCarlo-paths', '600');
    const before = progressEvents.length;
    await page.click('button:has-text("Compare")');
    await page.waitForURL(/\/policy\/jobs\/[A-Za-z0-9_-]+$/);
    await watchProgress(before);
    expect(await chartsDrawn()).toEqual(['valueLeft', 'firms', 'credit', 'distribution']);
    // Ten rows on one basis: distinct firms, loans, lending, additional lending, borrower's cost,
    // budget used, money left, PV cost, per firm and per unit of additional lending.
    expect(await page.locator('#budget-summary tbody tr').count()).toBe(10);
    expect(await page.locator('#comparison-basis').textContent()).toContain('distinct firms');
    expect(await page.locator('#budget-mc').textContent()).toContain('Probability of losing more than half');
    await expectAccessible('budget results');
    noProblems();
  }, 60_000);

  it('draws a tornado, sorted by swing', async () => {
    await page.goto(`${app.url}/policy/tornado`);
    await expectAccessible('tornado form');
    await page.click('button:has-text("Draw the tornado")');
    await page.waitForURL(/\/policy\/jobs\//);
    expect(await chartsDrawn()).toEqual(['tornado']);
    const swings = (await page.evaluate(
      `(() => { const ch = Chart.getChart(document.querySelector('canvas[data-chart="tornado"]')); return ch.data.labels.map((_, i) => Math.abs(ch.data.datasets[1].data[i][1] - ch.data.datasets[0].data[i][1])); })()`,
    )) as number[];
    expect(swings).toHaveLength(6);
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
    await expectAccessible('tornado results');
    noProblems();
  });

  it('sweeps coverage × fee on the pool with a progress bar, and draws the heat map with its boundary', async () => {
    await page.goto(`${app.url}/policy/sweep`);
    await expectAccessible('sweep form');
    await page.fill('#sweep-x-steps', '4');
    await page.fill('#sweep-y-steps', '4');
    await page.fill('#sweep-paths', '150');
    const before = progressEvents.length;
    await page.click('button:has-text("Sweep")');
    await page.waitForURL(/\/policy\/jobs\//);
    expect(await page.locator('#cancel-run').isVisible()).toBe(true);
    await expectAccessible('sweep in progress');
    const seen = await watchProgress(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await chartsDrawn()).toEqual(['heatmap']);
    const heat = (await page.evaluate(
      `(() => { const ch = Chart.getChart(document.querySelector('canvas[data-chart="heatmap"]')); return { cells: ch.data.datasets[0].data.length, segments: ch.options.plugins.heatmap.segments.length }; })()`,
    )) as { cells: number; segments: number };
    expect(heat.cells).toBe(16);
    expect(heat.segments).toBeGreaterThan(0);
    expect(await page.locator('.heat-table td.above-target').count()).toBeGreaterThan(0);
    await expectAccessible('sweep results');
    noProblems();
  }, 60_000);

  it('cancels a long sweep from its progress page', async () => {
    await page.goto(`${app.url}/policy/sweep?scenario=preset:uk-efg&x.steps=8&y.steps=8&paths=500`);
    await page.click('button:has-text("Sweep")');
    await page.waitForURL(/\/policy\/jobs\//);
    await page.waitForFunction(() => Number(document.getElementById('run')?.getAttribute('data-progress') ?? 0) > 0, undefined, { timeout: 30_000 });
    await page.click('#cancel-run');
    await page.waitForSelector('text=This analysis was cancelled before it finished.');
    noProblems();
  }, 60_000);

  it('searches for the best coverage and fee', async () => {
    await page.goto(`${app.url}/policy/search`);
    await expectAccessible('search form');
    await page.fill('#search-gridSteps', '3');
    await page.fill('#search-refinements', '1');
    await page.fill('#search-paths', '80');
    const before = progressEvents.length;
    await page.click('button:has-text("Search")');
    await page.waitForURL(/\/policy\/jobs\//);
    await watchProgress(before);
    expect(await chartsDrawn()).toEqual(['search']);
    expect(await page.locator('#search-answer .value').textContent()).toMatch(/^(Best: coverage [\d.]+ % and an annual fee of [\d.]+ %\.|No coverage and fee meet the limits\.)$/);
    await expectAccessible('search results');
    noProblems();
  }, 60_000);
});

describe('training, glossary and handouts in a browser', () => {
  it('opens an exercise’s scenario with one click, and reveals its answer on demand', async () => {
    await page.goto(`${app.url}/training`);
    await expectAccessible('training');
    await page.click('text=Exercise 1: Claims when coverage goes from 80 % to 100 %');
    await page.waitForURL('**/training/moral-hazard');
    await expectAccessible('exercise');
    expect(await page.locator('.answer-body p').first().isVisible()).toBe(false);
    await page.click('#open-coverage-80');
    await page.waitForURL('**/training/moral-hazard/coverage-80');
    expect(await chartsDrawn()).toEqual(['capital', 'leverage', 'rationing', 'flows', 'lending', 'collateralGap', 'cohortCost']);
    expect(await page.locator('.training-banner').textContent()).toContain('Training exercise 1');
    expect(await page.locator('#indicator-capital .value').textContent()).toMatch(/^¥[\d.]+[BT]$/);
    await expectAccessible('exercise scenario');
    await page.click('text=Back to the exercise');
    await page.waitForURL('**/training/moral-hazard');
    await page.click('#answer > summary');
    expect(await page.locator('.answer-body p').first().isVisible()).toBe(true);
    expect(await page.locator('.answer-body p').first().textContent()).toMatch(/^Claims paid over ten years rise from ¥[\d,]+ at 80 % coverage/);
    await expectAccessible('exercise with the answer');
    noProblems();
  });

  it('takes a help text’s glossary link to its entry', async () => {
    await page.goto(`${app.url}/scenarios/new`);
    await page.click('#f-guarantee-coverageRatio-help a[href="/glossary#coverage-ratio"]');
    await page.waitForURL('**/glossary#coverage-ratio');
    const target = (await page.evaluate(
      `(() => { const t = document.querySelector(':target'); const r = t.getBoundingClientRect(); return { id: t.id, top: r.top, visible: r.top >= 0 && r.top < window.innerHeight }; })()`,
    )) as { id: string; visible: boolean };
    expect(target).toMatchObject({ id: 'coverage-ratio', visible: true });
    await page.click('#coverage-ratio a[href="#moral-hazard"]');
    expect(await page.evaluate('document.querySelector(":target").id')).toBe('moral-hazard');
    await expectAccessible('glossary');
    noProblems();
  });

  it('prints a scenario’s summary on one A4 page', async () => {
    await page.goto(`${app.url}/presets/default`);
    await page.click('text=Printable summary');
    await page.waitForURL('**/presets/default/summary');
    expect(await chartsDrawn()).toEqual(['summary-capital', 'summary-lending']);
    expect(await page.locator('#print-summary').isVisible()).toBe(true);
    await expectAccessible('summary');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    noProblems();
  });

  it('keeps the new pages within 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/policy', '/policy/budget', '/policy/tornado', '/policy/sweep', '/policy/search', '/training', '/training/moral-hazard', '/glossary', '/presets/default/summary']) {
      await page.goto(`${app.url}${path}`);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, path).toBe(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    noProblems();
  });
});
