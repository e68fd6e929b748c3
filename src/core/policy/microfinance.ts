/**
 * Option (b) of the budget comparison: the budget funds a microfinance institution (MFI), as
 * equity or as a concessional loan, and the MFI lends to the target firms with its own product
 * and business model (sources in docs/sources.md §6): small loans (about USD 1,000
 * in many markets) over months, repaid in frequent instalments, at a high portfolio yield
 * (a median of about 26 %) that covers a high operating cost, its cost of funds and its loan
 * losses; it screens applicants, lends again to clients who repay (default falls with repeat
 * borrowing), borrows commercially up to a multiple of its equity and grows from retained
 * earnings (no dividends). Group lending with joint liability lowers default; the reduction
 * applies only when the MFI lends to groups.
 *
 * Clients. Each period new target firms apply (the target firms per year, or a number given);
 * screening turns away a share of them; the rest are new clients wanting a first loan. A client
 * whose loan is repaid in full asks for another with the retention probability, in the next
 * period; one who defaults or does not return leaves. Firms reached are new clients, counted
 * once however many loans they take; loans made count every loan.
 *
 * Per period (money rounded to the cent in decimal):
 *   1. funding: commercial debt above maxDebtToEquity × equity is repaid from cash; then the
 *      MFI borrows what it needs to meet the period's demand, within that limit, or repays
 *      debt with cash it will not lend;
 *   2. disbursement at the period's start: repeat loans first, then first loans to new clients,
 *      at most what the cash pays the principal and the cost per loan of;
 *   3. at the period's end: defaults on first and repeat loans at their own rates, interest,
 *      instalments (loanbook.ts); operating expenses = cost per loan × loans made + ratio ×
 *      period length × portfolio after disbursement; funding cost on the debt after step 1, at
 *      the cost of funds (commercial) and the concessional rate (public); interest on the cash
 *      left idle after step 2.
 * Ledgers:
 *   cash' = cash + equity injected + public loan drawn + commercial debt drawn + interest
 *           + principal repaid + recoveries + idle-cash interest − commercial debt repaid
 *           − disbursed − operating expenses − funding costs
 *   equity' = equity + equity injected + interest + idle-cash interest − operating expenses
 *             − funding costs − write-offs
 *   portfolio' = portfolio + disbursed − principal repaid − write-offs − recoveries
 * and so cash + portfolio = public loan + commercial debt + equity at every period end.
 *
 * The public loan is subordinated and outside the leverage limit (an assumption), bullet at a
 * term beyond the horizon; its interest is paid to the government every period.
 *
 * Lifetime view (basis.ts): after the horizon the MFI makes no new loans; its portfolio runs
 * off (with its operating and funding costs), cash repays the commercial debt, and the public
 * gets its share of the equity left (or its loan back, as far as the equity covers it).
 */
import { msg } from '../../i18n/translate.ts';
import { z } from 'zod';
import { cents, Decimal, type Money, ZERO } from '../money.ts';
import { discountFactor, publicAccount, type PublicAccount } from './basis.ts';
import { count, money, positiveMoney, rate, share, type DocumentedDefault } from './fields.ts';
import { numberError } from '../validation.ts';
import { AMORTISATIONS, emptyRunOff, LoanBook, lifePeriodsOfMonths, periodDefaultProbability, type Amortisation } from './loanbook.ts';

export const LENDING_METHODS = ['individual', 'group'] as const;
export type LendingMethod = (typeof LENDING_METHODS)[number];

export const MicrofinanceOptionSchema = z.object({
  enabled: z.boolean({ error: 'must be true or false' }).default(true).describe(msg('Include the microfinance institution in the comparison')),
  funding: z.enum(['equity', 'loan'], { error: 'must be equity or loan' }).default('equity')
    .describe(msg('How the budget reaches the MFI: as equity, or as a concessional loan repaid after the horizon')),
  concessionalRate: rate(msg('Interest the MFI pays the government per year on a concessional loan'), 0, 0.5).default(0.02),
  otherEquity: money(msg('Equity the MFI’s other owners put in alongside the budget')).default(0),
  loanSize: positiveMoney(msg('Principal of one microloan, in the comparison’s currency; null = the target segment’s loan size')).nullable().default(1000),
  tenorMonths: z.number({ error: numberError }).int({ error: 'must be a whole number of months' }).min(1, { error: 'must be at least 1 month' }).max(60, { error: 'must be at most 60 months' })
    .default(12).describe(msg('Loan tenor in months (rounded to whole periods)')),
  amortisation: z.enum(AMORTISATIONS, { error: 'must be annuity, linear or bullet' }).default('annuity')
    .describe(msg('Repayment: equal instalments of principal and interest (annuity), equal principal instalments (linear), or all at the end (bullet)')),
  portfolioYield: rate(msg('Interest and fees charged per year on the outstanding balance of a performing loan (the portfolio yield)'), 0, 1).default(0.26),
  operatingCostPerLoan: money(msg('Operating cost of making and following one loan (appraisal, disbursement, collection), in the comparison’s currency')).default(50),
  operatingExpenseRatio: rate(msg('Operating expenses per year as a fraction of the loan portfolio, on top of the cost per loan'), 0, 1).default(0.08),
  costOfFunds: rate(msg('Interest per year on the MFI’s commercial borrowing'), 0, 1).default(0.08),
  maxDebtToEquity: z.number({ error: numberError }).min(0, { error: 'must be 0 or more' }).max(20, { error: 'must be at most 20' }).default(3)
    .describe(msg('Commercial debt the MFI can raise as a multiple of its equity (its leverage); 0 = none')),
  idleCashRate: rate(msg('Interest per year on cash the MFI holds and has not lent; null = the base scenario’s investment yield (0 without one)'), -0.05, 0.3).nullable().default(null),
  applicantsPerYear: count(msg('Target firms applying to the MFI in year 1 (growing at the target’s rate); null = the target firms per year'), 1e8).nullable().default(null),
  rejectionRate: share(msg('Share of applicants the MFI turns away at screening')).default(0.2),
  retentionRate: share(msg('Share of clients who repay a loan in full and take another')).default(0.7),
  lendingMethod: z.enum(LENDING_METHODS, { error: 'must be individual or group' }).default('individual')
    .describe(msg('Individual loans, or loans to groups whose members answer for each other (joint liability)')),
  groupLendingDefaultReduction: share(msg('Relative fall of the default rates with group lending and joint liability (0.3 = defaults × 0.7); applies only to group lending')).default(0.3),
  defaultRate: share(msg('Annual probability that a new client defaults on a first loan; null = the target segment’s PD')).nullable().default(null),
  repeatDefaultRate: share(msg('Annual probability that a returning client defaults on a repeat loan')).default(0.03),
  lossGivenDefault: share(msg('Share of a defaulted balance written off (the rest is recovered); null = the target segment’s LGD')).nullable().default(null),
}).prefault({});

export type MicrofinanceOption = z.output<typeof MicrofinanceOptionSchema>;

export const MICROFINANCE_DEFAULTS: Readonly<Record<string, DocumentedDefault>> = {
  funding: { value: 'equity', basis: 'illustrative', note: msg('the budget as equity') },
  concessionalRate: { value: 0.02, basis: 'illustrative', note: msg('a concessional public rate; applies only when funding is a loan') },
  otherEquity: { value: 0, basis: 'illustrative', note: msg('no co-investors') },
  loanSize: { value: 1000, basis: 'sourced', note: msg('average microloans of about USD 1,000 in many markets (MIX Market benchmarks; docs/sources.md §6), taken as 1,000 of the comparison’s currency; microloans are not SME loans') },
  tenorMonths: { value: 12, basis: 'sourced', note: msg('microloans run for months rather than years (MIX Market benchmarks; docs/sources.md §6); twelve months is at the long end') },
  amortisation: { value: 'annuity', basis: 'illustrative', note: msg('microloans are usually repaid in frequent equal instalments from the first weeks or months') },
  portfolioYield: { value: 0.26, basis: 'sourced', note: msg('median interest yield of profitable MFIs of about 26 % (CGAP, Rosenberg, Gonzalez and Narain 2009, on 2006 MIX data for more than 500 institutions; the global median stays in the mid-twenties through 2011, Rosenberg et al. 2013; docs/sources.md §6)') },
  operatingCostPerLoan: { value: 50, basis: 'illustrative', note: msg('with the 8 % ratio, about 17 % of the average portfolio for the default loan, inside the 10–25 % operating expense ratios of MIX benchmarks (docs/sources.md §6); MIX also reports cost per borrower, which varies widely by institution') },
  operatingExpenseRatio: { value: 0.08, basis: 'illustrative', note: msg('the part of operating cost that grows with the amount lent; with the cost per loan, total operating expenses of about 17 % of the portfolio (MIX benchmarks: 10–25 %; operating expenses are about 63 % of what interest income covers, Rosenberg et al. 2013; docs/sources.md §6)') },
  costOfFunds: { value: 0.08, basis: 'illustrative', note: msg('financial expenses are about 21 % of what interest covers (Rosenberg et al. 2013; docs/sources.md §6), about 5.5 % of the portfolio; with debt about 70 % of the portfolio that is a rate near 8 %') },
  maxDebtToEquity: { value: 3, basis: 'illustrative', note: msg('leverage of a regulated MFI; no primary source') },
  idleCashRate: { value: null, basis: 'derived', note: msg('the base scenario’s investment yield: idle cash earns what the guarantee fund’s capital earns') },
  applicantsPerYear: { value: null, basis: 'derived', note: msg('the target firms per year: the same firms as the other options') },
  rejectionRate: { value: 0.2, basis: 'illustrative', note: msg('MFIs turn away part of the applicants at appraisal; no benchmark for the share') },
  retentionRate: { value: 0.7, basis: 'illustrative', note: msg('MIX reports borrower retention for each MFI (docs/sources.md §6); it varies widely, and 70 % is a middling value, not a benchmark') },
  lendingMethod: { value: 'individual', basis: 'illustrative', note: msg('founding-stage firms borrow individually; group lending suits micro borrowers without collateral') },
  groupLendingDefaultReduction: { value: 0.3, basis: 'illustrative', note: msg('joint liability is meant to lower default, but a field experiment in the Philippines found no rise in default when group liability was removed (Giné and Karlan 2014; docs/sources.md §6): the size of the effect is not sourced') },
  defaultRate: { value: null, basis: 'derived', note: msg('the target segment’s PD: new clients are the same firms as the other options serve') },
  repeatDefaultRate: { value: 0.03, basis: 'illustrative', note: msg('default falls with repeat borrowing (one lender’s records show 22.9 % on first loans and 3.2 % by the fifth); portfolio at risk over 30 days of about 2 % or less is the rule of thumb for a sustainable MFI (both weakly sourced: docs/sources.md §6)') },
  lossGivenDefault: { value: null, basis: 'derived', note: msg('the target segment’s LGD before collateral: microloans are unsecured') },
};

export interface MicrofinanceTerms {
  readonly budget: number;
  readonly funding: 'equity' | 'loan';
  readonly concessionalRate: number;
  readonly otherEquity: number;
  readonly horizonYears: number;
  readonly periodsPerYear: number;
  readonly loanSize: number;
  readonly tenorMonths: number;
  readonly amortisation: Amortisation;
  readonly portfolioYield: number;
  readonly operatingCostPerLoan: number;
  readonly operatingExpenseRatio: number;
  readonly costOfFunds: number;
  readonly maxDebtToEquity: number;
  readonly idleCashRate: number;
  /** Applicants in year 1 and their yearly growth. */
  readonly applicantsPerYear: number;
  readonly applicantGrowthRate: number;
  readonly rejectionRate: number;
  readonly retentionRate: number;
  /** Annual default probabilities of first and repeat loans, after any group-lending reduction. */
  readonly annualPd: number;
  readonly repeatAnnualPd: number;
  readonly lossGivenDefault: number;
  readonly discountRate: number;
}

/** Annual default rates year by year (Monte Carlo), for first and repeat loans; the last year's hold in the run-off. */
export interface MicrofinanceDefaultPath {
  readonly first: readonly number[];
  readonly repeat: readonly number[];
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
  readonly applicants: number;
  /** Applicants turned away at screening. */
  readonly rejected: number;
  /** Loans asked for: first loans by the applicants accepted and repeat loans by returning clients. */
  readonly loansDemanded: number;
  readonly loansDisbursed: number;
  readonly loansRationed: number;
  /** First loans: new clients, each a firm reached for the first time. */
  readonly newClients: number;
  readonly repeatLoans: number;
  readonly amountDisbursed: Money;
  readonly principalRepaid: Money;
  readonly interestIncome: Money;
  readonly idleCashInterest: Money;
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
  /** Operating expenses / average portfolio after disbursements; null when nothing was lent. */
  readonly operatingExpenseRatio: number | null;
  /** What the budget is worth to the government at the year's end (see microfinanceValueOf). */
  readonly valueLeft: Money;
}

export const MFI_CASH_INFLOWS = ['equityInjected', 'publicLoanDrawn', 'commercialDebtDrawn', 'interestIncome', 'idleCashInterest', 'principalRepaid', 'recoveries'] as const;
export const MFI_CASH_OUTFLOWS = ['commercialDebtRepaid', 'amountDisbursed', 'operatingExpenses', 'fundingCostPublic', 'fundingCostCommercial'] as const;
export const MFI_EQUITY_INFLOWS = ['equityInjected', 'interestIncome', 'idleCashInterest'] as const;
export const MFI_EQUITY_OUTFLOWS = ['operatingExpenses', 'fundingCostPublic', 'fundingCostCommercial', 'writeOffs'] as const;

/** The MFI wound down after the horizon (the lifetime view). */
export interface MicrofinanceRunOff {
  readonly years: number;
  readonly interestIncome: Money;
  readonly writeOffs: Money;
  readonly operatingExpenses: Money;
  readonly fundingCosts: Money;
  /** Equity once the portfolio has run off and the commercial debt is repaid. */
  readonly equityAtEnd: Money;
  /** What the government gets from the wind-down: interest on its loan during it and, at its end, its share of that equity or its loan as far as the equity covers it. */
  readonly valueToGovernment: Money;
}

export interface MicrofinanceLedger {
  readonly terms: MicrofinanceTerms;
  readonly years: readonly MicrofinanceYear[];
  /** Interest the government received on a concessional loan over the horizon. */
  readonly interestPaidToGovernment: Money;
  readonly runOff: MicrofinanceRunOff;
  readonly account: PublicAccount;
}

interface Flows {
  equityInjected: number;
  publicLoanDrawn: number;
  drawn: number;
  repaid: number;
  applicants: number;
  rejected: number;
  demanded: number;
  newLoans: number;
  repeatLoans: number;
  disbursed: number;
  portfolioAfterDisbursement: number;
  interest: number;
  idleInterest: number;
  principal: number;
  defaultedBalance: number;
  recoveries: number;
  opex: number;
  fundingPublic: number;
  fundingCommercial: number;
  defaults: number;
  portfolioEnd: number;
  /** Public money in use after the period's lending: its share of the portfolio, or the budget less its share of the idle cash when more. */
  inUse: number;
}

const emptyFlows = (): Flows => ({
  equityInjected: 0, publicLoanDrawn: 0, drawn: 0, repaid: 0, applicants: 0, rejected: 0, demanded: 0, newLoans: 0, repeatLoans: 0, disbursed: 0,
  portfolioAfterDisbursement: 0, interest: 0, idleInterest: 0, principal: 0, defaultedBalance: 0, recoveries: 0, opex: 0, fundingPublic: 0,
  fundingCommercial: 0, defaults: 0, portfolioEnd: 0, inUse: 0,
});

class Microfinance {
  readonly first: LoanBook;
  readonly repeat: LoanBook;
  readonly dt: number;
  readonly periods: number;
  readonly runOffPeriods: number;
  cash = 0;
  equity = 0;
  publicLoan = 0;
  commercialDebt = 0;
  /** Clients whose loan matured at the end of the last period and who ask for another. */
  returning = 0;
  private readonly runOffFirst = emptyRunOff();
  private readonly runOffRepeat = emptyRunOff();

  constructor(readonly terms: MicrofinanceTerms) {
    this.dt = 1 / terms.periodsPerYear;
    this.periods = terms.horizonYears * terms.periodsPerYear;
    const life = lifePeriodsOfMonths(terms.tenorMonths, terms.periodsPerYear);
    this.runOffPeriods = life - 1;
    const product = { loanSize: terms.loanSize, lifePeriods: life, amortisation: terms.amortisation, ratePerPeriod: terms.portfolioYield * this.dt };
    this.first = new LoanBook(product, this.periods + life);
    this.repeat = new LoanBook(product, this.periods + life);
  }

  outstanding(t: number): number {
    return this.first.outstanding(t) + this.repeat.outstanding(t);
  }

  /** Share of the MFI's own funds (equity and public loan) that is public money. */
  private publicShare(): number {
    const T = this.terms;
    return T.budget + T.otherEquity > 0 ? T.budget / (T.budget + T.otherEquity) : 0;
  }

  /** One period; after the horizon (t ≥ periods) no loans are made and cash repays the commercial debt. */
  step(t: number, pdFirst: number, pdRepeat: number, f: Flows): void {
    const T = this.terms;
    const inHorizon = t < this.periods;
    // The budget (and any co-investment) arrives at the start of the first period.
    f.equityInjected = t === 0 ? (T.funding === 'equity' ? T.budget : 0) + T.otherEquity : 0;
    f.publicLoanDrawn = t === 0 && T.funding === 'loan' ? T.budget : 0;
    this.cash += f.equityInjected + f.publicLoanDrawn;
    this.equity += f.equityInjected;
    this.publicLoan += f.publicLoanDrawn;

    const year = Math.floor(t / T.periodsPerYear);
    f.applicants = inHorizon ? T.applicantsPerYear * Math.pow(1 + T.applicantGrowthRate, year) * this.dt : 0;
    f.rejected = f.applicants * T.rejectionRate;
    const accepted = f.applicants - f.rejected;
    const returning = inHorizon ? this.returning : 0;
    f.demanded = accepted + returning;
    const perLoan = T.loanSize + T.operatingCostPerLoan;
    const demandAmount = f.demanded * perLoan;
    const debtLimit = inHorizon ? T.maxDebtToEquity * Math.max(0, this.equity) : 0;
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

    // Returning clients first, then new ones.
    const room = perLoan > 0 ? Math.max(0, this.cash) / perLoan : 0;
    f.repeatLoans = Math.min(returning, room);
    f.newLoans = Math.min(accepted, room - f.repeatLoans);
    const loans = f.repeatLoans + f.newLoans;
    f.disbursed = loans * T.loanSize;
    if (f.newLoans > 0) this.first.disburse(t, f.newLoans);
    if (f.repeatLoans > 0) this.repeat.disburse(t, f.repeatLoans);
    f.portfolioAfterDisbursement = this.outstanding(t);
    const idle = Math.max(0, this.cash - f.disbursed - T.operatingCostPerLoan * loans);
    // In use: the public share of the portfolio, or the budget less its share of the idle cash when more (money lost counts as used).
    f.inUse = Math.min(T.budget, Math.max(this.publicShare() * f.portfolioAfterDisbursement, T.budget - idle * this.publicShare()));
    f.idleInterest = T.idleCashRate * this.dt * idle;
    f.opex = T.operatingCostPerLoan * loans + T.operatingExpenseRatio * this.dt * f.portfolioAfterDisbursement;
    f.fundingCommercial = T.costOfFunds * this.dt * this.commercialDebt;
    f.fundingPublic = T.concessionalRate * this.dt * this.publicLoan;

    const rate = T.portfolioYield * this.dt;
    const a = this.runOffFirst;
    const b = this.runOffRepeat;
    this.first.runOff(t, periodDefaultProbability(pdFirst, this.dt), rate, a);
    this.repeat.runOff(t, periodDefaultProbability(pdRepeat, this.dt), rate, b);
    f.interest = a.interest + b.interest;
    f.principal = a.principalRepaid + b.principalRepaid;
    f.defaultedBalance = a.defaultedBalance + b.defaultedBalance;
    f.recoveries = f.defaultedBalance * (1 - T.lossGivenDefault);
    f.defaults = a.defaults + b.defaults;
    this.returning = T.retentionRate * (a.matured + b.matured);
    f.portfolioEnd = this.outstanding(t + 1);
    const costs = f.opex + f.fundingCommercial + f.fundingPublic;
    this.cash += f.interest + f.idleInterest + f.principal + f.recoveries - f.disbursed - costs;
    this.equity += f.interest + f.idleInterest - costs - (f.defaultedBalance - f.recoveries);
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

function pdsOf(terms: MicrofinanceTerms, path: MicrofinanceDefaultPath | undefined, year: number): [number, number] {
  if (!path) return [terms.annualPd, terms.repeatAnnualPd];
  const at = (xs: readonly number[], fallback: number) => (xs.length ? xs[Math.min(year, xs.length - 1)]! : fallback);
  return [at(path.first, terms.annualPd), at(path.repeat, terms.repeatAnnualPd)];
}

/** The MFI's yearly ledger in decimal, its wind-down after the horizon and its public account; `path` replaces the constant default rates (Monte Carlo). */
export function simulateMicrofinance(terms: MicrofinanceTerms, path?: MicrofinanceDefaultPath): MicrofinanceLedger {
  const mfi = new Microfinance(terms);
  const f = emptyFlows();
  const years: MicrofinanceYear[] = [];
  let cash: Money = ZERO;
  let equity: Money = ZERO;
  let portfolio: Money = ZERO;
  let publicLoan: Money = ZERO;
  let debt: Money = ZERO;
  let interestToGovernment: Money = ZERO;
  let pvInterestToGovernment = 0;
  let peakInUse = 0;
  const keys = ['equityInjected', 'publicLoanDrawn', 'drawn', 'repaid', 'disbursed', 'principal', 'interest', 'idle', 'opex', 'fundingPublic', 'fundingCommercial', 'writeOffs', 'recoveries'] as const;
  type Line = Record<(typeof keys)[number], Money>;
  /** One period on the decimal ledger: decisions see its balances, as the projection's capacity does. */
  const period = (t: number, year: number): Line => {
    mfi.cash = cash.toNumber();
    mfi.equity = equity.toNumber();
    mfi.publicLoan = publicLoan.toNumber();
    mfi.commercialDebt = debt.toNumber();
    const [pdFirst, pdRepeat] = pdsOf(terms, path, year);
    mfi.step(t, pdFirst, pdRepeat, f);
    const line: Line = {
      equityInjected: cents(f.equityInjected), publicLoanDrawn: cents(f.publicLoanDrawn), drawn: cents(f.drawn), repaid: cents(f.repaid),
      disbursed: cents(f.disbursed), interest: cents(f.interest), idle: cents(f.idleInterest), opex: cents(f.opex), fundingPublic: cents(f.fundingPublic),
      fundingCommercial: cents(f.fundingCommercial), recoveries: cents(f.recoveries), writeOffs: ZERO, principal: ZERO,
    };
    line.writeOffs = cents(f.defaultedBalance).minus(line.recoveries);
    const closingPortfolio = cents(f.portfolioEnd);
    line.principal = portfolio.plus(line.disbursed).minus(line.writeOffs).minus(line.recoveries).minus(closingPortfolio);
    cash = cash.plus(line.equityInjected).plus(line.publicLoanDrawn).plus(line.drawn).plus(line.interest).plus(line.idle).plus(line.principal).plus(line.recoveries)
      .minus(line.repaid).minus(line.disbursed).minus(line.opex).minus(line.fundingPublic).minus(line.fundingCommercial);
    equity = equity.plus(line.equityInjected).plus(line.interest).plus(line.idle).minus(line.opex).minus(line.fundingPublic).minus(line.fundingCommercial).minus(line.writeOffs);
    portfolio = closingPortfolio;
    publicLoan = publicLoan.plus(line.publicLoanDrawn);
    debt = debt.plus(line.drawn).minus(line.repaid);
    interestToGovernment = interestToGovernment.plus(line.fundingPublic);
    pvInterestToGovernment += line.fundingPublic.toNumber() * discountFactor(terms.discountRate, (t + 1) / terms.periodsPerYear);
    return line;
  };

  for (let y = 0; y < terms.horizonYears; y++) {
    const opening = { cash, equity, portfolio, publicLoan, debt };
    const sum = Object.fromEntries(keys.map((k) => [k, ZERO])) as Line;
    let applicants = 0, rejected = 0, demanded = 0, newClients = 0, repeatLoans = 0, defaults = 0, portfolioPeriods = 0;
    for (let p = 0; p < terms.periodsPerYear; p++) {
      const line = period(y * terms.periodsPerYear + p, y);
      for (const k of keys) sum[k] = sum[k].plus(line[k]);
      peakInUse = Math.max(peakInUse, f.inUse);
      applicants += f.applicants;
      rejected += f.rejected;
      demanded += f.demanded;
      newClients += f.newLoans;
      repeatLoans += f.repeatLoans;
      defaults += f.defaults;
      portfolioPeriods += f.portfolioAfterDisbursement / terms.periodsPerYear;
    }
    const loans = newClients + repeatLoans;
    const profit = sum.interest.plus(sum.idle).minus(sum.opex).minus(sum.fundingPublic).minus(sum.fundingCommercial).minus(sum.writeOffs);
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
      applicants,
      rejected,
      loansDemanded: demanded,
      loansDisbursed: loans,
      loansRationed: Math.max(0, demanded - loans),
      newClients,
      repeatLoans,
      amountDisbursed: sum.disbursed,
      principalRepaid: sum.principal,
      interestIncome: sum.interest,
      idleCashInterest: sum.idle,
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
      operatingExpenseRatio: portfolioPeriods > 0 ? sum.opex.toNumber() / portfolioPeriods : null,
      valueLeft: cents(microfinanceValueOf(terms, equity.toNumber(), publicLoan.toNumber(), interestToGovernment.toNumber())),
    });
  }
  const interestInHorizon = interestToGovernment;

  // Lifetime view: wind down. No new loans; the portfolio runs off; cash repays the commercial debt.
  const run = { interest: ZERO, writeOffs: ZERO, opex: ZERO, funding: ZERO };
  let end = mfi.periods;
  for (let t = mfi.periods; t < mfi.periods + mfi.runOffPeriods && portfolio.greaterThan(0); t++) {
    const line = period(t, terms.horizonYears - 1);
    run.interest = run.interest.plus(line.interest);
    run.writeOffs = run.writeOffs.plus(line.writeOffs);
    run.opex = run.opex.plus(line.opex);
    run.funding = run.funding.plus(line.fundingPublic).plus(line.fundingCommercial);
    end = t + 1;
  }
  if (debt.greaterThan(0) && cash.greaterThan(0)) {
    // Whatever commercial debt the run-off's cash has not yet repaid is repaid at its end.
    const repay = Decimal.min(debt, cash);
    debt = debt.minus(repay);
    cash = cash.minus(repay);
  }
  const interestAll = interestToGovernment.toNumber();
  const endValue = microfinanceValueOf(terms, equity.toNumber(), publicLoan.toNumber(), 0);
  const endYears = end / terms.periodsPerYear;
  const pvReturned = pvInterestToGovernment + endValue * discountFactor(terms.discountRate, endYears);
  return {
    terms,
    years,
    interestPaidToGovernment: interestInHorizon,
    runOff: {
      years: (end - mfi.periods) / terms.periodsPerYear,
      interestIncome: run.interest,
      writeOffs: run.writeOffs,
      operatingExpenses: run.opex,
      fundingCosts: run.funding,
      equityAtEnd: equity,
      valueToGovernment: cents(endValue + interestAll - interestInHorizon.toNumber()),
    },
    account: publicAccount(terms.budget, pvReturned, (end - mfi.periods) / terms.periodsPerYear, peakInUse, terms.budget),
  };
}

/** What the budget is worth at the horizon, in float (Monte Carlo). */
export function microfinanceValueAtHorizon(terms: MicrofinanceTerms, path?: MicrofinanceDefaultPath): number {
  const mfi = new Microfinance(terms);
  const f = emptyFlows();
  let interestToGovernment = 0;
  for (let t = 0; t < mfi.periods; t++) {
    const [a, b] = pdsOf(terms, path, Math.floor(t / terms.periodsPerYear));
    mfi.step(t, a, b, f);
    interestToGovernment += f.fundingPublic;
  }
  return microfinanceValueOf(terms, mfi.equity, mfi.publicLoan, interestToGovernment);
}
