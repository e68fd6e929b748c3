/**
 * Which glossary entry explains a form field or an indicator: the help texts of the editor and
 * of the policy forms link there, as do the indicator sentences of the results.
 */
import type { Localizer } from '../../i18n/translate.ts';
import { glossaryEntry } from '../../training/glossary.ts';

/** Scenario editor fields (exact names, or patterns over stage and row names). */
const EDITOR: readonly (readonly [RegExp, string])[] = [
  [/^fund\.leverageCap$/, 'leverage'],
  [/^fund\.minCapitalRatio$/, 'capital-adequacy'],
  [/^fund\.claimLagMonths$/, 'claim-lag'],
  [/^fund\.claimLockInMonths$/, 'lock-in'],
  [/^fund\.recoveryRate$/, 'recovery-rate'],
  [/^fund\.recoveryLagMonths$/, 'recovery-rate'],
  [/^fund\.counterGuarantee\./, 'counter-guarantee'],
  [/^guarantee\.coverage/, 'coverage-ratio'],
  [/^guarantee\.(annualFee|upfrontFee)/, 'guarantee-fee'],
  [/^guarantee\.portfolioLossCap$/, 'portfolio-loss-cap'],
  [/^guarantee\.deadweightTakeUp$/, 'substitution'],
  [/^lender\.requiredCollateralRatio$/, 'collateral'],
  [/^lender\.collateralHaircut$/, 'collateral-haircut'],
  [/^lender\.(riskWeight|guaranteedRiskWeight)$/, 'risk-weight'],
  [/^moralHazard\./, 'moral-hazard'],
  [/^monteCarlo\.(paths|cyclePersistence|downturnLgdSensitivity)$/, 'monte-carlo'],
  [/^monteCarlo\.seed$/, 'seed'],
  [/^monteCarlo\.stress$/, 'stress-overlay'],
  [/^(stages\.[a-z]+\.)?lgdBeforeCollateral$/, 'lgd'],
  [/^(stages\.[a-z]+\.)?assetCorrelation$/, 'asset-correlation'],
  [/^(stages\.[a-z]+\.)?riskGrades/, 'pd'],
  [/^(stages\.[a-z]+\.)?collateral$/, 'collateral'],
];

export function termForEditorField(name: string): string | null {
  return EDITOR.find(([re]) => re.test(name))?.[1] ?? null;
}

const POLICY: readonly (readonly [RegExp, string])[] = [
  [/^budget$/, 'fiscal-cost'],
  [/^target\.annualPd$|\.defaultRate$/, 'pd'],
  [/lossGivenDefault$/, 'lgd'],
  [/assetCorrelation$/, 'asset-correlation'],
  [/unservedShare$|additionalShare$/, 'additionality'],
  [/^microfinance\.portfolioYield$/, 'portfolio-yield'],
  [/^microfinance\.operatingExpenseRatio$/, 'operating-expense-ratio'],
  [/^microfinance\.maxDebtToEquity$/, 'leverage'],
  [/^microfinance\.groupLendingDefaultReduction$/, 'group-lending'],
  [/^interestSubsidy\.subsidyRate$/, 'interest-subsidy'],
  [/^revolvingFund\.lendingRate$/, 'revolving-loan-fund'],
  [/^monteCarlo\.(paths|cyclePersistence)$|^paths$/, 'monte-carlo'],
  [/seed$/, 'common-random-numbers'],
  [/depletionTarget$/, 'depletion'],
  [/^target\.stage$/, 'lifecycle-stage'],
  [/^change$/, 'sensitivity'],
  [/^feeCeiling$|^feeFloor$/, 'guarantee-fee'],
  [/^coverage(From|To)$/, 'coverage-ratio'],
];

export function termForPolicyField(name: string): string | null {
  return POLICY.find(([re]) => re.test(name))?.[1] ?? null;
}

/** Languages that write a common noun in lower case inside a sentence (Chinese and Thai have no case). */
const LOWER_IN_SENTENCE = new Set(['en', 'es', 'id', 'vi', 'fr', 'pt', 'it']);

/**
 * The term's name, for link text ("Glossary: coverage ratio"): in English without a localizer,
 * else in the localizer's language. Abbreviations, names with a parenthesis and proper names
 * keep their capital.
 */
export function termLabel(id: string | null, l?: Localizer): string {
  if (!id) return '';
  const entry = glossaryEntry(id);
  if (!entry) return id;
  const term = l ? l.t(entry.term) : entry.term;
  const lower = !l || LOWER_IN_SENTENCE.has(l.lang.split('-')[0] ?? '');
  const keep = /^[A-Z]{2}/.test(entry.term) || entry.term.includes('(') || /^(Monte|Vasicek)\b/.test(entry.term) || /^\p{Lu}{2}/u.test(term);
  return lower && !keep ? term.charAt(0).toLowerCase() + term.slice(1) : term;
}
