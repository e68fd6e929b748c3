/**
 * Fees as schemes publish them (docs/model.md §3): a schedule of brackets by size, applied
 * marginally (each bracket's rate on the part of the amount inside it, like tax brackets) or as
 * slabs (the rate of the bracket the amount falls in, on the whole amount); charged on the
 * guaranteed amount or on the loan's principal; with bracket bounds on the loan or on the
 * guaranteed amount; within a minimum and maximum per loan.
 */
import type { FeeBrackets, FeeRule } from './schema.ts';

/** The fee on an amount under marginal brackets, in money. */
export function marginalFee(brackets: FeeBrackets, amount: number): number {
  let fee = 0;
  let lower = 0;
  for (const { upTo, rate } of brackets) {
    const upper = upTo ?? Infinity;
    if (amount > lower) fee += (Math.min(amount, upper) - lower) * rate;
    lower = upper;
  }
  return fee;
}

/** The bracket an amount falls in (bounds inclusive). */
export function slabOf(brackets: FeeBrackets, amount: number): FeeBrackets[number] {
  return brackets.find((b) => b.upTo === null || amount <= b.upTo) ?? brackets[brackets.length - 1]!;
}

/** A slab's fee on `base`: its rate on the whole, or its rate up to a threshold and another above. */
function slabFee(slab: FeeBrackets[number], base: number): number {
  if (!slab.above) return slab.rate * base;
  return slab.rate * Math.min(base, slab.above.amount) + slab.above.rate * Math.max(0, base - slab.above.amount);
}

/** The fee in money on one loan of `loanSize` with `coverage` guaranteed. */
export function feeAmount(brackets: FeeBrackets, rule: FeeRule, loanSize: number, coverage: number): number {
  const guaranteed = loanSize * coverage;
  const measured = rule.boundsOn === 'guaranteed' ? guaranteed : loanSize;
  const base = rule.basis === 'guaranteed' ? guaranteed : loanSize;
  let fee: number;
  if (rule.method === 'slab') fee = slabFee(slabOf(brackets, measured), base);
  // Marginal brackets apply to the measured amount; the charge scales to the base it falls on.
  else fee = measured > 0 ? (marginalFee(brackets, measured) * base) / measured : 0;
  if (rule.minPerLoan !== null) fee = Math.max(fee, rule.minPerLoan);
  if (rule.maxPerLoan !== null) fee = Math.min(fee, rule.maxPerLoan);
  return fee;
}

/**
 * The fee as a rate on the guaranteed amount, which is what the fund charges on (the upfront fee
 * on the amount guaranteed, the annual fee on the guaranteed amount outstanding): a fee on the
 * loan's principal at rate f is f ÷ coverage of the guaranteed amount.
 */
export function effectiveFeeRate(brackets: FeeBrackets, rule: FeeRule, loanSize: number, coverage: number): number {
  const guaranteed = loanSize * coverage;
  if (guaranteed <= 0) return (rule.basis === 'guaranteed' ? 1 : coverage > 0 ? 1 / coverage : 1) * (brackets[0]?.rate ?? 0);
  return feeAmount(brackets, rule, loanSize, coverage) / guaranteed;
}
