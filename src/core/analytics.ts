/**
 * Risk capital of the guaranteed portfolio: how much capital a fund needs per unit guaranteed
 * to survive a bad year, and the guarantees' whole life, at a chosen confidence; the fee that
 * prices that risk; and what the Basel IRB formulas would ask of a bank holding the same
 * exposures. Exposures are weighted by the guarantees demanded in the first year; the fund's
 * loss given default is 1 − its recovery rate, on the share it keeps after the counter-guarantor.
 *
 * Over the life: a guarantee's exposure is its weighted-average life W (years of outstanding
 * balance per unit issued); the lifetime default probability is PD_W = 1 − (1 − PD)^W, and the
 * worst case at confidence q is the one-factor quantile of PD_W with the same correlation (the
 * usual multi-year approximation). Capital per unit issued = LGD × (WCDR(PD_W) − PD_W) plus the
 * fee shortfall: what expected loss and operating costs exceed the fees over W years.
 *
 * Risk-based fee per year: expected loss PD × LGD, plus operating costs, plus the cost of
 * holding the one-year capital LGD × (WCDR − PD), charged at the rate the government values its
 * capital less the yield the capital earns.
 *
 * Under the one-factor model capital is additive across exposures (asymptotic single risk
 * factor: Gordy 2003), so the portfolio figure is the exposure-weighted sum of the grades'.
 */
import { spotRate } from './discount.ts';
import { buildPlan } from './plan.ts';
import { baselCorporateCapital, baselOtherRetailCapital, riskWeight } from './risk/basel.ts';
import { worstCaseDefaultRate } from './risk/vasicek.ts';
import type { Scenario } from './schema.ts';
import { STAGES, type Stage } from './stages.ts';

export interface CapitalFigures {
  /** Share of the year-1 guaranteed exposure. */
  readonly exposureShare: number;
  /** Exposure-weighted annual PD of guaranteed loans. */
  readonly pd: number;
  readonly worstCaseDefaultRate: number;
  /** LGD × (WCDR − PD): unexpected loss per unit guaranteed at the confidence. */
  readonly capitalPerUnitGuaranteed: number;
  /** 1 / the one-year capital: the most the fund could guarantee against one year's unexpected loss. */
  readonly oneYearPrudentLeverage: number | null;
  /** Weighted-average life of a guarantee, years. */
  readonly averageLifeYears: number;
  /** Capital per unit issued over the guarantee's life: unexpected loss plus the fee shortfall. */
  readonly lifetimeCapitalPerUnitGuaranteed: number;
  readonly feeShortfallPerUnitGuaranteed: number;
  /** 1 / lifetime capital: the most the fund can guarantee per unit of capital over the guarantees' life. */
  readonly maximumPrudentLeverage: number | null;
  /** Expected loss + operating costs + cost of holding capital, a fraction of outstanding guarantees per year. */
  readonly riskBasedFee: number;
  /** Basel II IRB corporate with the SME firm-size adjustment (para 272–273), as risk weights. */
  readonly baselCorporateRiskWeight: number;
  /** Basel II IRB other retail (para 330). */
  readonly baselRetailRiskWeight: number;
}

export interface RiskAnalytics {
  readonly confidence: number;
  readonly lgd: number;
  readonly turnoverEurMillion: number;
  readonly byStage: readonly (CapitalFigures & { readonly stage: Stage })[];
  readonly portfolio: CapitalFigures;
}

export function riskAnalytics(s: Scenario, confidence = s.costing.riskCapitalConfidence, turnoverEurMillion = 5): RiskAnalytics {
  const plan = buildPlan(s, { lifetime: false });
  const lgd = (1 - plan.meanRecoveryRate) * (1 - s.fund.counterGuarantee.share);
  const { grades, dt, maxLife } = plan;
  const costShare = s.fund.operatingCosts.shareOfOutstanding;
  const capitalRate = s.costing.capitalCostRate ?? spotRate(s.costing.discountRate, 1);
  const carry = Math.max(0, capitalRate - s.fund.investmentYield);
  /** Years of outstanding balance per unit issued, for (stage, grade) i. */
  const averageLife = (i: number) => {
    let years = 0;
    for (let k = 0; k < maxLife; k++) years += plan.balanceAverage[i * maxLife + k]! * (k === 0 ? plan.runoff.firstExposure : 1) * dt;
    return years;
  };
  // Year-1 guaranteed exposure per (stage, grade).
  const exposure = new Float64Array(plan.pd.length);
  for (let t = 0; t < plan.periodsPerYear; t++) {
    for (let si = 0; si < STAGES.length; si++) {
      for (let g = 0; g < grades; g++) {
        exposure[si * grades + g]! += plan.demand[(t * STAGES.length + si) * grades + g]! * plan.loanSize[si]! * plan.coverage[si]!;
      }
    }
  }
  const total = exposure.reduce((a, b) => a + b, 0);
  const figures = (indices: number[]): CapitalFigures => {
    const weight = indices.reduce((a, i) => a + exposure[i]!, 0);
    // With no exposure, weigh the grades equally so the figures still describe the stage.
    const w = (i: number) => (weight > 0 ? exposure[i]! / weight : 1 / indices.length);
    let pd = 0;
    let wcdr = 0;
    let capital = 0;
    let life = 0;
    let lifetimeCapital = 0;
    let shortfall = 0;
    let fee = 0;
    let corporate = 0;
    let retail = 0;
    for (const i of indices) {
      const si = Math.floor(i / grades);
      const p = plan.pd[i]!;
      const rho = plan.correlation[si]!;
      const worst = worstCaseDefaultRate(p, rho, confidence);
      const W = averageLife(i);
      const pdLife = 1 - Math.pow(1 - p, W);
      const feesOverLife = plan.annualFeeRate[i]! * W + plan.upfrontFeeRate[i]!;
      const gap = Math.max(0, (p * lgd + costShare) * W - feesOverLife);
      pd += w(i) * p;
      wcdr += w(i) * worst;
      capital += w(i) * lgd * (worst - p);
      life += w(i) * W;
      shortfall += w(i) * gap;
      lifetimeCapital += w(i) * (lgd * (worstCaseDefaultRate(pdLife, rho, confidence) - pdLife) + gap);
      fee += w(i) * (p * lgd + costShare + lgd * (worst - p) * carry);
      corporate += w(i) * riskWeight(baselCorporateCapital({ pd: p, lgd, maturityYears: s.stages[STAGES[si]!].tenorYears, turnoverEurMillion }));
      retail += w(i) * riskWeight(baselOtherRetailCapital({ pd: p, lgd }));
    }
    return {
      exposureShare: total > 0 ? weight / total : 0,
      pd,
      worstCaseDefaultRate: wcdr,
      capitalPerUnitGuaranteed: capital,
      oneYearPrudentLeverage: capital > 0 ? 1 / capital : null,
      averageLifeYears: life,
      lifetimeCapitalPerUnitGuaranteed: lifetimeCapital,
      feeShortfallPerUnitGuaranteed: shortfall,
      maximumPrudentLeverage: lifetimeCapital > 0 ? 1 / lifetimeCapital : null,
      riskBasedFee: fee,
      baselCorporateRiskWeight: corporate,
      baselRetailRiskWeight: retail,
    };
  };
  const gradeIndices = (si: number) => Array.from({ length: plan.gradeCount[si]! }, (_, g) => si * grades + g);
  return {
    confidence,
    lgd,
    turnoverEurMillion,
    byStage: STAGES.map((stage, si) => ({ stage, ...figures(gradeIndices(si)) })),
    portfolio: figures(STAGES.flatMap((_, si) => gradeIndices(si))),
  };
}
