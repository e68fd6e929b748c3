import { describe, expect, it } from 'vitest';
import { effectiveFeeRate, feeAmount, marginalFee } from '../../src/core/fees.ts';
import type { FeeRule } from '../../src/core/schema.ts';

const rule = (r: Partial<FeeRule> = {}): FeeRule => ({ method: 'marginal', basis: 'guaranteed', boundsOn: 'loan', minPerLoan: null, maxPerLoan: null, ...r });

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

  it('effective rate on the guaranteed amount is the marginal fee over the principal, whatever the coverage', () => {
    expect(effectiveFeeRate(brackets, rule(), 1_000_000, 0.75)).toBeCloseTo(0.03, 12);
    expect(effectiveFeeRate(brackets, rule(), 400_000, 0.5)).toBeCloseTo(10_500 / 400_000, 12);
  });

  it('a flat schedule is its rate whatever the size', () => {
    expect(effectiveFeeRate([{ upTo: null, rate: 0.015 }], rule(), 123_456, 0.8)).toBeCloseTo(0.015, 14);
    expect(effectiveFeeRate([{ upTo: null, rate: 0.015 }], rule(), 0, 0.8)).toBe(0.015);
  });
});

describe('fee methods and bases, worked from the schemes\' published rules', () => {
  /*
   * SBA 7(a), from 27 March 2025: upfront fee on the guaranteed portion — 2 % for loans up to
   * USD 150,000, 3 % for 150,001–700,000, and for larger loans 3.5 % of the guaranteed portion
   * up to USD 1,000,000 plus 3.75 % above. A USD 400,000 loan guaranteed 75 %: 3 % × 300,000 =
   * 9,000, 3.0 % of the guaranteed amount. Applied marginally by loan size it would be
   * (150,000 × 2 % + 250,000 × 3 %) × 0.75 = 7,875: 2.625 %.
   * A USD 2,000,000 loan guaranteed 75 %: 3.5 % × 1,000,000 + 3.75 % × 500,000 = 53,750.
   */
  const sba = [
    { upTo: 150_000, rate: 0.02 },
    { upTo: 700_000, rate: 0.03 },
    { upTo: null, rate: 0.035, above: { amount: 1_000_000, rate: 0.0375 } },
  ];
  it('SBA 7(a): slabs by loan size on the guaranteed portion, 3.75 % above USD 1m of it', () => {
    expect(feeAmount(sba, rule({ method: 'slab' }), 400_000, 0.75)).toBeCloseTo(9_000, 6);
    expect(effectiveFeeRate(sba, rule({ method: 'slab' }), 400_000, 0.75)).toBeCloseTo(0.03, 12);
    expect(effectiveFeeRate(sba, rule(), 400_000, 0.75)).toBeCloseTo(0.02625, 12);
    expect(feeAmount(sba, rule({ method: 'slab' }), 2_000_000, 0.75)).toBeCloseTo(53_750, 6);
    expect(feeAmount(sba, rule({ method: 'slab' }), 100_000, 0.85)).toBeCloseTo(1_700, 6);
  });

  /*
   * CGTMSE, from April 2023: the slab's annual rate on the whole guaranteed amount — 0.37 % up
   * to ₹10 lakh, 0.55 % to ₹50 lakh, 0.60 % to ₹1 crore, 1.20 % to ₹2 crore, 1.35 % to ₹5 crore.
   * A ₹1.5 crore loan: 1.20 %. Marginally: (10 lakh × 0.37 % + 40 lakh × 0.55 % + 50 lakh ×
   * 0.60 % + 50 lakh × 1.20 %) / 1.5 crore = (3,700 + 22,000 + 30,000 + 60,000) / 15,000,000 = 0.7713 %.
   */
  const cgtmse = [
    { upTo: 1_000_000, rate: 0.0037 }, { upTo: 5_000_000, rate: 0.0055 }, { upTo: 10_000_000, rate: 0.006 },
    { upTo: 20_000_000, rate: 0.012 }, { upTo: null, rate: 0.0135 },
  ];
  it('CGTMSE: the slab\'s rate on the whole amount', () => {
    expect(effectiveFeeRate(cgtmse, rule({ method: 'slab' }), 15_000_000, 0.75)).toBeCloseTo(0.012, 12);
    expect(effectiveFeeRate(cgtmse, rule(), 15_000_000, 0.75)).toBeCloseTo(115_700 / 15_000_000, 12);
    expect(effectiveFeeRate(cgtmse, rule({ method: 'slab' }), 1_000_000, 0.85)).toBeCloseTo(0.0037, 12);
  });

  /*
   * UK EFG: 2 % a year of the loan's outstanding balance, 75 % covered: on the guaranteed amount
   * outstanding that is 2 % ÷ 0.75 = 2.667 %.
   */
  it('UK EFG: 2 % of the loan balance is 2.667 % of the guaranteed amount', () => {
    expect(effectiveFeeRate([{ upTo: null, rate: 0.02 }], rule({ basis: 'principal' }), 250_000, 0.75)).toBeCloseTo(0.02 / 0.75, 12);
  });

  it('bounds on the guaranteed amount: a 1,000,000 loan 60 % guaranteed falls in the 600,000 bracket', () => {
    const byGuaranteed = [{ upTo: 500_000, rate: 0.01 }, { upTo: null, rate: 0.02 }];
    expect(effectiveFeeRate(byGuaranteed, rule({ method: 'slab', boundsOn: 'guaranteed' }), 1_000_000, 0.6)).toBeCloseTo(0.02, 12);
    // Marginal on the guaranteed amount: 500,000 × 1 % + 100,000 × 2 % = 7,000 on 600,000.
    expect(feeAmount(byGuaranteed, rule({ boundsOn: 'guaranteed' }), 1_000_000, 0.6)).toBeCloseTo(7_000, 6);
  });

  it('a minimum and a maximum fee per loan', () => {
    const flat = [{ upTo: null, rate: 0.01 }];
    // 1 % of 8,000 guaranteed is 80: raised to the 250 minimum; 1 % of 8,000,000 is 80,000: cut to 50,000.
    expect(feeAmount(flat, rule({ minPerLoan: 250 }), 10_000, 0.8)).toBe(250);
    expect(feeAmount(flat, rule({ maxPerLoan: 50_000 }), 10_000_000, 0.8)).toBe(50_000);
  });
});
