/**
 * Screenshots of every page at 1280 px and 390 px wide, into screenshots/ (gitignored).
 * Run: npx tsx test/web/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MonteCarloPool } from '../../src/montecarlo/pool.ts';
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
    const pages: [string, string][] = [
      ['home', '/'],
      ['editor', '/scenarios/new'],
      ['preset-results', '/presets/default'],
      ['run-results', `/runs/${runId}`],
      ['saved-results', `/scenarios/${saved.id as string}`],
      ['saved-list', '/scenarios'],
      ['compare', `/compare?s=preset:default&s=preset:japan-cgc&s=preset:thailand-tcg`],
      ['not-found', '/no-such-page'],
    ];
    for (const width of [1280, 390]) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      for (const [name, path] of pages) {
        await page.goto(`${app.url}${path}`);
        if (await page.locator('#chart-data').count()) await page.waitForSelector('html[data-charts-ready]');
        await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
      }
      // The print stylesheet, on a run's results.
      if (width === 1280) {
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
