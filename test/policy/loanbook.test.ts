import { describe, expect, it } from 'vitest';
import { demandInYear, discountFactor } from '../../src/core/policy/basis.ts';
import { balanceFraction, emptyRunOff, instalmentFraction, LoanBook, lifePeriodsOfMonths, remainingBalancePeriods } from '../../src/core/policy/loanbook.ts';

describe('annuity schedule worked by hand', () => {
  /*
   * Three periods at 10 % a period: the payment is 0.1 / (1 − 1.1^−3) = 0.402114804 per unit.
   * Balance after each payment: 1 × 1.1 − 0.402114804 = 0.697885196; × 1.1 − 0.402114804 =
   * 0.365558912; × 1.1 − 0.402114804 = 0. Principal repaid: 0.302114804, 0.332326284, 0.365558912.
   */
  const product = { loanSize: 1, lifePeriods: 3, amortisation: 'annuity' as const, ratePerPeriod: 0.1 };

  it('balances and instalments', () => {
    expect([0, 1, 2, 3].map((k) => balanceFraction(product, k))).toEqual([1, 0.697885196, 0.365558912, 0].map((x) => expect.closeTo(x, 9)));
    expect([0, 1, 2].map((k) => instalmentFraction(product, k))).toEqual([0.302114804, 0.332326284, 0.365558912].map((x) => expect.closeTo(x, 9)));
  });

  it('interest plus principal is the same payment every period', () => {
    for (let k = 0; k < 3; k++) expect(0.1 * balanceFraction(product, k) + instalmentFraction(product, k)).toBeCloseTo(0.402114804, 9);
  });

  it('a book of one loan pays exactly that schedule and then matures', () => {
    const book = new LoanBook({ ...product, loanSize: 1000 }, 4);
    book.disburse(0, 1);
    const r = emptyRunOff();
    const paid: number[] = [];
    for (let t = 0; t < 3; t++) {
      book.runOff(t, 0, 0.1, r);
      paid.push(r.interest + r.principalRepaid);
    }
    expect(paid).toEqual([402.114804, 402.114804, 402.114804].map((x) => expect.closeTo(x, 6)));
    expect(r.matured).toBeCloseTo(1, 12);
    expect(book.outstanding(3)).toBe(0);
  });

  it('is linear at a zero rate; linear and bullet are unchanged', () => {
    expect(balanceFraction({ ...product, ratePerPeriod: 0 }, 1)).toBeCloseTo(2 / 3, 12);
    expect(balanceFraction({ ...product, amortisation: 'linear' }, 2)).toBeCloseTo(1 / 3, 12);
    expect(instalmentFraction({ ...product, amortisation: 'bullet' }, 2)).toBe(1);
    // Loan-periods still to run: 1 + 0.697885196 + 0.365558912.
    expect(remainingBalancePeriods(product, 0)).toBeCloseTo(2.063444108, 8);
  });

  it('tenors in months become whole periods', () => {
    expect(lifePeriodsOfMonths(6, 12)).toBe(6);
    expect(lifePeriodsOfMonths(6, 4)).toBe(2);
    expect(lifePeriodsOfMonths(6, 1)).toBe(1); // half a year rounds to one annual period (at least one)
    expect(lifePeriodsOfMonths(18, 1)).toBe(2);
  });

  it('defaults fall on opening balances and the survivors keep paying', () => {
    const book = new LoanBook({ ...product, loanSize: 1000 }, 3);
    book.disburse(0, 10);
    const r = emptyRunOff();
    book.runOff(0, 0.2, 0.1, r);
    // 2 of 10 default on 1,000 each; 8 pay 100 of interest and 302.11 of principal each.
    expect(r.defaults).toBeCloseTo(2, 12);
    expect(r.defaultedBalance).toBeCloseTo(2000, 9);
    expect(r.interest).toBeCloseTo(800, 9);
    expect(r.principalRepaid).toBeCloseTo(8 * 302.114804, 5);
    expect(book.outstanding(1)).toBeCloseTo(8 * 697.885196, 5);
  });
});

describe('discounting and demand series', () => {
  it('(1 + r)^−τ', () => {
    expect(discountFactor(0.04, 2)).toBeCloseTo(1 / 1.0816, 14);
    expect(discountFactor(0.1, 0.5)).toBeCloseTo(1 / Math.sqrt(1.1), 14);
    expect(discountFactor(0, 7)).toBe(1);
  });

  it('the last value of a demand series repeats', () => {
    expect([0, 1, 2, 5].map((y) => demandInYear([3, 4, 6], y))).toEqual([3, 4, 6, 6]);
    expect(demandInYear([], 0)).toBe(0);
  });
});
