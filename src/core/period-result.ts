/** One period of a projection: the ledger's flows and stocks, the lending, the capital's state. */
import type { Money } from './money.ts';
import type { ByStage } from './stages.ts';

export interface Ledger {
  readonly opening: Money;
  readonly capitalInjection: Money;
  readonly capitalCalls: Money;
  readonly stateCompensation: Money;
  readonly upfrontFees: Money;
  readonly annualFees: Money;
  readonly investmentIncome: Money;
  readonly recoveries: Money;
  readonly reinsuranceRecoveries: Money;
  readonly claimsPaid: Money;
  readonly operatingCosts: Money;
  readonly reinsurancePremiums: Money;
  readonly recoveriesPassedToReinsurer: Money;
  readonly closing: Money;
  /** Memo: of the fees, what the government paid in the borrowers' place (included in the fee lines). */
  readonly feeSubsidies: Money;
}

export interface StagePeriod {
  readonly newLoans: number;
  readonly newPrincipal: Money;
  readonly additionalLoans: number;
  readonly additionalPrincipal: Money;
  readonly defaults: number;
}

export type CapitalStatus = 'normal' | 'aboveCap' | 'exhausted';

export interface PeriodResult {
  /** 1-based period number. */
  readonly period: number;
  /** 1-based year the period falls in. */
  readonly year: number;
  readonly label: string;
  readonly ledger: Ledger;
  readonly outstandingGuaranteed: Money;
  readonly outstandingPrincipal: Money;
  readonly averageOutstandingGuaranteed: Money;
  readonly demandGuaranteed: Money;
  readonly newGuaranteed: Money;
  readonly rationedGuaranteed: Money;
  readonly claimsIncurred: Money;
  readonly claimsCapped: Money;
  readonly newLoans: number;
  readonly defaults: number;
  /** Upfront fees by stage (in STAGES order) and the annual fee's claims-ratio multiplier, for costing by cohort. */
  readonly upfrontFeesByStage: readonly number[];
  readonly feeAdjustment: number;
  /** Outstanding guarantees / capital at the period's end; null when capital is not positive. */
  readonly leverage: number | null;
  /**
   * 'exhausted': capital is gone or under the minimum capital ratio, so the fund cannot issue
   * and leverage is no longer a meaningful multiple; 'aboveCap': leverage is above the cap
   * because losses ate capital after the guarantees were issued; 'normal' otherwise.
   */
  readonly capitalStatus: CapitalStatus;
  /** Capital / outstanding guarantees at the period's end; null when nothing is outstanding. */
  readonly capitalAdequacyRatio: number | null;
  /** Claims paid per year / average outstanding guarantees. */
  readonly claimsRatio: number | null;
  /** Net claims (claims − recoveries − counter-guarantor's share) / fee income. */
  readonly lossRatio: number | null;
  /** (Fees + investment income) / (net claims + operating costs + reinsurance premiums). */
  readonly selfSufficiency: number | null;
  readonly byStage: ByStage<StagePeriod>;
}
