/**
 * Vasicek one-factor (asymptotic single risk factor) model (docs/model.md §7, docs/sources.md §3).
 *
 * Firm i defaults when √ρ·Z + √(1−ρ)·εᵢ < Φ⁻¹(PD), with Z, εᵢ i.i.d. N(0,1).
 * Z is the systematic factor: high Z = good state of the economy.
 * References: O. Vasicek, "The distribution of loan portfolio value", Risk (2002);
 * Open Risk portfolioAnalytics documents the same closed forms for testing
 * credit-portfolio simulations.
 *
 * All probabilities are plain fractions (0.01 = 1 %). Edge cases are taken as the
 * limits of the model: PD = 0 (never defaults), PD = 1 (always defaults),
 * ρ = 0 (independent defaults: default rate = PD), ρ = 1 (comonotone: all firms
 * default together, the default rate is 0 or 1 with P(1) = PD).
 */

import { inverseNormalCdf, normalCdf } from '../math/normal.ts';

function checkProbability(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be in [0, 1], got ${value}`);
  }
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
}

/**
 * Default probability conditional on the systematic factor Z = z:
 * p(z) = Φ((Φ⁻¹(PD) − √ρ·z) / √(1−ρ)).
 * Given z, a homogeneous bucket of n loans has Binomial(n, p(z)) defaults.
 * At ρ = 1 the limit is a step: 1 if z < Φ⁻¹(PD), 0 if z > Φ⁻¹(PD), ½ at equality.
 */
export function conditionalDefaultProbability(pd: number, rho: number, z: number): number {
  checkProbability('pd', pd);
  checkProbability('rho', rho);
  if (Number.isNaN(z)) throw new RangeError('z must be a number, got NaN');
  if (pd === 0) return 0;
  if (pd === 1) return 1;
  if (rho === 0) return pd;
  const c = inverseNormalCdf(pd);
  if (rho === 1) return z < c ? 1 : z > c ? 0 : 0.5;
  return normalCdf((c - Math.sqrt(rho) * z) / Math.sqrt(1 - rho));
}

/**
 * Worst-case default rate (WCDR): the `confidence` quantile of the large-portfolio
 * default rate, WCDR = Φ((Φ⁻¹(PD) + √ρ·Φ⁻¹(q)) / √(1−ρ)) = p(z = −Φ⁻¹(q)).
 * `confidence` in (0, 1), e.g. 0.999 for Basel's one-in-a-thousand-years.
 */
export function worstCaseDefaultRate(pd: number, rho: number, confidence: number): number {
  checkConfidence(confidence);
  // The bad tail of the default rate is the low tail of Z: z = −Φ⁻¹(q).
  return conditionalDefaultProbability(pd, rho, -inverseNormalCdf(confidence));
}

/**
 * Unexpected-loss capital per unit of exposure (guaranteed amount) at the given
 * confidence: LGD × (WCDR − PD). It is negative for confidence levels below the
 * median-ish region where WCDR < PD (no unexpected-loss capital needed); it is
 * returned as is so that callers can see that.
 */
export function vasicekCapitalPerUnit(pd: number, rho: number, lgd: number, confidence: number): number {
  checkProbability('lgd', lgd);
  return lgd * (worstCaseDefaultRate(pd, rho, confidence) - pd);
}

/**
 * Maximum prudent leverage (exposure per unit of capital) = 1 / capital per unit.
 * Infinity when the capital requirement is 0 or negative (no unexpected loss to
 * cover at that confidence, e.g. PD = 0, LGD = 0 or ρ = 0).
 */
export function maximumPrudentLeverage(pd: number, rho: number, lgd: number, confidence: number): number {
  const capital = vasicekCapitalPerUnit(pd, rho, lgd, confidence);
  return capital > 0 ? 1 / capital : Infinity;
}

/**
 * Distribution function of the large-portfolio default rate DR = p(Z) (Vasicek):
 * P(DR ≤ x) = Φ((√(1−ρ)·Φ⁻¹(x) − Φ⁻¹(PD)) / √ρ) for 0 < x < 1,
 * 0 for x < 0 and 1 for x ≥ 1. Degenerate parameters give the point masses:
 * PD = 0 → DR ≡ 0; PD = 1 → DR ≡ 1; ρ = 0 → DR ≡ PD; ρ = 1 → DR ∈ {0, 1}, P(DR = 1) = PD.
 */
export function vasicekDefaultRateCdf(x: number, pd: number, rho: number): number {
  checkProbability('pd', pd);
  checkProbability('rho', rho);
  if (Number.isNaN(x)) throw new RangeError('x must be a number, got NaN');
  if (x < 0) return 0;
  if (x >= 1) return 1;
  if (pd === 0) return 1;
  if (pd === 1) return 0;
  if (rho === 0) return x >= pd ? 1 : 0;
  if (rho === 1) return 1 - pd;
  // x = 0 gives Φ(−∞) = 0: for 0 < PD < 1 and 0 < ρ < 1 the default rate is a.s. > 0.
  return normalCdf((Math.sqrt(1 - rho) * inverseNormalCdf(x) - inverseNormalCdf(pd)) / Math.sqrt(rho));
}
