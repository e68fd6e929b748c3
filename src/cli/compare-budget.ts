/**
 * Command line: the same public budget, three (or four) ways.
 *   npx tsx src/cli/compare-budget.ts <comparison.json> [--format table|json|csv] [--csv summary|years] [--monte-carlo] [--paths N] [--seed S]
 * CSV gives one row per option (`summary`, with the Monte Carlo figures when run) or one row per
 * option and year (`years`).
 * The comparison's `scenario` may be inline, a preset id ("startup-local-fund") or a path to a
 * scenario JSON file relative to the comparison file. A thin shell over src/core/policy: read,
 * validate, compare, print. Bad input is answered with one line per bad field on stderr and
 * exit code 2; never a stack trace.
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { budgetComparisonMonteCarlo, compareBudget, parseBudgetComparison, type BudgetComparisonResult, type BudgetMonteCarloResult } from '../core/policy/budget.ts';
import { comparisonFindings, comparisonSummaryTable, comparisonYearsTable } from '../core/policy/report.ts';
import { toCsv } from '../core/report.ts';
import { issuesOf } from '../core/schema.ts';
import { STAGE_LABELS } from '../core/stages.ts';
import { isPresetId, loadPreset } from '../presets/index.ts';
import { type CommandOutput, InputError, progressBar, readJsonFile, runIfProgram } from './common.ts';

export const USAGE = 'usage: npx tsx src/cli/compare-budget.ts <comparison.json> [--format table|json|csv] [--csv summary|years] [--monte-carlo] [--paths N] [--seed S]';

const wholeFlag = (min: number, max: number) =>
  z.string().regex(/^\d+$/, { error: `must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be at least ${min.toLocaleString('en')}` }).max(max, { error: `must be at most ${max.toLocaleString('en')}` }));

const OptionsSchema = z.object({
  file: z.string({ error: 'is required: the path of a budget comparison JSON file' }),
  format: z.enum(['table', 'json', 'csv'], { error: 'must be table, json or csv' }).default('table'),
  csv: z.enum(['summary', 'years'], { error: 'must be summary or years' }).default('summary'),
  monteCarlo: z.boolean().default(false),
  paths: wholeFlag(1, 200_000).optional(),
  seed: wholeFlag(0, 2 ** 32 - 1).optional(),
});
type CliOptions = z.output<typeof OptionsSchema>;

function readJson(file: string, what: string): unknown {
  return readJsonFile(file, `no such file (${what})`);
}

/** A `scenario` given as a preset id or a file path becomes the scenario object itself. */
function resolveScenario(raw: unknown, file: string): unknown {
  if (raw === null || typeof raw !== 'object' || !('scenario' in raw)) return raw;
  const ref = (raw as { scenario: unknown }).scenario;
  if (typeof ref !== 'string') return raw;
  const scenario = isPresetId(ref) ? loadPreset(ref) : readJson(resolve(dirname(file), ref), 'the comparison’s scenario');
  return { ...raw, scenario };
}

function parseCommandLine(argv: string[]): CliOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string' }, csv: { type: 'string' }, 'monte-carlo': { type: 'boolean' }, paths: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new InputError([{ path: 'arguments', message: (e as Error).message.replace(/\s*\n\s*/g, ' ') }]);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length > 1) throw new InputError([{ path: 'arguments', message: 'give one comparison file' }]);
  const v = parsed.values;
  const options = OptionsSchema.safeParse({ file: parsed.positionals[0], format: v.format, csv: v.csv, monteCarlo: v['monte-carlo'] ?? false, paths: v.paths, seed: v.seed });
  const flag = (path: string) => (path === 'file' ? 'comparison file' : `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (!options.success) throw new InputError(issuesOf(options.error).map((i) => ({ ...i, path: flag(i.path) })));
  return options.data;
}

const percent = (x: number | null, digits = 2) => (x === null ? '—' : `${(x * 100).toFixed(digits)} %`);

function humanReport(r: BudgetComparisonResult, mc: BudgetMonteCarloResult | null): string {
  const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  const m = (x: { toNumber(): number } | number | null) => (x === null ? '—' : `${r.currency} ${whole.format(typeof x === 'number' ? x : x.toNumber())}`);
  const t = r.target;
  const columns = r.options.map((o) => o.label);
  const row = (label: string, cells: string[]) => [label, ...cells];
  const rows: string[][] = [
    row('Firms reached (distinct)', r.options.map((o) => whole.format(o.firmsReached))),
    row('Loans made', r.options.map((o) => whole.format(o.loansMade))),
    row('Lending', r.options.map((o) => m(o.creditVolume))),
    row('Additional lending', r.options.map((o) => m(o.additionalCredit))),
    row('Borrower all-in annual cost', r.options.map((o) => percent(o.borrowerAllInRate))),
    row('Budget used (at its peak)', r.options.map((o) => m(o.budgetUsed))),
    row('Share of the budget used', r.options.map((o) => percent(o.budgetUsedShare, 0))),
    row('Money left at the horizon', r.options.map((o) => m(o.valueLeftAtHorizon))),
    row(`PV cost (lifetime, at ${percent(r.discountRate, 1)})`, r.options.map((o) => m(o.pvCost))),
    row('PV cost per firm reached', r.options.map((o) => m(o.pvCostPerFirm))),
    row('PV cost per unit of additional lending', r.options.map((o) => (o.pvCostPerUnitAdditionalCredit === null ? '—' : o.pvCostPerUnitAdditionalCredit.toFixed(3)))),
  ];
  if (mc) {
    const d = (option: string) => mc.options.find((x) => x.option === option);
    const at = (option: string, p: number) => d(option)?.percentiles.find((x) => x.percentile === p)?.value ?? null;
    rows.push(
      row('Left at horizon, 5th percentile', r.options.map((o) => m(at(o.option, 5)))),
      row('Left at horizon, median', r.options.map((o) => m(at(o.option, 50)))),
      row('Left at horizon, 95th percentile', r.options.map((o) => m(at(o.option, 95)))),
      row('Probability of losing more than half', r.options.map((o) => percent(d(o.option)?.probabilityLosingHalf ?? null, 1))),
    );
  }
  const years = Array.from({ length: r.horizonYears }, (_, y) => [String(y + 1), ...r.options.flatMap((o) => {
    const yr = o.years[y]!;
    return [whole.format(yr.firmsReached), m(yr.valueLeft)];
  })]);
  const fmt = { money: (x: number | null) => m(x), count: (x: number | null) => (x === null ? '—' : whole.format(x)), percent: (x: number | null, d = 2) => percent(x, d) };
  const lines = [
    `${r.name}`,
    `Budget ${m(r.budget)} over ${r.horizonYears} years. Target: ${STAGE_LABELS[t.stage].toLowerCase()}-stage firms, ${whole.format(t.firmsPerYear)} a year (growing ${percent(t.applicantGrowthRate, 1)}), loans of ${m(t.loanSize)} over ${t.tenorYears} years, PD ${percent(t.annualPd)}, LGD ${percent(t.lossGivenDefault, 0)}; ${percent(t.unservedShare, 0)} not served by banks without support (${t.unservedShareBasis}).`,
    '',
    renderGrid(['', ...columns], rows),
    '',
    'Comparison basis',
    ...r.basis.map((b) => `  ${b}`),
    '',
    'In short',
    ...comparisonFindings(r, fmt).map((x) => `  - ${x}`),
    '',
    'By year: distinct firms reached and money left',
    renderGrid(['Year', ...r.options.flatMap((o) => [`${o.label}: firms`, 'left'])], years),
    '',
    'Assumptions (value, basis, source)',
    ...r.options.flatMap((o) => [
      `  ${o.label}`,
      ...o.assumptions.map((a) => `    ${a.parameter} = ${a.value === null ? '—' : typeof a.value === 'number' ? Number(a.value.toPrecision(6)) : a.value} [${a.basis}] ${a.note}`),
      ...o.notes.map((n) => `    note: ${n}`),
    ]),
  ];
  if (mc) lines.push('', `Monte Carlo: ${mc.paths.toLocaleString('en')} paths, seed ${mc.seed}${mc.complete ? '' : ' (stopped early)'}.`);
  return `${lines.join('\n')}\n`;
}

function renderGrid(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function main(argv: string[], output: CommandOutput): number {
  const options = parseCommandLine(argv);
  if (!options) {
    output.out(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseBudgetComparison(resolveScenario(readJson(options.file, 'the comparison'), options.file));
  if (!parsed.ok) throw new InputError(parsed.issues);
  const result = compareBudget(parsed.value);
  const runMc = options.monteCarlo || options.paths !== undefined || options.seed !== undefined;
  const mc = runMc ? budgetComparisonMonteCarlo(parsed.value, { paths: options.paths, seed: options.seed, onProgress: progressBar('simulating', output) }) : null;
  if (options.format === 'json') output.out(`${JSON.stringify({ comparison: result, monteCarlo: mc }, null, 2)}\n`);
  else if (options.format === 'csv') output.out(toCsv(options.csv === 'years' ? comparisonYearsTable(result) : comparisonSummaryTable(result, mc ?? undefined)));
  else output.out(humanReport(result, mc));
  return 0;
}

await runIfProgram(import.meta.url, USAGE, main);
