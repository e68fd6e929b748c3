import { describe, expect, it } from 'vitest';
import { riskAnalytics } from '../../src/core/analytics.ts';
import { scenario, stage } from '../support/scenarios.ts';

/** One stage of one grade: PD 1 %, ρ 0.12, recovery 0.55 so LGD 0.45, 5-year loans (M capped at 5). */
function single(pd: number, rho: number, recoveryRate: number, tenorYears = 2.5) {
  return scenario({
    schemaVersion: 1,
    name: 'analytics',
    horizonYears: 5,
    origination: { mode: 'direct', volumes: { founding: [1_000_000], growth: [0], maturity: [0], transformation: [0] } },
    fund: { initialCapital: 1e6, recoveryRate },
    guarantee: { coverageRatio: 0.8 },
    lender: { fundingCost: 0.05 },
    stages: { founding: stage({ tenorYears, riskGrades: [{ share: 1, pd }], assetCorrelation: rho }), growth: stage(), maturity: stage(), transformation: stage() },
    monteCarlo: {},
  });
}

describe('risk capital of the guaranteed portfolio', () => {
  it('Vasicek worst-case default rate and capital, PD 1 %, ρ 0.12, 99.9 %', () => {
    // WCDR = Φ((Φ⁻¹(0.01) + √0.12 Φ⁻¹(0.999)) / √0.88) = Φ((−2.326348 + 0.346410 × 3.090232) / 0.938083)
    //      = Φ(−1.338746) = 0.090326 (mpmath, 40 digits: 0.0903260...).
    const a = riskAnalytics(single(0.01, 0.12, 0.55));
    expect(a.portfolio.worstCaseDefaultRate).toBeCloseTo(0.090326, 5);
    // Capital = LGD × (WCDR − PD) = 0.45 × 0.080326 = 0.0361467; leverage 1/0.0361467 = 27.665.
    expect(a.portfolio.capitalPerUnitGuaranteed).toBeCloseTo(0.0361467, 5);
    expect(a.portfolio.oneYearPrudentLeverage).toBeCloseTo(27.665, 2);
    expect(a.byStage[0]!.exposureShare).toBe(1);
  });

  it('Basel risk weights match the Basel II Annex 5 illustrative table (LGD 45 %, M 2.5)', () => {
    const a = riskAnalytics(single(0.01, 0.12, 0.55, 2.5));
    // Annex 5, row PD 1.00 %: corporate SME with turnover EUR 5 million 72.40 %; other retail at LGD 45 % 45.77 %.
    expect(a.portfolio.baselCorporateRiskWeight * 100).toBeCloseTo(72.40, 1);
    expect(a.portfolio.baselRetailRiskWeight * 100).toBeCloseTo(45.77, 1);
  });

  it('weights grades by guaranteed exposure', () => {
    const s = single(0.01, 0.12, 0.55);
    const two = { ...s, stages: { ...s.stages, founding: { ...s.stages.founding, riskGrades: [{ share: 0.75, pd: 0.01 }, { share: 0.25, pd: 0.05 }] } } };
    const a = riskAnalytics(two);
    expect(a.portfolio.pd).toBeCloseTo(0.75 * 0.01 + 0.25 * 0.05, 12);
  });
});

describe('risk capital over the guarantees\' life, and the risk-based fee', () => {
  /** Two-year bullet loans, PD 1 %, ρ 0.12, LGD 0.45, annual fee 1.5 %, costs 0.5 % of outstanding, yield 3 %, discount 4 %. */
  function bullet() {
    const s = single(0.01, 0.12, 0.55, 2);
    return { ...s, timing: { ...s.timing, amortisation: 'bullet' as const } };
  }

  it('lifetime capital from the weighted-average life, worked with mpmath', () => {
    // Originated mid-year, a 2-year bullet loan is outstanding for W = 0.5 + 1 + 0.5 = 2 years.
    // PD over 2 years = 1 − 0.99² = 0.0199; WCDR(0.0199, 0.12, 99.9 %) = 0.1467749 (mpmath, 30 digits);
    // capital = 0.45 × (0.1467749 − 0.0199) = 0.0570937; no fee shortfall (EL + costs = 0.95 % < fee
    // 1.5 % a year); maximum prudent leverage 1/0.0570937 = 17.515.
    const a = riskAnalytics(bullet());
    expect(a.portfolio.averageLifeYears).toBeCloseTo(2, 10);
    expect(a.portfolio.feeShortfallPerUnitGuaranteed).toBe(0);
    expect(a.portfolio.lifetimeCapitalPerUnitGuaranteed).toBeCloseTo(0.0570937, 6);
    expect(a.portfolio.maximumPrudentLeverage).toBeCloseTo(17.515, 2);
  });

  it('a fee below expected loss and costs adds its shortfall over the life to the capital', () => {
    const s = bullet();
    const low = { ...s, guarantee: { ...s.guarantee, annualFee: [{ upTo: null, rate: 0.002 }] } };
    // Shortfall = (EL 0.45 % + costs 0.5 % − fee 0.2 %) × 2 years = 1.5 % of the amount issued.
    const a = riskAnalytics(low);
    expect(a.portfolio.feeShortfallPerUnitGuaranteed).toBeCloseTo(0.015, 10);
    expect(a.portfolio.lifetimeCapitalPerUnitGuaranteed).toBeCloseTo(0.0570937 + 0.015, 6);
  });

  it('risk-based fee = EL + costs + one-year capital × (capital cost − yield)', () => {
    // 0.01 × 0.45 + 0.005 + 0.0361467 × (0.04 − 0.03) = 0.0098615.
    expect(riskAnalytics(bullet()).portfolio.riskBasedFee).toBeCloseTo(0.0098615, 6);
  });
});
