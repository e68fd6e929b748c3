/** Risk grades of a stage: listed in the scenario, or cut from a lognormal PD distribution. */
import { inverseNormalCdf } from './math/normal.ts';
import type { StageParams } from './schema.ts';

export interface RiskGrade {
  readonly share: number;
  readonly pd: number;
}

/**
 * Lognormal PD with mean `meanPd` and log-standard deviation `dispersion`, cut into `grades`
 * equally likely grades at their mid-quantiles, then rescaled so that the grades' mean PD is
 * exactly `meanPd` (the discretisation would otherwise shave off part of the right tail).
 * PDs are capped at 1; the cap can leave the mean slightly below `meanPd` for extreme inputs.
 */
export function discretiseLognormalPd(meanPd: number, dispersion: number, grades: number): RiskGrade[] {
  const mu = Math.log(Math.max(meanPd, 1e-300)) - (dispersion * dispersion) / 2;
  const raw = Array.from({ length: grades }, (_, i) => Math.exp(mu + dispersion * inverseNormalCdf((i + 0.5) / grades)));
  const rawMean = raw.reduce((a, b) => a + b, 0) / grades;
  const scale = rawMean > 0 ? meanPd / rawMean : 0;
  return raw.map((pd) => ({ share: 1 / grades, pd: Math.min(1, pd * scale) }));
}

export function riskGradesOf(stage: StageParams): RiskGrade[] {
  const g = stage.riskGrades;
  return Array.isArray(g) ? g.map(({ share, pd }) => ({ share, pd })) : discretiseLognormalPd(g.meanPd, g.dispersion, g.grades);
}
