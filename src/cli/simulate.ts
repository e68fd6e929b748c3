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
import { conventionsInForce } from '../core/conventions.ts';
import { intervalOfShare } from '../core/stats/intervals.ts';
import { cohortTable, costTable, ledgerTable, lendingTable, pathSummaryTable, toCsv, type Table } from '../core/report.ts';
import { issuesOf, parseScenario, type Scenario } from '../core/schema.ts';
import { BREAK_EVEN_BASES, BREAK_EVEN_BASIS_LABELS, breakEvenFees } from '../core/solvers.ts';
import { STAGE_LABELS } from '../core/stages.ts';
import { MonteCarloPool } from '../pool/pool.ts';
import { type CommandOutput, InputError, progressBar, readJsonFile, runIfProgram } from './common.ts';

export const USAGE = 'usage: npm run simulate -- <scenario.json> [--format table|json|csv] [--paths N [--seed S] [--target-depletion P]]';

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
/** A share of Monte Carlo paths with its 95 % Wilson interval. */
const withInterval = (share: number, paths: number) => {
  const i = intervalOfShare(share, paths);
  return `${percent(share, 2)} (95 % interval ${percent(i.lower, 2)}–${percent(i.upper, 2)})`;
};
const times = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);

/** Columns shown as percentages in the terminal (the CSV keeps fractions). */
const PERCENT_COLUMNS = new Set(['subsidy_rate', 'expected_lifetime_loss']);

function renderTable(table: Table, pick: readonly string[], headers: readonly string[]): string {
  const idx = pick.map((c) => table.columns.indexOf(c));
  const cells = table.rows.map((r) => idx.map((i) => {
    const v = r[i];
    if (PERCENT_COLUMNS.has(table.columns[i]!)) return typeof v === 'number' ? percent(v, 2) : '—';
    if (typeof v === 'string' && /^-?\d+\.\d\d$/.test(v)) return Number(v).toLocaleString('en', { maximumFractionDigits: 0 });
    if (typeof v === 'number') return v.toLocaleString('en', { minimumFractionDigits: Number.isInteger(v) ? 0 : 2, maximumFractionDigits: 2 });
    return String(v ?? '—');
  }));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const COST_LABELS: Record<string, string> = {
  public_money_put_in: 'Public money put in',
  of_which_capital_calls: '  of which capital calls',
  of_which_state_compensation: '  of which state compensation',
  of_which_fee_subsidies: '  of which fee subsidies',
  capital_left: 'Capital left',
  cash_fiscal_cost: 'Cash fiscal cost (undiscounted)',
  pv_fiscal_cost: 'PV fiscal cost',
  pv_investment_income: 'PV of investment income',
  pv_forgone_return_on_capital: 'PV of the return forgone on capital',
  economic_cost: 'Economic cost (PV)',
  economic_cost_per_firm: '  per firm supported',
  economic_cost_per_additional_loan: '  per additional loan',
  economic_cost_per_unit_additional_lending: '  per unit of additional lending',
};

function humanReport(p: Projection): string {
  const s = p.scenario;
  const m = money(s.currency);
  const sum = p.summary;
  const fees = breakEvenFees(s);
  const risk = riskAnalytics(s);
  const c = p.costing;
  const ledgerAll = ledgerTable(p);
  const ledgerColumns = ['period', 'opening_capital', 'upfront_fees', 'annual_fees', 'investment_income', 'recoveries', 'claims_paid', 'operating_costs', 'closing_capital', 'outstanding_guaranteed', 'leverage'];
  const ledgerHeaders = ['Period', 'Opening', 'Upfront fees', 'Annual fees', 'Investment', 'Recoveries', 'Claims', 'Op. costs', 'Closing', 'Outstanding', 'Leverage'];
  const ledger = renderTable({ columns: ledgerAll.columns, rows: ledgerAll.rows.slice(0, p.periods.length) }, ledgerColumns, ledgerHeaders);
  const runoff = renderTable({ columns: ledgerAll.columns, rows: ledgerAll.rows.slice(p.periods.length) }, ledgerColumns, ledgerHeaders);
  const costRows = costTable(p).rows
    .filter((r) => r[0] !== 'years')
    .map((r) => (r[0] === 'economic_cost_per_unit_additional_lending'
      ? [COST_LABELS[r[0]]!, percent(r[1] as number | null, 2), percent(r[2] as number | null, 2)]
      : [COST_LABELS[r[0] as string] ?? String(r[0]), r[1]!, r[2]!]));
  const costs = renderTable({ columns: ['measure', 'horizon', 'lifetime'], rows: costRows }, ['measure', 'horizon', 'lifetime'], ['', `Horizon (${c.horizon.years} years)`, `Lifetime (${c.lifetime.years} years)`]);
  const cohorts = renderTable(
    cohortTable(p),
    ['cohort_year', 'guaranteed', 'claims', 'recoveries', 'fees', 'pv_claims', 'pv_recoveries', 'pv_fees', 'subsidy_cost', 'subsidy_rate', 'expected_lifetime_loss'],
    ['Cohort', 'Guaranteed', 'Claims', 'Recoveries', 'Fees', 'PV claims', 'PV recov.', 'PV fees', 'Subsidy cost', 'Subsidy rate', 'Lifetime loss'],
  );
  const feeLine = (basis: (typeof BREAK_EVEN_BASES)[number]) => {
    const f = fees[basis];
    const chosen = basis === s.costing.breakEvenBasis ? ' (the scenario’s basis)' : '';
    return `    ${f.fee === null ? f.reason : percent(f.fee, 2)} — ${BREAK_EVEN_BASIS_LABELS[basis]}${chosen}`;
  };
  const lending = renderTable(
    lendingTable(p),
    ['stage', 'applicants', 'loans_without_guarantee', 'loans_with_scheme', 'additional_loans', 'substituted_loans', 'collateral_gap_without', 'collateral_gap_with'],
    ['Stage', 'Applicants', 'Loans w/o', 'Loans with', 'Additional', 'Substituted', 'Gap w/o', 'Gap with'],
  );
  return [
    `${s.name} — ${s.horizonYears}-year projection (${s.period}, ${s.currency})`,
    '',
    'Fund ledger up to the horizon',
    ledger,
    '',
    ...(p.runoff.length > 0 ? ['Run-off after the horizon: no new lending, every cohort to its last claim and recovery', runoff, ''] : []),
    'What the programme costs: horizon and lifetime views (money in the scenario’s currency; PV at the start of year 1)',
    costs,
    '',
    'Cohorts over their whole life (credit-reform costing; PV at the start of each cohort’s year)',
    cohorts,
    `  All cohorts: subsidy cost ${m(c.programme.subsidyCost)} (PV), subsidy rate ${percent(c.programme.subsidyRate, 2)}; with operating costs ${m(c.programme.costWithOperatingCosts)}; per firm ${c.programme.perFirm ? m(c.programme.perFirm) : '—'}, per additional loan ${c.programme.perAdditionalLoan ? m(c.programme.perAdditionalLoan) : '—'}`,
    '',
    'One year of applicants: lending with and without the guarantee',
    lending,
    '',
    'Summary',
    `  Capital: ${m(sum.initialCapital)} at the start, ${m(sum.closingCapital)} at the horizon (lowest ${m(sum.minimumCapital)})`,
    `  Depletion: ${sum.depletionYear === null ? 'capital never falls below zero' : `capital falls below zero in year ${sum.depletionYear}`}`,
    `  Rationing: ${sum.firstRationingYear === null ? 'capacity never binds' : `capacity binds from year ${sum.firstRationingYear}; ${m(sum.totalRationed)} of guarantees demanded could not be issued`}`,
    `  Firms supported (distinct firms): ${Math.round(sum.firmsSupported).toLocaleString('en')} (${Object.entries(sum.firmsSupportedByStage).map(([k, v]) => `${STAGE_LABELS[k as keyof typeof STAGE_LABELS]} ${Math.round(v).toLocaleString('en')}`).join(', ')}); loans guaranteed ${Math.round(sum.loansGuaranteed).toLocaleString('en')}`,
    `  Guaranteed lending: ${m(sum.guaranteedLending)}, of which additional ${m(sum.additionalLending)} and substituted ${m(sum.substitutedLending)}`,
    `  Cash fiscal cost at the horizon: ${m(sum.fiscalCost)}; per firm supported ${sum.fiscalCostPerFirm ? m(sum.fiscalCostPerFirm) : '—'}; per additional loan ${sum.fiscalCostPerAdditionalLoan ? m(sum.fiscalCostPerAdditionalLoan) : '—'}`,
    `  Economic cost over the lifetime (PV, with the cost of public capital): ${m(c.lifetime.economicCost)}; per firm ${c.lifetime.economicCostPerFirm ? m(c.lifetime.economicCostPerFirm) : '—'}; per additional loan ${c.lifetime.economicCostPerAdditionalLoan ? m(c.lifetime.economicCostPerAdditionalLoan) : '—'}`,
    ...([sum.fiscalCost, sum.fiscalCostPerAdditionalLoan, c.lifetime.economicCost, c.lifetime.economicCostPerAdditionalLoan].some((x) => x?.isNegative() && !x.isZero())
      ? [`  A negative cost is a gain, not an error: more money comes back to the public than it put in (fees and investment income exceed claims and costs).`] : []),
    `  Leverage: peak ${times(sum.peakLeverage)}, at the horizon ${times(sum.leverageAtHorizon)} (cap ${times(s.fund.leverageCap)})`,
    `  Self-sufficiency: ${percent(sum.selfSufficiency)}; loss ratio ${percent(sum.lossRatio)}; claims ratio ${percent(sum.claimsRatio, 2)} a year`,
    `  At the horizon: claims incurred not yet paid ${m(c.provision.claimsIncurredNotPaid)}, recoveries to come ${m(c.provision.recoveriesReceivable)}`,
    `  Provision on the ${m(c.provision.outstandingGuaranteed)} outstanding at the horizon (expected loss, PV at the horizon): 12-month ${m(c.provision.twelveMonthExpectedLoss)}, lifetime ${m(c.provision.lifetimeExpectedLoss)}`,
    ...(c.capitalCalls.length > 0 ? [`  Capital calls: ${c.capitalCalls.map((x) => `${x.label} ${m(x.amount)}`).join(', ')}`] : []),
    '  Break-even annual fee:',
    ...BREAK_EVEN_BASES.map(feeLine),
    `  Risk-based annual fee: ${percent(risk.portfolio.riskBasedFee, 2)} (expected loss, operating costs and the cost of holding capital at ${percent(risk.confidence, 1)})`,
    `  Risk capital at ${percent(risk.confidence, 1)}: one year ${percent(risk.portfolio.capitalPerUnitGuaranteed, 2)} of guarantees (worst-case default rate ${percent(risk.portfolio.worstCaseDefaultRate, 2)}); over the guarantees’ ${risk.portfolio.averageLifeYears.toFixed(1)}-year average life ${percent(risk.portfolio.lifetimeCapitalPerUnitGuaranteed, 2)}, so maximum prudent leverage ${times(risk.portfolio.maximumPrudentLeverage)}`,
    `  Basel IRB risk weight of the guaranteed exposures: ${percent(risk.portfolio.baselCorporateRiskWeight)} as SME corporates, ${percent(risk.portfolio.baselRetailRiskWeight)} as other retail`,
    '',
    'Conventions',
    ...conventionsInForce(s).map((x) => `  - ${x}`),
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
    '',
    `Lifetime view: every path's book run off to its last claim (${r.lifetime.years} years)`,
    `  Probability of depletion: ${withInterval(r.probabilityOfDepletion.at(-1) ?? 0, r.paths)} by the horizon, ${withInterval(r.lifetime.probabilityOfDepletion, r.paths)} over the lifetime`,
    `  Capital calls: ${withInterval(r.lifetime.capitalCalls.probability, r.paths)} of paths; mean ${m(r.lifetime.capitalCalls.amount.mean)}, 99th percentile ${m(r.lifetime.capitalCalls.amount.percentiles.find((x) => x.percentile === 99)!.value)}`,
    '  PV fiscal cost       Horizon            Lifetime      Economic cost',
    `  mean       ${[r.lifetime.horizonPvFiscalCost, r.lifetime.pvFiscalCost, r.lifetime.economicCost].map((d) => m(d.mean).padStart(18)).join(' ')}`,
    ...PERCENTILES.map((pc, i) => `  ${`${pc}${pc === 1 ? 'st' : 'th'}`.padStart(4)} pct.  ${[r.lifetime.horizonPvFiscalCost, r.lifetime.pvFiscalCost, r.lifetime.economicCost].map((d) => m(d.percentiles[i]!.value).padStart(18)).join(' ')}`),
    ...r.lifetime.pvFiscalCost.tail.map((t, i) => `  VaR ${percent(t.level, 1).padStart(6)} ${[r.lifetime.horizonPvFiscalCost, r.lifetime.pvFiscalCost, r.lifetime.economicCost].map((d) => m(d.tail[i]!.valueAtRisk).padStart(18)).join(' ')}`),
    ...r.lifetime.pvFiscalCost.tail.map((t, i) => `  ES  ${percent(t.level, 1).padStart(6)} ${[r.lifetime.horizonPvFiscalCost, r.lifetime.pvFiscalCost, r.lifetime.economicCost].map((d) => m(d.tail[i]!.expectedShortfall).padStart(18)).join(' ')}`),
  ];
  if (target && targetLevel !== undefined) {
    lines.push('', target.capital === null
      ? `Capital for a probability of depletion of at most ${percent(targetLevel, 2)}: ${target.reason}`
      : `Capital for a probability of depletion of at most ${percent(targetLevel, 2)}: ${m(target.capital)} (${percent(target.probability, 2)} at that capital)`);
  }
  return `${lines.join('\n')}\n`;
}

async function runMonteCarloCommand(s: Scenario, options: CliOptions & { paths: number }, output: CommandOutput): Promise<void> {
  const pool = new MonteCarloPool();
  try {
    const seed = options.seed ?? s.monteCarlo.seed;
    const result = await pool.run(s, { paths: options.paths, seed }, { onProgress: progressBar('simulating', output) });
    const target = options.targetDepletion === undefined ? null : capitalForDepletionTarget(s, options.targetDepletion, { paths: options.paths, seed });
    if (options.format === 'json') {
      const { pathSummaries: _omitted, ...rest } = result;
      output.out(`${JSON.stringify({ ...rest, capitalForTarget: target }, null, 2)}\n`);
    } else if (options.format === 'csv') output.out(toCsv(pathSummaryTable(result)));
    else output.out(monteCarloReport(s, result, target, options.targetDepletion));
  } finally {
    await pool.close();
  }
}

export async function main(argv: string[], output: CommandOutput): Promise<number> {
  const options = parseCommandLine(argv);
  if (!options) {
    output.out(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseScenario(readJsonFile(options.file));
  if (!parsed.ok) throw new InputError(parsed.issues);
  if (options.paths !== undefined) {
    await runMonteCarloCommand(parsed.value, { ...options, paths: options.paths }, output);
    return 0;
  }
  const projection = project(parsed.value);
  if (options.format === 'json') {
    const report = {
      summary: projection.summary, costing: projection.costing, breakEvenFee: breakEvenFees(parsed.value)[parsed.value.costing.breakEvenBasis],
      breakEvenFees: breakEvenFees(parsed.value), riskAnalytics: riskAnalytics(parsed.value), conventions: conventionsInForce(parsed.value),
      lending: projection.lending, periods: projection.periods, runoff: projection.runoff,
    };
    output.out(`${JSON.stringify(report, null, 2)}\n`);
  } else if (options.format === 'csv') output.out(toCsv(ledgerTable(projection)));
  else output.out(humanReport(projection));
  return 0;
}

await runIfProgram(import.meta.url, USAGE, main);
