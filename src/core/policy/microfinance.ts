/**
 * Option (b) of the budget comparison: the budget funds a microfinance institution (MFI), as
 * equity or as a concessional loan, and the MFI lends to the target firms with its own model
 * (DOMAIN.md §6): a high portfolio yield (median about 26 % for profitable MFIs) that covers a
 * high operating expense ratio, its cost of funds and its loan losses; it borrows commercially
 * up to a multiple of its equity (its leverage) and grows from retained earnings (no dividends).
 *
 * Per period (money rounded to the cent in decimal):
 *   1. funding: commercial debt above maxDebtToEquity × equity is repaid from cash; then the
 *      MFI borrows what it needs to meet the period's demand, within that limit, or repays
 *      debt with cash it will not lend;
 *   2. disbursement: at most the cash it holds, at most the demand (target firms × period);
 *   3. at the period's end: defaults, interest, instalments (see loanbook.ts); operating
 *      expenses = ratio × period length × portfolio after disbursement; funding cost on the
 *      debt after step 1, at the cost of funds (commercial) and the concessional rate (public).
 * Ledgers:
 *   cash' = cash + equity injected + public loan drawn + commercial debt drawn + interest
 *           + principal repaid + recoveries − commercial debt repaid − disbursed − operating
 *           expenses − funding costs
 *   equity' = equity + equity injected + interest − operating expenses − funding costs − write-offs
 *   portfolio' = portfolio + disbursed − principal repaid − write-offs − recoveries
 * and so cash + portfolio = public loan + commercial debt + equity at every period end.
 *
 * The public loan is subordinated and outside the leverage limit (an assumption), bullet at a
 * term beyond the horizon; its interest is paid to the government every period.
 */
import { z } from 'zod';
import { cents, type Money, ZERO } from '../money.ts';
import { money, positiveMoney, rate, share, tenor, type DocumentedDefault } from './fields.ts';
import { emptyRunOff, LoanBook, lifePeriods, periodDefaultProbability, type Amortisation } from './loanbook.ts';

export const MicrofinanceOptionSchema = z.object({
  enabled: z.boolean({ error: 'must be true or false' }).default(true).describe('Include the microfinance institution in the comparison'),
  funding: z.enum(['equity', 'loan'], { error: 'must be equity or loan' }).default('equity')
    .describe('How the budget reaches the MFI: as equity, or as a concessional loan repaid after the horizon'),
  concessionalRate: rate('Interest the MFI pays the government per year on a concessional loan', 0, 0.5).default(0.02),
  otherEquity: money('Equity the MFI’s other owners put in alongside the budget').default(0),
  portfolioYield: rate('Interest and fees charged per year on the outstanding balance of a performing loan (the portfolio yield)', 0, 1).default(0.26),
  operatingExpenseRatio: rate('Operating expenses per year as a fraction of the loan portfolio', 0, 1).default(0.164),
  costOfFunds: rate('Interest per year on the MFI’s commercial borrowing', 0, 1).default(0.08),
  maxDebtToEquity: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 or more' }).max(20, { error: 'must be at most 20' }).default(3)
    .describe('Commercial debt the MFI can raise as a multiple of its equity (its leverage); 0 = none'),
  loanSize: positiveMoney('Principal of one microloan; null = the target segment’s loan size').nullable().default(null),
  tenorYears: tenor('Loan tenor in years (rounded to whole periods); null = the target segment’s tenor').nullable().default(1),
  amortisation: z.enum(['linear', 'bullet'], { error: 'must be linear or bullet' }).default('linear')
    .describe('Repayment: equal principal instalments every period (linear) or all at the end (bullet)'),
  groupLendingDefaultReduction: share('Relative fall of the default rate from group lending with joint liability (0.3 = PD × 0.7); used when defaultRate is null').default(0.3),
  defaultRate: share('Annual probability that a borrower defaults; null = the target segment’s PD less the group-lending reduction').nullable().default(null),
  lossGivenDefault: share('Share of a defaulted balance written off (the rest recovered through joint liability); null = the target segment’s LGD').nullable().default(null),
}).prefault({});

export type MicrofinanceOption = z.output<typeof MicrofinanceOptionSchema>;

export const MICROFINANCE_DEFAULTS: Readonly<Record<string, DocumentedDefault>> = {
  funding: { value: 'equity', basis: 'illustrative', note: 'the budget as equity' },
  concessionalRate: { value: 0.02, basis: 'illustrative', note: 'a concessional public rate; applies only when funding is a loan' },
  otherEquity: { value: 0, basis: 'illustrative', note: 'no co-investors' },
  portfolioYield: { value: 0.26, basis: 'sourced', note: 'DOMAIN.md §6: median interest yield of profitable MFIs about 26 % (2006 data, 500+ institutions)' },
  operatingExpenseRatio: { value: 0.164, basis: 'sourced', note: 'DOMAIN.md §6 (MIX 2011): operating expenses about 63 % of what interest covers; 0.63 × 26 % ≈ 16.4 % of the portfolio' },
  costOfFunds: { value: 0.08, basis: 'illustrative', note: 'DOMAIN.md §6 (MIX 2011): financial expenses about 21 % of interest ≈ 5.5 % of the portfolio; with debt about 70 % of the portfolio that is a rate near 8 %' },
  maxDebtToEquity: { value: 3, basis: 'illustrative', note: 'leverage of a regulated MFI; no primary source' },
  loanSize: { value: null, basis: 'derived', note: 'the target segment’s loan size (microloans are usually smaller, DOMAIN.md §6)' },
  tenorYears: { value: 1, basis: 'illustrative', note: 'DOMAIN.md §6: microloans are small and short' },
  amortisation: { value: 'linear', basis: 'illustrative', note: 'microloans are repaid in regular instalments' },
  groupLendingDefaultReduction: { value: 0.3, basis: 'illustrative', note: 'DOMAIN.md §6: group lending with joint liability lowers default; the size of the effect is not sourced' },
  defaultRate: { value: null, basis: 'derived', note: 'target PD × (1 − groupLendingDefaultReduction)' },
  lossGivenDefault: { value: null, basis: 'derived', note: 'the target segment’s LGD before collateral' },
};

export interface MicrofinanceTerms {
  readonly budget: number;
  readonly funding: 'equity' | 'loan';
  readonly concessionalRate: number;
  readonly otherEquity: number;
  readonly horizonYears: number;
  readonly periodsPerYear: number;
  readonly portfolioYield: number;
  readonly operatingExpenseRatio: number;
  readonly costOfFunds: number;
  readonly maxDebtToEquity: number;
  readonly loanSize: number;
  readonly tenorYears: number;
  readonly amortisation: Amortisation;
  readonly annualPd: number;
  readonly lossGivenDefault: number;
  readonly firmsPerYear: number;
  readonly applicantGrowthRate: number;
}

export interface MicrofinanceYear {
  readonly year: number;
  readonly openingCash: Money;
  readonly openingEquity: Money;
  readonly openingPortfolio: Money;
  readonly openingPublicLoan: Money;
  readonly openingCommercialDebt: Money;
  readonly equityInjected: Money;
  readonly publicLoanDrawn: Money;
  readonly commercialDebtDrawn: Money;
  readonly commercialDebtRepaid: Money;
  readonly loansDemanded: number;
  readonly loansDisbursed: number;
  readonly loansRationed: number;
  readonly amountDisbursed: Money;
  readonly principalRepaid: Money;
  readonly interestIncome: Money;
  readonly operatingExpenses: Money;
  readonly fundingCostPublic: Money;
  readonly fundingCostCommercial: Money;
  readonly writeOffs: Money;
  readonly recoveries: Money;
  readonly profit: Money;
  readonly defaults: number;
  readonly closingCash: Money;
  readonly closingEquity: Money;
  /** Gross loan portfolio at the year's end. */
  readonly grossLoanPortfolio: Money;
  readonly publicLoan: Money;
  readonly commercialDebt: Money;
  /** Write-offs / average portfolio after disbursements over the year's periods; null when nothing was lent. */
  readonly writeOffRate: number | null;
  /** What the budget is worth to the government at the year's end (see microfinanceValueOf). */
  readonly valueLeft: Money;
}

export const MFI_CASH_INFLOWS = ['equityInjected', 'publicLoanDrawn', 'commercialDebtDrawn', 'interestIncome', 'principalRepaid', 'recoveries'] as const;
export const MFI_CASH_OUTFLOWS = ['commercialDebtRepaid', 'amountDisbursed', 'operatingExpenses', 'fundingCostPublic', 'fundingCostCommercial'] as const;
export const MFI_EQUITY_INFLOWS = ['equityInjected', 'interestIncome'] as const;
export const MFI_EQUITY_OUTFLOWS = ['operatingExpenses', 'fundingCostPublic', 'fundingCostCommercial', 'writeOffs'] as const;

export interface MicrofinanceLedger {
  readonly terms: MicrofinanceTerms;
  readonly years: readonly MicrofinanceYear[];
  /** Interest the government received on a concessional loan over the horizon. */
  readonly interestPaidToGovernment: Money;
}

interface Flows {
  equityInjected: number;
  publicLoanDrawn: number;
  drawn: number;
  repaid: number;
  demanded: number;
  loans: number;
  disbursed: number;
  portfolioAfterDisbursement: number;
  interest: number;
  principal: number;
  defaultedBalance: number;
  recoveries: number;
  opex: number;
  fundingPublic: number;
  fundingCommercial: number;
  defaults: number;
  portfolioEnd: number;
}

const emptyFlows = (): Flows => ({
  equityInjected: 0, publicLoanDrawn: 0, drawn: 0, repaid: 0, demanded: 0, loans: 0, disbursed: 0, portfolioAfterDisbursement: 0,
  interest: 0, principal: 0, defaultedBalance: 0, recoveries: 0, opex: 0, fundingPublic: 0, fundingCommercial: 0, defaults: 0, portfolioEnd: 0,
});

class Microfinance {
  readonly book: LoanBook;
  readonly dt: number;
  readonly periods: number;
  cash = 0;
  equity = 0;
  publicLoan = 0;
  commercialDebt = 0;
  private readonly runOff = emptyRunOff();

  constructor(readonly terms: MicrofinanceTerms) {
    this.dt = 1 / terms.periodsPerYear;
    this.periods = terms.horizonYears * terms.periodsPerYear;
    this.book = new LoanBook({ loanSize: terms.loanSize, lifePeriods: lifePeriods(terms.tenorYears, terms.periodsPerYear), amortisation: terms.amortisation }, this.periods);
  }

  step(t: number, annualPd: number, f: Flows): void {
    const T = this.terms;
    // The budget (and any co-investment) arrives at the start of the first period.
    f.equityInjected = t === 0 ? (T.funding === 'equity' ? T.budget : 0) + T.otherEquity : 0;
    f.publicLoanDrawn = t === 0 && T.funding === 'loan' ? T.budget : 0;
    this.cash += f.equityInjected + f.publicLoanDrawn;
    this.equity += f.equityInjected;
    this.publicLoan += f.publicLoanDrawn;

    const year = Math.floor(t / T.periodsPerYear);
    f.demanded = T.firmsPerYear * Math.pow(1 + T.applicantGrowthRate, year) * this.dt;
    const demandAmount = f.demanded * T.loanSize;
    const debtLimit = T.maxDebtToEquity * Math.max(0, this.equity);
    f.drawn = 0;
    f.repaid = 0;
    if (this.commercialDebt > debtLimit) f.repaid = Math.min(this.commercialDebt - debtLimit, Math.max(0, this.cash));
    const cashAfterDeleveraging = this.cash - f.repaid;
    const debtAfterDeleveraging = this.commercialDebt - f.repaid;
    const need = demandAmount - cashAfterDeleveraging;
    if (need > 0) f.drawn = Math.min(need, Math.max(0, debtLimit - debtAfterDeleveraging));
    else f.repaid += Math.min(debtAfterDeleveraging, -need);
    this.cash += f.drawn - f.repaid;
    this.commercialDebt += f.drawn - f.repaid;

    f.loans = T.loanSize > 0 ? Math.min(f.demanded, Math.max(0, this.cash) / T.loanSize) : 0;
    f.disbursed = f.loans * T.loanSize;
    this.book.disburse(t, f.loans);
    f.portfolioAfterDisbursement = this.book.outstanding(t);
    f.opex = T.operatingExpenseRatio * this.dt * f.portfolioAfterDisbursement;
    f.fundingCommercial = T.costOfFunds * this.dt * this.commercialDebt;
    f.fundingPublic = T.concessionalRate * this.dt * this.publicLoan;

    const r = this.runOff;
    this.book.runOff(t, periodDefaultProbability(annualPd, this.dt), T.portfolioYield * this.dt, r);
    f.interest = r.interest;
    f.principal = r.principalRepaid;
    f.defaultedBalance = r.defaultedBalance;
    f.recoveries = r.defaultedBalance * (1 - T.lossGivenDefault);
    f.defaults = r.defaults;
    f.portfolioEnd = this.book.outstanding(t + 1);
    const costs = f.opex + f.fundingCommercial + f.fundingPublic;
    this.cash += f.interest + f.principal + f.recoveries - f.disbursed - costs;
    this.equity += f.interest - costs - (f.defaultedBalance - f.recoveries);
  }
}

/**
 * What the budget is worth to the government: as equity, its share of the MFI's book equity
 * (never below zero: an owner loses at most its stake); as a loan, the interest received so far
 * plus the part of the loan the MFI could repay from its equity and the loan itself.
 */
export function microfinanceValueOf(terms: MicrofinanceTerms, equity: number, publicLoan: number, interestReceived: number): number {
  if (terms.funding === 'equity') {
    const stake = terms.budget + terms.otherEquity > 0 ? terms.budget / (terms.budget + terms.otherEquity) : 0;
    return stake * Math.max(0, equity);
  }
  return interestReceived + Math.min(publicLoan, Math.max(0, equity + publicLoan));
}

const pdOf = (terms: MicrofinanceTerms, pdByYear: readonly number[] | undefined, year: number) => pdByYear?.[year] ?? terms.annualPd;

/** The MFI's yearly ledger in decimal; `pdByYear` replaces the constant default rate (Monte Carlo). */
export function simulateMicrofinance(terms: MicrofinanceTerms, pdByYear?: readonly number[]): MicrofinanceLedger {
  const mfi = new Microfinance(terms);
  const f = emptyFlows();
  const years: MicrofinanceYear[] = [];
  let cash: Money = ZERO;
  let equity: Money = ZERO;
  let portfolio: Money = ZERO;
  let publicLoan: Money = ZERO;
  let debt: Money = ZERO;
  let interestToGovernment: Money = ZERO;
  for (let y = 0; y < terms.horizonYears; y++) {
    const opening = { cash, equity, portfolio, publicLoan, debt };
    const keys = ['equityInjected', 'publicLoanDrawn', 'drawn', 'repaid', 'disbursed', 'principal', 'interest', 'opex', 'fundingPublic', 'fundingCommercial', 'writeOffs', 'recoveries'] as const;
    const sum = Object.fromEntries(keys.map((k) => [k, ZERO])) as Record<(typeof keys)[number], Money>;
    let demanded = 0;
    let loans = 0;
    let defaults = 0;
    let portfolioPeriods = 0;
    for (let p = 0; p < terms.periodsPerYear; p++) {
      const t = y * terms.periodsPerYear + p;
      // Decisions see the decimal ledger's balances, as the projection's capacity does.
      mfi.cash = cash.toNumber();
      mfi.equity = equity.toNumber();
      mfi.publicLoan = publicLoan.toNumber();
      mfi.commercialDebt = debt.toNumber();
      mfi.step(t, pdOf(terms, pdByYear, y), f);
      const line = {
        equityInjected: cents(f.equityInjected), publicLoanDrawn: cents(f.publicLoanDrawn), drawn: cents(f.drawn), repaid: cents(f.repaid),
        disbursed: cents(f.disbursed), interest: cents(f.interest), opex: cents(f.opex), fundingPublic: cents(f.fundingPublic),
        fundingCommercial: cents(f.fundingCommercial), recoveries: cents(f.recoveries), writeOffs: ZERO, principal: ZERO,
      };
      line.writeOffs = cents(f.defaultedBalance).minus(line.recoveries);
      const closingPortfolio = cents(f.portfolioEnd);
      line.principal = portfolio.plus(line.disbursed).minus(line.writeOffs).minus(line.recoveries).minus(closingPortfolio);
      cash = cash.plus(line.equityInjected).plus(line.publicLoanDrawn).plus(line.drawn).plus(line.interest).plus(line.principal).plus(line.recoveries)
        .minus(line.repaid).minus(line.disbursed).minus(line.opex).minus(line.fundingPublic).minus(line.fundingCommercial);
      equity = equity.plus(line.equityInjected).plus(line.interest).minus(line.opex).minus(line.fundingPublic).minus(line.fundingCommercial).minus(line.writeOffs);
      portfolio = closingPortfolio;
      publicLoan = publicLoan.plus(line.publicLoanDrawn);
      debt = debt.plus(line.drawn).minus(line.repaid);
      interestToGovernment = interestToGovernment.plus(line.fundingPublic);
      for (const k of keys) sum[k] = sum[k].plus(line[k]);
      demanded += f.demanded;
      loans += f.loans;
      defaults += f.defaults;
      portfolioPeriods += f.portfolioAfterDisbursement / terms.periodsPerYear;
    }
    const profit = sum.interest.minus(sum.opex).minus(sum.fundingPublic).minus(sum.fundingCommercial).minus(sum.writeOffs);
    years.push({
      year: y + 1,
      openingCash: opening.cash,
      openingEquity: opening.equity,
      openingPortfolio: opening.portfolio,
      openingPublicLoan: opening.publicLoan,
      openingCommercialDebt: opening.debt,
      equityInjected: sum.equityInjected,
      publicLoanDrawn: sum.publicLoanDrawn,
      commercialDebtDrawn: sum.drawn,
      commercialDebtRepaid: sum.repaid,
      loansDemanded: demanded,
      loansDisbursed: loans,
      loansRationed: Math.max(0, demanded - loans),
      amountDisbursed: sum.disbursed,
      principalRepaid: sum.principal,
      interestIncome: sum.interest,
      operatingExpenses: sum.opex,
      fundingCostPublic: sum.fundingPublic,
      fundingCostCommercial: sum.fundingCommercial,
      writeOffs: sum.writeOffs,
      recoveries: sum.recoveries,
      profit,
      defaults,
      closingCash: cash,
      closingEquity: equity,
      grossLoanPortfolio: portfolio,
      publicLoan,
      commercialDebt: debt,
      writeOffRate: portfolioPeriods > 0 ? sum.writeOffs.toNumber() / portfolioPeriods : null,
      valueLeft: cents(microfinanceValueOf(terms, equity.toNumber(), publicLoan.toNumber(), interestToGovernment.toNumber())),
    });
  }
  return { terms, years, interestPaidToGovernment: interestToGovernment };
}

/** What the budget is worth at the horizon, in float (Monte Carlo). */
export function microfinanceValueAtHorizon(terms: MicrofinanceTerms, pdByYear?: readonly number[]): number {
  const mfi = new Microfinance(terms);
  const f = emptyFlows();
  let interestToGovernment = 0;
  for (let t = 0; t < mfi.periods; t++) {
    mfi.step(t, pdOf(terms, pdByYear, Math.floor(t / terms.periodsPerYear)), f);
    interestToGovernment += f.fundingPublic;
  }
  return microfinanceValueOf(terms, mfi.equity, mfi.publicLoan, interestToGovernment);
}

