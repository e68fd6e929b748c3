import { describe, expect, it } from 'vitest';
import { effectiveFeeRate, marginalFee } from '../../src/core/fees.ts';

// SBA-style upfront brackets: 2 % up to 150,000, 3 % to 700,000, 3.5 % above.
const brackets = [
  { upTo: 150_000, rate: 0.02 },
  { upTo: 700_000, rate: 0.03 },
  { upTo: null, rate: 0.035 },
];

describe('marginal fee brackets', () => {
  it.each([
    // loan, fee worked by hand
    [0, 0],
    [100_000, 2_000], // 100,000 × 2 %
    [150_000, 3_000], // whole first bracket
    [400_000, 3_000 + 250_000 * 0.03], // 3,000 + 7,500 = 10,500
    [1_000_000, 3_000 + 16_500 + 10_500], // 150k×2 % + 550k×3 % + 300k×3.5 % = 30,000
  ])('loan %d pays %d', (loan, fee) => {
    expect(marginalFee(brackets, loan)).toBeCloseTo(fee, 6);
  });

  it('effective rate is the fee over the principal', () => {
    expect(effectiveFeeRate(brackets, 1_000_000)).toBeCloseTo(0.03, 12);
    expect(effectiveFeeRate(brackets, 400_000)).toBeCloseTo(10_500 / 400_000, 12);
  });

  it('a flat schedule is its rate whatever the size', () => {
    expect(effectiveFeeRate([{ upTo: null, rate: 0.015 }], 123_456)).toBeCloseTo(0.015, 14);
    expect(effectiveFeeRate([{ upTo: null, rate: 0.015 }], 0)).toBe(0.015);
  });
});
