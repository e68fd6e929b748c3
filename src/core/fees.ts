/**
 * Fees tiered by loan size, applied marginally like tax brackets: each bracket's rate
 * applies to the part of the loan principal inside that bracket.
 */
import type { FeeBrackets } from './schema.ts';

/** The fee on a loan of `principal` under marginal brackets, in money. */
export function marginalFee(brackets: FeeBrackets, principal: number): number {
  let fee = 0;
  let lower = 0;
  for (const { upTo, rate } of brackets) {
    const upper = upTo ?? Infinity;
    if (principal > lower) fee += (Math.min(principal, upper) - lower) * rate;
    lower = upper;
  }
  return fee;
}

/**
 * The effective rate for a loan of `principal`: the marginal fee divided by the principal.
 * The fund charges this rate on the guaranteed amount (upfront) or on the outstanding
 * guaranteed amount (annual), so the tiers follow loan size while the base is the guarantee.
 */
export function effectiveFeeRate(brackets: FeeBrackets, principal: number): number {
  if (principal <= 0) return brackets[0]?.rate ?? 0;
  return marginalFee(brackets, principal) / principal;
}
