import { describe, expect, it } from 'vitest';
import { project } from '../../src/core/projection.ts';
import { scenario, twoPeriodInput } from '../support/scenarios.ts';

/*
 * Worked by hand (see twoPeriodInput):
 * Year 1 — 100 loans × 10,000 at the start; guaranteed 800,000 (80 %).
 *   upfront fee 1 % × 800,000 = 8,000; 10 defaults at year end on the full balance:
 *   claims 10 × 10,000 × 0.8 = 80,000 paid at once (no lag); recoveries 50 % = 40,000 due in year 2.
 *   average outstanding guaranteed 800,000 (balance 1.0 all year, defaults at the end):
 *   annual fee 2 % = 16,000; operating costs 10,000 + 0.5 % × 800,000 + 50 × 100 = 19,000;
 *   reinsurer pays 50 % of claims = 40,000; premium 0.4 % × 50 % × 800,000 = 1,600;
 *   investment income 4 % × 500,000 (opening) = 20,000.
 *   closing = 500,000 + 8,000 + 16,000 + 20,000 + 40,000 − 80,000 − 19,000 − 1,600 = 483,400.
 *   Outstanding after the instalment: 90 loans × 5,000 = 450,000; guaranteed 360,000.
 * Year 2 — 9 defaults on 5,000 balances: claims 9 × 5,000 × 0.8 = 36,000; recoveries 18,000 fall
 *   after the horizon (pending). Average outstanding guaranteed 90 × 5,000 × 0.8 = 360,000:
 *   fee 7,200; costs 10,000 + 1,800 = 11,800; recoveries received 40,000, half passed to the
 *   reinsurer 20,000; reinsurer pays 18,000; premium 720; investment 4 % × 483,400 = 19,336.
 *   closing = 483,400 + 7,200 + 19,336 + 40,000 + 18,000 − 36,000 − 11,800 − 720 − 20,000 = 499,416.
 */
describe('two-period hand-worked ledger', () => {
  const p = project(scenario(twoPeriodInput()));
  const [y1, y2] = p.periods;

  it('year 1 line by line', () => {
    const l = y1!.ledger;
    expect(l.opening.toFixed(2)).toBe('500000.00');
    expect(l.upfrontFees.toFixed(2)).toBe('8000.00');
    expect(l.annualFees.toFixed(2)).toBe('16000.00');
    expect(l.investmentIncome.toFixed(2)).toBe('20000.00');
    expect(l.claimsPaid.toFixed(2)).toBe('80000.00');
    expect(l.recoveries.toFixed(2)).toBe('0.00');
    expect(l.operatingCosts.toFixed(2)).toBe('19000.00');
    expect(l.reinsuranceRecoveries.toFixed(2)).toBe('40000.00');
    expect(l.reinsurancePremiums.toFixed(2)).toBe('1600.00');
    expect(l.recoveriesPassedToReinsurer.toFixed(2)).toBe('0.00');
    expect(l.closing.toFixed(2)).toBe('483400.00');
    expect(y1!.newLoans).toBeCloseTo(100, 10);
    expect(y1!.defaults).toBeCloseTo(10, 10);
    expect(y1!.outstandingPrincipal.toFixed(2)).toBe('450000.00');
    expect(y1!.outstandingGuaranteed.toFixed(2)).toBe('360000.00');
    expect(y1!.leverage).toBeCloseTo(360_000 / 483_400, 12);
  });

  it('year 2 line by line', () => {
    const l = y2!.ledger;
    expect(l.opening.toFixed(2)).toBe('483400.00');
    expect(l.upfrontFees.toFixed(2)).toBe('0.00');
    expect(l.annualFees.toFixed(2)).toBe('7200.00');
    expect(l.investmentIncome.toFixed(2)).toBe('19336.00');
    expect(l.claimsPaid.toFixed(2)).toBe('36000.00');
    expect(l.recoveries.toFixed(2)).toBe('40000.00');
    expect(l.operatingCosts.toFixed(2)).toBe('11800.00');
    expect(l.reinsuranceRecoveries.toFixed(2)).toBe('18000.00');
    expect(l.reinsurancePremiums.toFixed(2)).toBe('720.00');
    expect(l.recoveriesPassedToReinsurer.toFixed(2)).toBe('20000.00');
    expect(l.closing.toFixed(2)).toBe('499416.00');
    expect(y2!.outstandingGuaranteed.toFixed(2)).toBe('0.00');
  });

  it('summary', () => {
    const s = p.summary;
    expect(s.closingCapital.toFixed(2)).toBe('499416.00');
    expect(s.pendingClaims.toFixed(2)).toBe('0.00');
    expect(s.pendingRecoveries.toFixed(2)).toBe('18000.00');
    expect(s.totalClaimsPaid.toFixed(2)).toBe('116000.00');
    expect(s.fiscalCost.toFixed(2)).toBe('584.00');
    expect(s.firmsSupported).toBeCloseTo(100, 10);
    expect(s.depletionYear).toBeNull();
    // Self-sufficiency = (fees 31,200 + investment 39,336) / (net claims + costs 30,800 + premiums 2,320),
    // net claims = claims 116,000 − recoveries 40,000 − reinsurer's 58,000 + recoveries passed back 20,000 = 38,000.
    expect(s.selfSufficiency).toBeCloseTo(70_536 / 71_120, 12);
  });

  it('a claim lag of one year moves both claims a year later', () => {
    const input = twoPeriodInput();
    (input.fund as Record<string, unknown>).claimLagMonths = 12;
    const lagged = project(scenario(input));
    expect(lagged.periods[0]!.ledger.claimsPaid.toFixed(2)).toBe('0.00');
    expect(lagged.periods[1]!.ledger.claimsPaid.toFixed(2)).toBe('80000.00');
    expect(lagged.summary.pendingClaims.toFixed(2)).toBe('36000.00');
  });

  it('a lock-in defers claims to its end, not refuses them', () => {
    const input = twoPeriodInput();
    (input.fund as Record<string, unknown>).claimLockInMonths = 18;
    const locked = project(scenario(input));
    // Lock-in of 18 months from a start-of-year-1 origination ends in year 2: the year-1 claim waits.
    expect(locked.periods[0]!.ledger.claimsPaid.toFixed(2)).toBe('0.00');
    expect(locked.periods[1]!.ledger.claimsPaid.toFixed(2)).toBe('116000.00');
  });

  it('a portfolio loss cap of 10 % of the vintage stops claims at 100,000', () => {
    const input = twoPeriodInput();
    (input.guarantee as Record<string, unknown>).portfolioLossCap = 0.1;
    const capped = project(scenario(input));
    expect(capped.periods[0]!.ledger.claimsPaid.toFixed(2)).toBe('80000.00');
    expect(capped.periods[1]!.ledger.claimsPaid.toFixed(2)).toBe('20000.00');
    expect(capped.periods[1]!.claimsCapped.toFixed(2)).toBe('16000.00');
  });
});
