/** A calibration's estimates as CSV: one row per estimate, with its interval, sample size and whether it was used. Pure. */
import type { Calibration, Estimate } from './estimate.ts';

const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function calibrationCsv(cal: Calibration): string {
  const rows: string[][] = [['parameter', 'stage', 'grade', 'estimate', 'lower', 'upper', 'n', 'basis', 'enough data', 'note']];
  const add = (parameter: string, stage: string, grade: string, e: Estimate) =>
    rows.push([parameter, stage, grade, String(e.estimate), String(e.lower), String(e.upper), String(Math.round(e.n * 100) / 100), e.basis, e.enough ? 'yes' : 'no', e.note]);
  for (const s of cal.stages) {
    for (const g of s.grades) add('pd', s.stage, g.grade, g.pd);
    if (s.lgdBeforeCollateral) add('lgdBeforeCollateral', s.stage, '', s.lgdBeforeCollateral);
    add('exit', s.stage, '', s.exit);
    for (const [to, e] of Object.entries(s.transitions)) if (to !== s.stage) add(`transition to ${to}`, s.stage, '', e);
    const c = s.correlation;
    if (c.ml !== null) rows.push(['assetCorrelation', s.stage, '', String(c.ml), String(c.lower), String(c.upper), String(c.years), 'years', c.enough ? 'yes' : 'no', c.warning ?? '']);
  }
  const c = cal.portfolio.correlation;
  if (c.ml !== null) rows.push(['assetCorrelation', 'portfolio', '', String(c.ml), String(c.lower), String(c.upper), String(c.years), 'years', c.enough ? 'yes' : 'no', c.warning ?? '']);
  add('recoveryRate', 'portfolio', '', cal.recovery.rate);
  add('recoveryLagMonths', 'portfolio', '', cal.recovery.lagMonths);
  for (const p of c.series) rows.push(['defaultRate', 'portfolio', String(p.year), String(p.rate), '', '', String(Math.round(p.loanYears)), 'loan-years', '', `${p.defaults} defaults`]);
  return `${rows.map((r) => r.map(q).join(',')).join('\n')}\n`;
}
