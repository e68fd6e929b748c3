/**
 * The target segment of a budget comparison: the firms every option serves. Either a lifecycle
 * stage of the base scenario, or given explicitly (firms per year, loan size, tenor, PD, LGD),
 * in which case it also replaces that stage in the base scenario for the guarantee fund.
 */
import { msg } from '../../i18n/translate.ts';
import { z } from 'zod';
import { riskGradesOf } from '../grades.ts';
import { segmentDecisions } from '../lender.ts';
import type { Scenario } from '../schema.ts';
import { STAGES, type Stage } from '../stages.ts';
import { count, positiveMoney, rate, share, tenor } from './fields.ts';

const stageField = (description: string) => z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).describe(description);

const unservedShare = share(msg('Share of the target firms banks do not lend to without support: lending to them is additional; null = from the base scenario’s lender model (1 without one)'))
  .nullable().default(null);

export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stage'),
    stage: stageField(msg('Lifecycle stage of the base scenario whose firms are the target')),
    unservedShare,
  }),
  z.object({
    kind: z.literal('explicit'),
    stage: stageField(msg('Stage of the base scenario this segment replaces for the guarantee fund')).default('founding'),
    firmsPerYear: count(msg('Target firms applying for a loan in year 1'), 1e8),
    applicantGrowthRate: rate(msg('Yearly growth of the number of target firms'), -0.5, 1).default(0),
    loanSize: positiveMoney(msg('Principal of the loan a target firm needs')),
    tenorYears: tenor(msg('Tenor of that loan in years')),
    annualPd: share(msg('Annual probability that a target firm defaults')),
    lossGivenDefault: share(msg('Share of a defaulted balance lost before collateral')),
    assetCorrelation: rate(msg('Asset correlation with the business cycle (Vasicek ρ), for the Monte Carlo'), 0, 0.99).default(0.12),
    unservedShare,
  }),
], { error: (issue) => (issue.input === undefined ? 'is required' : 'must have kind "stage" (a stage of the base scenario) or "explicit"') });

export type TargetInput = z.output<typeof TargetSchema>;

/** The target segment resolved to numbers. */
export interface TargetSegment {
  readonly stage: Stage;
  readonly source: 'scenario' | 'explicit';
  readonly firmsPerYear: number;
  readonly applicantGrowthRate: number;
  readonly loanSize: number;
  readonly tenorYears: number;
  /** Mean annual PD over the stage's risk grades. */
  readonly annualPd: number;
  readonly lossGivenDefault: number;
  readonly assetCorrelation: number;
  /** Share of the target firms that banks do not lend to without support. */
  readonly unservedShare: number;
  /** Where unservedShare came from. */
  readonly unservedShareBasis: 'input' | 'lender model' | 'assumed: no scenario';
}

/** The base scenario with an explicit segment put in the place of its stage (one risk grade; collateral kept). */
export function withExplicitSegment(s: Scenario, t: Extract<TargetInput, { kind: 'explicit' }>): Scenario {
  const stage = s.stages[t.stage];
  return {
    ...s,
    stages: {
      ...s.stages,
      [t.stage]: {
        ...stage,
        applicantsPerYear: t.firmsPerYear,
        applicantGrowthRate: t.applicantGrowthRate,
        loanSize: t.loanSize,
        tenorYears: t.tenorYears,
        riskGrades: [{ share: 1, pd: t.annualPd }],
        lgdBeforeCollateral: t.lossGivenDefault,
        assetCorrelation: t.assetCorrelation,
      },
    },
  };
}

/** Share of a stage's applicants the lender turns down without a guarantee (docs/model.md §3). */
export function unservedShareOf(s: Scenario, stage: Stage): number {
  return segmentDecisions(s).filter((d) => d.stage === stage && !d.without.lends).reduce((a, d) => a + d.share, 0);
}

/** Resolves the target: from the base scenario's stage, or the explicit segment (with the scenario, when there is one, for the lender model). */
export function resolveTarget(target: TargetInput, scenario: Scenario | undefined): TargetSegment {
  if (target.kind === 'stage') {
    if (!scenario) throw new Error('a stage target needs a base scenario');
    const p = scenario.stages[target.stage];
    const pd = riskGradesOf(p).reduce((a, g) => a + g.share * g.pd, 0);
    return {
      stage: target.stage,
      source: 'scenario',
      firmsPerYear: p.applicantsPerYear,
      applicantGrowthRate: p.applicantGrowthRate,
      loanSize: p.loanSize,
      tenorYears: p.tenorYears,
      annualPd: pd,
      lossGivenDefault: p.lgdBeforeCollateral,
      assetCorrelation: p.assetCorrelation,
      unservedShare: target.unservedShare ?? unservedShareOf(scenario, target.stage),
      unservedShareBasis: target.unservedShare !== null ? 'input' : 'lender model',
    };
  }
  const fromModel = scenario && target.unservedShare === null ? unservedShareOf(withExplicitSegment(scenario, target), target.stage) : null;
  return {
    stage: target.stage,
    source: 'explicit',
    firmsPerYear: target.firmsPerYear,
    applicantGrowthRate: target.applicantGrowthRate,
    loanSize: target.loanSize,
    tenorYears: target.tenorYears,
    annualPd: target.annualPd,
    lossGivenDefault: target.lossGivenDefault,
    assetCorrelation: target.assetCorrelation,
    unservedShare: target.unservedShare ?? fromModel ?? 1,
    unservedShareBasis: target.unservedShare !== null ? 'input' : fromModel !== null ? 'lender model' : 'assumed: no scenario',
  };
}
