/**
 * Each command-line tool started as the program it is, once: its output reaches stdout and
 * stderr, and its exit code the shell. The cases themselves run in-process (test/cli,
 * test/policy/cli.test.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

async function program(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { cwd: ROOT, maxBuffer: 16 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the command-line programs', () => {
  it('simulate: the ledger as CSV on stdout, exit code 0; a missing file named on stderr with the usage, exit code 2', async () => {
    const ok = await program('simulate', 'src/presets/default.json', '--format', 'csv');
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toMatch(/^period,view,year,opening_capital,/);
    const bad = await program('simulate', 'no-such-scenario.json');
    expect(bad).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^no-such-scenario\.json: no such file\nusage: npm run simulate/) });
  });

  it('compare-budget, sensitivity and calibrate: the usage on --help or bad arguments, with their exit codes, never a stack trace', async () => {
    const help = await program('compare-budget', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: /);
    const sensitivity = await program('sensitivity');
    expect(sensitivity.code).toBe(2);
    expect(sensitivity.stderr).toMatch(/^arguments: give exactly one of --tornado, --sweep, --search\nusage: /);
    const calibrate = await program('calibrate');
    expect(calibrate.code).toBe(2);
    expect(calibrate.stderr).toMatch(/^loans: give the loan tape/);
    for (const r of [help, sensitivity, calibrate]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
