import { describe, expect, it } from 'vitest';
import { averageBalanceFraction, balanceFraction } from '../../src/core/amortisation.ts';

const annuity = { amortisation: 'annuity' as const, tenorYears: 1, instalmentsPerYear: 12, annualRate: 0.12 };

describe('scheduled balance', () => {
  it('annuity matches the closed form of a 12-month loan at 1 % a month', () => {
    // Payment A = P·i / (1 − (1+i)^−n) with i = 0.01, n = 12: 0.0888487886 per unit of principal.
    const i = 0.01;
    const pmt = i / (1 - Math.pow(1 + i, -12));
    expect(pmt).toBeCloseTo(0.0888487886, 9);
    // Balance after k payments: (1+i)^k − A·((1+i)^k − 1)/i.
    for (const k of [0, 1, 6, 11]) {
      const expected = Math.pow(1 + i, k) - (pmt * (Math.pow(1 + i, k) - 1)) / i;
      expect(balanceFraction(annuity, k / 12)).toBeCloseTo(expected, 12);
    }
    expect(balanceFraction(annuity, 1)).toBe(0);
  });

  it('linear repays equal slices; bullet repays at maturity', () => {
    const linear = { amortisation: 'linear' as const, tenorYears: 2, instalmentsPerYear: 4, annualRate: 0.1 };
    expect(balanceFraction(linear, 0.5)).toBeCloseTo(0.75, 14); // 2 of 8 quarterly slices paid
    expect(balanceFraction(linear, 0.6)).toBeCloseTo(0.75, 14); // no instalment until 0.75
    expect(balanceFraction(linear, 1.99)).toBeCloseTo(0.125, 14);
    const bullet = { ...linear, amortisation: 'bullet' as const };
    expect(balanceFraction(bullet, 1.99)).toBe(1);
    expect(balanceFraction(bullet, 2)).toBe(0);
  });

  it('time-average over a year of a 2-year linear loan with annual instalments', () => {
    const linear = { amortisation: 'linear' as const, tenorYears: 2, instalmentsPerYear: 1, annualRate: 0 };
    expect(averageBalanceFraction(linear, 0, 1)).toBeCloseTo(1, 14);
    expect(averageBalanceFraction(linear, 1, 2)).toBeCloseTo(0.5, 14);
    // Half a year at 1.0 then half a year at 0.5.
    expect(averageBalanceFraction(linear, 0.5, 1.5)).toBeCloseTo(0.75, 14);
    // Monthly linear over its 1-year life: mean of 12/12, 11/12, …, 1/12 = 13/24.
    const monthly = { ...linear, tenorYears: 1, instalmentsPerYear: 12 };
    expect(averageBalanceFraction(monthly, 0, 1)).toBeCloseTo(13 / 24, 12);
  });
});
