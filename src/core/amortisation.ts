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

/** Years before an instalment date at which "the balance just before the instalment" is read. */
export const PRE_INSTALMENT = 1e-7;

export function balanceFraction(terms: LoanTerms, ageYears: number): number {
  const { amortisation, tenorYears, instalmentsPerYear: m, annualRate } = terms;
  // A tiny tolerance keeps float ages on the instalment grid (far below PRE_INSTALMENT).
  const eps = 1e-10;
  if (ageYears < 0) return 1;
  if (ageYears >= tenorYears - eps) return 0;
  if (amortisation === 'bullet') return 1;
  const total = Math.max(1, Math.round(tenorYears * m));
  const paid = Math.min(total, Math.floor(ageYears * m + eps));
  const i = annualRate / m;
  // An annuity at a vanishing rate is linear; the closed form below would divide 0 by 0.
  if (amortisation === 'linear' || Math.abs(i) < 1e-9) return 1 - paid / total;
  // Annuity at periodic rate i: B_k / P = ((1+i)^N − (1+i)^k) / ((1+i)^N − 1).
  const growthAll = Math.pow(1 + i, total);
  return (growthAll - Math.pow(1 + i, paid)) / (growthAll - 1);
}

/**
 * Time-average of the balance fraction between two ages (years), exact for the step schedule:
 * the balance is constant between instalment dates, so the integral is a sum of rectangles.
 */
export function averageBalanceFraction(terms: LoanTerms, fromAge: number, toAge: number): number {
  if (toAge <= fromAge) return balanceFraction(terms, fromAge);
  const m = terms.amortisation === 'bullet' ? 0 : terms.instalmentsPerYear;
  // Breakpoints: instalment dates and the maturity inside (fromAge, toAge).
  const points = [fromAge];
  if (m > 0) {
    for (let k = Math.floor(fromAge * m + 1e-9) + 1; k / m < toAge - 1e-12; k++) points.push(k / m);
  }
  if (terms.tenorYears > fromAge && terms.tenorYears < toAge && !points.includes(terms.tenorYears)) points.push(terms.tenorYears);
  points.sort((a, b) => a - b);
  points.push(toAge);
  let area = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    area += (b - a) * balanceFraction(terms, (a + b) / 2);
  }
  return area / (toAge - fromAge);
}
