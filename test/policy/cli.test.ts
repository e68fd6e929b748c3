import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import * as compareBudget from '../../src/cli/compare-budget.ts';
import * as sensitivity from '../../src/cli/sensitivity.ts';
import { runInProcess } from '../support/cli.ts';

const COMPARE = compareBudget;
const SENSITIVITY = sensitivity;
const FIXTURE = new URL('../../src/presets/comparisons/founding-stage-budget.json', import.meta.url).pathname;

const cli = (command: { main: typeof compareBudget.main | typeof sensitivity.main; USAGE: string }, ...args: string[]) => runInProcess(command.USAGE, command.main, args);

const tmp = mkdtempSync(join(tmpdir(), 'policy-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('compare-budget CLI', () => {
  it('prints the side-by-side table for the fixture (scenario given as a preset id)', async () => {
    const r = await cli(COMPARE, FIXTURE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Guarantee fund');
    expect(r.stdout).toContain('Microfinance institution');
    expect(r.stdout).toContain('Revolving loan fund');
    expect(r.stdout).toContain('Interest subsidy');
    // Every option on one basis: distinct firms and loans, budget used, money left, PV cost at one rate.
    for (const row of ['Firms reached (distinct)', 'Loans made', 'Lending', 'Additional lending', 'Budget used (at its peak)', 'Share of the budget used', 'Money left at the horizon', 'PV cost (lifetime, at 4.0 %)', 'PV cost per firm reached']) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(row));
      expect(line, row).toBeDefined();
      expect(line!.slice(row.length).trim().split(/\s{2,}/), row).toHaveLength(4);
    }
    expect(r.stdout).toContain('Comparison basis');
    expect(r.stdout).toMatch(/discounted at 4 % a year/);
    expect(r.stdout).toContain('In short');
    expect(r.stdout).toMatch(/Interest subsidy is the cheapest for borrowers .*: it reaches [\d,]+ firms .*; it uses EUR [\d,]+ of the EUR 10,000,000 budget/);
    expect(r.stdout).toMatch(/microfinance.portfolioYield = 0.26 \[sourced\] median interest yield/);
    expect(r.stdout).not.toMatch(/DOMAIN|\.\.\/shared/);
  });

  it('JSON: the revolving fund ledger balances to the cent in every year', async () => {
    const r = await cli(COMPARE, FIXTURE, '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { comparison: { options: { option: string; detail: { years: Record<string, string>[] } }[] }; monteCarlo: null };
    expect(out.monteCarlo).toBeNull();
    const rlf = out.comparison.options.find((o) => o.option === 'revolvingFund')!;
    for (const y of rlf.detail.years) {
      const d = (k: string) => new Decimal(y[k]!);
      expect(d('openingCash').plus(d('principalRepaid')).plus(d('interestReceived')).plus(d('recoveries')).plus(d('idleCashInterest')).minus(d('amountDisbursed')).minus(d('adminCosts')).equals(d('closingCash'))).toBe(true);
    }
  });

  it('CSV with the Monte Carlo figures, one row per option', async () => {
    const r = await cli(COMPARE, FIXTURE, '--format', 'csv', '--paths', '50', '--seed', '3');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('option,firms_reached,loans_made,credit_volume,additional_credit,borrower_all_in_rate,budget_used,budget_used_share,value_left_at_horizon,discount_rate,pv_cost,pv_cost_per_firm,pv_cost_per_unit_additional_credit,value_left_p5,value_left_median,value_left_p95,probability_losing_half');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['guaranteeFund', 'microfinance', 'revolvingFund', 'interestSubsidy']);
  });

  it('bad input: one line per bad field, exit code 2, no stack trace', async () => {
    const bad = file('bad.json', { budget: -1, horizonYears: 40, target: { kind: 'explicit', firmsPerYear: 10, loanSize: 0, tenorYears: 1, annualPd: 0.1, lossGivenDefault: 0.5 } });
    const r = await cli(COMPARE, bad, '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe([
      '--format: must be table, json or csv',
      'usage: npx tsx src/cli/compare-budget.ts <comparison.json> [--format table|json|csv] [--csv summary|years] [--monte-carlo] [--paths N] [--seed S]',
      '',
    ].join('\n'));
    const r2 = await cli(COMPARE, bad);
    expect(r2.code).toBe(2);
    expect(r2.stderr.split('\n').slice(0, 3)).toEqual(['budget: must be more than 0', 'horizonYears: must be at most 30 years', 'target.loanSize: must be more than 0']);
    expect(r2.stderr).not.toMatch(/at .*\.ts:\d+/);
    const r3 = await cli(COMPARE, file('broken.json', '{ nope'));
    expect(r3.code).toBe(2);
    expect(r3.stderr.split('\n')[0]).toMatch(/broken\.json: is not valid JSON/);
  });
});

describe('sensitivity CLI', () => {
  it('tornado: a table sorted by swing', async () => {
    const r = await cli(SENSITIVITY, 'startup-local-fund', '--tornado', '--indicator', 'capital', '--parameters', 'guarantee.annualFee.0.rate,fund.initialCapital=5000000:15000000', '--change', '0.2');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^(Initial capital|Annual guarantee fee)/.test(l));
    expect(rows.map((l) => l.split('  ')[0]!.trim())).toEqual(['Initial capital', 'Annual guarantee fee']);
  });

  it('sweep: a heat map of the probability of depletion with the boundary at the target', async () => {
    const r = await cli(SENSITIVITY, 'startup-local-fund', '--sweep', 'guarantee.coverageRatio=0.5:1:3', 'guarantee.annualFee.0.rate=0.01:0.03:2', '--indicator', 'depletion', '--paths', '50', '--target', '0.05', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { values: number[][]; contour: { feasible: boolean[][] } };
    expect(out.values).toHaveLength(2);
    expect(out.values[0]).toHaveLength(3);
    expect(out.contour.feasible).toHaveLength(2);
  });

  it('search: prints the best point or says none is feasible', async () => {
    const r = await cli(SENSITIVITY, 'startup-local-fund', '--search', '--target', '0.05', '--fee-ceiling', '0.03', '--paths', '50', '--steps', '3', '--refinements', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Best: coverage \d+\.\d\d %, annual fee \d+\.\d{3} %|No feasible point/);
  });

  it('bad input: one line per bad field, exit code 2, no stack trace', async () => {
    const r = await cli(SENSITIVITY, 'startup-local-fund', '--tornado', '--indicator', 'capitol', '--parameters', 'guarantee.coverageRatio,fund.nothing', '--change', 'lots');
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('--indicator: must be one of capital, depletion, additionalLending, fiscalCostPerAdditionalLoan, firmsSupported');
    expect(lines[1]).toBe('--change: must be a number');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    const paths = await cli(SENSITIVITY, 'startup-local-fund', '--tornado', '--parameters', 'guarantee.coverageRatio,fund.nothing');
    expect(paths.stderr.split('\n')[0]).toMatch(/^--parameters \(2nd\): fund\.nothing is not a parameter that can be varied/);
    const search = await cli(SENSITIVITY, 'startup-local-fund', '--search', '--fee-ceiling', '0.5');
    expect(search.code).toBe(2);
    expect(search.stderr.split('\n').slice(0, 2)).toEqual(['--target: is required', '--fee-ceiling: must be at most 0.2 (20 % a year)']);
    const modes = await cli(SENSITIVITY, 'startup-local-fund');
    expect(modes.stderr.split('\n')[0]).toBe('arguments: give exactly one of --tornado, --sweep, --search');
  });
});
