/**
 * The main journey in each language, in real headless Chromium: a preset, the editor with
 * numbers typed the language's way, a Monte Carlo run, save, a training exercise and its
 * printable handout. Each page is checked with axe-core and photographed at 1280 and 390 px
 * into screenshots/i18n/ (gitignored) for a person to look at; the handout in Chinese and Thai
 * must print with a font that has the script (so nothing prints as boxes), and is saved as a
 * PDF page beside the screenshots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonteCarloPool } from '../../src/pool/pool.ts';
import { launchBrowser, startApp, type RunningApp } from './browser.ts';
import { expectAccessible, watchProblems } from './e2e-support.ts';

const OUT = join(process.cwd(), 'screenshots', 'i18n');

/** How each language writes 250 million and 75.5 (the form must read them back exactly). */
const JOURNEYS = [
  { code: 'en', capital: '250,000,000', coverage: '75.5' },
  { code: 'zh-CN', capital: '250,000,000', coverage: '75.5' },
  { code: 'es', capital: '250.000.000', coverage: '75,5' },
  { code: 'vi', capital: '250.000.000', coverage: '75,5' },
  { code: 'id', capital: '250.000.000', coverage: '75,5' },
  { code: 'th', capital: '250,000,000', coverage: '75.5' },
] as const;

/** Families with the script, as Debian's fonts-noto-cjk and fonts-thai-tlwg name them. */
const SCRIPT_FONTS: Record<string, RegExp> = {
  'zh-CN': /Noto Sans CJK|Noto Serif CJK|Source Han|WenQuanYi|Droid Sans Fallback/i,
  th: /Loma|Garuda|Kinnari|Norasi|Sawasdee|Tlwg|Waree|Umpush|Laksaman|Purisa|Noto Sans Thai|Noto Serif Thai/i,
};

let app: RunningApp;
let pool: MonteCarloPool;
let browser: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  pool = new MonteCarloPool({ workers: 2 });
  app = await startApp({ pool, inlinePaths: 200 });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await pool?.close();
});

/** The font families Chromium drew an element's text with. */
async function fontsUsed(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `${selector} *` });
    const names = new Set<string>();
    for (const nodeId of nodeIds.slice(0, 200)) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const f of fonts) names.add(f.familyName);
    }
    return [...names];
  } finally {
    await cdp.detach();
  }
}

async function shoot(page: Page, code: string, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: join(OUT, `${code}-${name}-${width}.png`) });
    if (width === 1280) await page.screenshot({ path: join(OUT, `${code}-${name}-${width}-full.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function step(page: Page, code: string, name: string): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe(code);
  await expectAccessible(page, `${code} ${name}`);
  await shoot(page, code, name);
}

describe.each(JOURNEYS)('the main journey in $code', ({ code, capital, coverage }) => {
  it('goes from a preset to a saved Monte Carlo run, an exercise and its handout', async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(`${app.url}/?lang=${code}`);
      await step(page, code, 'home');

      await page.goto(`${app.url}/presets/default`);
      await page.waitForSelector('html[data-charts-ready]');
      await step(page, code, 'preset');

      await page.goto(`${app.url}/scenarios/new?from=preset:default`);
      await page.fill('#f-name', `Fund ${code}`);
      await page.fill('#f-fund-initialCapital', capital);
      await page.fill('#f-guarantee-coverageRatio', coverage);
      await page.fill('#f-monteCarlo-paths', '2000');
      await step(page, code, 'editor');
      await page.click('button[value="montecarlo"]');
      await page.waitForURL(/\/runs\/[A-Za-z0-9_-]+$/);
      await page.waitForSelector('#run-progress', { state: 'detached', timeout: 120_000 });
      await page.waitForSelector('html[data-charts-ready]');
      // The numbers typed the language's way arrived as 250 million and 75.5 %.
      const scenario = JSON.parse(await page.inputValue('form[action="/runs"] input[name="scenarioJson"]')) as { fund: { initialCapital: number }; guarantee: { coverageRatio: number } };
      expect(scenario.fund.initialCapital).toBe(250_000_000);
      expect(scenario.guarantee.coverageRatio).toBeCloseTo(0.755, 12);
      await step(page, code, 'run');

      await page.click('form[action="/scenarios"] button[type="submit"]');
      await page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+\?flash=saved$/);
      await step(page, code, 'saved');

      await page.goto(`${app.url}/training`);
      await step(page, code, 'training');
      const exercise = await page.getAttribute('main a[href^="/training/"]', 'href');
      expect(exercise).toBeTruthy();
      await page.goto(`${app.url}${exercise}`);
      await step(page, code, 'exercise');
      const handout = await page.getAttribute('a[href$="/summary"]', 'href');
      expect(handout).toBeTruthy();
      await page.goto(`${app.url}${handout}`);
      await step(page, code, 'handout');
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(OUT, `${code}-handout-print.png`), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      const script = SCRIPT_FONTS[code];
      if (script) {
        // Printed, the handout's text is drawn with a font that has the script (the fonts
        // Chromium actually used, as its DevTools protocol reports them), not boxes.
        await page.emulateMedia({ media: 'print' });
        const fonts = await fontsUsed(page, 'main');
        expect(fonts.some((f) => script.test(f)), `${code} handout fonts: ${fonts.join(', ')}`).toBe(true);
        await page.emulateMedia({ media: 'screen' });
        writeFileSync(join(OUT, `${code}-handout.pdf`), await page.pdf({ format: 'A4', printBackground: true }));
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);
});
