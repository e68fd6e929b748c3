/**
 * The backtest against independent calculations: a hand-worked expected-defaults and claims
 * line for one vintage, and tapes drawn from known parameters, run through the model with those
 * parameters, whose observed defaults fall inside the 90 % bands at about the stated rate.
 */
import { describe, expect, it } from 'vitest';
import { backtest, backtestScenario } from '../../src/core/calibration/backtest.ts';
import { calibrate } from '../../src/core/calibration/estimate.ts';
import { dayOf, LoanTable, type Loan } from '../../src/core/calibration/rows.ts';
import { calibratedScenario } from '../../src/core/calibration/scenario.ts';
import { generateTape, SAMPLE_PARAMETERS } from '../../src/core/calibration/synthetic.ts';
import { parseScenario, type Scenario } from '../../src/core/schema.ts';
import { STAGES } from '../../src/core/stages.ts';
import { loadPreset } from '../../src/presets/index.ts';

const base = (() => {
  const p = parseScenario(loadPreset('default'));
  if (!p.ok) throw new Error('default preset');
  return p.value;
})();

const loan = (i: number, over: Partial<Loan>): Loan => ({
  line: i + 2, id: `L${i}`, origination: dayOf(2010, 7, 2), amount: 10_000, tenorMonths: 120, repayment: 'bullet', stage: 'founding', grade: 'A',
  collateralValue: null, coverage: 0.8, defaultDate: null, outstandingAtDefault: null, recoveryAmount: null, recoveryDate: null, closedDate: null,
  stageAtEnd: null, region: '', sector: '', lender: '', ...over,
});

describe('backtest', () => {
  it('gives the hand-worked expected defaults and claims of one vintage', () => {
    const t = new LoanTable();
    for (let i = 0; i < 1000; i++) t.push(loan(i, {}));
    // Two defaults observed, in 2011 and 2013, so the observed series is known too.
    t.push(loan(1000, { defaultDate: dayOf(2011, 3, 1), outstandingAtDefault: 10_000 }));
    t.push(loan(1001, { defaultDate: dayOf(2013, 5, 1), outstandingAtDefault: 9_000 }));
    const cal = calibrate(t, { asOf: dayOf(2013, 12, 31), fitCorrelation: false });
    const s: Scenario = structuredClone(base);
    s.stages.founding = { ...s.stages.founding, loanSize: 10_000, riskGrades: [{ share: 1, pd: 0.05 }], transitions: { founding: 0, growth: 0, maturity: 0, transformation: 0, exit: 0 }, assetCorrelation: 0.1 };
    const b = backtest(cal, s, { paths: 200, seed: 3 });
    expect(b.years).toEqual([2010, 2011, 2012, 2013]);
    const n = 1002;
    // Originated mid-year: half a year's risk in 2010, then full years on the survivors.
    const survive = Math.sqrt(0.95);
    const hand = [n * (1 - survive), n * survive * 0.05, n * survive * 0.95 * 0.05, n * survive * 0.95 ** 2 * 0.05];
    const all = (m: string) => b.series.find((x) => x.measure === m && x.stage === 'all')!;
    all('defaults').points.forEach((p, i) => expect(p.expected).toBeCloseTo(hand[i]!, 6));
    // Bullet loans: the claim is the coverage (0.8, from the tape) of the whole principal.
    all('claims').points.forEach((p, i) => expect(p.expected).toBeCloseTo(hand[i]! * 0.8 * 10_000, 2));
    expect(all('defaults').points.map((p) => p.observed)).toEqual([0, 1, 0, 1]);
    expect(all('claims').points.map((p) => p.observed)).toEqual([0, 8_000, 0, 7_200]);
    // Only the founding stage has loans: its series is the portfolio's.
    expect(b.series.filter((x) => x.stage !== 'all').map((x) => x.stage)).toEqual(['founding', 'founding', 'founding']);
    for (const x of b.series) for (const p of x.points) expect(p.lower).toBeLessThanOrEqual(p.upper);
    // 0 or 1 default against an expected 25 to 50 lies far below the band.
    expect(all('defaults').inside).toBe(0);
    expect(b.verdicts[0]).toMatch(/inside the 90 % band in 0 of 4 years, outside in 2010, 2011, 2012, 2013/);
  });

  it('the backtest scenario is valid, issues the tape’s loans and keeps the scenario’s PDs', () => {
    const tape = generateTape({ ...SAMPLE_PARAMETERS, loansPerYear: 300, years: 6 });
    const t = new LoanTable();
    for (const l of tape.loans) t.push(l);
    const cal = calibrate(t, { asOf: tape.asOf, fitCorrelation: false });
    const s = calibratedScenario(base, cal, { tapeName: 't' }).scenario;
    const bs = backtestScenario(s, cal);
    expect(bs.horizonYears).toBe(6);
    expect(bs.origination.mode).toBe('direct');
    for (const [si, st] of STAGES.entries()) {
      const vols = (bs.origination as { volumes: Record<string, number[]> }).volumes[st]!;
      expect(vols.map((v) => Math.round(v / bs.stages[st].loanSize))).toEqual(cal.originations.map((o) => o.loans[si]));
    }
  });

  it('tapes drawn from known parameters lie inside the 90 % bands at about the stated rate', () => {
    let inside = 0;
    let points = 0;
    let insideAll = 0;
    let pointsAll = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const p = { ...SAMPLE_PARAMETERS, seed, loansPerYear: 600 };
      const tape = generateTape(p);
      const t = new LoanTable();
      for (const l of tape.loans) t.push(l);
      const cal = calibrate(t, { asOf: tape.asOf, fitCorrelation: false });
      // The model with the generator's true parameters (loan sizes as in the tape).
      const s = structuredClone(calibratedScenario(base, cal, { tapeName: 't' }).scenario);
      for (const st of STAGES) {
        const sp = p.stages[st];
        s.stages[st].riskGrades = sp.grades.map((g) => ({ share: g.share, pd: g.pd }));
        s.stages[st].assetCorrelation = sp.assetCorrelation;
        s.stages[st].transitions.exit = sp.exit;
      }
      s.monteCarlo.cyclePersistence = p.cyclePersistence;
      s.monteCarlo.downturnLgdSensitivity = 0;
      const b = backtest(cal, s, { paths: 400, seed });
      for (const x of b.series.filter((y) => y.measure === 'defaults')) {
        if (x.stage === 'all') { insideAll += x.inside; pointsAll += x.points.length; }
        inside += x.inside;
        points += x.points.length;
      }
    }
    expect(points).toBe(8 * 12 * 5);
    // Measured: 440 of 480 (91.7 %), the portfolio's alone 87 of 96 (90.6 %); nominal 90 %.
    expect(insideAll / pointsAll).toBeGreaterThanOrEqual(0.8);
    expect(inside / points).toBeGreaterThanOrEqual(0.82);
    expect(inside / points).toBeLessThanOrEqual(0.98);
  }, 60_000);
});
