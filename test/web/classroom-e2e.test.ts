/**
 * The classroom journey in headless Chromium, on a server that requires sign-in: a trainer
 * creates a class and assigns an exercise; two trainees sign up with the join code, save the
 * exercise's scenario and submit their numbers (one right, one off); the trainer sees the
 * table with each number checked, opens a trainee's scenario and downloads the CSV. Fails on
 * any page or console error; waits for elements and navigations, never for a length of time.
 * Screenshots of each classroom page at 1280 and 390 px go to screenshots/ (not kept in git).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exercise } from '../../src/training/exercises.ts';
import { launchBrowser, seriousViolations, startApp, type RunningApp } from './browser.ts';
import { watchProblems } from './e2e-support.ts';

const PASSWORD = 'a long password';
const SHOTS = join(process.cwd(), 'screenshots');
let app: RunningApp;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let problems: string[] = [];
/** A form sent back with its errors answers 422, which the browser reports on the console: expected only where a test says so. */
let allowedConsole: RegExp | null = null;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startApp({ auth: 'required' });
  await app.web.storage.users.add('tina', 'trainer', PASSWORD);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = watchProblems(page, () => allowedConsole);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Both widths, the phone's without sideways scrolling of the page itself. */
async function shoot(name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    if (width === 390) expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at 390 px`).toBeLessThanOrEqual(390);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The cells of one CSV line (RFC 4180 quoting). */
const cells = (line: string): string[] => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));

async function signOut(): Promise<void> {
  await page.goto(`${app.url}/account`);
  await Promise.all([page.waitForURL(/\/signin$/), page.click('#signout')]);
}

describe('the classroom journey', () => {
  let classUrl = '';
  let code = '';
  const asks = exercise('additionality')!.asks();

  it('the trainer creates a class and assigns an exercise', async () => {
    await page.goto(`${app.url}/signin`);
    await page.fill('#signin-name', 'tina');
    await page.fill('#signin-password', PASSWORD);
    await Promise.all([page.waitForURL(/\/$/), page.click('button:has-text("Sign in")')]);
    await page.click('nav >> text=Classes');
    await page.waitForSelector('#no-classes');
    await shoot('classes');
    await page.fill('#class-name', 'May course');
    await Promise.all([page.waitForURL(/\/classes\/[A-Za-z0-9_-]+$/), page.click('#create-class')]);
    classUrl = new URL(page.url()).pathname;
    code = (await page.textContent('#join-code-value'))!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await page.selectOption('#assign-exercise', 'additionality');
    await page.fill('#assign-due', '2099-01-31');
    await Promise.all([page.waitForURL(/flash=assigned/), page.click('#assign')]);
    await expect(page.textContent('.assignment h3')).resolves.toContain('Additionality and substitution');
    await expect(page.textContent('.class-table tbody')).resolves.toContain('No trainee has joined yet.');
    expect(await seriousViolations(page)).toEqual([]);
    await signOut();
    expect(problems).toEqual([]);
  }, 60_000);

  const traineeSubmits = async (name: string, answers: string[], explanation: string, shots: boolean) => {
    await page.goto(`${app.url}/join?code=${code}`);
    await expect(page.inputValue('#join-code')).resolves.toBe(code);
    if (shots) await shoot('join');
    await page.fill('#join-name', name);
    await page.fill('#join-password', PASSWORD);
    await page.fill('#join-confirm', PASSWORD);
    await Promise.all([page.waitForURL(/flash=joined/), page.click('#join-submit')]);
    await page.waitForSelector('#flash');
    // The exercise's scenario, saved from its editor.
    await page.goto(`${app.url}/training/additionality/low-substitution/edit`);
    await Promise.all([page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+/), page.click('button[value="save"]')]);
    await page.goto(`${app.url}${classUrl}`);
    await Promise.all([page.waitForURL(/\/assignments\//), page.click('.submit-link')]);
    if (shots) {
      // Sent empty first: every missing field is listed and the form kept (no JavaScript needed).
      allowedConsole = /422/;
      await page.evaluate('document.querySelector(".submit-form").noValidate = true');
      await Promise.all([page.waitForSelector('#submit-errors'), page.click('#submit-answers')]);
      allowedConsole = null;
      await expect(page.textContent('#submit-errors')).resolves.toContain('is required');
      await shoot('class-submit-errors');
    }
    for (const [i, a] of asks.entries()) await page.fill(`#answer-${a.id}`, answers[i]!);
    await page.fill('#explanation', explanation);
    await page.selectOption('#scenario', { index: 1 });
    if (shots) await shoot('class-submit');
    await Promise.all([page.waitForURL(/flash=submitted/), page.click('#submit-answers')]);
    await expect(page.textContent('.submitted')).resolves.toContain('You submitted on');
    if (shots) await shoot('class-trainee');
    expect(await seriousViolations(page)).toEqual([]);
    await signOut();
  };

  it('two trainees sign up with the code and submit', async () => {
    await traineeSubmits('tom', asks.map((a) => Math.round(a.value).toLocaleString('en')), 'Substitution inflates outreach, not lending.', true);
    await traineeSubmits('tia', [String(Math.round(asks[0]!.value * 2)), String(Math.round(asks[1]!.value))], 'Costs go up.', false);
    expect(problems).toEqual([]);
  }, 120_000);

  it('the trainer sees the table with checked numbers, opens a scenario, and exports CSV', async () => {
    await page.goto(`${app.url}/signin`);
    await page.fill('#signin-name', 'tina');
    await page.fill('#signin-password', PASSWORD);
    await Promise.all([page.waitForURL(/\/$/), page.click('button:has-text("Sign in")')]);
    await page.goto(`${app.url}${classUrl}`);
    const row = (name: string) => page.locator('.class-table tbody tr', { has: page.locator(`th:text-is("${name}")`) });
    await expect(row('tom').locator('.check-right').count()).resolves.toBe(2);
    await expect(row('tia').locator('.check-off').count()).resolves.toBe(1);
    await expect(row('tia').locator('.check-right').count()).resolves.toBe(1);
    await expect(row('tom').textContent()).resolves.toContain('Substitution inflates outreach');
    await shoot('class-trainer');
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    expect(download.suggestedFilename()).toBe('May-course.csv');
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]!.startsWith('class,exercise,due,trainee,')).toBe(true);
    expect(csv.filter((l) => l.includes(',tom,')).map((l) => cells(l)[12])).toEqual(['yes', 'yes']);
    expect(csv.filter((l) => l.includes(',tia,')).map((l) => cells(l)[12])).toEqual(['no', 'yes']);
    await Promise.all([page.waitForURL(/\/scenarios\/[A-Za-z0-9_-]+$/), row('tom').locator('a').click()]);
    await page.waitForSelector('h1');
    expect(problems).toEqual([]);
  }, 60_000);
});
