/**
 * Option (d) of the budget comparison: an interest subsidy on bank loans. The budget pays x
 * percentage points of interest per loan-year on the outstanding balance of bank loans to the
 * target firms, for the life of each loan. A loan is enrolled only if the uncommitted budget
 * covers its whole lifetime subsidy (a programme does not promise what it cannot pay), so
 * enrolment stops when the budget is committed and payments run on after that.
 *
 * Per period: enrol min(demand, uncommitted / lifetime subsidy per loan) new loans at the
 * period's start; pay x × period length × opening balance of every enrolled loan at its end.
 * Subsidy is paid on the scheduled balance (defaults are ignored: the commitment is what
 * limits enrolment). Ledgers, to the cent:
 *   cash' = cash − subsidy paid
 *   commitments' = commitments + new commitments − subsidy paid
 * and the value left is cash − commitments: what is not owed to enrolled loans.
 *
 * Which firms get the bank loans, and whether the subsidy makes a loan happen, follows the
 * lender's rule of the model (docs/model.md §3; see subsidisedLending): a
 * subsidy lowers the rate the borrower pays, so it can bring a rate under the lender's cap, but
 * it closes no collateral gap.
 *
 * Public account (basis.ts): the subsidy is paid from the budget as it falls due, so the public
 * money consumed is the subsidy paid, within the horizon and after it on the loans enrolled
 * (their commitments), each discounted from when it is paid; money never committed stays with
 * the government. Every subsidised loan goes to a different firm (the applicants are new firms
 * each year).
 */
import { msg } from '../../i18n/translate.ts';
import { z } from 'zod';
import { riskGradesOf } from '../grades.ts';
import { lenderTerms } from '../lender.ts';
import { cents, type Money, ZERO } from '../money.ts';
import type { Scenario } from '../schema.ts';
import type { Stage } from '../stages.ts';
import { rate, share, type DocumentedDefault } from './fields.ts';
import { discountFactor, publicAccount, type PublicAccount } from './basis.ts';
import { AMORTISATIONS, LoanBook, lifePeriods, remainingBalancePeriods, emptyRunOff, type Amortisation } from './loanbook.ts';

export const InterestSubsidyOptionSchema = z.object({
  enabled: z.boolean({ error: 'must be true or false' }).default(false).describe(msg('Include an interest subsidy on bank loans in the comparison')),
  subsidyRate: rate(msg('Percentage points of interest the budget pays per year on a subsidised loan’s balance'), 0, 0.5).default(0.03),
  bankRate: rate(msg('Rate the bank charges the target firms before the subsidy; null = the base scenario’s lender model'), 0, 2).nullable().default(null),
  takeUpShare: share(msg('Share of the target firms that get a subsidised bank loan; null = the base scenario’s lender model (or the share banks already serve)')).nullable().default(null),
  additionalShare: share(msg('Share of subsidised loans the bank would not have made without the subsidy; null = the base scenario’s lender model (or 0)')).nullable().default(null),
  amortisation: z.enum(AMORTISATIONS, { error: 'must be annuity, linear or bullet' }).default('annuity')
    .describe(msg('Repayment of the bank loans: equal payments of principal and interest (annuity), equal principal instalments (linear), or all at the end (bullet)')),
}).prefault({});

export type InterestSubsidyOption = z.output<typeof InterestSubsidyOptionSchema>;

export const INTEREST_SUBSIDY_DEFAULTS: Readonly<Record<string, DocumentedDefault>> = {
  subsidyRate: { value: 0.03, basis: 'illustrative', note: msg('three percentage points; no primary source') },
  bankRate: { value: null, basis: 'derived', note: msg('the lender’s required rate for the segments it lends to (the lending rule of docs/model.md §3)') },
  takeUpShare: { value: null, basis: 'derived', note: msg('segments whose collateral suffices and whose rate less the subsidy is within the cap (docs/model.md §3); without a base scenario, the share banks already serve') },
  additionalShare: { value: null, basis: 'derived', note: msg('segments lent to only because the subsidy brings the rate under the cap; without a base scenario 0: a subsidy closes no collateral gap (Stiglitz and Weiss 1981; docs/sources.md §2)') },
  amortisation: { value: 'annuity', basis: 'illustrative', note: msg('equal payments, the usual schedule of a bank term loan') },
};

/** What banks do for one stage's applicants with an interest subsidy of `subsidyRate`. */
export interface SubsidisedLending {
  /** Share of applicants who get a bank loan with the subsidy. */
  readonly takeUpShare: number;
  /** Of those, the share who would not have got one without it. */
  readonly additionalShare: number;
  /** Mean rate the bank charges them before the subsidy; null when none get a loan. */
  readonly bankRate: number | null;
}

/**
 * The lender's rule (lender.ts) without a guarantee: it lends when the collateral it requires
 * is pledged and its required rate is within the rate cap. With the subsidy paid to it on the
 * borrower's behalf, the borrower's rate is the required rate less the subsidy, and that is
 * what the cap limits.
 */
export function subsidisedLending(s: Scenario, stage: Stage, subsidyRate: number): SubsidisedLending {
  const params = s.stages[stage];
  let takeUp = 0;
  let additional = 0;
  let rateWeighted = 0;
  for (const grade of riskGradesOf(params)) {
    for (const level of params.collateral) {
      const terms = lenderTerms(s, params, grade.pd, level.ratio, 0);
      const weight = grade.share * level.share;
      const lendsWithSubsidy = terms.collateralGap <= 1e-12 && terms.requiredRate - subsidyRate <= s.lender.maxLendingRate + 1e-12;
      if (!lendsWithSubsidy) continue;
      takeUp += weight;
      rateWeighted += weight * terms.requiredRate;
      if (!terms.lends) additional += weight;
    }
  }
  return { takeUpShare: takeUp, additionalShare: takeUp > 0 ? additional / takeUp : 0, bankRate: takeUp > 0 ? rateWeighted / takeUp : null };
}

export interface InterestSubsidyTerms {
  readonly budget: number;
  readonly horizonYears: number;
  readonly periodsPerYear: number;
  readonly subsidyRate: number;
  readonly loanSize: number;
  readonly tenorYears: number;
  readonly amortisation: Amortisation;
  /** Subsidised loans demanded in year 1 (target firms × take-up). */
  readonly loansPerYear: number;
  readonly applicantGrowthRate: number;
  /** The bank's rate, which sets an annuity's schedule (0 when unknown). */
  readonly bankRate: number;
  /** Discount rate of the comparison, per year. */
  readonly discountRate: number;
}

export interface InterestSubsidyYear {
  readonly year: number;
  readonly openingCash: Money;
  readonly openingCommitments: Money;
  readonly loansDemanded: number;
  readonly loansSubsidised: number;
  readonly loansRationed: number;
  readonly amountLent: Money;
  readonly newCommitments: Money;
  readonly subsidyPaid: Money;
  readonly closingCash: Money;
  /** Subsidy still owed to enrolled loans over their remaining life. */
  readonly commitments: Money;
  /** Cash not owed to enrolled loans. */
  readonly valueLeft: Money;
}

export interface InterestSubsidyLedger {
  readonly terms: InterestSubsidyTerms;
  /** Subsidy committed per loan over its life: rate × Σ opening balances × period length. */
  readonly lifetimeSubsidyPerLoan: Money;
  readonly years: readonly InterestSubsidyYear[];
  /** Subsidy paid after the horizon on the loans enrolled: the commitments at the horizon, as paid. */
  readonly paidAfterHorizon: Money;
  readonly account: PublicAccount;
}

export function simulateInterestSubsidy(terms: InterestSubsidyTerms): InterestSubsidyLedger {
  const dt = 1 / terms.periodsPerYear;
  const periods = terms.horizonYears * terms.periodsPerYear;
  const life = lifePeriods(terms.tenorYears, terms.periodsPerYear);
  const product = { loanSize: terms.loanSize, lifePeriods: life, amortisation: terms.amortisation, ratePerPeriod: terms.bankRate * dt };
  const book = new LoanBook(product, periods + life);
  const perLoan = terms.subsidyRate * dt * terms.loanSize * remainingBalancePeriods(product, 0);
  const runOff = emptyRunOff();
  const years: InterestSubsidyYear[] = [];
  const df = (t: number) => discountFactor(terms.discountRate, (t + 1) / terms.periodsPerYear);
  let cash = cents(terms.budget);
  let commitments: Money = ZERO;
  let pvPaid = 0;
  let peakInUse = 0;
  for (let y = 0; y < terms.horizonYears; y++) {
    const openingCash = cash;
    const openingCommitments = commitments;
    let demanded = 0;
    let loans = 0;
    let paid: Money = ZERO;
    let lent: Money = ZERO;
    for (let p = 0; p < terms.periodsPerYear; p++) {
      const t = y * terms.periodsPerYear + p;
      const want = terms.loansPerYear * Math.pow(1 + terms.applicantGrowthRate, y) * dt;
      const uncommitted = Math.max(0, cash.minus(commitments).toNumber());
      const n = perLoan > 0 ? Math.min(want, uncommitted / perLoan) : want;
      book.disburse(t, n);
      const payment = cents(terms.subsidyRate * dt * book.outstanding(t));
      book.runOff(t, 0, 0, runOff);
      cash = cash.minus(payment);
      commitments = cents(terms.subsidyRate * dt * book.remainingBalancePeriods(t + 1));
      pvPaid += payment.toNumber() * df(t);
      // In use: paid out so far and owed to enrolled loans.
      peakInUse = Math.max(peakInUse, terms.budget - cash.minus(commitments).toNumber());
      paid = paid.plus(payment);
      lent = lent.plus(cents(n * terms.loanSize));
      demanded += want;
      loans += n;
    }
    years.push({
      year: y + 1,
      openingCash,
      openingCommitments,
      loansDemanded: demanded,
      loansSubsidised: loans,
      loansRationed: Math.max(0, demanded - loans),
      amountLent: lent,
      // Derived so the commitment ledger holds exactly: opening + new − paid = closing.
      newCommitments: commitments.minus(openingCommitments).plus(paid),
      subsidyPaid: paid,
      closingCash: cash,
      commitments,
      valueLeft: cash.minus(commitments),
    });
  }
  // The commitments at the horizon are paid as they fall due.
  let after: Money = ZERO;
  for (let t = periods; t < periods + life - 1; t++) {
    const payment = cents(terms.subsidyRate * dt * book.outstanding(t));
    book.runOff(t, 0, 0, runOff);
    pvPaid += payment.toNumber() * df(t);
    after = after.plus(payment);
  }
  const runOffYears = commitments.greaterThan(0) ? (life - 1) / terms.periodsPerYear : 0;
  return {
    terms,
    lifetimeSubsidyPerLoan: cents(perLoan),
    years,
    paidAfterHorizon: after,
    account: publicAccount(pvPaid, 0, runOffYears, peakInUse, terms.budget),
  };
}
