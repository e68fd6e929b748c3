/**
 * Screenshots of every page at 1280 px and 390 px wide, into screenshots/ (gitignored).
 * Run: npx tsx test/web/screenshots.ts
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MonteCarloPool } from '../../src/pool/pool.ts';
import { launchBrowser, startApp } from './browser.ts';

const OUT = join(process.cwd(), 'screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const pool = new MonteCarloPool({ workers: 2 });
  const app = await startApp({ pool, inlinePaths: 500 });
  const browser = await launchBrowser();
  try {
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as Record<string, unknown>;
    };
    const preset = (await (await fetch(`${app.url}/api/v1/presets/default`)).json()) as { scenario: Record<string, unknown> };
    const saved = await api('/api/v1/scenarios', preset.scenario);
    const other = (await (await fetch(`${app.url}/api/v1/presets/japan-cgc`)).json()) as { scenario: Record<string, unknown> };
    await api('/api/v1/scenarios', other.scenario);
    const run = await api('/api/v1/simulate/montecarlo', { scenario: preset.scenario, paths: 2000, seed: 1 });
    const runId = run.id as string;
    for (let i = 0; i < 300; i++) {
      const r = (await (await fetch(`${app.url}/api/v1/runs/${runId}`)).json()) as { status: string };
      if (r.status === 'done') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    // Policy analyses: a budget comparison with Monte Carlo, a tornado, a sweep and a search.
    const waitJob = async (job: Record<string, unknown>) => {
      for (let i = 0; i < 600; i++) {
        const r = (await (await fetch(`${app.url}/api/v1/policy/jobs/${job.id as string}`)).json()) as { status: string };
        if (r.status === 'done') return;
        if (r.status === 'failed' || r.status === 'cancelled') throw new Error(`policy job ${job.id as string}: ${r.status}`);
        await new Promise((res) => setTimeout(res, 200));
      }
    };
    const budgetJob = await api('/api/v1/policy/budget?monteCarlo=true', { ...JSON.parse(readFileSync('src/presets/comparisons/founding-stage-budget.json', 'utf8')), monteCarlo: { paths: 1000, seed: 42 } });
    const tornadoJob = await api('/api/v1/policy/tornado', {
      scenario: 'default', indicator: 'capital',
      parameters: ['guarantee.coverageRatio', 'guarantee.annualFee.0.rate', 'fund.recoveryRate', 'fund.investmentYield', 'lender.requiredCollateralRatio', 'guarantee.deadweightTakeUp'].map((path) => ({ path })),
    });
    const sweepJob = await api('/api/v1/policy/sweep', {
      scenario: 'default', indicator: 'depletion', depletionTarget: 0.05, paths: 150,
      x: { path: 'guarantee.coverageRatio', from: 0.5, to: 1, steps: 6 }, y: { path: 'guarantee.annualFee.0.rate', from: 0.005, to: 0.03, steps: 6 },
    });
    const searchJob = await api('/api/v1/policy/search', { scenario: 'default', depletionTarget: 0.05, feeCeiling: 0.03, feeFloor: 0.005, gridSteps: 4, refinements: 1, paths: 150 });
    const infeasibleJob = await api('/api/v1/policy/search', { scenario: 'recession-stress', depletionTarget: 0.01, feeCeiling: 0.02, gridSteps: 3, refinements: 0, paths: 100 });
    for (const job of [budgetJob, tornadoJob, sweepJob, searchJob, infeasibleJob]) await waitJob(job);

    const pages: [string, string][] = [
      ['home', '/'],
      ['editor', '/scenarios/new'],
      ['preset-results', '/presets/default'],
      ['run-results', `/runs/${runId}`],
      ['saved-results', `/scenarios/${saved.id as string}`],
      ['saved-list', '/scenarios'],
      ['compare', `/compare?s=preset:default&s=preset:japan-cgc&s=preset:thailand-tcg`],
      ['not-found', '/no-such-page'],
      ['policy', '/policy'],
      ['budget-form', '/policy/budget'],
      ['budget-results', `/policy/jobs/${budgetJob.id as string}`],
      ['tornado-form', '/policy/tornado'],
      ['tornado-results', `/policy/jobs/${tornadoJob.id as string}`],
      ['sweep-form', '/policy/sweep'],
      ['sweep-results', `/policy/jobs/${sweepJob.id as string}`],
      ['search-form', '/policy/search'],
      ['search-results', `/policy/jobs/${searchJob.id as string}`],
      ['search-infeasible', `/policy/jobs/${infeasibleJob.id as string}`],
      ['training', '/training'],
      ['exercise', '/training/moral-hazard'],
      ['exercise-budget', '/training/guarantee-vs-microfinance'],
      ['exercise-variant', '/training/loss-cap/capped'],
      ['glossary', '/glossary#moral-hazard'],
      ['summary-preset', '/presets/uk-efg/summary'],
      ['summary-run', `/runs/${runId}/summary`],
    ];
    for (const width of [1280, 390]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      for (const [name, path] of pages) {
        await page.goto(`${app.url}${path}`);
        if (await page.locator('#chart-data').count()) await page.waitForSelector('html[data-charts-ready]');
        if (name === 'exercise') await page.click('#answer > summary');
        await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
      }
      // The policy forms with validation errors.
      await page.goto(`${app.url}/policy/budget`);
      await page.fill('#b-budget', 'lots');
      await page.fill('#b-microfinance-portfolioYield', '150');
      await page.click('button:has-text("Compare")');
      await page.screenshot({ path: join(OUT, `budget-errors-${width}.png`), fullPage: true });
      await page.goto(`${app.url}/policy/tornado`);
      await page.selectOption('#tornado-parameters-6-path', 'fund.leverageCap');
      await page.fill('#tornado-parameters-6-low', 'x');
      await page.click('button:has-text("Draw the tornado")');
      await page.screenshot({ path: join(OUT, `tornado-errors-${width}.png`), fullPage: true });
      // A sweep in progress.
      const slow = await api('/api/v1/policy/sweep', {
        scenario: 'uk-efg', indicator: 'depletion', paths: 300,
        x: { path: 'guarantee.coverageRatio', from: 0.5, to: 1, steps: 8 }, y: { path: 'guarantee.annualFee.0.rate', from: 0.005, to: 0.03, steps: 8 },
      });
      await page.goto(`${app.url}/policy/jobs/${slow.id as string}`);
      await page.waitForFunction(() => Number(document.getElementById('run')?.getAttribute('data-progress') ?? 0) > 2, undefined, { timeout: 60_000 });
      await page.screenshot({ path: join(OUT, `sweep-progress-${width}.png`), fullPage: true });
      await fetch(`${app.url}/api/v1/policy/jobs/${slow.id as string}`, { method: 'DELETE' });
      // The print stylesheet, on a run's results and on the one-page summary.
      if (width === 1280) {
        await page.emulateMedia({ media: 'print' });
        for (const [name, path] of [['summary-preset', '/presets/uk-efg/summary'], ['summary-run', `/runs/${runId}/summary`]] as const) {
          await page.goto(`${app.url}${path}`);
          await page.waitForSelector('html[data-charts-ready]');
          await page.screenshot({ path: join(OUT, `${name}-print-${width}.png`), fullPage: true });
          await page.pdf({ path: join(OUT, `${name}.pdf`), format: 'A4', printBackground: true });
        }
        await page.emulateMedia({ media: 'screen' });
        await page.emulateMedia({ media: 'print' });
        await page.goto(`${app.url}/runs/${runId}`);
        await page.waitForSelector('html[data-charts-ready]');
        await page.screenshot({ path: join(OUT, `run-results-print-${width}.png`), fullPage: true });
        await page.emulateMedia({ media: 'screen' });
      }
      // The editor with validation errors.
      await page.goto(`${app.url}/scenarios/new`);
      await page.fill('#f-guarantee-coverageRatio', '150');
      await page.fill('#f-fund-initialCapital', 'lots');
      await page.click('button[value="simulate"]');
      await page.screenshot({ path: join(OUT, `editor-errors-${width}.png`), fullPage: true });
      // A run in progress.
      const big = await api('/api/v1/simulate/montecarlo', { scenario: preset.scenario, paths: 20000, seed: 3 });
      await page.goto(`${app.url}/runs/${big.id as string}`);
      await page.waitForFunction(() => Number(document.getElementById('run')?.getAttribute('data-progress') ?? 0) > 5, undefined, { timeout: 60_000 });
      await page.screenshot({ path: join(OUT, `run-progress-${width}.png`), fullPage: true });
      await fetch(`${app.url}/api/v1/runs/${big.id as string}`, { method: 'DELETE' });
      await page.close();
    }
    console.log(`Screenshots in ${OUT}`);
  } finally {
    await browser.close();
    await app.close();
    await pool.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
