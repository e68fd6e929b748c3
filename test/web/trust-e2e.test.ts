/**
 * Answers an official can trust, in headless Chromium: the KODIT editor says which setting is
 * overridden (and updates as the stages are edited); the tornado on KODIT moves the coverage in
 * force; the search on the defaults shows the sampling error of every point and never calls a
 * point feasible while a point of no higher risk is infeasible. Fails on any page or console
 * error. Waits for elements and navigations, never for a length of time.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capitalForTarget } from '../../src/core/montecarlo/capital.ts';
import { MonteCarloPool } from '../../src/pool/pool.ts';
import { loadPreset } from '../../src/presets/index.ts';
import { formatter } from '../../src/i18n/format.ts';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible as checkAccessible, watchProblems } from './e2e-support.ts';

let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let pool: MonteCarloPool;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  pool = new MonteCarloPool({ workers: 2 });
  app = await startApp({ pool, inlinePaths: 200 });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = watchProblems(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await pool?.close();
});

const expectAccessible = (label: string) => checkAccessible(page, label);

/** A policy job's page: the progress page turns into the result, which has charts once drawn. */
async function resultOfJob(selector: string): Promise<void> {
  await page.waitForURL(/\/policy\/jobs\/[A-Za-z0-9_-]+$/);
  await page.waitForSelector(selector, { timeout: 120_000 });
  await page.waitForSelector('html[data-charts-ready]');
}

describe('settings that others override (issue 15, item 1)', () => {
  it('the KODIT editor shows the coverage ratio as not in force, links the stage coverage, and follows edits', async () => {
    await page.goto(`${app.url}/scenarios/new?from=preset:korea-kodit`);
    const notice = page.locator('#f-guarantee-coverageRatio-override');
    await expect(notice.textContent()).resolves.toContain('Not in force: every stage has its own coverage (founding 85 %, growth 85 %, maturity 75 %, transformation 80 %)');
    await expectAccessible('KODIT editor');
    // The link takes the user to the overriding field.
    await notice.locator('a[href="#f-guarantee-coverageByStage-maturity"]').click();
    await expect(page.evaluate(() => document.activeElement?.id ?? location.hash)).resolves.toMatch(/coverageByStage-maturity/);
    // Clearing two stages puts the coverage ratio in force for them; clearing all removes the notice.
    await page.fill('#f-guarantee-coverageByStage-growth', '');
    await page.fill('#f-guarantee-coverageByStage-maturity', '');
    await expect(notice.textContent()).resolves.toContain('In force only for the growth and maturity stages: the others have their own coverage (founding 85 %, transformation 80 %)');
    await page.fill('#f-guarantee-coverageByStage-founding', '');
    await page.fill('#f-guarantee-coverageByStage-transformation', '');
    await page.waitForSelector('#f-guarantee-coverageRatio-override', { state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('the tornado on KODIT gives coverage a non-zero swing and says how it moved the stages’ coverage', async () => {
    await page.goto(`${app.url}/policy/tornado?scenario=preset:korea-kodit&indicator=additionalLending`);
    await page.click('button:has-text("Draw")');
    await page.waitForSelector('#tornado-title, h1');
    await page.waitForSelector('html[data-charts-ready]');
    const body = (await page.textContent('main'))!;
    expect(body).toMatch(/Coverage ratio: every stage has its own coverage \(founding 85 %, growth 85 %, maturity 75 %, transformation 80 %\)/);
    const rows = await page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent!.trim())));
    const coverage = rows.find((r) => r[0] === 'Coverage ratio')!;
    expect(coverage).toBeDefined();
    expect(coverage[4]).not.toMatch(/^₩0$|^KRW\s?0$/);
    expect(coverage[2]).not.toBe(coverage[3]);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('sampling error in the search (issue 15, item 2)', () => {
  it('on the defaults: intervals on every simulated point, the stated rules, and no contradiction between points', async () => {
    await page.goto(`${app.url}/policy/search`);
    await expectAccessible('search form');
    await page.click('button:has-text("Search")');
    await resultOfJob('#search-answer');
    await expectAccessible('search result');
    const method = (await page.textContent('#search-method'))!;
    expect(method).toContain('whole 95 % (Wilson) interval');
    expect(method).toContain('doubled from 200 up to 3,200');
    expect(method).toMatch(/Ties: points with the same objective .* lower annual fee .* lower coverage/);
    const answer = (await page.textContent('#search-answer'))!;
    expect(answer).toMatch(/Best: coverage [\d.]+ % and an annual fee of [\d.]+ %\./);
    expect(answer).toMatch(/probability of depletion of [\d.]+ % \(95 % interval [\d.]+ % to [\d.]+ %, [\d,]+ paths\)/);
    const [lo, hi] = /95 % interval ([\d.]+) % to ([\d.]+) %/.exec(answer)!.slice(1).map(Number) as [number, number];
    expect(hi).toBeLessThanOrEqual(5);
    expect(lo).toBeLessThanOrEqual(hi);
    // The table: every simulated point has an interval and paths; verdicts follow from the interval.
    const rows = await page.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent!.trim())));
    const pct = (x: string) => Number(x.replace(/[ %,]/g, ''));
    const points = rows.filter((r) => r.length === 7 && /%$/.test(r[0]!)).map((r) => ({ coverage: pct(r[0]!), fee: pct(r[1]!), depletion: r[3]!, interval: r[4]!, paths: r[5]!, verdict: r[6]! }));
    const simulated = points.filter((p) => p.depletion !== 'not simulated');
    expect(simulated.length).toBeGreaterThan(3);
    for (const p of simulated) {
      const m = /^([\d.]+) % to ([\d.]+) %$/.exec(p.interval);
      expect(m, JSON.stringify(p)).not.toBeNull();
      const [l, u] = [Number(m![1]), Number(m![2])];
      if (p.verdict === 'yes') expect(u).toBeLessThanOrEqual(5);
      if (p.verdict === 'no') expect(l).toBeGreaterThan(5);
      if (p.verdict.startsWith('cannot tell')) expect(p.verdict).toBe('cannot tell at 3,200 paths');
    }
    // No point called feasible while one of no higher coverage and no lower fee is called infeasible.
    const yes = simulated.filter((p) => p.verdict === 'yes');
    const no = simulated.filter((p) => p.verdict === 'no');
    for (const a of yes) for (const b of no) expect(b.coverage <= a.coverage && b.fee >= a.fee, `${JSON.stringify(b)} is infeasible but no riskier than feasible ${JSON.stringify(a)}`).toBe(false);
    expect(problems).toEqual([]);
  }, 300_000);
});

describe('capital for a target risk in the app (issue 15, item 12)', () => {
  it('from the policy index: the central and prudent capital with their intervals', async () => {
    await page.goto(`${app.url}/policy`);
    await page.click('a[href="/policy/capital"]');
    await page.waitForURL('**/policy/capital');
    await expectAccessible('capital form');
    await page.selectOption('#capital-scenario', 'preset:startup-local-fund');
    await page.fill('#capital-target', '1');
    await page.fill('#capital-paths', '600');
    await page.fill('#capital-seed', '5');
    await page.click('button:has-text("Find the capital")');
    await page.waitForSelector('#capital-result');
    await expectAccessible('capital result');
    const core = capitalForTarget(loadPreset('startup-local-fund'), 0.01, { paths: 600, seed: 5 });
    if (!core.ok || !core.prudent) throw new Error('expected a capital');
    const f = formatter('EUR');
    const headline = (await page.textContent('#capital-headline'))!;
    expect(headline).toContain(`needs about ${f.money(core.central.capital)} of initial capital; allowing for sampling error at 600 paths, ${f.money(core.prudent.capital)}`);
    const rows = await page.locator('#capital-result tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent!.trim())));
    expect(rows[0]!.slice(1)).toEqual([f.money(core.central.capital), f.percent(core.central.interval.estimate, 2), `${f.percent(core.central.interval.lower, 2)} to ${f.percent(core.central.interval.upper, 2)}`]);
    expect(problems).toEqual([]);
  }, 120_000);
});
