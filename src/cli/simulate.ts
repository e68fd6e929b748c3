/**
 * Command line: `npm run simulate -- <scenario.json> [--format table|json|csv]`
 * A thin shell over the core: read the file, validate it, project, print. Bad input is
 * answered with one line per bad field on stderr and exit code 2; never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { project, type Projection } from '../core/projection.ts';
import { ledgerTable, lendingTable, toCsv, type Table } from '../core/report.ts';
import { issuesOf, parseScenario, type FieldIssue } from '../core/schema.ts';
import { breakEvenFee } from '../core/solvers.ts';
import { STAGE_LABELS } from '../core/stages.ts';

const USAGE = 'usage: npm run simulate -- <scenario.json> [--format table|json|csv]';

const OptionsSchema = z.object({
  file: z.string({ error: 'is required: the path of a scenario JSON file' }),
  format: z.enum(['table', 'json', 'csv'], { error: 'must be table, json or csv' }).default('table'),
});

class InputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('bad input');
  }
}

function readScenarioFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError([{ path: file, message: code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})` }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError([{ path: file, message: `is not valid JSON: ${(e as Error).message}` }]);
  }
}

function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new InputError([{ path: 'arguments', message: (e as Error).message }]);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length > 1) throw new InputError([{ path: 'arguments', message: 'give one scenario file' }]);
  const options = OptionsSchema.safeParse({ file: parsed.positionals[0], format: parsed.values.format });
  if (!options.success) throw new InputError(issuesOf(options.error).map((i) => ({ ...i, path: i.path === 'file' ? 'scenario file' : `--${i.path}` })));
  return options.data;
}

const money = (currency: string) => {
  const f = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  return (x: { toNumber(): number } | number) => `${currency} ${f.format(typeof x === 'number' ? x : x.toNumber())}`;
};
const percent = (x: number | null, digits = 1) => (x === null ? '—' : `${(x * 100).toFixed(digits)} %`);
const times = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);

function renderTable(table: Table, pick: readonly string[], headers: readonly string[]): string {
  const idx = pick.map((c) => table.columns.indexOf(c));
  const cells = table.rows.map((r) => idx.map((i) => {
    const v = r[i];
    return typeof v === 'string' && /^-?\d+\.\d\d$/.test(v) ? Number(v).toLocaleString('en', { maximumFractionDigits: 0 }) : String(v ?? '—');
  }));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function humanReport(p: Projection): string {
  const s = p.scenario;
  const m = money(s.currency);
  const sum = p.summary;
  const fee = breakEvenFee(s);
  const ledger = renderTable(
    ledgerTable(p),
    ['period', 'opening_capital', 'upfront_fees', 'annual_fees', 'investment_income', 'recoveries', 'claims_paid', 'operating_costs', 'closing_capital', 'outstanding_guaranteed', 'leverage'],
    ['Period', 'Opening', 'Upfront fees', 'Annual fees', 'Investment', 'Recoveries', 'Claims', 'Op. costs', 'Closing', 'Outstanding', 'Leverage'],
  );
  const lending = renderTable(
    lendingTable(p),
    ['stage', 'applicants', 'loans_without_guarantee', 'loans_with_scheme', 'additional_loans', 'substituted_loans', 'collateral_gap_without', 'collateral_gap_with'],
    ['Stage', 'Applicants', 'Loans w/o', 'Loans with', 'Additional', 'Substituted', 'Gap w/o', 'Gap with'],
  );
  return [
    `${s.name} — ${s.horizonYears}-year projection (${s.period}, ${s.currency})`,
    '',
    'Fund ledger',
    ledger,
    '',
    'One year of applicants: lending with and without the guarantee',
    lending,
    '',
    'Summary',
    `  Capital: ${m(sum.initialCapital)} at the start, ${m(sum.closingCapital)} at the horizon (lowest ${m(sum.minimumCapital)})`,
    `  Depletion: ${sum.depletionYear === null ? 'capital never falls below zero' : `capital falls below zero in year ${sum.depletionYear}`}`,
    `  Rationing: ${sum.firstRationingYear === null ? 'capacity never binds' : `capacity binds from year ${sum.firstRationingYear}; ${m(sum.totalRationed)} of guarantees demanded could not be issued`}`,
    `  Firms supported: ${Math.round(sum.firmsSupported).toLocaleString('en')} (${Object.entries(sum.firmsSupportedByStage).map(([k, v]) => `${STAGE_LABELS[k as keyof typeof STAGE_LABELS]} ${Math.round(v).toLocaleString('en')}`).join(', ')})`,
    `  Guaranteed lending: ${m(sum.guaranteedLending)}, of which additional ${m(sum.additionalLending)} and substituted ${m(sum.substitutedLending)}`,
    `  Fiscal cost: ${m(sum.fiscalCost)}; per firm supported ${sum.fiscalCostPerFirm ? m(sum.fiscalCostPerFirm) : '—'}; per additional loan ${sum.fiscalCostPerAdditionalLoan ? m(sum.fiscalCostPerAdditionalLoan) : '—'}`,
    `  Leverage: peak ${times(sum.peakLeverage)}, at the horizon ${times(sum.leverageAtHorizon)} (cap ${times(s.fund.leverageCap)})`,
    `  Self-sufficiency: ${percent(sum.selfSufficiency)}; loss ratio ${percent(sum.lossRatio)}; claims ratio ${percent(sum.claimsRatio, 2)} a year`,
    `  Pending at the horizon: claims ${m(sum.pendingClaims)}, recoveries ${m(sum.pendingRecoveries)}`,
    `  Break-even annual fee: ${fee.fee === null ? fee.reason : percent(fee.fee, 2)}`,
    '',
  ].join('\n');
}

function main(argv: string[]): number {
  try {
    const options = parseCommandLine(argv);
    if (!options) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const parsed = parseScenario(readScenarioFile(options.file));
    if (!parsed.ok) throw new InputError(parsed.issues);
    const projection = project(parsed.value);
    if (options.format === 'json') process.stdout.write(`${JSON.stringify({ summary: projection.summary, lending: projection.lending, periods: projection.periods }, null, 2)}\n`);
    else if (options.format === 'csv') process.stdout.write(toCsv(ledgerTable(projection)));
    else process.stdout.write(humanReport(projection));
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      for (const issue of e.issues) process.stderr.write(`${issue.path}: ${issue.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
