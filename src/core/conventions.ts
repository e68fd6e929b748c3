/**
 * The conventions a scenario runs under, in words: what a reader needs to reconcile the
 * simulator's figures with a workbook of their own. Shown with every result.
 */
import { spotRate } from './discount.ts';
import type { Scenario } from './schema.ts';
import { BREAK_EVEN_BASIS_LABELS } from './solvers.ts';

const pct = (x: number, digits = 2) => `${Number((x * 100).toFixed(digits))} %`;
const ORIGINATED = { start: 'at the start of', middle: 'in the middle of', end: 'at the end of' } as const;
const DEFAULTING = { start: 'at the start of', middle: 'spread evenly over', end: 'at the end of' } as const;

export function conventionsInForce(s: Scenario): string[] {
  const t = s.timing;
  const period = s.period === 'quarterly' ? 'quarter' : 'year';
  const rate = s.costing.discountRate;
  const discount = typeof rate === 'number'
    ? `Cash flows are discounted at ${pct(rate)} a year (the government’s borrowing rate)`
    : `Cash flows are discounted on a zero-coupon curve (${rate.map((p) => `${p.years} y ${pct(p.rate)}`).join(', ')}; linear between points, flat beyond)`;
  const lines = [
    `Periods are ${s.period}; loans are originated ${ORIGINATED[t.origination]} a ${period}, and defaults fall ${DEFAULTING[t.defaults]} it.`,
    t.newLoanRisk === 'exposure'
      ? 'A new loan bears default risk in proportion to its time on the books in its first period.'
      : 'A new loan bears the full period’s default rate in its first period (as spreadsheet models apply the annual rate to period-end outstanding).',
    t.claimsInFirstYear ? 'Loans can default from origination.' : 'No loan defaults in its first twelve months.',
    t.defaultBalance === 'beforeInstalment'
      ? 'A default on a payment date is claimed on the balance before that instalment.'
      : 'A default on a payment date is claimed on the balance after that instalment.',
    `Claims are paid ${s.fund.claimLagMonths} months after default and recoveries ${s.fund.recoveryLagMonths} months after the claim${t.defaults === 'middle' ? '; a lag that is not a whole number of periods splits a period’s claims between two periods in proportion' : ''}.`,
    `Investment income is earned at ${pct(s.fund.investmentYield)} a year on ${t.investmentIncomeBasis} capital${t.investmentIncomeExcludes === 'nothing' ? '' : t.investmentIncomeExcludes === 'claims' ? ', with claims taken as paid at the period’s end' : ', with claims and costs taken as paid at the period’s end'}.`,
    'The horizon view stops at the last year of lending; the lifetime view runs every cohort issued up to then to its last claim and recovery, with no new lending; fixed operating costs go on until then.',
    `${discount}, from the start of year 1; public money paid at a period’s start is discounted from that start, every other flow from the period’s end.`,
    `Capital tied up in the fund is charged at ${s.costing.capitalCostRate === null ? 'the discount rate' : `${pct(s.costing.capitalCostRate)} a year`} in the economic cost${typeof rate === 'number' || s.costing.capitalCostRate !== null ? '' : ` (${pct(spotRate(rate, 1))} for one year)`}.`,
    'A cohort’s subsidy rate is the present value, at the start of its year, of claims less recoveries and the fees borrowers and lenders pay, net of the counter-guarantor’s share, over the amount guaranteed.',
    `The break-even fee is shown on the basis: ${BREAK_EVEN_BASIS_LABELS[s.costing.breakEvenBasis]}.`,
  ];
  const sup = s.support;
  if (sup.capitalCall) lines.push(`When capital falls under ${pct(sup.capitalCall.triggerRatio)} of outstanding guarantees, the government restores it to ${pct(sup.capitalCall.targetRatio)} ${sup.capitalCall.lagMonths > 0 ? `${sup.capitalCall.lagMonths} months later` : 'at the start of the next period'}.`);
  if (sup.stateLossSharing) lines.push(`The state pays ${pct(sup.stateLossSharing.share)} of claims above ${pct(sup.stateLossSharing.threshold)} of ${sup.stateLossSharing.basis === 'vintage' ? 'each vintage’s principal lent' : 'each year’s average outstanding guarantees'}.`);
  if (sup.feeSubsidy) lines.push(`The government pays ${pct(sup.feeSubsidy.share)} of the fee for the first ${sup.feeSubsidy.loanYears} year(s) of loans originated in years ${sup.feeSubsidy.fromYear}–${Math.min(sup.feeSubsidy.toYear, s.horizonYears)}; the fund receives the full fee, and borrowers and lenders decide at the lower price (the subsidised share of the fee over the loan's life).`);
  if (s.fund.counterGuarantee.capShareOfLending !== null) lines.push(`The counter-guarantor pays at most ${pct(s.fund.counterGuarantee.capShareOfLending)} of the cumulative amount guaranteed.`);
  return lines;
}
