/**
 * Command line: sensitivity and search over a guarantee fund scenario.
 *   npx tsx src/cli/sensitivity.ts <scenario.json|preset-id> --tornado --parameters a,b=low:high,c [--indicator capital] [--change 0.2]
 *   npx tsx src/cli/sensitivity.ts <scenario.json|preset-id> --sweep <x-path>=<from>:<to>:<steps> <y-path>=<from>:<to>:<steps> [--indicator depletion] [--target 0.05]
 *   npx tsx src/cli/sensitivity.ts <scenario.json|preset-id> --search --target 0.05 --fee-ceiling 0.03 [--objective additionalLending|firmsSupported] [--coverage 0.5:1] [--fee-floor 0] [--steps 6] [--refinements 3] [--max-paths 3200] [--confidence 0.95]
 * Every form takes [--paths N] [--seed S] (Monte Carlo paths per point for the probability of
 * depletion; the same seed at every point) and [--format table|json|csv].
 * Indicators: capital, depletion, additionalLending, fiscalCostPerAdditionalLoan, firmsSupported.
 * A thin shell over src/core/policy/sensitivity.ts. Bad input is answered with one line per bad
 * field on stderr and exit code 2; never a stack trace.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parameterInfo, type ParameterInfo } from '../core/policy/parameters.ts';
import { searchTable, sweepTable, tornadoTable } from '../core/policy/report.ts';
import {
  parseSearchSpec, parseSweepSpec, parseTornadoSpec, searchCoverageAndFee, sweep, tornado,
  type Indicator, type SearchResult, type SweepResult, type TornadoResult,
} from '../core/policy/sensitivity.ts';
import { toCsv } from '../core/report.ts';
import { parseScenario, type FieldIssue, type Scenario } from '../core/schema.ts';
import { isPresetId, loadPreset } from '../presets/index.ts';
import { type CommandOutput, InputError, progressBar, readJsonFile, runIfProgram } from './common.ts';

export const USAGE = [
  'usage: npx tsx src/cli/sensitivity.ts <scenario.json|preset-id> --tornado --parameters a,b=low:high,... [--indicator I] [--change 0.2]',
  '       npx tsx src/cli/sensitivity.ts <scenario.json|preset-id> --sweep <path>=<from>:<to>:<steps> <path>=<from>:<to>:<steps> [--indicator I] [--target P]',
  '       npx tsx src/cli/sensitivity.ts <scenario.json|preset-id> --search --target P --fee-ceiling F [--objective additionalLending|firmsSupported] [--coverage 0.5:1] [--max-paths N] [--confidence 0.95]',
  '       common: [--paths N] [--seed S] [--format table|json|csv]; I = capital, depletion, additionalLending, fiscalCostPerAdditionalLoan, firmsSupported',
].join('\n');

function readScenario(ref: string | undefined): Scenario {
  if (ref === undefined) throw new InputError([{ path: 'scenario file', message: 'is required: the path of a scenario JSON file or a preset id' }]);
  let raw: unknown;
  if (!existsSync(ref) && isPresetId(ref)) raw = loadPreset(ref);
  else {
    raw = readJsonFile(ref, 'no such file (nor a preset id)');
  }
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new InputError(parsed.issues);
  return parsed.value;
}

/** A flag's text as a number when it reads as one; otherwise the text, which the spec's schema then names as wrong. */
const numeric = (text: string | undefined): number | string | undefined =>
  text === undefined ? undefined : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text.trim()) ? Number(text) : text;

const ordinal = (i: number) => `${i + 1}${i === 0 ? 'st' : i === 1 ? 'nd' : i === 2 ? 'rd' : 'th'}`;

/** Renames spec fields to the flags that set them. */
function toFlags(issues: readonly FieldIssue[], names: Readonly<Record<string, string>>): FieldIssue[] {
  return issues.map((i) => {
    const [head, index] = i.path.split('.');
    if (head === 'parameters' && index !== undefined && /^\d+$/.test(index)) return { path: `--parameters (${ordinal(Number(index))})`, message: i.message };
    if (head === 'x' || head === 'y') return { path: `--sweep (${head === 'x' ? 'first' : 'second'} axis${i.path.split('.')[1] ? `, ${i.path.split('.')[1]}` : ''})`, message: i.message };
    return { path: names[head!] ?? i.path, message: i.message };
  });
}

const COMMON_FLAGS = { indicator: '--indicator', paths: '--paths', seed: '--seed' } as const;

function parseAxis(text: string, which: string): unknown {
  const m = text.match(/^([^=]+)=([^:]+):([^:]+):([^:]+)$/);
  if (!m) throw new InputError([{ path: `--sweep (${which} axis)`, message: `"${text}" must read path=from:to:steps, e.g. guarantee.coverageRatio=0.5:1:6` }]);
  return { path: m[1]!.trim(), from: numeric(m[2]), to: numeric(m[3]), steps: numeric(m[4]) };
}

function parseTornadoParameters(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  return text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const m = p.match(/^([^=]+)=([^:]+):([^:]+)$/);
    return m ? { path: m[1]!.trim(), low: numeric(m[2]), high: numeric(m[3]) } : { path: p };
  });
}

// ---------------------------------------------------------------------------------------------
// Output

function formatter(s: Scenario) {
  const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  const money = (x: number) => `${s.currency} ${whole.format(x)}`;
  const indicator = (i: Indicator) => (x: number | null): string =>
    x === null ? '—' : i === 'depletion' ? `${(x * 100).toFixed(1)} %` : i === 'firmsSupported' ? whole.format(x) : money(x);
  const input = (info: Pick<ParameterInfo, 'unit'>) => (x: number): string =>
    info.unit === 'share' || info.unit === 'rate' ? `${Number((x * 100).toPrecision(6))} %` : info.unit === 'money' ? money(x) : String(Number(x.toPrecision(6)));
  return { indicator, input, money };
}

function renderGrid(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function tornadoReport(s: Scenario, r: TornadoResult, change: number): string {
  const f = formatter(s);
  const fmt = f.indicator(r.indicator);
  const widest = Math.max(0, ...r.bars.map((b) => b.swing ?? 0));
  const rows = r.bars.map((b) => {
    const info = parameterInfo(s, b.path);
    const inp = f.input('error' in info ? { unit: 'multiple' } : info);
    const bar = widest > 0 && b.swing !== null ? '#'.repeat(Math.max(b.swing > 0 ? 1 : 0, Math.round((b.swing / widest) * 24))) : '';
    return [b.label, `${inp(b.lowInput)} → ${inp(b.highInput)}`, fmt(b.atLow), fmt(b.atHigh), fmt(b.swing), bar];
  });
  const notes = r.bars.filter((b) => b.note).map((b) => `  ${b.label}: ${b.note}`);
  return [
    `${s.name} — tornado of ${r.indicatorLabel.toLowerCase()} (base ${fmt(r.baseValue)}); parameters moved ±${(change * 100).toFixed(0)} % unless a low and high were given`,
    '',
    renderGrid(['Parameter', 'Low → high', 'At low', 'At high', 'Swing', ''], rows),
    ...(notes.length ? ['', 'Notes', ...notes] : []),
    ...(r.complete ? [] : ['', 'Stopped before every point was evaluated.']),
    '',
  ].join('\n');
}

function sweepReport(s: Scenario, r: SweepResult): string {
  const f = formatter(s);
  const fmt = f.indicator(r.indicator);
  const xInfo = parameterInfo(s, r.x.path);
  const yInfo = parameterInfo(s, r.y.path);
  const xf = f.input('error' in xInfo ? { unit: 'multiple' } : xInfo);
  const yf = f.input('error' in yInfo ? { unit: 'multiple' } : yInfo);
  const mark = (i: number, j: number) => (r.contour ? (r.contour.feasible[i]![j] === true ? ' ' : r.contour.feasible[i]![j] === false ? '!' : '?') : '');
  const rows = r.y.values.map((y, i) => [yf(y), ...r.x.values.map((_, j) => `${fmt(r.values[i]![j]!)}${mark(i, j)}`)]);
  const lines = [
    `${s.name} — ${r.indicatorLabel.toLowerCase()} over ${r.x.label.toLowerCase()} (columns) × ${r.y.label.toLowerCase()} (rows)`,
    '',
    renderGrid([`${r.y.label} \\ ${r.x.label}`, ...r.x.values.map(xf)], rows),
  ];
  if (r.contour) {
    lines.push('', `! marks points whose probability of depletion is above ${(r.contour.target * 100).toFixed(2)} % (its whole 95 % interval at ${r.paths.toLocaleString('en')} paths); ? marks points whose interval contains it: cannot tell at ${r.paths.toLocaleString('en')} paths.`);
    // Where the boundary crosses each row: the x values of contour points on that row's level.
    const crossings = r.y.values.map((y) => r.contour!.segments.flat().filter((p) => p.y === y).map((p) => p.x));
    const described = r.y.values.map((y, i) => {
      const xs = [...new Set(crossings[i]!.map((x) => Number(x.toPrecision(6))))].sort((a, b) => a - b);
      return `  ${yf(y)}: ${xs.length ? xs.map(xf).join(', ') : 'no crossing in the grid'}`;
    });
    lines.push(`Boundary (probability of depletion = ${(r.contour.target * 100).toFixed(2)} %), ${r.x.label.toLowerCase()} at each ${r.y.label.toLowerCase()}:`, ...described);
  }
  if (r.invalidPoints.length) lines.push('', 'Points the scenario schema rejected:', ...r.invalidPoints.map((p) => `  row ${p.row + 1}, column ${p.column + 1}: ${p.issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`));
  if (!r.complete) lines.push('', 'Stopped before every point was evaluated.');
  return `${lines.join('\n')}\n`;
}

function searchReport(s: Scenario, r: SearchResult, target: number, ceiling: number): string {
  const f = formatter(s);
  const objective = r.objective === 'additionalLending' ? 'additional lending' : 'firms supported';
  const fmt = f.indicator(r.objective);
  const simulated = r.evaluations.filter((e) => e.depletion !== null).length;
  const head = `${s.name} — search: maximise ${objective} with a probability of depletion of at most ${(target * 100).toFixed(2)} % and an annual fee of at most ${(ceiling * 100).toFixed(2)} %`;
  const pc = (x: number) => `${(x * 100).toFixed(2)} %`;
  const level = `${(r.sampling.confidence * 100).toFixed(0)} %`;
  const body = r.feasible
    ? [`Best: coverage ${pc(r.coverage)}, annual fee ${(r.fee * 100).toFixed(3)} % → ${objective} ${fmt(r.objectiveValue)}, probability of depletion ${pc(r.depletion)} (${level} interval ${pc(r.lower)} to ${pc(r.upper)}, ${r.paths.toLocaleString('en')} paths)`]
    : [`No feasible point: ${r.reason}.`];
  const unsure = r.cannotTell.map((e) => `  coverage ${pc(e.coverage)}, fee ${(e.fee * 100).toFixed(3)} %: ${pc(e.depletion!)} (${pc(e.lower!)} to ${pc(e.upper!)}) — ${e.note}`);
  return [
    head, '', ...body,
    ...(r.feasible && unsure.length ? ['', `Points that would do better but cannot be told apart from the target:`, ...unsure] : []),
    '',
    `A point meets the target only when the whole ${level} (Wilson) interval of its probability of depletion is at or below it; paths are doubled from ${r.sampling.paths.toLocaleString('en')} up to ${r.sampling.maxPaths.toLocaleString('en')} while the interval contains the target (seed ${r.sampling.seed} at every point). Ties: ${r.tieBreak}.`,
    `${r.evaluations.length} points considered, ${simulated} simulated.${r.complete ? '' : ' Stopped early.'}`, '',
  ].join('\n');
}


// ---------------------------------------------------------------------------------------------

export function main(argv: string[], output: CommandOutput): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tornado: { type: 'boolean' }, sweep: { type: 'boolean' }, search: { type: 'boolean' },
        indicator: { type: 'string' }, parameters: { type: 'string' }, change: { type: 'string' },
        target: { type: 'string' }, 'fee-ceiling': { type: 'string' }, 'fee-floor': { type: 'string' }, objective: { type: 'string' },
        coverage: { type: 'string' }, steps: { type: 'string' }, refinements: { type: 'string' }, 'max-paths': { type: 'string' }, confidence: { type: 'string' },
        paths: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new InputError([{ path: 'arguments', message: (e as Error).message.replace(/\s*\n\s*/g, ' ') }]);
  }
  const v = parsed.values;
  if (v.help) {
    output.out(`${USAGE}\n`);
    return 0;
  }
  const modes = (['tornado', 'sweep', 'search'] as const).filter((m) => v[m]);
  if (modes.length !== 1) throw new InputError([{ path: 'arguments', message: 'give exactly one of --tornado, --sweep, --search' }]);
  const mode = modes[0]!;
  const format = v.format ?? 'table';
  if (!['table', 'json', 'csv'].includes(format)) throw new InputError([{ path: '--format', message: 'must be table, json or csv' }]);
  const [file, ...rest] = parsed.positionals;
  if (mode === 'sweep' ? rest.length !== 2 : rest.length !== 0) {
    throw new InputError([{ path: 'arguments', message: mode === 'sweep' ? 'give the scenario and two axes: path=from:to:steps path=from:to:steps' : 'give one scenario file or preset id' }]);
  }
  const s = readScenario(file);
  const common = { indicator: v.indicator, paths: numeric(v.paths), seed: numeric(v.seed) };

  if (mode === 'tornado') {
    const change = numeric(v.change);
    const spec = parseTornadoSpec({ ...common, parameters: parseTornadoParameters(v.parameters) ?? undefined, change }, s);
    if (!spec.ok) throw new InputError(toFlags(spec.issues, { ...COMMON_FLAGS, parameters: '--parameters', change: '--change' }));
    const r = tornado(s, spec.value, { onProgress: progressBar('tornado', output) });
    if (format === 'json') output.out(`${JSON.stringify(r, null, 2)}\n`);
    else if (format === 'csv') output.out(toCsv(tornadoTable(r)));
    else output.out(tornadoReport(s, r, spec.value.change));
  } else if (mode === 'sweep') {
    const spec = parseSweepSpec({ ...common, x: parseAxis(rest[0]!, 'first'), y: parseAxis(rest[1]!, 'second'), depletionTarget: numeric(v.target) ?? null }, s);
    if (!spec.ok) throw new InputError(toFlags(spec.issues, { ...COMMON_FLAGS, depletionTarget: '--target' }));
    const r = sweep(s, spec.value, { onProgress: progressBar('sweep', output) });
    if (format === 'json') output.out(`${JSON.stringify(r, null, 2)}\n`);
    else if (format === 'csv') output.out(toCsv(sweepTable(r)));
    else output.out(sweepReport(s, r));
  } else {
    const coverage = v.coverage?.split(':');
    if (coverage && coverage.length !== 2) throw new InputError([{ path: '--coverage', message: 'must read from:to, e.g. 0.5:1' }]);
    const spec = parseSearchSpec({
      objective: v.objective, paths: common.paths, seed: common.seed,
      depletionTarget: numeric(v.target), feeCeiling: numeric(v['fee-ceiling']), feeFloor: numeric(v['fee-floor']),
      coverageFrom: numeric(coverage?.[0]), coverageTo: numeric(coverage?.[1]), gridSteps: numeric(v.steps), refinements: numeric(v.refinements),
      maxPaths: numeric(v['max-paths']), confidence: numeric(v.confidence),
    });
    if (!spec.ok) {
      throw new InputError(toFlags(spec.issues, {
        ...COMMON_FLAGS, objective: '--objective', depletionTarget: '--target', feeCeiling: '--fee-ceiling', feeFloor: '--fee-floor',
        coverageFrom: '--coverage (from)', coverageTo: '--coverage (to)', gridSteps: '--steps', refinements: '--refinements', maxPaths: '--max-paths', confidence: '--confidence',
      }));
    }
    const r = searchCoverageAndFee(s, spec.value, { onProgress: progressBar('search', output) });
    if (format === 'json') output.out(`${JSON.stringify(r, null, 2)}\n`);
    else if (format === 'csv') output.out(toCsv(searchTable(r)));
    else output.out(searchReport(s, r, spec.value.depletionTarget, spec.value.feeCeiling));
  }
  return 0;
}

await runIfProgram(import.meta.url, USAGE, main);

