import { describe, expect, it } from 'vitest';
import { microfinanceValueAtHorizon, simulateMicrofinance } from '../../src/core/policy/microfinance.ts';
import { mfiHandTerms } from './support.ts';

const fixed = (xs: readonly { toFixed(d: number): string }[]) => xs.map((x) => x.toFixed(2));

describe('microfinance institution: equity path worked by hand', () => {
  /*
   * 1-year loans of 1,000 disbursed at the year's start, all equity lent (demand unlimited, no
   * debt). Of every 1,000 lent: 5 % default (written off in full), the 95 % who repay pay 26 %:
   * interest 0.95 × 0.26 = 0.247; opex 0.15; write-offs 0.05. Profit per unit lent 0.047, all
   * retained, so equity grows 4.7 % a year: E_n = 1,000,000 × 1.047^n.
   * Y1: lent 1,000,000; interest 247,000; opex 150,000; write-offs 50,000; profit 47,000;
   *     equity 1,047,000, all of it cash again at the year's end (principal 950,000 back).
   * Y2: lent 1,047,000; interest 258,609; opex 157,050; write-offs 52,350; profit 49,209;
   *     equity 1,096,209.
   * Y3: lent 1,096,209; interest 270,763.623 → 270,763.62; opex 164,431.35; write-offs
   *     54,810.45; profit 51,521.82; equity 1,147,730.82 (= 1,000,000 × 1.047³ = 1,147,730.823).
   */
  const l = simulateMicrofinance(mfiHandTerms);

  it('lends all its equity each year', () => {
    expect(fixed(l.years.map((y) => y.amountDisbursed))).toEqual(['1000000.00', '1047000.00', '1096209.00']);
    expect(l.years.map((y) => y.loansDisbursed)).toEqual([1000, 1047, 1096.209].map((x) => expect.closeTo(x, 9)));
  });

  it('income statement line by line', () => {
    expect(fixed(l.years.map((y) => y.interestIncome))).toEqual(['247000.00', '258609.00', '270763.62']);
    expect(fixed(l.years.map((y) => y.operatingExpenses))).toEqual(['150000.00', '157050.00', '164431.35']);
    expect(fixed(l.years.map((y) => y.writeOffs))).toEqual(['50000.00', '52350.00', '54810.45']);
    expect(fixed(l.years.map((y) => y.recoveries))).toEqual(['0.00', '0.00', '0.00']);
    expect(fixed(l.years.map((y) => y.profit))).toEqual(['47000.00', '49209.00', '51521.82']);
  });

  it('equity path 1,047,000; 1,096,209; 1,147,730.82', () => {
    expect(fixed(l.years.map((y) => y.closingEquity))).toEqual(['1047000.00', '1096209.00', '1147730.82']);
    expect(fixed(l.years.map((y) => y.closingCash))).toEqual(['1047000.00', '1096209.00', '1147730.82']);
    expect(fixed(l.years.map((y) => y.grossLoanPortfolio))).toEqual(['0.00', '0.00', '0.00']);
  });

  it('write-off rate is write-offs over the average portfolio: 5 %', () => {
    expect(l.years[0]!.writeOffRate).toBeCloseTo(0.05, 12);
  });

  it('value left for an equity stake is the equity', () => {
    expect(l.years[2]!.valueLeft.toFixed(2)).toBe('1147730.82');
    expect(microfinanceValueAtHorizon(mfiHandTerms)).toBeCloseTo(1_147_730.82, 1);
  });
});

describe('microfinance institution with leverage', () => {
  /*
   * As above but opex 10 %, commercial debt up to 1 × equity at 10 %.
   * Y1: equity 1,000,000; borrows 1,000,000; lends 2,000,000. Interest 0.247 × 2,000,000 =
   *     494,000; opex 200,000; write-offs 100,000; funding 100,000; profit 94,000;
   *     equity 1,094,000; cash 494,000 + 1,900,000 − 200,000 − 100,000 = 2,094,000 = debt + equity.
   * Y2: the limit rises to 1,094,000: borrows 94,000 more; lends 2,188,000. Interest 540,436;
   *     opex 218,800; write-offs 109,400; funding 10 % × 1,094,000 = 109,400; profit 102,836;
   *     equity 1,196,836.
   */
  const l = simulateMicrofinance({ ...mfiHandTerms, horizonYears: 2, operatingExpenseRatio: 0.1, maxDebtToEquity: 1 });

  it('grows its debt with its retained earnings', () => {
    expect(fixed(l.years.map((y) => y.commercialDebtDrawn))).toEqual(['1000000.00', '94000.00']);
    expect(fixed(l.years.map((y) => y.commercialDebt))).toEqual(['1000000.00', '1094000.00']);
    expect(fixed(l.years.map((y) => y.amountDisbursed))).toEqual(['2000000.00', '2188000.00']);
  });

  it('equity path 1,094,000; 1,196,836', () => {
    expect(fixed(l.years.map((y) => y.fundingCostCommercial))).toEqual(['100000.00', '109400.00']);
    expect(fixed(l.years.map((y) => y.profit))).toEqual(['94000.00', '102836.00']);
    expect(fixed(l.years.map((y) => y.closingEquity))).toEqual(['1094000.00', '1196836.00']);
    expect(l.years[0]!.closingCash.toFixed(2)).toBe('2094000.00');
  });
});

describe('microfinance institution funded by a concessional loan', () => {
  /*
   * The budget is lent to the MFI at 2 %; it has no equity of its own and no other debt.
   * Y1: lends 1,000,000; interest 247,000; opex 150,000; write-offs 50,000; 2 % to the
   *     government 20,000; profit 27,000; equity 27,000; cash 1,027,000 = loan + equity.
   * Y2: lends 1,027,000; interest 253,669; opex 154,050; write-offs 51,350; 20,000 to the
   *     government; profit 28,269; equity 55,269.
   * Value to the government: interest received (20,000, then 40,000) plus the loan, which the
   * MFI's assets cover in full: 1,020,000 after year 1, 1,040,000 after year 2.
   */
  const l = simulateMicrofinance({ ...mfiHandTerms, horizonYears: 2, funding: 'loan' });

  it('equity path 27,000; 55,269', () => {
    expect(fixed(l.years.map((y) => y.fundingCostPublic))).toEqual(['20000.00', '20000.00']);
    expect(fixed(l.years.map((y) => y.closingEquity))).toEqual(['27000.00', '55269.00']);
    expect(fixed(l.years.map((y) => y.closingCash))).toEqual(['1027000.00', '1055269.00']);
    expect(fixed(l.years.map((y) => y.publicLoan))).toEqual(['1000000.00', '1000000.00']);
  });

  it('value left is interest received plus the recoverable loan', () => {
    expect(fixed(l.years.map((y) => y.valueLeft))).toEqual(['1020000.00', '1040000.00']);
    expect(l.interestPaidToGovernment.toFixed(2)).toBe('40000.00');
  });

  /*
   * An MFI that loses money: yield 10 %, so per unit lent 0.095 − 0.15 − 0.05 − 0.02 = −0.125.
   * Y1: equity −125,000: the government's loan of 1,000,000 is covered only to 875,000, plus
   * 20,000 of interest received: 895,000.
   */
  it('a loss-making MFI repays only what its assets cover', () => {
    const loss = simulateMicrofinance({ ...mfiHandTerms, horizonYears: 1, funding: 'loan', portfolioYield: 0.1 });
    expect(loss.years[0]!.closingEquity.toFixed(2)).toBe('-125000.00');
    expect(loss.years[0]!.valueLeft.toFixed(2)).toBe('895000.00');
  });
});

describe('microfinance institution limited by demand', () => {
  /*
   * 500 firms a year want 1,000 each: 500,000 of 1,000,000 of equity is lent, the rest idles.
   * Y1: interest 0.247 × 500,000 = 123,500; opex 75,000; write-offs 25,000; profit 23,500;
   * no debt is drawn although the limit (3 × equity) allows it.
   */
  it('lends only what is demanded and borrows nothing', () => {
    const l = simulateMicrofinance({ ...mfiHandTerms, horizonYears: 1, applicantsPerYear: 500, maxDebtToEquity: 3 });
    const y = l.years[0]!;
    expect(y.loansDisbursed).toBeCloseTo(500, 9);
    expect(y.loansRationed).toBeCloseTo(0, 9);
    expect(y.commercialDebtDrawn.toFixed(2)).toBe('0.00');
    expect(y.profit.toFixed(2)).toBe('23500.00');
    expect(y.closingEquity.toFixed(2)).toBe('1023500.00');
  });
});

describe('microfinance institution: its own clients, screening, repeat loans and costs', () => {
  /*
   * 100 target firms apply each year; screening turns away 20 %; 80 new clients take a 1-year
   * bullet loan of 1,000. 10 % of first loans default (written off in full); repeat loans do
   * not default; half the clients who repay take another loan the next year. Yield 26 %, a
   * cost of 50 per loan plus 10 % a year of the portfolio; equity 1,000,000 (never short).
   * Y1: 80 first loans; 8 default; 72 repay with 260 of interest each (18,720); 36 return.
   *     opex 80 × 50 + 10 % × 80,000 = 12,000; write-offs 8,000; equity 998,720.
   * Y2: 80 first + 36 repeat = 116 loans; 8 default; 72 + 36 = 108 repay (28,080); 54 return.
   *     opex 116 × 50 + 11,600 = 17,400; write-offs 8,000; equity 1,001,400.
   * Y3: 80 + 54 = 134 loans; interest 126 × 260 = 32,760; opex 6,700 + 13,400 = 20,100;
   *     write-offs 8,000; equity 1,006,060.
   * Firms reached: 240 new clients; loans made: 80 + 116 + 134 = 330.
   * Nothing is outstanding at the horizon (1-year loans repaid at each year's end), so nothing
   * runs off: PV cost at 5 % = 1,000,000 − 1,006,060 / 1.05³ = 130,927.55.
   */
  const terms = {
    ...mfiHandTerms, applicantsPerYear: 100, rejectionRate: 0.2, retentionRate: 0.5, annualPd: 0.1, repeatAnnualPd: 0,
    amortisation: 'bullet' as const, operatingCostPerLoan: 50, operatingExpenseRatio: 0.1, discountRate: 0.05,
  };
  const l = simulateMicrofinance(terms);

  it('counts new clients once and every loan made', () => {
    expect(l.years.map((y) => y.applicants)).toEqual([100, 100, 100].map((x) => expect.closeTo(x, 9)));
    expect(l.years.map((y) => y.rejected)).toEqual([20, 20, 20].map((x) => expect.closeTo(x, 9)));
    expect(l.years.map((y) => y.newClients)).toEqual([80, 80, 80].map((x) => expect.closeTo(x, 9)));
    expect(l.years.map((y) => y.repeatLoans)).toEqual([0, 36, 54].map((x) => expect.closeTo(x, 9)));
    expect(l.years.map((y) => y.loansDisbursed)).toEqual([80, 116, 134].map((x) => expect.closeTo(x, 9)));
  });

  it('defaults only on first loans, at their own rate', () => {
    expect(l.years.map((y) => y.defaults)).toEqual([8, 8, 8].map((x) => expect.closeTo(x, 9)));
    expect(fixed(l.years.map((y) => y.writeOffs))).toEqual(['8000.00', '8000.00', '8000.00']);
  });

  it('charges the cost per loan and the cost per unit lent', () => {
    expect(fixed(l.years.map((y) => y.interestIncome))).toEqual(['18720.00', '28080.00', '32760.00']);
    expect(fixed(l.years.map((y) => y.operatingExpenses))).toEqual(['12000.00', '17400.00', '20100.00']);
    expect(fixed(l.years.map((y) => y.closingEquity))).toEqual(['998720.00', '1001400.00', '1006060.00']);
    // Operating expenses over the average portfolio: 12,000 / 80,000 = 15 % in year 1.
    expect(l.years[0]!.operatingExpenseRatio).toBeCloseTo(0.15, 12);
  });

  it('its public account: nothing left to run off, PV cost 130,927.55 at 5 %', () => {
    expect(l.runOff.years).toBe(0);
    expect(l.account.pvCost.toFixed(2)).toBe('130927.55');
    // Most in use in year 3: of the 1,001,400 held, 134,000 is lent and 6,700 goes on the cost
    // of the loans, leaving 860,700 idle; the budget less that is 139,300.
    expect(l.account.peakBudgetInUse.toFixed(2)).toBe('139300.00');
  });
});

describe('microfinance institution: loans in months, wound down after the horizon', () => {
  /*
   * Monthly periods, 6-month linear loans of 1,000 (6 periods; 1/6 of the principal each month),
   * no defaults and no costs, yield 24 % (2 % a month). One new client a month, never returning.
   * A loan pays interest on balances 1, 5/6, …, 1/6 of 1,000: 2 % × 1,000 × 3.5 = 70.
   * After 12 months, loans of the last 5 months are still outstanding: the run-off lasts 5
   * months and collects their remaining principal and interest; every loan ever made earns its
   * full 70: equity at the end = 1,000,000 + 12 × 70 = 1,000,840.
   */
  it('runs off the loans outstanding at the horizon and hands back the equity', () => {
    const l = simulateMicrofinance({
      ...mfiHandTerms, horizonYears: 1, periodsPerYear: 12, tenorMonths: 6, portfolioYield: 0.24, operatingExpenseRatio: 0, annualPd: 0, repeatAnnualPd: 0,
      applicantsPerYear: 12, retentionRate: 0,
    });
    expect(l.years[0]!.loansDisbursed).toBeCloseTo(12, 9);
    expect(l.runOff.years).toBeCloseTo(5 / 12, 12);
    expect(l.runOff.equityAtEnd.toFixed(2)).toBe('1000840.00');
    expect(l.runOff.valueToGovernment.toFixed(2)).toBe('1000840.00');
    expect(l.account.pvCost.toFixed(2)).toBe('-840.00');
  });
});
