/**
 * A calibration turned into a scenario: the base scenario with every estimate that has enough
 * data filled in, each estimate's interval and sample size written into the scenario's sources,
 * and every parameter with too little data named in its assumptions and left at the base value.
 * Pure.
 */
import { parseScenario, type FieldIssue, type Scenario } from '../schema.ts';
import { STAGES } from '../stages.ts';
import type { Calibration, Estimate } from './estimate.ts';

export interface CalibratedScenario {
  readonly scenario: Scenario;
  /** Parameters estimated and written. */
  readonly estimated: readonly string[];
  /** Parameters left at the base scenario's values, with why. */
  readonly flagged: readonly string[];
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const num = (x: number) => Math.round(x).toLocaleString('en');
const ci = (e: Estimate, f = pct) => `${f(e.estimate)} (95 % CI ${f(e.lower)}–${f(e.upper)}; ${num(e.n)} ${e.basis})`;

/** Packs entries into items of at most `max` characters, each starting with `prefix`. */
function pack(prefix: string, entries: readonly string[], max = 500): string[] {
  const items: string[] = [];
  let cur = prefix;
  for (const e of entries) {
    const add = (cur === prefix ? ' ' : '; ') + e;
    if (cur.length + add.length > max && cur !== prefix) {
      items.push(cur);
      cur = `${prefix} ${e}`;
    } else cur += add;
  }
  if (cur !== prefix) items.push(cur);
  return items.map((i) => (i.length > max ? `${i.slice(0, max - 1)}…` : i));
}

export function calibratedScenario(base: Scenario, cal: Calibration, options: { name?: string; tapeName: string }): CalibratedScenario {
  const s = structuredClone(base) as Scenario & Record<string, unknown>;
  const entries: string[] = [];
  const flagged: string[] = [];
  const estimated: string[] = [];
  const set = (path: string, text: string) => { estimated.push(path); entries.push(`${path} = ${text}`); };
  const flag = (path: string, why: string) => flagged.push(`${path}: ${why}; left at the base scenario’s value.`);

  for (const st of cal.stages) {
    const stage = s.stages[st.stage];
    const p = `stages.${st.stage}`;
    if (st.loans === 0) {
      flag(p, 'no loans of this stage in the tape');
      continue;
    }
    stage.loanSize = Math.round(st.loanSize * 100) / 100;
    set(`${p}.loanSize`, `${num(st.loanSize)} (mean of ${num(st.loans)} loans)`);
    stage.tenorYears = Math.min(30, Math.max(0.25, Math.round(st.tenorYears * 100) / 100));
    set(`${p}.tenorYears`, `${stage.tenorYears} (mean of ${num(st.loans)} loans)`);
    // Risk grades: every grade needs enough data, else the stage's grades stay as they are.
    const gradesOk = st.grades.length <= 10 && st.grades.every((g) => g.pd.enough);
    if (gradesOk) {
      stage.riskGrades = st.grades.map((g) => ({ share: g.share, pd: Math.min(1, Math.max(0, g.pd.estimate)) }));
      const sum = stage.riskGrades.reduce((a, g) => a + g.share, 0);
      stage.riskGrades.forEach((g) => { g.share /= sum; });
      st.grades.forEach((g, i) => set(`${p}.riskGrades.${i}`, `grade ${g.grade}: share ${pct(g.share)}, PD ${ci(g.pd)}, ${g.defaults} defaults`));
    } else {
      const thin = st.grades.filter((g) => !g.pd.enough).map((g) => `grade ${g.grade} ${g.pd.note}`);
      flag(`${p}.riskGrades`, st.grades.length > 10 ? `${st.grades.length} grades, more than the 10 a stage may have` : thin.join(', '));
    }
    if (st.lgdBeforeCollateral?.enough) {
      stage.lgdBeforeCollateral = st.lgdBeforeCollateral.estimate;
      set(`${p}.lgdBeforeCollateral`, ci(st.lgdBeforeCollateral));
    } else flag(`${p}.lgdBeforeCollateral`, st.lgdBeforeCollateral ? st.lgdBeforeCollateral.note : 'no collateral values in the tape');
    const levels = st.collateral.filter((c) => c.loans > 0);
    if (cal.stages.some((x) => x.collateral.some((c) => c.loans > 0 && c.label !== 'none')) && levels.length > 0) {
      stage.collateral = levels.map((c) => ({ share: c.share, ratio: Math.min(5, c.meanRatio) }));
      set(`${p}.collateral`, levels.map((c) => `${c.label} ${pct(c.share)} of loans at ${pct(c.meanRatio)}`).join(', '));
    } else flag(`${p}.collateral`, 'no collateral values in the tape');
    if (st.correlation.enough && st.correlation.ml !== null) {
      stage.assetCorrelation = st.correlation.ml;
      set(`${p}.assetCorrelation`, `${st.correlation.ml.toFixed(3)} (ML, 95 % CI ${st.correlation.lower!.toFixed(3)}–${st.correlation.upper!.toFixed(3)}; ${st.correlation.years} years, ${st.correlation.defaults} defaults${st.correlation.warning ? '; few years' : ''})`);
    } else if (cal.portfolio.correlation.enough && cal.portfolio.correlation.ml !== null) {
      const c = cal.portfolio.correlation;
      stage.assetCorrelation = c.ml!;
      set(`${p}.assetCorrelation`, `${c.ml!.toFixed(3)} (whole portfolio, ML, 95 % CI ${c.lower!.toFixed(3)}–${c.upper!.toFixed(3)}; ${c.years} years)`);
    } else flag(`${p}.assetCorrelation`, st.correlation.warning ?? 'too few years of default rates');
    if (st.exit.enough) {
      stage.transitions.exit = st.exit.estimate;
      set(`${p}.transitions.exit`, ci(st.exit));
    } else flag(`${p}.transitions.exit`, `too little data (${num(st.exit.n)} loan-years)`);
    for (const to of STAGES) {
      if (to === st.stage) continue;
      const e = st.transitions[to];
      if (e.enough) {
        stage.transitions[to] = e.estimate;
        set(`${p}.transitions.${to}`, ci(e));
      } else if (e.note) flag(`${p}.transitions.${to}`, e.note);
    }
    // Transitions must sum to at most 1.
    const t = stage.transitions;
    const total = t.founding + t.growth + t.maturity + t.transformation + t.exit;
    if (total > 1) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] /= total;
  }
  if (cal.recovery.rate.enough) {
    s.fund.recoveryRate = cal.recovery.rate.estimate;
    set('fund.recoveryRate', ci(cal.recovery.rate));
  } else flag('fund.recoveryRate', `too little data (${cal.recovery.resolved} resolved defaults)`);
  if (cal.recovery.lagMonths.enough) {
    // The data's lag runs from default to recovery; the scenario's from the claim's payment.
    const lag = Math.max(0, Math.min(120, cal.recovery.lagMonths.estimate - s.fund.claimLagMonths));
    s.fund.recoveryLagMonths = Math.round(lag * 10) / 10;
    set('fund.recoveryLagMonths', `${s.fund.recoveryLagMonths} (default to recovery ${ci(cal.recovery.lagMonths, (x) => x.toFixed(1))} less the claim lag)`);
  } else flag('fund.recoveryLagMonths', `too little data (${cal.recovery.lagMonths.n} dated recoveries)`);

  const header = `Loan tape “${options.tapeName}” (${num(cal.loans)} loans, ${cal.firstYear}–${cal.lastYear}, data to ${cal.asOf}):`;
  const sourceItems = pack(header, entries);
  const room = Math.max(0, 20 - sourceItems.length);
  s.sources = [...sourceItems.slice(0, 20), ...base.sources.slice(0, room)];
  const flagItems = flagged.map((f) => (f.length > 500 ? `${f.slice(0, 499)}…` : f));
  s.assumptions = [...flagItems.slice(0, 50), ...base.assumptions.slice(0, Math.max(0, 50 - flagItems.length))];
  s.name = (options.name ?? `${base.name} — calibrated`).slice(0, 120);
  const note = `Calibrated from the loan tape “${options.tapeName}”: ${estimated.length} parameters estimated, ${flagged.length} left at the base scenario’s values for lack of data.`;
  s.description = `${note}\n\n${base.description}`.slice(0, 4000);
  const parsed = parseScenario(s);
  if (!parsed.ok) throw new CalibratedScenarioError(parsed.issues);
  return { scenario: parsed.value, estimated, flagged };
}

export class CalibratedScenarioError extends Error {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`The calibrated scenario is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}
