import { defineConfig } from 'vitest/config';

/**
 * The slow kinds, left out of `npm run test:fast` (`vitest run --mode fast`); `npm test` and CI
 * run everything.
 */
const SLOW = [
  // Real Chromium.
  'test/web/*e2e*.test.ts',
  // The server killed with SIGKILL again and again.
  'test/durability/**',
  // The command-line tools started as programs (their cases run in-process, in the fast loop).
  'test/cli/programs.test.ts',
  // Every page crawled in the pseudo-locale.
  'test/web/i18n-crawl.test.ts',
  // Statistical coverage checks: many simulated loan tapes fitted each.
  'test/calibration/estimators.test.ts',
  'test/calibration/backtest.test.ts',
  // Every training exercise's reference runs, in every language.
  'test/web/training.test.ts',
  'test/web/i18n-training.test.ts',
  // The worker pools themselves: worker threads started again and again, each loading the code.
  'test/montecarlo/pool.test.ts',
  'test/web/policy-pool.test.ts',
];

export default defineConfig(({ mode }) => {
  const fast = mode === 'fast';
  return {
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      ...(fast
        ? {
          exclude: SLOW,
          // Every core, and the modules loaded once per worker rather than once per file.
          maxWorkers: '100%',
          isolate: false,
        }
        : {}),
    },
  };
});
