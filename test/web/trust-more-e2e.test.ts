/**
 * More answers an official can trust, in headless Chromium (issue 15): rationing shown and
 * leverage drawn whole; values typed in the other unit flagged. Fails on any page or console
 * error. Waits for elements and navigations, never for a length of time.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonteCarlo } from '../../src/core/montecarlo/run.ts';
import { project } from '../../src/core/projection.ts';
import { exercise } from '../../src/training/exercises.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { formatter } from '../../src/i18n/format.ts';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible as checkAccessible, watchProblems } from './e2e-support.ts';

let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let problems: string[] = [];
/** The browser reports a page answered with an error status (a form sent back with its errors, 422) on the console: expected where a test says so. */
let allowedConsole: RegExp | null = null;

beforeAll(async () => {
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

describe('rationing and leverage above the cap (issue 15, item 6)', () => {
  it('India’s fund with a Monte Carlo run: the rationing indicator and chart, and every leverage series drawn without a gap', async () => {
    await page.goto(`${app.url}/presets/india-cgtmse`);
    await page.fill('#mc-paths', '400');
    await page.click('button:has-text("Run Monte Carlo")');
    await page.waitForURL(/\/runs\/[A-Za-z0-9_-]+$/);
    await page.waitForSelector('html[data-charts-ready]');
    const s = loadPreset('india-cgtmse');
    const rationed = project(s).periods.reduce((a, r) => a + Number(r.rationedGuaranteed.toString()), 0);
    await expect(page.textContent('#indicator-rationing .value')).resolves.toBe(formatter(s.currency).moneyShort(rationed));
    const drawn = (await page.evaluate(`(() => {
      const get = (id) => Chart.getChart(document.querySelector('canvas[data-chart="' + id + '"]'));
      const lev = get('leverage');
      const rat = get('rationing');
      return {
        leverage: lev.data.datasets.map((d) => ({ label: d.label, gaps: d.data.filter((x) => x === null || !Number.isFinite(x)).length, n: d.data.length, showLine: d.showLine !== false })),
        yMax: lev.scales.y.max,
        rationing: rat.data.datasets.map((d) => ({ label: d.label, stacked: rat.options.scales.y.stacked, sum: d.data.reduce((a, x) => a + x, 0) })),
      };
    })()`)) as { leverage: { label: string; gaps: number; n: number; showLine: boolean }[]; yMax: number; rationing: { label: string; stacked: boolean; sum: number }[] };
    expect(drawn.leverage.map((d) => d.label)).toEqual(['Leverage, expected case', 'Leverage cap', 'Leverage, simulated median', 'Leverage, simulated 95th percentile']);
    for (const d of drawn.leverage) expect(d, d.label).toMatchObject({ gaps: 0, n: 10, showLine: true });
    expect(drawn.yMax).toBe(40);
    expect(drawn.rationing[1]!.sum).toBeCloseTo(rationed, 0);
    expect(drawn.rationing[1]!.stacked).toBe(true);
    // The table names the periods where the simulated 95th percentile has no capital left.
    await page.click('#chart-leverage summary');
    await expect(page.locator('#chart-leverage table').textContent()).resolves.toContain('capital exhausted');
    await expectAccessible('India run');
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('values typed in the other unit (issue 15, item 5)', () => {
  it('0.8 typed as coverage: flagged as typed, one click to take 80 %, and a deliberate 0.8 % still runs with the flag on the results', async () => {
    await page.goto(`${app.url}/scenarios/new`);
    await page.fill('#f-guarantee-coverageRatio', '0.8');
    const hint = page.locator('#f-guarantee-coverageRatio-unit');
    await hint.waitFor();
    await expect(hint.textContent()).resolves.toContain('0.8 % — did you mean 80 %?');
    await expect(page.getAttribute('#f-guarantee-coverageRatio', 'aria-describedby')).resolves.toContain('f-guarantee-coverageRatio-unit');
    await expectAccessible('editor with a unit hint');
    await hint.locator('button:has-text("Use 80 %")').click();
    await expect(page.inputValue('#f-guarantee-coverageRatio')).resolves.toBe('80');
    await hint.waitFor({ state: 'detached' });
    // A small yield is not flagged.
    await page.fill('#f-fund-investmentYield', '0.8');
    await expect(page.locator('#f-fund-investmentYield-unit').count()).resolves.toBe(0);
    // Deliberately 0.8 %: not refused.
    await page.fill('#f-guarantee-coverageRatio', '0.8');
    await hint.waitFor();
    await Promise.all([page.waitForURL(/\/drafts\/[A-Za-z0-9_-]{22}$/), page.click('button:has-text("Run projection")')]);
    await expect(page.textContent('#unit-hints')).resolves.toContain('Coverage ratio: 0.8 % — did you mean 80 %?');
    await expectAccessible('results with a unit hint');
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('training answers a trainee can reproduce (issue 15, item 3)', () => {
  it('exercise 3: the trainee runs the variant with the settings the page suggests and gets the answer’s figure, inside its interval', async () => {
    await page.goto(`${app.url}/training/leverage`);
    await expect(page.textContent('main')).resolves.toContain('with the settings the page suggests (2,000 paths, seed 42)');
    await Promise.all([page.waitForURL('**/training/leverage/capital-125m'), page.click('#open-capital-125m')]);
    await expect(page.inputValue('#mc-paths')).resolves.toBe('2000');
    await expect(page.inputValue('#mc-seed')).resolves.toBe('42');
    await page.click('button:has-text("Run Monte Carlo")');
    await page.waitForURL(/\/runs\/[A-Za-z0-9_-]+$/);
    await page.waitForSelector('html[data-charts-ready]');
    const shown = (await page.textContent('#indicator-depletion .value'))!;
    const p = runMonteCarlo(exercise('leverage')!.variants[1]!.build(), { paths: 2000, seed: 42 }).probabilityOfDepletion.at(-1)!;
    const f = formatter('USD');
    expect(shown).toBe(f.percent(p, 2));
    // The answer on the exercise page quotes the same figure with its interval, which holds the trainee's run.
    await page.goto(`${app.url}/training/leverage`);
    await page.click('#answer summary');
    const answer = (await page.textContent('#answer'))!;
    const m = new RegExp(`rises to ${f.percent(p, 1).replace('.', '\\.')} \\(95 % interval ([\\d.]+) % to ([\\d.]+) %\\)`).exec(answer);
    expect(m, answer).not.toBeNull();
    const value = Number(shown.replace(' %', ''));
    expect(value).toBeGreaterThanOrEqual(Number(m![1]));
    expect(value).toBeLessThanOrEqual(Number(m![2]));
    await expectAccessible('exercise 3 with its answer');
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('descriptions that follow the parameters (issue 15, item 7)', () => {
  it('a copy of the default saved as “Draft A” with 70 % cover and a 2 % fee: the preset’s text is marked, with what changed', async () => {
    await page.goto(`${app.url}/scenarios/new?from=preset:default`);
    await page.fill('#f-name', 'Draft A (70 % cover, 2 % fee)');
    await page.fill('#f-guarantee-coverageRatio', '70');
    await page.fill('#f-guarantee-annualFee-0-rate', '2');
    await Promise.all([page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+/), page.click('button[value="save"]')]);
    await page.waitForSelector('html[data-charts-ready]');
    const block = (await page.textContent('#description'))!.replace(/\s+/g, ' ');
    expect(block).toContain('Preset’s description: A generic public credit guarantee fund covering 80 %');
    expect(block).toContain('which differs from it in these settings:');
    await expect(page.locator('#description li').allTextContents()).resolves.toEqual(['Coverage ratio: 70 % (preset: 80 %)', 'Annual fee brackets, row 1, rate: 2 % (preset: 1.5 %)']);
    await expectAccessible('saved draft');
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('a 5 MB paste into the description (issue 15, item 9)', () => {
  it('the browser stops the paste at the field’s limit; a form that gets past it comes back with the error beside the field and every edit kept', async () => {
    await page.goto(`${app.url}/scenarios/new?from=preset:default`);
    await page.fill('#f-guarantee-coverageRatio', '70');
    await page.focus('#f-description');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('x'.repeat(5_000_000));
    await expect(page.evaluate(() => (document.getElementById('f-description') as HTMLTextAreaElement).value.length)).resolves.toBe(4000);
    // Past the limit (a script or an old browser): the server answers with the form, not a bare error page.
    await page.evaluate(() => { (document.getElementById('f-description') as HTMLTextAreaElement).value = 'y'.repeat(5_000_000); });
    allowedConsole = /status of 422/;
    const [response] = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Run projection")')]);
    expect(response!.status()).toBe(422);
    await expect(page.textContent('#f-description-error')).resolves.toContain('Must be at most 4,000 characters');
    await expect(page.inputValue('#f-guarantee-coverageRatio')).resolves.toBe('70');
    await expect(page.evaluate(() => (document.getElementById('f-description') as HTMLTextAreaElement).value.length)).resolves.toBe(5_000_000);
    await expect(page.textContent('#error-summary')).resolves.toContain('Description');
    allowedConsole = null;
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('every result has an address (issue 15, item 10)', () => {
  it('an edited, unsaved projection shows its address in the address bar, and that address opens in another browser profile', async () => {
    await page.goto(`${app.url}/scenarios/new?from=preset:default`);
    await page.fill('#f-name', 'Unsaved but shareable');
    await page.fill('#f-guarantee-coverageRatio', '60');
    await Promise.all([page.waitForURL(/\/drafts\/[A-Za-z0-9_-]{22}$/), page.click('button:has-text("Run projection")')]);
    const address = new URL(page.url()).pathname;
    await expect(page.getAttribute('#result-address', 'data-address')).resolves.toBe(address);
    const value = await page.textContent('#indicator-additional .value');
    await expectAccessible('draft results');
    const other = await launchBrowser();
    try {
      const tab = await other.context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      const res = await tab.goto(`${app.url}${address}`);
      expect(res!.status()).toBe(200);
      await tab.waitForSelector('html[data-charts-ready]');
      await expect(tab.textContent('h1')).resolves.toBe('Unsaved but shareable');
      await expect(tab.textContent('#indicator-additional .value')).resolves.toBe(value);
      expect(errors).toEqual([]);
    } finally {
      await other.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('delete, trash and restore (issue 15, item 11)', () => {
  it('Delete asks on a page of its own, moves to the trash with an undo, and the trash restores the scenario at its address', async () => {
    const created = await page.request.post(`${app.url}/api/v1/scenarios`, { data: { ...loadPreset('chile-fogape'), name: 'Binned and back' } });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    await page.goto(`${app.url}/scenarios`);
    await Promise.all([page.waitForURL(`**/scenarios/${id}/delete`), page.click(`a[href="/scenarios/${id}/delete"]`)]);
    await expect(page.textContent('h1')).resolves.toBe('Delete “Binned and back”?');
    await expectAccessible('delete confirmation');
    // Cancel keeps it.
    await Promise.all([page.waitForURL('**/scenarios'), page.click('#cancel-delete')]);
    await expect(page.locator(`a[href="/scenarios/${id}"]`).count()).resolves.toBe(1);
    await Promise.all([page.waitForURL(`**/scenarios/${id}/delete`), page.click(`a[href="/scenarios/${id}/delete"]`)]);
    await Promise.all([page.waitForURL(/\/scenarios\?flash=deleted/), page.click('#confirm-delete')]);
    await expect(page.textContent('#undo-delete')).resolves.toContain('Moved “Binned and back” to the trash. It stays there for 30 days.');
    await expect(page.locator(`a[href="/scenarios/${id}"]`).count()).resolves.toBe(0);
    await expectAccessible('saved list with undo');
    await Promise.all([page.waitForURL('**/scenarios/trash'), page.click('#trash-link')]);
    await expect(page.textContent('table')).resolves.toContain('Binned and back');
    await expectAccessible('trash');
    await Promise.all([page.waitForURL(`**/scenarios/${id}?flash=restored`), page.click('button:has-text("Restore")')]);
    await expect(page.textContent('h1')).resolves.toBe('Binned and back');
    await expect(page.textContent('.flash')).resolves.toContain('Restored from the trash.');
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('compare in two currencies (issue 15, item 8)', () => {
  it('USD next to KRW: the notice, every money chart as a share of capital put in, and no percentage change across a sign change', async () => {
    await page.goto(`${app.url}/compare?s=preset:default&s=preset:korea-kodit`);
    await page.waitForSelector('html[data-charts-ready]');
    await expect(page.textContent('#mixed-currencies')).resolves.toContain('no two currencies share an axis');
    const ticks = (await page.evaluate(`Array.from(document.querySelectorAll('canvas[data-chart]')).map((c) => { const ch = Chart.getChart(c); return { id: c.dataset.chart, ticks: ch.scales.y.ticks.map((t) => ch.scales.y.options.ticks.callback(t.value)) }; })`)) as { id: string; ticks: string[] }[];
    for (const c of ticks.filter((x) => x.id !== 'leverage')) for (const tick of c.ticks) expect(tick, c.id).toMatch(/ %$/);
    const diffs = await page.locator('.compare-table .diff').allTextContents();
    for (const d of diffs) expect(d).not.toMatch(/[−+]\d{3,}(\.\d+)? %/);
    await expectAccessible('compare in two currencies');
    expect(problems).toEqual([]);
  }, 60_000);
});
