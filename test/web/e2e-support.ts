/** What every browser test watches for: page and console errors, and serious accessibility violations. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations } from './browser.ts';

/**
 * Records every page error and console error of `page` in the returned list, except console
 * errors that `allowed()` matches at the time (a test that expects a 422 page says so).
 */
export function watchProblems(page: Page, allowed: () => RegExp | null = () => null): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowed()?.test(m.text())) problems.push(`console.error: ${m.text()}`);
  });
  return problems;
}

/** axe-core on the page as it stands: no serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const bad = await seriousViolations(page);
  expect(bad, `${label}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}
