/**
 * Command line:
 *   npm run simulate -- <scenario.json> [--format table|json|csv]
 *   npm run simulate -- <scenario.json> --paths 10000 [--seed 42] [--target-depletion 0.01] [--format table|json|csv]
 * A thin shell over the core: read the file, validate it, project (or run Monte Carlo on the
 * worker pool), print. Bad input is answered with one line per bad field on stderr and exit
 * code 2; never a stack trace.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { project, type Projection } from '../core/projection.ts';
import { riskAnalytics } from '../core/analytics.ts';
import { capitalForDepletionTarget, type CapitalForTarget } from '../core/montecarlo/run.ts';
import { PERCENTILES, type MonteCarloResult } from '../core/montecarlo/types.ts';
import { ledgerTable, lendingTable, pathSummaryTable, toCsv, type Table } from '../core/report.ts';
import { issuesOf, parseScenario, type Scenario } from '../core/schema.ts';
import { breakEvenFee } from '../core/solvers.ts';
import { STAGE_LABELS } from '../core/stages.ts';
import { MonteCarloPool } from '../montecarlo/pool.ts';
import { InputError, progressBar, readJsonFile, runCommand } from './common.ts';

const USAGE = 'usage: npm run simulate -- <scenario.json> [--format table|json|csv] [--paths N [--seed S] [--target-depletion P]]';

/** A whole number given as a flag: the text must be digits only. */
const wholeFlag = (label: string, min: number, max: number) =>
  z.string().regex(/^\d+$/, { error: `must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min.toLocaleString('en')}` }).max(max, { error: `${label} must be at most ${max.toLocaleString('en')}` }));

const MAX_CLI_PATHS = 1_000_000;

const OptionsSchema = z.object({
  file: z.string({ error: 'is required: the path of a scenario JSON file' }),
  format: z.enum(['table', 'json', 'csv'], { error: 'must be table, json or csv' }).default('table'),
  paths: wholeFlag('paths', 1, MAX_CLI_PATHS).optional(),
  seed: wholeFlag('seed', 0, 2 ** 32 - 1).optional(),
  targetDepletion: z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a probability between 0 and 1, such as 0.01' }).transform(Number).optional(),
}).refine((o) => o.paths !== undefined || (o.seed === undefined && o.targetDepletion === undefined), {
  path: ['paths'], error: 'is required with --seed and --target-depletion (they apply to Monte Carlo runs)',
});

type CliOptions = z.output<typeof OptionsSchema>;

function parseCommandLine(argv: string[]): CliOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' }, paths: { type: 'string' }, seed: { type: 'string' }, 'target-depletion': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new InputError([{ path: 'arguments', message: (e as Error).message }]);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length > 1) throw new InputError([{ path: 'arguments', message: 'give one scenario file' }]);
  const v = parsed.values;
  const options = OptionsSchema.safeParse({ file: parsed.positionals[0], format: v.format, paths: v.paths, seed: v.seed, targetDepletion: v['target-depletion'] });
  const flag = (path: string) => (path === 'file' ? 'scenario file' : `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (!options.success) throw new InputError(issuesOf(options.error).map((i) => ({ ...i, path: flag(i.path) })));
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
    if (typeof v === 'string' && /^-?\d+\.\d\d$/.test(v)) return Number(v).toLocaleString('en', { maximumFractionDigits: 0 });
    if (typeof v === 'number') return v.toLocaleString('en', { minimumFractionDigits: Number.isInteger(v) ? 0 : 2, maximumFractionDigits: 2 });
    return String(v ?? '—');
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
  const risk = riskAnalytics(s);
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
    `  Risk capital at ${percent(risk.confidence, 1)}: ${percent(risk.portfolio.capitalPerUnitGuaranteed, 2)} of guarantees (worst-case default rate ${percent(risk.portfolio.worstCaseDefaultRate, 2)}); maximum prudent leverage ${times(risk.portfolio.maximumPrudentLeverage)}`,
    `  Basel IRB risk weight of the guaranteed exposures: ${percent(risk.portfolio.baselCorporateRiskWeight)} as SME corporates, ${percent(risk.portfolio.baselRetailRiskWeight)} as other retail`,
    '',
  ].join('\n');
}

function monteCarloReport(s: Scenario, r: MonteCarloResult, target: CapitalForTarget | null, targetLevel?: number): string {
  const m = money(s.currency);
  const horizon = r.periodLabels.length - 1;
  const band = (fan: MonteCarloResult['capital'], i: number) => fan.bands[i]![horizon]!;
  const years = r.probabilityOfDepletion.map((p, y) => ({ y: y + 1, p, below: r.probabilityBelowMinimumCapital[y]! }));
  const lines = [
    `${s.name} — Monte Carlo, ${r.paths.toLocaleString('en')} paths, seed ${r.seed}`,
    '',
    'Capital at the horizon',
    ...PERCENTILES.map((pc, i) => `  ${`${pc}${pc === 1 ? 'st' : 'th'}`.padStart(4)} percentile  ${m(band(r.capital, i))}`),
    `  mean             ${m(r.capital.mean[horizon]!)}`,
    '',
    'Probability of depletion by year (cumulative)',
    '  Year  Capital < 0  Under minimum capital ratio',
    ...years.map(({ y, p, below }) => `  ${String(y).padStart(4)}  ${percent(p, 2).padStart(11)}  ${percent(below, 2).padStart(27)}`),
    '',
    `Cumulative net claims: mean ${m(r.netClaims.mean)}, standard deviation ${m(r.netClaims.standardDeviation)}`,
    '  Level   Value at risk   Expected shortfall',
    ...r.netClaims.tail.map((t) => `  ${percent(t.level, 1).padStart(6)}  ${m(t.valueAtRisk).padStart(14)}  ${m(t.expectedShortfall).padStart(19)}`),
  ];
  if (target && targetLevel !== undefined) {
    lines.push('', target.capital === null
      ? `Capital for a probability of depletion of at most ${percent(targetLevel, 2)}: ${target.reason}`
      : `Capital for a probability of depletion of at most ${percent(targetLevel, 2)}: ${m(target.capital)} (${percent(target.probability, 2)} at that capital)`);
  }
  return `${lines.join('\n')}\n`;
}

async function runMonteCarloCommand(s: Scenario, options: CliOptions & { paths: number }): Promise<void> {
  const pool = new MonteCarloPool();
  try {
    const seed = options.seed ?? s.monteCarlo.seed;
    const result = await pool.run(s, { paths: options.paths, seed }, { onProgress: progressBar('simulating') });
    const target = options.targetDepletion === undefined ? null : capitalForDepletionTarget(s, options.targetDepletion, { paths: options.paths, seed });
    if (options.format === 'json') {
      const { pathSummaries: _omitted, ...rest } = result;
      process.stdout.write(`${JSON.stringify({ ...rest, capitalForTarget: target }, null, 2)}\n`);
    } else if (options.format === 'csv') process.stdout.write(toCsv(pathSummaryTable(result)));
    else process.stdout.write(monteCarloReport(s, result, target, options.targetDepletion));
  } finally {
    await pool.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const options = parseCommandLine(argv);
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseScenario(readJsonFile(options.file));
  if (!parsed.ok) throw new InputError(parsed.issues);
  if (options.paths !== undefined) {
    await runMonteCarloCommand(parsed.value, { ...options, paths: options.paths });
    return 0;
  }
  const projection = project(parsed.value);
  if (options.format === 'json') {
    const report = { summary: projection.summary, breakEvenFee: breakEvenFee(parsed.value), riskAnalytics: riskAnalytics(parsed.value), lending: projection.lending, periods: projection.periods };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (options.format === 'csv') process.stdout.write(toCsv(ledgerTable(projection)));
  else process.stdout.write(humanReport(projection));
  return 0;
}

process.exitCode = await runCommand(USAGE, () => main(process.argv.slice(2)));
