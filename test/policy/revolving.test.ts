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
    const l = simulateRevolvingFund({ ...handTerms, horizonYears: 3, tenorYears: 1, amortisation: 'bullet', annualPd: 0, adminCostRate: 0, demandByYear: [3] });
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
    const l = simulateRevolvingFund({ ...handTerms, capital: 100_000, horizonYears: 1, periodsPerYear: 4, tenorYears: 0.25, amortisation: 'bullet', annualPd: 0, demandByYear: [40] });
    const y = l.years[0]!;
    expect(y.loansDisbursed).toBeCloseTo(4.121608, 9);
    expect(y.amountDisbursed.toFixed(2)).toBe('412160.80');
    expect(y.interestReceived.toFixed(2)).toBe('10304.02');
    expect(y.adminCosts.toFixed(2)).toBe('2060.80');
    expect(y.closingCash.toFixed(2)).toBe('108243.22');
    expect(y.lendingCapacity.toFixed(2)).toBe('100000.00');
  });
});

describe('revolving loan fund: the lifetime view of the five-year example', () => {
  /*
   * At the horizon 6.87265479 loans of the year-5 vintage are outstanding, 50,000 each
   * (343,632.74). In the run-off year 10 % default on that balance: 34,363.27, half recovered
   * (17,181.64) and half written off (17,181.63); the 6.18538931 survivors pay 5,000 of interest
   * each (30,926.95) and the last 50,000 of principal (343,632.74 − 17,181.63 − 17,181.64 =
   * 309,269.47); admin 2 % × 343,632.74 = 6,872.65. Cash at the end: 760,448.06 + 309,269.47
   * + 30,926.95 + 17,181.64 − 6,872.65 = 1,110,953.47, in year 6.
   * PV cost = 1,000,000 − 1,110,953.47 × 1.05^−6 = 170,989.42 at 5 %; −110,953.47 at 0 %.
   */
  it('runs the book off one more year and returns the cash at its end', () => {
    const l = simulateRevolvingFund(handTerms);
    expect(l.runOff.years).toBe(1);
    expect(l.runOff.principalRepaid.toFixed(2)).toBe('309269.47');
    expect(l.runOff.interestReceived.toFixed(2)).toBe('30926.95');
    expect(l.runOff.recoveries.toFixed(2)).toBe('17181.64');
    expect(l.runOff.writeOffs.toFixed(2)).toBe('17181.63');
    expect(l.runOff.adminCosts.toFixed(2)).toBe('6872.65');
    expect(l.runOff.cashAtEnd.toFixed(2)).toBe('1110953.47');
    expect(l.account.pvCost.toFixed(2)).toBe('-110953.47');
    expect(simulateRevolvingFund({ ...handTerms, discountRate: 0.05 }).account.pvCost.toFixed(2)).toBe('170989.42');
  });

  it('the budget is fully in use from the second year: the peak is the budget', () => {
    expect(simulateRevolvingFund(handTerms).account.peakBudgetInUse.toFixed(2)).toBe('1000000.00');
  });
});

describe('revolving loan fund: annuity repayment', () => {
  /*
   * Loans of 100,000 over 3 years, annuity at 10 %: the payment is 0.1 / (1 − 1.1^−3) =
   * 0.40211480 per unit, so 40,211.48 a year; balances 100,000, 69,788.52, 36,555.89, 0
   * (B_k = (1 − 1.1^−(3−k)) / (1 − 1.1^−3)). The fund starts with 100,000, demand is one loan a
   * year, no defaults and no costs, so it lends all its cash every year and its assets (cash +
   * loans) grow at the lending rate: 110,000; 121,000; 133,100 = 100,000 × 1.1^y.
   * Y1: lends 100,000; interest 10,000, principal 30,211.48; cash 40,211.48.
   * Y2: lends 40,211.48 (0.4021148 loans: the cash held, in cents); interest 10 % × (69,788.52 + 40,211.48) = 11,000.
   * Y3: interest 12,100.
   * Lent at 10 % and discounted at 10 %, with idle cash also earning 10 %, the run-off returns
   * exactly what the budget is worth: PV cost 0 (to rounding).
   */
  const terms = { ...handTerms, capital: 100_000, horizonYears: 3, tenorYears: 3, amortisation: 'annuity' as const, adminCostRate: 0, annualPd: 0, demandByYear: [1], idleCashRate: 0.1, discountRate: 0.1 };
  const l = simulateRevolvingFund(terms);

  it('pays equal instalments of 40,211.48 on a whole loan', () => {
    const y = l.years[0]!;
    expect(y.interestReceived.plus(y.principalRepaid).toFixed(2)).toBe('40211.48');
    expect(y.principalRepaid.toFixed(2)).toBe('30211.48');
    expect(y.outstandingPrincipal.toFixed(2)).toBe('69788.52');
  });

  it('grows its assets at the lending rate when it lends everything and loses nothing', () => {
    expect(l.years.map((y) => y.valueLeft.toFixed(2))).toEqual(['110000.00', '121000.00', '133100.00']);
    expect(l.years.map((y) => y.interestReceived.toFixed(2))).toEqual(['10000.00', '11000.00', '12100.00']);
    expect(l.years[1]!.loansDisbursed).toBeCloseTo(0.4021148, 12); // the cash, in cents, over the loan size
  });

  it('costs nothing in present value when lending rate, idle-cash rate and discount rate are equal', () => {
    expect(l.runOff.years).toBe(2);
    expect(Math.abs(l.account.pvCost.toNumber())).toBeLessThanOrEqual(0.05);
  });
});

describe('revolving loan fund: lending capacity set once a year', () => {
  /*
   * As the quarterly example above (3-month bullet loans of 100,000 at 10 %, admin 2 %, cash
   * 100,000, demand 10 loans a quarter), but the lending budget is set once a year from the cash
   * at its start. Y1: budget 100,000, all lent in Q1 (1 loan); at Q1's end 100,000 comes back
   * with 2,500 of interest, less 500 of admin: cash 102,000, which waits for the next year.
   * Y2: budget 102,000 → 1.02 loans in Q1; interest 2,550, admin 510; cash 104,040.
   * Lending continuously, the same fund lent 412,160.80 in year 1.
   */
  const terms = { ...handTerms, capital: 100_000, horizonYears: 2, periodsPerYear: 4, tenorYears: 0.25, amortisation: 'bullet' as const, annualPd: 0, demandByYear: [40], capacity: 'annual' as const };
  const l = simulateRevolvingFund(terms);

  it('lends the year’s budget and no more, even as money comes back', () => {
    expect(l.years.map((y) => y.lendingCapacity.toFixed(2))).toEqual(['100000.00', '102000.00']);
    expect(l.years.map((y) => y.amountDisbursed.toFixed(2))).toEqual(['100000.00', '102000.00']);
    expect(l.years.map((y) => y.interestReceived.toFixed(2))).toEqual(['2500.00', '2550.00']);
    expect(l.years.map((y) => y.adminCosts.toFixed(2))).toEqual(['500.00', '510.00']);
    expect(l.years.map((y) => y.closingCash.toFixed(2))).toEqual(['102000.00', '104040.00']);
    expect(l.years[0]!.loansRationed).toBeCloseTo(39, 9);
  });

  it('lends less than the same fund lending continuously', () => {
    const continuous = simulateRevolvingFund({ ...terms, capacity: 'continuous' });
    expect(continuous.years[0]!.amountDisbursed.toFixed(2)).toBe('412160.80');
  });

  it('leaves most of the budget idle for most of the year: budget used is still its peak, the whole budget', () => {
    expect(l.account.peakBudgetInUse.toFixed(2)).toBe('100000.00');
  });
});

describe('revolving loan fund: fixed administrative budget, interest on idle cash, demand by year', () => {
  /*
   * No demand: the fund only holds its 1,000,000. Idle cash earns 4 %, the fixed budget costs
   * 10,000 a year: cash 1,000,000 × 1.04 − 10,000 = 1,030,000, then 1,030,000 × 1.04 − 10,000
   * = 1,061,200. Nothing is on loan, so nothing runs off: PV cost at 4 % = 1,000,000 −
   * 1,061,200 / 1.04² = 18,860.95 (the fixed budget: 10,000 × (1.04^−1 + 1.04^−2) = 18,860.95).
   */
  it('pays the fixed budget and earns interest on its idle cash', () => {
    const l = simulateRevolvingFund({ ...handTerms, horizonYears: 2, demandByYear: [0], idleCashRate: 0.04, adminCostFixedPerYear: 10_000, discountRate: 0.04 });
    expect(l.years.map((y) => y.idleCashInterest.toFixed(2))).toEqual(['40000.00', '41200.00']);
    expect(l.years.map((y) => y.adminCosts.toFixed(2))).toEqual(['10000.00', '10000.00']);
    expect(l.years.map((y) => y.closingCash.toFixed(2))).toEqual(['1030000.00', '1061200.00']);
    expect(l.runOff.years).toBe(0);
    expect(l.account.pvCost.toFixed(2)).toBe('18860.95');
    expect(l.account.peakBudgetInUse.toFixed(2)).toBe('0.00');
  });

  /* Demand of 2, 0 and 5 loans (the last repeating): with ample cash the fund makes exactly those. */
  it('follows a demand series year by year, the last value repeating', () => {
    const l = simulateRevolvingFund({ ...handTerms, capital: 10_000_000, annualPd: 0, demandByYear: [2, 0, 5] });
    expect(l.years.map((y) => y.loansDisbursed)).toEqual([2, 0, 5, 5, 5].map((x) => expect.closeTo(x, 12)));
    expect(l.years.map((y) => y.loansDemanded)).toEqual([2, 0, 5, 5, 5].map((x) => expect.closeTo(x, 12)));
  });

  /*
   * A fixed budget is reserved before lending: with 100,000 of cash and 20,000 a year of fixed
   * cost, annual capacity is 80,000, so 0.8 of a 100,000 loan in year 1.
   */
  it('reserves the year’s fixed budget before setting an annual lending budget', () => {
    const l = simulateRevolvingFund({ ...handTerms, capital: 100_000, horizonYears: 1, capacity: 'annual', adminCostFixedPerYear: 20_000 });
    expect(l.years[0]!.lendingCapacity.toFixed(2)).toBe('80000.00');
    expect(l.years[0]!.loansDisbursed).toBeCloseTo(0.8, 12);
  });
});
