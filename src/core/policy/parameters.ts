/**
 * Scenario parameters a sensitivity analysis may move, addressed by their dotted path in the
 * scenario (the same paths validation issues use, e.g. `guarantee.annualFee.0.rate`). Only
 * whitelisted numeric fields can be moved; each has a label for charts and the bounds the
 * scenario schema accepts, so a ±x % change can be clamped to a value the schema takes.
 * Every modified scenario is validated again with parseScenario.
 */
import { MAX_MONEY, parseScenario, type FieldIssue, type ParseResult, type Scenario } from '../schema.ts';
import { STAGE_LABELS, STAGES, type Stage } from '../stages.ts';
import { msg, type Translate } from '../../i18n/translate.ts';
import { englishText } from './english.ts';

export type ParameterUnit = 'share' | 'rate' | 'money' | 'years' | 'months' | 'count' | 'multiple';

export interface ParameterInfo {
  readonly path: string;
  readonly label: string;
  readonly unit: ParameterUnit;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only (the value is rounded). */
  readonly integer: boolean;
}

/** A value for one parameter. */
export interface Assignment {
  readonly path: string;
  readonly value: number;
}

type Spec = Omit<ParameterInfo, 'path' | 'integer'> & { integer?: boolean };

const STAGE = `(${STAGES.join('|')})`;
const stageName = (s: string) => STAGE_LABELS[s as Stage];

/** The whitelist: a pattern per family of paths, with its label and the schema's bounds. */
const RULES: readonly { readonly template: string; readonly pattern: RegExp; readonly spec: (m: RegExpMatchArray) => Spec }[] = [
  { template: 'guarantee.coverageRatio', pattern: /^guarantee\.coverageRatio$/, spec: () => ({ label: msg('Coverage ratio'), unit: 'share', min: 0, max: 1 }) },
  { template: 'guarantee.coverageByStage.<stage>', pattern: new RegExp(`^guarantee\\.coverageByStage\\.${STAGE}$`), spec: (m) => ({ label: `Coverage ratio, ${stageName(m[1]!)} stage`, unit: 'share', min: 0, max: 1 }) },
  { template: 'guarantee.annualFee.<i>.rate', pattern: /^guarantee\.annualFee\.(\d+)\.rate$/, spec: (m) => ({ label: m[1] === '0' ? msg('Annual guarantee fee') : `Annual guarantee fee, bracket ${Number(m[1]) + 1}`, unit: 'rate', min: 0, max: 0.2 }) },
  { template: 'guarantee.upfrontFee.<i>.rate', pattern: /^guarantee\.upfrontFee\.(\d+)\.rate$/, spec: (m) => ({ label: m[1] === '0' ? msg('Upfront guarantee fee') : `Upfront guarantee fee, bracket ${Number(m[1]) + 1}`, unit: 'rate', min: 0, max: 0.2 }) },
  { template: 'guarantee.deadweightTakeUp', pattern: /^guarantee\.deadweightTakeUp$/, spec: () => ({ label: msg('Take-up by loans made anyway (deadweight)'), unit: 'share', min: 0, max: 1 }) },
  { template: 'guarantee.portfolioLossCap', pattern: /^guarantee\.portfolioLossCap$/, spec: () => ({ label: msg('Portfolio loss cap'), unit: 'share', min: 0, max: 1 }) },
  { template: 'guarantee.maxGuaranteedPerLoan', pattern: /^guarantee\.maxGuaranteedPerLoan$/, spec: () => ({ label: msg('Maximum guaranteed amount per loan'), unit: 'money', min: 0, max: MAX_MONEY }) },
  { template: 'fund.initialCapital', pattern: /^fund\.initialCapital$/, spec: () => ({ label: msg('Initial capital'), unit: 'money', min: 0, max: MAX_MONEY }) },
  { template: 'fund.investmentYield', pattern: /^fund\.investmentYield$/, spec: () => ({ label: msg('Investment yield'), unit: 'rate', min: -0.05, max: 0.3 }) },
  { template: 'fund.leverageCap', pattern: /^fund\.leverageCap$/, spec: () => ({ label: msg('Leverage cap'), unit: 'multiple', min: 0.1, max: 100 }) },
  { template: 'fund.minCapitalRatio', pattern: /^fund\.minCapitalRatio$/, spec: () => ({ label: msg('Minimum capital ratio'), unit: 'share', min: 0, max: 1 }) },
  { template: 'fund.recoveryRate', pattern: /^fund\.recoveryRate$/, spec: () => ({ label: msg('Recovery rate'), unit: 'share', min: 0, max: 1 }) },
  { template: 'fund.claimLagMonths', pattern: /^fund\.claimLagMonths$/, spec: () => ({ label: msg('Claim lag'), unit: 'months', min: 0, max: 60 }) },
  { template: 'fund.recoveryLagMonths', pattern: /^fund\.recoveryLagMonths$/, spec: () => ({ label: msg('Recovery lag'), unit: 'months', min: 0, max: 120 }) },
  { template: 'fund.operatingCosts.fixedPerYear', pattern: /^fund\.operatingCosts\.fixedPerYear$/, spec: () => ({ label: msg('Fixed operating cost per year'), unit: 'money', min: 0, max: MAX_MONEY }) },
  { template: 'fund.operatingCosts.shareOfOutstanding', pattern: /^fund\.operatingCosts\.shareOfOutstanding$/, spec: () => ({ label: msg('Operating cost on outstanding guarantees'), unit: 'rate', min: 0, max: 0.2 }) },
  { template: 'fund.operatingCosts.perNewGuarantee', pattern: /^fund\.operatingCosts\.perNewGuarantee$/, spec: () => ({ label: msg('Cost per new guarantee'), unit: 'money', min: 0, max: MAX_MONEY }) },
  { template: 'fund.counterGuarantee.share', pattern: /^fund\.counterGuarantee\.share$/, spec: () => ({ label: msg('Counter-guaranteed share'), unit: 'share', min: 0, max: 1 }) },
  { template: 'fund.counterGuarantee.premiumRate', pattern: /^fund\.counterGuarantee\.premiumRate$/, spec: () => ({ label: msg('Counter-guarantee premium'), unit: 'rate', min: 0, max: 0.2 }) },
  { template: 'lender.fundingCost', pattern: /^lender\.fundingCost$/, spec: () => ({ label: msg('Lender’s cost of funds'), unit: 'rate', min: 0, max: 0.5 }) },
  { template: 'lender.operatingCost', pattern: /^lender\.operatingCost$/, spec: () => ({ label: msg('Lender’s operating cost'), unit: 'rate', min: 0, max: 0.5 }) },
  { template: 'lender.hurdleReturn', pattern: /^lender\.hurdleReturn$/, spec: () => ({ label: msg('Lender’s hurdle margin'), unit: 'rate', min: 0, max: 0.5 }) },
  { template: 'lender.requiredCollateralRatio', pattern: /^lender\.requiredCollateralRatio$/, spec: () => ({ label: msg('Collateral required by the lender'), unit: 'multiple', min: 0, max: 5 }) },
  { template: 'lender.collateralHaircut', pattern: /^lender\.collateralHaircut$/, spec: () => ({ label: msg('Collateral haircut'), unit: 'share', min: 0, max: 1 }) },
  { template: 'lender.maxLendingRate', pattern: /^lender\.maxLendingRate$/, spec: () => ({ label: msg('Lending rate cap'), unit: 'rate', min: 0, max: 2 }) },
  { template: 'lender.costOfEquity', pattern: /^lender\.costOfEquity$/, spec: () => ({ label: msg('Lender’s cost of equity'), unit: 'rate', min: 0, max: 1 }) },
  { template: 'lender.capitalRatio', pattern: /^lender\.capitalRatio$/, spec: () => ({ label: msg('Lender’s capital ratio'), unit: 'share', min: 0, max: 1 }) },
  { template: 'moralHazard.pdUpliftAtFullCoverage', pattern: /^moralHazard\.pdUpliftAtFullCoverage$/, spec: () => ({ label: msg('PD uplift at full coverage (moral hazard)'), unit: 'multiple', min: 0, max: 5 }) },
  { template: 'monteCarlo.cyclePersistence', pattern: /^monteCarlo\.cyclePersistence$/, spec: () => ({ label: msg('Business-cycle persistence'), unit: 'multiple', min: -0.99, max: 0.99 }) },
  { template: 'monteCarlo.downturnLgdSensitivity', pattern: /^monteCarlo\.downturnLgdSensitivity$/, spec: () => ({ label: msg('Downturn sensitivity of recoveries'), unit: 'multiple', min: 0, max: 1 }) },
  { template: 'stages.<stage>.applicantsPerYear', pattern: new RegExp(`^stages\\.${STAGE}\\.applicantsPerYear$`), spec: (m) => ({ label: `Applicants per year, ${stageName(m[1]!)}`, unit: 'count', min: 0, max: 1e8, integer: true }) },
  { template: 'stages.<stage>.applicantGrowthRate', pattern: new RegExp(`^stages\\.${STAGE}\\.applicantGrowthRate$`), spec: (m) => ({ label: `Applicant growth, ${stageName(m[1]!)}`, unit: 'rate', min: -0.5, max: 1 }) },
  { template: 'stages.<stage>.loanSize', pattern: new RegExp(`^stages\\.${STAGE}\\.loanSize$`), spec: (m) => ({ label: `Loan size, ${stageName(m[1]!)}`, unit: 'money', min: 0, max: MAX_MONEY }) },
  { template: 'stages.<stage>.tenorYears', pattern: new RegExp(`^stages\\.${STAGE}\\.tenorYears$`), spec: (m) => ({ label: `Tenor, ${stageName(m[1]!)}`, unit: 'years', min: 0.25, max: 30 }) },
  { template: 'stages.<stage>.lgdBeforeCollateral', pattern: new RegExp(`^stages\\.${STAGE}\\.lgdBeforeCollateral$`), spec: (m) => ({ label: `LGD before collateral, ${stageName(m[1]!)}`, unit: 'share', min: 0, max: 1 }) },
  { template: 'stages.<stage>.assetCorrelation', pattern: new RegExp(`^stages\\.${STAGE}\\.assetCorrelation$`), spec: (m) => ({ label: `Asset correlation, ${stageName(m[1]!)}`, unit: 'multiple', min: 0, max: 0.99 }) },
  { template: 'stages.<stage>.riskGrades.<i>.pd', pattern: new RegExp(`^stages\\.${STAGE}\\.riskGrades\\.(\\d+)\\.pd$`), spec: (m) => ({ label: `PD of grade ${Number(m[2]) + 1}, ${stageName(m[1]!)}`, unit: 'share', min: 0, max: 1 }) },
  { template: 'stages.<stage>.riskGrades.meanPd', pattern: new RegExp(`^stages\\.${STAGE}\\.riskGrades\\.meanPd$`), spec: (m) => ({ label: `Mean PD, ${stageName(m[1]!)}`, unit: 'share', min: 0, max: 1 }) },
  { template: 'stages.<stage>.riskGrades.dispersion', pattern: new RegExp(`^stages\\.${STAGE}\\.riskGrades\\.dispersion$`), spec: (m) => ({ label: `PD dispersion, ${stageName(m[1]!)}`, unit: 'multiple', min: 0, max: 3 }) },
  { template: 'stages.<stage>.collateral.<i>.ratio', pattern: new RegExp(`^stages\\.${STAGE}\\.collateral\\.(\\d+)\\.ratio$`), spec: (m) => ({ label: `Collateral of level ${Number(m[2]) + 1}, ${stageName(m[1]!)}`, unit: 'multiple', min: 0, max: 5 }) },
];

/** A parameter's label in the language of `t` (ParameterInfo.label is the English one); the path when it is not a parameter. */
export function parameterLabel(path: string, t: Translate = englishText): string {
  const rule = RULES.find((r) => r.pattern.test(path));
  const m = rule ? path.match(rule.pattern) : null;
  if (!rule || !m) return path;
  const stage = m[1] ?? '';
  const n = Number(m[2] ?? m[1]) + 1;
  switch (rule.template) {
    case 'guarantee.coverageByStage.<stage>': return t('Coverage ratio, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}} stage', { stage });
    case 'guarantee.annualFee.<i>.rate': return m[1] === '0' ? t(rule.spec(m).label) : t('Annual guarantee fee, bracket {n}', { n });
    case 'guarantee.upfrontFee.<i>.rate': return m[1] === '0' ? t(rule.spec(m).label) : t('Upfront guarantee fee, bracket {n}', { n });
    case 'stages.<stage>.applicantsPerYear': return t('Applicants per year, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.applicantGrowthRate': return t('Applicant growth, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.loanSize': return t('Loan size, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.tenorYears': return t('Tenor, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.lgdBeforeCollateral': return t('LGD before collateral, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.assetCorrelation': return t('Asset correlation, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.riskGrades.<i>.pd': return t('PD of grade {n}, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage, n: Number(m[2]) + 1 });
    case 'stages.<stage>.riskGrades.meanPd': return t('Mean PD, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.riskGrades.dispersion': return t('PD dispersion, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage });
    case 'stages.<stage>.collateral.<i>.ratio': return t('Collateral of level {n}, {stage, select, founding {Founding} growth {Growth} maturity {Maturity} other {Transformation}}', { stage, n: Number(m[2]) + 1 });
    default: return t(rule.spec(m).label);
  }
}

/** The families of paths that may be moved, for a form's help text. */
export const PARAMETER_TEMPLATES: readonly string[] = RULES.map((r) => r.template);

/** The value at a dotted path, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Label and bounds of a whitelisted path that holds a number in this scenario, or the reason it cannot be moved. */
export function parameterInfo(s: Scenario, path: string): ParameterInfo | { readonly error: string } {
  const rule = RULES.map((r) => ({ r, m: path.match(r.pattern) })).find((x) => x.m !== null);
  if (!rule) return { error: `is not a parameter that can be varied; use one of ${PARAMETER_TEMPLATES.join(', ')}` };
  const current = valueAt(s, path);
  if (typeof current !== 'number') {
    return { error: current === null ? 'is not set in this scenario (null): give it a value first' : 'does not exist in this scenario' };
  }
  const spec = rule.r.spec(rule.m!);
  return { path, integer: false, ...spec };
}

/** Every movable parameter present in a scenario, in whitelist order. */
export function listParameters(s: Scenario): ParameterInfo[] {
  const out: ParameterInfo[] = [];
  const visit = (node: unknown, prefix: string) => {
    if (typeof node === 'number') {
      const info = parameterInfo(s, prefix);
      if (!('error' in info)) out.push(info);
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) visit(v, prefix ? `${prefix}.${k}` : k);
    }
  };
  visit(s, '');
  const order = (p: ParameterInfo) => RULES.findIndex((r) => r.pattern.test(p.path));
  return out.sort((a, b) => order(a) - order(b));
}

/** A value moved into the parameter's bounds (and rounded where only whole numbers are taken). */
export function clampToParameter(info: ParameterInfo, value: number): number {
  const v = Math.min(info.max, Math.max(info.min, value));
  return info.integer ? Math.round(v) : v;
}

function setAt(root: Record<string, unknown>, path: string, value: number): void {
  const keys = path.split('.');
  let node = root;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/** Stages whose own coverage overrides the overall coverage ratio in this scenario. */
export function stagesWithOwnCoverage(s: Scenario): Stage[] {
  return STAGES.filter((st) => s.guarantee.coverageByStage[st] !== undefined);
}

/**
 * A field of the scenario that other fields override, in whole or in part: changing it alone
 * changes less than it seems (or nothing).
 */
export interface Override {
  readonly path: string;
  /** The fields in force instead. */
  readonly by: readonly string[];
  /** True when the field is in force nowhere. */
  readonly full: boolean;
}

/** An annual fee bracket's rate: overridden by risk-based fees by PD band where a scenario has them. */
const ANNUAL_FEE_RATE = /^guarantee\.annualFee\.(\d+)\.rate$/;

export function overridesOf(s: Scenario): Override[] {
  const own = stagesWithOwnCoverage(s);
  const out: Override[] = own.length ? [{ path: 'guarantee.coverageRatio', by: own.map((st) => `guarantee.coverageByStage.${st}`), full: own.length === STAGES.length }] : [];
  if (s.guarantee.annualFeeByPd) {
    s.guarantee.annualFee.forEach((_, i) => out.push({ path: `guarantee.annualFee.${i}.rate`, by: ['guarantee.annualFeeByPd'], full: true }));
  }
  return out;
}

/**
 * How an analysis moves a parameter that other fields override, in words; null when nothing
 * overrides it. Moving the coverage ratio of a scenario whose stages carry their own coverage
 * moves each stage's coverage in the same proportion (capped at 100 %), so the analysis varies
 * the coverage actually in force; stages without their own coverage take the value itself.
 */
export function overrideNote(s: Scenario, path: string, t: Translate = englishText): string | null {
  const fee = ANNUAL_FEE_RATE.exec(path);
  if (fee && s.guarantee.annualFeeByPd) {
    const bands = s.guarantee.annualFeeByPd.map((b) => `${Number((b.rate * 100).toPrecision(6))} %`).join(', ');
    return t('the annual fee is priced by PD band ({bands}), which overrides the fee schedule; the analysis moves every band’s rate in proportion to this rate, so it varies the fee in force', { bands });
  }
  if (path !== 'guarantee.coverageRatio') return null;
  const own = stagesWithOwnCoverage(s);
  if (!own.length) return null;
  const pct = (x: number) => `${Number((x * 100).toPrecision(6))} %`;
  const stageWord = (st: Stage) => t('{stage, select, founding {founding} growth {growth} maturity {maturity} other {transformation}}', { stage: st });
  const list = own.map((st) => t('{stage} {coverage}', { stage: stageWord(st), coverage: pct(s.guarantee.coverageByStage[st]!) })).join(', ');
  if (own.length === STAGES.length) {
    return t('every stage has its own coverage ({list}), which overrides the coverage ratio of {ratio}; the analysis moves each stage’s coverage in proportion to the coverage ratio (capped at 100 %), so it varies the coverage in force', { list, ratio: pct(s.guarantee.coverageRatio) });
  }
  const names = own.map(stageWord);
  const stages = names.length === 1 ? names[0]! : t('{list} and {last}', { list: names.slice(0, -1).join(', '), last: names[names.length - 1]! });
  return t('the {stages} {count, plural, one {stage has its} other {stages have their}} own coverage ({list}); the analysis moves {count, plural, one {it} other {them}} in proportion to the coverage ratio (capped at 100 %), and the other stages take the coverage ratio itself', { stages, count: own.length, list });
}

/**
 * The scenario with the assignments applied, validated again. Paths are checked against the
 * whitelist; values are not clamped here (the schema says what is wrong with them).
 *
 * The coverage ratio is moved where it is in force: when stages carry their own coverage
 * (which overrides it), each of those is scaled by the same factor as the coverage ratio
 * (capped at 1; set to the value when the base ratio is 0). An assignment to a stage's own
 * coverage in the same list wins over that scaling.
 */
export function applyAssignments(base: Scenario, assignments: readonly Assignment[]): ParseResult<Scenario> {
  const issues: FieldIssue[] = [];
  const copy = structuredClone(base) as unknown as Record<string, unknown>;
  const ordered = [...assignments].sort((a, b) => Number(b.path === 'guarantee.coverageRatio') - Number(a.path === 'guarantee.coverageRatio'));
  for (const a of ordered) {
    const info = parameterInfo(base, a.path);
    if ('error' in info) issues.push({ path: a.path, message: info.error });
    else if (!Number.isFinite(a.value)) issues.push({ path: a.path, message: 'must be a finite number' });
    else {
      setAt(copy, a.path, info.integer ? Math.round(a.value) : a.value);
      const fee = ANNUAL_FEE_RATE.exec(a.path);
      const bands = base.guarantee.annualFeeByPd;
      if (fee && bands) {
        // Risk-based fees override the schedule: scale every band as this rate is scaled.
        const was = base.guarantee.annualFee[Number(fee[1])]?.rate ?? 0;
        bands.forEach((b, i) => setAt(copy, `guarantee.annualFeeByPd.${i}.rate`, Math.min(0.2, Math.max(0, was > 0 ? b.rate * (a.value / was) : a.value))));
      }
      if (a.path === 'guarantee.coverageRatio') {
        const was = base.guarantee.coverageRatio;
        for (const st of stagesWithOwnCoverage(base)) {
          const own = base.guarantee.coverageByStage[st]!;
          setAt(copy, `guarantee.coverageByStage.${st}`, Math.min(1, Math.max(0, was > 0 ? own * (a.value / was) : a.value)));
        }
      }
    }
  }
  if (issues.length) return { ok: false, issues };
  return parseScenario(copy);
}
