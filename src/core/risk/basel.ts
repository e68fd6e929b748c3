/**
 * Basel II internal-ratings-based (IRB) capital formulas (docs/model.md §7, docs/sources.md §3).
 *
 * Source: Basel Committee on Banking Supervision, "International Convergence of
 * Capital Measurement and Capital Standards: A Revised Framework — Comprehensive
 * Version", June 2006:
 *   - para 272: corporate correlation R, maturity adjustment b, capital K;
 *   - para 273-274: SME firm-size adjustment −0.04 × (1 − (S − 5)/45), S = annual
 *     sales in EUR million, S < 5 treated as 5, no adjustment for S ≥ 50;
 *   - para 285 (corporate) and 331 (retail): PD floor of 0.03 %;
 *   - para 320: effective maturity M is at least 1 year and at most 5 years;
 *   - para 330: "other retail" correlation and capital (no maturity term);
 *   - Annex 5: illustrative risk weights (used by the tests).
 * The same formulas carry over to Basel III (CRE31/CRE32) apart from parameter floors.
 *
 * Units: PD and LGD are fractions (0.01 = 1 %); K is capital per unit of exposure
 * at default; riskWeight(K) is a fraction (1.0 = 100 %). The Basel II 1.06 scaling
 * factor (para 44) is NOT applied, as in the Annex 5 table.
 * Defaulted exposures (PD = 1) give K = 0 from the formula; the Basel treatment
 * max(0, LGD − best-estimate EL) is out of scope here.
 */

import { inverseNormalCdf, normalCdf } from '../math/normal.ts';

/** Basel II para 285/331: PD used in the formulas is at least 0.03 %. */
export const BASEL_PD_FLOOR = 0.0003;

/** Φ⁻¹(0.999): the supervisory 99.9 % confidence level of para 272. */
const G_999 = inverseNormalCdf(0.999);

// 1 − e^(−50) and 1 − e^(−35): denominators of the PD-dependent weights.
const CORPORATE_DENOMINATOR = -Math.expm1(-50);
const RETAIL_DENOMINATOR = -Math.expm1(-35);

function flooredPd(pd: number): number {
  if (!(pd >= 0 && pd <= 1)) throw new RangeError(`pd must be in [0, 1], got ${pd}`);
  return Math.max(pd, BASEL_PD_FLOOR);
}

function checkLgd(lgd: number): void {
  if (!(lgd >= 0 && lgd <= 1)) throw new RangeError(`lgd must be in [0, 1], got ${lgd}`);
}

/**
 * Corporate asset correlation (para 272), with the SME firm-size adjustment
 * (para 273-274) when `turnoverEurMillion` is given and below 50:
 * R = 0.12 f + 0.24 (1 − f) − 0.04 (1 − (S − 5)/45), f = (1 − e^(−50 PD))/(1 − e^(−50)),
 * S clamped to [5, 50]. PD is floored at 0.03 %.
 */
export function baselCorporateCorrelation(pd: number, turnoverEurMillion?: number): number {
  const p = flooredPd(pd);
  const f = -Math.expm1(-50 * p) / CORPORATE_DENOMINATOR;
  let r = 0.12 * f + 0.24 * (1 - f);
  if (turnoverEurMillion !== undefined) {
    if (!(turnoverEurMillion >= 0)) {
      throw new RangeError(`turnoverEurMillion must be >= 0, got ${turnoverEurMillion}`);
    }
    if (turnoverEurMillion < 50) {
      const s = Math.max(turnoverEurMillion, 5);
      r -= 0.04 * (1 - (s - 5) / 45);
    }
  }
  return r;
}

/** Maturity adjustment b = (0.11852 − 0.05478 ln PD)² (para 272), PD floored at 0.03 %. */
export function baselMaturityAdjustment(pd: number): number {
  const p = flooredPd(pd);
  const t = 0.11852 - 0.05478 * Math.log(p);
  return t * t;
}

/** Unexpected-loss part shared by all IRB classes: LGD × Φ((Φ⁻¹(PD) + √R Φ⁻¹(0.999))/√(1−R)) − PD × LGD. */
function unexpectedLoss(pd: number, lgd: number, r: number): number {
  const wcdr = normalCdf((inverseNormalCdf(pd) + Math.sqrt(r) * G_999) / Math.sqrt(1 - r));
  return lgd * wcdr - pd * lgd;
}

export interface BaselCorporateInput {
  /** One-year probability of default, fraction; floored at 0.03 %. */
  pd: number;
  /** Loss given default, fraction. */
  lgd: number;
  /** Effective maturity M in years; clamped to [1, 5] (para 320). 2.5 = foundation IRB. */
  maturityYears: number;
  /** Annual sales in EUR million for the SME firm-size adjustment; omit for large corporates. */
  turnoverEurMillion?: number;
}

/**
 * Corporate (and SME-corporate) capital requirement K per unit of EAD (para 272):
 * K = [LGD Φ((Φ⁻¹(PD) + √R Φ⁻¹(0.999))/√(1−R)) − PD LGD] × (1 + (M − 2.5) b)/(1 − 1.5 b).
 */
export function baselCorporateCapital(input: BaselCorporateInput): number {
  const { lgd, maturityYears, turnoverEurMillion } = input;
  const pd = flooredPd(input.pd);
  checkLgd(lgd);
  if (!(maturityYears > 0 && Number.isFinite(maturityYears))) {
    throw new RangeError(`maturityYears must be a positive finite number, got ${maturityYears}`);
  }
  const m = Math.min(Math.max(maturityYears, 1), 5);
  const r = baselCorporateCorrelation(pd, turnoverEurMillion);
  const b = baselMaturityAdjustment(pd);
  return (unexpectedLoss(pd, lgd, r) * (1 + (m - 2.5) * b)) / (1 - 1.5 * b);
}

/**
 * "Other retail" correlation (para 330): R = 0.03 f + 0.16 (1 − f),
 * f = (1 − e^(−35 PD))/(1 − e^(−35)); PD floored at 0.03 % (para 331).
 */
export function baselOtherRetailCorrelation(pd: number): number {
  const p = flooredPd(pd);
  const f = -Math.expm1(-35 * p) / RETAIL_DENOMINATOR;
  return 0.03 * f + 0.16 * (1 - f);
}

export interface BaselRetailInput {
  /** One-year probability of default, fraction; floored at 0.03 %. */
  pd: number;
  /** Loss given default, fraction. */
  lgd: number;
}

/** "Other retail" capital requirement K per unit of EAD (para 330); no maturity adjustment. */
export function baselOtherRetailCapital(input: BaselRetailInput): number {
  const pd = flooredPd(input.pd);
  checkLgd(input.lgd);
  return unexpectedLoss(pd, input.lgd, baselOtherRetailCorrelation(pd));
}

/** Risk weight as a fraction (1.0 = 100 %): RWA = 12.5 × K × EAD, so RW = 12.5 K (8 % capital ratio). */
export function riskWeight(capitalRequirement: number): number {
  return 12.5 * capitalRequirement;
}
