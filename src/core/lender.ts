/**
 * The lender's decision for each applicant segment (stage × risk grade × collateral level),
 * with and without the guarantee. All figures are per unit of loan principal per year.
 *
 * Rule (docs/model.md §3): the lender prices at
 *   rate = funding cost + operating cost + PD × LGD_lender + capital charge + hurdle (+ fee if it bears it)
 * and lends when that rate is within the rate cap and the collateral it requires is pledged.
 * Without collateral or history, a segment fails one of the two: it is rationed (Stiglitz and
 * Weiss 1981), and the guarantee can unlock it.
 *
 * Firms within a segment differ, so take-up is a share, not a switch (docs/model.md §3):
 *   - the lender's assessment of a firm's PD is lognormal around the grade's PD (mean PD,
 *     log-standard deviation σ_r): the rate test passes for the firms whose PD is at most
 *     θ = (rate cap − the other terms) / LGD_lender, a share Φ((ln(θ/PD) + σ_r²/2)/σ_r);
 *   - what a firm can pledge is lognormal around its collateral level (σ_c): the collateral
 *     test passes for a share 1 − Φ((ln(k_req/(h·C)) + σ_c²/2)/σ_c);
 *   - the firm borrows when its project's expected return (normal, mean μ, deviation σ_p)
 *     reaches the loan's all-in rate: a share 1 − Φ((r_all-in − μ)/σ_p).
 * The three are taken as independent; their product is the segment's take-up. The firms the
 * lender accepts are its safer ones: their mean PD is PD × Φ((ln(θ/PD) − σ_r²/2)/σ_r) divided by
 * the rate test's share (the lognormal's partial mean). With every σ at 0 the model is the
 * switch of a single representative firm.
 */
import { effectiveFeeRate } from './fees.ts';
import { riskGradesOf } from './grades.ts';
import { normalCdf } from './math/normal.ts';
import type { Scenario, StageParams } from './schema.ts';
import { STAGES, type Stage } from './stages.ts';

export interface LenderTerms {
  /** Collateral still missing after what the segment's typical firm pledges, per unit of loan (≥ 0). */
  readonly collateralGap: number;
  readonly pd: number;
  /** Lender's expected loss per year, per unit of loan. */
  readonly expectedLoss: number;
  readonly capitalCharge: number;
  /** Guarantee fee the lender pays and passes into the rate, per year per unit of loan. */
  readonly feeInRate: number;
  /** The rate the lender needs to reach its hurdle. */
  readonly requiredRate: number;
  /** Interest plus any fee the borrower pays directly: the borrower's all-in annual cost. */
  readonly borrowerAllInRate: number;
  /** Lender's expected return on the capital it allocates, at the required rate. */
  readonly lenderReturnOnCapital: number;
  /** Whether the lender lends to the segment's typical firm (its grade's PD, its level's collateral). */
  readonly lends: boolean;
  /** Shares of the segment's applicants who pass the collateral test and the rate test, and who borrow at the all-in rate. */
  readonly collateralPass: number;
  readonly ratePass: number;
  readonly demand: number;
  /** Share of the segment's applicants who get a loan: demand × collateral test × rate test. */
  readonly takeUp: number;
  /** Mean PD of the firms the lender accepts. */
  readonly poolPd: number;
}

export interface SegmentDecision {
  readonly stage: Stage;
  readonly grade: number;
  readonly collateralLevel: number;
  /** Share of the stage's applicants in this segment. */
  readonly share: number;
  readonly without: LenderTerms;
  readonly withGuarantee: LenderTerms;
  /** Coverage after the per-loan cap on the guaranteed amount. */
  readonly effectiveCoverage: number;
  /** Share of the lender's expected loss it sheds under the whole contract (loss cap, fee it pays): what drives moral hazard. */
  readonly lossShed: number;
  /** Fraction of the segment's applicants who get a guaranteed loan. */
  readonly guaranteedShare: number;
  /** Fraction who get a loan only because of the guarantee. */
  readonly additionalShare: number;
  /** Fraction who get a guaranteed loan they would have got anyway (deadweight). */
  readonly substitutedShare: number;
}

/** Coverage for a stage after the per-stage override and the per-loan cap on the guaranteed amount. */
export function effectiveCoverage(s: Scenario, stage: Stage, loanSize: number): number {
  const c = s.guarantee.coverageByStage[stage] ?? s.guarantee.coverageRatio;
  const cap = s.guarantee.maxGuaranteedPerLoan;
  if (cap === null || loanSize <= 0) return c;
  return Math.min(c, cap / loanSize);
}

/** Guarantee fee per year per unit of loan at a PD: annual rate plus the upfront fee spread over the tenor, on the covered part. */
export function feeEquivalent(s: Scenario, stage: StageParams, coverage: number, pd = 0): number {
  const annual = annualFeeRateOf(s, stage.loanSize, coverage, pd);
  const upfront = upfrontFeeRateOf(s, stage.loanSize, coverage);
  return coverage * (annual + upfront / stage.tenorYears);
}

/** The upfront fee as a rate on the guaranteed amount, under the schedule's method, basis and per-loan bounds. */
export function upfrontFeeRateOf(s: Scenario, loanSize: number, coverage: number): number {
  return effectiveFeeRate(s.guarantee.upfrontFee, s.guarantee.upfrontFeeRule, loanSize, coverage);
}

/** The annual fee as a rate on the outstanding guaranteed amount: the PD band's rate where fees are risk-based. */
export function annualFeeRateOf(s: Scenario, loanSize: number, coverage: number, pd: number): number {
  const bands = s.guarantee.annualFeeByPd;
  if (bands) return (bands.find((b) => b.upToPd === null || pd <= b.upToPd) ?? bands[bands.length - 1]!).rate;
  return effectiveFeeRate(s.guarantee.annualFee, s.guarantee.annualFeeRule, loanSize, coverage);
}

/** PD of a guaranteed loan: moral hazard raises it with the share of loss the lender sheds, PD × (1 + m × e), capped at 1. */
export function guaranteedPd(s: Scenario, pd: number, lossShed: number): number {
  return Math.min(1, pd * (1 + s.moralHazard.pdUpliftAtFullCoverage * lossShed));
}

/** Share of a lognormal with mean `mean` and log-deviation σ at or below `bound` (σ = 0: a point at the mean). */
function lognormalBelow(bound: number, mean: number, sigma: number): number {
  if (mean <= 0) return 1;
  if (bound <= 0) return 0;
  if (sigma === 0) return mean <= bound * (1 + 1e-12) ? 1 : 0;
  return normalCdf((Math.log(bound / mean) + (sigma * sigma) / 2) / sigma);
}

/** Mean of a lognormal (mean `mean`, log-deviation σ) over its part at or below `bound`, divided by the whole mean. */
function lognormalPartialMeanShare(bound: number, mean: number, sigma: number): number {
  if (mean <= 0 || bound <= 0) return 0;
  if (sigma === 0) return mean <= bound * (1 + 1e-12) ? 1 : 0;
  return normalCdf((Math.log(bound / mean) - (sigma * sigma) / 2) / sigma);
}

/** Share of firms whose pledge (lognormal, mean `pledged`, log-deviation σ) reaches `required`. */
function pledgeReaches(required: number, pledged: number, sigma: number): number {
  if (required <= 1e-12) return 1;
  if (pledged <= 0) return 0;
  if (sigma === 0) return pledged >= required - 1e-12 ? 1 : 0;
  return 1 - normalCdf((Math.log(required / pledged) + (sigma * sigma) / 2) / sigma);
}

/** Share of applicants whose expected project return reaches `rate` (normal; σ = 0: all below the mean rate). */
export function borrowerDemand(stage: StageParams, rate: number): number {
  const { mean, dispersion } = stage.projectReturn;
  if (dispersion === 0) return rate <= mean + 1e-12 ? 1 : 0;
  return 1 - normalCdf((rate - mean) / dispersion);
}

/**
 * The lender's terms for one segment at coverage `coverage`. `lossShed` is the share of its
 * expected loss the guarantee takes off it (coverage after any loss cap); it sets the lender's
 * loss. The collateral it asks for follows the product's collateral policy.
 */
export function lenderTerms(
  s: Scenario,
  stage: StageParams,
  pd: number,
  collateralRatio: number,
  coverage: number,
  lossShed = coverage,
  feeDiscount = 0,
): LenderTerms {
  const L = s.lender;
  const G = s.guarantee;
  const pledged = (1 - L.collateralHaircut) * collateralRatio;
  // The guarantee stands in for collateral on the covered part, or for all of it in a collateral-free product.
  const required = coverage > 0
    ? (G.collateralPolicy === 'none' ? 0 : L.requiredCollateralRatio * (1 - coverage) * G.collateralShareOfUncovered)
    : L.requiredCollateralRatio;
  const collateralGap = Math.max(0, required - pledged);
  // Collateral recovers up to its haircut value; the lender bears its share of the rest under
  // the sharing rule, and what a loss cap or the fee it pays leaves on it.
  const lossBeforeGuarantee = Math.max(0, stage.lgdBeforeCollateral - pledged);
  const lgdLender = lenderLossShare(s, 1 - lossBeforeGuarantee, coverage) + (coverage - lossShed) * lossBeforeGuarantee;
  const expectedLoss = pd * lgdLender;
  const riskWeight = L.riskWeight * (1 - coverage) + L.guaranteedRiskWeight * coverage;
  const capitalPerUnit = riskWeight * L.capitalRatio;
  const capitalCharge = capitalPerUnit * L.costOfEquity;
  // A fee subsidy lowers the price whoever pays the fee (the fund still receives it in full).
  const fee = coverage > 0 ? feeEquivalent(s, stage, coverage, pd) * (1 - feeDiscount) : 0;
  const feeInRate = G.feePayer === 'lender' ? fee : 0;
  const fixed = L.fundingCost + L.operatingCost + capitalCharge + L.hurdleReturn + feeInRate;
  const requiredRate = fixed + expectedLoss;
  const borrowerAllInRate = requiredRate + (G.feePayer === 'borrower' ? fee : 0);
  const margin = requiredRate - L.fundingCost - L.operatingCost - expectedLoss - feeInRate;
  const lenderReturnOnCapital = capitalPerUnit > 0 ? margin / capitalPerUnit : 0;
  const lends = collateralGap <= 1e-12 && requiredRate <= L.maxLendingRate + 1e-12;

  // The rate test: firms whose assessed PD keeps the required rate within the cap.
  const room = L.maxLendingRate - fixed;
  const threshold = lgdLender > 0 ? room / lgdLender : room >= -1e-12 ? Infinity : 0;
  const ratePass = threshold === Infinity ? 1 : lognormalBelow(threshold, pd, L.riskDispersion);
  const poolPd = threshold === Infinity || ratePass <= 0 ? pd : (pd * lognormalPartialMeanShare(threshold, pd, L.riskDispersion)) / ratePass;
  // The collateral test: firms that can pledge what the lender requires.
  const collateralPass = pledgeReaches(required, pledged, L.collateralDispersion);
  const demand = borrowerDemand(stage, borrowerAllInRate);
  return {
    collateralGap, pd, expectedLoss, capitalCharge, feeInRate, requiredRate, borrowerAllInRate, lenderReturnOnCapital, lends,
    collateralPass, ratePass, demand, takeUp: demand * collateralPass * ratePass, poolPd,
  };
}

/**
 * How a defaulted loan's recoveries (ρ of its balance: the unsecured recovery and the pledged
 * collateral after its haircut) are shared between the lender and the fund at coverage c.
 * Pari passu, each bears its share of the loss; the lender first takes recoveries up to its
 * uncovered part; the fund first takes them up to its claim. Returned: the fund's recovery as
 * a share of its claim, and the lender's loss as a share of the balance. Under the flat-rate
 * model recoveries are shared pari passu for the lender's decision.
 */
export function recoveryShares(rule: 'pariPassu' | 'lenderFirst' | 'fundFirst', rho: number, c: number): { fundRecovery: number; lenderLoss: number } {
  const r = Math.max(0, Math.min(1, rho));
  if (c <= 0) return { fundRecovery: 0, lenderLoss: 1 - r };
  const toLender = rule === 'pariPassu' ? (1 - c) * r : rule === 'lenderFirst' ? Math.min(r, 1 - c) : Math.max(0, r - c);
  const toFund = r - toLender;
  return { fundRecovery: toFund / c, lenderLoss: 1 - c - toLender };
}

function lenderLossShare(s: Scenario, rho: number, c: number): number {
  return recoveryShares(s.fund.recoveryModel === 'collateral' ? s.fund.collateralSharing : 'pariPassu', rho, c).lenderLoss;
}

/** The fund's recovery on a claim of the segment: the flat rate, or its share of the loan's recoveries. */
export function fundRecoveryRate(s: Scenario, stage: StageParams, collateralRatio: number, c: number): number {
  if (s.fund.recoveryModel === 'flatRate') return s.fund.recoveryRate;
  const pledged = (1 - s.lender.collateralHaircut) * collateralRatio;
  const rho = 1 - Math.max(0, stage.lgdBeforeCollateral - pledged);
  return recoveryShares(s.fund.collateralSharing, rho, c).fundRecovery;
}

/**
 * Share of the lender's expected loss a guarantee takes off it, under the whole contract:
 * coverage, cut where the vintage's loss cap binds (the fund then pays at most cap ÷ the
 * vintage's expected claims per unit lent, `claimsPerUnit`), less the fee when the lender pays
 * it, as a share of the expected loss it would bear unguaranteed.
 */
export function lossShedBy(s: Scenario, stage: StageParams, pd: number, pledged: number, coverage: number, claimsPerUnit: number): number {
  const cap = s.guarantee.portfolioLossCap;
  const covered = cap !== null && claimsPerUnit > 0 ? Math.min(coverage, cap / claimsPerUnit) : coverage;
  const loss = pd * Math.max(0, stage.lgdBeforeCollateral - pledged);
  if (s.guarantee.feePayer !== 'lender' || loss <= 0) return covered;
  return Math.max(0, Math.min(1, covered - feeEquivalent(s, stage, coverage, pd) / loss));
}

/**
 * Expected claims per unit of principal over a loan's life at annual PD `pd`, for the loss cap:
 * defaults spread over the tenor on an average balance of one half (an annuity's or linear
 * loan's; a bullet's is a little higher, which this leaves to the cap's own check in the run-off).
 */
export function lifetimeClaimsPerUnit(stage: StageParams, pd: number): number {
  return (1 - Math.pow(1 - pd, stage.tenorYears)) * 0.5;
}

/**
 * The share of a stage's guarantee fee the government pays, as lenders and borrowers see it: the
 * subsidy's share over the part of the loan's life it covers (its years over the tenor); 0 for
 * stages it leaves out. Which origination years get it is the plan's business.
 */
export function feeSubsidyDiscount(s: Scenario, stage: Stage): number {
  const sub = s.support.feeSubsidy;
  if (!sub?.stages.includes(stage)) return 0;
  return sub.share * Math.min(1, sub.loanYears / s.stages[stage].tenorYears);
}

/** Every segment's decisions; `subsidised`: with the fee subsidy lowering the price the lender and borrower see. */
export function segmentDecisions(s: Scenario, subsidised = false): SegmentDecision[] {
  const out: SegmentDecision[] = [];
  for (const stage of STAGES) {
    const params = s.stages[stage];
    const discount = subsidised ? feeSubsidyDiscount(s, stage) : 0;
    const coverage = effectiveCoverage(s, stage, params.loanSize);
    riskGradesOf(params).forEach((grade, g) => {
      params.collateral.forEach((level, j) => {
        const pledged = (1 - s.lender.collateralHaircut) * level.ratio;
        const shed = coverage > 0 ? lossShedBy(s, params, grade.pd, pledged, coverage, coverage * lifetimeClaimsPerUnit(params, grade.pd)) : 0;
        const without = lenderTerms(s, params, grade.pd, level.ratio, 0, 0);
        const withGuarantee = lenderTerms(s, params, guaranteedPd(s, grade.pd, shed), level.ratio, coverage, shed, discount);
        // The firms served without the guarantee are served with it too when its terms are better;
        // a guarantee that makes a loan dearer serves fewer, and the rest borrow unguaranteed.
        const additionalShare = Math.max(0, withGuarantee.takeUp - without.takeUp);
        const substitutedShare = Math.min(withGuarantee.takeUp, without.takeUp) * s.guarantee.deadweightTakeUp;
        out.push({
          stage, grade: g, collateralLevel: j, share: grade.share * level.share,
          without, withGuarantee, effectiveCoverage: coverage, lossShed: shed,
          guaranteedShare: additionalShare + substitutedShare, additionalShare, substitutedShare,
        });
      });
    });
  }
  return out;
}
