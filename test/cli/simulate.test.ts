import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { main, USAGE } from '../../src/cli/simulate.ts';
import { PRESET_IDS } from '../../src/presets/index.ts';
import { runInProcess } from '../support/cli.ts';

const simulate = (...args: string[]) => runInProcess(USAGE, main, args);

const presetFile = (id: string) => new URL(`../../src/presets/${id}.json`, import.meta.url).pathname;

describe('npm run simulate', () => {
  it.each(PRESET_IDS)('%s: a 10-year projection and its run-off, whose ledger balances, as JSON', async (id) => {
    const { code, stdout } = await simulate(presetFile(id), '--format', 'json');
    expect(code).toBe(0);
    type Row = { year: number; ledger: Record<string, string> };
    const report = JSON.parse(stdout) as { periods: Row[]; runoff: Row[]; costing: { cohorts: unknown[]; lifetime: { economicCost: string } } };
    expect(new Set(report.periods.map((p) => p.year)).size).toBe(10);
    expect(report.runoff.length).toBeGreaterThan(0);
    expect(report.costing.cohorts).toHaveLength(10);
    expect(Number(report.costing.lifetime.economicCost)).not.toBeNaN();
    for (const { ledger: l } of [...report.periods, ...report.runoff]) {
      const d = (k: string) => new Decimal(l[k]!);
      const inflow = ['capitalInjection', 'capitalCalls', 'stateCompensation', 'upfrontFees', 'annualFees', 'investmentIncome', 'recoveries', 'reinsuranceRecoveries'].reduce((a, k) => a.plus(d(k)), new Decimal(0));
      const outflow = ['claimsPaid', 'operatingCosts', 'reinsurancePremiums', 'recoveriesPassedToReinsurer'].reduce((a, k) => a.plus(d(k)), new Decimal(0));
      expect(d('opening').plus(inflow).minus(outflow).equals(d('closing'))).toBe(true);
    }
  });

  it('prints a readable table and a CSV with one row per period', async () => {
    const table = await simulate(presetFile('default'));
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Fund ledger');
    expect(table.stdout).toContain('Run-off after the horizon');
    expect(table.stdout).toMatch(/Break-even annual fee:\n {4}\d+\.\d\d % — lifetime, without investment income \(the scenario’s basis\)/);
    expect(table.stdout).toMatch(/Cohort .* Subsidy rate/);
    expect(table.stdout).toMatch(/\n10 .* \d\.\d\d %/);
    const csv = await simulate(presetFile('default'), '--format', 'csv');
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^period,view,year,opening_capital,/);
    // Ten years to the horizon, then the run-off of the year-10 cohort's 5-year loans and its lags.
    expect(lines.filter((l) => l.includes(',horizon,'))).toHaveLength(10);
    expect(lines.filter((l) => l.includes(',run-off,')).length).toBeGreaterThan(4);
  });

  it.each(PRESET_IDS)('%s: Monte Carlo from the command line', async (id) => {
    const { code, stdout } = await simulate(presetFile(id), '--paths', '64', '--seed', '5', '--format', 'json');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { paths: number; probabilityOfDepletion: number[]; capital: { bands: (number | null)[][] } };
    expect(r.paths).toBe(64);
    expect(r.probabilityOfDepletion).toHaveLength(10);
    // Percentile bands are ordered at every period.
    const bands = r.capital.bands as number[][];
    for (let i = 1; i < bands.length; i++) bands[i]!.forEach((x, t) => expect(x).toBeGreaterThanOrEqual(bands[i - 1]![t]!));
  });

  it('runs Monte Carlo and gives one CSV row per path', async () => {
    const { code, stdout } = await simulate(presetFile('default'), '--paths', '40', '--seed', '3', '--format', 'csv');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\r\n');
    expect(lines[0]).toBe('path,closing_capital,minimum_capital,cumulative_net_claims,depletion_year,firms_supported,horizon_pv_fiscal_cost,lifetime_pv_fiscal_cost,lifetime_economic_cost,capital_calls');
    expect(lines).toHaveLength(41);
  });

  it('answers bad input with one line per bad field, exit code 2, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, name: 'x', horizonYears: 99, fund: { initialCapital: -5 }, guarantee: { coverageRatio: 2 }, lender: { fundingCost: 0.05 } }));
    const r = await simulate(bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('horizonYears: must be at most 30 years');
    expect(r.stderr).toContain('fund.initialCapital: must be 0 or more');
    expect(r.stderr).toContain('guarantee.coverageRatio: must be between 0 and 1');
    expect(r.stderr).toContain('stages: is required');
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    const r2 = await simulate(notJson);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/not\.json: is not valid JSON/);

    const r3 = await simulate(join(dir, 'missing.json'));
    expect(r3.stderr).toMatch(/missing\.json: no such file/);

    const r4 = await simulate(presetFile('default'), '--paths', '2000000', '--format', 'xml');
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain('--paths: paths must be at most 1,000,000');
    expect(r4.stderr).toContain('--format: must be table, json or csv');

    const r5 = await simulate(presetFile('default'), '--seed', '4');
    expect(r5.stderr).toContain('--paths: is required with --seed');
  });
});
