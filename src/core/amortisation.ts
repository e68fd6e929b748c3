/**
 * Scheduled outstanding balance of a loan, as a fraction of its principal, at a given age.
 * Instalments fall at the end of each instalment interval; between instalments the balance
 * stays where the last one left it.
 */
export type Amortisation = 'bullet' | 'linear' | 'annuity';

export interface LoanTerms {
  readonly amortisation: Amortisation;
  readonly tenorYears: number;
  /** Instalments per year (linear and annuity). */
  readonly instalmentsPerYear: number;
  /** The loan's annual interest rate, for annuity instalments. */
  readonly annualRate: number;
}

export function balanceFraction(terms: LoanTerms, ageYears: number): number {
  const { amortisation, tenorYears, instalmentsPerYear: m, annualRate } = terms;
  // A tiny tolerance keeps float ages such as 3 × (1/4) on the instalment grid.
  const eps = 1e-9;
  if (ageYears < 0) return 1;
  if (ageYears >= tenorYears - eps) return 0;
  if (amortisation === 'bullet') return 1;
  const total = Math.max(1, Math.round(tenorYears * m));
  const paid = Math.min(total, Math.floor(ageYears * m + eps));
  if (amortisation === 'linear' || annualRate === 0) return 1 - paid / total;
  // Annuity at periodic rate i: B_k / P = ((1+i)^N − (1+i)^k) / ((1+i)^N − 1).
  const i = annualRate / m;
  const growthAll = Math.pow(1 + i, total);
  return (growthAll - Math.pow(1 + i, paid)) / (growthAll - 1);
}
