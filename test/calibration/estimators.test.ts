/**
 * Estimators against independent calculations: a life table worked by hand with censoring, the
 * method-of-moments correlation against the Vasicek moments integrated directly, the maximum
 * likelihood correlation on long simulated series, and row checks that name the field.
 */
import { describe, expect, it } from 'vitest';
import { inverseNormalCdf, normalCdf } from '../../src/core/math/normal.ts';
import { createRng } from '../../src/core/random/rng.ts';
import { binomial, standardNormal } from '../../src/core/random/samplers.ts';
import { calibrate } from '../../src/core/calibration/estimate.ts';
import { guessMapping, mappingProblems, stageOfAge, type LoanField } from '../../src/core/calibration/fields.ts';
import { dayOf, LoanTable, parseLoan, type Cell, type Loan } from '../../src/core/calibration/rows.ts';
import { fitCorrelationMl, fitCorrelationMoments } from '../../src/core/calibration/vasicek-fit.ts';

const loan = (over: Partial<Loan> & { line: number }): Loan => ({
  id: `L${over.line}`, origination: dayOf(2020, 1, 1), amount: 10_000, tenorMonths: 60, repayment: 'annuity', stage: 'growth', grade: 'A',
  collateralValue: null, coverage: 0.8, defaultDate: null, outstandingAtDefault: null, recoveryAmount: null, recoveryDate: null,
  closedDate: null, stageAtEnd: null, region: '', sector: '', lender: '', ...over,
});

describe('life table worked by hand, with censoring', () => {
  // Five loans from 1 January 2020, data to 2 July 2021 (548 days later):
  //   L1 defaults on 30 June 2020 (age year 0); L2 on 1 March 2021 (age year 1);
  //   L3 is repaid early on 1 October 2020 (274 days: watched 274/365.25 of year 0);
  //   L4 and L5 are still running at the data's end (watched 182.75/365.25 of year 1).
  const t = new LoanTable();
  t.push(loan({ line: 2, defaultDate: dayOf(2020, 6, 30), outstandingAtDefault: 9000 }));
  t.push(loan({ line: 3, defaultDate: dayOf(2021, 3, 1), outstandingAtDefault: 7000 }));
  t.push(loan({ line: 4, closedDate: dayOf(2020, 10, 1) }));
  t.push(loan({ line: 5 }));
  t.push(loan({ line: 6 }));
  const c = calibrate(t, { asOf: dayOf(2021, 7, 2), fitCorrelation: false });
  const g = c.stages[1]!.grades[0]!;

  it('counts loans at risk, defaults and the unobserved part of each year', () => {
    const e0 = 4 + 274 / 365.25; // L1, L2, L4, L5 whole; L3 for 274 days
    const e1 = 1 + 2 * (182.75 / 365.25); // L2 whole (it defaults); L4, L5 for 182.75 days
    expect(g.lifeTable.map((r) => [r.atRisk, r.defaults])).toEqual([[5, 1], [3, 1]]);
    expect(g.lifeTable[0]!.effective).toBeCloseTo(e0, 12);
    expect(g.lifeTable[1]!.effective).toBeCloseTo(e1, 12);
    expect(g.lifeTable[1]!.cumulative).toBeCloseTo(1 - (1 - 1 / e0) * (1 - 1 / e1), 12);
    expect(g.pd.estimate).toBeCloseTo(2 / (e0 + e1), 12);
    expect(g.pd.enough).toBe(false);
    expect(c.vintages.map((v) => [v.year, v.loans])).toEqual([[2020, 5]]);
    expect(c.vintages[0]!.cumulative[0]).toBeCloseTo(1 / e0, 12);
    expect(c.vintages[0]!.cumulative[1]).toBeCloseTo(1 - (1 - 1 / e0) * (1 - 1 / e1), 12);
  });
  it('records the defaults and claims of each calendar year', () => {
    expect(c.observed.map((o) => o.defaults[1])).toEqual([1, 1]);
    expect(c.observed[0]!.claims[1]).toBeCloseTo(0.8 * 9000, 9);
  });
});

describe('asset correlation', () => {
  it('the method of moments inverts the Vasicek variance integrated directly', () => {
    for (const [pd, rho] of [[0.03, 0.12], [0.08, 0.05], [0.01, 0.2]] as const) {
      const c = inverseNormalCdf(pd);
      const n = 20_000;
      const h = 20 / n;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const z = -10 + (i + 0.5) * h;
        m2 += normalCdf((c - Math.sqrt(rho) * z) / Math.sqrt(1 - rho)) ** 2 * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * h;
      }
      const sd = Math.sqrt(m2 - pd * pd);
      // A series whose mean is PD and whose variance about it is the Vasicek variance, with no binomial noise.
      const rates = [pd + sd, pd - sd, pd + sd, pd - sd];
      expect(fitCorrelationMoments(rates, [Infinity, Infinity, Infinity, Infinity], pd)).toBeCloseTo(rho, 6);
    }
  });

  it('maximum likelihood recovers ρ from long series, its interval covering the truth in most of 20 runs', () => {
    const pds = [0.01, 0.03, 0.08];
    let covered = 0;
    const estimates: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      const rho = 0.12;
      const years = Array.from({ length: 30 }, () => {
        const z = standardNormal(rng);
        const exposure = pds.map(() => 2000);
        const defaults = pds.map((pd) => binomial(rng, 2000, normalCdf((inverseNormalCdf(pd) - Math.sqrt(rho) * z) / Math.sqrt(1 - rho))));
        return { exposure, defaults };
      });
      const fit = fitCorrelationMl(pds, years);
      estimates.push(fit.ml);
      if (fit.lower <= rho && rho <= fit.upper) covered++;
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    expect(mean).toBeGreaterThan(0.08);
    expect(mean).toBeLessThan(0.16);
    // 95 % nominal; 16 of 20 is the lower 1 % point of Binomial(20, 0.95).
    expect(covered).toBeGreaterThanOrEqual(16);
  });
});

describe('rows and mapping', () => {
  const row = (cells: Partial<Record<LoanField, Cell>>) => parseLoan(7, (f) => cells[f], { asOf: dayOf(2023, 12, 31) });
  it('accepts a good row and derives the stage from the founding date by the stated rule', () => {
    const r = row({ originationDate: '2021-03-15', amount: '25,000', tenorMonths: 36, firmFoundedDate: '01/06/2016', coverage: '80%' });
    expect('loan' in r && r.loan.stage).toBe('growth');
    expect('loan' in r && r.loan.coverage).toBe(0.8);
    expect(stageOfAge(2.99)).toBe('founding');
    expect(stageOfAge(8)).toBe('maturity');
    expect(stageOfAge(25)).toBe('transformation');
  });
  it('names every bad field of a bad row', () => {
    const r = row({ originationDate: '2021-02-30', amount: '-5', tenorMonths: 'x', stage: 'teen', defaultDate: '2022-01-01', coverage: '1.5' });
    expect('errors' in r).toBe(true);
    const messages = 'errors' in r ? r.errors.map((e) => e.message) : [];
    expect(messages).toEqual([
      'Origination date: “2021-02-30” is not a date (write YYYY-MM-DD or DD/MM/YYYY)',
      'Amount: must be more than 0 (found -5)',
      'Tenor (months): “x” is not a number',
      'Lifecycle stage: “teen” is not one of founding, growth, maturity, transformation',
      'Guarantee coverage: must be at most 1 (found 1.5)',
      'Outstanding at default: is required for a defaulted loan',
    ]);
  });
  it('refuses dates after the data’s end and a loan both defaulted and repaid', () => {
    const r = row({ originationDate: '2024-01-05', amount: 1, tenorMonths: 12, stage: 'growth' });
    expect('errors' in r && r.errors[0]!.message).toBe('Origination date: 2024-01-05 is after the data’s end date 2023-12-31');
    const r2 = row({ originationDate: '2020-01-05', amount: 1, tenorMonths: 12, stage: 'growth', defaultDate: '2020-06-01', outstandingAtDefault: 1, closedDate: '2020-07-01' });
    expect('errors' in r2 && r2.errors.map((e) => e.field)).toEqual(['closedDate']);
  });
  it('guesses a mapping from common headers and says what is missing', () => {
    const headers = ['Loan ID', 'Disbursement date', 'Principal', 'Term (months)', 'Rating', 'Notes'];
    const m = guessMapping(headers);
    expect(m).toEqual({ loanId: 'Loan ID', originationDate: 'Disbursement date', amount: 'Principal', tenorMonths: 'Term (months)', grade: 'Rating' });
    expect(mappingProblems(m, headers)).toEqual(['Lifecycle stage: choose the column of the stage, of the firm’s age or of its founding date.']);
    expect(mappingProblems({ ...m, stage: 'Principal' }, headers)).toEqual(['Lifecycle stage: column “Principal” is already used for Amount.']);
  });
});
