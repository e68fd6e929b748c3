/**
 * npm run calibrate -- loans.csv --scenario base.json [--out calibrated.json] [--report report.json]
 *   [--as-of YYYY-MM-DD] [--mapping mapping.json] [--format text|json|csv]
 * npm run calibrate -- --generate sample.csv [--seed N] [--loans-per-year N] [--years N]
 *
 * Reads a loan tape (CSV or XLSX), checks every row (bad rows listed with line and reason, exit
 * code 2, nothing estimated), estimates the credit parameters with their intervals and writes
 * the calibrated scenario. Without --mapping, columns are matched by their headers.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { calibrate, type Calibration } from '../core/calibration/estimate.ts';
import { FIELD_INFO, guessMapping, mappingProblems, type ColumnMapping } from '../core/calibration/fields.ts';
import { calibrationCsv } from '../core/calibration/report.ts';
import { parseDate } from '../core/calibration/rows.ts';
import { calibratedScenario } from '../core/calibration/scenario.ts';
import { generateTape, SAMPLE_PARAMETERS, tapeCsv } from '../core/calibration/synthetic.ts';
import { parseScenario } from '../core/schema.ts';
import { isPresetId, loadPreset } from '../presets/index.ts';
import { formatOf, importTape, previewTape, TapeError } from '../storage/loan-tape-reader.ts';
import { type CommandOutput, InputError, readJsonFile, runIfProgram } from './common.ts';

export const USAGE = 'usage: npm run calibrate -- loans.csv|loans.xlsx --scenario base.json|PRESET [--out FILE] [--report FILE] [--as-of YYYY-MM-DD] [--mapping FILE] [--format text|json|csv]\n       npm run calibrate -- --generate sample.csv [--seed N] [--loans-per-year N] [--years N]';

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(2)} %`);

function text(cal: Calibration, flagged: readonly string[]): string {
  const out: string[] = [];
  out.push(`Loan tape: ${cal.loans.toLocaleString('en')} loans, ${cal.firstYear}–${cal.lastYear}, data to ${cal.asOf}`);
  out.push('');
  out.push('Annual PD by stage and grade (95 % interval; loan-years at risk, defaults)');
  for (const s of cal.stages) {
    for (const g of s.grades) {
      out.push(`  ${s.stage.padEnd(15)}${g.grade.padEnd(8)}${pct(g.pd.estimate).padStart(9)}  [${pct(g.pd.lower)}, ${pct(g.pd.upper)}]  ${Math.round(g.loanYears).toLocaleString('en')} loan-years, ${g.defaults} defaults${g.pd.enough ? '' : '  (too little data)'}`);
    }
  }
  out.push('');
  out.push('By stage: LGD before collateral, exit (repaid early), asset correlation (ML, 95 % interval)');
  for (const s of cal.stages) {
    const c = s.correlation;
    out.push(`  ${s.stage.padEnd(15)}LGD ${s.lgdBeforeCollateral ? `${pct(s.lgdBeforeCollateral.estimate)} [${pct(s.lgdBeforeCollateral.lower)}, ${pct(s.lgdBeforeCollateral.upper)}]` : '—'}   exit ${pct(s.exit.estimate)} [${pct(s.exit.lower)}, ${pct(s.exit.upper)}]   ρ ${c.ml === null ? '—' : `${c.ml.toFixed(3)} [${c.lower!.toFixed(3)}, ${c.upper!.toFixed(3)}]`}`);
  }
  const pc = cal.portfolio.correlation;
  out.push(`  portfolio      ρ ${pc.ml === null ? '—' : `${pc.ml.toFixed(3)} [${pc.lower!.toFixed(3)}, ${pc.upper!.toFixed(3)}] (moments ${pc.moments?.toFixed(3) ?? '—'}), ${pc.years} years`}`);
  out.push(`  recovery rate ${pct(cal.recovery.rate.estimate)} [${pct(cal.recovery.rate.lower)}, ${pct(cal.recovery.rate.upper)}] from ${cal.recovery.resolved} resolved defaults (${cal.recovery.inWorkout} still in workout); lag ${cal.recovery.lagMonths.estimate.toFixed(1)} months`);
  out.push('');
  out.push('Default rate by year');
  for (const p of pc.series) out.push(`  ${p.year}  ${pct(p.rate).padStart(8)}  (${p.defaults} defaults in ${Math.round(p.loanYears).toLocaleString('en')} loan-years)`);
  for (const w of cal.warnings) out.push(`Warning: ${w}`);
  if (flagged.length) {
    out.push('');
    out.push('Left at the base scenario’s values:');
    for (const f of flagged) out.push(`  ${f}`);
  }
  return `${out.join('\n')}\n`;
}

export async function main(argv: string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenario: { type: 'string' }, out: { type: 'string' }, report: { type: 'string' }, 'as-of': { type: 'string' },
      mapping: { type: 'string' }, format: { type: 'string', default: 'text' }, name: { type: 'string' },
      generate: { type: 'string' }, seed: { type: 'string' }, 'loans-per-year': { type: 'string' }, years: { type: 'string' },
    },
  });
  if (values.generate) {
    const p = { ...SAMPLE_PARAMETERS, seed: values.seed ? Number(values.seed) : SAMPLE_PARAMETERS.seed,
      loansPerYear: values['loans-per-year'] ? Number(values['loans-per-year']) : SAMPLE_PARAMETERS.loansPerYear,
      years: values.years ? Number(values.years) : SAMPLE_PARAMETERS.years };
    if (!Number.isInteger(p.seed) || !(p.loansPerYear >= 1) || !(p.years >= 1 && p.years <= 30)) throw new InputError([{ path: '--seed/--loans-per-year/--years', message: 'must be whole numbers (years 1–30)' }]);
    writeFileSync(values.generate, tapeCsv(generateTape(p).loans));
    output.err(`${p.loansPerYear * p.years} loans written to ${values.generate}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file) throw new InputError([{ path: 'loans', message: 'give the loan tape (CSV or XLSX) to calibrate from' }]);
  const format = formatOf(file);
  if (!format) throw new InputError([{ path: file, message: 'must be a .csv or .xlsx file' }]);
  if (!values.scenario) throw new InputError([{ path: '--scenario', message: 'give the base scenario (a JSON file or a preset id) whose other parameters the calibrated scenario keeps' }]);
  const raw = values.scenario.endsWith('.json') ? readJsonFile(values.scenario) : isPresetId(values.scenario) ? loadPreset(values.scenario) : null;
  if (!raw) throw new InputError([{ path: '--scenario', message: `“${values.scenario}” is neither a JSON file nor a preset` }]);
  const base = parseScenario(raw);
  if (!base.ok) throw new InputError(base.issues.map((i) => ({ path: `${values.scenario}: ${i.path}`, message: i.message })));
  let asOf: number | null = null;
  if (values['as-of']) {
    const d = parseDate(values['as-of']);
    if (d === null || d === 'bad') throw new InputError([{ path: '--as-of', message: 'must be a date (YYYY-MM-DD)' }]);
    asOf = d;
  }
  let preview;
  try {
    preview = await previewTape(file, format);
  } catch (e) {
    if (e instanceof TapeError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError([{ path: file, message: e instanceof TapeError ? e.message : 'no such file' }]);
    throw e;
  }
  const mapping: ColumnMapping = values.mapping ? (readJsonFile(values.mapping) as ColumnMapping) : guessMapping(preview.headers);
  const problems = mappingProblems(mapping, preview.headers);
  if (problems.length) {
    throw new InputError([...problems.map((m) => ({ path: 'mapping', message: m })),
      { path: 'mapping', message: `the file's headers: ${preview.headers.join(', ')}; write a JSON mapping of fields (${FIELD_INFO.map((f) => f.field).join(', ')}) to headers and pass it with --mapping` }]);
  }
  const result = await importTape(file, format, mapping, asOf);
  if (!result.table) {
    for (const e of result.errors) output.err(`${file}:${e.line}: ${e.message}\n`);
    if (result.errorCount > result.errors.length) output.err(`… and ${result.errorCount - result.errors.length} more problems\n`);
    output.err(`${result.badRows} of ${result.rows} rows are bad; nothing was imported.\n`);
    return 2;
  }
  const cal = calibrate(result.table, { asOf: asOf ?? undefined, cyclePersistence: base.value.monteCarlo.cyclePersistence });
  const built = calibratedScenario(base.value, cal, { tapeName: basename(file), name: values.name });
  if (values.out) writeFileSync(values.out, `${JSON.stringify(built.scenario, null, 2)}\n`);
  if (values.report) writeFileSync(values.report, `${JSON.stringify({ calibration: cal, estimated: built.estimated, flagged: built.flagged }, null, 1)}\n`);
  if (values.format === 'json') output.out(`${JSON.stringify({ calibration: cal, scenario: built.scenario, flagged: built.flagged }, null, 1)}\n`);
  else if (values.format === 'csv') output.out(calibrationCsv(cal));
  else {
    output.out(text(cal, built.flagged));
    if (!values.out) output.out('\n(Write the calibrated scenario with --out FILE.)\n');
  }
  return 0;
}

await runIfProgram(import.meta.url, USAGE, main);
