/**
 * Risk capital of the guaranteed portfolio: how much capital a fund needs per unit guaranteed
 * to survive a bad year at a chosen confidence, and what the Basel IRB formulas would ask of a
 * bank holding the same exposures. Exposures are weighted by the guarantees demanded in the
 * first year; the fund's loss given default is 1 − its recovery rate.
 *
 * Under the one-factor model capital is additive across exposures (asymptotic single risk
 * factor: Gordy 2003), so the portfolio figure is the exposure-weighted sum of the grades'.
 */
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
  /** 1 / capital per unit: the most the fund can guarantee per unit of capital at that confidence. */
  readonly maximumPrudentLeverage: number | null;
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

export function riskAnalytics(s: Scenario, confidence = 0.999, turnoverEurMillion = 5): RiskAnalytics {
  const plan = buildPlan(s);
  const lgd = 1 - s.fund.recoveryRate;
  const { grades } = plan;
  // Year-1 guaranteed exposure per (stage, grade).
  const exposure = new Float64Array(plan.pd.length);
  for (let t = 0; t < plan.periodsPerYear; t++) {
    for (let si = 0; si < STAGES.length; si++) {
      for (let g = 0; g < grades; g++) {
        exposure[si * grades + g] += plan.demand[(t * STAGES.length + si) * grades + g]! * plan.loanSize[si]! * plan.coverage[si]!;
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
    let corporate = 0;
    let retail = 0;
    for (const i of indices) {
      const si = Math.floor(i / grades);
      const p = plan.pd[i]!;
      const rho = plan.correlation[si]!;
      const worst = worstCaseDefaultRate(p, rho, confidence);
      pd += w(i) * p;
      wcdr += w(i) * worst;
      capital += w(i) * lgd * (worst - p);
      corporate += w(i) * riskWeight(baselCorporateCapital({ pd: p, lgd, maturityYears: s.stages[STAGES[si]!].tenorYears, turnoverEurMillion }));
      retail += w(i) * riskWeight(baselOtherRetailCapital({ pd: p, lgd }));
    }
    return {
      exposureShare: total > 0 ? weight / total : 0,
      pd,
      worstCaseDefaultRate: wcdr,
      capitalPerUnitGuaranteed: capital,
      maximumPrudentLeverage: capital > 0 ? 1 / capital : null,
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
