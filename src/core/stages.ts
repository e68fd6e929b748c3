/**
 * The four SME lifecycle stages of the APEC 2008 report ("financial needs differ by stage
 * of the firm: founding, growth, maturity, transformation"). Order matters: arrays indexed by
 * stage follow this order everywhere in the core.
 */
export const STAGES = ['founding', 'growth', 'maturity', 'transformation'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_COUNT = STAGES.length;

export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  founding: 'Founding',
  growth: 'Growth',
  maturity: 'Maturity',
  transformation: 'Transformation',
};

/** A value for each stage, in STAGES order. */
export type ByStage<T> = Readonly<Record<Stage, T>>;

export function mapStages<T>(f: (stage: Stage, index: number) => T): Record<Stage, T> {
  return {
    founding: f('founding', 0),
    growth: f('growth', 1),
    maturity: f('maturity', 2),
    transformation: f('transformation', 3),
  };
}
