import { describe, expect, it } from 'vitest';
import { revolvingFundValueAtHorizon, simulateRevolvingFund } from '../../src/core/policy/revolving.ts';
import { revolvingHandTerms } from './support.ts';

const handTerms = revolvingHandTerms;

/*
 * Worked by hand. Loans of 100,000 over 2 years, linear: 50,000 of principal at each year end;
 * interest 10 % on the balance at the year's start; 10 % of live loans default at the year's end
 * on that balance, half of it recovered; admin 2 % of the book after the year's disbursements.
 * Demand 10 loans (1,000,000) a year; the fund lends what cash it has at the year's start.
 *
 * Y1 capacity 1,000,000 → 10 loans. Book 1,000,000; admin 20,000. 1 default × 100,000:
 *    write-off 50,000, recovery 50,000. 9 survivors: interest 90,000, principal 450,000.
 *    cash 0 + 90,000 + 450,000 + 50,000 − 20,000 = 570,000; outstanding 9 × 50,000 = 450,000.
 * Y2 capacity 570,000 → 5.7 loans. Book 450,000 + 570,000 = 1,020,000; admin 20,400.
 *    Defaults: 0.9 × 50,000 + 0.57 × 100,000 = 102,000 → write-off 51,000, recovery 51,000.
 *    Survivors 8.1 (old): interest 40,500, principal 405,000; 5.13 (new): 51,300 and 256,500.
 *    cash 91,800 + 661,500 + 51,000 − 20,400 = 783,900; outstanding 5.13 × 50,000 = 256,500.
 * Y3 capacity 783,900 → 7.839 loans. Book 1,040,400; admin 20,808.
 *    Defaults 0.513 × 50,000 + 0.7839 × 100,000 = 104,040 → 52,020 each way.
 *    Interest 4.617 × 5,000 + 7.0551 × 10,000 = 23,085 + 70,551 = 93,636;
 *    principal 230,850 + 352,755 = 583,605. cash 93,636 + 583,605 + 52,020 − 20,808 = 708,453;
 *    outstanding 7.0551 × 50,000 = 352,755.
 * Y4 capacity 708,453 → 7.08453 loans. Book 1,061,208; admin 21,224.16.
 *    Defaults 0.70551 × 50,000 + 0.708453 × 100,000 = 35,275.50 + 70,845.30 = 106,120.80 → 53,060.40 each.
 *    Interest 6.349590 × 5,000 + 6.376077 × 10,000 = 31,747.95 + 63,760.77 = 95,508.72;
 *    principal 317,479.50 + 318,803.85 = 636,283.35.
 *    cash 95,508.72 + 636,283.35 + 53,060.40 − 21,224.16 = 763,628.31; outstanding 318,803.85.
 * Y5 capacity 763,628.31 → 7.6362831 loans. Book 1,082,432.16; admin 21,648.6432 → 21,648.64.
 *    Defaults 0.6376077 × 50,000 + 0.76362831 × 100,000 = 31,880.385 + 76,362.831 = 108,243.216
 *    → 108,243.22, recovery 54,121.608 → 54,121.61, write-off the rest 54,121.61.
 *    Interest 5.7384693 × 5,000 + 6.87265479 × 10,000 = 28,692.3465 + 68,726.5479 = 97,418.89;
 *    outstanding 6.87265479 × 50,000 = 343,632.74; principal 318,803.85 + 763,628.31
 *    − 108,243.22 − 343,632.74 = 630,556.20.
 *    cash 630,556.20 + 97,418.89 + 54,121.61 − 21,648.64 = 760,448.06.
 * Value left at the horizon: 760,448.06 + 343,632.74 = 1,104,080.80.
 */
const hand = [
  { capacity: '1000000.00', loans: 10, disbursed: '1000000.00', interest: '90000.00', principal: '450000.00', writeOffs: '50000.00', recoveries: '50000.00', admin: '20000.00', cash: '570000.00', outstanding: '450000.00' },
  { capacity: '570000.00', loans: 5.7, disbursed: '570000.00', interest: '91800.00', principal: '661500.00', writeOffs: '51000.00', recoveries: '51000.00', admin: '20400.00', cash: '783900.00', outstanding: '256500.00' },
  { capacity: '783900.00', loans: 7.839, disbursed: '783900.00', interest: '93636.00', principal: '583605.00', writeOffs: '52020.00', recoveries: '52020.00', admin: '20808.00', cash: '708453.00', outstanding: '352755.00' },
  { capacity: '708453.00', loans: 7.08453, disbursed: '708453.00', interest: '95508.72', principal: '636283.35', writeOffs: '53060.40', recoveries: '53060.40', admin: '21224.16', cash: '763628.31', outstanding: '318803.85' },
  { capacity: '763628.31', loans: 7.6362831, disbursed: '763628.31', interest: '97418.89', principal: '630556.20', writeOffs: '54121.61', recoveries: '54121.61', admin: '21648.64', cash: '760448.06', outstanding: '343632.74' },
];

describe('revolving loan fund: five years worked by hand', () => {
  const ledger = simulateRevolvingFund(handTerms);

  hand.forEach((h, i) => {
    it(`year ${i + 1}: capacity, lending, flows, cash and outstanding`, () => {
      const y = ledger.years[i]!;
      expect(y.lendingCapacity.toFixed(2)).toBe(h.capacity);
      expect(y.loansDemanded).toBeCloseTo(10, 12);
      expect(y.loansDisbursed).toBeCloseTo(h.loans, 9);
      expect(y.amountDisbursed.toFixed(2)).toBe(h.disbursed);
      expect(y.interestReceived.toFixed(2)).toBe(h.interest);
      expect(y.principalRepaid.toFixed(2)).toBe(h.principal);
      expect(y.writeOffs.toFixed(2)).toBe(h.writeOffs);
      expect(y.recoveries.toFixed(2)).toBe(h.recoveries);
      expect(y.adminCosts.toFixed(2)).toBe(h.admin);
      expect(y.closingCash.toFixed(2)).toBe(h.cash);
      expect(y.outstandingPrincipal.toFixed(2)).toBe(h.outstanding);
    });
  });

  it('lends all its cash once demand exceeds it, and rations the rest', () => {
    // Y2: 10 demanded, 5.7 lent.
    expect(ledger.years[1]!.loansRationed).toBeCloseTo(4.3, 9);
    expect(ledger.years[0]!.loansRationed).toBeCloseTo(0, 12);
  });

  it('value left at the horizon is cash plus loans outstanding: 1,104,080.80', () => {
    expect(ledger.years[4]!.valueLeft.toFixed(2)).toBe('1104080.80');
  });

  it('the float path used by Monte Carlo lands on the same value within a cent', () => {
    expect(revolvingFundValueAtHorizon(handTerms)).toBeCloseTo(1_104_080.8, 1);
  });

  /*
   * Demand-limited: 3 loans a year (300,000) with 1,000,000 of cash, no defaults, no costs,
   * bullet loans of 1 year at 10 %: each year 300,000 goes out and 330,000 comes back, so
   * cash grows by 30,000 a year: 1,030,000; 1,060,000; 1,090,000 and nothing is outstanding.
   */
  it('with more cash than demand, idle cash stays idle and grows only by interest', () => {
    const l = simulateRevolvingFund({ ...handTerms, horizonYears: 3, tenorYears: 1, amortisation: 'bullet', annualPd: 0, adminCostRate: 0, firmsPerYear: 3 });
    expect(l.years.map((y) => y.closingCash.toFixed(2))).toEqual(['1030000.00', '1060000.00', '1090000.00']);
    expect(l.years.map((y) => y.outstandingPrincipal.toFixed(2))).toEqual(['0.00', '0.00', '0.00']);
    expect(l.years.every((y) => y.loansRationed === 0)).toBe(true);
  });

  /*
   * Quarterly periods, 3-month bullet loans of 100,000, demand 10 a quarter, 100,000 of cash:
   * the same money is lent again every quarter. Each quarter the fund lends all its cash c,
   * earns 10 % × 0.25 = 2.5 % of it and pays admin 2 % × 0.25 = 0.5 % of it, so c grows 2 %:
   * lent 100,000; 102,000; 104,040; 106,120.80 (1 + 1.02 + 1.0404 + 1.061208 = 4.121608 loans,
   * 412,160.80); interest 2,500 + 2,550 + 2,601 + 2,653.02 = 10,304.02; admin 500 + 510
   * + 520.20 + 530.60 (530.604) = 2,060.80; cash at the year's end 106,120.80 + 2,653.02
   * − 530.60 = 108,243.22.
   */
  it('with sub-annual periods, repaid money is lent again within the year', () => {
    const l = simulateRevolvingFund({ ...handTerms, capital: 100_000, horizonYears: 1, periodsPerYear: 4, tenorYears: 0.25, amortisation: 'bullet', annualPd: 0, firmsPerYear: 40 });
    const y = l.years[0]!;
    expect(y.loansDisbursed).toBeCloseTo(4.121608, 9);
    expect(y.amountDisbursed.toFixed(2)).toBe('412160.80');
    expect(y.interestReceived.toFixed(2)).toBe('10304.02');
    expect(y.adminCosts.toFixed(2)).toBe('2060.80');
    expect(y.closingCash.toFixed(2)).toBe('108243.22');
    expect(y.lendingCapacity.toFixed(2)).toBe('100000.00');
  });
});
